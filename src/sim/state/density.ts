/**
 * Mixed states: density matrices, partial trace and fidelity (Nielsen & Chuang §2.4 and §9.2.2).
 *
 * A {@link DensityMatrix} on `nQubits` qubits is a dense `dim × dim` Hermitian matrix, row-major, split into
 * `re` and `im` arrays; `ρ[r][c] = ⟨r|ρ|c⟩` with the little-endian basis order of `statevector.ts`.
 */
import { Statevector, checkQubit } from "./statevector";
import { densityEnsemble, eigHermitian } from "../../linalg/eigen";

/** A density matrix (layout in the module doc). */
export class DensityMatrix {
  readonly nQubits: number;
  readonly re: Float64Array;
  readonly im: Float64Array;

  /** Wraps arrays of length 4^nQubits (no copy). @throws Error on a size mismatch. */
  constructor(nQubits: number, re: Float64Array, im: Float64Array) {
    const d = 2 ** nQubits;
    if (re.length !== d * d || im.length !== d * d) {
      throw new Error(
        `DensityMatrix: expected ${d * d} entries for ${nQubits} qubits, got ${re.length} and ${im.length}`,
      );
    }
    this.nQubits = nQubits;
    this.re = re;
    this.im = im;
  }

  /** Dimension 2^nQubits. */
  get dim(): number {
    return 2 ** this.nQubits;
  }

  /** |ψ⟩⟨ψ|. */
  static fromStatevector(psi: Statevector): DensityMatrix {
    return partialTrace(
      psi,
      Array.from({ length: psi.nQubits }, (_, q) => q),
    );
  }

  /** Tr ρ (real part). */
  trace(): number {
    let t = 0;
    for (let i = 0; i < this.dim; i++) t += this.re[i * this.dim + i];
    return t;
  }

  /** Tr ρ² (1 for a pure state, 1/dim for the maximally mixed state). */
  purity(): number {
    let s = 0;
    for (let i = 0; i < this.re.length; i++) s += this.re[i] * this.re[i] + this.im[i] * this.im[i];
    return s;
  }

  /**
   * A decomposition ρ = Σ_i w_i |v_i⟩⟨v_i| into at most `dim` pure states (the eigen-decomposition; weights
   * below `tol` dropped). Lets a statevector circuit act on a mixed input: ⟨O⟩ = Σ_i w_i ⟨v_i|U†OU|v_i⟩.
   */
  toEnsemble(tol = 1e-12): Ensemble {
    const e = densityEnsemble(this.dim, this.re, this.im, tol);
    return {
      weights: Float64Array.from(e.weights),
      states: e.statesRe.map((r, k) => new Statevector(this.nQubits, r, e.statesIm[k])),
    };
  }
}

/** A mixed state as a convex combination of pure states: ρ = Σ_i weights[i]·|states[i]⟩⟨states[i]|. */
export interface Ensemble {
  weights: Float64Array;
  states: Statevector[];
}

/**
 * Reduced density matrix Tr_B |ψ⟩⟨ψ| on the qubits `keep` (Yan et al. Eq. 8). Qubit `keep[j]` of ψ becomes
 * qubit j of the result; all other qubits are traced out.
 * @throws Error for an out-of-range or repeated qubit.
 */
export function partialTrace(psi: Statevector, keep: readonly number[]): DensityMatrix {
  const n = psi.nQubits;
  if (keep.length === 0 || keep.length > 13) throw new Error(`partialTrace: keep 1..13 qubits, got ${keep.length}`);
  for (const q of keep) checkQubit("partialTrace", q, n);
  if (new Set(keep).size !== keep.length) throw new Error(`partialTrace: repeated qubit in keep [${keep.join(", ")}]`);
  const { map, dA, dB } = splitIndex(n, keep);
  const re = new Float64Array(dA * dA),
    im = new Float64Array(dA * dA);
  const pr = psi.re,
    pi = psi.im;
  for (let b = 0; b < dB; b++) {
    const off = b * dA;
    for (let r = 0; r < dA; r++) {
      const ir = map[off + r];
      const xr = pr[ir],
        xi = pi[ir];
      if (xr === 0 && xi === 0) continue;
      for (let c = 0; c < dA; c++) {
        const ic = map[off + c];
        // ψ_r · conj(ψ_c)
        re[r * dA + c] += xr * pr[ic] + xi * pi[ic];
        im[r * dA + c] += xi * pr[ic] - xr * pi[ic];
      }
    }
  }
  return new DensityMatrix(keep.length, re, im);
}

/**
 * Index map for a split of n qubits into `keep` (subsystem A) and the rest (B, in increasing order):
 * `map[b·dA + a]` is the full index with A's bits = a (bit j of a → qubit keep[j]) and B's bits = b.
 */
export function splitIndex(
  n: number,
  keep: readonly number[],
): { map: Int32Array; dA: number; dB: number; rest: number[] } {
  const rest: number[] = [];
  for (let q = 0; q < n; q++) if (!keep.includes(q)) rest.push(q);
  const dA = 2 ** keep.length,
    dB = 2 ** rest.length;
  const map = new Int32Array(dA * dB);
  for (let b = 0; b < dB; b++) {
    let base = 0;
    for (let j = 0; j < rest.length; j++) if ((b >> j) & 1) base |= 1 << rest[j];
    for (let a = 0; a < dA; a++) {
      let idx = base;
      for (let j = 0; j < keep.length; j++) if ((a >> j) & 1) idx |= 1 << keep[j];
      map[b * dA + a] = idx;
    }
  }
  return { map, dA, dB, rest };
}

/** |⟨ψ|φ⟩|², the fidelity of two pure states. */
export function stateFidelity(psi: Statevector, phi: Statevector): number {
  const [r, i] = psi.inner(phi);
  return r * r + i * i;
}

/** ⟨ψ|ρ|ψ⟩, the fidelity of a pure state and a density matrix (Yan et al., below Eq. 10). */
export function pureStateFidelity(psi: Statevector, rho: DensityMatrix): number {
  if (psi.nQubits !== rho.nQubits) throw new Error(`pureStateFidelity: ${psi.nQubits} vs ${rho.nQubits} qubits`);
  const d = rho.dim;
  let s = 0;
  for (let r = 0; r < d; r++) {
    let tr = 0,
      ti = 0;
    for (let c = 0; c < d; c++) {
      tr += rho.re[r * d + c] * psi.re[c] - rho.im[r * d + c] * psi.im[c];
      ti += rho.re[r * d + c] * psi.im[c] + rho.im[r * d + c] * psi.re[c];
    }
    s += psi.re[r] * tr + psi.im[r] * ti;
  }
  return s;
}

/**
 * Uhlmann fidelity F(ρ, σ) = (Tr √(√ρ σ √ρ))² of two density matrices (Nielsen & Chuang Eq. 9.53, squared
 * convention as in Yan et al. Eq. 10), through two Hermitian eigen-decompositions.
 */
export function fidelity(rho: DensityMatrix, sigma: DensityMatrix): number {
  if (rho.nQubits !== sigma.nQubits) throw new Error(`fidelity: ${rho.nQubits} vs ${sigma.nQubits} qubits`);
  const d = rho.dim;
  const e = eigHermitian(d, rho.re, rho.im);
  // √ρ = Σ √λ v v†
  const sr = new Float64Array(d * d),
    si = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const l = Math.sqrt(Math.max(0, e.values[k]));
    if (l === 0) continue;
    const vr = e.vectorsRe[k],
      vi = e.vectorsIm[k];
    for (let r = 0; r < d; r++) {
      for (let c = 0; c < d; c++) {
        sr[r * d + c] += l * (vr[r] * vr[c] + vi[r] * vi[c]);
        si[r * d + c] += l * (vi[r] * vr[c] - vr[r] * vi[c]);
      }
    }
  }
  const m1 = cmatmul(d, sr, si, sigma.re, sigma.im);
  const m = cmatmul(d, m1.re, m1.im, sr, si);
  // symmetrise against rounding
  for (let r = 0; r < d; r++) {
    for (let c = r; c < d; c++) {
      const ar = (m.re[r * d + c] + m.re[c * d + r]) / 2,
        ai = (m.im[r * d + c] - m.im[c * d + r]) / 2;
      m.re[r * d + c] = ar;
      m.re[c * d + r] = ar;
      m.im[r * d + c] = ai;
      m.im[c * d + r] = -ai;
    }
  }
  const ev = eigHermitian(d, m.re, m.im).values;
  let t = 0;
  for (let k = 0; k < d; k++) t += Math.sqrt(Math.max(0, ev[k]));
  return t * t;
}

function cmatmul(
  d: number,
  ar: Float64Array,
  ai: Float64Array,
  br: Float64Array,
  bi: Float64Array,
): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(d * d),
    im = new Float64Array(d * d);
  for (let r = 0; r < d; r++) {
    for (let k = 0; k < d; k++) {
      const xr = ar[r * d + k],
        xi = ai[r * d + k];
      if (xr === 0 && xi === 0) continue;
      for (let c = 0; c < d; c++) {
        re[r * d + c] += xr * br[k * d + c] - xi * bi[k * d + c];
        im[r * d + c] += xr * bi[k * d + c] + xi * br[k * d + c];
      }
    }
  }
  return { re, im };
}
