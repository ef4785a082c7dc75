// Solutions to the exercises of notebooks/course/03-gradients.ipynb (checked by
// test/notebooks/course-solutions.test.ts against independent computations; not shown in the notebook).
import { Circuit, Statevector, expectationZ, param } from "qnn-kd";
import { gradientVariance, weightedZCotangent } from "qnn-kd/sim";

/** E(θ) = ⟨Z⟩ of RX(θ)|0⟩ by simulation. */
function energy(theta: number): number {
  return expectationZ(new Circuit(1).rx(0, theta).run(), [0])[0];
}

/** Exercise 1. The parameter-shift rule by hand: ½[E(θ + π/2) − E(θ − π/2)]. */
export function exercise1(theta = 0.3): number {
  return (energy(theta + Math.PI / 2) - energy(theta - Math.PI / 2)) / 2;
}

/**
 * Exercise 2. With E = A + B cos θ + C sin θ: E(θ+s) − E(θ−s) = −2B sin θ sin s + 2C cos θ sin s = 2 sin s · E'(θ),
 * so E'(θ) = [E(θ+s) − E(θ−s)]/(2 sin s) for every s with sin s ≠ 0.
 */
export function exercise2(theta = 0.3, shifts: number[] = [0.1, 1]): number[] {
  return shifts.map((s) => (energy(theta + s) - energy(theta - s)) / (2 * Math.sin(s)));
}

/**
 * Exercise 3. ∂θ cos θ = −sin θ; over θ ~ U[0, 2π) its mean is 0 and its variance E[sin²θ] = ½.
 * Estimated with gradientVariance over `samples` draws.
 */
export function exercise3(samples = 2000, seed = 0): { exact: number; estimate: number } {
  const c = new Circuit(1, 1).ry(0, param(0));
  const r = gradientVariance(c, Statevector.zero(1), weightedZCotangent([0], [1]), { samples, seed });
  return { exact: 0.5, estimate: r.variance[0] };
}
