/**
 * Hasan & Mahdy, the settings: datasets, teachers, the Fig. 12 methods and encodings with their readings,
 * {@link HasanConfig} with its defaults and quick overrides, and the seeds (docs/PARAMS.md). The paper's module doc
 * is `experiment.ts`.
 *
 * @packageDocumentation
 */
import { ImageReduction, IMAGE_REDUCTIONS } from "../../hybrid/imageStudent";
import { FeatureEncoding, maxFeatureCount } from "../../qnn/featureEncoders";
import type { ReadoutKind } from "../../hybrid/quantumLayer";
import { checkOneOf, checkSettings, withDefaults } from "../../util/options";
import type { DistillationOptions } from "../../kd/losses";

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
  "normalisation-unit",
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
  /**
   * The images as this reading's student and its own ablation teacher take them, when they differ from the config's
   * `normalisation`: `"unit"`, pixels / 255 without standardisation (that teacher is trained for it, under its own id).
   */
  normalisation?: "unit";
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
  "normalisation-unit": {
    label:
      "the original student and its LeNet-5 teacher on pixels / 255, not standardised (the authors' v1 ToTensor())",
    varies: "original",
    encoding: "amplitude",
    readout: "expectation",
    normalisation: "unit",
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
