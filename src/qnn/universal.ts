/**
 * "Universal" ansätze of Piperno et al. (docs/PARAMS.md): circuits whose generators span su(2^n), so that enough
 * layers reach every unitary (full controllability, Larocca et al., *Diagnosing barren plateaus: tools from
 * quantum optimal control*, Quantum 6, 824 (2022)).
 *
 * **Gates chosen** (the paper does not give them): one layer on the active qubits q_0 < … < q_{m−1} is
 *
 *   RZ(θ) and RX(θ) on every active qubit, then R_ZZ(θ) = exp(−iθ Z_a Z_b / 2) on each neighbouring pair
 *   (q_0, q_1), (q_1, q_2), …, written as CNOT(a, b) · RZ_b(θ) · CNOT(a, b).
 *
 * Why: the generators {X_j, Z_j} on every qubit and {Z_j Z_{j+1}} on a connected chain generate, under
 * commutators, the whole Lie algebra su(2^m) (single-qubit su(2) on every site plus one entangling interaction per
 * edge of a connected graph; Larocca et al., Sec. 4, and the classic controllability results they cite), so the
 * circuit's dynamical Lie algebra is maximal. 3m − 1 parameters per layer.
 *
 * **Variants.**
 * - `hadamard: true` ("universal + H"): a Hadamard on every qubit before the first layer (after the encoder).
 * - `nKeep` (q_nd): after each layer one qubit is measured and no longer acted on — the highest-index active qubit
 *   — until `nKeep` remain; by the deferred-measurement principle this equals tracing it out, so the circuit
 *   simply stops acting on it, and the model reads ⟨Z⟩ on the qubits still active ({@link universalReadout}).
 *
 * **Parameter layout:** layer by layer; within a layer on m active qubits, `[qubit][RZ, RX]` (2m) then the m − 1
 * ZZ angles in chain order.
 *
 * @packageDocumentation
 */
import { Circuit, param } from "../sim/circuit";
import { checkQubitCount } from "../sim/statevector";
import { checkInt, withDefaults } from "../util/options";

/** Options of {@link universalAnsatz}. */
export interface UniversalOptions {
  nQubits: number;
  nLayers: number;
  /** Hadamard on every qubit first ("universal + H"). @defaultValue false */
  hadamard: boolean;
  /**
   * q_nd: qubits left active at the end (one measured out per layer until this many remain); nQubits = none
   * measured. @defaultValue nQubits
   */
  nKeep: number;
}

/** The active qubits of each layer: `[layer][qubits]` (the first `m_l` qubits, m_l = max(nKeep, n − l)). */
export function universalSchedule(nQubits: number, nLayers: number, nKeep = nQubits): number[][] {
  return Array.from({ length: nLayers }, (_, l) => Array.from({ length: Math.max(nKeep, nQubits - l) }, (_, q) => q));
}

function resolve(options: Partial<UniversalOptions> & { nQubits: number; nLayers: number }): UniversalOptions {
  const o = withDefaults("universalAnsatz", { nQubits: options.nQubits, nLayers: options.nLayers, hadamard: false, nKeep: options.nQubits }, options);
  checkQubitCount("universalAnsatz", o.nQubits);
  checkInt("universalAnsatz", "nLayers", o.nLayers, 1, 10000);
  checkInt("universalAnsatz", "nKeep", o.nKeep, 1, o.nQubits);
  if (typeof o.hadamard !== "boolean") throw new Error(`universalAnsatz: hadamard must be true or false, got ${JSON.stringify(o.hadamard)}`);
  return o;
}

/** Number of parameters: Σ over layers of 3·m_l − 1 (m_l active qubits). */
export function universalParamCount(nQubits: number, nLayers: number, nKeep = nQubits): number {
  return universalSchedule(nQubits, nLayers, nKeep).reduce((s, q) => s + 3 * q.length - 1, 0);
}

/**
 * The qubits a q_nd model reads out: those still active after the last layer (the first `nKeep` once enough
 * layers measured the others; more when there are too few layers to reach nKeep).
 */
export function universalReadout(nQubits: number, nLayers: number, nKeep = nQubits): number[] {
  const s = universalSchedule(nQubits, nLayers, nKeep);
  return s[s.length - 1].slice();
}

/**
 * Builds the universal ansatz (see the module doc).
 * @throws Error for an unknown option, nLayers < 1, or nKeep outside [1, nQubits].
 */
export function universalAnsatz(options: Partial<UniversalOptions> & { nQubits: number; nLayers: number }): Circuit {
  const o = resolve(options);
  const c = new Circuit(o.nQubits, universalParamCount(o.nQubits, o.nLayers, o.nKeep));
  if (o.hadamard) for (let q = 0; q < o.nQubits; q++) c.h(q);
  let p = 0;
  for (const active of universalSchedule(o.nQubits, o.nLayers, o.nKeep)) {
    for (const q of active) {
      c.rz(q, param(p++));
      c.rx(q, param(p++));
    }
    for (let i = 0; i + 1 < active.length; i++) {
      const a = active[i], b = active[i + 1];
      c.cnot(a, b).rz(b, param(p++)).cnot(a, b);
    }
  }
  return c;
}
