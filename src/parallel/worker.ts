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
 * The batch ops (gradients / logits of `BatchEngine`) run the per-sample functions of `batch.ts`, which call the
 * simulator's program-level core (`applyProgram`, `adjointVjp`: the functions behind `Circuit.run` and
 * `adjointGradient`): the workers take the serial path's back end (TypeScript or WebAssembly) and kernels.
 */
import { MessagePort, Worker, isMainThread, receiveMessageOnPort, workerData } from "worker_threads";
import { CTRL, OP, reportError } from "./pool";
// batch.ts (and through it sim/) is loaded lazily in the compute role only: a compute worker that fails to load
// it is reported by the supervisor at once, instead of a supervisor that never starts.
type BatchModule = typeof import("./batch");

interface SupervisorData {
  role: "supervisor";
  ctrl: Int32Array;
  size: number;
  script: string;
  ports: MessagePort[];
}

interface ComputeData {
  role: "compute";
  ctrl: Int32Array;
  index: number;
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
      workerData: { role: "compute", ctrl, index: i, port } satisfies ComputeData,
      transferList: [port],
    });
    w.on("error", (e: unknown) => fail(`worker ${i} failed: ${e instanceof Error ? e.message : String(e)}`));
    w.on("exit", (code: number) => fail(`worker ${i} exited unexpectedly (exit code ${code})`));
  }
}

function compute(data: ComputeData): void {
  const { ctrl, index, port } = data;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, compute role only (see the comment at the imports): a load failure is reported by the supervisor
  const { BATCH_OP, WorkerEngines } = require("./batch") as BatchModule;
  const engines = new WorkerEngines();
  let seen = Atomics.load(ctrl, CTRL.SEQ);
  Atomics.add(ctrl, CTRL.READY, 1);
  Atomics.notify(ctrl, CTRL.READY);
  for (;;) {
    Atomics.wait(ctrl, CTRL.SEQ, seen);
    const seq = Atomics.load(ctrl, CTRL.SEQ);
    if (seq === seen) continue;
    seen = seq;
    try {
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) engines.configure(m.message);
      const op = Atomics.load(ctrl, CTRL.OP);
      const a0 = Atomics.load(ctrl, CTRL.ARGS),
        a1 = Atomics.load(ctrl, CTRL.ARGS + 1),
        a2 = Atomics.load(ctrl, CTRL.ARGS + 2);
      if (op === OP.SYNC) {
        // configuration only
      } else if (op === OP.TEST_EXIT) {
        if (a0 === index) process.exit(a1);
      } else if (op === OP.TEST_THROW) {
        throw new Error(`test error from worker ${index}`);
      } else if (op === BATCH_OP.GRADIENTS || op === BATCH_OP.LOGITS) {
        engines.run(op, a0, a1, ctrl, a2);
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
