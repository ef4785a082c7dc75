/**
 * Simulator back ends. A compiled program (`ops.ts`, compiled by `circuit.ts`) runs either on the pure-TypeScript
 * kernels (`kernels.ts`, {@link runProgram}) or on the WebAssembly SIMD kernels (`asm/kernels.ts`, built to
 * `dist/wasm/kernels.wasm` by `npm run build`; {@link runProgramWasm}, {@link adjointWasm}). Both give the same
 * numbers (the gate kernels bit for bit; reductions to rounding). Every path dispatches per op through the
 * op-kind table of `ops.ts`. This module depends on `ops.ts`, never on `circuit.ts` (which depends on it).
 *
 * The default, "auto", uses WebAssembly when the module is built and loads, else TypeScript; set
 * `QNN_KD_BACKEND=ts` (or call {@link setBackend}) to force the TypeScript path, `QNN_KD_WASM=0` disables the
 * module. State for the WASM path lives in the module's linear memory: the forward pass copies the state in and
 * out once; the adjoint sweep keeps φ, λ and a gather scratch there (three statevectors beside the input).
 */
import { Statevector } from "../state/statevector";
import { ProgramOp, WasmOpContext, opKind } from "../program/ops";
import { LinearPermutation } from "./kernels";
import { getWasmKernels, WasmKernels } from "./wasm";

export { blockDerivativesInto, forEachBlockDerivative } from "../program/ops";

/** A simulator back end. */
export type Backend = "ts" | "wasm";

let requested: "auto" | Backend = parseEnv(process.env.QNN_KD_BACKEND);

function parseEnv(v: string | undefined): "auto" | Backend {
  if (v === undefined || v === "" || v === "auto") return "auto";
  if (v === "ts" || v === "wasm") return v;
  throw new Error(`QNN_KD_BACKEND must be "auto", "ts" or "wasm", got ${JSON.stringify(v)}`);
}

/**
 * Chooses the back end for this thread: "auto" (WebAssembly when available), "ts" or "wasm".
 * @throws Error for another value, or "wasm" when the module is not built / does not load.
 */
export function setBackend(backend: "auto" | Backend): void {
  const b = parseEnv(backend);
  if (b === "wasm" && !getWasmKernels())
    throw new Error("setBackend: the WebAssembly kernels are not available (run npm run build)");
  requested = b;
}

/** The back end in use on this thread. */
export function activeBackend(): Backend {
  if (requested === "ts") return "ts";
  return getWasmKernels() ? "wasm" : "ts";
}

/** Per-thread WASM buffers: three statevectors, small scratch, and the permutation tables of programs. */
interface Arena {
  k: WasmKernels;
  n: number;
  pr: number;
  pi: number;
  lr: number;
  li: number;
  sr: number;
  si: number;
  small: number; // 64 f64 of scratch: accumulator at +0, readout/weights after
  tables: WeakMap<LinearPermutation, number>;
}

let arena: Arena | null = null;
/** True while an adjoint sweep holds the arena (a cotangent that runs circuits then uses the TS path). */
let busy = false;

function getArena(n: number): Arena {
  const k = getWasmKernels()!;
  if (arena && arena.k === k && arena.n >= n) return arena;
  k.reset();
  const nn = Math.max(n, arena?.n ?? 0);
  const dim = 2 ** nn;
  // one allocation of everything, so growing memory happens before any view is made
  k.reserve(k.base + 6 * 8 * dim + 64 * 8 + 6 * 64);
  const a: Arena = {
    k,
    n: nn,
    pr: k.allocF64(dim),
    pi: k.allocF64(dim),
    lr: k.allocF64(dim),
    li: k.allocF64(dim),
    sr: k.allocF64(dim),
    si: k.allocF64(dim),
    small: k.allocF64(64),
    tables: new WeakMap(),
  };
  arena = a;
  return a;
}

function tableOffset(a: Arena, perm: LinearPermutation, inverse: boolean): number {
  // both tables of a permutation stored together: gather at +0, inverse at +nChunks·256·4
  let off = a.tables.get(perm);
  if (off === undefined) {
    const len = perm.nChunks * 256;
    off = a.k.allocI32(2 * len);
    const view = a.k.i32(off, 2 * len);
    view.set(perm.gather, 0);
    view.set(perm.inverse, len);
    a.tables.set(perm, off);
  }
  return inverse ? off + perm.nChunks * 256 * 4 : off;
}

/**
 * The per-call context of the table's WASM entries, after every op's `prepare` ran (copying permutation tables
 * into WASM memory may grow it, which detaches existing views, so it must happen before any view is made).
 */
function wasmContext(a: Arena, program: ProgramOp[], n: number): WasmOpContext {
  const ctx: WasmOpContext = {
    k: a.k,
    n,
    pr: a.pr,
    pi: a.pi,
    lr: a.lr,
    li: a.li,
    sr: a.sr,
    si: a.si,
    acc: a.small,
    accView: a.k.f64(a.small, 8),
    table: (perm, inverse) => tableOffset(a, perm, inverse),
  };
  for (const op of program) {
    const prepare = opKind(op).wasm.prepare;
    if (prepare) prepare(ctx, op);
  }
  ctx.accView = a.k.f64(a.small, 8);
  return ctx;
}

/**
 * The per-gate WASM context on this thread's arena for a register of `n` qubits, after the prepares of `program`'s
 * ops, for executors that interleave the table's WASM steps (`OP_KINDS[t].wasm.apply` / `.adjoint` on the arena's
 * φ = (ctx.pr, ctx.pi) and λ = (ctx.lr, ctx.li)) with steps of their own on Float64Array views of the same memory
 * (`view(offset)`, 2^n f64; valid until the next allocation) — the density-matrix executor of `noise/run.ts`. Null when
 * the WASM back end is off or the arena is held (inside an adjoint sweep's cotangent, see {@link holdArena}).
 */
export function wasmStepContext(
  n: number,
  program: ProgramOp[],
): { ctx: WasmOpContext; view(offset: number): Float64Array } | null {
  if (busy || activeBackend() !== "wasm") return null;
  const a = getArena(n);
  const ctx = wasmContext(a, program, n);
  const dim = 2 ** n;
  return { ctx, view: (offset) => a.k.f64(offset, dim) };
}

/**
 * Runs `fn` with the arena held: WASM calls inside it (a loss that runs a circuit) take the TypeScript path instead
 * of overwriting the states of the sweep that called `fn`.
 */
export function holdArena<T>(fn: () => T): T {
  const was = busy;
  busy = true;
  try {
    return fn();
  } finally {
    busy = was;
  }
}

/**
 * Runs a compiled program (`circuit.program()`, plain data) at the given gate-occurrence angles on `state` in place,
 * with the active back end, and returns the state: the forward pass that `Circuit.run` and the worker threads share.
 * The program must hold no noise channel (see `program/ops.ts` `checkStatevectorProgram`).
 */
export function applyProgram(program: readonly ProgramOp[], angles: Float64Array, state: Statevector): Statevector {
  if (activeBackend() === "wasm") runProgramWasm(program as ProgramOp[], angles, state.re, state.im);
  else runProgram(program as ProgramOp[], angles, state.re, state.im);
  return state;
}

/** Runs a compiled program on amplitude arrays (length 2^n) in place with the TypeScript kernels. */
export function runProgram(program: ProgramOp[], angles: Float64Array, re: Float64Array, im: Float64Array): void {
  for (const op of program) opKind(op).apply(op, angles, re, im);
}

/** Runs the inverse U† of a compiled program on amplitude arrays in place with the TypeScript kernels. */
export function runProgramInverse(
  program: ProgramOp[],
  angles: Float64Array,
  re: Float64Array,
  im: Float64Array,
): void {
  for (let o = program.length - 1; o >= 0; o--) {
    const op = program[o];
    opKind(op).applyInverse(op, angles, re, im);
  }
}

function forwardWasm(ctx: WasmOpContext, program: ProgramOp[], angles: Float64Array, re: number, im: number): void {
  for (const op of program) opKind(op).wasm.apply(ctx, op, angles, re, im);
}

/** Runs a compiled program on `re`/`im` (length 2^n) in place with the WebAssembly kernels. */
export function runProgramWasm(program: ProgramOp[], angles: Float64Array, re: Float64Array, im: Float64Array): void {
  if (busy) {
    runProgram(program, angles, re, im);
    return;
  }
  const n = Math.log2(re.length);
  const a = getArena(n);
  const ctx = wasmContext(a, program, n);
  const dim = re.length;
  a.k.f64(a.pr, dim).set(re);
  a.k.f64(a.pi, dim).set(im);
  forwardWasm(ctx, program, angles, a.pr, a.pi);
  re.set(a.k.f64(a.pr, dim));
  im.set(a.k.f64(a.pi, dim));
}

/**
 * Adjoint differentiation on the WebAssembly kernels (same contract as the TS path in `grad/adjoint.ts`):
 * forward from `input`, `cotangent(φ, λ)` on views of WASM memory, then the fused backward sweep.
 * ADDS ∂L/∂angle into `dAngles`; returns L. `lamIn`, when given, receives λ pulled back to the input (U†λ).
 */
export function adjointWasm(
  program: ProgramOp[],
  angles: Float64Array,
  input: Statevector,
  cotangent: (phi: Statevector, lam: Statevector) => number,
  dAngles: Float64Array,
  lamIn?: Statevector,
): number {
  const n = input.nQubits,
    dim = input.dim;
  const a = getArena(n);
  const ctx = wasmContext(a, program, n);
  const k = a.k;
  const phi = new Statevector(n, k.f64(a.pr, dim), k.f64(a.pi, dim));
  const lam = new Statevector(n, k.f64(a.lr, dim), k.f64(a.li, dim));
  phi.re.set(input.re);
  phi.im.set(input.im);
  forwardWasm(ctx, program, angles, a.pr, a.pi);
  lam.re.fill(0);
  lam.im.fill(0);
  busy = true;
  let value: number;
  try {
    value = cotangent(phi, lam);
  } finally {
    busy = false;
  }
  for (let o = program.length - 1; o >= 0; o--) {
    const op = program[o];
    opKind(op).wasm.adjoint(ctx, op, angles, dAngles);
  }
  if (lamIn) {
    lamIn.re.set(k.f64(a.lr, dim));
    lamIn.im.set(k.f64(a.li, dim));
  }
  return value;
}
