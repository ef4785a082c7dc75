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
 */
import { Statevector } from "./statevector";
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
  checkParams("parameterShiftJacobian", params, circuit.nParams);
  const base = circuit.angles(params);
  const program = circuit.program(false);
  const phi = input.clone();
  const evalAt = (angles: Float64Array): Float64Array => {
    phi.copyFrom(input);
    runProgram(program, angles, phi.re, phi.im);
    return f(phi);
  };
  const K = evalAt(base).length;
  const jac = Array.from({ length: circuit.nParams }, () => new Float64Array(K));
  const controlled = new Set<number>();
  for (const op of circuit.ops) if (op.kind === "rot" && op.controls.length) controlled.add(op.occ);
  const shifted = base.slice();
  const at = (occ: number, delta: number) => {
    shifted.set(base);
    shifted[occ] = base[occ] + delta;
    return evalAt(shifted);
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
