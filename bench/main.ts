#!/usr/bin/env node
/**
 * `npm run bench`: the simulator benchmark. Medians after warm-up, each beside a plain reference run in the same
 * process (`reference.ts`: unfused Float64Array loops, one pass per gate, one thread, textbook adjoint), so
 * the ratios hold on any machine. Prints a table with the targets of the "native speed" issue and writes
 * `results/bench/bench.json`:
 * `{ version, node, cpus, rows: [{ name, nQubits, nLayers, op, threads, medianMs, refMedianMs }], memory, targets }`.
 *
 * Workloads: the hardware-efficient ansatz (RX, RY, RZ on every qubit + CNOT chain) at n = 10 L = 4,
 * n = 15 L = 10 and n = 20 L = 2 (forward; adjoint gradient of a weighted sum of ⟨Z_k⟩); a batch of 64 gradient
 * evaluations at n = 15 L = 10 on 1 and 2 threads; the self-KD workload (n = 10, L = 4, amplitude-encoded input,
 * 10 logits, forward + gradient per sample); the Fig. 6 training step (`QNNClassifier.lossAndGradient` on a batch of 64
 * amplitude-encoded states, n = 10, L = 4, 10 logits, cross-entropy) and its evaluation (`logitsBatch` of 1000
 * states), on 1 and 2 threads; the Piperno et al. hybrid training step (a tfjs model: amplitude embedding of 64
 * bits on 6 qubits, 5 hardware-efficient layers, ⟨Z⟩ of all qubits → dense 6→3; `TfClassifier.lossAndGradient` on a
 * batch of 32 with cross-entropy) beside its quantum part alone (the layer's forward and backward passes on the
 * same encoded batch); the number of statevectors a gradient holds at n = 20. Noise (`sim/noise/run.ts`): the
 * density-matrix forward and adjoint gradient at n = 10, L = 4 with a channel after every gate (depolarising, the
 * fast path; and amplitude damping, the dense-superoperator path) beside the statevector at n = 20, L = 4 (the same
 * 4^10 = 2^20 amplitudes), and one quantum trajectory at n = 10 and n = 20, L = 4 (rows "trajectory": ms per
 * trajectory; trajectories per second = 1000 / median ms). Routes (rows "routeGradient", n = 4…12, L = 4, a batch of 16):
 * the serial strategy's per-gate route on the TypeScript and WebAssembly kernels beside the whole-program WASM
 * runner (`sim/backends/wasmProgram.ts`), to decide whether the per-gate WASM route earns its place.
 *
 * Options: `--quick` (fewer repetitions), `--out <file>`.
 */
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { Statevector } from "../src/sim/state/statevector";
import { adjointGradient, adjointWorkspace } from "../src/sim/grad/adjoint";
import { weightedZCotangent } from "../src/sim/grad/cotangents";
import { hardwareEfficientAnsatz } from "../src/qnn/ansatz";
import { QNNClassifier } from "../src/qnn/classifier";
import { amplitudeEncode } from "../src/qnn/encoders";
import { Rng } from "../src/util/rng";
import { writeJsonAtomic } from "../src/util/fs";
import { VERSION } from "../src/version";
import { referenceForward, referenceGradient } from "./reference";
import { getWasmKernels } from "../src/sim/backends/wasm";
import { activeBackend, setBackend } from "../src/sim/backends/engine";
import { ProgramRunner } from "../src/sim/backends/wasmProgram";
import * as tf from "@tensorflow/tfjs";
import { useTfBackend } from "../src/hybrid/backend";
import { TfClassifier } from "../src/hybrid/classifier";
import { QuantumTfLayer, quantumLayer } from "../src/hybrid/quantumLayer";
import { pipernoCircuit } from "../src/experiments/piperno/experiment";
import { crossEntropy } from "../src/kd/losses";
import { NoiseModel, ONE_QUBIT_GATES, TWO_QUBIT_GATES } from "../src/sim/noise/model";
import { amplitudeDamping, tensorChannel } from "../src/sim/noise/channels";
import { densityAdjoint, runDensity, runTrajectory } from "../src/sim/noise/run";

/** One benchmark row. */
export interface BenchRow {
  name: string;
  nQubits: number;
  nLayers: number;
  op:
    | "forward"
    | "gradient"
    | "batchGradient"
    | "batchLogits"
    | "hybridStep"
    | "quantumPart"
    | "trajectory"
    | "routeGradient";
  threads: number;
  medianMs: number;
  /** The plain reference's median for the same work, or null where there is none. */
  refMedianMs: number | null;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median wall time (ms) of `fn` over `reps` runs after `warm` warm-up runs. */
function time(fn: () => void, reps: number, warm = 2): number {
  for (let i = 0; i < warm; i++) fn();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

function randomState(n: number, rng: Rng): Statevector {
  const dim = 2 ** n;
  return Statevector.fromAmplitudes(
    Array.from({ length: dim }, () => rng.normal()),
    Array.from({ length: dim }, () => rng.normal()),
    { normalize: true },
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes("--quick");
  const outIdx = args.indexOf("--out");
  const out = outIdx >= 0 ? args[outIdx + 1] : path.resolve(__dirname, "../../results/bench/bench.json");
  const rng = new Rng(1);
  const rows: BenchRow[] = [];
  // memory first, before other workloads leave buffers behind: statevectors held by one gradient at n = 20
  // beside the input (φ, λ and the gather scratch); run with --expose-gc for a clean baseline
  const memory = gradientMemory(20, rng);
  const reps = (k: number) => (quick ? Math.max(3, Math.ceil(k / 3)) : k);

  // forward and gradient of the hardware-efficient ansatz
  for (const [n, L, k] of [
    [10, 4, 31],
    [15, 10, 11],
    [20, 2, 5],
  ] as const) {
    const c = hardwareEfficientAnsatz({ nQubits: n, nLayers: L });
    const params = Float64Array.from({ length: c.nParams }, () => rng.uniform(0, 2 * Math.PI));
    const input = randomState(n, rng);
    const s = input.clone();
    const readout = [0, 1],
      w = [0.5, -0.5];
    const fwd = time(() => c.run(params, s.copyFrom(input)), reps(k));
    const fwdRef = time(() => referenceForward(c, params, s.copyFrom(input).re, s.im), reps(k));
    const work = adjointWorkspace(n);
    const cot = weightedZCotangent(readout, w);
    const grad = new Float64Array(c.nParams);
    const g = time(() => adjointGradient(c, params, input, cot, { grad, work }), reps(k));
    const gRef = time(
      () => referenceGradient(c, params, input.re, input.im, readout, w),
      n === 20 ? Math.min(3, reps(k)) : reps(k),
      1,
    );
    const name = `hea-n${n}-L${L}`;
    rows.push({ name, nQubits: n, nLayers: L, op: "forward", threads: 1, medianMs: fwd, refMedianMs: fwdRef });
    rows.push({ name, nQubits: n, nLayers: L, op: "gradient", threads: 1, medianMs: g, refMedianMs: gRef });
  }

  // noise: density matrix at n = 10 against the statevector at n = 20 (same amplitude count), and trajectories
  {
    const L = 4,
      readout = [0, 1],
      w = [0.5, -0.5];
    {
      const n = 20;
      const c = hardwareEfficientAnsatz({ nQubits: n, nLayers: L });
      const params = Float64Array.from({ length: c.nParams }, () => rng.uniform(0, 2 * Math.PI));
      const input = Statevector.zero(n),
        s = input.clone(),
        cot = weightedZCotangent(readout, w),
        work = adjointWorkspace(n);
      rows.push({
        name: `hea-n${n}-L${L}`,
        nQubits: n,
        nLayers: L,
        op: "forward",
        threads: 1,
        medianMs: time(() => c.run(params, s.copyFrom(input)), reps(5)),
        refMedianMs: null,
      });
      rows.push({
        name: `hea-n${n}-L${L}`,
        nQubits: n,
        nLayers: L,
        op: "gradient",
        threads: 1,
        medianMs: time(() => adjointGradient(c, params, input, cot, { work }), reps(5)),
        refMedianMs: null,
      });
    }
    const clean = hardwareEfficientAnsatz({ nQubits: 10, nLayers: L });
    const params = Float64Array.from({ length: clean.nParams }, () => rng.uniform(0, 2 * Math.PI));
    const models = [
      ["depolarizing", NoiseModel.depolarizing(1e-3, 1e-2)],
      [
        "amplitude-damping",
        new NoiseModel()
          .addAllQubitQuantumError(amplitudeDamping(1e-3), ONE_QUBIT_GATES)
          .addAllQubitQuantumError(tensorChannel(amplitudeDamping(1e-2), amplitudeDamping(1e-2)), TWO_QUBIT_GATES),
      ],
    ] as const;
    const zero = Statevector.zero(10);
    for (const [label, model] of models) {
      const noisy = model.apply(clean);
      const name = `dm-${label}-n10-L${L}`;
      rows.push({
        name,
        nQubits: 10,
        nLayers: L,
        op: "forward",
        threads: 1,
        medianMs: time(() => runDensity(noisy, params, zero), reps(7), 1),
        refMedianMs: null,
      });
      rows.push({
        name,
        nQubits: 10,
        nLayers: L,
        op: "gradient",
        threads: 1,
        medianMs: time(() => densityAdjoint(noisy, params, zero, readout, () => w), reps(7), 1),
        refMedianMs: null,
      });
    }
    for (const n of [10, 20]) {
      const c = NoiseModel.depolarizing(1e-3, 1e-2).apply(hardwareEfficientAnsatz({ nQubits: n, nLayers: L }));
      const p = Float64Array.from({ length: c.nParams }, () => rng.uniform(0, 2 * Math.PI));
      const z = Statevector.zero(n),
        tr = new Rng("bench-trajectories");
      rows.push({
        name: `trajectory-depolarizing-n${n}-L${L}`,
        nQubits: n,
        nLayers: L,
        op: "trajectory",
        threads: 1,
        medianMs: time(() => runTrajectory(c, p, z, tr), reps(n === 20 ? 5 : 31)),
        refMedianMs: null,
      });
    }
  }

  // a batch of 64 gradients at n = 15, L = 10 through QNNClassifier.lossAndGradient: one thread (serial path)
  // and two worker threads (the pool the classifier uses by itself for large batches)
  {
    const n = 15,
      L = 10;
    const model = QNNClassifier.hardwareEfficient({ nQubits: n, nLayers: L, seed: 1 });
    const inputs = Array.from({ length: 64 }, () => randomState(n, rng));
    const loss = (z: Float64Array) => ({ loss: z[0] - z[1], dLogits: Float64Array.of(1, -1) });
    const saved = process.env.QNN_KD_THREADS;
    for (const threads of os.cpus().length >= 2 ? [1, 2] : [1]) {
      process.env.QNN_KD_THREADS = String(threads);
      const ms = time(() => model.lossAndGradient(inputs, loss), quick ? 2 : 5, 1);
      rows.push({
        name: "batch64-hea-n15-L10",
        nQubits: n,
        nLayers: L,
        op: "batchGradient",
        threads,
        medianMs: ms,
        refMedianMs: null,
      });
    }
    if (saved === undefined) delete process.env.QNN_KD_THREADS;
    else process.env.QNN_KD_THREADS = saved;
  }

  // the serial strategy's per-gate routes against the whole-program runner on small registers and batches (where
  // the executor's chooser takes the serial route: < 9 qubits or < 8 samples): a batch of 16 gradients of
  // Σ_k w_k⟨Z_k⟩, per sample; the runner's row includes setting its angles once per batch (what the batch engine
  // pays per call; the engine makes its runner once)
  if (getWasmKernels()) {
    for (const n of [4, 6, 8, 10, 12]) {
      const L = 4;
      const c = hardwareEfficientAnsatz({ nQubits: n, nLayers: L });
      const params = Float64Array.from({ length: c.nParams }, () => rng.uniform(0, 2 * Math.PI));
      const inputs = Array.from({ length: 16 }, () => randomState(n, rng));
      const readout = [0, 1],
        w = Float64Array.of(0.5, -0.5);
      const cot = weightedZCotangent(readout, w);
      const grad = new Float64Array(c.nParams);
      const work = adjointWorkspace(n);
      const perGate = () => {
        for (const x of inputs) adjointGradient(c, params, x, cot, { grad, work });
      };
      const program = c.program(true),
        angles = c.angles(params),
        dAngles = new Float64Array(c.nOccurrences),
        z = new Float64Array(readout.length);
      const runner = ProgramRunner.create(program, n, c.nOccurrences, readout)!; // made once, as the engine does
      const whole = () => {
        const r = runner;
        r.setAngles(angles);
        for (const x of inputs) {
          r.expectations(x.re, x.im, z);
          r.gradient(w, dAngles);
        }
      };
      const k = n <= 8 ? 41 : 15;
      const name = (route: string) => `route-${route}-n${n}-L${L}-b16`;
      const row = (route: string, ms: number) =>
        rows.push({
          name: name(route),
          nQubits: n,
          nLayers: L,
          op: "routeGradient",
          threads: 1,
          medianMs: ms,
          refMedianMs: null,
        });
      const saved = activeBackend();
      setBackend("ts");
      row("ts-pergate", time(perGate, reps(k)));
      setBackend("wasm");
      row("wasm-pergate", time(perGate, reps(k)));
      row("wasm-program", time(whole, reps(k)));
      setBackend(saved);
    }
  }

  // self-KD workload: 10 qubits × 4 layers, amplitude-encoded 784-pixel input, 10 logits
  {
    const n = 10,
      L = 4;
    const c = hardwareEfficientAnsatz({ nQubits: n, nLayers: L });
    const params = Float64Array.from({ length: c.nParams }, () => rng.uniform(0, 2 * Math.PI));
    const input = amplitudeEncode(
      Array.from({ length: 784 }, () => rng.random()),
      n,
    );
    const readout = Array.from({ length: 10 }, (_, k) => k);
    const w = readout.map(() => rng.normal());
    const work = adjointWorkspace(n);
    const grad = new Float64Array(c.nParams);
    const cot = weightedZCotangent(readout, w);
    const g = time(() => adjointGradient(c, params, input, cot, { grad, work }), reps(61));
    const gRef = time(() => referenceGradient(c, params, input.re, input.im, readout, w), reps(31));
    rows.push({
      name: "self-kd-n10-L4-amplitude-10logits",
      nQubits: n,
      nLayers: L,
      op: "gradient",
      threads: 1,
      medianMs: g,
      refMedianMs: gRef,
    });
  }

  // the Fig. 6 workload through the classifier (the batch engine: whole-program WASM runner, worker pool)
  {
    const n = 10,
      L = 4;
    const model = QNNClassifier.hardwareEfficient({
      nQubits: n,
      nLayers: L,
      readout: Array.from({ length: 10 }, (_, k) => k),
      seed: 2,
    });
    const images = Array.from({ length: 1000 }, () =>
      amplitudeEncode(
        Array.from({ length: 784 }, () => rng.random()),
        n,
      ),
    );
    const labels = images.map((_, i) => i % 10);
    const batches = Array.from({ length: 8 }, (_, i) => images.slice(64 * i, 64 * i + 64));
    let start = 0;
    const ce = (z: Float64Array, b: number) => {
      let m = -Infinity;
      for (const v of z) m = Math.max(m, v);
      const p = Float64Array.from(z, (v) => Math.exp(v - m));
      const sum = p.reduce((a, v) => a + v, 0);
      for (let k = 0; k < p.length; k++) p[k] /= sum;
      const y = labels[start + b];
      const loss = -Math.log(p[y]);
      p[y] -= 1;
      return { loss, dLogits: p };
    };
    const saved = process.env.QNN_KD_THREADS;
    for (const threads of os.cpus().length >= 2 ? [1, 2] : [1]) {
      process.env.QNN_KD_THREADS = String(threads);
      let i = 0;
      const ms = time(
        () => {
          start = 64 * (i % 8);
          model.lossAndGradient(batches[i++ % 8], ce);
        },
        quick ? 9 : 41,
        3,
      );
      rows.push({
        name: "fig6-batch64-n10-L4-10logits",
        nQubits: n,
        nLayers: L,
        op: "batchGradient",
        threads,
        medianMs: ms,
        refMedianMs: null,
      });
      const ev = time(() => model.logitsBatch(images), quick ? 3 : 9, 1);
      rows.push({
        name: "fig6-logits1000-n10-L4-10logits",
        nQubits: n,
        nLayers: L,
        op: "batchLogits",
        threads,
        medianMs: ev,
        refMedianMs: null,
      });
    }
    if (saved === undefined) delete process.env.QNN_KD_THREADS;
    else process.env.QNN_KD_THREADS = saved;
  }

  // hybrid step (Piperno et al.): tfjs + quantum layer, against the quantum part alone
  {
    await useTfBackend("wasm");
    const { circuit, readout } = pipernoCircuit("hea", 6, 5);
    const model = new TfClassifier(
      tf.sequential({
        layers: [
          quantumLayer({ circuit, readout, encoding: "amplitude", seed: 1, inputGradients: false, inputShape: [64] }),
          tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
        ],
      }),
    );
    const xs = Array.from({ length: 32 }, () =>
      Float64Array.from({ length: 64 }, (_, j) => (j === 0 ? 1 : rng.int(2))),
    );
    const ys = xs.map((_, b) => b % 3);
    const ce = (z: Float64Array, b: number) => crossEntropy(z, ys[b]);
    const step = time(() => model.lossAndGradient(xs, ce), quick ? 11 : 51, 5);
    const ql = model.model.layers[0] as QuantumTfLayer;
    const enc = xs.map((x) => ql.encoder.encode(x));
    const up = xs.map(() => Float64Array.from(readout, () => 0.1));
    const qpart = time(
      () => {
        ql.quantum.forward(enc);
        ql.quantum.backward(enc, up);
      },
      quick ? 11 : 51,
      5,
    );
    rows.push({
      name: "piperno-hybrid-b32-n6-L5",
      nQubits: 6,
      nLayers: 5,
      op: "hybridStep",
      threads: 1,
      medianMs: step,
      refMedianMs: null,
    });
    rows.push({
      name: "piperno-hybrid-b32-n6-L5",
      nQubits: 6,
      nLayers: 5,
      op: "quantumPart",
      threads: 1,
      medianMs: qpart,
      refMedianMs: null,
    });
  }

  const get = (name: string, op: string, threads = 1) =>
    rows.find((r) => r.name === name && r.op === op && r.threads === threads);
  const f15 = get("hea-n15-L10", "forward")!,
    g15 = get("hea-n15-L10", "gradient")!,
    kd = get("self-kd-n10-L4-amplitude-10logits", "gradient")!;
  const b1 = get("batch64-hea-n15-L10", "batchGradient", 1),
    b2 = get("batch64-hea-n15-L10", "batchGradient", 2);
  const targets = [
    {
      target: "forward n=15 L=10 ≥ 4× the reference",
      value: f15.refMedianMs! / f15.medianMs,
      goal: 4,
      higherIsBetter: true,
    },
    {
      target: "gradient n=15 L=10 ≤ 3× our forward",
      value: g15.medianMs / f15.medianMs,
      goal: 3,
      higherIsBetter: false,
    },
    {
      target: "batch of 64 on 2 threads ≥ 1.7× one thread",
      value: b1 && b2 ? b1.medianMs / b2.medianMs : null,
      goal: 1.7,
      higherIsBetter: true,
    },
    {
      target: "self-KD forward+gradient ≥ 4× the reference",
      value: kd.refMedianMs! / kd.medianMs,
      goal: 4,
      higherIsBetter: true,
    },
    {
      target: "gradient at n=20 holds ≤ 4 statevectors beside the input",
      value: memory.stateVectors,
      goal: 4,
      higherIsBetter: false,
    },
    {
      target: "density-matrix forward n=10 L=4 (depolarising) ≤ 3× the statevector forward n=20 L=4",
      goal: 3,
      higherIsBetter: false,
      value: get("dm-depolarizing-n10-L4", "forward")!.medianMs / get("hea-n20-L4", "forward")!.medianMs,
    },
    {
      target: "density-matrix gradient n=10 L=4 (depolarising) ≤ 3× its forward",
      goal: 3,
      higherIsBetter: false,
      value: get("dm-depolarizing-n10-L4", "gradient")!.medianMs / get("dm-depolarizing-n10-L4", "forward")!.medianMs,
    },
    {
      target: "hybrid training step ≤ 2× its quantum part",
      goal: 2,
      higherIsBetter: false,
      value:
        get("piperno-hybrid-b32-n6-L5", "hybridStep")!.medianMs /
        get("piperno-hybrid-b32-n6-L5", "quantumPart")!.medianMs,
    },
  ].map((t) => ({ ...t, met: t.value === null ? null : t.higherIsBetter ? t.value >= t.goal : t.value <= t.goal }));

  const cpus = os.cpus();
  const backend = activeBackend();
  const result = {
    version: VERSION,
    node: process.version,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    backend,
    rows,
    memory,
    targets,
  };
  console.log(
    `qnn-kd ${VERSION} bench — node ${process.version}, ${cpus.length} CPUs (${result.cpuModel}), ${backend} kernels${quick ? " — quick" : ""}`,
  );
  console.log("name                                  op             threads   median ms   reference ms   ratio");
  for (const r of rows) {
    const ratio = r.refMedianMs ? (r.refMedianMs / r.medianMs).toFixed(2) + "×" : "";
    console.log(
      `${r.name.padEnd(38)}${r.op.padEnd(15)}${String(r.threads).padStart(7)}${r.medianMs.toFixed(3).padStart(12)}${(r.refMedianMs?.toFixed(3) ?? "—").padStart(15)}${ratio.padStart(8)}`,
    );
  }
  console.log(
    `memory: a gradient at n=20 holds ${memory.stateVectors} statevectors beside the input (${memory.mib.toFixed(1)} MiB)`,
  );
  for (const t of targets) {
    const v = t.value === null ? "n/a" : t.value.toFixed(2);
    console.log(`target: ${t.target}: ${v} ${t.met === null ? "(not measured)" : t.met ? "MET" : "NOT MET"}`);
  }
  writeJsonAtomic(out, result);
  console.log(`wrote ${out}`);
}

/** Statevectors (beyond the input) allocated by one adjoint gradient at n qubits, from ArrayBuffer growth. */
function gradientMemory(n: number, rng: Rng): { stateVectors: number; mib: number } {
  const c = hardwareEfficientAnsatz({ nQubits: n, nLayers: 1 });
  const params = Float64Array.from({ length: c.nParams }, () => rng.uniform(0, 2 * Math.PI));
  const input = Statevector.zero(n);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  // ArrayBuffers on the JS heap plus the WebAssembly memory (not counted by memoryUsage().arrayBuffers)
  const used = () => process.memoryUsage().arrayBuffers + (getWasmKernels()?.memory.buffer.byteLength ?? 0);
  const before = used();
  let peak = before;
  const cot = weightedZCotangent([0], [1]);
  adjointGradient(c, params, input, (phi, lam) => {
    peak = Math.max(peak, used());
    return cot(phi, lam);
  });
  peak = Math.max(peak, used());
  const bytes = Math.max(0, peak - before);
  return { stateVectors: Math.round(bytes / (2 ** n * 16)), mib: bytes / 2 ** 20 };
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`bench: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
