/**
 * Resolving the experiments of a command line: `qnn-kd reproduce <id>` runs one entry of the library's registry
 * (`EXPERIMENTS` of `qnn-kd/experiments`: each paper folder registers its notebooks), `qnn-kd reproduce all`
 * every entry in order. An entry may also be a group of notebooks run one after another (`course`: the six course
 * notebooks), each into its own results subfolder (see {@link experimentParts}).
 *
 * @packageDocumentation
 */
import { EXPERIMENTS, type Experiment } from "qnn-kd/experiments";

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

/** The id that selects every registered experiment. */
export const ALL_EXPERIMENTS_ID = "all";

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
