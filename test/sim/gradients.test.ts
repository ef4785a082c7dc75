// Adjoint differentiation against the parameter-shift rule (Yan et al. Eq. 5–6) against central finite
// differences: three independent routes to the same gradient.
import { describe, expect, it } from "vitest";
import { Circuit, Statevector, param, adjointGradient, parameterShiftJacobian, expectationZ, PauliSum } from "qnn-kd";
import { finiteDifferenceGradient, weightedZCotangent } from "qnn-kd/sim";
import { Rng } from "../../src/util/rng";
import { randomState } from "../helpers";

function randomCircuit(n: number, layers: number, rng: Rng): Circuit {
  const c = new Circuit(n);
  let k = 0;
  for (let l = 0; l < layers; l++) {
    for (let q = 0; q < n; q++) {
      c.rot(rng.int(3) as 0 | 1 | 2, q, param(k++));
      if (rng.random() < 0.5) c.rot(rng.int(3) as 0 | 1 | 2, q, param(k++));
      if (rng.random() < 0.3) c.h(q);
      if (rng.random() < 0.3) c.t(q);
    }
    for (let q = 0; q < n - 1; q++) c.cnot(q, q + 1);
    c.crx(rng.int(n - 1) + 1, 0, param(k++)).cz(0, n - 1);
    c.cry(0, 1, param(k++)).crz(1, 2, param(k++));
    // a shared parameter with scale and offset
    c.ry(n - 1, param(0, -0.5, 0.2));
  }
  return c;
}

describe("gradients agree: adjoint = parameter shift = finite differences", () => {
  for (const seed of [1, 2, 3]) {
    it(`random 4-qubit circuit, weighted ⟨Z⟩ loss (seed ${seed})`, () => {
      const rng = new Rng(seed);
      const n = 4;
      const c = randomCircuit(n, 3, rng);
      const params = Float64Array.from({ length: c.nParams }, () => rng.uniform(0, 2 * Math.PI));
      const psi = randomState(n, rng);
      const qubits = [0, 2, 3];
      const w = [0.7, -1.3, 0.4];
      const lossOf = (p: Float64Array) => {
        const z = expectationZ(c.run(p, psi.clone()), qubits);
        return w[0] * z[0] + w[1] * z[1] + w[2] * z[2];
      };
      for (const fuse of [true, false]) {
        const { value, grad } = adjointGradient(c, params, psi, weightedZCotangent(qubits, w), { fuse });
        expect(value).toBeCloseTo(lossOf(params), 12);
        const jac = parameterShiftJacobian(c, params, psi, (phi) => expectationZ(phi, qubits));
        const ps = jac.map((row) => w[0] * row[0] + w[1] * row[1] + w[2] * row[2]);
        const fd = finiteDifferenceGradient(lossOf, params, 1e-5);
        for (let j = 0; j < c.nParams; j++) {
          expect(Math.abs(grad[j] - ps[j])).toBeLessThan(1e-10);
          expect(Math.abs(grad[j] - fd[j])).toBeLessThan(1e-7);
        }
      }
    });
  }
  it("a Hamiltonian expectation through a custom cotangent λ = Hφ", () => {
    const rng = new Rng(11);
    const n = 3;
    const c = randomCircuit(n, 2, rng);
    const H = new PauliSum(n).add({ 0: "X", 1: "Y" }, 0.5).add({ 2: "Z" }, -1).add({ 0: "Y", 2: "X" }, 0.3);
    const params = Float64Array.from({ length: c.nParams }, () => rng.uniform(0, 2 * Math.PI));
    const psi = Statevector.zero(n);
    const { grad } = adjointGradient(c, params, psi, (phi, lam) => {
      H.apply(phi, lam);
      return H.expectation(phi);
    });
    const fd = finiteDifferenceGradient((p) => H.expectation(c.run(p)), params, 1e-5);
    for (let j = 0; j < c.nParams; j++) expect(Math.abs(grad[j] - fd[j])).toBeLessThan(1e-7);
  });
  it("accumulates into a given gradient buffer and leaves the input state untouched", () => {
    const c = new Circuit(2).ry(0, param(0)).cnot(0, 1);
    const psi = Statevector.zero(2);
    const g = new Float64Array([10]);
    adjointGradient(c, [0.3], psi, weightedZCotangent([1], [1]), { grad: g });
    // ⟨Z_1⟩ = cos θ → d/dθ = −sin θ
    expect(g[0]).toBeCloseTo(10 - Math.sin(0.3), 12);
    expect(psi.re[0]).toBe(1);
  });
});

describe("expectationGradient: three routes, one gradient; gradientVariance against closed forms", () => {
  it("adjoint = parameter shift = finite differences for a weighted ⟨Z⟩ sum on a hardware-efficient circuit", async () => {
    const { hardwareEfficientAnsatz, initParams, expectationGradient } = await import("qnn-kd");
    const c = hardwareEfficientAnsatz({ nQubits: 4, nLayers: 2 });
    const th = initParams(c.nParams, 3),
      psi = randomState(4, new Rng(3));
    const a = expectationGradient(c, th, psi, [0, 2], "adjoint", [0.5, -1.5]);
    const p = expectationGradient(c, th, psi, [0, 2], "parameter-shift", [0.5, -1.5]);
    const f = expectationGradient(c, th, psi, [0, 2], "finite-difference", [0.5, -1.5]);
    for (let k = 0; k < a.length; k++) {
      expect(p[k]).toBeCloseTo(a[k], 12);
      expect(f[k]).toBeCloseTo(a[k], 8);
    }
  });
  it("one qubit: ∂⟨Z⟩/∂θ of RX(θ)|0⟩ is −sin θ by every route; timing returns the same gradient", async () => {
    const { expectationGradient } = await import("qnn-kd");
    const { timeExpectationGradient, GRADIENT_METHODS } = await import("qnn-kd/sim");
    const c = new Circuit(1, 1).rx(0, param(0));
    for (const m of GRADIENT_METHODS) {
      expect(expectationGradient(c, [0.7], Statevector.zero(1), [0], m)[0]).toBeCloseTo(-Math.sin(0.7), 9);
      const t = timeExpectationGradient(c, [0.7], Statevector.zero(1), [0], m, 2);
      expect(t.grad[0]).toBeCloseTo(-Math.sin(0.7), 9);
      expect(t.medianMs).toBeGreaterThanOrEqual(0);
    }
  });
  it("gradientVariance: Var[∂ cos θ] = ½ and Var[∂ cos a cos b / ∂a] = ¼ over U[0, 2π) (closed forms), seeded", async () => {
    const { gradientVariance } = await import("qnn-kd/sim");
    const one = new Circuit(1, 1).ry(0, param(0));
    const r = gradientVariance(one, Statevector.zero(1), weightedZCotangent([0], [1]), { samples: 4000, seed: 1 });
    expect(r.variance[0]).toBeGreaterThan(0.5 - 0.04);
    expect(r.variance[0]).toBeLessThan(0.5 + 0.04);
    expect(Math.abs(r.mean[0])).toBeLessThan(0.05);
    // RY(a) then RY(b) on the same qubit: ⟨Z⟩ = cos(a + b); ∂a = −sin(a + b), variance ½; on two qubits with CNOT
    // ⟨Z_1⟩ = cos a cos b: ∂a = −sin a cos b, variance E[sin²]E[cos²] = ¼
    const two = new Circuit(2, 2).ry(0, param(0)).ry(1, param(1)).cnot(0, 1);
    const r2 = gradientVariance(two, Statevector.zero(2), weightedZCotangent([1], [1]), { samples: 4000, seed: 2 });
    expect(r2.variance[0]).toBeGreaterThan(0.25 - 0.03);
    expect(r2.variance[0]).toBeLessThan(0.25 + 0.03);
    expect(
      gradientVariance(two, Statevector.zero(2), weightedZCotangent([1], [1]), { samples: 10, seed: 2 }).variance,
    ).toEqual(
      gradientVariance(two, Statevector.zero(2), weightedZCotangent([1], [1]), { samples: 10, seed: 2 }).variance,
    );
  });
  it("rejects an unknown method, empty qubits, bad options", async () => {
    const { expectationGradient } = await import("qnn-kd");
    const { gradientVariance } = await import("qnn-kd/sim");
    const c = new Circuit(1, 1).rx(0, param(0));
    expect(() => expectationGradient(c, [0], Statevector.zero(1), [0], "backprop" as never)).toThrow(
      /method must be one of .*got "backprop"/,
    );
    expect(() => expectationGradient(c, [0], Statevector.zero(1), [])).toThrow(/qubits must be a non-empty array/);
    expect(() => gradientVariance(c, Statevector.zero(1), weightedZCotangent([0], [1]), { samples: 1 })).toThrow(
      /samples must be an integer >= 2, got 1/,
    );
    expect(() => gradientVariance(c, Statevector.zero(1), weightedZCotangent([0], [1]), { shots: 3 } as never)).toThrow(
      /unknown option "shots"/,
    );
  });
});
