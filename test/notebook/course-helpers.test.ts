// The notebook helpers the course added: log axes of lineFigure, probabilityFigure (exact and sampled bars in ket
// order), amplitudeRows (the little-endian convention shown on a state's amplitudes).
import { describe, expect, it } from "vitest";
import { Circuit, Statevector } from "qnn-kd";
import { lineFigure } from "../../src/figures/spec";
import { probabilityFigure } from "../../src/notebook/figures";
import { amplitudeRows } from "../../src/notebook/report";

describe("lineFigure axis types", () => {
  const base = { title: "t", xTitle: "x", yTitle: "y", series: [{ name: "a", x: [1, 10], y: [1, 100] }] };
  it("sets Plotly's axis type to log where asked and leaves it unset otherwise", () => {
    const f = lineFigure({ ...base, xType: "log", yType: "log" }).layout as {
      xaxis: { type?: string; title: unknown };
      yaxis: { type?: string };
    };
    expect(f.xaxis.type).toBe("log");
    expect(f.yaxis.type).toBe("log");
    expect(f.xaxis.title).toEqual({ text: "x" });
    const g = lineFigure({ ...base, yType: "linear" }).layout as { xaxis: { type?: string }; yaxis: { type?: string } };
    expect(g.xaxis.type).toBeUndefined();
    expect(g.yaxis.type).toBeUndefined();
  });
  it("rejects other axis types, quoting them", () => {
    expect(() => lineFigure({ ...base, yType: "symlog" as never })).toThrow(
      /yType must be "linear" or "log", got "symlog"/,
    );
  });
});

describe("probabilityFigure", () => {
  it("labels bars in ket order and adds sampled frequencies", () => {
    const p = new Circuit(2).x(0).run().probabilities(); // |01⟩: index 1
    const fig = probabilityFigure(p, 2, "x0", [1, 3, 0, 0]) as { data: { x: string[]; y: number[]; name: string }[] };
    expect(fig.data[0].x).toEqual(["|00⟩", "|01⟩", "|10⟩", "|11⟩"]);
    expect(fig.data[0].y).toEqual([0, 1, 0, 0]);
    expect(fig.data[1].y).toEqual([0.25, 0.75, 0, 0]);
    expect(fig.data[1].name).toBe("sampled (4 shots)");
  });
  it("rejects wrong lengths and empty counts", () => {
    expect(() => probabilityFigure([1, 0], 2, "t")).toThrow(/expected 4 probabilities for 2 qubits, got 2/);
    expect(() => probabilityFigure([1, 0], 1, "t", [0, 0])).toThrow(/counts are all zero/);
  });
});

describe("amplitudeRows", () => {
  it("lists the non-zero amplitudes with index and ket: X on qubits 0 and 2 of |000⟩ is index 5 = |101⟩", () => {
    const rows = amplitudeRows(new Circuit(3).x(0).x(2).run());
    expect(rows).toEqual([{ index: 5, ket: "|101⟩", re: 1, im: 0, probability: 1 }]);
    expect(amplitudeRows(Statevector.zero(2), -1)).toHaveLength(4);
  });
});

describe("notebookContext's part option (notebooks of a group, e.g. the course)", () => {
  it("puts a part's results in results/<experiment>/<part> unless QNN_KD_RESULTS_DIR says otherwise", async () => {
    const path = await import("path");
    const { notebookContext, clearNotebookContext } = await import("../../src/notebook/context");
    const root = path.resolve(__dirname, "../..");
    const ctx = notebookContext("course", { env: {}, part: "05-a-first-distillation", setCurrent: false });
    expect(ctx.resultsDir).toBe(path.join(root, "results", "course", "05-a-first-distillation"));
    expect(ctx.figuresDir).toBe(path.join(root, "results", "course", "05-a-first-distillation", "figures"));
    expect(
      notebookContext("course", { env: { QNN_KD_RESULTS_DIR: "/tmp/x" }, part: "01-a", setCurrent: false }).resultsDir,
    ).toBe("/tmp/x");
    expect(() => notebookContext("course", { env: {}, part: "../up" })).toThrow(/part must be a name .*got "\.\.\/up"/);
    clearNotebookContext();
  });
});
