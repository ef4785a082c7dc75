#!/usr/bin/env node
/**
 * `npm run bench`: medians of the forward pass and the adjoint gradient of the hardware-efficient ansatz
 * (RX, RY, RZ on every qubit + CNOT chain), against a plain reference in the same process (the same circuit
 * run unfused: one kernel pass per gate), and samples per second of a QNN training step (batch 64, cross-
 * entropy, adjoint gradients). Prints a table and writes `results/bench/bench.json`:
 * `{ version, node, cpus, rows: [{ name, nQubits, nLayers, op, threads, medianMs, refMedianMs }] }`.
 *
 * Options: `--quick` (fewer repetitions), `--out <file>`.
 */
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { Statevector } from "../sim/statevector";
import { adjointGradient, adjointWorkspace, weightedZCotangent } from "../sim/gradients";
import { hardwareEfficientAnsatz } from "../qnn/ansatz";
import { QNNClassifier } from "../qnn/classifier";
import { phaseEncode } from "../qnn/encoders";
import { Rng } from "../util/rng";
import { writeJsonAtomic } from "../util/fs";
import { VERSION } from "../version";

/** One benchmark row (see module doc). */
export interface BenchRow {
  name: string;
  nQubits: number;
  nLayers: number;
  op: "forward" | "gradient" | "batchGradient" | "trainStep";
  threads: number;
  medianMs: number;
  refMedianMs: number | null;
  /** Extra figure: samples per second for trainStep rows. */
  samplesPerSecond?: number;
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

function main(): void {
  const args = process.argv.slice(2);
  const quick = args.includes("--quick");
  const outIdx = args.indexOf("--out");
  const out = outIdx >= 0 ? args[outIdx + 1] : path.resolve(__dirname, "../../results/bench/bench.json");
  const rng = new Rng(1);
  const rows: BenchRow[] = [];
  const cases: Array<[number, number, number]> = quick ? [[10, 4, 5], [15, 10, 3], [20, 2, 2]] : [[10, 4, 21], [15, 10, 11], [20, 2, 5]];
  for (const [n, L, reps] of cases) {
    const c = hardwareEfficientAnsatz({ nQubits: n, nLayers: L });
    const params = Float64Array.from({ length: c.nParams }, () => rng.uniform(0, 2 * Math.PI));
    const input = Statevector.zero(n);
    const state = Statevector.zero(n);
    const fwd = time(() => c.run(params, state.copyFrom(input)), reps);
    const fwdRef = time(() => c.run(params, state.copyFrom(input), { fuse: false }), reps);
    const work = adjointWorkspace(n);
    const readout = [0, 1];
    const cot = weightedZCotangent(readout, [0.5, -0.5]);
    const grad = new Float64Array(c.nParams);
    const g = time(() => adjointGradient(c, params, input, cot, { grad, work }), reps);
    const gRef = time(() => adjointGradient(c, params, input, cot, { grad, work, fuse: false }), reps);
    const name = `hea-n${n}-L${L}`;
    rows.push({ name, nQubits: n, nLayers: L, op: "forward", threads: 1, medianMs: fwd, refMedianMs: fwdRef });
    rows.push({ name, nQubits: n, nLayers: L, op: "gradient", threads: 1, medianMs: g, refMedianMs: gRef });
  }
  // training step: batch 64, phase-encoded 15-bit inputs (Fig. 5 shape) at 10 qubits × 4 layers and 7 × 2 (Table 1)
  for (const [n, L] of [[7, 2], [10, 4]] as const) {
    const model = QNNClassifier.hardwareEfficient({ nQubits: n, nLayers: L, seed: 1 });
    const inputs = Array.from({ length: 64 }, () => phaseEncode(Array.from({ length: n }, () => rng.int(2))));
    const labels = inputs.map(() => rng.int(2));
    const ce = (z: Float64Array, i: number) => {
      const m = Math.max(z[0], z[1]);
      const e0 = Math.exp(z[0] - m), e1 = Math.exp(z[1] - m);
      const p0 = e0 / (e0 + e1), p1 = 1 - p0;
      const y = labels[i];
      return { loss: -Math.log(y ? p1 : p0), dLogits: Float64Array.of(p0 - (y === 0 ? 1 : 0), p1 - (y === 1 ? 1 : 0)) };
    };
    const ms = time(() => model.lossAndGradient(inputs, ce), quick ? 3 : 11);
    rows.push({ name: `train-step-n${n}-L${L}-batch64`, nQubits: n, nLayers: L, op: "trainStep", threads: 1, medianMs: ms, refMedianMs: null, samplesPerSecond: (64 / ms) * 1000 });
  }
  const result = { version: VERSION, node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "unknown", rows };
  console.log(`qnn-kd ${VERSION} bench — node ${process.version}, ${os.cpus().length} CPUs (${result.cpuModel})`);
  console.log("name                          op          median ms   reference ms   speed-up   samples/s");
  for (const r of rows) {
    const ratio = r.refMedianMs ? (r.refMedianMs / r.medianMs).toFixed(2) + "×" : "";
    console.log(
      `${r.name.padEnd(30)}${r.op.padEnd(12)}${r.medianMs.toFixed(3).padStart(10)}   ${(r.refMedianMs?.toFixed(3) ?? "—").padStart(12)}   ${ratio.padStart(8)}   ${r.samplesPerSecond ? r.samplesPerSecond.toFixed(0).padStart(9) : ""}`,
    );
  }
  for (const n of [10, 15, 20]) {
    const f = rows.find((r) => r.nQubits === n && r.op === "forward")!;
    const g = rows.find((r) => r.nQubits === n && r.op === "gradient")!;
    console.log(`gradient / forward at n=${n}: ${(g.medianMs / f.medianMs).toFixed(2)}`);
  }
  writeJsonAtomic(out, result);
  console.log(`wrote ${out}`);
}

main();
