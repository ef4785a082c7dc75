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
 * - `ring: true`: R_ZZ also on the closing pair (q_{m−1}, q_0), PennyLane's `broadcast(pattern="ring")` rule
 *   (`pennylane/templates/broadcast.py`): m pairs (q_i, q_{(i+1) mod m}) for m ≥ 3, ONE pair (q_0, q_1) for m = 2
 *   ("for 2 wires ring is set equal to chain, to avoid duplication of single gate"), none for m = 1. 3m parameters
 *   per layer (m ≥ 3). The read of Piperno et al.'s q_2 with 74 parameters (docs/PARAMS.md, variant `q2-74`).
 * - `hadamard: true` ("universal + H"): a Hadamard on every qubit before the first layer (after the encoder).
 * - `nKeep` (q_nd): after each layer one qubit is measured and no longer acted on — the highest-index active qubit
 *   — until `nKeep` remain; by the deferred-measurement principle this equals tracing it out, so the circuit
 *   simply stops acting on it, and the model reads ⟨Z⟩ on the qubits still active ({@link universalReadout}).
 *
 * **Parameter layout:** layer by layer; within a layer on m active qubits, `[qubit][RZ, RX]` (2m) then the ZZ
 * angles in pair order ({@link universalPairs}: the chain (q_0, q_1), …, (q_{m−2}, q_{m−1}), then with `ring` the
 * closing pair (q_{m−1}, q_0)).
 *
 * @packageDocumentation
 */
import { Circuit, param } from "../sim/program/circuit";
import { checkQubitCount } from "../sim/state/statevector";
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
  /** R_ZZ on a ring (PennyLane's rule; module doc) instead of a chain. @defaultValue false (chain) */
  ring: boolean;
}

/**
 * The R_ZZ pairs of one layer on the active qubits `active` (module doc): the chain, plus the closing pair
 * (last, first) with `ring` when there are 3 or more (PennyLane's ring rule: no duplicate edge on 2 qubits).
 */
export function universalPairs(active: readonly number[], ring = false): [number, number][] {
  const m = active.length,
    pairs: [number, number][] = [];
  for (let i = 0; i + 1 < m; i++) pairs.push([active[i], active[i + 1]]);
  if (ring && m >= 3) pairs.push([active[m - 1], active[0]]);
  return pairs;
}

/** The active qubits of each layer: `[layer][qubits]` (the first `m_l` qubits, m_l = max(nKeep, n − l)). */
export function universalSchedule(nQubits: number, nLayers: number, nKeep = nQubits): number[][] {
  return Array.from({ length: nLayers }, (_, l) => Array.from({ length: Math.max(nKeep, nQubits - l) }, (_, q) => q));
}

function resolve(options: Partial<UniversalOptions> & { nQubits: number; nLayers: number }): UniversalOptions {
  const o = withDefaults(
    "universalAnsatz",
    { nQubits: options.nQubits, nLayers: options.nLayers, hadamard: false, nKeep: options.nQubits, ring: false },
    options,
  );
  checkQubitCount("universalAnsatz", o.nQubits);
  checkInt("universalAnsatz", "nLayers", o.nLayers, 1, 10000);
  checkInt("universalAnsatz", "nKeep", o.nKeep, 1, o.nQubits);
  if (typeof o.hadamard !== "boolean")
    throw new Error(`universalAnsatz: hadamard must be true or false, got ${JSON.stringify(o.hadamard)}`);
  if (typeof o.ring !== "boolean")
    throw new Error(`universalAnsatz: ring must be true or false, got ${JSON.stringify(o.ring)}`);
  return o;
}

/**
 * Number of parameters: Σ over layers of 2·m_l + the pairs of the layer (m_l active qubits): 3·m_l − 1 on a chain;
 * with `ring`, 3·m_l for m_l ≥ 3 and 3·m_l − 1 for m_l ≤ 2 ({@link universalPairs}).
 * @param ring - @defaultValue false
 */
export function universalParamCount(nQubits: number, nLayers: number, nKeep = nQubits, ring = false): number {
  return universalSchedule(nQubits, nLayers, nKeep).reduce(
    (s, q) => s + 2 * q.length + universalPairs(q, ring).length,
    0,
  );
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
 * @throws Error for an unknown option, nLayers < 1, nKeep outside [1, nQubits], or a non-boolean hadamard or ring.
 */
export function universalAnsatz(options: Partial<UniversalOptions> & { nQubits: number; nLayers: number }): Circuit {
  const o = resolve(options);
  const c = new Circuit(o.nQubits, universalParamCount(o.nQubits, o.nLayers, o.nKeep, o.ring));
  if (o.hadamard) for (let q = 0; q < o.nQubits; q++) c.h(q);
  let p = 0;
  for (const active of universalSchedule(o.nQubits, o.nLayers, o.nKeep)) {
    for (const q of active) {
      c.rz(q, param(p++));
      c.rx(q, param(p++));
    }
    for (const [a, b] of universalPairs(active, o.ring)) c.cnot(a, b).rz(b, param(p++)).cnot(a, b);
  }
  return c;
}
