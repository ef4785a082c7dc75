/**
 * Cotangents λ = ∂L/∂φ* of the readouts the models use, for {@link adjointVjp} (`adjoint.ts`): a weighted sum of
 * ⟨Z_q⟩ and a weighted sum of basis-state probabilities (PennyLane's `qml.probs` order).
 */
import type { Cotangent } from "./adjoint";

/** Cotangent for L = Σ_k w_k ⟨Z_{q_k}⟩: λ = (Σ_k w_k Z_{q_k})·φ, a diagonal observable; returns L. */
export function weightedZCotangent(qubits: readonly number[], weights: ArrayLike<number>): Cotangent {
  return (phi, lam) => {
    const re = phi.re,
      im = phi.im,
      lr = lam.re,
      li = lam.im,
      K = qubits.length;
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
  const dim = 2 ** nQubits,
    k = readout.length,
    out = new Int32Array(dim);
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
  if (weights.length !== S)
    throw new Error(
      `probabilitiesCotangent: expected ${S} weights for ${readout.length} readout qubits, got ${weights.length}`,
    );
  let index: Int32Array | null = null;
  return (phi, lam) => {
    if (!index || index.length !== phi.dim) index = probsOutputIndex(readout, phi.nQubits);
    const re = phi.re,
      im = phi.im,
      lr = lam.re,
      li = lam.im;
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
