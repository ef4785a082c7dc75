/**
 * Adjoint differentiation (Jones & Gacon, *Efficient calculation of gradients in classical simulations of
 * variational quantum algorithms*, arXiv:2009.02823 (2020); PennyLane's `devices/qubit/adjoint_jacobian.py`,
 * `adjoint_vjp`). The core, {@link adjointVjp}, takes a compiled program and its gate-occurrence angles, as
 * PennyLane's takes a tape; {@link adjointGradient} is the same for a {@link Circuit} and its parameters.
 *
 * **Derivation.** Let U = G_M⋯G_1 act on the input ψ, with φ_j = G_j⋯G_1ψ (φ_0 = ψ, φ = φ_M), and let L(φ) be
 * real. Write λ = ∂L/∂φ* (for L = ⟨φ|O|φ⟩, λ = Oφ). A change dG_j of gate j changes the output by
 * dφ = G_M⋯G_{j+1} dG_j φ_{j−1}, so dL = 2·Re⟨λ|dφ⟩ = 2·Re⟨λ_j| dG_j |φ_{j−1}⟩ with
 * λ_j = G_{j+1}†⋯G_M† λ, the cotangent pulled back to just after gate j. Hence
 *
 *   ∂L/∂θ_j = 2·Re⟨λ_j| ∂G_j/∂θ_j |φ_{j−1}⟩.
 *
 * The backward sweep starts from (φ_M, λ_M = λ) and for j = M … 1 (i) uncomputes φ_{j−1} = G_j†φ_j, (ii) adds
 * the derivative above, (iii) pulls back λ_{j−1} = G_j†λ_j. Memory: two statevectors beside the input (φ is
 * uncomputed, not stored); cost: one forward and about two backward passes, whatever the number of parameters.
 * At the end λ_0 = U†λ = ∂L/∂ψ*, the input cotangent (`inputCotangent`), which the quantum layer's input gradients
 * use.
 *
 * **Fused blocks.** For a block B = G_m⋯G_1 on qubit t (the compiler fuses single-qubit runs), the backward step
 * makes ONE pass over the amplitude pairs that uncomputes φ_in = B†φ_out, pulls back λ_in = B†λ_out and
 * accumulates the 2×2 matrix C_ab = Σ_rest conj(λ_out[rest, a])·φ_in[rest, b]. Then ⟨λ_out|A|φ_in⟩ = Σ_ab A_ab C_ab
 * for any 2×2 A, so each gate's derivative is 2·Re Σ_ab (G_m⋯G_j′⋯G_1)_ab C_ab: 2×2 algebra, no extra pass. Each
 * op kind's step is its `adjoint` entry in the op-kind table (`program/ops.ts`); the WebAssembly back end runs the
 * same steps (`backends/engine.ts` `adjointWasm`).
 */
import { Statevector } from "../state/statevector";
import { Circuit } from "../program/circuit";
import { ProgramOp, checkStatevectorProgram, opKind } from "../program/ops";
import { activeBackend, adjointWasm, runProgram } from "../backends/engine";

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
 * Value and angle gradient of a real function L(φ) of the output φ = U·input of a compiled program, by adjoint
 * differentiation (see the module doc): the core that {@link adjointGradient} and the worker threads share.
 *
 * @param program - a compiled program (`circuit.program()`), plain data; no noise channel.
 * @param angles - the angle of each parametric gate occurrence, length = the program's occurrence count.
 * @param input - input state ψ (not modified).
 * @param cotangent - writes ∂L/∂φ* and returns L.
 * @param dAngles - receives ∂L/∂angle (overwritten), same length as `angles`.
 * @param options.work - reusable buffers (two statevectors; TypeScript back end only).
 * @param options.inputCotangent - when given, receives λ_in = U†λ (∂L/∂ψ*).
 * @returns L.
 * @throws Error when the program holds a noise channel, or `dAngles` / `inputCotangent` has the wrong size.
 */
export function adjointVjp(
  program: readonly ProgramOp[],
  angles: Float64Array,
  input: Statevector,
  cotangent: Cotangent,
  dAngles: Float64Array,
  options: { work?: AdjointWorkspace; inputCotangent?: Statevector } = {},
): number {
  checkStatevectorProgram("adjointVjp", program);
  if (dAngles.length !== angles.length)
    throw new Error(`adjointVjp: dAngles must have length ${angles.length}, got ${dAngles.length}`);
  if (options.inputCotangent && options.inputCotangent.dim !== input.dim)
    throw new Error(`adjointVjp: inputCotangent must have ${input.dim} amplitudes, got ${options.inputCotangent.dim}`);
  dAngles.fill(0);
  const ops = program as ProgramOp[];
  if (activeBackend() === "wasm") return adjointWasm(ops, angles, input, cotangent, dAngles, options.inputCotangent);
  const work = options.work ?? adjointWorkspace(input.nQubits);
  const { phi, lam } = work;
  phi.copyFrom(input);
  runProgram(ops, angles, phi.re, phi.im);
  lam.re.fill(0);
  lam.im.fill(0);
  const value = cotangent(phi, lam);
  backwardProgram(ops, angles, phi, lam, dAngles);
  if (options.inputCotangent) options.inputCotangent.copyFrom(lam);
  return value;
}

/**
 * Value and gradient of a real function L(φ) of the output state φ = U(params)·input, by adjoint
 * differentiation (see the module doc): {@link adjointVjp} on `circuit.program(fuse)` and `circuit.angles(params)`,
 * mapped to parameters (occurrences sharing a parameter add up with their scale).
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
  if (options.inputCotangent && options.inputCotangent.dim !== input.dim)
    throw new Error(
      `adjointGradient: inputCotangent must have ${input.dim} amplitudes, got ${options.inputCotangent.dim}`,
    );
  if (input.nQubits !== circuit.nQubits) {
    throw new Error(`adjointGradient: circuit has ${circuit.nQubits} qubits but the input state has ${input.nQubits}`);
  }
  const angles = circuit.angles(params);
  const grad = options.grad ?? new Float64Array(circuit.nParams);
  if (grad.length !== circuit.nParams)
    throw new Error(`adjointGradient: grad must have length ${circuit.nParams}, got ${grad.length}`);
  const dAngles = new Float64Array(angles.length);
  const value = adjointVjp(circuit.program(options.fuse ?? true), angles, input, cotangent, dAngles, options);
  circuit.accumulateParamGradient(dAngles, grad);
  return { value, grad };
}

/**
 * Backward sweep of adjoint differentiation over a compiled program (see the module doc): starting from the
 * output state φ and the cotangent λ = ∂L/∂φ*, uncomputes φ back to the input, pulls λ back, and ADDS
 * ∂L/∂angle of each parametric gate occurrence into `dAngles` (length = the number of gate occurrences). Both
 * states are modified in place. Plain data in, plain data out: usable from worker threads with a structured-cloned
 * program.
 * Each op's step is its `adjoint` entry in the op-kind table (`program/ops.ts`).
 */
export function backwardProgram(
  program: ProgramOp[],
  angles: Float64Array,
  phi: Statevector,
  lam: Statevector,
  dAngles: Float64Array,
): void {
  const pr = phi.re,
    pi = phi.im,
    lr = lam.re,
    li = lam.im;
  for (let o = program.length - 1; o >= 0; o--) {
    const op = program[o];
    opKind(op).adjoint(op, angles, pr, pi, lr, li, dAngles);
  }
}
