/**
 * Machine-readable results: `results/<experiment>/results.json` =
 * `{ experiment, version, settings, rows: [...] }`, one row per trained model, written atomically.
 */
import * as path from "path";
import { writeJsonAtomic } from "../util/fs";
import { VERSION } from "../version";

/** One trained model's result row (shared by every experiment). */
export interface ResultRow {
  /** Model label, e.g. "teacher", "student (1)". */
  model: string;
  role: "teacher" | "student" | "autoencoder";
  nQubits: number;
  nLayers: number;
  /** Trained with knowledge distillation. */
  kd: boolean;
  /** Distillation temperature (null without KD). */
  T: number | null;
  /** Distillation weight (null without KD). */
  alpha: number | null;
  seed: number;
  trainAccuracy: number | null;
  testAccuracy: number | null;
  /** The paper's test accuracy for this row (fraction in [0, 1]) or null where the paper gives none. */
  paperTestAccuracy: number | null;
  /** Autoencoder rows: mean fidelity (Eq. 10) on the test states. */
  meanFidelity?: number;
  [extra: string]: unknown;
}

/** The content of results.json. */
export interface ResultsFile {
  experiment: string;
  version: string;
  settings: Record<string, unknown>;
  rows: ResultRow[];
}

/** The fields every row of a results file carries ({@link writeResults} checks them; README "Results files"). */
export const RESULT_ROW_FIELDS = [
  "model",
  "role",
  "nQubits",
  "nLayers",
  "kd",
  "T",
  "alpha",
  "seed",
  "trainAccuracy",
  "testAccuracy",
  "paperTestAccuracy",
] as const;

/**
 * Writes `<resultsDir>/results.json` atomically and returns its path.
 * @throws Error if a row lacks a required field.
 */
export function writeResults(
  resultsDir: string,
  experiment: string,
  settings: Record<string, unknown>,
  rows: ResultRow[],
): string {
  for (const r of rows) {
    for (const k of RESULT_ROW_FIELDS) {
      if (!(k in r)) throw new Error(`writeResults: row ${JSON.stringify(r.model)} lacks the field "${k}"`);
    }
  }
  const file = path.join(resultsDir, "results.json");
  const content: ResultsFile = { experiment, version: VERSION, settings, rows };
  writeJsonAtomic(file, content);
  return file;
}

/**
 * The label of a row's run, used to group rows over seeds: the model label, with " no KD" / " + KD" appended
 * for students (e.g. "teacher", "student (1) + KD", "student (2 layers) no KD").
 */
export function runLabel(r: ResultRow): string {
  return `${r.model}${r.role === "student" ? (r.kd ? " + KD" : " no KD") : ""}`;
}

/** One student's KD gain in test accuracy, ours and (where the rows carry it) the paper's. */
export interface KdGain {
  /** The student's model label. */
  model: string;
  noKd: number;
  kd: number;
  /** `kd − noKd`. */
  gain: number;
  /** The paper's gain, or null where a paper value is missing. */
  paperGain: number | null;
}

/**
 * The KD gain of every student in `rows` (the first no-KD and KD rows of each student label, in order of first
 * appearance).
 */
export function kdGains(rows: readonly ResultRow[]): KdGain[] {
  const out: KdGain[] = [];
  for (const model of [...new Set(rows.filter((r) => r.role === "student").map((r) => r.model))]) {
    const no = rows.find((r) => r.role === "student" && r.model === model && !r.kd);
    const yes = rows.find((r) => r.role === "student" && r.model === model && r.kd);
    if (!no || !yes || no.testAccuracy === null || yes.testAccuracy === null) continue;
    const paperGain =
      no.paperTestAccuracy !== null && yes.paperTestAccuracy !== null
        ? yes.paperTestAccuracy - no.paperTestAccuracy
        : null;
    out.push({
      model,
      noKd: no.testAccuracy,
      kd: yes.testAccuracy,
      gain: yes.testAccuracy - no.testAccuracy,
      paperGain,
    });
  }
  return out;
}
