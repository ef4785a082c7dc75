/** Central finite differences: the test oracle of every gradient route. */

/**
 * Central finite-difference gradient of a scalar function: (f(x + h·e_j) − f(x − h·e_j)) / 2h.
 * A test oracle (error O(h²) plus rounding O(ε/h)).
 * @param h - step (default 1e-6).
 */
export function finiteDifferenceGradient(f: (x: Float64Array) => number, x: ArrayLike<number>, h = 1e-6): Float64Array {
  if (!(h > 0) || !Number.isFinite(h))
    throw new Error(`finiteDifferenceGradient: h must be a positive finite number, got ${h}`);
  const xs = Float64Array.from(x);
  const g = new Float64Array(xs.length);
  for (let j = 0; j < xs.length; j++) {
    const v = xs[j];
    xs[j] = v + h;
    const fp = f(xs);
    xs[j] = v - h;
    const fm = f(xs);
    xs[j] = v;
    g[j] = (fp - fm) / (2 * h);
  }
  return g;
}
