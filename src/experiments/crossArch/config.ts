/**
 * The cross-architecture study, the settings: {@link CrossArchConfig}, its two settings (`table1`, `fig4`) with their
 * defaults and quick overrides, and the catalogue of student shapes. The study's module doc is `experiment.ts`;
 * every value's source is in `docs/PARAMS.md`, "The cross-architecture study".
 *
 * @packageDocumentation
 */
import { checkOneOf, checkSettings, withDefaults } from "../../util/options";
import { checkSweepConfig, type DepthSweepConfig } from "../yan/depthSweep";
import { checkZxzDataConfig, type ZxzDataConfig } from "../yan/zxzData";
import { FIG4_DEFAULTS, FIG4_QUICK, FIG4_SHARP_TEACHER } from "../yan/fig4";
import { TABLE1_DEFAULTS, TABLE1_SHARP_TEACHER } from "../yan/table1";
import type { QcnnOptions } from "../../qnn/hierarchical";

/** The study's two settings: Table 1's 7-qubit task and Fig. 4's 15-qubit task. */
export const CROSS_SETTINGS = ["table1", "fig4"] as const;
export type CrossSetting = (typeof CROSS_SETTINGS)[number];

/**
 * The students of another shape: the QCNN (`qnn/hierarchical.ts`) with shared angles and its default blocks, with
 * own angles per block, with TFQ's pooling, with TFQ's convolution block, and the tree tensor network.
 */
export const CROSS_SHAPES = ["qcnn", "qcnn-own", "qcnn-tfq-pooling", "qcnn-tfq-convolution", "ttn"] as const;
export type CrossShape = (typeof CROSS_SHAPES)[number];

/** The `qcnnAnsatz` options of each QCNN shape (null: the TTN). */
export const SHAPE_OPTIONS: Readonly<Record<CrossShape, Partial<QcnnOptions> | null>> = Object.freeze({
  qcnn: {},
  "qcnn-own": { shareParameters: false },
  "qcnn-tfq-pooling": { pooling: "tfq" },
  "qcnn-tfq-convolution": { convolution: "tfq" },
  ttn: null,
});

/** Row labels of the shapes. */
export const SHAPE_LABELS: Readonly<Record<CrossShape, string>> = Object.freeze({
  qcnn: "QCNN",
  "qcnn-own": "QCNN, own angles",
  "qcnn-tfq-pooling": "QCNN, TFQ pooling",
  "qcnn-tfq-convolution": "QCNN, TFQ convolution",
  ttn: "TTN",
});

/** All settings of one run of the study. */
export interface CrossArchConfig extends DepthSweepConfig, ZxzDataConfig {
  /** Which experiment's task and teacher: `"table1"` (7 qubits) or `"fig4"` (15 qubits). */
  setting: CrossSetting;
  /**
   * The seed of the ground states: a number (every seed of a run on the same states, Fig. 4's design), `"per-seed"`
   * (each seed its own states, Table 1's design), or null in the defaults: the seed, resolved by
   * {@link crossArchConfig}. @defaultValue table1: "per-seed"; fig4: null
   */
  dataSeed: number | "per-seed" | null;
  /** The students of another shape, each trained without and with KD beside the hardware-efficient ones. */
  shapes: CrossShape[];
  /**
   * Depolarising probabilities p at which the students are also trained and tested on the noisy device model
   * (`noisyTeacher.noiseModelAt`, exact density matrices); empty: no noise run. Needs `nQubits` ≤ 13.
   */
  noiseLevels: number[];
  /** Measurement shots per expectation value of a noisy model; null: exact expectation values. */
  shots: number | null;
  /**
   * The students run under noise: `"hea-L<n>"` for the hardware-efficient student of n layers (n in
   * `studentLayers`), or a shape of `shapes`.
   */
  noisyStudents: string[];
  /** Grid points per axis of the phase diagram over (h1, h2) (≥ 2). */
  phaseGrid: number;
  /** The phase diagram's h1 range [0, phaseH1Max] and h2 range [−phaseH2Max, phaseH2Max]. */
  phaseH1Max: number;
  phaseH2Max: number;
}

/** The fields every setting shares (docs/PARAMS.md, "The cross-architecture study"). */
const COMMON = {
  phaseGrid: 17, // chosen: 17 × 17 = 289 ground states
  phaseH1Max: 1.6, // Cong et al. Fig. 2's axes (chosen)
  phaseH2Max: 1.6,
  evalEvery: 10,
};

/**
 * The `table1` setting: Table 1's task and teacher with its sharp-teacher bundle, hardware-efficient students of 1–3
 * layers, every shape, and the noise run at p = 10⁻³ and 10⁻².
 */
export const CROSS_TABLE1: Readonly<CrossArchConfig> = Object.freeze({
  nQubits: TABLE1_DEFAULTS.nQubits,
  nTrain: TABLE1_DEFAULTS.nTrain,
  nTest: TABLE1_DEFAULTS.nTest,
  h1Min: TABLE1_DEFAULTS.h1Min,
  h1Max: TABLE1_DEFAULTS.h1Max,
  J: TABLE1_DEFAULTS.J,
  h2: TABLE1_DEFAULTS.h2,
  teacherLayers: TABLE1_DEFAULTS.teacherLayers,
  teacherIterations: TABLE1_DEFAULTS.teacherIterations,
  teacherLr: TABLE1_DEFAULTS.teacherLr,
  teacherStepSize: TABLE1_DEFAULTS.teacherStepSize,
  studentLayers: [1, 2, 3],
  studentIterations: TABLE1_DEFAULTS.studentIterations,
  batchSize: TABLE1_DEFAULTS.batchSize,
  lr: TABLE1_DEFAULTS.lr,
  weightDecay: TABLE1_DEFAULTS.weightDecay,
  stepSize: TABLE1_DEFAULTS.stepSize,
  gamma: TABLE1_DEFAULTS.gamma,
  T: TABLE1_DEFAULTS.T,
  alpha: TABLE1_DEFAULTS.alpha,
  scaleT2: TABLE1_DEFAULTS.scaleT2,
  alphaOn: TABLE1_DEFAULTS.alphaOn,
  teacherReadout: null,
  teacherLogitScale: TABLE1_DEFAULTS.teacherLogitScale,
  studentLogitScale: TABLE1_DEFAULTS.studentLogitScale,
  finalRotationLayer: TABLE1_DEFAULTS.finalRotationLayer,
  initLow: TABLE1_DEFAULTS.initLow,
  initHigh: TABLE1_DEFAULTS.initHigh,
  kdTarget: TABLE1_DEFAULTS.kdTarget,
  ...TABLE1_SHARP_TEACHER,
  readout: [-2, -1], // the bundle's [5, 6]: the last two qubits
  seed: 0,
  setting: "table1",
  dataSeed: "per-seed",
  shapes: [...CROSS_SHAPES],
  noiseLevels: [1e-3, 1e-2],
  shots: 1000,
  noisyStudents: ["hea-L3", "qcnn", "ttn"],
  ...COMMON,
} as CrossArchConfig);

/**
 * The `fig4` setting: Fig. 4's 15-qubit task and teacher with its sharp-teacher bundle, hardware-efficient students
 * of 1 and 2 layers, the QCNN (shared and own angles) and the TTN; no noise run (module doc of `experiment.ts`).
 */
export const CROSS_FIG4: Readonly<CrossArchConfig> = Object.freeze({
  ...(() => {
    const { dataSeed: _d, ...rest } = FIG4_DEFAULTS;
    return rest;
  })(),
  ...FIG4_SHARP_TEACHER,
  readout: [-2, -1],
  studentLayers: [1, 2],
  seed: 0,
  setting: "fig4",
  dataSeed: null,
  shapes: ["qcnn", "qcnn-own", "ttn"],
  noiseLevels: [],
  shots: null,
  noisyStudents: [],
  ...COMMON,
} as CrossArchConfig);

/** The defaults of each setting. */
export const CROSS_DEFAULTS: Readonly<Record<CrossSetting, Readonly<CrossArchConfig>>> = Object.freeze({
  table1: CROSS_TABLE1,
  fig4: CROSS_FIG4,
});

/**
 * Overrides for `--quick` (CI): 60 + 60 states (Fig. 4: its quick 9-qubit chain and 3-layer teacher), 15 student
 * iterations, one noise level with 200 shots and two noisy students, a 5 × 5 grid.
 */
export const CROSS_QUICK: Readonly<Record<CrossSetting, Partial<CrossArchConfig>>> = Object.freeze({
  table1: {
    nTrain: 60,
    nTest: 60,
    teacherIterations: 30,
    studentIterations: 15,
    noiseLevels: [0.01],
    shots: 200,
    noisyStudents: ["hea-L3", "qcnn"],
    phaseGrid: 5,
    evalEvery: 15,
  },
  fig4: {
    ...FIG4_QUICK,
    studentIterations: 15,
    phaseGrid: 5,
    evalEvery: 15,
  },
});

/** The hardware-efficient student ids of a configuration: `"hea-L<n>"` per depth of `studentLayers`. */
export function heaIds(cfg: Pick<CrossArchConfig, "studentLayers">): string[] {
  return cfg.studentLayers.map((L) => `hea-L${L}`);
}

/**
 * Checks every setting: the data (`checkZxzDataConfig`), the depth sweep's (`checkSweepConfig`), the setting, the
 * shapes (each one of {@link CROSS_SHAPES}, no repeats), noise levels in [0, 1) with nQubits ≤ 13 when any is given,
 * shots, the noisy students (each a hardware-efficient id or a shape of the run), the grid.
 * @throws Error naming the setting, its value and what is allowed.
 */
export function checkCrossArchConfig(where: string, c: CrossArchConfig): CrossArchConfig {
  checkOneOf(where, "setting", c.setting, CROSS_SETTINGS);
  checkZxzDataConfig(where, c);
  checkSweepConfig(where, c);
  const ds = c.dataSeed;
  if (ds !== null && ds !== "per-seed" && !(Number.isInteger(ds) && ds >= 0))
    throw new Error(
      `${where}: dataSeed must be an integer ≥ 0, "per-seed" or null (the seed), got ${JSON.stringify(ds)}`,
    );
  if (!Array.isArray(c.shapes)) throw new Error(`${where}: shapes must be an array, got ${JSON.stringify(c.shapes)}`);
  c.shapes.forEach((s, i) => checkOneOf(where, `shapes[${i}]`, s, CROSS_SHAPES));
  if (new Set(c.shapes).size !== c.shapes.length)
    throw new Error(`${where}: shapes must not repeat a shape, got ${JSON.stringify(c.shapes)}`);
  if (!Array.isArray(c.noiseLevels))
    throw new Error(
      `${where}: noiseLevels must be an array of probabilities in [0, 1), got ${JSON.stringify(c.noiseLevels)}`,
    );
  if (c.noiseLevels.length > 0) checkSettings(where, c, { noiseLevels: { kind: "probabilities", below: 1 } });
  checkSettings(where, c, {
    shots: { kind: "positiveInt", max: 1e8, nullable: true },
    phaseGrid: { kind: "positiveInt", max: 200 },
    phaseH1Max: "positive",
    phaseH2Max: "positive",
  });
  if (c.phaseGrid < 2) throw new Error(`${where}: phaseGrid must be an integer in [2, 200], got ${c.phaseGrid}`);
  if (c.noiseLevels.length > 0 && c.nQubits > 13)
    throw new Error(
      `${where}: noiseLevels need exact density matrices, up to 13 qubits; got nQubits = ${c.nQubits} (give noiseLevels: [])`,
    );
  const allowed = [...heaIds(c), ...c.shapes];
  if (!Array.isArray(c.noisyStudents))
    throw new Error(`${where}: noisyStudents must be an array, got ${JSON.stringify(c.noisyStudents)}`);
  c.noisyStudents.forEach((s, i) => checkOneOf(where, `noisyStudents[${i}]`, s, allowed));
  return c;
}

/**
 * The configuration of a setting: its defaults ({@link CROSS_DEFAULTS}, by `overrides.setting`, default `"table1"`),
 * then its quick overrides when `quick`, then `overrides`; `dataSeed` null resolved to the seed.
 * @throws Error for an unknown option or a bad value (quoted), see {@link checkCrossArchConfig}.
 */
export function crossArchConfig(overrides: Partial<CrossArchConfig> = {}, quick = false): CrossArchConfig {
  const W = "crossArchConfig";
  const setting = overrides.setting ?? "table1";
  checkOneOf(W, "setting", setting, CROSS_SETTINGS);
  const base = { ...CROSS_DEFAULTS[setting], ...(quick ? CROSS_QUICK[setting] : {}) } as CrossArchConfig;
  const c = withDefaults(W, base, overrides);
  const copy = <T>(v: T): T => (Array.isArray(v) ? ([...v] as T) : v);
  const checked = checkCrossArchConfig(W, {
    ...c,
    studentLayers: copy(c.studentLayers),
    readout: copy(c.readout),
    shapes: copy(c.shapes),
    noiseLevels: copy(c.noiseLevels),
    noisyStudents: copy(c.noisyStudents),
  });
  return { ...checked, dataSeed: checked.dataSeed ?? checked.seed };
}
