/**
 * Backward light cones of circuits: the qubits and gates that can influence observables on given qubits.
 *
 * Heisenberg picture: with O_T = O and O_{t−1} = U_t† O_t U_t, a gate U_t whose qubits are all outside the
 * support of O_t commutes with it and drops out. Walking the gates from last to first and growing the support by
 * the qubits of every gate that touches it gives the cone C (the support of O_0) and the kept gates K, with
 * ⟨ψ|U† O U|ψ⟩ = Tr[ρ_C K† O K], ρ_C the reduced input state on C. For a product input, ρ_C is the pure product
 * of C's qubits, so the expectation costs a |C|-qubit simulation instead of an n-qubit one, with the same value
 * up to rounding. The cone is conservative (a gate touching the support is always kept).
 *
 * Example: the hardware-efficient ansatz (rotations, then a CNOT chain 0→1→…→n−1) read out on qubits 0 and 1
 * has a cone of min(n, L + 2) qubits after L layers — 6 of 15 qubits for a 4-layer student; read out on the last
 * two qubits, the chain carries the cone over every qubit in one layer.
 *
 * Source: the standard light-cone (causal-cone) reduction of local observables, e.g. Evenbly & Vidal, Phys.
 * Rev. B 79, 144108 (2009) (causal cones of MERA); Bravyi, Gosset & Movassagh, Nat. Phys. 17, 337 (2021).
 *
 * A gate's qubits and how to re-add it on relabelled qubits come from the op-kind table (`ops.ts`,
 * `GATE_KINDS[kind].qubits` / `.appendTo`).
 *
 * @packageDocumentation
 */
import { Circuit } from "./circuit";
import { gateKind } from "./ops";

/** Result of {@link lightCone}. */
export interface LightCone {
  /** The cone's qubits of the original circuit, ascending: original qubit `qubits[j]` is qubit j of `circuit`. */
  qubits: number[];
  /**
   * The kept gates on `qubits.length` qubits, in their original order with qubits relabelled; same parameter
   * indices and the same `nParams` as the original, so one parameter vector serves both (the parameters of
   * dropped gates simply get zero gradient).
   */
  circuit: Circuit;
  /** The observable qubits relabelled into `circuit`'s numbering (same order as given). */
  observables: number[];
  /** Gates kept and gates in the original circuit. */
  keptGates: number;
  totalGates: number;
}

/**
 * The backward light cone of observables supported on `observableQubits` (see the module documentation).
 * @param circuit - any circuit.
 * @param observableQubits - distinct qubits of `circuit`, at least one.
 * @returns the cone's qubits, the reduced circuit on them, and the relabelled observable qubits.
 * @throws Error for an empty list, a qubit out of range or a repeated qubit (quoted).
 */
export function lightCone(circuit: Circuit, observableQubits: readonly number[]): LightCone {
  const n = circuit.nQubits;
  if (!Array.isArray(observableQubits) || observableQubits.length === 0) {
    throw new Error(
      `lightCone: observableQubits must be a non-empty array of qubit indices, got ${JSON.stringify(observableQubits)}`,
    );
  }
  const inCone = new Uint8Array(n);
  for (const q of observableQubits) {
    if (!Number.isInteger(q) || q < 0 || q >= n)
      throw new Error(
        `lightCone: observable qubit ${q} is not a qubit of this ${n}-qubit circuit (allowed: 0…${n - 1})`,
      );
    if (inCone[q]) throw new Error(`lightCone: observable qubit ${q} is listed twice`);
    inCone[q] = 1;
  }
  const ops = circuit.ops;
  const keep = new Uint8Array(ops.length);
  for (let t = ops.length - 1; t >= 0; t--) {
    const qs = gateKind(ops[t]).qubits(ops[t]);
    if (qs.some((q) => inCone[q])) {
      keep[t] = 1;
      for (const q of qs) inCone[q] = 1;
    }
  }
  const qubits: number[] = [];
  const index = new Int32Array(n).fill(-1);
  for (let q = 0; q < n; q++)
    if (inCone[q]) {
      index[q] = qubits.length;
      qubits.push(q);
    }
  const reduced = new Circuit(qubits.length, circuit.nParams);
  const relabel = (q: number) => index[q];
  let kept = 0;
  for (let t = 0; t < ops.length; t++) {
    if (!keep[t]) continue;
    kept++;
    gateKind(ops[t]).appendTo(reduced, ops[t], relabel);
  }
  return {
    qubits,
    circuit: reduced,
    observables: observableQubits.map((q) => index[q]),
    keptGates: kept,
    totalGates: ops.length,
  };
}
