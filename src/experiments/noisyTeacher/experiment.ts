/**
 * The open question of Yan et al. (Sec. IV) as an experiment: can a teacher that is large but NOISY still teach a
 * small, noiseless student — and does KD make a student robust to noise? On the 7-qubit ZXZ task of Table 1
 * (`yan/table1.ts`), with depolarising noise after every gate (`sim/noise/model.ts` {@link NoiseModel.depolarizing}: p
 * after each one-qubit gate, the two-qubit channel with p after each CNOT) and finite measurement shots.
 *
 * Per seed (all streams derived from it; the data are the same for every seed):
 * 1. **Teachers, trained without noise**: Table 1's 7 × 2 teacher and a larger 7 × L teacher (`largeTeacherLayers`),
 *    each with the Table 1 teacher settings (here: the sharp-teacher variant, see {@link NOISY_DEFAULTS}).
 * 2. **Noisy teacher → clean student** (`experiment: "noisy-teacher"`): each teacher deployed at each p of
 *    `noiseLevels` (exact density matrices, `shots` shots per expectation value): its test accuracy there, and its
 *    measured ⟨Z⟩ on the training states as the soft targets of a noiseless 7 × 1 student (Table 1's student (2)).
 *    The student without KD (`p: null`) is the baseline; a student distilled towards a UNIFORM target (teacher
 *    ⟨Z⟩ = 0 for every state, `teacher: "uniform target"`, `p: null`) is the control that tells what the teacher
 *    passes on from what the KL term does on its own (a flat target is a pure confidence penalty). Every student
 *    starts from one initialisation and sees one batch stream.
 * 3. **Clean teacher → noisy student** (`experiment: "noisy-student"`): the 7 × 1 student trained ON the noisy
 *    device at each p (exact density-matrix adjoint gradients, the infinite-shot limit; accuracies measured with
 *    `shots` shots), without KD and with KD from the clean 7 × 2 teacher's exact ⟨Z⟩.
 * 4. **Robustness** (`experiment: "robustness"`): the students trained at p = 0 in part 3, evaluated at each p > 0.
 *
 * Rows: the common fields plus `experiment`, `p` (the depolarising probability of the row's noisy model; null for
 * the clean baseline), `shots`, `teacher` (the KD source's label, or null). A teacher row's `testAccuracy` is measured
 * at its p; its `trainAccuracy` is null there.
 *
 * @packageDocumentation
 */
import { QNNClassifier, QuantumInput } from "../../qnn/classifier";
import { NoiseModel } from "../../sim/noise/model";
import { computeTeacherLogits } from "../../kd/teacher";
import { accuracy } from "../../train/metrics";
import { withDefaults, checkSettings } from "../../util/options";
import { ResultRow } from "../results";
import { ClaimPart, Direction, SeedValues, notAtCeiling, pairedPart, seedValues, untestablePart } from "../verdicts";
import { mean, sampleVariance } from "../intervals";
import { claimRecords, ClaimRecord } from "../claims";
import { Unit, formatMeanStd } from "../../util/format";
import { groupMeanStd, MeanStd } from "../seeds";
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
import { hardwareEfficientSpec } from "../specs";
import { TABLE1_DEFAULTS, TABLE1_SHARP_TEACHER, Table1Config, checkTable1Config } from "../yan/table1";
import type { Experiment } from "../entry";

/** All settings of the noisy-teacher experiment. */
export interface NoisyTeacherConfig extends Table1Config {
  /** Depolarising probabilities p (the issue's: 0, 10⁻³, 10⁻², 5·10⁻²), each in [0, 1). */
  noiseLevels: number[];
  /** Measurement shots per expectation value of a noisy model (chosen: 1000); null = exact expectation values. */
  shots: number | null;
  /** Layers of the larger teacher (chosen: 6, three times Table 1's). */
  largeTeacherLayers: number;
  /** Seeds (initialisations, batches, shots): cfg.seed, cfg.seed + 1, … (chosen: 3). */
  nSeeds: number;
}

/**
 * Our defaults: Table 1's settings with its sharp-teacher variant (teacher logits ×10, readout qubits 5 and 6,
 * teacher lr 0.05, α = 0.9: at Table 1's plain defaults the teacher stays near 70% and KD moves nothing, so there
 * would be nothing for noise to destroy), 500 + 500 ground states (Table 1: 1000 + 1000; halved for the
 * density-matrix training), 1000 shots, a 7 × 6 large teacher, 3 seeds.
 */
export const NOISY_DEFAULTS: Readonly<NoisyTeacherConfig> = Object.freeze({
  ...TABLE1_DEFAULTS,
  ...TABLE1_SHARP_TEACHER,
  // the study keeps Table 1's settings as they were when it ran (before the readings of PARAMS.md, 2026-12-06):
  // no final rotation layer, a 200-iteration teacher, KD from the teacher's unscaled ⟨Z⟩
  finalRotationLayer: false,
  teacherIterations: 200,
  kdTarget: "expectations",
  nTrain: 500,
  nTest: 500,
  noiseLevels: [0, 1e-3, 1e-2, 5e-2],
  shots: 1000,
  largeTeacherLayers: 6,
  nSeeds: 5,
});

/** Overrides for `--quick` (CI): 60 + 60 states, short training, p ∈ {0, 0.05}, a 7 × 3 large teacher, 200 shots. */
export const NOISY_QUICK: Readonly<Partial<NoisyTeacherConfig>> = Object.freeze({
  nTrain: 60,
  nTest: 60,
  teacherIterations: 30,
  studentIterations: 15,
  noiseLevels: [0, 0.05],
  largeTeacherLayers: 3,
  shots: 200,
  nSeeds: 1,
  evalEvery: 15,
});

/**
 * The configuration: defaults, then the quick overrides when `quick`, then `overrides`.
 * @throws Error for an unknown option or a bad value, naming the option, its value and what is allowed: every Table 1
 * setting (`yanTable1.checkTable1Config`), noise levels outside [0, 1), shots not an integer in [1, 10⁸] or null,
 * nSeeds or largeTeacherLayers not an integer in [1, 100].
 */
export function noisyTeacherConfig(overrides: Partial<NoisyTeacherConfig> = {}, quick = false): NoisyTeacherConfig {
  const W = "noisyTeacherConfig";
  const base = quick ? { ...NOISY_DEFAULTS, ...NOISY_QUICK } : { ...NOISY_DEFAULTS };
  const cfg = withDefaults(W, base as NoisyTeacherConfig, overrides);
  checkSettings(W, cfg, {
    noiseLevels: { kind: "probabilities", below: 1 },
    shots: { kind: "positiveInt", max: 1e8, nullable: true },
    nSeeds: { kind: "positiveInt", max: 100 },
    largeTeacherLayers: { kind: "positiveInt", max: 100 },
  });
  return checkTable1Config(W, cfg);
}

/** The seeds of a run: cfg.seed … cfg.seed + nSeeds − 1. */
export function noisySeeds(cfg: NoisyTeacherConfig): number[] {
  return Array.from({ length: cfg.nSeeds }, (_, k) => cfg.seed + k);
}

/** The device model at depolarising probability p: depolarizing(p) after one-qubit gates, depolarizing(p, 2) after two-qubit gates. */
export function noiseModelAt(p: number): NoiseModel {
  return NoiseModel.depolarizing(p, p);
}

/** Label of a teacher: "teacher 7×2". */
const teacherLabel = (cfg: NoisyTeacherConfig, layers: number) => `teacher ${cfg.nQubits}×${layers}`;

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

/** A fraction's mean ± std over seeds in percent ("97.4 ± 1.6"; the mean alone for one seed), by the one formatter. */
function percentMeanStd(m: MeanStd): string {
  return formatMeanStd(100 * m.mean, 100 * m.std, "accuracy (%)", m.n).replace(/%$/, "");
}

/** One line of {@link noiseCurves}: mean ± std over seeds of a model's test accuracy at each noise level. */
export interface NoiseCurve {
  experiment: string;
  /** e.g. "teacher 7×2", "KD from teacher 7×6", "no KD". */
  name: string;
  /** Per noise level (the config's order): mean ± std, or null where the curve has no row. */
  points: (MeanStd | null)[];
}

/** The curves of each part (module doc) over seeds, for tables and figures. */
export function noiseCurves(cfg: NoisyTeacherConfig, rows: readonly ResultRow[]): NoiseCurve[] {
  const key = (r: ResultRow) => {
    if (r.experiment === "teachers") return null;
    const who = r.role === "teacher" ? r.model : r.kd ? `KD from ${r.teacher}` : "no KD";
    return `${r.experiment}|${who}|${r.p ?? "base"}`;
  };
  const stats = groupMeanStd(rows, key, (r) => r.testAccuracy);
  const curves: NoiseCurve[] = [];
  const add = (experiment: string, name: string, base = false) => {
    const points = cfg.noiseLevels.map((p) => stats.get(`${experiment}|${name}|${base ? "base" : p}`) ?? null);
    if (points.some((x) => x)) curves.push({ experiment, name, points });
  };
  const teacherNames = [teacherLabel(cfg, cfg.teacherLayers), teacherLabel(cfg, cfg.largeTeacherLayers)];
  for (const t of teacherNames) add("noisy-teacher", t);
  for (const t of teacherNames) add("noisy-teacher", `KD from ${t}`);
  add("noisy-teacher", "no KD", true);
  add("noisy-teacher", `KD from ${UNIFORM_TARGET}`, true);
  add("noisy-student", "no KD");
  add("noisy-student", `KD from ${teacherNames[0]}`);
  // robustness: p = noiseLevels[0] is the students' own (part 3) accuracy
  for (const name of ["no KD", `KD from ${teacherNames[0]}`]) {
    const own = stats.get(`noisy-student|${name}|${cfg.noiseLevels[0]}`) ?? null;
    const points = cfg.noiseLevels.map((p, i) => (i === 0 ? own : (stats.get(`robustness|${name}|${p}`) ?? null)));
    if (points.some((x) => x)) curves.push({ experiment: "robustness", name, points });
  }
  return curves;
}

/**
 * Where the experiment's statements come from, for the scorecard: OUR hypotheses on the open question of Yan et al.
 * Sec. IV, not claims of any paper (`claimRecords({ ...NOISY_SOURCE, checks })` marks them `kind: "hypothesis"`).
 */
export const NOISY_SOURCE = Object.freeze({
  paper: "qnn-kd noisy-teacher study (after Yan et al. Sec. IV)",
  figure: "Sec. IV open question",
  kind: "hypothesis" as const,
});

/** Our hypotheses on the open question of Sec. IV, as checkable statements (not claims of the paper). */
export const NOISY_CLAIMS = Object.freeze({
  teaches: "a noisy teacher still teaches: at the largest noise level, KD from it beats the student without KD",
  knowledge:
    "what the noisy teacher passes on is more than regularisation: at the largest noise level, KD from it beats KD towards a uniform target",
  large: "a larger (deeper) noisy teacher teaches no worse than the small one at the largest noise level",
  robust:
    "KD makes a student robust to noise: trained without noise, the KD student loses less accuracy at the largest noise level",
  noisyTraining: "a student trained on the noisy device gains from KD (clean teacher) at the largest noise level",
});

/**
 * Checks the hypotheses {@link NOISY_CLAIMS} over the rows of all seeds at the largest noise level p_max, with the
 * verdict engine (`verdicts.ts`): every part is a {@link pairedPart} in accuracy points, paired by seed, because every
 * student of a seed is the same 7 × 1 spec from the same initialisation and batch stream, whatever its target.
 * - teaches (per teacher, small and large): KD from the teacher run at p_max − no KD > 0;
 * - knowledge (per teacher): KD from the teacher run at p_max − KD towards a uniform target > 0;
 * - large: KD from the large teacher − KD from the small one > −1 point (no worse than 1 point below);
 * - robust: the accuracy drop of the students trained at p = noiseLevels[0] (their own accuracy there minus their
 *   accuracy run at p_max), no KD's drop − KD's drop > 0;
 * - noisyTraining: KD (clean small teacher) − no KD, both trained on the device at p_max, > 0.
 * The parts that claim a gain (teaches, knowledge, noisyTraining) are not testable when both arms sit at the
 * accuracy ceiling. The old rule (a difference of seed means counted above a 1-point margin and its standard error)
 * is gone: the engine's 95% intervals over seeds decide (holds / contradicted / inconclusive / not testable; fewer
 * than 3 seeds are always inconclusive). A part whose rows are missing (e.g. robustness with one noise level) is not
 * testable.
 * @throws Error when the arms of a part do not have the same seeds (a broken run).
 */
export function checkNoisyClaims(cfg: NoisyTeacherConfig, rows: readonly ResultRow[]): ClaimPart[] {
  const p0 = cfg.noiseLevels[0],
    pMax = cfg.noiseLevels[cfg.noiseLevels.length - 1];
  const small = teacherLabel(cfg, cfg.teacherLayers),
    large = teacherLabel(cfg, cfg.largeTeacherLayers);
  const student = (experiment: string, kd: boolean, p: number | null, teacher: string | null) =>
    seedValues(
      rows,
      (r) =>
        r.experiment === experiment &&
        r.role === "student" &&
        r.kd === kd &&
        (r.p ?? null) === p &&
        (teacher === null || r.teacher === teacher),
      (r) => r.testAccuracy,
    );
  const base = student("noisy-teacher", false, null, null),
    uniform = student("noisy-teacher", true, null, UNIFORM_TARGET);
  const kdFrom = {
    [small]: student("noisy-teacher", true, pMax, small),
    [large]: student("noisy-teacher", true, pMax, large),
  };
  const unit = "accuracy points" as const,
    greater0 = { kind: "greater" as const, margin: 0 };
  const paired = (o: {
    claim: string;
    test: string;
    measure: string;
    a: SeedValues;
    b: SeedValues;
    labels: [string, string];
    direction?: Direction;
    gain?: boolean;
    levelUnit?: Unit;
    missing: string;
  }): ClaimPart => {
    const common = { claim: o.claim, test: o.test, measure: o.measure, unit, scale: 100 };
    if (o.a.length === 0 || o.b.length === 0) return untestablePart({ ...common, reason: `no rows of ${o.missing}` });
    return pairedPart({
      ...common,
      a: o.a,
      b: o.b,
      direction: o.direction ?? greater0,
      labels: o.labels,
      levelUnit: o.levelUnit ?? "accuracy (%)",
      ...(o.gain ? { precondition: notAtCeiling(o.a, o.b, "test accuracy") } : {}),
    });
  };
  const out: ClaimPart[] = [];
  for (const t of [small, large]) {
    out.push(
      paired({
        claim: NOISY_CLAIMS.teaches,
        test: `KD from ${t} run at p = ${pMax} − no KD > 0 points`,
        measure: `final test accuracy (%) of the clean 7×1 student, KD from ${t} run at p = ${pMax} − no KD, per seed`,
        a: kdFrom[t],
        b: base,
        labels: [`KD from ${t}`, "no KD"],
        gain: true,
        missing: `the student distilled from ${t} at p = ${pMax} or the student without KD`,
      }),
    );
  }
  for (const t of [small, large]) {
    out.push(
      paired({
        claim: NOISY_CLAIMS.knowledge,
        test: `KD from ${t} run at p = ${pMax} − KD towards a uniform target > 0 points`,
        measure: `final test accuracy (%) of the clean 7×1 student, KD from ${t} run at p = ${pMax} − KD towards a uniform target, per seed`,
        a: kdFrom[t],
        b: uniform,
        labels: [`KD from ${t}`, UNIFORM_TARGET],
        gain: true,
        missing: `the student distilled from ${t} at p = ${pMax} or the uniform-target control`,
      }),
    );
  }
  const largePart = paired({
    claim: NOISY_CLAIMS.large,
    test: `KD from ${large} − KD from ${small}, both run at p = ${pMax}, > −1 point`,
    measure: `final test accuracy (%) of the clean 7×1 student, KD from ${large} − KD from ${small}, both teachers run at p = ${pMax}, per seed`,
    a: kdFrom[large],
    b: kdFrom[small],
    labels: [`KD from ${large}`, `KD from ${small}`],
    direction: { kind: "greater", margin: -1 },
    missing: `the students distilled from the teachers at p = ${pMax}`,
  });
  const teacherAt = (t: string) =>
    rows
      .filter(
        (r) =>
          r.experiment === "noisy-teacher" &&
          r.role === "teacher" &&
          r.model === t &&
          r.p === pMax &&
          r.testAccuracy !== null,
      )
      .map((r) => 100 * (r.testAccuracy as number));
  const tText = (t: string) => {
    const v = teacherAt(t);
    return v.length
      ? `${t} ${formatMeanStd(mean(v), Math.sqrt(sampleVariance(v)), "accuracy (%)", v.length)}`
      : `${t} n/a`;
  };
  out.push(
    largePart.effect
      ? { ...largePart, ours: `${largePart.ours} (the teachers at p = ${pMax}: ${tText(large)}, ${tText(small)})` }
      : largePart,
  );
  // robustness: the students trained at p0 (part 3's rows at p0), run at p_max (the robustness rows)
  const drops = (kd: boolean): SeedValues => {
    const own = new Map(student("noisy-student", kd, p0, kd ? small : null).map((x) => [x.seed, x.value]));
    return student("robustness", kd, pMax, kd ? small : null)
      .filter((x) => own.has(x.seed))
      .map((x) => ({ seed: x.seed, value: (own.get(x.seed) as number) - x.value }));
  };
  out.push(
    pMax === p0
      ? untestablePart({
          claim: NOISY_CLAIMS.robust,
          test: "no-KD drop − KD drop > 0 points",
          measure: `accuracy drop (points) of the 7×1 students trained at p = ${p0}`,
          unit,
          reason: `one noise level (p = ${p0}): no drop to compare`,
        })
      : paired({
          claim: NOISY_CLAIMS.robust,
          test: `accuracy drop p = ${p0} → ${pMax}: no KD's − KD's > 0 points`,
          measure: `accuracy drop (points) of the 7×1 students trained at p = ${p0}: test accuracy run at p = ${p0} minus run at p = ${pMax}; no KD's drop − KD's drop (KD from ${small}), per seed`,
          a: drops(false),
          b: drops(true),
          labels: ["no-KD drop", "KD drop"],
          levelUnit: "accuracy points",
          missing: `the students trained at p = ${p0} and run at p = ${pMax}`,
        }),
  );
  out.push(
    paired({
      claim: NOISY_CLAIMS.noisyTraining,
      test: `KD − no KD > 0 points, both trained on the device at p = ${pMax}`,
      measure: `final test accuracy (%) of the 7×1 student trained at p = ${pMax}, KD from the clean ${small} − no KD, per seed`,
      a: student("noisy-student", true, pMax, small),
      b: student("noisy-student", false, pMax, null),
      labels: [`KD from ${small}`, "no KD"],
      gain: true,
      missing: `the students trained at p = ${pMax}`,
    }),
  );
  return out;
}

/**
 * The curves of one part as table rows: `model`, then one column `p = <p>` per noise level holding the test
 * accuracy in percent as "mean ± std" over seeds ("" where the curve has no point).
 */
export function noiseCurveRows(
  cfg: NoisyTeacherConfig,
  curves: readonly NoiseCurve[],
  experiment: string,
): Record<string, string>[] {
  return curves
    .filter((c) => c.experiment === experiment)
    .map((c) =>
      Object.fromEntries([
        ["model", c.name],
        ...cfg.noiseLevels.map((p, i) => [`p = ${p}`, c.points[i] ? percentMeanStd(c.points[i] as MeanStd) : ""]),
      ]),
    );
}

/**
 * The noisy-teacher study's records (what the notebook writes to `claims.json`): our hypotheses
 * ({@link NOISY_CLAIMS}, `kind: "hypothesis"`) checked by {@link checkNoisyClaims} over the rows of all seeds.
 */
export function noisyClaimRecords(cfg: NoisyTeacherConfig, rows: readonly ResultRow[]): ClaimRecord[] {
  return claimRecords({ ...NOISY_SOURCE, checks: checkNoisyClaims(cfg, rows) });
}

/** The registry entry of this experiment (`registry.ts`): its notebook and default seeds. */
export const EXPERIMENT: Experiment = {
  id: "noisy-teacher",
  title:
    "Yan et al. Sec. IV, the open question: a noisy teacher, a clean student (and the reverse), depolarising noise and finite shots",
  notebook: "notebooks/noisy-teacher.ipynb",
  defaultSeeds: 5,
};
