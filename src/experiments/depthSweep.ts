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
import { QNNClassifier, QuantumInput } from "../qnn/classifier";
import { trainClassifier, HistoryRow } from "../train/fit";
import { ResultRow } from "./results";
import { OptimiserSettings, Split, TrainHooks, Trained, fitOptions } from "./common";
import { checkInt, checkNumber } from "../util/options";

/** The settings a depth sweep reads (Fig4Config and Fig5Config extend it). */
export interface DepthSweepConfig extends OptimiserSettings {
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
  /** KD temperature T, weight α and the T² factor of Eq. 7. */
  T: number;
  alpha: number;
  scaleT2: boolean;
  /** The two readout qubits; negative entries count from the end (−1 = the last qubit). */
  readout: number[];
  /** Logit scales s (logits = s·⟨Z⟩) of the teacher and of the students. KD always distils the unscaled ⟨Z⟩. */
  teacherLogitScale: number;
  studentLogitScale: number;
  /** Master seed of every random stream. */
  seed: number;
}

/**
 * The readout qubits of `cfg` as indices in [0, nQubits): negative entries count from the end.
 * @param where - the name used in error messages (the configuration function). @defaultValue "config"
 * @throws Error for an index out of range or two equal qubits.
 */
export function resolveReadout(cfg: Pick<DepthSweepConfig, "readout" | "nQubits">, where = "config"): number[] {
  const r = cfg.readout.map((q) => (q < 0 ? cfg.nQubits + q : q));
  for (const [i, q] of r.entries()) {
    if (!Number.isInteger(q) || q < 0 || q >= cfg.nQubits) {
      throw new Error(`${where}: readout[${i}] = ${cfg.readout[i]} is not a qubit of a ${cfg.nQubits}-qubit model (allowed: 0…${cfg.nQubits - 1} or −${cfg.nQubits}…−1)`);
    }
  }
  if (r[0] === r[1]) throw new Error(`${where}: readout ${JSON.stringify(cfg.readout)} names the same qubit twice`);
  return r;
}

/**
 * Checks the depth-sweep settings of a configuration (integers ≥ 1, α ∈ [0, 1], T > 0, logit scales > 0, a
 * non-empty list of student depths, two valid readout qubits); the caller checks `nQubits` and its own fields.
 * @param where - the configuration function's name, used in the messages.
 * @throws Error naming the bad setting, its value and what is allowed.
 */
export function checkSweepConfig(where: string, c: DepthSweepConfig): void {
  for (const k of ["teacherLayers", "teacherIterations", "teacherStepSize", "studentIterations", "batchSize", "stepSize", "evalEvery"] as const) {
    checkInt(where, k, c[k], 1);
  }
  checkNumber(where, "alpha", c.alpha, 0, 1);
  for (const k of ["T", "lr", "teacherLr", "teacherLogitScale", "studentLogitScale"] as const) checkNumber(where, k, c[k], 1e-300);
  checkNumber(where, "weightDecay", c.weightDecay, 0);
  checkNumber(where, "gamma", c.gamma, 1e-300, 1);
  if (!Array.isArray(c.studentLayers) || c.studentLayers.length === 0) {
    throw new Error(`${where}: studentLayers must be a non-empty array of layer counts, e.g. [1, 2, 3], got ${JSON.stringify(c.studentLayers)}`);
  }
  c.studentLayers.forEach((L, i) => checkInt(where, `studentLayers[${i}]`, L, 1));
  if (!Array.isArray(c.readout) || c.readout.length !== 2) {
    throw new Error(`${where}: readout must be two qubit indices (negative = from the end), got ${JSON.stringify(c.readout)}`);
  }
  resolveReadout(c, where);
}

/** Trains the teacher (nQubits × teacherLayers) with cross-entropy. */
export function trainTeacher(cfg: DepthSweepConfig, train: Split<QuantumInput>, test: Split<QuantumInput>, hooks: TrainHooks = {}): Trained {
  const model = QNNClassifier.hardwareEfficient({
    nQubits: cfg.nQubits, nLayers: cfg.teacherLayers, readout: resolveReadout(cfg), seed: `${cfg.seed}/teacher`, name: "teacher",
    logitScale: cfg.teacherLogitScale,
  });
  const result = trainClassifier(
    model, train,
    fitOptions(cfg, cfg.teacherIterations, test, hooks, "teacher", `${cfg.seed}/teacher-batches`, cfg.teacherLr, cfg.teacherStepSize),
  );
  return { model, result };
}

/**
 * The teacher's logits for distillation: its unscaled readout ⟨Z⟩ on each input (`[n][2]`), so that they share
 * the students' range whatever `teacherLogitScale` is. An input object that occurs several times (e.g. one
 * encoded state per distinct bit pattern) is simulated once; every entry is its own array.
 */
export function teacherLogitsForKD(teacher: QNNClassifier, inputs: readonly QuantumInput[]): Float64Array[] {
  const seen = new Map<QuantumInput, Float64Array>();
  return inputs.map((x) => {
    let z = seen.get(x);
    if (!z) {
      z = teacher.expectations(x);
      seen.set(x, z);
    }
    return z.slice();
  });
}

/**
 * Trains a student of `nLayers` layers with KD (teacher logits given) or without (null), from the
 * initialisation fixed by `cfg.seed` and `nLayers` — so the KD and non-KD runs of one depth start from the same
 * parameters and see the same batches. Checkpoint name: `student-L<n>-nokd` or `student-L<n>-kd-T<T>-a<α>`.
 */
export function trainStudent(
  cfg: DepthSweepConfig,
  nLayers: number,
  train: Split<QuantumInput>,
  test: Split<QuantumInput>,
  teacherLogits: Float64Array[] | null,
  hooks: TrainHooks = {},
  kdOverrides: { T?: number; alpha?: number } = {},
): Trained {
  checkInt("trainStudent", "nLayers", nLayers, 1);
  const kd = teacherLogits !== null;
  const T = kdOverrides.T ?? cfg.T, alpha = kdOverrides.alpha ?? cfg.alpha;
  const name = `student-L${nLayers}-${kd ? `kd-T${T}-a${alpha}` : "nokd"}`;
  const model = QNNClassifier.hardwareEfficient({
    nQubits: cfg.nQubits, nLayers, readout: resolveReadout(cfg), seed: `${cfg.seed}/student-L${nLayers}`, name,
    logitScale: cfg.studentLogitScale,
  });
  const result = trainClassifier(model, train, {
    ...fitOptions(cfg, cfg.studentIterations, test, hooks, name, `${cfg.seed}/student-L${nLayers}-batches`),
    ...(kd ? { teacherLogits, T, alpha, scaleT2: cfg.scaleT2 } : {}),
  });
  return { model, result };
}

/** Key of a student in {@link trainStudents}' record: `L<n>-kd` or `L<n>-nokd`. */
export function studentKey(nLayers: number, kd: boolean): string {
  return `L${nLayers}-${kd ? "kd" : "nokd"}`;
}

/**
 * Trains every student depth of `cfg` without, then with KD (see {@link trainStudent}).
 * @param hooksFor - hooks per student (progress bars, checkpoints); called just before it trains.
 * @returns the trained students keyed by {@link studentKey}.
 */
export function trainStudents(
  cfg: DepthSweepConfig,
  train: Split<QuantumInput>,
  test: Split<QuantumInput>,
  teacherLogits: Float64Array[],
  hooksFor: (nLayers: number, kd: boolean) => TrainHooks & { done?: () => void } = () => ({}),
): Record<string, Trained> {
  const out: Record<string, Trained> = {};
  for (const L of cfg.studentLayers) {
    for (const kd of [false, true]) {
      const hooks = hooksFor(L, kd);
      out[studentKey(L, kd)] = trainStudent(cfg, L, train, test, kd ? teacherLogits : null, hooks);
      hooks.done?.();
    }
  }
  return out;
}

/** Result row of a classifier (the fields shared by every experiment; `paperTestAccuracy` null: the papers give figures). */
export function classifierRow(
  cfg: DepthSweepConfig, label: string, role: "teacher" | "student", t: Trained, nLayers: number, kd: boolean,
  kdParams: { T: number; alpha: number } = { T: cfg.T, alpha: cfg.alpha },
): ResultRow {
  return {
    model: label, role, nQubits: t.model.nQubits, nLayers, kd, T: kd ? kdParams.T : null, alpha: kd ? kdParams.alpha : null,
    seed: cfg.seed, trainAccuracy: t.result.finalTrainAccuracy, testAccuracy: t.result.finalTestAccuracy, paperTestAccuracy: null,
  };
}

/** The label of a student row: "student (1 layer)", "student (4 layers)". */
export function studentLabel(nLayers: number): string {
  return `student (${nLayers} layer${nLayers === 1 ? "" : "s"})`;
}

/** Rows of a sweep: the teacher, then per depth the non-KD and the KD student. */
export function sweepRows(cfg: DepthSweepConfig, teacher: Trained, students: Record<string, Trained>): ResultRow[] {
  const rows: ResultRow[] = [classifierRow(cfg, "teacher", "teacher", teacher, cfg.teacherLayers, false)];
  for (const L of cfg.studentLayers) {
    for (const kd of [false, true]) rows.push(classifierRow(cfg, studentLabel(L), "student", students[studentKey(L, kd)], L, kd));
  }
  return rows;
}

/** Final accuracies of a sweep (fractions): test accuracy as `teacher`/`noKd`/`kd`, train accuracy beside it. */
export interface SweepAccuracies {
  teacher: number;
  teacherTrain: number;
  /** One entry per student depth, in the order of `studentLayers`. */
  students: { nLayers: number; noKd: number; kd: number; noKdTrain: number; kdTrain: number }[];
}

/** {@link SweepAccuracies} of a teacher and the students keyed by {@link studentKey}. */
export function accuraciesOf(cfg: DepthSweepConfig, teacher: Trained, students: Record<string, Trained>): SweepAccuracies {
  const s = (L: number, kd: boolean) => students[studentKey(L, kd)].result;
  return {
    teacher: teacher.result.finalTestAccuracy!,
    teacherTrain: teacher.result.finalTrainAccuracy,
    students: cfg.studentLayers.map((L) => ({
      nLayers: L, noKd: s(L, false).finalTestAccuracy!, kd: s(L, true).finalTestAccuracy!,
      noKdTrain: s(L, false).finalTrainAccuracy, kdTrain: s(L, true).finalTrainAccuracy,
    })),
  };
}

/** Everything {@link runDepthSweep} produces. */
export interface DepthSweepResult {
  rows: ResultRow[];
  histories: Record<string, HistoryRow[]>;
  accuracies: SweepAccuracies;
  teacher: Trained;
  students: Record<string, Trained>;
}

/**
 * Teacher, then each student depth without and with KD, on given splits.
 * @param hooks.onStage - called with a stage name ("teacher", "student L=4", "student L=4 + KD") before each stage.
 */
export function runDepthSweep(
  cfg: DepthSweepConfig, train: Split<QuantumInput>, test: Split<QuantumInput>,
  hooks: TrainHooks & { onStage?: (stage: string) => void } = {},
): DepthSweepResult {
  const { onStage, ...trainHooks } = hooks;
  onStage?.("teacher");
  const teacher = trainTeacher(cfg, train, test, trainHooks);
  const logits = teacherLogitsForKD(teacher.model, train.inputs);
  const students = trainStudents(cfg, train, test, logits, (L, kd) => {
    onStage?.(`student L=${L}${kd ? " + KD" : ""}`);
    return trainHooks;
  });
  const histories: Record<string, HistoryRow[]> = { teacher: teacher.result.history };
  for (const [k, t] of Object.entries(students)) histories[`student-${k}`] = t.result.history;
  return { rows: sweepRows(cfg, teacher, students), histories, accuracies: accuraciesOf(cfg, teacher, students), teacher, students };
}
