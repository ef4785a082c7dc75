/**
 * Runs registered experiments end to end: executes each experiment's notebook headlessly with the QNN_KD_*
 * environment, writes the executed notebook and a `run.json` record into the results folder, and exports the
 * figures the notebook wrote to PNG.
 *
 * Environment passed to the kernel (notebooks read these through `process.env`):
 * - `QNN_KD_QUICK`: `"1"` for quick mode (small sizes for CI and smoke runs), `"0"` for the paper's settings;
 * - `QNN_KD_SEEDS`: number of seeds to run, a positive integer as a decimal string;
 * - `QNN_KD_RESULTS_DIR`: absolute path of the folder where the notebook writes results
 *   (figure specs go to `<dir>/figures/<name>.json`);
 * - `QNN_KD_EXPERIMENT`: the experiment id (for `qnn-kd run`, the notebook's base name);
 * - `QNN_KD_STORE`: with `--store`, the absolute folder of the unit store whose units the notebook reads instead
 *   of computing them (`qnn-kd sweep` fills it).
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import * as path from "path";
import { exportFigures, ExportFiguresResult } from "./export";
import { ExperimentPart, experimentParts, seedsFor } from "./experiments";
import { copyNotebookUnit, notebookUnitSettings } from "./notebookUnits";
import {
  EXPERIMENTS,
  UnitStore,
  type Experiment,
  projectRoot as libraryRoot,
  writeJsonAtomic,
  writeScorecard,
} from "qnn-kd/experiments";
import {
  CellFailure,
  DEFAULT_CELL_TIMEOUT_S,
  DEFAULT_IDLE_TIMEOUT_S,
  NotebookRunError,
  runNotebook,
  RunNotebookOptions,
  RunNotebookResult,
} from "./notebook";

/** Names of the environment variables the runner sets for notebooks. */
export const ENV = {
  quick: "QNN_KD_QUICK",
  seeds: "QNN_KD_SEEDS",
  resultsDir: "QNN_KD_RESULTS_DIR",
  experiment: "QNN_KD_EXPERIMENT",
  store: "QNN_KD_STORE",
} as const;

/**
 * The QNN_KD_* variables for one run (see the module doc).
 * @throws Error unless `seeds` is a positive integer.
 */
export function runnerEnv(opts: {
  quick: boolean;
  seeds: number;
  resultsDir: string;
  experiment: string;
  store?: string;
}): Record<string, string> {
  if (!Number.isInteger(opts.seeds) || opts.seeds < 1)
    throw new Error(`runnerEnv: seeds must be a positive integer, got ${opts.seeds}`);
  return {
    [ENV.quick]: opts.quick ? "1" : "0",
    [ENV.seeds]: String(opts.seeds),
    [ENV.resultsDir]: path.resolve(opts.resultsDir),
    [ENV.experiment]: opts.experiment,
    ...(opts.store ? { [ENV.store]: path.resolve(opts.store) } : {}),
  };
}

/** Options of {@link runNotebookWithExport} and {@link reproduceExperiment}. */
export interface ReproduceOptions {
  /** Quick mode (`QNN_KD_QUICK=1`). @defaultValue false */
  quick?: boolean;
  /** Number of seeds (`QNN_KD_SEEDS`). @defaultValue 1 (for {@link reproduceExperiment}: see `seedsFor`) */
  seeds?: number;
  /**
   * Overall per-cell time limit in seconds (`0` = none), see {@link RunNotebookOptions.cellTimeoutS}.
   * @defaultValue {@link DEFAULT_CELL_TIMEOUT_S} (0)
   */
  cellTimeoutS?: number;
  /**
   * Stuck-cell limit in seconds (`0` = off), see {@link RunNotebookOptions.idleTimeoutS}.
   * @defaultValue {@link DEFAULT_IDLE_TIMEOUT_S} (60)
   */
  idleTimeoutS?: number;
  /** Export `figures/*.json` to PNG after the run. @defaultValue true */
  exportPng?: boolean;
  /** The unit store the notebook reads finished units from (`QNN_KD_STORE`). @defaultValue none */
  store?: string;
  /** Folder of the qnn-kd package. @defaultValue found from this module */
  projectRoot?: string;
  /** Passed to {@link runNotebook}: progress printing, sinks, abort signal. */
  run?: Pick<RunNotebookOptions, "progress" | "stdout" | "stderr" | "signal" | "startTimeoutS">;
}

/** Outcome of one notebook run with export. */
export interface ReproduceResult {
  /** Experiment id (or notebook base name for ad-hoc runs). */
  id: string;
  /** Whether every cell succeeded. */
  ok: boolean;
  /** Absolute path of the source notebook. */
  notebook: string;
  /** Absolute path of the executed notebook written. */
  executedNotebook: string;
  /** Absolute path of the results folder. */
  resultsDir: string;
  /** The notebook run (also on failure). */
  run: RunNotebookResult;
  /** The failure, when `ok` is false. */
  failure?: CellFailure;
  /** The error as printed (names the cell and quotes the error), when `ok` is false. */
  errorMessage?: string;
  /** PNG export outcome (undefined when disabled). */
  exported?: ExportFiguresResult;
  /** Wall time in seconds, run plus export. */
  durationS: number;
}

/**
 * Runs one notebook with the QNN_KD_* environment, writes it to `executedNotebook`, exports its figures to PNG
 * and records `<resultsDir>/run.json` (id, settings, timings, status, failure, exported PNGs).
 * A failing cell does not throw: the result has `ok: false` with the failure.
 * @throws Error when the notebook cannot be read or the kernel cannot start.
 */
export async function runNotebookWithExport(
  id: string,
  notebook: string,
  executedNotebook: string,
  resultsDir: string,
  options: ReproduceOptions = {},
): Promise<ReproduceResult> {
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const quick = options.quick ?? false;
  const seeds = options.seeds ?? 1;
  const resultsAbs = path.resolve(resultsDir);
  const env = runnerEnv({
    quick,
    seeds,
    resultsDir: resultsAbs,
    experiment: id,
    ...(options.store ? { store: options.store } : {}),
  });
  let run: RunNotebookResult;
  let errorMessage: string | undefined;
  try {
    run = await runNotebook(notebook, executedNotebook, {
      ...options.run,
      env,
      cellTimeoutS: options.cellTimeoutS,
      idleTimeoutS: options.idleTimeoutS,
      projectRoot: options.projectRoot,
    });
  } catch (err) {
    if (!(err instanceof NotebookRunError)) throw err;
    run = err.result;
    errorMessage = err.message;
  }
  const exported =
    options.exportPng === false
      ? undefined
      : await exportFigures(resultsAbs, { projectRoot: options.projectRoot, log: options.run?.stderr });
  const result: ReproduceResult = {
    id,
    ok: run.ok,
    notebook: run.input,
    executedNotebook: run.output,
    resultsDir: resultsAbs,
    run,
    failure: run.failure,
    errorMessage,
    exported,
    durationS: (performance.now() - t0) / 1000,
  };
  writeJsonAtomic(path.join(resultsAbs, "run.json"), {
    id,
    notebook: run.input,
    executedNotebook: run.output,
    quick,
    seeds,
    cellTimeoutS: options.cellTimeoutS ?? DEFAULT_CELL_TIMEOUT_S,
    idleTimeoutS: options.idleTimeoutS ?? DEFAULT_IDLE_TIMEOUT_S,
    env,
    startedAt,
    finishedAt: new Date().toISOString(),
    durationS: Number(result.durationS.toFixed(3)),
    ok: run.ok,
    failure: run.failure ?? null,
    cells: run.cells,
    pngs: exported?.written ?? [],
    pngExportSkipped: exported?.skipped ?? null,
    node: process.version,
  });
  return result;
}

/**
 * Reproduces one notebook run of a registered experiment ({@link experimentParts}): results go to
 * `<outRoot>/<part.resultsSubdir>/` (quick runs too; `run.json` records the mode), the executed notebook to
 * `<outRoot>/<part.resultsSubdir>/<notebook base name>.ipynb`. The kernel's `QNN_KD_EXPERIMENT` is the experiment id.
 * Seeds: `options.seeds`, else `seedsFor` (1 in quick mode, the experiment's `defaultSeeds` in full mode).
 * Afterwards the scorecard `<outRoot>/claims.{md,json}` is regenerated from every registered single-notebook
 * experiment's `claims.json` (`writeScorecard`), whether or not the run succeeded.
 * @param outRoot - parent of the per-experiment results folders. @defaultValue `<projectRoot>/results`
 * @param registry - the experiments the scorecard covers. @defaultValue {@link EXPERIMENTS}
 * @throws Error when the notebook cannot be read or the kernel cannot start (a failing cell does not throw).
 */
export async function reproducePart(
  exp: Experiment,
  part: ExperimentPart,
  outRoot?: string,
  options: ReproduceOptions = {},
  registry: readonly Experiment[] = EXPERIMENTS,
): Promise<ReproduceResult & { scorecard: string }> {
  const projectRoot = options.projectRoot ?? libraryRoot();
  const root = path.resolve(outRoot ?? path.join(projectRoot, "results"));
  const resultsDir = path.resolve(root, part.resultsSubdir);
  const notebook = path.resolve(projectRoot, part.notebook);
  const executed = path.join(resultsDir, path.basename(notebook));
  // figures of an earlier run (e.g. a full run before a quick one) must not be exported or mistaken for this run's
  fs.rmSync(path.join(resultsDir, "figures"), { recursive: true, force: true });
  const seeds = seedsFor(exp, { quick: options.quick ?? false, seeds: options.seeds });
  // an experiment without units of its own: its notebook unit, when a sweep left it in the store
  const stored = options.store && !exp.units ? await fromNotebookUnit(exp, part, root, seeds, options) : null;
  const result =
    stored ??
    (await runNotebookWithExport(exp.id, notebook, executed, resultsDir, {
      ...options,
      seeds,
      projectRoot,
    }));
  const card = writeScorecard(
    root,
    registry.filter((e) => !e.notebooks).map((e) => e.id),
  ); // groups (the course) check no paper claims
  return { ...result, id: part.id, scorecard: card.markdown };
}

/**
 * A part of an experiment without units of its own, rendered from its notebook unit (`notebookUnits.ts`) when
 * `options.store` holds it: the unit's results folder copied to `<root>/<part.resultsSubdir>/`, then its figures
 * exported. Null when the store does not hold the unit (the notebook then runs).
 */
async function fromNotebookUnit(
  exp: Experiment,
  part: ExperimentPart,
  root: string,
  seeds: number,
  options: ReproduceOptions,
): Promise<ReproduceResult | null> {
  const t0 = performance.now();
  const readings = process.env.QNN_KD_READINGS;
  const request = { quick: options.quick ?? false, seeds, ...(readings ? { readings } : {}) };
  const store = new UnitStore(options.store!, exp.id, notebookUnitSettings(part, request), { create: false });
  if (!copyNotebookUnit(store, part, root)) return null;
  const resultsDir = path.resolve(root, part.resultsSubdir);
  const runInfo = JSON.parse(fs.readFileSync(path.join(resultsDir, "run.json"), "utf8")) as {
    notebook: string;
    executedNotebook: string;
    cells: RunNotebookResult["cells"];
  };
  (options.run?.stderr ?? process.stderr).write(
    `${part.id}: rendered from the unit store (${store.folder}), not run\n`,
  );
  const exported =
    options.exportPng === false
      ? undefined
      : await exportFigures(resultsDir, { projectRoot: options.projectRoot, log: options.run?.stderr });
  const run: RunNotebookResult = {
    input: runInfo.notebook,
    output: runInfo.executedNotebook,
    ok: true,
    codeCellCount: runInfo.cells.length,
    cells: runInfo.cells,
    durationS: (performance.now() - t0) / 1000,
  };
  return {
    id: exp.id,
    ok: true,
    notebook: run.input,
    executedNotebook: run.output,
    resultsDir,
    run,
    exported,
    durationS: run.durationS,
  };
}

/**
 * Reproduces a registered single-notebook experiment: results go to `<outRoot>/<id>/` (quick runs too; `run.json`
 * records the mode), the executed notebook to `<outRoot>/<id>/<notebook base name>.ipynb`, then the scorecard (see
 * {@link reproducePart}). For a group use {@link experimentParts} and {@link reproducePart} (the CLI runs each part
 * as its own job).
 * @param outRoot - parent of the per-experiment results folders. @defaultValue `<projectRoot>/results`
 * @throws Error when the experiment is a group, the notebook cannot be read or the kernel cannot start (a failing
 *   cell does not throw).
 */
export async function reproduceExperiment(
  exp: Experiment,
  outRoot?: string,
  options: ReproduceOptions = {},
  registry: readonly Experiment[] = EXPERIMENTS,
): Promise<ReproduceResult & { scorecard: string }> {
  const parts = experimentParts(exp);
  if (parts.length !== 1)
    throw new Error(
      `reproduceExperiment: ${JSON.stringify(exp.id)} is a group of ${parts.length} notebooks; run each of experimentParts(exp) with reproducePart`,
    );
  return reproducePart(exp, parts[0], outRoot, options, registry);
}
