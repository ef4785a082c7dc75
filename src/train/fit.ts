/**
 * The training loop: mini-batch Adam with StepLR on any {@link Classifier}, with cross-entropy (Yan et al.,
 * Eq. 4) or, when teacher logits are given, the knowledge-distillation loss (Yan et al., Eq. 7), periodic
 * train/test accuracy, plain-object history rows, and resumable JSON checkpoints.
 *
 * Determinism: batches are a pure function of (seed, iteration) in iteration mode and of (seed, epoch) in
 * epochs mode (see `batching.ts`), the schedule is a pure function of the step index, and the checkpoint holds
 * the parameters and the exact Adam state, so a run resumed from a checkpoint ends with parameters bitwise
 * identical to an uninterrupted run (given a deterministic `model.lossAndGradient`).
 */
import { Rng } from "../util/rng";
import { checkInt, checkNumber, checkOneOf, withDefaults } from "../util/options";
import { crossEntropy, distillationLossResolved, type DistillationOptions } from "../kd/losses";
import { Adam } from "../optim/adam";
import { optimise, type StepResult } from "../optim/loop";
import { StepLR } from "../optim/scheduler";
import { batchesPerEpoch, epochPermutation, iterationBatch } from "./batching";
import { accuracy, macroF1 } from "./metrics";
import {
  CheckpointOptions,
  TrainCheckpoint,
  checkCheckpointOptions,
  hashNumbers,
  resumeCheckpoint,
  writeCheckpoint,
} from "../optim/checkpoint";
import type { Classifier, LossOutput, SampleLoss } from "../core/model";

/** A labelled data set: `inputs[i]` has class `labels[i]` ∈ [0, nClasses). */
export interface LabelledData<I> {
  /** Inputs, `[n]`. */
  readonly inputs: readonly I[];
  /** Integer class labels, `[n]`. */
  readonly labels: readonly number[];
}

/**
 * One row of training history, a plain object (ready for a danfo DataFrame or JSON). Every row of a run has
 * the same keys: `epoch` only in epochs mode, `ce` and `kl` only with a teacher, `testAccuracy` only with a
 * test set. Accuracies are `null` in rows where no evaluation ran.
 */
export interface HistoryRow {
  /** Number of completed updates, 1-based (the row of the first update has iteration 1). */
  iteration: number;
  /** 1-based epoch of this update (epochs mode only). */
  epoch?: number;
  /** Learning rate used for this update. */
  lr: number;
  /** Mean loss over the batch, at the parameters before this update. */
  loss: number;
  /** Mean unweighted cross-entropy CE(y, σ(z_s)) over the batch (distillation only). */
  ce?: number;
  /** Mean unweighted KL(σ(z_t/T) ‖ σ(z_s/T)) over the batch (distillation only). */
  kl?: number;
  /** Accuracy on the train set (or the `trainEvalSize` subset) after this update; null if not evaluated. */
  trainAccuracy?: number | null;
  /** Accuracy on the test set after this update; null if not evaluated (present only with `test`). */
  testAccuracy?: number | null;
  /** The early-stopping metric on the validation set after this update; null if not evaluated (only with `validation`). */
  validationMetric?: number | null;
  /** Wall time since the start of training (summed over resumed sessions), in milliseconds. */
  elapsedMs: number;
}

/** The validation metrics early stopping can monitor ({@link EarlyStoppingOptions.metric}). */
export const EARLY_STOPPING_METRICS = ["accuracy", "macroF1", "loss"] as const;
/** One of {@link EARLY_STOPPING_METRICS}. */
export type EarlyStoppingMetric = (typeof EARLY_STOPPING_METRICS)[number];

/**
 * Early stopping (Prechelt 1998; Keras `EarlyStopping`): after each evaluation the validation metric is compared
 * with the best so far; training stops after `patience` evaluations without a gain, and with `restoreBest` the
 * model ends with the parameters of the best evaluation (the final accuracies are then those of these
 * parameters). A gain is an increase by more than `minDelta` for accuracy and macro F1, a decrease by more than
 * `minDelta` for the loss (Keras `mode="min"` for `val_loss`). Piperno et al.: patience 50 epochs.
 */
export interface EarlyStoppingOptions {
  /** Evaluations (in `evalUnit`s: epochs in epochs mode) without a gain before stopping (integer ≥ 1). */
  patience: number;
  /**
   * The validation metric: `"accuracy"`, `"macroF1"` (higher is better) or `"loss"` (lower is better): the mean
   * cross-entropy CE(y, σ(z)) of the model's logits over the validation set, by the trainer's `crossEntropy` (the
   * label's cross-entropy alone, also in a distillation run: Keras's `val_loss` of a student compiled with CE).
   * @defaultValue "accuracy"
   */
  metric?: EarlyStoppingMetric;
  /** A gain is an improvement by more than this (an increase, or a decrease for `"loss"`). @defaultValue 0 */
  minDelta?: number;
  /** Restore the parameters of the best evaluation at the end. @defaultValue true */
  restoreBest?: boolean;
}

/** The early-stopping state kept in checkpoints. */
interface EarlyState {
  best: number;
  bestIteration: number;
  bestParams: number[];
  sinceBest: number;
  stopped: boolean;
}

/** Progress information passed to {@link TrainOptions.onIteration} with each row. */
export interface IterationInfo {
  /** Total number of iterations of this run. */
  totalIterations: number;
  /** The iteration this session resumed from (0 when not resumed). */
  resumedFrom: number;
}

/**
 * Options of {@link trainClassifier}. Defaults follow PARAMS.md ("Training (all experiments)").
 * @typeParam I - input type of the model.
 */
export interface TrainOptions<I> {
  /** Number of updates in iteration mode (ignored in epochs mode; setting both is an error). @defaultValue 50 */
  iterations: number;
  /**
   * Epochs mode when set: each epoch visits a fresh permutation of the training set (from
   * `fork(\`epoch/${e}\`)`) in ⌈n / batchSize⌉ batches, the last one possibly smaller.
   * @defaultValue null (iteration mode)
   */
  epochs: number | null;
  /**
   * Batch size: in iteration mode, `min(batchSize, n)` distinct random samples per iteration (without
   * replacement within an iteration), from `fork(\`batch/${t}\`)`. Yan et al.: 64.
   * @defaultValue 64
   */
  batchSize: number;
  /** Base learning rate (> 0). @defaultValue 0.01 */
  lr: number;
  /** Adam (β1, β2). @defaultValue [0.9, 0.999] */
  betas: readonly [number, number];
  /** Adam ε. @defaultValue 1e-8 */
  eps: number;
  /** Weight decay (≥ 0): L2 on the gradient (PyTorch Adam) unless `decoupledWeightDecay`. @defaultValue 1e-4 */
  weightDecay: number;
  /** Use decoupled weight decay (AdamW). @defaultValue false */
  decoupledWeightDecay: boolean;
  /** StepLR: decay the lr every `stepSize` steps, counted in `stepUnit`s. @defaultValue 20 */
  stepSize: number;
  /** StepLR decay factor γ ∈ (0, 1]. @defaultValue 0.5 */
  gamma: number;
  /**
   * Unit of `stepSize`: `"iteration"` (lr = lr₀·γ^⌊t/stepSize⌋ with t the 0-based iteration) or `"epoch"`
   * (t the 0-based epoch; epochs mode only).
   * @defaultValue "iteration"
   */
  stepUnit: "iteration" | "epoch";
  /** Seed of the batching streams (the model's initialisation has its own seed). @defaultValue 0 */
  seed: number | string;
  /**
   * Frozen teacher logits aligned with `train.inputs` (`[n][nClasses]`). When given, the loss is
   * `distillationLoss` with `T`, `alpha`, `scaleT2`; otherwise cross-entropy.
   * @defaultValue null
   */
  teacherLogits: readonly ArrayLike<number>[] | null;
  /** Distillation temperature T (> 0). @defaultValue 2 */
  T: number;
  /** Distillation weight alpha ∈ [0, 1]. @defaultValue 0.5 */
  alpha: number;
  /** Multiply the KL term by T². @defaultValue true */
  scaleT2: boolean;
  /** Which term alpha weighs (`distillationLoss`'s `alphaOn`): "kl" or "ce". @defaultValue "kl" */
  alphaOn: "kl" | "ce";
  /** Test set for test accuracy. @defaultValue null */
  test: LabelledData<I> | null;
  /**
   * Validation set, evaluated with the test set (`validationMetric` in the history rows); required by
   * `earlyStopping`. @defaultValue null
   */
  validation: LabelledData<I> | null;
  /** Early stopping on the validation set; see {@link EarlyStoppingOptions}. @defaultValue null (train to the end) */
  earlyStopping: EarlyStoppingOptions | null;
  /**
   * Evaluate train (and test) accuracy every `evalEvery` units of `evalUnit`, and always after the last
   * iteration. Accuracy is the argmax of `model.logitsBatch` over the full set.
   * @defaultValue 1
   */
  evalEvery: number;
  /**
   * Unit of `evalEvery`: `"iteration"`, `"epoch"` (at the end of epochs; epochs mode only), or `"auto"`
   * (epoch in epochs mode, iteration otherwise).
   * @defaultValue "auto"
   */
  evalUnit: "auto" | "iteration" | "epoch";
  /**
   * Evaluate train accuracy on a fixed subset of this many samples (drawn once from `fork("trainEval")`)
   * instead of the whole train set; `null` = all.
   * @defaultValue null
   */
  trainEvalSize: number | null;
  /** Called after each iteration with its history row (progress bars, logging). @defaultValue null */
  onIteration: ((row: HistoryRow, info: IterationInfo) => void) | null;
  /** Save resumable checkpoints; see {@link CheckpointOptions}. @defaultValue null */
  checkpoint: CheckpointOptions | null;
}

/** Result of {@link trainClassifier}. */
export interface TrainResult {
  /** Final parameters (a copy; `model.params` holds the same values). */
  params: Float64Array;
  /** One row per iteration, in order (including rows restored from a checkpoint). */
  history: HistoryRow[];
  /** Train accuracy after the last iteration (on the `trainEvalSize` subset when set). */
  finalTrainAccuracy: number;
  /** Test accuracy after the last iteration, or null without a test set. */
  finalTestAccuracy: number | null;
  /** Total number of iterations. */
  iterations: number;
  /** Number of iterations restored from a checkpoint (0 when trained from scratch). */
  resumedFrom: number;
  /** With early stopping: the iteration training stopped at (= iterations when it ran to the end), else null. */
  stoppedAt: number | null;
  /** With early stopping: the iteration of the best validation metric and its value, else null. */
  bestIteration: number | null;
  bestValidation: number | null;
}

const TRAIN_DEFAULTS: TrainOptions<unknown> = {
  iterations: 50,
  epochs: null,
  batchSize: 64,
  lr: 0.01,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weightDecay: 1e-4,
  decoupledWeightDecay: false,
  stepSize: 20,
  gamma: 0.5,
  stepUnit: "iteration",
  seed: 0,
  teacherLogits: null,
  T: 2,
  alpha: 0.5,
  scaleT2: true,
  alphaOn: "kl",
  test: null,
  validation: null,
  earlyStopping: null,
  evalEvery: 1,
  evalUnit: "auto",
  trainEvalSize: null,
  onIteration: null,
  checkpoint: null,
};

/** Default options of {@link trainClassifier} (a frozen copy, for documentation and notebooks). */
export const TRAIN_DEFAULT_OPTIONS: Readonly<TrainOptions<unknown>> = Object.freeze({ ...TRAIN_DEFAULTS });

const W = "trainClassifier";

function checkData<I>(name: string, data: LabelledData<I>, nClasses: number): void {
  if (data === null || typeof data !== "object" || !Array.isArray(data.inputs) || !Array.isArray(data.labels)) {
    throw new Error(`${W}: ${name} must be { inputs: I[], labels: number[] }`);
  }
  if (data.inputs.length !== data.labels.length) {
    throw new Error(`${W}: ${name} has ${data.inputs.length} inputs but ${data.labels.length} labels`);
  }
  if (data.inputs.length === 0) throw new Error(`${W}: ${name} is empty`);
  for (let i = 0; i < data.labels.length; i++) {
    const y = data.labels[i];
    if (typeof y !== "number" || !Number.isInteger(y) || y < 0 || y >= nClasses) {
      throw new Error(`${W}: ${name}.labels[${i}] must be an integer in [0, ${nClasses - 1}], got ${String(y)}`);
    }
  }
}

function resolveOptions<I>(options: Partial<TrainOptions<I>> | undefined): TrainOptions<I> {
  const o = withDefaults(W, TRAIN_DEFAULTS as TrainOptions<I>, options);
  if (options && options.iterations !== undefined && options.epochs !== undefined && options.epochs !== null) {
    throw new Error(
      `${W}: set either iterations (${String(options.iterations)}) or epochs (${String(options.epochs)}), not both`,
    );
  }
  checkInt(W, "iterations", o.iterations, 1);
  if (o.epochs !== null) checkInt(W, "epochs", o.epochs, 1);
  checkInt(W, "batchSize", o.batchSize, 1);
  checkNumber(W, "lr", o.lr, 0);
  if (o.lr === 0) throw new Error(`${W}: lr must be > 0, got 0`);
  if (!Array.isArray(o.betas) || o.betas.length !== 2) {
    throw new Error(`${W}: betas must be a pair [beta1, beta2], got ${JSON.stringify(o.betas)}`);
  }
  checkNumber(W, "betas[0]", o.betas[0], 0, 1);
  checkNumber(W, "betas[1]", o.betas[1], 0, 1);
  if (o.betas[0] === 1 || o.betas[1] === 1)
    throw new Error(`${W}: betas must be in [0, 1), got ${JSON.stringify(o.betas)}`);
  checkNumber(W, "eps", o.eps, 0);
  if (o.eps === 0) throw new Error(`${W}: eps must be > 0, got 0`);
  checkNumber(W, "weightDecay", o.weightDecay, 0);
  if (typeof o.decoupledWeightDecay !== "boolean") {
    throw new Error(`${W}: decoupledWeightDecay must be true or false, got ${JSON.stringify(o.decoupledWeightDecay)}`);
  }
  checkInt(W, "stepSize", o.stepSize, 1);
  checkNumber(W, "gamma", o.gamma, 0, 1);
  if (o.gamma === 0) throw new Error(`${W}: gamma must be in (0, 1], got 0`);
  checkOneOf(W, "stepUnit", o.stepUnit, ["iteration", "epoch"] as const);
  if (o.stepUnit === "epoch" && o.epochs === null) throw new Error(`${W}: stepUnit "epoch" needs the epochs option`);
  if (typeof o.seed === "number" ? !Number.isFinite(o.seed) : typeof o.seed !== "string") {
    throw new Error(`${W}: seed must be a finite number or a string, got ${String(o.seed)}`);
  }
  if (typeof o.T !== "number" || !Number.isFinite(o.T) || o.T <= 0) {
    throw new Error(`${W}: T must be a finite number > 0, got ${String(o.T)}`);
  }
  checkNumber(W, "alpha", o.alpha, 0, 1);
  if (typeof o.scaleT2 !== "boolean")
    throw new Error(`${W}: scaleT2 must be true or false, got ${JSON.stringify(o.scaleT2)}`);
  checkOneOf(W, "alphaOn", o.alphaOn, ["kl", "ce"] as const);
  checkInt(W, "evalEvery", o.evalEvery, 1);
  checkOneOf(W, "evalUnit", o.evalUnit, ["auto", "iteration", "epoch"] as const);
  if (o.evalUnit === "epoch" && o.epochs === null) throw new Error(`${W}: evalUnit "epoch" needs the epochs option`);
  if (o.trainEvalSize !== null) checkInt(W, "trainEvalSize", o.trainEvalSize, 1);
  if (o.onIteration !== null && typeof o.onIteration !== "function") {
    throw new Error(`${W}: onIteration must be a function or null, got ${typeof o.onIteration}`);
  }
  if (o.earlyStopping !== null) {
    if (typeof o.earlyStopping !== "object")
      throw new Error(
        `${W}: earlyStopping must be { patience, metric?, minDelta?, restoreBest? }, got ${String(o.earlyStopping)}`,
      );
    const e = withDefaults(
      `${W}: earlyStopping`,
      { patience: 1, metric: "accuracy", minDelta: 0, restoreBest: true } as Required<EarlyStoppingOptions>,
      o.earlyStopping,
    );
    checkInt(W, "earlyStopping.patience", e.patience, 1);
    checkOneOf(W, "earlyStopping.metric", e.metric, EARLY_STOPPING_METRICS);
    checkNumber(W, "earlyStopping.minDelta", e.minDelta, 0);
    if (typeof e.restoreBest !== "boolean")
      throw new Error(`${W}: earlyStopping.restoreBest must be true or false, got ${JSON.stringify(e.restoreBest)}`);
    if (o.validation === null) throw new Error(`${W}: earlyStopping needs a validation set (the validation option)`);
    o.earlyStopping = e;
  }
  if (o.checkpoint !== null) o.checkpoint = checkCheckpointOptions(W, o.checkpoint);
  return o;
}

/**
 * Trains `model` in place with mini-batch Adam (+ weight decay) and StepLR.
 *
 * Loss per sample: cross-entropy with the label (Yan et al., Eq. 4) or, with `teacherLogits`, the
 * distillation loss L = alpha·(T² if scaleT2)·KL(σ(z_t/T) ‖ σ(z_s/T)) + (1 − alpha)·CE(y, σ(z_s)) (alpha on the CE when alphaOn = "ce") (Yan et al.,
 * Eq. 7; Hinton et al. 2015); the model averages it over the batch and returns ∂(mean loss)/∂params.
 *
 * Order within iteration t (0-based): draw the batch, set lr from StepLR, compute loss and gradient at the
 * current params, take one Adam step, evaluate accuracy if due, append the history row, save the checkpoint
 * if due, call `onIteration`.
 *
 * Checkpoints: with `checkpoint: { path, every }`, the parameters, Adam state, iteration and history are
 * written atomically after every `every` iterations and after the last. If the file exists at the start, has
 * the same nParams and the same fingerprint (batching, optimiser, schedule, loss settings, seed, train-set
 * size, hashes of labels, teacher logits and the model's initial params: all settings except `iterations` /
 * `epochs` and evaluation/progress options) and no more iterations than requested, training resumes from it
 * and ends bitwise identical to an uninterrupted run. The fingerprint does not cover the inputs themselves.
 *
 * @param model - the classifier; `model.params` is updated in place.
 * @param train - training set; labels in [0, model.nClasses).
 * @param options - {@link TrainOptions}; unknown keys throw.
 * @returns final params, history rows, final accuracies.
 * @throws Error naming the option or datum and quoting its value: unknown option, invalid value, mismatched
 *   lengths, labels out of range, teacher logits of the wrong shape or not finite, a non-finite loss or a
 *   gradient of the wrong length (naming the iteration), or a mismatched checkpoint with `onMismatch: "error"`.
 */
export function trainClassifier<I>(
  model: Classifier<I>,
  train: LabelledData<I>,
  options?: Partial<TrainOptions<I>>,
): TrainResult {
  const o = resolveOptions(options);
  if (!model || typeof model !== "object") throw new Error(`${W}: model must be a Classifier, got ${String(model)}`);
  const nParams = checkInt(W, "model.nParams", model.nParams, 0);
  const nClasses = checkInt(W, "model.nClasses", model.nClasses, 1);
  if (!(model.params instanceof Float64Array) || model.params.length !== nParams) {
    throw new Error(`${W}: model.params must be a Float64Array of length nParams = ${nParams}`);
  }
  checkData("train", train, nClasses);
  if (o.test !== null) checkData("test", o.test, nClasses);
  if (o.validation !== null) checkData("validation", o.validation, nClasses);
  const n = train.inputs.length;

  const teacher = o.teacherLogits;
  if (teacher !== null) {
    if (!Array.isArray(teacher) || teacher.length !== n) {
      throw new Error(
        `${W}: teacherLogits must have one row per training input (${n}), got ${Array.isArray(teacher) ? teacher.length : String(teacher)}`,
      );
    }
    for (let i = 0; i < n; i++) {
      const row = teacher[i];
      if (!row || row.length !== nClasses) {
        throw new Error(
          `${W}: teacherLogits[${i}] must have nClasses = ${nClasses} entries, got ${row ? row.length : String(row)}`,
        );
      }
      for (let k = 0; k < nClasses; k++) {
        if (typeof row[k] !== "number" || !Number.isFinite(row[k])) {
          throw new Error(`${W}: teacherLogits[${i}][${k}] must be a finite number, got ${String(row[k])}`);
        }
      }
    }
  }
  const kd: DistillationOptions = { T: o.T, alpha: o.alpha, scaleT2: o.scaleT2, alphaOn: o.alphaOn };

  // ---- schedule -------------------------------------------------------------------------------------------
  const bs = Math.min(o.batchSize, n);
  const epochsMode = o.epochs !== null;
  const perEpoch = epochsMode ? batchesPerEpoch(n, bs) : 0;
  const total = epochsMode ? (o.epochs as number) * perEpoch : o.iterations;
  const evalUnit = o.evalUnit === "auto" ? (epochsMode ? "epoch" : "iteration") : o.evalUnit;
  const rng = new Rng(o.seed);
  const sched = new StepLR({ stepSize: o.stepSize, gamma: o.gamma });
  const adam = new Adam({
    lr: o.lr,
    betas: o.betas,
    eps: o.eps,
    weightDecay: o.weightDecay,
    decoupled: o.decoupledWeightDecay,
  });

  // ---- evaluation sets ------------------------------------------------------------------------------------
  let trainEval: LabelledData<I> = train;
  if (o.trainEvalSize !== null && o.trainEvalSize < n) {
    const idx = rng.fork("trainEval").sampleWithoutReplacement(n, o.trainEvalSize);
    trainEval = { inputs: idx.map((i) => train.inputs[i]), labels: idx.map((i) => train.labels[i]) };
  }
  const test = o.test;

  // ---- checkpoint resume ----------------------------------------------------------------------------------
  const ck = o.checkpoint as Required<CheckpointOptions> | null;
  // Hashing labels, initial params and teacher logits costs a pass over them: only with checkpoints.
  const fingerprint: Record<string, unknown> | null =
    ck === null
      ? null
      : {
          mode: epochsMode ? "epochs" : "iterations",
          nParams,
          nClasses,
          nTrain: n,
          labels: hashNumbers([train.labels]),
          initialParams: hashNumbers([model.params]),
          teacherLogits: teacher === null ? null : hashNumbers(teacher),
          batchSize: bs,
          lr: o.lr,
          betas: [o.betas[0], o.betas[1]],
          eps: o.eps,
          weightDecay: o.weightDecay,
          decoupledWeightDecay: o.decoupledWeightDecay,
          stepSize: o.stepSize,
          gamma: o.gamma,
          stepUnit: o.stepUnit,
          seed: o.seed,
          // alphaOn only when "ce": runs with the default keep their fingerprints
          loss:
            teacher === null
              ? "crossEntropy"
              : {
                  name: "distillation",
                  T: kd.T,
                  alpha: kd.alpha,
                  scaleT2: kd.scaleT2,
                  ...(kd.alphaOn === "ce" ? { alphaOn: "ce" } : {}),
                },
          // early stopping changes where training ends (keys only when set: runs without it keep their fingerprints)
          ...(o.earlyStopping !== null
            ? {
                earlyStopping: o.earlyStopping,
                nValidation: o.validation!.inputs.length,
                validationLabels: hashNumbers([o.validation!.labels]),
              }
            : {}),
        };
  const es = o.earlyStopping as Required<EarlyStoppingOptions> | null;
  const validation = o.validation;
  // the loss is minimised, the scores maximised; ±Infinity is written to JSON checkpoints as null (read back below)
  const lowerIsBetter = es !== null && es.metric === "loss";
  const worst = lowerIsBetter ? Infinity : -Infinity;
  let early: EarlyState | null =
    es === null
      ? null
      : { best: worst, bestIteration: 0, bestParams: Array.from(model.params), sinceBest: 0, stopped: false };
  let history: HistoryRow[] = [];
  let start = 0;
  let elapsedBefore = 0;
  const saved = ck === null ? null : resumeCheckpoint<HistoryRow>(W, ck, fingerprint!, nParams, total);
  if (saved !== null) {
    adam.loadState(saved.adam);
    model.params.set(saved.params);
    history = saved.history;
    start = saved.iteration;
    if (early !== null) early = (saved as TrainCheckpoint<HistoryRow> & { early?: EarlyState }).early ?? early;
    if (early !== null && typeof early.best !== "number") early.best = worst; // saved before the first evaluation
    elapsedBefore = typeof saved.elapsedMs === "number" ? saved.elapsedMs : 0;
  }
  const resumedFrom = start;
  const info: IterationInfo = { totalIterations: total, resumedFrom };

  const saveCheckpoint = (iteration: number, elapsedMs: number): void => {
    if (ck === null || fingerprint === null) return;
    writeCheckpoint<HistoryRow>(ck.path, {
      fingerprint,
      params: model.params,
      optimiser: adam,
      iteration,
      history,
      elapsedMs,
      ...(early !== null ? { extra: { early } } : {}),
    });
  };

  const validationLoss = (): number => {
    const rows = model.logitsBatch(validation!.inputs);
    let s = 0;
    for (let i = 0; i < rows.length; i++) s += crossEntropy(rows[i], validation!.labels[i]).loss;
    return s / rows.length;
  };
  const validationMetric = (): number =>
    es === null || es.metric === "accuracy"
      ? accuracy(model, validation!)
      : es.metric === "macroF1"
        ? macroF1(model, validation!, nClasses)
        : validationLoss();
  const evaluate = (row: HistoryRow): void => {
    row.trainAccuracy = accuracy(model, trainEval);
    if (test !== null) row.testAccuracy = accuracy(model, test);
    if (validation !== null) row.validationMetric = validationMetric();
  };
  /** After an evaluation at iteration `it`: update the best and say whether to stop. */
  const stopAfter = (row: HistoryRow, it: number): boolean => {
    if (early === null || es === null) return false;
    const v = row.validationMetric as number;
    if (lowerIsBetter ? v < early.best - es.minDelta : v > early.best + es.minDelta) {
      early.best = v;
      early.bestIteration = it;
      early.bestParams = Array.from(model.params);
      early.sinceBest = 0;
    } else {
      early.sinceBest++;
    }
    early.stopped = early.sinceBest >= es.patience;
    return early.stopped;
  };

  // ---- loop (optim/loop.ts): batch → loss → gradient → Adam step → history row --------------------------
  const t0 = performance.now();
  let perm: number[] | null = null;
  let permEpoch = -1;
  const ceBuf = new Float64Array(bs);
  const klBuf = new Float64Array(bs);
  let stoppedAt = early?.stopped ? start : total;
  // the batch of iteration t (its epoch and whether it ends one), set by `step` for `after`
  let batch: number[] = [];
  let epoch = 0;
  let endOfEpoch = false;
  const step = (t: number): StepResult => {
    endOfEpoch = false;
    if (epochsMode) {
      epoch = Math.floor(t / perEpoch);
      const j = t - epoch * perEpoch;
      if (permEpoch !== epoch) {
        perm = epochPermutation(rng, epoch, n);
        permEpoch = epoch;
      }
      batch = (perm as number[]).slice(j * bs, Math.min((j + 1) * bs, n));
      endOfEpoch = j === perEpoch - 1;
    } else {
      batch = iterationBatch(rng, t, n, bs);
    }
    const inputs = batch.map((i) => train.inputs[i]);
    let sampleLoss: SampleLoss;
    if (teacher === null) {
      sampleLoss = (logits: Float64Array, index: number): LossOutput =>
        crossEntropy(logits, train.labels[batch[index]]);
    } else {
      ceBuf.fill(0);
      klBuf.fill(0);
      sampleLoss = (logits: Float64Array, index: number): LossOutput => {
        const i = batch[index];
        const r = distillationLossResolved(logits, teacher[i], train.labels[i], kd);
        ceBuf[index] = r.ce;
        klBuf[index] = r.kl;
        return r;
      };
    }
    return model.lossAndGradient(inputs, sampleLoss);
  };
  const after = (t: number, done: { loss: number; lr: number }): "stop" | void => {
    const m = batch.length;
    let kdTerms: { ce: number; kl: number } | null = null;
    if (teacher !== null) {
      let ce = 0;
      let kl = 0;
      for (let k = 0; k < m; k++) {
        ce += ceBuf[k];
        kl += klBuf[k];
      }
      kdTerms = { ce: ce / m, kl: kl / m };
    }
    // Keys in a fixed order, the same for every row of the run.
    const row: HistoryRow = {
      iteration: t + 1,
      ...(epochsMode ? { epoch: epoch + 1 } : {}),
      lr: done.lr,
      loss: done.loss,
      ...(kdTerms ?? {}),
      trainAccuracy: null,
      ...(test !== null ? { testAccuracy: null } : {}),
      ...(validation !== null ? { validationMetric: null } : {}),
      elapsedMs: 0,
    };
    const due = evalUnit === "iteration" ? (t + 1) % o.evalEvery === 0 : endOfEpoch && (epoch + 1) % o.evalEvery === 0;
    let last = t === total - 1;
    if (due || last) {
      evaluate(row);
      if (stopAfter(row, t + 1)) {
        last = true;
        stoppedAt = t + 1;
      }
    }
    row.elapsedMs = elapsedBefore + (performance.now() - t0);
    history.push(row);

    if (ck !== null && ((t + 1) % ck.every === 0 || last)) saveCheckpoint(t + 1, row.elapsedMs);
    if (o.onIteration !== null) o.onIteration(row, info);
    return early?.stopped ? "stop" : undefined;
  };
  if (!early?.stopped) {
    optimise(model, {
      optimiser: adam,
      iterations: total,
      start,
      // the schedule's step index: the epoch (stepUnit "epoch") or the iteration
      lrAt: (t) => sched.lrAt(o.stepUnit === "epoch" ? (epochsMode ? Math.floor(t / perEpoch) : 0) : t, o.lr),
      step,
      after,
      name: W,
    });
  }

  // A run restored at its last iteration from a checkpoint whose last row was not evaluated.
  const lastRow = history[history.length - 1];
  if (
    lastRow.trainAccuracy === null ||
    lastRow.trainAccuracy === undefined ||
    (test !== null && (lastRow.testAccuracy === null || lastRow.testAccuracy === undefined))
  ) {
    evaluate(lastRow);
    if (ck !== null) saveCheckpoint(history.length, lastRow.elapsedMs);
  }
  let finalTrainAccuracy = lastRow.trainAccuracy as number;
  let finalTestAccuracy = test !== null ? (lastRow.testAccuracy as number) : null;
  if (
    early !== null &&
    es !== null &&
    es.restoreBest &&
    early.bestIteration > 0 &&
    early.bestIteration !== history.length
  ) {
    model.params.set(early.bestParams);
    finalTrainAccuracy = accuracy(model, trainEval);
    finalTestAccuracy = test !== null ? accuracy(model, test) : null;
  }

  return {
    params: Float64Array.from(model.params),
    history,
    finalTrainAccuracy,
    finalTestAccuracy,
    iterations: total,
    resumedFrom,
    stoppedAt: early !== null ? (early.stopped ? history.length : stoppedAt) : null,
    bestIteration: early !== null ? early.bestIteration : null,
    bestValidation: early !== null ? early.best : null,
  };
}
