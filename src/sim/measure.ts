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
import { Rng, toRng } from "../util/rng";

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
  const p = state.probabilities();
  const cdf = new Float64Array(p.length);
  let s = 0;
  for (let i = 0; i < p.length; i++) cdf[i] = s += p[i];
  if (!(s > 0)) throw new Error("sampleMeasurements: the state has zero norm");
  const rng = toRng(seed);
  const out = new Uint32Array(shots);
  for (let k = 0; k < shots; k++) {
    const u = rng.random() * s;
    let lo = 0, hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    // skip zero-probability outcomes that share the cumulative value (u can land exactly on a step)
    while (p[lo] === 0 && lo < cdf.length - 1) lo++;
    out[k] = lo;
  }
  return out;
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
    if (!(i >= 0 && i < dim && Number.isInteger(i))) throw new Error(`measurementCounts: outcome ${i} is not a basis state of ${nQubits} qubits`);
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
