/**
 * The distillation protocol every experiment runs (Hinton et al. 2015; Yan et al. Sec. II.2, Eq. 7): a teacher is
 * trained with cross-entropy, its logits on the training inputs are computed once (the teacher is then frozen),
 * and each student is trained twice from the SAME initialisation and on the SAME batches — once with
 * cross-entropy alone and once with the distillation loss — so that the difference between the two runs is the
 * loss alone.
 *
 * Models are described by {@link ModelSpec}s: any `Classifier<I>` (a QNN, a hybrid or a classical network), built
 * from a named random stream. Teacher and student may take different input types (e.g. a network on pixels and
 * a QNN on encoded states, or Table 1's 7-qubit teacher and its student on 2-qubit autoencoder states): they are
 * paired by sample index, so `teacherData.train.inputs[i]` and `studentData.train.inputs[i]` are the same sample.
 *
 * **Random streams** (all derived from the master seed): a spec with stream id `s` is initialised from
 * `<seed>/<s>` and draws its batches from `<seed>/<s>-batches`; the KD and non-KD runs of a student share both.
 *
 * **Names** (checkpoint files and history keys): the teacher's is its `id`; a student's is `<id>-nokd` without KD
 * and `<id>-kd-T<T>-a<alpha>` with KD, so runs with other T or α never resume each other's checkpoints. History keys
 * are `<id>-nokd` / `<id>-kd`.
 *
 * **Checkpoints** live in one folder per setting ({@link checkpointFolder}): `<resultsDir>/checkpoints/<hash of the
 * settings>[-<variant>]`, one JSON per model, so a changed setting never resumes a stale run (the trainer also
 * checks each checkpoint's fingerprint).
 *
 * @packageDocumentation
 */
import * as path from "path";
import type { Classifier } from "../core/model";
import { trainClassifier, HistoryRow, IterationInfo, LabelledData, TrainOptions, TrainResult } from "../train/fit";
import { hashNumbers } from "../optim/checkpoint";
import { accuracy } from "../train/metrics";
import { computeTeacherLogits, Teacher } from "../kd/teacher";
import type { DistillationOptions } from "../kd/losses";
import { ResultRow } from "./results";
import type { SettingRules } from "../util/options";
import { DEFAULTS_SETTING } from "./readings";

/** Train and test splits of one input type. */
export interface SplitPair<I> {
  train: LabelledData<I>;
  test: LabelledData<I>;
}

/** The optimiser settings every experiment configuration carries (flat fields of its config). */
export interface OptimiserSettings {
  /** Batch size (Yan et al.: 64). */
  batchSize: number;
  /** Adam learning rate of the students (> 0). */
  lr: number;
  /** Weight decay (L2, ≥ 0). */
  weightDecay: number;
  /** StepLR step (iterations, or epochs where the experiment trains in epochs). */
  stepSize: number;
  /** StepLR decay factor γ ∈ (0, 1]. */
  gamma: number;
  /** Evaluate accuracies every this many iterations or epochs (and after the last one). */
  evalEvery: number;
}

/**
 * The rules (`util/options` `checkSettings`) of the optimiser and KD settings every QNN experiment config carries:
 * batch size, StepLR step and `evalEvery` integers ≥ 1, lr > 0, weight decay ≥ 0, γ ∈ (0, 1], T > 0, α ∈ [0, 1].
 * A config's own check spreads them into its table.
 */
export const OPTIMISER_KD_RULES: SettingRules<OptimiserSettings & DistillationOptions> = Object.freeze({
  batchSize: "positiveInt",
  lr: "learningRate",
  weightDecay: "nonNegative",
  stepSize: "positiveInt",
  gamma: "fraction",
  evalEvery: "positiveInt",
  T: "temperature",
  alpha: "alpha",
});

/**
 * The KD settings of an experiment config, complete: T, α, the T² flag and α's placement ("kl" when the config
 * does not say). The one place a config's KD settings become a protocol's.
 */
export function kdSettingsOf(cfg: DistillationOptions): Required<DistillationOptions> {
  return { T: cfg.T, alpha: cfg.alpha, scaleT2: cfg.scaleT2, alphaOn: cfg.alphaOn ?? "kl" };
}

/**
 * How one model is trained: the `trainClassifier` options that do not come from the protocol (the protocol sets
 * the batch stream, the test split, the KD options, the progress hook and the checkpoint file), plus how often to
 * checkpoint.
 */
export type FitSettings = Partial<
  Omit<
    TrainOptions<unknown>,
    "seed" | "test" | "teacherLogits" | "T" | "alpha" | "scaleT2" | "alphaOn" | "onIteration" | "checkpoint"
  >
> & {
  /** Checkpoint every this many iterations (and after the last). @defaultValue 10 */
  checkpointEvery?: number;
};

/** The {@link FitSettings} of an experiment's optimiser settings, for `iterations` iterations. */
export function iterationFit(cfg: OptimiserSettings, iterations: number, overrides: FitSettings = {}): FitSettings {
  return {
    iterations,
    batchSize: cfg.batchSize,
    lr: cfg.lr,
    weightDecay: cfg.weightDecay,
    stepSize: cfg.stepSize,
    gamma: cfg.gamma,
    evalEvery: cfg.evalEvery,
    ...overrides,
  };
}

/**
 * A model to train: how to build it and how to train it.
 * @typeParam I - the model's input type.
 * @typeParam M - the model type (any trainable classifier).
 */
export interface ModelSpec<I, M extends Classifier<I> = Classifier<I>> {
  /** Stream and file id, e.g. "teacher", "student1", "student-L4" (see the module doc). */
  id: string;
  /** Label of its result rows, e.g. "teacher", "student (1)". */
  label: string;
  /** "teacher" or "student" (result rows; a teacher has no KD run). */
  role: "teacher" | "student";
  /** Qubits and layers for the result rows (0 qubits for a classical network). */
  nQubits: number;
  nLayers: number;
  /** Builds a fresh model from its initialisation stream `init` (e.g. "0/teacher"), named `name`. */
  build(init: string, name: string): M;
  /** How it trains. */
  fit: FitSettings;
  /** The initialisation / batch stream id when it differs from `id` (e.g. Fig. 6's self-distilled "student"). */
  stream?: string;
  /** Evaluate the test accuracy before training (the epoch-0 point of a learning curve). @defaultValue false */
  initialTestAccuracy?: boolean;
}

/** Progress and checkpoint hooks of one protocol run. */
export interface TrainHooks {
  /** Called after each iteration of every model. */
  onIteration?: (row: HistoryRow, info: IterationInfo) => void;
  /** Folder for resumable checkpoints (one JSON per model); none when omitted. */
  checkpointDir?: string | null;
}

/** Per-model hooks: progress of the model called `name` (its checkpoint name), `done` after it trained. */
export type HooksFor = (name: string, spec: SpecInfo) => TrainHooks & { done?: () => void };

/** What hooks and rows need to know of a spec. */
export type SpecInfo = Pick<ModelSpec<unknown>, "id" | "label" | "role" | "nQubits" | "nLayers" | "fit">;

/** A trained model with its training result. */
export interface Trained<M = Classifier<unknown>> {
  model: M;
  result: TrainResult;
  /** Test accuracy of the initial parameters (when the spec asks for it), else null. */
  initialTestAccuracy: number | null;
  /** The model's checkpoint name (see the module doc). */
  name: string;
}

/** One distillation run of a student: the teacher logits aligned with its training inputs, T, α and the T² flag. */
export interface KDRun extends DistillationOptions {
  teacherLogits: readonly ArrayLike<number>[];
}

/** The checkpoint / file name of a model (see the module doc). */
export function modelName(
  spec: Pick<ModelSpec<unknown>, "id" | "role">,
  kd: Pick<KDRun, "T" | "alpha"> | null,
): string {
  if (spec.role === "teacher") return spec.id;
  return kd ? `${spec.id}-kd-T${kd.T}-a${kd.alpha}` : `${spec.id}-nokd`;
}

/**
 * Builds and trains one model: initialisation from `<seed>/<stream>`, batches from `<seed>/<stream>-batches`,
 * cross-entropy, or the distillation loss when `kd` is given; checkpoints in `<checkpointDir>/<name>.json`.
 * @throws Error if the teacher logits do not match the training set, or any error of `trainClassifier`.
 */
export function trainModel<I, M extends Classifier<I>>(
  spec: ModelSpec<I, M>,
  data: SplitPair<I>,
  seed: number,
  kd: KDRun | null = null,
  hooks: TrainHooks = {},
): Trained<M> {
  const stream = `${seed}/${spec.stream ?? spec.id}`;
  const name = modelName(spec, kd);
  const model = spec.build(stream, name);
  const initialTestAccuracy = spec.initialTestAccuracy ? accuracy(model, data.test) : null;
  const { checkpointEvery, ...fit } = spec.fit;
  const onIteration = hooks.onIteration;
  const result = trainClassifier(model, data.train, {
    ...fit,
    seed: `${stream}-batches`,
    test: data.test,
    onIteration: onIteration ? (row: HistoryRow, info: IterationInfo) => onIteration(row, info) : null,
    checkpoint: hooks.checkpointDir
      ? { path: path.join(hooks.checkpointDir, `${name}.json`), every: checkpointEvery ?? 10 }
      : null,
    ...(kd ? { teacherLogits: kd.teacherLogits, ...kdSettingsOf(kd) } : {}),
  });
  return { model, result, initialTestAccuracy, name };
}

/**
 * A QNN-like teacher's distillation outputs: its unscaled readout expectation values ⟨Z⟩ (`[n][k]`), so that
 * teacher and student logits share the range [−1, 1] whatever the teacher's logit scale (PARAMS.md). An input
 * object that occurs several times (e.g. one encoded state per distinct bit pattern) is simulated once.
 */
export function expectationTeacher<I>(model: { expectations(input: I): Float64Array }): Teacher<I> {
  return {
    logitsBatch: (inputs) => {
      const seen = new Map<I, Float64Array>();
      return inputs.map((x) => {
        let z = seen.get(x);
        if (!z) {
          z = model.expectations(x);
          seen.set(x, z);
        }
        return z;
      });
    },
  };
}

/**
 * One KD run from a trained teacher: `kdSettingsOf(kd)` and the teacher's distillation targets on `inputs`
 * (`[n][nClasses]`, computed once): what `distilFrom(teacher)` gives, or the teacher's own logits without it.
 * `runProtocol` distils through it; notebooks that train students one by one call it (or `qnnKdRun`).
 */
export function teacherKdRun<I, M extends Teacher<I>>(
  kd: DistillationOptions,
  teacher: M,
  inputs: readonly I[],
  distilFrom?: (teacher: M) => Teacher<I>,
): KDRun & { teacherLogits: Float64Array[] } {
  return {
    ...kdSettingsOf(kd),
    teacherLogits: computeTeacherLogits(distilFrom ? distilFrom(teacher) : teacher, inputs),
  };
}

/** A student trained without and with KD from the same initialisation and batches. */
export interface StudentPair<M = Classifier<unknown>> {
  noKd: Trained<M>;
  kd: Trained<M>;
}

/**
 * Trains a student without, then with KD ({@link trainModel} twice).
 * @param hooksFor - per-model hooks (progress bars, checkpoints), called just before each model trains.
 */
export function trainStudentPair<I, M extends Classifier<I>>(
  spec: ModelSpec<I, M>,
  data: SplitPair<I>,
  seed: number,
  kd: KDRun,
  hooksFor: HooksFor = () => ({}),
): StudentPair<M> {
  return { noKd: trainWithHooks(spec, data, seed, null, hooksFor), kd: trainWithHooks(spec, data, seed, kd, hooksFor) };
}

/**
 * {@link trainModel} with per-model hooks: `hooksFor` is called with the model's checkpoint name just before it
 * trains, and the hooks' `done` after it.
 */
export function trainWithHooks<I, M extends Classifier<I>>(
  spec: ModelSpec<I, M>,
  data: SplitPair<I>,
  seed: number,
  kd: KDRun | null,
  hooksFor: HooksFor = () => ({}),
): Trained<M> {
  const h = hooksFor(modelName(spec, kd), spec);
  const t = trainModel(spec, data, seed, kd, h);
  h.done?.();
  return t;
}

/** The paper's test accuracies of a student without and with KD (fractions; null where the paper gives none). */
export interface PaperPair {
  noKd: number | null;
  kd: number | null;
}

/**
 * The result row of a trained model (the fields shared by every experiment, `docs/PARAMS.md` and the README),
 * with `variant` "defaults" unless `extra` names the reading or variant the model ran under.
 * @param kd - the KD settings of a KD run, null otherwise.
 * @param extra - further fields (e.g. `variant`, `rowType`).
 */
export function modelRow(
  spec: Pick<ModelSpec<unknown>, "label" | "role" | "nQubits" | "nLayers">,
  t: Pick<Trained, "result">,
  seed: number,
  kd: Pick<DistillationOptions, "T" | "alpha"> | null,
  paperTestAccuracy: number | null = null,
  extra: Record<string, unknown> = {},
): ResultRow {
  return {
    model: spec.label,
    role: spec.role,
    nQubits: spec.nQubits,
    nLayers: spec.nLayers,
    kd: kd !== null,
    T: kd ? kd.T : null,
    alpha: kd ? kd.alpha : null,
    seed,
    trainAccuracy: t.result.finalTrainAccuracy,
    testAccuracy: t.result.finalTestAccuracy,
    paperTestAccuracy,
    variant: DEFAULTS_SETTING,
    ...extra,
  };
}

/** One student of a protocol run, with its own data (paired with the teacher's by sample index). */
export interface StudentEntry<S> {
  spec: ModelSpec<S>;
  data: SplitPair<S>;
  /** The paper's test accuracies of its two runs. */
  paper?: PaperPair;
}

/**
 * A student entry for {@link ProtocolPlan.students}: its spec, its data (of its own input type) and the paper's
 * accuracies. The plan holds students of different input types side by side, so the entry forgets the type.
 */
export function studentEntry<S, M extends Classifier<S>>(
  spec: ModelSpec<S, M>,
  data: SplitPair<S>,
  paper?: PaperPair,
): StudentEntry<unknown> {
  return { spec, data, ...(paper ? { paper } : {}) } as unknown as StudentEntry<unknown>;
}

/** Everything a protocol run needs. */
export interface ProtocolPlan<T, M extends Classifier<T> = Classifier<T>> {
  /** Master seed of every stream. */
  seed: number;
  teacher: ModelSpec<T, M>;
  teacherData: SplitPair<T>;
  /** The teacher's paper test accuracy, if stated. */
  teacherPaper?: number | null;
  /** What the students distil from, given the trained teacher. @defaultValue the teacher's own logits */
  distilFrom?: (teacher: M) => Teacher<T>;
  /** The students, trained in order. Each student's training inputs are paired with the teacher's by index. */
  students: StudentEntry<unknown>[];
  kd: DistillationOptions;
  /** Extra fields of each model's result row (e.g. a test F1, the parameter count). @defaultValue none */
  rowExtra?: RowExtra;
}

/** Everything {@link runProtocol} produces. */
export interface ProtocolResult<M = Classifier<unknown>> {
  teacher: Trained<M>;
  /** The teacher logits the KD runs distilled (`[nTrain][k]`). */
  teacherLogits: Float64Array[];
  /** The students by spec id. */
  students: Record<string, StudentPair>;
  /** Rows: the teacher, then each student without and with KD. */
  rows: ResultRow[];
  /** Training histories keyed "teacher", "<id>-nokd", "<id>-kd". */
  histories: Record<string, HistoryRow[]>;
}

/** Stage names reported by {@link runProtocol}: "teacher", then "<label>" and "<label> + KD" per student. */
export type OnStage = (stage: string) => void;

/**
 * Runs the protocol: the teacher, its logits once, then each student without and with KD.
 * @param hooks.onStage - called with a stage name before each model.
 * @param hooks.hooksFor - per-model hooks; by default every model gets `hooks.onIteration` and `hooks.checkpointDir`.
 * @throws Error if a student's training set is not as long as the teacher's (they are paired by index).
 */
export function runProtocol<T, M extends Classifier<T>>(
  plan: ProtocolPlan<T, M>,
  hooks: TrainHooks & { onStage?: OnStage; hooksFor?: HooksFor } = {},
): ProtocolResult<M> {
  const { onStage, hooksFor, ...common } = hooks;
  const forModel: HooksFor = hooksFor ?? (() => common);
  for (const s of plan.students) {
    if (s.data.train.inputs.length !== plan.teacherData.train.inputs.length) {
      throw new Error(
        `runProtocol: student "${s.spec.id}" has ${s.data.train.inputs.length} training inputs but the teacher has ${plan.teacherData.train.inputs.length}; they are paired by sample index`,
      );
    }
  }
  onStage?.("teacher");
  const teacher = trainWithHooks(plan.teacher, plan.teacherData, plan.seed, null, forModel);
  const kd = teacherKdRun(plan.kd, teacher.model, plan.teacherData.train.inputs, plan.distilFrom);
  const teacherLogits = kd.teacherLogits;
  const histories: Record<string, HistoryRow[]> = { [plan.teacher.id]: teacher.result.history };
  const students: Record<string, StudentPair> = {};
  for (const s of plan.students) {
    const pair = trainStudentPair(s.spec, s.data, plan.seed, kd, (name, spec) => {
      onStage?.(`${s.spec.label}${name === modelName(s.spec, null) ? "" : " + KD"}`);
      return forModel(name, spec);
    });
    students[s.spec.id] = pair;
    histories[`${s.spec.id}-nokd`] = pair.noKd.result.history;
    histories[`${s.spec.id}-kd`] = pair.kd.result.history;
  }
  const rows = protocolRows(plan, teacher, students, plan.rowExtra ?? {});
  return { teacher, teacherLogits, students, rows, histories };
}

/**
 * The checkpoint folder of a run with these settings: `<resultsDir>/checkpoints/<hash of JSON(settings)>`, with
 * `-<variant>` appended when given (a variant of the same notebook, e.g. "sharp", "seed3").
 */
export function checkpointFolder(resultsDir: string, settings: unknown, variant?: string): string {
  const hash = hashNumbers([Array.from(JSON.stringify(settings), (ch) => ch.charCodeAt(0))]);
  return path.join(resultsDir, "checkpoints", variant ? `${hash}-${variant}` : hash);
}

/** Extra fields of a model's result row, computed from the trained model (e.g. a test F1, the parameter count). */
export type RowExtra = (
  spec: Pick<ModelSpec<unknown>, "id" | "label" | "role" | "nQubits" | "nLayers">,
  trained: Trained,
) => Record<string, unknown>;

/** What {@link protocolRows} reads of a plan (any {@link ProtocolPlan} is one). */
export interface RowsPlan {
  seed: number;
  teacher: Pick<ModelSpec<unknown>, "id" | "label" | "role" | "nQubits" | "nLayers">;
  teacherPaper?: number | null;
  students: readonly {
    spec: Pick<ModelSpec<unknown>, "id" | "label" | "role" | "nQubits" | "nLayers">;
    paper?: PaperPair;
  }[];
  kd: Pick<DistillationOptions, "T" | "alpha">;
}

/**
 * The result rows of trained protocol models, exactly as {@link runProtocol} builds them: the teacher, then each
 * student of `plan.students` without and with KD. For notebooks that train the models one section at a time.
 * @param students - the trained students by spec id (e.g. from {@link trainStudentPair}).
 * @param extra - further fields of every row (e.g. `{ variant: "sharp-teacher" }`), appended last, or a function
 *   giving them per trained model ({@link RowExtra}).
 * @throws Error if a student of the plan was not trained.
 */
export function protocolRows(
  plan: RowsPlan,
  teacher: Trained,
  students: Record<string, StudentPair>,
  extra: Record<string, unknown> | RowExtra = {},
): ResultRow[] {
  const more = (spec: RowsPlan["teacher"] & { id?: string }, t: Trained) =>
    typeof extra === "function" ? extra(spec as Parameters<RowExtra>[0], t) : extra;
  const rows: ResultRow[] = [
    modelRow(plan.teacher, teacher, plan.seed, null, plan.teacherPaper ?? null, more(plan.teacher, teacher)),
  ];
  for (const s of plan.students) {
    const pair = students[s.spec.id];
    if (!pair)
      throw new Error(
        `protocolRows: student "${s.spec.id}" was not trained (trained: ${JSON.stringify(Object.keys(students))})`,
      );
    rows.push(modelRow(s.spec, pair.noKd, plan.seed, null, s.paper?.noKd ?? null, more(s.spec, pair.noKd)));
    rows.push(modelRow(s.spec, pair.kd, plan.seed, plan.kd, s.paper?.kd ?? null, more(s.spec, pair.kd)));
  }
  return rows;
}

/** Final test accuracies of a student pair and the KD gain (`kd − noKd`). */
export function pairAccuracies(pair: Pick<StudentPair, "noKd" | "kd">): { noKd: number; kd: number; gain: number } {
  const noKd = pair.noKd.result.finalTestAccuracy as number,
    kd = pair.kd.result.finalTestAccuracy as number;
  return { noKd, kd, gain: kd - noKd };
}
