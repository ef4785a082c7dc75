/**
 * The registry of reproducible experiments: each id names the notebook that reproduces one table or figure.
 * `qnn-kd reproduce <id>` runs it; `qnn-kd reproduce all` runs every entry in order. Add an entry per new
 * table/figure notebook (ids like `fig4`, `fig5`, `fig6`). An entry may also be a group of notebooks run one after
 * another (`course`: the six course notebooks), each into its own results subfolder (see {@link experimentParts}).
 *
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

/** One notebook run of an experiment (see {@link experimentParts}). */
export interface ExperimentPart {
  /** `<experiment id>` for a single notebook, `<experiment id>/<notebook base name>` in a group. */
  id: string;
  /** The notebook, relative to the project root. */
  notebook: string;
  /** Its results folder relative to the output root: `<id>` (see {@link ExperimentPart.id}). */
  resultsSubdir: string;
}

/** The notebook runs of an experiment, in order: one for a single notebook, one per notebook of a group. */
export function experimentParts(exp: Experiment): ExperimentPart[] {
  if (!exp.notebooks) return [{ id: exp.id, notebook: exp.notebook, resultsSubdir: exp.id }];
  if (exp.notebooks.length === 0) throw new Error(`experiment ${JSON.stringify(exp.id)}: notebooks must not be empty`);
  return exp.notebooks.map((nb) => {
    const id = `${exp.id}/${nb
      .split("/")
      .pop()!
      .replace(/\.ipynb$/, "")}`;
    return { id, notebook: nb, resultsSubdir: id };
  });
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

/** The id that selects every registered experiment. */
export const ALL_EXPERIMENTS_ID = "all";

/** Every registered experiment, in the order `all` runs them. */
export const EXPERIMENTS: readonly Experiment[] = [
  {
    id: "table1",
    title: "Yan et al. Table 1: 7-qubit ZXZ phase classification",
    notebook: "notebooks/yan-table1.ipynb",
    defaultSeeds: 5,
  },
  {
    id: "fig4",
    title: "Yan et al. Fig. 4: 15-qubit ZXZ, test accuracy against student depth",
    notebook: "notebooks/yan-fig4.ipynb",
    defaultSeeds: 5,
  },
  {
    id: "fig5",
    title: "Yan et al. Fig. 5: MNIST 1 vs 5 (PCA bits, phase encoding), accuracy against student depth",
    notebook: "notebooks/yan-fig5.ipynb",
    defaultSeeds: 5,
  },
  {
    id: "fig6",
    title: "Yan et al. Fig. 6: self-distillation on 10-class MNIST",
    notebook: "notebooks/yan-fig6.ipynb",
    defaultSeeds: 5,
  },
  {
    id: "piperno",
    title: "Piperno et al. Fig. 1: a classical MLP teacher distilled into classical and hybrid quantum students",
    notebook: "notebooks/piperno-fig1.ipynb",
    defaultSeeds: 12,
  },
  {
    id: "hasan",
    title: "Hasan & Mahdy: CNN teachers distilled into 4- and 8-qubit hybrid students (main table, Fig. 12 ablations)",
    notebook: "notebooks/hasan-kd.ipynb",
    defaultSeeds: 5,
  },
  {
    id: "noisy-teacher",
    title:
      "Yan et al. Sec. IV, the open question: a noisy teacher, a clean student (and the reverse), depolarising noise and finite shots",
    notebook: "notebooks/noisy-teacher.ipynb",
    defaultSeeds: 5,
  },
  {
    id: "course",
    title: "Course: quantum neural networks and knowledge distillation from first principles, six notebooks",
    notebook: "notebooks/course",
    notebooks: COURSE_NOTEBOOKS,
  },
];

/**
 * Resolves command-line ids to experiments, in the given order; `all` expands to {@link EXPERIMENTS}.
 * Duplicates are dropped (first occurrence kept).
 * @param ids - experiment ids or `all`; must not be empty.
 * @param registry - the registry to look in. @defaultValue {@link EXPERIMENTS}
 * @throws Error quoting an unknown id and listing the known ids, or if `ids` is empty.
 */
export function resolveExperiments(
  ids: readonly string[],
  registry: readonly Experiment[] = EXPERIMENTS,
): Experiment[] {
  const known = (): string => [...registry.map((e) => e.id), ALL_EXPERIMENTS_ID].map((x) => `"${x}"`).join(", ");
  if (ids.length === 0) throw new Error(`no experiment id given; known ids: ${known()}`);
  const out: Experiment[] = [];
  for (const id of ids) {
    const picked = id === ALL_EXPERIMENTS_ID ? registry : registry.filter((e) => e.id === id);
    if (picked.length === 0) throw new Error(`unknown experiment id ${JSON.stringify(id)}; known ids: ${known()}`);
    for (const e of picked) if (!out.includes(e)) out.push(e);
  }
  return out;
}

/**
 * The seeds of a run: `seeds` when given, else 1 in quick mode and the experiment's {@link Experiment.defaultSeeds}
 * (default 1) in full mode.
 */
export function seedsFor(exp: Experiment, opts: { quick: boolean; seeds?: number }): number {
  return opts.seeds ?? (opts.quick ? 1 : (exp.defaultSeeds ?? 1));
}
