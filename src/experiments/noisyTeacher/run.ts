/**
 * The noisy-teacher study, the models and the run: teachers and students at each noise level, and one seed's run.
 *
 * @packageDocumentation
 */
import { QNNClassifier, QuantumInput } from "../../qnn/classifier";
import { computeTeacherLogits } from "../../kd/teacher";
import { accuracy } from "../../train/metrics";
import { ResultRow } from "../results";
import {
  HooksFor,
  ModelSpec,
  SplitPair,
  Trained,
  expectationTeacher,
  iterationFit,
  kdSettingsOf,
  modelRow,
  trainWithHooks,
} from "../protocol";
import { hardwareEfficientSpec, zxzSplits } from "../specs";
import { table1Data } from "../yan/table1";
import type { UnitStore } from "../../store/units";
import { seedUnit, unitSeed, type ExperimentUnits, type RunRequest, type WorkUnit } from "../entry";
import { NoisyTeacherConfig, noiseModelAt, noisySeeds, noisyTeacherConfig, teacherLabel } from "./config";

/**
 * The model specs: the two teachers (ids "teacher", "teacher-large"), the clean student (id "student") and the
 * noisy student at p (id "student-p<p>"); every student shares the stream "student" (one initialisation, one batch
 * stream). Noisy students evaluate only after their last iteration (density-matrix evaluation is the slow part).
 */
export function noisySpecs(cfg: NoisyTeacherConfig): {
  teachers: ModelSpec<QuantumInput, QNNClassifier>[];
  student: ModelSpec<QuantumInput, QNNClassifier>;
  noisyStudent: (p: number) => ModelSpec<QuantumInput, QNNClassifier>;
} {
  const teacher = (id: string, layers: number) =>
    hardwareEfficientSpec({
      id,
      label: teacherLabel(cfg, layers),
      role: "teacher",
      nQubits: cfg.nQubits,
      nLayers: layers,
      readout: cfg.readout,
      logitScale: cfg.teacherLogitScale,
      fit: iterationFit(cfg, cfg.teacherIterations, { lr: cfg.teacherLr, stepSize: cfg.teacherStepSize }),
    });
  const student = (id: string, p: number | null) =>
    hardwareEfficientSpec({
      id,
      label: `student ${cfg.nQubits}×${cfg.student2Layers}`,
      role: "student",
      stream: "student",
      nQubits: cfg.nQubits,
      nLayers: cfg.student2Layers,
      readout: cfg.readout,
      logitScale: cfg.studentLogitScale,
      fit: iterationFit(cfg, cfg.studentIterations, p === null ? {} : { evalEvery: cfg.studentIterations }),
      noise: p === null ? null : { model: noiseModelAt(p), shots: cfg.shots },
    });
  return {
    teachers: [teacher("teacher", cfg.teacherLayers), teacher("teacher-large", cfg.largeTeacherLayers)],
    student: student("student", null),
    noisyStudent: (p) => student(`student-p${p}`, p),
  };
}

/** Number of models one seed trains (for progress bars): 2 teachers, 2 + 2·|P| clean students, 2·|P| noisy students. */
export function noisyModelCount(cfg: NoisyTeacherConfig): number {
  return 4 + 4 * cfg.noiseLevels.length;
}

/** The `teacher` field of the control run distilled towards a uniform target. */
export const UNIFORM_TARGET = "uniform target";

/** Everything one seed of {@link runNoisyTeacher} produces. */
export interface NoisyTeacherRun {
  seed: number;
  rows: ResultRow[];
  /** The trained teachers (clean) and the students of part 3 at p = noiseLevels[0], by name. */
  models: Record<string, Trained<QNNClassifier>>;
}

/**
 * Runs parts 1–4 of the module doc for one seed.
 * @param hooks.hooksFor - per-model progress and checkpoint hooks (called before each model trains).
 * @param hooks.onStage - called with a stage name before each step.
 * @throws Error if the data do not match cfg.nTrain / nTest.
 */
export async function runNoisyTeacher(
  cfg: NoisyTeacherConfig,
  data: SplitPair<QuantumInput>,
  seed: number,
  hooks: { hooksFor?: HooksFor; onStage?: (stage: string) => void } = {},
): Promise<NoisyTeacherRun> {
  if (data.train.inputs.length !== cfg.nTrain || data.test.inputs.length !== cfg.nTest) {
    throw new Error(
      `runNoisyTeacher: the data have ${data.train.inputs.length} + ${data.test.inputs.length} states but cfg asks for ${cfg.nTrain} + ${cfg.nTest}`,
    );
  }
  const specs = noisySpecs(cfg),
    kdSettings = kdSettingsOf(cfg);
  const rows: ResultRow[] = [],
    models: Record<string, Trained<QNNClassifier>> = {};
  const train = async (spec: ModelSpec<QuantumInput, QNNClassifier>, logits: Float64Array[] | null, stage: string) => {
    hooks.onStage?.(stage);
    await new Promise((r) => setImmediate(r)); // let the kernel send progress between models
    return trainWithHooks(spec, data, seed, logits ? { ...kdSettings, teacherLogits: logits } : null, hooks.hooksFor);
  };
  const row = (
    spec: ModelSpec<QuantumInput, QNNClassifier>,
    t: Pick<Trained, "result">,
    extra: Record<string, unknown>,
    kd: boolean,
  ): ResultRow => modelRow(spec, t, seed, kd ? kdSettings : null, null, { shots: cfg.shots, ...extra });
  // 1. clean teachers; the clean student without KD (the baseline of part 2)
  const teachers: Trained<QNNClassifier>[] = [];
  for (const spec of specs.teachers) {
    const t = await train(spec, null, spec.label);
    teachers.push(t);
    models[spec.id] = t;
    rows.push(row(spec, t, { experiment: "teachers", p: null, teacher: null }, false));
  }
  const base = await train(specs.student, null, "student, no KD");
  rows.push(row(specs.student, base, { experiment: "noisy-teacher", p: null, teacher: null }, false));
  const flat = data.train.inputs.map(() => new Float64Array(cfg.readout.length));
  const uspec = { ...specs.student, id: "student-uniform" };
  const uniform = await train(uspec, flat, "student, KD towards a uniform target (control)");
  rows.push(row(uspec, uniform, { experiment: "noisy-teacher", p: null, teacher: UNIFORM_TARGET }, true));
  // 2. each teacher on the noisy device → its measured ⟨Z⟩ → a clean student
  for (let i = 0; i < teachers.length; i++) {
    const spec = specs.teachers[i];
    for (const p of cfg.noiseLevels) {
      const device = teachers[i].model.withNoise(
        p === 0 && cfg.shots === null
          ? null
          : { model: noiseModelAt(p), shots: cfg.shots, seed: `${seed}/${spec.id}-device-p${p}` },
      );
      const testAccuracy = accuracy(device, data.test);
      rows.push({
        ...row(spec, teachers[i], { experiment: "noisy-teacher", p, teacher: null }, false),
        trainAccuracy: null,
        testAccuracy,
      });
      const logits = computeTeacherLogits(expectationTeacher(device), data.train.inputs);
      const sspec = { ...specs.student, id: `student-from-${spec.id}-p${p}` };
      const s = await train(sspec, logits, `student, KD from ${spec.label} at p = ${p}`);
      rows.push(row(sspec, s, { experiment: "noisy-teacher", p, teacher: spec.label }, true));
    }
  }
  // 3. the student trained on the noisy device, without and with KD from the clean 7 × 2 teacher's exact ⟨Z⟩
  const cleanLogits = computeTeacherLogits(expectationTeacher(teachers[0].model), data.train.inputs);
  const atZero: Trained<QNNClassifier>[] = [];
  for (const p of cfg.noiseLevels) {
    const spec = specs.noisyStudent(p);
    for (const kd of [false, true]) {
      const t = await train(spec, kd ? cleanLogits : null, `noisy student at p = ${p}${kd ? " + KD" : ""}`);
      rows.push(row(spec, t, { experiment: "noisy-student", p, teacher: kd ? specs.teachers[0].label : null }, kd));
      if (p === cfg.noiseLevels[0]) {
        atZero.push(t);
        models[t.name] = t;
      }
    }
  }
  // 4. robustness: the students trained at the first noise level, evaluated at the others
  hooks.onStage?.("robustness");
  for (const p of cfg.noiseLevels.slice(1)) {
    atZero.forEach((t, k) => {
      const device = t.model.withNoise({
        model: noiseModelAt(p),
        shots: cfg.shots,
        seed: `${seed}/robustness-p${p}-${k}`,
      });
      const spec = specs.noisyStudent(cfg.noiseLevels[0]);
      rows.push({
        ...row(
          spec,
          t,
          { experiment: "robustness", p, trainedAt: cfg.noiseLevels[0], teacher: k ? specs.teachers[0].label : null },
          k === 1,
        ),
        trainAccuracy: null,
        testAccuracy: accuracy(device, data.test),
      });
    });
  }
  return { seed, rows, models };
}

/** What one seed of the study keeps in a unit store: its result rows (the trained models are not kept). */
export interface NoisySeedResult {
  seed: number;
  rows: ResultRow[];
}

/** The settings a seed's result depends on, the key of its store folder: the configuration without its seed count. */
export function noisyUnitSettings(cfg: NoisyTeacherConfig): Omit<NoisyTeacherConfig, "nSeeds"> {
  const { nSeeds: _count, ...rest } = cfg;
  return rest;
}

/**
 * One seed of the study: read from the unit store when a sweep (`qnn-kd sweep noisy-teacher`) left it there, else run
 * ({@link runNoisyTeacher}) and written to the store.
 * @param store - the store folder of {@link noisyUnitSettings}(cfg), or null. @defaultValue null
 */
export async function noisySeed(
  cfg: NoisyTeacherConfig,
  data: SplitPair<QuantumInput>,
  seed: number,
  hooks: { hooksFor?: HooksFor; onStage?: (stage: string) => void } = {},
  store: UnitStore | null = null,
): Promise<NoisySeedResult> {
  const stored = store?.read<NoisySeedResult>(seedUnit(seed));
  if (stored) {
    hooks.onStage?.("read from the unit store");
    return stored;
  }
  const r = await runNoisyTeacher(cfg, data, seed, hooks);
  const out = { seed, rows: r.rows };
  store?.write(seedUnit(seed), out);
  return out;
}

/**
 * The study's work units (`Experiment.units`): one per seed, in the store folder of {@link noisyUnitSettings}, so a
 * run with more seeds reuses the seeds it shares with a smaller one.
 */
export const NOISY_UNITS: ExperimentUnits = {
  list(request: RunRequest): WorkUnit[] {
    const cfg = noisyTeacherConfig({ nSeeds: request.seeds }, request.quick);
    return noisySeeds(cfg).map((s) => ({ settings: noisyUnitSettings(cfg), unit: seedUnit(s), label: `seed ${s}` }));
  },
  async run(unit: WorkUnit, checkpointDir: string): Promise<NoisySeedResult> {
    const cfg = { ...(unit.settings as Omit<NoisyTeacherConfig, "nSeeds">), nSeeds: 1 };
    const seed = unitSeed("NOISY_UNITS.run", unit.unit);
    const r = await runNoisyTeacher(cfg, zxzSplits(table1Data(cfg)), seed, { hooksFor: () => ({ checkpointDir }) });
    return { seed, rows: r.rows };
  },
};
