/**
 * Adam optimiser with L2 weight decay (PyTorch `torch.optim.Adam`) or decoupled weight decay (`AdamW`).
 *
 * Source: D. P. Kingma, J. Ba, "Adam: a method for stochastic optimization", arXiv:1412.6980 (Algorithm 1);
 * I. Loshchilov, F. Hutter, "Decoupled weight decay regularization", arXiv:1711.05101 (AdamW). The update
 * follows PyTorch's single-tensor implementation step for step, so runs can be compared with it:
 *
 *   g ← g + wd·θ                        (Adam, decoupled = false)
 *   θ ← θ·(1 − lr·wd)                   (AdamW, decoupled = true)
 *   m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g²
 *   θ ← θ − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
 */
import { checkNumber, withDefaults } from "../util/options";

/** Options of {@link Adam}. PARAMS.md: Adam with β = (0.9, 0.999), ε = 1e-8, lr 0.01, weight decay 1e-4. */
export interface AdamOptions {
  /** Learning rate `lr` (> 0); a scheduler may overwrite {@link Adam.lr} before each step. @defaultValue 0.01 */
  lr: number;
  /** Decay rates (β1, β2) of the first and second moment estimates, each in [0, 1). @defaultValue [0.9, 0.999] */
  betas: readonly [number, number];
  /** ε added to the denominator for numerical stability (> 0). @defaultValue 1e-8 */
  eps: number;
  /** Weight-decay coefficient (≥ 0). @defaultValue 1e-4 */
  weightDecay: number;
  /**
   * `false`: L2 penalty added to the gradient (PyTorch `Adam`); `true`: decoupled decay of the parameters
   * (PyTorch `AdamW`).
   * @defaultValue false
   */
  decoupled: boolean;
}

/** Defaults of {@link AdamOptions}. */
export const ADAM_DEFAULTS: Readonly<AdamOptions> = Object.freeze({
  lr: 0.01,
  betas: [0.9, 0.999] as const,
  eps: 1e-8,
  weightDecay: 1e-4,
  decoupled: false,
});

/** JSON-friendly optimiser state for checkpoints: plain numbers and number arrays. */
export interface AdamState {
  /** Number of steps taken (t in the bias corrections). */
  step: number;
  /** First moment estimate m, length nParams (empty before the first step). */
  m: number[];
  /** Second moment estimate v, length nParams (empty before the first step). */
  v: number[];
}

/**
 * Validates Adam options (used by {@link Adam} and by the trainer).
 * @throws Error naming the option and quoting its value: unknown key, lr ≤ 0 or not finite, a beta outside
 *   [0, 1), eps ≤ 0, weightDecay < 0, non-boolean decoupled.
 */
export function resolveAdamOptions(options?: Partial<AdamOptions>): AdamOptions {
  const o = withDefaults("Adam", { ...ADAM_DEFAULTS }, options);
  checkNumber("Adam", "lr", o.lr, 0);
  if (o.lr === 0) throw new Error(`Adam: lr must be > 0, got 0`);
  if (!Array.isArray(o.betas) || o.betas.length !== 2) {
    throw new Error(`Adam: betas must be a pair [beta1, beta2], got ${JSON.stringify(o.betas)}`);
  }
  for (let i = 0; i < 2; i++) {
    const b = o.betas[i];
    if (typeof b !== "number" || !Number.isFinite(b) || b < 0 || b >= 1) {
      throw new Error(`Adam: betas[${i}] must be a number in [0, 1), got ${String(b)}`);
    }
  }
  checkNumber("Adam", "eps", o.eps, 0);
  if (o.eps === 0) throw new Error(`Adam: eps must be > 0, got 0`);
  checkNumber("Adam", "weightDecay", o.weightDecay, 0);
  if (typeof o.decoupled !== "boolean") {
    throw new Error(`Adam: decoupled must be true or false, got ${JSON.stringify(o.decoupled)}`);
  }
  return { ...o, betas: [o.betas[0], o.betas[1]] };
}

/**
 * Adam / AdamW optimiser over one `Float64Array` of parameters (updated in place). State is allocated on the
 * first {@link Adam.step}, sized to the parameters.
 *
 * @example
 * ```ts
 * const opt = new Adam({ lr: 0.01 });
 * for (let t = 0; t < 100; t++) { opt.lr = sched.lrAt(t, 0.01); opt.step(params, grad(params)); }
 * ```
 */
export class Adam {
  /** Current learning rate; schedulers set it before each step. */
  lr: number;
  /** Resolved options (lr is the initial learning rate). */
  readonly options: Readonly<AdamOptions>;
  private m: Float64Array | null = null;
  private v: Float64Array | null = null;
  private t = 0;

  /** @throws Error on invalid options (see {@link resolveAdamOptions}). */
  constructor(options?: Partial<AdamOptions>) {
    this.options = Object.freeze(resolveAdamOptions(options));
    this.lr = this.options.lr;
  }

  /** Number of steps taken so far. */
  get stepCount(): number {
    return this.t;
  }

  /**
   * One Adam update of `params` in place with gradient `grad` (∂loss/∂params), using the current
   * {@link Adam.lr}. `grad` is not modified.
   * @throws Error if the lengths differ from each other or from earlier steps, `lr` is not a finite number
   *   > 0, or a gradient entry is NaN or infinite (quoting its index and value).
   */
  step(params: Float64Array, grad: ArrayLike<number>): void {
    const n = params.length;
    if (grad.length !== n) throw new Error(`Adam.step: grad has length ${grad.length}, params has ${n}`);
    if (typeof this.lr !== "number" || !Number.isFinite(this.lr) || this.lr <= 0) {
      throw new Error(`Adam.step: lr must be a finite number > 0, got ${String(this.lr)}`);
    }
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(grad[i])) throw new Error(`Adam.step: grad[${i}] is ${grad[i]}`);
    }
    if (this.m === null || this.v === null) {
      this.m = new Float64Array(n);
      this.v = new Float64Array(n);
    } else if (this.m.length !== n) {
      throw new Error(`Adam.step: params has length ${n}, but the optimiser state has length ${this.m.length}`);
    }
    const m = this.m;
    const v = this.v;
    const [b1, b2] = this.options.betas;
    const { eps, weightDecay: wd, decoupled } = this.options;
    const lr = this.lr;
    this.t += 1;
    const bc1 = 1 - Math.pow(b1, this.t);
    const bc2Sqrt = Math.sqrt(1 - Math.pow(b2, this.t));
    const stepSize = lr / bc1;
    const decay = decoupled ? 1 - lr * wd : 1;
    for (let i = 0; i < n; i++) {
      let g = grad[i];
      let p = params[i];
      if (wd !== 0) {
        if (decoupled) p *= decay;
        else g += wd * p;
      }
      const mi = b1 * m[i] + (1 - b1) * g;
      const vi = b2 * v[i] + (1 - b2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] = p - (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
    }
  }

  /** A JSON-friendly copy of the optimiser state (step count and moments). */
  state(): AdamState {
    return {
      step: this.t,
      m: this.m ? Array.from(this.m) : [],
      v: this.v ? Array.from(this.v) : [],
    };
  }

  /**
   * Restores a state returned by {@link Adam.state} (e.g. read back from a JSON checkpoint).
   * @throws Error if `step` is not a non-negative integer, m and v differ in length, an entry is not a finite
   *   number (v must also be ≥ 0), or moments are missing after step > 0.
   */
  loadState(state: AdamState): void {
    const where = "Adam.loadState";
    if (state === null || typeof state !== "object")
      throw new Error(`${where}: state must be an object, got ${String(state)}`);
    const { step, m, v } = state;
    if (typeof step !== "number" || !Number.isInteger(step) || step < 0) {
      throw new Error(`${where}: step must be a non-negative integer, got ${String(step)}`);
    }
    if (!Array.isArray(m) || !Array.isArray(v) || m.length !== v.length) {
      throw new Error(`${where}: m and v must be number arrays of equal length`);
    }
    if (step > 0 && m.length === 0) throw new Error(`${where}: step is ${step} but the moments are empty`);
    for (let i = 0; i < m.length; i++) {
      if (typeof m[i] !== "number" || !Number.isFinite(m[i])) throw new Error(`${where}: m[${i}] is ${String(m[i])}`);
      if (typeof v[i] !== "number" || !Number.isFinite(v[i]) || v[i] < 0)
        throw new Error(`${where}: v[${i}] is ${String(v[i])}`);
    }
    this.t = step;
    this.m = m.length ? Float64Array.from(m) : null;
    this.v = v.length ? Float64Array.from(v) : null;
  }
}
