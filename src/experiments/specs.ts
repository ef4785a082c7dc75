/**
 * Model specs of the QNN experiments: hardware-efficient QNN classifiers (Yan et al. Fig. 2) as
 * {@link ModelSpec}s of the distillation protocol.
 *
 * @packageDocumentation
 */
import { QNNClassifier, QuantumInput } from "../qnn/classifier";
import type { ZxzDataset } from "../datasets/zxz";
import type { NoiseOptions } from "../qnn/execution/noisy";
import type { FitSettings, KDRun, ModelSpec, SplitPair } from "./protocol";
import type { DistillationOptions } from "../kd/losses";
import { expectationTeacher, teacherKdRun } from "./protocol";
import type { Teacher } from "../kd/teacher";
import { ALPHA_ON } from "../kd/losses";
import { checkOneOf, checkSettings } from "../util/options";
import { Reading, checkReadings } from "./readings";
import type { SharedModels } from "./seedUnits";

/**
 * Yan et al.'s open choices of the QNN itself and of what KD distils, shared by Table 1, Fig. 4, Fig. 5 and
 * Fig. 6 (flat fields of their configs; docs/PARAMS.md, "Yan et al.: readings", gives each reading's evidence).
 */
export interface QnnReadings {
  /**
   * One more rotation layer after the last entangler (MindQuantum's `HardwareEfficientAnsatz`: depth L has L + 1
   * rotation layers) when true; the entangler ends the circuit when false.
   */
  finalRotationLayer: boolean;
  /** Initial angles θ ~ U[initLow, initHigh) (radians). */
  initLow: number;
  initHigh: number;
  /**
   * What the students distil: "logits" = the teacher's logits as it was trained on them (s·⟨Z⟩, s its logit
   * scale); "expectations" = its unscaled ⟨Z⟩ whatever s. The two differ only when s ≠ 1.
   */
  kdTarget: KdTarget;
}

/** Values of {@link QnnReadings.kdTarget}. */
export const KD_TARGETS = ["logits", "expectations"] as const;
/** See {@link QnnReadings.kdTarget}. */
export type KdTarget = (typeof KD_TARGETS)[number];

/**
 * Checks the {@link QnnReadings} of a config and its α placement: `finalRotationLayer` a boolean, `initLow` <
 * `initHigh` finite, `kdTarget` one of {@link KD_TARGETS}, `alphaOn` (when set) one of `ALPHA_ON`.
 * @throws Error naming the setting, its value and what is allowed.
 */
export function checkQnnReadings(where: string, c: QnnReadings & Pick<DistillationOptions, "alphaOn">): void {
  if (typeof c.finalRotationLayer !== "boolean")
    throw new Error(`${where}: finalRotationLayer must be true or false, got ${JSON.stringify(c.finalRotationLayer)}`);
  checkSettings<QnnReadings>(where, c, { initLow: "number", initHigh: "number" });
  if (!(c.initLow < c.initHigh))
    throw new Error(`${where}: initLow must be below initHigh, got initLow = ${c.initLow}, initHigh = ${c.initHigh}`);
  checkOneOf(where, "kdTarget", c.kdTarget, KD_TARGETS);
  if (c.alphaOn !== undefined) checkOneOf(where, "alphaOn", c.alphaOn, ALPHA_ON);
}

/**
 * What a plan distils from a trained QNN teacher under `kdTarget`: its unscaled ⟨Z⟩ ({@link expectationTeacher})
 * for "expectations", its logits (the model itself, s·⟨Z⟩) for "logits".
 */
export function distilFromFor<I>(kdTarget: KdTarget): ((teacher: QNNClassifier) => Teacher<I>) | undefined {
  return kdTarget === "expectations" ? (expectationTeacher as (t: QNNClassifier) => Teacher<I>) : undefined;
}

/** Options of {@link hardwareEfficientSpec}. */
export interface HardwareEfficientSpecOptions {
  /** Stream and file id (see `protocol.ts`). */
  id: string;
  /** Label of its result rows. */
  label: string;
  role: "teacher" | "student";
  nQubits: number;
  nLayers: number;
  /** Readout qubits, one per class (logits = logitScale·⟨Z_q⟩). */
  readout: number[];
  /** Logit scale s (> 0). @defaultValue 1 */
  logitScale?: number;
  /** One more rotation layer after the last entangler (see {@link QnnReadings}). @defaultValue false */
  finalRotationLayer?: boolean;
  /** Initial angles U[initLow, initHigh) (radians). @defaultValue [0, 2π) */
  initLow?: number;
  initHigh?: number;
  fit: FitSettings;
  /** Stream id when it differs from `id`. */
  stream?: string;
  /** Evaluate the test accuracy before training. @defaultValue false */
  initialTestAccuracy?: boolean;
  /**
   * Train and evaluate on a noisy device model (`qnn/execution/noisy.ts`); the shots and trajectories draw from the
   * stream `<init>/noise`. @defaultValue none (exact statevector)
   */
  noise?: Omit<NoiseOptions, "seed"> | null;
}

/**
 * A hardware-efficient QNN classifier as a model spec: RX, RY, RZ on every qubit and a CNOT chain per layer (and
 * a final rotation layer when `finalRotationLayer`), parameters drawn from U[initLow, initHigh) (default
 * [0, 2π)) with the spec's initialisation stream; noisy when `noise` is given.
 */
export function hardwareEfficientSpec(o: HardwareEfficientSpecOptions): ModelSpec<QuantumInput, QNNClassifier> {
  const { nQubits, nLayers, readout } = o;
  const logitScale = o.logitScale ?? 1;
  return {
    id: o.id,
    label: o.label,
    role: o.role,
    nQubits,
    nLayers,
    fit: o.fit,
    ...(o.stream !== undefined ? { stream: o.stream } : {}),
    ...(o.initialTestAccuracy !== undefined ? { initialTestAccuracy: o.initialTestAccuracy } : {}),
    build: (init, name) =>
      QNNClassifier.hardwareEfficient({
        nQubits,
        nLayers,
        readout: readout.slice(),
        seed: init,
        name,
        logitScale,
        noise: o.noise ? { ...o.noise, seed: `${init}/noise` } : null,
        ...(o.finalRotationLayer !== undefined ? { finalRotationLayer: o.finalRotationLayer } : {}),
        ...(o.initLow !== undefined ? { initLow: o.initLow } : {}),
        ...(o.initHigh !== undefined ? { initHigh: o.initHigh } : {}),
      }),
  };
}

/** The ground states of a ZXZ dataset as classifier inputs (train and test), labels as they are. */
export function zxzSplits(data: ZxzDataset): SplitPair<QuantumInput> {
  return {
    train: { inputs: data.train.states as QuantumInput[], labels: data.train.labels },
    test: { inputs: data.test.states as QuantumInput[], labels: data.test.labels },
  };
}

/**
 * One KD run from a trained QNN teacher: the KD settings of `cfg` (T, α, the T² flag, α's placement; "kl" when
 * absent) and the teacher's distillation targets on `inputs` (`[n][nClasses]`): its logits or its unscaled ⟨Z⟩, as
 * `cfg.kdTarget` says, computed once.
 */
export function qnnKdRun<I>(
  cfg: DistillationOptions & Pick<QnnReadings, "kdTarget">,
  teacher: QNNClassifier,
  inputs: readonly I[],
): KDRun {
  return teacherKdRun(
    cfg,
    teacher as unknown as Teacher<I>,
    inputs,
    distilFromFor<I>(cfg.kdTarget) as ((t: Teacher<I>) => Teacher<I>) | undefined,
  );
}

/** The settings the shared Yan readings change (fields of Table 1's, the depth sweeps' configs). */
export type YanReadingSettings = QnnReadings &
  DistillationOptions & {
    readout: number[];
    lr: number;
    teacherLr: number;
    gamma: number;
    teacherLogitScale: number;
  };

/**
 * The single-factor readings of docs/PARAMS.md ("Yan et al.: readings") that Table 1, Fig. 4 and Fig. 5 share, each
 * one change from the defaults; `reference` names the reading a factor is measured against when it cannot differ
 * from the defaults on its own (the KD target at a scaled teacher, α's placement at α = 0.9). Each experiment adds
 * its own (the teacher's length, the Fig. 5 bits, the sharp-teacher bundle). Names are the result rows' `variant`.
 */
export const YAN_READINGS: readonly Reading<YanReadingSettings>[] = Object.freeze([
  { name: "readout-first", label: "readout qubits 0, 1", overrides: { readout: [0, 1] } },
  { name: "no-final-rotation", label: "no final rotation layer", overrides: { finalRotationLayer: false } },
  { name: "init-0-1", label: "θ ~ U[0, 1)", overrides: { initLow: 0, initHigh: 1 } },
  { name: "lr-0.1", label: "lr 0.1 (teacher and students)", overrides: { lr: 0.1, teacherLr: 0.1 } },
  { name: "no-decay", label: "no lr decay (γ = 1)", overrides: { gamma: 1 } },
  { name: "teacher-scale-10", label: "teacher logits ×10", overrides: { teacherLogitScale: 10 } },
  {
    name: "teacher-scale-10-kd-expectations",
    label: "teacher logits ×10, KD from unscaled ⟨Z⟩",
    overrides: { teacherLogitScale: 10, kdTarget: "expectations" },
    reference: "teacher-scale-10",
  },
  { name: "no-T2", label: "no T² factor", overrides: { scaleT2: false } },
  { name: "alpha-0.9", label: "α = 0.9 on the KL term", overrides: { alpha: 0.9 } },
  {
    name: "alpha-0.9-on-ce",
    label: "α = 0.9 on the cross-entropy",
    overrides: { alpha: 0.9, alphaOn: "ce" },
    reference: "alpha-0.9",
  },
] as Reading<YanReadingSettings>[]);

/**
 * The readings of a Yan et al. experiment (Table 1, Fig. 4, Fig. 5): the shared single factors
 * ({@link YAN_READINGS}), then the experiment's own, then its sharp-teacher bundle as the named combination
 * "sharp-teacher"; checked against the experiment's defaults (`checkReadings`).
 * @param where - the list's name, used in the messages (e.g. "FIG4_READINGS").
 * @throws Error naming a bad reading and what is allowed.
 */
export function yanReadings<C extends YanReadingSettings>(
  where: string,
  own: readonly Reading<C>[],
  sharpTeacher: Readonly<Partial<C>>,
  defaults: C,
): readonly Reading<C>[] {
  const sharp: Reading<C> = { name: "sharp-teacher", label: "sharp teacher (bundle)", overrides: sharpTeacher };
  return checkReadings(where, Object.freeze([...(YAN_READINGS as readonly Reading<C>[]), ...own, sharp]), defaults);
}

/**
 * The settings only a KD student reads: the distillation loss's (T, α, the T² factor, α's placement; Eq. 7) and
 * what it distils (`kdTarget`). The teacher and the students without KD train identically whatever they are.
 */
export const KD_ONLY_SETTINGS = Object.freeze(["T", "alpha", "scaleT2", "alphaOn", "kdTarget"] as const);

/**
 * The models two settings of a QNN study share ({@link SharedModels}, work units): the teacher (checkpoint
 * `teacher.json`) between settings that differ only in {@link KD_ONLY_SETTINGS}, and the students without KD
 * (`<id>-nokd.json`) between settings that differ only in those and in the teacher's own settings.
 * @param teacherOnly - the config fields only the teacher reads (its depth, length, lr, StepLR step, readout, logit
 *   scale; each checked against the study's model specs).
 */
export function teacherAndNoKdShared<C extends DistillationOptions & Pick<QnnReadings, "kdTarget">>(
  teacherOnly: readonly (keyof C & string)[],
): SharedModels<C>[] {
  const kdOnly = KD_ONLY_SETTINGS as readonly (keyof C & string)[];
  return [
    { what: "the teacher", files: (f) => f === "teacher.json", ignores: kdOnly },
    { what: "the students without KD", files: (f) => f.endsWith("-nokd.json"), ignores: [...kdOnly, ...teacherOnly] },
  ];
}
