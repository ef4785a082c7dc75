/**
 * Training checkpoints: JSON files written atomically (see `writeJsonAtomic`), holding parameters, optimiser
 * state, the number of completed iterations and the history so far, plus a fingerprint of every setting that
 * shapes the parameter trajectory. A run resumes from a checkpoint only when its fingerprint matches
 * ({@link resumeCheckpoint}). Every trainer of qnn-kd (`trainClassifier`, `QuantumAutoencoder.train`) saves and
 * resumes through this module, with the loop of `loop.ts`.
 * @packageDocumentation
 */
import * as fs from "fs";
import { writeJsonAtomic } from "../util/fs";
import { checkInt, checkOneOf, withDefaults } from "../util/options";
import type { Adam, AdamState } from "./adam";

/** Format tag written into every checkpoint file. */
export const CHECKPOINT_FORMAT = "qnn-kd/train-checkpoint";
/** Checkpoint format version; files of another version are not resumed. */
export const CHECKPOINT_VERSION = 1;

/** The content of a checkpoint file (plain JSON). */
export interface TrainCheckpoint<Row = unknown> {
  /** Always {@link CHECKPOINT_FORMAT}. */
  format: string;
  /** Always {@link CHECKPOINT_VERSION}. */
  version: number;
  /** Settings that determine the parameter trajectory; compared as canonical JSON on resume. */
  fingerprint: Record<string, unknown>;
  /** Number of parameters. */
  nParams: number;
  /** Number of completed iterations (updates). */
  iteration: number;
  /** Parameters after `iteration` updates, length nParams. */
  params: number[];
  /** Optimiser state after `iteration` updates. */
  adam: AdamState;
  /** History rows of the completed iterations. */
  history: Row[];
  /** Training wall time so far in milliseconds. */
  elapsedMs: number;
}

/** Checkpoint settings of a trainer (`TrainOptions.checkpoint`, `QAETrainOptions.checkpoint`). */
export interface CheckpointOptions {
  /** JSON file to write (atomically) and to resume from. */
  path: string;
  /** Save after every `every` iterations (integer ≥ 1) and after the last one. */
  every: number;
  /**
   * What to do when the file exists but was written with other settings (different fingerprint or nParams,
   * more iterations than requested, or unreadable): `"restart"` trains from scratch and overwrites it,
   * `"error"` throws.
   * @defaultValue "restart"
   */
  onMismatch?: "restart" | "error";
}

/**
 * Checks a trainer's checkpoint option (unknown keys, path, every, onMismatch) and fills the defaults.
 * @param where - prefix of the error messages (the trainer).
 * @throws Error naming the option and quoting the bad value.
 */
export function checkCheckpointOptions(where: string, c: CheckpointOptions): Required<CheckpointOptions> {
  if (c === null || typeof c !== "object")
    throw new Error(`${where}: checkpoint must be { path, every }, got ${String(c)}`);
  const r = withDefaults(
    `${where}: checkpoint`,
    { path: "", every: 1, onMismatch: "restart" } as Required<CheckpointOptions>,
    c,
  );
  if (typeof r.path !== "string" || r.path === "") {
    throw new Error(`${where}: checkpoint.path must be a non-empty string, got ${JSON.stringify(r.path)}`);
  }
  checkInt(where, "checkpoint.every", r.every, 1);
  checkOneOf(where, "checkpoint.onMismatch", r.onMismatch, ["restart", "error"] as const);
  return r;
}

/**
 * The checkpoint a run of `total` iterations with this `fingerprint` and `nParams` resumes from, or null (no file,
 * or a mismatch with `onMismatch: "restart"`). A checkpoint matches when it is readable, has `nParams` parameters,
 * the same fingerprint (canonical JSON), an iteration in 0..total and one history row per iteration.
 * @param where - prefix of the error message.
 * @throws Error naming the file and the mismatch when `onMismatch` is `"error"`.
 */
export function resumeCheckpoint<Row>(
  where: string,
  ck: Required<CheckpointOptions>,
  fingerprint: Record<string, unknown>,
  nParams: number,
  total: number,
): TrainCheckpoint<Row> | null {
  const saved = readCheckpoint<Row>(ck.path);
  if (saved === null) return null;
  let problem: string | null = null;
  const fingerprintJson = JSON.stringify(fingerprint);
  if ("error" in saved) problem = saved.error;
  else if (saved.nParams !== nParams || saved.params.length !== nParams) {
    problem = `nParams ${saved.nParams} in the checkpoint, ${nParams} in the model`;
  } else if (JSON.stringify(saved.fingerprint) !== fingerprintJson) {
    problem = `settings differ: checkpoint ${JSON.stringify(saved.fingerprint)}, run ${fingerprintJson}`;
  } else if (!Number.isInteger(saved.iteration) || saved.iteration < 0 || saved.iteration > total) {
    problem = `checkpoint is at iteration ${saved.iteration}, this run has ${total} iterations`;
  } else if (saved.history.length !== saved.iteration) {
    problem = `checkpoint has ${saved.history.length} history rows for ${saved.iteration} iterations`;
  }
  if (problem === null && !("error" in saved)) return saved;
  if (ck.onMismatch === "error") throw new Error(`${where}: cannot resume from checkpoint ${ck.path}: ${problem}`);
  return null;
}

/**
 * 64-bit FNV-1a hash (as 16 hex digits) of the IEEE-754 bytes of the given numbers, in order; used to
 * fingerprint labels, initial parameters and teacher logits. Not cryptographic.
 */
export function hashNumbers(chunks: Iterable<ArrayLike<number>>): string {
  // Two 32-bit halves of a 64-bit FNV-1a state; multiplication by the 64-bit prime 2^40 + 2^8 + 0xb3.
  let h0 = 0x84222325 >>> 0; // low
  let h1 = 0xcbf29ce4 >>> 0; // high
  const f = new Float64Array(1);
  const bytes = new Uint8Array(f.buffer);
  const mix = (b: number): void => {
    h0 ^= b;
    // (h1:h0) · 0x100000001b3 mod 2^64, in 16-bit limbs a0..a3 (low to high)
    const a0 = h0 & 0xffff;
    const a1 = h0 >>> 16;
    const a2 = h1 & 0xffff;
    const a3 = h1 >>> 16;
    // prime = 0x0000_0100_0000_01b3 → 16-bit limbs p0 = 0x01b3, p1 = 0, p2 = 0x0100, p3 = 0
    let r0 = a0 * 0x1b3;
    let r1 = a1 * 0x1b3 + (r0 >>> 16);
    r0 &= 0xffff;
    let r2 = a2 * 0x1b3 + a0 * 0x100 + (r1 >>> 16);
    r1 &= 0xffff;
    const r3 = (a3 * 0x1b3 + a1 * 0x100 + (r2 >>> 16)) & 0xffff;
    r2 &= 0xffff;
    h0 = ((r1 << 16) | r0) >>> 0;
    h1 = ((r3 << 16) | r2) >>> 0;
  };
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      f[0] = chunk[i];
      for (let k = 0; k < 8; k++) mix(bytes[k]);
    }
    // chunk separator, so [[1],[2]] and [[1,2]] differ
    for (let k = 0; k < 8; k++) mix(0xff);
  }
  return h1.toString(16).padStart(8, "0") + h0.toString(16).padStart(8, "0");
}

/**
 * Writes the checkpoint of a run after `iteration` updates, atomically (temporary file + rename, parent folders
 * created): its fingerprint, parameters, the optimiser's state and the history so far, plus the trainer's own
 * `extra` keys (e.g. early-stopping state), which {@link resumeCheckpoint} hands back as they were.
 */
export function writeCheckpoint<Row>(
  file: string,
  run: {
    fingerprint: Record<string, unknown>;
    params: Float64Array;
    optimiser: Adam;
    iteration: number;
    history: Row[];
    elapsedMs: number;
    extra?: Record<string, unknown>;
  },
): void {
  const checkpoint: TrainCheckpoint<Row> = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    fingerprint: run.fingerprint,
    nParams: run.params.length,
    iteration: run.iteration,
    params: Array.from(run.params),
    adam: run.optimiser.state(),
    history: run.history,
    elapsedMs: run.elapsedMs,
    ...run.extra,
  };
  writeJsonAtomic(file, checkpoint);
}

/**
 * Reads a checkpoint file. Returns `null` if the file does not exist; returns `{ error }` if it exists but
 * cannot be parsed or is not a checkpoint of this format and version.
 */
export function readCheckpoint<Row>(file: string): TrainCheckpoint<Row> | { error: string } | null {
  if (!fs.existsSync(file)) return null;
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    return { error: `cannot parse ${file}: ${(e as Error).message}` };
  }
  const c = data as Partial<TrainCheckpoint<Row>>;
  if (c === null || typeof c !== "object" || c.format !== CHECKPOINT_FORMAT) {
    return { error: `${file} is not a ${CHECKPOINT_FORMAT} file` };
  }
  if (c.version !== CHECKPOINT_VERSION) {
    return { error: `${file} has checkpoint version ${String(c.version)}, expected ${CHECKPOINT_VERSION}` };
  }
  if (
    typeof c.iteration !== "number" ||
    !Array.isArray(c.params) ||
    !Array.isArray(c.history) ||
    typeof c.nParams !== "number" ||
    c.adam === undefined ||
    c.fingerprint === undefined
  ) {
    return { error: `${file} is missing checkpoint fields` };
  }
  return c as TrainCheckpoint<Row>;
}
