/**
 * The worker side of the QNN batch engine's thread boundary: the handlers module that each compute worker of the
 * generic pool (`parallel/pool.ts`, option `handlers`) loads. It keeps the engines the caller configured
 * (programs, shared buffers) and runs their batch ops, claiming samples from the pool's shared counter and
 * exchanging logits and weights with the caller through the per-sample status words (`poolSamples.ts`).
 * @internal
 * @packageDocumentation
 */
import { ProgramRunner } from "../../sim/backends/wasmProgram";
import { adjointWorkspace } from "../../sim/grad/adjoint";
import { CTRL, WorkerHandlers, reportError } from "../../parallel/pool";
import {
  ABORT_MESSAGE,
  BATCH_OP,
  DOUBLE_BUFFER_MAX_QUBITS,
  EngineData,
  EngineMessage,
  ST,
  Scratch,
  fastRunner,
  gradientSample,
  inputState,
  lamSlot,
  logitsSample,
  makeScratch,
  secondRunner,
} from "./poolSamples";

/** Worker-side registry of engines (one per compute worker). @internal */
export class WorkerEngines {
  private readonly engines = new Map<number, { data: Partial<EngineData>; scratch: Scratch | null }>();

  /** Applies one configuration message. */
  configure(raw: unknown): void {
    const m = raw as EngineMessage;
    if (m.type === "engine") {
      this.engines.set(m.id, {
        data: { program: m.program, nQubits: m.nQubits, readout: m.readout, logitScale: m.logitScale, nOcc: m.nOcc },
        scratch: null,
      });
    } else if (m.type === "buffers") {
      const e = this.engines.get(m.id);
      if (!e) throw new Error(`buffers for unknown engine ${m.id}`);
      const { capacity, angles, states, logits, weights, dAngles, status, lamIn } = m;
      Object.assign(e.data, { capacity, angles, states, logits, weights, dAngles, status, lamIn });
    } else if (m.type === "drop") {
      this.engines.delete(m.id);
    } else {
      throw new Error(`unknown configuration message ${JSON.stringify((raw as { type?: unknown })?.type)}`);
    }
  }

  /** Runs a batch op, claiming samples from the shared counter; `wantLam` ≠ 0: also write λ_in per sample. */
  run(op: number, id: number, count: number, ctrl: Int32Array, wantLam = 0): void {
    const e = this.engines.get(id);
    if (!e || !e.data.states) throw new Error(`engine ${id} is not configured in this worker`);
    const data = e.data as EngineData;
    if (count > data.capacity) throw new Error(`batch of ${count} exceeds the engine's capacity ${data.capacity}`);
    const s = (e.scratch ??= makeScratch(data));
    s.angles.set(data.angles);
    s.anglesDirty = true;
    s.anglesDirty2 = true;
    const st = data.status;
    if (op === BATCH_OP.LOGITS) {
      for (let b = Atomics.add(ctrl, CTRL.NEXT, 1); b < count; b = Atomics.add(ctrl, CTRL.NEXT, 1))
        logitsSample(data, s, b);
      return;
    }
    const publish = (b: number) => {
      if (Atomics.compareExchange(st, b, ST.PENDING, ST.LOGITS) !== ST.PENDING) throw new Error(ABORT_MESSAGE);
      Atomics.notify(st, b);
    };
    const awaitWeights = (b: number) => {
      let v: number;
      while ((v = Atomics.load(st, b)) === ST.LOGITS) Atomics.wait(st, b, ST.LOGITS);
      if (v !== ST.WEIGHTS) throw new Error(ABORT_MESSAGE);
    };
    const failed = (b: number, err: unknown) => {
      const msg = err instanceof Error ? err.message : String(err);
      if (msg !== ABORT_MESSAGE) {
        reportError(ctrl, msg); // before flagging, so the caller reads this message and not an abort
        Atomics.store(st, b, ST.FAILED);
        Atomics.notify(st, b);
      }
      return err;
    };
    // double buffering pays where a sample is short against the caller's round trip; beyond 12 qubits it would
    // only double the worker's memory
    const r1 = fastRunner(data, s),
      r2 = r1 && data.nQubits <= DOUBLE_BUFFER_MAX_QUBITS ? secondRunner(data, s) : null;
    if (r1 && r2) {
      // Double-buffered: while the caller computes the loss of one sample, this worker runs the forward pass of
      // its next sample on the other runner, so it rarely waits. A worker waits only for the oldest of the
      // (at most two) samples whose logits it published, and the caller answers in sample order, so this
      // cannot deadlock. Each sample's numbers do not depend on the runner that computed it.
      const K = data.readout.length,
        nOcc = data.nOcc;
      const free: ProgramRunner[] = [r2, r1];
      const queue: Array<{ b: number; r: ProgramRunner }> = [];
      let exhausted = false;
      for (;;) {
        while (!exhausted && free.length > 0) {
          const b = Atomics.add(ctrl, CTRL.NEXT, 1);
          if (b >= count) {
            exhausted = true;
            break;
          }
          if (Atomics.load(st, b) === ST.ABORTED) throw new Error(ABORT_MESSAGE);
          const r = free.pop()!;
          try {
            const x = inputState(data, b);
            const z = r.expectations(x.re, x.im, s.z);
            if (data.logitScale !== 1) for (let k = 0; k < K; k++) z[k] *= data.logitScale;
            data.logits.set(z, b * K);
            publish(b);
          } catch (err) {
            throw failed(b, err);
          }
          queue.push({ b, r });
        }
        const item = queue.shift();
        if (!item) break;
        const { b, r } = item;
        try {
          awaitWeights(b);
          r.gradient(
            data.weights.subarray(b * K, (b + 1) * K),
            data.dAngles.subarray(b * nOcc, (b + 1) * nOcc),
            wantLam ? lamSlot(data, b) : undefined,
          );
        } catch (err) {
          throw failed(b, err);
        }
        free.push(r);
      }
      return;
    }
    s.work ??= adjointWorkspace(data.nQubits);
    const exchange = (b: number) => {
      publish(b);
      awaitWeights(b);
    };
    for (let b = Atomics.add(ctrl, CTRL.NEXT, 1); b < count; b = Atomics.add(ctrl, CTRL.NEXT, 1)) {
      if (Atomics.load(st, b) === ST.ABORTED) throw new Error(ABORT_MESSAGE);
      try {
        gradientSample(data, s, b, exchange, wantLam !== 0);
      } catch (err) {
        throw failed(b, err);
      }
    }
  }
}

/**
 * Entry point of the handlers module (`SyncWorkerPoolOptions.handlers`): one engine registry per compute worker;
 * op args are [engineId, count, wantLam].
 */
export function createWorkerHandlers(): WorkerHandlers {
  const engines = new WorkerEngines();
  return {
    configure: (message) => engines.configure(message),
    run: (op, args, ctrl) => {
      if (op !== BATCH_OP.GRADIENTS && op !== BATCH_OP.LOGITS) throw new Error(`unknown op code ${op}`);
      engines.run(op, args[0], args[1], ctrl, args[2]);
    },
  };
}
