/**
 * The light-cone strategy of a {@link Executor}: when every input of a batch is a {@link ProductState}, the circuit
 * runs on the backward light cone of the readout only (`sim/program/lightcone.ts`), on the product inputs
 * restricted to the cone's qubits; the input gradient of a product state is assembled from the cone's λ_in by
 * the chain rule ({@link productGradient}). Batches that mix product states with other inputs are expanded to
 * full statevectors ({@link fullStates}).
 * @packageDocumentation
 */
import { Statevector } from "../../sim/state/statevector";
import { ProductState } from "../../sim/state/product";
import type { QuantumInput } from "./types";

/**
 * Product-state inputs reduced to the cone's `qubits`, the same Statevector object for equal inputs (so that
 * duplicates are simulated once); null when some input is not a product state.
 */
export function coneInputs(inputs: readonly QuantumInput[], qubits: readonly number[]): Statevector[] | null {
  if (!inputs.every((x) => x instanceof ProductState)) return null;
  const byObject = new Map<ProductState, Statevector>();
  const byContent = new Map<string, Statevector>();
  return (inputs as ProductState[]).map((x) => {
    let v = byObject.get(x);
    if (v) return v;
    const key = Array.from(x.amps).join(",");
    v = byContent.get(key);
    if (!v) {
      v = x.toStatevector(qubits);
      byContent.set(key, v);
    }
    byObject.set(x, v);
    return v;
  });
}

/** Inputs with every product state expanded to its full statevector (for batches mixing input kinds). */
export function fullStates(inputs: readonly QuantumInput[]): QuantumInput[] {
  return inputs.map((x) => (x instanceof ProductState ? x.toStatevector() : x));
}

/**
 * ∂L/∂amps of a product input from λ_in on `qubits` (qubit j of `lam` is original qubit qubits[j]) and
 * v = Σ_k w_k⟨Z_k⟩ (see {@link InputGradient}): each cone qubit by contracting λ_in with the conjugated
 * amplitudes of the other cone qubits (O(m·2^m) for m cone qubits), each other qubit through its norm.
 */
export function productGradient(x: ProductState, qubits: readonly number[], lam: Statevector, v: number): Float64Array {
  const a = x.amps,
    g = new Float64Array(a.length);
  const inCone = new Uint8Array(x.nQubits);
  for (const q of qubits) inCone[q] = 1;
  for (let q = 0; q < x.nQubits; q++) if (!inCone[q]) for (let c = 0; c < 4; c++) g[4 * q + c] = 2 * v * a[4 * q + c];
  const m = qubits.length,
    half = lam.dim >> 1;
  const t = [new Float64Array(half), new Float64Array(half), new Float64Array(half), new Float64Array(half)]; // re0, im0, re1, im1
  for (let j = 0; j < m; j++) {
    // split λ by bit j (removing it from the index), then contract the other qubits from the top down
    const bit = 1 << j,
      low = bit - 1;
    for (let i = 0; i < half; i++) {
      const i0 = ((i & ~low) << 1) | (i & low),
        i1 = i0 | bit;
      t[0][i] = lam.re[i0];
      t[1][i] = lam.im[i0];
      t[2][i] = lam.re[i1];
      t[3][i] = lam.im[i1];
    }
    let size = half;
    for (let l = m - 1; l >= 0; l--) {
      if (l === j) continue;
      const o = 4 * qubits[l],
        ar = a[o],
        ai = a[o + 1],
        br = a[o + 2],
        bi = a[o + 3];
      size >>= 1;
      for (let h = 0; h < 4; h += 2) {
        const re = t[h],
          im = t[h + 1];
        for (let i = 0; i < size; i++) {
          // conj(a)·t[i] + conj(b)·t[i + size]
          const xr = re[i],
            xi = im[i],
            yr = re[i + size],
            yi = im[i + size];
          re[i] = ar * xr + ai * xi + br * yr + bi * yi;
          im[i] = ar * xi - ai * xr + br * yi - bi * yr;
        }
      }
    }
    const o = 4 * qubits[j];
    g[o] = 2 * t[0][0];
    g[o + 1] = 2 * t[1][0];
    g[o + 2] = 2 * t[2][0];
    g[o + 3] = 2 * t[3][0];
  }
  return g;
}
