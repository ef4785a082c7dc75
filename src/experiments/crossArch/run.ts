/**
 * The cross-architecture study, the runs: the model specs (the teacher of the depth sweep, hardware-efficient
 * students, students of another shape, and their noisy twins), one seed's run, the phase diagram over (h1, h2) and
 * the study's work units. The study's module doc is `experiment.ts`.
 *
 * @packageDocumentation
 */
import { QNNClassifier, type QuantumInput } from "../../qnn/classifier";
import { hierarchicalLayers, qcnnAnsatz, qcnnReadout, ttnAnsatz, ttnReadout } from "../../qnn/hierarchical";
import { circuitStats, type Circuit } from "../../sim/program/circuit";
import type { Statevector } from "../../sim/state/statevector";
import { stringOrderParameter, zxzGroundStateSweep, type ZxzDataset } from "../../datasets/zxz";
import type { HistoryRow } from "../../train/fit";
import type { ResultRow } from "../results";
import {
  type HooksFor,
  type ModelSpec,
  type ProtocolPlan,
  type SplitPair,
  type StudentPair,
  type Trained,
  iterationFit,
  kdSettingsOf,
  modelRow,
  runProtocol,
  studentEntry,
  teacherKdRun,
  trainStudentPair,
} from "../protocol";
import { distilFromFor, hardwareEfficientSpec, zxzSplits } from "../specs";
import { resolveReadout, sweepSpecs } from "../yan/depthSweep";
import { zxzDataOf } from "../yan/zxzData";
import { noiseModelAt } from "../noisyTeacher/config";
import { defaultsVariant, seedUnits, type SeedRun, type SeedStudy } from "../seedUnits";
import { selectReadings, type Reading } from "../readings";
import { SHAPE_LABELS, SHAPE_OPTIONS, crossArchConfig, type CrossArchConfig, type CrossShape } from "./config";

/** A student's architecture, a field of its result rows. */
export type Architecture = "hardware-efficient" | "qcnn" | "ttn";

/** A shape's circuit, readout qubits and number of hierarchical layers (convolution + pooling steps). */
export function shapeCircuit(
  shape: CrossShape,
  nQubits: number,
): { circuit: Circuit; readout: number[]; nLayers: number; architecture: Architecture } {
  const o = SHAPE_OPTIONS[shape];
  const nLayers = hierarchicalLayers(nQubits, 2).layers.length;
  if (o === null)
    return { circuit: ttnAnsatz({ nQubits }), readout: ttnReadout({ nQubits }), nLayers, architecture: "ttn" };
  return {
    circuit: qcnnAnsatz({ nQubits, ...o }),
    readout: qcnnReadout({ nQubits, ...o }),
    nLayers,
    architecture: "qcnn",
  };
}

/** The noise of a student at depolarising probability p: the noisy-teacher study's device model, `cfg.shots` shots. */
function noiseAt(cfg: CrossArchConfig, p: number | null) {
  return p === null ? null : { model: noiseModelAt(p), shots: cfg.shots };
}

/**
 * How a student trains: the experiment's optimiser for `studentIterations`; under noise (p not null) its accuracies
 * are measured after the last iteration only (each evaluation is one density-matrix run per train and test state,
 * most of a noisy model's cost).
 */
function studentFit(cfg: CrossArchConfig, p: number | null) {
  return iterationFit(cfg, cfg.studentIterations, p === null ? {} : { evalEvery: cfg.studentIterations });
}

/** The id of a student's model run at p: its own id, with `-p<p>` under noise (the stream stays the clean one's). */
function noisyId(id: string, p: number | null): string {
  return p === null ? id : `${id}-p${p}`;
}

/**
 * The spec of a student of another shape: `shape`'s circuit (`qnn/hierarchical.ts`) as a {@link QNNClassifier} read
 * out on the remaining qubits, the students' logit scale, initialisation interval and optimiser; at depolarising
 * probability `p` (null: noiseless) it runs on the noisy device model from the clean student's initialisation.
 */
export function shapeSpec(
  cfg: CrossArchConfig,
  shape: CrossShape,
  p: number | null = null,
): ModelSpec<QuantumInput, QNNClassifier> {
  const { circuit, readout, nLayers } = shapeCircuit(shape, cfg.nQubits);
  const noise = noiseAt(cfg, p);
  return {
    id: noisyId(shape, p),
    stream: shape,
    label: SHAPE_LABELS[shape],
    role: "student",
    nQubits: cfg.nQubits,
    nLayers,
    fit: studentFit(cfg, p),
    build: (init, name) =>
      new QNNClassifier({
        circuit,
        readout,
        seed: init,
        name,
        logitScale: cfg.studentLogitScale,
        initLow: cfg.initLow,
        initHigh: cfg.initHigh,
        noise: noise ? { ...noise, seed: `${init}/noise` } : null,
      }),
  };
}

/** The hardware-efficient student of `nLayers` layers (id `hea-L<n>`), at depolarising probability p or noiseless. */
export function heaSpec(
  cfg: CrossArchConfig,
  nLayers: number,
  p: number | null = null,
): ModelSpec<QuantumInput, QNNClassifier> {
  const id = `hea-L${nLayers}`;
  return hardwareEfficientSpec({
    id: noisyId(id, p),
    stream: id,
    label: `hardware-efficient, ${nLayers} layer${nLayers === 1 ? "" : "s"}`,
    role: "student",
    nQubits: cfg.nQubits,
    nLayers,
    readout: resolveReadout(cfg),
    logitScale: cfg.studentLogitScale,
    finalRotationLayer: cfg.finalRotationLayer,
    initLow: cfg.initLow,
    initHigh: cfg.initHigh,
    fit: studentFit(cfg, p),
    noise: noiseAt(cfg, p),
  });
}

/** The teacher's spec: the depth sweep's teacher of the setting (`sweepSpecs`), with its own optimiser. */
export function crossTeacher(cfg: CrossArchConfig): ModelSpec<QuantumInput, QNNClassifier> {
  return sweepSpecs(cfg).teacher;
}

/** The student specs of a run, noiseless: the hardware-efficient ones by depth, then the shapes. */
export function crossStudents(cfg: CrossArchConfig): ModelSpec<QuantumInput, QNNClassifier>[] {
  return [...cfg.studentLayers.map((L) => heaSpec(cfg, L)), ...cfg.shapes.map((s) => shapeSpec(cfg, s))];
}

/** The specs of the students run at p: those of `noisyStudents`, in that order. */
export function noisyStudents(cfg: CrossArchConfig, p: number): ModelSpec<QuantumInput, QNNClassifier>[] {
  return cfg.noisyStudents.map((id) =>
    id.startsWith("hea-L") ? heaSpec(cfg, Number(id.slice(5)), p) : shapeSpec(cfg, id as CrossShape, p),
  );
}

/** The clean (stream) id of a student spec: `hea-L<n>` or the shape. */
const baseId = (spec: Pick<ModelSpec<unknown>, "id" | "stream">) => spec.stream ?? spec.id;

/**
 * The extra fields of every row of the study: `setting`, `student` (the teacher's "teacher", else `hea-L<n>` or the
 * shape), `architecture`, the circuit's `nParams`, `twoQubitGates` and `depth` ({@link circuitStats}), the noise `p`
 * (null: noiseless) and `shots` (null without noise).
 */
export function crossRowExtra(cfg: CrossArchConfig, p: number | null) {
  return (spec: Pick<ModelSpec<unknown>, "id" | "role"> & { stream?: string }, t: Pick<Trained, "model">) => {
    const circuit = (t.model as unknown as QNNClassifier).circuit;
    const st = circuitStats(circuit);
    const id = spec.role === "teacher" ? "teacher" : baseId(spec);
    const architecture: Architecture =
      id === "teacher" || id.startsWith("hea-") ? "hardware-efficient" : id === "ttn" ? "ttn" : "qcnn";
    return {
      setting: cfg.setting,
      student: id,
      architecture,
      nParams: st.nParams,
      twoQubitGates: st.twoQubitGates,
      depth: st.depth,
      p,
      shots: p === null ? null : cfg.shots,
    };
  };
}

/** The protocol plan of the noiseless part: the depth sweep's teacher ({@link sweepSpecs}) and every student. */
export function crossPlan(
  cfg: CrossArchConfig,
  data: SplitPair<QuantumInput>,
): ProtocolPlan<QuantumInput, QNNClassifier> {
  return {
    seed: cfg.seed,
    teacher: crossTeacher(cfg),
    teacherData: data,
    distilFrom: distilFromFor<QuantumInput>(cfg.kdTarget),
    students: crossStudents(cfg).map((s) => studentEntry(s, data)),
    kd: kdSettingsOf(cfg),
    rowExtra: crossRowExtra(cfg, null),
  };
}

/** The ground states of a configuration: its ZXZ data settings, drawn with {@link CrossArchConfig.dataSeed}. */
export function crossData(cfg: CrossArchConfig): ZxzDataset {
  return zxzDataOf({ ...cfg, seed: typeof cfg.dataSeed === "number" ? cfg.dataSeed : cfg.seed });
}

/** Everything one seed of the study produces. */
export interface CrossArchRun {
  config: CrossArchConfig;
  /** The teacher, each student without and with KD, then each noisy student without and with KD per p. */
  rows: ResultRow[];
  histories: Record<string, HistoryRow[]>;
  teacher: Trained<QNNClassifier>;
  /** The noiseless students by id (`hea-L<n>`, shapes). */
  students: Record<string, StudentPair<QNNClassifier>>;
}

/**
 * One seed of the study (`cfg.seed`): the protocol with every noiseless student (`runProtocol`), then, at each p of
 * `noiseLevels`, the students of `noisyStudents` trained and tested on the noisy device without and with KD from the
 * same (noiseless) teacher's targets.
 * @param hooks.data - the ground states (default: {@link crossData}).
 * @param hooks.withNoise - run the noisy students too (false: the noiseless protocol only, e.g. to resume the
 *   trained models from their checkpoints for the phase diagram). @defaultValue true
 * @throws Error when the data's qubit count differs from `cfg.nQubits`.
 */
export function runCrossArch(
  cfg: CrossArchConfig,
  hooks: {
    data?: ZxzDataset;
    checkpointDir?: string | null;
    hooksFor?: HooksFor;
    onStage?: (s: string) => void;
    withNoise?: boolean;
  } = {},
): CrossArchRun {
  const { data: given, onStage, withNoise = true, ...train } = hooks;
  onStage?.("data");
  const data = given ?? crossData(cfg);
  if (data.nQubits !== cfg.nQubits)
    throw new Error(`runCrossArch: the data have ${data.nQubits} qubits but cfg.nQubits is ${cfg.nQubits}`);
  const splits = zxzSplits(data);
  const plan = crossPlan(cfg, splits);
  const r = runProtocol(plan, { ...train, ...(onStage ? { onStage } : {}) });
  const rows = [...r.rows];
  const histories = { ...r.histories };
  const forModel: HooksFor = train.hooksFor ?? (() => ({ checkpointDir: train.checkpointDir ?? null }));
  if (withNoise && cfg.noiseLevels.length > 0) {
    const kd = teacherKdRun(plan.kd, r.teacher.model, splits.train.inputs, plan.distilFrom);
    for (const p of cfg.noiseLevels) {
      const extra = crossRowExtra(cfg, p);
      for (const spec of noisyStudents(cfg, p)) {
        const pair = trainStudentPair(spec, splits, cfg.seed, kd, (name, info) => {
          onStage?.(`${spec.label} at p = ${p}${name.includes("-kd-") ? " + KD" : ""}`);
          return forModel(name, info);
        });
        rows.push(modelRow(spec, pair.noKd, cfg.seed, null, null, extra(spec, pair.noKd)));
        rows.push(modelRow(spec, pair.kd, cfg.seed, plan.kd, null, extra(spec, pair.kd)));
        histories[`${spec.id}-nokd`] = pair.noKd.result.history;
        histories[`${spec.id}-kd`] = pair.kd.result.history;
      }
    }
  }
  return {
    config: cfg,
    rows,
    histories,
    teacher: r.teacher as Trained<QNNClassifier>,
    students: r.students as Record<string, StudentPair<QNNClassifier>>,
  };
}

/** A seed's run as the notebook's seed loop and `qnn-kd sweep cross-architecture`'s units do it: its rows. */
export function crossSeedRun(dataFor: (cfg: CrossArchConfig) => ZxzDataset = crossData): SeedRun<CrossArchConfig> {
  return (cfg, checkpointDir) => runCrossArch(cfg, { checkpointDir, data: dataFor(cfg) }).rows;
}

/** A reading runs without the noise part (docs/PARAMS.md: the noisy students are most of a seed's cost). */
const NO_NOISE: Partial<CrossArchConfig> = Object.freeze({ noiseLevels: [], noisyStudents: [] });

/**
 * The variants of the study beyond its two settings (docs/PARAMS.md): on the `table1` setting, the readings' defaults'
 * teacher and KD settings instead of the sharp-teacher bundle, and students at lr 0.1, each without the noise part.
 * Names are the rows' `variant`.
 */
export const CROSS_READINGS: readonly Reading<CrossArchConfig>[] = Object.freeze([
  {
    name: "defaults-teacher",
    label: "the readings' defaults' teacher (no sharp-teacher bundle)",
    overrides: {
      teacherLogitScale: 1,
      teacherLr: 0.01,
      teacherStepSize: 20,
      alpha: 0.5,
      kdTarget: "logits",
      ...NO_NOISE,
    },
  },
  { name: "lr-0.1", label: "students at lr 0.1", overrides: { lr: 0.1, ...NO_NOISE } },
]);

/**
 * The readings a run measures: every one of {@link CROSS_READINGS}, or those named by `selection` (the syntax of
 * `QNN_KD_READINGS`; `"none"`: none).
 * @throws Error naming a reading that is not one of them.
 */
export function crossReadings(selection?: string): Reading<CrossArchConfig>[] {
  return selectReadings(CROSS_READINGS, selection, "crossReadings");
}

/**
 * What the notebook runs on every seed and `qnn-kd sweep cross-architecture`'s units compute: the `table1` setting
 * (the defaults), the `fig4` setting, then the readings on the `table1` setting, each seed a `SeedUnitResult`.
 */
export const CROSS_STUDY: SeedStudy<CrossArchConfig> = {
  where: "CROSS_UNITS",
  configOf: crossArchConfig,
  variants: (selection) => [
    defaultsVariant(),
    { name: "fig4", overrides: { setting: "fig4" } },
    ...crossReadings(selection),
  ],
  run: crossSeedRun(),
};

/** The study's work units: {@link CROSS_STUDY} × the run's seeds. */
export const CROSS_UNITS = seedUnits(CROSS_STUDY);

/** The ground states over the phase diagram's grid and their string order parameter. */
export interface PhaseGrid {
  h1: number[];
  h2: number[];
  /** `[i2][i1]`: the ground state at (h1[i1], h2[i2]). */
  states: Statevector[][];
  /** `[i2][i1]`: its {@link stringOrderParameter}. */
  stringOrder: number[][];
}

/**
 * The ground states on the grid h1 ∈ [0, phaseH1Max] × h2 ∈ [−phaseH2Max, phaseH2Max], `phaseGrid` points per axis
 * (`zxzGroundStateSweep`, one sweep over h1 per h2), with their string order parameter: the exact reference of the
 * phase diagram.
 */
export function phaseGrid(cfg: CrossArchConfig): PhaseGrid {
  const n = cfg.phaseGrid;
  const h1 = Array.from({ length: n }, (_, i) => (cfg.phaseH1Max * i) / (n - 1));
  const h2 = Array.from({ length: n }, (_, i) => -cfg.phaseH2Max + (2 * cfg.phaseH2Max * i) / (n - 1));
  const states: Statevector[][] = [],
    stringOrder: number[][] = [];
  for (const v of h2) {
    const row: Statevector[] = new Array(n),
      so: number[] = new Array(n);
    for (const gs of zxzGroundStateSweep(cfg.nQubits, h1, { J: cfg.J, h2: v })) {
      row[gs.index] = gs.state;
      so[gs.index] = stringOrderParameter(gs.state);
    }
    states.push(row);
    stringOrder.push(so);
  }
  return { h1, h2, states, stringOrder };
}

/**
 * A classifier's probability of the SPT phase (label 1, softmax of its logits) at every grid point: `[i2][i1]`.
 * @param model - any model with `logitsBatch` over ground states (a noiseless {@link QNNClassifier}).
 */
export function phaseProbabilities(
  model: { logitsBatch(inputs: readonly QuantumInput[]): Float64Array[] },
  grid: Pick<PhaseGrid, "states">,
): number[][] {
  return grid.states.map((row) =>
    model.logitsBatch(row as QuantumInput[]).map((z) => {
      const m = Math.max(z[0], z[1]);
      const e0 = Math.exp(z[0] - m),
        e1 = Math.exp(z[1] - m);
      return e1 / (e0 + e1);
    }),
  );
}
