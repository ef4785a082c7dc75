/**
 * Yan et al., Fig. 4: 15-qubit ZXZ phase classification, test accuracy against student depth (Sec. III.1).
 *
 * Teacher: 15 qubits × 10 layers. Students: 15 qubits × 1, 2 and 3 layers, each trained with and without KD
 * from the same initialisation (same batches too); students train for 50 iterations of random batches of 64,
 * the teacher longer. The paper shows only a figure; its qualitative claims are {@link FIG4_PAPER_CLAIMS} and
 * {@link checkFig4Claims} compares our numbers with them.
 *
 * Every value is an option of {@link Fig4Config}, set once in {@link FIG4_DEFAULTS} (from
 * `docs/PARAMS.md`: "stated", "inferred" or "chosen" per value), overridden for quick runs by
 * {@link FIG4_QUICK}; {@link FIG4_SHARP_TEACHER} is the sharp-teacher variant found for Table 1. The notebook
 * `notebooks/yan-fig4.ipynb` calls the steps one by one; {@link runFig4} runs them all.
 */
import type { ZxzDataset } from "../../datasets/zxz";
import { ZxzDataConfig, ZxzDataOptions, checkZxzDataConfig, zxzDataKey, zxzDataOf, zxzDataOfAsync } from "./zxzData";
import { ResultRow } from "../results";
import {
  DepthSweepConfig,
  checkSweepConfig,
  SweepRun,
  SweepRunHooks,
  resolveReadout as resolveSweepReadout,
  runFigureSweep,
  sweepArms,
  kdGainPart,
  sweepClaimRecords,
  DEPTH_SWEEP_TEACHER_SETTINGS,
} from "./depthSweep";
import { selectReadings, type Reading } from "../readings";
import { defaultsVariant, seedUnits, type SeedRun, type SeedStudy } from "../seedUnits";
import { teacherAndNoKdShared, yanReadings, zxzSplits } from "../specs";
export {
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
export type { SweepAccuracies, SweepArms } from "./depthSweep";
import { withDefaults } from "../../util/options";
import type { ClaimRecord } from "../claims";
import { ClaimPart, Direction, SeedValues, levelPart, pairedPart, unpairedPart } from "../verdicts";
import type { Experiment } from "../entry";

/**
 * The qualitative claims of Yan et al. Fig. 4 (PARAMS.md; the figure's numbers are not in the text), one per
 * student depth.
 */
export const FIG4_PAPER_CLAIMS: Readonly<Record<1 | 2 | 3, string>> = Object.freeze({
  1: "1 layer: modest KD gain",
  2: "2 layers: the KD student reaches near-perfect accuracy, above the non-KD student and above the teacher",
  3: "3 layers: the non-KD student catches up and the KD student drops slightly",
});

/** Short names of the claims of {@link FIG4_PAPER_CLAIMS}, for table columns. */
export const FIG4_CLAIM_NAMES: Readonly<Record<string, string>> = Object.freeze({
  [FIG4_PAPER_CLAIMS[1]]: "1 L: modest gain",
  [FIG4_PAPER_CLAIMS[2]]: "2 L: near-perfect, above both",
  [FIG4_PAPER_CLAIMS[3]]: "3 L: catches up, drops",
});

/**
 * All settings of the Fig. 4 experiment: the depth-sweep settings ({@link DepthSweepConfig}; their Fig. 4 values
 * and where each comes from are in {@link FIG4_DEFAULTS}) plus the ZXZ data.
 */
export interface Fig4Config extends DepthSweepConfig, ZxzDataConfig {
  /**
   * The seed of the ground states (their h1 values), shared by every seed of a run: the notebook repeats the sweep
   * for seeds `seed`, `seed + 1`, … on the ground states of its first seed. null in the defaults: `seed`, resolved by
   * {@link fig4Config}, so that `{ ...cfg, seed: s }` keeps the first seed's states. `"per-seed"`: every seed draws
   * its own states (Table 1's design; the reading `data-per-seed`). @defaultValue the seed
   */
  dataSeed: number | "per-seed" | null;
}

/** Paper settings and our documented choices (PARAMS.md), each marked stated / inferred / chosen below. */
export const FIG4_DEFAULTS: Readonly<Fig4Config> = Object.freeze({
  nQubits: 15, // stated: the ZXZ chain, the teacher and every student
  nTrain: 1000, // chosen: PARAMS.md; the 2000 states at 15 qubits take under a minute once, then load from the cache
  nTest: 1000, // chosen: PARAMS.md
  h1Min: 0, // chosen: h1 ~ U[0, 2)
  h1Max: 2,
  J: 1, // inferred
  h2: 0, // inferred
  teacherLayers: 10, // stated
  teacherIterations: 50, // stated: "All training runs consist of 50 iterations" (PARAMS.md readings)
  teacherLr: 0.01, // the students' learning rate and StepLR step (one optimiser paragraph for all)
  teacherStepSize: 20,
  studentLayers: Object.freeze([1, 2, 3]) as unknown as number[], // stated
  studentIterations: 50, // stated
  batchSize: 64, // stated
  lr: 0.01, // chosen
  weightDecay: 1e-4, // chosen
  stepSize: 20, // chosen: StepLR every 20 iterations
  gamma: 0.5, // chosen
  T: 2, // chosen (the paper's value is lost)
  alpha: 0.5, // chosen (the paper's value is lost)
  scaleT2: true, // chosen: Hinton's T² factor
  alphaOn: "kl", // chosen: α on the KL term (PARAMS.md readings)
  // PARAMS.md readings: the last two qubits of the chain (MindQuantum's classification tutorial); negative entries
  // count from the end (−1 = the last qubit), so the quick mode's 9-qubit chain reads its last two qubits too
  readout: Object.freeze([-2, -1]) as unknown as number[],
  teacherReadout: null, // the students' readout
  teacherLogitScale: 1, // Eq. 2: unscaled ⟨Z⟩
  studentLogitScale: 1, // Eq. 2
  finalRotationLayer: true, // PARAMS.md readings: MindQuantum's HardwareEfficientAnsatz
  initLow: 0, // "uniform" (stated); the interval chosen: U[0, 2π)
  initHigh: 2 * Math.PI,
  kdTarget: "logits", // Eq. 7: the logits of the teacher
  seed: 0,
  dataSeed: null, // chosen: the ground states of the run's first seed, for every seed (the notebook's design)
  // chosen: train and test accuracy every 10 iterations and after the last one (each evaluation costs one forward
  // per train and test state, about 5 ms each at 15 qubits × 10 layers)
  evalEvery: 10,
});

/**
 * Overrides for `--quick` (CI and classrooms): a 9-qubit chain (not the paper's 15), 60 + 60 states, a 3-layer
 * teacher trained 40 iterations. The students keep their 1, 2, 3 layers and 50 iterations.
 */
export const FIG4_QUICK: Readonly<Partial<Fig4Config>> = Object.freeze({
  nQubits: 9,
  nTrain: 60,
  nTest: 60,
  teacherLayers: 3,
  teacherIterations: 40,
});

/**
 * "Sharp teacher" variant (our choice, not the paper's), the bundle found for Table 1, kept beside its single
 * factors ({@link FIG4_READINGS}): the teacher's logits scaled by 10 (a cross-entropy temperature of 0.1), readout
 * on the last two qubits (now the default), teacher lr 0.05 with a StepLR step of 50, α = 0.9, and KD from the
 * teacher's unscaled ⟨Z⟩ (as the variant was defined before the KD target became a reading).
 */
export const FIG4_SHARP_TEACHER: Readonly<Partial<Fig4Config>> = Object.freeze({
  teacherLogitScale: 10,
  readout: Object.freeze([-2, -1]) as unknown as number[],
  teacherLr: 0.05,
  teacherStepSize: 50,
  alpha: 0.9,
  kdTarget: "expectations",
});

/**
 * The readings of docs/PARAMS.md as Fig. 4 variants: every single factor of {@link yanReadings}, the
 * teacher's length (100 iterations, our value until 2026-12-06), then the sharp-teacher bundle. Names are the rows' `variant`. At about 8 minutes a seed each, the notebook measures the
 * factors named in its ablation section (those that moved a Table 1 or Fig. 5 result beyond its interval).
 */
export const FIG4_READINGS: readonly Reading<Fig4Config>[] = yanReadings(
  "FIG4_READINGS",
  [
    { name: "teacher-100", label: "teacher 100 iterations", overrides: { teacherIterations: 100 } },
    { name: "data-per-seed", label: "ground states drawn per seed", overrides: { dataSeed: "per-seed" } },
  ],
  FIG4_SHARP_TEACHER,
  FIG4_DEFAULTS,
);

/**
 * The readings the notebook's Section 8 measures by default (about 8 minutes a seed each): the factors that moved
 * a Table 1 result beyond its interval in the 5-seed run of 2026-12-06 (`movingReadings`: the final rotation
 * layer, lr 0.1, the teacher's logit scale, α on the cross-entropy, the latter with the α = 0.9 reading it is
 * measured against; README, "Readings"), and those that moved a Fig. 5 result beyond its interval in Fig. 5's
 * readings section (5 seeds, 2026-12-07 and 2026-12-08): the readout on qubits 0 and 1 (the non-KD students at 6 and
 * 7 layers and the KD student at 8) and θ ~ U[0, 1) (the teacher, both students at 7 layers and the KD student at 8).
 * Fig. 5's other readings join this list as they run and move a result.
 */
export const FIG4_ABLATED: readonly string[] = Object.freeze([
  "readout-first",
  "no-final-rotation",
  "init-0-1",
  "lr-0.1",
  "teacher-scale-10",
  "alpha-0.9",
  "alpha-0.9-on-ce",
]);

/**
 * The readings the notebook's Section 8 runs: those named by `selection` (the syntax of `QNN_KD_READINGS`, e.g.
 * `"lr-0.1,no-T2"` or `"none"`), or {@link FIG4_ABLATED} when it is empty or undefined.
 * @throws Error naming a reading that {@link FIG4_READINGS} does not have.
 */
export function fig4Readings(selection?: string): Reading<Fig4Config>[] {
  if (selection === undefined || selection.trim() === "")
    return FIG4_READINGS.filter((r) => FIG4_ABLATED.includes(r.name));
  return selectReadings(FIG4_READINGS, selection, "fig4Readings");
}

/** Checks every setting: the data through {@link checkZxzDataConfig}, the sweep through {@link checkSweepConfig}. */
function checkConfig(c: Fig4Config): Fig4Config {
  const w = "fig4Config";
  checkZxzDataConfig(w, c);
  checkSweepConfig(w, c);
  const ds = c.dataSeed;
  if (ds !== null && ds !== "per-seed" && !(Number.isInteger(ds) && ds >= 0))
    throw new Error(`${w}: dataSeed must be an integer ≥ 0, "per-seed" or null (the seed), got ${JSON.stringify(ds)}`);
  return c;
}

/**
 * The configuration: defaults, then the quick overrides when `quick`, then `overrides`.
 * @throws Error for an unknown option or a bad value (quoted).
 */
export function fig4Config(overrides: Partial<Fig4Config> = {}, quick = false): Fig4Config {
  const base = quick ? { ...FIG4_DEFAULTS, ...FIG4_QUICK } : { ...FIG4_DEFAULTS };
  const c = withDefaults("fig4Config", base as Fig4Config, overrides);
  const copy = <T>(v: T): T => (Array.isArray(v) ? ([...v] as T) : v);
  const checked = checkConfig({ ...c, studentLayers: copy(c.studentLayers), readout: copy(c.readout) });
  return { ...checked, dataSeed: checked.dataSeed ?? checked.seed };
}

/**
 * The readout qubits of `cfg` as indices in [0, nQubits): negative entries count from the end.
 * @throws Error for an index out of range or two equal qubits.
 */
export function resolveReadout(cfg: Pick<Fig4Config, "readout" | "nQubits">): number[] {
  return resolveSweepReadout(cfg, "fig4Config");
}

/**
 * The ZXZ dataset of the experiment (Lanczos ground states above 8 qubits, cached on disk after the first run:
 * 1000 + 1000 states at 15 qubits take under a minute once, then a second or two to read).
 */
export function fig4Data(cfg: Fig4Config, opts: ZxzDataOptions = {}): ZxzDataset {
  return zxzDataOf(dataSettings(cfg), opts);
}

/** The data settings of a configuration: its own, with the seed of its ground states ({@link Fig4Config.dataSeed}). */
function dataSettings(cfg: Fig4Config): Fig4Config {
  return { ...cfg, seed: typeof cfg.dataSeed === "number" ? cfg.dataSeed : cfg.seed };
}

/**
 * The ground states of each configuration, given those of one (`base`, `data`): `data` when the configuration loads
 * the same states (sizes, h1, J, h2 and the seed of its states, {@link Fig4Config.dataSeed}), else
 * {@link fig4Data} of it (from the cache).
 */
export function fig4DataFor(base: Fig4Config, data: ZxzDataset): (cfg: Fig4Config) => ZxzDataset {
  const key = (c: Fig4Config) => zxzDataKey(dataSettings(c));
  return (cfg) => (key(cfg) === key(base) ? data : fig4Data(cfg));
}

/** {@link fig4Data} that yields to the event loop after each ground state (progress displays update meanwhile). */
export function fig4DataAsync(cfg: Fig4Config, opts: ZxzDataOptions = {}): Promise<ZxzDataset> {
  return zxzDataOfAsync(dataSettings(cfg), opts);
}

/** Thresholds of {@link checkFig4Claims}, as accuracy fractions. */
export interface Fig4ClaimTolerances {
  /** "Near-perfect" means a mean test accuracy above this. @defaultValue 0.97 */
  nearPerfect: number;
  /** A "modest" gain is below this. @defaultValue 0.1 */
  modestGain: number;
  /** A "slight" drop is below this. @defaultValue 0.05 */
  slightDrop: number;
  /** "Catches up": the KD lead at 3 layers is below this. @defaultValue 0.01 (ten test states of 1000) */
  closed: number;
  /** A teacher at or above this mean test accuracy cannot be beaten by a measurable margin. @defaultValue 0.995 */
  ceiling: number;
}

/** Default tolerances of {@link checkFig4Claims}. */
export const FIG4_CLAIM_TOLERANCES: Readonly<Fig4ClaimTolerances> = Object.freeze({
  nearPerfect: 0.97,
  modestGain: 0.1,
  slightDrop: 0.05,
  closed: 0.01,
  ceiling: 0.995,
});

/** One checked part of a paper claim, about one student depth (the project's {@link ClaimPart} with `nLayers`). */
export type ClaimCheck = ClaimPart & { nLayers: number };

const FINAL = "test accuracy (%) at the final iteration";

/**
 * Checks the claims of Fig. 4 ({@link FIG4_PAPER_CLAIMS}) over the seeds of `rows` (the sweep's result rows of all
 * seeds; `variant` selects a variant's rows, e.g. "sharp-teacher"), each part by the verdict engine (paired where
 * the KD and non-KD students share initialisation and batches):
 * - 1 layer: KD − no KD > 0 points; and < `modestGain` (modest);
 * - 2 layers: the KD student's mean > `nearPerfect`; KD − no KD > 0; KD student − teacher > 0 (unpaired, Welch),
 *   with the precondition that the teacher is beatable (its mean below `ceiling`);
 * - 3 layers: "catches up" as a KD lead at 2 layers that closes at 3 — precondition: the 2-layer KD − no KD part
 *   holds; the lead shrinks (gain at 2 − gain at 3 > 0, paired) and is below `closed` at 3 layers — and "drops
 *   slightly": KD at 2 − KD at 3 layers > 0 and < `slightDrop` (paired).
 * KD − no KD parts carry the ceiling precondition (not both arms ≥ 99.5%).
 * @throws Error if a depth of 1, 2 or 3 has no rows, or for an unknown tolerance.
 */
export function checkFig4Claims(
  rows: readonly ResultRow[],
  opts: { variant?: string; tolerances?: Partial<Fig4ClaimTolerances> } = {},
): ClaimCheck[] {
  const tol = withDefaults("checkFig4Claims", { ...FIG4_CLAIM_TOLERANCES }, opts.tolerances);
  const arms = sweepArms(rows, opts.variant);
  const at = (L: number) => {
    const noKd = arms.student(L, false),
      kd = arms.student(L, true);
    if (noKd.length === 0 || kd.length === 0)
      throw new Error(`checkFig4Claims: no student with ${L} layer(s) (depths given: ${JSON.stringify(arms.depths)})`);
    return { noKd, kd };
  };
  const [, s2, s3] = [at(1), at(2), at(3)]; // every depth present, or a clear error
  const pts = (v: number) => 100 * v;
  const gain = (L: number, direction: Direction, test: string, claim: string): ClaimCheck =>
    kdGainPart(arms, L, { claim, test, direction, final: FINAL });
  const c1 = FIG4_PAPER_CLAIMS[1],
    c2 = FIG4_PAPER_CLAIMS[2],
    c3 = FIG4_PAPER_CLAIMS[3];
  const lead2 = gain(2, { kind: "greater", margin: 0 }, "KD − no KD > 0 points at 2 layers", c2);
  const leads = lead2.status === "holds";
  const leadPre = {
    text: "KD leads at 2 layers (the 2-layer KD − no KD part holds)",
    holds: leads,
    ...(leads ? {} : { reason: `no KD lead at 2 layers to close (that part is ${lead2.status})` }),
  };
  const diff = (a: SeedValues, b: SeedValues) =>
    a.map((x) => ({ seed: x.seed, value: x.value - (b.find((y) => y.seed === x.seed)?.value ?? NaN) }));
  const g2 = diff(s2.kd, s2.noKd),
    g3 = diff(s3.kd, s3.noKd);
  const teacherMean = arms.teacher.reduce((a, x) => a + x.value, 0) / arms.teacher.length;
  const beatable = teacherMean < tol.ceiling;
  return [
    gain(1, { kind: "greater", margin: 0 }, "KD − no KD > 0 points at 1 layer", c1),
    gain(
      1,
      { kind: "less", margin: pts(tol.modestGain) },
      `KD − no KD < ${pts(tol.modestGain)} points at 1 layer (modest)`,
      c1,
    ),
    levelPart({
      claim: c2,
      test: `KD student > ${pts(tol.nearPerfect)}% at 2 layers (near-perfect)`,
      nLayers: 2,
      measure: `${FINAL}, the KD student, mean over seeds`,
      unit: "accuracy (%)",
      scale: 100,
      values: s2.kd,
      direction: { kind: "greater", margin: pts(tol.nearPerfect) },
      label: "KD student",
    }) as ClaimCheck,
    lead2,
    unpairedPart({
      claim: c2,
      test: "KD student − teacher > 0 points at 2 layers",
      nLayers: 2,
      measure: `${FINAL}, the 2-layer KD student against the teacher (different models: unpaired, Welch)`,
      unit: "accuracy points",
      scale: 100,
      a: s2.kd,
      b: arms.teacher,
      direction: { kind: "greater", margin: 0 },
      labels: ["KD student", "teacher"],
      levelUnit: "accuracy (%)",
      precondition: {
        text: `the teacher is beatable (mean test accuracy < ${pts(tol.ceiling)}%)`,
        holds: beatable,
        ...(beatable
          ? {}
          : {
              reason: `the teacher is at ${pts(teacherMean).toFixed(1)}% (≥ ${pts(tol.ceiling)}%): nothing measurable lies above it`,
            }),
      },
    }) as ClaimCheck,
    pairedPart({
      claim: c3,
      test: "the KD lead shrinks from 2 to 3 layers: (KD − no KD at 2) − (KD − no KD at 3) > 0 points",
      nLayers: 3,
      measure: `${FINAL}: per seed, the KD − no KD gain at 2 layers minus that at 3 layers`,
      unit: "accuracy points",
      scale: 100,
      a: g2,
      b: g3,
      direction: { kind: "greater", margin: 0 },
      labels: ["gain at 2", "gain at 3"],
      precondition: leadPre,
    }) as ClaimCheck,
    {
      ...gain(
        3,
        { kind: "less", margin: pts(tol.closed) },
        `KD − no KD < ${pts(tol.closed)} point(s) at 3 layers (the non-KD student caught up)`,
        c3,
      ),
      ...(leads ? {} : { status: "not testable", precondition: leadPre.text, reason: leadPre.reason }),
    } as ClaimCheck,
    pairedPart({
      claim: c3,
      test: "the KD student drops from 2 to 3 layers: KD at 2 − KD at 3 > 0 points",
      nLayers: 3,
      measure: `${FINAL}, the KD student at 2 minus at 3 layers per seed (paired: the seed's streams)`,
      unit: "accuracy points",
      scale: 100,
      a: s2.kd,
      b: s3.kd,
      direction: { kind: "greater", margin: 0 },
      labels: ["KD at 2", "KD at 3"],
      levelUnit: "accuracy (%)",
    }) as ClaimCheck,
    pairedPart({
      claim: c3,
      test: `the drop is slight: KD at 2 − KD at 3 < ${pts(tol.slightDrop)} points`,
      nLayers: 3,
      measure: `${FINAL}, the KD student at 2 minus at 3 layers per seed`,
      unit: "accuracy points",
      scale: 100,
      a: s2.kd,
      b: s3.kd,
      direction: { kind: "less", margin: pts(tol.slightDrop) },
      labels: ["KD at 2", "KD at 3"],
    }) as ClaimCheck,
  ];
}

/** Everything {@link runFig4} produces. */
export type Fig4Result = SweepRun<Fig4Config>;

/**
 * Runs the whole Fig. 4 sweep on given data (or loads it): teacher, then each student depth without and with KD.
 * @param hooks.onStage - called with a stage name before each stage.
 * @throws Error when the data's qubit count differs from `cfg.nQubits`.
 */
export function runFig4(
  cfg: Fig4Config,
  hooks: SweepRunHooks & { cacheDir?: string; data?: ZxzDataset } = {},
): Fig4Result {
  hooks.onStage?.("data");
  const { data: given, cacheDir, ...sweepHooks } = hooks;
  const data = given ?? fig4Data(cfg, cacheDir ? { cacheDir } : {});
  return runFigureSweep("runFig4", cfg, { splits: zxzSplits(data), nQubits: data.nQubits }, sweepHooks);
}

/**
 * One seed of one setting as the notebook's multi-seed and readings sections run it and `qnn-kd sweep fig4`'s units
 * do: {@link runFig4} with checkpoints in the given folder, its rows.
 * @param dataFor - the ground states of a configuration (e.g. {@link fig4DataFor}). @defaultValue {@link fig4Data}
 */
export function fig4SeedRun(dataFor: (cfg: Fig4Config) => ZxzDataset = (c) => fig4Data(c)): SeedRun<Fig4Config> {
  return (cfg, checkpointDir) => runFig4(cfg, { checkpointDir, data: dataFor(cfg) }).rows;
}

/**
 * What the notebook runs on every seed, and `qnn-kd sweep fig4`'s units (`Experiment.units`) compute: the defaults,
 the sharp-teacher variant, then the readings of its readings section ({@link fig4Readings} of the selection), each seed a
 * `SeedUnitResult` ({@link fig4SeedRun}: the rows and every model's final checkpoint).
 */
export const FIG4_STUDY: SeedStudy<Fig4Config> = {
  where: "FIG4_UNITS",
  configOf: fig4Config,
  variants: (selection) => [
    defaultsVariant(),
    { name: "sharp-teacher", overrides: FIG4_SHARP_TEACHER },
    ...fig4Readings(selection),
  ],
  run: fig4SeedRun(),
  sharedModels: teacherAndNoKdShared<Fig4Config>(DEPTH_SWEEP_TEACHER_SETTINGS),
};

/** fig4's work units: {@link FIG4_STUDY} × the run's seeds. */
export const FIG4_UNITS = seedUnits(FIG4_STUDY);

/** Where these claims come from, for the scorecard (`claimRecords`). */
export const FIG4_SOURCE = Object.freeze({ paper: "Yan et al.", figure: "Fig. 4" });

/**
 * The claim records of this figure (what the notebook writes to `claims.json`) from the sweep's result rows of all
 * seeds: the defaults' rows and the sharp-teacher variant's, each checked by {@link checkFig4Claims}.
 */
export function fig4ClaimRecords(rows: readonly ResultRow[]): ClaimRecord[] {
  return sweepClaimRecords(FIG4_SOURCE, rows, checkFig4Claims);
}

/** The registry entry of this experiment (`registry.ts`): its notebook and default seeds. */
export const EXPERIMENT: Experiment = {
  id: "fig4",
  title: "Yan et al. Fig. 4: 15-qubit ZXZ, test accuracy against student depth",
  notebook: "notebooks/yan-fig4.ipynb",
  defaultSeeds: 5,
  units: FIG4_UNITS,
};
