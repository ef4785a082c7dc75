import { describe, expect, it } from "vitest";
import { densityEnsemble, eigHermitian } from "../../src/linalg/eigen";
import { Rng } from "../../src/util/rng";

/** Random Hermitian matrix (row-major re/im), entries standard normal. */
function randomHermitian(dim: number, rng: Rng, real = false): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(dim * dim),
    im = new Float64Array(dim * dim);
  for (let j = 0; j < dim; j++) {
    re[j * dim + j] = rng.normal();
    for (let k = j + 1; k < dim; k++) {
      const a = rng.normal(),
        b = real ? 0 : rng.normal();
      re[j * dim + k] = a;
      re[k * dim + j] = a;
      im[j * dim + k] = b;
      im[k * dim + j] = -b;
    }
  }
  return { re, im };
}

/** Complex matrix product C = A·B (row-major). */
function matmul(n: number, ar: Float64Array, ai: Float64Array, br: Float64Array, bi: Float64Array) {
  const cr = new Float64Array(n * n),
    ci = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const xr = ar[i * n + k],
        xi = ai[i * n + k];
      for (let j = 0; j < n; j++) {
        cr[i * n + j] += xr * br[k * n + j] - xi * bi[k * n + j];
        ci[i * n + j] += xr * bi[k * n + j] + xi * br[k * n + j];
      }
    }
  return { re: cr, im: ci };
}

/** max_k ‖H v_k − λ_k v_k‖ and max |⟨v_j, v_k⟩ − δ_jk|. */
function checkEigen(dim: number, re: Float64Array, im: Float64Array, e: ReturnType<typeof eigHermitian>) {
  let worstRes = 0,
    worstOrth = 0;
  for (let k = 0; k < dim; k++) {
    const vr = e.vectorsRe[k],
      vi = e.vectorsIm[k];
    let r2 = 0;
    for (let j = 0; j < dim; j++) {
      let sr = 0,
        si = 0;
      for (let l = 0; l < dim; l++) {
        sr += re[j * dim + l] * vr[l] - im[j * dim + l] * vi[l];
        si += re[j * dim + l] * vi[l] + im[j * dim + l] * vr[l];
      }
      r2 += (sr - e.values[k] * vr[j]) ** 2 + (si - e.values[k] * vi[j]) ** 2;
    }
    worstRes = Math.max(worstRes, Math.sqrt(r2));
    for (let q = 0; q < dim; q++) {
      let sr = 0,
        si = 0;
      for (let j = 0; j < dim; j++) {
        sr += e.vectorsRe[q][j] * vr[j] + e.vectorsIm[q][j] * vi[j];
        si += e.vectorsRe[q][j] * vi[j] - e.vectorsIm[q][j] * vr[j];
      }
      worstOrth = Math.max(worstOrth, Math.hypot(sr - (q === k ? 1 : 0), si));
    }
  }
  return { worstRes, worstOrth };
}

describe("eigHermitian: correctness", () => {
  it("random complex Hermitian 6×6: H v = λ v, orthonormal, ascending, power sums tr(H^p) = Σ λ^p", () => {
    const dim = 6;
    const { re, im } = randomHermitian(dim, new Rng("eig-6"));
    const e = eigHermitian(dim, re, im);
    expect(e.values.length).toBe(dim);
    for (let k = 1; k < dim; k++) expect(e.values[k]).toBeGreaterThanOrEqual(e.values[k - 1]);
    const { worstRes, worstOrth } = checkEigen(dim, re, im, e);
    expect(worstRes).toBeLessThan(1e-12);
    expect(worstOrth).toBeLessThan(1e-12);
    // Independent reference: the power sums tr(H^p), p = 1..6, determine the 6 eigenvalues (Newton's identities).
    let pr = re.slice(),
      pi = im.slice();
    for (let p = 1; p <= dim; p++) {
      let tr = 0,
        tri = 0;
      for (let j = 0; j < dim; j++) {
        tr += pr[j * dim + j];
        tri += pi[j * dim + j];
      }
      const sum = e.values.reduce((s, l) => s + l ** p, 0);
      expect(Math.abs(tr - sum)).toBeLessThan(1e-10 * Math.max(1, Math.abs(tr)));
      expect(Math.abs(tri)).toBeLessThan(1e-9 * Math.max(1, Math.abs(tr)));
      const next = matmul(dim, pr, pi, re, im);
      pr = next.re;
      pi = next.im;
    }
  });

  it("Pauli Y has eigenvalues −1, +1 with eigenvectors (1, ∓i)/√2 (hand derivation)", () => {
    // Y = [[0, −i], [i, 0]]
    const e = eigHermitian(2, [0, 0, 0, 0], [0, -1, 1, 0]);
    expect(e.values[0]).toBeCloseTo(-1, 14);
    expect(e.values[1]).toBeCloseTo(1, 14);
    const overlap = (k: number, ur: number[], ui: number[]) => {
      let sr = 0,
        si = 0;
      for (let j = 0; j < 2; j++) {
        sr += ur[j] * e.vectorsRe[k][j] + ui[j] * e.vectorsIm[k][j];
        si += ur[j] * e.vectorsIm[k][j] - ui[j] * e.vectorsRe[k][j];
      }
      return Math.hypot(sr, si);
    };
    const s = Math.SQRT1_2;
    expect(overlap(0, [s, 0], [0, -s])).toBeCloseTo(1, 12); // (1, −i)/√2 for −1
    expect(overlap(1, [s, 0], [0, s])).toBeCloseTo(1, 12); // (1, +i)/√2 for +1
  });

  it("degenerate complex spectrum (Y ⊗ I + 0.5·Z ⊗ Y on 2 qubits, doubly degenerate) gives an orthonormal eigenbasis", () => {
    // Build from Kronecker products; eigenvalues ±√(1 + 0.25), each twice (anticommuting Paulis).
    const Y = { re: [0, 0, 0, 0], im: [0, -1, 1, 0] };
    const Z = { re: [1, 0, 0, -1], im: [0, 0, 0, 0] };
    const I = { re: [1, 0, 0, 1], im: [0, 0, 0, 0] };
    const kron = (A: typeof Y, B: typeof Y, c: number, out: { re: Float64Array; im: Float64Array }) => {
      for (let a = 0; a < 2; a++)
        for (let b = 0; b < 2; b++)
          for (let cc = 0; cc < 2; cc++)
            for (let d = 0; d < 2; d++) {
              const xr = A.re[a * 2 + b],
                xi = A.im[a * 2 + b],
                yr = B.re[cc * 2 + d],
                yi = B.im[cc * 2 + d];
              const row = a * 2 + cc,
                col = b * 2 + d;
              out.re[row * 4 + col] += c * (xr * yr - xi * yi);
              out.im[row * 4 + col] += c * (xr * yi + xi * yr);
            }
    };
    const H = { re: new Float64Array(16), im: new Float64Array(16) };
    kron(Y, I, 1, H);
    kron(Z, Y, 0.5, H);
    const e = eigHermitian(4, H.re, H.im);
    const l = Math.sqrt(1.25);
    expect(Array.from(e.values).map((v) => +v.toFixed(12))).toEqual([-l, -l, l, l].map((v) => +v.toFixed(12)));
    const { worstRes, worstOrth } = checkEigen(4, H.re, H.im, e);
    expect(worstRes).toBeLessThan(1e-12);
    expect(worstOrth).toBeLessThan(1e-12);
  });

  it("real symmetric input takes the real path (zero imaginary parts) and matches the complex path", () => {
    const dim = 7;
    const { re, im } = randomHermitian(dim, new Rng("eig-real"), true);
    const a = eigHermitian(dim, re, null);
    const b = eigHermitian(dim, re, im); // im all zero: same fast path
    for (let k = 0; k < dim; k++) {
      expect(a.vectorsIm[k].every((v) => v === 0)).toBe(true);
      expect(b.values[k]).toBe(a.values[k]);
    }
    const { worstRes, worstOrth } = checkEigen(dim, re, im, a);
    expect(worstRes).toBeLessThan(1e-12);
    expect(worstOrth).toBeLessThan(1e-12);
  });

  it("identity (fully degenerate) and 1×1 matrices", () => {
    const dim = 5;
    const re = new Float64Array(dim * dim);
    for (let j = 0; j < dim; j++) re[j * dim + j] = 2;
    const im = new Float64Array(dim * dim);
    im[1] = 1e-30; // force the complex path with a negligible (Hermitian-violating below tolerance) entry
    im[dim] = -1e-30;
    const e = eigHermitian(dim, re, im);
    expect(Array.from(e.values)).toEqual([2, 2, 2, 2, 2]);
    expect(checkEigen(dim, re, im, e).worstOrth).toBeLessThan(1e-12);
    const one = eigHermitian(1, [3.5], [0]);
    expect(one.values[0]).toBe(3.5);
    expect(Math.abs(one.vectorsRe[0][0])).toBe(1);
  });
});

describe("densityEnsemble", () => {
  it("reconstructs a random mixed state ρ = Σ p_k |ψ_k⟩⟨ψ_k| (non-orthogonal ψ_k) from its ensemble", () => {
    const dim = 4,
      rng = new Rng("rho");
    const probs = [0.5, 0.3, 0.2];
    const re = new Float64Array(dim * dim),
      im = new Float64Array(dim * dim);
    for (const p of probs) {
      const vr = Array.from({ length: dim }, () => rng.normal());
      const vi = Array.from({ length: dim }, () => rng.normal());
      const n = Math.sqrt(vr.reduce((s, x, i) => s + x * x + vi[i] * vi[i], 0));
      for (let j = 0; j < dim; j++)
        for (let k = 0; k < dim; k++) {
          // |v⟩⟨v|_{jk} = v_j conj(v_k)
          re[j * dim + k] += (p * (vr[j] * vr[k] + vi[j] * vi[k])) / (n * n);
          im[j * dim + k] += (p * (vi[j] * vr[k] - vr[j] * vi[k])) / (n * n);
        }
    }
    const ens = densityEnsemble(dim, re, im);
    expect(ens.weights.length).toBe(3); // rank 3
    for (let k = 1; k < ens.weights.length; k++) expect(ens.weights[k]).toBeLessThanOrEqual(ens.weights[k - 1]);
    expect(ens.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
    let err = 0;
    for (let j = 0; j < dim; j++)
      for (let k = 0; k < dim; k++) {
        let sr = 0,
          si = 0;
        ens.weights.forEach((w, q) => {
          const ar = ens.statesRe[q][j],
            ai = ens.statesIm[q][j],
            br = ens.statesRe[q][k],
            bi = ens.statesIm[q][k];
          sr += w * (ar * br + ai * bi);
          si += w * (ai * br - ar * bi);
        });
        err = Math.max(err, Math.abs(sr - re[j * dim + k]), Math.abs(si - im[j * dim + k]));
      }
    expect(err).toBeLessThan(1e-12);
  });

  it("a pure state gives one weight 1 and the state itself (up to phase)", () => {
    const v = [0.6, 0, 0, 0.8];
    const re = new Float64Array(16);
    for (let j = 0; j < 4; j++) for (let k = 0; k < 4; k++) re[j * 4 + k] = v[j] * v[k];
    const ens = densityEnsemble(4, re, null);
    expect(ens.weights).toHaveLength(1);
    expect(ens.weights[0]).toBeCloseTo(1, 14);
    expect(Math.abs(ens.statesRe[0][0] * 0.6 + ens.statesRe[0][3] * 0.8)).toBeCloseTo(1, 12);
  });

  it("rejects a matrix with trace ≠ 1 or a negative eigenvalue, quoting the value", () => {
    expect(() => densityEnsemble(2, [1, 0, 0, 1])).toThrow(/trace 1.*got trace 2/);
    expect(() => densityEnsemble(2, [1.5, 0, 0, -0.5])).toThrow(/positive semidefinite.*-0\.5/);
  });
});

describe("eigHermitian: bad inputs", () => {
  it("rejects a non-Hermitian matrix, quoting the largest asymmetry", () => {
    expect(() => eigHermitian(2, [1, 2, 2.5, 1])).toThrow(/not Hermitian.*H\[0\]\[1\].*= 0\.5/);
    expect(() => eigHermitian(2, [1, 0, 0, 1], [0, 1, 1, 0])).toThrow(/not Hermitian.*= 2/);
  });
  it("rejects bad sizes and values", () => {
    expect(() => eigHermitian(0, [])).toThrow(/dim must be an integer in \[1, 8192\], got 0/);
    expect(() => eigHermitian(2, [1, 0, 0])).toThrow(/re must have dim² = 4 entries.*got 3/);
    expect(() => eigHermitian(2, [1, 0, 0, 1], [0, 0])).toThrow(/im must have dim² = 4/);
    expect(() => eigHermitian(2, [1, NaN, NaN, 1])).toThrow(/re\[1\].*not finite: NaN/);
    expect(() => eigHermitian(2, [1, 0, 0, 1], null, { tolerance: 1 } as never)).toThrow(/unknown option "tolerance"/);
  });
});
