/**
 * One execute request in flight: its state (reply, idle, the watchdog's verdicts), the messages addressed to it
 * (routed here by the kernel client by `parent_header.msg_id`), its outputs ({@link OutputCollector}) and its
 * timers ({@link IdleWatchdog}, {@link TimeLimit}). It settles once, into an {@link ExecuteResult}.
 *
 * A request is done when both the shell `execute_reply` and the iopub status `idle` for it have arrived; an
 * `execute_reply` whose `idle` never comes (a lost iopub message) is accepted after
 * {@link REPLY_WITHOUT_IDLE_WAIT_MS}; an `idle` without an `execute_reply` within the idle timeout is "stuck". The
 * other endings (timeout, stuck, kernel died) are the watchdog's (`watchdog.ts`).
 * @packageDocumentation
 */
import type { DisplayRegistry, IopubContent, JupyterMessage, NbOutput } from "./protocol";
import { ExecuteEvent, ExecuteStatus, OutputCollector, errorTextOf } from "./outputs";
import { IdleProbe, IdleWatchdog, TimeLimit } from "./watchdog";

/**
 * How long a request waits for the iopub `idle` status after the `execute_reply` before it accepts the reply
 * alone (the idle message can be lost when the kernel's iopub queue overflows), in ms.
 */
export const REPLY_WITHOUT_IDLE_WAIT_MS = 5000;
/** After the kernel process exits, how long to keep reading iopub messages it sent before (ms). */
export const DEATH_DRAIN_MS = 250;

/** Options of `KernelClient.execute`. */
export interface ExecuteOptions {
  /**
   * Overall time limit in milliseconds, however busy the kernel is; on expiry the kernel is interrupted (SIGINT)
   * and the result has status `"timeout"`. `0` or `undefined` means no limit.
   * @defaultValue undefined (no limit)
   */
  timeoutMs?: number;
  /**
   * Stuck-cell limit in milliseconds: the request fails with status `"stuck"` (and the kernel is interrupted so it
   * can take the next request) once the kernel has been idle this long without replying, that is, its event loop
   * answered every watchdog probe promptly, nothing the cell could be waiting for was pending (no timer, worker,
   * socket, file request, … beyond the idle kernel's own) and the cell sent no output; or once the kernel
   * reported status idle for the request without an `execute_reply`. A kernel busy in synchronous code never
   * counts as idle. `0` or `undefined` disables it. See the module doc of `watchdog.ts` for the whole design.
   * @defaultValue undefined (disabled)
   */
  idleTimeoutMs?: number;
  /** Called for every stream / display message of this request, as it arrives. */
  onEvent?: (event: ExecuteEvent) => void;
  /**
   * Registry used to apply `update_display_data`; pass one shared across cells.
   * @defaultValue a fresh registry for this request
   */
  displays?: DisplayRegistry;
}

/** Result of `KernelClient.execute`. */
export interface ExecuteResult {
  /**
   * Outcome:
   * - `"ok"`: the code ran;
   * - `"error"`: the kernel reported status `"error"` (compile error or exception);
   * - `"abort"`: the kernel aborted the request (a previous one failed);
   * - `"timeout"`: {@link ExecuteOptions.timeoutMs} expired and the kernel was interrupted;
   * - `"stuck"`: the kernel was idle without replying for {@link ExecuteOptions.idleTimeoutMs};
   * - `"kernel-died"`: the kernel process exited during the request (outputs are those received before).
   */
  status: ExecuteStatus;
  /** `execution_count` from the `execute_reply`, or `null` if it had none. */
  executionCount: number | null;
  /** Outputs of this request in nbformat 4 form, consecutive stream outputs of one name merged. */
  outputs: NbOutput[];
  /**
   * For a status other than `"ok"`: the error text, i.e. the request's stderr stream (tslab prints stack traces
   * and compile diagnostics there), else error outputs, else a description of the status. `""` when ok.
   */
  errorText: string;
  /** Wall time from sending the request to the reply and idle status, in milliseconds. */
  durationMs: number;
  /** The raw `execute_reply` content (`{}` on timeout without a reply). */
  reply: Record<string, unknown>;
}

/** What a request needs of its kernel client. */
export interface RequestHost extends IdleProbe {
  /** True when the client has the idle kernel's resource baseline (the stuck rule needs it). */
  readonly hasBaseline: boolean;
  /** Interrupts the kernel (SIGINT). */
  interrupt(): void;
  /** The tail of the kernel process's log (for error texts). */
  kernelLog(): string;
  /** Appends a line to that log. */
  appendLog(line: string): void;
}

/**
 * One execute request (see the module doc): the client routes its shell and iopub messages to
 * {@link ExecuteRequest.onShell} and {@link ExecuteRequest.onIopub}, the kernel's death to
 * {@link ExecuteRequest.onDeath}, and awaits {@link ExecuteRequest.result}.
 */
export class ExecuteRequest {
  /** Settles once: the result, or an Error for a request that could not be sent. */
  readonly result: Promise<ExecuteResult>;
  private resolve!: (r: ExecuteResult) => void;
  private reject!: (e: Error) => void;
  private readonly collector: OutputCollector;
  private readonly watchdog: IdleWatchdog | null;
  private readonly limit: TimeLimit | null;
  private readonly t0 = performance.now();
  private reply: Record<string, unknown> | null = null;
  private idle = false;
  private died: Error | null = null;
  private stuck: string | null = null;
  private done = false;
  private pairTimer: NodeJS.Timeout | undefined;

  /**
   * @param host - the kernel client.
   * @param options - validated by the client.
   * @param onSettled - called once, before the result settles (the client forgets the request there).
   */
  constructor(
    private readonly host: RequestHost,
    private readonly options: ExecuteOptions,
    private readonly onSettled: () => void,
  ) {
    this.result = new Promise<ExecuteResult>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.collector = new OutputCollector(options.displays ?? new Map(), options.onEvent);
    const idleMs = options.idleTimeoutMs;
    this.watchdog =
      idleMs && idleMs > 0 && host.hasBaseline ? new IdleWatchdog(idleMs, host, (why) => this.declareStuck(why)) : null;
    const limitMs = options.timeoutMs;
    this.limit =
      limitMs && limitMs > 0
        ? new TimeLimit(
            limitMs,
            () => host.interrupt(),
            () => this.reply !== null,
            () => this.finish(),
          )
        : null;
  }

  /** Starts the watchdog's timers (call once the request is sent). */
  start(): void {
    this.watchdog?.start();
    this.limit?.start();
  }

  /** Fails the request with `err` (it could not be sent, or the kernel was not running). */
  fail(err: Error): void {
    this.finish(err);
  }

  /** The kernel process exited: finish after reading for {@link DEATH_DRAIN_MS} what it sent before. */
  readonly onDeath = (err: Error): void => {
    if (this.done || this.died) return;
    this.died = err;
    setTimeout(() => this.finish(), DEATH_DRAIN_MS);
  };

  /** A shell message addressed to this request. */
  onShell(msg: JupyterMessage): void {
    if (msg.header.msg_type !== "execute_reply") return;
    this.reply = msg.content;
    clearTimeout(this.pairTimer);
    if (!this.idle) {
      this.pairTimer = setTimeout(() => {
        this.idle = true;
        this.host.appendLog(
          `[qnn-kd] no iopub idle status within ${REPLY_WITHOUT_IDLE_WAIT_MS} ms after execute_reply; outputs may be incomplete`,
        );
        this.maybeFinish();
      }, REPLY_WITHOUT_IDLE_WAIT_MS);
    }
    this.maybeFinish();
  }

  /** An iopub message addressed to this request. */
  onIopub(msg: JupyterMessage): void {
    const type = msg.header.msg_type;
    if (type !== "status") {
      this.watchdog?.activity();
      this.collector.add(type, msg.content as IopubContent);
      return;
    }
    if ((msg.content as IopubContent).execution_state !== "idle") return;
    this.idle = true;
    const idleMs = this.options.idleTimeoutMs;
    if (this.reply === null && idleMs && idleMs > 0) {
      clearTimeout(this.pairTimer);
      this.pairTimer = setTimeout(
        () => this.declareStuck(`kernel reported status idle but sent no execute_reply within ${idleMs / 1000} s`),
        idleMs,
      );
    }
    this.maybeFinish();
  }

  private declareStuck(why: string): void {
    if (this.done || this.died) return;
    this.stuck = why;
    this.host.interrupt(); // frees tslab's execution queue for a next request (its late error reply is ignored)
    this.finish();
  }

  private maybeFinish(): void {
    if (this.reply !== null && this.idle) this.finish();
  }

  private finish(err?: Error): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.pairTimer);
    this.watchdog?.stop();
    this.limit?.stop();
    this.onSettled();
    if (err) return this.reject(err);
    const reply = this.reply;
    const rawStatus = reply?.status;
    let status: ExecuteStatus =
      rawStatus === "ok" ? "ok" : rawStatus === "abort" || rawStatus === "aborted" ? "abort" : "error";
    if (this.died) status = "kernel-died";
    else if (this.stuck) status = "stuck";
    else if (this.limit?.expired) status = "timeout";
    const ec = reply?.execution_count;
    const outputs = this.collector.outputs;
    this.resolve({
      status,
      executionCount: typeof ec === "number" ? ec : null,
      outputs,
      errorText:
        status === "ok"
          ? ""
          : errorTextOf(status, outputs, reply ?? {}, {
              timeoutMs: this.options.timeoutMs,
              detail: this.died?.message ?? this.stuck ?? undefined,
              kernelLog: this.host.kernelLog(),
            }),
      durationMs: performance.now() - this.t0,
      reply: reply ?? {},
    });
  }
}
