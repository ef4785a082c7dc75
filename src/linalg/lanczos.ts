/**
 * The Lanczos eigensolver: the lowest eigenpair of a Hermitian linear operator given as a matrix-vector product
 * ({@link ComplexApply}), for operators too large to store. It knows nothing of qubits or Pauli sums: the
 * simulator's `groundState` (`sim/state/groundState.ts`) feeds it a compiled Pauli sum.
 *
 * **Lanczos** (Lanczos 1950; Golub & Van Loan, *Matrix Computations*, §10.1; Saad, *Numerical Methods for
 * Large Eigenvalue Problems*, §6.3). From a unit start vector `v_0`, the three-term recurrence
 * `β_j v_{j+1} = H v_j − α_j v_j − β_{j−1} v_{j−1}` builds an orthonormal Krylov basis `V_k` in which H is
 * the tridiagonal `T_k = tridiag(β, α, β)`. The lowest eigenpair `(θ, y)` of `T_k` gives the Ritz pair
 * `(θ, V_k y)` with residual norm `‖H V_k y − θ V_k y‖ = β_k |y_{k−1}|`, which is the convergence test. It is
 * evaluated at every step in O(k) (Sturm bisection and inverse iteration on `T_k`); once it passes, the Ritz
 * vector is formed from ml-matrix's decomposition of `T_k`, and its residual `‖Hx − Ex‖` with
 * `E = ⟨x|H|x⟩` is recomputed from scratch with one more application of H. Only that recomputed residual
 * decides convergence.
 *
 * Orthogonality of the Krylov basis (`reorthogonalize`): every step removes the component along `v_j` again
 * (local reorthogonalisation). `"full"` then orthogonalises each new vector against all stored ones
 * (classical Gram–Schmidt with 4-way blocked kernels, repeated once when it removes more than 30 % of the
 * norm: the Daniel–Gragg–Kaufman–Stewart criterion), keeping the basis orthonormal to rounding.
 * `"partial"` (Simon, Math. Comp. 42, 115 (1984)) tracks estimates of `⟨v_j, v_k⟩` with the ω recurrence and
 * reorthogonalises against all stored vectors only when one exceeds a threshold (and at the step after).
 * Simon's threshold √ε keeps Ritz values accurate, but each correction leaves an error of up to
 * threshold × β in the Lanczos relation, which caps the attainable Ritz-vector residual near √ε·‖H‖ (seen
 * here: 3e-9 for a real operator of dimension 2^9); so the threshold is `min(√ε, 0.1·tol/‖T‖)`, and the residual reaches
 * `tol` at a fraction of the O(k·dim) cost per step of full reorthogonalisation. `"none"` is the bare recurrence (ghost copies of converged
 * eigenvalues may appear; the recomputed residual still guards the result).
 *
 * When the basis reaches `maxIter` vectors without convergence, the method restarts explicitly from the
 * current Ritz vector (at most `maxRestarts` times), then throws quoting the residual.
 *
 * **Near-degenerate ground spaces.** Lanczos resolves two eigenvalues only as far as the residual tolerance
 * requires: if the lowest eigenvalues differ by less than about `tol`, any normalised vector in their span has
 * a residual below `tol`, and the returned state may be any such combination (which one depends on the start
 * vector, deterministically for a given seed), whereas a dense eigen-solver returns the eigenvector of the lowest
 * computed eigenvalue (`sim/state/groundState.ts` gives a physical example and the measured timings).
 *
 * Memory: the Krylov basis holds up to `maxIter` vectors of `dim` doubles (twice that for complex operators),
 * e.g. 300 × 2^16 × 8 B = 157 MB for a real 16-qubit Hamiltonian.
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { Rng } from "../util/rng";
import { withDefaults, checkInt, checkNumber, checkOneOf } from "../util/options";

/**
 * A linear operator on complex vectors of length `dim`: writes `H·(inRe + i·inIm)` into `outRe + i·outIm`
 * (overwriting them). The output arrays never alias the inputs.
 */
export type ComplexApply = (inRe: Float64Array, inIm: Float64Array, outRe: Float64Array, outIm: Float64Array) => void;

/** Options of {@link lanczosGroundState}. */
export interface LanczosOptions {
  /**
   * Largest Krylov basis (number of H applications) per cycle; capped at `dim`.
   * @defaultValue 300
   */
  maxIter: number;
  /**
   * Absolute tolerance on the residual norm `‖Hx − Ex‖` of the unit vector x.
   * @defaultValue 1e-10
   */
  tol: number;
  /**
   * Seed of the random start vector (independent standard-normal entries, then normalised).
   * @defaultValue 0
   */
  seed: number | string;
  /**
   * Start vector instead of a random one (normalised internally; `im` may be omitted). A start vector inside
   * a symmetry sector keeps Lanczos inside that sector: it then finds the lowest state of the sector.
   * @defaultValue null
   */
  start: { re: ArrayLike<number>; im?: ArrayLike<number> | null } | null;
  /**
   * `"full"`: orthogonalise each new Krylov vector against all stored ones (robust, O(k·dim) per step);
   * `"partial"`: only when the ω-recurrence estimate of the lost orthogonality exceeds √ε (Simon 1984; same
   * accuracy, about 2–3× faster at 15 qubits); `"none"`: plain three-term recurrence (cheapest; loses
   * orthogonality once a Ritz vector converges). In every mode the final residual is checked from scratch.
   * @defaultValue "full"
   */
  reorthogonalize: "full" | "partial" | "none";
  /**
   * Explicit restarts from the current Ritz vector after a cycle of `maxIter` steps without convergence.
   * @defaultValue 5
   */
  maxRestarts: number;
  /**
   * Declare that the operator maps real vectors to real vectors (a real symmetric matrix): Lanczos then works
   * in real arithmetic, calls `apply` with an all-zero `inIm`, and throws if `outIm` comes back nonzero.
   * @defaultValue false
   */
  real: boolean;
}

/** Result of {@link lanczosGroundState}. */
export interface LanczosResult {
  /** Ground-state energy estimate `⟨x|H|x⟩`. */
  energy: number;
  /** Real parts of the unit ground-state vector x (length `dim`). */
  stateRe: Float64Array;
  /** Imaginary parts of x (all zero in real mode). */
  stateIm: Float64Array;
  /** Total number of Lanczos steps (applications of H, excluding the final residual check). */
  iterations: number;
  /** `‖Hx − Ex‖`, recomputed from scratch. */
  residual: number;
  /** Number of explicit restarts used. */
  restarts: number;
}

export const LANCZOS_DEFAULTS: LanczosOptions = {
  maxIter: 300,
  tol: 1e-10,
  seed: 0,
  start: null,
  reorthogonalize: "full",
  maxRestarts: 5,
  real: false,
};

/** Internal operator form: real mode applies to one array, complex mode to two. */
/** An operator for {@link lanczosCore}: real or complex matrix-vector products (the simulator's ground-state routes). */
export interface CoreOperator {
  real: boolean;
  applyReal: (x: Float64Array, y: Float64Array) => void;
  applyComplex: ComplexApply;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Checks fully resolved Lanczos options. @throws Error naming the bad option and what is allowed. */
export function checkLanczosOptions(where: string, o: LanczosOptions): void {
  checkInt(where, "maxIter", o.maxIter, 1, 100000);
  checkNumber(where, "tol", o.tol, 0);
  if (!(o.tol > 0)) throw new Error(`${where}: tol must be a positive number, got ${o.tol}`);
  if (!(typeof o.seed === "string" || (typeof o.seed === "number" && Number.isFinite(o.seed)))) {
    throw new Error(`${where}: seed must be a finite number or a string, got ${String(o.seed)}`);
  }
  checkOneOf(where, "reorthogonalize", o.reorthogonalize, ["full", "partial", "none"] as const);
  checkInt(where, "maxRestarts", o.maxRestarts, 0, 1000);
  if (typeof o.real !== "boolean") throw new Error(`${where}: real must be true or false, got ${String(o.real)}`);
}

/** Lowest eigenpair of the symmetric tridiagonal matrix with diagonal `a[0..k-1]` and off-diagonal `b[0..k-2]`. */
function lowestTridiagonal(a: number[], b: number[], k: number): { theta: number; y: Float64Array } {
  if (k === 1) return { theta: a[0], y: Float64Array.of(1) };
  const rows: Float64Array[] = [];
  for (let i = 0; i < k; i++) {
    const row = new Float64Array(k);
    row[i] = a[i];
    if (i > 0) row[i - 1] = b[i - 1];
    if (i < k - 1) row[i + 1] = b[i];
    rows.push(row);
  }
  const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const d = evd.realEigenvalues;
  let best = 0;
  for (let i = 1; i < k; i++) if (d[i] < d[best]) best = i;
  const V = evd.eigenvectorMatrix;
  const y = new Float64Array(k);
  for (let i = 0; i < k; i++) y[i] = V.get(i, best);
  return { theta: d[best], y };
}

/**
 * Lowest eigenpair of the symmetric tridiagonal matrix (diagonal `a[0..k-1]`, off-diagonal `b[0..k-2]`) in
 * O(k) work, for the convergence test at every step: the eigenvalue by Sturm-sequence bisection (LAPACK
 * `dstebz`), the eigenvector by three steps of inverse iteration with a pivoted tridiagonal LU (LAPACK `dstein`).
 * The accepted Ritz vector is recomputed with ml-matrix ({@link lowestTridiagonal}).
 */
function lowestTridiagonalFast(a: number[], b: number[], k: number): { theta: number; y: Float64Array } {
  if (k === 1) return { theta: a[0], y: Float64Array.of(1) };
  let lo = Infinity,
    hi = -Infinity,
    tnorm = 0;
  for (let i = 0; i < k; i++) {
    const r = (i > 0 ? Math.abs(b[i - 1]) : 0) + (i < k - 1 ? Math.abs(b[i]) : 0);
    lo = Math.min(lo, a[i] - r);
    hi = Math.max(hi, a[i] + r);
    tnorm = Math.max(tnorm, Math.abs(a[i]) + r);
  }
  const pivmin = Math.max(Number.MIN_VALUE * 1e10, EPS * EPS * tnorm * tnorm);
  /** Number of eigenvalues below x (Sturm count). */
  const below = (x: number): number => {
    let c = 0;
    let q = a[0] - x;
    if (Math.abs(q) < pivmin) q = -pivmin;
    if (q < 0) c++;
    for (let i = 1; i < k; i++) {
      q = a[i] - x - (b[i - 1] * b[i - 1]) / q;
      if (Math.abs(q) < pivmin) q = -pivmin;
      if (q < 0) c++;
    }
    return c;
  };
  hi = Math.min(hi, a[0]); // the smallest eigenvalue is at most any diagonal entry
  for (let it = 0; it < 200 && hi - lo > 2 * EPS * Math.max(Math.abs(lo), Math.abs(hi), tnorm * 1e-3); it++) {
    const mid = 0.5 * (lo + hi);
    if (below(mid) >= 1) hi = mid;
    else lo = mid;
  }
  const theta = 0.5 * (lo + hi);
  // Inverse iteration on T − θI: LU with partial pivoting of a tridiagonal (U has two superdiagonals).
  const d = new Float64Array(k),
    du = new Float64Array(k),
    du2 = new Float64Array(k),
    dl = new Float64Array(k);
  const piv = new Uint8Array(k);
  for (let i = 0; i < k; i++) d[i] = a[i] - theta;
  for (let i = 0; i < k - 1; i++) {
    du[i] = b[i];
    dl[i] = b[i];
  }
  const tiny = EPS * Math.max(tnorm, Number.MIN_VALUE);
  for (let i = 0; i < k - 1; i++) {
    if (Math.abs(d[i]) >= Math.abs(dl[i])) {
      piv[i] = 0;
      if (d[i] === 0) d[i] = tiny;
      const l = dl[i] / d[i];
      dl[i] = l;
      d[i + 1] -= l * du[i];
      du2[i] = 0;
    } else {
      piv[i] = 1;
      const l = d[i] / dl[i];
      d[i] = dl[i];
      dl[i] = l;
      const t = du[i];
      du[i] = d[i + 1];
      d[i + 1] = t - l * d[i + 1];
      if (i < k - 2) {
        du2[i] = du[i + 1];
        du[i + 1] = -l * du[i + 1];
      }
    }
  }
  if (d[k - 1] === 0) d[k - 1] = tiny;
  for (let i = 0; i < k; i++) if (Math.abs(d[i]) < tiny) d[i] = d[i] < 0 ? -tiny : tiny;
  // A generic (deterministic) start, not orthogonal to the wanted vector by symmetry.
  let y = Float64Array.from({ length: k }, (_, i) => 1 + 0.5 * Math.sin(1 + 2.3 * i));
  for (let sweep = 0; sweep < 3; sweep++) {
    const x = y.slice();
    // Forward: apply the row interchanges and L.
    for (let i = 0; i < k - 1; i++) {
      if (piv[i] === 0) x[i + 1] -= dl[i] * x[i];
      else {
        const t = x[i];
        x[i] = x[i + 1];
        x[i + 1] = t - dl[i] * x[i + 1];
      }
    }
    // Back substitution with U.
    x[k - 1] /= d[k - 1];
    if (k > 1) x[k - 2] = (x[k - 2] - du[k - 2] * x[k - 1]) / d[k - 2];
    for (let i = k - 3; i >= 0; i--) x[i] = (x[i] - du[i] * x[i + 1] - du2[i] * x[i + 2]) / d[i];
    let s = 0;
    for (let i = 0; i < k; i++) s += x[i] * x[i];
    s = 1 / Math.sqrt(s);
    for (let i = 0; i < k; i++) x[i] *= s;
    y = x;
  }
  return { theta, y };
}

/**
 * One classical Gram–Schmidt pass of `w` against the first `count` basis vectors: `c_q = ⟨v_q, w⟩`,
 * `w ← w − Σ_q c_q v_q`. Real vectors use 4-way blocked kernels (one sweep over w per 4 basis vectors).
 * Returns Re c_{count−1} (the correction to the last α).
 */
function gramSchmidtPass(
  Vre: Float64Array[],
  Vim: Float64Array[] | null,
  count: number,
  wr: Float64Array,
  wi: Float64Array | null,
): number {
  const n = wr.length;
  const cr = new Float64Array(count);
  if (wi === null || Vim === null) {
    let q = 0;
    for (; q + 4 <= count; q += 4) {
      const a0 = Vre[q],
        a1 = Vre[q + 1],
        a2 = Vre[q + 2],
        a3 = Vre[q + 3];
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      for (let i = 0; i < n; i++) {
        const x = wr[i];
        s0 += a0[i] * x;
        s1 += a1[i] * x;
        s2 += a2[i] * x;
        s3 += a3[i] * x;
      }
      cr[q] = s0;
      cr[q + 1] = s1;
      cr[q + 2] = s2;
      cr[q + 3] = s3;
    }
    for (; q < count; q++) cr[q] = dot(Vre[q], wr);
    q = 0;
    for (; q + 4 <= count; q += 4) {
      const a0 = Vre[q],
        a1 = Vre[q + 1],
        a2 = Vre[q + 2],
        a3 = Vre[q + 3];
      const c0 = cr[q],
        c1 = cr[q + 1],
        c2 = cr[q + 2],
        c3 = cr[q + 3];
      for (let i = 0; i < n; i++) wr[i] -= c0 * a0[i] + c1 * a1[i] + c2 * a2[i] + c3 * a3[i];
    }
    for (; q < count; q++) {
      const a = Vre[q],
        c = cr[q];
      for (let i = 0; i < n; i++) wr[i] -= c * a[i];
    }
    return cr[count - 1];
  }
  const ci = new Float64Array(count);
  for (let q = 0; q < count; q++) {
    const ar = Vre[q],
      ai = Vim[q];
    let sr = 0,
      si = 0;
    for (let i = 0; i < n; i++) {
      sr += ar[i] * wr[i] + ai[i] * wi[i];
      si += ar[i] * wi[i] - ai[i] * wr[i];
    }
    cr[q] = sr;
    ci[q] = si;
  }
  for (let q = 0; q < count; q++) {
    const ar = Vre[q],
      ai = Vim[q],
      c = cr[q],
      d = ci[q];
    for (let i = 0; i < n; i++) {
      wr[i] -= c * ar[i] - d * ai[i];
      wi[i] -= c * ai[i] + d * ar[i];
    }
  }
  return cr[count - 1];
}

const EPS = 2.220446049250313e-16;
const SQRT_EPS = Math.sqrt(EPS);

/**
 * The Lanczos iteration with restarts on `op` (see the module doc); {@link lanczosGroundState} and the
 * simulator's ground-state routes call it with checked options.
 * @throws Error quoting the residual when it does not converge within `maxRestarts` restarts.
 */
export function lanczosCore(where: string, op: CoreOperator, dim: number, o: LanczosOptions): LanczosResult {
  const real = op.real;
  const m = Math.min(o.maxIter, dim);
  // Start vector.
  let xRe: Float64Array = new Float64Array(dim);
  let xIm: Float64Array | null = real ? null : new Float64Array(dim);
  if (o.start) {
    const s = o.start;
    if (!s.re || s.re.length !== dim)
      throw new Error(`${where}: start.re must have length ${dim}, got ${s.re ? s.re.length : String(s.re)}`);
    if (s.im && s.im.length !== dim) throw new Error(`${where}: start.im must have length ${dim}, got ${s.im.length}`);
    for (let i = 0; i < dim; i++) {
      xRe[i] = s.re[i];
      if (s.im) {
        if (real && s.im[i] !== 0) {
          throw new Error(`${where}: real mode needs a real start vector, but start.im[${i}] = ${s.im[i]}`);
        }
        if (xIm) xIm[i] = s.im[i];
      }
    }
  } else {
    const rng = new Rng(o.seed);
    for (let i = 0; i < dim; i++) {
      xRe[i] = rng.normal();
      if (xIm) xIm[i] = rng.normal();
    }
  }
  let n0 = dot(xRe, xRe) + (xIm ? dot(xIm, xIm) : 0);
  if (!(n0 > 0) || !Number.isFinite(n0))
    throw new Error(`${where}: start vector has norm ${Math.sqrt(n0)}; it must be finite and nonzero`);
  n0 = 1 / Math.sqrt(n0);
  for (let i = 0; i < dim; i++) {
    xRe[i] *= n0;
    if (xIm) xIm[i] *= n0;
  }

  const hxRe = new Float64Array(dim);
  const hxIm = real ? null : new Float64Array(dim);
  const apply = (vr: Float64Array, vi: Float64Array | null, wr: Float64Array, wi: Float64Array | null) => {
    if (real) op.applyReal(vr, wr);
    else op.applyComplex(vr, vi!, wr, wi!);
  };
  const norm2 = (vr: Float64Array, vi: Float64Array | null) => dot(vr, vr) + (vi ? dot(vi, vi) : 0);
  /** Rayleigh quotient and true residual of the unit vector x. */
  const residualOf = (vr: Float64Array, vi: Float64Array | null): { energy: number; residual: number } => {
    apply(vr, vi, hxRe, hxIm);
    const e = dot(vr, hxRe) + (vi ? dot(vi, hxIm!) : 0);
    let r2 = 0;
    for (let i = 0; i < dim; i++) {
      const d = hxRe[i] - e * vr[i];
      r2 += d * d;
    }
    if (vi) {
      for (let i = 0; i < dim; i++) {
        const d = hxIm![i] - e * vi[i];
        r2 += d * d;
      }
    }
    return { energy: e, residual: Math.sqrt(r2) };
  };

  let iterations = 0;
  let lastResidual = Infinity;
  for (let cycle = 0; cycle <= o.maxRestarts; cycle++) {
    const Vre: Float64Array[] = [xRe.slice()];
    const Vim: Float64Array[] | null = xIm ? [xIm.slice()] : null;
    const alpha: number[] = [];
    const beta: number[] = [];
    // Partial reorthogonalisation: estimates ω_{j,k} ≈ ⟨v_j, v_k⟩ of the current and previous rows.
    let omegaPrev = new Float64Array(m + 1);
    let omegaCur = new Float64Array(m + 1);
    let omegaNext = new Float64Array(m + 1);
    omegaCur[0] = 1;
    let forceNext = false;
    let quietUntil = 0;
    let anorm = 0;
    let restartFrom: { re: Float64Array; im: Float64Array | null } | null = null;
    for (let j = 0; j < m; j++) {
      const vr = Vre[j],
        vi = Vim ? Vim[j] : null;
      const wr = new Float64Array(dim);
      const wi = real ? null : new Float64Array(dim);
      apply(vr, vi, wr, wi);
      iterations++;
      // Three-term recurrence; α_j = Re⟨v_j, w⟩ (exactly real for Hermitian H).
      let a = dot(vr, wr) + (vi ? dot(vi, wi!) : 0);
      const bPrev = j > 0 ? beta[j - 1] : 0;
      const pr = j > 0 ? Vre[j - 1] : null,
        pi = j > 0 && Vim ? Vim[j - 1] : null;
      if (pr) {
        for (let i = 0; i < dim; i++) wr[i] -= a * vr[i] + bPrev * pr[i];
        if (wi) for (let i = 0; i < dim; i++) wi[i] -= a * vi![i] + bPrev * pi![i];
      } else {
        for (let i = 0; i < dim; i++) wr[i] -= a * vr[i];
        if (wi) for (let i = 0; i < dim; i++) wi[i] -= a * vi![i];
      }
      // Local reorthogonalisation against v_j (cheap; keeps α accurate).
      if (o.reorthogonalize !== "none")
        a += gramSchmidtPass(Vre.slice(j, j + 1), Vim ? Vim.slice(j, j + 1) : null, 1, wr, wi);
      const bRaw = Math.sqrt(norm2(wr, wi));
      let reorth = false;
      if (o.reorthogonalize === "full") {
        reorth = true;
      } else if (o.reorthogonalize === "partial") {
        // ω recurrence (Simon 1984) with a worst-case rounding term.
        const bj = Math.max(bRaw, EPS);
        let worst = 0;
        for (let k = 0; k < j; k++) {
          let t = beta[k] * omegaCur[k + 1] + (alpha[k] - a) * omegaCur[k] - bPrev * omegaPrev[k];
          if (k > 0) t += beta[k - 1] * omegaCur[k - 1];
          t += (t >= 0 ? 1 : -1) * EPS * (beta[k] + bj);
          omegaNext[k] = t / bj;
          worst = Math.max(worst, Math.abs(omegaNext[k]));
        }
        omegaNext[j] = EPS;
        omegaNext[j + 1] = 1;
        // Reorthogonalisation folds the removed components (up to the threshold times β) into the rounding
        // term of A V = V T + β v e^T + F, which bounds the attainable residual: keep the threshold below
        // tol/‖T‖, and at most √ε (semi-orthogonality).
        const threshold = Math.min(SQRT_EPS, Math.max(10 * EPS, (0.1 * o.tol) / Math.max(1, anorm)));
        if (forceNext || worst > threshold) {
          reorth = true;
          forceNext = !forceNext; // a triggered reorthogonalisation is repeated once at the next step
          for (let k = 0; k <= j; k++) omegaNext[k] = EPS;
        }
        const t = omegaPrev;
        omegaPrev = omegaCur;
        omegaCur = omegaNext;
        omegaNext = t;
      }
      if (reorth && j > 0) {
        // Classical Gram–Schmidt against all stored vectors, repeated once if it removed over 30 % of the norm.
        for (let pass = 0; pass < 2; pass++) {
          const before = norm2(wr, wi);
          a += gramSchmidtPass(Vre, Vim, j + 1, wr, wi);
          if (norm2(wr, wi) > 0.49 * before) break;
        }
      }
      alpha.push(a);
      const b = Math.sqrt(norm2(wr, wi));
      anorm = Math.max(anorm, Math.abs(a) + b + bPrev);
      const k = j + 1;
      const breakdown = b <= 1e-14 * Math.max(1, anorm);
      // Convergence test at every step (O(k)); the Ritz vector itself comes from ml-matrix.
      const fast = lowestTridiagonalFast(alpha, beta, k);
      const estimate = b * Math.abs(fast.y[k - 1]);
      if ((estimate <= o.tol && k >= quietUntil) || breakdown || k === m) {
        const { theta, y } = lowestTridiagonal(alpha, beta, k);
        // Ritz vector x = V_k y.
        const rr = new Float64Array(dim);
        const ri = real ? null : new Float64Array(dim);
        for (let q = 0; q < k; q++) {
          const c = y[q],
            qr = Vre[q];
          for (let i = 0; i < dim; i++) rr[i] += c * qr[i];
          if (ri) {
            const qi = Vim![q];
            for (let i = 0; i < dim; i++) ri[i] += c * qi[i];
          }
        }
        const nrm = 1 / Math.sqrt(norm2(rr, ri));
        for (let i = 0; i < dim; i++) {
          rr[i] *= nrm;
          if (ri) ri[i] *= nrm;
        }
        const { energy, residual } = residualOf(rr, ri);
        lastResidual = residual;
        if (residual <= o.tol) {
          return {
            energy: Number.isFinite(energy) ? energy : theta,
            stateRe: rr,
            stateIm: ri ?? new Float64Array(dim),
            iterations,
            residual,
            restarts: cycle,
          };
        }
        if (breakdown || k === m) {
          restartFrom = { re: rr, im: ri };
          break;
        }
        // The estimate was optimistic (rounding): iterate on before testing the true residual again.
        quietUntil = k + Math.max(5, Math.ceil(0.1 * k));
      }
      beta.push(b);
      const inv = 1 / b;
      for (let i = 0; i < dim; i++) wr[i] *= inv;
      if (wi) for (let i = 0; i < dim; i++) wi[i] *= inv;
      Vre.push(wr);
      if (wi) Vim!.push(wi);
    }
    if (!restartFrom) break; // unreachable: the loop ends with k === m
    xRe = restartFrom.re;
    xIm = restartFrom.im;
  }
  throw new Error(
    `${where}: no convergence after ${iterations} iterations (${o.maxRestarts} restarts of at most ${m} steps): ` +
      `residual ‖Hx − Ex‖ = ${lastResidual} > tol ${o.tol}; raise maxIter or maxRestarts, or loosen tol`,
  );
}

/**
 * Lowest eigenpair of a Hermitian operator given as a matrix-free product, by the Lanczos method with full
 * reorthogonalisation and explicit restarts (see the module doc for the algorithm and for near-degenerate
 * ground spaces).
 *
 * @param apply - writes `H·in` into `out` (see {@link ComplexApply}); H must be Hermitian.
 * @param dim - vector length (integer ≥ 1).
 * @param options - see {@link LanczosOptions}.
 * @returns the Ritz value, the unit Ritz vector, the number of steps, the recomputed residual and restarts.
 * @throws Error for a bad option (quoted), a start vector of the wrong length or zero norm, an operator that
 *   returns non-finite values or (in real mode) a nonzero imaginary part, and when the residual stays above
 *   `tol` after all restarts (the message quotes the residual).
 *
 * Source: C. Lanczos, J. Res. Natl. Bur. Stand. 45, 255 (1950); Golub & Van Loan, *Matrix Computations*,
 * 4th ed., §10.1.
 */
export function lanczosGroundState(apply: ComplexApply, dim: number, options?: Partial<LanczosOptions>): LanczosResult {
  const where = "lanczosGroundState";
  const o = withDefaults(where, LANCZOS_DEFAULTS, options);
  checkLanczosOptions(where, o);
  if (typeof apply !== "function") throw new Error(`${where}: apply must be a function, got ${typeof apply}`);
  checkInt(where, "dim", dim, 1, 2 ** 28);
  const zeroIm = new Float64Array(dim);
  const scratchIm = new Float64Array(dim);
  const checkFinite = (a: Float64Array, name: string) => {
    for (let i = 0; i < a.length; i++) {
      if (!Number.isFinite(a[i])) throw new Error(`${where}: apply returned a non-finite ${name}[${i}] = ${a[i]}`);
    }
  };
  const op: CoreOperator = {
    real: o.real,
    applyReal: (x, y) => {
      zeroIm.fill(0);
      apply(x, zeroIm, y, scratchIm);
      checkFinite(y, "outRe");
      let worst = 0,
        at = 0;
      for (let i = 0; i < dim; i++) {
        if (Math.abs(scratchIm[i]) > worst) {
          worst = Math.abs(scratchIm[i]);
          at = i;
        }
      }
      let scale = 0;
      for (let i = 0; i < dim; i++) scale = Math.max(scale, Math.abs(y[i]));
      if (worst > 1e-12 * Math.max(1, scale)) {
        throw new Error(
          `${where}: real: true, but apply returned a nonzero imaginary part (outIm[${at}] = ${scratchIm[at]})`,
        );
      }
    },
    applyComplex: (xr, xi, yr, yi) => {
      apply(xr, xi, yr, yi);
      checkFinite(yr, "outRe");
      checkFinite(yi, "outIm");
    },
  };
  return lanczosCore(where, op, dim, o);
}
