// Solutions to the exercises of notebooks/course/04-the-distillation-loss.ipynb (checked by
// test/notebooks/course-solutions.test.ts against independent computations; not shown in the notebook).
import { distillationLoss, softmax } from "qnn-kd";
import { logitMatchingGradient } from "qnn-kd/training";

/**
 * Exercise 1. e^{(z_k + c)/T} = e^{c/T}·e^{z_k/T}: the common factor cancels between numerator and denominator.
 * @returns the largest |σ((z + c)/T)_k − σ(z/T)_k|.
 */
export function exercise1(z: number[] = [3, 1.5, 0.5, -1], c = 100, T = 2): number {
  const a = softmax(z, T), b = softmax(z.map((v) => v + c), T);
  return Math.max(...a.map((v, k) => Math.abs(v - b[k])));
}

/**
 * Exercise 2. The top soft target σ(z/T)_0 falls monotonically from 1 (T → 0) to 1/3 (T → ∞), so bisection on
 * [0.01, 100] finds the T where it equals 0.5.
 */
export function exercise2(z: number[] = [2, 1, 0], target = 0.5, tol = 1e-6): number {
  let lo = 0.01, hi = 100;
  while (hi - lo > tol) {
    const mid = (lo + hi) / 2;
    if (softmax(z, mid)[0] > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Exercise 3. The deviation from the logit-matching limit is the next order of the expansion in 1/T, so it shrinks by
 * a factor of about 10 per decade of T.
 * @returns the largest deviation at each T and the ratios between consecutive temperatures.
 */
export function exercise3(Ts: number[] = [10, 100, 1000], zs = [0.5, 0.2, 0.4, 0.1], zt = [3, 1.5, 0.5, -1]): { deviations: number[]; ratios: number[] } {
  const limit = logitMatchingGradient(zs, zt);
  const deviations = Ts.map((T) => {
    const g = distillationLoss(zs, zt, 0, { T, alpha: 1 }).dLogits;
    return Math.max(...g.map((v, k) => Math.abs(v - limit[k])));
  });
  return { deviations, ratios: deviations.slice(1).map((d, i) => deviations[i] / d) };
}
