/**
 * The one optimisation loop of qnn-kd ({@link optimise}): for each iteration t, the learning rate of the schedule,
 * the loss and its gradient on the iteration's batch, one optimiser step on the parameters in place, then the
 * caller's `after` callback (the history row, evaluation, checkpoint, early stopping, progress), which may end the
 * loop. `trainClassifier` (classifiers and the tfjs adapter) and the quantum autoencoder's trainers all run on it.
 * @packageDocumentation
 */
import type { Adam } from "./adam";
import type { Trainable } from "../core/model";

/** One iteration's loss and gradient (what `step` returns). */
export interface StepResult {
  /** The loss minimised at this iteration (finite). */
  loss: number;
  /** ∂loss/∂θ, length nParams. */
  grad: Float64Array;
}

/** Options of {@link optimise}. */
export interface OptimiseOptions {
  /** The optimiser (its `lr` is set from `lrAt` before each step). */
  optimiser: Adam;
  /** Number of iterations in the whole run (the loop stops at `iterations`). */
  iterations: number;
  /** First iteration (a run resumed from a checkpoint). @defaultValue 0 */
  start?: number;
  /** Learning rate of iteration t. */
  lrAt: (t: number) => number;
  /** The loss and gradient of iteration t at the current parameters (called after the lr is set). */
  step: (t: number, lr: number) => StepResult;
  /** After the update of iteration t: return `"stop"` to end the loop. @defaultValue none */
  after?: (t: number, done: { loss: number; lr: number }) => "stop" | void;
  /** Prefix of error messages. @defaultValue "optimise" */
  name?: string;
}

/**
 * Runs iterations `start … iterations − 1` (see the module doc) and returns the number of iterations completed,
 * counted from 0 (less than `iterations` when `after` stopped the loop).
 * @throws Error naming the iteration (1-based) for a non-finite loss or a gradient of the wrong length.
 */
export function optimise(model: Trainable, o: OptimiseOptions): number {
  const name = o.name ?? "optimise";
  let t = o.start ?? 0;
  while (t < o.iterations) {
    const lr = o.lrAt(t);
    o.optimiser.lr = lr;
    const { loss, grad } = o.step(t, lr);
    if (typeof loss !== "number" || !Number.isFinite(loss)) {
      throw new Error(`${name}: loss at iteration ${t + 1} is ${String(loss)} (lr ${lr}); try a smaller lr`);
    }
    if (!grad || grad.length !== model.nParams) {
      throw new Error(
        `${name}: the gradient at iteration ${t + 1} has length ${grad ? grad.length : String(grad)}, expected nParams = ${model.nParams}`,
      );
    }
    o.optimiser.step(model.params, grad);
    t++;
    if (o.after?.(t - 1, { loss, lr }) === "stop") break;
  }
  return t;
}
