/**
 * WebAssembly SIMD (f64x2) statevector kernels, in AssemblyScript. Compiled by `scripts/build-wasm.js` to
 * `dist/wasm/kernels.wasm` (-O3, `--enable simd`, `--runtime stub`: no allocator or GC is used, only raw loads
 * and stores into linear memory managed from JS by `src/sim/backends/wasm.ts`).
 *
 * Conventions (mirroring `src/sim/backends/kernels.ts`):
 * - A state of n qubits is two f64 arrays `re`, `im` of length 2^n in linear memory, given by BYTE offsets;
 *   qubit q is bit q of the amplitude index. All array offsets must be 16-byte aligned.
 * - A 2×2 complex matrix [[a, b], [c, d]] is passed as 8 f64 arguments ar, ai, br, bi, cr, ci, dr, di.
 * - `ctrlMask`: bit mask of control qubits that must all be 1 (0: no controls). For the pair kernels a mask
 *   containing the target bit selects nothing (as in the TS kernels).
 * - Complex arithmetic is evaluated in the same operation order as the TS kernels, so gate kernels give
 *   bit-identical results; reductions (accumulators, expectations) differ only by summation order.
 *
 * SIMD scheme: for a target t ≥ 1 the pairs (i0, i0 + 2^t) and (i0 + 1, i0 + 1 + 2^t) are processed together
 * (lane-wise complex arithmetic on split re/im vectors). Both lanes share every index bit except bit 0, so a
 * control mask without bit 0 is uniform over the lanes. For t = 0 two adjacent pairs (i0..i0+3) are
 * de-interleaved with shuffles. Remaining cases (control on qubit 0, or t = 0 with a control on qubit 1, or
 * n = 1) take a scalar path.
 */

import { OP_BYTES, DER_BYTES, OP_DIAG, OP_ANTI, OP_REAL, OP_GENERAL, OP_CNOT, OP_CZ, OP_SWAP, OP_PERM } from "../src/sim/program/opcodes";

// ---------------------------------------------------------------------------------------------------------
// Static scratch (below __heap_base; JS allocates above heapBase()).

/** 256 f64: per-low-byte probability histogram for expectationZ. */
const HIST: usize = memory.data(256 * 8, 16);
/** 4 × 256 f64: per-byte weight tables for weightedZCotangent (n ≤ 32). */
const WTAB: usize = memory.data(4 * 256 * 8, 16);

/** First byte past the module's static data; JS must place its arrays at or above this offset. */
export function heapBase(): usize {
  return __heap_base;
}

// ---------------------------------------------------------------------------------------------------------
// Lane-wise complex helpers (operation order = TS kernels).

/** Re[(a)(x) + (b)(y)] = ((ar·xr − ai·xi) + br·yr) − bi·yi */
// @ts-ignore: decorator
@inline function cre(ar: v128, ai: v128, br: v128, bi: v128, xr: v128, xi: v128, yr: v128, yi: v128): v128 {
  return f64x2.sub(f64x2.add(f64x2.sub(f64x2.mul(ar, xr), f64x2.mul(ai, xi)), f64x2.mul(br, yr)), f64x2.mul(bi, yi));
}

/** Im[(a)(x) + (b)(y)] = ((ar·xi + ai·xr) + br·yi) + bi·yr */
// @ts-ignore: decorator
@inline function cim(ar: v128, ai: v128, br: v128, bi: v128, xr: v128, xi: v128, yr: v128, yi: v128): v128 {
  return f64x2.add(f64x2.add(f64x2.add(f64x2.mul(ar, xi), f64x2.mul(ai, xr)), f64x2.mul(br, yi)), f64x2.mul(bi, yr));
}

/** Lanes 0 of a and b: (a0, b0). */
// @ts-ignore: decorator
@inline function lo2(a: v128, b: v128): v128 {
  return f64x2.shuffle(a, b, 0, 2);
}

/** Lanes 1 of a and b: (a1, b1). */
// @ts-ignore: decorator
@inline function hi2(a: v128, b: v128): v128 {
  return f64x2.shuffle(a, b, 1, 3);
}

// @ts-ignore: decorator
@inline function ld(base: usize, i: u32): f64 {
  return load<f64>(base + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline function st(base: usize, i: u32, v: f64): void {
  store<f64>(base + (<usize>i << 3), v);
}

// ---------------------------------------------------------------------------------------------------------
// General complex 2×2.

/** Applies [[a, b], [c, d]] (complex) on qubit t, on pairs whose ctrlMask bits are all 1. */
export function applyGeneral(
  reOff: usize, imOff: usize, n: i32, t: i32, ctrlMask: i32,
  ar: f64, ai: f64, br: f64, bi: f64, cr: f64, ci: f64, dr: f64, di: f64,
): void {
  const dim: u32 = 1 << n, bit: u32 = 1 << t, cm = <u32>ctrlMask;
  if (cm & bit) return;
  const Ar = f64x2.splat(ar), Ai = f64x2.splat(ai), Br = f64x2.splat(br), Bi = f64x2.splat(bi);
  const Cr = f64x2.splat(cr), Ci = f64x2.splat(ci), Dr = f64x2.splat(dr), Di = f64x2.splat(di);
  if (t >= 1 && (cm & 1) == 0) {
    const stride = bit << 1, boff = <usize>bit << 3;
    for (let base: u32 = 0; base < dim; base += stride) {
      for (let lo: u32 = 0; lo < bit; lo += 2) {
        const i0 = base | lo;
        if ((i0 & cm) != cm) continue;
        const p0r = reOff + (<usize>i0 << 3), p0i = imOff + (<usize>i0 << 3);
        const p1r = p0r + boff, p1i = p0i + boff;
        const xr = v128.load(p0r), xi = v128.load(p0i), yr = v128.load(p1r), yi = v128.load(p1i);
        v128.store(p0r, cre(Ar, Ai, Br, Bi, xr, xi, yr, yi));
        v128.store(p0i, cim(Ar, Ai, Br, Bi, xr, xi, yr, yi));
        v128.store(p1r, cre(Cr, Ci, Dr, Di, xr, xi, yr, yi));
        v128.store(p1i, cim(Cr, Ci, Dr, Di, xr, xi, yr, yi));
      }
    }
  } else if (t == 0 && n >= 2 && (cm & 2) == 0) {
    for (let i0: u32 = 0; i0 < dim; i0 += 4) {
      if ((i0 & cm) != cm) continue;
      const pr = reOff + (<usize>i0 << 3), pi = imOff + (<usize>i0 << 3);
      const r0 = v128.load(pr), r1 = v128.load(pr, 16), m0 = v128.load(pi), m1 = v128.load(pi, 16);
      const xr = lo2(r0, r1), yr = hi2(r0, r1), xi = lo2(m0, m1), yi = hi2(m0, m1);
      const nxr = cre(Ar, Ai, Br, Bi, xr, xi, yr, yi), nxi = cim(Ar, Ai, Br, Bi, xr, xi, yr, yi);
      const nyr = cre(Cr, Ci, Dr, Di, xr, xi, yr, yi), nyi = cim(Cr, Ci, Dr, Di, xr, xi, yr, yi);
      v128.store(pr, lo2(nxr, nyr));
      v128.store(pr, hi2(nxr, nyr), 16);
      v128.store(pi, lo2(nxi, nyi));
      v128.store(pi, hi2(nxi, nyi), 16);
    }
  } else {
    const stride = bit << 1;
    for (let base: u32 = 0; base < dim; base += stride) {
      for (let lo: u32 = 0; lo < bit; lo++) {
        const i0 = base | lo;
        if ((i0 & cm) != cm) continue;
        const i1 = i0 | bit;
        const xr = ld(reOff, i0), xi = ld(imOff, i0), yr = ld(reOff, i1), yi = ld(imOff, i1);
        st(reOff, i0, ar * xr - ai * xi + br * yr - bi * yi);
        st(imOff, i0, ar * xi + ai * xr + br * yi + bi * yr);
        st(reOff, i1, cr * xr - ci * xi + dr * yr - di * yi);
        st(imOff, i1, cr * xi + ci * xr + dr * yi + di * yr);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Real 2×2.

/** Applies the real matrix [[a, b], [c, d]] on qubit t. */
export function applyReal(reOff: usize, imOff: usize, n: i32, t: i32, ctrlMask: i32, a: f64, b: f64, c: f64, d: f64): void {
  const dim: u32 = 1 << n, bit: u32 = 1 << t, cm = <u32>ctrlMask;
  if (cm & bit) return;
  const A = f64x2.splat(a), B = f64x2.splat(b), C = f64x2.splat(c), D = f64x2.splat(d);
  if (t >= 1 && (cm & 1) == 0) {
    const stride = bit << 1, boff = <usize>bit << 3;
    for (let base: u32 = 0; base < dim; base += stride) {
      for (let lo: u32 = 0; lo < bit; lo += 2) {
        const i0 = base | lo;
        if ((i0 & cm) != cm) continue;
        const p0r = reOff + (<usize>i0 << 3), p0i = imOff + (<usize>i0 << 3);
        const p1r = p0r + boff, p1i = p0i + boff;
        const xr = v128.load(p0r), xi = v128.load(p0i), yr = v128.load(p1r), yi = v128.load(p1i);
        v128.store(p0r, f64x2.add(f64x2.mul(A, xr), f64x2.mul(B, yr)));
        v128.store(p0i, f64x2.add(f64x2.mul(A, xi), f64x2.mul(B, yi)));
        v128.store(p1r, f64x2.add(f64x2.mul(C, xr), f64x2.mul(D, yr)));
        v128.store(p1i, f64x2.add(f64x2.mul(C, xi), f64x2.mul(D, yi)));
      }
    }
  } else if (t == 0 && n >= 2 && (cm & 2) == 0) {
    for (let i0: u32 = 0; i0 < dim; i0 += 4) {
      if ((i0 & cm) != cm) continue;
      const pr = reOff + (<usize>i0 << 3), pi = imOff + (<usize>i0 << 3);
      const r0 = v128.load(pr), r1 = v128.load(pr, 16), m0 = v128.load(pi), m1 = v128.load(pi, 16);
      const xr = lo2(r0, r1), yr = hi2(r0, r1), xi = lo2(m0, m1), yi = hi2(m0, m1);
      const nxr = f64x2.add(f64x2.mul(A, xr), f64x2.mul(B, yr)), nxi = f64x2.add(f64x2.mul(A, xi), f64x2.mul(B, yi));
      const nyr = f64x2.add(f64x2.mul(C, xr), f64x2.mul(D, yr)), nyi = f64x2.add(f64x2.mul(C, xi), f64x2.mul(D, yi));
      v128.store(pr, lo2(nxr, nyr));
      v128.store(pr, hi2(nxr, nyr), 16);
      v128.store(pi, lo2(nxi, nyi));
      v128.store(pi, hi2(nxi, nyi), 16);
    }
  } else {
    const stride = bit << 1;
    for (let base: u32 = 0; base < dim; base += stride) {
      for (let lo: u32 = 0; lo < bit; lo++) {
        const i0 = base | lo;
        if ((i0 & cm) != cm) continue;
        const i1 = i0 | bit;
        const xr = ld(reOff, i0), xi = ld(imOff, i0), yr = ld(reOff, i1), yi = ld(imOff, i1);
        st(reOff, i0, a * xr + b * yr);
        st(imOff, i0, a * xi + b * yi);
        st(reOff, i1, c * xr + d * yr);
        st(imOff, i1, c * xi + d * yi);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Diagonal.

/**
 * Applies diag(d0, d1) on qubit t. Like the TS kernel this is an elementwise kernel: with the target bit in
 * ctrlMask it multiplies exactly the amplitudes with all ctrlMask bits set by d1. d0 = 1 is skipped.
 */
export function applyDiagonal(
  reOff: usize, imOff: usize, n: i32, t: i32, ctrlMask: i32,
  d0r: f64, d0i: f64, d1r: f64, d1i: f64,
): void {
  const dim: u32 = 1 << n, bit: u32 = 1 << t;
  let cm = <u32>ctrlMask;
  let skip0 = d0r == 1 && d0i == 0;
  if (cm & bit) {
    // only amplitudes with bit t set can match: diag(1, d1) under the remaining controls
    cm &= ~bit;
    skip0 = true;
  }
  if (t >= 1 && (cm & 1) == 0) {
    const stride = bit << 1, boff = <usize>bit << 3;
    const P0r = f64x2.splat(d0r), P0i = f64x2.splat(d0i), P1r = f64x2.splat(d1r), P1i = f64x2.splat(d1i);
    for (let base: u32 = 0; base < dim; base += stride) {
      for (let lo: u32 = 0; lo < bit; lo += 2) {
        const i0 = base | lo;
        if ((i0 & cm) != cm) continue;
        const p0r = reOff + (<usize>i0 << 3), p0i = imOff + (<usize>i0 << 3);
        const p1r = p0r + boff, p1i = p0i + boff;
        if (!skip0) {
          const xr = v128.load(p0r), xi = v128.load(p0i);
          v128.store(p0r, f64x2.sub(f64x2.mul(P0r, xr), f64x2.mul(P0i, xi)));
          v128.store(p0i, f64x2.add(f64x2.mul(P0r, xi), f64x2.mul(P0i, xr)));
        }
        const yr = v128.load(p1r), yi = v128.load(p1i);
        v128.store(p1r, f64x2.sub(f64x2.mul(P1r, yr), f64x2.mul(P1i, yi)));
        v128.store(p1i, f64x2.add(f64x2.mul(P1r, yi), f64x2.mul(P1i, yr)));
      }
    }
  } else if (t == 0 && !skip0) {
    // lanes (i, i + 1) = (bit 0 clear, bit 0 set): multiply lane-wise by (d0, d1); cm has no bit 0 here
    const Pr = f64x2.replace_lane(f64x2.splat(d0r), 1, d1r), Pi = f64x2.replace_lane(f64x2.splat(d0i), 1, d1i);
    for (let i: u32 = 0; i < dim; i += 2) {
      if ((i & cm) != cm) continue;
      const pr = reOff + (<usize>i << 3), pi = imOff + (<usize>i << 3);
      const xr = v128.load(pr), xi = v128.load(pi);
      v128.store(pr, f64x2.sub(f64x2.mul(Pr, xr), f64x2.mul(Pi, xi)));
      v128.store(pi, f64x2.add(f64x2.mul(Pr, xi), f64x2.mul(Pi, xr)));
    }
  } else {
    for (let i: u32 = 0; i < dim; i++) {
      if ((i & cm) != cm) continue;
      let pr: f64, pi: f64;
      if (i & bit) {
        pr = d1r; pi = d1i;
      } else {
        if (skip0) continue;
        pr = d0r; pi = d0i;
      }
      const xr = ld(reOff, i), xi = ld(imOff, i);
      st(reOff, i, pr * xr - pi * xi);
      st(imOff, i, pr * xi + pi * xr);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Anti-diagonal.

/** Applies [[0, b], [c, 0]] on qubit t (plain X = a swap when b = c = 1). */
export function applyAntiDiagonal(
  reOff: usize, imOff: usize, n: i32, t: i32, ctrlMask: i32,
  br: f64, bi: f64, cr: f64, ci: f64,
): void {
  const dim: u32 = 1 << n, bit: u32 = 1 << t, cm = <u32>ctrlMask;
  if (cm & bit) return;
  const plainX = br == 1 && bi == 0 && cr == 1 && ci == 0;
  if (plainX) {
    swapPairs(reOff, imOff, dim, bit, cm);
    return;
  }
  const Br = f64x2.splat(br), Bi = f64x2.splat(bi), Cr = f64x2.splat(cr), Ci = f64x2.splat(ci);
  if (t >= 1 && (cm & 1) == 0) {
    const stride = bit << 1, boff = <usize>bit << 3;
    for (let base: u32 = 0; base < dim; base += stride) {
      for (let lo: u32 = 0; lo < bit; lo += 2) {
        const i0 = base | lo;
        if ((i0 & cm) != cm) continue;
        const p0r = reOff + (<usize>i0 << 3), p0i = imOff + (<usize>i0 << 3);
        const p1r = p0r + boff, p1i = p0i + boff;
        const xr = v128.load(p0r), xi = v128.load(p0i), yr = v128.load(p1r), yi = v128.load(p1i);
        v128.store(p0r, f64x2.sub(f64x2.mul(Br, yr), f64x2.mul(Bi, yi)));
        v128.store(p0i, f64x2.add(f64x2.mul(Br, yi), f64x2.mul(Bi, yr)));
        v128.store(p1r, f64x2.sub(f64x2.mul(Cr, xr), f64x2.mul(Ci, xi)));
        v128.store(p1i, f64x2.add(f64x2.mul(Cr, xi), f64x2.mul(Ci, xr)));
      }
    }
  } else if (t == 0 && n >= 2 && (cm & 2) == 0) {
    for (let i0: u32 = 0; i0 < dim; i0 += 4) {
      if ((i0 & cm) != cm) continue;
      const pr = reOff + (<usize>i0 << 3), pi = imOff + (<usize>i0 << 3);
      const r0 = v128.load(pr), r1 = v128.load(pr, 16), m0 = v128.load(pi), m1 = v128.load(pi, 16);
      const xr = lo2(r0, r1), yr = hi2(r0, r1), xi = lo2(m0, m1), yi = hi2(m0, m1);
      const nxr = f64x2.sub(f64x2.mul(Br, yr), f64x2.mul(Bi, yi)), nxi = f64x2.add(f64x2.mul(Br, yi), f64x2.mul(Bi, yr));
      const nyr = f64x2.sub(f64x2.mul(Cr, xr), f64x2.mul(Ci, xi)), nyi = f64x2.add(f64x2.mul(Cr, xi), f64x2.mul(Ci, xr));
      v128.store(pr, lo2(nxr, nyr));
      v128.store(pr, hi2(nxr, nyr), 16);
      v128.store(pi, lo2(nxi, nyi));
      v128.store(pi, hi2(nxi, nyi), 16);
    }
  } else {
    const stride = bit << 1;
    for (let base: u32 = 0; base < dim; base += stride) {
      for (let lo: u32 = 0; lo < bit; lo++) {
        const i0 = base | lo;
        if ((i0 & cm) != cm) continue;
        const i1 = i0 | bit;
        const xr = ld(reOff, i0), xi = ld(imOff, i0), yr = ld(reOff, i1), yi = ld(imOff, i1);
        st(reOff, i0, br * yr - bi * yi);
        st(imOff, i0, br * yi + bi * yr);
        st(reOff, i1, cr * xr - ci * xi);
        st(imOff, i1, cr * xi + ci * xr);
      }
    }
  }
}

/** Swaps the amplitude pairs (i0, i0 | bit) whose cm bits are all set (cm must not contain bit). */
function swapPairs(reOff: usize, imOff: usize, dim: u32, bit: u32, cm: u32): void {
  const stride = bit << 1;
  if (bit >= 2 && (cm & 1) == 0) {
    const boff = <usize>bit << 3;
    for (let base: u32 = 0; base < dim; base += stride) {
      for (let lo: u32 = 0; lo < bit; lo += 2) {
        const i0 = base | lo;
        if ((i0 & cm) != cm) continue;
        const p0r = reOff + (<usize>i0 << 3), p0i = imOff + (<usize>i0 << 3);
        const p1r = p0r + boff, p1i = p0i + boff;
        const xr = v128.load(p0r), xi = v128.load(p0i), yr = v128.load(p1r), yi = v128.load(p1i);
        v128.store(p0r, yr);
        v128.store(p0i, yi);
        v128.store(p1r, xr);
        v128.store(p1i, xi);
      }
    }
  } else if (bit == 1) {
    // pairs (i, i + 1) are one vector: swap its lanes (cm has no bit 0 here)
    for (let i0: u32 = 0; i0 < dim; i0 += 2) {
      if ((i0 & cm) != cm) continue;
      const pr = reOff + (<usize>i0 << 3), pi = imOff + (<usize>i0 << 3);
      const r = v128.load(pr), m = v128.load(pi);
      v128.store(pr, f64x2.shuffle(r, r, 1, 0));
      v128.store(pi, f64x2.shuffle(m, m, 1, 0));
    }
  } else {
    for (let base: u32 = 0; base < dim; base += stride) {
      for (let lo: u32 = 0; lo < bit; lo++) {
        const i0 = base | lo;
        if ((i0 & cm) != cm) continue;
        const i1 = i0 | bit;
        const xr = ld(reOff, i0), xi = ld(imOff, i0);
        st(reOff, i0, ld(reOff, i1));
        st(imOff, i0, ld(imOff, i1));
        st(reOff, i1, xr);
        st(imOff, i1, xi);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Fused adjoint step.

// @ts-ignore: decorator
@inline function storeAcc(accOff: usize, c00r: v128, c00i: v128, c01r: v128, c01i: v128, c10r: v128, c10i: v128, c11r: v128, c11i: v128): void {
  store<f64>(accOff, f64x2.extract_lane(c00r, 0) + f64x2.extract_lane(c00r, 1), 0);
  store<f64>(accOff, f64x2.extract_lane(c00i, 0) + f64x2.extract_lane(c00i, 1), 8);
  store<f64>(accOff, f64x2.extract_lane(c01r, 0) + f64x2.extract_lane(c01r, 1), 16);
  store<f64>(accOff, f64x2.extract_lane(c01i, 0) + f64x2.extract_lane(c01i, 1), 24);
  store<f64>(accOff, f64x2.extract_lane(c10r, 0) + f64x2.extract_lane(c10r, 1), 32);
  store<f64>(accOff, f64x2.extract_lane(c10i, 0) + f64x2.extract_lane(c10i, 1), 40);
  store<f64>(accOff, f64x2.extract_lane(c11r, 0) + f64x2.extract_lane(c11r, 1), 48);
  store<f64>(accOff, f64x2.extract_lane(c11i, 0) + f64x2.extract_lane(c11i, 1), 56);
}

/** pairStep for t ≥ 1, ctrlMask without bit 0 (vector lanes = two consecutive pairs). */
// @ts-ignore: decorator
@inline function pairStepVec(
  prOff: usize, piOff: usize, lrOff: usize, liOff: usize, dim: u32, bit: u32, cm: u32,
  ar: f64, ai: f64, br: f64, bi: f64, cr: f64, ci: f64, dr: f64, di: f64, accOff: usize, doAcc: bool,
): void {
  const Ar = f64x2.splat(ar), Ai = f64x2.splat(ai), Br = f64x2.splat(br), Bi = f64x2.splat(bi);
  const Cr = f64x2.splat(cr), Ci = f64x2.splat(ci), Dr = f64x2.splat(dr), Di = f64x2.splat(di);
  let c00r = f64x2.splat(0), c00i = f64x2.splat(0), c01r = f64x2.splat(0), c01i = f64x2.splat(0);
  let c10r = f64x2.splat(0), c10i = f64x2.splat(0), c11r = f64x2.splat(0), c11i = f64x2.splat(0);
  const stride = bit << 1, boff = <usize>bit << 3;
  for (let base: u32 = 0; base < dim; base += stride) {
    for (let lo: u32 = 0; lo < bit; lo += 2) {
      const i0 = base | lo;
      if ((i0 & cm) != cm) continue;
      const o = <usize>i0 << 3;
      // phi
      const q0r = prOff + o, q0i = piOff + o, q1r = q0r + boff, q1i = q0i + boff;
      let xr = v128.load(q0r), xi = v128.load(q0i), yr = v128.load(q1r), yi = v128.load(q1i);
      const p0r = cre(Ar, Ai, Br, Bi, xr, xi, yr, yi), p0i = cim(Ar, Ai, Br, Bi, xr, xi, yr, yi);
      const p1r = cre(Cr, Ci, Dr, Di, xr, xi, yr, yi), p1i = cim(Cr, Ci, Dr, Di, xr, xi, yr, yi);
      v128.store(q0r, p0r);
      v128.store(q0i, p0i);
      v128.store(q1r, p1r);
      v128.store(q1i, p1i);
      // lambda
      const l0r = lrOff + o, l0i = liOff + o, l1r = l0r + boff, l1i = l0i + boff;
      xr = v128.load(l0r); xi = v128.load(l0i); yr = v128.load(l1r); yi = v128.load(l1i);
      v128.store(l0r, cre(Ar, Ai, Br, Bi, xr, xi, yr, yi));
      v128.store(l0i, cim(Ar, Ai, Br, Bi, xr, xi, yr, yi));
      v128.store(l1r, cre(Cr, Ci, Dr, Di, xr, xi, yr, yi));
      v128.store(l1i, cim(Cr, Ci, Dr, Di, xr, xi, yr, yi));
      if (doAcc) {
        // conj(l)·p = l_r·p_r + l_i·p_i + i(l_r·p_i − l_i·p_r)
        c00r = f64x2.add(c00r, f64x2.add(f64x2.mul(xr, p0r), f64x2.mul(xi, p0i)));
        c00i = f64x2.add(c00i, f64x2.sub(f64x2.mul(xr, p0i), f64x2.mul(xi, p0r)));
        c01r = f64x2.add(c01r, f64x2.add(f64x2.mul(xr, p1r), f64x2.mul(xi, p1i)));
        c01i = f64x2.add(c01i, f64x2.sub(f64x2.mul(xr, p1i), f64x2.mul(xi, p1r)));
        c10r = f64x2.add(c10r, f64x2.add(f64x2.mul(yr, p0r), f64x2.mul(yi, p0i)));
        c10i = f64x2.add(c10i, f64x2.sub(f64x2.mul(yr, p0i), f64x2.mul(yi, p0r)));
        c11r = f64x2.add(c11r, f64x2.add(f64x2.mul(yr, p1r), f64x2.mul(yi, p1i)));
        c11i = f64x2.add(c11i, f64x2.sub(f64x2.mul(yr, p1i), f64x2.mul(yi, p1r)));
      }
    }
  }
  if (doAcc) storeAcc(accOff, c00r, c00i, c01r, c01i, c10r, c10i, c11r, c11i);
}

/** pairStep for t = 0, n ≥ 2, ctrlMask without bits 0, 1 (lanes = pairs (i0, i0+1) and (i0+2, i0+3)). */
// @ts-ignore: decorator
@inline function pairStepT0(
  prOff: usize, piOff: usize, lrOff: usize, liOff: usize, dim: u32, cm: u32,
  ar: f64, ai: f64, br: f64, bi: f64, cr: f64, ci: f64, dr: f64, di: f64, accOff: usize, doAcc: bool,
): void {
  const Ar = f64x2.splat(ar), Ai = f64x2.splat(ai), Br = f64x2.splat(br), Bi = f64x2.splat(bi);
  const Cr = f64x2.splat(cr), Ci = f64x2.splat(ci), Dr = f64x2.splat(dr), Di = f64x2.splat(di);
  let c00r = f64x2.splat(0), c00i = f64x2.splat(0), c01r = f64x2.splat(0), c01i = f64x2.splat(0);
  let c10r = f64x2.splat(0), c10i = f64x2.splat(0), c11r = f64x2.splat(0), c11i = f64x2.splat(0);
  for (let i0: u32 = 0; i0 < dim; i0 += 4) {
    if ((i0 & cm) != cm) continue;
    const o = <usize>i0 << 3;
    // phi
    const qr = prOff + o, qi = piOff + o;
    let r0 = v128.load(qr), r1 = v128.load(qr, 16), m0 = v128.load(qi), m1 = v128.load(qi, 16);
    let xr = lo2(r0, r1), yr = hi2(r0, r1), xi = lo2(m0, m1), yi = hi2(m0, m1);
    const p0r = cre(Ar, Ai, Br, Bi, xr, xi, yr, yi), p0i = cim(Ar, Ai, Br, Bi, xr, xi, yr, yi);
    const p1r = cre(Cr, Ci, Dr, Di, xr, xi, yr, yi), p1i = cim(Cr, Ci, Dr, Di, xr, xi, yr, yi);
    v128.store(qr, lo2(p0r, p1r));
    v128.store(qr, hi2(p0r, p1r), 16);
    v128.store(qi, lo2(p0i, p1i));
    v128.store(qi, hi2(p0i, p1i), 16);
    // lambda
    const lr = lrOff + o, li = liOff + o;
    r0 = v128.load(lr); r1 = v128.load(lr, 16); m0 = v128.load(li); m1 = v128.load(li, 16);
    xr = lo2(r0, r1); yr = hi2(r0, r1); xi = lo2(m0, m1); yi = hi2(m0, m1);
    const n0r = cre(Ar, Ai, Br, Bi, xr, xi, yr, yi), n0i = cim(Ar, Ai, Br, Bi, xr, xi, yr, yi);
    const n1r = cre(Cr, Ci, Dr, Di, xr, xi, yr, yi), n1i = cim(Cr, Ci, Dr, Di, xr, xi, yr, yi);
    v128.store(lr, lo2(n0r, n1r));
    v128.store(lr, hi2(n0r, n1r), 16);
    v128.store(li, lo2(n0i, n1i));
    v128.store(li, hi2(n0i, n1i), 16);
    if (doAcc) {
      c00r = f64x2.add(c00r, f64x2.add(f64x2.mul(xr, p0r), f64x2.mul(xi, p0i)));
      c00i = f64x2.add(c00i, f64x2.sub(f64x2.mul(xr, p0i), f64x2.mul(xi, p0r)));
      c01r = f64x2.add(c01r, f64x2.add(f64x2.mul(xr, p1r), f64x2.mul(xi, p1i)));
      c01i = f64x2.add(c01i, f64x2.sub(f64x2.mul(xr, p1i), f64x2.mul(xi, p1r)));
      c10r = f64x2.add(c10r, f64x2.add(f64x2.mul(yr, p0r), f64x2.mul(yi, p0i)));
      c10i = f64x2.add(c10i, f64x2.sub(f64x2.mul(yr, p0i), f64x2.mul(yi, p0r)));
      c11r = f64x2.add(c11r, f64x2.add(f64x2.mul(yr, p1r), f64x2.mul(yi, p1i)));
      c11i = f64x2.add(c11i, f64x2.sub(f64x2.mul(yr, p1i), f64x2.mul(yi, p1r)));
    }
  }
  if (doAcc) storeAcc(accOff, c00r, c00i, c01r, c01i, c10r, c10i, c11r, c11i);
}

/**
 * One pass over the pairs of qubit t: φ ← Mφ, λ ← Mλ with M = [[a, b], [c, d]], and, when accOff ≠ 0,
 * writes the 8 doubles acc_ab = Σ conj(λ_old[a])·φ_new[b] (Mat2 layout) at accOff. Same semantics as
 * `pairStep` in src/sim/grad/gradients.ts (with a ctrlMask containing bit t nothing is visited and acc = 0).
 */
export function pairStep(
  prOff: usize, piOff: usize, lrOff: usize, liOff: usize, n: i32, t: i32, ctrlMask: i32,
  ar: f64, ai: f64, br: f64, bi: f64, cr: f64, ci: f64, dr: f64, di: f64, accOff: usize,
): void {
  const dim: u32 = 1 << n, bit: u32 = 1 << t, cm = <u32>ctrlMask;
  if (cm & bit) {
    if (accOff != 0) memory.fill(accOff, 0, 64);
    return;
  }
  if (t >= 1 && (cm & 1) == 0) {
    if (accOff != 0) pairStepVec(prOff, piOff, lrOff, liOff, dim, bit, cm, ar, ai, br, bi, cr, ci, dr, di, accOff, true);
    else pairStepVec(prOff, piOff, lrOff, liOff, dim, bit, cm, ar, ai, br, bi, cr, ci, dr, di, 0, false);
    return;
  }
  if (t == 0 && n >= 2 && (cm & 2) == 0) {
    if (accOff != 0) pairStepT0(prOff, piOff, lrOff, liOff, dim, cm, ar, ai, br, bi, cr, ci, dr, di, accOff, true);
    else pairStepT0(prOff, piOff, lrOff, liOff, dim, cm, ar, ai, br, bi, cr, ci, dr, di, 0, false);
    return;
  }
  // scalar path
  let c00r = 0.0, c00i = 0.0, c01r = 0.0, c01i = 0.0, c10r = 0.0, c10i = 0.0, c11r = 0.0, c11i = 0.0;
  const stride = bit << 1;
  for (let base: u32 = 0; base < dim; base += stride) {
    for (let lo: u32 = 0; lo < bit; lo++) {
      const i0 = base | lo;
      if ((i0 & cm) != cm) continue;
      const i1 = i0 | bit;
      let xr = ld(prOff, i0), xi = ld(piOff, i0), yr = ld(prOff, i1), yi = ld(piOff, i1);
      const p0r = ar * xr - ai * xi + br * yr - bi * yi;
      const p0i = ar * xi + ai * xr + br * yi + bi * yr;
      const p1r = cr * xr - ci * xi + dr * yr - di * yi;
      const p1i = cr * xi + ci * xr + dr * yi + di * yr;
      st(prOff, i0, p0r); st(piOff, i0, p0i); st(prOff, i1, p1r); st(piOff, i1, p1i);
      xr = ld(lrOff, i0); xi = ld(liOff, i0); yr = ld(lrOff, i1); yi = ld(liOff, i1);
      st(lrOff, i0, ar * xr - ai * xi + br * yr - bi * yi);
      st(liOff, i0, ar * xi + ai * xr + br * yi + bi * yr);
      st(lrOff, i1, cr * xr - ci * xi + dr * yr - di * yi);
      st(liOff, i1, cr * xi + ci * xr + dr * yi + di * yr);
      c00r += xr * p0r + xi * p0i; c00i += xr * p0i - xi * p0r;
      c01r += xr * p1r + xi * p1i; c01i += xr * p1i - xi * p1r;
      c10r += yr * p0r + yi * p0i; c10i += yr * p0i - yi * p0r;
      c11r += yr * p1r + yi * p1i; c11i += yr * p1i - yi * p1r;
    }
  }
  if (accOff != 0) {
    store<f64>(accOff, c00r, 0); store<f64>(accOff, c00i, 8);
    store<f64>(accOff, c01r, 16); store<f64>(accOff, c01i, 24);
    store<f64>(accOff, c10r, 32); store<f64>(accOff, c10i, 40);
    store<f64>(accOff, c11r, 48); store<f64>(accOff, c11i, 56);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Permutations.

/**
 * out[j] = in[table(j)], table(j) = T[j & 255] ^ T[256 + ((j >> 8) & 255)] ^ … (Int32 table of nChunks·256
 * entries at tableOff), through the scratch arrays, then copied back into re/im.
 */
export function gather(reOff: usize, imOff: usize, scratchReOff: usize, scratchImOff: usize, tableOff: usize, nChunks: i32, n: i32): void {
  const dim: u32 = 1 << n;
  const blk: u32 = dim < 256 ? dim : 256;
  for (let base: u32 = 0; base < dim; base += blk) {
    let sHi: u32 = 0;
    for (let c = 1; c < nChunks; c++) {
      sHi ^= load<u32>(tableOff + ((<usize>c << 8) + ((base >> (8 * c)) & 255)) * 4);
    }
    const dr = scratchReOff + (<usize>base << 3), di = scratchImOff + (<usize>base << 3);
    for (let v: u32 = 0; v < blk; v++) {
      const s = load<u32>(tableOff + (<usize>v << 2)) ^ sHi;
      store<f64>(dr + (<usize>v << 3), ld(reOff, s));
      store<f64>(di + (<usize>v << 3), ld(imOff, s));
    }
  }
  memory.copy(reOff, scratchReOff, <usize>dim << 3);
  memory.copy(imOff, scratchImOff, <usize>dim << 3);
}

/** CNOT with control c and target t (no-op if c == t, like the TS kernel). */
export function applyCNOT(reOff: usize, imOff: usize, n: i32, c: i32, t: i32): void {
  const bit: u32 = 1 << t, cm: u32 = 1 << c;
  if (cm & bit) return;
  swapPairs(reOff, imOff, <u32>1 << n, bit, cm);
}

/** CZ on qubits a, b: negates the amplitudes with both bits set (with a == b: Z on a). */
export function applyCZ(reOff: usize, imOff: usize, n: i32, a: i32, b: i32): void {
  const dim: u32 = 1 << n, mask: u32 = (<u32>1 << a) | (<u32>1 << b);
  if ((mask & 1) == 0) {
    for (let i: u32 = 0; i < dim; i += 2) {
      if ((i & mask) != mask) continue;
      const pr = reOff + (<usize>i << 3), pi = imOff + (<usize>i << 3);
      v128.store(pr, f64x2.neg(v128.load(pr)));
      v128.store(pi, f64x2.neg(v128.load(pi)));
    }
  } else {
    for (let i: u32 = 1; i < dim; i += 2) {
      if ((i & mask) != mask) continue;
      st(reOff, i, -ld(reOff, i));
      st(imOff, i, -ld(imOff, i));
    }
  }
}

/** SWAP of qubits a and b (no-op if a == b). */
export function applySWAP(reOff: usize, imOff: usize, n: i32, a: i32, b: i32): void {
  if (a == b) return;
  const dim: u32 = 1 << n, ba: u32 = 1 << a, bb: u32 = 1 << b, flip = ba | bb;
  if (((ba | bb) & 1) == 0) {
    for (let i: u32 = 0; i < dim; i += 2) {
      if ((i & flip) != ba) continue; // bit a set, bit b clear
      const j = i ^ flip;
      const pr = reOff + (<usize>i << 3), pi = imOff + (<usize>i << 3);
      const qr = reOff + (<usize>j << 3), qi = imOff + (<usize>j << 3);
      const xr = v128.load(pr), xi = v128.load(pi);
      v128.store(pr, v128.load(qr));
      v128.store(pi, v128.load(qi));
      v128.store(qr, xr);
      v128.store(qi, xi);
    }
  } else {
    for (let i: u32 = 0; i < dim; i++) {
      if ((i & flip) != ba) continue;
      const j = i ^ flip;
      const xr = ld(reOff, i), xi = ld(imOff, i);
      st(reOff, i, ld(reOff, j));
      st(imOff, i, ld(imOff, j));
      st(reOff, j, xr);
      st(imOff, j, xi);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Readout.

/**
 * ⟨Z_q⟩ for the K qubits listed (Int32) at qubitsOff; writes K f64 at outOff. One pass: a histogram of the
 * probabilities over the low index byte (for qubits < 8) and per-256-block sums (for qubits ≥ 8).
 */
export function expectationZ(reOff: usize, imOff: usize, n: i32, qubitsOff: usize, K: i32, outOff: usize): void {
  const dim: u32 = 1 << n;
  const blk: u32 = dim < 256 ? dim : 256;
  memory.fill(HIST, 0, 256 * 8);
  for (let k = 0; k < K; k++) store<f64>(outOff + (<usize>k << 3), 0);
  for (let base: u32 = 0; base < dim; base += blk) {
    let bs = f64x2.splat(0);
    const pr = reOff + (<usize>base << 3), pi = imOff + (<usize>base << 3);
    for (let v: u32 = 0; v < blk; v += 2) {
      const o = <usize>v << 3;
      const r = v128.load(pr + o), m = v128.load(pi + o);
      const p = f64x2.add(f64x2.mul(r, r), f64x2.mul(m, m));
      const h = HIST + o;
      v128.store(h, f64x2.add(v128.load(h), p));
      bs = f64x2.add(bs, p);
    }
    if (base != 0) {
      const B = f64x2.extract_lane(bs, 0) + f64x2.extract_lane(bs, 1);
      for (let k = 0; k < K; k++) {
        const q = load<i32>(qubitsOff + (<usize>k << 2));
        if (q >= 8 && ((base >> q) & 1)) {
          const ok = outOff + (<usize>k << 3);
          store<f64>(ok, load<f64>(ok) + B);
        }
      }
    }
  }
  let total = 0.0;
  for (let v: u32 = 0; v < blk; v++) total += load<f64>(HIST + (<usize>v << 3));
  for (let k = 0; k < K; k++) {
    const q = load<i32>(qubitsOff + (<usize>k << 2));
    const ok = outOff + (<usize>k << 3);
    let ones = 0.0;
    if (q < 8) {
      for (let v: u32 = 0; v < blk; v++) if ((v >> q) & 1) ones += load<f64>(HIST + (<usize>v << 3));
    } else {
      ones = load<f64>(ok);
    }
    store<f64>(ok, total - 2 * ones);
  }
}

/**
 * Cotangent of L = Σ_k w_k ⟨Z_{q_k}⟩: λ_i = w(i)·φ_i with w(i) = Σ_k (bit q_k of i ? −w_k : w_k); returns
 * L = Σ_i w(i)|φ_i|². qubits: K Int32 at qubitsOff, weights: K f64 at weightsOff. n ≤ 32.
 */
export function weightedZCotangent(
  prOff: usize, piOff: usize, lrOff: usize, liOff: usize, n: i32, qubitsOff: usize, K: i32, weightsOff: usize,
): f64 {
  const dim: u32 = 1 << n;
  const nChunks = (n + 7) >> 3;
  // per-byte weight tables: W_c[v] = Σ_{k: q_k in byte c} ±w_k, in the order of k
  for (let c = 0; c < nChunks; c++) {
    const tab = WTAB + (<usize>c << 11);
    for (let v = 0; v < 256; v++) {
      let s = 0.0;
      for (let k = 0; k < K; k++) {
        const q = load<i32>(qubitsOff + (<usize>k << 2));
        if ((q >> 3) != c) continue;
        const w = load<f64>(weightsOff + (<usize>k << 3));
        s += (v >> (q & 7)) & 1 ? -w : w;
      }
      store<f64>(tab + (<usize>v << 3), s);
    }
  }
  const blk: u32 = dim < 256 ? dim : 256;
  let acc = f64x2.splat(0);
  for (let base: u32 = 0; base < dim; base += blk) {
    let wHi = 0.0;
    for (let c = 1; c < nChunks; c++) {
      wHi += load<f64>(WTAB + (<usize>c << 11) + (<usize>((base >> (8 * c)) & 255) << 3));
    }
    const WH = f64x2.splat(wHi);
    const o0 = <usize>base << 3;
    for (let v: u32 = 0; v < blk; v += 2) {
      const o = o0 + (<usize>v << 3);
      const w = nChunks > 1 ? f64x2.add(v128.load(WTAB + (<usize>v << 3)), WH) : v128.load(WTAB + (<usize>v << 3));
      const r = v128.load(prOff + o), m = v128.load(piOff + o);
      v128.store(lrOff + o, f64x2.mul(w, r));
      v128.store(liOff + o, f64x2.mul(w, m));
      acc = f64x2.add(acc, f64x2.mul(w, f64x2.add(f64x2.mul(r, r), f64x2.mul(m, m))));
    }
  }
  return f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
}

// ---------------------------------------------------------------------------------------------------------
// Whole-program sweeps (one call per sample; used by src/sim/backends/wasmProgram.ts).
//
// A compiled program is laid out in linear memory as `nOps` op records of OP_BYTES bytes each:
//   +0  i32 kind   OP_SKIP (identity block), OP_DIAG, OP_ANTI, OP_REAL, OP_GENERAL (blocks, forward kernel
//                  chosen like classifyMat2), OP_CNOT, OP_CZ, OP_SWAP, OP_PERM
//   +4  i32 a      block: target; cnot: control; cz/swap: qubit a; perm: gather table offset
//   +8  i32 b      block: ctrlMask; cnot: target; cz/swap: qubit b; perm: nChunks
//   +12 i32 c      perm: inverse table offset
//   +16 i32 derStart, +20 i32 derCount: the block's derivative records (derCount = 0: no parameters)
//   +24 i32        written by runOpsCkpt: byte offset of the op's input-state slot
//   +32 f64[8]     block: forward matrix B (Mat2 layout)
//   +96 f64[8]     block: backward matrix B†
// Derivative records (DER_BYTES each): +0 i32 occ, +16 f64[8] D = G_m⋯G_j′⋯G_1 (as blockDerivativesInto).

// Opcodes and record sizes: defined once in src/sim/program/opcodes.ts (shared with the TypeScript op-kind table,
// src/sim/program/ops.ts), imported at the top of this file.

// @ts-ignore: decorator
@inline function mf(rec: usize, k: i32): f64 {
  return load<f64>(rec + 32 + (<usize>k << 3));
}

/**
 * Runs the program (op records at opsOff, see above) forward on re/im in place, with the same kernels and
 * operation order as the per-gate `wasm.apply` entries of src/sim/program/ops.ts (so bit-identical results).
 * scratchRe/Im: 2^n f64 each (for permutation ops).
 */
export function runOps(opsOff: usize, nOps: i32, reOff: usize, imOff: usize, n: i32, scratchReOff: usize, scratchImOff: usize): void {
  for (let o = 0; o < nOps; o++) {
    const rec = opsOff + <usize>o * OP_BYTES;
    const kind = load<i32>(rec), a = load<i32>(rec, 4), b = load<i32>(rec, 8);
    switch (kind) {
      case OP_DIAG: applyDiagonal(reOff, imOff, n, a, b, mf(rec, 0), mf(rec, 1), mf(rec, 6), mf(rec, 7)); break;
      case OP_ANTI: applyAntiDiagonal(reOff, imOff, n, a, b, mf(rec, 2), mf(rec, 3), mf(rec, 4), mf(rec, 5)); break;
      case OP_REAL: applyReal(reOff, imOff, n, a, b, mf(rec, 0), mf(rec, 2), mf(rec, 4), mf(rec, 6)); break;
      case OP_GENERAL:
        applyGeneral(reOff, imOff, n, a, b, mf(rec, 0), mf(rec, 1), mf(rec, 2), mf(rec, 3), mf(rec, 4), mf(rec, 5), mf(rec, 6), mf(rec, 7));
        break;
      case OP_CNOT: applyCNOT(reOff, imOff, n, a, b); break;
      case OP_CZ: applyCZ(reOff, imOff, n, a, b); break;
      case OP_SWAP: applySWAP(reOff, imOff, n, a, b); break;
      case OP_PERM: gather(reOff, imOff, scratchReOff, scratchImOff, <usize>a, b, n); break;
      default: break;
    }
  }
}

/**
 * Backward sweep of adjoint differentiation over the op records (as the per-gate `wasm.adjoint` entries of
 * src/sim/program/ops.ts): uncomputes φ, pulls λ back, and for each parametric block writes C (8 f64) at accOff and sets
 * dAngles[occ] = 2·Re Σ_ab D_ab C_ab for each of its derivative records (derOff). dAngles (nOcc f64) is zeroed
 * first. Same kernels and operation order as the per-op path, so bit-identical results.
 */
export function adjointOps(
  opsOff: usize, nOps: i32, prOff: usize, piOff: usize, lrOff: usize, liOff: usize, n: i32,
  scratchReOff: usize, scratchImOff: usize, accOff: usize, derOff: usize, dAnglesOff: usize, nOcc: i32,
): void {
  memory.fill(dAnglesOff, 0, <usize>nOcc << 3);
  for (let o = nOps - 1; o >= 0; o--) {
    const rec = opsOff + <usize>o * OP_BYTES;
    const kind = load<i32>(rec), a = load<i32>(rec, 4), b = load<i32>(rec, 8);
    if (kind == OP_CNOT) {
      applyCNOT(prOff, piOff, n, a, b);
      applyCNOT(lrOff, liOff, n, a, b);
    } else if (kind == OP_CZ) {
      applyCZ(prOff, piOff, n, a, b);
      applyCZ(lrOff, liOff, n, a, b);
    } else if (kind == OP_SWAP) {
      applySWAP(prOff, piOff, n, a, b);
      applySWAP(lrOff, liOff, n, a, b);
    } else if (kind == OP_PERM) {
      const inv = <usize>load<i32>(rec, 12);
      gather(prOff, piOff, scratchReOff, scratchImOff, inv, b, n);
      gather(lrOff, liOff, scratchReOff, scratchImOff, inv, b, n);
    } else {
      const derStart = load<i32>(rec, 16), derCount = load<i32>(rec, 20);
      const m = rec + 96;
      pairStep(
        prOff, piOff, lrOff, liOff, n, a, b,
        load<f64>(m), load<f64>(m, 8), load<f64>(m, 16), load<f64>(m, 24),
        load<f64>(m, 32), load<f64>(m, 40), load<f64>(m, 48), load<f64>(m, 56),
        derCount > 0 ? accOff : 0,
      );
      for (let j = 0; j < derCount; j++) {
        const der = derOff + <usize>(derStart + j) * DER_BYTES;
        const occ = load<i32>(der);
        const d = der + 16;
        // reTrace of ops.ts: s += D[k]·C[k] − D[k+1]·C[k+1], k = 0, 2, 4, 6; value 2s
        let s = 0.0;
        for (let k = 0; k < 8; k += 2) {
          const ko = <usize>k << 3;
          s += load<f64>(d + ko) * load<f64>(accOff + ko) - load<f64>(d + ko + 8) * load<f64>(accOff + ko + 8);
        }
        const p = dAnglesOff + (<usize>occ << 3);
        store<f64>(p, load<f64>(p) + 2 * s);
      }
    }
  }
}

/**
 * ⟨Z_q⟩ for the K qubits (Int32 list at qubitsOff), written as K f64 at outOff, with the summation order of
 * `expectationZ` in src/sim/state/statevector.ts (bit-identical): K = 1: Σ_i ±p_i in index order; else
 * total − 2·ones_k with total and each ones_k summed in index order. probOff: 2^n f64 of scratch.
 */
export function expectationZSeq(reOff: usize, imOff: usize, n: i32, qubitsOff: usize, K: i32, outOff: usize, probOff: usize): void {
  const dim: u32 = 1 << n;
  if (K == 1) {
    const bit: u32 = <u32>1 << load<i32>(qubitsOff);
    let s = 0.0;
    for (let i: u32 = 0; i < dim; i++) {
      const r = ld(reOff, i), m = ld(imOff, i);
      const p = r * r + m * m;
      s += i & bit ? -p : p;
    }
    store<f64>(outOff, s);
    return;
  }
  let total = 0.0;
  for (let i: u32 = 0; i < dim; i++) {
    const r = ld(reOff, i), m = ld(imOff, i);
    const p = r * r + m * m;
    st(probOff, i, p);
    total += p;
  }
  // ones_k = Σ p_i over the i with bit q_k set, in index order: the j-th such index is j + (j & ~(bit − 1)) + bit.
  // Four readout qubits at a time, so that four independent sums are in flight.
  const half: u32 = dim >> 1;
  for (let k0 = 0; k0 < K; k0 += 4) {
    const last = K - 1;
    const ka = k0, kb = min(k0 + 1, last), kc = min(k0 + 2, last), kd = min(k0 + 3, last);
    const ba: u32 = <u32>1 << load<i32>(qubitsOff + (<usize>ka << 2)), bb: u32 = <u32>1 << load<i32>(qubitsOff + (<usize>kb << 2));
    const bc: u32 = <u32>1 << load<i32>(qubitsOff + (<usize>kc << 2)), bd: u32 = <u32>1 << load<i32>(qubitsOff + (<usize>kd << 2));
    const ha = ~(ba - 1), hb = ~(bb - 1), hc = ~(bc - 1), hd = ~(bd - 1);
    let sa = 0.0, sb = 0.0, sc = 0.0, sd = 0.0;
    for (let j: u32 = 0; j < half; j++) {
      sa += ld(probOff, j + (j & ha) + ba);
      sb += ld(probOff, j + (j & hb) + bb);
      sc += ld(probOff, j + (j & hc) + bc);
      sd += ld(probOff, j + (j & hd) + bd);
    }
    store<f64>(outOff + (<usize>ka << 3), total - 2 * sa);
    if (k0 + 1 <= last) store<f64>(outOff + (<usize>kb << 3), total - 2 * sb);
    if (k0 + 2 <= last) store<f64>(outOff + (<usize>kc << 3), total - 2 * sc);
    if (k0 + 3 <= last) store<f64>(outOff + (<usize>kd << 3), total - 2 * sd);
  }
}

/**
 * λ_i = w(i)·φ_i with w(i) = Σ_k (bit q_k of i ? −w_k : w_k) summed in k order; returns Σ_i w(i)|φ_i|² in
 * index order: the operation order of `weightedZCotangent` in src/sim/grad/gradients.ts (bit-identical). The w(i)
 * of four index pairs are built lane-wise at once (independent chains); only the value is a sequential sum.
 */
export function weightedZCotangentSeq(
  prOff: usize, piOff: usize, lrOff: usize, liOff: usize, n: i32, qubitsOff: usize, K: i32, weightsOff: usize,
): f64 {
  const dim: u32 = 1 << n;
  let value = 0.0;
  if (dim < 8) {
    for (let i: u32 = 0; i < dim; i++) {
      let w = 0.0;
      for (let k = 0; k < K; k++) {
        const wk = load<f64>(weightsOff + (<usize>k << 3));
        w += (i >> <u32>load<i32>(qubitsOff + (<usize>k << 2))) & 1 ? -wk : wk;
      }
      const r = ld(prOff, i), m = ld(piOff, i);
      st(lrOff, i, w * r);
      st(liOff, i, w * m);
      value += w * (r * r + m * m);
    }
    return value;
  }
  for (let i: u32 = 0; i < dim; i += 8) {
    // lanes (i, i+1), (i+2, i+3), (i+4, i+5), (i+6, i+7): the bits of q ≥ 3 are shared by all eight indices
    let w0 = f64x2.splat(0), w1 = f64x2.splat(0), w2 = f64x2.splat(0), w3 = f64x2.splat(0);
    for (let k = 0; k < K; k++) {
      const wk = load<f64>(weightsOff + (<usize>k << 3));
      const q = <u32>load<i32>(qubitsOff + (<usize>k << 2));
      const P = f64x2.splat(wk), M = f64x2.splat(-wk);
      if (q == 0) {
        const V = f64x2.replace_lane(P, 1, -wk);
        w0 = f64x2.add(w0, V); w1 = f64x2.add(w1, V); w2 = f64x2.add(w2, V); w3 = f64x2.add(w3, V);
      } else if (q == 1) {
        w0 = f64x2.add(w0, P); w1 = f64x2.add(w1, M); w2 = f64x2.add(w2, P); w3 = f64x2.add(w3, M);
      } else if (q == 2) {
        w0 = f64x2.add(w0, P); w1 = f64x2.add(w1, P); w2 = f64x2.add(w2, M); w3 = f64x2.add(w3, M);
      } else {
        const V = (i >> q) & 1 ? M : P;
        w0 = f64x2.add(w0, V); w1 = f64x2.add(w1, V); w2 = f64x2.add(w2, V); w3 = f64x2.add(w3, V);
      }
    }
    const o = <usize>i << 3;
    const r0 = v128.load(prOff + o), r1 = v128.load(prOff + o, 16), r2 = v128.load(prOff + o, 32), r3 = v128.load(prOff + o, 48);
    const m0 = v128.load(piOff + o), m1 = v128.load(piOff + o, 16), m2 = v128.load(piOff + o, 32), m3 = v128.load(piOff + o, 48);
    v128.store(lrOff + o, f64x2.mul(w0, r0)); v128.store(lrOff + o, f64x2.mul(w1, r1), 16);
    v128.store(lrOff + o, f64x2.mul(w2, r2), 32); v128.store(lrOff + o, f64x2.mul(w3, r3), 48);
    v128.store(liOff + o, f64x2.mul(w0, m0)); v128.store(liOff + o, f64x2.mul(w1, m1), 16);
    v128.store(liOff + o, f64x2.mul(w2, m2), 32); v128.store(liOff + o, f64x2.mul(w3, m3), 48);
    // value in index order (a scalar chain, as the TS loop)
    const t0 = f64x2.mul(w0, f64x2.add(f64x2.mul(r0, r0), f64x2.mul(m0, m0)));
    const t1 = f64x2.mul(w1, f64x2.add(f64x2.mul(r1, r1), f64x2.mul(m1, m1)));
    const t2 = f64x2.mul(w2, f64x2.add(f64x2.mul(r2, r2), f64x2.mul(m2, m2)));
    const t3 = f64x2.mul(w3, f64x2.add(f64x2.mul(r3, r3), f64x2.mul(m3, m3)));
    value += f64x2.extract_lane(t0, 0); value += f64x2.extract_lane(t0, 1);
    value += f64x2.extract_lane(t1, 0); value += f64x2.extract_lane(t1, 1);
    value += f64x2.extract_lane(t2, 0); value += f64x2.extract_lane(t2, 1);
    value += f64x2.extract_lane(t3, 0); value += f64x2.extract_lane(t3, 1);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// Checkpointed sweeps: the forward pass keeps the input state of every parametric block and permutation
// (out of place, in consecutive slots), so the backward sweep only pulls λ back and reads φ_in from memory
// instead of uncomputing φ: about a third fewer operations per block. Used by src/sim/backends/wasmProgram.ts for states
// small enough to keep one per op (see there).

/** Out-of-place [[a, b], [c, d]] on qubit t without controls: dst = M·src (the arithmetic of applyGeneral). */
function applyGeneralTo(
  srcRe: usize, srcIm: usize, dstRe: usize, dstIm: usize, n: i32, t: i32,
  ar: f64, ai: f64, br: f64, bi: f64, cr: f64, ci: f64, dr: f64, di: f64,
): void {
  const dim: u32 = 1 << n, bit: u32 = 1 << t;
  const Ar = f64x2.splat(ar), Ai = f64x2.splat(ai), Br = f64x2.splat(br), Bi = f64x2.splat(bi);
  const Cr = f64x2.splat(cr), Ci = f64x2.splat(ci), Dr = f64x2.splat(dr), Di = f64x2.splat(di);
  if (t >= 1) {
    const stride = bit << 1, boff = <usize>bit << 3;
    for (let base: u32 = 0; base < dim; base += stride) {
      for (let lo: u32 = 0; lo < bit; lo += 2) {
        const o = <usize>(base | lo) << 3;
        const xr = v128.load(srcRe + o), xi = v128.load(srcIm + o), yr = v128.load(srcRe + o + boff), yi = v128.load(srcIm + o + boff);
        v128.store(dstRe + o, cre(Ar, Ai, Br, Bi, xr, xi, yr, yi));
        v128.store(dstIm + o, cim(Ar, Ai, Br, Bi, xr, xi, yr, yi));
        v128.store(dstRe + o + boff, cre(Cr, Ci, Dr, Di, xr, xi, yr, yi));
        v128.store(dstIm + o + boff, cim(Cr, Ci, Dr, Di, xr, xi, yr, yi));
      }
    }
  } else if (n >= 2) {
    for (let i0: u32 = 0; i0 < dim; i0 += 4) {
      const o = <usize>i0 << 3;
      const r0 = v128.load(srcRe + o), r1 = v128.load(srcRe + o, 16), m0 = v128.load(srcIm + o), m1 = v128.load(srcIm + o, 16);
      const xr = lo2(r0, r1), yr = hi2(r0, r1), xi = lo2(m0, m1), yi = hi2(m0, m1);
      const nxr = cre(Ar, Ai, Br, Bi, xr, xi, yr, yi), nxi = cim(Ar, Ai, Br, Bi, xr, xi, yr, yi);
      const nyr = cre(Cr, Ci, Dr, Di, xr, xi, yr, yi), nyi = cim(Cr, Ci, Dr, Di, xr, xi, yr, yi);
      v128.store(dstRe + o, lo2(nxr, nyr));
      v128.store(dstRe + o, hi2(nxr, nyr), 16);
      v128.store(dstIm + o, lo2(nxi, nyi));
      v128.store(dstIm + o, hi2(nxi, nyi), 16);
    }
  } else {
    const xr = ld(srcRe, 0), xi = ld(srcIm, 0), yr = ld(srcRe, 1), yi = ld(srcIm, 1);
    st(dstRe, 0, ar * xr - ai * xi + br * yr - bi * yi);
    st(dstIm, 0, ar * xi + ai * xr + br * yi + bi * yr);
    st(dstRe, 1, cr * xr - ci * xi + dr * yr - di * yi);
    st(dstIm, 1, cr * xi + ci * xr + dr * yi + di * yr);
  }
}

/** out[j] = in[table(j)] from src into dst (the gather of `gather`, without the copy back). */
function gatherTo(srcRe: usize, srcIm: usize, dstRe: usize, dstIm: usize, tableOff: usize, nChunks: i32, n: i32): void {
  const dim: u32 = 1 << n;
  const blk: u32 = dim < 256 ? dim : 256;
  for (let base: u32 = 0; base < dim; base += blk) {
    let sHi: u32 = 0;
    for (let c = 1; c < nChunks; c++) {
      sHi ^= load<u32>(tableOff + ((<usize>c << 8) + ((base >> (8 * c)) & 255)) * 4);
    }
    const dr = dstRe + (<usize>base << 3), di = dstIm + (<usize>base << 3);
    for (let v: u32 = 0; v < blk; v++) {
      const s = load<u32>(tableOff + (<usize>v << 2)) ^ sHi;
      store<f64>(dr + (<usize>v << 3), ld(srcRe, s));
      store<f64>(di + (<usize>v << 3), ld(srcIm, s));
    }
  }
}

/**
 * Forward pass with checkpoints. The input is in slot 0 (re at slotsOff, im at slotsOff + 2^n·8; slot s at
 * slotsOff + s·2^(n+4)). Every parametric block (derCount > 0) and every permutation writes its output into
 * the next slot; other ops work in place. Each op record gets the byte offset of its input slot at +24 (i32).
 * Returns the offset of the slot that holds the output state. Same kernels and arithmetic as `runOps` (so the
 * output state is bit-identical).
 */
export function runOpsCkpt(opsOff: usize, nOps: i32, slotsOff: usize, n: i32): usize {
  const dimBytes: usize = (<usize>1 << n) << 3;
  let cur = slotsOff;
  for (let o = 0; o < nOps; o++) {
    const rec = opsOff + <usize>o * OP_BYTES;
    const kind = load<i32>(rec), a = load<i32>(rec, 4), b = load<i32>(rec, 8);
    store<i32>(rec, <i32>cur, 24);
    const re = cur, im = cur + dimBytes;
    if (kind == OP_PERM) {
      const next = cur + 2 * dimBytes;
      gatherTo(re, im, next, next + dimBytes, <usize>a, b, n);
      cur = next;
      continue;
    }
    if (kind <= OP_GENERAL && load<i32>(rec, 20) > 0) {
      const next = cur + 2 * dimBytes;
      if (kind == OP_GENERAL && b == 0) {
        applyGeneralTo(re, im, next, next + dimBytes, n, a, mf(rec, 0), mf(rec, 1), mf(rec, 2), mf(rec, 3), mf(rec, 4), mf(rec, 5), mf(rec, 6), mf(rec, 7));
        cur = next;
        continue;
      }
      memory.copy(next, cur, 2 * dimBytes);
      cur = next;
    }
    const r2 = cur, i2 = cur + dimBytes;
    switch (kind) {
      case OP_DIAG: applyDiagonal(r2, i2, n, a, b, mf(rec, 0), mf(rec, 1), mf(rec, 6), mf(rec, 7)); break;
      case OP_ANTI: applyAntiDiagonal(r2, i2, n, a, b, mf(rec, 2), mf(rec, 3), mf(rec, 4), mf(rec, 5)); break;
      case OP_REAL: applyReal(r2, i2, n, a, b, mf(rec, 0), mf(rec, 2), mf(rec, 4), mf(rec, 6)); break;
      case OP_GENERAL:
        applyGeneral(r2, i2, n, a, b, mf(rec, 0), mf(rec, 1), mf(rec, 2), mf(rec, 3), mf(rec, 4), mf(rec, 5), mf(rec, 6), mf(rec, 7));
        break;
      case OP_CNOT: applyCNOT(r2, i2, n, a, b); break;
      case OP_CZ: applyCZ(r2, i2, n, a, b); break;
      case OP_SWAP: applySWAP(r2, i2, n, a, b); break;
      default: break;
    }
  }
  return cur;
}

/** λ ← Mλ on the pairs of qubit t (ctrlMask bits all 1) and acc_ab = Σ conj(λ_old[a])·φ[b] with φ read-only. */
function lambdaStep(
  lrOff: usize, liOff: usize, frOff: usize, fiOff: usize, n: i32, t: i32, ctrlMask: i32,
  ar: f64, ai: f64, br: f64, bi: f64, cr: f64, ci: f64, dr: f64, di: f64, accOff: usize,
): void {
  const dim: u32 = 1 << n, bit: u32 = 1 << t, cm = <u32>ctrlMask;
  if (cm & bit) {
    memory.fill(accOff, 0, 64);
    return;
  }
  const Ar = f64x2.splat(ar), Ai = f64x2.splat(ai), Br = f64x2.splat(br), Bi = f64x2.splat(bi);
  const Cr = f64x2.splat(cr), Ci = f64x2.splat(ci), Dr = f64x2.splat(dr), Di = f64x2.splat(di);
  let c00r = f64x2.splat(0), c00i = f64x2.splat(0), c01r = f64x2.splat(0), c01i = f64x2.splat(0);
  let c10r = f64x2.splat(0), c10i = f64x2.splat(0), c11r = f64x2.splat(0), c11i = f64x2.splat(0);
  if (t >= 1 && (cm & 1) == 0) {
    const stride = bit << 1, boff = <usize>bit << 3;
    for (let base: u32 = 0; base < dim; base += stride) {
      for (let lo: u32 = 0; lo < bit; lo += 2) {
        const i0 = base | lo;
        if ((i0 & cm) != cm) continue;
        const o = <usize>i0 << 3;
        const p0r = v128.load(frOff + o), p0i = v128.load(fiOff + o), p1r = v128.load(frOff + o + boff), p1i = v128.load(fiOff + o + boff);
        const l0r = lrOff + o, l0i = liOff + o, l1r = l0r + boff, l1i = l0i + boff;
        const xr = v128.load(l0r), xi = v128.load(l0i), yr = v128.load(l1r), yi = v128.load(l1i);
        v128.store(l0r, cre(Ar, Ai, Br, Bi, xr, xi, yr, yi));
        v128.store(l0i, cim(Ar, Ai, Br, Bi, xr, xi, yr, yi));
        v128.store(l1r, cre(Cr, Ci, Dr, Di, xr, xi, yr, yi));
        v128.store(l1i, cim(Cr, Ci, Dr, Di, xr, xi, yr, yi));
        c00r = f64x2.add(c00r, f64x2.add(f64x2.mul(xr, p0r), f64x2.mul(xi, p0i)));
        c00i = f64x2.add(c00i, f64x2.sub(f64x2.mul(xr, p0i), f64x2.mul(xi, p0r)));
        c01r = f64x2.add(c01r, f64x2.add(f64x2.mul(xr, p1r), f64x2.mul(xi, p1i)));
        c01i = f64x2.add(c01i, f64x2.sub(f64x2.mul(xr, p1i), f64x2.mul(xi, p1r)));
        c10r = f64x2.add(c10r, f64x2.add(f64x2.mul(yr, p0r), f64x2.mul(yi, p0i)));
        c10i = f64x2.add(c10i, f64x2.sub(f64x2.mul(yr, p0i), f64x2.mul(yi, p0r)));
        c11r = f64x2.add(c11r, f64x2.add(f64x2.mul(yr, p1r), f64x2.mul(yi, p1i)));
        c11i = f64x2.add(c11i, f64x2.sub(f64x2.mul(yr, p1i), f64x2.mul(yi, p1r)));
      }
    }
    storeAcc(accOff, c00r, c00i, c01r, c01i, c10r, c10i, c11r, c11i);
    return;
  }
  if (t == 0 && n >= 2 && (cm & 2) == 0) {
    for (let i0: u32 = 0; i0 < dim; i0 += 4) {
      if ((i0 & cm) != cm) continue;
      const o = <usize>i0 << 3;
      let r0 = v128.load(frOff + o), r1 = v128.load(frOff + o, 16), m0 = v128.load(fiOff + o), m1 = v128.load(fiOff + o, 16);
      const p0r = lo2(r0, r1), p1r = hi2(r0, r1), p0i = lo2(m0, m1), p1i = hi2(m0, m1);
      const lr = lrOff + o, li = liOff + o;
      r0 = v128.load(lr); r1 = v128.load(lr, 16); m0 = v128.load(li); m1 = v128.load(li, 16);
      const xr = lo2(r0, r1), yr = hi2(r0, r1), xi = lo2(m0, m1), yi = hi2(m0, m1);
      const n0r = cre(Ar, Ai, Br, Bi, xr, xi, yr, yi), n0i = cim(Ar, Ai, Br, Bi, xr, xi, yr, yi);
      const n1r = cre(Cr, Ci, Dr, Di, xr, xi, yr, yi), n1i = cim(Cr, Ci, Dr, Di, xr, xi, yr, yi);
      v128.store(lr, lo2(n0r, n1r));
      v128.store(lr, hi2(n0r, n1r), 16);
      v128.store(li, lo2(n0i, n1i));
      v128.store(li, hi2(n0i, n1i), 16);
      c00r = f64x2.add(c00r, f64x2.add(f64x2.mul(xr, p0r), f64x2.mul(xi, p0i)));
      c00i = f64x2.add(c00i, f64x2.sub(f64x2.mul(xr, p0i), f64x2.mul(xi, p0r)));
      c01r = f64x2.add(c01r, f64x2.add(f64x2.mul(xr, p1r), f64x2.mul(xi, p1i)));
      c01i = f64x2.add(c01i, f64x2.sub(f64x2.mul(xr, p1i), f64x2.mul(xi, p1r)));
      c10r = f64x2.add(c10r, f64x2.add(f64x2.mul(yr, p0r), f64x2.mul(yi, p0i)));
      c10i = f64x2.add(c10i, f64x2.sub(f64x2.mul(yr, p0i), f64x2.mul(yi, p0r)));
      c11r = f64x2.add(c11r, f64x2.add(f64x2.mul(yr, p1r), f64x2.mul(yi, p1i)));
      c11i = f64x2.add(c11i, f64x2.sub(f64x2.mul(yr, p1i), f64x2.mul(yi, p1r)));
    }
    storeAcc(accOff, c00r, c00i, c01r, c01i, c10r, c10i, c11r, c11i);
    return;
  }
  // scalar path
  let s00r = 0.0, s00i = 0.0, s01r = 0.0, s01i = 0.0, s10r = 0.0, s10i = 0.0, s11r = 0.0, s11i = 0.0;
  const stride = bit << 1;
  for (let base: u32 = 0; base < dim; base += stride) {
    for (let lo: u32 = 0; lo < bit; lo++) {
      const i0 = base | lo;
      if ((i0 & cm) != cm) continue;
      const i1 = i0 | bit;
      const p0r = ld(frOff, i0), p0i = ld(fiOff, i0), p1r = ld(frOff, i1), p1i = ld(fiOff, i1);
      const xr = ld(lrOff, i0), xi = ld(liOff, i0), yr = ld(lrOff, i1), yi = ld(liOff, i1);
      st(lrOff, i0, ar * xr - ai * xi + br * yr - bi * yi);
      st(liOff, i0, ar * xi + ai * xr + br * yi + bi * yr);
      st(lrOff, i1, cr * xr - ci * xi + dr * yr - di * yi);
      st(liOff, i1, cr * xi + ci * xr + dr * yi + di * yr);
      s00r += xr * p0r + xi * p0i; s00i += xr * p0i - xi * p0r;
      s01r += xr * p1r + xi * p1i; s01i += xr * p1i - xi * p1r;
      s10r += yr * p0r + yi * p0i; s10i += yr * p0i - yi * p0r;
      s11r += yr * p1r + yi * p1i; s11i += yr * p1i - yi * p1r;
    }
  }
  store<f64>(accOff, s00r, 0); store<f64>(accOff, s00i, 8);
  store<f64>(accOff, s01r, 16); store<f64>(accOff, s01i, 24);
  store<f64>(accOff, s10r, 32); store<f64>(accOff, s10i, 40);
  store<f64>(accOff, s11r, 48); store<f64>(accOff, s11i, 56);
}

/**
 * Backward sweep after {@link runOpsCkpt}: pulls λ back through the ops (φ is not uncomputed) and, for each
 * parametric block, accumulates C against the block's stored input state and sets dAngles[occ] = 2·Re Σ D·C
 * (dAngles zeroed first). Non-parametric blocks apply B† to λ through the forward kernels (by their kind);
 * permutations gather λ with the inverse table.
 */
export function adjointOpsCkpt(
  opsOff: usize, nOps: i32, lrOff: usize, liOff: usize, n: i32,
  scratchReOff: usize, scratchImOff: usize, accOff: usize, derOff: usize, dAnglesOff: usize, nOcc: i32,
): void {
  const dimBytes: usize = (<usize>1 << n) << 3;
  memory.fill(dAnglesOff, 0, <usize>nOcc << 3);
  for (let o = nOps - 1; o >= 0; o--) {
    const rec = opsOff + <usize>o * OP_BYTES;
    const kind = load<i32>(rec), a = load<i32>(rec, 4), b = load<i32>(rec, 8);
    if (kind == OP_CNOT) applyCNOT(lrOff, liOff, n, a, b);
    else if (kind == OP_CZ) applyCZ(lrOff, liOff, n, a, b);
    else if (kind == OP_SWAP) applySWAP(lrOff, liOff, n, a, b);
    else if (kind == OP_PERM) gather(lrOff, liOff, scratchReOff, scratchImOff, <usize>load<i32>(rec, 12), b, n);
    else {
      const derStart = load<i32>(rec, 16), derCount = load<i32>(rec, 20);
      const m = rec + 96;
      if (derCount == 0) {
        // λ ← B†λ (not needed for the gradient of this block): the general kernel
        applyGeneral(lrOff, liOff, n, a, b, load<f64>(m), load<f64>(m, 8), load<f64>(m, 16), load<f64>(m, 24),
          load<f64>(m, 32), load<f64>(m, 40), load<f64>(m, 48), load<f64>(m, 56));
        continue;
      }
      const phi = <usize>load<i32>(rec, 24);
      lambdaStep(
        lrOff, liOff, phi, phi + dimBytes, n, a, b,
        load<f64>(m), load<f64>(m, 8), load<f64>(m, 16), load<f64>(m, 24),
        load<f64>(m, 32), load<f64>(m, 40), load<f64>(m, 48), load<f64>(m, 56), accOff,
      );
      for (let j = 0; j < derCount; j++) {
        const der = derOff + <usize>(derStart + j) * DER_BYTES;
        const occ = load<i32>(der);
        const d = der + 16;
        let s = 0.0;
        for (let k = 0; k < 8; k += 2) {
          const ko = <usize>k << 3;
          s += load<f64>(d + ko) * load<f64>(accOff + ko) - load<f64>(d + ko + 8) * load<f64>(accOff + ko + 8);
        }
        const p = dAnglesOff + (<usize>occ << 3);
        store<f64>(p, load<f64>(p) + 2 * s);
      }
    }
  }
}
