/**
 * Encoders: maps from classical data to input statevectors (Yan et al. Sec. II.1, step 1). Product-state
 * encoders are computed directly as tensor products (no circuit simulation).
 *
 * - {@link phaseEncode}: bits b_i → H then RZ(π·b_i) on qubit i, i.e. |+⟩ for 0 and |−⟩ for 1 (up to a
 *   global phase) — the MNIST 1-vs-5 encoder (PARAMS.md, inferred); {@link phaseEncodeProduct} gives the same
 *   state as a {@link ProductState}, which a QNNClassifier simulates on its readout's light cone only.
 * - {@link angleEncode}: features x_i → R_axis(scale·x_i)|0⟩ on qubit i.
 * - {@link amplitudeEncode}: a vector → zero-padded to 2^n and L2-normalised (the "state encoder" of Fig. 6).
 * - {@link stateInput}: a given quantum state (quantum data such as ZXZ ground states), validated.
 */
import { Statevector, checkQubitCount } from "../sim/state/statevector";
import { Axis, rotationMatrix } from "../sim/program/gates";
import { ProductState } from "../sim/state/product";

/**
 * The product state ⊗_i (a_i|0⟩ + b_i|1⟩) as a full statevector, with per-qubit amplitudes `[a_re, a_im, b_re,
 * b_im]`; entry i is qubit i (little-endian). Same as `new ProductState(qubits).toStatevector()`.
 * @throws Error for no qubits, more than 26, or a qubit state that is not normalised (see {@link ProductState}).
 */
export function productState(qubits: ArrayLike<number>[]): Statevector {
  checkQubitCount("productState", qubits.length);
  return new ProductState(qubits).toStatevector();
}

function checkFeatures(where: string, x: ArrayLike<number>): void {
  if (!x || typeof x.length !== "number") throw new Error(`${where}: expected an array of numbers, got ${String(x)}`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new Error(`${where}: feature ${i} is not finite (${x[i]})`);
  }
}

/**
 * Phase encoding of a bit string: qubit i is |+⟩ if bits[i] = 0 and |−⟩ if bits[i] = 1, i.e. RZ(π·b_i)·H|0⟩
 * up to a global phase. One qubit per bit.
 * @throws Error if a value is not 0 or 1, or the length is 0 or above 26.
 */
export function phaseEncode(bits: ArrayLike<number>): Statevector {
  return productState(phaseQubits("phaseEncode", bits));
}

/**
 * {@link phaseEncode} as a {@link ProductState} (4 numbers per qubit instead of 2^n amplitudes): the same state,
 * `phaseEncodeProduct(b).toStatevector()` equals `phaseEncode(b)` exactly. A QNNClassifier given product states
 * simulates only the backward light cone of its readout qubits.
 * @throws Error if a value is not 0 or 1, or the length is 0 or above 26.
 */
export function phaseEncodeProduct(bits: ArrayLike<number>): ProductState {
  return new ProductState(phaseQubits("phaseEncodeProduct", bits));
}

function phaseQubits(where: string, bits: ArrayLike<number>): number[][] {
  checkFeatures(where, bits);
  checkQubitCount(where, bits.length);
  const s = Math.SQRT1_2;
  const qs: number[][] = [];
  for (let i = 0; i < bits.length; i++) {
    if (bits[i] !== 0 && bits[i] !== 1) throw new Error(`${where}: bit ${i} must be 0 or 1, got ${bits[i]}`);
    qs.push(bits[i] ? [s, 0, -s, 0] : [s, 0, s, 0]);
  }
  return qs;
}

/**
 * Angle encoding: qubit i is R_axis(scale·x_i)|0⟩. With axis Y (default), |ψ_i⟩ = cos(x_i/2)|0⟩ + sin(x_i/2)|1⟩.
 * @param options.axis - "X", "Y" or "Z" (default "Y"; Z acts trivially on |0⟩ unless preceded by H: use
 *   `hadamard: true`).
 * @param options.scale - multiplies each feature (default 1, radians per unit).
 * @param options.hadamard - apply H before the rotation (default false).
 */
export function angleEncode(
  x: ArrayLike<number>,
  options: { axis?: "X" | "Y" | "Z"; scale?: number; hadamard?: boolean } = {},
): Statevector {
  checkFeatures("angleEncode", x);
  const axisName = options.axis ?? "Y";
  const axis = ({ X: 0, Y: 1, Z: 2 } as const)[axisName] as Axis | undefined;
  if (axis === undefined) throw new Error(`angleEncode: axis must be "X", "Y" or "Z", got ${JSON.stringify(axisName)}`);
  const scale = options.scale ?? 1;
  if (!Number.isFinite(scale)) throw new Error(`angleEncode: scale must be finite, got ${scale}`);
  const s = Math.SQRT1_2;
  const qs: number[][] = [];
  for (let i = 0; i < x.length; i++) {
    const m = rotationMatrix(axis, scale * x[i]);
    // column 0 of R (input |0⟩), or R·H|0⟩ = (col0 + col1)/√2
    if (options.hadamard) qs.push([(m[0] + m[2]) * s, (m[1] + m[3]) * s, (m[4] + m[6]) * s, (m[5] + m[7]) * s]);
    else qs.push([m[0], m[1], m[4], m[5]]);
  }
  return productState(qs);
}

/**
 * Amplitude ("state") encoding: x zero-padded to 2^nQubits entries and L2-normalised (Yan et al. Sec. III.3:
 * 784 pixels → 1024 amplitudes → 10 qubits).
 * @param nQubits - default ⌈log2(len)⌉.
 * @throws Error for an all-zero vector, a non-finite entry, or more entries than 2^nQubits.
 */
export function amplitudeEncode(x: ArrayLike<number>, nQubits?: number): Statevector {
  checkFeatures("amplitudeEncode", x);
  const n = nQubits ?? Math.max(1, Math.ceil(Math.log2(x.length)));
  checkQubitCount("amplitudeEncode", n);
  const dim = 2 ** n;
  if (x.length > dim) throw new Error(`amplitudeEncode: ${x.length} features do not fit in 2^${n} = ${dim} amplitudes`);
  const re = new Float64Array(dim);
  let norm2 = 0;
  for (let i = 0; i < x.length; i++) {
    re[i] = x[i];
    norm2 += x[i] * x[i];
  }
  if (norm2 === 0) throw new Error("amplitudeEncode: the feature vector is all zeros and cannot be normalised");
  const s = 1 / Math.sqrt(norm2);
  for (let i = 0; i < x.length; i++) re[i] *= s;
  return new Statevector(n, re, new Float64Array(dim));
}

/**
 * A given quantum state as QNN input (quantum data), checked to be normalised to within `tol`.
 * @throws Error if the norm differs from 1 by more than `tol` (default 1e-8).
 */
export function stateInput(state: Statevector, tol = 1e-8): Statevector {
  const n2 = state.norm2();
  if (!(Math.abs(Math.sqrt(n2) - 1) <= tol)) {
    throw new Error(`stateInput: the state is not normalised (norm ${Math.sqrt(n2)}); quantum inputs must have norm 1`);
  }
  return state;
}
