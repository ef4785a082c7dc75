/**
 * The watchdog of one execute request: a kernel that dies or hangs fails the run in bounded time.
 *
 * A cell can end in four ways besides a reply, each a failure of that cell through the same path as an error
 * (partial notebook written, the cell's outputs so far plus an `error` output naming the reason, kernel shut down,
 * `NotebookRunError` naming the cell):
 *
 * - **Kernel died** (`"kernel-died"`, immediately): the kernel is our child process; its `exit` event (exit code
 *   or signal) fails the running cell at once, after reading for 250 ms the iopub
 *   messages it sent before dying. No timeout is involved.
 * - **Stuck** (`"stuck"`, after `RunNotebookOptions.idleTimeoutS` of `notebook.ts`, default `DEFAULT_IDLE_TIMEOUT_S`):
 *   the kernel is responsive yet the cell neither replies nor can ever reply. Observed with tslab 1.0.22: a cell
 *   `await new Promise(() => {})` (with or without a preceding `await null;`) gets a `status: busy` and then
 *   nothing (no stream, no reply, no idle), while the kernel keeps answering the heartbeat and
 *   `kernel_info_request` on shell and control. Responsiveness alone cannot tell this from a legitimate async
 *   cell (awaiting a timer, worker threads, a file read: the Fig. 4 notebook awaits worker-thread training), so
 *   the runner asks a small agent preloaded into the kernel (`kernel-agent.ts`, over a Node IPC channel) once a
 *   second for `process.getActiveResourcesInfo()`. A cell counts as stuck when, for the whole idle timeout, every
 *   probe was answered promptly (the event loop is free), no resource beyond those of the idle kernel at start
 *   was pending (no `Timeout`, `Immediate`, `MessagePort` of a worker, socket, file request, child process …:
 *   exactly the condition under which a plain Node script would have exited with the promise unsettled), and the
 *   cell sent no output. Also stuck: an iopub `idle` for the request without an `execute_reply` within the idle
 *   timeout. Limits: a pending resource left by an earlier cell (an interval, an idle worker pool) makes a later
 *   stuck cell look busy; the overall cell timeout still bounds it. Without the agent (no compiled
 *   `kernel-agent.js`) only the idle-without-reply rule applies.
 * - **Busy computing** is never stuck: a synchronous cell blocks the kernel's event loop, so it answers nothing
 *   (verified: neither heartbeat nor `kernel_info_request` on shell or control during a busy loop), and an
 *   unanswered or late probe (> 1 s) resets the idle clock. Such cells, minutes of training, run until they end
 *   or until the overall limit.
 * - **Overall limit** (`"timeout"`, `RunNotebookOptions.cellTimeoutS`, default
 *   `DEFAULT_CELL_TIMEOUT_S` = none): wall-clock limit per cell however busy the kernel is; the kernel is
 *   interrupted (SIGINT).
 *
 * This module holds the two timed parts ({@link IdleWatchdog}, {@link TimeLimit}); the kernel's `exit` and the
 * pairing of `execute_reply` with iopub `idle` are handled by the request itself (`kernel.ts`).
 * @packageDocumentation
 */

/** Interval (ms) of the watchdog's probes (shorter for idle timeouts under 4 s). */
export const PROBE_INTERVAL_MS = 1000;
/** A probe answered later than this (ms) means the kernel's event loop was blocked: busy, not idle. */
export const PROBE_LATE_MS = 1000;
/** After the overall limit: interval (ms) of repeated interrupts until the kernel answers the request. */
export const INTERRUPT_RETRY_MS = 500;
/** After the overall limit: how long (ms) to wait for the kernel's answer before giving up on the request. */
export const INTERRUPT_GRACE_MS = 10_000;

/** What the {@link IdleWatchdog} asks of the kernel client. */
export interface IdleProbe {
  /** The kernel's active resources (`process.getActiveResourcesInfo()`), or null without an answer. */
  probe(): Promise<string[] | null>;
  /** Resources beyond the idle kernel's baseline (a multiset difference), or null without a baseline. */
  extraResources(resources: string[]): string[] | null;
}

/**
 * The "stuck" rule (module doc): probes the kernel every {@link PROBE_INTERVAL_MS} (or a quarter of the idle
 * timeout when shorter, at least 50 ms) and calls `onStuck` once the kernel has been provably idle (prompt probe
 * answers, nothing pending beyond the baseline, no {@link IdleWatchdog.activity}) for `idleTimeoutMs`.
 */
export class IdleWatchdog {
  private timer: NodeJS.Timeout | undefined;
  /** Since when the kernel has been provably idle; null while it shows activity. */
  private quietSince: number | null = null;
  private probing = false;
  private stopped = false;

  constructor(
    private readonly idleTimeoutMs: number,
    private readonly kernel: IdleProbe,
    private readonly onStuck: (why: string) => void,
  ) {}

  /** Starts probing. */
  start(): void {
    const every = Math.min(PROBE_INTERVAL_MS, Math.max(50, this.idleTimeoutMs / 4));
    this.timer = setInterval(() => void this.watch(), every);
  }

  /** The cell showed activity (an iopub message other than status): the idle clock restarts. */
  activity(): void {
    this.quietSince = null;
  }

  /** Stops probing (idempotent). */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  private async watch(): Promise<void> {
    if (this.stopped || this.probing) return;
    this.probing = true;
    const sentAt = performance.now();
    const resources = await this.kernel.probe();
    this.probing = false;
    if (this.stopped || resources === null) return;
    const now = performance.now();
    const extra = this.kernel.extraResources(resources);
    if (extra === null) return; // no baseline: cannot tell waiting from stuck
    if (now - sentAt > PROBE_LATE_MS) this.quietSince = null; // the event loop was blocked: busy, not idle
    if (extra.length > 0) {
      this.quietSince = null;
      return;
    }
    if (this.quietSince === null) this.quietSince = now - sentAt > PROBE_LATE_MS ? now : sentAt;
    else if (now - this.quietSince >= this.idleTimeoutMs) {
      this.onStuck(
        `kernel idle without replying for ${((now - this.quietSince) / 1000).toFixed(1)} s (its event loop is free and nothing ` +
          `the cell could wait for is pending, e.g. an await on a promise that never settles); idle timeout ${this.idleTimeoutMs / 1000} s`,
      );
    }
  }
}

/**
 * The overall limit (module doc): at `timeoutMs` interrupts the kernel and marks the request expired; a cell the
 * kernel had not started yet (tslab still compiling it on a loaded machine) misses that SIGINT and would run on,
 * so it interrupts again every {@link INTERRUPT_RETRY_MS} until `answered()`, and calls `onGiveUp` after
 * {@link INTERRUPT_GRACE_MS} without an answer.
 */
export class TimeLimit {
  /** True once the limit expired. */
  expired = false;
  private timer: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private grace: NodeJS.Timeout | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly interrupt: () => void,
    private readonly answered: () => boolean,
    private readonly onGiveUp: () => void,
  ) {}

  /** Starts the clock. */
  start(): void {
    this.timer = setTimeout(() => {
      this.expired = true;
      this.interrupt();
      this.retry = setInterval(() => {
        if (!this.answered()) this.interrupt();
      }, INTERRUPT_RETRY_MS);
      this.grace = setTimeout(this.onGiveUp, INTERRUPT_GRACE_MS);
    }, this.timeoutMs);
  }

  /** Stops every timer (idempotent). */
  stop(): void {
    clearTimeout(this.timer);
    clearInterval(this.retry);
    clearTimeout(this.grace);
  }
}
