/**
 * Loader of the WebAssembly SIMD kernels (`asm/kernels.ts`, compiled by `scripts/build-wasm.js` to
 * `dist/wasm/kernels.wasm`). The pure-TS kernels of `kernels.ts` stay the reference and the fallback: every
 * function here returns `null` when the binary is missing or cannot be instantiated.
 *
 * **Instantiation** is synchronous (`new WebAssembly.Module` / `new WebAssembly.Instance`), so it works on the
 * Node main thread and inside `worker_threads` workers alike. Each thread gets its own instance (and its own
 * linear memory) from {@link getWasmKernels}; {@link createWasmKernels} makes additional independent ones.
 *
 * **Memory layout.** All kernels take BYTE offsets into the instance's linear memory:
 * - a state of n qubits is two f64 arrays `re`, `im` of 2^n entries (qubit q = bit q of the index);
 * - every array offset must be 16-byte aligned (the kernels use 128-bit loads/stores); {@link WasmKernels.alloc}
 *   returns 64-byte aligned offsets;
 * - offsets below {@link WasmKernels.base} (≥ 64; the module's static scratch lives there) are never handed out,
 *   so offset 0 is free to mean "none" (e.g. `accOff = 0` in `pairStep`);
 * - Int32 tables (qubit lists, gather tables) and f64 outputs use the same byte offsets.
 *
 * **Growth.** {@link WasmKernels.alloc} grows the memory when needed. Growing DETACHES the previous
 * `memory.buffer`: Float64Array views taken before an `alloc` must be re-created (via {@link WasmKernels.f64})
 * afterwards. Offsets stay valid.
 *
 * **Locating the binary**: `QNN_KD_WASM=<path>` overrides; `QNN_KD_WASM=0` (or `off`, `false`) disables the
 * WASM kernels. Otherwise the loader looks for `<project root>/dist/wasm/kernels.wasm` (`util/paths.ts`
 * {@link projectRoot}: the folder of the qnn-kd package.json, whether this module runs from `dist/` or, e.g. under
 * vitest, from `src/`).
 */
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../util/paths";

/** Byte size of a WebAssembly memory page. */
export const WASM_PAGE_BYTES = 65536;
/** Largest linear memory of a wasm32 module (65536 pages = 4 GiB). */
export const WASM_MAX_BYTES = 65536 * WASM_PAGE_BYTES;

/** The raw kernel exports of `kernels.wasm` (all offsets in bytes, see the module doc). */
export interface WasmKernelExports {
  /** First byte past the module's static data (scratch tables); JS arrays must lie at or above it. */
  heapBase(): number;
  /** General complex 2×2 [[a, b], [c, d]] on qubit t, on pairs whose ctrlMask bits are all 1. */
  applyGeneral(
    reOff: number,
    imOff: number,
    n: number,
    t: number,
    ctrlMask: number,
    ar: number,
    ai: number,
    br: number,
    bi: number,
    cr: number,
    ci: number,
    dr: number,
    di: number,
  ): void;
  /** Real 2×2 [[a, b], [c, d]] on qubit t. */
  applyReal(
    reOff: number,
    imOff: number,
    n: number,
    t: number,
    ctrlMask: number,
    a: number,
    b: number,
    c: number,
    d: number,
  ): void;
  /** diag(d0, d1) on qubit t (elementwise, like the TS kernel; d0 = 1 is skipped). */
  applyDiagonal(
    reOff: number,
    imOff: number,
    n: number,
    t: number,
    ctrlMask: number,
    d0r: number,
    d0i: number,
    d1r: number,
    d1i: number,
  ): void;
  /** [[0, b], [c, 0]] on qubit t (b = c = 1: a plain swap). */
  applyAntiDiagonal(
    reOff: number,
    imOff: number,
    n: number,
    t: number,
    ctrlMask: number,
    br: number,
    bi: number,
    cr: number,
    ci: number,
  ): void;
  /**
   * Fused adjoint step (as `pairStep` in kernels.ts): φ ← Mφ, λ ← Mλ on the pairs of qubit t, and, when
   * accOff ≠ 0, writes 8 f64 acc_ab = Σ conj(λ_old[a])·φ_new[b] (Mat2 layout) at accOff.
   */
  pairStep(
    prOff: number,
    piOff: number,
    lrOff: number,
    liOff: number,
    n: number,
    t: number,
    ctrlMask: number,
    ar: number,
    ai: number,
    br: number,
    bi: number,
    cr: number,
    ci: number,
    dr: number,
    di: number,
    accOff: number,
  ): void;
  /**
   * out[j] = in[table(j)], table(j) = T[j & 255] ^ T[256 + ((j >> 8) & 255)] ^ … (Int32 table of nChunks·256
   * entries at tableOff), written back into re/im through the scratch arrays (2^n f64 each).
   */
  gather(
    reOff: number,
    imOff: number,
    scratchReOff: number,
    scratchImOff: number,
    tableOff: number,
    nChunks: number,
    n: number,
  ): void;
  /** CNOT, control c, target t. */
  applyCNOT(reOff: number, imOff: number, n: number, c: number, t: number): void;
  /** CZ on qubits a, b. */
  applyCZ(reOff: number, imOff: number, n: number, a: number, b: number): void;
  /** SWAP of qubits a, b. */
  applySWAP(reOff: number, imOff: number, n: number, a: number, b: number): void;
  /** ⟨Z_q⟩ for the K qubits (Int32 list at qubitsOff); writes K f64 at outOff. */
  expectationZ(reOff: number, imOff: number, n: number, qubitsOff: number, K: number, outOff: number): void;
  /**
   * λ_i = w(i)·φ_i, w(i) = Σ_k (bit q_k of i ? −w_k : w_k) (qubits: K Int32 at qubitsOff, weights: K f64 at
   * weightsOff); returns Σ_i w(i)|φ_i|². n ≤ 32.
   */
  weightedZCotangent(
    prOff: number,
    piOff: number,
    lrOff: number,
    liOff: number,
    n: number,
    qubitsOff: number,
    K: number,
    weightsOff: number,
  ): number;
  /**
   * Runs a whole compiled program forward on re/im (op records at opsOff, layout in asm/kernels.ts and
   * `src/sim/backends/wasmProgram.ts`); scratch: 2^n f64 each, for permutation ops.
   */
  runOps(
    opsOff: number,
    nOps: number,
    reOff: number,
    imOff: number,
    n: number,
    scratchReOff: number,
    scratchImOff: number,
  ): void;
  /**
   * The whole backward sweep of adjoint differentiation over the op records: uncomputes φ, pulls λ back and
   * writes ∂L/∂angle (nOcc f64, zeroed first) at dAnglesOff; accOff: 8 f64 of scratch; derOff: derivative records.
   */
  adjointOps(
    opsOff: number,
    nOps: number,
    prOff: number,
    piOff: number,
    lrOff: number,
    liOff: number,
    n: number,
    scratchReOff: number,
    scratchImOff: number,
    accOff: number,
    derOff: number,
    dAnglesOff: number,
    nOcc: number,
  ): void;
  /** ⟨Z_q⟩ with the summation order of the TS `expectationZ` (bit-identical); probOff: 2^n f64 of scratch. */
  expectationZSeq(
    reOff: number,
    imOff: number,
    n: number,
    qubitsOff: number,
    K: number,
    outOff: number,
    probOff: number,
  ): void;
  /** `weightedZCotangent` with the operation order of the TS cotangent (bit-identical). */
  weightedZCotangentSeq(
    prOff: number,
    piOff: number,
    lrOff: number,
    liOff: number,
    n: number,
    qubitsOff: number,
    K: number,
    weightsOff: number,
  ): number;
  /**
   * Forward pass that keeps the input state of every parametric block and permutation in consecutive slots
   * (input in slot 0 at slotsOff); returns the byte offset of the output state's slot (re, then im).
   */
  runOpsCkpt(opsOff: number, nOps: number, slotsOff: number, n: number): number;
  /** Backward sweep after `runOpsCkpt`: pulls λ back only, reading each block's input state from its slot. */
  adjointOpsCkpt(
    opsOff: number,
    nOps: number,
    lrOff: number,
    liOff: number,
    n: number,
    scratchReOff: number,
    scratchImOff: number,
    accOff: number,
    derOff: number,
    dAnglesOff: number,
    nOcc: number,
  ): void;
}

/** The linear memory of an instance (the subset of `WebAssembly.Memory` used here). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}

/** An instance of the kernels with a bump allocator over its linear memory. */
export interface WasmKernels extends WasmKernelExports {
  /** The instance's linear memory. */
  readonly memory: WasmMemory;
  /** First offset the allocator hands out (≥ 64, 64-byte aligned); everything below is reserved. */
  readonly base: number;
  /** Current end of the allocated region (bytes). */
  readonly top: number;
  /**
   * Allocates `bytes` bytes and returns their byte offset (64-byte aligned), growing the memory if needed.
   * Growing detaches earlier views of `memory.buffer`: re-create them with {@link f64} / {@link i32}.
   * @throws Error if the memory cannot grow that far (4 GiB wasm32 limit or out of memory).
   */
  alloc(bytes: number): number;
  /** `alloc(8 * length)`: room for `length` f64. */
  allocF64(length: number): number;
  /** `alloc(4 * length)`: room for `length` int32. */
  allocI32(length: number): number;
  /** Grows the memory so that at least `bytes` bytes exist (no allocation). */
  reserve(bytes: number): void;
  /** The current allocation top, to pass to {@link release} later. */
  mark(): number;
  /** Frees everything allocated after `mark` (memory is not shrunk). */
  release(mark: number): void;
  /** Frees all allocations (top back to {@link base}). */
  reset(): void;
  /** A Float64Array view of `length` f64 at byte offset `offset` (fresh view of the current buffer). */
  f64(offset: number, length: number): Float64Array;
  /** An Int32Array view of `length` int32 at byte offset `offset`. */
  i32(offset: number, length: number): Int32Array;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports?: object) => { exports: Record<string, unknown> };
}

const KERNEL_NAMES = [
  "heapBase",
  "applyGeneral",
  "applyReal",
  "applyDiagonal",
  "applyAntiDiagonal",
  "pairStep",
  "gather",
  "applyCNOT",
  "applyCZ",
  "applySWAP",
  "expectationZ",
  "weightedZCotangent",
  "runOps",
  "adjointOps",
  "expectationZSeq",
  "weightedZCotangentSeq",
  "runOpsCkpt",
  "adjointOpsCkpt",
] as const satisfies ReadonlyArray<keyof WasmKernelExports>;

let compiled: { module: object; path: string } | null | undefined;
let shared: WasmKernels | null | undefined;
let lastError: string | null = null;

function wasmApi(): WasmApi | null {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly ?? null;
}

function disabledByEnv(): boolean {
  const v = process.env.QNN_KD_WASM;
  return v !== undefined && ["0", "off", "false", "no"].includes(v.trim().toLowerCase());
}

/**
 * Path of `kernels.wasm`, or null if none is found (or `QNN_KD_WASM=0`). See the module doc for the search
 * order.
 */
export function wasmKernelsPath(): string | null {
  if (disabledByEnv()) return null;
  const env = process.env.QNN_KD_WASM;
  if (env !== undefined && env.trim() !== "") return fs.existsSync(env) ? path.resolve(env) : null;
  let root: string;
  try {
    root = projectRoot();
  } catch {
    return null; // not inside a qnn-kd installation (e.g. bundled): the TypeScript kernels run
  }
  const c = path.join(root, "dist", "wasm", "kernels.wasm");
  return fs.existsSync(c) ? c : null;
}

/** Why the last load attempt returned null (missing file, disabled, instantiation error), or null. */
export function wasmLoadError(): string | null {
  return lastError;
}

function compiledModule(): { module: object; path: string } | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  if (disabledByEnv()) {
    lastError = "disabled by QNN_KD_WASM";
    return null;
  }
  const api = wasmApi();
  if (!api) {
    lastError = "WebAssembly is not available in this runtime";
    return null;
  }
  const file = wasmKernelsPath();
  if (!file) {
    const env = process.env.QNN_KD_WASM;
    lastError =
      env !== undefined && env.trim() !== "" ? `QNN_KD_WASM=${env}: no such file` : "dist/wasm/kernels.wasm not found";
    return null;
  }
  try {
    compiled = { module: new api.Module(fs.readFileSync(file)), path: file };
  } catch (e) {
    lastError = `cannot compile ${file}: ${(e as Error).message}`;
  }
  return compiled;
}

/**
 * A NEW instance of the kernels with its own linear memory, or null if the binary is missing or fails to
 * instantiate (see {@link wasmLoadError}). `initialBytes` pre-grows the memory.
 */
export function createWasmKernels(options: { initialBytes?: number } = {}): WasmKernels | null {
  const mod = compiledModule();
  const api = wasmApi();
  if (!mod || !api) return null;
  let ex: Record<string, unknown>;
  try {
    ex = new api.Instance(mod.module, {}).exports;
  } catch (e) {
    lastError = `cannot instantiate ${mod.path}: ${(e as Error).message}`;
    return null;
  }
  const memory = ex.memory as WasmMemory | undefined;
  const missing = KERNEL_NAMES.filter((k) => typeof ex[k] !== "function");
  if (!memory || typeof memory.grow !== "function" || missing.length > 0) {
    lastError = `${mod.path} lacks exports: ${[...(memory ? [] : ["memory"]), ...missing].join(", ")} (rebuild it)`;
    return null;
  }
  const k = makeKernels(ex, memory);
  if (options.initialBytes) k.reserve(options.initialBytes);
  return k;
}

/** The kernels for this thread (one shared instance per thread, created on first use), or null. */
export function getWasmKernels(): WasmKernels | null {
  if (shared === undefined) shared = createWasmKernels();
  return shared;
}

const ALIGN = 64;

function alignUp(x: number, a: number): number {
  return Math.ceil(x / a) * a;
}

// (the instance's exports are called `ex`, not `exports`: that name would shadow CommonJS `exports` in dist/)
function makeKernels(ex: Record<string, unknown>, memory: WasmMemory): WasmKernels {
  const raw = {} as Record<string, unknown>;
  for (const name of KERNEL_NAMES) raw[name] = ex[name];
  const heapBase = (ex.heapBase as () => number)() >>> 0;
  const base = Math.max(ALIGN, alignUp(heapBase, ALIGN));
  let top = base;
  const reserve = (bytes: number): void => {
    if (!(bytes <= WASM_MAX_BYTES)) {
      throw new Error(`qnn-kd wasm: ${bytes} bytes requested, above the 4 GiB wasm32 limit`);
    }
    const have = memory.buffer.byteLength;
    if (bytes <= have) return;
    const pages = Math.ceil((bytes - have) / WASM_PAGE_BYTES);
    try {
      memory.grow(pages);
    } catch (e) {
      throw new Error(`qnn-kd wasm: cannot grow memory to ${bytes} bytes: ${(e as Error).message}`);
    }
  };
  const alloc = (bytes: number): number => {
    if (!Number.isFinite(bytes) || bytes < 0) throw new Error(`qnn-kd wasm: bad allocation size ${bytes}`);
    const off = alignUp(top, ALIGN);
    reserve(off + bytes);
    top = off + bytes;
    return off;
  };
  const k: WasmKernels = {
    ...(raw as unknown as WasmKernelExports),
    memory,
    base,
    get top() {
      return top;
    },
    alloc,
    allocF64: (length: number) => alloc(8 * length),
    allocI32: (length: number) => alloc(4 * length),
    reserve,
    mark: () => top,
    release: (m: number) => {
      if (m < base || m > top) throw new Error(`qnn-kd wasm: release(${m}) outside [${base}, ${top}]`);
      top = m;
    },
    reset: () => {
      top = base;
    },
    f64: (offset: number, length: number) => new Float64Array(memory.buffer, offset, length),
    i32: (offset: number, length: number) => new Int32Array(memory.buffer, offset, length),
  };
  return k;
}
