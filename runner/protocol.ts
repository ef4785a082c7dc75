/**
 * The Jupyter wire protocol (v5.3) as the kernel client speaks it: message and nbformat output types, and the
 * signed multipart frames.
 *
 * Wire format (https://jupyter-client.readthedocs.io/en/latest/messaging.html#the-wire-protocol): every message
 * is a multipart ZeroMQ message `[<routing ids>…, "<IDS|MSG>", signature, header, parent_header, metadata,
 * content, buffers…]`, where `signature` is the hex HMAC-SHA256 of the four JSON frames under the connection key.
 */
import * as crypto from "crypto";

/** The Jupyter messaging protocol version this client speaks. */
export const PROTOCOL_VERSION = "5.3";

/** Header of a Jupyter message. */
export interface JupyterHeader {
  /** Unique id of this message (hex). */
  msg_id: string;
  /** Session id of the sender. */
  session: string;
  /** User name of the sender. */
  username: string;
  /** ISO 8601 timestamp. */
  date: string;
  /** Message type, e.g. `"execute_request"`, `"stream"`. */
  msg_type: string;
  /** Protocol version, `"5.3"`. */
  version: string;
}

/** A decoded Jupyter message. `parent_header` is `{}` when there is no parent. */
export interface JupyterMessage<C = Record<string, unknown>> {
  /** The message's own header. */
  header: JupyterHeader;
  /** Header of the request this message answers, or `{}`. */
  parent_header: Partial<JupyterHeader>;
  /** Free-form metadata. */
  metadata: Record<string, unknown>;
  /** Message-type-specific content. */
  content: C;
  /** Extra binary frames after the content (rarely used). */
  buffers: Buffer[];
}

/** A MIME bundle: MIME type → data (strings for text and base64 images, objects for JSON types). */
export type MimeBundle = Record<string, unknown>;

/** nbformat 4 `stream` output. */
export interface StreamOutput {
  output_type: "stream";
  /** `"stdout"` or `"stderr"`. */
  name: string;
  /** The text (on disk nbformat allows a string or a list of lines; in memory it is one string). */
  text: string;
}

/** nbformat 4 `display_data` output. */
export interface DisplayDataOutput {
  output_type: "display_data";
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

/** nbformat 4 `execute_result` output (tslab never sends one; kept for other kernels). */
export interface ExecuteResultOutput {
  output_type: "execute_result";
  execution_count: number | null;
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

/** nbformat 4 `error` output. */
export interface ErrorOutput {
  output_type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}

/** One nbformat 4 code-cell output. */
export type NbOutput = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

/**
 * Maps a transient `display_id` to every output that shows it. Share one registry across the cells of a notebook
 * so that `update_display_data` also updates displays created by earlier cells, as Jupyter does.
 */
export type DisplayRegistry = Map<string, Array<DisplayDataOutput | ExecuteResultOutput>>;

/** The fields of the iopub messages the client reads (Jupyter messaging protocol 5.3); any may be absent. */
export interface IopubContent {
  execution_state?: string;
  name?: string;
  text?: string;
  transient?: { display_id?: string };
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  execution_count?: number | null;
  ename?: string;
  evalue?: string;
  traceback?: string[];
  wait?: boolean;
}

/** The frame that separates routing ids from the signed message. */
export const DELIM = Buffer.from("<IDS|MSG>");

/** The hex HMAC-SHA256 signature of `parts` (header, parent header, metadata, content) under `key`. */
export function signFrames(key: Buffer, parts: Buffer[]): string {
  const h = crypto.createHmac("sha256", key);
  for (const p of parts) h.update(p);
  return h.digest("hex");
}

/**
 * Decodes and verifies one multipart message.
 * @throws Error when the delimiter is missing, frames are missing, or the signature does not match.
 */
export function decodeFrames(key: Buffer, frames: Buffer[]): JupyterMessage {
  const i = frames.findIndex((f) => f.equals(DELIM));
  if (i < 0) throw new Error("missing <IDS|MSG> delimiter");
  if (frames.length < i + 6) throw new Error(`expected at least ${i + 6} frames, got ${frames.length}`);
  const signature = frames[i + 1].toString("ascii");
  const parts = frames.slice(i + 2, i + 6);
  const want = signFrames(key, parts);
  const a = Buffer.from(signature, "utf8");
  const b = Buffer.from(want, "utf8");
  if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) throw new Error("bad HMAC signature");
  return {
    header: JSON.parse(parts[0].toString("utf8")),
    parent_header: JSON.parse(parts[1].toString("utf8")),
    metadata: JSON.parse(parts[2].toString("utf8")),
    content: JSON.parse(parts[3].toString("utf8")),
    buffers: frames.slice(i + 6),
  };
}
