/**
 * Work units of an experiment that declares none of its own (`Experiment.units`), such as the course: **one unit per
 * notebook** (`experimentParts`), which runs the whole notebook headlessly. The notebook's results folder (executed
 * notebook, `results.json`, figure specs, `run.json`) is written beside the unit's result in the store, at
 * `<store folder>/notebook/<results subfolder>/`; the unit's result (`notebook.json`) is written last, so a unit
 * killed mid-run leaves no result and runs again. `qnn-kd reproduce … --store` then copies that folder into its
 * output instead of running the notebook ({@link copyNotebookUnit}).
 *
 * A notebook unit is as coarse as its notebook: the course's lessons are one seed each and a minute or less, so
 * they need no finer units; an experiment that needs them declares its own.
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import * as path from "path";
import type { Experiment, RunRequest, UnitStore, WorkUnit } from "qnn-kd/experiments";
import { experimentParts, type ExperimentPart } from "./experiments";

/** The unit id of a notebook unit (one per store folder: the folder's settings name the notebook). */
export const NOTEBOOK_UNIT = "notebook";

/** What a notebook unit leaves as its result. */
export interface NotebookUnitResult {
  /** The part's id, e.g. `"course/05-a-first-distillation"`. */
  part: string;
  /** The notebook, relative to the project root. */
  notebook: string;
  /** Where its results folder is, relative to the store folder. */
  output: string;
  /** Wall time of the notebook run in seconds. */
  durationS: number;
}

/** The settings of a part's notebook unit (its store folder's key): the notebook and the run request. */
export function notebookUnitSettings(part: ExperimentPart, request: RunRequest): unknown {
  return { notebook: part.notebook, ...request };
}

/** The notebook units of an experiment without units of its own: one per notebook, in run order. */
export function notebookUnits(exp: Experiment, request: RunRequest): WorkUnit[] {
  return experimentParts(exp).map((part) => ({
    settings: notebookUnitSettings(part, request),
    unit: NOTEBOOK_UNIT,
    label: `${part.id}: the whole notebook`,
  }));
}

/** The folder, inside a notebook unit's store folder, whose `<resultsSubdir>/` holds the notebook's results. */
export function notebookUnitOutput(store: UnitStore): string {
  return path.join(store.folder, NOTEBOOK_UNIT);
}

/**
 * The part of an experiment that a notebook unit of `settings` runs.
 * @throws Error when no part of the experiment has that notebook.
 */
export function notebookUnitPart(exp: Experiment, settings: unknown): ExperimentPart {
  const nb = (settings as { notebook?: unknown }).notebook;
  const part = experimentParts(exp).find((p) => p.notebook === nb);
  if (!part) throw new Error(`notebook unit of ${JSON.stringify(exp.id)}: no notebook ${JSON.stringify(nb)}`);
  return part;
}

/**
 * Copies a finished notebook unit's results folder to `<outRoot>/<part.resultsSubdir>/` (replacing what was there)
 * and points its `run.json` at the copy.
 * @returns the unit's result, or null when the store does not hold the unit (nothing is copied).
 */
export function copyNotebookUnit(store: UnitStore, part: ExperimentPart, outRoot: string): NotebookUnitResult | null {
  const r = store.read<NotebookUnitResult>(NOTEBOOK_UNIT);
  if (!r) return null;
  const from = path.join(store.folder, r.output);
  const to = path.resolve(outRoot, part.resultsSubdir);
  fs.rmSync(to, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.cpSync(from, to, { recursive: true });
  const runFile = path.join(to, "run.json");
  if (fs.existsSync(runFile)) {
    const run = JSON.parse(fs.readFileSync(runFile, "utf8")) as Record<string, unknown>;
    const executed = path.join(to, path.basename(String(run.executedNotebook ?? part.notebook)));
    const text = JSON.stringify({ ...run, executedNotebook: executed, renderedFromStore: from }, null, 2) + "\n";
    fs.writeFileSync(runFile, text);
  }
  return r;
}
