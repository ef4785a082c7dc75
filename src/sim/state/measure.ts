/**
 * Measurement in the computational basis, simulated: seeded shot sampling from a statevector's probabilities, the
 * counts of each outcome, and ⟨Z_q⟩ estimated from shots (what a quantum computer returns, against the exact
 * expectation value {@link expectationZ} computes).
 *
 * Outcomes are basis-state indices in the little-endian convention of `statevector.ts` (qubit q is bit q of the
 * index); {@link bitstring} writes an index most-significant qubit first, as kets are written (|q_{n−1} … q_0⟩).
 *
 * Sampling: inverse-CDF sampling on the cumulative probabilities, one uniform draw of the seeded {@link Rng} per
 * shot and a binary search (O(2^n) once, then O(n) per shot). The same seed gives the same shots.
 *
 * Source: the Born rule; shot noise of an estimate of ⟨Z⟩ from S shots has variance (1 − ⟨Z⟩²)/S (binomial).
 * Taught in `notebooks/course/01-qubits-and-measurement.ipynb` (section 1.6).
 *
 * @packageDocumentation
 */
import { Statevector, checkQubit } from "./statevector";
import { Rng, toRng } from "../../util/rng";

function checkShots(where: string, shots: unknown): number {
  if (typeof shots !== "number" || !Number.isInteger(shots) || shots < 1 || shots > 1e8) {
    throw new Error(`${where}: shots must be an integer in [1, 1e8], got ${String(shots)}`);
  }
  return shots;
}

/**
 * Samples `shots` measurement outcomes of every qubit in the computational basis (Born rule).
 * @param state - the statevector (need not be exactly normalised: probabilities are divided by their sum).
 * @param shots - number of samples, an integer in [1, 1e8].
 * @param seed - seed or generator; one uniform draw per shot.
 * @returns `Uint32Array` of length `shots`: basis-state indices in [0, 2^n), little-endian (qubit q = bit q).
 * @throws Error for a bad shot count or a state with zero norm.
 */
export function sampleMeasurements(state: Statevector, shots: number, seed: number | string | Rng): Uint32Array {
  checkShots("sampleMeasurements", shots);
  return sampleOutcomes(state.probabilities(), shots, seed, "sampleMeasurements");
}

/**
 * Samples `shots` indices from a probability vector (inverse-CDF sampling, one uniform draw per shot; the vector
 * is divided by its sum). Shared by statevectors ({@link sampleMeasurements}) and density matrices (`noise/run.ts`).
 * @returns indices in [0, p.length).
 * @throws Error for a bad shot count or a vector with zero (or non-finite) sum.
 */
export function sampleOutcomes(
  p: ArrayLike<number>,
  shots: number,
  seed: number | string | Rng,
  where = "sampleOutcomes",
): Uint32Array {
  checkShots(where, shots);
  const cdf = new Float64Array(p.length);
  let s = 0;
  for (let i = 0; i < p.length; i++) cdf[i] = s += Math.max(0, p[i]);
  if (!(s > 0) || !Number.isFinite(s))
    throw new Error(`${where}: the probabilities sum to ${s} (zero norm or not finite)`);
  const rng = toRng(seed);
  const out = new Uint32Array(shots);
  for (let k = 0; k < shots; k++) {
    const u = rng.random() * s;
    let lo = 0,
      hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    // skip zero-probability outcomes that share the cumulative value (u can land exactly on a step)
    while (!(p[lo] > 0) && lo < cdf.length - 1) lo++;
    out[k] = lo;
  }
  return out;
}

/**
 * The marginal distribution of `qubits` (bit j of the result's index = qubit qubits[j]) from a full probability
 * vector over 2^n basis states.
 * @throws Error for a qubit outside [0, n) or repeated.
 */
export function marginalProbabilities(p: ArrayLike<number>, qubits: readonly number[]): Float64Array {
  const n = Math.round(Math.log2(p.length));
  for (const q of qubits) checkQubit("marginalProbabilities", q, n);
  if (new Set(qubits).size !== qubits.length)
    throw new Error(`marginalProbabilities: repeated qubit in [${qubits.join(", ")}]`);
  const out = new Float64Array(1 << qubits.length);
  for (let i = 0; i < p.length; i++) {
    let j = 0;
    for (let k = 0; k < qubits.length; k++) j |= ((i >>> qubits[k]) & 1) << k;
    out[j] += p[i];
  }
  return out;
}

/**
 * ⟨Z_{q_k}⟩ of each readout qubit as a device returns it: `shots` outcomes drawn from the marginal distribution
 * `marginal` of the readout qubits (bit k = qubit k of the readout, as from {@link marginalProbabilities}), each
 * measured bit k then flipped by its readout error (0 → 1 with probability p01, 1 → 0 with p10; null: none), and
 * ⟨Z_k⟩ = (#0 − #1)/shots. One uniform draw per shot, plus one per shot and readout qubit with a readout error.
 * @param readoutErrors - per readout qubit, or omitted for none.
 * @throws Error for a bad shot count or a marginal of the wrong length.
 */
export function shotExpectationZ(
  marginal: ArrayLike<number>,
  shots: number,
  seed: number | string | Rng,
  readoutErrors: readonly ({ p01: number; p10: number } | null)[] = [],
): Float64Array {
  const K = Math.round(Math.log2(marginal.length));
  if (marginal.length !== 1 << K)
    throw new Error(`shotExpectationZ: the marginal must have 2^k entries, got ${marginal.length}`);
  const rng = toRng(seed);
  const samples = sampleOutcomes(marginal, shots, rng, "shotExpectationZ");
  const z = new Float64Array(K);
  for (let s = 0; s < shots; s++) {
    const x = samples[s];
    for (let k = 0; k < K; k++) {
      let b = (x >>> k) & 1;
      const e = readoutErrors[k];
      if (e && rng.random() < (b ? e.p10 : e.p01)) b ^= 1;
      z[k] += b ? -1 : 1;
    }
  }
  for (let k = 0; k < K; k++) z[k] /= shots;
  return z;
}

/**
 * The basis-state index `index` of an `nQubits`-qubit register as a bit string, qubit n−1 first and qubit 0 last
 * (ket order): `bitstring(1, 3)` is `"001"` (qubit 0 is 1).
 * @throws Error unless `index` is an integer in [0, 2^nQubits).
 */
export function bitstring(index: number, nQubits: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= 2 ** nQubits) {
    throw new Error(`bitstring: index must be an integer in [0, ${2 ** nQubits}) for ${nQubits} qubits, got ${index}`);
  }
  return index.toString(2).padStart(nQubits, "0");
}

/**
 * Counts of each outcome: entry i is how many samples equal basis state i.
 * @param samples - outcomes as from {@link sampleMeasurements}.
 * @param nQubits - register size; the result has 2^nQubits entries.
 * @throws Error for an outcome outside [0, 2^nQubits).
 */
export function measurementCounts(samples: ArrayLike<number>, nQubits: number): Float64Array {
  const dim = 2 ** nQubits;
  const c = new Float64Array(dim);
  for (let k = 0; k < samples.length; k++) {
    const i = samples[k];
    if (!(i >= 0 && i < dim && Number.isInteger(i)))
      throw new Error(`measurementCounts: outcome ${i} is not a basis state of ${nQubits} qubits`);
    c[i]++;
  }
  return c;
}

/**
 * ⟨Z_q⟩ estimated from shots: (number of outcomes with bit q = 0 − number with bit q = 1) / shots. Converges to
 * `expectationZ(state, [q])` with standard error √((1 − ⟨Z_q⟩²)/shots).
 * @param samples - outcomes as from {@link sampleMeasurements}, at least one.
 * @param qubit - the qubit q (bit q of each outcome).
 * @throws Error for no samples or a negative / non-integer qubit.
 */
export function sampledExpectationZ(samples: ArrayLike<number>, qubit: number): number {
  if (samples.length === 0) throw new Error("sampledExpectationZ: no samples");
  checkQubit("sampledExpectationZ", qubit, 31);
  let s = 0;
  for (let k = 0; k < samples.length; k++) s += (samples[k] >>> qubit) & 1 ? -1 : 1;
  return s / samples.length;
}
