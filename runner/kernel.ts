/**
 * A Jupyter kernel client that needs no Python: it starts the tslab kernel as a child process and talks the
 * Jupyter wire protocol (v5.3) to it over ZeroMQ.
 *
 * The client uses Dealer sockets for the shell, control and stdin channels and a Subscriber for iopub; the wire
 * format, message and output types are in `protocol.ts`, the kernel process's ports and preloads in
 * `kernelProcess.ts`.
 *
 * tslab specifics (see `node_modules/tslab/dist/jupyter.js`):
 * - it never sends `execute_result` or `error`: values and stack traces arrive as `stream` output, and a failure
 *   shows only as `execute_reply` content `{ status: "error", execution_count }` (no ename/evalue/traceback);
 * - after a failing request it aborts the requests queued behind it for about 200 ms;
 * - `tslab.display.*` sends `display_data`; a display from `tslab.newDisplay()` sends `display_data` once, then
 *   `update_display_data` with the same `transient.display_id`;
 * - a cell awaiting a promise that never settles gets `status: busy` and then nothing, while the kernel still
 *   answers heartbeat and `kernel_info_request` (shell and control); during synchronous code it answers none.
 *
 * Each execute request is an {@link ExecuteRequest} (`request.ts`: its state, outputs and timers); the client
 * routes the messages to it by `parent_header.msg_id`, and the kernel's `exit` to every request in flight.
 * Watchdog (design in the module doc of `watchdog.ts`): the kernel's `exit` fails the running request at once
 * (status `"kernel-died"`); a preloaded agent (`kernel-agent.ts`) answers probes over a Node IPC channel with the
 * kernel's active resources, which lets {@link ExecuteOptions.idleTimeoutMs} fail a request that is idle without
 * replying (status `"stuck"`) but never one that computes.
 *
 * @packageDocumentation
 */
import { ChildProcess, spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type * as Zmq from "zeromq";
import { DELIM, JupyterHeader, JupyterMessage, PROTOCOL_VERSION, decodeFrames, signFrames } from "./protocol";
import { ExecuteOptions, ExecuteRequest, ExecuteResult, RequestHost } from "./request";
import {
  ConnectionInfo,
  PortClashError,
  preloadPath,
  probePort,
  safeUsername,
  writeConnectionFile,
} from "./kernelProcess";

/** Options of {@link KernelClient.start}. */
export interface KernelStartOptions {
  /**
   * Working directory of the kernel process (Jupyter uses the notebook's folder).
   * @defaultValue `process.cwd()`
   */
  cwd?: string;
  /** Extra environment variables for the kernel, merged over `process.env`. */
  env?: Record<string, string>;
  /**
   * Path of the tslab executable script.
   * @defaultValue `<projectRoot>/node_modules/.bin/tslab`
   */
  tslabPath?: string;
  /**
   * Folder of the qnn-kd package (holds `package.json` and `node_modules`).
   * @defaultValue `projectRoot()` of qnn-kd/experiments
   */
  projectRoot?: string;
  /**
   * Start the JavaScript kernel (`tslab kernel --js`) instead of TypeScript.
   * @defaultValue false
   */
  js?: boolean;
  /**
   * How long to wait for the kernel to answer `kernel_info_request`, in milliseconds.
   * @defaultValue 60000
   */
  startTimeoutMs?: number;
  /** Receives the kernel process's own stdout/stderr (not cell output), e.g. for debugging. */
  onKernelLog?: (text: string) => void;
}

/**
 * Resource types the watchdog ignores: the `fs.watch` / `fs.watchFile` watchers that tslab's TypeScript compiler
 * keeps on every file it read (about 160 at start, more as cells import modules). No cell waits on them.
 */
const IGNORED_RESOURCES = new Set(["FSEventWrap", "StatWatcher"]);
const KERNEL_LOG_TAIL = 16 * 1024;

import { projectRoot as libraryRoot } from "qnn-kd/experiments";

interface PendingRequest {
  onShell?: (msg: JupyterMessage) => void;
  onIopub?: (msg: JupyterMessage) => void;
}

/**
 * A client for one running tslab kernel. Create it with {@link KernelClient.start}; always call
 * {@link KernelClient.shutdown} (also after errors) so the child process ends and sockets close.
 *
 * Requests are meant to run one at a time: await each {@link KernelClient.execute} before the next.
 */

export class KernelClient {
  /** The kernel's child process. */
  readonly process: ChildProcess;
  /** The connection info (ports and key). */
  readonly connection: ConnectionInfo;
  /** Reply content of `kernel_info_request` (language_info, implementation, …). */
  kernelInfo: Record<string, unknown> = {};

  private readonly session = crypto.randomUUID();
  private readonly username = safeUsername();
  private readonly key: Buffer;
  private readonly pending = new Map<string, PendingRequest>();
  private readonly sockets: Zmq.Socket[] = [];
  private shell!: Zmq.Dealer;
  private control!: Zmq.Dealer;
  private stdin!: Zmq.Dealer;
  private iopub!: Zmq.Subscriber;
  private readonly tmpDir: string;
  private logTail = "";
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private readonly exitWaiters: Array<() => void> = [];
  private readonly deathListeners = new Set<(err: Error) => void>();
  private closed = false;
  /** Pending {@link KernelClient.probe} calls by probe id. */
  private readonly probeWaiters = new Map<number, (resources: string[] | null) => void>();
  private nextProbeId = 1;
  /**
   * Resource counts of the idle kernel right after start (from the kernel agent), or null when the kernel has no
   * agent or it did not answer: then the watchdog cannot tell a stuck cell from a waiting one and never calls a
   * responsive kernel stuck.
   */
  private baselineCounts: Map<string, number> | null = null;
  private readonly onParentExit = (): void => {
    if (this.exitInfo === null) this.process.kill("SIGKILL");
  };

  private constructor(
    child: ChildProcess,
    connection: ConnectionInfo,
    tmpDir: string,
    onKernelLog?: (t: string) => void,
  ) {
    this.process = child;
    this.connection = connection;
    this.tmpDir = tmpDir;
    this.key = Buffer.from(connection.key, "utf8");
    const collect = (chunk: Buffer): void => {
      const text = chunk.toString("utf8");
      this.logTail = (this.logTail + text).slice(-KERNEL_LOG_TAIL);
      onKernelLog?.(text);
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    // the IPC channel (watchdog probes) must not keep this process alive by itself
    (child.channel as { unref?: () => void } | null | undefined)?.unref?.();
    child.on("message", (m: unknown) => {
      const msg = m as { type?: unknown; id?: unknown; resources?: unknown } | null;
      if (!msg || msg.type !== "qnn-kd:probe-reply" || typeof msg.id !== "number") return;
      const waiter = this.probeWaiters.get(msg.id);
      this.probeWaiters.delete(msg.id);
      waiter?.(Array.isArray(msg.resources) ? msg.resources.map(String) : []);
    });
    child.on("exit", (code, signal) => {
      this.exitInfo = { code, signal };
      for (const [id, w] of [...this.probeWaiters]) {
        this.probeWaiters.delete(id);
        w(null);
      }
      process.removeListener("exit", this.onParentExit);
      for (const w of this.exitWaiters.splice(0)) w();
      const err = new Error(`tslab kernel exited unexpectedly (${this.describeExit()})${this.logSuffix()}`);
      for (const l of [...this.deathListeners]) l(err);
    });
    child.on("error", (err) => {
      const e = new Error(`tslab kernel process error: ${err.message}${this.logSuffix()}`);
      for (const l of [...this.deathListeners]) l(e);
    });
    process.on("exit", this.onParentExit);
  }

  /**
   * Starts a tslab kernel and waits until it answers on the shell and iopub channels.
   *
   * Spawns `node <projectRoot>/node_modules/.bin/tslab kernel --config-path <connection file>` (with `--js` for
   * the JavaScript kernel) in `options.cwd`, with `options.env` merged over `process.env`.
   * @throws Error if the tslab executable is missing, the kernel exits during start, or it does not answer
   * within `startTimeoutMs` (the message quotes the kernel's own log). A kernel that cannot bind a port of its
   * connection file (taken by another process meanwhile) is restarted with new ports, up to 3 attempts.
   */
  static async start(options: KernelStartOptions = {}): Promise<KernelClient> {
    const projectRoot = options.projectRoot ?? libraryRoot();
    const tslabPath = options.tslabPath ?? path.join(projectRoot, "node_modules", ".bin", "tslab");
    if (!fs.existsSync(tslabPath)) {
      throw new Error(
        `KernelClient.start: tslab executable not found at ${JSON.stringify(tslabPath)}; run \`npm install\` in ${projectRoot}`,
      );
    }
    const cwd = path.resolve(options.cwd ?? process.cwd());
    if (!fs.existsSync(cwd) || !fs.statSync(cwd).isDirectory()) {
      throw new Error(`KernelClient.start: cwd ${JSON.stringify(cwd)} is not a folder`);
    }
    const startTimeoutMs = options.startTimeoutMs ?? 60_000;
    if (!(startTimeoutMs > 0)) throw new Error(`KernelClient.start: startTimeoutMs must be > 0, got ${startTimeoutMs}`);

    const deadline = Date.now() + startTimeoutMs;
    for (let attempt = 1; ; attempt++) {
      const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-kernel-"));
      const connFile = path.join(tmpDir, "connection.json");
      const connection = await writeConnectionFile(connFile, options.js ? "jslab" : "tslab");
      const guard = preloadPath("orphan-guard.js", projectRoot);
      const agent = preloadPath("kernel-agent.js", projectRoot);
      const args = [
        ...(guard ? ["--require", guard] : []),
        ...(agent ? ["--require", agent] : []),
        tslabPath,
        "kernel",
        "--config-path",
        connFile,
      ];
      if (options.js) args.push("--js");
      const child = spawn(process.execPath, args, {
        cwd,
        env: { ...process.env, ...(options.env ?? {}), QNN_KD_KERNEL_TMPDIR: tmpDir },
        // the IPC channel carries the watchdog probes of the kernel agent (see kernel-agent.ts)
        stdio: agent ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "pipe", "pipe"],
      });
      const client = new KernelClient(child, connection, tmpDir, options.onKernelLog);
      try {
        // Connect only once the kernel listens: a ZeroMQ client that keeps reconnecting to a loopback port nobody
        // listens on yet can, rarely, connect to itself (source port = destination port) and steal the port.
        await client.waitListening(deadline);
        await client.connect();
        await client.waitReady(Math.max(1, deadline - Date.now()));
        // What the idle kernel itself keeps open (its pipes, …): the watchdog counts only resources beyond these.
        if (agent) client.setBaseline(await client.probe(Math.max(5000, deadline - Date.now())));
        return client;
      } catch (err) {
        await client.shutdown({ graceMs: 0 });
        // Another process took one of the chosen ports between choosing and binding: try again with new ports.
        if (err instanceof PortClashError && attempt < 3 && Date.now() < deadline) continue;
        throw err;
      }
    }
  }

  /**
   * Waits until the kernel accepts TCP connections on the shell, control, stdin and iopub ports.
   * @throws PortClashError if the kernel reports a port already in use; Error if it exits or the deadline passes.
   */
  private async waitListening(deadline: number): Promise<void> {
    const c = this.connection;
    const waiting = new Set([c.shell_port, c.control_port, c.stdin_port, c.iopub_port]);
    for (;;) {
      if (/EADDRINUSE|Address already in use/i.test(this.logTail)) {
        throw new PortClashError(
          `tslab kernel could not bind its ports (${[...waiting].join(", ")})${this.logSuffix()}`,
        );
      }
      if (this.exitInfo)
        throw new Error(`tslab kernel exited during start (${this.describeExit()})${this.logSuffix()}`);
      for (const port of [...waiting]) if (await probePort(c.ip, port)) waiting.delete(port);
      if (waiting.size === 0) return;
      if (Date.now() > deadline) {
        throw new Error(`tslab kernel did not listen on ports ${[...waiting].join(", ")} in time${this.logSuffix()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Whether the kernel process is still running. */
  get alive(): boolean {
    return this.exitInfo === null && !this.closed;
  }

  /** The last 16 KiB of the kernel process's own stdout/stderr. */
  get kernelLog(): string {
    return this.logTail;
  }

  /** Whether the kernel runs the watchdog agent (an IPC channel is open to it). */
  get hasAgent(): boolean {
    return typeof this.process.send === "function" && this.process.connected;
  }

  /** The idle kernel's own resources recorded at start (see {@link KernelClient.probe}), or null. */
  get baseline(): string[] | null {
    if (!this.baselineCounts) return null;
    return [...this.baselineCounts].flatMap(([type, n]) => Array<string>(n).fill(type));
  }

  private setBaseline(resources: string[] | null): void {
    if (!resources) {
      this.baselineCounts = null;
      return;
    }
    const counts = new Map<string, number>();
    for (const r of resources) if (!IGNORED_RESOURCES.has(r)) counts.set(r, (counts.get(r) ?? 0) + 1);
    this.baselineCounts = counts;
  }

  /**
   * Asks the kernel agent (`kernel-agent.ts`) for the kernel's active resources: the answer comes from the
   * kernel's main thread, so it arrives only while the event loop is free (not during a synchronous cell).
   * @param timeoutMs - give up after this many milliseconds; `0` waits until the answer or the kernel's exit.
   * @returns `process.getActiveResourcesInfo()` of the kernel (e.g. `["PipeWrap", "PipeWrap", "Timeout"]`), or null on
   * timeout, without an agent, or when the kernel exits first.
   */
  probe(timeoutMs = 0): Promise<string[] | null> {
    if (!this.hasAgent || this.exitInfo !== null) return Promise.resolve(null);
    const id = this.nextProbeId++;
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      this.probeWaiters.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          this.probeWaiters.delete(id);
          resolve(null);
        }, timeoutMs);
      }
      try {
        this.process.send({ type: "qnn-kd:probe", id }, (err) => {
          if (err) this.probeWaiters.get(id)?.(null);
        });
      } catch {
        this.probeWaiters.get(id)?.(null);
      }
    });
  }

  /**
   * Resources in `resources` beyond the idle kernel's baseline (a multiset difference): what a cell started and
   * is still pending. Null without a baseline.
   */
  private extraResources(resources: string[]): string[] | null {
    if (!this.baselineCounts) return null;
    const left = new Map(this.baselineCounts);
    const extra: string[] = [];
    for (const r of resources) {
      if (IGNORED_RESOURCES.has(r)) continue;
      const n = left.get(r) ?? 0;
      if (n > 0) left.set(r, n - 1);
      else extra.push(r);
    }
    return extra;
  }

  /** The client as its requests see it (`request.ts`). */
  private get requestHost(): RequestHost {
    return {
      hasBaseline: this.baselineCounts !== null,
      interrupt: () => this.interrupt(),
      probe: () => this.probe(0),
      extraResources: (resources) => this.extraResources(resources),
      kernelLog: () => this.logTail,
      appendLog: (line) => this.appendLog(line),
    };
  }

  /** Appends a line to the tail of the kernel's log kept for error texts. */
  private appendLog(line: string): void {
    this.logTail = (this.logTail + "\n" + line).slice(-KERNEL_LOG_TAIL);
  }

  private describeExit(): string {
    if (!this.exitInfo) return "running";
    return this.exitInfo.signal ? `signal ${this.exitInfo.signal}` : `exit code ${this.exitInfo.code}`;
  }

  private logSuffix(): string {
    const t = this.logTail.trim();
    return t ? `; kernel log:\n${t}` : "";
  }

  private async connect(): Promise<void> {
    const zmq: typeof Zmq = await import("zeromq");
    const c = this.connection;
    const addr = (port: number): string => `${c.transport}://${c.ip}:${port}`;
    this.shell = new zmq.Dealer({ linger: 0 });
    this.control = new zmq.Dealer({ linger: 0 });
    this.stdin = new zmq.Dealer({ linger: 0 });
    this.iopub = new zmq.Subscriber({ linger: 0 });
    this.sockets.push(this.shell, this.control, this.stdin, this.iopub);
    this.shell.connect(addr(c.shell_port));
    this.control.connect(addr(c.control_port));
    this.stdin.connect(addr(c.stdin_port));
    this.iopub.connect(addr(c.iopub_port));
    this.iopub.subscribe();
    void this.receiveLoop(this.shell, "shell");
    void this.receiveLoop(this.control, "shell");
    void this.receiveLoop(this.iopub, "iopub");
    void this.receiveLoop(this.stdin, "stdin");
  }

  private async receiveLoop(
    sock: Zmq.Socket & AsyncIterable<Buffer[]>,
    channel: "shell" | "iopub" | "stdin",
  ): Promise<void> {
    try {
      for await (const frames of sock) {
        let msg: JupyterMessage;
        try {
          msg = decodeFrames(this.key, frames);
        } catch (err) {
          this.appendLog(`[qnn-kd] dropped a bad ${channel} message: ${(err as Error).message}`);
          continue;
        }
        const parentId = msg.parent_header.msg_id;
        const pending = parentId ? this.pending.get(parentId) : undefined;
        if (!pending) continue;
        if (channel === "iopub") pending.onIopub?.(msg);
        else if (channel === "shell") pending.onShell?.(msg);
        // stdin: tslab never requests input; allow_stdin is false on every request.
      }
    } catch (err) {
      if (!this.closed) {
        this.appendLog(`[qnn-kd] ${channel} socket failed: ${(err as Error).message}`);
      }
    }
  }

  /**
   * Builds a request, registers `pending` under its msg_id (synchronously, before anything is sent, so no reply
   * can be missed) and sends it. Returns the header and a promise that settles once ZeroMQ has queued the frames.
   */
  private send(
    sock: Zmq.Dealer,
    msgType: string,
    content: Record<string, unknown>,
    pending: PendingRequest,
  ): { header: JupyterHeader; sent: Promise<void> } {
    const header: JupyterHeader = {
      msg_id: crypto.randomUUID(),
      session: this.session,
      username: this.username,
      date: new Date().toISOString(),
      msg_type: msgType,
      version: PROTOCOL_VERSION,
    };
    if (this.closed)
      return {
        header,
        sent: Promise.reject(new Error(`KernelClient: cannot send ${msgType}: the client is shut down`)),
      };
    const parts = [header, {}, {}, content].map((x) => Buffer.from(JSON.stringify(x), "utf8"));
    this.pending.set(header.msg_id, pending);
    return { header, sent: sock.send([DELIM, signFrames(this.key, parts), ...parts]) };
  }

  /**
   * Sends `kernel_info_request` every 500 ms until one is answered on shell AND a status message for one of them
   * arrives on iopub (so no iopub output of the first cell is lost to the subscriber's late join).
   */
  private waitReady(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let gotReply = false;
      let gotIopub = false;
      const ids: string[] = [];
      let timer: NodeJS.Timeout | undefined;
      let deadline: NodeJS.Timeout | undefined;
      const finish = (err?: Error): void => {
        clearInterval(timer);
        clearTimeout(deadline);
        this.deathListeners.delete(onDeath);
        for (const id of ids) this.pending.delete(id);
        if (err) reject(err);
        else resolve();
      };
      const onDeath = (err: Error): void => finish(err);
      this.deathListeners.add(onDeath);
      if (this.exitInfo)
        return finish(new Error(`tslab kernel exited during start (${this.describeExit()})${this.logSuffix()}`));
      const pending: PendingRequest = {
        onShell: (msg) => {
          if (msg.header.msg_type !== "kernel_info_reply") return;
          this.kernelInfo = msg.content;
          gotReply = true;
          if (gotIopub) finish();
        },
        onIopub: (msg) => {
          if (msg.header.msg_type !== "status") return;
          gotIopub = true;
          if (gotReply) finish();
        },
      };
      const ask = (): void => {
        const { header, sent } = this.send(this.shell, "kernel_info_request", {}, pending);
        ids.push(header.msg_id);
        sent.catch((err: Error) => finish(err));
      };
      ask();
      timer = setInterval(ask, 500);
      deadline = setTimeout(
        () =>
          finish(
            new Error(`tslab kernel did not answer kernel_info_request within ${timeoutMs} ms${this.logSuffix()}`),
          ),
        timeoutMs,
      );
    });
  }

  /**
   * Executes `code` and collects its outputs.
   *
   * Sends `execute_request` (`silent: false`, `store_history: true`, `allow_stdin: false`, `stop_on_error: true`)
   * and resolves once both the shell `execute_reply` and the iopub status `idle` for it have arrived. Collects
   * `stream` (consecutive chunks of one stream merged), `display_data`, `execute_result`, `error` and
   * `clear_output`; applies `update_display_data` to every earlier output with the same transient `display_id`
   * in `options.displays`.
   *
   * A failing cell does not reject: the result has status `"error"` and {@link ExecuteResult.errorText}; so do
   * the watchdog's outcomes (`"timeout"`, `"stuck"`, `"kernel-died"`, the latter as soon as the kernel process
   * exits, with the outputs received until then). An `execute_reply` whose iopub `idle` never comes (a lost
   * iopub message) is accepted after `REPLY_WITHOUT_IDLE_WAIT_MS` (`request.ts`).
   * Note that tslab aborts requests sent within ~200 ms after a failure (status `"abort"`).
   * @throws Error if an option is invalid, the kernel is not running when called, or the client is shut down.
   */
  execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const { timeoutMs, idleTimeoutMs } = options;
    if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs >= 0)) {
      return Promise.reject(
        new Error(`KernelClient.execute: timeoutMs must be a finite number >= 0, got ${timeoutMs}`),
      );
    }
    if (idleTimeoutMs !== undefined && !(Number.isFinite(idleTimeoutMs) && idleTimeoutMs >= 0)) {
      return Promise.reject(
        new Error(`KernelClient.execute: idleTimeoutMs must be a finite number >= 0, got ${idleTimeoutMs}`),
      );
    }
    let msgId: string | undefined;
    const request = new ExecuteRequest(this.requestHost, options, () => {
      this.deathListeners.delete(request.onDeath);
      if (msgId) this.pending.delete(msgId);
    });
    this.deathListeners.add(request.onDeath);
    if (!this.alive) {
      request.fail(
        new Error(`KernelClient.execute: the kernel is not running (${this.describeExit()})${this.logSuffix()}`),
      );
      return request.result;
    }
    const { header, sent } = this.send(
      this.shell,
      "execute_request",
      { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true },
      request,
    );
    msgId = header.msg_id;
    sent.catch((err: Error) => request.fail(err));
    request.start();
    return request.result;
  }

  /**
   * Interrupts the running cell by sending SIGINT to the kernel process (tslab's interrupt mode is `signal`).
   * Synchronous loops stop (tslab runs cells with `breakOnSigint`); a pending top-level `await` is abandoned.
   * No-op if the kernel has exited.
   */
  interrupt(): void {
    if (this.exitInfo === null) this.process.kill("SIGINT");
  }

  /**
   * Shuts the kernel down: sends `shutdown_request` on the control channel, waits up to `graceMs` for the process
   * to exit, then SIGTERM, then SIGKILL; closes all sockets and deletes the connection file. Safe to call twice.
   * @param options.graceMs - how long to wait for a clean exit. @defaultValue 3000
   */
  async shutdown(options: { graceMs?: number } = {}): Promise<void> {
    const graceMs = options.graceMs ?? 3000;
    if (!this.closed && this.exitInfo === null && graceMs > 0) {
      try {
        await withTimeout(this.send(this.control, "shutdown_request", { restart: false }, {}).sent, 1000);
      } catch {
        // the kernel may already be gone; fall through to signals
      }
      await this.waitExit(graceMs);
    }
    if (this.exitInfo === null) {
      this.process.kill("SIGTERM");
      await this.waitExit(2000);
    }
    if (this.exitInfo === null) {
      this.process.kill("SIGKILL");
      await this.waitExit(2000);
    }
    this.closed = true;
    process.removeListener("exit", this.onParentExit);
    for (const s of this.sockets) {
      try {
        s.close();
      } catch {
        // already closed
      }
    }
    this.sockets.length = 0;
    this.pending.clear();
    fs.rmSync(this.tmpDir, { recursive: true, force: true });
  }

  private waitExit(ms: number): Promise<void> {
    if (this.exitInfo !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        resolve();
      }
      this.exitWaiters.push(done);
    });
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
