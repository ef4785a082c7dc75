// The verdict engine: the four outcomes on hand-made intervals, each part builder on hand-made per-seed values
// (estimates checked against means computed here), preconditions, the combination of parts, and bad input.
import { describe, expect, it } from "vitest";
import {
  combineStatuses,
  decide,
  levelPart,
  notAtCeiling,
  pairedPart,
  unpairedPart,
  untestablePart,
  varianceRatioPart,
} from "qnn-kd/experiments";
import type { Direction } from "qnn-kd/experiments";

const gt0: Direction = { kind: "greater", margin: 0 };
const seeds = (v: number[], from = 0) => v.map((value, i) => ({ seed: from + i, value }));
const base = {
  claim: "KD raises the student",
  test: "KD − no KD > 0 points",
  measure: "test accuracy (%), final iteration",
  unit: "accuracy points" as const,
  scale: 100,
};

describe("decide: the four outcomes on an interval", () => {
  const e = (lo: number, hi: number, n = 5) => ({ ciLow: lo, ciHigh: hi, nSeeds: n });
  it("greater: holds beyond the margin, contradicted on the other side (the margin itself included), else inconclusive", () => {
    expect(decide(e(0.1, 2), gt0)).toBe("holds");
    expect(decide(e(-2, -0.1), gt0)).toBe("contradicted");
    expect(decide(e(0, 0), gt0)).toBe("contradicted"); // no effect at all contradicts "raises"
    expect(decide(e(-1, 1), gt0)).toBe("inconclusive");
    expect(decide(e(0.5, 2), { kind: "greater", margin: 1 })).toBe("inconclusive");
  });
  it("less and within", () => {
    expect(decide(e(1, 4), { kind: "less", margin: 5 })).toBe("holds");
    expect(decide(e(5, 9), { kind: "less", margin: 5 })).toBe("contradicted");
    expect(decide(e(4, 6), { kind: "less", margin: 5 })).toBe("inconclusive");
    const band: Direction = { kind: "within", low: 90, high: 94 };
    expect(decide(e(91, 93), band)).toBe("holds");
    expect(decide(e(80, 85), band)).toBe("contradicted");
    expect(decide(e(95, 96), band)).toBe("contradicted");
    expect(decide(e(89, 93), band)).toBe("inconclusive");
  });
  it("fewer than 3 seeds, or no interval, is inconclusive whatever the interval says", () => {
    expect(decide(e(5, 6, 2), gt0)).toBe("inconclusive");
    expect(decide({ ciLow: null, ciHigh: null, nSeeds: 5 }, gt0)).toBe("inconclusive");
  });
});

describe("pairedPart", () => {
  it("the mean of per-seed differences, paired by seed whatever the order, in the part's unit", () => {
    const a = seeds([0.67, 0.573, 0.53, 0.5, 0.5]),
      b = seeds([0.5, 0.5, 0.5, 0.5, 0.5]).reverse();
    const p = pairedPart({ ...base, a, b, direction: gt0, labels: ["KD", "no KD"], levelUnit: "accuracy (%)" });
    expect(p.effect!.estimate).toBeCloseTo((17 + 7.3 + 3 + 0 + 0) / 5, 10);
    expect(p.effect!.unit).toBe("accuracy points");
    [17, 7.3, 3, 0, 0].forEach((v, i) =>
      expect(p.effect!.perSeed![i]).toEqual({ seed: i, value: expect.closeTo(v, 10) }),
    );
    // the paired t interval of these gains is about [−3.4, 14.3] (SciPy): it straddles 0, so the envelope does too
    expect(p.effect!.ciLow).toBeLessThan(-3.3);
    expect(p.status).toBe("inconclusive");
    expect(p.ours).toMatch(/^KD 55\.5 ± 7\.1% vs no KD 50\.0 ± 0\.0%; KD − no KD \+5\.5 points \[−\d/);
    expect(p.nSeeds).toBe(5);
  });
  it("holds for a consistent gain, contradicted for a consistent loss", () => {
    const noKd = seeds([0.8, 0.82, 0.79, 0.81, 0.8]);
    const up = pairedPart({
      ...base,
      a: noKd.map((x, i) => ({ ...x, value: x.value + 0.05 + 0.002 * i })),
      b: noKd,
      direction: gt0,
    });
    const down = pairedPart({
      ...base,
      a: noKd.map((x, i) => ({ ...x, value: x.value - 0.05 + 0.002 * i })),
      b: noKd,
      direction: gt0,
    });
    expect([up.status, down.status]).toEqual(["holds", "contradicted"]);
    expect(up.effect!.estimate).toBeCloseTo(5.4, 10);
  });
  it("one or two seeds never decide; the ceiling precondition makes a part not testable", () => {
    const two = pairedPart({ ...base, a: seeds([0.9, 0.95]), b: seeds([0.5, 0.5]), direction: gt0 });
    expect(two.status).toBe("inconclusive");
    expect(two.reason).toMatch(/2 seed\(s\): at least 3/);
    const one = pairedPart({ ...base, a: seeds([0.9]), b: seeds([0.5]), direction: gt0 });
    expect([one.status, one.effect!.ciLow, one.effect!.estimate]).toEqual([
      "inconclusive",
      null,
      expect.closeTo(40, 10),
    ]);
    const a = seeds([0.998, 0.997, 0.999]),
      b = seeds([0.997, 0.998, 0.999]);
    const ceil = pairedPart({ ...base, a, b, direction: gt0, precondition: notAtCeiling(a, b, "test F1") });
    expect(ceil.status).toBe("not testable");
    expect(ceil.reason).toMatch(/both arms at the ceiling: test F1 0\.9980 and 0\.9980/);
    expect(ceil.effect).not.toBeNull(); // still measured
  });
  it("rejects arms that do not pair, duplicate seeds and non-finite values", () => {
    expect(() => pairedPart({ ...base, a: seeds([1, 2, 3]), b: seeds([1, 2, 3], 1), direction: gt0 })).toThrow(
      /same seeds to pair/,
    );
    expect(() =>
      pairedPart({
        ...base,
        a: [
          { seed: 0, value: 1 },
          { seed: 0, value: 2 },
        ],
        b: seeds([1, 2]),
        direction: gt0,
      }),
    ).toThrow(/seed 0 twice/);
    expect(() => pairedPart({ ...base, a: seeds([1, NaN]), b: seeds([1, 2]), direction: gt0 })).toThrow(
      /a\[1\] must be/,
    );
    expect(() =>
      pairedPart({ ...base, unit: "furlongs" as never, a: seeds([1, 2]), b: seeds([1, 2]), direction: gt0 }),
    ).toThrow(/unknown unit "furlongs"/);
  });
});

describe("levelPart, unpairedPart, varianceRatioPart, untestablePart", () => {
  it("levelPart: a mean against a value or a band", () => {
    const v = seeds([0.983, 0.97, 0.99, 0.985, 0.98]);
    const p = levelPart({
      ...base,
      unit: "accuracy (%)",
      values: v,
      direction: { kind: "greater", margin: 95 },
      label: "teacher",
    });
    expect(p.effect!.estimate).toBeCloseTo(98.16, 10);
    expect(p.status).toBe("holds");
    const flat = levelPart({
      ...base,
      unit: "accuracy (%)",
      values: seeds([0.82, 0.8, 0.83, 0.81, 0.82]),
      direction: { kind: "within", low: 90, high: 94 },
      label: "non-KD",
    });
    expect(flat.status).toBe("contradicted");
  });
  it("unpairedPart: Welch difference of means of different models", () => {
    const p = unpairedPart({
      ...base,
      a: seeds([0.97, 0.96, 0.975, 0.965, 0.97]),
      b: seeds([0.87, 0.88, 0.86, 0.875, 0.87]),
      direction: gt0,
      labels: ["student", "teacher"],
    });
    expect(p.effect!.estimate).toBeCloseTo(100 * (0.968 - 0.871), 10);
    expect(p.status).toBe("holds");
    expect(p.effect!.method).toMatch(/Welch/);
  });
  it("varianceRatioPart: F and bootstrap; zero variance in the reference arm makes it not testable", () => {
    const wide = seeds([0.9, 0.7, 0.95, 0.6, 0.85, 0.75, 0.92, 0.65]),
      narrow = seeds([0.98, 0.985, 0.979, 0.982, 0.984, 0.981, 0.983, 0.98]);
    const p = varianceRatioPart({
      claim: "hybrids vary more",
      test: "var(hybrid) / var(classical) > 1",
      measure: "test F1 over seeds",
      a: wide,
      b: narrow,
      direction: { kind: "greater", margin: 1 },
      labels: ["hybrid", "classical"],
    });
    expect(p.status).toBe("holds");
    expect(p.effect!.unit).toBe("variance ratio");
    const z = varianceRatioPart({
      claim: "c",
      test: "t",
      measure: "m",
      a: wide,
      b: seeds(Array(8).fill(1)),
      direction: { kind: "greater", margin: 1 },
      labels: ["hybrid", "classical"],
    });
    expect(z.status).toBe("not testable");
    expect(z.reason).toMatch(/classical has zero variance/);
  });
  it("untestablePart: a dataset not run", () => {
    const p = untestablePart({ ...base, reason: "CIFAR-10 not run (not installed here)" });
    expect([p.status, p.effect, p.nSeeds]).toEqual(["not testable", null, 0]);
  });
});

describe("combineStatuses", () => {
  it("contradicted if any part is; not testable if none is testable; holds if every testable part holds; else inconclusive", () => {
    expect(combineStatuses(["holds", "contradicted", "inconclusive"])).toBe("contradicted");
    expect(combineStatuses(["not testable", "not testable"])).toBe("not testable");
    expect(combineStatuses(["holds", "not testable"])).toBe("holds");
    expect(combineStatuses(["holds", "inconclusive"])).toBe("inconclusive");
    expect(() => combineStatuses([])).toThrow(/no parts/);
    expect(() => combineStatuses(["maybe" as never])).toThrow(/unknown status "maybe"/);
  });
});

describe("unbounded intervals", () => {
  it("a variance ratio whose resampled reference arm can lose all spread prints an upper bound of ∞", () => {
    const hybrid = seeds([0.9, 0.7, 0.95, 0.6, 0.85, 0.75, 0.92, 0.65, 0.8, 0.88, 0.7, 0.9]);
    const classical = seeds([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.99, 1]); // one seed off the ceiling
    const p = varianceRatioPart({
      claim: "c",
      test: "var(hybrid) / var(classical) > 1",
      measure: "m",
      a: hybrid,
      b: classical,
      direction: { kind: "greater", margin: 1 },
      labels: ["hybrid", "classical"],
    });
    expect(p.effect!.ciHigh).toBe(Number.MAX_VALUE);
    expect(p.ours).toMatch(/ratio .* \[.*, ∞\]$/);
    expect(JSON.parse(JSON.stringify(p.effect)).ciHigh).toBe(Number.MAX_VALUE); // stays valid JSON
  });
});

describe("empty arms", () => {
  it("a paired part with no seeds at all is not testable (nothing measured)", () => {
    const p = pairedPart({ ...base, a: [], b: [], direction: gt0, labels: ["KD", "no KD"] });
    expect([p.status, p.effect, p.reason]).toEqual(["not testable", null, "nothing measured"]);
  });
});
