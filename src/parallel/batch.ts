/**
 * Batch parallelism for QNN loss gradients: the samples of a batch are spread over the workers of a
 * synchronous `worker_threads` pool (`pool.ts`), with parameters, states, logits and gradients in
 * `SharedArrayBuffer`s (never JSON).
 *
 * **Two phases per batch**, so the per-sample loss (a JS closure, e.g. a KD loss holding teacher logits) stays
 * on the calling thread:
 * 1. {@link BatchEngine.forward}: the caller copies the angles and the input amplitudes into shared buffers;
 *    workers run the circuit on each sample *in place* in the shared state buffer (so φ_b = U ψ_b stays there
 *    for phase 2, at no extra memory) and write the logits z_k = s·⟨Z_{q_k}⟩ (s = logit scale).
 * 2. {@link BatchEngine.backward}: the caller writes the observable weights w_{b,k} of each sample; workers build
 *    λ_b = Σ_k w_{b,k} Z_{q_k} φ_b (`weightedZCotangent`), run the adjoint sweep (`backwardProgram`) and write
 *    ∂L/∂angle of sample b into row b of a shared `[batch][nOccurrences]` buffer.
 * Workers claim samples one at a time from a shared counter, so a core slowed by other processes takes fewer.
 *
 * **Determinism.** Per-sample results land in per-sample slots whatever worker computed them, and the caller
 * sums them in sample order (see {@link parallelLossAndGradient}): the gradient is bitwise identical for any
 * thread count, and bitwise identical to the serial `QNNClassifier.lossAndGradient` (which also maps each
 * sample's fresh dAngles to params with `accumulateParamGradient` in sample order), provided the workers run the
 * same kernels (the compiled `dist/` must match the sources: `npm run build`).
 *
 * **Memory.** The state buffer holds one chunk of samples (2·2^n doubles each); batches larger than
 * {@link BatchEngine.maxChunk} (set by `memoryBudgetBytes`, default 256 MiB) are processed chunk by chunk by
 * {@link parallelLossAndGradient}. Each worker holds one extra statevector (λ) per engine.
 *
 * Mixed-state (ensemble) inputs are out of scope: callers use the serial path for them.
 */
import { Statevector, expectationZ } from "../sim/statevector";
import { Circuit, ProgramOp, runProgram } from "../sim/circuit";
import { backwardProgram, weightedZCotangent } from "../sim/gradients";
import type { SampleLoss } from "../train/types";
import { CTRL, OP, SyncWorkerPool, coreCount, defaultThreads, defaultWorkerScript, getSharedPool } from "./pool";

/** Op codes of the batch engine (handled in `worker.ts`). */
export const BATCH_OP = {
  /** args [engineId, count]: forward pass of samples 0..count−1. */
  FORWARD: 16,
  /** args [engineId, count]: backward pass of samples 0..count−1. */
  BACKWARD: 17,
} as const;

/** Default memory budget (bytes) of an engine's shared state buffer: 256 MiB. */
export const DEFAULT_MEMORY_BUDGET = 256 * 2 ** 20;

/** Options of {@link BatchEngine}. */
export interface BatchEngineOptions {
  /**
   * Number of worker threads; 1 runs everything on the calling thread (no workers). An explicit value is used
   * as given (tests may ask for 2 workers on one core).
   * @defaultValue `QNN_KD_THREADS` if set, else the core count, capped at the core count ({@link defaultThreads})
   */
  threads?: number;
  /** Budget (bytes) of the shared state buffer; sets {@link BatchEngine.maxChunk}. @defaultValue 256 MiB */
  memoryBudgetBytes?: number;
  /** The pool to use. @defaultValue the process-wide pool of `threads` workers ({@link getSharedPool}) */
  pool?: SyncWorkerPool;
  /**
   * Length of the angle vector (`circuit.nOccurrences`).
   * @defaultValue one more than the largest `occ` found in the program's ops
   */
  nOccurrences?: number;
}

const KNOWN = ["threads", "memoryBudgetBytes", "pool", "nOccurrences"];

/** Shared buffers of one engine (also the worker-side view). */
interface EngineBuffers {
  /** Capacity in samples. */
  capacity: number;
  /** Angles, length nOcc. */
  angles: Float64Array;
  /** States, `[capacity][re 2^n | im 2^n]`. */
  states: Float64Array;
  /** Logits, `[capacity][K]`. */
  logits: Float64Array;
  /** Observable weights, `[capacity][K]`. */
  weights: Float64Array;
  /** ∂L/∂angle per sample, `[capacity][nOcc]`. */
  dAngles: Float64Array;
}

/** Everything a thread needs to run one engine's samples. */
interface EngineData extends EngineBuffers {
  program: ProgramOp[];
  nQubits: number;
  readout: number[];
  logitScale: number;
  nOcc: number;
}

/** Forward pass of sample `b` in place in the state buffer; writes its logits. */
function forwardSample(e: EngineData, b: number, zTmp: Float64Array): void {
  const dim = 2 ** e.nQubits, K = e.readout.length;
  const off = 2 * dim * b;
  const re = e.states.subarray(off, off + dim), im = e.states.subarray(off + dim, off + 2 * dim);
  runProgram(e.program, e.angles, re, im);
  const z = expectationZ(new Statevector(e.nQubits, re, im), e.readout, zTmp);
  if (e.logitScale !== 1) for (let k = 0; k < K; k++) z[k] *= e.logitScale;
  e.logits.set(z, b * K);
}

/** Backward pass of sample `b` (φ_b in the state buffer, uncomputed in place); writes row b of dAngles. */
function backwardSample(e: EngineData, b: number, lam: Statevector): void {
  const dim = 2 ** e.nQubits, K = e.readout.length;
  const off = 2 * dim * b;
  const phi = new Statevector(e.nQubits, e.states.subarray(off, off + dim), e.states.subarray(off + dim, off + 2 * dim));
  weightedZCotangent(e.readout, e.weights.subarray(b * K, (b + 1) * K))(phi, lam);
  const dA = e.dAngles.subarray(b * e.nOcc, (b + 1) * e.nOcc);
  dA.fill(0);
  backwardProgram(e.program, e.angles, phi, lam, dA);
}

/** Configuration messages sent to the workers. */
type EngineMessage =
  | { type: "engine"; id: number; program: ProgramOp[]; nQubits: number; readout: number[]; logitScale: number; nOcc: number }
  | ({ type: "buffers"; id: number } & EngineBuffers)
  | { type: "drop"; id: number };

/** Worker-side registry of engines (used by `worker.ts`). @internal */
export class WorkerEngines {
  private readonly engines = new Map<number, { data: Partial<EngineData>; lam: Statevector | null; z: Float64Array }>();

  /** Applies one configuration message. */
  configure(raw: unknown): void {
    const m = raw as EngineMessage;
    if (m.type === "engine") {
      this.engines.set(m.id, {
        data: { program: m.program, nQubits: m.nQubits, readout: m.readout, logitScale: m.logitScale, nOcc: m.nOcc },
        lam: null,
        z: new Float64Array(m.readout.length),
      });
    } else if (m.type === "buffers") {
      const e = this.engines.get(m.id);
      if (!e) throw new Error(`buffers for unknown engine ${m.id}`);
      const { capacity, angles, states, logits, weights, dAngles } = m;
      Object.assign(e.data, { capacity, angles, states, logits, weights, dAngles });
    } else if (m.type === "drop") {
      this.engines.delete(m.id);
    } else {
      throw new Error(`unknown configuration message ${JSON.stringify((raw as { type?: unknown })?.type)}`);
    }
  }

  /** Runs a batch op, claiming samples from the shared counter. */
  run(op: number, id: number, count: number, ctrl: Int32Array): void {
    const e = this.engines.get(id);
    if (!e || !e.data.states) throw new Error(`engine ${id} is not configured in this worker`);
    const data = e.data as EngineData;
    if (count > data.capacity) throw new Error(`batch of ${count} exceeds the engine's capacity ${data.capacity}`);
    const NEXT = CTRL.NEXT;
    if (op === BATCH_OP.FORWARD) {
      for (let b = Atomics.add(ctrl, NEXT, 1); b < count; b = Atomics.add(ctrl, NEXT, 1)) forwardSample(data, b, e.z);
    } else {
      const lam = (e.lam ??= Statevector.zero(data.nQubits));
      for (let b = Atomics.add(ctrl, NEXT, 1); b < count; b = Atomics.add(ctrl, NEXT, 1)) backwardSample(data, b, lam);
    }
  }
}

let nextEngineId = 1;
const finalizer = new FinalizationRegistry<{ pool: SyncWorkerPool; id: number }>(({ pool, id }) => {
  if (!pool.isDisposed && !pool.dead) pool.post("all", { type: "drop", id } satisfies EngineMessage);
});

/**
 * Runs the forward and backward passes of a batch of pure-state inputs of one compiled circuit on a pool of
 * worker threads (see the module doc). Most callers use {@link parallelLossAndGradient}.
 *
 * @example
 * const engine = new BatchEngine(circuit.program(true), circuit.nQubits, [0, 1], 1);
 * const z = engine.forward(circuit.angles(params), inputs);      // [batch][K] logits
 * const dA = engine.backward(weights);                            // [batch][nOccurrences]
 * for (const row of dA) circuit.accumulateParamGradient(row, grad);
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
  /** Most samples per forward/backward call (set by the memory budget, at least `threads`). */
  readonly maxChunk: number;
  private readonly id = nextEngineId++;
  private pool: SyncWorkerPool | null = null;
  private readonly explicitPool: SyncWorkerPool | undefined;
  private readonly local: EngineData;
  private lam: Statevector | null = null;
  private readonly z: Float64Array;
  private count = -1;
  private gen = 0;
  private disposed = false;

  /**
   * @param program - compiled program (`circuit.program(true)`), plain data.
   * @param nQubits - register size.
   * @param readout - readout qubits (logit k = s·⟨Z_{readout[k]}⟩).
   * @param logitScale - s > 0.
   * @throws Error for a bad qubit count, readout qubit, logit scale, option, or if the pool cannot start.
   */
  constructor(program: ProgramOp[], nQubits: number, readout: readonly number[], logitScale = 1, options: BatchEngineOptions = {}) {
    for (const k of Object.keys(options)) {
      if (!KNOWN.includes(k)) throw new Error(`BatchEngine: unknown option "${k}"; allowed options are ${KNOWN.join(", ")}`);
    }
    if (!Array.isArray(program)) throw new Error("BatchEngine: program must be an array of program ops (circuit.program(true))");
    if (!Number.isInteger(nQubits) || nQubits < 1 || nQubits > 26) throw new Error(`BatchEngine: nQubits must be an integer in 1..26, got ${nQubits}`);
    if (!Array.isArray(readout) || readout.length === 0) throw new Error("BatchEngine: readout must be a non-empty array of qubits");
    for (const q of readout) {
      if (!Number.isInteger(q) || q < 0 || q >= nQubits) throw new Error(`BatchEngine: readout qubit ${q} out of range 0..${nQubits - 1}`);
    }
    if (typeof logitScale !== "number" || !Number.isFinite(logitScale) || logitScale <= 0) {
      throw new Error(`BatchEngine: logitScale must be a finite number > 0, got ${String(logitScale)}`);
    }
    const threads = options.threads ?? options.pool?.size ?? defaultThreads();
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`BatchEngine: threads must be a positive integer, got ${threads}`);
    if (options.pool && options.pool.size !== threads) throw new Error(`BatchEngine: threads is ${threads} but the pool has ${options.pool.size} workers`);
    const budget = options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET;
    if (typeof budget !== "number" || !(budget > 0)) throw new Error(`BatchEngine: memoryBudgetBytes must be a positive number, got ${String(budget)}`);
    this.program = program;
    this.nQubits = nQubits;
    this.readout = readout.slice();
    this.logitScale = logitScale;
    const nOcc = options.nOccurrences ?? countOccurrences(program);
    if (!Number.isInteger(nOcc) || nOcc < 0) throw new Error(`BatchEngine: nOccurrences must be a non-negative integer, got ${nOcc}`);
    this.nOccurrences = nOcc;
    this.threads = threads;
    const stateBytes = 16 * 2 ** nQubits;
    this.maxChunk = Math.max(threads, Math.floor(budget / stateBytes));
    this.z = new Float64Array(readout.length);
    this.local = {
      program, nQubits, readout: this.readout.slice(), logitScale, nOcc: this.nOccurrences,
      capacity: 0, angles: new Float64Array(0), states: new Float64Array(0), logits: new Float64Array(0),
      weights: new Float64Array(0), dAngles: new Float64Array(0),
    };
    this.explicitPool = options.pool;
    this.attachPool();
  }

  /**
   * The pool to run on (null for threads = 1). A shared pool that was disposed or died since the last call is
   * replaced by a fresh one, and this engine's program and buffers are sent to it again.
   */
  private attachPool(): SyncWorkerPool | null {
    if (this.threads === 1) return null;
    const p = this.pool;
    if (p && (this.explicitPool || (!p.isDisposed && !p.dead))) return p; // an explicit pool reports its own state
    const pool = this.explicitPool ?? getSharedPool(this.threads);
    finalizer.unregister(this);
    pool.post("all", {
      type: "engine", id: this.id, program: this.program, nQubits: this.nQubits, readout: this.readout.slice(),
      logitScale: this.logitScale, nOcc: this.nOccurrences,
    } satisfies EngineMessage);
    if (this.local.capacity > 0) {
      const { capacity, angles, states, logits, weights, dAngles } = this.local;
      pool.post("all", { type: "buffers", id: this.id, capacity, angles, states, logits, weights, dAngles } satisfies EngineMessage);
    }
    finalizer.register(this, { pool, id: this.id }, this);
    this.pool = pool;
    return pool;
  }

  /** Counts {@link BatchEngine.forward} calls (lets a caller check that no other forward ran in between). */
  get generation(): number {
    return this.gen;
  }

  /** Number of logits K. */
  get nClasses(): number {
    return this.readout.length;
  }

  private ensureCapacity(n: number): void {
    this.attachPool();
    if (n <= this.local.capacity) return;
    const cap = Math.min(this.maxChunk, Math.max(n, this.local.capacity));
    const K = this.readout.length, dim = 2 ** this.nQubits, nOcc = this.nOccurrences;
    const shared = (len: number) => new Float64Array(this.pool ? new SharedArrayBuffer(8 * len) : new ArrayBuffer(8 * len));
    Object.assign(this.local, {
      capacity: cap,
      angles: shared(nOcc),
      states: shared(cap * 2 * dim),
      logits: shared(cap * K),
      weights: shared(cap * K),
      dAngles: shared(cap * nOcc),
    });
    if (this.pool) {
      const { capacity, angles, states, logits, weights, dAngles } = this.local;
      this.pool.post("all", { type: "buffers", id: this.id, capacity, angles, states, logits, weights, dAngles } satisfies EngineMessage);
    }
  }

  /**
   * Phase 1: runs the circuit on each input and returns the logits `[batch][K]` (fresh arrays). The output
   * states stay in the engine for {@link BatchEngine.backward}.
   * @param angles - the angle of each parametric gate occurrence (`circuit.angles(params)`), length nOccurrences.
   * @param inputs - pure input states of `nQubits` qubits, at most {@link BatchEngine.maxChunk}.
   * @throws Error for a wrong angle count, a bad input, a batch over maxChunk, or an error in a worker.
   */
  forward(angles: Float64Array, inputs: readonly Statevector[]): Float64Array[] {
    this.checkLive("forward");
    if (!angles || angles.length !== this.nOccurrences) {
      throw new Error(`BatchEngine.forward: expected ${this.nOccurrences} angles, got ${angles ? angles.length : angles}`);
    }
    if (!Array.isArray(inputs) || inputs.length === 0) throw new Error("BatchEngine.forward: inputs must be a non-empty array of Statevectors");
    if (inputs.length > this.maxChunk) {
      throw new Error(`BatchEngine.forward: ${inputs.length} inputs exceed maxChunk ${this.maxChunk}; split the batch (parallelLossAndGradient does)`);
    }
    const B = inputs.length, dim = 2 ** this.nQubits, K = this.readout.length;
    for (let b = 0; b < B; b++) {
      const x = inputs[b];
      if (!(x instanceof Statevector)) throw new Error(`BatchEngine.forward: input ${b} is not a Statevector (ensembles use the serial path)`);
      if (x.nQubits !== this.nQubits) throw new Error(`BatchEngine.forward: input ${b} has ${x.nQubits} qubits but the circuit has ${this.nQubits}`);
    }
    this.ensureCapacity(B);
    const L = this.local;
    L.angles.set(angles);
    for (let b = 0; b < B; b++) {
      L.states.set(inputs[b].re, 2 * dim * b);
      L.states.set(inputs[b].im, 2 * dim * b + dim);
    }
    this.count = -1;
    this.gen++;
    if (this.pool) this.pool.run(BATCH_OP.FORWARD, [this.id, B]);
    else for (let b = 0; b < B; b++) forwardSample(L, b, this.z);
    this.count = B;
    const out: Float64Array[] = new Array(B);
    for (let b = 0; b < B; b++) out[b] = L.logits.slice(b * K, (b + 1) * K);
    return out;
  }

  /**
   * Phase 2: for each sample b of the last {@link BatchEngine.forward}, backpropagates the observable
   * Σ_k weights[b][k]·Z_{readout[k]} and returns ∂/∂angle of ⟨φ_b|that observable|φ_b⟩, `[batch][nOccurrences]`.
   * For a mean loss over a batch of B samples, weights[b][k] = s·(∂loss_b/∂z_k)/B (s = logit scale).
   * The rows are views into the engine's buffer, valid until the next call; `forward` must be called again
   * before the next `backward` (the output states are consumed).
   * @throws Error if no forward pass is pending, for a wrong number of rows or weights, or an error in a worker.
   */
  backward(weights: readonly ArrayLike<number>[]): Float64Array[] {
    this.checkLive("backward");
    const B = this.count;
    if (B < 0) throw new Error("BatchEngine.backward: call forward first (each forward allows one backward)");
    if (!Array.isArray(weights) || weights.length !== B) {
      throw new Error(`BatchEngine.backward: expected ${B} weight rows (one per sample of the last forward), got ${Array.isArray(weights) ? weights.length : String(weights)}`);
    }
    const K = this.readout.length, nOcc = this.nOccurrences, L = this.local;
    for (let b = 0; b < B; b++) {
      const w = weights[b];
      if (!w || w.length !== K) throw new Error(`BatchEngine.backward: weight row ${b} must have ${K} entries, got ${w ? w.length : String(w)}`);
      for (let k = 0; k < K; k++) L.weights[b * K + k] = w[k];
    }
    this.count = -1;
    const pool = this.attachPool();
    if (pool) pool.run(BATCH_OP.BACKWARD, [this.id, B]);
    else {
      const lam = (this.lam ??= Statevector.zero(this.nQubits));
      for (let b = 0; b < B; b++) backwardSample(L, b, lam);
    }
    const out: Float64Array[] = new Array(B);
    for (let b = 0; b < B; b++) out[b] = L.dAngles.subarray(b * nOcc, (b + 1) * nOcc);
    return out;
  }

  /** Releases the engine's buffers here and in the workers (the shared pool stays up). Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    finalizer.unregister(this);
    if (this.pool && !this.pool.isDisposed && !this.pool.dead) {
      this.pool.post("all", { type: "drop", id: this.id } satisfies EngineMessage);
      this.pool.run(OP.SYNC);
    }
    const empty = new Float64Array(0);
    Object.assign(this.local, { capacity: 0, angles: empty, states: empty, logits: empty, weights: empty, dAngles: empty });
    this.lam = null;
  }

  /** True once {@link BatchEngine.dispose} ran. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  private checkLive(where: string): void {
    if (this.disposed) throw new Error(`BatchEngine.${where}: the engine has been disposed`);
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
 */
export function getBatchEngine(circuit: Circuit, readout: readonly number[], logitScale = 1, options: Pick<BatchEngineOptions, "threads"> = {}): BatchEngine {
  const program = circuit.program(true);
  const threads = options.threads ?? defaultThreads();
  const key = `${readout.join(",")}|${logitScale}|${threads}`;
  let byKey = engineCache.get(program);
  if (!byKey) engineCache.set(program, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit && !hit.isDisposed) return hit;
  const engine = new BatchEngine(program, circuit.nQubits, readout, logitScale, { threads, nOccurrences: circuit.nOccurrences });
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
 * When the parallel path pays off (and can run): more than one thread, at least `minBatch` inputs, all of them
 * pure states, 2^nQubits ≥ 2^`minQubits`, and the compiled worker script exists.
 * @param options.minBatch - @defaultValue 8
 * @param options.minQubits - @defaultValue 9
 * @param options.threads - @defaultValue {@link defaultThreads}()
 */
export function useParallelPath(
  inputs: readonly unknown[],
  nQubits: number,
  options: { minBatch?: number; minQubits?: number; threads?: number } = {},
): boolean {
  const threads = options.threads ?? defaultThreads();
  if (threads < 2 || inputs.length < (options.minBatch ?? 8) || nQubits < (options.minQubits ?? 9)) return false;
  for (const x of inputs) if (!(x instanceof Statevector)) return false;
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
 * Mean loss over the batch and its gradient with respect to params, on the engine's workers: the same contract
 * and (bitwise) the same numbers as `QNNClassifier.lossAndGradient` for pure-state inputs.
 *
 * For each chunk of ≤ maxChunk samples: forward on the workers → `sampleLoss(z_b, b)` on the calling thread, in
 * sample order → weights s·(∂loss_b/∂z)/B → backward on the workers → `circuit.accumulateParamGradient` of each
 * sample's dAngles, in sample order.
 *
 * @param engine - an engine for `circuit.program(true)` (see {@link getBatchEngine}).
 * @param circuit - the circuit (maps angles to params).
 * @param params - parameters, length circuit.nParams.
 * @param inputs - pure states of circuit.nQubits qubits (non-empty).
 * @param sampleLoss - per-sample loss and ∂loss/∂logits (called once per sample, in order, with index b).
 * @returns `{ loss: mean loss, grad: ∂(mean loss)/∂params }`.
 * @throws Error for an empty batch, a non-Statevector input or one of the wrong size, a circuit that does not
 *   match the engine, bad params, a loss gradient of the wrong length, or an error in a worker.
 */
export function parallelLossAndGradient(
  engine: BatchEngine,
  circuit: Circuit,
  params: ArrayLike<number>,
  inputs: readonly Statevector[],
  sampleLoss: SampleLoss,
): { loss: number; grad: Float64Array } {
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new Error(`parallelLossAndGradient: inputs must be a non-empty array, got ${Array.isArray(inputs) ? "an empty array" : String(inputs)}`);
  }
  if (circuit.nQubits !== engine.nQubits || circuit.nOccurrences !== engine.nOccurrences) {
    throw new Error(
      `parallelLossAndGradient: the circuit (${circuit.nQubits} qubits, ${circuit.nOccurrences} parametric gates) does not match the engine (${engine.nQubits} qubits, ${engine.nOccurrences})`,
    );
  }
  const angles = circuit.angles(params);
  const grad = new Float64Array(circuit.nParams);
  const B = inputs.length, K = engine.nClasses, s = engine.logitScale;
  let total = 0;
  for (let start = 0; start < B; start += engine.maxChunk) {
    const chunk = inputs.slice(start, Math.min(B, start + engine.maxChunk));
    const logits = engine.forward(angles, chunk);
    const gen = engine.generation;
    const weights: Float64Array[] = new Array(chunk.length);
    for (let i = 0; i < chunk.length; i++) {
      const out = sampleLoss(logits[i], start + i);
      if (!out || !out.dLogits || out.dLogits.length !== K) {
        throw new Error(`parallelLossAndGradient: the loss returned ${out?.dLogits ? out.dLogits.length : "no"} logit gradients, expected ${K}`);
      }
      total += out.loss;
      const w = new Float64Array(K);
      for (let k = 0; k < K; k++) w[k] = (s * out.dLogits[k]) / B;
      weights[i] = w;
    }
    if (engine.generation !== gen) {
      throw new Error("parallelLossAndGradient: the engine ran another forward pass inside sampleLoss (use a separate engine there)");
    }
    const dA = engine.backward(weights);
    for (let i = 0; i < dA.length; i++) circuit.accumulateParamGradient(dA[i], grad);
  }
  return { loss: total / B, grad };
}

/**
 * Logits `[batch][K]` of pure-state inputs on the engine's workers (same numbers as `QNNClassifier.logits`).
 * @throws Error as {@link BatchEngine.forward}.
 */
export function parallelLogits(engine: BatchEngine, circuit: Circuit, params: ArrayLike<number>, inputs: readonly Statevector[]): Float64Array[] {
  const angles = circuit.angles(params);
  const out: Float64Array[] = [];
  for (let start = 0; start < inputs.length; start += engine.maxChunk) {
    out.push(...engine.forward(angles, inputs.slice(start, start + engine.maxChunk)));
  }
  return out;
}

/** The number of usable cores (re-exported for callers that size batches). */
export { coreCount };
