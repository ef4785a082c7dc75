/**
 * Ground states of Pauli-sum Hamiltonians: a fast compiled form of a {@link PauliSum} for repeated application
 * ({@link compilePauliSum}), {@link groundState} by dense diagonalisation for small registers or by the Lanczos
 * eigensolver of `linalg/lanczos.ts` for large ones, and ground states inside a symmetry sector of X-parity
 * operators ({@link xParitySector}, {@link sectorGroundState}). The method, its convergence test and the
 * near-degenerate case are documented in `linalg/lanczos.ts`.
 *
 * Measured (CPU time, Node 20, on this project's shared 2-core development machine) for the real ZXZ
 * Hamiltonian (`groundState`, tol 1e-10): 15 qubits, 73–118 steps, 1.0–1.3 s with `"full"` and 0.4–0.7 s with
 * `"partial"`; 16 qubits, 68–99 steps, 1.1–1.7 s and 0.6–1.0 s.
 *
 * Near-degenerate example: the ZXZ chain with open boundaries in its SPT phase has a four-fold near-degenerate
 * ground space (edge modes), split by about `h1^(N/2)`; for N = 15 and h1 ≲ 0.05 Lanczos returns a combination of
 * these states, whereas the dense route returns the lowest eigenvector. Above that splitting both routes agree
 * (tested against dense diagonalisation).
 */
import { PauliSum } from "./pauli";
import { Statevector } from "./statevector";
import { eigHermitian } from "../../linalg/eigen";
import {
  ComplexApply,
  CoreOperator,
  LANCZOS_DEFAULTS,
  LanczosOptions,
  checkLanczosOptions,
  lanczosCore,
} from "../../linalg/lanczos";
import { withDefaults, checkOneOf } from "../../util/options";

/**
 * A {@link PauliSum} compiled for fast repeated application: terms that flip the same qubits (same `xMask`)
 * are merged, and each group's phases `Σ_t c_t i^{nY_t} (−1)^{popcount(i & zMask_t)}` are tabulated per
 * basis index, so one application costs one pass per distinct `xMask` (e.g. N passes for the ZXZ chain)
 * instead of one popcount-heavy pass per term.
 */
export interface CompiledPauliSum {
  /** Register size. */
  nQubits: number;
  /** 2^nQubits. */
  dim: number;
  /** True when the matrix is real (every term has an even number of Y letters). */
  real: boolean;
  /** Number of distinct `xMask` groups (passes per application). */
  groups: number;
  /** `out = H·in` for complex vectors (arrays of length `dim`, outputs overwritten, no aliasing). */
  apply: ComplexApply;
  /** `out = H·in` for real vectors. @throws Error if the operator is not real. */
  applyReal: (input: Float64Array, out: Float64Array) => void;
}

/** Tables above this many entries (groups × dim) are not built; application then goes term by term. */
const MAX_TABLE_ENTRIES = 2 ** 24;

function parity(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}

/**
 * Compiles `H` for fast application (see {@link CompiledPauliSum}). Building costs about one `H.apply`;
 * the tables take `groups × 2^nQubits` doubles (twice for groups with imaginary phases). Above 2^24 table
 * entries it falls back to term-by-term application with the same results.
 * @throws Error if `H` is not a PauliSum.
 */
export function compilePauliSum(H: PauliSum): CompiledPauliSum {
  if (!(H instanceof PauliSum)) throw new Error(`compilePauliSum: expected a PauliSum, got ${String(H)}`);
  const n = H.nQubits;
  const dim = 2 ** n;
  const byMask = new Map<number, typeof H.terms>();
  let real = true;
  for (const t of H.terms) {
    if (t.nY % 2 === 1) real = false;
    const list = byMask.get(t.xMask);
    if (list) list.push(t);
    else byMask.set(t.xMask, [t]);
  }
  const masks = [...byMask.keys()].sort((a, b) => a - b);
  const PH = [
    [1, 0],
    [0, 1],
    [-1, 0],
    [0, -1],
  ];

  if (masks.length * dim > MAX_TABLE_ENTRIES) {
    // Term-by-term fallback.
    const terms = H.terms;
    const apply: ComplexApply = (ir, ii, or, oi) => {
      or.fill(0);
      oi.fill(0);
      for (const t of terms) {
        const [pr, pi] = PH[t.nY & 3];
        const cr = t.coeff * pr,
          ci = t.coeff * pi,
          x = t.xMask,
          z = t.zMask;
        for (let i = 0; i < dim; i++) {
          const s = parity(i & z) ? -1 : 1;
          const ar = s * ir[i],
            ai = s * ii[i],
            j = i ^ x;
          or[j] += cr * ar - ci * ai;
          oi[j] += cr * ai + ci * ar;
        }
      }
    };
    const applyReal = (ir: Float64Array, or: Float64Array) => {
      if (!real)
        throw new Error(
          "compilePauliSum: applyReal called on a complex operator (it has terms with an odd number of Y)",
        );
      or.fill(0);
      for (const t of terms) {
        const c = t.nY & 2 ? -t.coeff : t.coeff,
          x = t.xMask,
          z = t.zMask;
        for (let i = 0; i < dim; i++) or[i ^ x] += (parity(i & z) ? -c : c) * ir[i];
      }
    };
    return { nQubits: n, dim, real, groups: masks.length, apply, applyReal };
  }

  const xs = new Int32Array(masks.length);
  const dRe: Float64Array[] = [];
  const dIm: (Float64Array | null)[] = [];
  masks.forEach((x, g) => {
    xs[g] = x;
    const terms = byMask.get(x)!;
    const tr = new Float64Array(dim);
    let ti: Float64Array | null = null;
    for (const t of terms) {
      const [pr, pi] = PH[t.nY & 3];
      const z = t.zMask;
      if (pr !== 0) {
        const c = t.coeff * pr;
        for (let i = 0; i < dim; i++) tr[i] += parity(i & z) ? -c : c;
      } else {
        ti ??= new Float64Array(dim);
        const c = t.coeff * pi;
        for (let i = 0; i < dim; i++) ti[i] += parity(i & z) ? -c : c;
      }
    }
    dRe.push(tr);
    dIm.push(ti);
  });
  const G = masks.length;
  const apply: ComplexApply = (ir, ii, or, oi) => {
    or.fill(0);
    oi.fill(0);
    for (let g = 0; g < G; g++) {
      const x = xs[g],
        dr = dRe[g],
        di = dIm[g];
      if (di === null) {
        for (let i = 0; i < dim; i++) {
          const j = i ^ x,
            c = dr[i];
          or[j] += c * ir[i];
          oi[j] += c * ii[i];
        }
      } else {
        for (let i = 0; i < dim; i++) {
          const j = i ^ x,
            c = dr[i],
            d = di[i],
            ar = ir[i],
            ai = ii[i];
          or[j] += c * ar - d * ai;
          oi[j] += c * ai + d * ar;
        }
      }
    }
  };
  const applyReal = (ir: Float64Array, or: Float64Array) => {
    if (!real)
      throw new Error("compilePauliSum: applyReal called on a complex operator (it has terms with an odd number of Y)");
    or.fill(0);
    for (let g = 0; g < G; g++) {
      const x = xs[g],
        dr = dRe[g];
      if (x === 0) for (let i = 0; i < dim; i++) or[i] += dr[i] * ir[i];
      else for (let i = 0; i < dim; i++) or[i ^ x] += dr[i] * ir[i];
    }
  };
  return { nQubits: n, dim, real, groups: G, apply, applyReal };
}

/**
 * Fixes the global phase of a state in place, deterministically: the first amplitude (lowest index) whose
 * magnitude is within a factor `1 − 1e-8` of the largest is made real and positive. Two states equal up to a
 * global phase (and to rounding well below 1e-8) come out equal. Zeros come out as +0 (never −0).
 * @param re - real parts (modified in place).
 * @param im - imaginary parts, same length (modified in place).
 * @returns the index of the reference amplitude.
 * @throws Error if the lengths differ or the state is zero.
 */
export function fixGlobalPhase(re: Float64Array, im: Float64Array): number {
  if (re.length !== im.length) throw new Error(`fixGlobalPhase: re has ${re.length} entries but im has ${im.length}`);
  let max2 = 0;
  for (let i = 0; i < re.length; i++) max2 = Math.max(max2, re[i] * re[i] + im[i] * im[i]);
  if (!(max2 > 0)) throw new Error("fixGlobalPhase: all amplitudes are zero");
  const thr = max2 * (1 - 1e-8) ** 2;
  let idx = 0;
  while (re[idx] * re[idx] + im[idx] * im[idx] < thr) idx++;
  const mag = Math.sqrt(re[idx] * re[idx] + im[idx] * im[idx]);
  const cr = re[idx] / mag,
    ci = -im[idx] / mag; // multiply by conj(a)/|a|
  for (let i = 0; i < re.length; i++) {
    const r = re[i],
      m = im[i];
    const a = cr * r - ci * m,
      b = cr * m + ci * r;
    re[i] = a === 0 ? 0 : a; // no negative zeros: equal states compare equal element by element
    im[i] = b === 0 ? 0 : b;
  }
  re[idx] = mag;
  im[idx] = 0;
  return idx;
}

/** Options of {@link groundState}: the Lanczos options plus the choice of method. */
export interface GroundStateOptions extends Omit<LanczosOptions, "start" | "real"> {
  /**
   * `"dense"`: `H.toMatrix()` and {@link eigHermitian} (exact lowest eigenvector; at most 12 qubits, slow above
   * 9: about 1 s at 9 qubits and 7 s at 10 qubits for a real H); `"lanczos"`: `lanczosGroundState` (`linalg/lanczos.ts`) on
   * {@link compilePauliSum}; `"auto"`: dense for `nQubits ≤ DENSE_AUTO_MAX_QUBITS` (8), Lanczos above.
   * @defaultValue "auto"
   */
  method: "auto" | "dense" | "lanczos";
  /** Start vector for Lanczos (ignored by the dense route). @defaultValue null */
  start: Statevector | null;
}

/** Result of {@link groundState}. */
export interface GroundStateResult {
  /** Ground-state energy (lowest eigenvalue, or the Lanczos Rayleigh quotient). */
  energy: number;
  /** The ground state, global phase fixed by {@link fixGlobalPhase}. */
  state: Statevector;
  /** `‖H·state − energy·state‖`. */
  residual: number;
  /** The route actually taken. */
  method: "dense" | "lanczos";
  /** Lanczos steps (0 for the dense route). */
  iterations: number;
}

/**
 * Largest register for which `groundState(…, { method: "auto" })` diagonalises densely. Chosen from timings
 * of ml-matrix's O(n³) decomposition (0.12 s at 8 qubits, 7 s at 10) against Lanczos (tens of ms there).
 */
export const DENSE_AUTO_MAX_QUBITS = 8;

const GROUND_DEFAULTS: GroundStateOptions = {
  method: "auto",
  maxIter: LANCZOS_DEFAULTS.maxIter,
  tol: LANCZOS_DEFAULTS.tol,
  seed: LANCZOS_DEFAULTS.seed,
  reorthogonalize: LANCZOS_DEFAULTS.reorthogonalize,
  maxRestarts: LANCZOS_DEFAULTS.maxRestarts,
  start: null,
};

/**
 * Ground state of a Pauli-sum Hamiltonian, densely or by Lanczos (see {@link GroundStateOptions.method}).
 * A real Hamiltonian (no odd-Y terms) is handled in real arithmetic on both routes, so its ground state has
 * an exactly zero imaginary part. The global phase is fixed by {@link fixGlobalPhase}.
 *
 * For a (near-)degenerate ground space the dense route returns the eigenvector of the lowest computed
 * eigenvalue, and Lanczos may return any unit vector of the near-degenerate space whose residual is below
 * `tol` (see the module doc).
 *
 * @param H - Hermitian Hamiltonian (real coefficients; PauliSum terms are Hermitian by construction).
 * @param options - see {@link GroundStateOptions}.
 * @throws Error for a bad option (quoted), `method: "dense"` above 12 qubits, a start state of the wrong
 *   size, or when Lanczos fails to converge (see `lanczosGroundState` (`linalg/lanczos.ts`)).
 */
export function groundState(H: PauliSum, options?: Partial<GroundStateOptions>): GroundStateResult {
  const where = "groundState";
  if (!(H instanceof PauliSum)) throw new Error(`${where}: H must be a PauliSum, got ${String(H)}`);
  const o = withDefaults(where, GROUND_DEFAULTS, options);
  checkOneOf(where, "method", o.method, ["auto", "dense", "lanczos"] as const);
  const n = H.nQubits;
  const method: "dense" | "lanczos" =
    o.method === "auto" ? (n <= DENSE_AUTO_MAX_QUBITS ? "dense" : "lanczos") : o.method;
  if (method === "dense" && n > 12) {
    throw new Error(`${where}: method "dense" supports at most 12 qubits, got ${n}; use "lanczos"`);
  }
  if (o.start !== null && !(o.start instanceof Statevector && o.start.nQubits === n)) {
    throw new Error(
      `${where}: start must be a Statevector on ${n} qubits, got ${o.start instanceof Statevector ? `${o.start.nQubits} qubits` : String(o.start)}`,
    );
  }
  const op = compilePauliSum(H);
  const dim = op.dim;
  let re: Float64Array,
    im: Float64Array,
    energy: number,
    iterations = 0;
  if (method === "dense") {
    const M = H.toMatrix();
    const eig = eigHermitian(dim, M.re, op.real ? null : M.im);
    re = eig.vectorsRe[0];
    im = eig.vectorsIm[0];
    energy = eig.values[0];
  } else {
    const lo: LanczosOptions = {
      maxIter: o.maxIter,
      tol: o.tol,
      seed: o.seed,
      reorthogonalize: o.reorthogonalize,
      maxRestarts: o.maxRestarts,
      real: op.real,
      start: o.start ? { re: o.start.re, im: op.real ? null : o.start.im } : null,
    };
    checkLanczosOptions(where, lo);
    if (op.real && o.start && o.start.im.some((v) => v !== 0)) {
      throw new Error(`${where}: H is real, so the Lanczos start vector must be real (its imaginary part is nonzero)`);
    }
    const core: CoreOperator = { real: op.real, applyReal: op.applyReal, applyComplex: op.apply };
    const r = lanczosCore(where, core, dim, lo);
    re = r.stateRe;
    im = r.stateIm;
    energy = r.energy;
    iterations = r.iterations;
  }
  fixGlobalPhase(re, im);
  // Residual ‖Hx − Ex‖ of the returned state.
  const hr = new Float64Array(dim),
    hi = new Float64Array(dim);
  op.apply(re, im, hr, hi);
  let r2 = 0;
  for (let i = 0; i < dim; i++) {
    const a = hr[i] - energy * re[i],
      b = hi[i] - energy * im[i];
    r2 += a * a + b * b;
  }
  return { energy, state: new Statevector(n, re, im), residual: Math.sqrt(r2), method, iterations };
}

/**
 * A symmetry sector of X-parity operators `P_m = ∏_{q ∈ mask_m} X_q` (bit q of `mask_m` set = X on qubit q), fixed
 * by the eigenvalues `signs[m] = ±1`, with the reduced operator of a real Hamiltonian that commutes with every
 * P_m. Built by {@link xParitySector}.
 *
 * **Basis.** Each mask's lowest set bit is its pivot (no other mask may contain it). The representatives are the
 * basis indices r with every pivot bit 0; reduced index k numbers them in increasing order (`reps[k] = r`), so the
 * sector has `2^(nQubits − M)` dimensions for M masks. The sector vector of reduced amplitudes c is
 * `ψ(r ⊕ ⊕_{m∈S} mask_m) = (∏_{m∈S} signs[m]) · c_k / √(2^M)`, an isometry: ‖ψ‖ = ‖c‖ and ⟨ψ|H|ψ⟩ = ⟨c|H_red|c⟩.
 *
 * Example (the ZXZ chain, Yan et al. Eq. 11 with h2 = 0): the even- and odd-site parities commute with every
 * term, so its ground state lies in one of four sectors of 2^(N−2) amplitudes (the (+, +) one: tested against
 * dense diagonalisation).
 */
export interface XParitySector {
  nQubits: number;
  /** The parity masks and their eigenvalues (as given). */
  masks: readonly number[];
  signs: readonly number[];
  /** Reduced dimension 2^(nQubits − masks.length). */
  dim: number;
  /** Full basis index of each reduced basis vector. */
  reps: Int32Array;
  /** `out = H_red·input` (reduced vectors of length `dim`, no aliasing). */
  apply: (input: Float64Array, out: Float64Array) => void;
  /** The full statevector of reduced amplitudes `c` (see the basis above). */
  expand: (c: Float64Array) => Statevector;
  /** The reduced amplitudes of a full state's projection onto the sector: `c_k = √(2^M)·(P ψ)(reps[k])` (real part). */
  project: (state: Statevector) => Float64Array;
}

/**
 * The sector of X-parities `masks` with eigenvalues `signs` and the reduced form of `H` (see {@link XParitySector}).
 * Cost: `groups × 2^(nQubits − M)` doubles and indices (groups = distinct X masks of H's terms).
 * @param H - a real Pauli sum (every term with an even number of Y) that commutes with every parity.
 * @param masks - nonzero X masks, each with a lowest bit that no other mask contains (e.g. disjoint masks).
 * @param signs - eigenvalue ±1 of each parity. @defaultValue all +1
 * @throws Error for a complex H, a term that anticommutes with a parity (quoted), a bad mask or sign.
 */
export function xParitySector(
  H: PauliSum,
  masks: readonly number[],
  signs: readonly number[] = masks.map(() => 1),
): XParitySector {
  const where = "xParitySector";
  if (!(H instanceof PauliSum)) throw new Error(`${where}: expected a PauliSum, got ${String(H)}`);
  const n = H.nQubits,
    full = 2 ** n;
  if (!Array.isArray(masks) || masks.length === 0)
    throw new Error(`${where}: masks must be a non-empty array, got ${JSON.stringify(masks)}`);
  if (!Array.isArray(signs) || signs.length !== masks.length || signs.some((s) => s !== 1 && s !== -1)) {
    throw new Error(`${where}: signs must list ±1 for each of the ${masks.length} masks, got ${JSON.stringify(signs)}`);
  }
  const pivots = masks.map((m) => {
    if (!Number.isInteger(m) || m <= 0 || m >= full)
      throw new Error(`${where}: mask ${m} is not a nonzero ${n}-qubit mask`);
    return m & -m;
  });
  masks.forEach((m, i) =>
    masks.forEach((o, j) => {
      if (i !== j && (o & pivots[i]) !== 0)
        throw new Error(
          `${where}: the lowest bit of mask ${m} is also in mask ${o}; give masks whose lowest bits are their own`,
        );
    }),
  );
  for (const t of H.terms) {
    if (t.nY % 2 === 1) throw new Error(`${where}: H must be real (a term has an odd number of Y letters)`);
    for (const m of masks) {
      if (parity(t.zMask & m) === 1)
        throw new Error(`${where}: a term of H (z mask ${t.zMask}) anticommutes with the parity of mask ${m}`);
    }
  }
  const M = masks.length,
    pivotAll = pivots.reduce((a, b) => a | b, 0);
  const dim = full >>> M;
  const reps = new Int32Array(dim);
  const index = new Int32Array(full).fill(-1);
  for (let i = 0, k = 0; i < full; i++)
    if ((i & pivotAll) === 0) {
      reps[k] = i;
      index[i] = k++;
    }
  /** Representative index and sign of a full basis index. */
  const repOf = (j: number): [number, number] => {
    let s = 1;
    for (let m = 0; m < M; m++)
      if (j & pivots[m]) {
        j ^= masks[m];
        s *= signs[m];
      }
    return [index[j], s];
  };
  const byMask = new Map<number, typeof H.terms>();
  for (const t of H.terms) byMask.set(t.xMask, [...(byMask.get(t.xMask) ?? []), t]);
  // out[k] = Σ_g d_g(j ⊕ x_g)·sign·c[rep(j ⊕ x_g)], j = reps[k], d_g(i) = Σ_t c_t (−1)^{|i ∧ z_t|} (as compilePauliSum)
  const groups = [...byMask].map(([x, terms]) => {
    const tgt = new Int32Array(dim),
      w = new Float64Array(dim);
    for (let k = 0; k < dim; k++) {
      const i = reps[k] ^ x;
      let d = 0;
      for (const t of terms) {
        const c = t.nY & 2 ? -t.coeff : t.coeff;
        d += parity(i & t.zMask) ? -c : c;
      }
      const [r, s] = repOf(i);
      tgt[k] = r;
      w[k] = s * d;
    }
    return { tgt, w };
  });
  const apply = (input: Float64Array, out: Float64Array) => {
    out.fill(0);
    for (const { tgt, w } of groups) for (let k = 0; k < dim; k++) out[k] += w[k] * input[tgt[k]];
  };
  const scale = 1 / Math.sqrt(2 ** M);
  const expand = (c: Float64Array) => {
    if (c.length !== dim) throw new Error(`${where}: expand needs ${dim} reduced amplitudes, got ${c.length}`);
    const re = new Float64Array(full);
    for (let S = 0; S < 1 << M; S++) {
      let x = 0,
        s = scale;
      for (let m = 0; m < M; m++)
        if (S & (1 << m)) {
          x ^= masks[m];
          s *= signs[m];
        }
      for (let k = 0; k < dim; k++) re[reps[k] ^ x] = s * c[k];
    }
    return new Statevector(n, re, new Float64Array(full));
  };
  const project = (state: Statevector) => {
    if (!(state instanceof Statevector) || state.nQubits !== n)
      throw new Error(`${where}: project needs a Statevector on ${n} qubits`);
    const c = new Float64Array(dim);
    for (let S = 0; S < 1 << M; S++) {
      let x = 0,
        s = scale;
      for (let m = 0; m < M; m++)
        if (S & (1 << m)) {
          x ^= masks[m];
          s *= signs[m];
        }
      for (let k = 0; k < dim; k++) c[k] += s * state.re[reps[k] ^ x];
    }
    return c;
  };
  return { nQubits: n, masks: masks.slice(), signs: signs.slice(), dim, reps, apply, expand, project };
}

/** Options of {@link sectorGroundState}. */
export interface SectorGroundStateOptions extends Omit<LanczosOptions, "start" | "real"> {
  /** `"dense"`: diagonalise the reduced matrix (at most 2^12 dimensions); `"lanczos"`; `"auto"`: dense up to 2^8. @defaultValue "auto" */
  method: "auto" | "dense" | "lanczos";
  /** Reduced start vector for Lanczos (e.g. the ground state of a neighbouring Hamiltonian: a warm start). @defaultValue null */
  start: Float64Array | null;
}

/**
 * The lowest eigenpair of `sector`'s reduced Hamiltonian (see {@link xParitySector}), expanded to the full register,
 * its global phase fixed by {@link fixGlobalPhase}. Within a sector the near-degeneracies between sectors (e.g. the
 * ZXZ chain's edge modes) are gone, so the result is defined to the residual tolerance.
 * @returns the {@link GroundStateResult} plus `reduced`, the unit reduced vector (pass it as the next `start`).
 * @throws Error for a bad option (quoted), a start vector of the wrong length, dense above 2^12 dimensions, or
 *   when Lanczos does not converge.
 */
export function sectorGroundState(
  sector: XParitySector,
  options?: Partial<SectorGroundStateOptions>,
): GroundStateResult & { reduced: Float64Array } {
  const where = "sectorGroundState";
  const o = withDefaults(where, { ...GROUND_DEFAULTS, start: null } as SectorGroundStateOptions, options);
  checkOneOf(where, "method", o.method, ["auto", "dense", "lanczos"] as const);
  const dim = sector.dim;
  const method = o.method === "auto" ? (dim <= 2 ** DENSE_AUTO_MAX_QUBITS ? "dense" : "lanczos") : o.method;
  if (method === "dense" && dim > 2 ** 12)
    throw new Error(`${where}: method "dense" supports at most 2^12 reduced dimensions, got ${dim}; use "lanczos"`);
  if (o.start !== null && (!(o.start instanceof Float64Array) || o.start.length !== dim)) {
    throw new Error(
      `${where}: start must be a Float64Array of ${dim} reduced amplitudes, got ${o.start instanceof Float64Array ? o.start.length : String(o.start)}`,
    );
  }
  let c: Float64Array,
    energy: number,
    iterations = 0;
  if (method === "dense") {
    const M = new Float64Array(dim * dim),
      e = new Float64Array(dim),
      col = new Float64Array(dim);
    for (let j = 0; j < dim; j++) {
      e.fill(0);
      e[j] = 1;
      sector.apply(e, col);
      for (let i = 0; i < dim; i++) M[i * dim + j] = col[i];
    }
    const eig = eigHermitian(dim, M, null);
    c = Float64Array.from(eig.vectorsRe[0]);
    energy = eig.values[0];
  } else {
    const lo: LanczosOptions = {
      maxIter: o.maxIter,
      tol: o.tol,
      seed: o.seed,
      reorthogonalize: o.reorthogonalize,
      maxRestarts: o.maxRestarts,
      real: true,
      start: o.start ? { re: o.start, im: null } : null,
    };
    checkLanczosOptions(where, lo);
    const r = lanczosCore(
      where,
      {
        real: true,
        applyReal: sector.apply,
        applyComplex: () => {
          throw new Error(`${where}: the reduced operator is real`);
        },
      },
      dim,
      lo,
    );
    c = r.stateRe;
    energy = r.energy;
    iterations = r.iterations;
  }
  const state = sector.expand(c);
  const ref = fixGlobalPhase(state.re, state.im);
  // fixGlobalPhase may flip the sign: keep the reduced vector consistent with the returned state.
  const k = sector.project(state);
  void ref;
  const hc = new Float64Array(dim);
  sector.apply(k, hc);
  let r2 = 0;
  for (let i = 0; i < dim; i++) r2 += (hc[i] - energy * k[i]) ** 2;
  return { energy, state, residual: Math.sqrt(r2), method, iterations, reduced: k };
}
