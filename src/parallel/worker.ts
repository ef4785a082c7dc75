/**
 * Worker entry of the synchronous pool (`pool.ts`); run as the compiled `dist/parallel/worker.js`.
 *
 * Two roles, chosen by `workerData.role`:
 * - `"supervisor"`: spawns the compute workers (same script, role `"compute"`), then idles in its event loop;
 *   on a compute worker's `error` or unexpected `exit` it records the error, marks the pool dead and wakes the
 *   blocked caller (the caller's own event loop is blocked in `Atomics.wait`, so it could not see the event).
 * - `"compute"`: loops forever on the control block: wait for a new sequence number, drain configuration
 *   messages from its port (synchronously, `receiveMessageOnPort`), run the op, signal completion.
 *
 * The ops ≥ `FIRST_HANDLER_OP` go to the pool's handlers module (`SyncWorkerPoolOptions.handlers`, e.g. the QNN
 * batch engine's `qnn/execution/poolWorker.ts`), which a compute worker loads once at start: a module that fails
 * to load is reported by the supervisor at once, instead of a supervisor that never starts. This file knows
 * nothing of what the handlers compute.
 */
import { MessagePort, Worker, isMainThread, receiveMessageOnPort, workerData } from "worker_threads";
import { CTRL, FIRST_HANDLER_OP, N_ARGS, OP, WorkerHandlers, reportError } from "./pool";

interface SupervisorData {
  role: "supervisor";
  ctrl: Int32Array;
  size: number;
  script: string;
  handlers: string | null;
  ports: MessagePort[];
}

interface ComputeData {
  role: "compute";
  ctrl: Int32Array;
  index: number;
  handlers: string | null;
  port: MessagePort;
}

function supervise(data: SupervisorData): void {
  const ctrl = data.ctrl;
  const fail = (message: string) => {
    if (Atomics.load(ctrl, CTRL.SHUTDOWN)) return;
    reportError(ctrl, message);
    Atomics.store(ctrl, CTRL.DEAD, 1);
    Atomics.notify(ctrl, CTRL.DONE);
    Atomics.notify(ctrl, CTRL.READY);
  };
  for (let i = 0; i < data.size; i++) {
    const port = data.ports[i];
    const w = new Worker(data.script, {
      workerData: { role: "compute", ctrl, index: i, handlers: data.handlers, port } satisfies ComputeData,
      transferList: [port],
    });
    w.on("error", (e: unknown) => fail(`worker ${i} failed: ${e instanceof Error ? e.message : String(e)}`));
    w.on("exit", (code: number) => fail(`worker ${i} exited unexpectedly (exit code ${code})`));
  }
}

function compute(data: ComputeData): void {
  const { ctrl, index, port } = data;
  const handlers: WorkerHandlers | null = data.handlers
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- a module named at run time (the pool's user); a load failure is reported by the supervisor
      (require(data.handlers) as { createWorkerHandlers(): WorkerHandlers }).createWorkerHandlers()
    : null;
  const args = new Int32Array(N_ARGS);
  let seen = Atomics.load(ctrl, CTRL.SEQ);
  Atomics.add(ctrl, CTRL.READY, 1);
  Atomics.notify(ctrl, CTRL.READY);
  for (;;) {
    Atomics.wait(ctrl, CTRL.SEQ, seen);
    const seq = Atomics.load(ctrl, CTRL.SEQ);
    if (seq === seen) continue;
    seen = seq;
    try {
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
        if (!handlers) throw new Error("a configuration message reached a pool without a handlers module");
        handlers.configure(m.message);
      }
      const op = Atomics.load(ctrl, CTRL.OP);
      for (let i = 0; i < N_ARGS; i++) args[i] = Atomics.load(ctrl, CTRL.ARGS + i);
      if (op === OP.SYNC) {
        // configuration only
      } else if (op === OP.TEST_EXIT) {
        if (args[0] === index) process.exit(args[1]);
      } else if (op === OP.TEST_THROW) {
        throw new Error(`test error from worker ${index}`);
      } else if (op >= FIRST_HANDLER_OP && handlers) {
        handlers.run(op, args, ctrl);
      } else {
        throw new Error(`unknown op code ${op}`);
      }
    } catch (e) {
      reportError(ctrl, e instanceof Error ? `${e.message}` : String(e));
    }
    Atomics.add(ctrl, CTRL.DONE, 1);
    Atomics.notify(ctrl, CTRL.DONE);
  }
}

if (!isMainThread && workerData && typeof workerData === "object") {
  const d = workerData as SupervisorData | ComputeData;
  if (d.role === "supervisor") supervise(d);
  else if (d.role === "compute") compute(d);
}
