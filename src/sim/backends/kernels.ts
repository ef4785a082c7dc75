/**
 * Gate kernels: in-place updates of a statevector's `re`/`im` arrays (little-endian qubit order, see
 * `statevector.ts`). Each kernel visits the amplitude pairs (i0, i1 = i0 | 1<<t) whose control bits are all set.
 *
 * Specialised kernels: diagonal (RZ, S, T, Z, CZ), anti-diagonal/permutation (X, Y, CNOT, SWAP), real (RY, H)
 * and general complex 2×2. {@link applyMat2} picks the cheapest one for a given matrix.
 */
import type { Mat2 } from "../program/gates";

/** Applies the general complex 2×2 matrix `m` on qubit `t`, on pairs whose `ctrlMask` bits are all 1. */
export function applyGeneral(re: Float64Array, im: Float64Array, t: number, m: Mat2, ctrlMask = 0): void {
  const ar = m[0],
    ai = m[1],
    br = m[2],
    bi = m[3],
    cr = m[4],
    ci = m[5],
    dr = m[6],
    di = m[7];
  const bit = 1 << t,
    lowMask = bit - 1,
    half = re.length >> 1;
  for (let k = 0; k < half; k++) {
    const i0 = ((k & ~lowMask) << 1) | (k & lowMask);
    if ((i0 & ctrlMask) !== ctrlMask) continue;
    const i1 = i0 | bit;
    const xr = re[i0],
      xi = im[i0],
      yr = re[i1],
      yi = im[i1];
    re[i0] = ar * xr - ai * xi + br * yr - bi * yi;
    im[i0] = ar * xi + ai * xr + br * yi + bi * yr;
    re[i1] = cr * xr - ci * xi + dr * yr - di * yi;
    im[i1] = cr * xi + ci * xr + dr * yi + di * yr;
  }
}

/** Applies a real 2×2 matrix [[a, b], [c, d]] on qubit `t` (RY, H, and products of them). */
export function applyReal(
  re: Float64Array,
  im: Float64Array,
  t: number,
  a: number,
  b: number,
  c: number,
  d: number,
  ctrlMask = 0,
): void {
  const bit = 1 << t,
    lowMask = bit - 1,
    half = re.length >> 1;
  for (let k = 0; k < half; k++) {
    const i0 = ((k & ~lowMask) << 1) | (k & lowMask);
    if ((i0 & ctrlMask) !== ctrlMask) continue;
    const i1 = i0 | bit;
    const xr = re[i0],
      xi = im[i0],
      yr = re[i1],
      yi = im[i1];
    re[i0] = a * xr + b * yr;
    im[i0] = a * xi + b * yi;
    re[i1] = c * xr + d * yr;
    im[i1] = c * xi + d * yi;
  }
}

/** Applies diag(d0, d1) on qubit `t` (complex entries): RZ, S, T, Z, phase gates. */
export function applyDiagonal(
  re: Float64Array,
  im: Float64Array,
  t: number,
  d0r: number,
  d0i: number,
  d1r: number,
  d1i: number,
  ctrlMask = 0,
): void {
  const bit = 1 << t,
    dim = re.length;
  const skip0 = d0r === 1 && d0i === 0;
  for (let i = 0; i < dim; i++) {
    if ((i & ctrlMask) !== ctrlMask) continue;
    let pr: number, pi: number;
    if (i & bit) {
      pr = d1r;
      pi = d1i;
    } else {
      if (skip0) continue;
      pr = d0r;
      pi = d0i;
    }
    const xr = re[i],
      xi = im[i];
    re[i] = pr * xr - pi * xi;
    im[i] = pr * xi + pi * xr;
  }
}

/** Applies the anti-diagonal matrix [[0, b], [c, 0]] on qubit `t` (X, Y, and phased flips). */
export function applyAntiDiagonal(
  re: Float64Array,
  im: Float64Array,
  t: number,
  br: number,
  bi: number,
  cr: number,
  ci: number,
  ctrlMask = 0,
): void {
  const bit = 1 << t,
    lowMask = bit - 1,
    half = re.length >> 1;
  const plainX = br === 1 && bi === 0 && cr === 1 && ci === 0;
  for (let k = 0; k < half; k++) {
    const i0 = ((k & ~lowMask) << 1) | (k & lowMask);
    if ((i0 & ctrlMask) !== ctrlMask) continue;
    const i1 = i0 | bit;
    const xr = re[i0],
      xi = im[i0],
      yr = re[i1],
      yi = im[i1];
    if (plainX) {
      re[i0] = yr;
      im[i0] = yi;
      re[i1] = xr;
      im[i1] = xi;
    } else {
      re[i0] = br * yr - bi * yi;
      im[i0] = br * yi + bi * yr;
      re[i1] = cr * xr - ci * xi;
      im[i1] = cr * xi + ci * xr;
    }
  }
}

/** Kinds of 2×2 matrix, from cheapest kernel to most general. */
export const enum MatKind {
  Identity = 0,
  Diagonal = 1,
  AntiDiagonal = 2,
  Real = 3,
  General = 4,
}

/** Classifies `m` (exact zero tests: fused products of rotations keep exact zeros where they are structural). */
export function classifyMat2(m: Mat2): MatKind {
  const offZero = m[2] === 0 && m[3] === 0 && m[4] === 0 && m[5] === 0;
  if (offZero) {
    if (m[0] === 1 && m[1] === 0 && m[6] === 1 && m[7] === 0) return MatKind.Identity;
    return MatKind.Diagonal;
  }
  if (m[0] === 0 && m[1] === 0 && m[6] === 0 && m[7] === 0) return MatKind.AntiDiagonal;
  if (m[1] === 0 && m[3] === 0 && m[5] === 0 && m[7] === 0) return MatKind.Real;
  return MatKind.General;
}

/** Applies `m` on qubit `t` (with controls) through the cheapest kernel for its structure. */
export function applyMat2(
  re: Float64Array,
  im: Float64Array,
  t: number,
  m: Mat2,
  ctrlMask = 0,
  kind: MatKind = classifyMat2(m),
): void {
  switch (kind) {
    case MatKind.Identity:
      return;
    case MatKind.Diagonal:
      return applyDiagonal(re, im, t, m[0], m[1], m[6], m[7], ctrlMask);
    case MatKind.AntiDiagonal:
      return applyAntiDiagonal(re, im, t, m[2], m[3], m[4], m[5], ctrlMask);
    case MatKind.Real:
      return applyReal(re, im, t, m[0], m[2], m[4], m[6], ctrlMask);
    default:
      return applyGeneral(re, im, t, m, ctrlMask);
  }
}

/**
 * One pass over the pairs of qubit t: φ ← M·φ, λ ← M·λ (M = B†), and, when `acc` is given,
 * acc_ab = Σ conj(λ_old[a])·φ_new[b] (layout like a Mat2). The fused step of the adjoint sweep over a block
 * (`grad/adjoint.ts`): one pass uncomputes φ, pulls λ back and accumulates the 2×2 matrix C.
 */
export function pairStep(
  pr: Float64Array,
  pi: Float64Array,
  lr: Float64Array,
  li: Float64Array,
  t: number,
  ctrlMask: number,
  m: Mat2,
  acc: Float64Array | null,
): void {
  const ar = m[0],
    ai = m[1],
    br = m[2],
    bi = m[3],
    cr = m[4],
    ci = m[5],
    dr = m[6],
    di = m[7];
  const bit = 1 << t,
    lowMask = bit - 1,
    half = pr.length >> 1;
  let c00r = 0,
    c00i = 0,
    c01r = 0,
    c01i = 0,
    c10r = 0,
    c10i = 0,
    c11r = 0,
    c11i = 0;
  for (let k = 0; k < half; k++) {
    const i0 = ((k & ~lowMask) << 1) | (k & lowMask);
    if ((i0 & ctrlMask) !== ctrlMask) continue;
    const i1 = i0 | bit;
    // phi
    let xr = pr[i0],
      xi = pi[i0],
      yr = pr[i1],
      yi = pi[i1];
    const p0r = ar * xr - ai * xi + br * yr - bi * yi;
    const p0i = ar * xi + ai * xr + br * yi + bi * yr;
    const p1r = cr * xr - ci * xi + dr * yr - di * yi;
    const p1i = cr * xi + ci * xr + dr * yi + di * yr;
    pr[i0] = p0r;
    pi[i0] = p0i;
    pr[i1] = p1r;
    pi[i1] = p1i;
    // lambda
    xr = lr[i0];
    xi = li[i0];
    yr = lr[i1];
    yi = li[i1];
    lr[i0] = ar * xr - ai * xi + br * yr - bi * yi;
    li[i0] = ar * xi + ai * xr + br * yi + bi * yr;
    lr[i1] = cr * xr - ci * xi + dr * yr - di * yi;
    li[i1] = cr * xi + ci * xr + dr * yi + di * yr;
    if (acc) {
      // conj(l)·p = (lr − i li)(pr + i pi) = lr·pr + li·pi + i(lr·pi − li·pr)
      c00r += xr * p0r + xi * p0i;
      c00i += xr * p0i - xi * p0r;
      c01r += xr * p1r + xi * p1i;
      c01i += xr * p1i - xi * p1r;
      c10r += yr * p0r + yi * p0i;
      c10i += yr * p0i - yi * p0r;
      c11r += yr * p1r + yi * p1i;
      c11i += yr * p1i - yi * p1r;
    }
  }
  if (acc) {
    acc[0] = c00r;
    acc[1] = c00i;
    acc[2] = c01r;
    acc[3] = c01i;
    acc[4] = c10r;
    acc[5] = c10i;
    acc[6] = c11r;
    acc[7] = c11i;
  }
}

/** CNOT with control `c` and target `t` (a permutation: swaps amplitude pairs with bit c set). */
export function applyCNOT(re: Float64Array, im: Float64Array, c: number, t: number): void {
  const bit = 1 << t,
    cbit = 1 << c,
    lowMask = bit - 1,
    half = re.length >> 1;
  for (let k = 0; k < half; k++) {
    const i0 = ((k & ~lowMask) << 1) | (k & lowMask);
    if (!(i0 & cbit)) continue;
    const i1 = i0 | bit;
    const xr = re[i0],
      xi = im[i0];
    re[i0] = re[i1];
    im[i0] = im[i1];
    re[i1] = xr;
    im[i1] = xi;
  }
}

/** CZ on qubits `a`, `b`: negates amplitudes with both bits set (diagonal, symmetric in a and b). */
export function applyCZ(re: Float64Array, im: Float64Array, a: number, b: number): void {
  const mask = (1 << a) | (1 << b),
    dim = re.length;
  for (let i = 0; i < dim; i++) {
    if ((i & mask) === mask) {
      re[i] = -re[i];
      im[i] = -im[i];
    }
  }
}

/** SWAP of qubits `a` and `b` (a permutation). */
export function applySWAP(re: Float64Array, im: Float64Array, a: number, b: number): void {
  const ba = 1 << a,
    bb = 1 << b,
    dim = re.length;
  for (let i = 0; i < dim; i++) {
    // visit each pair once: bit a set, bit b clear
    if (i & ba && !(i & bb)) {
      const j = (i & ~ba) | bb;
      const xr = re[i],
        xi = im[i];
      re[i] = re[j];
      im[i] = im[j];
      re[j] = xr;
      im[j] = xi;
    }
  }
}

/**
 * A permutation of basis states that is linear over GF(2) (any product of CNOT and SWAP gates), stored as
 * byte-chunk lookup tables: `map(j) = T[0][j & 255] ^ T[1][(j >> 8) & 255] ^ …`. Applying it is one gather pass
 * `new[j] = old[map(j)]` instead of one pass per gate.
 */
export interface LinearPermutation {
  /** Number of 8-bit chunks (⌈n/8⌉). */
  nChunks: number;
  /** Gather table for the forward direction: new[j] = old[gather(j)]; length nChunks·256. */
  gather: Int32Array;
  /** Gather table for the inverse: old[j] = new[scatter(j)]. */
  inverse: Int32Array;
}

/** Builds byte-chunk tables of the GF(2)-linear map whose images of the unit vectors are `cols`. */
function chunkTables(cols: Int32Array, nChunks: number): Int32Array {
  const t = new Int32Array(nChunks * 256);
  for (let c = 0; c < nChunks; c++) {
    for (let v = 0; v < 256; v++) {
      let x = 0;
      for (let b = 0; b < 8; b++) {
        const q = c * 8 + b;
        if ((v >> b) & 1 && q < cols.length) x ^= cols[q];
      }
      t[c * 256 + v] = x;
    }
  }
  return t;
}

/**
 * The linear permutation of a sequence of CNOT (`[0, control, target]`) and SWAP (`[1, a, b]`) gates on n qubits,
 * applied in order.
 */
export function linearPermutation(
  n: number,
  gates: ReadonlyArray<readonly [0 | 1, number, number]>,
): LinearPermutation {
  const apply = (x: number, g: readonly [0 | 1, number, number]): number => {
    if (g[0] === 0) return x ^ (((x >> g[1]) & 1) << g[2]);
    const ba = (x >> g[1]) & 1,
      bb = (x >> g[2]) & 1;
    return ba === bb ? x : x ^ ((1 << g[1]) | (1 << g[2]));
  };
  // f = g_m ∘ … ∘ g_1 (new index of old basis state i is f(i)); both gate kinds are self-inverse, so
  // f⁻¹ = g_1 ∘ … ∘ g_m.
  const f = Int32Array.from({ length: n }, (_, q) => 1 << q);
  for (const g of gates) for (let q = 0; q < n; q++) f[q] = apply(f[q], g);
  const finv = Int32Array.from({ length: n }, (_, q) => 1 << q);
  for (let k = gates.length - 1; k >= 0; k--) for (let q = 0; q < n; q++) finv[q] = apply(finv[q], gates[k]);
  const nChunks = Math.ceil(n / 8);
  // forward gather new[j] = old[f⁻¹(j)]; inverse gather old[j] = new[f(j)]
  return { nChunks, gather: chunkTables(finv, nChunks), inverse: chunkTables(f, nChunks) };
}

let scratchRe = new Float64Array(0),
  scratchIm = new Float64Array(0);

/**
 * out[j] = in[table(j)] for all j, in place through one scratch statevector (reused across calls; one per
 * thread). `table` is a gather table of {@link LinearPermutation}.
 */
export function applyGather(re: Float64Array, im: Float64Array, table: Int32Array, nChunks: number): void {
  const dim = re.length;
  if (scratchRe.length !== dim) {
    scratchRe = new Float64Array(dim);
    scratchIm = new Float64Array(dim);
  }
  const sr = scratchRe,
    si = scratchIm;
  if (nChunks === 1) {
    for (let j = 0; j < dim; j++) {
      const s = table[j];
      sr[j] = re[s];
      si[j] = im[s];
    }
  } else if (nChunks === 2) {
    for (let j = 0; j < dim; j++) {
      const s = table[j & 255] ^ table[256 + (j >> 8)];
      sr[j] = re[s];
      si[j] = im[s];
    }
  } else {
    for (let j = 0; j < dim; j++) {
      let s = table[j & 255];
      for (let c = 1; c < nChunks; c++) s ^= table[c * 256 + ((j >> (8 * c)) & 255)];
      sr[j] = re[s];
      si[j] = im[s];
    }
  }
  re.set(sr);
  im.set(si);
}

/**
 * Applies a dense complex matrix `m` (d × d, d = 2^k, interleaved row-major: entry (a, b) at `m[2(a·d + b)]`,
 * `m[2(a·d + b) + 1]`) on the k qubits `qubits` of a register (k ≤ 4), in place. Local basis index: bit j is
 * qubit `qubits[j]`. The matrix need not be unitary (Kraus operators, superoperators of `sim/noise/run.ts`); a real
 * 4 × 4 matrix (the superoperator of every built-in one-qubit channel) takes a path with half the multiplications.
 * @throws Error for repeated qubits, k outside 1..4, or a matrix of the wrong length.
 */
export function applyMatrix(re: Float64Array, im: Float64Array, qubits: readonly number[], m: Float64Array): void {
  const k = qubits.length,
    d = 1 << k;
  if (k < 1 || k > 4) throw new Error(`applyMatrix: 1 to 4 qubits, got ${k}`);
  if (m.length !== 2 * d * d)
    throw new Error(`applyMatrix: a ${d}×${d} matrix needs ${2 * d * d} numbers, got ${m.length}`);
  let mask = 0;
  for (const q of qubits) {
    if (mask & (1 << q)) throw new Error(`applyMatrix: repeated qubit ${q} in [${qubits.join(", ")}]`);
    mask |= 1 << q;
  }
  const offs = new Int32Array(d);
  for (let l = 0; l < d; l++) for (let j = 0; j < k; j++) if ((l >> j) & 1) offs[l] |= 1 << qubits[j];
  const len = re.length;
  let real = true;
  for (let j = 1; j < m.length; j += 2)
    if (m[j] !== 0) {
      real = false;
      break;
    }
  if (k === 2 && real) {
    const c = new Float64Array(16);
    for (let j = 0; j < 16; j++) c[j] = m[2 * j];
    const o1 = offs[1],
      o2 = offs[2],
      o3 = offs[3];
    for (let i = 0; i < len; i = ((i | mask) + 1) & ~mask) {
      const i1 = i + o1,
        i2 = i + o2,
        i3 = i + o3;
      const a0r = re[i],
        a1r = re[i1],
        a2r = re[i2],
        a3r = re[i3];
      const a0i = im[i],
        a1i = im[i1],
        a2i = im[i2],
        a3i = im[i3];
      re[i] = c[0] * a0r + c[1] * a1r + c[2] * a2r + c[3] * a3r;
      im[i] = c[0] * a0i + c[1] * a1i + c[2] * a2i + c[3] * a3i;
      re[i1] = c[4] * a0r + c[5] * a1r + c[6] * a2r + c[7] * a3r;
      im[i1] = c[4] * a0i + c[5] * a1i + c[6] * a2i + c[7] * a3i;
      re[i2] = c[8] * a0r + c[9] * a1r + c[10] * a2r + c[11] * a3r;
      im[i2] = c[8] * a0i + c[9] * a1i + c[10] * a2i + c[11] * a3i;
      re[i3] = c[12] * a0r + c[13] * a1r + c[14] * a2r + c[15] * a3r;
      im[i3] = c[12] * a0i + c[13] * a1i + c[14] * a2i + c[15] * a3i;
    }
    return;
  }
  // blocks by their base index (the channel bits 0): i ← ((i | mask) + 1) & ~mask steps to the next
  const xr = new Float64Array(d),
    xi = new Float64Array(d);
  for (let i = 0; i < len; i = ((i | mask) + 1) & ~mask) {
    for (let l = 0; l < d; l++) {
      xr[l] = re[i + offs[l]];
      xi[l] = im[i + offs[l]];
    }
    for (let a = 0; a < d; a++) {
      let yr = 0,
        yi = 0;
      const row = 2 * a * d;
      for (let b = 0; b < d; b++) {
        const mr = m[row + 2 * b],
          mi = m[row + 2 * b + 1];
        yr += mr * xr[b] - mi * xi[b];
        yi += mr * xi[b] + mi * xr[b];
      }
      re[i + offs[a]] = yr;
      im[i + offs[a]] = yi;
    }
  }
}

/**
 * The k-qubit depolarising channel ρ ↦ f·ρ + (1 − f)·Tr_Q(ρ) ⊗ I/2^k on a VECTORISED density matrix (`noise/run.ts`:
 * column bits are qubits 0…n−1, row bits n…2n−1), in place: every entry of each 2^k × 2^k block is scaled by f and
 * the block's trace, times (1 − f)/2^k, is added to its diagonal. Two passes: the block diagonals get
 * ((1 − f)/(f·2^k))·trace (touching 1/2^k of the entries), then one contiguous pass scales everything by f; for
 * |f| < 10⁻³ (where 1/f would amplify rounding) one pass over the blocks instead. `qubits` are the channel's
 * qubits (< n). The same kernel with 1/f applies the inverse map, and the map is self-adjoint.
 */
export function applyDepolarizingVectorised(
  re: Float64Array,
  im: Float64Array,
  qubits: readonly number[],
  n: number,
  f: number,
): void {
  const k = qubits.length,
    D = 1 << k,
    len = re.length;
  const local = [...qubits, ...qubits.map((q) => q + n)];
  let mask = 0;
  for (const b of local) mask |= 1 << b;
  // offsets of a block's diagonal entries (row bits = column bits)
  const diag = new Int32Array(D);
  for (let x = 0; x < D; x++)
    for (let j = 0; j < k; j++) if ((x >> j) & 1) diag[x] |= (1 << qubits[j]) | (1 << (qubits[j] + n));
  const g1 = (1 - f) / D;
  if (Math.abs(f) < 1e-3) {
    const all = new Int32Array(D * D);
    for (let l = 0; l < D * D; l++) for (let j = 0; j < 2 * k; j++) if ((l >> j) & 1) all[l] |= 1 << local[j];
    for (let i = 0; i < len; i = ((i | mask) + 1) & ~mask) {
      let tr = 0,
        ti = 0;
      for (let x = 0; x < D; x++) {
        tr += re[i + diag[x]];
        ti += im[i + diag[x]];
      }
      for (let l = 0; l < D * D; l++) {
        re[i + all[l]] *= f;
        im[i + all[l]] *= f;
      }
      for (let x = 0; x < D; x++) {
        re[i + diag[x]] += g1 * tr;
        im[i + diag[x]] += g1 * ti;
      }
    }
    return;
  }
  const c = g1 / f;
  if (D === 2) {
    const o1 = diag[1];
    for (let i = 0; i < len; i = ((i | mask) + 1) & ~mask) {
      const tr = c * (re[i] + re[i + o1]),
        ti = c * (im[i] + im[i + o1]);
      re[i] += tr;
      re[i + o1] += tr;
      im[i] += ti;
      im[i + o1] += ti;
    }
  } else {
    const o1 = diag[1],
      o2 = diag[2],
      o3 = diag[3];
    for (let i = 0; i < len; i = ((i | mask) + 1) & ~mask) {
      const i1 = i + o1,
        i2 = i + o2,
        i3 = i + o3;
      const tr = c * (re[i] + re[i1] + re[i2] + re[i3]),
        ti = c * (im[i] + im[i1] + im[i2] + im[i3]);
      re[i] += tr;
      re[i1] += tr;
      re[i2] += tr;
      re[i3] += tr;
      im[i] += ti;
      im[i1] += ti;
      im[i2] += ti;
      im[i3] += ti;
    }
  }
  for (let i = 0; i < len; i++) {
    re[i] *= f;
    im[i] *= f;
  }
}
