// Confidence intervals over seeds against SciPy 1.10 (values computed once by test/fixtures/make_scipy_intervals.py
// and stored in scipy-intervals.json, so no Python is needed here): the paired t interval (scipy.stats.ttest_rel),
// the one-sample t interval (ttest_1samp), Welch's interval, the F interval of a variance ratio, and
// scipy.stats.bootstrap (BCa and percentile; 200,000 resamples there). Our bootstrap draws its own seeded resamples,
// so its bounds agree within Monte Carlo error: a share of the interval's width.
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import {
  bootstrapInterval,
  fDistQuantile,
  oneSampleInterval,
  pairedInterval,
  studentTQuantile,
  varianceRatioInterval,
  welchInterval,
} from "qnn-kd/experiments";

interface Iv {
  low: number | null;
  high: number | null;
}
interface Case {
  a: number[];
  b: number[];
  paired: { ci: Iv; meanDiff: number };
  pairedBootstrap: { BCa: Iv; percentile: Iv };
  welch: { diff: number; df: number; ci: Iv };
  unpairedBootstrap: { BCa: Iv; percentile: Iv };
  varianceRatio: null | { ratio: number; fInterval: Iv; bootstrap?: { BCa: Iv; percentile: Iv }; [k: string]: unknown };
  oneSample: { mean: number; ci: Iv; bootstrap: { BCa: Iv; percentile: Iv } };
}
const fx = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "scipy-intervals.json"), "utf8")) as {
  cases: Record<string, Case>;
  quantiles: {
    t: { df: number; p975: number; p025: number }[];
    f: { q: number; d1: number; d2: number; ppf: number }[];
  };
};
const cases = Object.entries(fx.cases);
const close = (ours: { low: number; high: number }, ref: Iv, share: number) => {
  const w = (ref.high as number) - (ref.low as number);
  const tol = Math.max(share * w, 1e-12);
  expect(Math.abs(ours.low - (ref.low as number))).toBeLessThanOrEqual(tol);
  expect(Math.abs(ours.high - (ref.high as number))).toBeLessThanOrEqual(tol);
};
// lumpy bootstrap distributions of 3–5 values move by a whole atom between resamplings; larger samples far less
const share = (n: number) => (n <= 5 ? 0.15 : 0.06);
const opts = { nResamples: 40000, seed: "test" };

describe("t, Welch and F intervals (exact against SciPy)", () => {
  it.each(cases)("%s: paired t interval = ttest_rel(a, b).confidence_interval()", (_, c) => {
    const r = pairedInterval(c.a, c.b, opts);
    expect(r.estimate).toBeCloseTo(c.paired.meanDiff, 12);
    expect(r.classical.low).toBeCloseTo(c.paired.ci.low as number, 9);
    expect(r.classical.high).toBeCloseTo(c.paired.ci.high as number, 9);
  });
  it.each(cases)("%s: one-sample t interval = ttest_1samp(a).confidence_interval()", (_, c) => {
    const r = oneSampleInterval(c.a, opts);
    expect(r.estimate).toBeCloseTo(c.oneSample.mean, 12);
    expect(r.classical.low).toBeCloseTo(c.oneSample.ci.low as number, 9);
    expect(r.classical.high).toBeCloseTo(c.oneSample.ci.high as number, 9);
  });
  it.each(cases)("%s: Welch interval (Welch–Satterthwaite df)", (_, c) => {
    const r = welchInterval(c.a, c.b, opts);
    expect(r.estimate).toBeCloseTo(c.welch.diff, 12);
    expect(r.df).toBeCloseTo(c.welch.df, 9);
    expect(r.classical.low).toBeCloseTo(c.welch.ci.low as number, 9);
    expect(r.classical.high).toBeCloseTo(c.welch.ci.high as number, 9);
  });
  it.each(cases.filter(([, c]) => c.varianceRatio !== null))("%s: F interval of var(a)/var(b)", (_, c) => {
    const v = c.varianceRatio as NonNullable<Case["varianceRatio"]>;
    const r = varianceRatioInterval(c.a, c.b, opts);
    expect(r.estimate).toBeCloseTo(v.ratio, 9);
    expect(r.classical.low).toBeCloseTo(v.fInterval.low as number, 9);
    expect(r.classical.high).toBeCloseTo(v.fInterval.high as number, 9);
  });
  it("t and F quantiles agree with scipy.stats.t.ppf / f.ppf (stdlib is accurate to about 1e-9)", () => {
    for (const q of fx.quantiles.t) {
      expect(studentTQuantile(0.975, q.df)).toBeCloseTo(q.p975, 7);
      expect(studentTQuantile(0.025, q.df)).toBeCloseTo(q.p025, 7);
    }
    for (const q of fx.quantiles.f) expect(fDistQuantile(q.q, q.d1, q.d2)).toBeCloseTo(q.ppf, 7);
  });
});

describe("bootstrap intervals (BCa and percentile) against scipy.stats.bootstrap", () => {
  it.each(cases)("%s: paired (bootstrap of the per-seed differences)", (_, c) => {
    for (const method of ["BCa", "percentile"] as const) {
      const r = pairedInterval(c.a, c.b, { ...opts, method });
      if (r.bootstrap.low === r.bootstrap.high) continue; // degenerate: no spread (checked below)
      close(r.bootstrap, c.pairedBootstrap[method], share(c.a.length));
    }
  });
  it.each(cases)("%s: unpaired difference of means (each arm resampled on its own)", (_, c) => {
    for (const method of ["BCa", "percentile"] as const)
      close(welchInterval(c.a, c.b, { ...opts, method }).bootstrap, c.unpairedBootstrap[method], share(c.a.length));
  });
  it.each(cases)("%s: one-sample mean", (_, c) => {
    for (const method of ["BCa", "percentile"] as const)
      close(oneSampleInterval(c.a, { ...opts, method }).bootstrap, c.oneSample.bootstrap[method], share(c.a.length));
  });
  it.each(cases.filter(([, c]) => c.a.length >= 8 && c.varianceRatio?.bootstrap))("%s: variance ratio", (_, c) => {
    const v = c.varianceRatio as NonNullable<Case["varianceRatio"]>;
    for (const method of ["BCa", "percentile"] as const)
      close(varianceRatioInterval(c.a, c.b, { ...opts, method }).bootstrap, v.bootstrap![method], 0.1);
  });
});

describe("bootstrap: seeds, degenerate data and bad input", () => {
  const d = [0.17, 0.073, 0.03, 0, 0];
  it("the same seed gives the same interval; another seed a slightly different one", () => {
    const a = bootstrapInterval([d], (v) => v.reduce((x, y) => x + y, 0) / v.length, { seed: 7 });
    expect(bootstrapInterval([d], (v) => v.reduce((x, y) => x + y, 0) / v.length, { seed: 7 })).toEqual(a);
    expect(bootstrapInterval([d], (v) => v.reduce((x, y) => x + y, 0) / v.length, { seed: 8 })).not.toEqual(a);
  });
  it("a percentile bootstrap of 5 seeds is narrower than the t interval (why the verdict uses both)", () => {
    const r = oneSampleInterval(d, { method: "percentile" });
    expect(r.bootstrap.low).toBeGreaterThan(r.classical.low);
    expect(r.bootstrap.low).toBeGreaterThan(0); // excludes 0 …
    expect(r.classical.low).toBeLessThan(0); // … where the t interval does not (DESIGN.md's example)
  });
  it("identical values give the degenerate interval [v, v] from both routes", () => {
    const r = pairedInterval([0.5, 0.5, 0.5], [0.5, 0.5, 0.5]);
    expect([r.classical.low, r.classical.high, r.bootstrap.low, r.bootstrap.high]).toEqual([0, 0, 0, 0]);
  });
  it("rejects bad input, naming it", () => {
    expect(() => pairedInterval([1, 2, 3], [1, 2])).toThrow(/pair seed by seed, got 3 and 2/);
    expect(() => oneSampleInterval([1])).toThrow(/at least 2 finite/);
    expect(() => oneSampleInterval([1, NaN])).toThrow(/values\[1\] must be a finite number, got null/);
    expect(() => bootstrapInterval([[1, 2]], (v) => v[0], { nResamples: 10 })).toThrow(
      /nResamples must be an integer ≥ 1000, got 10/,
    );
    expect(() => bootstrapInterval([[1, 2]], (v) => v[0], { level: 1.2 })).toThrow(
      /level must be in \(0, 1\), got 1.2/,
    );
    expect(() => bootstrapInterval([[1, 2]], (v) => v[0], { method: "basic" as never })).toThrow(
      /method must be "BCa" or "percentile", got "basic"/,
    );
    expect(() => varianceRatioInterval([1, 2, 3], [1, 1, 1])).toThrow(/zero variance/);
  });
});
