/**
 * A noise model in the shape of Qiskit Aer's `NoiseModel`: channels (`channels.ts`) attached after gates by gate
 * name and qubits, and readout errors per qubit. {@link NoiseModel.apply} returns the noisy circuit — the gates
 * with the channels inserted after them — for the executors of `noise/run.ts`.
 *
 * Rules (as in Aer):
 * - {@link NoiseModel.addAllQubitQuantumError}: the channel follows every listed gate on any qubits; its qubit
 *   count must equal the gate's (a one-qubit channel for one-qubit gates, a two-qubit channel for two-qubit gates).
 * - {@link NoiseModel.addQuantumError}: the channel follows the listed gates on exactly these qubits (in order, as
 *   the gate lists them: control first); for that gate and those qubits it REPLACES the all-qubit errors.
 * - Several errors on one gate apply in the order they were added.
 * - {@link NoiseModel.addAllQubitReadoutError} / {@link NoiseModel.addReadoutError}: a classical flip of the
 *   measured bit; a per-qubit error replaces the all-qubit one.
 *
 * Gate names: the builder's (`h`, `x`, `y`, `z`, `s`, `sdg`, `t`, `rx`, `ry`, `rz`, `unitary`; `cx` (also `cnot`),
 * `cz`, `swap`, `crx`, `cry`, `crz`). A two-qubit gate's qubits are (control, target) for `cx` and the controlled
 * rotations, (a, b) for `cz` and `swap`.
 *
 * @example
 * const noise = new NoiseModel()
 *   .addAllQubitQuantumError(depolarizing(1e-3), ONE_QUBIT_GATES)
 *   .addAllQubitQuantumError(depolarizing(1e-2, 2), ["cx"])
 *   .addAllQubitReadoutError(readoutError(0.02));
 * const rho = runDensity(noise.apply(circuit), params);
 *
 * @packageDocumentation
 */
import { Circuit, GateOp } from "../program/circuit";
import { gateKind } from "../program/ops";
import {
  Channel,
  ReadoutError,
  channelLabel,
  checkChannel,
  depolarizing,
  readoutError as makeReadoutError,
} from "./channels";

/** One-qubit gate names of the builder. */
export const ONE_QUBIT_GATES = Object.freeze(["h", "x", "y", "z", "s", "sdg", "t", "rx", "ry", "rz", "unitary"]);
/** Two-qubit gate names of the builder (`cnot` is accepted as an alias of `cx`). */
export const TWO_QUBIT_GATES = Object.freeze(["cx", "cz", "swap", "crx", "cry", "crz"]);

const ALL_GATES = [...ONE_QUBIT_GATES, ...TWO_QUBIT_GATES];

/** The name and qubits of a recorded gate, as the noise model matches them (null for a channel). */
export function gateSignature(op: GateOp): { name: string; qubits: number[] } | null {
  switch (op.kind) {
    case "cnot":
      return { name: "cx", qubits: [op.control, op.target] };
    case "cz":
      return { name: "cz", qubits: [op.a, op.b] };
    case "swap":
      return { name: "swap", qubits: [op.a, op.b] };
    case "channel":
      return null;
    default:
      return {
        name: op.controls.length ? `c${op.name.replace(/^c/, "")}` : op.name,
        qubits: [...op.controls, op.target],
      };
  }
}

function gateNames(where: string, gates: string | readonly string[]): string[] {
  const list = typeof gates === "string" ? [gates] : Array.isArray(gates) ? gates.slice() : null;
  if (!list || list.length === 0)
    throw new Error(`${where}: gates must be a gate name or a non-empty list of them, got ${JSON.stringify(gates)}`);
  return list.map((g) => {
    const name = g === "cnot" ? "cx" : g;
    if (!ALL_GATES.includes(name))
      throw new Error(`${where}: unknown gate ${JSON.stringify(g)}; allowed: ${ALL_GATES.join(", ")} (and cnot)`);
    return name;
  });
}

const arity = (name: string) => (ONE_QUBIT_GATES.includes(name) ? 1 : 2);

/** One row of {@link NoiseModel.describe}. */
export type NoiseRow = {
  gate: string;
  qubits: string;
  channel: string;
};

/** A noise model (see the module doc). Builder methods return `this`. */
export class NoiseModel {
  private readonly all = new Map<string, Channel[]>();
  private readonly local = new Map<string, Channel[]>();
  private allReadout: ReadoutError | null = null;
  private readonly localReadout = new Map<number, ReadoutError>();

  /**
   * Depolarising noise after every gate: `depolarizing(p1)` after each one-qubit gate, `depolarizing(p2, 2)`
   * after each two-qubit gate (module doc of `channels.ts` for the convention), and optionally a symmetric
   * readout error.
   * @throws Error for a probability outside [0, 1].
   */
  static depolarizing(p1: number, p2: number = p1, readout = 0): NoiseModel {
    const m = new NoiseModel();
    if (p1 > 0) m.addAllQubitQuantumError(depolarizing(p1, 1), ONE_QUBIT_GATES);
    else depolarizing(p1, 1);
    if (p2 > 0) m.addAllQubitQuantumError(depolarizing(p2, 2), TWO_QUBIT_GATES);
    else depolarizing(p2, 2);
    if (readout > 0) m.addAllQubitReadoutError(makeReadoutError(readout));
    else makeReadoutError(readout);
    return m;
  }

  /**
   * Attaches `channel` after every gate in `gates` on any qubits.
   * @throws Error for an unknown gate name or a channel whose qubit count differs from a gate's.
   */
  addAllQubitQuantumError(channel: Channel, gates: string | readonly string[]): this {
    const ch = checkChannel("NoiseModel.addAllQubitQuantumError", channel);
    for (const g of gateNames("NoiseModel.addAllQubitQuantumError", gates)) {
      if (arity(g) !== ch.nQubits)
        throw new Error(
          `NoiseModel.addAllQubitQuantumError: ${channelLabel(ch)} acts on ${ch.nQubits} qubit(s) but gate ${g} on ${arity(g)}`,
        );
      this.all.set(g, [...(this.all.get(g) ?? []), ch]);
    }
    return this;
  }

  /**
   * Attaches `channel` after the gates in `gates` acting on exactly `qubits` (replacing the all-qubit errors there).
   * @throws Error for an unknown gate name, a qubit count that differs from the gate's or channel's, or a bad qubit.
   */
  addQuantumError(channel: Channel, gates: string | readonly string[], qubits: readonly number[]): this {
    const W = "NoiseModel.addQuantumError";
    const ch = checkChannel(W, channel);
    if (
      !Array.isArray(qubits) ||
      qubits.some((q) => !Number.isInteger(q) || q < 0) ||
      new Set(qubits).size !== qubits.length
    ) {
      throw new Error(`${W}: qubits must be distinct non-negative integers, got ${JSON.stringify(qubits)}`);
    }
    if (qubits.length !== ch.nQubits)
      throw new Error(`${W}: ${channelLabel(ch)} acts on ${ch.nQubits} qubit(s), got qubits ${JSON.stringify(qubits)}`);
    for (const g of gateNames(W, gates)) {
      if (arity(g) !== ch.nQubits)
        throw new Error(`${W}: ${channelLabel(ch)} acts on ${ch.nQubits} qubit(s) but gate ${g} on ${arity(g)}`);
      const key = `${g}@${qubits.join(",")}`;
      this.local.set(key, [...(this.local.get(key) ?? []), ch]);
    }
    return this;
  }

  /** A readout error on every measured qubit (per-qubit errors take precedence). */
  addAllQubitReadoutError(error: ReadoutError): this {
    this.allReadout = makeReadoutError(error?.p01, error?.p10);
    return this;
  }

  /** A readout error on qubit `qubit`. @throws Error for a bad qubit or probabilities. */
  addReadoutError(error: ReadoutError, qubit: number): this {
    if (!Number.isInteger(qubit) || qubit < 0)
      throw new Error(`NoiseModel.addReadoutError: qubit must be a non-negative integer, got ${String(qubit)}`);
    this.localReadout.set(qubit, makeReadoutError(error?.p01, error?.p10));
    return this;
  }

  /** The readout error of qubit `q`, or null. */
  readoutError(q: number): ReadoutError | null {
    return this.localReadout.get(q) ?? this.allReadout;
  }

  /** Whether the model adds nothing (no channels, no readout error). */
  get isIdeal(): boolean {
    return this.all.size === 0 && this.local.size === 0 && this.allReadout === null && this.localReadout.size === 0;
  }

  /** The channels that follow a gate of this name on these qubits (module doc rules). */
  channelsFor(name: string, qubits: readonly number[]): readonly Channel[] {
    return this.local.get(`${name}@${qubits.join(",")}`) ?? this.all.get(name) ?? [];
  }

  /**
   * The noisy circuit: a new circuit with the same gates and parameter indices (and nParams), each gate followed
   * by its channels; channels already in `circuit` are kept.
   * @throws Error when a local error names a qubit outside the circuit.
   */
  apply(circuit: Circuit): Circuit {
    for (const key of this.local.keys()) {
      const qs = key.split("@")[1].split(",").map(Number);
      for (const q of qs)
        if (q >= circuit.nQubits)
          throw new Error(
            `NoiseModel.apply: an error on ${key} names qubit ${q} but the circuit has ${circuit.nQubits} qubits`,
          );
    }
    const out = new Circuit(circuit.nQubits, circuit.nParams);
    const same = (q: number) => q;
    for (const op of circuit.ops) {
      gateKind(op).appendTo(out, op, same);
      const sig = gateSignature(op);
      if (!sig) continue;
      const chs = this.channelsFor(sig.name, sig.qubits);
      for (const ch of chs) {
        if (ch.nQubits === 1) out.channel(ch, sig.qubits[sig.qubits.length - 1]);
        else out.channel(ch, sig.qubits);
      }
    }
    return out;
  }

  /** The model as table rows (gate, qubits, channel), all-qubit errors first, then local ones, then readout. */
  describe(): NoiseRow[] {
    const rows: NoiseRow[] = [];
    for (const [g, chs] of this.all)
      for (const ch of chs) rows.push({ gate: g, qubits: "all", channel: channelLabel(ch) });
    for (const [key, chs] of this.local)
      for (const ch of chs)
        rows.push({ gate: key.split("@")[0], qubits: key.split("@")[1], channel: channelLabel(ch) });
    if (this.allReadout)
      rows.push({
        gate: "measure",
        qubits: "all",
        channel: `readout(p01=${this.allReadout.p01}, p10=${this.allReadout.p10})`,
      });
    for (const [q, e] of this.localReadout)
      rows.push({ gate: "measure", qubits: String(q), channel: `readout(p01=${e.p01}, p10=${e.p10})` });
    return rows;
  }
}
