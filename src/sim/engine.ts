/**
 * Simulator back ends. The compiled program (`circuit.ts`) runs either on the pure-TypeScript kernels
 * (`kernels.ts`) or on the WebAssembly SIMD kernels (`asm/kernels.ts`, built to `dist/wasm/kernels.wasm` by
 * `npm run build`). Both give the same numbers (the gate kernels bit for bit; reductions to rounding).
 *
 * The default, "auto", uses WebAssembly when the module is built and loads, else TypeScript; set
 * `QNN_KD_BACKEND=ts` (or call {@link setBackend}) to force the TypeScript path, `QNN_KD_WASM=0` disables the
 * module. State for the WASM path lives in the module's linear memory: the forward pass copies the state in and
 * out once; the adjoint sweep keeps φ, λ and a gather scratch there (three statevectors beside the input).
 */
import { Statevector } from "./statevector";
import type { ProgramOp } from "./circuit";
import { blockMatrix, gateMatrix, runProgram } from "./circuit";
import { Mat2, dagger2, rotationDerivative, I_MAT, matmul2 } from "./gates";
import { MatKind, classifyMat2, LinearPermutation } from "./kernels";
import { getWasmKernels, WasmKernels } from "./wasm";

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
  if (b === "wasm" && !getWasmKernels()) throw new Error("setBackend: the WebAssembly kernels are not available (run npm run build)");
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
  pr: number; pi: number; lr: number; li: number; sr: number; si: number;
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
    k, n: nn,
    pr: k.allocF64(dim), pi: k.allocF64(dim), lr: k.allocF64(dim), li: k.allocF64(dim),
    sr: k.allocF64(dim), si: k.allocF64(dim), small: k.allocF64(64),
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

const mB = new Float64Array(8), mBd = new Float64Array(8);

/** Copies every permutation table of `program` into WASM memory up front: allocation may grow the memory,
 * which detaches existing views, so it must happen before any view is made. */
function prepareTables(a: Arena, program: ProgramOp[]): void {
  for (const op of program) if (op.type === "perm") tableOffset(a, op.perm, false);
}

function applyBlockWasm(k: WasmKernels, re: number, im: number, n: number, t: number, ctrl: number, m: Mat2): void {
  switch (classifyMat2(m)) {
    case MatKind.Identity: return;
    case MatKind.Diagonal: return k.applyDiagonal(re, im, n, t, ctrl, m[0], m[1], m[6], m[7]);
    case MatKind.AntiDiagonal: return k.applyAntiDiagonal(re, im, n, t, ctrl, m[2], m[3], m[4], m[5]);
    case MatKind.Real: return k.applyReal(re, im, n, t, ctrl, m[0], m[2], m[4], m[6]);
    default: return k.applyGeneral(re, im, n, t, ctrl, m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7]);
  }
}

function forwardWasm(a: Arena, program: ProgramOp[], angles: Float64Array, n: number, re: number, im: number): void {
  const k = a.k;
  for (const op of program) {
    switch (op.type) {
      case "block": applyBlockWasm(k, re, im, n, op.target, op.ctrlMask, blockMatrix(op, angles, mB)); break;
      case "cnot": k.applyCNOT(re, im, n, op.control, op.target); break;
      case "cz": k.applyCZ(re, im, n, op.a, op.b); break;
      case "swap": k.applySWAP(re, im, n, op.a, op.b); break;
      case "perm": k.gather(re, im, a.sr, a.si, tableOffset(a, op.perm, false), op.perm.nChunks, n); break;
    }
  }
}

/** Runs a compiled program on `re`/`im` (length 2^n) in place with the WebAssembly kernels. */
export function runProgramWasm(program: ProgramOp[], angles: Float64Array, re: Float64Array, im: Float64Array): void {
  if (busy) {
    runProgram(program, angles, re, im);
    return;
  }
  const n = Math.log2(re.length);
  const a = getArena(n);
  prepareTables(a, program);
  const dim = re.length;
  a.k.f64(a.pr, dim).set(re);
  a.k.f64(a.pi, dim).set(im);
  forwardWasm(a, program, angles, n, a.pr, a.pi);
  re.set(a.k.f64(a.pr, dim));
  im.set(a.k.f64(a.pi, dim));
}

/**
 * Adjoint differentiation on the WebAssembly kernels (same contract as the TS path in `gradients.ts`):
 * forward from `input`, `cotangent(φ, λ)` on views of WASM memory, then the fused backward sweep.
 * ADDS ∂L/∂angle into `dAngles`; returns L. `lamIn`, when given, receives λ pulled back to the input (U†λ).
 */
export function adjointWasm(
  program: ProgramOp[], angles: Float64Array, input: Statevector,
  cotangent: (phi: Statevector, lam: Statevector) => number, dAngles: Float64Array, lamIn?: Statevector,
): number {
  const n = input.nQubits, dim = input.dim;
  const a = getArena(n);
  prepareTables(a, program);
  const k = a.k;
  const phi = new Statevector(n, k.f64(a.pr, dim), k.f64(a.pi, dim));
  const lam = new Statevector(n, k.f64(a.lr, dim), k.f64(a.li, dim));
  phi.re.set(input.re);
  phi.im.set(input.im);
  forwardWasm(a, program, angles, n, a.pr, a.pi);
  lam.re.fill(0);
  lam.im.fill(0);
  busy = true;
  let value: number;
  try {
    value = cotangent(phi, lam);
  } finally {
    busy = false;
  }
  const acc = k.f64(a.small, 8);
  for (let o = program.length - 1; o >= 0; o--) {
    const op = program[o];
    switch (op.type) {
      case "cnot":
        k.applyCNOT(a.pr, a.pi, n, op.control, op.target);
        k.applyCNOT(a.lr, a.li, n, op.control, op.target);
        break;
      case "cz":
        k.applyCZ(a.pr, a.pi, n, op.a, op.b);
        k.applyCZ(a.lr, a.li, n, op.a, op.b);
        break;
      case "swap":
        k.applySWAP(a.pr, a.pi, n, op.a, op.b);
        k.applySWAP(a.lr, a.li, n, op.a, op.b);
        break;
      case "perm": {
        const t = tableOffset(a, op.perm, true);
        k.gather(a.pr, a.pi, a.sr, a.si, t, op.perm.nChunks, n);
        k.gather(a.lr, a.li, a.sr, a.si, t, op.perm.nChunks, n);
        break;
      }
      case "block": {
        blockMatrix(op, angles, mB);
        dagger2(mB, mBd);
        const m = mBd;
        k.pairStep(a.pr, a.pi, a.lr, a.li, n, op.target, op.ctrlMask, m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], op.hasParams ? a.small : 0);
        if (op.hasParams) blockDerivativesInto(op, angles, acc, dAngles);
        break;
      }
    }
  }
  if (lamIn) { lamIn.re.set(k.f64(a.lr, dim)); lamIn.im.set(k.f64(a.li, dim)); }
  return value;
}

// ---- 2×2 algebra of the block derivatives (shared with the TypeScript sweep in gradients.ts) ----
const pre = new Float64Array(8), suf = new Float64Array(8), t1 = new Float64Array(8), t2 = new Float64Array(8), dG = new Float64Array(8);

function reTrace(a: Mat2, c: Float64Array): number {
  let s = 0;
  for (let k = 0; k < 8; k += 2) s += a[k] * c[k] - a[k + 1] * c[k + 1];
  return 2 * s;
}

/** For each rotation G_j of a block: dAngles[occ] += 2·Re Σ_ab (G_m⋯G_j′⋯G_1)_ab C_ab. */
export function blockDerivativesInto(op: Extract<ProgramOp, { type: "block" }>, angles: Float64Array, c: Float64Array, dAngles: Float64Array): void {
  forEachBlockDerivative(op, angles, (occ, d) => {
    dAngles[occ] += reTrace(d, c);
  });
}

/**
 * Calls `visit(occ, D_j)` for each rotation G_j of a block, from the last gate to the first, with the derivative
 * matrix D_j = G_m⋯G_j′⋯G_1 (G_j′ = dG_j/dθ). `D_j` is scratch, valid only during the call. Shared by the
 * per-gate adjoint ({@link blockDerivativesInto}) and the whole-program runner, so both use the same operations.
 */
export function forEachBlockDerivative(op: Extract<ProgramOp, { type: "block" }>, angles: Float64Array, visit: (occ: number, d: Mat2) => void): void {
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
