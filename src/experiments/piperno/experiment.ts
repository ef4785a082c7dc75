/**
 * Piperno et al., *Quantum Enhanced Knowledge Distillation*, Fig. 1: a classical MLP teacher (64→16→8→3) distilled
 * into a classical student (64→3) and into hybrid quantum students (amplitude embedding of the 64 bits on 6 qubits,
 * 5 layers of an ansatz, ⟨Z⟩ of the measured qubits → a dense head → 3 logits) on the extended XOR problem; each
 * student trained without and with KD from the same initialisation and batches, over 12 seeds; the figure shows the
 * mean test F1 with the variance on top and the parameter count at the base.
 *
 * Every value is an option of {@link PipernoConfig}, set once in {@link PIPERNO_DEFAULTS} (docs/PARAMS.md, "Classical
 * teacher → quantum student" and "Piperno et al.: readings of the open choices": stated, inferred or chosen per
 * value) and overridden for quick runs by {@link PIPERNO_QUICK}. The notebook `notebooks/piperno-fig1.ipynb` calls the
 * steps; {@link runPiperno} runs one seed. Each alternative reading of an open choice is a {@link PIPERNO_READINGS}
 * entry (one factor from the defaults; rows carry `variant`); the harder-data study of our own (hypotheses, not the
 * paper's claims) runs the same protocol on {@link PIPERNO_HARDER_DATA}.
 *
 * **Loss** (reading "KL weighting"). As written, L = (1/B)·Σ_b CE_b + Σ_b KL_b on a batch of B samples (the KL
 * summed, `klReduction: "sum"`, the default) = (1 + B)·[(1 − α)·CE + α·KL] (batch means) with α = B/(1 + B): Eq. 7 at
 * T = 1 with α = B/(1 + B) (32/33 at batch 32), times a constant that Adam's steps do not see (up to ε). Exact for
 * full batches (800 training samples = 25 batches of 32); a smaller last batch B' would need B'/(1 + B'). The old
 * reading, both terms batch means (`klReduction: "mean"`, L = CE + KL), is α = ½. α is derived from `klReduction` and
 * `batchSize` ({@link klAlpha}), never set on its own.
 *
 * **Models** are tfjs networks (`hybrid/`), trained by the project's trainer through {@link TfClassifier}: Adam
 * lr 0.1 (stated; the teacher 0.01, see {@link PipernoConfig.teacherLr}), no weight decay and no lr decay (PyTorch's
 * defaults; chosen), batch 32 (not stated; chosen), up to 300 epochs with early stopping after 50 epochs without a
 * gain (stated) in the validation loss (the model's cross-entropy on the validation split; reading, Keras's
 * `val_loss`), the last epoch's weights kept (reading; Keras's `restore_best_weights=False`). The hybrid students read
 * ⟨Z⟩ of their readout qubits into a dense head (`readoutKind: "expectation"`); the `q2-74` reading reads q_2's 4
 * basis-state probabilities from a ring-entangled circuit instead (59 + 15 = 74 parameters, the paper's count).
 *
 * @packageDocumentation
 */
import * as os from "os";
import * as tf from "@tensorflow/tfjs";
import { Piscina } from "piscina";
import type { HistoryRow } from "../../train/fit";
import { claimRecords, ClaimRecord } from "../claims";
import {
  ClaimPart,
  Direction,
  SeedValues,
  notAtCeiling,
  pairedPart,
  seedValues,
  unpairedPart,
  varianceRatioPart,
} from "../verdicts";
import { extendedXor, ExtendedXorData } from "../../datasets/xor";
import { TfClassifier } from "../../hybrid/classifier";
import { mlp, tfSeed } from "../../hybrid/networks";
import { useTfBackend } from "../../hybrid/backend";
import { quantumLayer } from "../../hybrid/quantumLayer";
import { hardwareEfficientAnsatz } from "../../qnn/ansatz";
import { universalAnsatz, universalReadout } from "../../qnn/universal";
import { READOUT_KINDS, type ReadoutKind } from "../../hybrid/quantumLayer";
import { XOR_RULES, type XorRule } from "../../datasets/xor";
import { Reading, checkReadings, rowsOf, readingsTable } from "../readings";
import { untestablePart } from "../verdicts";
import type { Circuit } from "../../sim/program/circuit";
import { macroF1 } from "../../train/metrics";
import { compiledFile } from "../../util/paths";
import { checkOneOf, checkSettings, withDefaults } from "../../util/options";
import { ResultRow, runLabel } from "../results";
import {
  FitSettings,
  HooksFor,
  ModelSpec,
  ProtocolPlan,
  ProtocolResult,
  SplitPair,
  TrainHooks,
  kdSettingsOf,
  runProtocol,
  studentEntry,
} from "../protocol";
import type { DistillationOptions } from "../../kd/losses";
import { meanStd, MeanStd } from "../seeds";
import type { Experiment } from "../entry";

/** The architectures of Fig. 1: the classical student and the hybrid students by ansatz. */
export const PIPERNO_ARCHITECTURES = ["classical", "hea", "universal", "universal-h", "q2", "q3", "q4", "q5"] as const;
/** An architecture of Fig. 1. */
export type PipernoArchitecture = (typeof PIPERNO_ARCHITECTURES)[number];

/** Parameter counts the paper states. */
export const PIPERNO_PAPER_PARAMS: Readonly<Partial<Record<PipernoArchitecture | "teacher", number>>> = Object.freeze({
  teacher: 1203,
  classical: 195,
  q2: 74,
});

/** The qualitative claims of Fig. 1 (docs/PARAMS.md). */
export const PIPERNO_PAPER_CLAIMS = Object.freeze({
  kdRaises: "KD raises the mean test F1 of every architecture",
  classicalGainsMore: "the classical student gains more from KD than the hybrid students",
  hybridsVaryMore: "the hybrid students vary more across seeds than the classical student",
});

/** All settings of the Piperno et al. experiment. */
export interface PipernoConfig extends DistillationOptions {
  /** Samples, bits per sample, and the train / validation fractions of the split (stated: 1000, 64, 0.8, 0.1). */
  n: number;
  nBits: number;
  trainFraction: number;
  validationFraction: number;
  /** Teacher widths (stated: [64, 16, 8, 3], ReLU) and classical student widths (stated: [64, 3]). */
  teacherUnits: number[];
  studentUnits: number[];
  /** Qubits and layers of the hybrid students (stated: 6, 5). */
  nQubits: number;
  nLayers: number;
  /** Which students to train, in order (stated: all of {@link PIPERNO_ARCHITECTURES}). */
  architectures: PipernoArchitecture[];
  /** Adam lr of the students (stated: 0.1), batch size (chosen: 32), epochs (stated: 300), early-stopping patience in epochs (stated: 50). */
  lr: number;
  /**
   * Adam lr of the teacher (chosen: 0.01). At the stated 0.1 the ReLU teacher dies (all hidden units inactive:
   * test F1 ≈ 0.21, the majority class) in 5 of 6 seeds we tried, which leaves nothing to distil; at 0.01 it reaches
   * test F1 0.99–1.00 in all six.
   */
  teacherLr: number;
  batchSize: number;
  epochs: number;
  patience: number;
  /** Seeds (stated: 12): runs use seeds `seed, seed + 1, …`. */
  nSeeds: number;
  /** The first seed (data, initialisations and batches derive from it). */
  seed: number;
  /**
   * How the KL term is reduced over a batch (reading "KL weighting", module doc): `"sum"` as written (α =
   * B/(1 + B)), `"mean"` (α = ½). @defaultValue "sum"
   */
  klReduction: KlReduction;
  /**
   * The distillation weight of Eq. 7, **derived**: {@link klAlpha}(klReduction, batchSize) (32/33 by default).
   * {@link pipernoConfig} sets it; an explicit `alpha` that differs from the derived value is an error (set
   * `klReduction` instead).
   */
  alpha: number;
  /** Restore the best validation epoch's weights when early stopping ends a run (reading). @defaultValue false */
  restoreBest: boolean;
  /**
   * What early stopping monitors on the validation split (reading): `"loss"`, the model's cross-entropy (lower is
   * better), or `"macroF1"`. @defaultValue "loss"
   */
  earlyStoppingMetric: "loss" | "macroF1";
  /**
   * The hybrid students' readout (`QuantumTfLayer` `readoutKind`): ⟨Z⟩ per readout qubit → dense k → 3, or the
   * 2^k basis-state probabilities → dense 2^k → 3 (reading "q_2's head and ring"). @defaultValue "expectation"
   */
  readoutKind: ReadoutKind;
  /** R_ZZ on a ring (PennyLane's rule) in the universal circuits, q_nd included (`universalAnsatz` `ring`). @defaultValue false */
  ring: boolean;
  /** The data's labelling rule (`extendedXor` `rule`; "parity3" for the harder-data study). @defaultValue "first-two" */
  rule: XorRule;
  /** Label-noise probability of the data (`extendedXor` `labelNoise`; 0.1 in the harder-data study). @defaultValue 0 */
  labelNoise: number;
}

/** How the KL term is reduced over a batch: summed as the paper writes it, or averaged (see the module doc). */
export type KlReduction = "sum" | "mean";

/**
 * The α of Eq. 7 that a KL reduction amounts to at batch size B (module doc): B/(1 + B) for `"sum"` (the paper's
 * L = mean CE + summed KL, up to the factor 1 + B that Adam does not see), ½ for `"mean"` (L = CE + KL).
 * @throws Error for an unknown reduction or a batch size that is not an integer ≥ 1 (quoted).
 */
export function klAlpha(klReduction: KlReduction, batchSize: number): number {
  checkOneOf("klAlpha", "klReduction", klReduction, ["sum", "mean"] as const);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`klAlpha: batchSize must be an integer ≥ 1, got ${String(batchSize)}`);
  return klReduction === "sum" ? batchSize / (1 + batchSize) : 0.5;
}

/** Paper settings and our documented choices. */
export const PIPERNO_DEFAULTS: Readonly<PipernoConfig> = Object.freeze({
  n: 1000,
  nBits: 64,
  trainFraction: 0.8,
  validationFraction: 0.1,
  teacherUnits: [64, 16, 8, 3],
  studentUnits: [64, 3],
  nQubits: 6,
  nLayers: 5,
  architectures: [...PIPERNO_ARCHITECTURES],
  lr: 0.1,
  teacherLr: 0.01,
  batchSize: 32,
  epochs: 300,
  patience: 50,
  T: 1,
  alpha: 32 / 33,
  scaleT2: true,
  klReduction: "sum",
  restoreBest: false,
  earlyStoppingMetric: "loss",
  readoutKind: "expectation",
  ring: false,
  rule: "first-two",
  labelNoise: 0,
  nSeeds: 12,
  seed: 0,
});

/** Overrides for `--quick`: 2 seeds, 40 epochs with patience 10, three architectures. */
export const PIPERNO_QUICK: Readonly<Partial<PipernoConfig>> = Object.freeze({
  nSeeds: 2,
  epochs: 40,
  patience: 10,
  architectures: ["classical", "hea", "q2"] as PipernoArchitecture[],
});

/**
 * The configuration: defaults, then the quick overrides when `quick`, then `overrides`; α is then derived from
 * `klReduction` and `batchSize` ({@link klAlpha}). Every number is checked (`util/options` `checkSettings`): n ≥ 10
 * and nBits ≥ 2 (3 for parity3; the XOR data), sizes, layers, epochs, patience and seeds integers ≥ 1 (seed ≥ 0),
 * MLP widths lists of integers ≥ 1, trainFraction ∈ (0, 1], validationFraction ∈ [0, 1] with a test split left,
 * learning rates and T > 0, labelNoise ∈ [0, 1); nBits ≤ 2^nQubits; the choices (klReduction, earlyStoppingMetric,
 * readoutKind, rule) one of their values, restoreBest and ring booleans.
 * @throws Error for an unknown option, a bad value (the option, its value and what is allowed), or an explicit
 *   `alpha` other than the one `klReduction` and `batchSize` give.
 */
export function pipernoConfig(overrides: Partial<PipernoConfig> = {}, quick = false): PipernoConfig {
  const base = quick ? { ...PIPERNO_DEFAULTS, ...PIPERNO_QUICK } : { ...PIPERNO_DEFAULTS };
  const c = withDefaults("pipernoConfig", base as PipernoConfig, overrides);
  const W = "pipernoConfig";
  checkSettings(W, c, {
    n: { kind: "positiveInt", min: 10 },
    nBits: { kind: "positiveInt", min: 2 },
    trainFraction: "fraction",
    validationFraction: "probability",
    teacherUnits: "positiveInts",
    studentUnits: "positiveInts",
    nQubits: "positiveInt",
    nLayers: "positiveInt",
    lr: "learningRate",
    teacherLr: "learningRate",
    batchSize: "positiveInt",
    epochs: "positiveInt",
    patience: "positiveInt",
    T: "temperature",
    alpha: "alpha",
    nSeeds: "positiveInt",
    seed: "nonNegativeInt",
    labelNoise: { kind: "probability", below: 1 },
  });
  checkOneOf(W, "klReduction", c.klReduction, ["sum", "mean"] as const);
  checkOneOf(W, "earlyStoppingMetric", c.earlyStoppingMetric, ["loss", "macroF1"] as const);
  checkOneOf(W, "readoutKind", c.readoutKind, READOUT_KINDS);
  checkOneOf(W, "rule", c.rule, XOR_RULES);
  for (const k of ["restoreBest", "ring", "scaleT2"] as const) {
    if (typeof c[k] !== "boolean") throw new Error(`${W}: ${k} must be true or false, got ${JSON.stringify(c[k])}`);
  }
  if (c.rule === "parity3" && c.nBits < 3) throw new Error(`${W}: the rule "parity3" needs nBits ≥ 3, got ${c.nBits}`);
  const alpha = klAlpha(c.klReduction, c.batchSize);
  if (overrides.alpha !== undefined && Math.abs(overrides.alpha - alpha) > 1e-12) {
    throw new Error(
      `${W}: alpha is derived from klReduction and batchSize (klReduction "${c.klReduction}" at batchSize ${c.batchSize} gives ` +
        `alpha = ${alpha}), got alpha = ${overrides.alpha}; set klReduction instead`,
    );
  }
  c.alpha = alpha;
  if (!(c.trainFraction + c.validationFraction < 1)) {
    throw new Error(
      `${W}: trainFraction + validationFraction must be below 1 (the rest is the test split), got ${c.trainFraction} + ${c.validationFraction}`,
    );
  }
  if (c.nBits > 2 ** c.nQubits)
    throw new Error(`${W}: ${c.nBits} bits do not fit the amplitudes of ${c.nQubits} qubits`);
  if (c.teacherUnits[0] !== c.nBits || c.studentUnits[0] !== c.nBits)
    throw new Error(
      `${W}: the MLPs must take ${c.nBits} inputs, got ${JSON.stringify([c.teacherUnits, c.studentUnits])}`,
    );
  if (!Array.isArray(c.architectures) || c.architectures.length === 0)
    throw new Error(`${W}: architectures must be a non-empty list of ${PIPERNO_ARCHITECTURES.join(", ")}`);
  for (const a of c.architectures) {
    if (!(PIPERNO_ARCHITECTURES as readonly string[]).includes(a))
      throw new Error(`${W}: unknown architecture ${JSON.stringify(a)}; allowed: ${PIPERNO_ARCHITECTURES.join(", ")}`);
  }
  return c;
}

/** The seeds of a run: `seed, seed + 1, …, seed + nSeeds − 1`. */
export function pipernoSeeds(cfg: Pick<PipernoConfig, "seed" | "nSeeds">): number[] {
  return Array.from({ length: cfg.nSeeds }, (_, i) => cfg.seed + i);
}

/**
 * The data of one seed (`extendedXor` with the seed's "data" stream, the config's rule and label noise). The bits and
 * the split of a seed are the same whatever the rule and noise (their streams are separate).
 */
export function pipernoData(cfg: PipernoConfig, seed: number): ExtendedXorData {
  return extendedXor({
    n: cfg.n,
    nBits: cfg.nBits,
    trainFraction: cfg.trainFraction,
    validationFraction: cfg.validationFraction,
    seed: `${seed}/data`,
    rule: cfg.rule,
    labelNoise: cfg.labelNoise,
  });
}

/**
 * The circuit and readout of a hybrid architecture (HEA; universal; universal + H; q_nd: universal measured down to
 * n_d); `ring` puts the universal circuits' R_ZZ on a ring (PennyLane's rule).
 * @param ring - @defaultValue false
 */
export function pipernoCircuit(
  arch: Exclude<PipernoArchitecture, "classical">,
  nQubits: number,
  nLayers: number,
  ring = false,
): { circuit: Circuit; readout: number[] } {
  const all = Array.from({ length: nQubits }, (_, q) => q);
  if (arch === "hea") return { circuit: hardwareEfficientAnsatz({ nQubits, nLayers }), readout: all };
  if (arch === "universal") return { circuit: universalAnsatz({ nQubits, nLayers, ring }), readout: all };
  if (arch === "universal-h")
    return { circuit: universalAnsatz({ nQubits, nLayers, hadamard: true, ring }), readout: all };
  const nKeep = Number(arch.slice(1));
  return {
    circuit: universalAnsatz({ nQubits, nLayers, nKeep, ring }),
    readout: universalReadout(nQubits, nLayers, nKeep),
  };
}

/**
 * The training settings of every model (see the module doc): early stopping on `cfg.earlyStoppingMetric` with
 * `cfg.restoreBest`.
 */
export function pipernoFit(cfg: PipernoConfig, data: ExtendedXorData): FitSettings {
  return {
    epochs: cfg.epochs,
    batchSize: cfg.batchSize,
    lr: cfg.lr,
    weightDecay: 0,
    stepSize: cfg.epochs,
    gamma: 1,
    stepUnit: "epoch",
    evalEvery: 1,
    evalUnit: "epoch",
    validation: data.validation,
    earlyStopping: { patience: cfg.patience, metric: cfg.earlyStoppingMetric, restoreBest: cfg.restoreBest },
    checkpointEvery: 50 * Math.ceil((cfg.n * cfg.trainFraction) / cfg.batchSize),
  };
}

/** What the history rows' `validationMetric` holds under `cfg`, for plot labels: "validation cross-entropy" or "validation macro F1". */
export function validationMetricLabel(cfg: Pick<PipernoConfig, "earlyStoppingMetric">): string {
  return cfg.earlyStoppingMetric === "macroF1" ? "validation macro F1" : "validation cross-entropy";
}

/** Parameter counts of the teacher and every student of `cfg` (ours beside the paper's where it states one). */
export function parameterCounts(
  cfg: PipernoConfig,
  data: ExtendedXorData,
): { architecture: string; model: string; nParams: number; paperParams: number | null }[] {
  const specs = pipernoSpecs(cfg, data);
  return [specs.teacher, ...specs.students].map((s) => {
    const m = s.build("0/count", s.id);
    const row = {
      architecture: s.id,
      model: s.label,
      nParams: m.nParams,
      paperParams: PIPERNO_PAPER_PARAMS[s.id as PipernoArchitecture | "teacher"] ?? null,
    };
    m.model.dispose();
    return row;
  });
}

/** The hybrid architectures of a configuration (every one but the classical student), in order. */
export function hybridArchitectures(
  cfg: Pick<PipernoConfig, "architectures">,
): Exclude<PipernoArchitecture, "classical">[] {
  return cfg.architectures.filter((a): a is Exclude<PipernoArchitecture, "classical"> => a !== "classical");
}

/** The epoch (1-based) that iteration `iteration` (1-based) belongs to, at `cfg.batchSize` on the training split. */
export function epochOf(
  cfg: Pick<PipernoConfig, "batchSize">,
  data: Pick<ExtendedXorData, "train">,
  iteration: number,
): number {
  return Math.ceil(iteration / Math.ceil(data.train.inputs.length / cfg.batchSize));
}

/** Label of an architecture's rows. */
export function architectureLabel(a: PipernoArchitecture | "teacher"): string {
  return (
    (
      {
        teacher: "teacher MLP",
        classical: "classical student",
        hea: "HEA",
        universal: "universal",
        "universal-h": "universal + H",
      } as Record<string, string>
    )[a] ?? `q_${a.slice(1)}`
  );
}

/** The model specs: the teacher MLP and one student per architecture of `cfg.architectures`. */
export function pipernoSpecs(
  cfg: PipernoConfig,
  data: ExtendedXorData,
): { teacher: ModelSpec<Float64Array, TfClassifier>; students: ModelSpec<Float64Array, TfClassifier>[] } {
  const fit = pipernoFit(cfg, data);
  const dense = (units: number[], name: string) => (init: string) => new TfClassifier(mlp({ units, seed: init, name }));
  const teacher: ModelSpec<Float64Array, TfClassifier> = {
    id: "teacher",
    label: architectureLabel("teacher"),
    role: "teacher",
    nQubits: 0,
    nLayers: cfg.teacherUnits.length - 1,
    fit: { ...fit, lr: cfg.teacherLr },
    build: dense(cfg.teacherUnits, "teacher"),
  };
  const students = cfg.architectures.map((a): ModelSpec<Float64Array, TfClassifier> => {
    if (a === "classical") {
      return {
        id: "classical",
        label: architectureLabel(a),
        role: "student",
        nQubits: 0,
        nLayers: cfg.studentUnits.length - 1,
        fit,
        build: dense(cfg.studentUnits, "classical"),
      };
    }
    const { circuit, readout } = pipernoCircuit(a, cfg.nQubits, cfg.nLayers, cfg.ring);
    const readoutKind = cfg.readoutKind;
    return {
      id: a,
      label: architectureLabel(a),
      role: "student",
      nQubits: cfg.nQubits,
      nLayers: cfg.nLayers,
      fit,
      build: (init) =>
        new TfClassifier(
          tf.sequential({
            name: a,
            layers: [
              quantumLayer({
                circuit,
                readout,
                readoutKind,
                encoding: "amplitude",
                seed: tfSeed(init, "theta"),
                inputGradients: false,
                inputShape: [cfg.nBits],
              }),
              tf.layers.dense({
                units: 3,
                kernelInitializer: tf.initializers.glorotUniform({ seed: tfSeed(init, "head") }),
              }),
            ],
          }),
        ),
    };
  });
  return { teacher, students };
}

/**
 * The protocol plan of one seed: the teacher's logits distilled into every student; rows carry the test macro F1
 * (`f1`), the parameter count (`nParams`), the architecture, the epochs trained and the best epoch, and the readings
 * they ran under (`klReduction`, `restoreBest`, `earlyStoppingMetric`, `readoutKind`, `ring`, `rule`, `labelNoise`;
 * the α used is the rows' `alpha`).
 */
export function pipernoPlan(
  cfg: PipernoConfig,
  data: ExtendedXorData,
  seed: number,
): ProtocolPlan<Float64Array, TfClassifier> {
  const specs = pipernoSpecs(cfg, data);
  const split: SplitPair<Float64Array> = { train: data.train, test: data.test };
  return {
    seed,
    teacher: specs.teacher,
    teacherData: split,
    students: specs.students.map((s) => studentEntry(s, split)),
    kd: kdSettingsOf(cfg),
    rowExtra: (spec, t) => {
      const m = t.model as TfClassifier;
      return {
        architecture: spec.id,
        f1: macroF1(m, data.test, 3),
        nParams: m.nParams,
        epochs: epochOf(cfg, data, t.result.stoppedAt ?? t.result.iterations),
        bestEpoch: t.result.bestIteration === null ? null : epochOf(cfg, data, t.result.bestIteration),
        klReduction: cfg.klReduction,
        restoreBest: cfg.restoreBest,
        earlyStoppingMetric: cfg.earlyStoppingMetric,
        readoutKind: cfg.readoutKind,
        ring: cfg.ring,
        rule: cfg.rule,
        labelNoise: cfg.labelNoise,
      };
    },
  };
}

/** Runs one seed: data, teacher, every student without and with KD. */
export function runPiperno(
  cfg: PipernoConfig,
  seed: number,
  hooks: TrainHooks & { onStage?: (stage: string) => void; hooksFor?: HooksFor } = {},
): ProtocolResult<TfClassifier> & { data: ExtendedXorData } {
  const data = pipernoData(cfg, seed);
  return { ...runProtocol(pipernoPlan(cfg, data, seed), hooks), data };
}

/** What one seed's run returns across a worker thread: its rows and training histories. */
export interface PipernoSeedResult {
  seed: number;
  rows: ResultRow[];
  histories: Record<string, HistoryRow[]>;
}

/**
 * Runs several seeds, in parallel on `threads` worker threads (piscina; each seed in one thread, so the numbers do
 * not depend on the thread count), or in this thread when `threads` is 1.
 * @param opts.checkpointDir - checkpoint folder of a seed (resumable runs), or none.
 * @param opts.onSeedDone - called as each seed finishes (progress).
 * @returns the seeds' results in the order of `seeds`.
 */
export async function runPipernoSeeds(
  cfg: PipernoConfig,
  seeds: readonly number[],
  opts: {
    threads?: number;
    checkpointDir?: (seed: number) => string | null;
    onSeedDone?: (r: PipernoSeedResult) => void;
  } = {},
): Promise<PipernoSeedResult[]> {
  const threads = Math.max(1, Math.min(opts.threads ?? os.availableParallelism(), seeds.length));
  const task = (seed: number) => ({ cfg, seed, checkpointDir: opts.checkpointDir?.(seed) ?? null });
  const done = (r: PipernoSeedResult) => (opts.onSeedDone?.(r), r);
  if (threads === 1) {
    await useTfBackend();
    const out: PipernoSeedResult[] = [];
    for (const s of seeds) {
      const dir = opts.checkpointDir?.(s) ?? null;
      const r = runPiperno(cfg, s, dir ? { checkpointDir: dir } : {});
      out.push(done({ seed: s, rows: r.rows, histories: r.histories }));
    }
    return out;
  }
  const pool = new Piscina({
    filename: compiledFile(__dirname, "worker.js", "the Piperno worker script"),
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 1000,
  });
  try {
    return await Promise.all(seeds.map((s) => (pool.run(task(s)) as Promise<PipernoSeedResult>).then(done)));
  } finally {
    await pool.destroy();
  }
}

/** Test F1 of one architecture over seeds, without and with KD. */
export interface ArchitectureSummary {
  architecture: PipernoArchitecture | "teacher";
  nParams: number;
  paperParams: number | null;
  noKd: MeanStd & { variance: number };
  kd: (MeanStd & { variance: number }) | null;
  /** Mean KD gain (kd − noKd), null for the teacher. */
  gain: number | null;
}

/** Summaries of result rows (any number of seeds) per architecture, in the order of {@link PIPERNO_ARCHITECTURES}. */
export function summarise(rows: readonly ResultRow[]): ArchitectureSummary[] {
  const stat = (v: number[]) => {
    const m = meanStd(v);
    return { ...m, variance: m.std * m.std };
  };
  const out: ArchitectureSummary[] = [];
  for (const a of ["teacher", ...PIPERNO_ARCHITECTURES] as const) {
    const mine = rows.filter((r) => r.architecture === a);
    if (mine.length === 0) continue;
    const f1 = (kd: boolean) => mine.filter((r) => r.kd === kd).map((r) => r.f1 as number);
    const noKd = stat(f1(false)),
      kdRows = f1(true);
    const kd = kdRows.length ? stat(kdRows) : null;
    out.push({
      architecture: a,
      nParams: mine[0].nParams as number,
      paperParams: PIPERNO_PAPER_PARAMS[a] ?? null,
      noKd,
      kd,
      gain: kd ? kd.mean - noKd.mean : null,
    });
  }
  return out;
}

/** One checked claim part (the verdict engine's {@link ClaimPart}). */
export type PipernoClaimCheck = ClaimPart;

/**
 * What the F1 of the rows is, in words, from their `restoreBest` and `earlyStoppingMetric` fields: "test macro F1
 * (3 classes) of the last epoch's weights (early stopping on the validation cross-entropy)" at the defaults. Rows
 * without the fields were written before they existed, under best-weight restoring on validation macro F1.
 */
export function f1Measured(rows: readonly ResultRow[]): string {
  const kinds = [
    ...new Set(
      rows
        .filter((r) => r.role === "student")
        .map((r) => {
          const restore = (r.restoreBest as boolean | undefined) ?? true,
            metric = (r.earlyStoppingMetric as string | undefined) ?? "macroF1";
          const on = metric === "loss" ? "validation cross-entropy" : "validation macro F1";
          return restore
            ? `the weights restored at the best ${on} epoch (early stopping)`
            : `the last epoch's weights (early stopping on the ${on})`;
        }),
    ),
  ];
  return `test macro F1 (3 classes) of ${kinds.length ? kinds.join(" or ") : "the trained weights"}`;
}

/**
 * Checks the claims of Fig. 1 ({@link PIPERNO_PAPER_CLAIMS}) on the student rows of every seed (each row has
 * `architecture`, `kd`, `f1`, `seed`), with the verdict engine (`verdicts.ts`):
 * - **kdRaises**, per student: the paired KD − no KD test F1 (both arms share each seed's initialisation and
 *   batches) > 0; not testable when both arms sit at the F1 ceiling ({@link notAtCeiling}), where no gain can show;
 * - **classicalGainsMore**, per hybrid: the classical student's per-seed KD gains minus the hybrid's (different
 *   models: unpaired, Welch) > 0; not testable when the classical student is at the ceiling in both arms;
 * - **hybridsVaryMore**, per hybrid and arm (no KD, KD): var over seeds of the hybrid's F1 / the classical
 *   student's > 1.
 * @param rows - result rows of all seeds (teacher rows are ignored).
 * @throws Error if the classical student or every hybrid is missing, or an architecture lacks one of its arms.
 */
export function checkPipernoClaims(rows: readonly ResultRow[]): ClaimPart[] {
  const W = "checkPipernoClaims";
  const students = rows.filter((r) => r.role === "student" && r.architecture !== "teacher");
  const F1_MEASURED = f1Measured(students);
  const present = PIPERNO_ARCHITECTURES.filter((a) => students.some((r) => r.architecture === a));
  const hybrids = present.filter((a) => a !== "classical");
  if (!present.includes("classical") || hybrids.length === 0)
    throw new Error(`${W}: need the classical student and at least one hybrid, got ${JSON.stringify(present)}`);
  const f1 = (a: PipernoArchitecture, kd: boolean) =>
    seedValues(
      students,
      (r) => r.architecture === a && r.kd === kd,
      (r) => r.f1 as number | null,
    );
  const arms = new Map(
    present.map((a) => {
      const noKd = f1(a, false),
        kd = f1(a, true);
      if (noKd.length === 0 || kd.length === 0)
        throw new Error(`${W}: ${a} needs rows without and with KD, got ${noKd.length} and ${kd.length}`);
      return [a, { noKd, kd }] as const;
    }),
  );
  const n = (v: SeedValues) => `${v.length} seed${v.length === 1 ? "" : "s"}`;
  const nn = (a: SeedValues, b: SeedValues) => (a.length === b.length ? `${n(a)} per arm` : `${n(a)} and ${n(b)}`);
  const greater0: Direction = { kind: "greater", margin: 0 };
  const classical = arms.get("classical")!;
  const ceiling = (a: PipernoArchitecture) =>
    notAtCeiling(arms.get(a)!.kd, arms.get(a)!.noKd, a === "classical" ? "classical student's test F1" : "test F1");

  const kdRaises = present.map((a) => {
    const { kd, noKd } = arms.get(a)!;
    const part = pairedPart({
      claim: PIPERNO_PAPER_CLAIMS.kdRaises,
      test: `${architectureLabel(a)}: KD − no KD test F1 > 0`,
      measure: `${F1_MEASURED}, KD − no KD per seed, paired by seed (same initialisation and batches); mean over ${n(kd)}`,
      unit: "F1 difference",
      levelUnit: "F1",
      a: kd,
      b: noKd,
      labels: ["KD", "no KD"],
      direction: greater0,
      precondition: ceiling(a),
    });
    return { ...part, ours: `${architectureLabel(a)}: ${part.ours}` };
  });
  const gains = (a: PipernoArchitecture) => {
    const { kd, noKd } = arms.get(a)!;
    const base = new Map(noKd.map((x) => [x.seed, x.value]));
    return kd
      .filter((x) => base.has(x.seed))
      .map((x) => ({ seed: x.seed, value: x.value - (base.get(x.seed) as number) }));
  };
  const classicalGains = gains("classical");
  const classicalGainsMore = hybrids.map((a) => {
    const g = gains(a);
    return unpairedPart({
      claim: PIPERNO_PAPER_CLAIMS.classicalGainsMore,
      test: `classical gain − ${architectureLabel(a)} gain > 0`,
      measure:
        `KD gain (KD − no KD ${F1_MEASURED}) per seed; classical student's gains against the hybrid's, different models, ` +
        `unpaired (Welch); ${nn(classicalGains, g)}`,
      unit: "F1 difference",
      levelUnit: "F1 difference",
      a: classicalGains,
      b: g,
      labels: ["classical gain", `${architectureLabel(a)} gain`],
      direction: greater0,
      precondition: ceiling("classical"),
    });
  });
  const hybridsVaryMore = hybrids.flatMap((a) =>
    (["no KD", "KD"] as const).map((arm) => {
      const key = arm === "KD" ? "kd" : "noKd";
      const h = arms.get(a)![key],
        c = classical[key];
      return varianceRatioPart({
        claim: PIPERNO_PAPER_CLAIMS.hybridsVaryMore,
        test: `var(${architectureLabel(a)} F1) / var(classical F1) > 1, ${arm === "KD" ? "with" : "without"} KD`,
        measure: `sample variance over seeds of the ${F1_MEASURED}, ${arm}; hybrid over classical student; ${nn(h, c)}`,
        a: h,
        b: c,
        labels: [architectureLabel(a), "classical"],
        direction: { kind: "greater", margin: 1 },
      });
    }),
  );
  return [...kdRaises, ...classicalGainsMore, ...hybridsVaryMore];
}

/**
 * The claim that the data are not linearly separable, tested by construction: three linear scores
 * s_0 = 0, s_1 = x_0 − x_1 − ½, s_2 = x_1 − x_0 − ½ (argmax) classify every sample correctly, since the class depends
 * only on bits 0 and 1 (00, 11 → 0; 10 → 1; 01 → 2). A 64→3 softmax student can therefore fit the data exactly.
 * @returns the accuracy of these scores on the given samples (1 when the construction holds).
 */
export function linearSeparabilityCheck(split: {
  inputs: readonly ArrayLike<number>[];
  labels: readonly number[];
}): number {
  let ok = 0;
  split.inputs.forEach((x, i) => {
    const s = [0, x[0] - x[1] - 0.5, x[1] - x[0] - 0.5];
    const pred = s.indexOf(Math.max(...s));
    if (pred === split.labels[i]) ok++;
  });
  return ok / split.inputs.length;
}

/** Where these claims come from, for the scorecard (`claimRecords`). */
export const PIPERNO_SOURCE = Object.freeze({ paper: "Piperno et al.", figure: "Fig. 1" });

/**
 * Fig. 1's claim records (what the notebook writes to `claims.json`) from the result rows of all seeds
 * ({@link checkPipernoClaims}), on the rows of the defaults only (`variant` "defaults" or none): the readings' and
 * the harder-data study's rows are left out.
 */
export function pipernoClaimRecords(rows: readonly ResultRow[]): ClaimRecord[] {
  return claimRecords({ ...PIPERNO_SOURCE, checks: checkPipernoClaims(rowsOf(rows)) });
}

/** Short names of the claims, for the readings table's columns. */
export const PIPERNO_CLAIM_NAMES: Readonly<Record<string, string>> = Object.freeze({
  [PIPERNO_PAPER_CLAIMS.kdRaises]: "KD raises",
  [PIPERNO_PAPER_CLAIMS.classicalGainsMore]: "classical gains more",
  [PIPERNO_PAPER_CLAIMS.hybridsVaryMore]: "hybrids vary more",
});

// ---- readings of the open choices (docs/PARAMS.md, "Piperno et al.: readings of the open choices") -------------

/**
 * The alternative readings of docs/PARAMS.md, each one factor from the defaults ({@link PIPERNO_DEFAULTS}); the
 * result rows carry `variant` = the name:
 * - `kl-mean`: KL averaged over the batch like the CE (α = ½; the old reading);
 * - `restore-best`: the best validation epoch's weights restored at early stopping (the old reading);
 * - `monitor-f1`: early stopping monitors the validation macro F1 (the old reading);
 * - `q2-74`: q_2 with R_ZZ on a ring and its 4 basis-state probabilities → dense 4 → 3 (59 + 15 = 74 parameters,
 *   the paper's count), run for the classical student and q_2 only (the reading concerns q_2: "cannot hold for every
 *   model", PARAMS; the classical student, identical to the defaults', is there for the claims).
 */
export const PIPERNO_READINGS: readonly Reading<PipernoConfig>[] = checkReadings(
  "PIPERNO_READINGS",
  Object.freeze([
    { name: "kl-mean", label: "KL averaged over the batch (α = ½)", overrides: { klReduction: "mean" } },
    { name: "restore-best", label: "best weights restored at early stopping", overrides: { restoreBest: true } },
    {
      name: "monitor-f1",
      label: "early stopping on validation macro F1",
      overrides: { earlyStoppingMetric: "macroF1" },
    },
    {
      name: "q2-74",
      label: "q_2: ring + 4 probabilities → dense (74 parameters)",
      overrides: { ring: true, readoutKind: "probabilities", architectures: ["classical", "q2"] },
    },
  ] as Reading<PipernoConfig>[]),
  PIPERNO_DEFAULTS,
);

/**
 * The harder data of our own study (docs/PARAMS.md, "A project study, not a reading of the paper"): the same
 * protocol where a linear student cannot reach F1 = 1: labels replaced by another class with probability 0.1
 * (`label-noise-0.1`), and the class from the parity of the first three bits (`parity3`). Rows carry `variant` =
 * the name; their hypotheses are {@link PIPERNO_HYPOTHESES}, never paper claims.
 */
export const PIPERNO_HARDER_DATA: readonly Reading<PipernoConfig>[] = checkReadings(
  "PIPERNO_HARDER_DATA",
  Object.freeze([
    {
      name: "label-noise-0.1",
      label: "every label replaced by another class with probability 0.1",
      overrides: { labelNoise: 0.1 },
    },
    {
      name: "parity3",
      label: "class from the parity of bits 1–3 (not linearly separable)",
      overrides: { rule: "parity3" },
    },
  ] as Reading<PipernoConfig>[]),
  PIPERNO_DEFAULTS,
);

/**
 * Quick mode's further shrink for the readings and the harder data (on top of {@link PIPERNO_QUICK}): the classical
 * student and q_2 only, 15 epochs with patience 5 (a smoke test of the sections, not a measurement).
 */
export const PIPERNO_QUICK_STUDIES: Readonly<Partial<PipernoConfig>> = Object.freeze({
  architectures: ["classical", "q2"] as PipernoArchitecture[],
  epochs: 15,
  patience: 5,
});

/**
 * The configuration of a reading (or a harder-data setting): {@link pipernoConfig} with its overrides (on top of
 * {@link PIPERNO_QUICK_STUDIES} when `quick`).
 * @throws Error as {@link pipernoConfig}.
 */
export function readingConfig(reading: Pick<Reading<PipernoConfig>, "overrides">, quick = false): PipernoConfig {
  return pipernoConfig({ ...(quick ? PIPERNO_QUICK_STUDIES : {}), ...reading.overrides }, quick);
}

/**
 * Runs each reading (or harder-data setting) for each seed, with the seeds of a reading in parallel on worker
 * threads ({@link runPipernoSeeds}), and tags every row with `variant` = the reading's name (as `runReadings` does;
 * the teacher's rows included: each setting trains its own teacher).
 * @param configOf - a reading's configuration. @defaultValue {@link readingConfig} (not quick)
 * @param opts.checkpointDir - checkpoint folder of a reading and seed, or none.
 * @param opts.onDone - called after each reading and seed with the number done and the total.
 * @returns the rows of every reading and seed, reading by reading.
 */
export async function runPipernoReadings(
  readings: readonly Reading<PipernoConfig>[],
  seeds: readonly number[],
  opts: {
    configOf?: (r: Reading<PipernoConfig>) => PipernoConfig;
    threads?: number;
    checkpointDir?: (r: Reading<PipernoConfig>, seed: number) => string | null;
    onDone?: (done: number, total: number) => void;
  } = {},
): Promise<ResultRow[]> {
  const out: ResultRow[] = [];
  let done = 0;
  for (const reading of readings) {
    const cfg = (opts.configOf ?? ((r) => readingConfig(r)))(reading);
    const results = await runPipernoSeeds(cfg, seeds, {
      ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
      ...(opts.checkpointDir ? { checkpointDir: (s: number) => opts.checkpointDir!(reading, s) } : {}),
      onSeedDone: () => opts.onDone?.(++done, readings.length * seeds.length),
    });
    for (const r of results) for (const row of r.rows) out.push({ ...row, variant: reading.name });
  }
  return out;
}

/**
 * The readings table of Fig. 1 (`readingsTable` with the test macro F1 in place of the accuracy): one row per setting
 * present in `rows` (the defaults, then {@link PIPERNO_READINGS} in order), each model's test F1 × 100 as the mean
 * over seeds [95% interval], and the status of each claim decided on that setting's rows alone.
 * @param models - the models shown, as run labels ("classical student no KD", "q_2 + KD", …). @defaultValue every
 *   student of the rows, both arms
 * @throws Error when `rows` hold no defaults' rows.
 */
export function pipernoReadingsTable(
  rows: readonly ResultRow[],
  models?: readonly string[],
): Record<string, string | number>[] {
  const asScore = rows.map((r) => ({ ...r, testAccuracy: r.f1 as number | null }));
  const ms = models ?? [
    ...new Set(
      rowsOf(rows)
        .filter((r) => r.role === "student")
        .map(runLabel),
    ),
  ];
  const table = readingsTable(asScore, PIPERNO_READINGS, {
    models: ms,
    records: pipernoClaimRecords,
    claimNames: PIPERNO_CLAIM_NAMES,
  });
  const f1Column = / \(test %\)$/;
  return table.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) =>
        f1Column.test(k)
          ? [k.replace(f1Column, " (test F1 × 100)"), typeof v === "string" ? v.replace("%", "") : v]
          : [k, v],
      ),
    ),
  );
}

// ---- the harder-data study: our hypotheses (not claims of the paper) ------------------------------------------

/** Where the harder-data study's statements come from: OUR hypotheses (`kind: "hypothesis"`), not the paper's claims. */
export const PIPERNO_HARDER_SOURCE = Object.freeze({
  paper: "qnn-kd harder-data study (after Piperno et al. Fig. 1)",
  figure: "harder extended XOR (label noise 0.1, parity3)",
  kind: "hypothesis" as const,
});

/** Our hypotheses on the harder data ({@link PIPERNO_HARDER_DATA}). */
export const PIPERNO_HYPOTHESES = Object.freeze({
  classical: "KD raises the classical student's test F1 on the harder data",
  hybrids: "KD raises the hybrid students' test F1 on the harder data",
});

/**
 * Checks {@link PIPERNO_HYPOTHESES} on the rows of the harder-data settings (rows whose `variant` names a
 * {@link PIPERNO_HARDER_DATA} setting; other rows are ignored), per setting, with the verdict engine: the paired
 * KD − no KD test F1 (same initialisation and batches per seed) > 0, for the classical student (first hypothesis) and
 * for each hybrid student present (second); not testable when both arms sit at the F1 ceiling, or when a setting's
 * rows are missing.
 */
export function checkPipernoHypotheses(rows: readonly ResultRow[]): ClaimPart[] {
  const out: ClaimPart[] = [];
  for (const setting of PIPERNO_HARDER_DATA) {
    const mine = rowsOf(rows, setting.name).filter((r) => r.role === "student");
    const measured = `${f1Measured(mine)} on the ${setting.name} data`;
    const part = (claim: string, a: PipernoArchitecture) => {
      const test = `${setting.name}: ${architectureLabel(a)}: KD − no KD test F1 > 0`;
      const f1 = (kd: boolean) =>
        seedValues(
          mine,
          (r) => r.architecture === a && r.kd === kd,
          (r) => r.f1 as number | null,
        );
      const kd = f1(true),
        noKd = f1(false);
      const measure = `${measured}, KD − no KD per seed, paired by seed (same initialisation and batches)`;
      if (kd.length === 0 || noKd.length === 0) {
        return untestablePart({
          claim,
          test,
          measure,
          unit: "F1 difference",
          reason: `no rows of ${architectureLabel(a)} (both arms) on the ${setting.name} data`,
        });
      }
      const p = pairedPart({
        claim,
        test,
        measure: `${measure}; mean over ${kd.length} seed(s)`,
        unit: "F1 difference",
        levelUnit: "F1",
        a: kd,
        b: noKd,
        labels: ["KD", "no KD"],
        direction: { kind: "greater", margin: 0 },
        precondition: notAtCeiling(kd, noKd, `${architectureLabel(a)}'s test F1`),
      });
      return { ...p, ours: `${setting.name}, ${architectureLabel(a)}: ${p.ours}` };
    };
    out.push(part(PIPERNO_HYPOTHESES.classical, "classical"));
    const hybrids = PIPERNO_ARCHITECTURES.filter((a) => a !== "classical" && mine.some((r) => r.architecture === a));
    if (hybrids.length === 0) {
      out.push(
        untestablePart({
          claim: PIPERNO_HYPOTHESES.hybrids,
          test: `${setting.name}: hybrid students: KD − no KD test F1 > 0`,
          measure: `${measured}, KD − no KD per seed`,
          unit: "F1 difference",
          reason: `no rows of a hybrid student on the ${setting.name} data`,
        }),
      );
    } else for (const a of hybrids) out.push(part(PIPERNO_HYPOTHESES.hybrids, a));
  }
  return out;
}

/**
 * The harder-data runs as a table: per setting of {@link PIPERNO_HARDER_DATA} present in `rows` and per model
 * (teacher first), the mean test macro F1 over seeds without and with KD and the KD gain ({@link summarise}).
 */
export function harderDataTable(rows: readonly ResultRow[]): Record<string, string | number | null>[] {
  return PIPERNO_HARDER_DATA.flatMap((setting) =>
    summarise(rowsOf(rows, setting.name)).map((sm) => ({
      data: setting.name,
      model: architectureLabel(sm.architecture),
      "F1 no KD": sm.noKd.mean,
      "F1 KD": sm.kd?.mean ?? null,
      "KD gain": sm.gain,
      seeds: sm.noKd.n,
    })),
  );
}

/** The harder-data study's records (`kind: "hypothesis"`; written to `claims.json` beside Fig. 1's claims). */
export function pipernoHypothesisRecords(rows: readonly ResultRow[]): ClaimRecord[] {
  return claimRecords({ ...PIPERNO_HARDER_SOURCE, checks: checkPipernoHypotheses(rows) });
}

/** The registry entry of this experiment (`registry.ts`): its notebook and default seeds. */
export const EXPERIMENT: Experiment = {
  id: "piperno",
  title: "Piperno et al. Fig. 1: a classical MLP teacher distilled into classical and hybrid quantum students",
  notebook: "notebooks/piperno-fig1.ipynb",
  defaultSeeds: 12,
};
