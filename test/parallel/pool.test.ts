// The generic synchronous worker pool (parallel/pool.ts, parallel/worker.ts) on its own, without the QNN engine:
// a handlers module written here (the pool's one extension point) against sums computed on this thread, and the
// failure modes (a worker that throws, dies or cannot load; a missing handlers module; disposal).
//
// The workers run the COMPILED dist/parallel/worker.js: `npm test` builds first.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import {
  CTRL,
  FIRST_HANDLER_OP,
  OP,
  SyncWorkerPool,
  defaultWorkerScript,
  disposeSharedPools,
  getSharedPool,
} from "../../src/parallel/pool";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-pool-"));
afterAll(() => {
  disposeSharedPools();
  fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * A handlers module: configure receives { data: Float64Array (shared) }; op FIRST_HANDLER_OP squares items
 * 0..args[0]−1 in place, claimed from the shared counter; op FIRST_HANDLER_OP + 1 throws.
 */
const handlers = path.join(dir, "square-handlers.js");
fs.writeFileSync(
  handlers,
  `const NEXT = ${CTRL.NEXT};\n` +
    `exports.createWorkerHandlers = () => {\n` +
    `  let data = null;\n` +
    `  return {\n` +
    `    configure: (m) => { data = m.data; },\n` +
    `    run: (op, args, ctrl) => {\n` +
    `      if (op === ${FIRST_HANDLER_OP + 1}) throw new Error("handler failed on purpose");\n` +
    `      for (let i = Atomics.add(ctrl, NEXT, 1); i < args[0]; i = Atomics.add(ctrl, NEXT, 1)) data[i] = data[i] * data[i];\n` +
    `    },\n` +
    `  };\n` +
    `};\n`,
);

describe("generic synchronous worker pool", () => {
  it("runs a handlers module's op over shared memory: every item once, whatever worker took it", () => {
    const pool = new SyncWorkerPool(2, { handlers });
    try {
      expect(pool.handlers).toBe(handlers);
      const data = new Float64Array(new SharedArrayBuffer(8 * 1000));
      data.forEach((_, i) => (data[i] = i + 0.5));
      pool.post("all", { data });
      pool.run(FIRST_HANDLER_OP, [1000]);
      expect(Array.from(data)).toEqual(Array.from({ length: 1000 }, (_, i) => (i + 0.5) * (i + 0.5)));
      expect(() => pool.run(FIRST_HANDLER_OP + 1)).toThrow(/qnn-kd worker: handler failed on purpose/);
      pool.run(FIRST_HANDLER_OP, [0]); // still usable
    } finally {
      pool.dispose();
    }
  });

  it("shared pools are keyed by size and handlers module; a pool without handlers refuses their ops and messages", () => {
    expect(getSharedPool(2, handlers)).toBe(getSharedPool(2, handlers));
    expect(getSharedPool(2, handlers)).not.toBe(getSharedPool(2));
    const plain = getSharedPool(2);
    expect(() => plain.run(FIRST_HANDLER_OP)).toThrow(/unknown op code 16/);
    plain.post("all", { data: new Float64Array(1) });
    expect(() => plain.run(OP.SYNC)).toThrow(/a configuration message reached a pool without a handlers module/);
    expect(() => new SyncWorkerPool(1, { handlers: path.join(dir, "missing-handlers.js") })).toThrow(
      /handlers module .*missing-handlers\.js not found/,
    );
  });

  it("a worker that throws or dies fails the call instead of hanging; a dead pool refuses further calls", () => {
    const pool = new SyncWorkerPool(2);
    try {
      expect(() => pool.run(OP.TEST_THROW)).toThrow(/qnn-kd worker: test error from worker [01]/);
      pool.run(OP.SYNC);
      expect(() => pool.run(OP.TEST_EXIT, [1, 7])).toThrow(/worker 1 exited unexpectedly \(exit code 7\)/);
      expect(pool.dead).toBe(true);
      expect(() => pool.run(OP.SYNC)).toThrow(/the pool is dead/);
    } finally {
      pool.dispose();
    }
  });

  it("a compute worker that cannot load fails the pool's start at once (no hang)", () => {
    const script = path.join(dir, "broken-worker.js");
    fs.writeFileSync(
      script,
      `const { workerData } = require("worker_threads");\n` +
        `if (workerData.role === "compute") throw new Error("cannot load");\n` +
        `require(${JSON.stringify(defaultWorkerScript())});\n`,
    );
    const t0 = Date.now();
    expect(() => new SyncWorkerPool(2, { script })).toThrow(
      /a worker failed to start: worker [01] failed: cannot load/,
    );
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(() => new SyncWorkerPool(1, { script: path.join(dir, "missing.js") })).toThrow(/not found/);
    // a handlers module that throws when loaded fails the start the same way
    const broken = path.join(dir, "broken-handlers.js");
    fs.writeFileSync(broken, `throw new Error("handlers cannot load");\n`);
    expect(() => new SyncWorkerPool(2, { handlers: broken })).toThrow(
      /a worker failed to start: worker [01] failed: handlers cannot load/,
    );
  });
});
