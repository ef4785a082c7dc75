/**
 * The figures of the Yan et al. notebooks (Fig. 4, Fig. 5, Fig. 6), built from what the experiments return
 * (accuracies per student depth, PCA spectra and bit balances, epoch curves, result rows), as plain Plotly specs
 * (`figures/spec.ts`); the notebook layer displays them.
 * @packageDocumentation
 */
import type { ResultRow } from "../results";
import { groupMeanStd } from "../seeds";
import type { EpochPoint } from "./fig6";
import { barFigure, lineFigure, type AxisLayout, type Dash, type Figure, type LineSeries } from "../../figures/spec";

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
