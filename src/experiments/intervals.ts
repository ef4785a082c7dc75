/**
 * Confidence intervals over seeds: the statistics behind every verdict ({@link ./verdicts}).
 *
 * A result over k seeds is k numbers (one per seed). The intervals here are the ones rliable recommends for few
 * runs (Agarwal et al., "Deep Reinforcement Learning at the Edge of the Statistical Precipice", NeurIPS 2021):
 * a seeded bootstrap over seeds, beside the classical t interval, because with 3–10 seeds a percentile bootstrap
 * is too narrow (it ignores the uncertainty of the spread itself), while the t interval assumes normal errors.
 *
 * - {@link oneSampleInterval}: the mean of one arm (Student t interval and bootstrap).
 * - {@link pairedInterval}: the mean of per-seed differences a_s − b_s of two arms trained from the same
 *   initialisation and batches (the paired t interval of `scipy.stats.ttest_rel` and a bootstrap of the
 *   differences, which is `scipy.stats.bootstrap(..., paired=True)`).
 * - {@link welchInterval}: the difference of two means of unpaired arms (Welch's t interval with the
 *   Welch–Satterthwaite degrees of freedom, and a bootstrap that resamples each arm on its own).
 * - {@link varianceRatioInterval}: the ratio of two sample variances (the F interval, exact for normal data, and
 *   the bootstrap).
 *
 * Bootstrap intervals are BCa (bias-corrected and accelerated, Efron 1987; the default of `scipy.stats.bootstrap`,
 * computed the way SciPy computes it: z0 from the share of resampled statistics below the estimate, ties counted
 * half; the acceleration from the jackknife of each arm; linear interpolation between order statistics) or
 * percentile. The resamples come from the project's seeded {@link Rng}: the same seed gives the same interval.
 * Tests compare every interval with SciPy's (`test/fixtures/scipy-intervals.json`).
 *
 * @packageDocumentation
 */
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import fQuantile from "@stdlib/stats-base-dists-f-quantile";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { Rng } from "../util/rng";

/** A two-sided interval. */
export interface Interval {
  low: number;
  high: number;
}

/** Bootstrap method: BCa (SciPy's default) or percentile. */
export type BootstrapMethod = "BCa" | "percentile";

/** Options of the bootstrap intervals. */
export interface BootstrapOptions {
  /** Resamples (≥ 1000). @defaultValue 10000 */
  nResamples?: number;
  /** Seed of the resampling stream (a number or a string). @defaultValue 0 */
  seed?: number | string;
  /** @defaultValue "BCa" */
  method?: BootstrapMethod;
  /** Confidence level in (0, 1). @defaultValue 0.95 */
  level?: number;
}

/** Default number of bootstrap resamples (rliable and the issue ask for at least 10,000). */
export const DEFAULT_RESAMPLES = 10000;

function checkValues(where: string, name: string, v: readonly number[], min = 1): void {
  if (!Array.isArray(v) || v.length < min)
    throw new Error(`${where}: ${name} must be an array of at least ${min} finite number(s), got ${JSON.stringify(v)}`);
  v.forEach((x, i) => {
    if (typeof x !== "number" || !Number.isFinite(x))
      throw new Error(`${where}: ${name}[${i}] must be a finite number, got ${JSON.stringify(x)}`);
  });
}

function checkLevel(where: string, level: number): void {
  if (!(level > 0 && level < 1)) throw new Error(`${where}: level must be in (0, 1), got ${String(level)}`);
}

/** Arithmetic mean. */
export function mean(v: readonly number[]): number {
  let s = 0;
  for (const x of v) s += x;
  return s / v.length;
}

/** Sample variance (denominator n − 1; 0 for one value), two-pass. */
export function sampleVariance(v: readonly number[]): number {
  if (v.length < 2) return 0;
  const m = mean(v);
  let ss = 0;
  for (const x of v) ss += (x - m) * (x - m);
  return ss / (v.length - 1);
}

/** Quantile q ∈ (0, 1) of Student's t distribution with `df` > 0 degrees of freedom (stdlib). */
export function studentTQuantile(q: number, df: number): number {
  return tQuantile(q, df);
}

/** Quantile q ∈ (0, 1) of the F distribution with (d1, d2) degrees of freedom (stdlib). */
export function fDistQuantile(q: number, d1: number, d2: number): number {
  return fQuantile(q, d1, d2);
}

/** The t interval of a mean: m ± t_{(1+level)/2, df} · se; degenerate [m, m] when se = 0. */
function tInterval(m: number, se: number, df: number, level: number): Interval {
  if (se === 0) return { low: m, high: m };
  const h = studentTQuantile(0.5 + level / 2, df) * se;
  return { low: m - h, high: m + h };
}

/**
 * Percentile of sorted values at fraction p ∈ [0, 1] by linear interpolation between order statistics (NumPy's
 * default `np.percentile`, which SciPy's bootstrap uses).
 */
export function quantileSorted(sorted: Float64Array | readonly number[], p: number): number {
  const n = sorted.length;
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h),
    hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Jackknife statistics of one sample: the statistic with each value left out in turn. */
function jackknife(sample: readonly number[], stat: (v: readonly number[]) => number): number[] {
  return sample.map((_, i) => stat(sample.filter((__, j) => j !== i)));
}

/**
 * A bootstrap interval of `statistic` over independent samples (each resampled with replacement on its own, as
 * `scipy.stats.bootstrap(..., paired=False)`); a one-sample bootstrap when `samples` has one entry.
 * @param statistic - of the resampled samples, in the order given.
 * @returns the interval; [θ̂, θ̂] when every resample gives the same value (no spread to resample).
 * @throws Error for an empty sample, a sample of one value (BCa's jackknife needs two), nResamples < 1000 or a
 *   level outside (0, 1).
 */
export function bootstrapInterval(
  samples: readonly (readonly number[])[],
  statistic: (...s: number[][]) => number,
  opts: BootstrapOptions = {},
): Interval {
  const where = "bootstrapInterval";
  const B = opts.nResamples ?? DEFAULT_RESAMPLES,
    level = opts.level ?? 0.95,
    method = opts.method ?? "BCa";
  if (!Number.isInteger(B) || B < 1000)
    throw new Error(`${where}: nResamples must be an integer ≥ 1000, got ${String(B)}`);
  checkLevel(where, level);
  if (method !== "BCa" && method !== "percentile")
    throw new Error(`${where}: method must be "BCa" or "percentile", got ${JSON.stringify(method)}`);
  samples.forEach((s, j) => checkValues(where, `samples[${j}]`, s, 2));
  const rng = new Rng(opts.seed ?? 0).fork("bootstrap");
  const theta = statistic(...samples.map((s) => [...s]));
  const stats = new Float64Array(B);
  const bufs = samples.map((s) => new Array<number>(s.length));
  for (let b = 0; b < B; b++) {
    samples.forEach((s, j) => {
      const buf = bufs[j];
      for (let i = 0; i < s.length; i++) buf[i] = s[rng.int(s.length)];
    });
    stats[b] = statistic(...bufs);
  }
  stats.sort();
  if (stats[0] === stats[B - 1]) return { low: theta, high: theta };
  const alpha = (1 - level) / 2;
  if (method === "percentile") return { low: quantileSorted(stats, alpha), high: quantileSorted(stats, 1 - alpha) };
  // BCa as scipy.stats._resampling._bca_interval
  let below = 0,
    belowOrEqual = 0;
  for (let b = 0; b < B; b++) {
    if (stats[b] < theta) below++;
    if (stats[b] <= theta) belowOrEqual++;
  }
  const z0 = normalQuantile((below + belowOrEqual) / (2 * B), 0, 1);
  let num = 0,
    den = 0;
  samples.forEach((s, j) => {
    const jk = jackknife(s, (v) => statistic(...samples.map((t, k) => (k === j ? [...v] : [...t]))));
    const m = mean(jk);
    for (const x of jk) {
      num += (m - x) ** 3;
      den += (m - x) ** 2;
    }
  });
  const a = den === 0 ? 0 : num / (6 * den ** 1.5);
  const z = normalQuantile(alpha, 0, 1);
  const adjust = (zq: number) => {
    const n1 = z0 + zq;
    return normalCdf(z0 + n1 / (1 - a * n1), 0, 1);
  };
  const a1 = adjust(z),
    a2 = adjust(-z);
  if (!Number.isFinite(a1) || !Number.isFinite(a2))
    return { low: quantileSorted(stats, alpha), high: quantileSorted(stats, 1 - alpha) };
  return { low: quantileSorted(stats, a1), high: quantileSorted(stats, a2) };
}

/** An estimate with its classical (t or F) interval and its bootstrap interval. */
export interface EstimateIntervals {
  /** The point estimate (mean, mean difference or variance ratio). */
  estimate: number;
  /** The classical interval: Student t (one sample, paired), Welch t (unpaired) or F (variance ratio). */
  classical: Interval;
  /** The bootstrap interval. */
  bootstrap: Interval;
  /** Degrees of freedom of the classical interval (Welch: fractional; F: [d1, d2] as d1 only, see `df2`). */
  df: number;
  /** Second degrees of freedom (F interval only). */
  df2?: number;
  /** How each interval was computed, in words. */
  method: string;
}

function bootstrapWords(o: BootstrapOptions): string {
  return `${o.method ?? "BCa"} bootstrap over seeds (${(o.nResamples ?? DEFAULT_RESAMPLES).toLocaleString("en-US")} resamples, seed ${JSON.stringify(o.seed ?? 0)})`;
}

/**
 * The mean of one arm over seeds: Student t interval (df = n − 1) and the bootstrap of the mean.
 * @throws Error for fewer than 2 values or a non-finite value.
 */
export function oneSampleInterval(values: readonly number[], opts: BootstrapOptions = {}): EstimateIntervals {
  checkValues("oneSampleInterval", "values", values, 2);
  const level = opts.level ?? 0.95;
  const n = values.length,
    m = mean(values),
    se = Math.sqrt(sampleVariance(values) / n);
  return {
    estimate: m,
    classical: tInterval(m, se, n - 1, level),
    bootstrap: bootstrapInterval([values], (v) => mean(v), opts),
    df: n - 1,
    method: `mean over seeds; Student t interval (df ${n - 1}) and ${bootstrapWords(opts)}`,
  };
}

/**
 * The mean of per-seed differences a_s − b_s (paired design): the paired t interval (`scipy.stats.ttest_rel`) and
 * the bootstrap of the mean difference (`scipy.stats.bootstrap` with `paired=True`).
 * @throws Error unless a and b have the same length ≥ 2.
 */
export function pairedInterval(
  a: readonly number[],
  b: readonly number[],
  opts: BootstrapOptions = {},
): EstimateIntervals {
  checkValues("pairedInterval", "a", a, 2);
  checkValues("pairedInterval", "b", b, 2);
  if (a.length !== b.length)
    throw new Error(`pairedInterval: the arms must pair seed by seed, got ${a.length} and ${b.length} values`);
  const d = a.map((x, i) => x - b[i]);
  const r = oneSampleInterval(d, opts);
  return {
    ...r,
    method: `mean of per-seed differences (paired); paired t interval (df ${d.length - 1}) and ${bootstrapWords(opts)}`,
  };
}

/**
 * The difference of means mean(a) − mean(b) of two unpaired arms: Welch's t interval (Welch–Satterthwaite
 * degrees of freedom; `scipy.stats.ttest_ind(equal_var=False)`) and the bootstrap that resamples each arm on its own.
 * @throws Error unless each arm has ≥ 2 finite values.
 */
export function welchInterval(
  a: readonly number[],
  b: readonly number[],
  opts: BootstrapOptions = {},
): EstimateIntervals {
  checkValues("welchInterval", "a", a, 2);
  checkValues("welchInterval", "b", b, 2);
  const level = opts.level ?? 0.95;
  const va = sampleVariance(a) / a.length,
    vb = sampleVariance(b) / b.length;
  const est = mean(a) - mean(b),
    se = Math.sqrt(va + vb);
  const df =
    se === 0 ? a.length + b.length - 2 : (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  return {
    estimate: est,
    classical: tInterval(est, se, df, level),
    bootstrap: bootstrapInterval([a, b], (x, y) => mean(x) - mean(y), opts),
    df,
    method: `difference of means (unpaired); Welch t interval (df ${df.toFixed(1)}) and ${bootstrapWords(opts)}, each arm resampled on its own`,
  };
}

/**
 * The ratio var(a) / var(b) of two sample variances (n − 1 denominators): the F interval
 * [r / F_{1−α/2}(n_a − 1, n_b − 1), r / F_{α/2}(n_a − 1, n_b − 1)] (exact for normal data) and the bootstrap of the
 * ratio, each arm resampled on its own. Where resamples of b have no variance the bootstrap's upper bound is
 * Number.MAX_VALUE (unbounded; `formatValue` prints ∞).
 * @throws Error unless each arm has ≥ 2 finite values and var(b) > 0.
 */
export function varianceRatioInterval(
  a: readonly number[],
  b: readonly number[],
  opts: BootstrapOptions = {},
): EstimateIntervals {
  checkValues("varianceRatioInterval", "a", a, 2);
  checkValues("varianceRatioInterval", "b", b, 2);
  const level = opts.level ?? 0.95;
  const vb = sampleVariance(b);
  if (vb === 0)
    throw new Error(
      `varianceRatioInterval: the second arm has zero variance (values ${JSON.stringify(b)}): the ratio is undefined`,
    );
  const r = sampleVariance(a) / vb,
    d1 = a.length - 1,
    d2 = b.length - 1,
    alpha = (1 - level) / 2;
  // a resample of b with no spread makes the ratio unbounded: Number.MAX_VALUE (valid JSON; printed as ∞)
  const ratio = (x: number[], y: number[]) => {
    const vy = sampleVariance(y);
    return vy === 0 ? Number.MAX_VALUE : Math.min(Number.MAX_VALUE, sampleVariance(x) / vy);
  };
  return {
    estimate: r,
    classical: { low: r / fDistQuantile(1 - alpha, d1, d2), high: r / fDistQuantile(alpha, d1, d2) },
    bootstrap: bootstrapInterval([a, b], ratio, opts),
    df: d1,
    df2: d2,
    method: `ratio of sample variances; F interval (df ${d1}, ${d2}) and ${bootstrapWords(opts)}, each arm resampled on its own`,
  };
}
