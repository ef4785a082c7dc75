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

/**
 * Writes `<resultsDir>/results.json` atomically and returns its path.
 * @throws Error if a row lacks a required field.
 */
export function writeResults(resultsDir: string, experiment: string, settings: Record<string, unknown>, rows: ResultRow[]): string {
  const required = ["model", "role", "nQubits", "nLayers", "kd", "T", "alpha", "seed", "trainAccuracy", "testAccuracy", "paperTestAccuracy"];
  for (const r of rows) {
    for (const k of required) {
      if (!(k in r)) throw new Error(`writeResults: row ${JSON.stringify(r.model)} lacks the field "${k}"`);
    }
  }
  const file = path.join(resultsDir, "results.json");
  const content: ResultsFile = { experiment, version: VERSION, settings, rows };
  writeJsonAtomic(file, content);
  return file;
}
