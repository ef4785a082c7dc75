/**
 * The pool strategy of a {@link Executor}, caller side: the samples of a batch are spread over the workers of the
 * generic synchronous `worker_threads` pool (`parallel/pool.ts`), with angles, input states, logits, loss weights
 * and gradients in `SharedArrayBuffer`s (never JSON). The worker side is `poolWorker.ts` (the pool's handlers
 * module); the buffer layout, the protocol words and the per-sample work, which either side may run, are in
 * `poolSamples.ts`.
 *
 * **One pipelined pass per batch.** Each worker claims samples one at a time from a shared counter (a core
 * slowed by other processes takes fewer) and runs the simulator's `adjointVjp` on it (`sim/grad/adjoint.ts`, the
 * core of `adjointGradient`), so it takes the same back end (TypeScript or WebAssembly) and kernels as the serial
 * path. Inside that call's
 * cotangent the worker writes the sample's logits z_k = s·⟨Z_{q_k}⟩ (s = logit scale) to shared memory, flags
 * them, and waits; the calling thread, which owns the per-sample loss (a JS closure, e.g. a KD loss holding
 * teacher logits), handles the samples in order: it waits for sample b's logits, calls `sampleLoss(z_b, b)`,
 * writes the observable weights w_b = s·(∂loss_b/∂z)/B and flags them; the worker builds
 * λ_b = Σ_k w_{b,k} Z_{q_k} φ_b (`weightedZCotangent`), finishes the adjoint sweep and writes ∂L/∂angle of
 * sample b into row b of a shared `[batch][nOccurrences]` buffer. No output state is stored and nothing is
 * recomputed; a worker waits only for the round trip of its own sample (tens of microseconds).
 *
 * **Whole-program runner.** On the WebAssembly back end each thread runs the samples with a
 * `sim/backends/wasmProgram.ts` {@link ProgramRunner} instead of the per-gate `adjointGradient` / `Circuit.run`: the block
 * matrices and their derivatives are computed once per call (the angles are shared by the batch), and each sample
 * takes one WASM call for its forward pass and one for its backward sweep, with forward checkpoints instead of
 * uncomputing φ when they fit. The logits are bit-identical to the per-gate path, the gradients agree to rounding
 * (~1e-15 relative; bit-identical without checkpoints). With one thread the engine runs on the calling thread and
 * reads the inputs where they are (no copy), which `QNNClassifier` uses for large batches on one thread as well
 * (see {@link usePool}).
 *
 * **Determinism.** Per-sample results land in per-sample slots whatever worker computed them, and the caller
 * sums them in sample order (see {@link poolBackward}): the loss and gradient are bitwise identical
 * for any thread count (every thread takes the same route for a given back end), and on the TypeScript back end
 * bitwise identical to the serial `QNNClassifier.lossAndGradient`, which runs the same `adjointGradient` per
 * sample and maps each sample's dAngles to params with `accumulateParamGradient` in sample order. (The workers run
 * the compiled `dist/`: it must match the sources, `npm run build`.)
 *
 * **Programs, not circuits.** A worker has the compiled program (plain data, structured-cloned), not the `Circuit`.
 * It runs the simulator's program-level core, `applyProgram` and `adjointVjp` (the same functions that
 * `Circuit.run` and `adjointGradient` call), on the gate-occurrence angles.
 *
 * **Nesting.** A call made while the pool is inside another engine's call (e.g. a teacher's logits computed from
 * a `sampleLoss`) runs on the calling thread instead, with the same numbers; the same engine is not re-entrant.
 *
 * **Memory.** The shared input buffer holds one chunk of samples (2·2^n doubles each); batches larger than
 * {@link BatchEngine.maxChunk} (set by `memoryBudgetBytes`, default 256 MiB) are processed chunk by chunk by
 * {@link poolBackward} and {@link poolForward}. Each worker holds the adjoint workspace of one sample, or on WASM a
 * {@link ProgramRunner} (at most 16 MiB of forward checkpoints: 0.7 MiB for 10 qubits × 4 layers), two up to 12
 * qubits (double-buffered samples). With one thread no input is copied (the engine reads the caller's states).
 *
 * **Input cotangents.** On request ({@link BatchEngine.gradients} option `inputCotangents`, used by the
 * quantum layer's input gradients, `executor.ts`) each thread also writes the sample's input cotangent
 * λ_in = U†(Σ_k w_{b,k} Z_{q_k})φ_b into a shared `[batch][re 2^n | im 2^n]` buffer (allocated on first use, the
 * size of the input buffer), from `ProgramRunner.gradient` or `adjointGradient`'s `inputCotangent`; otherwise
 * nothing extra is computed or copied.
 *
 * Mixed-state (ensemble) inputs are out of scope: callers use the serial path for them.
 * @packageDocumentation
 */
import { Statevector } from "../../sim/state/statevector";
import type { Circuit, ProgramOp } from "../../sim/program/circuit";
import { checkStatevectorProgram } from "../../sim/program/ops";
import { adjointWorkspace } from "../../sim/grad/adjoint";
import { activeBackend } from "../../sim/backends/engine";
import type { SampleLoss } from "../../core/model";
import {
  OP,
  SyncWorkerPool,
  WAIT_SLICE_MS,
  defaultThreads,
  defaultWorkerScript,
  getSharedPool,
} from "../../parallel/pool";
import { compiledFile } from "../../util/paths";
import {
  BATCH_OP,
  EngineData,
  EngineMessage,
  ST,
  Scratch,
  gradientSample,
  lamSlot,
  logitsSample,
  makeScratch,
} from "./poolSamples";
import { Cotangents, checkOutputGrad, describeValue } from "./types";

/** Default memory budget (bytes) of an engine's shared input buffer: 256 MiB. */
export const DEFAULT_MEMORY_BUDGET = 256 * 2 ** 20;

/** Options of {@link BatchEngine}. */
export interface BatchEngineOptions {
  /**
   * Number of worker threads; 1 runs everything on the calling thread (no workers). An explicit value is used
   * as given (tests may ask for 2 workers on one core).
   * @defaultValue `QNN_KD_THREADS` if set, else the core count, capped at the core count ({@link defaultThreads})
   */
  threads?: number;
  /** Budget (bytes) of the shared input buffer; sets {@link BatchEngine.maxChunk}. @defaultValue 256 MiB */
  memoryBudgetBytes?: number;
  /**
   * The pool to use: its size must equal `threads` and its workers must load {@link workerHandlersModule}.
   * @defaultValue the process-wide pool ({@link getSharedPool})
   */
  pool?: SyncWorkerPool;
  /**
   * Length of the angle vector (`circuit.nOccurrences`).
   * @defaultValue one more than the largest `occ` found in the program's ops
   */
  nOccurrences?: number;
}

const KNOWN = ["threads", "memoryBudgetBytes", "pool", "nOccurrences"];

let nextEngineId = 1;
const finalizer = new FinalizationRegistry<{ pool: SyncWorkerPool; id: number }>(({ pool, id }) => {
  if (!pool.isDisposed && !pool.dead) pool.post("all", { type: "drop", id } satisfies EngineMessage);
});

/**
 * Runs the loss-gradient and logits passes of batches of pure-state inputs of one compiled circuit on a pool of
 * worker threads (see the module doc). Most callers use {@link getBatchEngine} with {@link poolBackward} / {@link poolForward}.
 *
 * @example
 * const engine = new BatchEngine(circuit.program(true), circuit.nQubits, [0, 1], 1, { nOccurrences: circuit.nOccurrences });
 * const rows = engine.gradients(circuit.angles(params), inputs, (z, b) => weightsFor(z, b)); // [batch][nOccurrences]
 * for (const row of rows) circuit.accumulateParamGradient(row, grad);
 */
export class BatchEngine {
  /** The compiled program (plain data, sent to the workers by structured clone). */
  readonly program: ProgramOp[];
  readonly nQubits: number;
  /** Readout qubits, one per logit. */
  readonly readout: readonly number[];
  /** Logit scale s: z_k = s·⟨Z_{q_k}⟩. */
  readonly logitScale: number;
  /** Number of parametric gate occurrences (length of the angle vector). */
  readonly nOccurrences: number;
  /** Number of worker threads (1: no workers, everything on the calling thread). */
  readonly threads: number;
  /** Most samples per call (set by the memory budget, at least `threads`). */
  readonly maxChunk: number;
  private readonly id = nextEngineId++;
  private pool: SyncWorkerPool | null = null;
  private readonly explicitPool: SyncWorkerPool | undefined;
  private readonly local: EngineData;
  private scratch: Scratch | null = null;
  private busy = false;
  private disposed = false;

  /**
   * @param program - compiled program (`circuit.program(true)`), plain data.
   * @param nQubits - register size.
   * @param readout - readout qubits (logit k = s·⟨Z_{readout[k]}⟩).
   * @param logitScale - s > 0. @defaultValue 1
   * @throws Error for a bad qubit count, readout qubit, logit scale, option, or if the pool cannot start.
   */
  constructor(
    program: ProgramOp[],
    nQubits: number,
    readout: readonly number[],
    logitScale = 1,
    options: BatchEngineOptions = {},
  ) {
    for (const k of Object.keys(options)) {
      if (!KNOWN.includes(k))
        throw new Error(`BatchEngine: unknown option "${k}"; allowed options are ${KNOWN.join(", ")}`);
    }
    if (!Array.isArray(program))
      throw new Error("BatchEngine: program must be an array of program ops (circuit.program(true))");
    checkStatevectorProgram("BatchEngine", program);
    if (!Number.isInteger(nQubits) || nQubits < 1 || nQubits > 26)
      throw new Error(`BatchEngine: nQubits must be an integer in 1..26, got ${nQubits}`);
    if (!Array.isArray(readout) || readout.length === 0)
      throw new Error("BatchEngine: readout must be a non-empty array of qubits");
    for (const q of readout) {
      if (!Number.isInteger(q) || q < 0 || q >= nQubits)
        throw new Error(`BatchEngine: readout qubit ${q} out of range 0..${nQubits - 1}`);
    }
    if (typeof logitScale !== "number" || !Number.isFinite(logitScale) || logitScale <= 0) {
      throw new Error(`BatchEngine: logitScale must be a finite number > 0, got ${String(logitScale)}`);
    }
    const threads = options.threads ?? options.pool?.size ?? defaultThreads();
    if (!Number.isInteger(threads) || threads < 1)
      throw new Error(`BatchEngine: threads must be a positive integer, got ${threads}`);
    if (options.pool && options.pool.size !== threads)
      throw new Error(`BatchEngine: threads is ${threads} but the pool has ${options.pool.size} workers`);
    if (options.pool && options.pool.handlers !== workerHandlersModule())
      throw new Error(
        `BatchEngine: the pool's workers must load the engine's handlers module (new SyncWorkerPool(n, { handlers: workerHandlersModule() })), got ${String(options.pool.handlers)}`,
      );
    const budget = options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET;
    if (typeof budget !== "number" || !(budget > 0))
      throw new Error(`BatchEngine: memoryBudgetBytes must be a positive number, got ${String(budget)}`);
    const nOcc = options.nOccurrences ?? countOccurrences(program);
    if (!Number.isInteger(nOcc) || nOcc < 0)
      throw new Error(`BatchEngine: nOccurrences must be a non-negative integer, got ${nOcc}`);
    this.program = program;
    this.nQubits = nQubits;
    this.readout = readout.slice();
    this.logitScale = logitScale;
    this.nOccurrences = nOcc;
    this.threads = threads;
    this.maxChunk = Math.max(threads, Math.floor(budget / (16 * 2 ** nQubits)));
    this.local = {
      program,
      nQubits,
      readout: this.readout.slice(),
      logitScale,
      nOcc,
      capacity: 0,
      angles: new Float64Array(0),
      states: new Float64Array(0),
      logits: new Float64Array(0),
      weights: new Float64Array(0),
      dAngles: new Float64Array(0),
      status: new Int32Array(0),
      lamIn: new Float64Array(0),
    };
    this.explicitPool = options.pool;
    this.attachPool();
  }

  /** Number of logits K. */
  get nClasses(): number {
    return this.readout.length;
  }

  /** True once {@link BatchEngine.dispose} ran. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /**
   * The pool to run on (null for threads = 1). A shared pool that was disposed or died since the last call is
   * replaced by a fresh one, and this engine's program and buffers are sent to it again.
   */
  private attachPool(): SyncWorkerPool | null {
    if (this.threads === 1) return null;
    const p = this.pool;
    if (p && (this.explicitPool || (!p.isDisposed && !p.dead))) return p; // an explicit pool reports its own state
    const pool = this.explicitPool ?? getSharedPool(this.threads, workerHandlersModule());
    finalizer.unregister(this);
    pool.post("all", {
      type: "engine",
      id: this.id,
      program: this.program,
      nQubits: this.nQubits,
      readout: this.readout.slice(),
      logitScale: this.logitScale,
      nOcc: this.nOccurrences,
    } satisfies EngineMessage);
    this.pool = pool;
    if (this.local.capacity > 0) this.postBuffers();
    finalizer.register(this, { pool, id: this.id }, this);
    return pool;
  }

  private postBuffers(): void {
    const { capacity, angles, states, logits, weights, dAngles, status, lamIn } = this.local;
    this.pool!.post("all", {
      type: "buffers",
      id: this.id,
      capacity,
      angles,
      states,
      logits,
      weights,
      dAngles,
      status,
      lamIn,
    } satisfies EngineMessage);
  }

  private ensureCapacity(n: number): void {
    if (n <= this.local.capacity) return;
    const cap = Math.min(this.maxChunk, Math.max(n, this.local.capacity));
    const K = this.readout.length,
      dim = 2 ** this.nQubits,
      nOcc = this.nOccurrences;
    const buf = (bytes: number) => (this.pool ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    Object.assign(this.local, {
      capacity: cap,
      angles: new Float64Array(buf(8 * nOcc)),
      // inputs are copied only for the workers; on the calling thread they are read where they are
      states: this.pool ? new Float64Array(buf(8 * cap * 2 * dim)) : new Float64Array(0),
      logits: new Float64Array(buf(8 * cap * K)),
      weights: new Float64Array(buf(8 * cap * K)),
      dAngles: new Float64Array(buf(8 * cap * nOcc)),
      status: new Int32Array(buf(4 * cap)),
      lamIn: new Float64Array(0),
    });
    if (this.pool) this.postBuffers();
  }

  /** Allocates the λ_in buffer (`[capacity][2·2^n]`) the first time a call asks for input cotangents. */
  private ensureLamIn(): void {
    const need = this.local.capacity * 2 * 2 ** this.nQubits;
    if (this.local.lamIn.length >= need) return;
    this.local.lamIn = new Float64Array(this.pool ? new SharedArrayBuffer(8 * need) : new ArrayBuffer(8 * need));
    if (this.pool) this.postBuffers();
  }

  /** Validates and copies angles and inputs into the shared buffers; returns the pool (null: run here). */
  private load(where: string, angles: ArrayLike<number>, inputs: readonly Statevector[]): SyncWorkerPool | null {
    if (this.disposed) throw new Error(`BatchEngine.${where}: the engine has been disposed`);
    if (this.busy)
      throw new Error(
        `BatchEngine.${where}: the engine is already running a call (re-entrant use, e.g. from sampleLoss)`,
      );
    if (!angles || angles.length !== this.nOccurrences) {
      throw new Error(
        `BatchEngine.${where}: expected ${this.nOccurrences} angles, got ${angles ? angles.length : String(angles)}`,
      );
    }
    if (!Array.isArray(inputs) || inputs.length === 0)
      throw new Error(`BatchEngine.${where}: inputs must be a non-empty array of Statevectors`);
    if (inputs.length > this.maxChunk) {
      throw new Error(
        `BatchEngine.${where}: ${inputs.length} inputs exceed maxChunk ${this.maxChunk}; split the batch (poolBackward does)`,
      );
    }
    for (let b = 0; b < inputs.length; b++) {
      const x = inputs[b];
      if (!(x instanceof Statevector))
        throw new Error(`BatchEngine.${where}: input ${b} is not a Statevector (ensembles use the serial path)`);
      if (x.nQubits !== this.nQubits)
        throw new Error(`BatchEngine.${where}: input ${b} has ${x.nQubits} qubits but the circuit has ${this.nQubits}`);
    }
    const pool = this.attachPool();
    this.ensureCapacity(inputs.length);
    const L = this.local,
      dim = 2 ** this.nQubits;
    L.angles.set(angles);
    // nested in another engine's call on the same pool (e.g. from a sampleLoss): run here, same numbers
    const run = pool && !pool.busy ? pool : null;
    if (run) {
      for (let b = 0; b < inputs.length; b++) {
        L.states.set(inputs[b].re, 2 * dim * b);
        L.states.set(inputs[b].im, 2 * dim * b + dim);
      }
    }
    L.direct = run ? null : inputs; // on this thread: read the inputs where they are (cleared after the call)
    L.status.fill(ST.PENDING, 0, inputs.length);
    return run;
  }

  private localScratch(): Scratch {
    const s = (this.scratch ??= makeScratch(this.local));
    s.angles.set(this.local.angles);
    s.anglesDirty = true;
    return s;
  }

  /**
   * Logits `[batch][K]` of each input (fresh arrays), as `QNNClassifier.logits`.
   * @param angles - angle of each parametric gate occurrence (`circuit.angles(params)`), length nOccurrences.
   * @param inputs - pure states of nQubits qubits, at most {@link BatchEngine.maxChunk}.
   * @throws Error for a wrong angle count, a bad input, too many inputs, or an error in a worker.
   */
  logits(angles: ArrayLike<number>, inputs: readonly Statevector[]): Float64Array[] {
    const pool = this.load("logits", angles, inputs);
    const B = inputs.length,
      K = this.readout.length,
      L = this.local;
    this.busy = true;
    try {
      if (pool) pool.run(BATCH_OP.LOGITS, [this.id, B]);
      else {
        const s = this.localScratch();
        for (let b = 0; b < B; b++) logitsSample(L, s, b);
      }
    } finally {
      this.busy = false;
      L.direct = null;
    }
    const out: Float64Array[] = new Array(B);
    for (let b = 0; b < B; b++) out[b] = L.logits.slice(b * K, (b + 1) * K);
    return out;
  }

  /**
   * One adjoint pass per input, pipelined with the caller (see the module doc). For each sample b, in order,
   * `onLogits(z_b, b)` is called on this thread with the sample's logits (a fresh array) and returns the weights
   * w_b (length K) of the observable Σ_k w_{b,k} Z_{readout[k]} to differentiate; for a mean loss over a batch
   * of B samples, w_{b,k} = s·(∂loss_b/∂z_k)/B. Returns ∂⟨φ_b|Σ_k w_{b,k} Z_k|φ_b⟩/∂angle per sample,
   * `[batch][nOccurrences]`: views into the engine's buffer, valid until the next call.
   * @param angles - angle of each parametric gate occurrence, length nOccurrences.
   * @param inputs - pure states of nQubits qubits, at most {@link BatchEngine.maxChunk}.
   * @param onLogits - logits → weights; if it throws, the workers are stopped and its error is rethrown.
   * @param options.inputCotangents - one statevector per input (nQubits qubits): each receives the sample's input
   *   cotangent λ_in = U†(Σ_k w_{b,k} Z_k)φ_b (the workers write it into a shared `[batch][2·2^n]` buffer that
   *   is allocated on first use and copied out here). Omitted: nothing extra is computed or copied.
   * @throws Error for a wrong angle count, a bad input, too many inputs, weights of the wrong length, an error
   *   in a worker (with the worker's message), a dead worker, or `inputCotangents` of the wrong length or size.
   */
  gradients(
    angles: ArrayLike<number>,
    inputs: readonly Statevector[],
    onLogits: (logits: Float64Array, index: number) => ArrayLike<number>,
    options: { inputCotangents?: readonly Statevector[] } = {},
  ): Float64Array[] {
    const lams = options.inputCotangents;
    if (
      lams &&
      (!Array.isArray(lams) ||
        lams.length !== inputs.length ||
        lams.some((l) => !(l instanceof Statevector) || l.nQubits !== this.nQubits))
    ) {
      throw new Error(
        `BatchEngine.gradients: inputCotangents must be ${inputs.length} statevectors of ${this.nQubits} qubits`,
      );
    }
    const pool = this.load("gradients", angles, inputs);
    if (lams) this.ensureLamIn();
    const B = inputs.length,
      K = this.readout.length,
      nOcc = this.nOccurrences,
      L = this.local;
    const takeWeights = (b: number, z: Float64Array) => {
      const w = onLogits(z, b);
      if (!w || w.length !== K)
        throw new Error(
          `BatchEngine.gradients: the weights of sample ${b} must have ${K} entries, got ${w ? w.length : String(w)}`,
        );
      for (let k = 0; k < K; k++) L.weights[b * K + k] = w[k];
    };
    this.busy = true;
    try {
      if (pool) this.pipeline(pool, B, takeWeights, lams ? 1 : 0);
      else {
        const s = this.localScratch();
        s.work ??= adjointWorkspace(this.nQubits);
        for (let b = 0; b < B; b++)
          gradientSample(L, s, b, () => takeWeights(b, L.logits.slice(b * K, (b + 1) * K)), !!lams);
      }
    } finally {
      this.busy = false;
      L.direct = null;
    }
    if (lams) for (let b = 0; b < B; b++) lams[b].copyFrom(lamSlot(L, b));
    const out: Float64Array[] = new Array(B);
    for (let b = 0; b < B; b++) out[b] = L.dAngles.subarray(b * nOcc, (b + 1) * nOcc);
    return out;
  }

  /** The caller's side of the pipelined pass: answers samples in order, then waits for the workers. */
  private pipeline(
    pool: SyncWorkerPool,
    B: number,
    takeWeights: (b: number, z: Float64Array) => void,
    wantLam: number,
  ): void {
    const L = this.local,
      st = L.status,
      K = this.readout.length;
    pool.start(BATCH_OP.GRADIENTS, [this.id, B, wantLam]);
    let failure: unknown = null;
    try {
      for (let b = 0; b < B; b++) {
        let v: number;
        while ((v = Atomics.load(st, b)) === ST.PENDING) {
          pool.throwIfDead();
          if (pool.finished) break;
          Atomics.wait(st, b, ST.PENDING, WAIT_SLICE_MS);
        }
        if (v !== ST.LOGITS) {
          failure = new Error(`BatchEngine.gradients: sample ${b} was not computed`); // replaced by the worker's error below
          break;
        }
        takeWeights(b, L.logits.slice(b * K, (b + 1) * K));
        Atomics.store(st, b, ST.WEIGHTS);
        Atomics.notify(st, b);
      }
    } catch (e) {
      failure = e;
    }
    if (failure !== null) {
      // release every worker waiting for (or about to publish) a sample, then collect them
      for (let b = 0; b < B; b++) {
        if (Atomics.compareExchange(st, b, ST.PENDING, ST.ABORTED) === ST.LOGITS)
          Atomics.compareExchange(st, b, ST.LOGITS, ST.ABORTED);
        Atomics.notify(st, b);
      }
      if (pool.dead) throw failure;
      let workerError: unknown = null;
      try {
        pool.wait();
      } catch (e) {
        workerError = e;
      }
      const fromCaller = !(failure instanceof Error && failure.message.startsWith("BatchEngine.gradients: sample "));
      throw fromCaller ? failure : (workerError ?? failure);
    }
    pool.wait();
  }

  /** Releases the engine's buffers here and in the workers (the shared pool stays up). Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    finalizer.unregister(this);
    const pool = this.pool;
    if (pool && !pool.isDisposed && !pool.dead) {
      pool.post("all", { type: "drop", id: this.id } satisfies EngineMessage);
      pool.run(OP.SYNC);
    }
    const e64 = new Float64Array(0);
    Object.assign(this.local, {
      capacity: 0,
      angles: e64,
      states: e64,
      logits: e64,
      weights: e64,
      dAngles: e64,
      status: new Int32Array(0),
      lamIn: e64,
    });
    this.scratch = null;
    this.pool = null;
  }
}

function countOccurrences(program: ProgramOp[]): number {
  let n = 0;
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) visit(x);
    else if (v && typeof v === "object" && !ArrayBuffer.isView(v)) {
      const o = v as Record<string, unknown>;
      if (typeof o.occ === "number") n = Math.max(n, o.occ + 1);
      for (const key of Object.keys(o)) if (key !== "occ") visit(o[key]);
    }
  };
  visit(program);
  return n;
}

/** Process-wide engines: program (by identity) → key (readout, logit scale, threads) → engine. */
const engineCache = new WeakMap<ProgramOp[], Map<string, BatchEngine>>();
const liveEngines = new Set<WeakRef<BatchEngine>>();

/**
 * The cached {@link BatchEngine} for `circuit.program(true)` with this readout, logit scale and thread count
 * (created on first use). A circuit that is modified compiles a new program and so gets a new engine; engines
 * of programs that are garbage-collected release their worker-side state.
 * @throws Error as the {@link BatchEngine} constructor.
 */
export function getBatchEngine(
  circuit: Circuit,
  readout: readonly number[],
  logitScale = 1,
  options: Pick<BatchEngineOptions, "threads"> = {},
): BatchEngine {
  const program = circuit.program(true);
  const threads = options.threads ?? defaultThreads();
  const key = `${readout.join(",")}|${logitScale}|${threads}`;
  let byKey = engineCache.get(program);
  if (!byKey) engineCache.set(program, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit && !hit.isDisposed) return hit;
  const engine = new BatchEngine(program, circuit.nQubits, readout, logitScale, {
    threads,
    nOccurrences: circuit.nOccurrences,
  });
  byKey.set(key, engine);
  for (const r of liveEngines) if (!r.deref() || r.deref()!.isDisposed) liveEngines.delete(r);
  liveEngines.add(new WeakRef(engine));
  return engine;
}

/** Disposes all engines made by {@link getBatchEngine} (their buffers and worker-side state). */
export function disposeBatchEngines(): void {
  for (const r of liveEngines) r.deref()?.dispose();
  liveEngines.clear();
}

/**
 * When the batch engine pays off (and can run): at least `minBatch` inputs, all of them pure states,
 * 2^nQubits ≥ 2^`minQubits`, and either more than one thread (the worker pool; the compiled worker script must
 * exist) or one thread on the WebAssembly back end (the engine then runs on the calling thread with one WASM
 * call per sample and sweep, see `sim/backends/wasmProgram.ts`). The numbers are bitwise those of the serial path either way.
 * @param options.minBatch - @defaultValue 8
 * @param options.minQubits - @defaultValue 9
 * @param options.threads - @defaultValue {@link defaultThreads}()
 */
export function usePool(
  inputs: readonly unknown[],
  nQubits: number,
  options: { minBatch?: number; minQubits?: number; threads?: number } = {},
): boolean {
  const threads = options.threads ?? defaultThreads();
  if (inputs.length < (options.minBatch ?? 8) || nQubits < (options.minQubits ?? 9)) return false;
  for (const x of inputs) if (!(x instanceof Statevector)) return false;
  if (threads < 2) return activeBackend() === "wasm";
  return workerScriptAvailable();
}

let scriptFound: boolean | undefined;
function workerScriptAvailable(): boolean {
  if (scriptFound === undefined) {
    try {
      defaultWorkerScript();
      scriptFound = true;
    } catch {
      scriptFound = false;
    }
  }
  return scriptFound;
}

/**
 * The compiled handlers module of the pool's workers (`poolWorker.js`, beside this module in `dist/`).
 * @throws Error if it was not built (`npm run build`).
 */
export function workerHandlersModule(): string {
  return compiledFile(__dirname, "poolWorker.js", "the compiled worker side of the QNN batch engine");
}

/**
 * Loss and ∂L/∂params of a batch of pure states on the engine (the pool strategy of `Executor.backward`): for
 * each chunk of ≤ maxChunk samples the threads run one adjoint pass per sample; `loss(y_b, b)` runs on the calling
 * thread, in sample order, on the scaled outputs y_b = s·⟨Z⟩ (s = the engine's logit scale) and its ∂L/∂y gives
 * the weights w_b = s·(∂L/∂y_b)/D (D = B for `mean`, else 1); each sample's dAngles is mapped to params with
 * `circuit.accumulateParamGradient`, in sample order. With `cot`, λ_in and Σ_k w_k⟨Z_k⟩ of each sample are
 * recorded (see `types.ts`).
 * @param engine - an engine for `circuit.program(true)` (see {@link getBatchEngine}).
 * @param circuit - the circuit (maps angles to params).
 * @param params - parameters, length circuit.nParams.
 * @param inputs - pure states of circuit.nQubits qubits (non-empty).
 * @returns `{ loss: Σ_b L_b (or the mean), grad }`.
 * @throws Error for an empty batch, a circuit that does not match the engine, bad params, a loss gradient of the
 *   wrong length, or an error in a worker; an error thrown by `loss` is rethrown after the workers stopped.
 */
export function poolBackward(
  engine: BatchEngine,
  circuit: Circuit,
  params: ArrayLike<number>,
  inputs: readonly Statevector[],
  loss: SampleLoss,
  mean: boolean,
  cot: Cotangents | null,
  where: string,
): { loss: number; grad: Float64Array } {
  if (!Array.isArray(inputs) || inputs.length === 0)
    throw new Error(`${where}: inputs must be a non-empty array of Statevectors, got ${describeValue(inputs)}`);
  checkMatch(where, engine, circuit);
  const angles = circuit.angles(params);
  const grad = new Float64Array(circuit.nParams);
  const B = inputs.length,
    K = engine.nClasses,
    s = engine.logitScale,
    D = mean ? B : 1;
  let total = 0;
  const w = new Float64Array(K);
  for (let start = 0; start < B; start += engine.maxChunk) {
    const chunk = inputs.slice(start, Math.min(B, start + engine.maxChunk));
    const lams = cot ? chunk.map(() => Statevector.zero(engine.nQubits)) : null;
    const rows = engine.gradients(
      angles,
      chunk,
      (z, i) => {
        const out = loss(z, start + i);
        checkOutputGrad(where, out, K);
        total += out.loss;
        for (let k = 0; k < K; k++) w[k] = (s * out.dLogits[k]) / D;
        if (cot) {
          // Σ_k w_k ⟨Z_k⟩ with ⟨Z_k⟩ = z_k / s (for the product-state chain rule)
          let v = 0;
          for (let k = 0; k < K; k++) v += (w[k] * z[k]) / s;
          cot.value[start + i] = v;
        }
        return w;
      },
      lams ? { inputCotangents: lams } : {},
    );
    for (let i = 0; i < rows.length; i++) circuit.accumulateParamGradient(rows[i], grad);
    if (cot && lams) lams.forEach((l, i) => (cot.lam[start + i] = l));
  }
  return { loss: mean ? total / B : total, grad };
}

/**
 * Outputs `[batch][K]` (y = s·⟨Z⟩, s = the engine's logit scale) of pure-state inputs on the engine, chunk by
 * chunk (the pool strategy of `Executor.forward`; the same numbers as the serial route).
 * @throws Error as {@link BatchEngine.logits}, or for a circuit that does not match the engine.
 */
export function poolForward(
  engine: BatchEngine,
  circuit: Circuit,
  params: ArrayLike<number>,
  inputs: readonly Statevector[],
  where = "poolForward",
): Float64Array[] {
  checkMatch(where, engine, circuit);
  const angles = circuit.angles(params);
  const out: Float64Array[] = [];
  for (let start = 0; start < inputs.length; start += engine.maxChunk) {
    out.push(...engine.logits(angles, inputs.slice(start, start + engine.maxChunk)));
  }
  return out;
}

function checkMatch(where: string, engine: BatchEngine, circuit: Circuit): void {
  if (circuit.nQubits !== engine.nQubits || circuit.nOccurrences !== engine.nOccurrences) {
    throw new Error(
      `${where}: the circuit (${circuit.nQubits} qubits, ${circuit.nOccurrences} parametric gates) does not match the engine (${engine.nQubits} qubits, ${engine.nOccurrences})`,
    );
  }
}
