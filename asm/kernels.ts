/**
 * WebAssembly SIMD (f64x2) statevector kernels, in AssemblyScript. Compiled by `scripts/build-wasm.js` to
 * `dist/wasm/kernels.wasm` (-O3, `--enable simd`, `--runtime stub`: no allocator or GC is used, only raw loads
 * and stores into linear memory managed from JS by `src/sim/wasm.ts`).
 *
 * Conventions (mirroring `src/sim/kernels.ts`):
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
 * `pairStep` in src/sim/gradients.ts (with a ctrlMask containing bit t nothing is visited and acc = 0).
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
