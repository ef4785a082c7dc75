/**
 * Piperno et al. Fig. 1, the settings: the architectures, {@link PipernoConfig} with its defaults and quick overrides,
 * the seeds, and the readings of the open choices and the harder-data study as configuration variants
 * (docs/PARAMS.md). The paper's module doc is `experiment.ts`.
 *
 * @packageDocumentation
 */
import { READOUT_KINDS, type ReadoutKind } from "../../hybrid/quantumLayer";
import { XOR_RULES, type XorRule } from "../../datasets/xor";
import { Reading, checkReadings } from "../readings";
import { checkOneOf, checkSettings, withDefaults } from "../../util/options";
import type { DistillationOptions } from "../../kd/losses";

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
 * The seeds a run of the notebook (or a sweep) uses: `requested` seeds from `cfg.seed` when more than one is asked
 * for (`--seeds`), else the config's `nSeeds` (12 in full mode).
 */
export function runSeeds(cfg: Pick<PipernoConfig, "seed" | "nSeeds">, requested: number): number[] {
  return pipernoSeeds({ seed: cfg.seed, nSeeds: requested > 1 ? requested : cfg.nSeeds });
}

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
