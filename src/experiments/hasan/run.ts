/**
 * Hasan & Mahdy, the models and the runs: the CNN teachers (trained once per dataset and seed, cached), the hybrid
 * students of every method and encoding, one dataset and seed, and the seeds with their checkpoints.
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import * as path from "path";
import { TfClassifier } from "../../hybrid/classifier";
import { alexNetStyle, lenet5, ALEXNET_FULL, ALEXNET_SMALL } from "../../hybrid/networks";
import { imageStudent, ImageReduction, PcaProjection } from "../../hybrid/imageStudent";
import { hasTfModel, loadTfModel, saveTfModel } from "../../hybrid/io";
import { maxFeatureCount } from "../../qnn/featureEncoders";
import type { ReadoutKind } from "../../hybrid/quantumLayer";
import { defaultCacheDir } from "../../datasets/zxz";
import type { HistoryRow, TrainResult } from "../../train/fit";
import { hashNumbers } from "../../optim/checkpoint";
import { checkOneOf } from "../../util/options";
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
import { DEFAULTS_SETTING } from "../readings";
import {
  Fig12Method,
  HASAN_ENCODERS,
  HASAN_ENCODINGS,
  HASAN_FIG12,
  HASAN_READINGS,
  HASAN_TEACHERS,
  HasanConfig,
  HasanDataset,
  HasanEncoding,
  HasanTeacher,
  hasanConfig,
  hasanSeeds,
} from "./config";
import { HasanData, datasetAvailability, hasanData, hasanPca, unitNormalised } from "./data";
import { useTfBackend } from "../../hybrid/backend";
import type { UnitStore } from "../../store/units";
import type { ExperimentUnits, RunRequest, WorkUnit } from "../entry";
import { collectCheckpoints, restoreCheckpoints } from "../seedUnits";

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
  variant?: string,
): ModelSpec<Float64Array, TfClassifier> {
  checkOneOf("teacherSpec", "teacher", teacher, HASAN_TEACHERS);
  const o = { inputShape: data.inputShape, classes: data.nClasses };
  return {
    // a reading's teacher (other inputs): its own checkpoint name, the same initialisation stream
    id: variant ? `${teacher}-${variant}` : teacher,
    stream: teacher,
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
  variant?: string,
): Promise<CachedTeacher> {
  const spec = teacherSpec(cfg, data, teacher, variant);
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

/** Which hybrid student {@link studentSpec} builds: its qubits, reduction, encoding, KD source and reading. */
export type HasanStudent = {
  /** Q, the student's qubits (the amplitude encoding loads 2^Q features). */
  nQubits: number;
  reduction: ImageReduction;
  /** The encoding by name ({@link HASAN_ENCODERS}). */
  encoding: HasanEncoding;
  /** The KD source of its runs, or null for the student trained without KD. */
  teacher: HasanTeacher | null;
  /** The fitted projection, required with `reduction: "pca"`. */
  pca?: PcaProjection;
  /** Default "expectation" (⟨Z⟩ per qubit); "probabilities" reads the 2^Q basis-state probabilities. */
  readout?: ReadoutKind;
  /** Another optimiser than `cfg.lr` × `cfg.epochs` (a reading's). */
  optimiser?: { lr: number; epochs: number };
  /** A reading's inputs differ (e.g. "unit": pixels / 255): names the checkpoint, not the stream. */
  variant?: string;
};

/**
 * The spec of a hybrid student ({@link imageStudent}); `student.teacher` names the KD source of its runs (the id
 * gains `-from-<teacher>` so checkpoints of different teachers never mix; the stream stays `studentId`, so every run
 * of the same student starts from the same initialisation and sees the same batches). Throws on an encoding not in
 * {@link HASAN_ENCODINGS}.
 */
export function studentSpec(
  cfg: HasanConfig,
  data: HasanData,
  student: HasanStudent,
): ModelSpec<Float64Array, TfClassifier> {
  const { nQubits, reduction, encoding, teacher, pca, readout = "expectation", optimiser, variant } = student;
  checkOneOf("studentSpec", "encoding", encoding, HASAN_ENCODINGS);
  // another optimiser or other inputs (a reading's `variant`) is another run: its own checkpoint name, the same
  // initialisation stream and batches
  const stream = studentId(nQubits, reduction, encoding, readout);
  const withOptimiser = optimiser ? `${stream}-lr${optimiser.lr}x${optimiser.epochs}` : stream;
  const base = variant ? `${withOptimiser}-${variant}` : withOptimiser;
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
      const m = studentSpec(cfg, data, {
        nQubits: Q,
        reduction: r,
        encoding: e,
        teacher: null,
        pca: r === "pca" ? pca : undefined,
        readout: k,
      }).build("0/count", "count");
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
  // a reading on other images (`normalisation`) trains its own ablation teacher
  const readingTeachers = cfg.variants.some((v) => HASAN_READINGS[v].normalisation === "unit") ? 1 : 0;
  const teachers = new Set([...cfg.teachers, cfg.ablationTeacher]).size + readingTeachers;
  const perQ =
    1 +
    cfg.teachers.length +
    (cfg.teachers.includes(cfg.ablationTeacher) ? 0 : 1) +
    cfg.reductions.filter((r) => r !== "dense").length +
    cfg.encodings.filter((e) => e !== "amplitude").length +
    cfg.variants.length;
  return teachers + cfg.qubits.length * perQ;
}

/** The images, splits and teacher logits of a reading on other inputs (`HasanReading.normalisation`). */
type OtherInputs = { data: HasanData; split: SplitPair<Float64Array>; kd: KDRun };

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

/** What one dataset and seed keep in a unit store: rows, histories and every model's final checkpoint. */
export interface HasanUnitResult {
  dataset: HasanDataset;
  seed: number;
  rows: ResultRow[];
  histories: Record<string, HistoryRow[]>;
  /** The final checkpoint of each model, by file name in its checkpoint folder (`seedUnits.collectCheckpoints`). */
  checkpoints: Record<string, unknown>;
}

/** The unit id of one dataset and seed in a store: `<dataset>.seed-<s>`, e.g. `"mnist.seed-3"`. */
export function hasanUnit(dataset: HasanDataset, seed: number): string {
  return `${dataset}.seed-${seed}`;
}

/**
 * {@link runHasan} for every seed and dataset (seeds outer), each in its own checkpoint folder
 * `<resultsDir>/checkpoints/<hash of hasanCheckpointKey(cfg)>-<dataset>-seed<s>`, so an interrupted run resumes
 * seed by seed.
 *
 * With a unit store (`hooks.store`, the folder of `hasanCheckpointKey(cfg)`): a dataset and seed that a sweep left
 * there ({@link HASAN_UNITS}) give the stored rows and histories, and its models come from the stored final
 * checkpoints (copied into the checkpoint folder, every model resumes at its end without training); one computed
 * here is written to the store.
 * @param hooks.onModel - called after each model trains (progress); `onStage` before it, with its label;
 *   `onRun` after each dataset and seed.
 * @throws Error when `data` lacks one of `datasets`.
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
    store?: UnitStore | null;
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
      const stored = hooks.store?.read<HasanUnitResult>(hasanUnit(d, s)) ?? null;
      if (stored) restoreCheckpoints(stored.checkpoints, checkpointDir);
      const run = await runHasan(cfg, dd, s, {
        hooksFor: () => ({ checkpointDir, done: () => hooks.onModel?.() }),
        ...(hooks.onStage ? { onStage: hooks.onStage } : {}),
      });
      if (stored) {
        runs.push({ ...run, rows: stored.rows, histories: stored.histories });
      } else {
        runs.push(run);
        hooks.store?.write(hasanUnit(d, s), unitResult(run, checkpointDir));
      }
      hooks.onRun?.(d, s);
    }
  }
  return runs;
}

function unitResult(run: HasanRun, checkpointDir: string): HasanUnitResult {
  const { dataset, seed, rows, histories } = run;
  return { dataset, seed, rows, histories, checkpoints: collectCheckpoints(checkpointDir) };
}

/**
 * Hasan & Mahdy's work units (`Experiment.units`): one per seed and dataset found on the machine that lists them
 * (`datasetAvailability`: every node of a sweep needs the same datasets), seeds outer as {@link runHasanSeeds} runs
 * them, in the store folder of `hasanCheckpointKey(cfg)` as {@link hasanUnit}; each a {@link HasanUnitResult}.
 */
export const HASAN_UNITS: ExperimentUnits = {
  list(request: RunRequest): WorkUnit[] {
    const cfg = hasanConfig({ nSeeds: request.seeds }, request.quick);
    const datasets = datasetAvailability(cfg)
      .filter((a) => a.available)
      .map((a) => a.dataset);
    return hasanSeeds(cfg).flatMap((s) =>
      datasets.map((d) => ({ settings: hasanCheckpointKey(cfg), unit: hasanUnit(d, s), label: `${d}, seed ${s}` })),
    );
  },
  async run(unit: WorkUnit, checkpointDir: string): Promise<HasanUnitResult> {
    const m = /^(.+)\.seed-(\d+)$/.exec(unit.unit);
    if (!m) throw new Error(`HASAN_UNITS.run: unit must be "<dataset>.seed-<n>", got ${JSON.stringify(unit.unit)}`);
    const cfg = { ...(unit.settings as Omit<HasanConfig, "nSeeds">), nSeeds: 1 };
    const dataset = m[1] as HasanDataset;
    await useTfBackend();
    const run = await runHasan(cfg, hasanData(cfg, dataset), Number(m[2]), {
      hooksFor: () => ({ checkpointDir }),
    });
    return unitResult(run, checkpointDir);
  },
};

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
  // a reading on other images (`normalisation`) has its own ablation teacher, trained on them
  const unitReadings = cfg.variants.filter((v) => HASAN_READINGS[v].normalisation === "unit");
  let unit: OtherInputs | null = null;
  if (unitReadings.length > 0) {
    const at = cfg.ablationTeacher;
    const du = unitNormalised(data);
    const spec = teacherSpec(cfg, du, at, "unit");
    const h = hk(spec.id, `${data.dataset}: teacher ${teacherLabel(at)} on pixels / 255`, spec);
    const tr = await hasanTeacher(cfg, du, at, seed, h, "unit");
    h.done?.();
    teachers[spec.id] = tr;
    histories[spec.id] = tr.result.history;
    unit = { data: du, split: { train: du.train, test: du.test }, kd: teacherKdRun(cfg, tr.model, du.train.inputs) };
    rows.push(
      row(cfg, du, spec, tr, seed, null, {
        reduction: null,
        encoding: null,
        teacher: at,
        experiment: "teacher",
        cached: tr.cached,
        variant: unitReadings.join(","),
      }),
    );
  }
  // between models the event loop turns, so that a notebook kernel can send the progress output queued meanwhile
  const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
  const train = async (
    spec: ModelSpec<Float64Array, TfClassifier>,
    teacher: HasanTeacher | null,
    extra: Record<string, unknown>,
    on: OtherInputs | null = null,
  ) => {
    await yieldToEventLoop();
    const kd = teacher ? (on?.kd ?? kdRuns[teacher]) : null;
    const name = modelName(spec, kd);
    const h = hk(name, `${data.dataset}: ${spec.label}${teacher ? ` + KD from ${teacherLabel(teacher)}` : ""}`, spec);
    const t = trainModel(spec, on?.split ?? split, seed, kd, h);
    h.done?.();
    students[t.name] = t;
    histories[t.name] = t.result.history;
    rows.push(row(cfg, on?.data ?? data, spec, t, seed, kd, { teacher, ...extra }));
  };
  for (const Q of cfg.qubits) {
    const paper = (m: Fig12Method) => (Q === 4 || Q === 8 ? HASAN_FIG12[data.dataset][Q][m] : null);
    const main = { reduction: "dense", encoding: "amplitude" };
    await train(
      studentSpec(cfg, data, { nQubits: Q, reduction: "dense", encoding: "amplitude", teacher: null }),
      null,
      {
        ...main,
        experiment: "main",
        paperTestError: null,
      },
    );
    for (const t of cfg.teachers) {
      await train(studentSpec(cfg, data, { nQubits: Q, reduction: "dense", encoding: "amplitude", teacher: t }), t, {
        ...main,
        experiment: "main",
        paperTestError: paper("original"),
      });
    }
    const at = cfg.ablationTeacher;
    if (!cfg.teachers.includes(at))
      await train(studentSpec(cfg, data, { nQubits: Q, reduction: "dense", encoding: "amplitude", teacher: at }), at, {
        ...main,
        experiment: "ablation",
        paperTestError: paper("original"),
      });
    const pca = cfg.reductions.includes("pca") ? hasanPca(data, 2 ** Q) : undefined;
    for (const r of cfg.reductions.filter((x) => x !== "dense")) {
      await train(
        studentSpec(cfg, data, {
          nQubits: Q,
          reduction: r,
          encoding: "amplitude",
          teacher: at,
          pca: r === "pca" ? pca : undefined,
        }),
        at,
        {
          reduction: r,
          encoding: "amplitude",
          experiment: "ablation",
          paperTestError: paper(r as Fig12Method),
        },
      );
    }
    for (const e of cfg.encodings.filter((x) => x !== "amplitude")) {
      await train(studentSpec(cfg, data, { nQubits: Q, reduction: "dense", encoding: e, teacher: at }), at, {
        reduction: "dense",
        encoding: e,
        experiment: "ablation",
        paperTestError: paper(e as Fig12Method),
      });
    }
    for (const v of cfg.variants) {
      const rd = HASAN_READINGS[v];
      const on = rd.normalisation === "unit" ? unit : null;
      const spec = studentSpec(cfg, on?.data ?? data, {
        nQubits: Q,
        reduction: "dense",
        encoding: rd.encoding,
        teacher: at,
        readout: rd.readout,
        optimiser: rd.optimiser,
        variant: on ? "unit" : undefined,
      });
      const extra = {
        reduction: "dense",
        encoding: rd.encoding,
        readout: rd.readout,
        experiment: "ablation",
        variant: v,
        paperTestError: paper(rd.varies),
      };
      await train(spec, at, extra, on);
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
