/**
 * Learning-rate schedules. Yan et al. state a StepLR schedule (PyTorch `torch.optim.lr_scheduler.StepLR`);
 * PARAMS.md chooses γ = 0.5 and step 20 iterations (ZXZ), 100 iterations (MNIST 1 vs 5), 10 epochs (self-KD).
 */
import { checkInt, checkNumber, withDefaults } from "../util/options";

/** Options of {@link StepLR}. */
export interface StepLROptions {
  /** Number of scheduler steps (iterations or epochs, as the caller counts them) between decays; integer ≥ 1. */
  stepSize: number;
  /** Multiplicative decay factor γ, in (0, 1] (1 = constant lr). @defaultValue 0.5 */
  gamma: number;
}

/**
 * Step decay: lr(t) = baseLr · γ^⌊t / stepSize⌋ for t = 0, 1, 2, … (0-based: the first stepSize steps use
 * baseLr). Same values as PyTorch's `StepLR` after t calls of `scheduler.step()`. Stateless, so a resumed run
 * gets the same lr from the step index alone.
 */
export class StepLR {
  /** Steps between decays. */
  readonly stepSize: number;
  /** Decay factor γ. */
  readonly gamma: number;

  /**
   * @param options - `stepSize` (required), `gamma` (default 0.5).
   * @throws Error on an unknown option, a missing or non-integer stepSize < 1, or gamma outside (0, 1].
   */
  constructor(options: Partial<StepLROptions> & { stepSize: number }) {
    const o = withDefaults("StepLR", { stepSize: NaN, gamma: 0.5 }, options);
    this.stepSize = checkInt("StepLR", "stepSize", o.stepSize, 1);
    this.gamma = checkNumber("StepLR", "gamma", o.gamma, 0, 1);
    if (this.gamma === 0) throw new Error(`StepLR: gamma must be in (0, 1], got 0`);
  }

  /**
   * Learning rate at 0-based step `t`.
   * @throws Error if t is not a non-negative integer or baseLr is not a finite number > 0.
   */
  lrAt(t: number, baseLr: number): number {
    checkInt("StepLR.lrAt", "t", t, 0);
    checkNumber("StepLR.lrAt", "baseLr", baseLr, 0);
    if (baseLr === 0) throw new Error(`StepLR.lrAt: baseLr must be > 0, got 0`);
    return baseLr * Math.pow(this.gamma, Math.floor(t / this.stepSize));
  }
}
