/**
 * The end of a paper notebook in one call ({@link finishRun}): the run's result rows to `results.json`, its claim
 * records to `claims.json`, and its checkpoint folders removed, so that the notebook's last cell reads as what the
 * run produced, not as file plumbing.
 * @packageDocumentation
 */
import { writeResults, type ResultRow } from "../experiments/results";
import { writeClaims, type ClaimRecord } from "../experiments/claims";
import type { NotebookContext } from "./context";
import { removeCheckpoints } from "./training";

/** Input of {@link finishRun}. */
export interface FinishRunInput {
  /** The experiment id (`"fig4"`, `"piperno"`, …), written as both files' `experiment`. */
  experiment: string;
  /** What the run was made with, written as `results.json`'s `settings`. */
  settings: Record<string, unknown>;
  /** Every result row of the run (checked by `writeResults`). */
  rows: ResultRow[];
  /**
   * The claim records, with the number of seeds they were decided over and the details to keep beside them,
   * written to `claims.json` (with the context's quick flag). @defaultValue none (no `claims.json`)
   */
  claims?: { records: readonly ClaimRecord[]; nSeeds: number; details?: unknown };
  /**
   * The settings whose checkpoint folders go (each as `removeCheckpoints` takes it; kept when `QNN_KD_READINGS`
   * chose the readings). @defaultValue none (nothing removed)
   */
  checkpoints?: readonly unknown[];
}

/** Files written and folders removed by {@link finishRun}. */
export interface FinishRunResult {
  resultsFile: string;
  claimsFile: string | null;
  removedCheckpoints: string[];
}

/**
 * Writes `results.json` and (with `claims`) `claims.json` into the context's results folder, atomically, then
 * removes the checkpoint folders of `checkpoints`; in that order, so a run killed before the files exist resumes.
 * @throws Error as `writeResults` (a row lacking a field) and `writeClaims` (a malformed record), before anything
 *   is removed.
 */
export function finishRun(ctx: Pick<NotebookContext, "resultsDir" | "quick">, input: FinishRunInput): FinishRunResult {
  const resultsFile = writeResults(ctx.resultsDir, input.experiment, input.settings, input.rows);
  const claimsFile = input.claims
    ? writeClaims(ctx.resultsDir, input.experiment, input.claims.records, {
        quick: ctx.quick,
        nSeeds: input.claims.nSeeds,
        ...(input.claims.details !== undefined ? { details: input.claims.details } : {}),
      })
    : null;
  const removedCheckpoints = (input.checkpoints ?? []).flatMap((s) => removeCheckpoints(ctx, s));
  return { resultsFile, claimsFile, removedCheckpoints };
}
