/**
 * Gradients of ⟨Z⟩ sums by any of the three routes, with timing ({@link expectationGradient},
 * {@link timeExpectationGradient}; the course notebook `notebooks/course/03-gradients.ipynb` compares them), and the
 * variance of gradient components over random parameters ({@link gradientVariance}: barren plateaus).
 */
import { Statevector, expectationZ } from "../state/statevector";
import { Rng } from "../../util/rng";
import { Circuit, checkParams } from "../program/circuit";
import { Cotangent, adjointGradient, adjointWorkspace } from "./adjoint";
import { parameterShiftJacobian } from "./parameterShift";
import { finiteDifferenceGradient } from "./finiteDifference";
import { weightedZCotangent } from "./cotangents";

/** The gradient routes of {@link expectationGradient}. */
export const GRADIENT_METHODS = ["adjoint", "parameter-shift", "finite-difference"] as const;
/** A gradient route, see {@link GRADIENT_METHODS}. */
export type GradientMethod = (typeof GRADIENT_METHODS)[number];

/**
 * Gradient of the expectation value E(θ) = ⟨φ| Σ_k w_k Z_{q_k} |φ⟩, φ = U(θ)·input, with respect to every
 * parameter, by one of three routes: `"adjoint"` ({@link adjointGradient}: one forward and one backward sweep),
 * `"parameter-shift"` ({@link parameterShiftJacobian}: two circuit runs per gate occurrence, four for controlled
 * rotations) or `"finite-difference"` ({@link finiteDifferenceGradient}, central, step `h`: two runs per parameter,
 * error O(h²) + O(ε/h)). The first two are exact up to rounding; all three agree to about 1e-9 at the default h.
 *
 * @param qubits - the qubits q_k of the observable, at least one.
 * @param method - the route. @defaultValue "adjoint"
 * @param weights - the weights w_k, same length as `qubits`. @defaultValue all 1
 * @param h - finite-difference step (radians). @defaultValue 1e-6
 * @returns ∂E/∂params, length circuit.nParams.
 * @throws Error for an unknown method (quoted), empty qubits, a weights length mismatch, or any error of the routes.
 */
export function expectationGradient(
  circuit: Circuit,
  params: ArrayLike<number>,
  input: Statevector,
  qubits: readonly number[],
  method: GradientMethod = "adjoint",
  weights?: ArrayLike<number>,
  h = 1e-6,
): Float64Array {
  if (!GRADIENT_METHODS.includes(method))
    throw new Error(
      `expectationGradient: method must be one of ${GRADIENT_METHODS.map((m) => `"${m}"`).join(", ")}, got ${JSON.stringify(method)}`,
    );
  if (!Array.isArray(qubits) || qubits.length === 0)
    throw new Error(`expectationGradient: qubits must be a non-empty array, got ${JSON.stringify(qubits)}`);
  const w = weights ?? new Float64Array(qubits.length).fill(1);
  if (w.length !== qubits.length)
    throw new Error(`expectationGradient: ${w.length} weights for ${qubits.length} qubits`);
  checkParams("expectationGradient", params, circuit.nParams);
  const value = (phi: Statevector): number => {
    const z = expectationZ(phi, qubits);
    let s = 0;
    for (let k = 0; k < z.length; k++) s += w[k] * z[k];
    return s;
  };
  if (method === "adjoint") return adjointGradient(circuit, params, input, weightedZCotangent(qubits, w)).grad;
  if (method === "parameter-shift") {
    return Float64Array.from(
      parameterShiftJacobian(circuit, params, input, (phi) => Float64Array.of(value(phi))),
      (row) => row[0],
    );
  }
  return finiteDifferenceGradient((x) => value(circuit.run(x, input.clone())), params, h);
}

/**
 * The median wall time of {@link expectationGradient} over `repeats` calls, in milliseconds, with the gradient of
 * the last call. A measurement, not a seeded computation: timings vary from run to run and machine to machine.
 * @param repeats - number of timed calls (after one untimed warm-up call), integer ≥ 1. @defaultValue 3
 * @throws Error for a bad `repeats` or any error of {@link expectationGradient}.
 */
export function timeExpectationGradient(
  circuit: Circuit,
  params: ArrayLike<number>,
  input: Statevector,
  qubits: readonly number[],
  method: GradientMethod,
  repeats = 3,
): { grad: Float64Array; medianMs: number } {
  if (!Number.isInteger(repeats) || repeats < 1)
    throw new Error(`timeExpectationGradient: repeats must be an integer >= 1, got ${repeats}`);
  let grad = expectationGradient(circuit, params, input, qubits, method);
  const ms: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    grad = expectationGradient(circuit, params, input, qubits, method);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const m = ms.length >> 1;
  return { grad, medianMs: ms.length % 2 ? ms[m] : (ms[m - 1] + ms[m]) / 2 };
}

/** Options of {@link gradientVariance}. */
export interface GradientVarianceOptions {
  /** Number of random parameter vectors, integer ≥ 2. @defaultValue 200 */
  samples: number;
  /** Seed of the parameter draws. @defaultValue 0 */
  seed: number | string;
  /** Parameters are drawn i.i.d. from U[low, high) (radians). @defaultValue 0 */
  low: number;
  /** @defaultValue 2π */
  high: number;
}

/**
 * Mean and variance, over random parameters θ ~ U[low, high)^P, of each component of the gradient ∂L/∂θ of a loss
 * L(φ), φ = U(θ)·input, given by its cotangent (e.g. {@link weightedZCotangent} for ⟨Z_q⟩). Gradients by adjoint
 * differentiation; mean and unbiased variance (divisor samples − 1) by Welford's update. A variance that falls
 * exponentially with the number of qubits is a barren plateau (McClean et al., *Barren plateaus in quantum neural
 * network training landscapes*, Nat. Commun. 9, 4812 (2018), Fig. 2: Var[∂_k E] of random circuits against n).
 *
 * @returns `mean` and `variance`, each length circuit.nParams, and the number of samples.
 * @throws Error for an unknown option, samples < 2 or a non-integer, or low ≥ high.
 */
export function gradientVariance(
  circuit: Circuit,
  input: Statevector,
  cotangent: Cotangent,
  options: Partial<GradientVarianceOptions> = {},
): { mean: Float64Array; variance: Float64Array; samples: number } {
  const allowed = ["samples", "seed", "low", "high"];
  for (const k of Object.keys(options))
    if (!allowed.includes(k))
      throw new Error(`gradientVariance: unknown option "${k}"; allowed: ${allowed.join(", ")}`);
  const samples = options.samples ?? 200,
    low = options.low ?? 0,
    high = options.high ?? 2 * Math.PI;
  if (!Number.isInteger(samples) || samples < 2)
    throw new Error(`gradientVariance: samples must be an integer >= 2, got ${samples}`);
  if (!(Number.isFinite(low) && Number.isFinite(high) && low < high))
    throw new Error(`gradientVariance: need finite low < high, got [${low}, ${high})`);
  const rng = new Rng(options.seed ?? 0);
  const P = circuit.nParams;
  const mean = new Float64Array(P),
    m2 = new Float64Array(P),
    theta = new Float64Array(P);
  const work = adjointWorkspace(circuit.nQubits);
  for (let s = 0; s < samples; s++) {
    for (let j = 0; j < P; j++) theta[j] = rng.uniform(low, high);
    const g = adjointGradient(circuit, theta, input, cotangent, { work }).grad;
    for (let j = 0; j < P; j++) {
      const d = g[j] - mean[j];
      mean[j] += d / (s + 1);
      m2[j] += d * (g[j] - mean[j]);
    }
  }
  return { mean, variance: m2.map((v) => v / (samples - 1)), samples };
}
