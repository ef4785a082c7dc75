/**
 * The figures of the Yan et al. notebooks, built from what the experiments return (accuracies, result rows,
 * training histories, epoch curves), so that a cell names the figure and passes the numbers. Pure: each returns
 * `{ data, layout }` (or a series) for `showFigure` / `lineFigure`; nothing is displayed or written.
 *
 * @packageDocumentation
 */
import { zxzPhaseDiagram } from "../datasets/zxz";
import { bitstring } from "../sim/state/measure";
import type { StudentPair } from "../experiments/protocol";
import type { ResultRow } from "../experiments/results";
import { groupMeanStd, type MeanStd } from "../experiments/seeds";
import type { EpochPoint } from "../experiments/yanFig6";
import type { HistoryRow } from "../train/fit";
import { barFigure, lineFigure, type Dash, type LineSeries } from "./plot";
import { formatValue } from "../util/format";
import type { LearningCurvesInput } from "./training";

/** The part of a line figure's Plotly layout that the paper figures adjust (Plotly's `layout.xaxis`, `annotations`). */
type AxisLayout = {
  xaxis: Record<string, unknown>;
  yaxis: Record<string, unknown>;
  margin?: Record<string, number>;
  annotations?: object[];
};

type Figure = { data: object[]; layout: object };

/**
 * The ZXZ chain's phase diagram at `nQubits` (exact ground states): the string order parameter and the
 * ground-state energy per site against h1.
 */
export function zxzPhaseFigure(nQubits: number, h1Grid: number[], couplings: { J: number; h2: number }): Figure {
  const phase = zxzPhaseDiagram(nQubits, h1Grid, { J: couplings.J, h2: couplings.h2 });
  return lineFigure({
    title: `ZXZ chain, N = ${nQubits}: string order and ground-state energy per site`,
    xTitle: "h1",
    yTitle: "value",
    series: [
      { name: "string order ⟨Z X X … X Z⟩", x: h1Grid, y: phase.map((r) => r.stringOrder), mode: "lines+markers" },
      { name: "E0 / N", x: h1Grid, y: phase.map((r) => r.energy / nQubits), dash: "dot" },
    ],
    hlines: [{ y: 0, name: "0", dash: "dot" }],
  });
}

/** The learning curves of students without (dotted) and with KD, for {@link learningCurves}: `<label>, no KD` / `<label>, KD`. */
export function studentCurves(
  specs: readonly { id: string; label: string }[],
  pairs: Record<string, Pick<StudentPair, "noKd" | "kd">>,
): LearningCurvesInput["curves"] {
  return specs.flatMap((s) => [
    { name: `${s.label}, no KD`, history: pairs[s.id].noKd.result.history, dash: "dot" as Dash },
    { name: `${s.label}, KD`, history: pairs[s.id].kd.result.history },
  ]);
}

/** Accuracies a depth figure draws: the teacher's and, per student depth, without and with KD. */
export interface DepthAccuracies {
  teacher: number;
  students: { nLayers: number; noKd: number; kd: number }[];
}

function wrap(text: string, width = 26): string {
  return text
    .split(" ")
    .reduce((lines: string[], w) => {
      const last = lines[lines.length - 1];
      if (last !== undefined && (last + " " + w).length <= width) lines[lines.length - 1] = last + " " + w;
      else lines.push(w);
      return lines;
    }, [])
    .join("<br>");
}

/**
 * Fig. 4: test accuracy against student depth, without (dotted) and with KD, the teacher as a dashed line, and
 * the paper's claim written at each depth it is about (`claims`, e.g. `FIG4_PAPER_CLAIMS`). With `err`
 * (standard deviations over seeds, same shape as `acc`) the points get ± error bars, move 0.04 apart so the
 * bars do not overlap, and the teacher's spread goes in its legend entry.
 */
export function fig4DepthFigure(
  c: { T: number; alpha: number; teacherLayers: number },
  acc: DepthAccuracies,
  title: string,
  claims: Readonly<Record<number, string>>,
  err?: DepthAccuracies,
): Figure {
  const depths = acc.students.map((s) => s.nLayers);
  const dodge = (dx: number) => depths.map((L) => (err ? L + dx : L));
  const spread = err ? `, mean ± std: ${(100 * acc.teacher).toFixed(1)} ± ${(100 * err.teacher).toFixed(1)}%` : "";
  const fig = lineFigure({
    title,
    xTitle: "student layers",
    yTitle: "test accuracy",
    series: [
      {
        name: "student without KD",
        x: dodge(-0.04),
        y: acc.students.map((s) => s.noKd),
        mode: "lines+markers",
        dash: "dot",
        ...(err ? { error: err.students.map((s) => s.noKd) } : {}),
      },
      {
        name: `student with KD (T = ${c.T}, α = ${c.alpha})`,
        x: dodge(0.04),
        y: acc.students.map((s) => s.kd),
        mode: "lines+markers",
        ...(err ? { error: err.students.map((s) => s.kd) } : {}),
      },
    ],
    hlines: [{ y: acc.teacher, name: `teacher (${c.teacherLayers} layers)${spread}`, dash: "dash" }],
  });
  const layout = fig.layout as AxisLayout;
  layout.xaxis.tickvals = depths;
  layout.xaxis.range = [Math.min(...depths) - 0.5, Math.max(...depths) + 0.5];
  layout.annotations = Object.keys(claims)
    .map(Number)
    .filter((L) => depths.includes(L))
    .map((L) => ({
      x: L,
      y: 0,
      xref: "x",
      yref: "paper",
      yanchor: "bottom",
      showarrow: false,
      font: { size: 10, color: "#555" },
      text: wrap(`paper: ${claims[L].replace(/^\d layers?: /, "")}`),
    }));
  const e = (j: number, k: "kd" | "noKd") => err?.students[j][k] ?? 0;
  const low = acc.students.map((s, j) => Math.min(s.kd - e(j, "kd"), s.noKd - e(j, "noKd")));
  const high = acc.students.map((s, j) => Math.max(s.kd + e(j, "kd"), s.noKd + e(j, "noKd")) + 0.02);
  layout.yaxis.range = [Math.min(0.4, ...low, acc.teacher) - 0.2, Math.max(1.02, ...high)];
  layout.margin = { ...layout.margin, b: 80 };
  return fig;
}

/** Train and test accuracies per student depth, as a sweep's `SweepAccuracies`. */
export interface DepthTrainTestAccuracies extends DepthAccuracies {
  students: { nLayers: number; noKd: number; kd: number; noKdTrain: number; kdTrain: number }[];
}

/**
 * Fig. 5: train and test accuracy against student depth, without (dotted) and with KD (series in that order:
 * test no KD, test KD, train no KD, train KD), the teacher's test accuracy and the paper's 0.92 plateau
 * (`plateau`) as lines. With `opts.err` (standard deviations over seeds) every point gets ± error bars.
 * @param opts.kdName - the legend name of the KD test series. @defaultValue "test, with KD"
 */
export function fig5DepthFigure(
  acc: DepthTrainTestAccuracies,
  title: string,
  teacherLayers: number,
  plateau: number,
  opts: { err?: DepthTrainTestAccuracies; kdName?: string } = {},
): Figure {
  const depths = acc.students.map((s) => s.nLayers);
  const pick = (a: DepthTrainTestAccuracies, k: "noKd" | "kd" | "noKdTrain" | "kdTrain") => a.students.map((s) => s[k]);
  const series = (name: string, k: "noKd" | "kd" | "noKdTrain" | "kdTrain", dash?: Dash): LineSeries => ({
    name,
    x: depths,
    y: pick(acc, k),
    mode: "lines+markers",
    ...(dash ? { dash } : {}),
    ...(opts.err ? { error: pick(opts.err, k) } : {}),
  });
  const fig = lineFigure({
    title,
    xTitle: "student layers",
    yTitle: "accuracy",
    series: [
      series("test, without KD", "noKd", "dot"),
      series(opts.kdName ?? "test, with KD", "kd"),
      series("train, without KD", "noKdTrain", "dot"),
      series("train, with KD", "kdTrain"),
    ],
    hlines: [
      { y: acc.teacher, name: `teacher test (${teacherLayers} layers)`, dash: "dash" },
      { y: plateau, name: `paper: non-KD plateau ${plateau}`, dash: "dot" },
    ],
  });
  const layout = fig.layout as AxisLayout;
  layout.xaxis.tickvals = depths;
  layout.xaxis.range = [Math.min(...depths) - 0.3, Math.max(...depths) + 0.3];
  return fig;
}

/**
 * Bars of mean ± std over seeds per group (e.g. `groupMeanStd` of test accuracy by run label), beside a
 * reference value per group (e.g. the paper's; NaN where there is none).
 */
export function seedBarsFigure(
  title: string,
  groups: ReadonlyMap<string, MeanStd>,
  oursName: string,
  reference: { name: string; values: ReadonlyMap<string, number | null> },
): Figure {
  const cats = [...groups.keys()];
  return barFigure({
    title,
    categories: cats,
    yTitle: "test accuracy",
    series: [
      { name: oursName, y: cats.map((k) => groups.get(k)!.mean), error: cats.map((k) => groups.get(k)!.std) },
      { name: reference.name, y: cats.map((k) => reference.values.get(k) ?? NaN) },
    ],
  });
}

/** One line of an epoch curve (epoch 0 = before training): `key` of every point where it is known. */
export function epochSeries(
  points: readonly EpochPoint[],
  name: string,
  opts: { key?: "testAccuracy" | "trainAccuracy"; dash?: Dash; markers?: boolean } = {},
): LineSeries {
  const key = opts.key ?? "testAccuracy";
  const pts = points.filter((p) => p[key] != null);
  return {
    name,
    x: pts.map((p) => p.epoch),
    y: pts.map((p) => p[key] as number),
    ...(opts.markers ? { mode: "lines+markers" as const } : {}),
    ...(opts.dash ? { dash: opts.dash } : {}),
  };
}

/** The mean over each epoch's batches of a history field (`loss`, or the KD run's `ce` and `kl` terms), as a line. */
export function epochLossSeries(
  history: readonly HistoryRow[],
  key: "loss" | "ce" | "kl",
  name: string,
  dash?: Dash,
): LineSeries {
  const sums = new Map<number, [number, number]>();
  for (const r of history) {
    const v = r[key] as number;
    const s = sums.get(r.epoch as number) ?? [0, 0];
    sums.set(r.epoch as number, [s[0] + v, s[1] + 1]);
  }
  const e = [...sums];
  return { name, x: e.map(([k]) => k), y: e.map(([, [s, n]]) => s / n), ...(dash ? { dash } : {}) };
}

/**
 * Test accuracy per epoch of one model over seeds, from Fig. 6's per-epoch result rows (`rowType: "epoch"`):
 * the mean per epoch with ± one sample standard deviation as error bars.
 */
export function epochSeedSeries(rows: readonly ResultRow[], model: string, name: string, dash?: Dash): LineSeries {
  const g = [
    ...groupMeanStd(
      rows,
      (r) => (r.rowType === "epoch" && r.model === model ? String(r.epoch) : null),
      (r) => r.testAccuracy,
    ),
  ];
  return {
    name,
    x: g.map(([e]) => Number(e)),
    y: g.map(([, v]) => v.mean),
    error: g.map(([, v]) => v.std),
    mode: "lines+markers",
    ...(dash ? { dash } : {}),
  };
}

/** A state-encoded 28 × 28 image: the first 784 amplitudes of `state`, folded back into rows, as a heatmap. */
export function amplitudeImage(state: { re: ArrayLike<number> }, title: string): Figure {
  const amp = Array.from({ length: 784 }, (_, i) => state.re[i]);
  return {
    data: [
      {
        type: "heatmap",
        z: Array.from({ length: 28 }, (_, r) => amp.slice(28 * r, 28 * r + 28)),
        colorscale: "Greys",
        reversescale: true,
      },
    ],
    layout: { title: { text: title }, yaxis: { autorange: "reversed", scaleanchor: "x" }, width: 480, height: 460 },
  };
}

/** Explained variance per PCA component and its cumulative sum, against the component number (1-based). */
export function explainedVarianceFigure(explained: readonly number[]): Figure {
  const comps = explained.map((_, i) => i + 1);
  let acc = 0;
  const cumulative = explained.map((v) => (acc += v));
  return lineFigure({
    title: `PCA of the training images: explained variance per component (${explained.length} kept)`,
    xTitle: "component",
    yTitle: "fraction of the pixel variance",
    series: [
      { name: "per component", x: comps, y: explained, mode: "lines+markers" },
      { name: "cumulative", x: comps, y: cumulative, mode: "lines+markers", dash: "dot" },
    ],
  });
}

/** Fraction of images whose bit is 1 per PCA component: min-max scaled bits (train, test) and raw scores (train). */
export function bitBalanceFigure(balance: {
  minmax: { train: ArrayLike<number>; test: ArrayLike<number> };
  raw: { train: ArrayLike<number> };
}): Figure {
  const n = balance.minmax.train.length;
  return barFigure({
    title: "Bit balance: fraction of images with bit = 1, per PCA component",
    categories: Array.from({ length: n }, (_, i) => String(i + 1)),
    xTitle: "component (= qubit + 1)",
    yTitle: "fraction of ones",
    series: [
      { name: "min-max scaled, train", y: balance.minmax.train },
      { name: "min-max scaled, test", y: balance.minmax.test },
      { name: "raw scores, train", y: balance.raw.train },
    ],
  });
}

/**
 * Fig. 1 of Piperno et al. as the paper draws it: per architecture, bars of the mean test F1 over seeds without and
 * with KD, the variance over seeds written on top of each bar (and the standard deviation as its error bar), the
 * parameter count at the base (in the category label).
 */
export function pipernoFig1Figure(
  summaries: readonly {
    architecture: string;
    nParams: number;
    noKd: MeanStd & { variance: number };
    kd: (MeanStd & { variance: number }) | null;
  }[],
  label: (architecture: string) => string,
  title = "Piperno et al. Fig. 1: test F1 over seeds",
): Figure {
  const students = summaries.filter((s) => s.kd !== null);
  const cats = students.map((s) => `${label(s.architecture)}<br>${s.nParams} params`);
  const v = (x: number) => `var ${formatValue(x, "variance")}`;
  return barFigure({
    title,
    categories: cats,
    yTitle: "test F1 (macro)",
    series: [
      {
        name: "without KD",
        y: students.map((s) => s.noKd.mean),
        error: students.map((s) => s.noKd.std),
        text: students.map((s) => v(s.noKd.variance)),
      },
      {
        name: "with KD",
        y: students.map((s) => s.kd!.mean),
        error: students.map((s) => s.kd!.std),
        text: students.map((s) => v(s.kd!.variance)),
      },
    ],
  });
}

/**
 * Hasan & Mahdy Fig. 12 for one dataset: test error (%) per ablation method, ours (mean ± std over seeds) beside
 * the paper's value read from its figure, one pair of bar groups per qubit count.
 * @param entries - `hasan.fig12Entries` of the result rows (any datasets; those of `dataset` are drawn).
 * @throws Error when there is no entry for `dataset`.
 */
export function hasanFig12Figure(
  entries: readonly {
    dataset: string;
    nQubits: number;
    method: string;
    error: number;
    std: number;
    nSeeds: number;
    paper: number | null;
  }[],
  dataset: string,
  methodLabel: (method: string) => string = (m) => m,
): Figure {
  const mine = entries.filter((e) => e.dataset === dataset);
  if (mine.length === 0) throw new Error(`hasanFig12Figure: no entries for dataset ${JSON.stringify(dataset)}`);
  const methods = [...new Set(mine.map((e) => e.method))];
  const qs = [...new Set(mine.map((e) => e.nQubits))].sort((a, b) => a - b);
  const at = (q: number, m: string) => mine.find((e) => e.nQubits === q && e.method === m);
  const series = qs.flatMap((q) => [
    {
      name: `ours, ${q} qubits`,
      y: methods.map((m) => at(q, m)?.error ?? NaN),
      error: methods.map((m) => at(q, m)?.std ?? 0),
    },
    { name: `paper, ${q} qubits`, y: methods.map((m) => at(q, m)?.paper ?? NaN) },
  ]);
  const n = Math.max(...mine.map((e) => e.nSeeds));
  return barFigure({
    title: `Hasan & Mahdy Fig. 12, ${dataset}: test error by reduction and encoding (${n} seed${n === 1 ? "" : "s"})`,
    categories: methods.map(methodLabel),
    series,
    yTitle: "test error (%)",
  });
}

/**
 * A grid of small heatmaps, e.g. an image and the features each reduction makes of it: a panel with a square
 * number of values is drawn as an s × s image (row-major), any other as one row.
 * @param columns - panels per row. @defaultValue 4
 * @throws Error for no panels or an empty panel.
 */
export function imageGridFigure(
  panels: readonly { title: string; values: ArrayLike<number> }[],
  title: string,
  columns = 4,
): Figure {
  if (panels.length === 0) throw new Error("imageGridFigure: no panels");
  const rows = Math.ceil(panels.length / columns);
  const data = panels.map((p, i) => {
    if (p.values.length === 0) throw new Error(`imageGridFigure: panel ${i} (${p.title}) has no values`);
    const v = Array.from(p.values),
      s = Math.round(Math.sqrt(v.length));
    const z = s * s === v.length ? Array.from({ length: s }, (_, r) => v.slice(r * s, (r + 1) * s)) : [v];
    return {
      type: "heatmap",
      z,
      colorscale: "Greys",
      reversescale: true,
      showscale: false,
      xaxis: `x${i + 1}`,
      yaxis: `y${i + 1}`,
      name: p.title,
    };
  });
  const layout: Record<string, unknown> = {
    title: { text: title },
    grid: { rows, columns, pattern: "independent" },
    width: 220 * columns,
    height: 230 * rows + 60,
    annotations: panels.map((p, i) => ({
      text: p.title,
      showarrow: false,
      xref: `x${i + 1} domain`,
      yref: `y${i + 1} domain`,
      x: 0.5,
      y: 1.12,
      font: { size: 11 },
    })),
  };
  panels.forEach((_, i) => {
    layout[`xaxis${i + 1}`] = { visible: false };
    layout[`yaxis${i + 1}`] = { visible: false, autorange: "reversed", scaleanchor: `x${i + 1}` };
  });
  return { data, layout };
}

/**
 * Measurement probabilities of an `nQubits`-qubit state as bars over the basis states, labelled in ket order
 * (`|q_{n−1} … q_0⟩`, see `bitstring`); with `counts` (e.g. `measurementCounts` of sampled shots) a second group of
 * bars shows the sampled frequencies counts / Σ counts beside the exact probabilities.
 * @param probabilities - 2^nQubits probabilities (e.g. `state.probabilities()`).
 * @throws Error when `probabilities` (or `counts`) does not have 2^nQubits entries, or the counts are all zero.
 */
export function probabilityFigure(
  probabilities: ArrayLike<number>,
  nQubits: number,
  title: string,
  counts?: ArrayLike<number>,
): Figure {
  const dim = 2 ** nQubits;
  if (probabilities.length !== dim)
    throw new Error(
      `probabilityFigure: expected ${dim} probabilities for ${nQubits} qubits, got ${probabilities.length}`,
    );
  const categories = Array.from({ length: dim }, (_, i) => `|${bitstring(i, nQubits)}⟩`);
  const series = [{ name: "exact |amplitude|²", y: Array.from(probabilities) }];
  if (counts !== undefined) {
    if (counts.length !== dim)
      throw new Error(`probabilityFigure: expected ${dim} counts for ${nQubits} qubits, got ${counts.length}`);
    const shots = Array.from(counts).reduce((a, b) => a + b, 0);
    if (!(shots > 0)) throw new Error("probabilityFigure: the counts are all zero");
    series.push({ name: `sampled (${shots} shots)`, y: Array.from(counts, (c) => c / shots) });
  }
  return barFigure({ title, categories, series, yTitle: "probability", xTitle: "basis state (qubit n−1 … qubit 0)" });
}

/**
 * Test accuracy against the depolarising probability p (the noisy-teacher notebook): one line per curve of
 * `noisyTeacher.noiseCurves` whose `experiment` is given, mean ± std over seeds as error bars. The noise levels sit
 * at equal spacing, labelled by their value (p = 0 cannot sit on a log axis); `hlines` adds reference lines.
 */
export function noiseCurvesFigure(
  levels: readonly number[],
  curves: readonly { experiment: string; name: string; points: readonly (MeanStd | null)[] }[],
  experiment: string,
  title: string,
  hlines: { y: number; name: string }[] = [],
): Figure {
  const x = levels.map((_, i) => i);
  const series: LineSeries[] = curves
    .filter((c) => c.experiment === experiment)
    .map((c) => ({
      name: c.name,
      x,
      y: c.points.map((p) => (p ? p.mean : NaN)),
      error: c.points.map((p) => (p && p.n > 1 ? p.std : 0)),
      mode: "lines+markers",
      ...(c.name === "no KD" ? { dash: "dot" as Dash } : {}),
    }));
  if (series.length === 0) throw new Error(`noiseCurvesFigure: no curve of experiment ${JSON.stringify(experiment)}`);
  const fig = lineFigure({
    title,
    xTitle: "depolarising probability p per gate",
    yTitle: "test accuracy",
    series,
    hlines: hlines.map((h) => ({ ...h, dash: "dash" as Dash })),
  });
  const layout = fig.layout as AxisLayout;
  layout.xaxis.tickvals = x;
  layout.xaxis.ticktext = levels.map((p) => (p === 0 ? "0" : p.toExponential(0)));
  layout.xaxis.range = [-0.3, levels.length - 0.7];
  return fig;
}
