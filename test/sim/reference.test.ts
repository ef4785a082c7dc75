// The benchmark's plain reference simulator must compute the same numbers as the optimised path, or its
// timings mean nothing.
import { describe, expect, it } from "vitest";
import { Statevector, adjointGradient, hardwareEfficientAnsatz, param } from "qnn-kd";
import { weightedZCotangent } from "qnn-kd/sim";
import { referenceForward, referenceGradient } from "../../bench/reference";
import { Rng } from "../../src/util/rng";

describe("bench reference kernels", () => {
  it("agree with the fused kernels on forward and gradient", () => {
    const rng = new Rng(8);
    const c = hardwareEfficientAnsatz({ nQubits: 6, nLayers: 3 });
    c.crz(2, 4, param(5)).swap(0, 3).cz(1, 5);
    const params = Float64Array.from({ length: c.nParams }, () => rng.uniform(0, 6));
    const psi = Statevector.fromAmplitudes(
      Array.from({ length: 64 }, () => rng.normal()),
      Array.from({ length: 64 }, () => rng.normal()),
      { normalize: true },
    );
    const s = c.run(params, psi.clone());
    const r = psi.clone();
    referenceForward(c, params, r.re, r.im);
    for (let i = 0; i < 64; i++) expect(Math.abs(s.re[i] - r.re[i]) + Math.abs(s.im[i] - r.im[i])).toBeLessThan(1e-12);
    const g = adjointGradient(c, params, psi, weightedZCotangent([0, 3], [0.3, -0.8])).grad;
    const gr = referenceGradient(c, params, psi.re, psi.im, [0, 3], [0.3, -0.8]);
    for (let j = 0; j < g.length; j++) expect(Math.abs(g[j] - gr[j])).toBeLessThan(1e-12);
  });
});
