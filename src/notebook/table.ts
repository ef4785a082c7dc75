/**
 * Tables for notebooks: {@link htmlTable} and {@link textTable} (pure), {@link showTable} (display) and
 * {@link toDataFrame} (danfo). danfo has no HTML output and a DataFrame printed as a value dumps its internals,
 * so tables are rendered here: `text/html` plus a `text/plain` fallback (danfo's `toString()` for a DataFrame).
 *
 * danfojs-node is loaded lazily (about 1 s, it loads tfjs) by {@link toDataFrame} only; the rest never loads it.
 *
 * @packageDocumentation
 */
import type { DataFrame } from "danfojs-node";
import { displayBundle, isTslabKernel } from "./kernel";

/** A table row: column name → cell value. */
export type Row = Record<string, unknown>;

/** Options of {@link htmlTable}, {@link textTable} and {@link showTable}. */
export interface TableOptions {
  /** Caption above the table (HTML-escaped). @defaultValue none */
  caption?: string;
  /** Decimals for non-integer numbers (integers print as integers). An integer in [0, 20]. @defaultValue 4 */
  digits?: number;
  /** Columns to show, in order. @defaultValue every key of the rows, in order of first appearance */
  columns?: string[];
  /** Rows to show; the rest are summarised as "… N more rows". An integer ≥ 1. @defaultValue 200 */
  maxRows?: number;
}

const DEFAULT_DIGITS = 4;
const DEFAULT_MAX_ROWS = 200;

function resolveOptions(
  where: string,
  opts: TableOptions | undefined,
): Required<Omit<TableOptions, "caption" | "columns">> & TableOptions {
  const o = opts ?? {};
  if (typeof o !== "object") throw new Error(`${where}: options must be an object, got ${String(o)}`);
  const allowed = ["caption", "digits", "columns", "maxRows"];
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key))
      throw new Error(
        `${where}: unknown option "${key}"; allowed options are ${allowed.map((k) => `"${k}"`).join(", ")}`,
      );
  }
  const digits = o.digits ?? DEFAULT_DIGITS;
  if (typeof digits !== "number" || !Number.isInteger(digits) || digits < 0 || digits > 20) {
    throw new Error(`${where}: digits must be an integer in [0, 20], got ${JSON.stringify(o.digits)}`);
  }
  const maxRows = o.maxRows ?? DEFAULT_MAX_ROWS;
  if (typeof maxRows !== "number" || !Number.isInteger(maxRows) || maxRows < 1) {
    throw new Error(`${where}: maxRows must be an integer ≥ 1, got ${JSON.stringify(o.maxRows)}`);
  }
  if (o.caption !== undefined && typeof o.caption !== "string")
    throw new Error(`${where}: caption must be a string, got ${JSON.stringify(o.caption)}`);
  if (o.columns !== undefined && (!Array.isArray(o.columns) || o.columns.some((c) => typeof c !== "string"))) {
    throw new Error(`${where}: columns must be an array of column names, got ${JSON.stringify(o.columns)}`);
  }
  return { ...o, digits, maxRows };
}

function checkRows(where: string, rows: unknown): Row[] {
  if (!Array.isArray(rows)) throw new Error(`${where}: rows must be an array of objects, got ${typeof rows}`);
  rows.forEach((r, i) => {
    if (r === null || typeof r !== "object" || Array.isArray(r)) {
      throw new Error(`${where}: rows[${i}] must be an object (column → value), got ${JSON.stringify(r)}`);
    }
  });
  return rows as Row[];
}

/** Column names: `columns` when given, else the keys of `rows` in order of first appearance. */
function columnsOf(rows: Row[], columns: string[] | undefined): string[] {
  if (columns !== undefined) return columns;
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}

/**
 * Formats one cell: integers as integers, other finite numbers with `digits` decimals, `NaN`/`±Infinity` as
 * such, null/undefined as "", strings as they are, dates as ISO strings, arrays and typed arrays as
 * `[a, b, …]` of formatted numbers, other objects as JSON.
 */
export function formatCell(value: unknown, digits: number = DEFAULT_DIGITS): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return String(value);
    return Number.isInteger(value) ? String(value) : value.toFixed(digits);
  }
  if (typeof value === "string") return value;
  if (typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView))) {
    return `[${Array.from(value as ArrayLike<unknown>, (v) => formatCell(v, digits)).join(", ")}]`;
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Escapes `& < > " '` for HTML text and attribute values. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

function isNumeric(v: unknown): boolean {
  return typeof v === "number" || typeof v === "bigint";
}

/**
 * Renders rows as an HTML `<table class="qnn-kd-table">` with a `<thead>` of column names and one `<tr>` per
 * row; every header and cell is HTML-escaped; numbers are right-aligned and formatted by {@link formatCell}.
 * Pure.
 *
 * @param rows - objects mapping column name → value; missing keys give empty cells.
 * @throws Error when `rows` is not an array of objects or an option is bad (quoting it).
 */
export function htmlTable(rows: Row[], opts?: TableOptions): string {
  const o = resolveOptions("htmlTable", opts);
  const rs = checkRows("htmlTable", rows);
  const cols = columnsOf(rs, o.columns);
  const shown = rs.slice(0, o.maxRows);
  const parts: string[] = ['<table class="qnn-kd-table" style="border-collapse:collapse">'];
  if (o.caption !== undefined)
    parts.push(`<caption style="caption-side:top;text-align:left;font-weight:bold">${escapeHtml(o.caption)}</caption>`);
  parts.push(
    "<thead><tr>" +
      cols.map((c) => `<th style="text-align:right;padding:0.2em 0.6em">${escapeHtml(c)}</th>`).join("") +
      "</tr></thead>",
  );
  parts.push("<tbody>");
  for (const r of shown) {
    parts.push(
      "<tr>" +
        cols
          .map(
            (c) =>
              `<td style="text-align:${isNumeric(r[c]) ? "right" : "left"};padding:0.2em 0.6em">${escapeHtml(formatCell(r[c], o.digits))}</td>`,
          )
          .join("") +
        "</tr>",
    );
  }
  parts.push("</tbody>");
  if (rs.length > shown.length) {
    parts.push(
      `<tfoot><tr><td colspan="${Math.max(cols.length, 1)}">… ${rs.length - shown.length} more rows</td></tr></tfoot>`,
    );
  }
  parts.push("</table>");
  return parts.join("\n");
}

/**
 * Renders rows as a plain-text table: a header, a rule of dashes, one line per row; columns padded to their
 * widest cell, numbers right-aligned, text left-aligned; the caption (if any) on the first line. Pure.
 * @throws Error as {@link htmlTable}.
 */
export function textTable(rows: Row[], opts?: TableOptions): string {
  const o = resolveOptions("textTable", opts);
  const rs = checkRows("textTable", rows);
  const cols = columnsOf(rs, o.columns);
  const shown = rs.slice(0, o.maxRows);
  const cells = shown.map((r) => cols.map((c) => formatCell(r[c], o.digits).replace(/\s+/g, " ")));
  const numeric = cols.map((c) => shown.some((r) => isNumeric(r[c])));
  const widths = cols.map((c, j) => Math.max(c.length, ...cells.map((row) => row[j].length)));
  const pad = (s: string, j: number): string => (numeric[j] ? s.padStart(widths[j]) : s.padEnd(widths[j]));
  const lines: string[] = [];
  if (o.caption !== undefined) lines.push(o.caption);
  lines.push(
    cols
      .map((c, j) => pad(c, j))
      .join("  ")
      .trimEnd(),
  );
  lines.push(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of cells)
    lines.push(
      row
        .map((s, j) => pad(s, j))
        .join("  ")
        .trimEnd(),
    );
  if (rs.length > shown.length) lines.push(`… ${rs.length - shown.length} more rows`);
  return lines.join("\n");
}

/** Whether `x` looks like a danfo DataFrame (duck typing, so danfo need not be loaded to check). */
function isDataFrameLike(x: unknown): x is DataFrame {
  if (x === null || typeof x !== "object" || Array.isArray(x)) return false;
  const d = x as { columns?: unknown; values?: unknown; toString?: unknown };
  return Array.isArray(d.columns) && Array.isArray(d.values) && typeof d.toString === "function";
}

/** Rows of a DataFrame (its index is left out): one object per row, column name → value. */
export function dataFrameRows(df: DataFrame): Row[] {
  const cols = df.columns as string[];
  const values = df.values as unknown[];
  return values.map((v) => {
    const row: Row = {};
    const arr = Array.isArray(v) ? v : [v];
    cols.forEach((c, j) => (row[c] = arr[j]));
    return row;
  });
}

/**
 * Builds a danfo DataFrame from rows (loads danfojs-node on first use).
 * @param rows - a non-empty array of objects; columns are the keys of the rows.
 * @throws Error when `rows` is empty or not an array of objects.
 */
export function toDataFrame(rows: Row[]): DataFrame {
  const rs = checkRows("toDataFrame", rows);
  if (rs.length === 0) throw new Error("toDataFrame: rows is empty; a DataFrame needs at least one row");
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: danfo loads tfjs (about 1 s), and only toDataFrame needs it (module doc)
  const dfd = require("danfojs-node") as typeof import("danfojs-node");
  return new dfd.DataFrame(rs);
}

/**
 * Shows a table: in a tslab kernel one output with `text/html` ({@link htmlTable}) and `text/plain` (danfo's
 * `toString()` for a DataFrame, {@link textTable} for rows); outside a kernel the plain text goes to stdout.
 * Returns nothing, so a cell that ends with it prints nothing more.
 *
 * @param data - a danfo DataFrame (its index is left out of the HTML) or an array of row objects.
 * @throws Error when `data` is neither, or an option is bad (see {@link TableOptions}).
 */
export function showTable(data: DataFrame | Row[], opts?: TableOptions): void {
  let rows: Row[];
  let text: string;
  if (Array.isArray(data)) {
    rows = checkRows("showTable", data);
    text = textTable(rows, opts);
  } else if (isDataFrameLike(data)) {
    rows = dataFrameRows(data);
    const o = resolveOptions("showTable", opts);
    text = (o.caption !== undefined ? o.caption + "\n" : "") + data.toString();
  } else {
    throw new Error(
      `showTable: data must be a danfo DataFrame or an array of row objects, got ${data === null ? "null" : typeof data}`,
    );
  }
  const html = htmlTable(rows, opts);
  if (isTslabKernel()) displayBundle({ "text/html": html, "text/plain": text });
  else process.stdout.write(text + "\n");
}
