/**
 * The shape of a registry entry (`registry.ts`): what each paper folder declares about its notebook.
 * @packageDocumentation
 */
/** One reproducible experiment: a notebook, or a group of notebooks run in order (the course). */
export interface Experiment {
  /** Short id used on the command line and as the results folder name, e.g. `"table1"`. */
  id: string;
  /** What it reproduces (paper, table/figure, subject). */
  title: string;
  /**
   * The notebook, relative to the project root (POSIX separators), e.g. `"notebooks/yan-table1.ipynb"`; for a group
   * (`notebooks` given) the folder that holds them, e.g. `"notebooks/course"`.
   */
  notebook: string;
  /**
   * A group's notebooks in run order, relative to the project root. Each runs in its own kernel and writes to
   * `<out>/<id>/<notebook base name>/` (executed notebook, figures, run.json). @defaultValue none: one notebook
   */
  notebooks?: readonly string[];
  /**
   * Seeds of a full (not quick) run when `--seeds` is not given: at least 5 for every experiment whose claims are
   * checked (the verdict engine needs 3 to decide anything; Piperno et al. ran 12), so that the scorecard's verdicts
   * rest on intervals over seeds; quick runs default to 1. Long runs resume seed by seed from their checkpoints.
   * @defaultValue 1
   */
  defaultSeeds?: number;
  /**
   * The experiment's work units, for `qnn-kd sweep` (many processes or machines sharing a unit store) and for a
   * notebook that renders from a store. @defaultValue none: the experiment runs only as one notebook process
   */
  units?: ExperimentUnits;
}

/** What a run of an experiment is asked for, as `reproduce` takes it. */
export interface RunRequest {
  /** Quick mode (small sizes). */
  quick: boolean;
  /** Number of seeds; 1 = the experiment's own default (its config's seeds, or one). */
  seeds: number;
  /** The readings a readings section runs, in the syntax of `QNN_KD_READINGS` (`selectReadings`). @defaultValue all */
  readings?: string;
}

/**
 * One work unit of a run: a pure function of (experiment, `settings`, `unit`) whose result lands in the unit store
 * folder named by the hash of `settings` (`UnitStore`), as `<unit>.json`.
 */
export interface WorkUnit {
  /** Every setting that affects the unit's result (JSON-ready); the store folder is named by its hash. */
  settings: unknown;
  /** The unit's id within that folder, e.g. `"seed-3"` (letters, digits, ".", "_", "-"). */
  unit: string;
  /** A short description for progress and status lines, e.g. `"kl-mean, seed 3"`. */
  label: string;
}

/**
 * How an experiment splits into work units (`Experiment.units`). The list is deterministic for a request, so that
 * every shard of a sweep computes the same list and takes its own units from it (unit i goes to shard i mod N).
 */
export interface ExperimentUnits {
  /** The units of a run, in a fixed order. */
  list(request: RunRequest): WorkUnit[];
  /**
   * Computes one unit and returns its JSON-ready result (what the notebook reads back from the store).
   * @param checkpointDir - where the unit checkpoints, so that a killed unit resumes (in the store).
   * @param context - the other units of its run and their stored results (`qnn-kd sweep` gives it), from which a
   *   unit may take models it would train identically (`SeedStudy.sharedModels`). @defaultValue none
   */
  run(unit: WorkUnit, checkpointDir: string, context?: UnitContext): Promise<unknown>;
}

/** What a unit sees of the other units of its run while it computes ({@link ExperimentUnits.run}). */
export interface UnitContext {
  /** The run's units, as `list` gave them (the unit itself among them). */
  units: readonly WorkUnit[];
  /** The stored result of one of them, or null while it is not in the store. */
  read(unit: WorkUnit): unknown;
  /** Where to report what the unit took from others (one line each). @defaultValue silent */
  log?: (line: string) => void;
}

/** The unit id of one seed, `"seed-<s>"`, for the experiments whose work units are seeds. */
export function seedUnit(seed: number): string {
  return `seed-${seed}`;
}

/**
 * The seed of a unit id made by {@link seedUnit}.
 * @param where - the caller's name, used in the message.
 * @throws Error naming the id when it is not `"seed-<n>"`.
 */
export function unitSeed(where: string, unit: string): number {
  const m = /^seed-(\d+)$/.exec(unit);
  if (!m) throw new Error(`${where}: unit must be "seed-<n>", got ${JSON.stringify(unit)}`);
  return Number(m[1]);
}
