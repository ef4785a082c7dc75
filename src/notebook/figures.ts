/**
 * Generic figures of the notebooks, built from what the library returns (ZXZ phase diagrams, student pairs'
 * histories, seed groups, images, measurement probabilities), so that a cell names the figure and passes the
 * numbers. Pure: each returns `{ data, layout }` (or a series) for `showFigure` / `lineFigure`; nothing is
 * displayed or written. The figures of one paper live in its folder under `experiments/` (e.g.
 * `experiments/yan/figures.ts`).
 *
 * @packageDocumentation
 */
import { zxzPhaseDiagram } from "../datasets/zxz";
import { bitstring } from "../sim/state/measure";
import type { StudentPair } from "../experiments/protocol";
import type { MeanStd } from "../experiments/seeds";
import type { HistoryRow } from "../train/fit";
import { barFigure, lineFigure, panelGridLayout, type Dash, type Figure, type LineSeries } from "../figures/spec";
import type { LearningCurvesInput } from "./training";

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
  const layout = panelGridLayout(
    title,
    panels.map((p) => p.title),
    { columns, panelWidth: 220, panelHeight: 230 },
  );
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
