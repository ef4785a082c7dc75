/**
 * Pauli-string observables and weighted sums of them (Hamiltonians): expectation values, application to a
 * statevector, and dense matrices for small systems.
 *
 * A Pauli string is stored as two bit masks over the qubits (little-endian, see `statevector.ts`):
 * `xMask` marks X or Y, `zMask` marks Z or Y. Using Y = i·X·Z, the string acts on a basis state as
 * `P|i⟩ = i^{nY} (−1)^{popcount(i & zMask)} |i ⊕ xMask⟩`.
 */
import { Statevector, checkQubit } from "./statevector";

/** One Pauli letter. */
export type PauliLetter = "I" | "X" | "Y" | "Z";

function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** A real-weighted Pauli string `coeff · P_{q1} ⊗ P_{q2} ⊗ …` on `nQubits` qubits. */
export class PauliString {
  readonly nQubits: number;
  readonly coeff: number;
  readonly xMask: number;
  readonly zMask: number;
  /** Number of Y letters. */
  readonly nY: number;

  /**
   * @param nQubits - register size.
   * @param ops - map from qubit index to letter, e.g. `{ 0: "Z", 1: "X", 2: "Z" }`; missing qubits are I.
   * @param coeff - real weight (default 1).
   * @throws Error for an out-of-range qubit, an unknown letter, or a non-finite coefficient.
   */
  constructor(nQubits: number, ops: Record<number, PauliLetter> | Array<[number, PauliLetter]>, coeff = 1) {
    if (!Number.isFinite(coeff)) throw new Error(`PauliString: coefficient must be finite, got ${coeff}`);
    const entries: Array<[number, PauliLetter]> = Array.isArray(ops)
      ? ops
      : Object.entries(ops).map(([q, p]) => [Number(q), p]);
    let x = 0,
      z = 0,
      y = 0;
    for (const [q, p] of entries) {
      checkQubit("PauliString", q, nQubits);
      if (p === "X") x |= 1 << q;
      else if (p === "Z") z |= 1 << q;
      else if (p === "Y") {
        x |= 1 << q;
        z |= 1 << q;
        y++;
      } else if (p !== "I")
        throw new Error(
          `PauliString: unknown Pauli letter ${JSON.stringify(p)} on qubit ${q}; allowed "I", "X", "Y", "Z"`,
        );
    }
    this.nQubits = nQubits;
    this.coeff = coeff;
    this.xMask = x;
    this.zMask = z;
    this.nY = y;
  }

  /** Parses a label written qubit 0 first, e.g. `"ZXZ"` = Z on qubit 0, X on qubit 1, Z on qubit 2. */
  static fromLabel(label: string, coeff = 1): PauliString {
    const ops: Array<[number, PauliLetter]> = [];
    for (let q = 0; q < label.length; q++) ops.push([q, label[q] as PauliLetter]);
    return new PauliString(label.length, ops, coeff);
  }

  /** The label, qubit 0 first (inverse of {@link PauliString.fromLabel}). */
  label(): string {
    let s = "";
    for (let q = 0; q < this.nQubits; q++) {
      const x = (this.xMask >> q) & 1,
        z = (this.zMask >> q) & 1;
      s += x && z ? "Y" : x ? "X" : z ? "Z" : "I";
    }
    return s;
  }

  /** out += coeff·scale·P|state⟩ (out must not alias state). */
  applyAdd(state: Statevector, out: Statevector, scale = 1): void {
    checkSize("PauliString.applyAdd", this.nQubits, state);
    const { xMask, zMask } = this;
    // i^nY as (pr, pi)
    const ph = [
      [1, 0],
      [0, 1],
      [-1, 0],
      [0, -1],
    ][this.nY & 3];
    const c = this.coeff * scale;
    const cr = c * ph[0],
      ci = c * ph[1];
    const sr = state.re,
      si = state.im,
      or = out.re,
      oi = out.im;
    for (let i = 0; i < sr.length; i++) {
      const sign = popcount(i & zMask) & 1 ? -1 : 1;
      const ar = sr[i] * sign,
        ai = si[i] * sign;
      const j = i ^ xMask;
      or[j] += cr * ar - ci * ai;
      oi[j] += cr * ai + ci * ar;
    }
  }

  /** coeff·⟨state|P|state⟩ (real, since P is Hermitian). */
  expectation(state: Statevector): number {
    checkSize("PauliString.expectation", this.nQubits, state);
    const { xMask, zMask } = this;
    const sr = state.re,
      si = state.im;
    // Σ_i conj(ψ_{i⊕x}) · i^nY (−1)^{|i&z|} ψ_i
    let accR = 0,
      accI = 0;
    for (let i = 0; i < sr.length; i++) {
      const j = i ^ xMask;
      const sign = popcount(i & zMask) & 1 ? -1 : 1;
      accR += sign * (sr[j] * sr[i] + si[j] * si[i]);
      accI += sign * (sr[j] * si[i] - si[j] * sr[i]);
    }
    const ph = [
      [1, 0],
      [0, 1],
      [-1, 0],
      [0, -1],
    ][this.nY & 3];
    return this.coeff * (ph[0] * accR - ph[1] * accI);
  }
}

function checkSize(where: string, n: number, state: Statevector): void {
  if (state.nQubits !== n)
    throw new Error(`${where}: observable acts on ${n} qubits but the state has ${state.nQubits}`);
}

/** A Hermitian operator `Σ_k c_k P_k` with real weights (a Hamiltonian or a weighted observable). */
export class PauliSum {
  readonly nQubits: number;
  readonly terms: PauliString[];

  /** @throws Error if a term's size differs from `nQubits`. */
  constructor(nQubits: number, terms: PauliString[] = []) {
    for (const t of terms) {
      if (t.nQubits !== nQubits)
        throw new Error(`PauliSum: term ${t.label()} has ${t.nQubits} qubits, expected ${nQubits}`);
    }
    this.nQubits = nQubits;
    this.terms = terms.slice();
  }

  /** Adds `coeff · ops` and returns this (for chaining). */
  add(ops: Record<number, PauliLetter> | Array<[number, PauliLetter]>, coeff = 1): this {
    this.terms.push(new PauliString(this.nQubits, ops, coeff));
    return this;
  }

  /** Writes H|state⟩ into `out` (allocated when omitted) and returns it. `out` must not alias `state`. */
  apply(state: Statevector, out?: Statevector): Statevector {
    if (state.nQubits !== this.nQubits) {
      throw new Error(`PauliSum.apply: operator acts on ${this.nQubits} qubits but the state has ${state.nQubits}`);
    }
    const o = out ?? new Statevector(this.nQubits, new Float64Array(state.dim), new Float64Array(state.dim));
    if (o === state) throw new Error("PauliSum.apply: out must not be the input state");
    o.re.fill(0);
    o.im.fill(0);
    for (const t of this.terms) t.applyAdd(state, o);
    return o;
  }

  /** ⟨state|H|state⟩. */
  expectation(state: Statevector): number {
    let s = 0;
    for (const t of this.terms) s += t.expectation(state);
    return s;
  }

  /**
   * The dense matrix (row-major, `dim × dim`, `re` and `im` arrays); `H[j][i] = ⟨j|H|i⟩`.
   * @throws Error above 12 qubits (the matrix would exceed 256 MiB).
   */
  toMatrix(): { dim: number; re: Float64Array; im: Float64Array } {
    if (this.nQubits > 12)
      throw new Error(`PauliSum.toMatrix: ${this.nQubits} qubits is too many for a dense matrix (max 12)`);
    const dim = 2 ** this.nQubits;
    const re = new Float64Array(dim * dim),
      im = new Float64Array(dim * dim);
    const ph = [
      [1, 0],
      [0, 1],
      [-1, 0],
      [0, -1],
    ];
    for (const t of this.terms) {
      const [pr, pi] = ph[t.nY & 3];
      for (let i = 0; i < dim; i++) {
        const sign = popcount(i & t.zMask) & 1 ? -1 : 1;
        const j = i ^ t.xMask;
        re[j * dim + i] += t.coeff * sign * pr;
        im[j * dim + i] += t.coeff * sign * pi;
      }
    }
    return { dim, re, im };
  }
}
