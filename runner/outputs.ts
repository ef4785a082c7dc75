/**
 * The outputs of one execute request: the iopub messages of a cell turned into nbformat 4 outputs
 * ({@link OutputCollector}), and the error text of a failed request ({@link errorTextOf}).
 *
 * Rules (Jupyter messaging spec 5.3, "IOPub"; nbformat 4 output types):
 * - consecutive `stream` chunks of one name merge into one output (as JupyterLab shows them);
 * - `display_data` and `execute_result` are kept with their metadata; one with a transient `display_id` is
 *   registered in the {@link DisplayRegistry}, and a later `update_display_data` with that id replaces the data
 *   and metadata of every output registered under it (in earlier cells too, when the registry is shared);
 * - `error` becomes an error output; `clear_output` empties the outputs at once, or with `wait: true` just before
 *   the next output arrives.
 * @packageDocumentation
 */
import type {
  DisplayDataOutput,
  DisplayRegistry,
  ErrorOutput,
  ExecuteResultOutput,
  IopubContent,
  MimeBundle,
  NbOutput,
  StreamOutput,
} from "./protocol";

/** Events reported while a request executes (for live progress). */
export type ExecuteEvent =
  | { type: "stream"; name: string; text: string }
  | { type: "display_data"; displayId: string | undefined; data: MimeBundle }
  | { type: "update_display_data"; displayId: string; data: MimeBundle };

/** Outcome of one execute request (see `KernelClient.execute`). */
export type ExecuteStatus = "ok" | "error" | "abort" | "timeout" | "stuck" | "kernel-died";

/** Collects the outputs of one request from its iopub messages (see the module doc). */
export class OutputCollector {
  /** The outputs so far, in nbformat 4 form. */
  readonly outputs: NbOutput[] = [];
  private clearPending = false;

  /**
   * @param displays - registry for `update_display_data` (share one across the cells of a notebook).
   * @param onEvent - called for every stream / display message as it arrives. @defaultValue none
   */
  constructor(
    private readonly displays: DisplayRegistry,
    private readonly onEvent?: (event: ExecuteEvent) => void,
  ) {}

  /** Records one iopub message of the request (`status` and unknown types are ignored). */
  add(msgType: string, c: IopubContent): void {
    switch (msgType) {
      case "stream": {
        const name = String(c.name ?? "stdout");
        const text = String(c.text ?? "");
        this.push({ output_type: "stream", name, text });
        this.onEvent?.({ type: "stream", name, text });
        break;
      }
      case "display_data":
      case "execute_result": {
        const data = (c.data ?? {}) as MimeBundle;
        const metadata = (c.metadata ?? {}) as Record<string, unknown>;
        const out: DisplayDataOutput | ExecuteResultOutput =
          msgType === "display_data"
            ? { output_type: "display_data", data, metadata }
            : {
                output_type: "execute_result",
                execution_count: typeof c.execution_count === "number" ? c.execution_count : null,
                data,
                metadata,
              };
        this.push(out);
        const displayId = c.transient?.display_id as string | undefined;
        if (displayId) {
          const list = this.displays.get(displayId) ?? [];
          list.push(out);
          this.displays.set(displayId, list);
        }
        this.onEvent?.({ type: "display_data", displayId, data });
        break;
      }
      case "update_display_data": {
        const displayId = c.transient?.display_id as string | undefined;
        if (!displayId) break;
        for (const out of this.displays.get(displayId) ?? []) {
          out.data = (c.data ?? {}) as MimeBundle;
          out.metadata = (c.metadata ?? {}) as Record<string, unknown>;
        }
        this.onEvent?.({ type: "update_display_data", displayId, data: (c.data ?? {}) as MimeBundle });
        break;
      }
      case "error":
        this.push({
          output_type: "error",
          ename: String(c.ename ?? "Error"),
          evalue: String(c.evalue ?? ""),
          traceback: Array.isArray(c.traceback) ? c.traceback.map(String) : [],
        });
        break;
      case "clear_output":
        if (c.wait) this.clearPending = true;
        else this.outputs.length = 0;
        break;
      default:
        break; // status, execute_input and others: nothing to record
    }
  }

  private push(out: NbOutput): void {
    if (this.clearPending) {
      this.outputs.length = 0;
      this.clearPending = false;
    }
    const last = this.outputs[this.outputs.length - 1];
    if (out.output_type === "stream" && last && last.output_type === "stream" && last.name === out.name) {
      last.text += out.text;
    } else {
      this.outputs.push(out);
    }
  }
}

/**
 * The error text of a failed request: the watchdog's reason (timeout, stuck, kernel death), then its stderr, else
 * error outputs, else all streams, else the status with the kernel process's own log (where tslab writes an
 * "unexpected error" it could not turn into a cell output).
 */
export function errorTextOf(
  status: ExecuteStatus,
  outputs: NbOutput[],
  reply: Record<string, unknown>,
  opts: { timeoutMs?: number; detail?: string; kernelLog?: string } = {},
): string {
  const parts: string[] = [];
  if (status === "timeout") parts.push(`timed out after ${(opts.timeoutMs ?? 0) / 1000} s (kernel interrupted)`);
  if ((status === "stuck" || status === "kernel-died") && opts.detail) parts.push(opts.detail);
  if (status === "abort") parts.push("aborted by the kernel (an earlier request failed)");
  const stderr = outputs
    .filter((o): o is StreamOutput => o.output_type === "stream" && o.name === "stderr")
    .map((o) => o.text)
    .join("");
  const errors = outputs
    .filter((o): o is ErrorOutput => o.output_type === "error")
    .map((o) => [`${o.ename}: ${o.evalue}`, ...o.traceback].join("\n"))
    .join("\n");
  const replyError = typeof reply.ename === "string" ? `${reply.ename}: ${String(reply.evalue ?? "")}` : "";
  const body = stderr.trim() || errors.trim() || replyError;
  if (body) parts.push(body);
  if (parts.length === 0) {
    const stdout = outputs
      .filter((o): o is StreamOutput => o.output_type === "stream")
      .map((o) => o.text)
      .join("")
      .trim();
    const log = (opts.kernelLog ?? "").trim();
    parts.push(
      stdout
        ? `${stdout}\n(execute_reply status "${String(reply.status)}")`
        : `execute_reply status "${String(reply.status)}" with no error output`,
    );
    if (log) parts.push(`kernel log (last lines):\n${log.split("\n").slice(-20).join("\n")}`);
  }
  return parts.join("\n");
}
