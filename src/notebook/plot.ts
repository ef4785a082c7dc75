/**
 * Displaying Plotly figures: {@link showFigure} displays a figure spec (`figures/spec.ts`: the type and the pure
 * line and bar builders) in a tslab notebook so that it renders offline, and saves it as JSON and standalone HTML.
 *
 * Notebook output (the recipe verified in the project notes on tslab, "Plotly output that renders everywhere"):
 * once per kernel session, one output of `text/html` that inlines the `plotly.js-dist-min` UMD bundle (about
 * 4.4 MiB, no CDN) with require.js's `define` hidden while it runs (classic Notebook), setting `window.Plotly`;
 * then per figure one output of `text/html` (a `<div>` with a text fallback and a script that calls
 * `Plotly.newPlot`, retrying until `window.Plotly` and the `<div>` exist) plus `text/plain` (a one-line
 * description). Scripts run only in trusted notebooks; untrusted ones show the fallback text.
 *
 * Files: `<figuresDir>/<name>.json` (`{ data, layout, config }`, the input of the runner's PNG export) and
 * `<figuresDir>/<name>.html` (a page that loads `plotly.min.js`, copied once into `figuresDir`), written
 * atomically.
 *
 * @packageDocumentation
 */
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { writeFileAtomic } from "../util/fs";
import { currentNotebookContext } from "./context";
import { displayBundle, isTslabKernel } from "./kernel";
import { escapeHtml } from "./table";
import type { FigureSpec } from "../figures/spec";

/** Options of {@link showFigure}. */
export interface ShowFigureOptions {
  /** File name without extension: letters, digits, `.`, `_`, `-`, e.g. `"fig3-accuracy"`. Required. */
  name: string;
  /**
   * Width in CSS pixels; also set as `layout.width` in the saved spec.
   * @defaultValue none: the notebook output fills the cell width (responsive) and the saved spec has no width
   */
  width?: number;
  /** Height in CSS pixels; also set as `layout.height` in the saved spec. @defaultValue 450 */
  height?: number;
  /**
   * Save `<name>.json` and `<name>.html` into `dir`. When not given, saves when a folder is known (`dir`, the
   * current {@link notebookContext}, or `QNN_KD_RESULTS_DIR`) and skips saving otherwise.
   * @defaultValue true when a folder is known
   */
  save?: boolean;
  /**
   * Folder for the saved files.
   * @defaultValue the current notebook context's `figuresDir`, else `$QNN_KD_RESULTS_DIR/figures`
   */
  dir?: string;
}

/** Paths written by {@link saveFigure}. */
export interface SavedFigure {
  json: string;
  html: string;
  plotlyJs: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const DEFAULT_HEIGHT = 450;
const DEFAULT_CONFIG = { responsive: true, displaylogo: false };
const BUNDLE_FLAG = Symbol.for("qnn-kd.notebook.plotlyBundleDisplayed");

/** Path of the `plotly.js-dist-min` bundle in node_modules. */
export function plotlyBundlePath(): string {
  return require.resolve("plotly.js-dist-min");
}

function plotlyVersion(): string {
  try {
    const pkg = path.join(path.dirname(plotlyBundlePath()), "package.json");
    return String((JSON.parse(fs.readFileSync(pkg, "utf8")) as { version?: unknown }).version ?? "unknown");
  } catch {
    return "unknown";
  }
}

/** JSON for inlining in a `<script>`: `<`, `>`, `&`, U+2028 and U+2029 escaped so no `</script>` or `<!--` appears. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** The HTML of the one-per-session output that inlines the Plotly bundle (exported for tests and the runner). */
export function plotlyBundleHtml(): string {
  const src = fs.readFileSync(plotlyBundlePath(), "utf8").replace(/<\/(script)/gi, "<\\/$1");
  const version = escapeHtml(plotlyVersion());
  return (
    `<div class="qnn-kd-plotly-loader" style="font-size:smaller;color:#888">Plotly.js ${version}, inlined for offline figures.</div>\n` +
    `<script type="text/javascript">\n` +
    `(function () {\n` +
    `  if (window.Plotly) return;\n` +
    `  var hiddenDefine = window.define;\n` +
    `  window.define = undefined;\n` +
    `  try {\n${src}\n  } finally {\n    window.define = hiddenDefine;\n  }\n` +
    `})();\n` +
    `</script>`
  );
}

function describe(name: string, spec: FigureSpec): string {
  const names = spec.data.map((t, i) => {
    const n = (t as { name?: unknown }).name;
    return typeof n === "string" && n !== "" ? n : `trace ${i}`;
  });
  return `Figure "${name}": ${spec.data.length} trace${spec.data.length === 1 ? "" : "s"} (${names.join(", ")})`;
}

function sizedLayout(spec: FigureSpec, width: number | undefined, height: number | undefined): Record<string, unknown> {
  const layout: Record<string, unknown> = { ...(spec.layout ?? {}) };
  if (width !== undefined) layout.width = width;
  if (height !== undefined) layout.height = height;
  return layout;
}

/**
 * The HTML of one figure's notebook output: a `<div>` (holding a text fallback) and a script that draws the
 * figure with `Plotly.newPlot` once `window.Plotly` and the `<div>` exist, polling every 100 ms for 10 s, then
 * every second for up to 10 minutes (the bundle output may render later, e.g. in JupyterLab's lazily rendered
 * cells); it stops when the `<div>` leaves the page. Exported for tests and the runner.
 *
 * @param divId - id of the `<div>`; must be unique in the page.
 */
export function figureHtml(spec: FigureSpec, name: string, divId: string, width?: number, height?: number): string {
  const h = height ?? DEFAULT_HEIGHT;
  const style = `width:${width === undefined ? "100%" : `${width}px`};height:${h}px;`;
  const fig = { data: spec.data, layout: sizedLayout(spec, width, height), config: spec.config ?? DEFAULT_CONFIG };
  const fallback = escapeHtml(
    `${describe(name, spec)}. The interactive plot needs JavaScript (in Jupyter: trust the notebook); the figures folder also holds ${name}.html.`,
  );
  return (
    `<div id="${escapeHtml(divId)}" class="qnn-kd-figure" data-qnn-kd-figure="${escapeHtml(name)}" style="${style}">${fallback}</div>\n` +
    `<script type="text/javascript">\n` +
    `(function () {\n` +
    `  var id = ${scriptJson(divId)};\n` +
    `  var fig = ${scriptJson(fig)};\n` +
    `  var me = document.currentScript;\n` +
    `  var t0 = Date.now(), seen = null;\n` +
    `  function draw() {\n` +
    `    var el = document.getElementById(id) || (me && me.previousElementSibling && me.previousElementSibling.id === id ? me.previousElementSibling : null);\n` +
    `    if (el) seen = el; else if (seen && !document.contains(seen)) return;\n` +
    `    if (el && window.Plotly) { el.textContent = ""; window.Plotly.newPlot(el, fig.data, fig.layout, fig.config); return; }\n` +
    `    var waited = Date.now() - t0;\n` +
    `    if (el && waited > 10000 && !el.getAttribute("data-waiting")) {\n` +
    `      el.setAttribute("data-waiting", "1");\n` +
    `      el.textContent = "Waiting for Plotly.js: it is inlined in the output of the notebook's first figure cell; run or scroll to that cell.";\n` +
    `    }\n` +
    `    if (waited < 600000) setTimeout(draw, waited < 10000 ? 100 : 1000);\n` +
    `  }\n` +
    `  draw();\n` +
    `})();\n` +
    `</script>`
  );
}

/** The standalone page saved as `<name>.html`: loads `plotly.min.js` from the same folder. */
export function standaloneHtml(spec: FigureSpec, name: string, width?: number, height?: number): string {
  const fig = { data: spec.data, layout: sizedLayout(spec, width, height), config: spec.config ?? DEFAULT_CONFIG };
  const h = height ?? DEFAULT_HEIGHT;
  const style = `width:${width === undefined ? "100%" : `${width}px`};height:${h}px;`;
  return (
    `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(name)}</title>\n` +
    `<script src="plotly.min.js" charset="utf-8"></script>\n</head>\n<body>\n` +
    `<div id="figure" style="${style}"></div>\n` +
    `<script type="text/javascript">\n` +
    `var fig = ${scriptJson(fig)};\n` +
    `if (window.Plotly) { Plotly.newPlot("figure", fig.data, fig.layout, fig.config); }\n` +
    `else { document.getElementById("figure").textContent = "plotly.min.js is missing next to this file."; }\n` +
    `</script>\n</body>\n</html>\n`
  );
}

function checkFigureArgs(fig: FigureSpec, opts: ShowFigureOptions): void {
  const where = "showFigure";
  if (fig === null || typeof fig !== "object" || !Array.isArray(fig.data)) {
    throw new Error(
      `${where}: fig must be { data: object[]; layout?; config? }, got ${typeof fig === "object" ? JSON.stringify(fig) : String(fig)}`,
    );
  }
  if (opts === null || typeof opts !== "object")
    throw new Error(`${where}: opts must be an object with at least a name`);
  const allowed = ["name", "width", "height", "save", "dir"];
  for (const key of Object.keys(opts)) {
    if (!allowed.includes(key))
      throw new Error(
        `${where}: unknown option "${key}"; allowed options are ${allowed.map((k) => `"${k}"`).join(", ")}`,
      );
  }
  if (typeof opts.name !== "string" || !NAME.test(opts.name)) {
    throw new Error(
      `${where}: name must be letters, digits, ".", "_" or "-" starting with a letter or digit (e.g. "fig3-accuracy"), got ${JSON.stringify(opts.name)}`,
    );
  }
  for (const k of ["width", "height"] as const) {
    const v = opts[k];
    if (v !== undefined && (typeof v !== "number" || !Number.isInteger(v) || v < 50 || v > 10000)) {
      throw new Error(`${where}: ${k} must be an integer number of pixels in [50, 10000], got ${JSON.stringify(v)}`);
    }
  }
  if (opts.save !== undefined && typeof opts.save !== "boolean")
    throw new Error(`${where}: save must be true or false, got ${JSON.stringify(opts.save)}`);
  if (opts.dir !== undefined && (typeof opts.dir !== "string" || opts.dir === ""))
    throw new Error(`${where}: dir must be a non-empty path, got ${JSON.stringify(opts.dir)}`);
}

/**
 * Writes `<dir>/<name>.json` (`{ data, layout, config }`, with `layout.width`/`height` when given) and
 * `<dir>/<name>.html` atomically, and copies `plotly.min.js` into `dir` when it is missing there.
 * Creates `dir`.
 * @returns the three paths.
 */
export function saveFigure(fig: FigureSpec, name: string, dir: string, width?: number, height?: number): SavedFigure {
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new Error(
      `saveFigure: name must be letters, digits, ".", "_" or "-" starting with a letter or digit, got ${JSON.stringify(name)}`,
    );
  }
  const abs = path.resolve(dir);
  const spec = { data: fig.data, layout: sizedLayout(fig, width, height), config: fig.config ?? DEFAULT_CONFIG };
  const json = path.join(abs, `${name}.json`);
  const html = path.join(abs, `${name}.html`);
  const plotlyJs = path.join(abs, "plotly.min.js");
  writeFileAtomic(json, JSON.stringify(spec) + "\n");
  writeFileAtomic(html, standaloneHtml(fig, name, width, height));
  if (!fs.existsSync(plotlyJs)) writeFileAtomic(plotlyJs, fs.readFileSync(plotlyBundlePath()));
  return { json, html, plotlyJs };
}

/**
 * Displays the output that inlines the Plotly bundle, now, even when it was displayed before in this kernel
 * session (e.g. after clearing all outputs). {@link showFigure} calls it once per session by itself.
 * @returns false outside a kernel (nothing displayed).
 */
export function displayPlotlyBundle(): boolean {
  const shown = displayBundle({
    "text/html": plotlyBundleHtml(),
    "text/plain": `Plotly.js ${plotlyVersion()} (inlined for offline figures)`,
  });
  if (shown) (globalThis as Record<symbol, unknown>)[BUNDLE_FLAG] = true;
  return shown;
}

/**
 * Shows a Plotly figure in a tslab notebook and saves it.
 *
 * In a kernel: on the first call of the kernel session, one output that inlines Plotly (see
 * {@link displayPlotlyBundle}); then one output with `text/html` (see {@link figureHtml}) and a `text/plain`
 * line (`Figure "name": 2 traces (train, test)`). Outside a kernel (plain Node, vitest) nothing is displayed.
 *
 * Saving: see {@link ShowFigureOptions.save} and {@link saveFigure}. Returns nothing, so a notebook cell that
 * ends with it prints nothing.
 *
 * @throws Error when `fig` has no `data` array, an option is unknown, `name` is not a plain file name, width or
 *   height is not an integer in [50, 10000], or `save: true` is given and no folder is known.
 */
export function showFigure(fig: FigureSpec, opts: ShowFigureOptions): void {
  checkFigureArgs(fig, opts);
  const { name, width, height } = opts;
  let dir = opts.dir;
  if (dir === undefined) {
    const ctx = currentNotebookContext();
    const envDir = process.env.QNN_KD_RESULTS_DIR;
    if (ctx !== null) dir = ctx.figuresDir;
    else if (envDir !== undefined && envDir.trim() !== "" && path.isAbsolute(envDir))
      dir = path.join(envDir, "figures");
  }
  if (opts.save === true && dir === undefined) {
    throw new Error(
      `showFigure: save is true but no folder is known for "${name}": call notebookContext(...) first, set QNN_KD_RESULTS_DIR, or pass dir`,
    );
  }
  if (opts.save !== false && dir !== undefined) saveFigure(fig, name, dir, width, height);
  if (!isTslabKernel()) return;
  if ((globalThis as Record<symbol, unknown>)[BUNDLE_FLAG] !== true) displayPlotlyBundle();
  const divId = `qnn-kd-fig-${name.replace(/[^A-Za-z0-9_-]/g, "_")}-${randomBytes(6).toString("hex")}`;
  displayBundle({ "text/html": figureHtml(fig, name, divId, width, height), "text/plain": describe(name, fig) });
}
