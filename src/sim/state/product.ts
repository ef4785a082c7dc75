/**
 * Product states ⊗_q (a_q|0⟩ + b_q|1⟩) kept as 2 amplitudes per qubit instead of 2^n: the natural form of
 * product encoders (the phase encoder of Yan et al. Fig. 5, angle encoders). A {@link QNNClassifier} given
 * `ProductState` inputs simulates only the backward light cone of its readout (see `lightcone.ts`): for a
 * product input the qubits outside the cone factor out exactly, so a 15-qubit model whose cone holds 6 qubits
 * costs a 6-qubit simulation with the same numbers.
 *
 * Layout: `amps[4q .. 4q+3] = [Re a_q, Im a_q, Re b_q, Im b_q]`, qubit q little-endian as in `statevector.ts`.
 *
 * @packageDocumentation
 */
import { Statevector, checkQubitCount } from "./statevector";

/** Tolerance on |a|² + |b|² − 1 per qubit. */
const NORM_TOL = 1e-8;

/** A product of single-qubit pure states (see the module documentation for the layout). */
export class ProductState {
  /** Number of qubits n ≥ 1 (no upper bound of its own; {@link ProductState.toStatevector} allows ≤ MAX_QUBITS). */
  readonly nQubits: number;
  /** Per-qubit amplitudes, length 4·nQubits: `[Re a_q, Im a_q, Re b_q, Im b_q]` for qubit q. */
  readonly amps: Float64Array;

  /**
   * @param qubits - one entry per qubit (entry q is qubit q): `[Re a, Im a, Re b, Im b]` of a|0⟩ + b|1⟩.
   * @throws Error for no qubits, an entry that is not 4 finite numbers, or a qubit state whose norm differs
   *   from 1 by more than 1e-8 (quoting the qubit and its norm).
   */
  constructor(qubits: readonly ArrayLike<number>[]) {
    if (!Array.isArray(qubits) || qubits.length === 0) {
      throw new Error(
        `ProductState: qubits must be a non-empty array of [Re a, Im a, Re b, Im b], got ${Array.isArray(qubits) ? "[]" : String(qubits)}`,
      );
    }
    const n = qubits.length;
    const amps = new Float64Array(4 * n);
    for (let q = 0; q < n; q++) {
      const v = qubits[q];
      if (!v || v.length !== 4)
        throw new Error(
          `ProductState: qubit ${q} must be [Re a, Im a, Re b, Im b] (4 numbers), got ${JSON.stringify(v && Array.from(v))}`,
        );
      let norm = 0;
      for (let k = 0; k < 4; k++) {
        if (!Number.isFinite(v[k])) throw new Error(`ProductState: qubit ${q} has a non-finite amplitude (${v[k]})`);
        amps[4 * q + k] = v[k];
        norm += v[k] * v[k];
      }
      if (Math.abs(norm - 1) > NORM_TOL)
        throw new Error(`ProductState: qubit ${q} is not normalised (|a|² + |b|² = ${norm}; allowed: 1 ± ${NORM_TOL})`);
    }
    this.nQubits = n;
    this.amps = amps;
  }

  /**
   * The statevector of the listed qubits: listed qubit `qubits[j]` becomes qubit j of the result
   * (little-endian), the other qubits are traced out (exact: they factor out of a product state).
   * @param qubits - distinct qubit indices in [0, nQubits). @defaultValue all qubits in order
   * @throws Error for an index out of range or repeated, or more than MAX_QUBITS qubits.
   */
  toStatevector(qubits?: readonly number[]): Statevector {
    const list = qubits ?? Array.from({ length: this.nQubits }, (_, q) => q);
    const k = list.length;
    checkQubitCount("ProductState.toStatevector", k);
    const seen = new Set<number>();
    for (const q of list) {
      if (!Number.isInteger(q) || q < 0 || q >= this.nQubits) {
        throw new Error(
          `ProductState.toStatevector: qubit ${q} is not a qubit of this ${this.nQubits}-qubit state (allowed: 0…${this.nQubits - 1})`,
        );
      }
      if (seen.has(q)) throw new Error(`ProductState.toStatevector: qubit ${q} is listed twice`);
      seen.add(q);
    }
    const dim = 2 ** k;
    const re = new Float64Array(dim),
      im = new Float64Array(dim);
    re[0] = 1;
    let size = 1;
    for (let j = 0; j < k; j++) {
      const o = 4 * list[j];
      const ar = this.amps[o],
        ai = this.amps[o + 1],
        br = this.amps[o + 2],
        bi = this.amps[o + 3];
      // new index = old index + bit_j·2^j: fill the upper half first from the old values
      for (let i = 0; i < size; i++) {
        const xr = re[i],
          xi = im[i];
        re[i + size] = xr * br - xi * bi;
        im[i + size] = xr * bi + xi * br;
        re[i] = xr * ar - xi * ai;
        im[i] = xr * ai + xi * ar;
      }
      size *= 2;
    }
    return new Statevector(k, re, im);
  }

  /** Whether `other` has the same qubits with bitwise-equal amplitudes. */
  equals(other: ProductState): boolean {
    if (other.nQubits !== this.nQubits) return false;
    for (let i = 0; i < this.amps.length; i++) if (this.amps[i] !== other.amps[i]) return false;
    return true;
  }
}
