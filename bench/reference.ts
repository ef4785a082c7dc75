/**
 * The plain reference the benchmark compares against, written the obvious way and kept deliberately simple:
 * Float64Array loops, one pass over the state per gate (no fusion, no specialised kernels, no permutation
 * merging), and the textbook adjoint method that applies each gate's derivative to a third statevector.
 * It shares nothing with the optimised kernels, so speeding those up never speeds up the reference.
 */
import type { Circuit } from "../src/sim/program/circuit";
import { rotationMatrix, rotationDerivative, dagger2, Mat2 } from "../src/sim/program/gates";

function apply2(re: Float64Array, im: Float64Array, t: number, m: Mat2, ctrlMask: number): void {
  const bit = 1 << t,
    dim = re.length;
  for (let base = 0; base < dim; base += bit << 1)
    for (let i0 = base; i0 < base + bit; i0++) {
      if ((i0 & ctrlMask) !== ctrlMask) continue;
      const i1 = i0 | bit;
      const xr = re[i0],
        xi = im[i0],
        yr = re[i1],
        yi = im[i1];
      re[i0] = m[0] * xr - m[1] * xi + m[2] * yr - m[3] * yi;
      im[i0] = m[0] * xi + m[1] * xr + m[2] * yi + m[3] * yr;
      re[i1] = m[4] * xr - m[5] * xi + m[6] * yr - m[7] * yi;
      im[i1] = m[4] * xi + m[5] * xr + m[6] * yi + m[7] * yr;
    }
}

function applyOp(
  c: Circuit,
  k: number,
  angles: Float64Array,
  re: Float64Array,
  im: Float64Array,
  inverse: boolean,
): void {
  const op = c.ops[k];
  if (op.kind === "channel") {
    throw new Error("referenceForward: the reference statevector simulator has no noise channels");
  } else if (op.kind === "cnot") {
    apply2(re, im, op.target, Float64Array.of(0, 0, 1, 0, 1, 0, 0, 0), 1 << op.control);
  } else if (op.kind === "cz") {
    apply2(re, im, op.b, Float64Array.of(1, 0, 0, 0, 0, 0, -1, 0), 1 << op.a);
  } else if (op.kind === "swap") {
    const x = Float64Array.of(0, 0, 1, 0, 1, 0, 0, 0);
    apply2(re, im, op.b, x, 1 << op.a);
    apply2(re, im, op.a, x, 1 << op.b);
    apply2(re, im, op.b, x, 1 << op.a);
  } else {
    let mask = 0;
    for (const q of op.controls) mask |= 1 << q;
    const m = op.kind === "fixed" ? op.matrix : rotationMatrix(op.axis, angles[op.occ]);
    apply2(re, im, op.target, inverse ? dagger2(m) : m, mask);
  }
}

/** Reference forward pass: U(params)|state⟩ in place, one pass per gate. */
export function referenceForward(c: Circuit, params: ArrayLike<number>, re: Float64Array, im: Float64Array): void {
  const angles = c.angles(params);
  for (let k = 0; k < c.ops.length; k++) applyOp(c, k, angles, re, im, false);
}

/**
 * Reference adjoint gradient of Σ_k w_k⟨Z_{q_k}⟩ (textbook form: three statevectors φ, λ, μ; for each
 * parametric gate μ = (∂G)φ_before and g = 2·Re⟨λ|μ⟩).
 */
export function referenceGradient(
  c: Circuit,
  params: ArrayLike<number>,
  inRe: Float64Array,
  inIm: Float64Array,
  readout: number[],
  weights: number[],
): Float64Array {
  const angles = c.angles(params);
  const pr = inRe.slice(),
    pi = inIm.slice();
  for (let k = 0; k < c.ops.length; k++) applyOp(c, k, angles, pr, pi, false);
  const lr = new Float64Array(pr.length),
    li = new Float64Array(pr.length);
  for (let i = 0; i < pr.length; i++) {
    let w = 0;
    for (let r = 0; r < readout.length; r++) w += (i >> readout[r]) & 1 ? -weights[r] : weights[r];
    lr[i] = w * pr[i];
    li[i] = w * pi[i];
  }
  const mr = new Float64Array(pr.length),
    mi = new Float64Array(pr.length);
  const dAngles = new Float64Array(angles.length);
  for (let k = c.ops.length - 1; k >= 0; k--) {
    applyOp(c, k, angles, pr, pi, true);
    const op = c.ops[k];
    if (op.kind === "rot") {
      mr.set(pr);
      mi.set(pi);
      let mask = 0;
      for (const q of op.controls) mask |= 1 << q;
      const d = rotationDerivative(op.axis, angles[op.occ]);
      if (mask) {
        // ∂(controlled G) = |1⟩⟨1|_c ⊗ ∂G: zero the control-off part
        for (let i = 0; i < mr.length; i++)
          if ((i & mask) !== mask) {
            mr[i] = 0;
            mi[i] = 0;
          }
      }
      apply2(mr, mi, op.target, d, mask);
      let s = 0;
      for (let i = 0; i < mr.length; i++) s += lr[i] * mr[i] + li[i] * mi[i];
      dAngles[op.occ] += 2 * s;
    }
    applyOp(c, k, angles, lr, li, true);
  }
  const grad = new Float64Array(c.nParams);
  c.accumulateParamGradient(dAngles, grad);
  return grad;
}
