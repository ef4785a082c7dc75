/**
 * Classification and knowledge-distillation losses on logits: softmax with temperature `T`, cross-entropy,
 * KL divergence, and the Hinton distillation loss used by Yan et al. (Eq. 7), each with its analytic gradient
 * with respect to the student's logits.
 *
 * Shapes: a vector of logits of one sample has length `nClasses`; every function works on one sample. The
 * trainer averages over a batch (Yan et al., Eq. 4: mean over the batch).
 *
 * Sources:
 * - Yan et al., "Distilling knowledge from quantum neural networks", Sec. II, Eqs. 3, 4 and 7.
 * - G. Hinton, O. Vinyals, J. Dean, "Distilling the knowledge in a neural network", arXiv:1503.02531 (2015):
 *   soft targets at temperature T and the T² factor that keeps the soft-target gradients on the scale of the
 *   hard-target ones as T changes.
 */
import { checkInt, checkNumber, checkOneOf, withDefaults } from "../util/options";
import type { LossOutput } from "../core/model";

/** A vector of numbers: `Float64Array`, `number[]` or any indexable array of numbers. */
export type Vector = ArrayLike<number>;

function checkLogits(where: string, name: string, v: Vector): void {
  if (v === null || v === undefined || typeof v.length !== "number") {
    throw new Error(`${where}: ${name} must be an array of numbers, got ${String(v)}`);
  }
  if (v.length < 1) throw new Error(`${where}: ${name} must have at least one entry, got length 0`);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== "number" || !Number.isFinite(x)) {
      throw new Error(`${where}: ${name}[${i}] must be a finite number, got ${String(x)}`);
    }
  }
}

function checkTemperature(where: string, T: unknown): number {
  if (typeof T !== "number" || !Number.isFinite(T) || T <= 0) {
    throw new Error(`${where}: temperature T must be a finite number > 0, got ${String(T)}`);
  }
  return T;
}

function checkLabel(where: string, label: unknown, nClasses: number): number {
  return checkInt(where, "label", label, 0, nClasses - 1);
}

/** Unchecked log-softmax of `z / T` into `out`; returns `out`. */
function logSoftmaxInto(z: Vector, T: number, out: Float64Array): Float64Array {
  const n = z.length;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const s = z[i] / T;
    out[i] = s;
    if (s > max) max = s;
  }
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(out[i] - max);
  const logZ = max + Math.log(sum);
  for (let i = 0; i < n; i++) out[i] -= logZ;
  return out;
}

/** Unchecked softmax of `z / T` into `out` (max-subtracted); returns `out`. */
function softmaxInto(z: Vector, T: number, out: Float64Array): Float64Array {
  const n = z.length;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const s = z[i] / T;
    if (s > max) max = s;
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(z[i] / T - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) out[i] /= sum;
  return out;
}

/**
 * Softmax with temperature: σ(z/T)_k = exp(z_k/T) / Σ_j exp(z_j/T), computed stably by subtracting
 * max_j z_j/T before exponentiating (Yan et al., Eq. 3; temperature as in Hinton et al. 2015).
 *
 * @param logits - logits `z`, length nClasses.
 * @param T - temperature; T > 1 softens the distribution, T < 1 sharpens it. @defaultValue 1
 * @returns probabilities, length nClasses, summing to 1.
 * @throws Error if a logit is NaN or infinite, `logits` is empty, or T is not a finite number > 0.
 */
export function softmax(logits: Vector, T = 1): Float64Array {
  checkLogits("softmax", "logits", logits);
  checkTemperature("softmax", T);
  return softmaxInto(logits, T, new Float64Array(logits.length));
}

/**
 * Log-softmax with temperature: log σ(z/T)_k = z_k/T − logΣ_j exp(z_j/T), computed with the log-sum-exp
 * trick, so it stays finite where {@link softmax} underflows to 0.
 *
 * @param logits - logits `z`, length nClasses.
 * @param T - temperature. @defaultValue 1
 * @returns log-probabilities, length nClasses.
 * @throws Error if a logit is NaN or infinite, `logits` is empty, or T is not a finite number > 0.
 */
export function logSoftmax(logits: Vector, T = 1): Float64Array {
  checkLogits("logSoftmax", "logits", logits);
  checkTemperature("logSoftmax", T);
  return logSoftmaxInto(logits, T, new Float64Array(logits.length));
}

/**
 * Loss of one sample and its gradient with respect to the logits: the trainer's per-sample {@link LossOutput}
 * (`core/model`), with the gradient as a fresh Float64Array, so a loss function here can be returned as it is
 * from a `SampleLoss`.
 */
export interface LossAndGradient extends LossOutput {
  /** ∂loss/∂logits, length nClasses. */
  dLogits: Float64Array;
}

/**
 * Cross-entropy of one sample against its integer label (Yan et al., Eq. 4, one term of the batch mean):
 * CE(y, σ(z)) = −log σ(z)_y, with gradient ∂CE/∂z = σ(z) − onehot(y).
 *
 * @param logits - logits `z`, length nClasses.
 * @param label - class index in [0, nClasses).
 * @throws Error if a logit is NaN or infinite, or `label` is not an integer in range.
 */
export function crossEntropy(logits: Vector, label: number): LossAndGradient {
  checkLogits("crossEntropy", "logits", logits);
  checkLabel("crossEntropy", label, logits.length);
  const n = logits.length;
  const logp = logSoftmaxInto(logits, 1, new Float64Array(n));
  const dLogits = new Float64Array(n);
  for (let i = 0; i < n; i++) dLogits[i] = Math.exp(logp[i]);
  dLogits[label] -= 1;
  return { loss: -logp[label], dLogits };
}

/**
 * Kullback–Leibler divergence KL(p ‖ q) = Σ_k p_k log(p_k / q_k), with the convention 0·log(0/q) = 0.
 * Returns `Infinity` where some p_k > 0 meets q_k = 0. Neither vector is renormalised.
 *
 * @param p - reference distribution (in distillation: the teacher's soft targets), length nClasses.
 * @param q - approximating distribution (the student's), same length.
 * @throws Error if the lengths differ, or an entry is negative, NaN or infinite.
 */
export function klDivergence(p: Vector, q: Vector): number {
  checkLogits("klDivergence", "p", p);
  checkLogits("klDivergence", "q", q);
  if (p.length !== q.length) {
    throw new Error(`klDivergence: p and q must have the same length, got ${p.length} and ${q.length}`);
  }
  let kl = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i];
    const qi = q[i];
    if (pi < 0) throw new Error(`klDivergence: p[${i}] must be >= 0, got ${pi}`);
    if (qi < 0) throw new Error(`klDivergence: q[${i}] must be >= 0, got ${qi}`);
    if (pi === 0) continue;
    if (qi === 0) return Infinity;
    kl += pi * Math.log(pi / qi);
  }
  return kl;
}

/** Options of {@link distillationLoss}. */
export interface DistillationOptions {
  /**
   * Temperature `T` of the soft targets σ(z_t/T) and soft predictions σ(z_s/T); must be > 0.
   * PARAMS.md: chosen (paper value lost); notebooks sweep T ∈ {0.5, 1, 2, 4}.
   * @defaultValue 2
   */
  T: number;
  /**
   * Distillation weight `alpha` ∈ [0, 1]: weight of the KL (soft-target) term; 1 − alpha weighs the
   * cross-entropy with the true label. alpha = 0 is plain cross-entropy.
   * @defaultValue 0.5
   */
  alpha: number;
  /**
   * Multiply the KL term by T² (Hinton et al. 2015), so that its gradient keeps its scale as T changes.
   * PARAMS.md: chosen; set `false` for the unscaled form.
   * @defaultValue true
   */
  scaleT2: boolean;
  /**
   * Which term α weighs: `"kl"` (L = α·s·KL + (1 − α)·CE, Hinton et al.'s "weighted average" with the soft term
   * first) or `"ce"` (L = (1 − α)·s·KL + α·CE, α on the hard-label cross-entropy, as e.g. the PyTorch KD
   * tutorial's `ce_loss_weight`). Yan et al.'s Eq. 7 does not say (PARAMS.md). At α = ½ both are the same loss.
   * @defaultValue "kl" (an experiment config may leave it out: {@link DISTILLATION_DEFAULTS} fills it)
   */
  alphaOn?: "kl" | "ce";
}

/** Defaults of {@link DistillationOptions} (PARAMS.md: T = 2, alpha = 0.5, T² scaling on, α on the KL term). */
export const DISTILLATION_DEFAULTS: Readonly<DistillationOptions> = Object.freeze({
  T: 2,
  alpha: 0.5,
  scaleT2: true,
  alphaOn: "kl",
});

/** Values of {@link DistillationOptions.alphaOn}. */
export const ALPHA_ON = ["kl", "ce"] as const;

/** Output of {@link distillationLoss}. */
export interface DistillationOutput extends LossAndGradient {
  /** Unweighted cross-entropy CE(y, σ(z_s)) at temperature 1. */
  ce: number;
  /** Unweighted KL(σ(z_t/T) ‖ σ(z_s/T)) (without the alpha and T² factors). */
  kl: number;
}

/**
 * Resolves and validates distillation options once (defaults from {@link DISTILLATION_DEFAULTS}).
 * @throws Error on an unknown option, T not a finite number > 0, alpha outside [0, 1], or a non-boolean
 *   `scaleT2`; the message quotes the bad value.
 */
export function resolveDistillationOptions(options?: Partial<DistillationOptions>): DistillationOptions {
  const o = withDefaults("distillationLoss", { ...DISTILLATION_DEFAULTS }, options);
  checkTemperature("distillationLoss", o.T);
  checkNumber("distillationLoss", "alpha", o.alpha, 0, 1);
  if (typeof o.scaleT2 !== "boolean") {
    throw new Error(`distillationLoss: scaleT2 must be true or false, got ${JSON.stringify(o.scaleT2)}`);
  }
  checkOneOf("distillationLoss", "alphaOn", o.alphaOn, ALPHA_ON);
  return o;
}

/**
 * Knowledge-distillation loss of one sample (Yan et al., Eq. 7; Hinton et al. 2015):
 *
 *   L = w_KL · s · KL(σ(z_t/T) ‖ σ(z_s/T)) + w_CE · CE(y, σ(z_s)),   s = T² if `scaleT2` else 1,
 *
 * with (w_KL, w_CE) = (alpha, 1 − alpha) when `alphaOn` is "kl" (the default), (1 − alpha, alpha) when "ce",
 * and the analytic gradient with respect to the student's logits
 *
 *   ∂L/∂z_s = w_KL · s · (σ(z_s/T) − σ(z_t/T)) / T + w_CE · (σ(z_s) − onehot(y)).
 *
 * The KL term is computed from log-softmaxes, so it stays finite for large |z|/T.
 *
 * @param studentLogits - student logits z_s, length nClasses.
 * @param teacherLogits - teacher logits z_t, same length (the teacher is fixed: no gradient flows to it).
 * @param label - true class y in [0, nClasses).
 * @param options - {@link DistillationOptions}; defaults T = 2, alpha = 0.5, scaleT2 = true, alphaOn = "kl".
 * @returns total loss, ∂L/∂z_s, and the unweighted `ce` and `kl` terms.
 * @throws Error if the lengths differ, a logit is NaN or infinite, the label is out of range, or an option
 *   is invalid (see {@link resolveDistillationOptions}).
 */
export function distillationLoss(
  studentLogits: Vector,
  teacherLogits: Vector,
  label: number,
  options?: Partial<DistillationOptions>,
): DistillationOutput {
  const o = resolveDistillationOptions(options);
  return distillationLossResolved(studentLogits, teacherLogits, label, o);
}

/**
 * {@link distillationLoss} with options already resolved by {@link resolveDistillationOptions} (skips the
 * option merge; the trainer calls this once per sample). Inputs are still validated.
 */
export function distillationLossResolved(
  studentLogits: Vector,
  teacherLogits: Vector,
  label: number,
  o: DistillationOptions,
): DistillationOutput {
  const where = "distillationLoss";
  checkLogits(where, "studentLogits", studentLogits);
  checkLogits(where, "teacherLogits", teacherLogits);
  const n = studentLogits.length;
  if (teacherLogits.length !== n) {
    throw new Error(
      `${where}: studentLogits and teacherLogits must have the same length, got ${n} and ${teacherLogits.length}`,
    );
  }
  checkLabel(where, label, n);
  const { T } = o;
  const scale = o.scaleT2 ? T * T : 1;
  const wKl = o.alphaOn === "ce" ? 1 - o.alpha : o.alpha;

  const logPs1 = logSoftmaxInto(studentLogits, 1, new Float64Array(n));
  const logPsT = logSoftmaxInto(studentLogits, T, new Float64Array(n));
  const logPtT = logSoftmaxInto(teacherLogits, T, new Float64Array(n));

  let kl = 0;
  const dLogits = new Float64Array(n);
  const kdCoef = (wKl * scale) / T;
  const ceCoef = 1 - wKl;
  for (let i = 0; i < n; i++) {
    const pt = Math.exp(logPtT[i]);
    const psT = Math.exp(logPsT[i]);
    if (pt > 0) kl += pt * (logPtT[i] - logPsT[i]);
    dLogits[i] = kdCoef * (psT - pt) + ceCoef * Math.exp(logPs1[i]);
  }
  dLogits[label] -= ceCoef;
  const ce = -logPs1[label];
  const loss = wKl * scale * kl + ceCoef * ce;
  return { loss, dLogits, ce, kl };
}

/**
 * Self-distillation loss: {@link distillationLoss} where the teacher has the same architecture as the
 * student (e.g. a previously trained copy of the same QNN: Yan et al., Sec. IV, 10-qubit × 4-layer teacher and
 * student on 10-class MNIST). The loss and its gradient are exactly those of Eq. 7; this helper only makes
 * the setting explicit in code and notebooks.
 *
 * @param studentLogits - logits of the model being trained, length nClasses.
 * @param selfTeacherLogits - logits of the same-architecture teacher for the same input, same length.
 * @param label - true class in [0, nClasses).
 * @param options - as {@link distillationLoss}: T = 2, alpha = 0.5, scaleT2 = true by default.
 * @throws Error as {@link distillationLoss}.
 */
export function selfDistillationLoss(
  studentLogits: Vector,
  selfTeacherLogits: Vector,
  label: number,
  options?: Partial<DistillationOptions>,
): DistillationOutput {
  return distillationLoss(studentLogits, selfTeacherLogits, label, options);
}

/**
 * Hinton's logit-matching limit of the distillation gradient: for a temperature T large against the logits, the
 * T²-scaled KL term's gradient T²·∂KL(σ(z_t/T) ‖ σ(z_s/T))/∂z_s = T·(σ(z_s/T) − σ(z_t/T)) tends to
 *
 *   (d − mean(d)) / N,   d = z_s − z_t,  N = nClasses
 *
 * (expand σ(z/T)_k ≈ (1 + z_k/T − mean(z)/T)/N to first order in 1/T): distillation at high temperature is
 * least-squares matching of the zero-mean logits, ½·Σ_k (d_k − mean d)²/N, independent of T.
 * Source: Hinton, Vinyals & Dean, arXiv:1503.02531 (2015), Sec. 2.1, Eq. 2–4. Taught in
 * `notebooks/course/04-the-distillation-loss.ipynb` (section 4.5).
 *
 * @param studentLogits - z_s, length nClasses.
 * @param teacherLogits - z_t, same length.
 * @returns the limit gradient with respect to z_s, length nClasses (it sums to 0).
 * @throws Error if the lengths differ or a logit is NaN or infinite.
 */
export function logitMatchingGradient(studentLogits: Vector, teacherLogits: Vector): Float64Array {
  const where = "logitMatchingGradient";
  checkLogits(where, "studentLogits", studentLogits);
  checkLogits(where, "teacherLogits", teacherLogits);
  const n = studentLogits.length;
  if (teacherLogits.length !== n)
    throw new Error(
      `${where}: studentLogits and teacherLogits must have the same length, got ${n} and ${teacherLogits.length}`,
    );
  const d = Float64Array.from({ length: n }, (_, k) => studentLogits[k] - teacherLogits[k]);
  const mean = d.reduce((a, b) => a + b, 0) / n;
  return d.map((v) => (v - mean) / n);
}
