// QuantumLayer: forward against hand-derived expectation values, any-width readout, parameter and input
// gradients against central finite differences on the amplitudes (real and imaginary parts) for every execution
// strategy (serial TS, WASM per-gate, whole-program runner, worker pool, ensembles, product states on the light
// cone), JSON round trips (bit-identical logits), and bad inputs.
//
// The worker pool and the runner path run the COMPILED dist/ (npm run build first).
import { afterAll, describe, expect, it } from "vitest";
import {
  Circuit,
  Statevector,
  QNNClassifier,
  QuantumLayer,
  ProductState,
  hardwareEfficientAnsatz,
  param,
  setBackend,
} from "qnn-kd";
import { phaseEncodeProduct } from "qnn-kd/qnn";
import { circuitToJSON, circuitFromJSON, finiteDifferenceGradient, activeBackend } from "qnn-kd/sim";
import type { InputGradient } from "qnn-kd/qnn";
import type { SampleLoss } from "qnn-kd";
import type { QuantumInput } from "qnn-kd";
import { coreCount } from "../../src/parallel/pool";
import { disposeBatchEngines, usePool } from "../../src/qnn/execution/pool";
import { getWasmKernels } from "../../src/sim/backends/wasm";
import { Rng } from "../../src/util/rng";
import { randomState, ce } from "../helpers";

afterAll(() => disposeBatchEngines());

const bits = (a: Float64Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length * 2));
const wasm = !!getWasmKernels();
const backends: ("ts" | "wasm")[] = wasm ? ["ts", "wasm"] : ["ts"];

/** Runs f with QNN_KD_THREADS and (when given) the back end of this thread set; restores both afterwards. */
function withEnv<T>(threads: string | undefined, backend: "ts" | "wasm" | null, f: () => T): T {
  const saved = process.env.QNN_KD_THREADS;
  if (threads === undefined) delete process.env.QNN_KD_THREADS;
  else process.env.QNN_KD_THREADS = threads;
  if (backend) setBackend(backend);
  try {
    return f();
  } finally {
    if (saved === undefined) delete process.env.QNN_KD_THREADS;
    else process.env.QNN_KD_THREADS = saved;
    setBackend(process.env.QNN_KD_BACKEND === "ts" ? "ts" : "auto");
  }
}

/** A nonlinear per-sample loss of the outputs: L_b = Σ_j c_{b,j} y_j + ½ y_0², with fixed coefficients. */
function testLoss(
  k: number,
  batch: number,
  seed: string,
): { loss: SampleLoss; value: (y: Float64Array, b: number) => number } {
  const rng = new Rng(seed);
  const c = Array.from({ length: batch }, () => Float64Array.from({ length: k }, () => rng.uniform(-1, 1)));
  const value = (y: Float64Array, b: number) => y.reduce((s, v, j) => s + c[b][j] * v, 0) + 0.5 * y[0] * y[0];
  const loss: SampleLoss = (y, b) => {
    const d = Float64Array.from(c[b]);
    d[0] += y[0];
    return { loss: value(y, b), dLogits: d };
  };
  return { loss, value };
}

/**
 * Checks a pure-state input gradient against central differences of L_b(ψ) (forwardOne on the perturbed,
 * unnormalised state: an independent route) on `coords` amplitude indices, real and imaginary parts.
 */
function checkStateGradient(
  layer: QuantumLayer,
  x: Statevector,
  g: InputGradient,
  Lb: (y: Float64Array) => number,
  coords: number[],
  tol: number,
) {
  expect(g.kind).toBe("statevector");
  if (g.kind !== "statevector") return;
  const h = 1e-6;
  for (const i of coords) {
    for (const part of ["re", "im"] as const) {
      const v = x.clone();
      v[part][i] += h;
      const fp = Lb(layer.forwardOne(v));
      v[part][i] -= 2 * h;
      const fm = Lb(layer.forwardOne(v));
      expect(Math.abs(g[part][i] - (fp - fm) / (2 * h))).toBeLessThan(tol);
    }
  }
}

describe("QuantumLayer forward", () => {
  it("equals the hand-derived expectation values of RY(a)⊗·, CNOT, RX(b) on |00⟩ (⟨Z0⟩ = cos a, ⟨Z1⟩ = cos a cos b)", () => {
    // RY(a) on qubit 0 then CNOT(0→1): cos(a/2)|00⟩ + sin(a/2)|11⟩; qubit 1's reduced state is diagonal, so RX(b)
    // on it gives ⟨Z1⟩ = cos b·(cos²(a/2) − sin²(a/2)) = cos a·cos b; qubit 0 is untouched by RX: ⟨Z0⟩ = cos a
    const c = new Circuit(2).ry(0, param(0)).cnot(0, 1).rx(1, param(1));
    const a = 0.7,
      b = -1.9;
    const layer = new QuantumLayer({ circuit: c, readout: [1, 0], params: [a, b] });
    const y = layer.forward([Statevector.zero(2), Statevector.zero(2)]);
    expect(y.length).toBe(2);
    expect(y[0][0]).toBeCloseTo(Math.cos(a) * Math.cos(b), 14);
    expect(y[0][1]).toBeCloseTo(Math.cos(a), 14);
    expect(Array.from(y[1])).toEqual(Array.from(y[0]));
    // outputScale multiplies
    const y2 = layer.forward([Statevector.zero(2)], { outputScale: 3 });
    expect(y2[0][1]).toBeCloseTo(3 * Math.cos(a), 14);
  });

  it("any width: one readout qubit, or three in any order (not tied to a number of classes)", () => {
    const rng = new Rng("width");
    const circuit = hardwareEfficientAnsatz({ nQubits: 4, nLayers: 2 });
    const x = randomState(4, rng);
    const full = new QuantumLayer({ circuit, readout: [0, 1, 2, 3], seed: 3 });
    const yFull = full.forwardOne(x);
    const one = new QuantumLayer({ circuit, readout: [2], params: full.params });
    expect(one.nOutputs).toBe(1);
    expect(one.forward([x])[0][0]).toBeCloseTo(yFull[2], 14);
    const three = new QuantumLayer({ circuit, readout: [3, 0, 2], params: full.params });
    const y3 = three.forward([x, x, randomState(4, rng)]);
    expect(y3.map((r) => r.length)).toEqual([3, 3, 3]);
    expect(Array.from(y3[0])).toEqual([yFull[3], yFull[0], yFull[2]].map((v) => expect.closeTo(v, 14)));
  });
});

describe("QuantumLayer backward: parameter gradient", () => {
  it("sum and mean reductions, array and callback upstream, against finite differences on params", () => {
    const rng = new Rng("pgrad");
    const layer = new QuantumLayer({
      circuit: hardwareEfficientAnsatz({ nQubits: 3, nLayers: 2 }),
      readout: [0, 2, 1],
      seed: 2,
    });
    const inputs: QuantumInput[] = [
      randomState(3, rng),
      { weights: Float64Array.of(0.8, 0.2), states: [randomState(3, rng), randomState(3, rng)] },
      randomState(3, rng),
    ];
    const { loss, value } = testLoss(3, 3, "pgrad-loss");
    const sum = layer.backward(inputs, loss);
    const p0 = layer.params.slice();
    const total = (p: Float64Array) => {
      layer.params = p;
      const l = layer.forward(inputs).reduce((s, y, b) => s + value(y, b), 0);
      layer.params = p0;
      return l;
    };
    expect(sum.loss).toBeCloseTo(total(p0), 12);
    const fd = finiteDifferenceGradient(total, p0, 1e-5);
    for (let j = 0; j < fd.length; j++) expect(Math.abs(sum.grad[j] - fd[j])).toBeLessThan(1e-7);
    const mean = layer.backward(inputs, loss, { reduction: "mean" });
    expect(mean.loss).toBeCloseTo(sum.loss / 3, 13);
    for (let j = 0; j < fd.length; j++) expect(mean.grad[j]).toBeCloseTo(sum.grad[j] / 3, 13);
    // array upstream: ∂L/∂y from the callback at the forward outputs gives the same gradient
    const y = layer.forward(inputs);
    const arr = layer.backward(
      inputs,
      y.map((yb, b) => loss(yb, b).dLogits),
    );
    expect(arr.loss).toBe(0);
    for (let j = 0; j < fd.length; j++) expect(arr.grad[j]).toBeCloseTo(sum.grad[j], 13);
  });
});

describe("QuantumLayer backward: input gradients against finite differences on the amplitudes", () => {
  for (const backend of backends) {
    it(`serial path on the ${backend} back end (${backend === "ts" ? "TypeScript sweep" : "WASM per-gate sweep"}): pure states and ensembles`, () => {
      withEnv(undefined, backend, () => {
        expect(activeBackend()).toBe(backend);
        const rng = new Rng(`serial-${backend}`);
        const n = 3;
        const layer = new QuantumLayer({
          circuit: hardwareEfficientAnsatz({ nQubits: n, nLayers: 2 }),
          readout: [2, 0],
          seed: 5,
        });
        const ens = { weights: Float64Array.of(0.6, 0.4), states: [randomState(n, rng), randomState(n, rng)] };
        const inputs: QuantumInput[] = [randomState(n, rng), ens, randomState(n, rng)];
        const { loss, value } = testLoss(2, 3, "serial-loss");
        const r = layer.backward(inputs, loss, { inputGradients: true, outputScale: 1.5, reduction: "mean" });
        const g = r.inputGradients!;
        expect(g.length).toBe(3);
        // L = (1/B) Σ_b L_b(1.5·y_b): the gradient of sample b is that of L_b(1.5·y)/3
        const Lb = (b: number) => (y: Float64Array) =>
          value(
            y.map((v) => 1.5 * v),
            b,
          ) / 3;
        const all = Array.from({ length: 2 ** n }, (_, i) => i);
        checkStateGradient(layer, inputs[0] as Statevector, g[0], Lb(0), all, 1e-8);
        checkStateGradient(layer, inputs[2] as Statevector, g[2], Lb(2), all, 1e-8);
        // ensemble: per-member amplitudes (cotangent weighted by w_i) and the weights
        const ge = g[1];
        expect(ge.kind).toBe("ensemble");
        if (ge.kind !== "ensemble") return;
        const h = 1e-6;
        const ensLoss = (e: typeof ens) => Lb(1)(layer.forwardOne(e));
        for (let m = 0; m < 2; m++) {
          for (const part of ["re", "im"] as const) {
            for (const i of all) {
              const states = ens.states.map((s) => s.clone());
              states[m][part][i] += h;
              const fp = ensLoss({ weights: ens.weights, states });
              states[m][part][i] -= 2 * h;
              const fm = ensLoss({ weights: ens.weights, states });
              expect(Math.abs(ge.states[m][part][i] - (fp - fm) / (2 * h))).toBeLessThan(1e-8);
            }
          }
          const w = ens.weights.slice();
          w[m] += h;
          const fp = ensLoss({ weights: w, states: ens.states });
          w[m] -= 2 * h;
          const fm = ensLoss({ weights: w, states: ens.states });
          expect(Math.abs(ge.weights[m] - (fp - fm) / (2 * h))).toBeLessThan(1e-8);
        }
        // asking for input gradients does not change the parameter gradient
        const plain = layer.backward(inputs, loss, { outputScale: 1.5, reduction: "mean" });
        expect(bits(r.grad)).toEqual(bits(plain.grad));
      });
    });
  }

  // batch-engine strategies: ≥ 8 pure states on ≥ 9 qubits
  const n = 9,
    B = 8;
  const rng = new Rng("engine");
  const circuit = hardwareEfficientAnsatz({ nQubits: n, nLayers: 2 });
  const inputs = Array.from({ length: B }, () => randomState(n, rng));
  const { loss, value } = testLoss(3, B, "engine-loss");
  const readout = [0, 4, 8];
  const coords = [0, 1, 77, 300, 511];
  // the workers take the back end of their environment (QNN_KD_BACKEND): the suite's TS run covers TS workers
  const strategies: { name: string; threads: string; backend: "ts" | "wasm" | null; skip: boolean }[] = [
    {
      name: "whole-program WASM runner on the calling thread (1 thread)",
      threads: "1",
      backend: "wasm",
      skip: !wasm || process.env.QNN_KD_BACKEND === "ts",
    },
    {
      name: `worker pool (2 workers, ${process.env.QNN_KD_BACKEND === "ts" ? "TypeScript" : "default"} back end)`,
      threads: "2",
      backend: null,
      skip: coreCount() < 2,
    },
  ];
  for (const st of strategies) {
    it.skipIf(st.skip)(`${st.name}: input gradients equal finite differences and the serial route`, () => {
      withEnv(st.threads, st.backend, () => {
        expect(usePool(inputs, n)).toBe(true);
        const layer = new QuantumLayer({ circuit, readout, seed: 9 });
        const r = layer.backward(inputs, loss, { inputGradients: true });
        const g = r.inputGradients!;
        for (const b of [0, 5]) checkStateGradient(layer, inputs[b], g[b], (y) => value(y, b), coords, 1e-7);
        // serial route (batch of one per call: no engine) on the same back end
        for (let b = 0; b < B; b++) {
          const one = layer.backward([inputs[b]], (y) => loss(y, b), { inputGradients: true }).inputGradients![0];
          if (one.kind !== "statevector" || g[b].kind !== "statevector") throw new Error("kind");
          const gb = g[b] as { re: Float64Array; im: Float64Array };
          for (let i = 0; i < one.re.length; i++) {
            expect(Math.abs(gb.re[i] - one.re[i])).toBeLessThan(1e-12);
            expect(Math.abs(gb.im[i] - one.im[i])).toBeLessThan(1e-12);
          }
        }
        const plain = layer.backward(inputs, loss);
        expect(bits(r.grad)).toEqual(bits(plain.grad));
      });
    });
  }

  it("product states: on the light cone (outside qubits through their norm) and in a mixed batch, against differences through ⊗_q", () => {
    const rng2 = new Rng("product");
    const nq = 6;
    // one layer read out on qubit 0: the cone is qubits {0, 1}, so four qubits lie outside it
    const layer = new QuantumLayer({
      circuit: hardwareEfficientAnsatz({ nQubits: nq, nLayers: 1 }),
      readout: [0],
      seed: 4,
    });
    const randomQubit = () => {
      const v = [rng2.normal(), rng2.normal(), rng2.normal(), rng2.normal()];
      const s = Math.hypot(...v);
      return v.map((x) => x / s);
    };
    const amps = () => Array.from({ length: nq }, randomQubit);
    const ps = [new ProductState(amps()), new ProductState(amps()), phaseEncodeProduct([0, 1, 1, 0, 1, 0])];
    const { loss, value } = testLoss(1, 3, "product-loss");
    /** L_b through the full statevector ⊗_q (a_q|0⟩ + b_q|1⟩) of free (unnormalised) amplitudes. */
    const fullLoss = (a: Float64Array, b: number) => {
      let re = Float64Array.of(1),
        im = Float64Array.of(0);
      for (let q = 0; q < nq; q++) {
        const r2 = new Float64Array(2 * re.length),
          i2 = new Float64Array(2 * re.length);
        for (let i = 0; i < re.length; i++) {
          // bit q = 0 at index i, bit q = 1 at index i + 2^q
          r2[i] = re[i] * a[4 * q] - im[i] * a[4 * q + 1];
          i2[i] = re[i] * a[4 * q + 1] + im[i] * a[4 * q];
          r2[i + re.length] = re[i] * a[4 * q + 2] - im[i] * a[4 * q + 3];
          i2[i + re.length] = re[i] * a[4 * q + 3] + im[i] * a[4 * q + 2];
        }
        re = r2;
        im = i2;
      }
      return value(layer.forwardOne(new Statevector(nq, re, im)), b);
    };
    const check = (batch: QuantumInput[], productAt: number[]) => {
      const g = layer.backward(batch, loss, { inputGradients: true }).inputGradients!;
      for (const b of productAt) {
        const gb = g[b];
        expect(gb.kind).toBe("product");
        if (gb.kind !== "product") continue;
        const fd = finiteDifferenceGradient((a) => fullLoss(a, b), (batch[b] as ProductState).amps, 1e-6);
        for (let j = 0; j < fd.length; j++) expect(Math.abs(gb.amps[j] - fd[j])).toBeLessThan(1e-8);
      }
      return g;
    };
    check(ps, [0, 1, 2]);
    const mixed = check([ps[0], randomState(nq, rng2), ps[2]], [0, 2]);
    expect(mixed[1].kind).toBe("statevector");
  });
});

describe("JSON round trip", () => {
  it("QNNClassifier.fromJSON(toJSON()) gives the same logits bit for bit (pure, ensemble, product inputs; any circuit)", () => {
    const rng = new Rng("json");
    // a circuit with every gate kind: fixed gates (negative zeros in rz(0)'s matrix), controlled and shared
    // parameters with scale and offset, cz, swap, and nParams larger than the indices used
    const c = new Circuit(4, 9).h(0).rz(1, 0).t(2).unitary(3, [0, 0, 1, 0, 1, 0, -0, 0], [0], "cx-as-matrix");
    c.ry(0, param(0))
      .crx(0, 1, param(1, -0.5, 0.25))
      .rz(2, param(0, 2))
      .cz(1, 2)
      .swap(2, 3)
      .cnot(3, 0)
      .rx(3, param(7));
    const model = new QNNClassifier({ circuit: c, readout: [3, 1, 0], seed: 8, logitScale: 2.5, name: "round-trip" });
    const text = JSON.stringify(model.toJSON());
    const back = QNNClassifier.fromJSON(JSON.parse(text));
    expect(back.name).toBe("round-trip");
    expect(back.nParams).toBe(9);
    expect(back.logitScale).toBe(2.5);
    expect(Array.from(back.readout)).toEqual([3, 1, 0]);
    const inputs: QuantumInput[] = [
      randomState(4, rng),
      { weights: Float64Array.of(0.5, 0.5), states: [randomState(4, rng), randomState(4, rng)] },
    ];
    const a = model.logitsBatch(inputs),
      b = back.logitsBatch(inputs);
    for (let i = 0; i < a.length; i++) expect(bits(b[i])).toEqual(bits(a[i]));
    const prods = [phaseEncodeProduct([0, 1, 1, 0]), phaseEncodeProduct([1, 1, 0, 0])];
    const pa = model.logitsBatch(prods),
      pb = back.logitsBatch(prods);
    for (let i = 0; i < pa.length; i++) expect(bits(pb[i])).toEqual(bits(pa[i]));
    const la = model.lossAndGradient(inputs, (z, i) => ce(z, i % 3)),
      lb = back.lossAndGradient(inputs, (z, i) => ce(z, i % 3));
    expect(bits(lb.grad)).toEqual(bits(la.grad));
    // the serialiser is stable: the rebuilt circuit serialises to the same JSON (matrices keep their -0)
    expect(JSON.stringify(back.toJSON())).toBe(text);
    expect(JSON.stringify(circuitToJSON(circuitFromJSON(JSON.parse(JSON.stringify(circuitToJSON(c))))))).toBe(
      JSON.stringify(circuitToJSON(c)),
    );
  });

  it("hardware-efficient classifiers and layers round-trip; a trained model keeps its logits", () => {
    const rng = new Rng("json-hea");
    const model = QNNClassifier.hardwareEfficient({ nQubits: 5, nLayers: 3, seed: 1 });
    model.params[3] = -0;
    const x = randomState(5, rng);
    const back = QNNClassifier.fromJSON(JSON.parse(JSON.stringify(model)));
    expect(Object.is(back.params[3], -0)).toBe(true);
    expect(bits(back.logits(x))).toEqual(bits(model.logits(x)));
    const layer = new QuantumLayer({
      circuit: hardwareEfficientAnsatz({ nQubits: 3, nLayers: 1 }),
      readout: [2],
      seed: 4,
      name: "head",
    });
    const l2 = QuantumLayer.fromJSON(JSON.parse(JSON.stringify(layer)));
    expect(l2.name).toBe("head");
    const y = randomState(3, rng);
    expect(bits(l2.forwardOne(y))).toEqual(bits(layer.forwardOne(y)));
  });
});

describe("bad inputs", () => {
  const circuit = hardwareEfficientAnsatz({ nQubits: 3, nLayers: 1 });
  it("layer options and calls: errors name the bad value", () => {
    expect(() => new QuantumLayer({ circuit, readout: [0, 0] })).toThrow(/readout qubit 0 is listed twice/);
    expect(() => new QuantumLayer({ circuit, readout: [] })).toThrow(
      /readout must be a non-empty array of qubit indices, got \[\]/,
    );
    expect(() => new QuantumLayer({ circuit, readout: [3] })).toThrow(/readout qubit 3 is out of range; allowed 0..2/);
    expect(() => new QuantumLayer({ circuit, readout: [0], lr: 1 } as never)).toThrow(/unknown option "lr"/);
    expect(() => new QuantumLayer({ circuit, readout: [0], params: [1, 2] })).toThrow(/expected 9 parameters, got 2/);
    expect(() => new QNNClassifier({ circuit, readout: [1, 1] })).toThrow(/readout qubit 1 is listed twice/);
    const layer = new QuantumLayer({ circuit, readout: [0, 1] });
    const x = Statevector.zero(3);
    expect(() => layer.forward([Statevector.zero(2)])).toThrow(
      /QuantumLayer.forward: input state has 2 qubits but the model has 3/,
    );
    expect(() => layer.forward([{ foo: 1 } as never])).toThrow(
      /input must be a Statevector, a ProductState or an Ensemble/,
    );
    expect(() => layer.backward([x, x], [new Float64Array(2), new Float64Array(3)])).toThrow(
      /upstream\[1\] must have 2 entries, got 3/,
    );
    expect(() => layer.backward([x], [new Float64Array(2), new Float64Array(2)])).toThrow(/array of 1 gradients/);
    expect(() => layer.backward([x], () => ({ loss: 0, dLogits: [1] }))).toThrow(
      /returned 1 output gradients, expected 2/,
    );
    expect(() => layer.backward([], () => ({ loss: 0, dLogits: [1, 1] }))).toThrow(
      /non-empty array, got an empty array/,
    );
    expect(() => layer.backward([x], [new Float64Array(2)], { reduction: "avg" as never })).toThrow(
      /reduction must be "sum" or "mean", got "avg"/,
    );
    expect(() => layer.backward([x], [new Float64Array(2)], { inputGradient: true } as never)).toThrow(
      /unknown option "inputGradient"/,
    );
    expect(() => layer.forward([x], { outputScale: -1 })).toThrow(/outputScale must be a finite number > 0, got -1/);
  });

  it("JSON: wrong format, version, gate kind, qubit or number are quoted", () => {
    const j = JSON.parse(JSON.stringify(circuitToJSON(new Circuit(2).h(0).rx(1, param(0)).cnot(0, 1))));
    expect(() => circuitFromJSON({ ...j, format: "qiskit" })).toThrow(/format must be "qnn-kd\/circuit", got "qiskit"/);
    expect(() => circuitFromJSON({ ...j, version: 2 })).toThrow(/unsupported version 2/);
    expect(() => circuitFromJSON({ ...j, ops: [{ kind: "toffoli" }] })).toThrow(
      /ops\[0\]\.kind must be one of "fixed", "rot", "cnot", "cz", "swap", "channel", got "toffoli"/,
    );
    expect(() => circuitFromJSON({ ...j, ops: [j.ops[0], j.ops[1], { kind: "cnot", control: 0, target: 5 }] })).toThrow(
      /ops\[2\] \(cnot\): cnot: qubit 5 is out of range/,
    );
    const badMatrix = { ...j.ops[0], matrix: [1, 0, 0, 0, 0, 0, null, 0] };
    expect(() => circuitFromJSON({ ...j, ops: [badMatrix] })).toThrow(
      /ops\[0\]\.matrix\[6\] must be a finite number, got null/,
    );
    expect(() => circuitFromJSON({ ...j, ops: [{ ...j.ops[1], axis: 3 }] })).toThrow(
      /ops\[0\]\.axis must be 0 \(X\), 1 \(Y\) or 2 \(Z\), got 3/,
    );
    expect(() => circuitFromJSON({ ...j, nParams: 0, ops: [j.ops[1]] })).toThrow(
      /nParams is 0 but the gates use parameter indices up to 0/,
    );
    expect(() => circuitFromJSON("circuit")).toThrow(/expected an object, got "circuit"/);
    const m = QNNClassifier.hardwareEfficient({ nQubits: 2, nLayers: 1 }).toJSON();
    expect(() => QNNClassifier.fromJSON({ ...m, format: "qnn-kd/QuantumLayer" })).toThrow(
      /format must be "qnn-kd\/QNNClassifier", got "qnn-kd\/QuantumLayer"/,
    );
    expect(() => QNNClassifier.fromJSON({ ...m, params: [1, "x"] })).toThrow(
      /params\[1\] must be a finite number, got "x"/,
    );
    expect(() => QNNClassifier.fromJSON({ ...m, nQubits: 3 })).toThrow(/nQubits is 3 but the circuit has 2 qubits/);
    expect(() => QuantumLayer.fromJSON({ ...m })).toThrow(/format must be "qnn-kd\/QuantumLayer"/);
  });
});
