/**
 * Gradients of circuit outputs with respect to parameters.
 *
 * - {@link adjointGradient} (default): adjoint differentiation (Jones & Gacon 2020, arXiv:2009.02823; the
 *   PennyLane `adjoint_jacobian`). For a real loss L(φ) of the output state φ = U(θ)ψ, with cotangent
 *   λ = ∂L/∂φ* (for L = ⟨φ|O|φ⟩, λ = Oφ), dL/dθ_j = 2·Re⟨λ_j|∂U_j/∂θ_j|φ_{j−1}⟩, where φ_{j−1} is the state
 *   before gate j and λ_j the cotangent pulled back to just after it. One forward sweep and one backward
 *   sweep that uncomputes φ and pulls λ back, holding two statevectors beside the input.
 *   **Fused blocks.** For a block B = G_m⋯G_1 on qubit t, the backward step makes ONE pass over the amplitude
 *   pairs that (i) uncomputes φ_in = B†φ_out, (ii) pulls back λ_in = B†λ_out and (iii) accumulates the 2×2
 *   matrix C_ab = Σ_rest conj(λ_out[rest, a])·φ_in[rest, b]. Then ⟨λ_out|A|φ_in⟩ = Σ_ab A_ab C_ab for any
 *   2×2 A, so each gate's derivative is 2·Re Σ_ab (G_m⋯G_j′⋯G_1)_ab C_ab: 2×2 algebra, no extra pass.
 * - {@link parameterShiftJacobian}: the parameter-shift rule of Yan et al. Eq. 5–6,
 *   ∂⟨O⟩/∂θ = ½[⟨O⟩(θ + π/2) − ⟨O⟩(θ − π/2)], per gate occurrence; controlled rotations (generator with
 *   eigenvalues {0, ±½}) use the four-term rule of Anselmetti et al., NJP 23, 113010 (2021), Eq. 6.
 * - {@link finiteDifferenceGradient}: central differences, a test oracle.
 * - {@link expectationGradient}: the gradient of a weighted sum of ⟨Z_q⟩ by any of the three routes (the course
 *   notebook `notebooks/course/03-gradients.ipynb` compares them); {@link timeExpectationGradient} times it; {@link gradientVariance}: the
 *   variance of gradient components over random parameters (barren plateaus).
 */
import { Statevector, expectationZ } from "./statevector";
import { Rng } from "../util/rng";
import { Circuit, checkParams } from "./circuit";
import { ProgramOp, opKind } from "./ops";
import { activeBackend, adjointWasm, runProgram } from "./engine";

/** Work buffers for the adjoint sweep: the running state φ and cotangent λ (reused across calls). */
export interface AdjointWorkspace {
  phi: Statevector;
  lam: Statevector;
}

/** Allocates an {@link AdjointWorkspace} for `nQubits` qubits. */
export function adjointWorkspace(nQubits: number): AdjointWorkspace {
  return { phi: Statevector.zero(nQubits), lam: Statevector.zero(nQubits) };
}

/**
 * Sets the cotangent: given the output state `phi`, writes λ = ∂L/∂φ* into `lam` and returns the loss L.
 * `phi` must not be modified.
 */
export type Cotangent = (phi: Statevector, lam: Statevector) => number;

/**
 * Value and gradient of a real function L(φ) of the output state φ = U(params)·input, by adjoint
 * differentiation (see module doc).
 *
 * @param circuit - the circuit U.
 * @param params - parameters, length circuit.nParams.
 * @param input - input state ψ (not modified).
 * @param cotangent - writes ∂L/∂φ* and returns L.
 * @param options.grad - gradient accumulator (length nParams); the gradient is ADDED to it. Default: zeros.
 * @param options.work - reusable buffers (two statevectors).
 * @param options.fuse - fuse single-qubit runs (default true).
 * @param options.inputCotangent - when given, receives λ_in = U†λ (the cotangent pulled back to the input, ∂L/∂ψ*).
 * @returns `{ value: L, grad }` with grad[j] += ∂L/∂params[j].
 * @throws Error on a wrong parameter count / non-finite parameter or a size mismatch.
 */
export function adjointGradient(
  circuit: Circuit,
  params: ArrayLike<number>,
  input: Statevector,
  cotangent: Cotangent,
  options: { grad?: Float64Array; work?: AdjointWorkspace; fuse?: boolean; inputCotangent?: Statevector } = {},
): { value: number; grad: Float64Array } {
  circuit.checkNoiseless("adjointGradient");
  if (options.inputCotangent && options.inputCotangent.dim !== input.dim) throw new Error(`adjointGradient: inputCotangent must have ${input.dim} amplitudes, got ${options.inputCotangent.dim}`);
  if (input.nQubits !== circuit.nQubits) {
    throw new Error(`adjointGradient: circuit has ${circuit.nQubits} qubits but the input state has ${input.nQubits}`);
  }
  const angles = circuit.angles(params);
  const grad = options.grad ?? new Float64Array(circuit.nParams);
  if (grad.length !== circuit.nParams) throw new Error(`adjointGradient: grad must have length ${circuit.nParams}, got ${grad.length}`);
  const program = circuit.program(options.fuse ?? true);
  const dAngles = new Float64Array(angles.length);
  let value: number;
  if (activeBackend() === "wasm") {
    value = adjointWasm(program, angles, input, cotangent, dAngles, options.inputCotangent);
  } else {
    const work = options.work ?? adjointWorkspace(circuit.nQubits);
    const { phi, lam } = work;
    phi.copyFrom(input);
    runProgram(program, angles, phi.re, phi.im);
    lam.re.fill(0);
    lam.im.fill(0);
    value = cotangent(phi, lam);
    backwardProgram(program, angles, phi, lam, dAngles);
    if (options.inputCotangent) options.inputCotangent.copyFrom(lam);
  }
  circuit.accumulateParamGradient(dAngles, grad);
  return { value, grad };
}


/**
 * Backward sweep of adjoint differentiation over a compiled program (see the module doc): starting from the
 * output state φ and the cotangent λ = ∂L/∂φ*, uncomputes φ back to the input, pulls λ back, and ADDS
 * ∂L/∂angle of each parametric gate occurrence into `dAngles` (length circuit.nOccurrences). Both states are
 * modified in place. Plain data in, plain data out: usable from worker threads with a structured-cloned program.
 * Each op's step is its `adjoint` entry in the op-kind table (`ops.ts`).
 */
export function backwardProgram(program: ProgramOp[], angles: Float64Array, phi: Statevector, lam: Statevector, dAngles: Float64Array): void {
  const pr = phi.re, pi = phi.im, lr = lam.re, li = lam.im;
  for (let o = program.length - 1; o >= 0; o--) {
    const op = program[o];
    opKind(op).adjoint(op, angles, pr, pi, lr, li, dAngles);
  }
}

/**
 * Jacobian of a vector of expectation values f(φ) ∈ ℝ^K with respect to params, by the parameter-shift rule
 * (Yan et al. Eq. 5–6; four-term rule for controlled rotations). Costs 2 (or 4) circuit runs per parametric
 * gate occurrence. `f` must be linear in |φ⟩⟨φ| (an expectation value), else the rule does not hold.
 * @returns `[nParams][K]` row-major as an array of Float64Array rows.
 */
export function parameterShiftJacobian(
  circuit: Circuit,
  params: ArrayLike<number>,
  input: Statevector,
  f: (phi: Statevector) => Float64Array,
): Float64Array[] {
  circuit.checkNoiseless("parameterShiftJacobian");
  checkParams("parameterShiftJacobian", params, circuit.nParams);
  const program = circuit.program(false);
  const phi = input.clone();
  return shiftRuleJacobian(circuit, params, (angles) => {
    phi.copyFrom(input);
    runProgram(program, angles, phi.re, phi.im);
    return f(phi);
  });
}

/**
 * The parameter-shift rule over any executor: `evaluate(angles)` returns a vector of expectation values at the
 * given gate-occurrence angles (length circuit.nOccurrences; a statevector, a density matrix under noise, or a
 * finite-shot estimate — the rule holds for each, since an expectation value is a trigonometric polynomial of
 * degree ½ in every single rotation angle whatever channels follow it). Two evaluations per rotation occurrence,
 * four for controlled rotations (Anselmetti et al. 2021, Eq. 6); occurrences sharing a parameter add up with
 * their scale.
 * @returns `[nParams][K]` rows.
 * @throws Error on a wrong parameter count or a non-finite parameter.
 */
export function shiftRuleJacobian(circuit: Circuit, params: ArrayLike<number>, evaluate: (angles: Float64Array) => Float64Array): Float64Array[] {
  const base = circuit.angles(params);
  const K = evaluate(base).length;
  const jac = Array.from({ length: circuit.nParams }, () => new Float64Array(K));
  const controlled = new Set<number>();
  for (const op of circuit.ops) if (op.kind === "rot" && op.controls.length) controlled.add(op.occ);
  const shifted = base.slice();
  const at = (occ: number, delta: number) => {
    shifted.set(base);
    shifted[occ] = base[occ] + delta;
    return evaluate(shifted);
  };
  const c1 = (Math.SQRT2 + 1) / (4 * Math.SQRT2), c2 = (Math.SQRT2 - 1) / (4 * Math.SQRT2);
  for (let occ = 0; occ < base.length; occ++) {
    const ref = circuit.occurrences[occ];
    const row = jac[ref.index];
    const plus = at(occ, Math.PI / 2), minus = at(occ, -Math.PI / 2);
    if (!controlled.has(occ)) {
      for (let k = 0; k < K; k++) row[k] += ref.scale * 0.5 * (plus[k] - minus[k]);
    } else {
      const plus3 = at(occ, (3 * Math.PI) / 2), minus3 = at(occ, (-3 * Math.PI) / 2);
      for (let k = 0; k < K; k++) row[k] += ref.scale * (c1 * (plus[k] - minus[k]) - c2 * (plus3[k] - minus3[k]));
    }
  }
  return jac;
}

/**
 * Central finite-difference gradient of a scalar function: (f(x + h·e_j) − f(x − h·e_j)) / 2h.
 * A test oracle (error O(h²) plus rounding O(ε/h)).
 * @param h - step (default 1e-6).
 */
export function finiteDifferenceGradient(f: (x: Float64Array) => number, x: ArrayLike<number>, h = 1e-6): Float64Array {
  if (!(h > 0) || !Number.isFinite(h)) throw new Error(`finiteDifferenceGradient: h must be a positive finite number, got ${h}`);
  const xs = Float64Array.from(x);
  const g = new Float64Array(xs.length);
  for (let j = 0; j < xs.length; j++) {
    const v = xs[j];
    xs[j] = v + h;
    const fp = f(xs);
    xs[j] = v - h;
    const fm = f(xs);
    xs[j] = v;
    g[j] = (fp - fm) / (2 * h);
  }
  return g;
}

/** Cotangent for L = Σ_k w_k ⟨Z_{q_k}⟩: λ = (Σ_k w_k Z_{q_k})·φ, a diagonal observable; returns L. */
export function weightedZCotangent(qubits: readonly number[], weights: ArrayLike<number>): Cotangent {
  return (phi, lam) => {
    const re = phi.re, im = phi.im, lr = lam.re, li = lam.im, K = qubits.length;
    let value = 0;
    for (let i = 0; i < re.length; i++) {
      let w = 0;
      for (let k = 0; k < K; k++) w += (i >> qubits[k]) & 1 ? -weights[k] : weights[k];
      lr[i] = w * re[i];
      li[i] = w * im[i];
      value += w * (re[i] * re[i] + im[i] * im[i]);
    }
    return value;
  };
}

/**
 * The output index s(i) of amplitude i in the basis-state probabilities of the `readout` qubits, in PennyLane's
 * `qml.probs(wires=readout)` order: readout[0] is the most significant bit,
 * s(i) = Σ_j bit_{readout[j]}(i)·2^{k−1−j} for k = readout.length (our amplitude index has qubit q at bit q,
 * `statevector.ts`). So for readout [2, 0], output 1 (binary 01) is qubit 2 in |0⟩ and qubit 0 in |1⟩.
 * @returns Int32Array of length 2^nQubits with entries in [0, 2^k).
 */
export function probsOutputIndex(readout: readonly number[], nQubits: number): Int32Array {
  const dim = 2 ** nQubits, k = readout.length, out = new Int32Array(dim);
  for (let i = 0; i < dim; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s |= ((i >> readout[j]) & 1) << (k - 1 - j);
    out[i] = s;
  }
  return out;
}

/**
 * Cotangent for a weighted sum of the readout's basis-state probabilities, L = Σ_s g_s·p_s with
 * p_s = Σ_{i: s(i) = s} |φ_i|² ({@link probsOutputIndex} gives s(i), PennyLane's `qml.probs` order). L = ⟨φ|D|φ⟩
 * for the diagonal observable D = diag(g_{s(i)}), so, in the convention of {@link adjointGradient}
 * (λ = ∂L/∂φ*, L = ⟨φ|O|φ⟩ gives λ = Oφ, no factor 2), λ_i = g_{s(i)}·φ_i; returns L. The tfjs quantum layer's
 * `readoutKind: "probabilities"` backpropagates ∂L/∂p through it (checked against finite differences in
 * `test/hybrid/quantumLayer.test.ts`).
 * @param readout - distinct qubits, readout[0] the most significant bit of s (not validated here).
 * @param weights - g_s, length 2^readout.length.
 * @throws Error when `weights` does not have 2^readout.length entries.
 */
export function probabilitiesCotangent(readout: readonly number[], weights: ArrayLike<number>): Cotangent {
  const S = 2 ** readout.length;
  if (weights.length !== S) throw new Error(`probabilitiesCotangent: expected ${S} weights for ${readout.length} readout qubits, got ${weights.length}`);
  let index: Int32Array | null = null;
  return (phi, lam) => {
    if (!index || index.length !== phi.dim) index = probsOutputIndex(readout, phi.nQubits);
    const re = phi.re, im = phi.im, lr = lam.re, li = lam.im;
    let value = 0;
    for (let i = 0; i < re.length; i++) {
      const w = weights[index[i]];
      lr[i] = w * re[i];
      li[i] = w * im[i];
      value += w * (re[i] * re[i] + im[i] * im[i]);
    }
    return value;
  };
}

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
  circuit: Circuit, params: ArrayLike<number>, input: Statevector, qubits: readonly number[],
  method: GradientMethod = "adjoint", weights?: ArrayLike<number>, h = 1e-6,
): Float64Array {
  if (!GRADIENT_METHODS.includes(method)) throw new Error(`expectationGradient: method must be one of ${GRADIENT_METHODS.map((m) => `"${m}"`).join(", ")}, got ${JSON.stringify(method)}`);
  if (!Array.isArray(qubits) || qubits.length === 0) throw new Error(`expectationGradient: qubits must be a non-empty array, got ${JSON.stringify(qubits)}`);
  const w = weights ?? new Float64Array(qubits.length).fill(1);
  if (w.length !== qubits.length) throw new Error(`expectationGradient: ${w.length} weights for ${qubits.length} qubits`);
  checkParams("expectationGradient", params, circuit.nParams);
  const value = (phi: Statevector): number => {
    const z = expectationZ(phi, qubits);
    let s = 0;
    for (let k = 0; k < z.length; k++) s += w[k] * z[k];
    return s;
  };
  if (method === "adjoint") return adjointGradient(circuit, params, input, weightedZCotangent(qubits, w)).grad;
  if (method === "parameter-shift") {
    return Float64Array.from(parameterShiftJacobian(circuit, params, input, (phi) => Float64Array.of(value(phi))), (row) => row[0]);
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
  circuit: Circuit, params: ArrayLike<number>, input: Statevector, qubits: readonly number[], method: GradientMethod, repeats = 3,
): { grad: Float64Array; medianMs: number } {
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`timeExpectationGradient: repeats must be an integer >= 1, got ${repeats}`);
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
  circuit: Circuit, input: Statevector, cotangent: Cotangent, options: Partial<GradientVarianceOptions> = {},
): { mean: Float64Array; variance: Float64Array; samples: number } {
  const allowed = ["samples", "seed", "low", "high"];
  for (const k of Object.keys(options)) if (!allowed.includes(k)) throw new Error(`gradientVariance: unknown option "${k}"; allowed: ${allowed.join(", ")}`);
  const samples = options.samples ?? 200, low = options.low ?? 0, high = options.high ?? 2 * Math.PI;
  if (!Number.isInteger(samples) || samples < 2) throw new Error(`gradientVariance: samples must be an integer >= 2, got ${samples}`);
  if (!(Number.isFinite(low) && Number.isFinite(high) && low < high)) throw new Error(`gradientVariance: need finite low < high, got [${low}, ${high})`);
  const rng = new Rng(options.seed ?? 0);
  const P = circuit.nParams;
  const mean = new Float64Array(P), m2 = new Float64Array(P), theta = new Float64Array(P);
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
