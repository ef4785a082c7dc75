/**
 * Piperno et al. Fig. 1, the models and the runs: the hybrid students' circuits, the model specs and protocol plan
 * of a seed, one seed, the seeds on worker threads, and the readings.
 *
 * @packageDocumentation
 */
import * as os from "os";
import * as tf from "@tensorflow/tfjs";
import { Piscina } from "piscina";
import type { HistoryRow } from "../../train/fit";
import { ExtendedXorData } from "../../datasets/xor";
import { TfClassifier } from "../../hybrid/classifier";
import { mlp, tfSeed } from "../../hybrid/networks";
import { useTfBackend } from "../../hybrid/backend";
import { quantumLayer } from "../../hybrid/quantumLayer";
import { hardwareEfficientAnsatz } from "../../qnn/ansatz";
import { universalAnsatz, universalReadout } from "../../qnn/universal";
import { Reading, selectReadings } from "../readings";
import type { UnitStore } from "../../store/units";
import { seedUnit, unitSeed, type ExperimentUnits, type RunRequest, type WorkUnit } from "../entry";
import type { Circuit } from "../../sim/program/circuit";
import { macroF1 } from "../../train/metrics";
import { compiledFile } from "../../util/paths";
import { ResultRow } from "../results";
import {
  FitSettings,
  HooksFor,
  ModelSpec,
  ProtocolPlan,
  ProtocolResult,
  SplitPair,
  TrainHooks,
  kdSettingsOf,
  runProtocol,
  studentEntry,
} from "../protocol";
import {
  PIPERNO_HARDER_DATA,
  PIPERNO_PAPER_PARAMS,
  PIPERNO_READINGS,
  PipernoArchitecture,
  PipernoConfig,
  pipernoConfig,
  readingConfig,
  runSeeds,
} from "./config";
import { pipernoData } from "./data";

/**
 * The circuit and readout of a hybrid architecture (HEA; universal; universal + H; q_nd: universal measured down to
 * n_d); `ring` puts the universal circuits' R_ZZ on a ring (PennyLane's rule).
 * @param ring - @defaultValue false
 */
export function pipernoCircuit(
  arch: Exclude<PipernoArchitecture, "classical">,
  nQubits: number,
  nLayers: number,
  ring = false,
): { circuit: Circuit; readout: number[] } {
  const all = Array.from({ length: nQubits }, (_, q) => q);
  if (arch === "hea") return { circuit: hardwareEfficientAnsatz({ nQubits, nLayers }), readout: all };
  if (arch === "universal") return { circuit: universalAnsatz({ nQubits, nLayers, ring }), readout: all };
  if (arch === "universal-h")
    return { circuit: universalAnsatz({ nQubits, nLayers, hadamard: true, ring }), readout: all };
  const nKeep = Number(arch.slice(1));
  return {
    circuit: universalAnsatz({ nQubits, nLayers, nKeep, ring }),
    readout: universalReadout(nQubits, nLayers, nKeep),
  };
}

/**
 * The training settings of every model (see the module doc): early stopping on `cfg.earlyStoppingMetric` with
 * `cfg.restoreBest`.
 */
export function pipernoFit(cfg: PipernoConfig, data: ExtendedXorData): FitSettings {
  return {
    epochs: cfg.epochs,
    batchSize: cfg.batchSize,
    lr: cfg.lr,
    weightDecay: 0,
    stepSize: cfg.epochs,
    gamma: 1,
    stepUnit: "epoch",
    evalEvery: 1,
    evalUnit: "epoch",
    validation: data.validation,
    earlyStopping: { patience: cfg.patience, metric: cfg.earlyStoppingMetric, restoreBest: cfg.restoreBest },
    checkpointEvery: 50 * Math.ceil((cfg.n * cfg.trainFraction) / cfg.batchSize),
  };
}

/** What the history rows' `validationMetric` holds under `cfg`, for plot labels: "validation cross-entropy" or "validation macro F1". */
export function validationMetricLabel(cfg: Pick<PipernoConfig, "earlyStoppingMetric">): string {
  return cfg.earlyStoppingMetric === "macroF1" ? "validation macro F1" : "validation cross-entropy";
}

/** Parameter counts of the teacher and every student of `cfg` (ours beside the paper's where it states one). */
export function parameterCounts(
  cfg: PipernoConfig,
  data: ExtendedXorData,
): { architecture: string; model: string; nParams: number; paperParams: number | null }[] {
  const specs = pipernoSpecs(cfg, data);
  return [specs.teacher, ...specs.students].map((s) => {
    const m = s.build("0/count", s.id);
    const row = {
      architecture: s.id,
      model: s.label,
      nParams: m.nParams,
      paperParams: PIPERNO_PAPER_PARAMS[s.id as PipernoArchitecture | "teacher"] ?? null,
    };
    m.model.dispose();
    return row;
  });
}

/** The hybrid architectures of a configuration (every one but the classical student), in order. */
export function hybridArchitectures(
  cfg: Pick<PipernoConfig, "architectures">,
): Exclude<PipernoArchitecture, "classical">[] {
  return cfg.architectures.filter((a): a is Exclude<PipernoArchitecture, "classical"> => a !== "classical");
}

/** The epoch (1-based) that iteration `iteration` (1-based) belongs to, at `cfg.batchSize` on the training split. */
export function epochOf(
  cfg: Pick<PipernoConfig, "batchSize">,
  data: Pick<ExtendedXorData, "train">,
  iteration: number,
): number {
  return Math.ceil(iteration / Math.ceil(data.train.inputs.length / cfg.batchSize));
}

/** Label of an architecture's rows. */
export function architectureLabel(a: PipernoArchitecture | "teacher"): string {
  return (
    (
      {
        teacher: "teacher MLP",
        classical: "classical student",
        hea: "HEA",
        universal: "universal",
        "universal-h": "universal + H",
      } as Record<string, string>
    )[a] ?? `q_${a.slice(1)}`
  );
}

/** The model specs: the teacher MLP and one student per architecture of `cfg.architectures`. */
export function pipernoSpecs(
  cfg: PipernoConfig,
  data: ExtendedXorData,
): { teacher: ModelSpec<Float64Array, TfClassifier>; students: ModelSpec<Float64Array, TfClassifier>[] } {
  const fit = pipernoFit(cfg, data);
  const dense = (units: number[], name: string) => (init: string) => new TfClassifier(mlp({ units, seed: init, name }));
  const teacher: ModelSpec<Float64Array, TfClassifier> = {
    id: "teacher",
    label: architectureLabel("teacher"),
    role: "teacher",
    nQubits: 0,
    nLayers: cfg.teacherUnits.length - 1,
    fit: { ...fit, lr: cfg.teacherLr },
    build: dense(cfg.teacherUnits, "teacher"),
  };
  const students = cfg.architectures.map((a): ModelSpec<Float64Array, TfClassifier> => {
    if (a === "classical") {
      return {
        id: "classical",
        label: architectureLabel(a),
        role: "student",
        nQubits: 0,
        nLayers: cfg.studentUnits.length - 1,
        fit,
        build: dense(cfg.studentUnits, "classical"),
      };
    }
    const { circuit, readout } = pipernoCircuit(a, cfg.nQubits, cfg.nLayers, cfg.ring);
    const readoutKind = cfg.readoutKind;
    return {
      id: a,
      label: architectureLabel(a),
      role: "student",
      nQubits: cfg.nQubits,
      nLayers: cfg.nLayers,
      fit,
      build: (init) =>
        new TfClassifier(
          tf.sequential({
            name: a,
            layers: [
              quantumLayer({
                circuit,
                readout,
                readoutKind,
                encoding: "amplitude",
                seed: tfSeed(init, "theta"),
                inputGradients: false,
                inputShape: [cfg.nBits],
              }),
              tf.layers.dense({
                units: 3,
                kernelInitializer: tf.initializers.glorotUniform({ seed: tfSeed(init, "head") }),
              }),
            ],
          }),
        ),
    };
  });
  return { teacher, students };
}

/**
 * The protocol plan of one seed: the teacher's logits distilled into every student; rows carry the test macro F1
 * (`f1`), the parameter count (`nParams`), the architecture, the epochs trained and the best epoch, and the readings
 * they ran under (`klReduction`, `restoreBest`, `earlyStoppingMetric`, `readoutKind`, `ring`, `rule`, `labelNoise`;
 * the α used is the rows' `alpha`).
 */
export function pipernoPlan(
  cfg: PipernoConfig,
  data: ExtendedXorData,
  seed: number,
): ProtocolPlan<Float64Array, TfClassifier> {
  const specs = pipernoSpecs(cfg, data);
  const split: SplitPair<Float64Array> = { train: data.train, test: data.test };
  return {
    seed,
    teacher: specs.teacher,
    teacherData: split,
    students: specs.students.map((s) => studentEntry(s, split)),
    kd: kdSettingsOf(cfg),
    rowExtra: (spec, t) => {
      const m = t.model as TfClassifier;
      return {
        architecture: spec.id,
        f1: macroF1(m, data.test, 3),
        nParams: m.nParams,
        epochs: epochOf(cfg, data, t.result.stoppedAt ?? t.result.iterations),
        bestEpoch: t.result.bestIteration === null ? null : epochOf(cfg, data, t.result.bestIteration),
        klReduction: cfg.klReduction,
        restoreBest: cfg.restoreBest,
        earlyStoppingMetric: cfg.earlyStoppingMetric,
        readoutKind: cfg.readoutKind,
        ring: cfg.ring,
        rule: cfg.rule,
        labelNoise: cfg.labelNoise,
      };
    },
  };
}

/** Runs one seed: data, teacher, every student without and with KD. */
export function runPiperno(
  cfg: PipernoConfig,
  seed: number,
  hooks: TrainHooks & { onStage?: (stage: string) => void; hooksFor?: HooksFor } = {},
): ProtocolResult<TfClassifier> & { data: ExtendedXorData } {
  const data = pipernoData(cfg, seed);
  return { ...runProtocol(pipernoPlan(cfg, data, seed), hooks), data };
}

/** What one seed's run returns across a worker thread: its rows and training histories. */
export interface PipernoSeedResult {
  seed: number;
  rows: ResultRow[];
  histories: Record<string, HistoryRow[]>;
}

/**
 * Runs several seeds, in parallel on `threads` worker threads (piscina; each seed in one thread, so the numbers do
 * not depend on the thread count), or in this thread when `threads` is 1.
 * @param opts.checkpointDir - checkpoint folder of a seed (resumable runs), or none.
 * @param opts.onSeedDone - called as each seed finishes (progress); first for the seeds read from the store.
 * @param opts.store - the unit store of this configuration (`UnitStore`, e.g. filled by `qnn-kd sweep`): a seed
 *   whose unit ({@link seedUnit}) is there is read, not computed; a computed seed is written to it.
 * @returns the seeds' results in the order of `seeds`.
 */
export async function runPipernoSeeds(
  cfg: PipernoConfig,
  seeds: readonly number[],
  opts: {
    threads?: number;
    checkpointDir?: (seed: number) => string | null;
    onSeedDone?: (r: PipernoSeedResult) => void;
    store?: UnitStore | null;
  } = {},
): Promise<PipernoSeedResult[]> {
  const store = opts.store ?? null;
  const stored = new Map<number, PipernoSeedResult>();
  for (const s of seeds) {
    const r = store?.read<PipernoSeedResult>(seedUnit(s));
    if (r) stored.set(s, r);
  }
  const missing = seeds.filter((s) => !stored.has(s));
  const threads = Math.max(1, Math.min(opts.threads ?? os.availableParallelism(), missing.length));
  const task = (seed: number) => ({ cfg, seed, checkpointDir: opts.checkpointDir?.(seed) ?? null });
  const done = (r: PipernoSeedResult) => {
    store?.write(seedUnit(r.seed), r);
    opts.onSeedDone?.(r);
    return r;
  };
  for (const s of seeds) if (stored.has(s)) opts.onSeedDone?.(stored.get(s)!);
  const computed = new Map<number, PipernoSeedResult>();
  if (threads === 1) {
    await useTfBackend();
    for (const s of missing) {
      const dir = opts.checkpointDir?.(s) ?? null;
      const r = runPiperno(cfg, s, dir ? { checkpointDir: dir } : {});
      computed.set(s, done({ seed: s, rows: r.rows, histories: r.histories }));
    }
  } else {
    const pool = new Piscina({
      filename: compiledFile(__dirname, "worker.js", "the Piperno worker script"),
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: 1000,
    });
    try {
      const rs = await Promise.all(missing.map((s) => (pool.run(task(s)) as Promise<PipernoSeedResult>).then(done)));
      rs.forEach((r) => computed.set(r.seed, r));
    } finally {
      await pool.destroy();
    }
  }
  return seeds.map((s) => stored.get(s) ?? computed.get(s)!);
}

/**
 * Runs each reading (or harder-data setting) for each seed, with the seeds of a reading in parallel on worker
 * threads ({@link runPipernoSeeds}), and tags every row with `variant` = the reading's name (as `runReadings` does;
 * the teacher's rows included: each setting trains its own teacher).
 * @param configOf - a reading's configuration. @defaultValue {@link readingConfig} (not quick)
 * @param opts.checkpointDir - checkpoint folder of a reading and seed, or none.
 * @param opts.onDone - called after each reading and seed with the number done and the total.
 * @param opts.storeFor - the unit store of a reading's configuration (see {@link runPipernoSeeds}), or none.
 * @returns the rows of every reading and seed, reading by reading.
 */
export async function runPipernoReadings(
  readings: readonly Reading<PipernoConfig>[],
  seeds: readonly number[],
  opts: {
    configOf?: (r: Reading<PipernoConfig>) => PipernoConfig;
    threads?: number;
    checkpointDir?: (r: Reading<PipernoConfig>, seed: number) => string | null;
    onDone?: (done: number, total: number) => void;
    storeFor?: ((cfg: PipernoConfig) => UnitStore) | null;
  } = {},
): Promise<ResultRow[]> {
  const out: ResultRow[] = [];
  let done = 0;
  for (const reading of readings) {
    const cfg = (opts.configOf ?? ((r) => readingConfig(r)))(reading);
    const results = await runPipernoSeeds(cfg, seeds, {
      ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
      ...(opts.checkpointDir ? { checkpointDir: (s: number) => opts.checkpointDir!(reading, s) } : {}),
      onSeedDone: () => opts.onDone?.(++done, readings.length * seeds.length),
      store: opts.storeFor?.(cfg) ?? null,
    });
    for (const r of results) for (const row of r.rows) out.push({ ...row, variant: reading.name });
  }
  return out;
}

/**
 * Piperno et al.'s work units (`Experiment.units`): one unit per seed of the defaults, then per selected reading and
 * harder-data setting and study seed (the seeds the notebook runs them on), each in the store folder of its own
 * configuration as {@link seedUnit}. A unit's result is the seed's {@link PipernoSeedResult}.
 */
export const PIPERNO_UNITS: ExperimentUnits = {
  list(request: RunRequest): WorkUnit[] {
    const cfg = pipernoConfig({}, request.quick);
    const seeds = runSeeds(cfg, request.seeds);
    const studySeeds = request.quick ? seeds.slice(0, 1) : seeds;
    const out: WorkUnit[] = seeds.map((s) => ({ settings: cfg, unit: seedUnit(s), label: `defaults, seed ${s}` }));
    const studies = [
      ...selectReadings(PIPERNO_READINGS, request.readings, "PIPERNO_UNITS: readings"),
      ...PIPERNO_HARDER_DATA,
    ];
    for (const r of studies) {
      const c = readingConfig(r, request.quick);
      for (const s of studySeeds) out.push({ settings: c, unit: seedUnit(s), label: `${r.name}, seed ${s}` });
    }
    return out;
  },
  async run(unit: WorkUnit, checkpointDir: string): Promise<PipernoSeedResult> {
    const cfg = unit.settings as PipernoConfig;
    const seed = unitSeed("PIPERNO_UNITS.run", unit.unit);
    await useTfBackend();
    const r = runPiperno(cfg, seed, { checkpointDir });
    return { seed, rows: r.rows, histories: r.histories };
  },
};
