/**
 * Worker task of `runPipernoSeeds` (a piscina worker, or called in-process with one thread): runs one seed of the
 * Piperno et al. experiment on the wasm tfjs backend and returns its rows and histories (plain data).
 *
 * @packageDocumentation
 */
import { useTfBackend } from "../../hybrid/backend";
import type { PipernoConfig } from "./config";
import { runPiperno, type PipernoSeedResult } from "./run";

/** Runs seed `seed` of `cfg` (checkpoints in `checkpointDir` when given). */
export async function runPipernoSeed(task: {
  cfg: PipernoConfig;
  seed: number;
  checkpointDir: string | null;
}): Promise<PipernoSeedResult> {
  await useTfBackend();
  const r = runPiperno(task.cfg, task.seed, task.checkpointDir ? { checkpointDir: task.checkpointDir } : {});
  return { seed: task.seed, rows: r.rows, histories: r.histories };
}

export default runPipernoSeed;
