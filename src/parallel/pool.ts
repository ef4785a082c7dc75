/**
 * A small SYNCHRONOUS worker pool on `worker_threads`: persistent workers, work handed over through a
 * `SharedArrayBuffer`, and the calling thread blocking in `Atomics.wait` until every worker has signalled
 * completion.
 *
 * **Why not piscina (or any promise-based pool).** The training API (`trainClassifier`,
 * `Classifier.lossAndGradient`) is synchronous and must stay so: notebooks and callers get the fast path with no
 * `await` and no special calls. A promise-based pool can only deliver results through the event loop, which a
 * synchronous caller never yields to. Blocking in `Atomics.wait` is allowed on Node's main thread (also inside
 * a tslab kernel and inside vitest workers), so a synchronous pool can be driven from synchronous code.
 *
 * **Protocol.** One control block (`Int32Array` over a `SharedArrayBuffer`, layout in {@link CTRL}) is shared by
 * the caller and all workers. A call ({@link SyncWorkerPool.run}) writes the op code and integer arguments,
 * resets the done counter and the shared work counter, bumps the sequence word and notifies; each worker wakes,
 * first drains the configuration messages queued on its `MessagePort` (read synchronously with
 * `receiveMessageOnPort`, so they need no event loop: this is how programs and buffers reach the workers),
 * then runs the op (typically claiming items with `Atomics.add` on the work counter, so a loaded core takes
 * fewer items), and increments the done counter. The caller waits on the done counter.
 *
 * **Errors and liveness.** A worker that throws writes the message into the control block's error area (first
 * error wins) and still signals completion: {@link SyncWorkerPool.run} then throws an `Error` carrying the
 * worker's message. A worker that dies (out of memory, `process.exit`, termination) cannot signal anything
 * itself, and the caller's event loop is blocked, so it cannot see the `exit` event either. The compute workers
 * are therefore spawned by a small *supervisor* worker that only idles in its own event loop: on an `error` or
 * unexpected `exit` of a compute worker it writes the error, marks the pool dead and wakes the caller. The
 * caller also waits in slices ({@link WAIT_SLICE_MS}) and re-checks the dead flag, so it never hangs on a missed
 * wake-up. A dead pool throws on every later call; {@link getSharedPool} replaces it.
 *
 * **Lifetime.** The supervisor is `unref()`ed: a process (or a vitest run) exits without {@link
 * SyncWorkerPool.dispose}. `dispose()` terminates the supervisor, which takes its compute workers with it.
 *
 * **What the workers run.** The pool knows nothing of quantum circuits. Its users name a *handlers module*
 * ({@link SyncWorkerPoolOptions.handlers}: the path of a compiled module whose `createWorkerHandlers()` returns
 * {@link WorkerHandlers}); each compute worker loads it once at start, hands it the configuration messages and
 * runs the ops ≥ {@link FIRST_HANDLER_OP} with it. The QNN batch engine is one such user
 * (`qnn/execution/poolWorker.ts`).
 *
 * **Worker script.** The workers run the compiled `dist/parallel/worker.js` (see {@link defaultWorkerScript}): the
 * library must have been built (`npm run build`) — also when the pool is used from the TypeScript sources (e.g.
 * under vitest), in which case the script is looked up in `<projectRoot>/dist/parallel/`.
 */
import * as fs from "fs";
import * as os from "os";
import { MessageChannel, MessagePort, Worker } from "worker_threads";
import { compiledFile } from "../util/paths";

/** Word offsets in the control block (`Int32Array`). */
export const CTRL = {
  /** Sequence number of the current call; workers wait on it. */
  SEQ: 0,
  /** Op code of the current call. */
  OP: 1,
  /** Number of workers that finished the current call; the caller waits on it. */
  DONE: 2,
  /** 1 once a worker reported an error in the current call. */
  ERR: 3,
  /** Byte length of the error message in the error area. */
  ERR_LEN: 4,
  /** Number of compute workers that started and entered their loop. */
  READY: 5,
  /** Shared work counter (items are claimed with `Atomics.add(ctrl, NEXT, 1)`). */
  NEXT: 6,
  /** 1 once the pool is dead (a worker died); set by the supervisor. */
  DEAD: 7,
  /** 1 while the pool shuts down (exits are expected). */
  SHUTDOWN: 8,
  /** First of {@link N_ARGS} integer arguments of the current call. */
  ARGS: 16,
} as const;

/** Number of integer argument words in the control block. */
export const N_ARGS = 16;
/** Byte offset of the error message area in the control buffer. */
export const ERR_OFFSET = 256;
/** Byte size of the error message area (longer messages are truncated). */
export const ERR_BYTES = 4096;
/** Total byte size of the control buffer. */
export const CTRL_BYTES = ERR_OFFSET + ERR_BYTES;

/** Reserved op codes. Ops ≥ {@link FIRST_HANDLER_OP} belong to the pool's handlers module. */
export const OP = {
  /** Do nothing but drain the queued messages (used to flush configuration). */
  SYNC: 1,
  /** Test hook: the worker with index args[0] calls `process.exit(args[1])` (liveness test). */
  TEST_EXIT: 2,
  /** Test hook: every worker throws an Error with a fixed message. */
  TEST_THROW: 3,
} as const;

/** The first op code passed to the handlers module ({@link WorkerHandlers.run}); lower codes are {@link OP}. */
export const FIRST_HANDLER_OP = 16;

/**
 * The worker side of a pool user: what `createWorkerHandlers()` of a handlers module returns, once per compute
 * worker ({@link SyncWorkerPoolOptions.handlers}).
 */
export interface WorkerHandlers {
  /** Applies one configuration message (posted with {@link SyncWorkerPool.post}), before the next op. */
  configure(message: unknown): void;
  /**
   * Runs op `op` (≥ {@link FIRST_HANDLER_OP}) with the call's {@link N_ARGS} integer arguments. Items are
   * claimed with `Atomics.add(ctrl, CTRL.NEXT, 1)`; a throw is reported to the caller as the worker's error.
   */
  run(op: number, args: Int32Array, ctrl: Int32Array): void;
}

/** Slice (ms) of each `Atomics.wait` of the caller; between slices the dead flag is re-checked. */
export const WAIT_SLICE_MS = 250;

/** How long (ms) {@link SyncWorkerPool} waits for its workers to start before it throws. */
export const START_TIMEOUT_MS = 60_000;

/** Writes `message` (UTF-8, truncated) into the error area unless an error is already recorded; wakes the caller. */
export function reportError(ctrl: Int32Array, message: string): void {
  if (Atomics.compareExchange(ctrl, CTRL.ERR, 0, 1) === 0) {
    const bytes = new Uint8Array(ctrl.buffer, ERR_OFFSET, ERR_BYTES);
    const enc = new TextEncoder().encode(message);
    const n = Math.min(enc.length, ERR_BYTES);
    bytes.set(enc.subarray(0, n));
    Atomics.store(ctrl, CTRL.ERR_LEN, n);
  }
}

function readError(ctrl: Int32Array): string {
  const n = Atomics.load(ctrl, CTRL.ERR_LEN);
  // TextDecoder refuses views on shared memory: copy out first.
  const bytes = new Uint8Array(ctrl.buffer, ERR_OFFSET, n).slice();
  return new TextDecoder().decode(bytes);
}

/** Number of usable cores (`os.availableParallelism`, else the CPU count). */
export function coreCount(): number {
  const f = (os as { availableParallelism?: () => number }).availableParallelism;
  return Math.max(1, typeof f === "function" ? f() : os.cpus().length);
}

/**
 * Default thread count: `QNN_KD_THREADS` (a positive integer) if set, else the core count; capped at the core
 * count. 1 means "no workers".
 * @throws Error if `QNN_KD_THREADS` is set to something other than a positive integer.
 */
export function defaultThreads(): number {
  const env = process.env.QNN_KD_THREADS;
  const cores = coreCount();
  if (env === undefined || env.trim() === "") return cores;
  const n = Number(env);
  if (!Number.isInteger(n) || n < 1) throw new Error(`QNN_KD_THREADS must be a positive integer, got "${env}"`);
  return Math.min(n, cores);
}

/**
 * Path of the compiled worker script: `<dir of this module>/worker.js` when running from `dist/`, else (running
 * from the TypeScript sources, e.g. under vitest) `<projectRoot>/dist/parallel/worker.js`.
 * @throws Error if the script does not exist (run `npm run build` first).
 */
export function defaultWorkerScript(): string {
  return compiledFile(__dirname, "worker.js", "the compiled worker script of qnn-kd parallel");
}

/** Options of {@link SyncWorkerPool}. */
export interface SyncWorkerPoolOptions {
  /** Path of the worker script. @defaultValue {@link defaultWorkerScript}() */
  script?: string;
  /**
   * Absolute path of a compiled (JavaScript) module exporting `createWorkerHandlers(): WorkerHandlers`, loaded by
   * each compute worker at start (a load failure fails the pool's start). Without it the workers run only the
   * reserved {@link OP}s. @defaultValue none
   */
  handlers?: string;
}

/**
 * A pool of `size` persistent compute workers driven synchronously (see the module doc).
 *
 * @example
 * const pool = new SyncWorkerPool(2);
 * pool.post("all", { type: "hello" });   // delivered before the next run
 * pool.run(OP.SYNC);                     // blocks until both workers are done
 * pool.dispose();
 */
export class SyncWorkerPool {
  /** Number of compute workers. */
  readonly size: number;
  /** The handlers module of the workers ({@link SyncWorkerPoolOptions.handlers}), or null. */
  readonly handlers: string | null;
  /** The shared control block (layout {@link CTRL}). */
  readonly ctrl: Int32Array;
  private readonly supervisor: Worker;
  private readonly ports: MessagePort[];
  private disposed = false;
  private running = false;

  /**
   * Starts the supervisor and `size` compute workers and blocks until they are ready (tens of milliseconds).
   * @throws Error if `size` is not a positive integer, the worker script is missing, or the workers fail to start
   *   (a compute worker's load error is reported at once; a supervisor that never starts after
   *   {@link START_TIMEOUT_MS}).
   */
  constructor(size: number, options: SyncWorkerPoolOptions = {}) {
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`SyncWorkerPool: size must be a positive integer, got ${size}`);
    this.size = size;
    const script = options.script ?? defaultWorkerScript();
    if (!fs.existsSync(script)) throw new Error(`SyncWorkerPool: worker script ${script} not found`);
    const handlers = options.handlers ?? null;
    if (handlers !== null && !fs.existsSync(handlers))
      throw new Error(`SyncWorkerPool: handlers module ${handlers} not found`);
    this.handlers = handlers;
    this.ctrl = new Int32Array(new SharedArrayBuffer(CTRL_BYTES));
    const remote: MessagePort[] = [];
    this.ports = [];
    for (let i = 0; i < size; i++) {
      const ch = new MessageChannel();
      ch.port1.unref();
      this.ports.push(ch.port1);
      remote.push(ch.port2);
    }
    this.supervisor = new Worker(script, {
      workerData: { role: "supervisor", ctrl: this.ctrl, size, script, handlers, ports: remote },
      transferList: remote,
    });
    this.supervisor.unref();
    const t0 = Date.now();
    for (;;) {
      const ready = Atomics.load(this.ctrl, CTRL.READY);
      if (ready >= size) break;
      if (Atomics.load(this.ctrl, CTRL.DEAD)) {
        this.dispose();
        throw new Error(`SyncWorkerPool: a worker failed to start: ${readError(this.ctrl)}`);
      }
      if (Date.now() - t0 > START_TIMEOUT_MS) {
        this.dispose();
        throw new Error(
          `SyncWorkerPool: ${size - ready} of ${size} workers did not start within ${START_TIMEOUT_MS} ms`,
        );
      }
      Atomics.wait(this.ctrl, CTRL.READY, ready, WAIT_SLICE_MS);
    }
  }

  /** True once a worker died (the pool cannot be used any more). */
  get dead(): boolean {
    return Atomics.load(this.ctrl, CTRL.DEAD) !== 0;
  }

  /** True once {@link SyncWorkerPool.dispose} ran. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /**
   * Queues a configuration message (structured clone; `SharedArrayBuffer`s are shared, not copied) for one
   * worker or all workers; it is delivered before the op of the next {@link SyncWorkerPool.run}.
   */
  post(worker: number | "all", message: unknown): void {
    this.checkUsable("post");
    if (worker === "all") for (const p of this.ports) p.postMessage(message);
    else {
      if (!Number.isInteger(worker) || worker < 0 || worker >= this.size)
        throw new Error(`SyncWorkerPool.post: no worker ${worker}`);
      this.ports[worker].postMessage(message);
    }
  }

  /**
   * Runs op `op` with integer arguments `args` on every worker and blocks until all of them are done
   * ({@link SyncWorkerPool.start} then {@link SyncWorkerPool.wait}).
   * @throws Error with the worker's message if a worker threw, or if a worker died (the pool is then dead);
   *   Error if the pool is disposed, dead, or already inside a call.
   */
  run(op: number, args: readonly number[] = []): void {
    this.start(op, args);
    this.wait();
  }

  /**
   * Starts op `op` on every worker and returns at once; the caller may then talk to the workers through its own
   * shared words (checking {@link SyncWorkerPool.throwIfDead} and {@link SyncWorkerPool.finished} while it
   * waits) and must end the call with {@link SyncWorkerPool.wait}.
   * @throws Error if the pool is disposed, dead, or already inside a call, or for more than {@link N_ARGS} args.
   */
  start(op: number, args: readonly number[] = []): void {
    this.checkUsable("start");
    if (this.running) throw new Error("SyncWorkerPool: the pool is already running a call (re-entrant use)");
    if (args.length > N_ARGS) throw new Error(`SyncWorkerPool.start: at most ${N_ARGS} arguments, got ${args.length}`);
    const c = this.ctrl;
    Atomics.store(c, CTRL.DONE, 0);
    Atomics.store(c, CTRL.ERR, 0);
    Atomics.store(c, CTRL.ERR_LEN, 0);
    Atomics.store(c, CTRL.NEXT, 0);
    Atomics.store(c, CTRL.OP, op);
    for (let i = 0; i < args.length; i++) Atomics.store(c, CTRL.ARGS + i, args[i] | 0);
    this.running = true;
    Atomics.add(c, CTRL.SEQ, 1);
    Atomics.notify(c, CTRL.SEQ);
  }

  /** True between {@link SyncWorkerPool.start} and the end of {@link SyncWorkerPool.wait}. */
  get busy(): boolean {
    return this.running;
  }

  /** True when every worker has finished the current call. */
  get finished(): boolean {
    return Atomics.load(this.ctrl, CTRL.DONE) >= this.size;
  }

  /** @throws Error with the supervisor's message if a worker died. */
  throwIfDead(): void {
    if (Atomics.load(this.ctrl, CTRL.DEAD)) {
      this.running = false;
      throw new Error(`qnn-kd worker pool: ${readError(this.ctrl) || "a worker died"}`);
    }
  }

  /**
   * Blocks until every worker finished the call begun by {@link SyncWorkerPool.start}.
   * @throws Error with the worker's message if a worker threw, or if a worker died; Error if no call is running.
   */
  wait(): void {
    if (!this.running) throw new Error("SyncWorkerPool.wait: no call is running");
    const c = this.ctrl;
    try {
      for (;;) {
        const done = Atomics.load(c, CTRL.DONE);
        if (done >= this.size) break;
        this.throwIfDead();
        Atomics.wait(c, CTRL.DONE, done, WAIT_SLICE_MS);
      }
    } finally {
      this.running = false;
    }
    if (Atomics.load(c, CTRL.ERR)) throw new Error(`qnn-kd worker: ${readError(c)}`);
  }

  /** Terminates the workers (idempotent). Queued messages are dropped. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    Atomics.store(this.ctrl, CTRL.SHUTDOWN, 1);
    for (const p of this.ports) p.close();
    void this.supervisor.terminate();
    for (const [k, v] of sharedPools) if (v === this) sharedPools.delete(k);
  }

  private checkUsable(where: string): void {
    if (this.disposed) throw new Error(`SyncWorkerPool.${where}: the pool has been disposed`);
    if (this.dead)
      throw new Error(`SyncWorkerPool.${where}: the pool is dead (${readError(this.ctrl) || "a worker died"})`);
  }
}

const sharedPools = new Map<string, SyncWorkerPool>();

/**
 * The process-wide pool of `size` workers running `handlers` (created on first use; a dead or disposed one is
 * replaced). Engines share it, so the number of threads stays bounded however many models are trained.
 * @param handlers - as {@link SyncWorkerPoolOptions.handlers}. @defaultValue none
 */
export function getSharedPool(size: number, handlers?: string): SyncWorkerPool {
  const key = `${size}|${handlers ?? ""}`;
  const hit = sharedPools.get(key);
  if (hit && !hit.dead && !hit.isDisposed) return hit;
  if (hit) hit.dispose();
  const pool = new SyncWorkerPool(size, handlers === undefined ? {} : { handlers });
  sharedPools.set(key, pool);
  return pool;
}

/** Disposes every shared pool (e.g. at the end of a notebook); later calls start fresh ones. */
export function disposeSharedPools(): void {
  for (const p of [...sharedPools.values()]) p.dispose();
  sharedPools.clear();
}
