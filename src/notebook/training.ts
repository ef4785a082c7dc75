/**
 * Notebook plumbing for training runs, so that cells only say what is trained: progress bars per model, the
 * checkpoint folder of a setting and its clean-up, and learning curves from history rows.
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import * as path from "path";
import type { HistoryRow, IterationInfo } from "../train/fit";
import { checkpointFolder, type HooksFor, type TrainHooks } from "../experiments/protocol";
import type { NotebookContext } from "./context";
import { lineFigure, type Dash, type HLine, type LineSeries } from "../figures/spec";
import { progressBar, type ProgressBar } from "./progress";

/** What {@link trainingBar} returns: hooks for one training run. */
export interface TrainingBar {
  /** Pass as `onIteration`: advances the bar to the reported iteration (a resumed run jumps to where it resumed). */
  onIteration: (row: HistoryRow, info: IterationInfo) => void;
  /** Ends the bar (nothing happens when no iteration ran, e.g. a checkpoint held the whole run). */
  done: () => void;
}

/**
 * A progress bar for one training run, labelled `label`, created at its first iteration with the run's total
 * (from the trainer's {@link IterationInfo}); shows the batch loss and, where evaluated, the test accuracy.
 */
export function trainingBar(label: string): TrainingBar {
  let bar: ProgressBar | null = null;
  let shown = 0;
  return {
    onIteration: (r, info) => {
      bar ??= progressBar(info.totalIterations, label);
      bar.tick(r.iteration - shown, { loss: r.loss, ...(r.testAccuracy != null ? { test: r.testAccuracy } : {}) });
      shown = r.iteration;
    },
    done: () => bar?.done(),
  };
}

/**
 * Per-model hooks for `runProtocol`, `trainStudentPair` and the experiments' run functions: a
 * {@link trainingBar} per model (labelled with its checkpoint name, e.g. "student-L4-kd-T2-a0.5") and the
 * checkpoint folder. Pass `bars: false` for runs that should stay quiet (extra seeds, sweeps).
 */
export function trainingHooks(checkpointDir: string | null, opts: { bars?: boolean } = {}): HooksFor {
  const bars = opts.bars ?? true;
  return (name) => {
    if (!bars) return { checkpointDir };
    const b = trainingBar(name);
    return { checkpointDir, onIteration: b.onIteration, done: b.done };
  };
}

/** {@link TrainHooks} with a bar for a single run (`trainModel`): call `done()` after it. */
export function runHooks(label: string, checkpointDir: string | null): TrainHooks & { done: () => void } {
  const b = trainingBar(label);
  return { checkpointDir, onIteration: b.onIteration, done: b.done };
}

/**
 * The checkpoint folder of a notebook run with these settings (see `checkpointFolder` in `experiments/protocol.ts`):
 * `<resultsDir>/checkpoints/<hash>[-<variant>]`.
 */
export function checkpointsFor(ctx: Pick<NotebookContext, "resultsDir">, settings: unknown, variant?: string): string {
  return checkpointFolder(ctx.resultsDir, settings, variant);
}

/**
 * Deletes the checkpoint folders of a finished run with these settings: the main one and every variant
 * (`<hash>-*`). A rerun then trains again. Returns the folders removed. When `QNN_KD_READINGS` is set (the run
 * measured a chosen subset of a readings section, or none), the folders are kept and nothing is removed, so that a
 * later run with other readings resumes every model already trained instead of training it again.
 * @param env - environment to read (tests). @defaultValue `process.env`
 */
export function removeCheckpoints(
  ctx: Pick<NotebookContext, "resultsDir">,
  settings: unknown,
  env: Record<string, string | undefined> = process.env,
): string[] {
  if ((env.QNN_KD_READINGS ?? "").trim() !== "") {
    process.stdout.write(
      "checkpoints kept: QNN_KD_READINGS chose the readings, a later run resumes the models trained here\n",
    );
    return [];
  }
  const main = checkpointFolder(ctx.resultsDir, settings);
  const parent = path.dirname(main),
    base = path.basename(main);
  if (!fs.existsSync(parent)) return [];
  const removed: string[] = [];
  for (const d of fs.readdirSync(parent)) {
    if (d === base || d.startsWith(`${base}-`)) {
      fs.rmSync(path.join(parent, d), { recursive: true, force: true });
      removed.push(path.join(parent, d));
    }
  }
  return removed;
}

/** Which accuracy a curve shows. */
export type AccuracyKey = "testAccuracy" | "trainAccuracy" | "validationMetric";

/**
 * One line of a learning curve: the rows of `history` where `key` was evaluated, against the iteration (or the
 * epoch with `x: "epoch"`).
 */
export function historySeries(
  history: readonly HistoryRow[],
  name: string,
  key: AccuracyKey = "testAccuracy",
  opts: { dash?: Dash; x?: "iteration" | "epoch" } = {},
): LineSeries {
  const rows = history.filter((r) => r[key] != null);
  const xKey = opts.x ?? "iteration";
  return {
    name,
    x: rows.map((r) => (xKey === "epoch" ? (r.epoch as number) : r.iteration)),
    y: rows.map((r) => r[key] as number),
    ...(opts.dash ? { dash: opts.dash } : {}),
  };
}

/** Input of {@link learningCurves}: named histories, drawn in order. */
export interface LearningCurvesInput {
  title: string;
  curves: { name: string; history: readonly HistoryRow[]; key?: AccuracyKey; dash?: Dash }[];
  /** Reference lines, e.g. the paper's values. @defaultValue [] */
  hlines?: HLine[];
  /** y axis title. @defaultValue "test accuracy" */
  yTitle?: string;
  /** x axis. @defaultValue "iteration" */
  x?: "iteration" | "epoch";
}

/** A line figure of accuracy against iterations for several training histories (see {@link historySeries}). */
export function learningCurves(input: LearningCurvesInput): { data: object[]; layout: object } {
  const x = input.x ?? "iteration";
  return lineFigure({
    title: input.title,
    xTitle: x,
    yTitle: input.yTitle ?? "test accuracy",
    series: input.curves.map((c) =>
      historySeries(c.history, c.name, c.key ?? "testAccuracy", { ...(c.dash ? { dash: c.dash } : {}), x }),
    ),
    hlines: input.hlines ?? [],
  });
}
