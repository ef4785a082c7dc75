/**
 * Settings of the course notebooks that train models (`notebooks/course/`): notebook 5, a first distillation end to
 * end on 7-qubit ZXZ ground states, and notebook 6, a classical MLP teacher distilled into a hybrid student on the
 * extended XOR data of Piperno et al. Each is sized to run in under a minute on a 2-core machine (`--quick`: a few
 * seconds), and every value is an option with its default set once here.
 *
 * The course builds its models with the same pieces as the paper experiments (`hardwareEfficientSpec`, `trainModel`,
 * `trainStudentPair`, `piperno.pipernoSpecs`); this module only holds the numbers.
 *
 * @packageDocumentation
 */
import { withDefaults, checkReadout, checkSettings } from "../util/options";
import { OPTIMISER_KD_RULES, type OptimiserSettings } from "./protocol";
import type { DistillationOptions } from "../kd/losses";
import { pipernoConfig, PipernoConfig } from "./piperno/experiment";
import type { Experiment } from "./entry";

/** Settings of the first distillation (course notebook 5). */
export interface FirstKdConfig extends OptimiserSettings, DistillationOptions {
  /** Qubits of the ZXZ chain, teacher and student. @defaultValue 7 */
  nQubits: number;
  /** Training and test ground states, h1 ~ U[0, 2) (label 1 = SPT for h1 < 1). @defaultValue 300, 300 */
  nTrain: number;
  nTest: number;
  /** Teacher layers and iterations. @defaultValue 2, 120 */
  teacherLayers: number;
  teacherIterations: number;
  /** Teacher Adam lr (its StepLR step is `teacherStepSize`). @defaultValue 0.05, 50 */
  teacherLr: number;
  teacherStepSize: number;
  /** Teacher logits = teacherLogitScale·⟨Z_q⟩ during its own training (KD distils its unscaled ⟨Z⟩). @defaultValue 10 */
  teacherLogitScale: number;
  /** Student layers and iterations. @defaultValue 1, 50 */
  studentLayers: number;
  studentIterations: number;
  /** Readout qubits of teacher and student, one per class. @defaultValue [5, 6] */
  readout: number[];
  /** Master seed (data, initialisations, batches). @defaultValue 0 */
  seed: number;
}

/**
 * Defaults: the teacher of `yanTable1.TABLE1_SHARP_TEACHER` (readout on qubits 5 and 6, teacher logits ×10, teacher
 * lr 0.05) at under a third of Table 1's data, so that the whole run takes well under a minute; the KD defaults of
 * `kd/losses` (T = 2, α = 0.5).
 */
export const FIRST_KD_DEFAULTS: Readonly<FirstKdConfig> = Object.freeze({
  nQubits: 7,
  nTrain: 300,
  nTest: 300,
  teacherLayers: 2,
  teacherIterations: 120,
  teacherLr: 0.05,
  teacherStepSize: 50,
  teacherLogitScale: 10,
  studentLayers: 1,
  studentIterations: 50,
  readout: [5, 6],
  batchSize: 64,
  lr: 0.01,
  weightDecay: 1e-4,
  stepSize: 20,
  gamma: 0.5,
  evalEvery: 2,
  T: 2,
  alpha: 0.5,
  scaleT2: true,
  seed: 0,
});

/** Overrides for `--quick`: fewer states and iterations. */
export const FIRST_KD_QUICK: Readonly<Partial<FirstKdConfig>> = Object.freeze({
  nTrain: 100,
  nTest: 100,
  teacherIterations: 40,
  studentIterations: 20,
  evalEvery: 4,
});

/**
 * The configuration of course notebook 5: defaults, then the quick overrides when `quick`, then `overrides`. Every
 * number is checked (`util/options` `checkSettings`): nQubits an integer in [3, 20] (the ZXZ data), sizes, layers,
 * iterations, StepLR steps, the batch size and `evalEvery` integers ≥ 1, learning rates, T and the teacher's logit
 * scale > 0, α ∈ [0, 1], weight decay ≥ 0, γ ∈ (0, 1], seed an integer ≥ 0, and two distinct readout qubits.
 * @throws Error for an unknown option or a bad value (the option, its value and what is allowed).
 */
export function firstKdConfig(overrides: Partial<FirstKdConfig> = {}, quick = false): FirstKdConfig {
  const base = quick ? { ...FIRST_KD_DEFAULTS, ...FIRST_KD_QUICK } : { ...FIRST_KD_DEFAULTS };
  const c = withDefaults("firstKdConfig", base as FirstKdConfig, overrides);
  const W = "firstKdConfig";
  checkSettings(W, c, {
    nQubits: { kind: "positiveInt", min: 3, max: 20 },
    nTrain: "positiveInt",
    nTest: "positiveInt",
    teacherLayers: "positiveInt",
    teacherIterations: "positiveInt",
    teacherLr: "learningRate",
    teacherStepSize: "positiveInt",
    teacherLogitScale: "positive",
    studentLayers: "positiveInt",
    studentIterations: "positiveInt",
    ...OPTIMISER_KD_RULES,
    seed: "nonNegativeInt",
  });
  checkReadout(W, "readout", c.readout, c.nQubits, { length: 2 });
  return c;
}

/**
 * Overrides of `piperno.pipernoConfig` for course notebook 6: 400 samples of the extended XOR data, one seed, the
 * classical and the hardware-efficient hybrid student on 6 qubits × 2 layers, 40 epochs with patience 15; the loss
 * L = CE + KL (both batch means, α = ½) and early stopping on the validation macro F1 with the best weights restored,
 * as the notebook teaches them (the Piperno et al. notebook runs the paper's readings: the KL summed over the batch,
 * validation loss, no restore).
 */
export const COURSE_HYBRID: Readonly<Partial<PipernoConfig>> = Object.freeze({
  n: 400,
  nSeeds: 1,
  nLayers: 2,
  epochs: 40,
  patience: 15,
  architectures: ["classical", "hea"] as PipernoConfig["architectures"],
  klReduction: "mean",
  earlyStoppingMetric: "macroF1",
  restoreBest: true,
});

/** Overrides for `--quick` on top of {@link COURSE_HYBRID}: 200 samples, 12 epochs. */
export const COURSE_HYBRID_QUICK: Readonly<Partial<PipernoConfig>> = Object.freeze({ n: 200, epochs: 12, patience: 6 });

/**
 * The configuration of course notebook 6: the Piperno et al. settings with {@link COURSE_HYBRID} (and
 * {@link COURSE_HYBRID_QUICK} when `quick`), then `overrides`.
 * @throws Error as `piperno.pipernoConfig`.
 */
export function hybridCourseConfig(overrides: Partial<PipernoConfig> = {}, quick = false): PipernoConfig {
  return pipernoConfig({ ...COURSE_HYBRID, ...(quick ? COURSE_HYBRID_QUICK : {}), ...overrides });
}

/** The six notebooks of the course, in order (README: "A course"). */
export const COURSE_NOTEBOOKS: readonly string[] = [
  "notebooks/course/01-qubits-and-measurement.ipynb",
  "notebooks/course/02-encoders-and-ansatze.ipynb",
  "notebooks/course/03-gradients.ipynb",
  "notebooks/course/04-the-distillation-loss.ipynb",
  "notebooks/course/05-a-first-distillation.ipynb",
  "notebooks/course/06-classical-to-quantum.ipynb",
];

/** The registry entry of the course (`registry.ts`): its six notebooks, run in order. */
export const EXPERIMENT: Experiment = {
  id: "course",
  title: "Course: quantum neural networks and knowledge distillation from first principles, six notebooks",
  notebook: "notebooks/course",
  notebooks: COURSE_NOTEBOOKS,
};
