/**
 * The child process of `qnn-kd sweep` (`sweep.ts`) that computes one work unit:
 *
 *   node sweepUnit.js <experiment> <store> <unit index> <settings hash> <request JSON>
 *
 * It lists the experiment's units for the request (the same list as its parent), checks that unit `index` is in the
 * store folder the parent claimed (`settings hash`), runs it with its checkpoints in the store (seeded with the final
 * checkpoints of the models it shares with a unit of the run already stored: `SeedStudy.sharedModels`), writes the
 * result atomically, and then deletes the unit's checkpoints; a notebook unit (an experiment without units of its own,
 * `notebookUnits.ts`) runs its notebook into the store folder. Exit status 0 on success, 1 with the error on stderr.
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import * as path from "path";
import {
  EXPERIMENTS,
  UnitStore,
  type Experiment,
  type RunRequest,
  type UnitContext,
  type WorkUnit,
} from "qnn-kd/experiments";
import { unitsOf } from "./sweep";
import { NOTEBOOK_UNIT, notebookUnitOutput, notebookUnitPart, type NotebookUnitResult } from "./notebookUnits";
import { reproducePart } from "./reproduce";

async function main(argv: string[]): Promise<void> {
  const [id, storeRoot, indexText, hash, requestJson] = argv;
  if (requestJson === undefined)
    throw new Error("usage: sweepUnit.js <experiment> <store> <unit index> <settings hash> <request JSON>");
  const exp = EXPERIMENTS.find((e) => e.id === id);
  if (!exp) throw new Error(`sweepUnit: no experiment named ${JSON.stringify(id)}`);
  const request = JSON.parse(requestJson) as RunRequest;
  const list = unitsOf(exp, request);
  const index = Number(indexText);
  const unit = list[index];
  if (!Number.isInteger(index) || unit === undefined)
    throw new Error(`sweepUnit: unit index must be in [0, ${list.length}), got ${JSON.stringify(indexText)}`);
  const store = new UnitStore(storeRoot, exp.id, unit.settings);
  if (store.hash !== hash)
    throw new Error(`sweepUnit: unit ${index} has settings hash ${store.hash}, the sweep expected ${hash}`);
  if (!exp.units) {
    await runNotebookUnit(exp, unit, store, request);
    return;
  }
  const checkpoints = store.checkpointDir(unit.unit);
  // the other units of the run, read without creating folders: a unit may take the models it shares with a stored one
  const context: UnitContext = {
    units: list,
    read: (other) => new UnitStore(storeRoot, exp.id, other.settings, { create: false }).read(other.unit),
    log: (line) => console.log(`  ${exp.id} #${index} (${unit.label}): ${line}`),
  };
  const result = await exp.units.run(unit, checkpoints, context);
  store.write(unit.unit, result);
  fs.rmSync(checkpoints, { recursive: true, force: true }); // the unit is done: its checkpoints served their turn
}

/**
 * A notebook unit (`notebookUnits.ts`): runs the part's notebook into the store folder, then writes the unit's
 * result. @throws Error naming the failed cell when the notebook fails (no result is written).
 */
async function runNotebookUnit(exp: Experiment, unit: WorkUnit, store: UnitStore, request: RunRequest): Promise<void> {
  const part = notebookUnitPart(exp, unit.settings);
  const out = notebookUnitOutput(store);
  fs.rmSync(out, { recursive: true, force: true }); // a killed run's leftovers
  const r = await reproducePart(exp, part, out, { quick: request.quick, seeds: request.seeds, exportPng: false }, []);
  if (!r.ok) throw new Error(`sweepUnit: ${part.id} failed: ${r.errorMessage ?? "a cell failed"}`);
  const result: NotebookUnitResult = {
    part: part.id,
    notebook: part.notebook,
    output: path.relative(store.folder, path.join(out, part.resultsSubdir)),
    durationS: Number(r.durationS.toFixed(3)),
  };
  store.write(NOTEBOOK_UNIT, result);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
