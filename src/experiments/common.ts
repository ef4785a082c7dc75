/** Pieces shared by the experiment modules: data splits, training hooks, and the trainer options they derive. */
import * as path from "path";
import type { QNNClassifier, QuantumInput } from "../qnn/classifier";
import type { HistoryRow, TrainResult } from "../train/fit";

/** Inputs and labels of one split. */
export interface Split<I> {
  inputs: I[];
  labels: number[];
}

/** Hooks for progress and checkpoints. */
export interface TrainHooks {
  /** Called after each iteration. */
  onIteration?: (row: HistoryRow) => void;
  /** Folder for resumable checkpoints (one JSON per model); none when omitted. */
  checkpointDir?: string;
}

/** A trained classifier with its training result. */
export interface Trained {
  model: QNNClassifier;
  result: TrainResult;
}

/** The optimiser settings every experiment configuration carries. */
export interface OptimiserSettings {
  batchSize: number;
  lr: number;
  weightDecay: number;
  stepSize: number;
  gamma: number;
  evalEvery: number;
}

/**
 * Options for `trainClassifier` in iteration mode from an experiment's settings: batches from the stream `seed`,
 * test accuracy on `test` every `evalEvery` iterations, checkpoints every 10 iterations in
 * `<checkpointDir>/<name>.json` when a folder is given.
 */
export function fitOptions(
  cfg: OptimiserSettings, iterations: number, test: Split<QuantumInput>, hooks: TrainHooks, name: string, seed: string,
  lr = cfg.lr, stepSize = cfg.stepSize,
) {
  return {
    iterations,
    batchSize: cfg.batchSize,
    lr,
    weightDecay: cfg.weightDecay,
    stepSize,
    gamma: cfg.gamma,
    seed,
    test,
    evalEvery: cfg.evalEvery,
    onIteration: hooks.onIteration ? (row: HistoryRow) => hooks.onIteration!(row) : null,
    checkpoint: hooks.checkpointDir ? { path: path.join(hooks.checkpointDir, `${name}.json`), every: 10 } : null,
  };
}
