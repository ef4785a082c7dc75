// Figure builders (pure) and showFigure outside a kernel (saves JSON, standalone HTML and plotly.min.js).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterEach, describe, expect, it } from "vitest";
import { figureHtml, plotlyBundleHtml, saveFigure, showFigure, standaloneHtml } from "../../src/notebook/plot";
import { barFigure, lineFigure, panelGridLayout } from "../../src/figures/spec";
import { imageGridFigure } from "../../src/notebook/figures";
import { clearNotebookContext, notebookContext } from "../../src/notebook/context";
import { isTslabKernel } from "../../src/notebook/kernel";
import { pairedDifferencesFigure } from "../../src/notebook/report";
import { pairedPart } from "../../src/experiments/verdicts";

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-fig-"));
}

describe("lineFigure", () => {
  it("builds one scatter trace per series and a legend trace per hline spanning the x range", () => {
    const fig = lineFigure({
      title: "Accuracy",
      xTitle: "epoch",
      yTitle: "accuracy",
      series: [
        { name: "student", x: [1, 2, 3], y: new Float64Array([0.5, 0.6, 0.7]) },
        { name: "KD", x: [0, 4], y: [0.55, 0.8], dash: "dot", mode: "lines+markers" },
      ],
      hlines: [{ y: 0.9, name: "teacher" }],
    });
    expect(fig.data).toEqual([
      { type: "scatter", mode: "lines", name: "student", x: [1, 2, 3], y: [0.5, 0.6, 0.7], line: { dash: "solid" } },
      { type: "scatter", mode: "lines+markers", name: "KD", x: [0, 4], y: [0.55, 0.8], line: { dash: "dot" } },
      { type: "scatter", mode: "lines", name: "teacher", x: [0, 4], y: [0.9, 0.9], line: { dash: "dash" } },
    ]);
    const layout = fig.layout as Record<string, { text?: string; title?: { text: string } }>;
    expect(layout.title.text).toBe("Accuracy");
    expect(layout.xaxis.title?.text).toBe("epoch");
    expect(layout.yaxis.title?.text).toBe("accuracy");
    // typed arrays become plain arrays, so JSON holds numbers, not {"0": …}
    expect(JSON.parse(JSON.stringify(fig.data[0])).y).toEqual([0.5, 0.6, 0.7]);
  });

  it("adds symmetric error bars (error_y) to a series with error, e.g. std over seeds", () => {
    const fig = lineFigure({
      title: "",
      xTitle: "",
      yTitle: "",
      series: [
        {
          name: "mean over seeds",
          x: [1, 2, 3],
          y: [0.5, 0.6, 0.7],
          error: new Float64Array([0.01, 0, NaN]),
          mode: "lines+markers",
        },
        { name: "no error", x: [1], y: [0.4] },
      ],
    });
    expect(fig.data[0]).toEqual({
      type: "scatter",
      mode: "lines+markers",
      name: "mean over seeds",
      x: [1, 2, 3],
      y: [0.5, 0.6, 0.7],
      line: { dash: "solid" },
      // a non-finite error is no bar at that point
      error_y: { type: "data", array: [0.01, 0, null], visible: true },
    });
    expect(fig.data[1]).not.toHaveProperty("error_y");
    // typed arrays become plain arrays in the JSON
    expect(JSON.parse(JSON.stringify(fig.data[0])).error_y.array).toEqual([0.01, 0, null]);
  });

  it("rejects error bars of the wrong length, negative or not numbers, naming the series", () => {
    const base = { title: "", xTitle: "", yTitle: "" };
    expect(() => lineFigure({ ...base, series: [{ name: "kd", x: [1, 2], y: [1, 2], error: [0.1] }] })).toThrow(
      /series\[0\] \("kd"\) has 1 error values but 2 y values; they must match/,
    );
    expect(() =>
      lineFigure({
        ...base,
        series: [
          { name: "a", x: [1], y: [1] },
          { name: "kd", x: [1], y: [1], error: [-0.1] },
        ],
      }),
    ).toThrow(/series\[1\] \("kd"\)\.error\[0\] must be ≥ 0 .* got -0\.1/);
    expect(() =>
      lineFigure({ ...base, series: [{ name: "kd", x: [1], y: [1], error: ["0.1" as unknown as number] }] }),
    ).toThrow(/\("kd"\)\.error\[0\] must be a number, got "0\.1"/);
    expect(() =>
      lineFigure({ ...base, series: [{ name: "kd", x: [1], y: [1], error: 0.1 as unknown as number[] }] }),
    ).toThrow(/\("kd"\)\.error must be an array of numbers, got 0\.1/);
  });

  it("turns non-finite values into gaps (null)", () => {
    const fig = lineFigure({
      title: "",
      xTitle: "",
      yTitle: "",
      series: [{ name: "a", x: [1, 2], y: [NaN, Infinity] }],
    });
    expect((fig.data[0] as { y: unknown[] }).y).toEqual([null, null]);
  });

  it("rejects bad input with errors quoting it", () => {
    const base = { title: "", xTitle: "", yTitle: "" };
    expect(() => lineFigure({ ...base, series: [] })).toThrow(/series must be a non-empty array/);
    expect(() => lineFigure({ ...base, series: [{ name: "a", x: [1, 2], y: [1] }] })).toThrow(
      /"a"\) has 2 x values but 1 y values/,
    );
    expect(() => lineFigure({ ...base, series: [{ name: "a", x: [1], y: ["1" as unknown as number] }] })).toThrow(
      /y\[0\] must be a number, got "1"/,
    );
    expect(() => lineFigure({ ...base, series: [{ name: "a", x: [1], y: [1], dash: "wavy" as "dot" }] })).toThrow(
      /got "wavy"/,
    );
    expect(() => lineFigure({ ...base, series: [{ name: "a", x: [1], y: [1], mode: "bars" as "lines" }] })).toThrow(
      /mode must be one of .* got "bars"/,
    );
    expect(() =>
      lineFigure({ ...base, series: [{ name: "a", x: [1], y: [1] }], hlines: [{ y: NaN, name: "t" }] }),
    ).toThrow(/hlines\[0\] \("t"\)\.y must be a finite number/);
  });
});

describe("barFigure", () => {
  it("builds grouped bar traces with optional error bars", () => {
    const fig = barFigure({
      title: "Table 1",
      categories: ["MNIST", "FMNIST"],
      yTitle: "accuracy",
      series: [
        { name: "student", y: [0.9, 0.8] },
        { name: "KD", y: [0.92, 0.85], error: [0.01, 0.02] },
      ],
    });
    expect(fig.data).toEqual([
      { type: "bar", name: "student", x: ["MNIST", "FMNIST"], y: [0.9, 0.8] },
      {
        type: "bar",
        name: "KD",
        x: ["MNIST", "FMNIST"],
        y: [0.92, 0.85],
        error_y: { type: "data", array: [0.01, 0.02], visible: true },
      },
    ]);
    expect((fig.layout as { barmode: string }).barmode).toBe("group");
  });

  it("rejects mismatched lengths and empty inputs", () => {
    expect(() => barFigure({ title: "", categories: ["a", "b"], yTitle: "", series: [{ name: "s", y: [1] }] })).toThrow(
      /"s"\) has 1 values but there are 2 categories/,
    );
    expect(() => barFigure({ title: "", categories: [], yTitle: "", series: [{ name: "s", y: [] }] })).toThrow(
      /categories must be a non-empty array/,
    );
    expect(() => barFigure({ title: "", categories: ["a"], yTitle: "", series: [] })).toThrow(
      /series must be a non-empty array/,
    );
    expect(() =>
      barFigure({ title: "", categories: ["a"], yTitle: "", series: [{ name: "s", y: [1], error: [1, 2] }] }),
    ).toThrow(/2 error values/);
  });
});

describe("panelGridLayout", () => {
  it("one subplot per panel on a grid of ⌈n / columns⌉ rows, each titled above its own domain", () => {
    const l = panelGridLayout("T", ["a", "b", "c"], { columns: 2, panelWidth: 100, panelHeight: 50, extraWidth: 7 });
    expect(l.grid).toEqual({ rows: 2, columns: 2, pattern: "independent" });
    expect([l.width, l.height]).toEqual([207, 160]);
    const notes = l.annotations as { text: string; xref: string; yref: string }[];
    expect(notes.map((a) => [a.text, a.xref, a.yref])).toEqual([
      ["a", "x1 domain", "y1 domain"],
      ["b", "x2 domain", "y2 domain"],
      ["c", "x3 domain", "y3 domain"],
    ]);
    expect(() => panelGridLayout("T", [], { columns: 2, panelWidth: 1, panelHeight: 1 })).toThrow(/no panels/);
    expect(() => panelGridLayout("T", ["a"], { columns: 0, panelWidth: 1, panelHeight: 1 })).toThrow(/columns must be/);
    // imageGridFigure's layout: 220 × 230 pixels a panel
    const img = imageGridFigure([{ title: "x", values: [1, 2, 3, 4] }], "I", 3).layout as Record<string, unknown>;
    expect([img.width, img.height, (img.grid as { rows: number }).rows]).toEqual([660, 290, 1]);
  });
});

describe("figure HTML", () => {
  it("escapes data so that no string can close the script", () => {
    const fig = lineFigure({
      title: "</script><b>x</b>",
      xTitle: "",
      yTitle: "",
      series: [{ name: "<!--a&b", x: [1], y: [1] }],
    });
    const html = figureHtml(fig, "n", "div-1");
    const script = html.slice(html.indexOf("<script"));
    expect(script.match(/<\/script/gi)).toHaveLength(1); // only the closing tag
    expect(script).not.toContain("<!--");
    expect(html).toContain('id="div-1"');
    expect(html).toContain("Plotly.newPlot");
    expect(html).toContain("setTimeout(draw"); // waits for window.Plotly and the div
    // the fallback text in the div is escaped too
    expect(html).toContain("&lt;!--a&amp;b");
    const page = standaloneHtml(fig, "n");
    expect(page).toContain('<script src="plotly.min.js"');
    expect(page.match(/<\/script/gi)).toHaveLength(2);
  });

  it("inlines the Plotly bundle with define hidden", () => {
    const html = plotlyBundleHtml();
    expect(html.length).toBeGreaterThan(1_000_000);
    expect(html).toContain("window.define = undefined");
    expect(html).toContain("window.define = hiddenDefine");
    expect(html.match(/<\/script/gi)).toHaveLength(1);
  });
});

describe("showFigure outside a kernel", () => {
  afterEach(() => clearNotebookContext());

  it("is not in a kernel under vitest", () => {
    expect(isTslabKernel()).toBe(false);
  });

  it("writes <name>.json, <name>.html and plotly.min.js into dir, atomically (no temp files left)", () => {
    const dir = path.join(tmpDir(), "figures");
    const fig = lineFigure({ title: "t", xTitle: "x", yTitle: "y", series: [{ name: "a", x: [1, 2], y: [3, 4] }] });
    showFigure(fig, { name: "fig2", dir, width: 640, height: 400 });
    expect(fs.readdirSync(dir).sort()).toEqual(["fig2.html", "fig2.json", "plotly.min.js"]);
    const spec = JSON.parse(fs.readFileSync(path.join(dir, "fig2.json"), "utf8"));
    expect(spec.data).toEqual(fig.data);
    expect(spec.layout.width).toBe(640);
    expect(spec.layout.height).toBe(400);
    expect(spec.config).toEqual({ responsive: true, displaylogo: false });
    expect(fs.readFileSync(path.join(dir, "fig2.html"), "utf8")).toContain('src="plotly.min.js"');
    const bundle = fs.statSync(path.join(dir, "plotly.min.js"));
    expect(bundle.size).toBe(fs.statSync(require.resolve("plotly.js-dist-min")).size);
  });

  it("saves into the current notebook context's figuresDir by default", () => {
    const root = tmpDir();
    const ctx = notebookContext("table9", { env: {}, projectRoot: root });
    showFigure(barFigure({ title: "", categories: ["a"], yTitle: "", series: [{ name: "s", y: [1] }] }), {
      name: "bars",
    });
    expect(ctx.figuresDir).toBe(path.join(root, "results", "table9", "figures"));
    expect(fs.existsSync(path.join(ctx.figuresDir, "bars.json"))).toBe(true);
  });

  it("does not copy plotly.min.js again when it is there", () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, "plotly.min.js"), "// already here");
    saveFigure({ data: [] }, "empty", dir);
    expect(fs.readFileSync(path.join(dir, "plotly.min.js"), "utf8")).toBe("// already here");
  });

  it("skips saving when no folder is known and save is not asked for; throws when it is", () => {
    const prev = process.env.QNN_KD_RESULTS_DIR;
    delete process.env.QNN_KD_RESULTS_DIR;
    try {
      expect(() => showFigure({ data: [] }, { name: "x" })).not.toThrow();
      expect(() => showFigure({ data: [] }, { name: "x", save: true })).toThrow(
        /save is true but no folder is known for "x"/,
      );
    } finally {
      if (prev !== undefined) process.env.QNN_KD_RESULTS_DIR = prev;
    }
  });

  it("rejects bad names and options, quoting them", () => {
    const dir = tmpDir();
    expect(() => showFigure({ data: [] }, { name: "../evil", dir })).toThrow(/name must be .* got "\.\.\/evil"/);
    expect(() => showFigure({ data: [] }, { name: "ok", dir, width: 10 })).toThrow(
      /width must be an integer number of pixels in \[50, 10000\], got 10/,
    );
    expect(() => showFigure({ data: [] }, { name: "ok", dir, colour: "red" } as never)).toThrow(
      /unknown option "colour"/,
    );
    expect(() => showFigure({} as never, { name: "ok", dir })).toThrow(/fig must be \{ data/);
  });
});

describe("pairedDifferencesFigure", () => {
  const a = seedsOf([0.05, 0.07, 0.06]),
    b = seedsOf([0, 0, 0.01]);
  function seedsOf(v: number[]) {
    return v.map((value, seed) => ({ seed, value }));
  }
  const part = (test: string) =>
    pairedPart({
      claim: "KD raises",
      test,
      measure: "m",
      unit: "accuracy points",
      scale: 100,
      a,
      b,
      direction: { kind: "greater", margin: 0 },
    });
  it("draws a dot per seed and the estimate with the interval the verdict used, one row per part", () => {
    const p = part("KD − no KD > 0 points");
    const fig = pairedDifferencesFigure([p, part("again")], "title") as {
      data: { x: number[]; y: string[]; error_x?: { array: number[]; arrayminus: number[] } }[];
    };
    expect(fig.data[0].x.slice(0, 3)).toEqual([5, 7, 5].map((v) => expect.closeTo(v, 10)) as unknown as number[]);
    expect(fig.data[0].y[0]).toBe(`KD − no KD > 0 points (${p.status})`);
    expect(fig.data[1].x[0]).toBeCloseTo(p.effect!.estimate, 12);
    expect(fig.data[1].error_x!.array[0]).toBeCloseTo(p.effect!.ciHigh! - p.effect!.estimate, 12);
    expect(fig.data[1].error_x!.arrayminus[0]).toBeCloseTo(p.effect!.estimate - p.effect!.ciLow!, 12);
  });
  it("throws without per-seed values or for mixed units", () => {
    expect(() => pairedDifferencesFigure([], "t")).toThrow(/no part has per-seed values/);
    const other = { ...part("x"), effect: { ...part("x").effect!, unit: "F1 difference" as const } };
    expect(() => pairedDifferencesFigure([part("y"), other], "t")).toThrow(/share one unit/);
  });
});
