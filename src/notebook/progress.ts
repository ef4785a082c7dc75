/**
 * A progress bar for long loops (training epochs, seeds), updated in place:
 *
 * ```text
 * train [#######.............] 37/100  37%  elapsed 12.3s  ETA 20.9s  loss=0.41 acc=0.93
 * ```
 *
 * In a tslab kernel it is one output updated through `tslab.newDisplay()` (at most every 200 ms, plus the
 * final state at {@link ProgressBar.done}); outside a kernel it writes to stderr: one line rewritten with `\r`
 * when stderr is a TTY (at most every 200 ms), else a new line at most every 2 s and at `done`.
 *
 * @packageDocumentation
 */
import { kernelTslab } from "./kernel";

/** What {@link progressBar} returns. */
export interface ProgressBar {
  /**
   * Records `n` more finished steps and merges `info` (shown as `key=value` after the ETA; later values replace
   * earlier ones of the same key), then redraws if the throttle allows.
   * @param n - finished steps, an integer ≥ 0. @defaultValue 1
   * @throws Error when `n` is not an integer ≥ 0, an info value is not a number or string, or after `done()`.
   */
  tick(n?: number, info?: Record<string, number | string>): void;
  /** Draws the final state (always) and ends the bar; a second call does nothing. */
  done(): void;
}

/** Where and how the bar is drawn. */
export type ProgressMode = "kernel" | "tty" | "lines";

/** Options of {@link progressBar} (mostly for tests). */
export interface ProgressOptions {
  /** Clock in milliseconds. @defaultValue `performance.now` */
  now?: () => number;
  /** Output stream outside a kernel. @defaultValue `process.stderr` */
  stream?: { write(s: string): unknown; isTTY?: boolean };
  /**
   * Drawing mode. @defaultValue "kernel" in a tslab kernel, else "tty" when `stream.isTTY`, else "lines"
   */
  mode?: ProgressMode;
  /** Bar width in characters, an integer in [1, 200]. @defaultValue 20 */
  width?: number;
}

/** The state that {@link formatProgress} renders. */
export interface ProgressState {
  label: string;
  /** Finished steps. */
  done: number;
  /** Total steps (> 0). */
  total: number;
  /** Milliseconds since the bar was created. */
  elapsedMs: number;
  /** Extra `key=value` fields. @defaultValue {} */
  info?: Record<string, number | string>;
  /** Bar width in characters. @defaultValue 20 */
  width?: number;
}

const KERNEL_INTERVAL_MS = 1000;
/**
 * Most in-place updates one bar sends in a kernel (besides its first and final draw). While a synchronous cell
 * runs, the kernel's event loop is blocked, so its zeromq socket queues every display message; zeromq refuses
 * a send beyond its high-water mark (about 500 queued messages), the error is lost and the run hangs. The
 * interval therefore also grows with the elapsed time (elapsed / 40), and a bar stops redrawing after this many.
 */
const KERNEL_MAX_UPDATES = 120;
/**
 * Most in-place updates all bars together send within one synchronous stretch (until the event loop turns), so
 * that a cell that trains many models back to back cannot queue more display messages than zeromq accepts (see
 * {@link KERNEL_MAX_UPDATES}). Final draws count against {@link KERNEL_MAX_SENDS} only.
 */
const KERNEL_MAX_PENDING = 100;
/**
 * Most display messages all bars together send within one synchronous stretch, first and final draws included:
 * a cell that trains hundreds of models back to back (a readings section) would otherwise queue two forced draws
 * per bar past zeromq's limit, and tslab then fails the cell with no error output. Beyond it a bar's first draw
 * waits for its first tick, and draws, final ones included, are skipped until the event loop turns.
 */
const KERNEL_MAX_SENDS = 250;
let pendingSends = 0;
let resetScheduled = false;
function countSend(): void {
  pendingSends++;
  if (!resetScheduled) {
    resetScheduled = true;
    setImmediate(() => {
      pendingSends = 0;
      resetScheduled = false;
    });
  }
}
const TTY_INTERVAL_MS = 200;
const LINES_INTERVAL_MS = 2000;
const DEFAULT_WIDTH = 20;

/** Formats a duration in milliseconds: `12.3s` below a minute, `4m05s` below an hour, else `1h02m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "?";
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const total = Math.round(s);
  if (total < 3600) return `${Math.floor(total / 60)}m${String(total % 60).padStart(2, "0")}s`;
  return `${Math.floor(total / 3600)}h${String(Math.floor((total % 3600) / 60)).padStart(2, "0")}m`;
}

/** Formats an info value: integers as they are, |v| ≥ 100 with one decimal, else 3 significant digits. */
export function formatInfoValue(v: number | string): string {
  if (typeof v === "string") return v;
  if (!Number.isFinite(v) || Number.isInteger(v)) return String(v);
  if (Math.abs(v) >= 100) return v.toFixed(1);
  return String(Number(v.toPrecision(3)));
}

/**
 * Estimated time left in milliseconds: `elapsed / done · (total − done)`; `NaN` when `done` is 0, 0 once
 * `done ≥ total`.
 */
export function etaMs(done: number, total: number, elapsedMs: number): number {
  if (done >= total) return 0;
  if (done <= 0) return NaN;
  return (elapsedMs / done) * (total - done);
}

/**
 * Renders one progress line (pure): `label [####....] done/total  pct%  elapsed 1.2s  ETA 3.4s  k=v …`.
 * The bar and percentage are floored and capped at 100%; the ETA is `?` before the first step.
 */
export function formatProgress(s: ProgressState): string {
  const width = s.width ?? DEFAULT_WIDTH;
  const frac = s.total > 0 ? Math.min(1, Math.max(0, s.done / s.total)) : 0;
  const filled = Math.floor(frac * width);
  const pct = Math.floor(frac * 100);
  const bar = "#".repeat(filled) + ".".repeat(width - filled);
  const info = Object.entries(s.info ?? {})
    .map(([k, v]) => `${k}=${formatInfoValue(v)}`)
    .join(" ");
  const line =
    `${s.label} [${bar}] ${s.done}/${s.total}  ${pct}%  elapsed ${formatDuration(s.elapsedMs)}  ` +
    `ETA ${formatDuration(etaMs(s.done, s.total, s.elapsedMs))}`;
  return info === "" ? line : `${line}  ${info}`;
}

/**
 * Creates a progress bar for `total` steps (see the module documentation for where it draws).
 * In a kernel and on a TTY the bar is drawn at once (0/total); in "lines" mode at the first tick.
 *
 * @param total - number of steps, an integer ≥ 1.
 * @param label - text before the bar, e.g. `"seed 0"`.
 * @throws Error quoting the bad value when `total` is not an integer ≥ 1, `label` is not a string, or an option
 *   is unknown or bad.
 */
export function progressBar(total: number, label: string, opts: ProgressOptions = {}): ProgressBar {
  const where = "progressBar";
  if (typeof total !== "number" || !Number.isInteger(total) || total < 1) {
    throw new Error(`${where}: total must be an integer ≥ 1, got ${JSON.stringify(total)}`);
  }
  if (typeof label !== "string") throw new Error(`${where}: label must be a string, got ${JSON.stringify(label)}`);
  const allowed = ["now", "stream", "mode", "width"];
  for (const key of Object.keys(opts)) {
    if (!allowed.includes(key))
      throw new Error(
        `${where}: unknown option "${key}"; allowed options are ${allowed.map((k) => `"${k}"`).join(", ")}`,
      );
  }
  const width = opts.width ?? DEFAULT_WIDTH;
  if (typeof width !== "number" || !Number.isInteger(width) || width < 1 || width > 200) {
    throw new Error(`${where}: width must be an integer in [1, 200], got ${JSON.stringify(opts.width)}`);
  }
  const now = opts.now ?? (() => performance.now());
  const stream = opts.stream ?? process.stderr;
  const tslab = opts.mode === undefined || opts.mode === "kernel" ? kernelTslab() : null;
  let mode: ProgressMode;
  if (opts.mode !== undefined) {
    if (!["kernel", "tty", "lines"].includes(opts.mode)) {
      throw new Error(`${where}: mode must be "kernel", "tty" or "lines", got ${JSON.stringify(opts.mode)}`);
    }
    if (opts.mode === "kernel" && tslab === null)
      throw new Error(`${where}: mode "kernel" asked for, but this is not a tslab kernel`);
    mode = opts.mode;
  } else {
    mode = tslab !== null ? "kernel" : stream.isTTY === true ? "tty" : "lines";
  }
  const display = mode === "kernel" && tslab !== null ? tslab.newDisplay() : null;
  const interval = mode === "kernel" ? KERNEL_INTERVAL_MS : mode === "tty" ? TTY_INTERVAL_MS : LINES_INTERVAL_MS;

  const start = now();
  let count = 0;
  const info: Record<string, number | string> = {};
  let lastDraw = -Infinity;
  let finished = false;
  let updates = 0;

  function draw(final: boolean): void {
    // zeromq's queue is full enough: skip, and let a later tick draw once the event loop has turned
    if (display !== null && pendingSends >= (final ? KERNEL_MAX_SENDS : KERNEL_MAX_PENDING)) return;
    const t = now();
    const line = formatProgress({ label, done: count, total, elapsedMs: t - start, info, width });
    lastDraw = t;
    if (display !== null) {
      countSend();
      display.text(line);
    } else if (mode === "tty") stream.write(`\r${line}\x1b[K${final ? "\n" : ""}`);
    else stream.write(line + "\n");
  }

  if (mode !== "lines") draw(false);

  return {
    tick(n = 1, extra?: Record<string, number | string>): void {
      if (finished) throw new Error(`${where}: tick() after done() on "${label}"`);
      if (typeof n !== "number" || !Number.isInteger(n) || n < 0)
        throw new Error(`${where}: tick(n) needs an integer n ≥ 0, got ${JSON.stringify(n)}`);
      if (extra !== undefined) {
        for (const [k, v] of Object.entries(extra)) {
          if (typeof v !== "number" && typeof v !== "string") {
            throw new Error(`${where}: info value "${k}" must be a number or a string, got ${JSON.stringify(v)}`);
          }
          info[k] = v;
        }
      }
      count += n;
      const t = now();
      if (display !== null) {
        if (
          updates < KERNEL_MAX_UPDATES &&
          pendingSends < KERNEL_MAX_PENDING &&
          t - lastDraw >= Math.max(interval, (t - start) / 40)
        ) {
          updates++;
          draw(false);
        }
      } else if (t - lastDraw >= interval) draw(false);
    },
    done(): void {
      if (finished) return;
      finished = true;
      draw(true);
    },
  };
}
