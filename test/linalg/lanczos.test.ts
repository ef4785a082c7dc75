// The Lanczos eigensolver on its own (linalg/lanczos.ts): a matrix-free operator with a known spectrum. Its use on
// Pauli sums (groundState, sectors, bad options) is tested in test/sim/groundState.test.ts.
import { describe, expect, it } from "vitest";
import { lanczosGroundState } from "../../src/linalg/lanczos";

describe("lanczosGroundState", () => {
  it("lanczosGroundState with a matrix-free operator: diag(√(i+1) − 3), lowest −2, real and complex modes", () => {
    const dim = 200;
    const diag = Float64Array.from({ length: dim }, (_, i) => Math.sqrt(i + 1) - 3);
    const apply = (ir: Float64Array, ii: Float64Array, or: Float64Array, oi: Float64Array) => {
      for (let i = 0; i < dim; i++) {
        or[i] = diag[i] * ir[i];
        oi[i] = diag[i] * ii[i];
      }
    };
    for (const real of [true, false]) {
      const r = lanczosGroundState(apply, dim, { real, seed: 5 });
      expect(r.energy).toBeCloseTo(-2, 10);
      expect(Math.hypot(r.stateRe[0], r.stateIm[0])).toBeCloseTo(1, 9);
      expect(r.residual).toBeLessThanOrEqual(1e-10);
      if (real) expect(r.stateIm.every((v) => v === 0)).toBe(true);
    }
  });
});
