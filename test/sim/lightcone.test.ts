// Light-cone simulation of product-state inputs: the cone's size against the count worked out by hand for the
// hardware-efficient ansatz, and the classifier's logits and gradients on ProductState inputs against the full
// 2^n statevector route (no reduction), on circuits with every gate kind and readouts at either end.
import { describe, expect, it } from "vitest";
import { Circuit, ProductState, QNNClassifier, hardwareEfficientAnsatz, phaseEncode, param } from "qnn-kd";
import { lightCone } from "qnn-kd/sim";
import { phaseEncodeProduct } from "qnn-kd/qnn";
import { Rng } from "../../src/util/rng";
import { ce } from "../helpers";

function randomProduct(n: number, rng: Rng): ProductState {
  return new ProductState(
    Array.from({ length: n }, () => {
      const v = [rng.normal(), rng.normal(), rng.normal(), rng.normal()];
      const s = Math.hypot(...v);
      return v.map((x) => x / s);
    }),
  );
}

/** Logits and mean cross-entropy gradient of `model` on product inputs, and the same on their full statevectors. */
function bothRoutes(model: QNNClassifier, inputs: ProductState[], labels: number[]) {
  const full = inputs.map((x) => x.toStatevector());
  const loss = (z: Float64Array, b: number) => ce(z, labels[b]);
  return {
    cone: { logits: model.logitsBatch(inputs), lg: model.lossAndGradient(inputs, loss) },
    full: { logits: model.logitsBatch(full), lg: model.lossAndGradient(full, loss) },
  };
}

function expectSame(r: ReturnType<typeof bothRoutes>) {
  r.cone.logits.forEach((z, b) => z.forEach((v, k) => expect(v).toBeCloseTo(r.full.logits[b][k], 12)));
  expect(r.cone.lg.loss).toBeCloseTo(r.full.lg.loss, 12);
  expect(r.cone.lg.grad.length).toBe(r.full.lg.grad.length);
  r.cone.lg.grad.forEach((g, i) => expect(g).toBeCloseTo(r.full.lg.grad[i], 12));
}

describe("ProductState", () => {
  it("expands to the Kronecker product, little-endian, and to any listed subset of qubits", () => {
    const p = new ProductState([
      [1, 0, 0, 0],
      [0, 0, 0, 1],
      [Math.SQRT1_2, 0, -Math.SQRT1_2, 0],
    ]); // |0⟩, i|1⟩, |−⟩
    const s = p.toStatevector();
    // index = b0 + 2 b1 + 4 b2: nonzero at b1 = 1, i.e. indices 2 (b2 = 0) and 6 (b2 = 1): i/√2 and −i/√2
    expect(Array.from(s.re)).toEqual(new Array(8).fill(0).map(() => expect.closeTo(0, 15)));
    expect(s.im[2]).toBeCloseTo(Math.SQRT1_2, 15);
    expect(s.im[6]).toBeCloseTo(-Math.SQRT1_2, 15);
    const sub = p.toStatevector([2, 0]); // qubit 2 becomes 0, qubit 0 becomes 1: |−⟩ ⊗ |0⟩ → indices 0, 1
    expect(Array.from(sub.re)).toEqual([Math.SQRT1_2, -Math.SQRT1_2, 0, 0].map((v) => expect.closeTo(v, 15)));
    expect(phaseEncodeProduct([1, 0, 1]).toStatevector().re).toEqual(phaseEncode([1, 0, 1]).re);
  });
  it("rejects bad qubits and bad subsets with the offending value", () => {
    expect(() => new ProductState([])).toThrow(/non-empty/);
    expect(() => new ProductState([[1, 0, 1, 0]])).toThrow(/qubit 0 is not normalised \(\|a\|² \+ \|b\|² = 2/);
    expect(() => new ProductState([[1, 0, 0]])).toThrow(/qubit 0 must be \[Re a, Im a, Re b, Im b\]/);
    expect(() => new ProductState([[1, 0, NaN, 0]])).toThrow(/non-finite/);
    const p = phaseEncodeProduct([0, 1]);
    expect(() => p.toStatevector([0, 2])).toThrow(/qubit 2 is not a qubit of this 2-qubit state/);
    expect(() => p.toStatevector([1, 1])).toThrow(/qubit 1 is listed twice/);
  });
});

describe("lightCone", () => {
  it("covers min(n, L + 2) qubits for the chain ansatz read out on qubits 0 and 1, all of them on the last two", () => {
    // by hand: each layer's CNOT chain 0→1→…, walked backwards, adds the qubit just above the support
    for (const [n, L] of [
      [15, 1],
      [15, 4],
      [15, 8],
      [15, 10],
      [15, 13],
      [15, 14],
      [6, 3],
    ]) {
      const c = hardwareEfficientAnsatz({ nQubits: n, nLayers: L });
      const lc = lightCone(c, [0, 1]);
      expect(lc.qubits).toEqual(Array.from({ length: Math.min(n, L + 2) }, (_, q) => q));
      expect(lc.circuit.nParams).toBe(c.nParams);
      expect(lc.observables).toEqual([0, 1]);
      expect(lightCone(c, [n - 2, n - 1]).qubits.length).toBe(n);
    }
  });
  it("drops gates outside the cone and relabels the kept ones", () => {
    const c = new Circuit(5).h(4).cnot(3, 4).rx(0, param(0)).cnot(0, 2).ry(2, param(1)).cz(1, 3);
    const lc = lightCone(c, [2]);
    // backwards from {2}: cz(1,3) dropped, ry(2) kept, cnot(0,2) kept → {0,2}, rx(0) kept, cnot(3,4) and h(4) dropped
    expect(lc.qubits).toEqual([0, 2]);
    expect(lc.keptGates).toBe(3);
    expect(lc.totalGates).toBe(6);
    expect(lc.observables).toEqual([1]);
    expect(lc.circuit.ops.map((o) => o.kind)).toEqual(["rot", "cnot", "rot"]);
    expect(() => lightCone(c, [5])).toThrow(/observable qubit 5 is not a qubit of this 5-qubit circuit/);
    expect(() => lightCone(c, [])).toThrow(/non-empty/);
  });
});

describe("QNNClassifier on product states (light cone)", () => {
  const rng = new Rng(7);
  it.each([
    ["chain, readout [0, 1]", { entangler: "chain" as const }, [0, 1]],
    ["chain, readout [4, 2] (middle)", { entangler: "chain" as const }, [4, 2]],
    ["chain, readout [-2, -1] (no reduction)", { entangler: "chain" as const }, [6, 7]],
    ["ring, readout [0, 1]", { entangler: "ring" as const }, [0, 1]],
    ["cz-ring, readout [0, 1]", { entangler: "cz-ring" as const }, [0, 1]],
    ["no entangler, readout [3, 5]", { entangler: "none" as const }, [3, 5]],
  ])("gives the full simulation's logits and gradients: %s", (_name, ansatz, readout) => {
    const model = QNNClassifier.hardwareEfficient({
      nQubits: 8,
      nLayers: 3,
      ...ansatz,
      readout,
      seed: 3,
      logitScale: 2,
    });
    const inputs = Array.from({ length: 6 }, () => randomProduct(8, rng));
    inputs.push(inputs[1]); // a duplicate object
    expectSame(bothRoutes(model, inputs, [0, 1, 1, 0, 1, 0, 1]));
    expect(model.expectations(inputs[2])[0]).toBeCloseTo(model.expectations(inputs[2].toStatevector())[0], 12);
  });
  it("handles controlled rotations, fixed gates and swaps, three classes, and the worker-pool batch path", () => {
    const n = 11;
    const c = hardwareEfficientAnsatz({ nQubits: n, nLayers: 2 });
    c.crx(3, 4, param(0, 0.5))
      .swap(4, 6)
      .unitary(6, [0, 0, 1, 0, 1, 0, 0, 0], [], "x")
      .cry(6, 5, param(1))
      .crz(2, 3, param(2, -1, 0.3));
    const model = new QNNClassifier({ circuit: c, readout: [5, 3, 4], seed: 5 });
    expect(lightCone(c, [5, 3, 4]).qubits.length).toBeGreaterThanOrEqual(9); // large enough for the parallel path
    const inputs = Array.from({ length: 16 }, () => randomProduct(n, rng));
    expectSame(
      bothRoutes(
        model,
        inputs,
        inputs.map((_, b) => b % 3),
      ),
    );
  });
  it("mixes product states with full statevectors in one batch", () => {
    const model = QNNClassifier.hardwareEfficient({ nQubits: 6, nLayers: 2, seed: 1 });
    const p = randomProduct(6, rng);
    const z = model.logitsBatch([p, p.toStatevector()]);
    expect(z[0][0]).toBeCloseTo(z[1][0], 12);
    expect(() => model.logitsBatch([randomProduct(5, rng)])).toThrow(
      /input product state has 5 qubits but the model has 6/,
    );
  });
});
