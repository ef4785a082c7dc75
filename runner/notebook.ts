/**
 * Headless notebook execution: reads an nbformat 4 notebook, runs its code cells in order through a real tslab
 * kernel ({@link KernelClient}), attaches the outputs in nbformat 4 form and writes the executed notebook.
 *
 * Execution stops at the first failing cell; the partially executed notebook is still written (the failing cell
 * keeps its stderr output plus an nbformat `error` output) and {@link NotebookRunError} is thrown.
 *
 * A kernel that dies or hangs fails the run in bounded time: the watchdog's design is in the module doc of
 * `watchdog.ts`.
 *
 * @packageDocumentation
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { writeFileAtomic } from "qnn-kd/experiments";
import { KernelClient } from "./kernel";
import type { ExecuteEvent } from "./outputs";
import type { ExecuteResult } from "./request";
import { DisplayRegistry, ErrorOutput, MimeBundle, NbOutput } from "./protocol";

/** One notebook cell as stored in nbformat 4 (source may be a string or a list of lines). */
export interface NotebookCell {
  cell_type: "code" | "markdown" | "raw";
  /** Required from nbformat 4.5 on. */
  id?: string;
  source: string | string[];
  metadata: Record<string, unknown>;
  /** Code cells only. */
  outputs?: unknown[];
  /** Code cells only; `null` when not executed. */
  execution_count?: number | null;
  attachments?: Record<string, unknown>;
}

/** An nbformat 4 notebook. */
export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: NotebookCell[];
}

/**
 * Default of {@link RunNotebookOptions.idleTimeoutS} (and of the CLI's `--idle-timeout`), in seconds: how long a
 * responsive kernel with nothing pending may go without replying before its cell counts as stuck. Generous, as
 * an async operation invisible to the event loop (e.g. a large `WebAssembly.compile`) looks idle meanwhile.
 */
export const DEFAULT_IDLE_TIMEOUT_S = 60;

/**
 * Default of {@link RunNotebookOptions.cellTimeoutS} (and of the CLI's `--timeout`), in seconds: `0`, no overall
 * per-cell limit, since a paper-size training cell legitimately computes for many minutes.
 */
export const DEFAULT_CELL_TIMEOUT_S = 0;

/** The kernelspec written into notebooks that have none (the one `qnn-kd kernel-install` registers). */
export const TSLAB_KERNELSPEC = { name: "tslab", display_name: "TypeScript", language: "typescript" } as const;

/** A writable text sink (process.stdout, process.stderr, or a test buffer). */
export interface TextSink {
  write(text: string): unknown;
}

/** Options of {@link runNotebook}. */
export interface RunNotebookOptions {
  /** Extra environment variables for the kernel, merged over `process.env`. */
  env?: Record<string, string>;
  /**
   * Overall per-cell time limit in seconds, however busy the kernel is; a cell that runs longer is interrupted
   * and fails with reason `"timeout"`. `0` means no limit.
   * @defaultValue {@link DEFAULT_CELL_TIMEOUT_S} (0, no limit)
   */
  cellTimeoutS?: number;
  /**
   * Stuck-cell limit in seconds: a cell whose kernel stays idle without replying this long (event loop free,
   * nothing pending, no output; see the module doc) fails with reason `"stuck"`. A cell computing synchronously
   * is never stuck. `0` disables the check.
   * @defaultValue {@link DEFAULT_IDLE_TIMEOUT_S} (60)
   */
  idleTimeoutS?: number;
  /**
   * Kernel working directory.
   * @defaultValue the input notebook's folder (as Jupyter does)
   */
  cwd?: string;
  /**
   * Print per-cell progress (`[cell 3/20] <first line> … 1.2 s`) and throttled `text/plain` display updates to
   * `stderr`, and the cells' stream output live to `stdout` / `stderr`.
   * @defaultValue true
   */
  progress?: boolean;
  /** Sink for the cells' stdout stream. @defaultValue process.stdout */
  stdout?: TextSink;
  /** Sink for progress lines and the cells' stderr stream. @defaultValue process.stderr */
  stderr?: TextSink;
  /** How long to wait for the kernel to start, in seconds. @defaultValue 60 */
  startTimeoutS?: number;
  /**
   * Write the partially executed notebook at most this often (seconds) while running, so a killed run leaves
   * the outputs so far. `0` disables checkpoints (the notebook is still written at the end).
   * @defaultValue 30
   */
  checkpointEveryS?: number;
  /**
   * Aborts the run: the kernel is interrupted, the current cell fails with "interrupted", and the partial
   * notebook is written.
   */
  signal?: AbortSignal;
  /** Folder of the qnn-kd package (for `node_modules/.bin/tslab`). @defaultValue found from this module */
  projectRoot?: string;
  /**
   * Minimum interval between two printed `text/plain` updates of one display, in milliseconds.
   * @defaultValue 1000
   */
  displayPrintIntervalMs?: number;
}

/** Timing and status of one executed code cell. */
export interface CellRun {
  /** Index in `notebook.cells` (0-based, counts markdown cells too). */
  cellIndex: number;
  /** 1-based number among the notebook's non-empty code cells (as in progress lines). */
  codeCellNumber: number;
  /** Kernel-level outcome. */
  status: ExecuteResult["status"];
  /** Wall time in seconds. */
  durationS: number;
}

/** Where and why a run stopped. */
export interface CellFailure {
  /** Index in `notebook.cells` (0-based, counts markdown cells too). */
  cellIndex: number;
  /** 1-based number among non-empty code cells. */
  codeCellNumber: number;
  /** Number of non-empty code cells in the notebook. */
  codeCellCount: number;
  /** First non-empty line of the cell's source (trimmed, at most 80 characters). */
  firstLine: string;
  /**
   * `"error"`, `"timeout"` (overall cell limit), `"stuck"` (idle without replying), `"abort"` (kernel aborted),
   * `"interrupted"` (run aborted) or `"kernel-died"` (the kernel process exited).
   */
  reason: "error" | "timeout" | "stuck" | "abort" | "interrupted" | "kernel-died";
  /** The error text (tslab's stderr for the cell: message and stack, or compile diagnostics). */
  errorText: string;
}

/** Result of {@link runNotebook}. */
export interface RunNotebookResult {
  /** Absolute path of the input notebook. */
  input: string;
  /** Absolute path of the written, executed notebook. */
  output: string;
  /** Whether every code cell ran without error. */
  ok: boolean;
  /** Number of non-empty code cells. */
  codeCellCount: number;
  /** Cells executed, in order (the failing one last). */
  cells: CellRun[];
  /** Total wall time including kernel start and shutdown, in seconds. */
  durationS: number;
  /** Set when `ok` is false. */
  failure?: CellFailure;
}

/**
 * Thrown by {@link runNotebook} when a cell fails, after the partial notebook has been written. The message's
 * first line names the cell (number, notebook index, reason, first line of its source); then come the error text
 * and the path of the partial notebook.
 */
export class NotebookRunError extends Error {
  /** The failure details. */
  readonly failure: CellFailure;
  /** The full run result (`ok` is false). */
  readonly result: RunNotebookResult;

  constructor(result: RunNotebookResult) {
    const f = result.failure!;
    super(
      `${path.basename(result.input)}: cell ${f.codeCellNumber}/${f.codeCellCount} (notebook cell index ${f.cellIndex}) ` +
        `failed (${f.reason}): ${f.firstLine}\n${shortenErrorText(f.errorText)}\npartial notebook written to ${result.output}`,
    );
    this.name = "NotebookRunError";
    this.failure = f;
    this.result = result;
  }
}

/** The source of a cell as one string. */
export function cellSource(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : String(cell.source ?? "");
}

/** First non-empty line of `source`, trimmed and cut to `max` characters (with "…"). */
export function firstLineOf(source: string, max = 80): string {
  const line =
    source
      .split(/\r?\n/)
      .find((l) => l.trim() !== "")
      ?.trim() ?? "";
  return line.length > max ? line.slice(0, max - 1) + "…" : line;
}

/**
 * Drops stack frames inside tslab, `node:vm` and Node internals from a tslab error text, keeping the message and
 * the frames from the cell (`evalmachine.<anonymous>`) and from user modules.
 */
export function shortenErrorText(text: string): string {
  return text
    .split("\n")
    .filter((l) => !/^\s+at .*(node_modules[\\/]tslab[\\/]|node:vm|node:internal|sigintHandlersWrap)/.test(l))
    .join("\n")
    .trim();
}

/**
 * Reads and checks an nbformat 4 notebook.
 * @throws Error if the file is missing, is not JSON, or is not nbformat 4 (quoting the bad value).
 */
export function readNotebook(file: string): Notebook {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`readNotebook: cannot read ${JSON.stringify(file)}: ${(err as Error).message}`);
  }
  let nb: Notebook;
  try {
    nb = JSON.parse(text);
  } catch (err) {
    throw new Error(`readNotebook: ${JSON.stringify(file)} is not valid JSON: ${(err as Error).message}`);
  }
  if (!nb || typeof nb !== "object" || nb.nbformat !== 4) {
    throw new Error(
      `readNotebook: ${JSON.stringify(file)} must be nbformat 4, got nbformat ${JSON.stringify((nb as { nbformat?: unknown })?.nbformat)}`,
    );
  }
  if (!Array.isArray(nb.cells)) throw new Error(`readNotebook: ${JSON.stringify(file)} has no "cells" array`);
  nb.metadata ??= {};
  for (const [i, cell] of nb.cells.entries()) {
    if (!["code", "markdown", "raw"].includes(cell.cell_type)) {
      throw new Error(
        `readNotebook: ${JSON.stringify(file)} cell ${i} has cell_type ${JSON.stringify(cell.cell_type)}; allowed: "code", "markdown", "raw"`,
      );
    }
    cell.metadata ??= {};
  }
  return nb;
}

/** Splits text into lines that keep their "\n" (nbformat's on-disk multiline form). */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function isJsonMime(mime: string): boolean {
  return mime === "application/json" || mime.endsWith("+json");
}

function diskOutput(out: NbOutput | Record<string, unknown>): Record<string, unknown> {
  const o = { ...(out as Record<string, unknown>) };
  if (o.output_type === "stream" && typeof o.text === "string") o.text = splitLines(o.text);
  if (
    (o.output_type === "display_data" || o.output_type === "execute_result") &&
    o.data &&
    typeof o.data === "object"
  ) {
    const data: MimeBundle = {};
    for (const [mime, v] of Object.entries(o.data as MimeBundle))
      data[mime] = typeof v === "string" && !isJsonMime(mime) ? splitLines(v) : v;
    o.data = data;
  }
  return o;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/**
 * Serialises a notebook the way Jupyter does (sorted keys, one-space indent, multiline strings as line lists)
 * and writes it atomically (temp file in the same folder, then rename).
 */
export function writeNotebook(file: string, nb: Notebook): void {
  const disk = {
    ...nb,
    cells: nb.cells.map((c) => {
      const cell: Record<string, unknown> = { ...c, source: splitLines(cellSource(c)) };
      if (c.cell_type === "code") cell.outputs = (c.outputs ?? []).map((o) => diskOutput(o as NbOutput));
      return cell;
    }),
  };
  writeFileAtomic(file, JSON.stringify(sortKeys(disk), null, 1) + "\n");
}

/** Guesses `ename`/`evalue` for the nbformat error output from tslab's error text. */
function errorOutputFor(reason: CellFailure["reason"], errorText: string, hasStderr: boolean): ErrorOutput {
  const lines = errorText.split("\n");
  let ename = "CellError";
  let evalue = firstLineOf(errorText, 500);
  if (reason === "timeout") ename = "CellTimeoutError";
  else if (reason === "interrupted") ename = "KeyboardInterrupt";
  else if (reason === "abort") ename = "CellAbortedError";
  else if (reason === "kernel-died") ename = "KernelDiedError";
  else if (reason === "stuck") ename = "KernelIdleError";
  else {
    const m = lines
      .map((l) => /^([A-Za-z_$][\w$.]*)(?: \[[\w-]+\])?: (.*)$/.exec(l))
      .find((x) => x && /Error|Exception/.test(x[1]));
    if (m) {
      ename = m[1];
      evalue = m[2];
    } else if (lines.some((l) => /^\S*\d+:\d+ - /.test(l))) {
      ename = "TypeScriptError";
      evalue = lines.filter((l) => /^\S*\d+:\d+ - /.test(l)).join("; ");
    }
  }
  // The stderr stream already shows the text; repeat it as traceback only when the cell printed none.
  return { output_type: "error", ename, evalue, traceback: hasStderr ? [] : lines };
}

class ProgressPrinter {
  private lineOpen = false;
  private readonly lastPrint = new Map<string, number>();
  private readonly pendingText = new Map<string, string>();

  constructor(
    private readonly enabled: boolean,
    private readonly out: TextSink,
    private readonly err: TextSink,
    private readonly intervalMs: number,
  ) {}

  private closeLine(): void {
    if (this.lineOpen) {
      this.err.write("\n");
      this.lineOpen = false;
    }
  }

  cellStart(label: string): void {
    if (!this.enabled) return;
    this.closeLine();
    this.err.write(`${label} … `);
    this.lineOpen = true;
  }

  cellEnd(label: string, seconds: number, status: string): void {
    if (!this.enabled) return;
    this.flushDisplays();
    const tail = `${seconds.toFixed(1)} s${status === "ok" ? "" : ` (${status})`}\n`;
    if (this.lineOpen) this.err.write(tail);
    else this.err.write(`${label} … ${tail}`);
    this.lineOpen = false;
  }

  event(e: ExecuteEvent): void {
    if (!this.enabled) return;
    if (e.type === "stream") {
      this.closeLine();
      (e.name === "stderr" ? this.err : this.out).write(e.text);
      return;
    }
    if (!e.displayId) return; // one-off displays (tables, figures) are not echoed
    const text = e.data["text/plain"];
    if (typeof text !== "string") return;
    const now = performance.now();
    const last = this.lastPrint.get(e.displayId);
    if (last === undefined || now - last >= this.intervalMs) {
      this.printDisplay(e.displayId, text, now);
    } else {
      this.pendingText.set(e.displayId, text);
    }
  }

  private printDisplay(id: string, text: string, now: number): void {
    this.closeLine();
    this.err.write(text.endsWith("\n") ? text : text + "\n");
    this.lastPrint.set(id, now);
    this.pendingText.delete(id);
  }

  flushDisplays(): void {
    for (const [id, text] of [...this.pendingText]) this.printDisplay(id, text, performance.now());
  }
}

/**
 * Executes every code cell of the notebook `input` in order in a fresh tslab kernel and writes the executed
 * notebook to `output` (atomically; folders are created).
 *
 * Before running, all code cells' outputs and execution counts are cleared, so cells after a failure show as
 * not executed (`execution_count: null`, no outputs). Empty code cells are skipped. Notebook metadata gains the
 * tslab kernelspec if it has none, and the kernel's `language_info`.
 *
 * @param input - path of an nbformat 4 notebook.
 * @param output - path of the executed notebook (may equal `input`).
 * @returns the run result when every cell succeeded.
 * @throws NotebookRunError after writing the partial notebook when a cell fails, times out, is stuck (idle
 * without replying), is interrupted, or the kernel dies; Error (nothing written) when the notebook cannot be read or the kernel does not start.
 */
export async function runNotebook(
  input: string,
  output: string,
  options: RunNotebookOptions = {},
): Promise<RunNotebookResult> {
  const t0 = performance.now();
  const inputAbs = path.resolve(input);
  const outputAbs = path.resolve(output);
  const {
    env = {},
    cellTimeoutS = DEFAULT_CELL_TIMEOUT_S,
    idleTimeoutS = DEFAULT_IDLE_TIMEOUT_S,
    progress = true,
    stdout = process.stdout,
    stderr = process.stderr,
    startTimeoutS = 60,
    checkpointEveryS = 30,
    signal,
    displayPrintIntervalMs = 1000,
  } = options;
  if (!(Number.isFinite(cellTimeoutS) && cellTimeoutS >= 0)) {
    throw new Error(`runNotebook: cellTimeoutS must be a finite number >= 0 (0 = no limit), got ${cellTimeoutS}`);
  }
  if (!(Number.isFinite(idleTimeoutS) && idleTimeoutS >= 0)) {
    throw new Error(
      `runNotebook: idleTimeoutS must be a finite number >= 0 (0 = no stuck-cell check), got ${idleTimeoutS}`,
    );
  }
  if (!(Number.isFinite(startTimeoutS) && startTimeoutS > 0))
    throw new Error(`runNotebook: startTimeoutS must be a number > 0, got ${startTimeoutS}`);
  if (!(Number.isFinite(checkpointEveryS) && checkpointEveryS >= 0)) {
    throw new Error(`runNotebook: checkpointEveryS must be a finite number >= 0, got ${checkpointEveryS}`);
  }
  const nb = readNotebook(inputAbs);
  const addIds = nb.nbformat_minor >= 5;
  for (const cell of nb.cells) {
    if (addIds && !cell.id) cell.id = crypto.randomBytes(4).toString("hex");
    if (cell.cell_type === "code") {
      cell.outputs = [];
      cell.execution_count = null;
    }
  }
  const codeCells = nb.cells
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => c.cell_type === "code" && cellSource(c).trim() !== "");
  const printer = new ProgressPrinter(progress, stdout, stderr, displayPrintIntervalMs);
  const result: RunNotebookResult = {
    input: inputAbs,
    output: outputAbs,
    ok: true,
    codeCellCount: codeCells.length,
    cells: [],
    durationS: 0,
  };

  if (signal?.aborted) throw new Error(`runNotebook: aborted before start (${inputAbs})`);
  const kernel = await KernelClient.start({
    cwd: options.cwd ?? path.dirname(inputAbs),
    env,
    projectRoot: options.projectRoot,
    startTimeoutMs: startTimeoutS * 1000,
  });
  let interrupted = false;
  const onAbort = (): void => {
    interrupted = true;
    kernel.interrupt();
  };
  signal?.addEventListener("abort", onAbort);
  const displays: DisplayRegistry = new Map();
  let lastCheckpoint = performance.now();
  try {
    nb.metadata.kernelspec ??= { ...TSLAB_KERNELSPEC };
    if (kernel.kernelInfo.language_info) nb.metadata.language_info = kernel.kernelInfo.language_info;
    for (const [k, { c: cell, i: cellIndex }] of codeCells.entries()) {
      const source = cellSource(cell);
      const firstLine = firstLineOf(source);
      const label = `[cell ${k + 1}/${codeCells.length}] ${firstLineOf(source, 60)}`;
      if (interrupted) {
        result.failure = {
          cellIndex,
          codeCellNumber: k + 1,
          codeCellCount: codeCells.length,
          firstLine,
          reason: "interrupted",
          errorText: "run interrupted before this cell",
        };
        break;
      }
      printer.cellStart(label);
      const c0 = performance.now();
      let r: ExecuteResult;
      try {
        r = await kernel.execute(source, {
          timeoutMs: cellTimeoutS * 1000,
          idleTimeoutMs: idleTimeoutS * 1000,
          displays,
          onEvent: (e) => printer.event(e),
        });
      } catch (err) {
        // execute() resolves for every watchdog outcome (kernel death included); it rejects only when the kernel
        // was already gone or a send failed.
        const seconds = (performance.now() - c0) / 1000;
        printer.cellEnd(label, seconds, "kernel died");
        const errorText = (err as Error).message;
        cell.outputs = [errorOutputFor("kernel-died", errorText, false)];
        result.cells.push({ cellIndex, codeCellNumber: k + 1, status: "kernel-died", durationS: seconds });
        result.failure = {
          cellIndex,
          codeCellNumber: k + 1,
          codeCellCount: codeCells.length,
          firstLine,
          reason: "kernel-died",
          errorText,
        };
        break;
      }
      const seconds = r.durationMs / 1000;
      cell.outputs = r.outputs;
      cell.execution_count = r.executionCount;
      result.cells.push({ cellIndex, codeCellNumber: k + 1, status: r.status, durationS: seconds });
      const reason: CellFailure["reason"] | null = interrupted ? "interrupted" : r.status === "ok" ? null : r.status;
      printer.cellEnd(label, seconds, reason ?? "ok");
      if (reason) {
        const errorText = reason === "interrupted" ? `interrupted\n${r.errorText}`.trim() : r.errorText;
        const hasStderr = r.outputs.some((o) => o.output_type === "stream" && o.name === "stderr");
        cell.outputs.push(errorOutputFor(reason, errorText, hasStderr));
        result.failure = {
          cellIndex,
          codeCellNumber: k + 1,
          codeCellCount: codeCells.length,
          firstLine,
          reason,
          errorText,
        };
        break;
      }
      if (checkpointEveryS > 0 && performance.now() - lastCheckpoint >= checkpointEveryS * 1000) {
        writeNotebook(outputAbs, nb);
        lastCheckpoint = performance.now();
      }
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    await kernel.shutdown();
    writeNotebook(outputAbs, nb);
  }
  result.ok = result.failure === undefined;
  result.durationS = (performance.now() - t0) / 1000;
  if (!result.ok) throw new NotebookRunError(result);
  return result;
}
