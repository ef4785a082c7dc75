/**
 * The kernel process's side of the client: its connection file (free loopback ports, a random key), port probes,
 * the user name in message headers, and the compiled preload modules (`orphan-guard.js`, `kernel-agent.js`).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";

/** Contents of a Jupyter connection file (the kernel binds these ports; the client connects to them). */
export interface ConnectionInfo {
  /** Always `"tcp"`. */
  transport: "tcp";
  /** Always the loopback address `"127.0.0.1"`. */
  ip: string;
  /** Shell channel (requests/replies; Router in the kernel, Dealer here). */
  shell_port: number;
  /** IOPub channel (outputs and status; Publisher in the kernel, Subscriber here). */
  iopub_port: number;
  /** Stdin channel (input requests; unused by tslab). */
  stdin_port: number;
  /** Control channel (shutdown, interrupt). */
  control_port: number;
  /** Heartbeat (not used by this client). */
  hb_port: number;
  /** Message signing scheme. */
  signature_scheme: "hmac-sha256";
  /** HMAC key: 64 hex characters (32 random bytes from `crypto.randomBytes`). */
  key: string;
  /** `"tslab"` or `"jslab"`. */
  kernel_name: string;
}

/** One free TCP port on 127.0.0.1 (bind to port 0, read it, release it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => (port > 0 ? resolve(port) : reject(new Error("freePort: could not read the bound port"))));
    });
  });
}

/**
 * Writes a Jupyter connection file with five distinct free loopback ports and a random HMAC-SHA256 key.
 * @param file - where to write it (mode 0600).
 * @returns the connection info written.
 */
export async function writeConnectionFile(file: string, kernelName = "tslab"): Promise<ConnectionInfo> {
  const ports = new Set<number>();
  while (ports.size < 5) ports.add(await freePort());
  const [shell, iopub, stdin, control, hb] = [...ports];
  const info: ConnectionInfo = {
    transport: "tcp",
    ip: "127.0.0.1",
    shell_port: shell,
    iopub_port: iopub,
    stdin_port: stdin,
    control_port: control,
    hb_port: hb,
    signature_scheme: "hmac-sha256",
    key: crypto.randomBytes(32).toString("hex"),
    kernel_name: kernelName,
  };
  fs.writeFileSync(file, JSON.stringify(info, null, 2), { mode: 0o600 });
  return info;
}

/** The kernel could not bind a port of its connection file (another process took it). */
export class PortClashError extends Error {}

/**
 * Whether something listens on `host:port`: a TCP connect that succeeds and is not a self-connection (a connect
 * to an unbound loopback port can connect to itself when the kernel picks the same source port).
 */
export function probePort(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    sock.once("connect", () => {
      const self = sock.localPort === port;
      sock.destroy();
      resolve(!self);
    });
    sock.once("error", () => {
      sock.destroy();
      resolve(false);
    });
  });
}

export function safeUsername(): string {
  try {
    return os.userInfo().username || "qnn-kd";
  } catch {
    return "qnn-kd";
  }
}

/**
 * A compiled preload module of the kernel (`orphan-guard.js`, `kernel-agent.js`, see those modules) beside this
 * file, or in the project's `dist/runner/` when this module runs from source; null when neither exists (the kernel
 * then starts without it).
 */
export function preloadPath(file: string, projectRoot: string): string | null {
  for (const p of [path.join(__dirname, file), path.join(projectRoot, "dist", "runner", file)]) {
    if (fs.existsSync(p)) return p;
  }
  return null;
}
