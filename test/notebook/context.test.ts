// notebookContext: environment parsing, defaults and bad values.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  clearNotebookContext,
  currentNotebookContext,
  notebookContext,
  projectRoot,
  selectedReadings,
  unitStores,
} from "../../src/notebook/context";

const ROOT = path.resolve(__dirname, "../..");

describe("notebookContext", () => {
  afterEach(() => {
    clearNotebookContext();
    vi.restoreAllMocks();
  });

  it("defaults to a full run, one seed and <projectRoot>/results/<experiment>", () => {
    const ctx = notebookContext("table1", { env: {} });
    expect(ctx).toEqual({
      experiment: "table1",
      quick: false,
      seeds: 1,
      resultsDir: path.join(ROOT, "results", "table1"),
      figuresDir: path.join(ROOT, "results", "table1", "figures"),
      inKernel: false,
      storeDir: null,
    });
    expect(currentNotebookContext()).toBe(ctx);
  });

  it("reads the unit store folder from QNN_KD_STORE (absolute only)", () => {
    const dir = path.join(os.tmpdir(), "qnnkd-ctx-store");
    const ctx = notebookContext("piperno", { env: { QNN_KD_STORE: dir } });
    expect(ctx.storeDir).toBe(dir);
    const store = unitStores(ctx)!({ a: 1 });
    expect(store.folder.startsWith(path.join(dir, "piperno"))).toBe(true);
    expect(unitStores(notebookContext("piperno", { env: {} }))).toBeNull();
    expect(() => notebookContext("piperno", { env: { QNN_KD_STORE: "rel/dir" } })).toThrow(
      'notebookContext: QNN_KD_STORE must be an absolute path, got "rel/dir"',
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("finds the project root from the module's folder", () => {
    expect(projectRoot()).toBe(ROOT);
  });

  it("reads QNN_KD_QUICK, QNN_KD_SEEDS and QNN_KD_RESULTS_DIR", () => {
    const ctx = notebookContext("fig3", {
      env: { QNN_KD_QUICK: "1", QNN_KD_SEEDS: "5", QNN_KD_RESULTS_DIR: "/tmp/out/fig3" },
    });
    expect(ctx.quick).toBe(true);
    expect(ctx.seeds).toBe(5);
    expect(ctx.resultsDir).toBe("/tmp/out/fig3");
    expect(ctx.figuresDir).toBe("/tmp/out/fig3/figures");
    expect(notebookContext("x", { env: { QNN_KD_QUICK: "false", QNN_KD_SEEDS: " 2 " } })).toMatchObject({
      quick: false,
      seeds: 2,
    });
    expect(notebookContext("x", { env: { QNN_KD_QUICK: "", QNN_KD_SEEDS: "" } })).toMatchObject({
      quick: false,
      seeds: 1,
    });
  });

  it("does not become current with setCurrent: false", () => {
    notebookContext("x", { env: {}, setCurrent: false });
    expect(currentNotebookContext()).toBeNull();
  });

  it("rejects bad values, quoting them", () => {
    expect(() => notebookContext("t", { env: { QNN_KD_QUICK: "yes" } })).toThrow(/QNN_KD_QUICK must be .* got "yes"/);
    expect(() => notebookContext("t", { env: { QNN_KD_SEEDS: "0" } })).toThrow(
      /QNN_KD_SEEDS must be an integer in \[1, 1000\], got "0"/,
    );
    expect(() => notebookContext("t", { env: { QNN_KD_SEEDS: "2.5" } })).toThrow(/got "2.5"/);
    expect(() => notebookContext("t", { env: { QNN_KD_SEEDS: "3x" } })).toThrow(/got "3x"/);
    expect(() => notebookContext("t", { env: { QNN_KD_RESULTS_DIR: "results/t" } })).toThrow(
      /QNN_KD_RESULTS_DIR must be an absolute path, got "results\/t"/,
    );
    expect(() => notebookContext("../t", { env: {} })).toThrow(/experiment must be .* got "\.\.\/t"/);
    expect(() => notebookContext("t", { env: {}, quick: true } as never)).toThrow(/unknown option "quick"/);
  });

  it("warns (stderr) when QNN_KD_EXPERIMENT names another experiment", () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const ctx = notebookContext("table1", { env: { QNN_KD_EXPERIMENT: "table2" } });
    expect(ctx.experiment).toBe("table1");
    expect(String(write.mock.calls[0][0])).toMatch(/QNN_KD_EXPERIMENT is "table2" but the notebook says "table1"/);
    write.mockClear();
    notebookContext("table1", { env: { QNN_KD_EXPERIMENT: "table1" } });
    expect(write).not.toHaveBeenCalled();
  });
});

describe("selectedReadings", () => {
  const readings = [{ name: "a" }, { name: "b" }, { name: "c" }];
  it('gives all readings when QNN_KD_READINGS is unset or empty, none for "none", else those named, in the list\'s order', () => {
    expect(selectedReadings(readings, {}).map((r) => r.name)).toEqual(["a", "b", "c"]);
    expect(selectedReadings(readings, { QNN_KD_READINGS: " " }).map((r) => r.name)).toEqual(["a", "b", "c"]);
    expect(selectedReadings(readings, { QNN_KD_READINGS: "none" })).toEqual([]);
    expect(selectedReadings(readings, { QNN_KD_READINGS: "c, a" }).map((r) => r.name)).toEqual(["a", "c"]);
  });
  it("rejects a name the list does not have, listing those it has", () => {
    expect(() => selectedReadings(readings, { QNN_KD_READINGS: "a,z" })).toThrow(
      'selectedReadings: QNN_KD_READINGS names "z", which is not one of "a", "b", "c"',
    );
  });
});
