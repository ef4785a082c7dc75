/**
 * Noise channels: completely positive, trace-preserving (CPTP) maps ρ ↦ Σ_k K_k ρ K_k† on one or two qubits, given
 * by their Kraus operators (Nielsen & Chuang §8.3), and the classical readout error of a measurement.
 *
 * **Matrices.** A Kraus operator on k qubits (d = 2^k) is a complex d × d matrix, interleaved row-major: entry
 * (a, b) at `[2(a·d + b)]` (real) and `[2(a·d + b) + 1]` (imaginary), the layout of `gates.ts`'s `Mat2` for d = 2.
 * Local basis index: bit j is the channel's j-th qubit (for a two-qubit channel on qubits (a, b), index
 * bit_a + 2·bit_b).
 *
 * **Channels** (the conventions of Nielsen & Chuang and PennyLane's `default.mixed`):
 * - {@link depolarizing}(p, 1): ρ ↦ (1 − p)ρ + (p/3)(XρX + YρY + ZρZ) — p is the probability of a Pauli error
 *   (N&C Eq. 8.102 form; PennyLane `DepolarizingChannel(p)`); p = 3/4 is fully depolarising.
 *   {@link depolarizing}(p, 2): ρ ↦ (1 − p)ρ + (p/15)·Σ_{P ≠ II} PρP over the 15 non-identity two-qubit Paulis.
 *   Qiskit Aer's `depolarizing_error(λ, k)` is (1 − λ)ρ + λ·I/2^k, the same channel with p = λ·(4^k − 1)/4^k.
 * - {@link amplitudeDamping}(γ): K0 = [[1, 0], [0, √(1−γ)]], K1 = [[0, √γ], [0, 0]] (energy relaxation, T1).
 * - {@link phaseDamping}(λ): K0 = [[1, 0], [0, √(1−λ)]], K1 = [[0, 0], [0, √λ]] (dephasing, T2; N&C Eq. 8.127).
 * - {@link bitFlip}(p): (1 − p)ρ + pXρX; {@link phaseFlip}(p): (1 − p)ρ + pZρZ.
 * - {@link krausChannel}: any Kraus set, checked for trace preservation Σ_k K_k†K_k = I.
 *
 * Channels that are mixtures of unitaries (the Pauli channels) carry `mixture`, the probability of each Kraus
 * operator (K_k = √p_k·U_k): quantum trajectories then pick a branch without looking at the state.
 *
 * **Readout error** ({@link readoutError}): the measured bit of a qubit flips 0 → 1 with probability p01 and
 * 1 → 0 with probability p10 (Qiskit Aer's `ReadoutError([[1 − p01, p01], [p10, 1 − p10]])`). On an expectation
 * value it is affine: ⟨Z⟩_measured = (p10 − p01) + (1 − p01 − p10)·⟨Z⟩ ({@link readoutZ}).
 *
 * Channels are plain data (structured-cloneable), attached to circuits with `Circuit.channel` or by a
 * `NoiseModel` (`noise/model.ts`), and run by the density-matrix and trajectory executors of `noise/run.ts`.
 *
 * @packageDocumentation
 */

/** A noise channel (see the module doc). */
export interface Channel {
  /** Name, e.g. "depolarizing" (tables, errors, circuit drawings). */
  readonly name: string;
  /** Number of qubits it acts on (1 or 2). */
  readonly nQubits: 1 | 2;
  /** Its parameters by name, e.g. `{ p: 0.01 }`. */
  readonly params: Readonly<Record<string, number>>;
  /** Kraus operators, each 2·d² numbers (layout in the module doc). */
  readonly kraus: readonly Float64Array[];
  /** For a mixture of unitaries: p_k with K_k = √p_k·U_k (Σ p_k = 1); null otherwise. */
  readonly mixture: readonly number[] | null;
  /**
   * For a product channel a ⊗ b ({@link tensorChannel}): the one-qubit factors (first qubit, second qubit), which the
   * density-matrix executor applies one after the other (two 4 × 4 passes instead of one 16 × 16). @defaultValue none
   */
  readonly factors?: readonly [Channel, Channel];
}

/** Classical readout error of one qubit: P(read 1 | 0) = p01, P(read 0 | 1) = p10. */
export interface ReadoutError {
  readonly p01: number;
  readonly p10: number;
}

function checkProbability(where: string, name: string, v: unknown, max = 1): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > max) {
    throw new Error(
      `${where}: ${name} must be a probability in [0, ${max === 1 ? "1" : max.toPrecision(4)}], got ${String(v)}`,
    );
  }
  return v;
}

const PAULI: readonly Float64Array[] = [
  Float64Array.of(1, 0, 0, 0, 0, 0, 1, 0), // I
  Float64Array.of(0, 0, 1, 0, 1, 0, 0, 0), // X
  Float64Array.of(0, 0, 0, -1, 0, 1, 0, 0), // Y
  Float64Array.of(1, 0, 0, 0, 0, 0, -1, 0), // Z
];

/** a ⊗ b for the local order of the module doc: `a` on the channel's SECOND qubit (high bit), `b` on its first. */
function kron2(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(32);
  for (let ia = 0; ia < 2; ia++)
    for (let ja = 0; ja < 2; ja++)
      for (let ib = 0; ib < 2; ib++)
        for (let jb = 0; jb < 2; jb++) {
          const ar = a[2 * (2 * ia + ja)],
            ai = a[2 * (2 * ia + ja) + 1],
            br = b[2 * (2 * ib + jb)],
            bi = b[2 * (2 * ib + jb) + 1];
          const r = 2 * ia + ib,
            c = 2 * ja + jb,
            o = 2 * (4 * r + c);
          out[o] = ar * br - ai * bi;
          out[o + 1] = ar * bi + ai * br;
        }
  return out;
}

function scaled(m: Float64Array, s: number): Float64Array {
  return m.map((v) => v * s);
}

function mixtureChannel(
  name: string,
  params: Record<string, number>,
  nQubits: 1 | 2,
  probs: number[],
  unitaries: readonly Float64Array[],
): Channel {
  const keep = probs.map((p, k) => [p, k] as const).filter(([p]) => p > 0);
  return Object.freeze({
    name,
    nQubits,
    params: Object.freeze({ ...params }),
    kraus: Object.freeze(keep.map(([p, k]) => scaled(unitaries[k], Math.sqrt(p)))),
    mixture: Object.freeze(keep.map(([p]) => p)),
  });
}

/**
 * The depolarising channel on `nQubits` (1 or 2) qubits with Pauli-error probability `p` (module doc).
 * @param p - probability in [0, 1] that a non-identity Pauli (chosen uniformly among the 3 or 15) acts.
 * @throws Error for p outside [0, 1] or nQubits other than 1, 2.
 */
export function depolarizing(p: number, nQubits: 1 | 2 = 1): Channel {
  checkProbability("depolarizing", "p", p);
  if (nQubits === 1) return mixtureChannel("depolarizing", { p }, 1, [1 - p, p / 3, p / 3, p / 3], PAULI);
  if (nQubits !== 2) throw new Error(`depolarizing: nQubits must be 1 or 2, got ${String(nQubits)}`);
  const unitaries: Float64Array[] = [],
    probs: number[] = [];
  for (let a = 0; a < 4; a++)
    for (let b = 0; b < 4; b++) {
      unitaries.push(kron2(PAULI[a], PAULI[b]));
      probs.push(a === 0 && b === 0 ? 1 - p : p / 15);
    }
  return mixtureChannel("depolarizing", { p }, 2, probs, unitaries);
}

/** Bit flip: X with probability p. @throws Error for p outside [0, 1]. */
export function bitFlip(p: number): Channel {
  checkProbability("bitFlip", "p", p);
  return mixtureChannel("bit flip", { p }, 1, [1 - p, p], [PAULI[0], PAULI[1]]);
}

/** Phase flip: Z with probability p. @throws Error for p outside [0, 1]. */
export function phaseFlip(p: number): Channel {
  checkProbability("phaseFlip", "p", p);
  return mixtureChannel("phase flip", { p }, 1, [1 - p, p], [PAULI[0], PAULI[3]]);
}

/** Amplitude damping with decay probability γ (|1⟩ → |0⟩; module doc). @throws Error for γ outside [0, 1]. */
export function amplitudeDamping(gamma: number): Channel {
  checkProbability("amplitudeDamping", "gamma", gamma);
  return krausChannel(
    [
      Float64Array.of(1, 0, 0, 0, 0, 0, Math.sqrt(1 - gamma), 0),
      Float64Array.of(0, 0, Math.sqrt(gamma), 0, 0, 0, 0, 0),
    ],
    { name: "amplitude damping", params: { gamma } },
  );
}

/** Phase damping with parameter λ (module doc; off-diagonals × √(1−λ)). @throws Error for λ outside [0, 1]. */
export function phaseDamping(lambda: number): Channel {
  checkProbability("phaseDamping", "lambda", lambda);
  return krausChannel(
    [
      Float64Array.of(1, 0, 0, 0, 0, 0, Math.sqrt(1 - lambda), 0),
      Float64Array.of(0, 0, 0, 0, 0, 0, Math.sqrt(lambda), 0),
    ],
    { name: "phase damping", params: { lambda } },
  );
}

/**
 * max |Σ_k K_k†K_k − I| over the entries: 0 for a trace-preserving Kraus set.
 * @throws Error when an operator is not 2·d² numbers for d = 2 or 4, or the operators differ in size.
 */
export function tracePreservationError(kraus: readonly ArrayLike<number>[]): number {
  if (!Array.isArray(kraus) || kraus.length === 0)
    throw new Error("tracePreservationError: need at least one Kraus operator");
  const len = kraus[0]?.length;
  const d = len === 8 ? 2 : len === 32 ? 4 : 0;
  if (!d)
    throw new Error(
      `tracePreservationError: a Kraus operator must have 8 (one qubit) or 32 (two qubits) numbers, got ${String(len)}`,
    );
  let err = 0;
  for (let a = 0; a < d; a++)
    for (let b = 0; b < d; b++) {
      let sr = 0,
        si = 0;
      for (const K of kraus) {
        if (K.length !== len)
          throw new Error(
            `tracePreservationError: Kraus operators of different sizes (${len} and ${K.length} numbers)`,
          );
        // (K†K)_ab = Σ_c conj(K_ca) K_cb
        for (let c = 0; c < d; c++) {
          const xr = K[2 * (c * d + a)],
            xi = K[2 * (c * d + a) + 1],
            yr = K[2 * (c * d + b)],
            yi = K[2 * (c * d + b) + 1];
          sr += xr * yr + xi * yi;
          si += xr * yi - xi * yr;
        }
      }
      err = Math.max(err, Math.abs(sr - (a === b ? 1 : 0)), Math.abs(si));
    }
  return err;
}

/**
 * A channel from its Kraus operators (copied; layout in the module doc), checked for trace preservation.
 * @param options.name - name for tables and errors. @defaultValue "kraus"
 * @param options.params - parameters to show with it. @defaultValue {}
 * @param options.tol - allowed max |Σ K†K − I|. @defaultValue 1e-10
 * @throws Error for malformed operators, a non-finite entry, or Σ K†K ≠ I (quoting the deviation).
 */
export function krausChannel(
  kraus: readonly ArrayLike<number>[],
  options: { name?: string; params?: Record<string, number>; tol?: number } = {},
): Channel {
  const name = options.name ?? "kraus";
  const err = tracePreservationError(kraus);
  for (const K of kraus)
    for (let i = 0; i < K.length; i++)
      if (!Number.isFinite(K[i])) throw new Error(`krausChannel ${name}: Kraus entry ${i} is not finite (${K[i]})`);
  const tol = options.tol ?? 1e-10;
  if (!(err <= tol))
    throw new Error(`krausChannel ${name}: not trace preserving: max |Σ K†K − I| = ${err.toExponential(3)} > ${tol}`);
  return Object.freeze({
    name,
    nQubits: (kraus[0].length === 8 ? 1 : 2) as 1 | 2,
    params: Object.freeze({ ...(options.params ?? {}) }),
    kraus: Object.freeze(kraus.map((K) => Float64Array.from(K))),
    mixture: null,
  });
}

/**
 * The two-qubit channel `first` ⊗ `second` (Kraus operators K_i ⊗ L_j): `first` acts on the channel's first qubit,
 * `second` on its second (Qiskit Aer's `second.tensor(first)`), e.g. independent damping of both qubits of a CNOT.
 * @throws Error unless both are one-qubit channels.
 */
export function tensorChannel(first: Channel, second: Channel): Channel {
  if (checkChannel("tensorChannel", first).nQubits !== 1 || checkChannel("tensorChannel", second).nQubits !== 1) {
    throw new Error(`tensorChannel: both channels must act on one qubit, got ${first.nQubits} and ${second.nQubits}`);
  }
  const kraus: Float64Array[] = [];
  for (const a of first.kraus) for (const b of second.kraus) kraus.push(kron2(b, a));
  const params: Record<string, number> = {};
  for (const [k, v] of Object.entries(first.params)) params[`${k}0`] = v;
  for (const [k, v] of Object.entries(second.params)) params[`${k}1`] = v;
  const mixture =
    first.mixture && second.mixture
      ? first.mixture.flatMap((p) => (second.mixture as readonly number[]).map((q) => p * q))
      : null;
  const ch = krausChannel(kraus, { name: `${first.name} ⊗ ${second.name}`, params });
  const factors = Object.freeze([first, second] as const);
  return Object.freeze({ ...ch, factors, ...(mixture ? { mixture: Object.freeze(mixture) } : {}) });
}

/** "depolarizing(p=0.01)": name and parameters, for tables and drawings. */
export function channelLabel(ch: Channel): string {
  const ps = Object.entries(ch.params).map(([k, v]) => `${k}=${v}`);
  return ps.length ? `${ch.name}(${ps.join(", ")})` : ch.name;
}

/**
 * @throws Error unless `ch` is a {@link Channel} (name, nQubits 1 or 2, Kraus operators of the right size).
 */
export function checkChannel(where: string, ch: unknown): Channel {
  const c = ch as Channel;
  if (
    !c ||
    typeof c !== "object" ||
    typeof c.name !== "string" ||
    !Array.isArray(c.kraus) ||
    (c.nQubits !== 1 && c.nQubits !== 2)
  ) {
    throw new Error(
      `${where}: expected a noise channel (from depolarizing, amplitudeDamping, krausChannel, …), got ${c === null ? "null" : typeof c}`,
    );
  }
  const len = 2 * 4 ** c.nQubits;
  for (const K of c.kraus)
    if (!(K instanceof Float64Array) || K.length !== len)
      throw new Error(`${where}: channel ${c.name} has a Kraus operator of ${K?.length} numbers, expected ${len}`);
  return c;
}

/**
 * The readout error of one qubit (module doc).
 * @param p01 - P(read 1 | state 0), in [0, 1].
 * @param p10 - P(read 0 | state 1), in [0, 1]. @defaultValue p01 (symmetric)
 * @throws Error for a probability outside [0, 1].
 */
export function readoutError(p01: number, p10: number = p01): ReadoutError {
  checkProbability("readoutError", "p01", p01);
  checkProbability("readoutError", "p10", p10);
  return Object.freeze({ p01, p10 });
}

/** ⟨Z⟩ as read through a readout error: (p10 − p01) + (1 − p01 − p10)·z (module doc). */
export function readoutZ(err: ReadoutError, z: number): number {
  return err.p10 - err.p01 + (1 - err.p01 - err.p10) * z;
}
