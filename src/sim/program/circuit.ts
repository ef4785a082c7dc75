/**
 * Parametrised circuits: a builder ({@link Circuit}), a compiler that fuses runs of single-qubit gates into one
 * 2×2 matrix per qubit, and the forward pass ({@link Circuit.run}).
 *
 * **Parameters.** A parametric gate's angle is `scale·params[index] + offset` (see {@link param}); several
 * gates may share one parameter. A circuit's `nParams` is one more than the largest index used, unless set
 * larger in the constructor. Angles are in radians, R_P(θ) = exp(−iθP/2).
 *
 * **Fusion.** Consecutive single-qubit gates on one qubit (with no multi-qubit gate on that qubit in between)
 * are multiplied into one matrix; gates on other qubits commute with them, so the pending run of each qubit is
 * emitted just before the next multi-qubit gate touching it. The fused matrix is applied with the cheapest
 * kernel for its structure (diagonal, anti-diagonal, real, general). Adjoint differentiation works on fused
 * blocks directly (see `grad/adjoint.ts`).
 *
 * **Modules.** The gate and program types and what each kind of op does live in the op-kind table (`ops.ts`);
 * the back ends that run programs in `backends/engine.ts`. This module depends on both, neither depends on it. The types
 * and helpers that used to be defined here are re-exported from here under the same names.
 */
import { Statevector, checkQubit, checkQubitCount } from "../state/statevector";
import { Axis, H_MAT, S_MAT, SDG_MAT, T_MAT, X_MAT, Y_MAT, Z_MAT, checkUnitary2, rotationMatrix } from "./gates";
import { applyProgram, runProgramInverse } from "../backends/engine";
import { linearPermutation } from "../backends/kernels";
import { Channel, checkChannel } from "../noise/channels";
import {
  Angle,
  BlockGate,
  GateOp,
  LinearGate,
  ParamRef,
  ProgramOp,
  channelOnStatevector,
  gateKind,
  makeBlock,
  opKind,
} from "./ops";

export type { Angle, BlockGate, GateOp, ParamRef, ProgramOp } from "./ops";
export { blockMatrix, gateMatrix } from "./ops";
export { runProgram } from "../backends/engine";

/**
 * A reference to `params[index]`, used as the angle of a parametric gate: angle = scale·params[index] + offset.
 * @throws Error if `index` is not a non-negative integer or scale/offset are not finite.
 */
export function param(index: number, scale = 1, offset = 0): ParamRef {
  if (!Number.isInteger(index) || index < 0)
    throw new Error(`param: index must be a non-negative integer, got ${index}`);
  if (!Number.isFinite(scale) || !Number.isFinite(offset))
    throw new Error(`param: scale and offset must be finite, got ${scale}, ${offset}`);
  return { index, scale, offset };
}

const AXIS_NAME = ["rx", "ry", "rz"] as const;

/**
 * A parametrised quantum circuit on `nQubits` qubits.
 *
 * @example
 * const c = new Circuit(2).h(0).cnot(0, 1).ry(1, param(0));
 * const psi = c.run(new Float64Array([0.3]));
 */
export class Circuit {
  readonly nQubits: number;
  /** Gates in order of application. */
  readonly ops: GateOp[] = [];
  /** Parameter index of each rotation occurrence (length = number of parametric gates). */
  readonly occurrences: ParamRef[] = [];
  private declaredParams: number;
  private maxParam = -1;
  private nChannels = 0;
  private compiled: { fused: boolean; program: ProgramOp[] }[] = [];

  /**
   * @param nQubits - register size, 1..26.
   * @param nParams - number of trainable parameters, if larger than the indices used (default: derived).
   */
  constructor(nQubits: number, nParams = 0) {
    checkQubitCount("Circuit", nQubits);
    if (!Number.isInteger(nParams) || nParams < 0)
      throw new Error(`Circuit: nParams must be a non-negative integer, got ${nParams}`);
    this.nQubits = nQubits;
    this.declaredParams = nParams;
  }

  /** Number of trainable parameters (length of the `params` vector). */
  get nParams(): number {
    return Math.max(this.declaredParams, this.maxParam + 1);
  }

  private touch(): void {
    this.compiled = [];
  }

  private q(where: string, q: number): number {
    return checkQubit(where, q, this.nQubits);
  }

  private controls(where: string, target: number, controls: number[]): number[] {
    for (const c of controls) {
      this.q(where, c);
      if (c === target) throw new Error(`${where}: control qubit ${c} equals the target qubit`);
    }
    if (new Set(controls).size !== controls.length)
      throw new Error(`${where}: repeated control qubit in [${controls.join(", ")}]`);
    return controls.slice();
  }

  /** Appends a fixed single-qubit gate given by its matrix (checked to be unitary). */
  unitary(target: number, matrix: ArrayLike<number>, controls: number[] = [], name = "unitary"): this {
    this.q(name, target);
    const m = checkUnitary2(name, matrix);
    this.ops.push({ kind: "fixed", name, target, controls: this.controls(name, target, controls), matrix: m });
    this.touch();
    return this;
  }

  /** Hadamard on `q`. */
  h(q: number): this {
    return this.unitary(q, H_MAT, [], "h");
  }
  /** Pauli X on `q`. */
  x(q: number): this {
    return this.unitary(q, X_MAT, [], "x");
  }
  /** Pauli Y on `q`. */
  y(q: number): this {
    return this.unitary(q, Y_MAT, [], "y");
  }
  /** Pauli Z on `q`. */
  z(q: number): this {
    return this.unitary(q, Z_MAT, [], "z");
  }
  /** S = diag(1, i) on `q`. */
  s(q: number): this {
    return this.unitary(q, S_MAT, [], "s");
  }
  /** S† on `q`. */
  sdg(q: number): this {
    return this.unitary(q, SDG_MAT, [], "sdg");
  }
  /** T = diag(1, e^{iπ/4}) on `q`. */
  t(q: number): this {
    return this.unitary(q, T_MAT, [], "t");
  }

  /** Rotation about `axis` (0 = X, 1 = Y, 2 = Z) on `target`, optionally controlled. */
  rot(axis: Axis, target: number, angle: Angle, controls: number[] = []): this {
    const name = (controls.length ? "c" : "") + AXIS_NAME[axis];
    this.q(name, target);
    const ctrls = this.controls(name, target, controls);
    if (typeof angle === "number") {
      if (!Number.isFinite(angle)) throw new Error(`${name}: angle must be finite, got ${angle}`);
      this.ops.push({ kind: "fixed", name, target, controls: ctrls, matrix: rotationMatrix(axis, angle) });
    } else {
      if (!angle || !Number.isInteger(angle.index) || angle.index < 0) {
        throw new Error(`${name}: angle must be a number or param(index), got ${JSON.stringify(angle)}`);
      }
      const ref = { index: angle.index, scale: angle.scale ?? 1, offset: angle.offset ?? 0 };
      this.ops.push({ kind: "rot", name, target, controls: ctrls, axis, angle: ref, occ: this.occurrences.length });
      this.occurrences.push(ref);
      this.maxParam = Math.max(this.maxParam, ref.index);
    }
    this.touch();
    return this;
  }

  /** RX(θ) = exp(−iθX/2) on `q`. */
  rx(q: number, angle: Angle): this {
    return this.rot(0, q, angle);
  }
  /** RY(θ) = exp(−iθY/2) on `q`. */
  ry(q: number, angle: Angle): this {
    return this.rot(1, q, angle);
  }
  /** RZ(θ) = exp(−iθZ/2) on `q`. */
  rz(q: number, angle: Angle): this {
    return this.rot(2, q, angle);
  }
  /** Controlled RX: RX(θ) on `target` when `control` is |1⟩. */
  crx(control: number, target: number, angle: Angle): this {
    return this.rot(0, target, angle, [control]);
  }
  /** Controlled RY. */
  cry(control: number, target: number, angle: Angle): this {
    return this.rot(1, target, angle, [control]);
  }
  /** Controlled RZ. */
  crz(control: number, target: number, angle: Angle): this {
    return this.rot(2, target, angle, [control]);
  }

  private pair(name: string, a: number, b: number): void {
    this.q(name, a);
    this.q(name, b);
    if (a === b) throw new Error(`${name}: the two qubits must differ, got ${a} and ${b}`);
  }

  /** CNOT with control `control` and target `target`. */
  cnot(control: number, target: number): this {
    this.pair("cnot", control, target);
    this.ops.push({ kind: "cnot", control, target });
    this.touch();
    return this;
  }
  /** Alias of {@link Circuit.cnot}. */
  cx(control: number, target: number): this {
    return this.cnot(control, target);
  }
  /** Controlled-Z on qubits `a`, `b`. */
  cz(a: number, b: number): this {
    this.pair("cz", a, b);
    this.ops.push({ kind: "cz", a, b });
    this.touch();
    return this;
  }
  /** SWAP of qubits `a`, `b`. */
  swap(a: number, b: number): this {
    this.pair("swap", a, b);
    this.ops.push({ kind: "swap", a, b });
    this.touch();
    return this;
  }

  /**
   * Appends a noise channel (`channels.ts`) on `qubits` (one per qubit of the channel, distinct). A circuit with
   * channels ({@link Circuit.hasChannels}) describes a noisy process: it runs on the density-matrix and trajectory
   * executors of `noise/run.ts`; the statevector paths (`run`, `runInverse`, `adjointGradient`) reject it.
   * @throws Error for a malformed channel, a qubit out of range or repeated, or a qubit count ≠ the channel's.
   */
  channel(channel: Channel, qubits: number | number[]): this {
    const ch = checkChannel("Circuit.channel", channel);
    const qs = typeof qubits === "number" ? [qubits] : Array.isArray(qubits) ? qubits.slice() : [];
    if (qs.length !== ch.nQubits)
      throw new Error(
        `Circuit.channel: ${ch.name} acts on ${ch.nQubits} qubit(s), got qubits ${JSON.stringify(qubits)}`,
      );
    for (const q of qs) this.q(`Circuit.channel (${ch.name})`, q);
    if (new Set(qs).size !== qs.length) throw new Error(`Circuit.channel: repeated qubit in [${qs.join(", ")}]`);
    this.ops.push({ kind: "channel", channel: ch, qubits: qs });
    this.nChannels++;
    this.touch();
    return this;
  }

  /** Whether the circuit holds noise channels (then it runs only on the noisy executors). */
  get hasChannels(): boolean {
    return this.nChannels > 0;
  }

  /** @throws Error naming the first channel when the circuit has noise channels (statevector paths call this). */
  checkNoiseless(where: string): void {
    if (!this.nChannels) return;
    const op = this.ops.find((o) => o.kind === "channel") as Extract<GateOp, { kind: "channel" }>;
    throw new Error(`${where}: ${channelOnStatevector(op).message}`);
  }

  /** Appends all gates of `other` (same qubit count), keeping its parameter indices. */
  append(other: Circuit): this {
    if (other.nQubits !== this.nQubits) throw new Error(`Circuit.append: ${other.nQubits} qubits vs ${this.nQubits}`);
    const same = (q: number) => q;
    for (const op of other.ops) gateKind(op).appendTo(this, op, same);
    this.declaredParams = Math.max(this.declaredParams, other.nParams);
    return this;
  }

  /** Number of parametric gate occurrences (length of the angle vector). */
  get nOccurrences(): number {
    return this.occurrences.length;
  }

  /**
   * The angle of each parametric gate occurrence, `scale·params[index] + offset`.
   * @throws Error if `params` has the wrong length or holds a non-finite value.
   */
  angles(params: ArrayLike<number>, out: Float64Array = new Float64Array(this.occurrences.length)): Float64Array {
    checkParams("Circuit", params, this.nParams);
    const occ = this.occurrences;
    for (let k = 0; k < occ.length; k++) out[k] = occ[k].scale * params[occ[k].index] + occ[k].offset;
    return out;
  }

  /** Maps a gradient over occurrences (∂L/∂angle) to a gradient over params, adding into `out`. */
  accumulateParamGradient(dAngles: Float64Array, out: Float64Array): Float64Array {
    const occ = this.occurrences;
    for (let k = 0; k < occ.length; k++) out[occ[k].index] += occ[k].scale * dAngles[k];
    return out;
  }

  /** The compiled program (cached), with single-qubit runs fused when `fuse` is true. */
  program(fuse = true): ProgramOp[] {
    const hit = this.compiled.find((c) => c.fused === fuse);
    if (hit) return hit.program;
    const program = compile(this, fuse);
    this.compiled.push({ fused: fuse, program });
    return program;
  }

  /**
   * Applies the circuit to `state` in place (default |0…0⟩, freshly allocated) and returns it.
   * @param params - trainable parameters, length {@link Circuit.nParams}.
   * @param options.fuse - fuse single-qubit runs (default true); false runs one kernel pass per gate.
   * @throws Error on a wrong parameter count, a non-finite parameter, or a state of another size.
   */
  run(
    params: ArrayLike<number> = new Float64Array(0),
    state?: Statevector,
    options: { fuse?: boolean } = {},
  ): Statevector {
    this.checkNoiseless("Circuit.run");
    const s = state ?? Statevector.zero(this.nQubits);
    if (s.nQubits !== this.nQubits)
      throw new Error(`Circuit.run: circuit has ${this.nQubits} qubits but the state has ${s.nQubits}`);
    return applyProgram(this.program(options.fuse ?? true), this.angles(params), s);
  }
}

/**
 * Applies U(params)† (the inverse circuit) to `state` in place and returns it (used by the quantum
 * autoencoder's decoder, Yan et al. Eq. 9). Runs on the TypeScript kernels (both back ends).
 * @throws Error on a wrong parameter count / non-finite parameter or a state of another size.
 */
export function runInverse(circuit: Circuit, params: ArrayLike<number>, state: Statevector): Statevector {
  circuit.checkNoiseless("runInverse");
  if (state.nQubits !== circuit.nQubits)
    throw new Error(`runInverse: circuit has ${circuit.nQubits} qubits but the state has ${state.nQubits}`);
  const angles = circuit.angles(params);
  runProgramInverse(circuit.program(true), angles, state.re, state.im);
  return state;
}

/** @throws Error unless `params` has length `n` and only finite entries. */
export function checkParams(where: string, params: ArrayLike<number>, n: number): void {
  if (!params || typeof params.length !== "number")
    throw new Error(`${where}: params must be an array of ${n} numbers`);
  if (params.length !== n) throw new Error(`${where}: expected ${n} parameters, got ${params.length}`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(params[i])) throw new Error(`${where}: parameter ${i} is not finite (${params[i]})`);
  }
}

function compile(c: Circuit, fuse: boolean): ProgramOp[] {
  const out: ProgramOp[] = [];
  const pending: Array<BlockGate[] | null> = new Array(c.nQubits).fill(null);
  const flush = (q: number) => {
    const g = pending[q];
    if (g) out.push(makeBlock(q, 0, g));
    pending[q] = null;
  };
  for (const op of c.ops) {
    const kind = gateKind(op);
    const low = kind.lower(op);
    if ("gate" in low && low.controls.length === 0 && fuse) {
      (pending[low.target] ??= []).push(low.gate);
      continue;
    }
    // not fused: first flush the pending runs of the gate's qubits, in the order the table lists them
    for (const q of kind.qubits(op)) flush(q);
    if ("gate" in low) {
      let mask = 0;
      for (const q of low.controls) mask |= 1 << q;
      out.push(makeBlock(low.target, mask, [low.gate]));
    } else {
      out.push(low.op);
    }
  }
  for (let q = 0; q < c.nQubits; q++) flush(q);
  return fuse ? mergePermutations(c.nQubits, hoistBlocks(out)) : out;
}

/**
 * Moves each single-qubit block before the run of two-qubit gates just ahead of it when it commutes with the
 * WHOLE run (no gate of the run touches its qubits); otherwise it stays after the run. So the two-qubit gates
 * of an entangling layer end up adjacent and can be merged, and runs are never split.
 */
function hoistBlocks(ops: ProgramOp[]): ProgramOp[] {
  const out: ProgramOp[] = [];
  for (const op of ops) {
    if (op.type !== "block") {
      out.push(op);
      continue;
    }
    const mine = opKind(op).qubits(op);
    let r = out.length;
    while (r > 0 && out[r - 1].type !== "block") r--;
    const run = out.slice(r);
    if (
      run.length > 0 &&
      !run.some((g) =>
        opKind(g)
          .qubits(g)
          .some((q) => mine.includes(q)),
      )
    )
      out.splice(r, 0, op);
    else out.push(op);
  }
  return out;
}

/** Replaces runs of two or more linear-permutation gates (CNOT, SWAP: `linearGate` in the table) by one pass. */
function mergePermutations(n: number, ops: ProgramOp[]): ProgramOp[] {
  const out: ProgramOp[] = [];
  let run: ProgramOp[] = [],
    gates: LinearGate[] = [];
  const flushRun = () => {
    if (run.length === 1) out.push(run[0]);
    else if (run.length > 1) out.push({ type: "perm", perm: linearPermutation(n, gates), gates });
    run = [];
    gates = [];
  };
  for (const op of ops) {
    const linear = opKind(op).linearGate;
    if (linear) {
      run.push(op);
      gates.push(linear(op));
    } else {
      flushRun();
      out.push(op);
    }
  }
  flushRun();
  return out;
}

/** The qubits a gate acts on: a controlled gate's target then its controls, both qubits of a two-qubit gate, a channel's qubits. */
export function opQubits(op: GateOp): number[] {
  switch (op.kind) {
    case "cnot":
      return [op.control, op.target];
    case "cz":
    case "swap":
      return [op.a, op.b];
    case "channel":
      return op.qubits.slice();
    default:
      return [op.target, ...op.controls];
  }
}

/** Size of a circuit, as a compiler counts it before any gate fusion or transpilation. */
export interface CircuitStats {
  /** Trainable parameters. */
  nParams: number;
  /** Gates (noise channels not counted). */
  gates: number;
  /** Gates on two or more qubits: CNOT, CZ, SWAP, controlled rotations and controlled fixed gates. */
  twoQubitGates: number;
  /** Depth: the longest chain of gates that share a qubit (each gate one step; channels not counted). */
  depth: number;
  /** Depth counting only the gates on two or more qubits (the usual cost on hardware). */
  twoQubitDepth: number;
}

/** Gate counts and depths of a circuit ({@link CircuitStats}). */
export function circuitStats(circuit: Circuit): CircuitStats {
  const level = new Array<number>(circuit.nQubits).fill(0);
  const level2 = new Array<number>(circuit.nQubits).fill(0);
  let gates = 0,
    twoQubitGates = 0;
  for (const op of circuit.ops) {
    if (op.kind === "channel") continue;
    const qs = opQubits(op);
    gates++;
    const d = 1 + Math.max(...qs.map((q) => level[q]));
    for (const q of qs) level[q] = d;
    if (qs.length >= 2) {
      twoQubitGates++;
      const d2 = 1 + Math.max(...qs.map((q) => level2[q]));
      for (const q of qs) level2[q] = d2;
    }
  }
  return {
    nParams: circuit.nParams,
    gates,
    twoQubitGates,
    depth: Math.max(0, ...level),
    twoQubitDepth: Math.max(0, ...level2),
  };
}
