/**
 * Integration tests of the headless runner through the real tslab kernel (no Python): a fixture notebook that
 * prints, displays HTML, updates a display in place, reads the QNN_KD_* environment and writes a Plotly figure
 * spec; and a fixture with a failing cell, run through the built CLI (`dist/runner/cli.js`, so build first).
 *
 * Each test starts one kernel (about 2–4 s); the tests run concurrently, so the file takes about 10 s.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_CHROMIUM_PATH } from "../export";
import { KernelClient } from "../kernel";
import { NotebookRunError, readNotebook, runNotebook } from "../notebook";
import { runNotebookWithExport } from "../reproduce";
import { executeAfterFailure, runNode } from "../../test/helpers";

const ROOT = path.resolve(__dirname, "..", "..");
const FIXTURES = path.join(__dirname, "fixtures", "notebooks");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-runner-test-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function sink(): { write(t: string): boolean; text: () => string } {
  const parts: string[] = [];
  return { write: (t: string) => (parts.push(t), true), text: () => parts.join("") };
}

function joined(v: unknown): string {
  return Array.isArray(v) ? v.join("") : String(v);
}

describe.concurrent("runNotebookWithExport on ok.ipynb", () => {
  it("executes every code cell, records nbformat outputs, passes QNN_KD_* and exports figures", async () => {
    const resultsDir = path.join(tmp, "ok-results");
    // A figure spec that is not a Plotly figure: its export must fail alone, the notebook's figure must still export.
    fs.mkdirSync(path.join(resultsDir, "figures"), { recursive: true });
    fs.writeFileSync(path.join(resultsDir, "figures", "bad.json"), JSON.stringify({ nodata: true }));
    const out = path.join(tmp, "ok.out.ipynb");
    const stdout = sink();
    const stderr = sink();
    const r = await runNotebookWithExport("fixture-ok", path.join(FIXTURES, "ok.ipynb"), out, resultsDir, {
      quick: true,
      seeds: 3,
      cellTimeoutS: 30,
      run: { stdout, stderr },
    });
    expect(r.ok).toBe(true);
    expect(r.run.codeCellCount).toBe(6); // 7 code cells, one empty (skipped)

    const nb = readNotebook(out);
    const code = nb.cells.filter((c) => c.cell_type === "code");
    // cell 1: console.log twice → one merged stdout stream output
    expect(code[0].execution_count).toBe(1);
    expect(code[0].outputs).toEqual([{ output_type: "stream", name: "stdout", text: ["hello from cell 1\n", "3\n"] }]);
    // cell 2: tslab.display.html → display_data with text/html
    expect(code[1].outputs).toEqual([
      { output_type: "display_data", data: { "text/html": ["<b>bold</b>"] }, metadata: {} },
    ]);
    // cell 3: newDisplay updated in place → one output holding the last value, which cell 4 set
    expect(code[2].outputs).toEqual([
      {
        output_type: "display_data",
        data: { "text/plain": ["progress 100% (updated from a later cell)"] },
        metadata: {},
      },
    ]);
    expect(code[3].execution_count).toBe(4);
    expect(code[3].outputs).toEqual([]);
    // cell 5: environment and working directory
    const envText = joined((code[4].outputs![0] as { text: unknown }).text);
    expect(envText).toContain("quick=1 seeds=3 experiment=fixture-ok");
    expect(envText).toContain(`results=${resultsDir}`);
    expect(envText).toContain(`cwd=${FIXTURES}`);
    // the empty cell is not executed
    expect(code[5].execution_count).toBeNull();
    expect(code[5].outputs).toEqual([]);
    expect(code[6].execution_count).toBe(6);
    expect(nb.metadata.kernelspec).toMatchObject({ name: "tslab" });
    expect(nb.metadata.language_info).toMatchObject({ name: "typescript" });

    // live output and progress lines
    expect(stdout.text()).toContain("hello from cell 1\n3\n");
    expect(stderr.text()).toMatch(/\[cell 1\/6\] console\.log\("hello from cell 1"\);.*\d+\.\d s/);
    expect(stderr.text()).toContain("progress 100%\n");
    expect(stderr.text()).toContain("progress 100% (updated from a later cell)\n");

    // run.json records the settings
    const runJson = JSON.parse(fs.readFileSync(path.join(resultsDir, "run.json"), "utf8"));
    expect(runJson).toMatchObject({ id: "fixture-ok", quick: true, seeds: 3, ok: true });
    expect(runJson.env).toEqual({
      QNN_KD_QUICK: "1",
      QNN_KD_SEEDS: "3",
      QNN_KD_RESULTS_DIR: resultsDir,
      QNN_KD_EXPERIMENT: "fixture-ok",
    });

    // PNG export: real PNGs with Chromium, one clear skip line without it
    const chrome = process.env.CHROME_PATH || DEFAULT_CHROMIUM_PATH;
    if (fs.existsSync(chrome)) {
      const png = path.join(resultsDir, "figures", "line.png");
      expect(r.exported!.written).toEqual([png]);
      expect(fs.readFileSync(png).subarray(1, 4).toString("latin1")).toBe("PNG");
      expect(r.exported!.failed.map((f) => path.basename(f.file))).toEqual(["bad.json"]);
    } else {
      expect(r.exported!.skipped).toMatch(/^PNG export skipped: no Chromium at /);
      expect(stderr.text()).toContain("PNG export skipped: no Chromium at");
    }
  }, 180_000);
});

describe.concurrent("runNotebook on many-bars.ipynb", () => {
  it("a cell that draws 400 progress bars in one synchronous stretch runs to the end (display sends stay under zeromq's limit)", async () => {
    // Without the cap of progress.ts (KERNEL_MAX_SENDS) the 800 first and final draws overflowed the kernel's
    // zeromq queue and tslab failed the cell with status "error" and no error output (a readings section did).
    const out = path.join(tmp, "many-bars", "many-bars.out.ipynb");
    const r = await runNotebook(path.join(FIXTURES, "many-bars.ipynb"), out, { progress: false });
    expect(r.codeCellCount).toBe(1);
    const outputs = readNotebook(out).cells[0].outputs as Array<Record<string, unknown>>;
    expect(outputs.some((o) => o.output_type === "stream" && joined(o.text).includes("all bars done"))).toBe(true);
    const bars = outputs.filter((o) => o.output_type === "display_data");
    expect(bars.length).toBeGreaterThan(50); // the first bars are drawn; the rest wait for the event loop
    expect(bars.length).toBeLessThanOrEqual(400);
  }, 180_000);
});

describe.concurrent("runNotebook on fail.ipynb", () => {
  it("stops at the failing cell, writes the partial notebook and throws a NotebookRunError naming the cell", async () => {
    const out = path.join(tmp, "api-fail", "fail.out.ipynb");
    const err = await runNotebook(path.join(FIXTURES, "fail.ipynb"), out, { progress: false }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NotebookRunError);
    const f = (err as NotebookRunError).failure;
    expect(f).toMatchObject({
      cellIndex: 2,
      codeCellNumber: 2,
      codeCellCount: 3,
      firstLine: "const answer = 42;",
      reason: "error",
    });
    expect(f.errorText).toContain("Error: boom");
    expect((err as Error).message).toContain("cell 2/3 (notebook cell index 2)");
    expect((err as Error).message).toContain("boom");

    const nb = readNotebook(out);
    expect(nb.cells[0].execution_count).toBe(1);
    const failing = nb.cells[2].outputs as Array<Record<string, unknown>>;
    expect(failing.at(-1)).toEqual({ output_type: "error", ename: "Error", evalue: "boom", traceback: [] });
    expect(joined(failing[0].text)).toContain("Error: boom");
    expect(nb.cells[3].execution_count).toBeNull();
    expect(nb.cells[3].outputs).toEqual([]);
  }, 180_000);

  it("the CLI exits non-zero and prints the failing cell and its error", async () => {
    const cli = path.join(ROOT, "dist", "runner", "cli.js");
    expect(fs.existsSync(cli), "build first: node ./node_modules/typescript/bin/tsc -p .").toBe(true);
    const out = path.join(tmp, "cli-fail", "fail.out.ipynb");
    const args = [
      cli,
      "run",
      path.join(FIXTURES, "fail.ipynb"),
      "--out",
      out,
      "--results",
      path.join(tmp, "cli-fail"),
      "--quick",
      "--no-png",
    ];
    // async spawn (not spawnSync) so the concurrent tests' kernels keep being served meanwhile
    const res = await runNode(args);
    expect(res.status).toBe(1);
    expect(res.stdout).toContain("before the failure");
    expect(res.stdout).not.toContain("must not run");
    expect(res.stderr).toContain("cell 2/3 (notebook cell index 2) failed (error): const answer = 42;");
    expect(res.stderr).toContain("Error: boom");
    const nb = readNotebook(out);
    expect(nb.cells[3].execution_count).toBeNull();
  }, 180_000);
});

describe.concurrent("KernelClient", () => {
  it("interrupts a cell that runs past its timeout and stays usable", async () => {
    const k = await KernelClient.start({ cwd: tmp });
    try {
      const r = await k.execute("while (true) {}", { timeoutMs: 500 });
      expect(r.status).toBe("timeout");
      expect(r.errorText).toContain("timed out after 0.5 s");
      // a kernel that did not take the interrupt would hang here: the probe has its own limit
      const ok = await executeAfterFailure(k, 'console.log("still alive")', { timeoutMs: 60_000 });
      expect(ok.status).toBe("ok");
      expect(ok.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "still alive\n" }]);
    } finally {
      await k.shutdown();
    }
    expect(k.alive).toBe(false);
  }, 180_000);
});
