// Adjoint differentiation against the parameter-shift rule (Yan et al. Eq. 5–6) against central finite
// differences: three independent routes to the same gradient.
import { describe, expect, it } from "vitest";
import { Circuit, Statevector, param, adjointGradient, parameterShiftJacobian, finiteDifferenceGradient, weightedZCotangent, expectationZ, PauliSum } from "qnn-kd";
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
