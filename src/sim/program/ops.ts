/**
 * The op-kind table of the simulator: every kind of gate the builder records ({@link GATE_KINDS}, keyed by
 * {@link GateOp} `kind`) and every kind of step of a compiled program ({@link OP_KINDS}, keyed by
 * {@link ProgramOp} `type`) with, in one entry, everything the simulator's paths need to know about it:
 *
 * | path                                              | reads                                                |
 * |---------------------------------------------------|------------------------------------------------------|
 * | compiler (`circuit.ts`: fusion, hoisting, merging) | `GATE_KINDS[k].qubits`, `.lower`; `OP_KINDS[t].qubits`, `.linearGate` |
 * | `Circuit.append`, light cone (`lightcone.ts`)     | `GATE_KINDS[k].qubits`, `.appendTo`                   |
 * | TS forward (`runProgram`, `backends/engine.ts`)            | `OP_KINDS[t].apply`                                   |
 * | TS inverse (`runInverse`, `circuit.ts`)           | `OP_KINDS[t].applyInverse`                            |
 * | TS adjoint sweep (`backwardProgram`, `grad/adjoint.ts`) | `OP_KINDS[t].adjoint`                              |
 * | WASM per-gate forward / adjoint (`backends/engine.ts`)     | `OP_KINDS[t].wasm.prepare`, `.apply`, `.adjoint`      |
 * | WASM program buffer (`ProgramRunner`, `wasmProgram.ts`) | `OP_KINDS[t].wasm.opcodes`, `.encode`, `.setAngles`, `.derivatives`, `.checkpoint`, `.tableBytes` |
 *
 * The paths loop over the ops and dispatch ONCE PER OP through the table; the per-amplitude loops stay in the
 * kernels (`kernels.ts`, `asm/kernels.ts`), each called from one monomorphic site in its entry. The table holds
 * functions, the programs stay plain data (structured-cloned to worker threads), looked up by `type`.
 *
 * **Same numbers.** Each entry calls exactly the kernels, with the same arguments and in the same order, as the
 * per-path switch statements it replaced, so states and gradients are bit-identical to before.
 *
 * **Adding an op kind** (a gate; later a noise channel) touches this file and, when WASM needs a new kernel,
 * `asm/kernels.ts`:
 * 1. a variant of {@link GateOp} and its {@link GATE_KINDS} entry (qubits, appendTo, lower) — plus a builder
 *    method on `Circuit` if users should write it directly;
 * 2. if it lowers to a new program step: a variant of {@link ProgramOp} and its {@link OP_KINDS} entry (qubits,
 *    TS apply / inverse / adjoint step, `wasm`: per-gate apply and adjoint, opcode(s) and record encoding);
 * 3. for the whole-program WASM runner: a new opcode in `opcodes.ts` (shared with AssemblyScript) and its case in
 *    the `runOps` / `adjointOps` / `runOpsCkpt` / `adjointOpsCkpt` dispatch of `asm/kernels.ts` (plus the kernel
 *    itself if none fits).
 * TypeScript then fails to compile until every entry has every field; `test/sim/ops.test.ts` checks that every
 * kind runs the same on both back ends, forward and inverse, and that the opcodes are consistent.
 *
 * @packageDocumentation
 */
import { Axis, Mat2, I_MAT, dagger2, matmul2, rotationDerivative, rotationMatrix } from "./gates";
import {
  LinearPermutation,
  MatKind,
  applyCNOT,
  applyCZ,
  applyGather,
  applyMat2,
  applySWAP,
  classifyMat2,
  pairStep,
} from "../backends/kernels";
import type { WasmKernels } from "../backends/wasm";
import { Channel, channelLabel } from "../noise/channels";
import {
  DER_BYTES,
  OP_ANTI,
  OP_BYTES,
  OP_CNOT,
  OP_CZ,
  OP_DIAG,
  OP_GENERAL,
  OP_PERM,
  OP_REAL,
  OP_SKIP,
  OP_SWAP,
} from "./opcodes";

// ---------------------------------------------------------------------------------------------------------
// Types of recorded gates and compiled programs.

/** Reference to a trainable parameter: angle = scale·params[index] + offset. */
export interface ParamRef {
  index: number;
  scale: number;
  offset: number;
}

/** An angle: a fixed number (radians) or a {@link ParamRef}. */
export type Angle = number | ParamRef;

/** One gate as recorded by the builder (`Circuit.ops`). */
export type GateOp =
  | { kind: "fixed"; name: string; target: number; controls: number[]; matrix: Mat2 }
  | { kind: "rot"; name: string; target: number; controls: number[]; axis: Axis; angle: ParamRef; occ: number }
  | { kind: "cnot"; control: number; target: number }
  | { kind: "cz"; a: number; b: number }
  | { kind: "swap"; a: number; b: number }
  | { kind: "channel"; channel: Channel; qubits: number[] };

/** The `kind`s of {@link GateOp}. */
export type GateKindName = GateOp["kind"];

/** A gate inside a fused block: a fixed matrix or a rotation (occurrence `occ` in the angle vector). */
export type BlockGate =
  { matrix: Mat2; axis?: undefined; occ?: undefined } | { axis: Axis; occ: number; matrix?: undefined };

/**
 * A fused block: the product G_m⋯G_1 of `gates` on qubit `target`, applied on the amplitudes whose `ctrlMask`
 * bits are all 1. `fixed` is the precomputed product when no gate has a parameter (`hasParams` false).
 */
export type BlockOp = {
  type: "block";
  target: number;
  ctrlMask: number;
  gates: BlockGate[];
  hasParams: boolean;
  fixed?: Mat2;
};

/** One step of a compiled program (plain data: structured-cloneable). */
export type ProgramOp =
  | BlockOp
  | { type: "cnot"; control: number; target: number }
  | { type: "cz"; a: number; b: number }
  | { type: "swap"; a: number; b: number }
  | { type: "perm"; perm: LinearPermutation; gates: Array<[0 | 1, number, number]> }
  | { type: "channel"; channel: Channel; qubits: number[] };

/** The `type`s of {@link ProgramOp}. */
export type ProgramOpType = ProgramOp["type"];

/** A CNOT (`[0, control, target]`) or SWAP (`[1, a, b]`) as an element of a linear permutation. */
export type LinearGate = [0 | 1, number, number];

// ---------------------------------------------------------------------------------------------------------
// 2×2 algebra of fused blocks (matrices and derivative matrices at given angles).

const tmpA = new Float64Array(8),
  tmpB = new Float64Array(8);

/** The matrix of gate `g` at the given angles, written into `out` (returned). */
export function gateMatrix(g: BlockGate, angles: Float64Array, out: Mat2): Mat2 {
  if (g.axis === undefined) {
    out.set(g.matrix);
    return out;
  }
  return rotationMatrix(g.axis, angles[g.occ], out);
}

/** The product G_m⋯G_1 of a block's gates at the given angles, written into `out` (returned). */
export function blockMatrix(op: BlockOp, angles: Float64Array, out: Mat2): Mat2 {
  if (op.fixed) {
    out.set(op.fixed);
    return out;
  }
  const gs = op.gates;
  gateMatrix(gs[0], angles, out);
  for (let k = 1; k < gs.length; k++) {
    gateMatrix(gs[k], angles, tmpA);
    matmul2(tmpA, out, tmpB);
    out.set(tmpB);
  }
  return out;
}

const pre = new Float64Array(8),
  suf = new Float64Array(8),
  t1 = new Float64Array(8),
  t2 = new Float64Array(8),
  dG = new Float64Array(8);

function reTrace(a: Mat2, c: Float64Array): number {
  let s = 0;
  for (let k = 0; k < 8; k += 2) s += a[k] * c[k] - a[k + 1] * c[k + 1];
  return 2 * s;
}

/**
 * For each rotation G_j of a block: dAngles[occ] += 2·Re Σ_ab (G_m⋯G_j′⋯G_1)_ab C_ab, with C the 2×2
 * accumulator of the adjoint pair step (8 f64, Mat2 layout).
 */
export function blockDerivativesInto(op: BlockOp, angles: Float64Array, c: Float64Array, dAngles: Float64Array): void {
  forEachBlockDerivative(op, angles, (occ, d) => {
    dAngles[occ] += reTrace(d, c);
  });
}

/**
 * Calls `visit(occ, D_j)` for each rotation G_j of a block, from the last gate to the first, with the derivative
 * matrix D_j = G_m⋯G_j′⋯G_1 (G_j′ = dG_j/dθ). `D_j` is scratch, valid only during the call. Shared by the
 * per-gate adjoint ({@link blockDerivativesInto}) and the whole-program runner, so both use the same operations.
 */
export function forEachBlockDerivative(op: BlockOp, angles: Float64Array, visit: (occ: number, d: Mat2) => void): void {
  const gs = op.gates;
  const m = gs.length;
  if (m === 1) {
    const g = gs[0];
    if (g.axis !== undefined) visit(g.occ, rotationDerivative(g.axis, angles[g.occ], dG));
    return;
  }
  const prefixes: Mat2[] = new Array(m);
  pre.set(I_MAT);
  for (let j = 0; j < m; j++) {
    prefixes[j] = pre.slice();
    gateMatrix(gs[j], angles, t1);
    matmul2(t1, pre, t2);
    pre.set(t2);
  }
  suf.set(I_MAT);
  for (let j = m - 1; j >= 0; j--) {
    const g = gs[j];
    if (g.axis !== undefined) {
      rotationDerivative(g.axis, angles[g.occ], dG);
      matmul2(dG, prefixes[j], t1);
      matmul2(suf, t1, t2);
      visit(g.occ, t2);
    }
    gateMatrix(g, angles, t1);
    matmul2(suf, t1, t2);
    suf.set(t2);
  }
}

/** A block of `gates` on `target` under `ctrlMask`; precomputes the product when no gate has a parameter. */
export function makeBlock(target: number, ctrlMask: number, gates: BlockGate[]): BlockOp {
  const hasParams = gates.some((g) => g.axis !== undefined);
  let fixed: Mat2 | undefined;
  if (!hasParams) {
    fixed = I_MAT.slice();
    for (const g of gates) fixed = matmul2(g.matrix as Mat2, fixed);
  }
  return { type: "block", target, ctrlMask, gates, hasParams, fixed };
}

// ---------------------------------------------------------------------------------------------------------
// Table of builder gate kinds.

/** The builder methods of `Circuit` that {@link GateKind.appendTo} calls (structural, to avoid an import cycle). */
export interface GateSink {
  rot(axis: Axis, target: number, angle: Angle, controls: number[]): unknown;
  unitary(target: number, matrix: ArrayLike<number>, controls: number[], name: string): unknown;
  cnot(control: number, target: number): unknown;
  cz(a: number, b: number): unknown;
  swap(a: number, b: number): unknown;
  channel(channel: Channel, qubits: number | number[]): unknown;
}

/** What the compiler makes of a recorded gate: a single-qubit gate to fuse into a block, or a program step. */
export type Lowered = { gate: BlockGate; target: number; controls: readonly number[] } | { op: ProgramOp };

/** The table entry of one builder gate kind. */
export interface GateKind<G extends GateOp = GateOp> {
  /**
   * The qubits the gate acts on. The order matters: the compiler flushes pending single-qubit runs in this order
   * before a gate that is not fused. The light cone keeps a gate when one of them is in the cone.
   */
  qubits(g: G): number[];
  /** Appends the gate to `c` (via its builder methods, so it is validated again) with qubits mapped by `map`. */
  appendTo(c: GateSink, g: G, map: (q: number) => number): void;
  /** The gate for the compiler (see {@link Lowered}). */
  lower(g: G): Lowered;
}

const single: GateKind<Extract<GateOp, { kind: "fixed" | "rot" }>> = {
  qubits: (g) => [g.target, ...g.controls],
  appendTo: (c, g, map) => {
    if (g.kind === "rot") c.rot(g.axis, map(g.target), g.angle, g.controls.map(map));
    else c.unitary(map(g.target), g.matrix, g.controls.map(map), g.name);
  },
  lower: (g) => ({
    gate: g.kind === "fixed" ? { matrix: g.matrix } : { axis: g.axis, occ: g.occ },
    target: g.target,
    controls: g.controls,
  }),
};

/** The builder gate kinds (see the module doc). */
export const GATE_KINDS: { readonly [K in GateKindName]: GateKind<Extract<GateOp, { kind: K }>> } = {
  fixed: single,
  rot: single,
  cnot: {
    qubits: (g) => [g.control, g.target],
    appendTo: (c, g, map) => c.cnot(map(g.control), map(g.target)),
    lower: (g) => ({ op: { type: "cnot", control: g.control, target: g.target } }),
  },
  cz: {
    qubits: (g) => [g.a, g.b],
    appendTo: (c, g, map) => c.cz(map(g.a), map(g.b)),
    lower: (g) => ({ op: { type: "cz", a: g.a, b: g.b } }),
  },
  swap: {
    qubits: (g) => [g.a, g.b],
    appendTo: (c, g, map) => c.swap(map(g.a), map(g.b)),
    lower: (g) => ({ op: { type: "swap", a: g.a, b: g.b } }),
  },
  channel: {
    qubits: (g) => g.qubits.slice(),
    appendTo: (c, g, map) => c.channel(g.channel, g.qubits.map(map)),
    lower: (g) => ({ op: { type: "channel", channel: g.channel, qubits: g.qubits.slice() } }),
  },
};

/** The table entry of a recorded gate. @throws TypeError for an unknown kind. */
export function gateKind<G extends GateOp>(g: G): GateKind<G> {
  return GATE_KINDS[g.kind as GateKindName] as unknown as GateKind<G>;
}

// ---------------------------------------------------------------------------------------------------------
// Table of program op kinds.

/**
 * What a WASM entry of {@link OP_KINDS} gets from the per-gate engine (`backends/engine.ts`): the thread's kernels, the
 * register size, byte offsets of φ, λ (adjoint only), of a gather scratch state and of an 8-f64 accumulator (with
 * a view of it), and the offset of a permutation's table in WASM memory.
 */
export interface WasmOpContext {
  /** The thread's kernel instance. */
  k: WasmKernels;
  /** Number of qubits of the state. */
  n: number;
  /** φ (adjoint sweep; the forward gets its state as arguments). */
  pr: number;
  pi: number;
  /** λ (adjoint sweep). */
  lr: number;
  li: number;
  /** Scratch state for gathers. */
  sr: number;
  si: number;
  /** 8 f64 of accumulator at this offset, and a view of them. */
  acc: number;
  accView: Float64Array;
  /** Byte offset of the gather table of `perm` (inverse: of its inverse), copied in on first use. */
  table(perm: LinearPermutation, inverse: boolean): number;
}

/** Views of the op records and derivative records of a program in WASM memory (layout in `asm/kernels.ts`). */
export interface ProgramRecords {
  /** Op records as int32: record o starts at o·OP_BYTES/4. */
  opsI: Int32Array;
  /** Op records as f64: record o starts at o·OP_BYTES/8. */
  opsF: Float64Array;
  /** Derivative records as int32 / f64: record d starts at d·DER_BYTES/4 resp. d·DER_BYTES/8. */
  derI: Int32Array;
  derF: Float64Array;
}

/** The table entry of one program op kind. */
export interface OpKind<O extends ProgramOp = ProgramOp> {
  /** The qubits the op acts on (the compiler's hoisting tests commutation with them). */
  qubits(op: O): number[];
  /** For CNOT / SWAP: the op as an element of a linear permutation (runs of these are merged into one `perm`). */
  linearGate?(op: O): LinearGate;
  /** TS forward: applies the op to `re`/`im` in place. */
  apply(op: O, angles: Float64Array, re: Float64Array, im: Float64Array): void;
  /** TS inverse: applies the op's adjoint (inverse) to `re`/`im` in place. */
  applyInverse(op: O, angles: Float64Array, re: Float64Array, im: Float64Array): void;
  /**
   * TS adjoint step (see `grad/adjoint.ts`): uncomputes φ (pr, pi) and pulls λ (lr, li) back through the op, and
   * ADDS ∂L/∂angle of its gate occurrences into `dAngles`.
   */
  adjoint(
    op: O,
    angles: Float64Array,
    pr: Float64Array,
    pi: Float64Array,
    lr: Float64Array,
    li: Float64Array,
    dAngles: Float64Array,
  ): void;
  /** The WebAssembly side of the op. */
  wasm: {
    /** The opcodes of its op records (`opcodes.ts`; a block's code is chosen by its matrix, see `setAngles`). */
    opcodes: readonly number[];
    /** Copies whatever the op needs into WASM memory before any view is made (allocation may grow memory). */
    prepare?(ctx: WasmOpContext, op: O): void;
    /** Per-gate forward on the state at byte offsets re, im. */
    apply(ctx: WasmOpContext, op: O, angles: Float64Array, re: number, im: number): void;
    /** Per-gate adjoint step on ctx's φ and λ (same contract as {@link OpKind.adjoint}). */
    adjoint(ctx: WasmOpContext, op: O, angles: Float64Array, dAngles: Float64Array): void;
    /** Number of derivative records the op needs in the program buffer. */
    derivatives(op: O): number;
    /** Whether the checkpointed forward (`runOpsCkpt`) stores the op's input state in a slot of its own. */
    checkpoint(op: O): boolean;
    /** Bytes of extra tables the op puts into WASM memory (reserved before encoding). */
    tableBytes(op: O): number;
    /**
     * Writes the angle-independent fields of record `o` (`opsI` from o·OP_BYTES/4): opcode, qubits, tables
     * (allocated with `allocI32`, filled through `i32`), first derivative record `derStart`.
     */
    encode(op: O, opsI: Int32Array, o: number, derStart: number, k: WasmKernels): void;
    /** Writes the angle-dependent fields (block matrices, opcode by matrix kind, derivative records). */
    setAngles?(op: O, angles: Float64Array, rec: ProgramRecords, o: number, derStart: number): void;
  };
}

const mB = new Float64Array(8),
  mBd = new Float64Array(8),
  C = new Float64Array(8);

/** Opcode of a block by the kind of its matrix (the forward kernel, as `applyMat2` chooses it). */
export const BLOCK_OPCODE: Readonly<Record<MatKind, number>> = {
  [MatKind.Identity]: OP_SKIP,
  [MatKind.Diagonal]: OP_DIAG,
  [MatKind.AntiDiagonal]: OP_ANTI,
  [MatKind.Real]: OP_REAL,
  [MatKind.General]: OP_GENERAL,
};

function applyBlockWasm(k: WasmKernels, re: number, im: number, n: number, t: number, ctrl: number, m: Mat2): void {
  switch (classifyMat2(m)) {
    case MatKind.Identity:
      return;
    case MatKind.Diagonal:
      return k.applyDiagonal(re, im, n, t, ctrl, m[0], m[1], m[6], m[7]);
    case MatKind.AntiDiagonal:
      return k.applyAntiDiagonal(re, im, n, t, ctrl, m[2], m[3], m[4], m[5]);
    case MatKind.Real:
      return k.applyReal(re, im, n, t, ctrl, m[0], m[2], m[4], m[6]);
    default:
      return k.applyGeneral(re, im, n, t, ctrl, m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7]);
  }
}

function rotationCount(op: BlockOp): number {
  return op.hasParams ? op.gates.reduce((s, g) => s + (g.axis !== undefined ? 1 : 0), 0) : 0;
}

const block: OpKind<BlockOp> = {
  qubits: (op) => {
    const qs = [op.target];
    for (let q = 0; q < 31; q++) if ((op.ctrlMask >> q) & 1) qs.push(q);
    return qs;
  },
  apply: (op, angles, re, im) => applyMat2(re, im, op.target, blockMatrix(op, angles, mB), op.ctrlMask),
  applyInverse: (op, angles, re, im) =>
    applyMat2(re, im, op.target, dagger2(blockMatrix(op, angles, mB), mBd), op.ctrlMask),
  adjoint: (op, angles, pr, pi, lr, li, dAngles) => {
    blockMatrix(op, angles, mB);
    dagger2(mB, mBd);
    if (!op.hasParams) {
      pairStep(pr, pi, lr, li, op.target, op.ctrlMask, mBd, null);
      return;
    }
    pairStep(pr, pi, lr, li, op.target, op.ctrlMask, mBd, C);
    blockDerivativesInto(op, angles, C, dAngles);
  },
  wasm: {
    opcodes: [OP_SKIP, OP_DIAG, OP_ANTI, OP_REAL, OP_GENERAL],
    apply: (ctx, op, angles, re, im) =>
      applyBlockWasm(ctx.k, re, im, ctx.n, op.target, op.ctrlMask, blockMatrix(op, angles, mB)),
    adjoint: (ctx, op, angles, dAngles) => {
      blockMatrix(op, angles, mB);
      dagger2(mB, mBd);
      const m = mBd;
      ctx.k.pairStep(
        ctx.pr,
        ctx.pi,
        ctx.lr,
        ctx.li,
        ctx.n,
        op.target,
        op.ctrlMask,
        m[0],
        m[1],
        m[2],
        m[3],
        m[4],
        m[5],
        m[6],
        m[7],
        op.hasParams ? ctx.acc : 0,
      );
      if (op.hasParams) blockDerivativesInto(op, angles, ctx.accView, dAngles);
    },
    derivatives: rotationCount,
    checkpoint: (op) => op.hasParams,
    tableBytes: () => 0,
    encode: (op, opsI, o, derStart) => {
      const r = (o * OP_BYTES) / 4;
      opsI[r] = OP_GENERAL;
      opsI[r + 1] = op.target;
      opsI[r + 2] = op.ctrlMask;
      opsI[r + 4] = Math.max(0, derStart);
      opsI[r + 5] = rotationCount(op);
    },
    setAngles: (op, angles, rec, o, derStart) => {
      const r = (o * OP_BYTES) / 8;
      blockMatrix(op, angles, mB);
      rec.opsI[(o * OP_BYTES) / 4] = BLOCK_OPCODE[classifyMat2(mB)];
      rec.opsF.set(mB, r + 4);
      rec.opsF.set(dagger2(mB, mBd), r + 12);
      if (op.hasParams) {
        // derivative records: occ and D_j = G_m⋯G_j′⋯G_1 for each rotation j, from the last gate to the first
        let d = derStart;
        forEachBlockDerivative(op, angles, (occ, D) => {
          rec.derI[(d * DER_BYTES) / 4] = occ;
          rec.derF.set(D, (d * DER_BYTES) / 8 + 2);
          d++;
        });
      }
    },
  },
};

/** Encoding shared by the two-qubit gates: opcode, then the two qubits. */
function twoQubitRecord(opsI: Int32Array, o: number, code: number, q0: number, q1: number): void {
  const r = (o * OP_BYTES) / 4;
  opsI[r] = code;
  opsI[r + 1] = q0;
  opsI[r + 2] = q1;
}

const none = (): number => 0;
const no = (): boolean => false;

/**
 * The table entry of a self-inverse two-qubit gate (CNOT, CZ, SWAP): the same kernel forward, inverse and in both
 * states of the adjoint sweep; one WASM opcode with a two-qubit record.
 */
function selfInverse2Q<O extends Extract<ProgramOp, { type: "cnot" | "cz" | "swap" }>>(
  code: number,
  pair: (op: O) => [number, number],
  ts: (re: Float64Array, im: Float64Array, a: number, b: number) => void,
  wasmKernel: (k: WasmOpContext["k"]) => (re: number, im: number, n: number, a: number, b: number) => void,
  linearGate?: (op: O) => [0 | 1, number, number],
): OpKind<O> {
  return {
    qubits: (op) => pair(op),
    ...(linearGate ? { linearGate } : {}),
    apply: (op, _angles, re, im) => ts(re, im, ...pair(op)),
    applyInverse: (op, _angles, re, im) => ts(re, im, ...pair(op)),
    adjoint: (op, _angles, pr, pi, lr, li) => {
      ts(pr, pi, ...pair(op));
      ts(lr, li, ...pair(op));
    },
    wasm: {
      opcodes: [code],
      apply: (ctx, op, _angles, re, im) => wasmKernel(ctx.k).call(ctx.k, re, im, ctx.n, ...pair(op)),
      adjoint: (ctx, op) => {
        const f = wasmKernel(ctx.k);
        f.call(ctx.k, ctx.pr, ctx.pi, ctx.n, ...pair(op));
        f.call(ctx.k, ctx.lr, ctx.li, ctx.n, ...pair(op));
      },
      derivatives: none,
      checkpoint: no,
      tableBytes: none,
      encode: (op, opsI, o) => twoQubitRecord(opsI, o, code, ...pair(op)),
    },
  };
}

const cnot = selfInverse2Q<Extract<ProgramOp, { type: "cnot" }>>(
  OP_CNOT,
  (op) => [op.control, op.target],
  applyCNOT,
  (k) => k.applyCNOT,
  (op) => [0, op.control, op.target],
);
const cz = selfInverse2Q<Extract<ProgramOp, { type: "cz" }>>(
  OP_CZ,
  (op) => [op.a, op.b],
  applyCZ,
  (k) => k.applyCZ,
);
const swap = selfInverse2Q<Extract<ProgramOp, { type: "swap" }>>(
  OP_SWAP,
  (op) => [op.a, op.b],
  applySWAP,
  (k) => k.applySWAP,
  (op) => [1, op.a, op.b],
);

const perm: OpKind<Extract<ProgramOp, { type: "perm" }>> = {
  qubits: (op) => op.gates.flatMap((g) => [g[1], g[2]]),
  apply: (op, _angles, re, im) => applyGather(re, im, op.perm.gather, op.perm.nChunks),
  applyInverse: (op, _angles, re, im) => applyGather(re, im, op.perm.inverse, op.perm.nChunks),
  adjoint: (op, _angles, pr, pi, lr, li) => {
    applyGather(pr, pi, op.perm.inverse, op.perm.nChunks);
    applyGather(lr, li, op.perm.inverse, op.perm.nChunks);
  },
  wasm: {
    opcodes: [OP_PERM],
    prepare: (ctx, op) => {
      ctx.table(op.perm, false);
    },
    apply: (ctx, op, _angles, re, im) =>
      ctx.k.gather(re, im, ctx.sr, ctx.si, ctx.table(op.perm, false), op.perm.nChunks, ctx.n),
    adjoint: (ctx, op) => {
      const t = ctx.table(op.perm, true);
      ctx.k.gather(ctx.pr, ctx.pi, ctx.sr, ctx.si, t, op.perm.nChunks, ctx.n);
      ctx.k.gather(ctx.lr, ctx.li, ctx.sr, ctx.si, t, op.perm.nChunks, ctx.n);
    },
    derivatives: none,
    checkpoint: () => true,
    // forward and inverse table (Int32, nChunks·256 each), plus alignment
    tableBytes: (op) => 2 * op.perm.nChunks * 256 * 4 + 64,
    encode: (op, opsI, o, _derStart, k) => {
      const len = op.perm.nChunks * 256;
      const t = k.allocI32(2 * len);
      const view = k.i32(t, 2 * len);
      view.set(op.perm.gather, 0);
      view.set(op.perm.inverse, len);
      const r = (o * OP_BYTES) / 4;
      opsI[r] = OP_PERM;
      opsI[r + 1] = t;
      opsI[r + 2] = op.perm.nChunks;
      opsI[r + 3] = t + 4 * len;
    },
  },
};

/**
 * The error every statevector path raises on a noise channel: a CPTP map is not a unitary, so it runs only on the
 * density-matrix and trajectory executors (`noise/run.ts`), which handle channel ops themselves.
 */
export function channelOnStatevector(op: { channel: Channel; qubits: readonly number[] }): Error {
  return new Error(
    `noise channel ${channelLabel(op.channel)} on qubit${op.qubits.length > 1 ? "s" : ""} ${op.qubits.join(", ")} cannot act on a statevector: ` +
      "run noisy circuits with runDensity / trajectoryExpectationZ (sim/noise/run.ts) or a QNN with a noise option",
  );
}

/**
 * @throws Error ({@link channelOnStatevector}, prefixed by `where`) when the compiled program holds a noise
 * channel: the statevector routes call this on a program they did not build.
 */
export function checkStatevectorProgram(where: string, program: readonly ProgramOp[]): void {
  if (statevectorPrograms.has(program)) return; // compiled programs are immutable: each is scanned once
  for (const op of program) if (op.type === "channel") throw new Error(`${where}: ${channelOnStatevector(op).message}`);
  statevectorPrograms.add(program);
}

/** Programs already found free of noise channels (per thread; the per-sample paths call the check for every sample). */
const statevectorPrograms = new WeakSet<readonly ProgramOp[]>();

const channelThrows = (op: Extract<ProgramOp, { type: "channel" }>): never => {
  throw channelOnStatevector(op);
};

/** Noise channels: not runnable on statevectors (the noisy executors of `noise/run.ts` dispatch on `type` first). */
const channel: OpKind<Extract<ProgramOp, { type: "channel" }>> = {
  qubits: (op) => op.qubits.slice(),
  apply: channelThrows,
  applyInverse: channelThrows,
  adjoint: channelThrows,
  wasm: {
    opcodes: [],
    apply: (_ctx, op) => channelThrows(op),
    adjoint: (_ctx, op) => channelThrows(op),
    derivatives: none,
    checkpoint: no,
    tableBytes: none,
    encode: (op) => channelThrows(op),
  },
};

/** The program op kinds (see the module doc). */
export const OP_KINDS: { readonly [T in ProgramOpType]: OpKind<Extract<ProgramOp, { type: T }>> } = {
  block,
  cnot,
  cz,
  swap,
  perm,
  channel,
};

/**
 * The table entry of a program op (one property lookup; call its members once per op, never per amplitude).
 * @throws TypeError (when a member is called) for an op whose `type` is not in {@link OP_KINDS}.
 */
export function opKind<O extends ProgramOp>(op: O): OpKind<O> {
  return OP_KINDS[op.type as ProgramOpType] as unknown as OpKind<O>;
}
