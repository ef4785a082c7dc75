/**
 * The types of a {@link Executor}'s calls and results (`executor.ts`), shared by its strategies, and the checks
 * they share.
 * @packageDocumentation
 */
import type { Statevector } from "../../sim/state/statevector";
import type { Ensemble } from "../../sim/state/density";
import type { ProductState } from "../../sim/state/product";
import type { LossOutput } from "../../core/model";

/**
 * A quantum input: a pure state, a mixed state as an ensemble of pure states ({@link Ensemble}), or a product
 * state (simulated on the readout's light cone).
 */
export type QuantumInput = Statevector | Ensemble | ProductState;

/**
 * ∂L/∂(input amplitudes) of one input (see the module doc for the definition through λ_in = U†λ_out):
 * - `"statevector"`: `re[i] = ∂L/∂Re ψ_i = 2·Re λ_in[i]`, `im[i] = ∂L/∂Im ψ_i = 2·Im λ_in[i]`, length 2^n.
 * - `"ensemble"`: per member i, the gradient w.r.t. its amplitudes (its cotangent carries the weight w_i:
 *   `states[i] = 2·λ_in,i` with λ_out,i = w_i·Σ_k w_k Z_k φ_i), and `weights[i] = ∂L/∂w_i = Σ_k w_k ⟨Z_k⟩_i`.
 * - `"product"`: `amps[4q .. 4q+3] = ∂L/∂[Re a_q, Im a_q, Re b_q, Im b_q]` (layout of `ProductState.amps`), the
 *   chain rule through ψ = ⊗_q (a_q|0⟩ + b_q|1⟩) with the amplitudes taken as free variables: for a qubit q in
 *   the light cone C, ∂L/∂a_q* = Σ_{i: bit q = 0} λ_in[i]·Π_{l∈C, l≠q} conj(amplitude of l at bit_l(i)) (likewise
 *   b_q with bit q = 1); a qubit outside the cone enters only through its norm |a_q|² + |b_q|² (= 1 for a valid
 *   ProductState), so its gradient is 2·(Σ_k w_k⟨Z_k⟩)·[Re a_q, Im a_q, Re b_q, Im b_q].
 */
export type InputGradient =
  | { kind: "statevector"; re: Float64Array; im: Float64Array }
  | { kind: "ensemble"; states: { re: Float64Array; im: Float64Array }[]; weights: Float64Array }
  | { kind: "product"; amps: Float64Array };

/** Options of {@link Executor.backward}. */
export interface ExecutionBackwardOptions {
  /** Scale s of the outputs the callback sees (y = s·⟨Z⟩). @defaultValue 1 */
  outputScale?: number;
  /** `"sum"`: ∂(Σ_b L_b)/∂θ; `"mean"`: ∂((1/B)Σ_b L_b)/∂θ (also for the returned loss). @defaultValue "sum" */
  reduction?: "sum" | "mean";
  /** Also return ∂L/∂(input amplitudes) per sample. @defaultValue false */
  inputGradients?: boolean;
}

/** Result of {@link Executor.backward}. */
export interface ExecutionBackwardResult {
  /** Σ_b loss_b (`"sum"`) or its mean (`"mean"`). */
  loss: number;
  /** ∂L/∂params, length nParams (reduced as `reduction` says). */
  grad: Float64Array;
  /** Per sample, when `inputGradients` was asked. */
  inputGradients?: InputGradient[];
}

/** Per-sample record of a backward pass with input cotangents (filled by the strategies). @internal */
export interface Cotangents {
  /** λ_in per sample (pure inputs), or per member (ensembles). */
  lam: (Statevector | Statevector[] | null)[];
  /** Σ_k w_k⟨Z_k⟩ per sample (pure inputs), or ∂L/∂w_i per member (ensembles). */
  value: (number | Float64Array)[];
}

/** @throws Error when a loss callback returned ∂L/∂outputs of a length other than K. */
export function checkOutputGrad(where: string, out: LossOutput, K: number): void {
  const d = out?.dLogits;
  if (!d || d.length !== K)
    throw new Error(`${where}: the loss returned ${d ? d.length : "no"} output gradients, expected ${K}`);
}

/** A short description of a bad value for error messages. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === "object") return `an object of type ${(v as object).constructor?.name ?? "Object"}`;
  return `${typeof v} ${JSON.stringify(v)}`;
}
