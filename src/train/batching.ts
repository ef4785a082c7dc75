/**
 * Mini-batch index streams. Every batch is a pure function of (seed, iteration or epoch): it is drawn from
 * a stream forked by name, never from a generator's running position, so a run resumed from a checkpoint
 * draws exactly the batches an uninterrupted run would have drawn.
 */
import { Rng } from "../util/rng";
import { checkInt } from "../util/options";

/**
 * Indices of the batch of 0-based iteration `t` in iteration mode: `min(batchSize, n)` distinct indices
 * from [0, n) (without replacement within the batch; batches of different iterations are independent),
 * drawn from `rng.fork(\`batch/${t}\`)`. Yan et al.: "64 random samples per iteration".
 * @throws Error if t, n or batchSize is not an integer (t ≥ 0, n ≥ 1, batchSize ≥ 1).
 */
export function iterationBatch(rng: Rng, t: number, n: number, batchSize: number): number[] {
  checkInt("iterationBatch", "t", t, 0);
  checkInt("iterationBatch", "n", n, 1);
  checkInt("iterationBatch", "batchSize", batchSize, 1);
  return rng.fork(`batch/${t}`).sampleWithoutReplacement(n, Math.min(batchSize, n));
}

/** Number of batches per epoch: ⌈n / batchSize⌉ (the last batch may be smaller, as PyTorch's `drop_last=false`). */
export function batchesPerEpoch(n: number, batchSize: number): number {
  checkInt("batchesPerEpoch", "n", n, 1);
  checkInt("batchesPerEpoch", "batchSize", batchSize, 1);
  return Math.ceil(n / batchSize);
}

/**
 * The permutation of [0, n) that orders 0-based epoch `e`, drawn from `rng.fork(\`epoch/${e}\`)`. Batch j of
 * the epoch is `perm.slice(j·batchSize, (j+1)·batchSize)`.
 * @throws Error if e or n is not an integer (e ≥ 0, n ≥ 1).
 */
export function epochPermutation(rng: Rng, e: number, n: number): number[] {
  checkInt("epochPermutation", "e", e, 0);
  checkInt("epochPermutation", "n", n, 1);
  return rng.fork(`epoch/${e}`).permutation(n);
}
