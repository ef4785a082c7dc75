// The pool strategy of the executor (qnn/execution/pool.ts, poolWorker.ts, poolSamples.ts): the loss gradient against an independent serial route
// (one adjointGradient per sample with the weighted observable Σ_k s·g_k/B·Z_k, summed in sample order — the
// derivation of Yan et al. Eq. 2–3 with adjoint differentiation), thread counts against each other, and the
// failure modes (errors in workers, dead workers, disposal, bad inputs).
//
// The workers run the COMPILED dist/parallel/worker.js (and dist/sim kernels): `npm test` builds first; when
// running vitest by hand after editing src/, run `npm run build` first or the bitwise checks may fail.
import { afterAll, describe, expect, it } from "vitest";
import { Circuit, Statevector, QNNClassifier, adjointGradient, hardwareEfficientAnsatz, expectationZ } from "qnn-kd";
import { weightedZCotangent } from "qnn-kd/sim";
import { Rng } from "../../../src/util/rng";
import {
  BatchEngine,
  getBatchEngine,
  disposeBatchEngines,
  poolBackward,
  poolForward,
  usePool,
  workerHandlersModule,
} from "../../../src/qnn/execution/pool";
import { OP, SyncWorkerPool, defaultThreads, defaultWorkerScript, getSharedPool } from "../../../src/parallel/pool";
import type { SampleLoss } from "../../../src/core/model";
import type { ProgramOp } from "../../../src/sim/program/circuit";
import { activeBackend, setBackend } from "../../../src/sim/backends/engine";
import { ProgramRunner } from "../../../src/sim/backends/wasmProgram";
import { getWasmKernels } from "../../../src/sim/backends/wasm";
import { randomState, ce } from "../../helpers";

/** Serial reference: per sample, adjointGradient of Σ_k (s·g_k/B)·⟨Z_k⟩, accumulated into one grad in sample order. */
function serialReference(
  circuit: Circuit,
  params: Float64Array,
  inputs: Statevector[],
  readout: number[],
  scale: number,
  labels: number[],
) {
  const grad = new Float64Array(circuit.nParams);
  const B = inputs.length,
    K = readout.length;
  let total = 0;
  inputs.forEach((x, b) => {
    adjointGradient(
      circuit,
      params,
      x,
      (phi, lam) => {
        const z = expectationZ(phi, readout);
        if (scale !== 1) for (let k = 0; k < K; k++) z[k] *= scale;
        const out = ce(z, labels[b]);
        total += out.loss;
        const w = Float64Array.from(out.dLogits, (d) => (scale * d) / B);
        return weightedZCotangent(readout, w)(phi, lam);
      },
      { grad },
    );
  });
  return { loss: total / B, grad };
}

/** The pool route of a mean loss over the batch (what `Executor.backward` runs with reduction "mean"). */
function poolMean(
  engine: BatchEngine,
  c: Circuit,
  p: ArrayLike<number>,
  xs: readonly Statevector[],
  sampleLoss: SampleLoss,
): { loss: number; grad: Float64Array } {
  return poolBackward(engine, c, p, xs, sampleLoss, true, null, "poolBackward");
}

const bits = (a: Float64Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length * 2));

/**
 * The engine's gradient against the serial per-gate route: bit-identical on the TypeScript back end; on WASM the
 * engine's whole-program runner keeps forward checkpoints instead of uncomputing φ, so it agrees to rounding.
 */
function expectSerialGrad(grad: Float64Array, refGrad: Float64Array): void {
  if (activeBackend() === "ts") {
    expect(bits(grad)).toEqual(bits(refGrad));
    return;
  }
  let scaleG = 0;
  for (const g of refGrad) scaleG = Math.max(scaleG, Math.abs(g));
  for (let j = 0; j < refGrad.length; j++)
    expect(Math.abs(grad[j] - refGrad[j])).toBeLessThan(1e-13 * Math.max(scaleG, 1e-3));
}

const n = 8;
const rng = new Rng("parallel-test");
const circuit = hardwareEfficientAnsatz({ nQubits: n, nLayers: 3 });
const params = Float64Array.from({ length: circuit.nParams }, () => rng.uniform(0, 2 * Math.PI));
const inputs = Array.from({ length: 16 }, () => randomState(n, rng));
const labels = inputs.map((_, b) => (b * 7) % 3);
const readout = [0, 3, 5];
const scale = 2.5;
const loss = (z: Float64Array, b: number) => ce(z, labels[b]);

afterAll(() => disposeBatchEngines());

describe("parallel loss gradient: correctness", () => {
  it("the worker script and the engine's handlers module resolve from the sources to the built dist/", () => {
    expect(defaultWorkerScript()).toMatch(/dist[\\/]parallel[\\/]worker\.js$/);
    expect(workerHandlersModule()).toMatch(/dist[\\/]qnn[\\/]execution[\\/]poolWorker\.js$/);
  });

  const ref = serialReference(circuit, params, inputs, readout, scale, labels);

  for (const threads of [1, 2]) {
    it(`threads = ${threads}: equal to the serial adjoint route (8 qubits, 3 layers, batch 16; loss bitwise, gradient bitwise on TS, to rounding on WASM)`, () => {
      const engine = new BatchEngine(circuit.program(true), n, readout, scale, {
        threads,
        nOccurrences: circuit.nOccurrences,
      });
      try {
        const out = poolMean(engine, circuit, params, inputs, loss);
        expect(out.loss).toBe(ref.loss);
        expectSerialGrad(out.grad, ref.grad);
        // and again on the same engine (buffers reused): the same bits
        const again = poolMean(engine, circuit, params, inputs, loss);
        expect(bits(again.grad)).toEqual(bits(out.grad));
        // the same bits for every thread count
        const one = new BatchEngine(circuit.program(true), n, readout, scale, {
          threads: 1,
          nOccurrences: circuit.nOccurrences,
        });
        try {
          expect(bits(poolMean(one, circuit, params, inputs, loss).grad)).toEqual(bits(out.grad));
        } finally {
          one.dispose();
        }
      } finally {
        engine.dispose();
      }
    });
  }

  it("agrees with QNNClassifier.lossAndGradient to 1e-12", () => {
    const clf = new QNNClassifier({ circuit, params, readout, logitScale: scale, nClasses: 3 });
    const serial = clf.lossAndGradient(inputs, loss);
    const par = poolMean(getBatchEngine(circuit, readout, scale, { threads: 2 }), circuit, params, inputs, loss);
    expect(Math.abs(par.loss - serial.loss)).toBeLessThan(1e-12);
    for (let j = 0; j < serial.grad.length; j++) expect(Math.abs(par.grad[j] - serial.grad[j])).toBeLessThan(1e-12);
  });

  it("chunked batches (small memory budget) give the same bits; odd batch sizes; more threads than samples", () => {
    const stateBytes = 16 * 2 ** n;
    const engine = new BatchEngine(circuit.program(true), n, readout, scale, {
      threads: 2,
      memoryBudgetBytes: 5 * stateBytes,
    });
    try {
      expect(engine.maxChunk).toBe(5);
      expect(engine.nOccurrences).toBe(circuit.nOccurrences); // derived from the program
      const out = poolMean(engine, circuit, params, inputs, loss);
      expect(bits(out.grad)).toEqual(
        bits(poolMean(getBatchEngine(circuit, readout, scale, { threads: 1 }), circuit, params, inputs, loss).grad),
      );
      expectSerialGrad(out.grad, ref.grad);
      const one = poolMean(engine, circuit, params, inputs.slice(0, 1), loss);
      const oneRef = serialReference(circuit, params, inputs.slice(0, 1), readout, scale, labels);
      expectSerialGrad(one.grad, oneRef.grad);
    } finally {
      engine.dispose();
    }
  });

  it("sampleLoss is called once per sample, in order, with the serial logits", () => {
    const clf = new QNNClassifier({ circuit, params, readout, logitScale: scale, nClasses: 3 });
    const seen: number[] = [];
    const engine = getBatchEngine(circuit, readout, scale, { threads: 2 });
    poolMean(engine, circuit, params, inputs, (z, b) => {
      seen.push(b);
      expect(bits(z)).toEqual(bits(clf.logits(inputs[b])));
      return loss(z, b);
    });
    expect(seen).toEqual(inputs.map((_, b) => b));
  });

  it("poolForward equals the classifier's logits", () => {
    const clf = new QNNClassifier({ circuit, params, readout, logitScale: scale, nClasses: 3 });
    const z = poolForward(getBatchEngine(circuit, readout, scale, { threads: 2 }), circuit, params, inputs);
    expect(z.map(bits)).toEqual(clf.logitsBatch(inputs).map((v) => bits(v as Float64Array)));
  });

  it("getBatchEngine caches per program, readout, scale and threads", () => {
    const a = getBatchEngine(circuit, readout, scale, { threads: 2 });
    expect(getBatchEngine(circuit, readout, scale, { threads: 2 })).toBe(a);
    expect(getBatchEngine(circuit, readout, 1, { threads: 2 })).not.toBe(a);
    expect(getBatchEngine(circuit, readout, scale, { threads: 1 }).threads).toBe(1);
  });

  it("usePool: pure states, batch ≥ 8, ≥ 9 qubits, > 1 thread or one thread on WASM", () => {
    const big = Array.from({ length: 8 }, () => Statevector.zero(9));
    expect(usePool(big, 9, { threads: 2 })).toBe(true);
    // one thread: the engine runs on the calling thread with the whole-program WASM runner (sim/backends/wasmProgram.ts)
    expect(usePool(big, 9, { threads: 1 })).toBe(activeBackend() === "wasm");
    expect(usePool(big.slice(0, 7), 9, { threads: 2 })).toBe(false);
    expect(usePool(big, 8, { threads: 2 })).toBe(false);
    expect(usePool([...big, { weights: [1], states: [big[0]] }], 9, { threads: 2 })).toBe(false);
  });

  it("defaultThreads honours QNN_KD_THREADS, capped at the core count", () => {
    const old = process.env.QNN_KD_THREADS;
    try {
      process.env.QNN_KD_THREADS = "1";
      expect(defaultThreads()).toBe(1);
      process.env.QNN_KD_THREADS = "1000";
      expect(defaultThreads()).toBeLessThanOrEqual(1000);
      expect(defaultThreads()).toBeGreaterThanOrEqual(1);
      process.env.QNN_KD_THREADS = "two";
      expect(() => defaultThreads()).toThrow(/QNN_KD_THREADS must be a positive integer, got "two"/);
    } finally {
      if (old === undefined) delete process.env.QNN_KD_THREADS;
      else process.env.QNN_KD_THREADS = old;
    }
  });
});

describe("parallel loss gradient: errors and lifetime", () => {
  const bad: ProgramOp[] = [{ type: "block", target: 0, ctrlMask: 0, gates: null as never, hasParams: true }];

  it("an error inside a worker surfaces as an Error with the worker's message, and the pool stays usable", () => {
    const engine = new BatchEngine(bad, 2, [0], 1, { threads: 2, nOccurrences: 0 });
    try {
      const two = [Statevector.zero(2), Statevector.zero(2)];
      expect(() => engine.gradients(new Float64Array(0), two, () => [1])).toThrow(
        /qnn-kd worker: .*(null|undefined|not iterable)/,
      );
      expect(() => engine.logits(new Float64Array(0), two)).toThrow(/qnn-kd worker: .*(null|undefined|not iterable)/);
    } finally {
      engine.dispose();
    }
    const good = getBatchEngine(circuit, readout, scale, { threads: 2 });
    expect(() => poolMean(good, circuit, params, inputs, loss)).not.toThrow();
  });

  it("after a worker of the shared pool died, the next call runs on a fresh pool", () => {
    const cached = getBatchEngine(circuit, readout, scale, { threads: 2 });
    const before = poolMean(cached, circuit, params, inputs, loss);
    expect(() => getSharedPool(2).run(OP.TEST_EXIT, [0, 3])).toThrow(/worker 0 exited unexpectedly \(exit code 3\)/);
    const after = poolMean(cached, circuit, params, inputs, loss);
    expect(bits(after.grad)).toEqual(bits(before.grad));
  });

  it("dispose: engines and pools refuse work afterwards; the shared pool is replaced", () => {
    const engine = new BatchEngine(circuit.program(true), n, readout, scale, { threads: 2 });
    engine.dispose();
    engine.dispose(); // idempotent
    expect(() => engine.logits(circuit.angles(params), inputs)).toThrow(/disposed/);
    const pool = new SyncWorkerPool(1);
    pool.dispose();
    expect(() => pool.run(OP.SYNC)).toThrow(/disposed/);
    const cached = getBatchEngine(circuit, readout, scale, { threads: 2 });
    const before = poolMean(cached, circuit, params, inputs, loss);
    const shared = getSharedPool(2);
    shared.dispose();
    const fresh = getSharedPool(2);
    expect(fresh).not.toBe(shared);
    fresh.run(OP.SYNC);
    // an engine on the shared pool moves to the fresh pool by itself
    const after = poolMean(cached, circuit, params, inputs, loss);
    expect(bits(after.grad)).toEqual(bits(before.grad));
  });

  it("bad inputs throw errors that say what is wrong", () => {
    const engine = new BatchEngine(circuit.program(true), n, readout, scale, {
      threads: 2,
      memoryBudgetBytes: 4 * 16 * 2 ** n,
    });
    try {
      const angles = circuit.angles(params);
      const w = () => new Float64Array(3);
      expect(() => engine.gradients(angles, [Statevector.zero(n + 1)], w)).toThrow(
        /input 0 has 9 qubits but the circuit has 8/,
      );
      expect(() => engine.logits(angles, [{ weights: [1], states: [inputs[0]] } as never])).toThrow(
        /not a Statevector/,
      );
      expect(() => engine.gradients(angles, inputs, w)).toThrow(/16 inputs exceed maxChunk 4/);
      expect(() => engine.logits(angles.subarray(1), inputs.slice(0, 2))).toThrow(/expected \d+ angles/);
      expect(() => engine.gradients(angles, inputs.slice(0, 2), () => new Float64Array(2))).toThrow(
        /the weights of sample 0 must have 3 entries, got 2/,
      );
      expect(() => poolMean(engine, circuit, params, [], loss)).toThrow(/non-empty array/);
      expect(() =>
        poolMean(engine, circuit, params, inputs, () => ({ loss: 0, dLogits: new Float64Array(2) })),
      ).toThrow(/the loss returned 2 output gradients, expected 3/);
      expect(() => poolMean(engine, circuit, params.subarray(1), inputs, loss)).toThrow(/expected \d+ parameters/);
      expect(() => poolMean(engine, hardwareEfficientAnsatz({ nQubits: n, nLayers: 1 }), params, inputs, loss)).toThrow(
        /does not match the engine/,
      );
      expect(() => new BatchEngine(circuit.program(true), n, [n], 1)).toThrow(/readout qubit 8 out of range/);
      expect(() => new BatchEngine(circuit.program(true), n, readout, 0)).toThrow(
        /logitScale must be a finite number > 0/,
      );
      expect(() => new BatchEngine(circuit.program(true), n, readout, 1, { threads: 0 })).toThrow(
        /threads must be a positive integer/,
      );
      expect(() => new BatchEngine(circuit.program(true), n, readout, 1, { thread: 2 } as never)).toThrow(
        /unknown option "thread"/,
      );
      const plain = new SyncWorkerPool(2);
      try {
        expect(() => new BatchEngine(circuit.program(true), n, readout, 1, { pool: plain })).toThrow(
          /must load the engine's handlers module/,
        );
      } finally {
        plain.dispose();
      }
    } finally {
      engine.dispose();
    }
  });
});

describe("parallel loss gradient: misuse", () => {
  it("re-entrant use of the same engine inside sampleLoss is refused; the engine stays usable", () => {
    const engine = new BatchEngine(circuit.program(true), n, readout, scale, { threads: 2 });
    try {
      expect(() =>
        poolMean(engine, circuit, params, inputs, (z, b) => {
          if (b === 3) poolForward(engine, circuit, params, inputs.slice(0, 1));
          return loss(z, b);
        }),
      ).toThrow(/re-entrant use/);
      const ref = serialReference(circuit, params, inputs, readout, scale, labels);
      expectSerialGrad(poolMean(engine, circuit, params, inputs, loss).grad, ref.grad);
    } finally {
      engine.dispose();
    }
  });

  it("an error thrown by sampleLoss stops the workers and is rethrown as is; the engine stays usable", () => {
    for (const threads of [1, 2]) {
      const engine = new BatchEngine(circuit.program(true), n, readout, scale, { threads });
      try {
        const boom = new Error("bad label");
        expect(() =>
          poolMean(engine, circuit, params, inputs, (z, b) => {
            if (b === 5) throw boom;
            return loss(z, b);
          }),
        ).toThrow(boom);
        const ref = serialReference(circuit, params, inputs, readout, scale, labels);
        expectSerialGrad(poolMean(engine, circuit, params, inputs, loss).grad, ref.grad);
      } finally {
        engine.dispose();
      }
    }
  });

  it("a different engine may run inside sampleLoss (e.g. a teacher's logits)", () => {
    const student = new BatchEngine(circuit.program(true), n, readout, scale, { threads: 2 });
    const teacherCircuit = hardwareEfficientAnsatz({ nQubits: n, nLayers: 1 });
    const teacherParams = new Float64Array(teacherCircuit.nParams).fill(0.3);
    const teacher = new BatchEngine(teacherCircuit.program(true), n, readout, 1, { threads: 2 });
    try {
      const ref = serialReference(circuit, params, inputs, readout, scale, labels);
      const out = poolMean(student, circuit, params, inputs, (z, b) => {
        poolForward(teacher, teacherCircuit, teacherParams, [inputs[b]]);
        return loss(z, b);
      });
      expectSerialGrad(out.grad, ref.grad);
    } finally {
      student.dispose();
      teacher.dispose();
    }
  });
});

describe("input cotangents λ_in = U†λ (for ∂L/∂input amplitudes)", () => {
  /** Serial reference: adjointGradient's inputCotangent with the weighted observable Σ_k w_k Z_k. */
  function serialLam(x: Statevector, w: Float64Array): Statevector {
    const lam = Statevector.zero(n);
    adjointGradient(circuit, params, x, weightedZCotangent(readout, w), { inputCotangent: lam });
    return lam;
  }
  const weightsOf = (z: Float64Array, b: number) => Float64Array.from(z, (v, k) => 0.3 * v + (b % 3) - k);
  const close = (a: Statevector, b: Statevector, tol: number) => {
    for (let i = 0; i < a.dim; i++) {
      expect(Math.abs(a.re[i] - b.re[i])).toBeLessThan(tol);
      expect(Math.abs(a.im[i] - b.im[i])).toBeLessThan(tol);
    }
  };

  for (const [threads, budget] of [
    [1, undefined],
    [2, undefined],
    [2, 5 * 16 * 2 ** n],
  ] as const) {
    it(`threads = ${threads}${budget ? ", chunks of 5" : ""}: the engine's λ_in equals adjointGradient's (bitwise on TS, 1e-13 on WASM); dAngles unchanged`, () => {
      const engine = new BatchEngine(circuit.program(true), n, readout, scale, {
        threads,
        nOccurrences: circuit.nOccurrences,
        ...(budget ? { memoryBudgetBytes: budget } : {}),
      });
      try {
        const angles = circuit.angles(params);
        const ws: Float64Array[] = [];
        const plain = engine
          .gradients(angles, inputs.slice(0, engine.maxChunk), (z, b) => (ws[b] = weightsOf(z, b)))
          .map((r) => r.slice());
        const lams = inputs.slice(0, engine.maxChunk).map(() => Statevector.zero(n));
        const rows = engine.gradients(angles, inputs.slice(0, engine.maxChunk), (z, b) => weightsOf(z, b), {
          inputCotangents: lams,
        });
        rows.forEach((r, b) => expect(bits(r)).toEqual(bits(plain[b])));
        lams.forEach((l, b) => {
          const ref = serialLam(inputs[b], ws[b]);
          if (activeBackend() === "ts") {
            expect(bits(l.re)).toEqual(bits(ref.re));
            expect(bits(l.im)).toEqual(bits(ref.im));
          } else close(l, ref, 1e-13);
        });
        // a call without input cotangents after one with them: same rows
        const again = engine.gradients(angles, inputs.slice(0, engine.maxChunk), (z, b) => weightsOf(z, b));
        again.forEach((r, b) => expect(bits(r)).toEqual(bits(plain[b])));
        expect(() =>
          engine.gradients(angles, inputs.slice(0, 2), (z, b) => weightsOf(z, b), {
            inputCotangents: [Statevector.zero(n)],
          }),
        ).toThrow(/inputCotangents must be 2 statevectors of 8 qubits/);
      } finally {
        engine.dispose();
      }
    });
  }

  it.skipIf(!getWasmKernels())(
    "ProgramRunner.gradient's inputCotangent: bitwise adjointGradient's without checkpoints, 1e-13 with them",
    () => {
      const saved = activeBackend();
      setBackend("wasm");
      try {
        const w = Float64Array.of(0.5, -1.25, 2);
        const ref = serialLam(inputs[3], w);
        for (const checkpointBytes of [0, undefined]) {
          const r = ProgramRunner.create(
            circuit.program(true),
            n,
            circuit.nOccurrences,
            readout,
            checkpointBytes === 0 ? { checkpointBytes: 0 } : {},
          )!;
          r.setAngles(circuit.angles(params));
          r.expectations(inputs[3].re, inputs[3].im);
          const lam = Statevector.zero(n);
          r.gradient(w, new Float64Array(circuit.nOccurrences), lam);
          if (checkpointBytes === 0) {
            expect(bits(lam.re)).toEqual(bits(ref.re));
            expect(bits(lam.im)).toEqual(bits(ref.im));
          } else close(lam, ref, 1e-13);
          r.expectations(inputs[3].re, inputs[3].im);
          expect(() => r.gradient(w, new Float64Array(circuit.nOccurrences), Statevector.zero(n - 1))).toThrow(
            /inputCotangent must have 256 amplitudes/,
          );
        }
      } finally {
        setBackend(saved === "ts" && process.env.QNN_KD_BACKEND === "ts" ? "ts" : "auto");
      }
    },
  );

  it("adjointGradient rejects an inputCotangent of the wrong size", () => {
    expect(() =>
      adjointGradient(circuit, params, inputs[0], weightedZCotangent(readout, [1, 1, 1]), {
        inputCotangent: Statevector.zero(n - 1),
      }),
    ).toThrow(/inputCotangent must have 256 amplitudes, got 128/);
  });
});
