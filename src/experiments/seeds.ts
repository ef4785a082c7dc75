/**
 * Repeating a run over several seeds: the seed list of a k-seed run ({@link seedList}) and mean ± standard
 * deviation of a result over the seeds ({@link meanStd}, {@link groupMeanStd} for result rows).
 *
 * The notebooks call these when `--seeds k` (env `QNN_KD_SEEDS`) asks for k seeds, and draw the means with the
 * standard deviations as error bars (`LineSeries.error`, `BarSeries.error`).
 *
 * The standard deviation is the sample standard deviation (Bessel's correction, denominator n − 1), the usual
 * spread of a result over independent seeds; it is 0 for a single value.
 *
 * @packageDocumentation
 */

/** Mean, sample standard deviation (n − 1 denominator; 0 when n = 1), count and the values of a set of numbers. */
export interface MeanStd {
  /** Arithmetic mean of `values`. */
  mean: number;
  /** Sample standard deviation √(Σ (v − mean)² / (n − 1)); 0 when n = 1. */
  std: number;
  /** Number of values (≥ 1). */
  n: number;
  /** The values, in the order given (a copy). */
  values: number[];
}

/**
 * Mean and sample standard deviation (denominator n − 1; 0 for a single value) of `values`, computed in two
 * passes (mean first, then the squared deviations from it) so that values far from 0 lose no precision.
 *
 * @param values - at least one finite number, e.g. the test accuracies of one model over the seeds.
 * @returns `{ mean, std, n, values }` with a copy of `values`.
 * @throws Error for an empty array, a non-array, or a value that is not a finite number (quoting it and its index).
 */
export function meanStd(values: readonly number[]): MeanStd {
  if (!Array.isArray(values))
    throw new Error(`meanStd: values must be an array of finite numbers, got ${String(values)}`);
  if (values.length === 0) throw new Error("meanStd: values must hold at least one number, got an empty array");
  const copy = new Array<number>(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v: unknown = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new Error(
        `meanStd: values[${i}] must be a finite number, got ${typeof v === "number" ? String(v) : JSON.stringify(v)}`,
      );
    }
    copy[i] = v;
    sum += v;
  }
  const n = copy.length;
  const mean = sum / n;
  let ss = 0;
  for (const v of copy) ss += (v - mean) * (v - mean);
  return { mean, std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, n, values: copy };
}

/**
 * Groups `rows` by `key(r)` and returns {@link meanStd} of `value(r)` per key, in the order the keys are first
 * seen. Rows whose key or value is `null` are skipped (e.g. a row of another kind, or an accuracy that was not
 * measured); a key whose rows are all skipped does not appear.
 *
 * Typical use: rows of all seeds of a run, keyed by model (and depth, epoch, …), valued by test accuracy.
 *
 * @returns a Map from key to mean ± std over that key's rows.
 * @throws Error when a key is neither a string nor null, or a value is neither a finite number nor null (quoting
 *   it with the row's index and key).
 */
export function groupMeanStd<R>(
  rows: readonly R[],
  key: (r: R) => string | null,
  value: (r: R) => number | null,
): Map<string, MeanStd> {
  if (!Array.isArray(rows)) throw new Error(`groupMeanStd: rows must be an array, got ${String(rows)}`);
  if (typeof key !== "function" || typeof value !== "function") {
    throw new Error("groupMeanStd: key and value must be functions of a row");
  }
  const groups = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const k: unknown = key(r);
    if (k === null) return;
    if (typeof k !== "string")
      throw new Error(`groupMeanStd: key of row ${i} must be a string or null, got ${JSON.stringify(k) ?? String(k)}`);
    const v: unknown = value(r);
    if (v === null) return;
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new Error(
        `groupMeanStd: value of row ${i} (key ${JSON.stringify(k)}) must be a finite number or null, got ${typeof v === "number" ? String(v) : (JSON.stringify(v) ?? String(v))}`,
      );
    }
    const g = groups.get(k);
    if (g === undefined) groups.set(k, [v]);
    else g.push(v);
  });
  const out = new Map<string, MeanStd>();
  for (const [k, vs] of groups) out.set(k, meanStd(vs));
  return out;
}

/**
 * The seeds of a k-seed run: `[base, base + 1, …, base + k − 1]`. The first is the run's own seed, so a k-seed
 * run contains the single-seed run.
 *
 * @param base - the run's seed (`cfg.seed`), an integer with base + k − 1 a safe integer.
 * @param k - number of seeds, an integer in [1, 1000] (as `QNN_KD_SEEDS` allows).
 * @throws Error unless k is an integer in [1, 1000] and base an integer such that base + k − 1 is a safe integer.
 */
export function seedList(base: number, k: number): number[] {
  if (typeof k !== "number" || !Number.isInteger(k) || k < 1 || k > 1000) {
    throw new Error(
      `seedList: k (the number of seeds) must be an integer in [1, 1000], got ${typeof k === "number" ? String(k) : JSON.stringify(k)}`,
    );
  }
  if (typeof base !== "number" || !Number.isSafeInteger(base) || !Number.isSafeInteger(base + (k - 1))) {
    throw new Error(
      `seedList: base must be an integer seed (with base + k − 1 a safe integer), got ${typeof base === "number" ? String(base) : JSON.stringify(base)}`,
    );
  }
  return Array.from({ length: k }, (_, i) => base + i);
}
