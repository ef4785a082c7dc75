/**
 * Notebook plumbing for reporting a run, so that cells only say what is shown: the settings table, a progress
 * bar for `onProgress(done, total)` callbacks, stage timing, result rows as an accuracy table, mean ± std over
 * seeds as a table, and claim checks with their verdicts.
 *
 * @packageDocumentation
 */
import type { ResultRow } from "../experiments/results";
import type { MeanStd } from "../experiments/seeds";
import { bitstring } from "../sim/state/measure";
import type { Statevector } from "../sim/state/statevector";
import type { ClaimPart } from "../experiments/verdicts";
import { combineStatuses } from "../experiments/verdicts";
import { formatInterval } from "../util/format";
import { progressBar } from "./progress";
import { showTable, type Row } from "./table";

/** Shows every option of a configuration as a table (`option`, JSON `value`), captioned `caption`. */
export function showSettings(cfg: object, caption: string): void {
  showTable(
    Object.entries(cfg).map(([option, value]) => ({ option, value: JSON.stringify(value) })),
    { caption },
  );
}

/** What {@link countBar} returns. */
export interface CountBar {
  /** Pass as an `onProgress(done, total)` callback: advances the bar to `done`. */
  onProgress: (done: number, total?: number) => void;
  /** Ends the bar. */
  done: () => void;
}

/**
 * A progress bar of `total` steps for APIs that report `onProgress(done, total)` (e.g. ground states computed).
 * With `total` 0 (nothing to do, e.g. a readings section with `QNN_KD_READINGS=none`) it draws nothing.
 * @throws Error when `total` is not an integer ≥ 0 (quoted), or for a bad label (see `progressBar`).
 */
export function countBar(total: number, label: string): CountBar {
  if (total === 0) return { onProgress: () => undefined, done: () => undefined };
  const bar = progressBar(total, label);
  let shown = 0;
  return {
    onProgress: (done) => {
      bar.tick(done - shown);
      shown = done;
    },
    done: () => bar.done(),
  };
}

/** What {@link stageTimer} returns. */
export interface StageTimer {
  /** Seconds per stage name, in the order the stages ended. */
  times: Record<string, number>;
  /** Restarts the clock of the current stage (e.g. at the start of a cell). */
  start: () => void;
  /** Ends the stage `name`: records the seconds since the last `start` or `end`, restarts the clock and returns them. */
  end: (name: string) => number;
  /** Seconds since the timer was made. */
  totalSeconds: () => number;
  /** The stage times rounded to 0.1 s, as JSON, and the total. */
  summary: () => string;
}

/** Wall-clock times of the stages of a notebook run (data, teacher, students, …), in seconds. */
export function stageTimer(): StageTimer {
  const t0 = Date.now();
  let start = t0;
  const times: Record<string, number> = {};
  return {
    times,
    start: () => {
      start = Date.now();
    },
    end: (name) => {
      const now = Date.now();
      times[name] = (now - start) / 1000;
      start = now;
      return times[name];
    },
    totalSeconds: () => (Date.now() - t0) / 1000,
    summary: () => {
      const rounded = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, +v.toFixed(1)]));
      return `stage times (s): ${JSON.stringify(rounded)}, total ${((Date.now() - t0) / 1000).toFixed(0)} s`;
    },
  };
}

/** A fraction as a percentage with one decimal ("–" for null). */
export function percent(v: number | null | undefined): string {
  return v == null ? "–" : (100 * v).toFixed(1);
}

/** Columns of {@link accuracyTable}. */
export interface AccuracyTableOptions {
  /** Show the qubits column. @defaultValue true */
  qubits?: boolean;
  /**
   * The paper column: `true` shows each row's `paperTestAccuracy` (%), a function its own text per row.
   * @defaultValue no paper column
   */
  paper?: boolean | ((r: ResultRow) => string);
  /** Show the train accuracy column. @defaultValue true */
  train?: boolean;
}

/**
 * Result rows (classifiers only) as an accuracy table: model, qubits, layers, KD, our test accuracy (%), the
 * paper's and our train accuracy (%).
 */
export function accuracyTable(rows: readonly ResultRow[], opts: AccuracyTableOptions = {}): Row[] {
  const paper = opts.paper === true ? (r: ResultRow) => percent(r.paperTestAccuracy) : opts.paper || null;
  return rows
    .filter((r) => r.role !== "autoencoder")
    .map((r) => ({
      "QNN model": r.model,
      ...((opts.qubits ?? true) ? { qubits: r.nQubits } : {}),
      layers: r.nLayers,
      KD: r.role === "teacher" ? "–" : r.kd ? "yes" : "no",
      "test acc. % (ours)": percent(r.testAccuracy),
      ...(paper ? { "test acc. % (paper)": paper(r) } : {}),
      ...((opts.train ?? true) ? { "train acc. % (ours)": percent(r.trainAccuracy) } : {}),
    }));
}

/**
 * Mean ± std over seeds as table rows, one per group of `groups` (e.g. from `groupMeanStd`): model, seeds,
 * mean, std, min and max, and, where given, the mean of a second statistic (`second`, e.g. train accuracy) and a
 * reference value per group (`reference`, e.g. the paper's).
 * @param opts.label - what the mean is of. @defaultValue "test acc."
 */
export function seedSummary(
  groups: ReadonlyMap<string, MeanStd>,
  opts: {
    label?: string;
    second?: { label: string; groups: ReadonlyMap<string, MeanStd> };
    reference?: { label: string; values: ReadonlyMap<string, number | null> };
  } = {},
): Row[] {
  const label = opts.label ?? "test acc.";
  return [...groups].map(([model, g]) => ({
    model,
    seeds: g.n,
    [`mean ${label}`]: g.mean,
    std: g.std,
    min: Math.min(...g.values),
    max: Math.max(...g.values),
    ...(opts.second ? { [`mean ${opts.second.label}`]: opts.second.groups.get(model)?.mean ?? null } : {}),
    ...(opts.reference ? { [opts.reference.label]: opts.reference.values.get(model) ?? null } : {}),
  }));
}

/** One checked part of a paper claim (the experiments' `ClaimPart`). */
export type ClaimLike = ClaimPart;

/**
 * Shows claim parts as a table — layers (where the parts are per depth), the paper's claim (or, with
 * `opts.hypotheses`, our hypothesis: the column reads "we hypothesise"), the part checked, what is measured, the
 * effect with its 95% interval (`formatInterval`), seeds and the verdict (holds, contradicted, inconclusive, not
 * testable, with the reason) — and prints one line per claim with its combined status.
 */
export function showClaims(checks: readonly ClaimLike[], caption: string, opts: { hypotheses?: boolean } = {}): void {
  const perDepth = checks.length > 0 && checks.every((c) => c.nLayers !== undefined);
  const says = opts.hypotheses ? "we hypothesise" : "paper says";
  showTable(
    checks.map((c) => ({
      ...(perDepth ? { layers: c.nLayers } : {}),
      [says]: c.claim,
      checked: c.test,
      measured: c.measure,
      "effect [95% interval]": c.effect
        ? formatInterval(c.effect.estimate, c.effect.ciLow, c.effect.ciHigh, c.effect.unit)
        : "—",
      seeds: c.nSeeds,
      verdict: c.status + (c.reason ? ` (${c.reason})` : ""),
    })),
    { caption },
  );
  for (const claim of [...new Set(checks.map((c) => c.claim))]) {
    const parts = checks.filter((c) => c.claim === claim);
    console.log(
      `  ${combineStatuses(parts.map((c) => c.status))}: ${claim} — ${parts.map((c) => `${c.test}: ${c.status}`).join("; ")}`,
    );
  }
}

/**
 * The per-seed values and the interval of each part that has them, as a dot-and-interval figure (one row per
 * part, labelled with its test and outcome: a dot per seed, the estimate as a diamond, the 95% interval the verdict
 * used as a bar; the zero line drawn). Parts without per-seed values are left out.
 * @param title - the figure title (say which setting and how many seeds).
 * @throws Error when no part has an effect, or the parts' units differ.
 */
export function pairedDifferencesFigure(
  parts: readonly ClaimLike[],
  title: string,
): { data: object[]; layout: object } {
  const shown = parts.filter((p) => p.effect !== null && p.effect.perSeed !== undefined);
  if (shown.length === 0) throw new Error("pairedDifferencesFigure: no part has per-seed values");
  const units = [...new Set(shown.map((p) => p.effect!.unit))];
  if (units.length > 1)
    throw new Error(`pairedDifferencesFigure: the parts must share one unit, got ${JSON.stringify(units)}`);
  const label = (p: ClaimLike) =>
    `${`${p.nLayers !== undefined && !/layer/.test(p.test) ? `${p.nLayers} L: ` : ""}${p.test}`.slice(0, 70)} (${p.status})`;
  const y = shown.map(label);
  const dots = {
    type: "scatter",
    mode: "markers",
    name: "per seed",
    marker: { size: 7, opacity: 0.6, color: "#1f77b4" },
    x: shown.flatMap((p) => p.effect!.perSeed!.map((s) => s.value)),
    y: shown.flatMap((p) => p.effect!.perSeed!.map(() => label(p))),
    text: shown.flatMap((p) => p.effect!.perSeed!.map((s) => `seed ${s.seed}`)),
    hovertemplate: "%{text}: %{x}<extra></extra>",
  };
  const est = {
    type: "scatter",
    mode: "markers",
    name: "mean, 95% interval",
    marker: { symbol: "diamond", size: 11, color: "#d62728" },
    x: shown.map((p) => p.effect!.estimate),
    y,
    error_x: {
      type: "data",
      symmetric: false,
      thickness: 2,
      array: shown.map((p) => (p.effect!.ciHigh ?? p.effect!.estimate) - p.effect!.estimate),
      arrayminus: shown.map((p) => p.effect!.estimate - (p.effect!.ciLow ?? p.effect!.estimate)),
    },
    text: shown.map((p) => p.status),
    hovertemplate: "%{x} (%{text})<extra></extra>",
  };
  return {
    data: [dots, est],
    layout: {
      title: { text: title },
      xaxis: { title: { text: units[0] }, zeroline: true, zerolinewidth: 2, zerolinecolor: "#888" },
      yaxis: { automargin: true, autorange: "reversed" },
      height: Math.max(260, 70 + 45 * shown.length),
      margin: { l: 20 },
      legend: { orientation: "h", y: -0.2 },
    },
  };
}

/**
 * The amplitudes of a statevector as table rows: `index`, `ket` (ket order, qubit n−1 first: `bitstring`), `re`,
 * `im` and `probability`; amplitudes with |a|² ≤ `tol` are left out (pass `tol: -1` to list all 2^n).
 * @param tol - probability at or below which a basis state is omitted. @defaultValue 1e-12
 */
export function amplitudeRows(state: Statevector, tol = 1e-12): Row[] {
  const p = state.probabilities();
  const rows: Row[] = [];
  for (let i = 0; i < state.dim; i++) {
    if (p[i] > tol)
      rows.push({
        index: i,
        ket: `|${bitstring(i, state.nQubits)}⟩`,
        re: state.re[i],
        im: state.im[i],
        probability: p[i],
      });
  }
  return rows;
}
