/**
 * Statevectors: `2^nQubits` complex amplitudes in Float64, stored as two arrays `re` and `im`.
 *
 * **Qubit ordering (little-endian).** Qubit `q` is bit `q` of the basis-state index: amplitude `i` belongs to
 * the basis state |b_{n-1} … b_1 b_0⟩ with `i = Σ_q b_q 2^q`. So on 3 qubits, X on qubit 0 maps |000⟩ (index 0)
 * to index 1, and X on qubit 2 maps it to index 4. This is Qiskit's convention; in ket notation written
 * most-significant first, qubit 0 is the rightmost symbol.
 */

/** Largest number of qubits a statevector may have (2^26 amplitudes = 1 GiB in two Float64 arrays). */
export const MAX_QUBITS = 26;

/** @throws Error unless `n` is an integer in [1, MAX_QUBITS]. */
export function checkQubitCount(where: string, n: unknown): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > MAX_QUBITS) {
    throw new Error(`${where}: nQubits must be an integer in [1, ${MAX_QUBITS}], got ${String(n)}`);
  }
  return n;
}

/** @throws Error unless `q` is a valid qubit index of an `n`-qubit register. */
export function checkQubit(where: string, q: unknown, n: number): number {
  if (typeof q !== "number" || !Number.isInteger(q) || q < 0 || q >= n) {
    throw new Error(`${where}: qubit ${String(q)} is out of range; allowed 0..${n - 1} for ${n} qubits`);
  }
  return q;
}

/** A pure state of `nQubits` qubits: amplitudes `re[i] + i·im[i]`, index layout as in the module doc. */
export class Statevector {
  readonly nQubits: number;
  /** Real parts, length 2^nQubits. */
  readonly re: Float64Array;
  /** Imaginary parts, length 2^nQubits. */
  readonly im: Float64Array;

  /**
   * Wraps existing arrays (no copy). Prefer {@link Statevector.zero} or {@link Statevector.fromAmplitudes}.
   * @throws Error if the lengths are not 2^nQubits.
   */
  constructor(nQubits: number, re: Float64Array, im: Float64Array) {
    checkQubitCount("Statevector", nQubits);
    const dim = 2 ** nQubits;
    if (re.length !== dim || im.length !== dim) {
      throw new Error(
        `Statevector: expected ${dim} amplitudes for ${nQubits} qubits, got re ${re.length}, im ${im.length}`,
      );
    }
    this.nQubits = nQubits;
    this.re = re;
    this.im = im;
  }

  /** Dimension 2^nQubits. */
  get dim(): number {
    return this.re.length;
  }

  /** |0…0⟩ on `nQubits` qubits. */
  static zero(nQubits: number): Statevector {
    checkQubitCount("Statevector.zero", nQubits);
    const dim = 2 ** nQubits;
    const s = new Statevector(nQubits, new Float64Array(dim), new Float64Array(dim));
    s.re[0] = 1;
    return s;
  }

  /** The computational basis state with index `index` (little-endian, see module doc). */
  static basis(nQubits: number, index: number): Statevector {
    const s = Statevector.zero(nQubits);
    if (!Number.isInteger(index) || index < 0 || index >= s.dim) {
      throw new Error(`Statevector.basis: index ${index} out of range 0..${s.dim - 1}`);
    }
    s.re[0] = 0;
    s.re[index] = 1;
    return s;
  }

  /**
   * A state from given amplitudes (copied). The length must be a power of two; the state must be normalised
   * to within `tol` unless `normalize` is true, in which case it is rescaled.
   * @throws Error on a bad length, a NaN/infinite amplitude, a zero vector, or a norm off 1 by more than `tol`.
   */
  static fromAmplitudes(
    re: ArrayLike<number>,
    im?: ArrayLike<number>,
    opts: { normalize?: boolean; tol?: number } = {},
  ): Statevector {
    const dim = re.length;
    const n = Math.round(Math.log2(dim));
    if (dim < 2 || 2 ** n !== dim)
      throw new Error(`Statevector.fromAmplitudes: length must be a power of two >= 2, got ${dim}`);
    if (im && im.length !== dim)
      throw new Error(`Statevector.fromAmplitudes: re has ${dim} entries but im has ${im.length}`);
    const r = Float64Array.from(re);
    const m = im ? Float64Array.from(im) : new Float64Array(dim);
    let norm2 = 0;
    for (let i = 0; i < dim; i++) {
      if (!Number.isFinite(r[i]) || !Number.isFinite(m[i])) {
        throw new Error(`Statevector.fromAmplitudes: amplitude ${i} is not finite (${r[i]} + ${m[i]}i)`);
      }
      norm2 += r[i] * r[i] + m[i] * m[i];
    }
    if (norm2 === 0) throw new Error("Statevector.fromAmplitudes: all amplitudes are zero");
    const tol = opts.tol ?? 1e-8;
    if (opts.normalize) {
      const s = 1 / Math.sqrt(norm2);
      for (let i = 0; i < dim; i++) {
        r[i] *= s;
        m[i] *= s;
      }
    } else if (Math.abs(Math.sqrt(norm2) - 1) > tol) {
      throw new Error(
        `Statevector.fromAmplitudes: amplitudes are not normalised (norm ${Math.sqrt(norm2)}); pass { normalize: true } to rescale`,
      );
    }
    return new Statevector(n, r, m);
  }

  /** A deep copy. */
  clone(): Statevector {
    return new Statevector(this.nQubits, this.re.slice(), this.im.slice());
  }

  /** Copies the amplitudes of `other` (same size) into this state. */
  copyFrom(other: Statevector): this {
    if (other.dim !== this.dim) throw new Error(`Statevector.copyFrom: size mismatch ${other.dim} vs ${this.dim}`);
    this.re.set(other.re);
    this.im.set(other.im);
    return this;
  }

  /** Σ |amplitude|². */
  norm2(): number {
    let s = 0;
    const re = this.re,
      im = this.im;
    for (let i = 0; i < re.length; i++) s += re[i] * re[i] + im[i] * im[i];
    return s;
  }

  /** Measurement probabilities |amplitude_i|² in basis order. */
  probabilities(): Float64Array {
    const p = new Float64Array(this.dim);
    for (let i = 0; i < p.length; i++) p[i] = this.re[i] * this.re[i] + this.im[i] * this.im[i];
    return p;
  }

  /** Inner product ⟨this|other⟩ as [re, im]. */
  inner(other: Statevector): [number, number] {
    if (other.dim !== this.dim) throw new Error(`Statevector.inner: size mismatch ${this.dim} vs ${other.dim}`);
    let sr = 0,
      si = 0;
    const ar = this.re,
      ai = this.im,
      br = other.re,
      bi = other.im;
    for (let i = 0; i < ar.length; i++) {
      sr += ar[i] * br[i] + ai[i] * bi[i];
      si += ar[i] * bi[i] - ai[i] * br[i];
    }
    return [sr, si];
  }

  /** The amplitude at `index` as [re, im]. */
  amplitude(index: number): [number, number] {
    return [this.re[index], this.im[index]];
  }
}

/** ⟨Z_q⟩ for each qubit in `qubits`, in one pass over the state. Returns an array aligned with `qubits`. */
export function expectationZ(state: Statevector, qubits: readonly number[], out?: Float64Array): Float64Array {
  const K = qubits.length;
  const res = out ?? new Float64Array(K);
  res.fill(0);
  const re = state.re,
    im = state.im,
    dim = re.length;
  if (K === 1) {
    const bit = 1 << qubits[0];
    let s = 0;
    for (let i = 0; i < dim; i++) {
      const p = re[i] * re[i] + im[i] * im[i];
      s += i & bit ? -p : p;
    }
    res[0] = s;
    return res;
  }
  // Sum probabilities, then for each readout qubit subtract twice the weight where its bit is 1.
  const ones = new Float64Array(K);
  let total = 0;
  for (let i = 0; i < dim; i++) {
    const p = re[i] * re[i] + im[i] * im[i];
    total += p;
    for (let k = 0; k < K; k++) if ((i >> qubits[k]) & 1) ones[k] += p;
  }
  for (let k = 0; k < K; k++) res[k] = total - 2 * ones[k];
  return res;
}
