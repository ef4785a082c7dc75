/**
 * Unit tests of the runner's pure parts: the experiment registry, kernelspec files (compared with what
 * `node_modules/tslab/python/install.py` writes), notebook reading/writing helpers, the QNN_KD_* environment and
 * the PNG export's skip path, and the output collector of a request (against the nbformat 4 output rules and the
 * Jupyter messaging spec's clear_output / update_display_data semantics). No kernel is started here.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { ALL_EXPERIMENTS_ID, resolveExperiments } from "../experiments";
import { EXPERIMENTS, type Experiment } from "qnn-kd/experiments";
import { exportFigures, listFigureSpecs } from "../export";
import { installKernelSpecs, jupyterUserDataDir, tslabKernelSpecs } from "../kernelspec";
import { cellSource, firstLineOf, Notebook, readNotebook, shortenErrorText, writeNotebook } from "../notebook";
import { ENV, runnerEnv } from "../reproduce";
import { OutputCollector, errorTextOf, type ExecuteEvent } from "../outputs";
import type { DisplayRegistry } from "../protocol";

const ROOT = path.resolve(__dirname, "..", "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-runner-unit-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("experiments registry", () => {
  it("registers table1 with its notebook", () => {
    const { units, ...entry } = EXPERIMENTS.find((e) => e.id === "table1")!;
    expect(entry).toEqual({
      id: "table1",
      title: "Yan et al. Table 1: 7-qubit ZXZ phase classification",
      notebook: "notebooks/yan-table1.ipynb",
      defaultSeeds: 5,
    });
    expect(units).toBeDefined();
    expect(new Set(EXPERIMENTS.map((e) => e.id)).size).toBe(EXPERIMENTS.length);
  });

  it("expands all in registry order and drops duplicates", () => {
    const reg: Experiment[] = [
      { id: "a", title: "A", notebook: "a.ipynb" },
      { id: "b", title: "B", notebook: "b.ipynb" },
    ];
    expect(resolveExperiments([ALL_EXPERIMENTS_ID], reg).map((e) => e.id)).toEqual(["a", "b"]);
    expect(resolveExperiments(["b", "a", "b"], reg).map((e) => e.id)).toEqual(["b", "a"]);
  });

  it("rejects unknown and missing ids, listing the known ones", () => {
    expect(() => resolveExperiments(["fig99"])).toThrow(/unknown experiment id "fig99"; known ids: .*"table1".*"all"/);
    expect(() => resolveExperiments([])).toThrow(/no experiment id given/);
  });
});

describe("kernelspecs", () => {
  it("match tslab's install.py: argv, display_name, language, --js for jslab", () => {
    const specs = tslabKernelSpecs("/x/tslab");
    expect(specs.tslab).toEqual({
      argv: ["/x/tslab", "kernel", "--config-path", "{connection_file}"],
      display_name: "TypeScript",
      language: "typescript",
    });
    expect(specs.jslab).toEqual({
      argv: ["/x/tslab", "kernel", "--config-path", "{connection_file}", "--js"],
      display_name: "JavaScript",
      language: "javascript",
    });
  });

  it("installs under a prefix with the absolute tslab binary", () => {
    const prefix = path.join(tmp, "prefix");
    const r = installKernelSpecs({ prefix, projectRoot: ROOT });
    expect(r.jupyterPath).toBe(path.join(prefix, "share", "jupyter"));
    const spec = JSON.parse(
      fs.readFileSync(path.join(prefix, "share", "jupyter", "kernels", "tslab", "kernel.json"), "utf8"),
    );
    expect(spec.argv[0]).toBe(path.join(ROOT, "node_modules", ".bin", "tslab"));
    expect(fs.existsSync(spec.argv[0])).toBe(true);
    expect(fs.existsSync(path.join(prefix, "share", "jupyter", "kernels", "jslab", "kernel.json"))).toBe(true);
  });

  it("rejects prefix together with user, and a missing tslab binary", () => {
    expect(() => installKernelSpecs({ prefix: tmp, user: true })).toThrow(/either prefix .* or user/);
    expect(() => installKernelSpecs({ prefix: tmp, tslabBinary: "/nonexistent/tslab" })).toThrow(
      /"\/nonexistent\/tslab"/,
    );
  });

  it("computes Jupyter's user data folder like jupyter_core", () => {
    expect(jupyterUserDataDir({ JUPYTER_DATA_DIR: "/j" }, "linux")).toBe("/j");
    expect(jupyterUserDataDir({ HOME: "/h" }, "linux")).toBe("/h/.local/share/jupyter");
    expect(jupyterUserDataDir({ HOME: "/h", XDG_DATA_HOME: "/x" }, "linux")).toBe("/x/jupyter");
    expect(jupyterUserDataDir({ HOME: "/h" }, "darwin")).toBe("/h/Library/Jupyter");
  });
});

describe("notebook files", () => {
  it("round-trips through writeNotebook (line lists, sorted keys) and readNotebook", () => {
    const nb: Notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        {
          cell_type: "code",
          id: "x",
          metadata: {},
          source: "a\nb",
          execution_count: 1,
          outputs: [
            { output_type: "stream", name: "stdout", text: "1\n2\n" },
            {
              output_type: "display_data",
              data: { "text/html": "<p>\n</p>", "application/json": { b: 1, a: 2 } },
              metadata: {},
            },
          ],
        },
      ],
    };
    const file = path.join(tmp, "rt", "nb.ipynb");
    writeNotebook(file, nb);
    const raw = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(raw.cells[0].source).toEqual(["a\n", "b"]);
    expect(raw.cells[0].outputs[0].text).toEqual(["1\n", "2\n"]);
    expect(raw.cells[0].outputs[1].data["text/html"]).toEqual(["<p>\n", "</p>"]);
    expect(raw.cells[0].outputs[1].data["application/json"]).toEqual({ a: 2, b: 1 });
    expect(Object.keys(raw.cells[0])).toEqual([...Object.keys(raw.cells[0])].sort());
    expect(cellSource(readNotebook(file).cells[0])).toBe("a\nb");
    expect(fs.readdirSync(path.dirname(file))).toEqual(["nb.ipynb"]); // no temp file left behind
  });

  it("rejects files that are not nbformat 4, quoting the value", () => {
    const file = path.join(tmp, "v3.ipynb");
    fs.writeFileSync(file, JSON.stringify({ nbformat: 3, worksheets: [] }));
    expect(() => readNotebook(file)).toThrow(/must be nbformat 4, got nbformat 3/);
    fs.writeFileSync(file, "{not json");
    expect(() => readNotebook(file)).toThrow(/is not valid JSON/);
    expect(() => readNotebook(path.join(tmp, "missing.ipynb"))).toThrow(/cannot read/);
  });

  it("takes the first non-empty source line and drops tslab-internal stack frames", () => {
    expect(firstLineOf("\n  \n  const x = 1;\nfoo")).toBe("const x = 1;");
    expect(firstLineOf("x".repeat(100), 10)).toBe("xxxxxxxxx…");
    const text =
      "Error: boom\n    at evalmachine.<anonymous>:2:7\n    at Script.runInThisContext (node:vm:135:14)\n    at Object.execute (/p/node_modules/tslab/dist/executor.js:160:38)";
    expect(shortenErrorText(text)).toBe("Error: boom\n    at evalmachine.<anonymous>:2:7");
  });
});

describe("runner environment", () => {
  it("sets the QNN_KD_* variables (the store only when given)", () => {
    expect(runnerEnv({ quick: true, seeds: 5, resultsDir: "/r/table1", experiment: "table1" })).toEqual({
      [ENV.quick]: "1",
      [ENV.seeds]: "5",
      [ENV.resultsDir]: "/r/table1",
      [ENV.experiment]: "table1",
    });
    expect(ENV).toEqual({
      quick: "QNN_KD_QUICK",
      seeds: "QNN_KD_SEEDS",
      resultsDir: "QNN_KD_RESULTS_DIR",
      experiment: "QNN_KD_EXPERIMENT",
      store: "QNN_KD_STORE",
    });
    expect(
      runnerEnv({ quick: false, seeds: 1, resultsDir: "/r/p", experiment: "piperno", store: "/s" })[ENV.store],
    ).toBe("/s");
    expect(() => runnerEnv({ quick: false, seeds: 0, resultsDir: "/r", experiment: "x" })).toThrow(
      /seeds must be a positive integer, got 0/,
    );
  });
});

describe("exportFigures", () => {
  it("skips with one clear line when Chromium is missing, and when there are no figures", async () => {
    const dir = path.join(tmp, "export");
    fs.mkdirSync(path.join(dir, "figures"), { recursive: true });
    fs.writeFileSync(path.join(dir, "figures", "b.json"), JSON.stringify({ data: [], layout: {} }));
    fs.writeFileSync(path.join(dir, "figures", "a.json"), JSON.stringify({ data: [], layout: {} }));
    fs.writeFileSync(path.join(dir, "figures", "notes.txt"), "ignored");
    expect(listFigureSpecs(dir).map((f) => path.basename(f))).toEqual(["a.json", "b.json"]);
    const lines: string[] = [];
    const r = await exportFigures(dir, {
      chromePath: "/nonexistent/chromium",
      log: { write: (t: string) => lines.push(t) },
    });
    expect(r).toEqual({
      written: [],
      failed: [],
      skipped: "PNG export skipped: no Chromium at /nonexistent/chromium; `apt-get install chromium` to enable",
    });
    expect(lines).toEqual([r.skipped + "\n"]);
    const none = await exportFigures(path.join(tmp, "no-figures"));
    expect(none.written).toEqual([]);
    expect(none.skipped).toMatch(/no figure specs/);
  });

  it("rejects bad sizes, quoting them", async () => {
    await expect(exportFigures(tmp, { scale: 0 })).rejects.toThrow(/scale must be a finite number > 0, got 0/);
  });
});

describe("output collector (iopub messages → nbformat 4 outputs)", () => {
  it("merges consecutive chunks of one stream, not of two; keeps displays and errors in order", () => {
    const events: ExecuteEvent[] = [];
    const c = new OutputCollector(new Map(), (e) => events.push(e));
    c.add("stream", { name: "stdout", text: "a" });
    c.add("stream", { name: "stdout", text: "b\n" });
    c.add("stream", { name: "stderr", text: "warn" });
    c.add("display_data", { data: { "text/plain": "x" }, metadata: {} });
    c.add("stream", { name: "stdout", text: "c" });
    c.add("error", { ename: "TypeError", evalue: "bad", traceback: ["at cell"] });
    c.add("status", { execution_state: "idle" });
    c.add("execute_input", { code: "1" } as never);
    expect(c.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "ab\n" },
      { output_type: "stream", name: "stderr", text: "warn" },
      { output_type: "display_data", data: { "text/plain": "x" }, metadata: {} },
      { output_type: "stream", name: "stdout", text: "c" },
      { output_type: "error", ename: "TypeError", evalue: "bad", traceback: ["at cell"] },
    ]);
    expect(events.map((e) => e.type)).toEqual(["stream", "stream", "stream", "display_data", "stream"]);
  });

  it("clear_output empties at once, or with wait just before the next output", () => {
    const c = new OutputCollector(new Map());
    c.add("stream", { name: "stdout", text: "1" });
    c.add("clear_output", { wait: false });
    expect(c.outputs).toEqual([]);
    c.add("stream", { name: "stdout", text: "2" });
    c.add("clear_output", { wait: true });
    expect(c.outputs).toHaveLength(1); // still shown until the next output
    c.add("stream", { name: "stdout", text: "3" });
    expect(c.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "3" }]);
  });

  it("update_display_data replaces every output registered under its display_id, across collectors", () => {
    const displays: DisplayRegistry = new Map();
    const first = new OutputCollector(displays);
    first.add("display_data", { data: { "text/plain": "0%" }, metadata: {}, transient: { display_id: "bar" } });
    const second = new OutputCollector(displays);
    second.add("update_display_data", {
      data: { "text/plain": "100%" },
      metadata: { done: true },
      transient: { display_id: "bar" },
    });
    second.add("update_display_data", { data: { "text/plain": "?" }, transient: { display_id: "other" } });
    expect(first.outputs).toEqual([
      { output_type: "display_data", data: { "text/plain": "100%" }, metadata: { done: true } },
    ]);
    expect(second.outputs).toEqual([]);
  });

  it("errorTextOf: the watchdog's reason first, then stderr, else error outputs, else the reply status", () => {
    const stderr = [{ output_type: "stream" as const, name: "stderr", text: "Boom\n" }];
    expect(errorTextOf("timeout", stderr, {}, { timeoutMs: 2000 })).toBe(
      "timed out after 2 s (kernel interrupted)\nBoom",
    );
    expect(errorTextOf("stuck", [], { status: "error" }, { detail: "idle 60 s" })).toBe("idle 60 s");
    expect(errorTextOf("error", [], { status: "error" })).toBe('execute_reply status "error" with no error output');
    expect(errorTextOf("error", [{ output_type: "error", ename: "E", evalue: "v", traceback: ["t"] }], {})).toBe(
      "E: v\nt",
    );
  });
});
