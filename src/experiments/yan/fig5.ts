/**
 * Yan et al., Fig. 5: classical inputs — MNIST "1" vs "5" through PCA bits and the phase encoder (Sec. III.2).
 *
 * Every "1" and "5" of MNIST (12,163 train, 2,027 test), pixels / 255, a PCA with 15 components fitted on the
 * training images, one bit per component (raw PCA score > 0.5, as the text says; PARAMS.md readings), each bit phase-encoded
 * on its own qubit (|+⟩ for 0, |−⟩ for 1). Teacher: 15 qubits × 10 layers. Students: 15 qubits × 4, 5, 6, 7 and
 * 8 layers, each trained with and without KD from the same initialisation and on the same batches; 350
 * iterations of random batches of 64 for every model. The figure plots train and test accuracy against student
 * depth; the paper marks a plateau at 0.92. Its qualitative claims are {@link FIG5_PAPER_CLAIMS};
 * {@link checkFig5Claims} compares our numbers with them.
 *
 * **Simulation.** The phase-encoded inputs are product states, kept as {@link ProductState}s (one per distinct
 * bit pattern). The classifier simulates only the backward light cone of the readout (`sim/program/lightcone.ts`): with
 * readout on qubits 0 and 1 that is L + 2 qubits for L layers (6 to 10 for the students, 12 for the teacher); with
 * the default readout on the last two qubits, whose ⟨Z⟩ after the CNOT chain are parity strings of every qubit,
 * the cone is the whole register (15 qubits).
 *
 * Every value is an option of {@link Fig5Config}, set once in {@link FIG5_DEFAULTS}, overridden for quick runs
 * by {@link FIG5_QUICK}. The notebook `notebooks/yan-fig5.ipynb` calls the steps one by one; {@link runFig5} runs
 * them all.
 */
import { QNNClassifier, QuantumInput } from "../../qnn/classifier";
import { hardwareEfficientAnsatz } from "../../qnn/ansatz";
import { lightCone } from "../../sim/program/lightcone";
import { phaseEncodeProduct } from "../../qnn/encoders";
import { ProductState } from "../../sim/state/product";
import { LabelledData } from "../../train/fit";
import { preprocessOneVsFive, PreprocessedOneVsFive } from "../../datasets/preprocess";
import { ResultRow } from "../results";
import {
  DepthSweepConfig,
  checkSweepConfig,
  SweepRun,
  SweepRunHooks,
  resolveReadout,
  runFigureSweep,
  sweepArms,
  kdGainPart,
  sweepClaimRecords,
  DEPTH_SWEEP_TEACHER_SETTINGS,
} from "./depthSweep";
import { selectReadings, settingOf, type Reading } from "../readings";
import { defaultsVariant, seedUnits, type SeedRun, type SeedStudy } from "../seedUnits";
import { teacherAndNoKdShared, yanReadings } from "../specs";
export {
  resolveReadout,
  sweepSpecs,
  sweepPlan,
  sweepModels,
  accuraciesOf,
  studentId,
  studentLabel,
  seedAccuracies,
  softTargetStats,
  sweepArms,
} from "./depthSweep";
export type { SweepAccuracies } from "./depthSweep";
import { withDefaults, checkOneOf, checkSettings } from "../../util/options";
import type { ClaimRecord } from "../claims";
import { ClaimPart, levelPart, unpairedPart } from "../verdicts";
import type { Experiment } from "../entry";

/** The plateau Yan et al. draw in Fig. 5: the non-KD student's test accuracy from 4 to 7 layers. */
export const FIG5_PAPER_PLATEAU = 0.92;

/** The qualitative claims of Fig. 5 (PARAMS.md; the figure's other numbers are not in the text). */
export const FIG5_PAPER_CLAIMS = Object.freeze({
  plateau: "the non-KD student's test accuracy is flat at 0.92 from 4 to 7 layers",
  kdHigher: "the KD student's test accuracy is higher than the non-KD student's at every depth",
  kdRises: "the KD student's test accuracy rises with depth",
  approachTeacher: "at 8 layers both students approach the teacher",
});

/** Short names of the claims of {@link FIG5_PAPER_CLAIMS}, for table columns. */
export const FIG5_CLAIM_NAMES: Readonly<Record<string, string>> = Object.freeze({
  [FIG5_PAPER_CLAIMS.plateau]: "no KD flat at 92%",
  [FIG5_PAPER_CLAIMS.kdHigher]: "KD higher at every depth",
  [FIG5_PAPER_CLAIMS.kdRises]: "KD rises with depth",
  [FIG5_PAPER_CLAIMS.approachTeacher]: "both approach the teacher",
});

/**
 * All settings of the Fig. 5 experiment: the depth-sweep settings ({@link DepthSweepConfig}; their Fig. 5 values
 * and where each comes from are in {@link FIG5_DEFAULTS}) plus the data pipeline.
 */
export interface Fig5Config extends DepthSweepConfig {
  /**
   * Scaling of the PCA scores before the threshold: "raw" (default: the text binarises the PCA output directly) or
   * "minmax" (each component scaled to [0, 1] on the training images; our reading until 2026-12-06, the reading
   * `bits-minmax`). PARAMS.md, "Yan et al.: readings", "Fig. 5 bits".
   */
  scaling: "raw" | "minmax";
  /** Bit threshold, bit = scaled value > threshold (stated: 0.5). */
  threshold: number;
  /** The digits; `digits[0]` → label 0 (stated: "1" vs "5"). */
  digits: [number, number];
  /** At most this many images per split, first in file order (null: all 12,163 + 2,027; quick runs only). */
  limit: number | null;
}

/**
 * Paper settings and our documented choices (PARAMS.md, "Classical inputs: MNIST 1 vs 5" and "Training"), each
 * marked stated / inferred / chosen below.
 */
export const FIG5_DEFAULTS: Readonly<Fig5Config> = Object.freeze({
  nQubits: 15, // inferred: qubits = PCA components = bits, one bit per qubit; the paper's models have 15 qubits
  scaling: "raw", // stated: "the continuous-valued output vector is binarized … any value greater than 0.5 is set to 1" (PARAMS.md readings)
  threshold: 0.5, // stated
  digits: Object.freeze([1, 5]) as unknown as [number, number], // stated: "1" → label 0, "5" → label 1
  limit: null, // stated: every 1 and 5 (12,163 train, 2,027 test)
  teacherLayers: 10, // stated
  teacherIterations: 350, // stated: 350 iterations for the models
  teacherLr: 0.01, // chosen: the students' learning rate
  teacherStepSize: 100, // chosen: the students' StepLR step
  studentLayers: Object.freeze([4, 5, 6, 7, 8]) as unknown as number[], // stated
  studentIterations: 350, // stated
  batchSize: 64, // stated
  lr: 0.01, // chosen (TensorCircuit's MNIST 1-vs-5 tutorial)
  weightDecay: 1e-4, // chosen
  stepSize: 100, // chosen: StepLR every 100 iterations
  gamma: 0.5, // chosen
  T: 2, // chosen (the paper's value is lost)
  alpha: 0.5, // chosen (the paper's value is lost)
  scaleT2: true, // chosen: Hinton's T² factor
  alphaOn: "kl", // chosen: α on the KL term (PARAMS.md readings)
  // PARAMS.md readings: the last two qubits of the chain (MindQuantum's classification tutorial)
  readout: Object.freeze([-2, -1]) as unknown as number[],
  teacherReadout: null, // the students' readout
  teacherLogitScale: 1, // Eq. 2: unscaled ⟨Z⟩ logits
  studentLogitScale: 1, // Eq. 2
  finalRotationLayer: true, // PARAMS.md readings: MindQuantum's HardwareEfficientAnsatz
  initLow: 0, // "uniform" (stated); the interval chosen: U[0, 2π)
  initHigh: 2 * Math.PI,
  kdTarget: "logits", // Eq. 7: the logits of the teacher
  seed: 0,
  // chosen: train (all training images) and test accuracy every 50 iterations and after the last; with one
  // simulation per distinct bit pattern an evaluation of the 10-layer teacher takes about 1–2 s
  evalEvery: 50,
});

/**
 * Overrides for `--quick` (CI and classrooms): 8 qubits (8 PCA components: with the readout on the last qubits
 * every model simulates its whole register, 2^15 amplitudes at the paper's 15), the first 2,000 training and 500
 * test images, a 4-layer teacher, students of 2, 3 and 4 layers, 60 iterations each.
 */
export const FIG5_QUICK: Readonly<Partial<Fig5Config>> = Object.freeze({
  nQubits: 8,
  limit: 2000,
  teacherLayers: 4,
  teacherIterations: 60,
  teacherStepSize: 30,
  studentLayers: Object.freeze([2, 3, 4]) as unknown as number[],
  studentIterations: 60,
  stepSize: 30,
  evalEvery: 20,
});

/**
 * "Sharp teacher" variant (our choice, not the paper's), kept as a named combination beside its single factors
 * ({@link FIG5_READINGS}): the teacher's logits scaled by 10 (a cross-entropy temperature of 0.1; unscaled ⟨Z⟩
 * cap a two-class softmax at p ≈ 0.88), a teacher lr of 0.05 with a StepLR step of 150, and KD from the teacher's
 * unscaled ⟨Z⟩ (as the variant was defined before the KD target became a reading); T = 2, α = 0.5.
 */
export const FIG5_SHARP_TEACHER: Readonly<Partial<Fig5Config>> = Object.freeze({
  teacherLogitScale: 10,
  teacherLr: 0.05,
  teacherStepSize: 150,
  kdTarget: "expectations",
});

/**
 * The readings of docs/PARAMS.md as Fig. 5 variants, one factor at a time: the depth sweeps' single factors
 * ({@link yanReadings}), the binarisation (min-max scaling before the threshold), then the sharp-teacher
 * bundle. Names are the rows' `variant`.
 */
export const FIG5_READINGS: readonly Reading<Fig5Config>[] = yanReadings(
  "FIG5_READINGS",
  [
    {
      name: "bits-minmax",
      label: "PCA scores min-max scaled before the 0.5 threshold",
      overrides: { scaling: "minmax" },
    },
  ],
  FIG5_SHARP_TEACHER,
  FIG5_DEFAULTS,
);

/** Checks every setting (numbers through `util/options` `checkSettings`; the sweep's through {@link checkSweepConfig}). */
function checkConfig(c: Fig5Config): Fig5Config {
  const w = "fig5Config";
  checkSettings(w, c, {
    nQubits: { kind: "positiveInt", min: 2, max: 26 },
    threshold: "number",
    digits: { kind: "nonNegativeInts", max: 9, length: 2 },
    limit: { kind: "positiveInt", min: 2, nullable: true },
  });
  if (c.digits[0] === c.digits[1])
    throw new Error(`${w}: digits must be two distinct digits, got ${JSON.stringify(c.digits)}`);
  checkOneOf(w, "scaling", c.scaling, ["raw", "minmax"] as const);
  checkSweepConfig(w, c);
  return c;
}

/**
 * The configuration: defaults, then the quick overrides when `quick`, then `overrides`.
 * @throws Error for an unknown option or a bad value (quoted, with what is allowed).
 */
export function fig5Config(overrides: Partial<Fig5Config> = {}, quick = false): Fig5Config {
  const base = quick ? { ...FIG5_DEFAULTS, ...FIG5_QUICK } : { ...FIG5_DEFAULTS };
  const c = withDefaults("fig5Config", base as Fig5Config, overrides);
  const copy = <T>(v: T): T => (Array.isArray(v) ? ([...v] as T) : v);
  return checkConfig({ ...c, studentLayers: copy(c.studentLayers), readout: copy(c.readout), digits: copy(c.digits) });
}

/** The best accuracy any classifier of the bits can reach (fractions; see {@link bitPatternCeiling}). */
export interface BitCeiling {
  /** Distinct bit patterns among the training and the test images. */
  distinctTrain: number;
  distinctTest: number;
  /** Training accuracy of the majority label of each training pattern: no function of the bits does better. */
  train: number;
  /** Test accuracy of that rule (unseen test patterns get the training majority label). */
  test: number;
  /** Test accuracy of the majority label of each test pattern: no function of the bits does better on test. */
  testOracle: number;
  /**
   * Every rule of one bit, bit by bit (label = b_i, then label = 1 − b_i), with its accuracies; the best of them
   * is {@link bestOneBitRule}. A baseline for the QNNs: a model that learned only such a rule sits at its accuracies.
   */
  oneBitRules: OneBitRule[];
}

/** A rule of one bit: label = b_i (`inverted` false) or label = 1 − b_i, with its accuracies (fractions). */
export interface OneBitRule {
  bit: number;
  inverted: boolean;
  train: number;
  test: number;
}

function majorityCounts(bits: readonly ArrayLike<number>[], labels: readonly number[]): Map<string, [number, number]> {
  const m = new Map<string, [number, number]>();
  bits.forEach((b, i) => {
    const k = Array.from(b).join("");
    const c = m.get(k) ?? [0, 0];
    c[labels[i]]++;
    m.set(k, c);
  });
  return m;
}

/**
 * How well any classifier that sees only the bits can do: images with the same bit pattern get the same
 * prediction, so the majority label per pattern is optimal. A QNN on phase-encoded bits is such a classifier.
 * @throws Error if a split is empty, lengths differ, or a label is not 0/1.
 */
export function bitPatternCeiling(
  train: { bits: readonly ArrayLike<number>[]; labels: readonly number[] },
  test: { bits: readonly ArrayLike<number>[]; labels: readonly number[] },
): BitCeiling {
  for (const [name, s] of [
    ["train", train],
    ["test", test],
  ] as const) {
    if (s.bits.length === 0 || s.bits.length !== s.labels.length) {
      throw new Error(
        `bitPatternCeiling: ${name} has ${s.bits.length} bit vectors and ${s.labels.length} labels (need equal, non-zero counts)`,
      );
    }
    const bad = s.labels.find((l) => l !== 0 && l !== 1);
    if (bad !== undefined) throw new Error(`bitPatternCeiling: ${name} label ${JSON.stringify(bad)} is not 0 or 1`);
  }
  const tr = majorityCounts(train.bits, train.labels),
    te = majorityCounts(test.bits, test.labels);
  const ones = train.labels.filter((l) => l === 1).length;
  const fallback = ones * 2 > train.labels.length ? 1 : 0;
  let trainOk = 0,
    testOk = 0,
    oracle = 0;
  for (const c of tr.values()) trainOk += Math.max(c[0], c[1]);
  for (const [k, c] of te) {
    oracle += Math.max(c[0], c[1]);
    const t = tr.get(k);
    const pred = t ? (t[1] > t[0] ? 1 : 0) : fallback;
    testOk += c[pred];
  }
  return {
    distinctTrain: tr.size,
    distinctTest: te.size,
    train: trainOk / train.labels.length,
    test: testOk / test.labels.length,
    testOracle: oracle / test.labels.length,
    oneBitRules: oneBitRules(train, test),
  };
}

/** {@link BitCeiling.oneBitRules}: label = b_i and label = 1 − b_i for every bit i, on both splits. */
function oneBitRules(
  train: { bits: readonly ArrayLike<number>[]; labels: readonly number[] },
  test: { bits: readonly ArrayLike<number>[]; labels: readonly number[] },
): OneBitRule[] {
  const agree = (s: typeof train, i: number) => s.bits.filter((b, k) => b[i] === s.labels[k]).length / s.labels.length;
  const out: OneBitRule[] = [];
  for (let i = 0; i < train.bits[0].length; i++) {
    const a = agree(train, i),
      t = agree(test, i);
    out.push({ bit: i, inverted: false, train: a, test: t }, { bit: i, inverted: true, train: 1 - a, test: 1 - t });
  }
  return out;
}

/**
 * The best rule of one bit: the one with the highest training accuracy, i.e. the bit and the direction chosen on the
 * training images (the first in `rules`' order on ties: the lowest bit, label = b_i before 1 − b_i).
 * @param rules - {@link BitCeiling.oneBitRules}.
 * @throws Error when `rules` is empty.
 */
export function bestOneBitRule(rules: readonly OneBitRule[]): OneBitRule {
  if (rules.length === 0) throw new Error("bestOneBitRule: rules is empty; a ceiling of b ≥ 1 bits has 2b rules");
  return rules.reduce((best, r) => (r.train > best.train ? r : best));
}

/**
 * Which models ended exactly at a rule of one bit ({@link BitCeiling.oneBitRules}): per variant and model (in the
 * order of `rows`: the teacher, then each student depth without and with KD), how many of its seeds have a rule's
 * training *and* test accuracy, i.e. the same counts of correctly classified images (within half an image). Equal
 * counts do not prove equal predictions; on thousands of images two exact matches make a coincidence unlikely.
 * A baseline reading of Fig. 5's plateau, not a claim check.
 * @param rows - result rows (`variant`, `model`, `kd`, `trainAccuracy`, `testAccuracy` as fractions).
 * @param rules - the rules to look for ({@link BitCeiling.oneBitRules} of the data the rows ran on).
 * @param nTrain - training images (the training accuracies' denominator).
 * @param nTest - test images (the test accuracies' denominator).
 * @returns one table row per variant and model: `variant`, `model`, `KD` ("yes"/"no"), `seeds`, then one column
 *   `at <rule>` (e.g. "at 1 − b0", see {@link oneBitRuleName}) per rule that some row ends at, the rules by training
 *   accuracy (highest first), and `at none`.
 * @throws Error if `nTrain` or `nTest` is not a positive integer.
 */
export function oneBitRuleRows(
  rows: readonly ResultRow[],
  rules: readonly OneBitRule[],
  nTrain: number,
  nTest: number,
): Record<string, unknown>[] {
  for (const [name, n] of [
    ["nTrain", nTrain],
    ["nTest", nTest],
  ] as const) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`oneBitRuleRows: ${name} must be a positive integer, got ${n}`);
  }
  const same = (acc: number | null, rule: number, n: number) => acc !== null && Math.abs(acc - rule) * n < 0.5;
  const ruleOf = (r: ResultRow) =>
    rules.find((u) => same(r.trainAccuracy, u.train, nTrain) && same(r.testAccuracy, u.test, nTest));
  const groups = new Map<string, { variant: string; model: string; kd: boolean; seeds: number; at: OneBitRule[] }>();
  const hit = new Set<OneBitRule>();
  for (const r of rows) {
    const variant = settingOf(r);
    const key = JSON.stringify([variant, r.model, r.kd]);
    const g = groups.get(key) ?? { variant, model: r.model, kd: r.kd, seeds: 0, at: [] };
    g.seeds++;
    const u = ruleOf(r);
    if (u) {
      g.at.push(u);
      hit.add(u);
    }
    groups.set(key, g);
  }
  const columns = [...hit].sort((x, y) => y.train - x.train);
  return [...groups.values()].map((g) => ({
    variant: g.variant,
    model: g.model,
    KD: g.kd ? "yes" : "no",
    seeds: g.seeds,
    ...Object.fromEntries(columns.map((u) => [`at ${oneBitRuleName(u)}`, g.at.filter((x) => x === u).length])),
    "at none": g.seeds - g.at.length,
  }));
}

/** The data of the experiment: preprocessed bits and their phase-encoded product states. */
export interface Fig5Data {
  /** The preprocessing result (PCA, explained variance, bit balance, bits, labels, cache info). */
  preprocessed: PreprocessedOneVsFive;
  /** Phase-encoded inputs, one {@link ProductState} object per distinct bit pattern (shared by equal images). */
  train: LabelledData<QuantumInput>;
  test: LabelledData<QuantumInput>;
  /** What any function of the bits can reach. */
  ceiling: BitCeiling;
}

/**
 * Loads MNIST 1 vs 5, fits the PCA and thresholds the bits ({@link preprocessOneVsFive}, cached: about 5 s the
 * first time, milliseconds after), then phase-encodes each distinct bit pattern once.
 * @param opts.cacheDir - preprocessing cache folder (see {@link preprocessOneVsFive}).
 * @throws Error for MNIST files that fail the reader's checks.
 */
export function fig5Data(cfg: Fig5Config, opts: { cacheDir?: string | null } = {}): Fig5Data {
  const pre = preprocessOneVsFive({
    nComponents: cfg.nQubits,
    scaling: cfg.scaling,
    threshold: cfg.threshold,
    digits: cfg.digits,
    limit: cfg.limit,
    ...(opts.cacheDir !== undefined ? { cacheDir: opts.cacheDir } : {}),
  });
  const states = new Map<string, ProductState>();
  const encode = (b: Uint8Array) => {
    const k = b.join("");
    let s = states.get(k);
    if (!s) {
      s = phaseEncodeProduct(b);
      states.set(k, s);
    }
    return s;
  };
  return {
    preprocessed: pre,
    train: { inputs: pre.train.bits.map(encode), labels: pre.train.labels },
    test: { inputs: pre.test.bits.map(encode), labels: pre.test.labels },
    ceiling: bitPatternCeiling(pre.train, pre.test),
  };
}

/** A rule of one bit as written in the tables: "b3" (label = b_3) or "1 − b0" (label = 1 − b_0). */
export function oneBitRuleName(rule: OneBitRule): string {
  return `${rule.inverted ? "1 − " : ""}b${rule.bit}`;
}

/** A {@link BitCeiling} as a table row labelled `scaling` (the columns the notebook shows). */
export function ceilingRow(scaling: string, c: BitCeiling): Record<string, unknown> {
  const best = bestOneBitRule(c.oneBitRules);
  return {
    scaling,
    "distinct train patterns": c.distinctTrain,
    "best train acc.": c.train,
    "majority-rule test acc.": c.test,
    "best test acc.": c.testOracle,
    "best one-bit rule": oneBitRuleName(best),
    "its test acc.": best.test,
  };
}

/**
 * Per model depth of the experiment (each student depth, then the teacher's): the backward light cone of the
 * readout qubits (its qubits and kept gates) and what any classifier of the bits inside it can reach on `bits`
 * (see {@link bitPatternCeiling}).
 */
export function lightConeRows(
  cfg: Fig5Config,
  bits: { train: { bits: Uint8Array[]; labels: number[] }; test: { bits: Uint8Array[]; labels: number[] } },
): Record<string, unknown>[] {
  return [...cfg.studentLayers, cfg.teacherLayers].map((L) => {
    const lc = lightCone(
      hardwareEfficientAnsatz({ nQubits: cfg.nQubits, nLayers: L, finalRotationLayer: cfg.finalRotationLayer }),
      resolveReadout(cfg),
    );
    const seen = (sp: { bits: Uint8Array[]; labels: number[] }) => ({
      bits: sp.bits.map((b) => lc.qubits.map((q) => b[q])),
      labels: sp.labels,
    });
    const c = bitPatternCeiling(seen(bits.train), seen(bits.test));
    return {
      model: L === cfg.teacherLayers ? "teacher" : "student",
      layers: L,
      "light-cone qubits": lc.qubits.length,
      "gates kept": `${lc.keptGates} of ${lc.totalGates}`,
      "best train acc. on those bits": c.train.toFixed(3),
      "majority-rule test acc.": c.test.toFixed(3),
    };
  });
}

/**
 * The largest difference between the logits of a model of `nLayers` layers (parameter stream `seed`) on the
 * phase-encoded product states of `bits` (simulated on the readout's light cone) and on the same inputs as full
 * `2^nQubits`-amplitude statevectors: zero up to rounding.
 */
export function lightConeLogitGap(
  nQubits: number,
  nLayers: number,
  bits: readonly Uint8Array[],
  seed: number | string = 1,
): number {
  const m = QNNClassifier.hardwareEfficient({ nQubits, nLayers, seed });
  const xs = bits.map((b) => phaseEncodeProduct(b));
  const a = m.logitsBatch(xs),
    b = m.logitsBatch(xs.map((x) => x.toStatevector()));
  return Math.max(...a.flatMap((z, i) => Array.from(z, (v, k) => Math.abs(v - b[i][k]))));
}

/** Test accuracies of one sweep (or their means over seeds), the input of {@link checkFig5Claims}. */
export interface Fig5Accuracies {
  teacher: number;
  students: { nLayers: number; noKd: number; kd: number }[];
}

/** Thresholds of {@link checkFig5Claims}, as accuracy fractions. */
export interface Fig5ClaimTolerances {
  /** "Flat at 0.92": the non-KD mean test accuracy at each depth from 4 to 7 within this of 0.92. @defaultValue 0.02 */
  plateau: number;
  /** "Approach the teacher": teacher − student below this at the deepest depth. @defaultValue 0.02 */
  approach: number;
}

/** Default tolerances of {@link checkFig5Claims}. */
export const FIG5_CLAIM_TOLERANCES: Readonly<Fig5ClaimTolerances> = Object.freeze({ plateau: 0.02, approach: 0.02 });

/** One checked part of a paper claim (the project's {@link ClaimPart}). */
export type Fig5ClaimCheck = ClaimPart;

/** Least-squares slope of y against x. */
function slope(x: readonly number[], y: readonly number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length,
    my = y.reduce((a, b) => a + b, 0) / y.length;
  let num = 0,
    den = 0;
  x.forEach((xi, i) => {
    num += (xi - mx) * (y[i] - my);
    den += (xi - mx) ** 2;
  });
  return num / den;
}

const FINAL5 = "test accuracy (%) after the last iteration";

/**
 * Checks the claims of Fig. 5 ({@link FIG5_PAPER_CLAIMS}) over the seeds of `rows` (the sweep's rows of all seeds;
 * `variant` picks a variant's rows), each part by the verdict engine:
 * (1) the non-KD student's mean within ±`plateau` of 0.92 at each depth from 4 to 7 present (a band);
 * (2) KD − no KD > 0 at every depth (paired; ceiling precondition);
 * (3) "rises": the per-seed least-squares slope of the KD student's accuracy against depth > 0 points per layer;
 * (4) at the deepest depth, teacher − student < `approach` for both students (unpaired, Welch).
 * @throws Error for fewer than two student depths, or an unknown tolerance.
 */
export function checkFig5Claims(
  rows: readonly ResultRow[],
  opts: { variant?: string; tolerances?: Partial<Fig5ClaimTolerances> } = {},
): Fig5ClaimCheck[] {
  const tol = withDefaults("checkFig5Claims", { ...FIG5_CLAIM_TOLERANCES }, opts.tolerances);
  const arms = sweepArms(rows, opts.variant);
  const depths = arms.depths;
  if (depths.length < 2)
    throw new Error(`checkFig5Claims: need at least two student depths, got ${JSON.stringify(depths)}`);
  const pct = (v: number) => 100 * v;
  const out: Fig5ClaimCheck[] = [];
  for (const L of depths.filter((d) => d >= 4 && d <= 7)) {
    out.push(
      levelPart({
        claim: FIG5_PAPER_CLAIMS.plateau,
        test: `non-KD within ${pct(FIG5_PAPER_PLATEAU)} ± ${pct(tol.plateau)}% at ${L} layers`,
        nLayers: L,
        measure: `${FINAL5}, the non-KD student, mean over seeds`,
        unit: "accuracy (%)",
        scale: 100,
        values: arms.student(L, false),
        label: "non-KD",
        direction: {
          kind: "within",
          low: pct(FIG5_PAPER_PLATEAU - tol.plateau),
          high: pct(FIG5_PAPER_PLATEAU + tol.plateau),
        },
      }),
    );
  }
  for (const L of depths) {
    const test = `KD − no KD > 0 points at ${L} layers`;
    const direction = { kind: "greater", margin: 0 } as const;
    out.push(kdGainPart(arms, L, { claim: FIG5_PAPER_CLAIMS.kdHigher, test, direction, final: FINAL5 }));
  }
  const seeds = arms.student(depths[0], true).map((x) => x.seed);
  const slopes = seeds.flatMap((seed) => {
    const y = depths.map((L) => arms.student(L, true).find((x) => x.seed === seed)?.value);
    return y.every((v) => v !== undefined) ? [{ seed, value: slope(depths, y as number[]) }] : [];
  });
  out.push(
    levelPart({
      claim: FIG5_PAPER_CLAIMS.kdRises,
      test: `slope of the KD student's accuracy against depth (${depths[0]}–${depths[depths.length - 1]} layers) > 0`,
      measure: `${FINAL5} of the KD student: per seed, the least-squares slope over the depths`,
      unit: "accuracy points per layer",
      scale: 100,
      values: slopes,
      direction: { kind: "greater", margin: 0 },
      label: "slope",
    }),
  );
  const last = depths[depths.length - 1];
  for (const [kd, who] of [
    [false, "non-KD"],
    [true, "KD"],
  ] as const) {
    out.push(
      unpairedPart({
        claim: FIG5_PAPER_CLAIMS.approachTeacher,
        test: `teacher − ${who} student < ${pct(tol.approach)} points at ${last} layers`,
        nLayers: last,
        measure: `${FINAL5}, the teacher against the ${who} student (different models: unpaired, Welch)`,
        unit: "accuracy points",
        scale: 100,
        a: arms.teacher,
        b: arms.student(last, kd),
        direction: { kind: "less", margin: pct(tol.approach) },
        labels: ["teacher", `${who} student`],
        levelUnit: "accuracy (%)",
      }),
    );
  }
  return out;
}

/** Everything {@link runFig5} produces. */
export type Fig5Result = SweepRun<Fig5Config>;

/**
 * Runs the whole Fig. 5 sweep on given data (or loads it): teacher, then each student depth without and with KD.
 * @param hooks.onStage - called with a stage name before each stage.
 * @throws Error when the data's qubit count differs from `cfg.nQubits`.
 */
export function runFig5(
  cfg: Fig5Config,
  hooks: SweepRunHooks & { cacheDir?: string | null; data?: Fig5Data } = {},
): Fig5Result {
  hooks.onStage?.("data");
  const { data: given, cacheDir, ...sweepHooks } = hooks;
  const data = given ?? fig5Data(cfg, cacheDir !== undefined ? { cacheDir } : {});
  const nQubits = (data.train.inputs[0] as ProductState | undefined)?.nQubits;
  return runFigureSweep("runFig5", cfg, { splits: data, nQubits }, sweepHooks);
}

/**
 * The readings the notebook's Section 8 runs: every reading of {@link FIG5_READINGS} but the sharp-teacher bundle
 * (its own section), or those named by `selection` (the syntax of `QNN_KD_READINGS`; `"none"`: no reading).
 * @throws Error naming a reading that is not one of them.
 */
export function fig5Readings(selection?: string): Reading<Fig5Config>[] {
  return selectReadings(
    FIG5_READINGS.filter((r) => r.name !== "sharp-teacher"),
    selection,
    "fig5Readings",
  );
}

/**
 * The data of each configuration, given those of one (`base`, `data`): `data` when the configuration builds the same
 * images and bits (qubits, scaling, threshold, digits, limit), else {@link fig5Data} of it (read from the PCA cache).
 */
export function fig5DataFor(base: Fig5Config, data: Fig5Data): (cfg: Fig5Config) => Fig5Data {
  const key = (c: Fig5Config) => JSON.stringify([c.nQubits, c.scaling, c.threshold, c.digits, c.limit]);
  return (cfg) => (key(cfg) === key(base) ? data : fig5Data(cfg));
}

/**
 * One seed of one setting as the notebook's multi-seed and readings sections run it and `qnn-kd sweep fig5`'s units
 * do: {@link runFig5} with checkpoints in the given folder, its rows.
 * @param dataFor - the data of a configuration (e.g. {@link fig5DataFor}). @defaultValue {@link fig5Data}
 */
export function fig5SeedRun(dataFor: (cfg: Fig5Config) => Fig5Data = (c) => fig5Data(c)): SeedRun<Fig5Config> {
  return (cfg, checkpointDir) => runFig5(cfg, { data: dataFor(cfg), checkpointDir }).rows;
}

/**
 * What the notebook runs on every seed, and `qnn-kd sweep fig5`'s units (`Experiment.units`) compute: the defaults,
 the sharp-teacher variant, then the readings of its readings section ({@link fig5Readings} of the selection), each seed a
 * `SeedUnitResult` ({@link fig5SeedRun}: the rows and every model's final checkpoint).
 */
export const FIG5_STUDY: SeedStudy<Fig5Config> = {
  where: "FIG5_UNITS",
  configOf: fig5Config,
  variants: (selection) => [
    defaultsVariant(),
    { name: "sharp-teacher", overrides: FIG5_SHARP_TEACHER },
    ...fig5Readings(selection),
  ],
  run: fig5SeedRun(),
  sharedModels: teacherAndNoKdShared<Fig5Config>(DEPTH_SWEEP_TEACHER_SETTINGS),
};

/** fig5's work units: {@link FIG5_STUDY} × the run's seeds. */
export const FIG5_UNITS = seedUnits(FIG5_STUDY);

/** Where these claims come from, for the scorecard (`claimRecords`). */
export const FIG5_SOURCE = Object.freeze({ paper: "Yan et al.", figure: "Fig. 5" });

/**
 * The claim records of this figure (what the notebook writes to `claims.json`) from the sweep's result rows of all
 * seeds: the defaults' rows and the sharp-teacher variant's, each checked by {@link checkFig5Claims}.
 */
export function fig5ClaimRecords(rows: readonly ResultRow[]): ClaimRecord[] {
  return sweepClaimRecords(FIG5_SOURCE, rows, checkFig5Claims);
}

/** The registry entry of this experiment (`registry.ts`): its notebook and default seeds. */
export const EXPERIMENT: Experiment = {
  id: "fig5",
  title: "Yan et al. Fig. 5: MNIST 1 vs 5 (PCA bits, phase encoding), accuracy against student depth",
  notebook: "notebooks/yan-fig5.ipynb",
  defaultSeeds: 5,
  units: FIG5_UNITS,
};
