/**
 * JSON serialisation of {@link Circuit}s: {@link circuitToJSON} writes a plain object (format tag, version, gate
 * list), {@link circuitFromJSON} validates one and rebuilds the circuit with the public builder methods, so the
 * rebuilt circuit has the same gates, parameter references, occurrences and `nParams`, and runs bit for bit like
 * the original.
 *
 * **Format** (version 1): `{ format: "qnn-kd/circuit", version: 1, nQubits, nParams, ops }`, `ops` in order of
 * application, one object per {@link GateOp}:
 * - `{ kind: "fixed", name, target, controls, matrix }`: a fixed single-qubit gate, `matrix` its 8 numbers
 *   `[re00, im00, re01, im01, re10, im10, re11, im11]` (also rotations by a fixed angle, recorded this way);
 * - `{ kind: "rot", axis, target, controls, angle: { index, scale, offset } }`: R_axis(scale·params[index] +
 *   offset), axis 0 = X, 1 = Y, 2 = Z (radians, R_P(θ) = exp(−iθP/2));
 * - `{ kind: "cnot", control, target }`, `{ kind: "cz", a, b }`, `{ kind: "swap", a, b }`;
 * - `{ kind: "channel", name, params, qubits, kraus }`: a noise channel (`channels.ts`), its Kraus operators as
 *   arrays of 8 (one qubit) or 32 (two qubits) numbers, rebuilt with `krausChannel` (checked again for trace
 *   preservation; a mixture of unitaries keeps its `mixture` probabilities when given).
 *
 * Numbers are written as JSON numbers (which round-trip doubles exactly), except negative zero, which JSON would
 * turn into 0: it is written as the string `"-0"` ({@link numberToJSON}), so that matrices keep their bits.
 *
 * @packageDocumentation
 */
import { Circuit, GateOp } from "./circuit";
import type { Axis } from "./gates";
import { krausChannel } from "../noise/channels";

/** Format tag of {@link CircuitJSON}. */
export const CIRCUIT_FORMAT = "qnn-kd/circuit";
/** Current version of {@link CircuitJSON}. */
export const CIRCUIT_FORMAT_VERSION = 1;

/** A double in JSON: a number, or `"-0"` for negative zero. */
export type JSONNumber = number | "-0";

/** One gate of a {@link CircuitJSON} (see the module doc). */
export type GateOpJSON =
  | { kind: "fixed"; name: string; target: number; controls: number[]; matrix: JSONNumber[] }
  | {
      kind: "rot";
      axis: Axis;
      target: number;
      controls: number[];
      angle: { index: number; scale: JSONNumber; offset: JSONNumber };
    }
  | { kind: "cnot"; control: number; target: number }
  | { kind: "cz"; a: number; b: number }
  | { kind: "swap"; a: number; b: number }
  | {
      kind: "channel";
      name: string;
      params: Record<string, number>;
      qubits: number[];
      kraus: JSONNumber[][];
      mixture: number[] | null;
    };

/** A serialised circuit (see the module doc). */
export interface CircuitJSON {
  format: typeof CIRCUIT_FORMAT;
  version: number;
  /** Register size. */
  nQubits: number;
  /** Length of the parameter vector (may exceed the largest index used + 1). */
  nParams: number;
  /** Gates in order of application. */
  ops: GateOpJSON[];
}

/** A double as JSON: `"-0"` for negative zero, else the number itself. */
export function numberToJSON(v: number): JSONNumber {
  return Object.is(v, -0) ? "-0" : v;
}

/**
 * The double of a {@link JSONNumber}.
 * @throws Error (prefixed by `where`) unless `v` is a finite number or `"-0"`, quoting it.
 */
export function numberFromJSON(where: string, v: unknown): number {
  if (v === "-0") return -0;
  if (typeof v !== "number" || !Number.isFinite(v))
    throw new Error(`${where} must be a finite number, got ${JSON.stringify(v) ?? String(v)}`);
  return v;
}

/** The circuit as a plain, JSON-ready object (see the module doc for the format). */
export function circuitToJSON(circuit: Circuit): CircuitJSON {
  if (!(circuit instanceof Circuit)) throw new Error(`circuitToJSON: expected a Circuit, got ${String(circuit)}`);
  const ops = circuit.ops.map((op: GateOp): GateOpJSON => {
    switch (op.kind) {
      case "fixed":
        return {
          kind: "fixed",
          name: op.name,
          target: op.target,
          controls: op.controls.slice(),
          matrix: Array.from(op.matrix, numberToJSON),
        };
      case "rot":
        return {
          kind: "rot",
          axis: op.axis,
          target: op.target,
          controls: op.controls.slice(),
          angle: { index: op.angle.index, scale: numberToJSON(op.angle.scale), offset: numberToJSON(op.angle.offset) },
        };
      case "cnot":
        return { kind: "cnot", control: op.control, target: op.target };
      case "cz":
        return { kind: "cz", a: op.a, b: op.b };
      case "swap":
        return { kind: "swap", a: op.a, b: op.b };
      default: {
        const ch = op.channel;
        return {
          kind: "channel",
          name: ch.name,
          params: { ...ch.params },
          qubits: op.qubits.slice(),
          kraus: ch.kraus.map((K) => Array.from(K, numberToJSON)),
          mixture: ch.mixture ? ch.mixture.slice() : null,
        };
      }
    }
  });
  return {
    format: CIRCUIT_FORMAT,
    version: CIRCUIT_FORMAT_VERSION,
    nQubits: circuit.nQubits,
    nParams: circuit.nParams,
    ops,
  };
}

const KINDS = ["fixed", "rot", "cnot", "cz", "swap", "channel"];

function show(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

function int(where: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0)
    throw new Error(`${where} must be a non-negative integer, got ${show(v)}`);
  return v;
}

function intList(where: string, v: unknown): number[] {
  if (!Array.isArray(v)) throw new Error(`${where} must be an array of qubit indices, got ${show(v)}`);
  return v.map((x, i) => int(`${where}[${i}]`, x));
}

/**
 * Rebuilds a circuit from {@link circuitToJSON}'s output (also after `JSON.stringify` / `JSON.parse`).
 * @throws Error for a wrong format tag or version, a missing or malformed field, an unknown gate kind, or a gate
 *   the builder rejects (qubit out of range, non-unitary matrix, …); the message names the op and quotes the value.
 */
export function circuitFromJSON(json: unknown): Circuit {
  const W = "circuitFromJSON";
  if (!json || typeof json !== "object" || Array.isArray(json))
    throw new Error(`${W}: expected an object, got ${show(json)}`);
  const o = json as Record<string, unknown>;
  if (o.format !== CIRCUIT_FORMAT) throw new Error(`${W}: format must be "${CIRCUIT_FORMAT}", got ${show(o.format)}`);
  if (o.version !== CIRCUIT_FORMAT_VERSION)
    throw new Error(
      `${W}: unsupported version ${show(o.version)} (this library reads version ${CIRCUIT_FORMAT_VERSION})`,
    );
  const nQubits = int(`${W}: nQubits`, o.nQubits);
  const nParams = int(`${W}: nParams`, o.nParams);
  if (!Array.isArray(o.ops)) throw new Error(`${W}: ops must be an array, got ${show(o.ops)}`);
  let c: Circuit;
  try {
    c = new Circuit(nQubits, nParams);
  } catch (e) {
    throw new Error(`${W}: ${(e as Error).message}`);
  }
  o.ops.forEach((raw: unknown, i: number) => {
    const at = `${W}: ops[${i}]`;
    if (!raw || typeof raw !== "object") throw new Error(`${at} must be an object, got ${show(raw)}`);
    const g = raw as Record<string, unknown>;
    if (!KINDS.includes(g.kind as string))
      throw new Error(`${at}.kind must be one of ${KINDS.map((k) => `"${k}"`).join(", ")}, got ${show(g.kind)}`);
    try {
      switch (g.kind) {
        case "fixed": {
          if (typeof g.name !== "string") throw new Error(`${at}.name must be a string, got ${show(g.name)}`);
          if (!Array.isArray(g.matrix) || g.matrix.length !== 8)
            throw new Error(`${at}.matrix must be 8 numbers, got ${show(g.matrix)}`);
          const m = g.matrix.map((v: unknown, k: number) => numberFromJSON(`${at}.matrix[${k}]`, v));
          c.unitary(int(`${at}.target`, g.target), m, intList(`${at}.controls`, g.controls), g.name);
          break;
        }
        case "rot": {
          if (g.axis !== 0 && g.axis !== 1 && g.axis !== 2)
            throw new Error(`${at}.axis must be 0 (X), 1 (Y) or 2 (Z), got ${show(g.axis)}`);
          const a = g.angle as Record<string, unknown> | undefined;
          if (!a || typeof a !== "object")
            throw new Error(`${at}.angle must be { index, scale, offset }, got ${show(g.angle)}`);
          const ref = {
            index: int(`${at}.angle.index`, a.index),
            scale: numberFromJSON(`${at}.angle.scale`, a.scale),
            offset: numberFromJSON(`${at}.angle.offset`, a.offset),
          };
          c.rot(g.axis, int(`${at}.target`, g.target), ref, intList(`${at}.controls`, g.controls));
          break;
        }
        case "cnot":
          c.cnot(int(`${at}.control`, g.control), int(`${at}.target`, g.target));
          break;
        case "cz":
          c.cz(int(`${at}.a`, g.a), int(`${at}.b`, g.b));
          break;
        case "swap":
          c.swap(int(`${at}.a`, g.a), int(`${at}.b`, g.b));
          break;
        default: {
          if (typeof g.name !== "string") throw new Error(`${at}.name must be a string, got ${show(g.name)}`);
          if (!Array.isArray(g.kraus))
            throw new Error(`${at}.kraus must be an array of Kraus operators, got ${show(g.kraus)}`);
          const kraus = g.kraus.map((K: unknown, k: number) => {
            if (!Array.isArray(K)) throw new Error(`${at}.kraus[${k}] must be an array of numbers, got ${show(K)}`);
            return Float64Array.from(K, (v: unknown, j: number) => numberFromJSON(`${at}.kraus[${k}][${j}]`, v));
          });
          const params = (g.params && typeof g.params === "object" ? g.params : {}) as Record<string, number>;
          const ch = krausChannel(kraus, { name: g.name, params });
          const mixture =
            Array.isArray(g.mixture) && g.mixture.length === kraus.length ? Object.freeze(g.mixture.map(Number)) : null;
          c.channel(mixture ? Object.freeze({ ...ch, mixture }) : ch, intList(`${at}.qubits`, g.qubits));
        }
      }
    } catch (e) {
      const msg = (e as Error).message;
      throw new Error(msg.startsWith(at) ? msg : `${at} (${g.kind}): ${msg}`);
    }
  });
  if (c.nParams !== nParams)
    throw new Error(`${W}: nParams is ${nParams} but the gates use parameter indices up to ${c.nParams - 1}`);
  return c;
}
