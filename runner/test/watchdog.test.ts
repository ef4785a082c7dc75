/**
 * The runner's watchdog through the real tslab kernel (see the module doc of runner/watchdog.ts):
 * - a kernel killed from outside while its cell computes synchronously fails that cell at once (API);
 * - a kernel that kills itself mid-cell makes the CLI exit 1 with a message naming the cell (built CLI: build first);
 * - a cell awaiting a promise that never settles fails within the idle timeout (2 s here);
 * - a 6 s synchronous cell, a 4 s timer wait and a 4 s worker-thread wait are NOT stuck under the same 2 s limit;
 * - through KernelClient, a stuck request resolves with status "stuck" and the kernel stays usable.
 *
 * In every failure the partial notebook is written with the earlier cells' outputs, the failing cell's outputs so
 * far and an error output naming the reason. Each test starts one kernel; they run concurrently (about 20 s).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { KernelClient } from "../kernel";
import { NotebookRunError, readNotebook, runNotebook } from "../notebook";
import { executeAfterFailure, runNode, processAlive } from "../../test/helpers";

const ROOT = path.resolve(__dirname, "..", "..");
const FIXTURES = path.join(__dirname, "fixtures", "notebooks");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-watchdog-test-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function joined(v: unknown): string {
  return Array.isArray(v) ? v.join("") : String(v);
}

/** The texts of a cell's stream outputs, joined. */
function streamText(outputs: unknown[] | undefined): string {
  return (outputs ?? [])
    .filter((o) => (o as { output_type: string }).output_type === "stream")
    .map((o) => joined((o as { text: unknown }).text))
    .join("");
}

async function failureOf(p: Promise<unknown>): Promise<NotebookRunError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(NotebookRunError);
  return err as NotebookRunError;
}

describe.concurrent("runner watchdog", () => {
  it("a kernel SIGKILLed while its cell computes fails that cell at once, with the partial notebook", async () => {
    const out = path.join(tmp, "killed", "kernel-killed.ipynb");
    let killedAt = 0;
    let kernelPid = 0;
    let text = "";
    const stdout = {
      write: (t: string) => {
        text += t;
        const m = /KERNEL_PID (\d+)/.exec(text);
        if (m && !killedAt) {
          kernelPid = Number(m[1]);
          // let the cell enter its synchronous loop (the kernel then answers nothing), then kill it
          setTimeout(() => {
            killedAt = performance.now();
            process.kill(kernelPid, "SIGKILL");
          }, 500);
        }
        return true;
      },
    };
    const err = await failureOf(
      runNotebook(path.join(FIXTURES, "kernel-killed.ipynb"), out, {
        stdout,
        stderr: { write: () => true },
        idleTimeoutS: 2,
      }),
    );
    const failedAfterS = (performance.now() - killedAt) / 1000;
    expect(killedAt).toBeGreaterThan(0);
    expect(failedAfterS).toBeLessThan(10); // noticed in about 0.3 s; the cell's own loop would run 60 s (room for a loaded machine)
    expect(err.failure).toMatchObject({
      cellIndex: 1,
      codeCellNumber: 2,
      codeCellCount: 3,
      reason: "kernel-died",
      firstLine: expect.stringContaining("the test reads this pid"),
    });
    expect(err.failure.errorText).toContain("signal SIGKILL");
    expect(err.message).toContain("cell 2/3 (notebook cell index 1) failed (kernel-died)");
    expect(err.message).toContain(`partial notebook written to ${out}`);
    expect(processAlive(kernelPid)).toBe(false);

    const nb = readNotebook(out);
    expect(nb.cells[0].execution_count).toBe(1);
    expect(streamText(nb.cells[0].outputs)).toBe("before the kill\n");
    expect(streamText(nb.cells[1].outputs)).toContain(`KERNEL_PID ${kernelPid}`);
    expect(nb.cells[1].outputs!.at(-1)).toMatchObject({ output_type: "error", ename: "KernelDiedError" });
    expect(nb.cells[2].execution_count).toBeNull();
    expect(nb.cells[2].outputs).toEqual([]);
  }, 120_000);

  it("the CLI exits 1 within seconds when the kernel kills itself mid-cell, naming the cell", async () => {
    const cli = path.join(ROOT, "dist", "runner", "cli.js");
    expect(fs.existsSync(cli), "build first: npm run build").toBe(true);
    const out = path.join(tmp, "dies", "kernel-dies.ipynb");
    const args = [
      cli,
      "run",
      path.join(FIXTURES, "kernel-dies.ipynb"),
      "--out",
      out,
      "--results",
      path.join(tmp, "dies"),
      "--no-png",
    ];
    const t0 = performance.now();
    const res = await runNode(args);
    const seconds = (performance.now() - t0) / 1000;
    expect(res.status).toBe(1);
    expect(seconds).toBeLessThan(100); // does not hang: kernel start included (slow on a loaded machine); the death itself is noticed in about 0.3 s
    expect(res.stdout).toContain("about to die");
    expect(res.stdout).not.toContain("must not run");
    expect(res.stderr).toContain('cell 2/3 (notebook cell index 2) failed (kernel-died): console.log("about to die");');
    expect(res.stderr).toContain("tslab kernel exited unexpectedly (signal SIGKILL)");
    expect(res.stderr).toContain(`partial notebook written to ${out}`);

    const nb = readNotebook(out);
    expect(streamText(nb.cells[0].outputs)).toBe("before the crash\n");
    expect(streamText(nb.cells[2].outputs)).toBe("about to die\n");
    expect(nb.cells[2].outputs!.at(-1)).toMatchObject({ output_type: "error", ename: "KernelDiedError" });
    expect(nb.cells[3].execution_count).toBeNull();
    const runJson = JSON.parse(fs.readFileSync(path.join(tmp, "dies", "run.json"), "utf8"));
    expect(runJson).toMatchObject({
      ok: false,
      cellTimeoutS: 0,
      idleTimeoutS: 60,
      failure: { reason: "kernel-died", cellIndex: 2 },
    });
  }, 120_000);

  it("a cell awaiting a promise that never settles fails within the idle timeout", async () => {
    const out = path.join(tmp, "stuck", "stuck.ipynb");
    const err = await failureOf(
      runNotebook(path.join(FIXTURES, "stuck.ipynb"), out, { progress: false, idleTimeoutS: 2 }),
    );
    expect(err.failure).toMatchObject({
      cellIndex: 1,
      codeCellNumber: 2,
      reason: "stuck",
      firstLine: 'console.log("waiting forever");',
    });
    expect(err.failure.errorText).toMatch(/kernel idle without replying for \d+\.\d s/);
    expect(err.message).toContain("cell 2/3 (notebook cell index 1) failed (stuck)");
    const cell = err.result.cells.at(-1)!;
    expect(cell.status).toBe("stuck");
    expect(cell.durationS).toBeGreaterThanOrEqual(2);
    expect(cell.durationS).toBeLessThan(15); // 2 s idle timeout + one probe interval (about 2.5 s), with room for a loaded machine

    const nb = readNotebook(out);
    expect(streamText(nb.cells[0].outputs)).toBe("before the stuck cell\n");
    expect(streamText(nb.cells[1].outputs)).toBe("waiting forever\n");
    expect(nb.cells[1].outputs!.at(-1)).toMatchObject({ output_type: "error", ename: "KernelIdleError" });
    expect(nb.cells[2].execution_count).toBeNull();
  }, 120_000);

  it("does not stop a long synchronous cell, a timer wait or a worker wait (idle timeout 2 s)", async () => {
    const out = path.join(tmp, "slow", "slow-ok.ipynb");
    const r = await runNotebook(path.join(FIXTURES, "slow-ok.ipynb"), out, { progress: false, idleTimeoutS: 2 });
    expect(r.ok).toBe(true);
    expect(r.cells.map((c) => c.status)).toEqual(["ok", "ok", "ok"]);
    expect(r.cells[0].durationS).toBeGreaterThanOrEqual(6);
    expect(r.cells[1].durationS).toBeGreaterThanOrEqual(4);
    expect(r.cells[2].durationS).toBeGreaterThanOrEqual(4);
    const nb = readNotebook(out);
    expect(nb.cells.map((c) => streamText(c.outputs))).toEqual(["sync done\n", "timer done\n", "worker done 7\n"]);
  }, 120_000);

  it("KernelClient: a stuck request ends with status stuck and the kernel takes the next request", async () => {
    const k = await KernelClient.start({ cwd: tmp });
    try {
      expect(k.hasAgent).toBe(true);
      expect(k.baseline).not.toBeNull();
      const r = await k.execute("await new Promise(() => {});", { idleTimeoutMs: 1500 });
      expect(r.status).toBe("stuck");
      expect(r.errorText).toContain("kernel idle without replying");
      const ok = await executeAfterFailure(k, 'console.log("still alive")', { idleTimeoutMs: 1500 });
      expect(ok.status).toBe("ok");
      expect(ok.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "still alive\n" }]);
      await expect(k.execute("1", { idleTimeoutMs: -1 })).rejects.toThrow(/idleTimeoutMs must be a finite number >= 0/);
    } finally {
      await k.shutdown();
    }
  }, 120_000);

  it("rejects bad timeout values clearly", async () => {
    const nb = path.join(FIXTURES, "ok.ipynb");
    await expect(runNotebook(nb, path.join(tmp, "x.ipynb"), { idleTimeoutS: -1 })).rejects.toThrow(
      /idleTimeoutS must be a finite number >= 0/,
    );
    await expect(runNotebook(nb, path.join(tmp, "x.ipynb"), { cellTimeoutS: Number.NaN })).rejects.toThrow(
      /cellTimeoutS must be a finite number >= 0/,
    );
  });
});
