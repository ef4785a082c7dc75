/**
 * The child process of `qnn-kd sweep` (`sweep.ts`) that computes one work unit:
 *
 *   node sweepUnit.js <experiment> <store> <unit index> <settings hash> <request JSON>
 *
 * It lists the experiment's units for the request (the same list as its parent), checks that unit `index` is in the
 * store folder the parent claimed (`settings hash`), runs it with its checkpoints in the store, writes the result
 * atomically, and then deletes the unit's checkpoints. Exit status 0 on success, 1 with the error on stderr.
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import { EXPERIMENTS, UnitStore, type RunRequest } from "qnn-kd/experiments";

async function main(argv: string[]): Promise<void> {
  const [id, storeRoot, indexText, hash, requestJson] = argv;
  if (requestJson === undefined)
    throw new Error("usage: sweepUnit.js <experiment> <store> <unit index> <settings hash> <request JSON>");
  const exp = EXPERIMENTS.find((e) => e.id === id);
  if (!exp?.units) throw new Error(`sweepUnit: no experiment with work units named ${JSON.stringify(id)}`);
  const request = JSON.parse(requestJson) as RunRequest;
  const list = exp.units.list(request);
  const index = Number(indexText);
  const unit = list[index];
  if (!Number.isInteger(index) || unit === undefined)
    throw new Error(`sweepUnit: unit index must be in [0, ${list.length}), got ${JSON.stringify(indexText)}`);
  const store = new UnitStore(storeRoot, exp.id, unit.settings);
  if (store.hash !== hash)
    throw new Error(`sweepUnit: unit ${index} has settings hash ${store.hash}, the sweep expected ${hash}`);
  const checkpoints = store.checkpointDir(unit.unit);
  const result = await exp.units.run(unit, checkpoints);
  store.write(unit.unit, result);
  fs.rmSync(checkpoints, { recursive: true, force: true }); // the unit is done: its checkpoints served their turn
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
