/**
 * The run context of a notebook: quick mode, number of seeds and output folders, read from the environment
 * variables that the headless runner sets (and absent when a person runs the notebook in JupyterLab).
 *
 * | Variable             | Meaning                                              | Default when unset or empty            |
 * |----------------------|------------------------------------------------------|----------------------------------------|
 * | `QNN_KD_QUICK`       | `"1"`/`"true"`: quick mode; `"0"`/`"false"`: full run | full run (`quick: false`)              |
 * | `QNN_KD_SEEDS`       | number of seeds, an integer in [1, 1000]             | 1                                      |
 * | `QNN_KD_RESULTS_DIR` | absolute folder for this experiment's outputs        | `<projectRoot>/results/<experiment>` (`…/<part>` with the `part` option) |
 * | `QNN_KD_EXPERIMENT`  | the experiment id the runner expects                 | the id given to {@link notebookContext} |
 * | `QNN_KD_READINGS`    | readings a readings section runs, comma-separated ({@link selectedReadings}) | all                   |
 * | `QNN_KD_STORE`       | absolute folder of a unit store (`qnn-kd sweep`): units found there are read, not computed ({@link unitStores}) | none |
 *
 * @packageDocumentation
 */
import * as path from "path";
import { isTslabKernel } from "./kernel";
import { selectReadings } from "../experiments/readings";
import { UnitStore } from "../store/units";
import type { ResultRow } from "../experiments/results";
import {
  restoreSeedCheckpoints,
  seedlessSettings,
  storedSeedRows,
  type Seeded,
  type SeedRun,
} from "../experiments/seedUnits";

/** What {@link notebookContext} returns. All paths are absolute. */
export interface NotebookContext {
  /** The experiment id, e.g. `"table1"` (the argument of {@link notebookContext}). */
  experiment: string;
  /** Quick mode: experiments shrink to a smoke-test size. */
  quick: boolean;
  /** How many seeds to run (≥ 1). */
  seeds: number;
  /** Folder for this experiment's machine-readable results. Not created by {@link notebookContext}. */
  resultsDir: string;
  /** `<resultsDir>/figures`: where {@link showFigure} saves figures. Created on first save. */
  figuresDir: string;
  /** Whether the code runs in a tslab kernel (see {@link isTslabKernel}). */
  inKernel: boolean;
  /** The unit store's root folder (`QNN_KD_STORE`), or null when the notebook computes every unit itself. */
  storeDir: string | null;
}

/** Options of {@link notebookContext}. */
export interface NotebookContextOptions {
  /**
   * Environment to read instead of `process.env` (tests).
   * @defaultValue `process.env`
   */
  env?: Record<string, string | undefined>;
  /**
   * Project root used for the default results folder.
   * @defaultValue the folder of qnn-kd's package.json (see {@link projectRoot})
   */
  projectRoot?: string;
  /**
   * Register the context as the current one, so that {@link showFigure} saves into its `figuresDir` by default.
   * @defaultValue true
   */
  setCurrent?: boolean;
  /**
   * The notebook's name within a group experiment (the course: `notebookContext("course", { part:
   * "05-a-first-distillation" })`): without `QNN_KD_RESULTS_DIR` the results folder is then
   * `<projectRoot>/results/<experiment>/<part>`, the folder the runner gives that notebook, so that the notebooks of a
   * group run by hand do not overwrite each other's results. Same characters as `experiment`.
   * @defaultValue none: `<projectRoot>/results/<experiment>`
   */
  part?: string;
}

const EXPERIMENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_SEEDS = 1000;

let current: NotebookContext | null = null;

export { projectRoot } from "../util/paths";
import { projectRoot } from "../util/paths";

function parseQuick(value: string | undefined): boolean {
  if (value === undefined || value.trim() === "") return false;
  const v = value.trim().toLowerCase();
  if (v === "1" || v === "true") return true;
  if (v === "0" || v === "false") return false;
  throw new Error(
    `notebookContext: QNN_KD_QUICK must be "1" or "true" (quick) or "0" or "false" (full), got ${JSON.stringify(value)}`,
  );
}

function parseSeeds(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return 1;
  const v = value.trim();
  const n = /^[0-9]+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_SEEDS) {
    throw new Error(
      `notebookContext: QNN_KD_SEEDS must be an integer in [1, ${MAX_SEEDS}], got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/**
 * Reads the run context of the notebook of experiment `experiment` from the environment (see the module
 * documentation for the variables, their allowed values and defaults) and, unless `opts.setCurrent` is false,
 * makes it the current context ({@link currentNotebookContext}), whose `figuresDir` {@link showFigure} uses.
 *
 * When `QNN_KD_EXPERIMENT` is set and differs from `experiment`, a warning goes to stderr; the ids may
 * legitimately differ (`experiment` is kept), but it usually means a notebook was renamed.
 *
 * @param experiment - experiment id: letters, digits, `.`, `_`, `-`, starting with a letter or digit, e.g. `"table1"`.
 * @throws Error quoting the bad value when `experiment` is not a valid id, `QNN_KD_QUICK` is not one of
 *   `1`, `true`, `0`, `false`, `QNN_KD_SEEDS` is not an integer in [1, 1000], or `QNN_KD_RESULTS_DIR` is not
 *   an absolute path, `QNN_KD_STORE` is set but not an absolute path; also when an option is unknown.
 */
export function notebookContext(experiment: string, opts: NotebookContextOptions = {}): NotebookContext {
  if (typeof experiment !== "string" || !EXPERIMENT_ID.test(experiment)) {
    throw new Error(
      `notebookContext: experiment must be an id of letters, digits, ".", "_" or "-" starting with a letter or digit (e.g. "table1"), got ${JSON.stringify(experiment)}`,
    );
  }
  const allowed = ["env", "projectRoot", "setCurrent", "part"];
  for (const key of Object.keys(opts)) {
    if (!allowed.includes(key)) {
      throw new Error(
        `notebookContext: unknown option "${key}"; allowed options are ${allowed.map((k) => `"${k}"`).join(", ")}`,
      );
    }
  }
  if (opts.part !== undefined && (typeof opts.part !== "string" || !EXPERIMENT_ID.test(opts.part))) {
    throw new Error(
      `notebookContext: part must be a name of letters, digits, ".", "_" or "-" starting with a letter or digit (e.g. "01-qubits"), got ${JSON.stringify(opts.part)}`,
    );
  }
  const env = opts.env ?? process.env;
  const quick = parseQuick(env.QNN_KD_QUICK);
  const seeds = parseSeeds(env.QNN_KD_SEEDS);
  const envDir = env.QNN_KD_RESULTS_DIR;
  let resultsDir: string;
  if (envDir !== undefined && envDir.trim() !== "") {
    if (!path.isAbsolute(envDir)) {
      throw new Error(`notebookContext: QNN_KD_RESULTS_DIR must be an absolute path, got ${JSON.stringify(envDir)}`);
    }
    resultsDir = path.normalize(envDir);
  } else {
    const root = opts.projectRoot ?? projectRoot();
    if (!path.isAbsolute(root)) {
      throw new Error(`notebookContext: projectRoot must be an absolute path, got ${JSON.stringify(root)}`);
    }
    resultsDir =
      opts.part === undefined
        ? path.join(root, "results", experiment)
        : path.join(root, "results", experiment, opts.part);
  }
  const envStore = env.QNN_KD_STORE;
  let storeDir: string | null = null;
  if (envStore !== undefined && envStore.trim() !== "") {
    if (!path.isAbsolute(envStore))
      throw new Error(`notebookContext: QNN_KD_STORE must be an absolute path, got ${JSON.stringify(envStore)}`);
    storeDir = path.normalize(envStore);
  }
  const envExperiment = env.QNN_KD_EXPERIMENT;
  if (envExperiment !== undefined && envExperiment.trim() !== "" && envExperiment.trim() !== experiment) {
    process.stderr.write(
      `notebookContext: warning: QNN_KD_EXPERIMENT is ${JSON.stringify(envExperiment)} but the notebook says ${JSON.stringify(experiment)}; using ${JSON.stringify(experiment)}\n`,
    );
  }
  const ctx: NotebookContext = {
    experiment,
    quick,
    seeds,
    resultsDir,
    figuresDir: path.join(resultsDir, "figures"),
    inKernel: isTslabKernel(),
    storeDir,
  };
  if (opts.setCurrent !== false) current = ctx;
  return ctx;
}

/** The context last made current by {@link notebookContext}, or null when none was. */
export function currentNotebookContext(): NotebookContext | null {
  return current;
}

/** Forgets the current context (tests). */
export function clearNotebookContext(): void {
  current = null;
}

/**
 * The readings a notebook's readings section runs: all of `readings`, or those named in the environment variable
 * `QNN_KD_READINGS` (names separated by commas, e.g. `QNN_KD_READINGS=readout-first,no-T2 npm run reproduce --
 * fig5`; `none` = no reading; empty or unset = all). A long readings section can so be split over sessions or
 * machines, or skipped.
 * @param env - environment to read (tests). @defaultValue `process.env`
 * @throws Error naming a reading that `readings` does not have, and listing those it has.
 */
export function selectedReadings<R extends { name: string }>(
  readings: readonly R[],
  env: Record<string, string | undefined> = process.env,
): R[] {
  return selectReadings(readings, env.QNN_KD_READINGS, "selectedReadings: QNN_KD_READINGS");
}

/**
 * The unit stores of a notebook run (`qnn-kd reproduce --store DIR` sets `QNN_KD_STORE`): a function from a
 * configuration to its store folder (`UnitStore` of `ctx.experiment` at those settings), or null without a store,
 * when the notebook computes every unit itself. An experiment's run functions take it (e.g. Piperno's
 * `runPipernoSeeds(…, { store })`), so a notebook renders a sweep's results bit for bit instead of recomputing them.
 */
export function unitStores(
  ctx: Pick<NotebookContext, "experiment" | "storeDir">,
): ((settings: unknown) => UnitStore) | null {
  const dir = ctx.storeDir;
  return dir === null ? null : (settings: unknown) => new UnitStore(dir, ctx.experiment, settings);
}

/**
 * Copies a sweep's trained models of seed `cfg.seed` (the unit of `cfg` without its seed, `seedUnits.ts`) into a
 * checkpoint folder, when the run has a store (`QNN_KD_STORE`) that holds the unit: the cells that then train that
 * seed's models with checkpoints in `checkpointDir` resume each at its end and show the sweep's numbers without
 * training. Without a store, or without the unit in it, nothing happens and the cells train as usual.
 * @param cfg - the configuration the cells train (its `seed` is the unit's seed).
 * @param checkpointDir - the folder the cells' models checkpoint in (`checkpointsFor`).
 */
export function restoreSeed(
  ctx: Pick<NotebookContext, "experiment" | "storeDir">,
  cfg: Seeded,
  checkpointDir: string,
): void {
  const dir = ctx.storeDir; // a reader: no store folder is created for a unit that is not there
  const store = dir === null ? null : new UnitStore(dir, ctx.experiment, seedlessSettings(cfg), { create: false });
  const n = restoreSeedCheckpoints(store, cfg.seed, checkpointDir);
  if (n > 0) process.stdout.write(`seed ${cfg.seed}: ${n} trained model(s) read from the unit store\n`);
}

/**
 * The notebook's runner of one (configuration, seed): the unit's rows from the run's store when a sweep left them
 * there (`QNN_KD_STORE`), else run with checkpoints in `checkpointDir` and written to the store (`storedSeedRows`).
 * Call it as `runSeed(cfg, seed, checkpointDir, run)`, where `run(cfgWithSeed, checkpointDir)` returns the rows.
 */
export function seedRunner(
  ctx: Pick<NotebookContext, "experiment" | "storeDir">,
): <C extends Seeded>(cfg: C, seed: number, checkpointDir: string, run: SeedRun<C>) => ResultRow[] {
  const stores = unitStores(ctx);
  return (cfg, seed, checkpointDir, run) =>
    storedSeedRows(stores?.(seedlessSettings(cfg)) ?? null, cfg, seed, checkpointDir, run);
}
