/**
 * Plain Plotly figure specs: the {@link FigureSpec} type and the pure builders of line and bar charts
 * ({@link lineFigure}, {@link barFigure}). Plain JSON objects, no display and no files: the experiments build
 * their paper figures from these (in their paper folders), and the notebook layer displays and saves them
 * (`notebook/plot.ts`, `showFigure`). Trace and layout keys follow Plotly's figure reference
 * (https://plotly.com/javascript/reference/).
 * @packageDocumentation
 */
/** A Plotly figure spec: traces, layout and config as Plotly.newPlot takes them (plain JSON objects). */
export interface FigureSpec {
  /** Plotly traces. */
  data: object[];
  /** Plotly layout. @defaultValue `{}` */
  layout?: object;
  /** Plotly config. @defaultValue `{ responsive: true, displaylogo: false }` */
  config?: object;
}

/** A figure as the builders return it: traces and layout (a {@link FigureSpec} without config). */
export type Figure = { data: object[]; layout: object };

/** The part of a line figure's Plotly layout that paper figures adjust (Plotly's `layout.xaxis`, `annotations`). */
export type AxisLayout = {
  xaxis: Record<string, unknown>;
  yaxis: Record<string, unknown>;
  margin?: Record<string, number>;
  annotations?: object[];
};

/** Dash styles accepted by Plotly's `line.dash`. */
export type Dash = "solid" | "dot" | "dash" | "longdash" | "dashdot" | "longdashdot";
const DASHES: readonly string[] = ["solid", "dot", "dash", "longdash", "dashdot", "longdashdot"];
const MODES: readonly string[] = ["lines", "markers", "lines+markers"];

/** One line of {@link lineFigure}. */
export interface LineSeries {
  /** Legend name. */
  name: string;
  /** x values (converted to a plain array; typed arrays are fine). */
  x: ArrayLike<number>;
  /** y values, same length as `x`; non-finite values become gaps (`null`). */
  y: ArrayLike<number>;
  /** Line dash. @defaultValue "solid" */
  dash?: Dash;
  /** Plotly scatter mode. @defaultValue "lines" */
  mode?: "lines" | "markers" | "lines+markers";
  /**
   * Symmetric error bars, same length as `y`: the bar at point i spans y[i] ± error[i] (e.g. the standard deviation
   * over seeds, see `meanStd`). Emitted as Plotly's `error_y: { type: "data", array, visible: true }`; non-finite
   * values become `null` (no bar at that point). @defaultValue none
   */
  error?: ArrayLike<number>;
}

/** A horizontal reference line of {@link lineFigure}, drawn across the x range of all series and listed in the legend. */
export interface HLine {
  /** Height of the line. */
  y: number;
  /** Legend name, e.g. "teacher". */
  name: string;
  /** Line dash. @defaultValue "dash" */
  dash?: Dash;
}

/** Input of {@link lineFigure}. */
export interface LineFigureInput {
  title: string;
  xTitle: string;
  yTitle: string;
  /** At least one series. */
  series: LineSeries[];
  /** Horizontal reference lines. @defaultValue [] */
  hlines?: HLine[];
  /** Scale of the x axis: `"log"` for quantities spanning decades (e.g. timings against qubits). @defaultValue "linear" */
  xType?: "linear" | "log";
  /** Scale of the y axis (`"log"`: a straight line is an exponential). @defaultValue "linear" */
  yType?: "linear" | "log";
}

/** One group of bars of {@link barFigure}: one value per category. */
export interface BarSeries {
  name: string;
  /** One value per category. */
  y: ArrayLike<number>;
  /** Symmetric error bars (e.g. standard deviation over seeds), one per category. @defaultValue none */
  error?: ArrayLike<number>;
  /** A label drawn on top of each bar (e.g. the variance over seeds), one per category. @defaultValue none */
  text?: string[];
}

/** Input of {@link barFigure}. */
export interface BarFigureInput {
  title: string;
  /** Category labels on the x axis. */
  categories: string[];
  /** At least one series; bars are grouped per category. */
  series: BarSeries[];
  yTitle: string;
  /** x axis title. @defaultValue "" */
  xTitle?: string;
}

function toJsonNumbers(where: string, what: string, v: ArrayLike<number>): (number | null)[] {
  if (v === null || v === undefined || typeof v !== "object" || typeof v.length !== "number") {
    throw new Error(`${where}: ${what} must be an array of numbers, got ${String(v)}`);
  }
  const out: (number | null)[] = new Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== "number") throw new Error(`${where}: ${what}[${i}] must be a number, got ${JSON.stringify(x)}`);
    out[i] = Number.isFinite(x) ? x : null;
  }
  return out;
}

function checkDash(where: string, what: string, d: unknown): void {
  if (d !== undefined && !DASHES.includes(d as string)) {
    throw new Error(
      `${where}: ${what} must be one of ${DASHES.map((x) => `"${x}"`).join(", ")}, got ${JSON.stringify(d)}`,
    );
  }
}

function baseLayout(title: string, xTitle: string, yTitle: string): Record<string, unknown> {
  return {
    title: { text: title },
    xaxis: { title: { text: xTitle }, automargin: true },
    yaxis: { title: { text: yTitle }, automargin: true },
    legend: { orientation: "v" },
    margin: { l: 60, r: 20, t: 50, b: 50 },
  };
}

/**
 * Builds a line chart spec: one `scatter` trace per series (`mode` default "lines"), with symmetric error bars
 * (`error_y`) where a series has `error`, and, per `hlines` entry, a two-point horizontal trace spanning the
 * smallest to largest finite x of all series (so it shows in the legend). Pure: no display, no files.
 *
 * @returns `{ data, layout }` (display it with `showFigure` of the notebook tier).
 * @throws Error when `series` is empty, a series' x and y lengths differ, its error and y lengths differ, an
 *   error value is negative, a value is not a number, a dash or mode is not allowed, or an hline's y is not finite.
 */
export function lineFigure(input: LineFigureInput): { data: object[]; layout: object } {
  const where = "lineFigure";
  if (!Array.isArray(input.series) || input.series.length === 0) {
    throw new Error(`${where}: series must be a non-empty array, got ${JSON.stringify(input.series)}`);
  }
  let xMin = Infinity;
  let xMax = -Infinity;
  const data: object[] = input.series.map((s, k) => {
    const x = toJsonNumbers(where, `series[${k}] ("${s.name}").x`, s.x);
    const y = toJsonNumbers(where, `series[${k}] ("${s.name}").y`, s.y);
    if (x.length !== y.length) {
      throw new Error(
        `${where}: series[${k}] ("${s.name}") has ${x.length} x values but ${y.length} y values; they must match`,
      );
    }
    checkDash(where, `series[${k}].dash`, s.dash);
    if (s.mode !== undefined && !MODES.includes(s.mode)) {
      throw new Error(
        `${where}: series[${k}].mode must be one of ${MODES.map((m) => `"${m}"`).join(", ")}, got ${JSON.stringify(s.mode)}`,
      );
    }
    for (const v of x) {
      if (v !== null) {
        if (v < xMin) xMin = v;
        if (v > xMax) xMax = v;
      }
    }
    const trace: Record<string, unknown> = {
      type: "scatter",
      mode: s.mode ?? "lines",
      name: String(s.name),
      x,
      y,
      line: { dash: s.dash ?? "solid" },
    };
    if (s.error !== undefined) {
      const e = toJsonNumbers(where, `series[${k}] ("${s.name}").error`, s.error);
      if (e.length !== y.length) {
        throw new Error(
          `${where}: series[${k}] ("${s.name}") has ${e.length} error values but ${y.length} y values; they must match`,
        );
      }
      const neg = e.findIndex((v) => v !== null && v < 0);
      if (neg >= 0)
        throw new Error(`${where}: series[${k}] ("${s.name}").error[${neg}] must be ≥ 0 (a half-width), got ${e[neg]}`);
      trace.error_y = { type: "data", array: e, visible: true };
    }
    return trace;
  });
  for (const [k, h] of (input.hlines ?? []).entries()) {
    if (typeof h.y !== "number" || !Number.isFinite(h.y)) {
      throw new Error(`${where}: hlines[${k}] ("${h.name}").y must be a finite number, got ${JSON.stringify(h.y)}`);
    }
    checkDash(where, `hlines[${k}].dash`, h.dash);
    if (!Number.isFinite(xMin)) throw new Error(`${where}: hlines need at least one finite x value in the series`);
    data.push({
      type: "scatter",
      mode: "lines",
      name: String(h.name),
      x: [xMin, xMax],
      y: [h.y, h.y],
      line: { dash: h.dash ?? "dash" },
    });
  }
  const layout = baseLayout(input.title, input.xTitle, input.yTitle);
  for (const [axis, t] of [
    ["xaxis", input.xType],
    ["yaxis", input.yType],
  ] as const) {
    if (t === undefined || t === "linear") continue;
    if (t !== "log")
      throw new Error(
        `${where}: ${axis === "xaxis" ? "xType" : "yType"} must be "linear" or "log", got ${JSON.stringify(t)}`,
      );
    (layout[axis] as Record<string, unknown>).type = "log";
  }
  return { data, layout };
}

/**
 * Builds a grouped bar chart spec: one `bar` trace per series over the same `categories`, with optional
 * symmetric error bars. Pure: no display, no files.
 *
 * @returns `{ data, layout }`; `layout.barmode` is "group".
 * @throws Error when `categories` or `series` is empty, or a series' y (or error) length differs from the
 *   number of categories.
 */
export function barFigure(input: BarFigureInput): { data: object[]; layout: object } {
  const where = "barFigure";
  if (!Array.isArray(input.categories) || input.categories.length === 0) {
    throw new Error(
      `${where}: categories must be a non-empty array of labels, got ${JSON.stringify(input.categories)}`,
    );
  }
  if (!Array.isArray(input.series) || input.series.length === 0) {
    throw new Error(`${where}: series must be a non-empty array, got ${JSON.stringify(input.series)}`);
  }
  const n = input.categories.length;
  const data: object[] = input.series.map((s, k) => {
    const y = toJsonNumbers(where, `series[${k}] ("${s.name}").y`, s.y);
    if (y.length !== n)
      throw new Error(`${where}: series[${k}] ("${s.name}") has ${y.length} values but there are ${n} categories`);
    const trace: Record<string, unknown> = { type: "bar", name: String(s.name), x: input.categories.map(String), y };
    if (s.error !== undefined) {
      const e = toJsonNumbers(where, `series[${k}] ("${s.name}").error`, s.error);
      if (e.length !== n)
        throw new Error(
          `${where}: series[${k}] ("${s.name}") has ${e.length} error values but there are ${n} categories`,
        );
      trace.error_y = { type: "data", array: e, visible: true };
    }
    if (s.text !== undefined) {
      if (!Array.isArray(s.text) || s.text.length !== n)
        throw new Error(
          `${where}: series[${k}] ("${s.name}") has ${Array.isArray(s.text) ? s.text.length : "no"} text labels but there are ${n} categories`,
        );
      trace.text = s.text.map(String);
      trace.textposition = "outside";
    }
    return trace;
  });
  const layout = baseLayout(input.title, input.xTitle ?? "", input.yTitle);
  layout.barmode = "group";
  return { data, layout };
}

/**
 * The layout of a grid of panels, one subplot each (`xaxis<i>`/`yaxis<i>` for panel i, counted from 1): Plotly's
 * independent `grid` of ⌈n / columns⌉ rows, a figure of `panelWidth` × `panelHeight` pixels per panel (plus
 * `extraWidth`, and 60 pixels for the title), and each panel's title as an annotation above it (at `titleY` of its
 * domain). The caller adds the axes (`layout.xaxis<i>`, `layout.yaxis<i>`).
 * @throws Error for no titles or columns < 1.
 */
export function panelGridLayout(
  title: string,
  titles: readonly string[],
  o: { columns: number; panelWidth: number; panelHeight: number; extraWidth?: number; titleY?: number },
): Record<string, unknown> {
  if (titles.length === 0) throw new Error("panelGridLayout: no panels");
  if (!(Number.isInteger(o.columns) && o.columns >= 1))
    throw new Error(`panelGridLayout: columns must be an integer ≥ 1, got ${String(o.columns)}`);
  const rows = Math.ceil(titles.length / o.columns);
  return {
    title: { text: title },
    grid: { rows, columns: o.columns, pattern: "independent" },
    width: o.panelWidth * o.columns + (o.extraWidth ?? 0),
    height: o.panelHeight * rows + 60,
    annotations: titles.map((text, i) => ({
      text,
      showarrow: false,
      xref: `x${i + 1} domain`,
      yref: `y${i + 1} domain`,
      x: 0.5,
      y: o.titleY ?? 1.12,
      font: { size: 11 },
    })),
  };
}
