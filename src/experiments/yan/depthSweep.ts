/**
 * The depth sweep shared by Yan et al. Fig. 4 (ZXZ ground states) and Fig. 5 (MNIST 1 vs 5): a teacher QNN of
 * `teacherLayers` layers, then students of each depth in `studentLayers`, each trained without and with KD from
 * the same initialisation and on the same batches, so that the difference between the two is the loss alone.
 *
 * Models are hardware-efficient QNN classifiers on `nQubits` qubits with two readout qubits (⟨Z⟩ as the logits,
 * Eq. 2). Random streams (all derived from `cfg.seed`): `<seed>/teacher` (initialisation), `<seed>/teacher-batches`,
 * `<seed>/student-L<n>` (the initialisation shared by the KD and non-KD students of depth n) and
 * `<seed>/student-L<n>-batches`.
 *
 * @packageDocumentation
 */
import { QNNClassifier, QuantumInput } from "../../qnn/classifier";
import { HistoryRow } from "../../train/fit";
import { ResultRow } from "../results";
import {
  HooksFor,
  ModelSpec,
  OPTIMISER_KD_RULES,
  OptimiserSettings,
  ProtocolPlan,
  SplitPair,
  StudentPair,
  TrainHooks,
  Trained,
  iterationFit,
  kdSettingsOf,
  runProtocol,
  studentEntry,
} from "../protocol";
import type { DistillationOptions } from "../../kd/losses";
import { QnnReadings, checkQnnReadings, distilFromFor, hardwareEfficientSpec } from "../specs";
import { DEFAULTS_SETTING, rowsOf } from "../readings";
import { ClaimRecord, claimRecords } from "../claims";
import { ClaimPart, Direction, notAtCeiling, pairedPart, seedValues } from "../verdicts";
import { checkInt, checkReadout, checkSettings } from "../../util/options";
import { meanStd } from "../seeds";

/** The settings a depth sweep reads (Fig4Config and Fig5Config extend it). */
export interface DepthSweepConfig extends OptimiserSettings, DistillationOptions, QnnReadings {
  /** Qubits of the teacher and of every student. */
  nQubits: number;
  /** Teacher layers, iterations, learning rate and StepLR step. */
  teacherLayers: number;
  teacherIterations: number;
  teacherLr: number;
  teacherStepSize: number;
  /** Student depths (layers), each trained with and without KD. */
  studentLayers: number[];
  /** Student iterations (batches of `batchSize`). */
  studentIterations: number;
  /**
   * The two readout qubits of the students and, unless `teacherReadout` is set, of the teacher; negative entries
   * count from the end (−1 = the last qubit).
   */
  readout: number[];
  /** The teacher's readout qubits when they differ from `readout` (negative entries from the end); null = `readout`. */
  teacherReadout: number[] | null;
  /** Logit scales s (logits = s·⟨Z⟩) of the teacher and of the students; what KD distils is `kdTarget`. */
  teacherLogitScale: number;
  studentLogitScale: number;
  /** Master seed of every random stream. */
  seed: number;
}

/**
 * The fields of a depth sweep only its teacher reads ({@link sweepSpecs}: its depth, iterations, lr, StepLR step,
 * readout and logit scale); with the KD settings, what the students without KD never read (`teacherAndNoKdShared`).
 */
export const DEPTH_SWEEP_TEACHER_SETTINGS = Object.freeze([
  "teacherLayers",
  "teacherIterations",
  "teacherLr",
  "teacherStepSize",
  "teacherReadout",
  "teacherLogitScale",
] as const);

/**
 * The readout qubits of `cfg` as indices in [0, nQubits): negative entries count from the end.
 * @param where - the name used in error messages (the configuration function). @defaultValue "config"
 * @throws Error for an index out of range or two equal qubits.
 */
export function resolveReadout(cfg: Pick<DepthSweepConfig, "readout" | "nQubits">, where = "config"): number[] {
  return checkReadout(where, "readout", cfg.readout, cfg.nQubits, { length: 2, fromEnd: true });
}

/** The teacher's readout qubits as indices in [0, nQubits): `teacherReadout`, or `readout` when it is null. */
export function resolveTeacherReadout(
  cfg: Pick<DepthSweepConfig, "readout" | "teacherReadout" | "nQubits">,
  where = "config",
): number[] {
  return cfg.teacherReadout === null
    ? resolveReadout(cfg, where)
    : checkReadout(where, "teacherReadout", cfg.teacherReadout, cfg.nQubits, { length: 2, fromEnd: true });
}

/**
 * Checks the depth-sweep settings of a configuration with `util/options` `checkSettings`: layers, iterations,
 * StepLR steps, batch size and `evalEvery` integers ≥ 1, learning rates, T and logit scales > 0, α ∈ [0, 1], weight
 * decay ≥ 0, γ ∈ (0, 1], a non-empty list of student depths ≥ 1, seed an integer ≥ 0, and two distinct readout
 * qubits (`checkReadout`); the caller checks `nQubits` (first) and its own fields.
 * @param where - the configuration function's name, used in the messages.
 * @throws Error naming the bad setting, its value and what is allowed.
 */
export function checkSweepConfig(where: string, c: DepthSweepConfig): void {
  checkSettings(where, c, {
    teacherLayers: "positiveInt",
    teacherIterations: "positiveInt",
    teacherStepSize: "positiveInt",
    teacherLr: "learningRate",
    teacherLogitScale: "positive",
    studentLayers: "positiveInts",
    studentIterations: "positiveInt",
    studentLogitScale: "positive",
    ...OPTIMISER_KD_RULES,
    seed: "nonNegativeInt",
  });
  resolveReadout(c, where);
  resolveTeacherReadout(c, where);
  checkQnnReadings(where, c);
}

/**
 * The run labels (`runLabel`) of a sweep's models in table order: the teacher, then each depth's student without
 * and with KD ("student (4 layers) no KD", "student (4 layers) + KD", …).
 */
export function sweepModels(cfg: Pick<DepthSweepConfig, "studentLayers">): string[] {
  return ["teacher", ...cfg.studentLayers.flatMap((L) => [`${studentLabel(L)} no KD`, `${studentLabel(L)} + KD`])];
}

/** The stream id of the student of depth `nLayers`: "student-L<n>" (shared by its KD and non-KD runs). */
export function studentId(nLayers: number): string {
  return `student-L${nLayers}`;
}

/** The label of a student row: "student (1 layer)", "student (4 layers)". */
export function studentLabel(nLayers: number): string {
  return `student (${nLayers} layer${nLayers === 1 ? "" : "s"})`;
}

/**
 * The model specs of a sweep: the teacher (nQubits × teacherLayers, its own lr, StepLR step and logit scale) and a
 * student per depth of `studentLayers` (the shared optimiser settings), all read out on {@link resolveReadout}.
 */
export function sweepSpecs(cfg: DepthSweepConfig): {
  teacher: ModelSpec<QuantumInput, QNNClassifier>;
  students: ModelSpec<QuantumInput, QNNClassifier>[];
} {
  const readout = resolveReadout(cfg);
  const ansatz = { finalRotationLayer: cfg.finalRotationLayer, initLow: cfg.initLow, initHigh: cfg.initHigh };
  return {
    teacher: hardwareEfficientSpec({
      id: "teacher",
      label: "teacher",
      role: "teacher",
      nQubits: cfg.nQubits,
      nLayers: cfg.teacherLayers,
      readout: resolveTeacherReadout(cfg),
      logitScale: cfg.teacherLogitScale,
      fit: iterationFit(cfg, cfg.teacherIterations, { lr: cfg.teacherLr, stepSize: cfg.teacherStepSize }),
      ...ansatz,
    }),
    students: cfg.studentLayers.map((L) => {
      checkInt("sweepSpecs", "nLayers", L, 1);
      return hardwareEfficientSpec({
        id: studentId(L),
        label: studentLabel(L),
        role: "student",
        nQubits: cfg.nQubits,
        nLayers: L,
        readout,
        logitScale: cfg.studentLogitScale,
        fit: iterationFit(cfg, cfg.studentIterations),
        ...ansatz,
      });
    }),
  };
}

/**
 * The protocol plan of a sweep: the teacher's logits or unscaled ⟨Z⟩ (`kdTarget`) distilled into every student,
 * all on the same data.
 */
export function sweepPlan(
  cfg: DepthSweepConfig,
  data: SplitPair<QuantumInput>,
): ProtocolPlan<QuantumInput, QNNClassifier> {
  const specs = sweepSpecs(cfg);
  return {
    seed: cfg.seed,
    teacher: specs.teacher,
    teacherData: data,
    distilFrom: distilFromFor<QuantumInput>(cfg.kdTarget),
    students: specs.students.map((s) => studentEntry(s, data)),
    kd: kdSettingsOf(cfg),
  };
}

/** Final accuracies of a sweep (fractions): test accuracy as `teacher`/`noKd`/`kd`, train accuracy beside it. */
export interface SweepAccuracies {
  teacher: number;
  teacherTrain: number;
  /** One entry per student depth, in the order of `studentLayers`. */
  students: { nLayers: number; noKd: number; kd: number; noKdTrain: number; kdTrain: number }[];
}

/** {@link SweepAccuracies} of a teacher and the students keyed by {@link studentId}. */
export function accuraciesOf(
  cfg: Pick<DepthSweepConfig, "studentLayers">,
  teacher: Pick<Trained, "result">,
  students: Record<string, StudentPair>,
): SweepAccuracies {
  const s = (L: number, kd: boolean) => students[studentId(L)][kd ? "kd" : "noKd"].result;
  return {
    teacher: teacher.result.finalTestAccuracy!,
    teacherTrain: teacher.result.finalTrainAccuracy,
    students: cfg.studentLayers.map((L) => ({
      nLayers: L,
      noKd: s(L, false).finalTestAccuracy!,
      kd: s(L, true).finalTestAccuracy!,
      noKdTrain: s(L, false).finalTrainAccuracy,
      kdTrain: s(L, true).finalTrainAccuracy,
    })),
  };
}

/**
 * Mean and sample standard deviation over seeds of a sweep's accuracies, from result rows (one teacher row and
 * one row per depth and KD flag per seed): the rows whose `variant` field equals `variant` (undefined: rows
 * without one), averaged in row order.
 * @returns `mean` and `std` as {@link SweepAccuracies}, and `n`, the number of teacher rows averaged.
 * @throws Error if a depth of `studentLayers` has no rows.
 */
export function seedAccuracies(
  rows: readonly ResultRow[],
  studentLayers: readonly number[],
  variant?: string,
): { mean: SweepAccuracies; std: SweepAccuracies; n: number } {
  const mine = rowsOf(rows, variant ?? DEFAULTS_SETTING).filter((r) => r.role !== "autoencoder");
  const stat = (pick: (r: ResultRow) => boolean, key: "testAccuracy" | "trainAccuracy", what: string) => {
    const v = mine.filter(pick).map((r) => r[key] as number);
    if (v.length === 0)
      throw new Error(`seedAccuracies: no rows for ${what} (variant ${JSON.stringify(variant ?? null)})`);
    return meanStd(v);
  };
  const t = (key: "testAccuracy" | "trainAccuracy") => stat((r) => r.role === "teacher", key, "the teacher");
  const s = (L: number, kd: boolean, key: "testAccuracy" | "trainAccuracy") =>
    stat(
      (r) => r.role === "student" && r.nLayers === L && r.kd === kd,
      key,
      `the ${L}-layer student${kd ? " with KD" : ""}`,
    );
  const part = (f: "mean" | "std"): SweepAccuracies => ({
    teacher: t("testAccuracy")[f],
    teacherTrain: t("trainAccuracy")[f],
    students: studentLayers.map((L) => ({
      nLayers: L,
      noKd: s(L, false, "testAccuracy")[f],
      kd: s(L, true, "testAccuracy")[f],
      noKdTrain: s(L, false, "trainAccuracy")[f],
      kdTrain: s(L, true, "trainAccuracy")[f],
    })),
  });
  return { mean: part("mean"), std: part("std"), n: t("testAccuracy").n };
}

/** Per-seed test accuracies of a depth sweep's arms (one variant), the input of the sweep's claim checkers. */
export interface SweepArms {
  /** The teacher's test accuracy per seed. */
  teacher: { seed: number; value: number }[];
  /** The student of `nLayers` layers, with or without KD, per seed. */
  student(nLayers: number, kd: boolean): { seed: number; value: number }[];
  /** The student depths present, ascending. */
  depths: number[];
}

/**
 * The arms of a depth sweep's result rows of one variant (`variant` undefined: the defaults' rows, which have no
 * `variant` field): each model's final test accuracy per seed.
 * @throws Error when the rows hold no teacher of that variant.
 */
export function sweepArms(rows: readonly ResultRow[], variant?: string): SweepArms {
  const mine = rowsOf(rows, variant ?? DEFAULTS_SETTING).filter((r) => r.role !== "autoencoder");
  const teacher = seedValues(
    mine,
    (r) => r.role === "teacher",
    (r) => r.testAccuracy,
  );
  if (teacher.length === 0)
    throw new Error(
      `sweepArms: no teacher rows for variant ${JSON.stringify(variant ?? "defaults")} (${rows.length} rows given)`,
    );
  const depths = [...new Set(mine.filter((r) => r.role === "student").map((r) => r.nLayers))].sort((a, b) => a - b);
  return {
    teacher,
    depths,
    student: (L, kd) =>
      seedValues(
        mine,
        (r) => r.role === "student" && r.nLayers === L && r.kd === kd,
        (r) => r.testAccuracy,
      ),
  };
}

/**
 * The paired claim part "KD − no KD" at depth `nLayers` of a sweep's arms (test accuracy in points; the KD and
 * non-KD students of a seed share initialisation and batches), with the ceiling precondition (not both arms at
 * or above 99.5%). Fig. 4 and Fig. 5 build their KD-gain parts with it.
 * @param o.final - how the accuracy is taken, the start of the part's `measure` (e.g. "test accuracy (%) at the
 *   final iteration").
 */
export function kdGainPart(
  arms: SweepArms,
  nLayers: number,
  o: { claim: string; test: string; direction: Direction; final: string },
): ClaimPart & { nLayers: number } {
  const kd = arms.student(nLayers, true),
    noKd = arms.student(nLayers, false);
  return pairedPart({
    claim: o.claim,
    test: o.test,
    nLayers,
    measure: `${o.final}, KD − no KD per seed (paired: same initialisation and batches)`,
    unit: "accuracy points",
    scale: 100,
    a: kd,
    b: noKd,
    direction: o.direction,
    labels: ["KD", "no KD"],
    levelUnit: "accuracy (%)",
    precondition: notAtCeiling(kd, noKd, "test accuracy"),
  }) as ClaimPart & { nLayers: number };
}

/**
 * How soft a two-class teacher's distillation targets are: the mean margin |z0 − z1| of its logits and the mean
 * soft-target confidence σ(|z0 − z1| / T) a student is asked to reproduce.
 * @throws Error for an empty list of logits.
 */
export function softTargetStats(
  logits: readonly ArrayLike<number>[],
  T: number,
): { meanMargin: number; meanConfidence: number } {
  if (logits.length === 0) throw new Error("softTargetStats: no logits");
  const m = logits.map((z) => Math.abs(z[0] - z[1]));
  return {
    meanMargin: m.reduce((a, b) => a + b, 0) / m.length,
    meanConfidence: m.reduce((a, v) => a + 1 / (1 + Math.exp(-v / T)), 0) / m.length,
  };
}

/** Everything {@link runDepthSweep} produces. */
export interface DepthSweepResult {
  rows: ResultRow[];
  histories: Record<string, HistoryRow[]>;
  accuracies: SweepAccuracies;
  teacher: Trained<QNNClassifier>;
  students: Record<string, StudentPair>;
}

/**
 * Teacher, then each student depth without and with KD, on given splits (the protocol of `protocol.ts`).
 * @param hooks.onStage - called with a stage name ("teacher", "student (4 layers)", "student (4 layers) + KD").
 * @param hooks.hooksFor - per-model hooks (see `runProtocol`).
 */
export function runDepthSweep(
  cfg: DepthSweepConfig,
  data: SplitPair<QuantumInput>,
  hooks: TrainHooks & { onStage?: (stage: string) => void; hooksFor?: HooksFor } = {},
): DepthSweepResult {
  const r = runProtocol(sweepPlan(cfg, data), hooks);
  return {
    rows: r.rows,
    histories: r.histories,
    accuracies: accuraciesOf(cfg, r.teacher, r.students),
    teacher: r.teacher,
    students: r.students,
  };
}

/** Everything one figure's run of the depth sweep produces ({@link runFigureSweep}). */
export interface SweepRun<C extends DepthSweepConfig> {
  config: C;
  rows: ResultRow[];
  histories: Record<string, HistoryRow[]>;
  accuracies: SweepAccuracies;
}

/** The hooks of a figure's run: the sweep's (see {@link runDepthSweep}) and a stage callback. */
export type SweepRunHooks = TrainHooks & { onStage?: (stage: string) => void; hooksFor?: HooksFor };

/**
 * A figure's whole sweep on its loaded data: checks that the data have `cfg.nQubits` qubits, then
 * {@link runDepthSweep}. The figures' `runFig4` and `runFig5` load their data and call this.
 * @param where - the calling function's name, used in the message.
 * @param data.splits - train and test splits; `data.nQubits` - the data's qubit count (undefined when unknown).
 * @throws Error when the data's qubit count differs from `cfg.nQubits`.
 */
export function runFigureSweep<C extends DepthSweepConfig>(
  where: string,
  cfg: C,
  data: { splits: SplitPair<QuantumInput>; nQubits: number | undefined },
  hooks: SweepRunHooks,
): SweepRun<C> {
  if (data.nQubits !== cfg.nQubits)
    throw new Error(`${where}: the data have ${data.nQubits} qubits but cfg.nQubits is ${cfg.nQubits}`);
  const r = runDepthSweep(cfg, data.splits, hooks);
  return { config: cfg, rows: r.rows, histories: r.histories, accuracies: r.accuracies };
}

/**
 * The claim records of a depth-sweep figure (what its notebook writes to `claims.json`) from the result rows of all
 * seeds: the defaults' rows and, when present, the sharp-teacher variant's, each checked by `check`.
 * @param source - the paper and figure (e.g. `{ paper: "Yan et al.", figure: "Fig. 4" }`).
 * @param check - the figure's claim checker (`checkFig4Claims`, `checkFig5Claims`).
 */
export function sweepClaimRecords(
  source: { paper: string; figure: string },
  rows: readonly ResultRow[],
  check: (rows: readonly ResultRow[], opts: { variant?: string }) => ClaimPart[],
): ClaimRecord[] {
  const sharp = rowsOf(rows, "sharp-teacher").length > 0;
  return claimRecords({
    ...source,
    checks: check(rows, {}),
    variants: sharp ? [{ name: "sharp-teacher", checks: check(rows, { variant: "sharp-teacher" }) }] : [],
  });
}
