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
}
