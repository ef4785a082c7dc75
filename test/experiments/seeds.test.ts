// Mean ± std over seeds. Reference values are computed by hand in the comments (sample standard deviation,
// denominator n − 1), independently of the implementation.
import { describe, expect, it } from "vitest";
import { groupMeanStd, meanStd, seedList } from "qnn-kd/experiments";
import * as seedsModule from "../../src/experiments/seeds";

describe("meanStd", () => {
  it("matches hand-computed values", () => {
    // [2, 4, 4, 4, 5, 5, 7, 9]: sum 40, mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32;
    // sample variance 32 / 7, std √(32/7) = 2.138089935299395
    const a = meanStd([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(a.mean).toBe(5);
    expect(a.std).toBeCloseTo(Math.sqrt(32 / 7), 14);
    expect(a.std).toBeCloseTo(2.138089935299395, 14);
    expect(a.n).toBe(8);
    // [0.9, 0.8]: mean 0.85; deviations ±0.05, squares sum 0.005; variance 0.005 / 1; std √0.005 = 0.07071067811865475
    const b = meanStd([0.9, 0.8]);
    expect(b.mean).toBeCloseTo(0.85, 15);
    expect(b.std).toBeCloseTo(0.07071067811865475, 14);
    // [1, 2, 3]: mean 2, squares 1+0+1 = 2, variance 2/2 = 1, std 1
    expect(meanStd([1, 2, 3])).toEqual({ mean: 2, std: 1, n: 3, values: [1, 2, 3] });
  });

  it("gives std 0 for one value and for equal values", () => {
    expect(meanStd([0.75])).toEqual({ mean: 0.75, std: 0, n: 1, values: [0.75] });
    expect(meanStd([3, 3, 3]).std).toBe(0);
  });

  it("keeps precision for values far from zero (two passes)", () => {
    // 1e9 + [1, 2, 3]: mean 1e9 + 2, std 1 (shifting does not change the spread)
    const r = meanStd([1e9 + 1, 1e9 + 2, 1e9 + 3]);
    expect(r.mean).toBe(1e9 + 2);
    expect(r.std).toBeCloseTo(1, 12);
  });

  it("copies the values", () => {
    const v = [1, 2];
    const r = meanStd(v);
    v[0] = 100;
    expect(r.values).toEqual([1, 2]);
  });
});

describe("groupMeanStd", () => {
  type Row = { model: string; kd: boolean; seed: number; acc: number | null; rowType?: string };
  const rows: Row[] = [
    { model: "teacher", kd: false, seed: 0, acc: 0.9 },
    { model: "student", kd: true, seed: 0, acc: 0.6 },
    { model: "student", kd: false, seed: 0, acc: 0.5 },
    { model: "teacher", kd: false, seed: 1, acc: 0.8 },
    { model: "student", kd: true, seed: 1, acc: 0.8 },
    { model: "student", kd: false, seed: 1, acc: null }, // not measured: skipped
    { model: "student", kd: false, seed: 2, acc: 0.7 },
    { model: "other", kd: false, seed: 0, acc: 0.1, rowType: "epoch" }, // key null: skipped
  ];
  it("groups by key in first-seen order and skips null keys and values", () => {
    const g = groupMeanStd(
      rows,
      (r) => (r.rowType === "epoch" ? null : `${r.model}${r.kd ? " + KD" : ""}`),
      (r) => r.acc,
    );
    expect([...g.keys()]).toEqual(["teacher", "student + KD", "student"]);
    // teacher: [0.9, 0.8] → mean 0.85, std √0.005 = 0.0707106781…
    expect(g.get("teacher")!.mean).toBeCloseTo(0.85, 15);
    expect(g.get("teacher")!.std).toBeCloseTo(0.07071067811865475, 14);
    // student + KD: [0.6, 0.8] → mean 0.7, std √((0.01 + 0.01) / 1) = √0.02 = 0.1414213562373095
    expect(g.get("student + KD")!.mean).toBeCloseTo(0.7, 15);
    expect(g.get("student + KD")!.std).toBeCloseTo(0.1414213562373095, 14);
    // student: [0.5, 0.7] (the null skipped) → mean 0.6, std √0.02
    expect(g.get("student")!.n).toBe(2);
    expect(g.get("student")!.values).toEqual([0.5, 0.7]);
    expect(g.get("student")!.std).toBeCloseTo(0.1414213562373095, 14);
  });

  it("leaves out a key whose values are all null, and returns an empty map for no rows", () => {
    const g = groupMeanStd(
      rows,
      (r) => r.model,
      (r) => (r.model === "other" ? null : r.acc),
    );
    expect(g.has("other")).toBe(false);
    expect(
      groupMeanStd(
        [],
        () => "a",
        () => 1,
      ).size,
    ).toBe(0);
  });
});

describe("seedList", () => {
  it("lists base, base + 1, …, base + k − 1", () => {
    expect(seedList(0, 1)).toEqual([0]);
    expect(seedList(0, 3)).toEqual([0, 1, 2]);
    expect(seedList(7, 4)).toEqual([7, 8, 9, 10]);
    expect(seedList(-2, 3)).toEqual([-2, -1, 0]);
    expect(seedList(0, 1000)).toHaveLength(1000);
  });
});

describe("bad inputs", () => {
  it("meanStd rejects empty arrays and non-finite values, quoting them", () => {
    expect(() => meanStd([])).toThrow(/at least one number, got an empty array/);
    expect(() => meanStd([1, NaN])).toThrow(/values\[1\] must be a finite number, got NaN/);
    expect(() => meanStd([Infinity])).toThrow(/values\[0\] must be a finite number, got Infinity/);
    expect(() => meanStd([1, "2" as unknown as number])).toThrow(/values\[1\] must be a finite number, got "2"/);
    expect(() => meanStd(null as unknown as number[])).toThrow(/must be an array/);
  });

  it("groupMeanStd rejects non-finite values and non-string keys, naming the row", () => {
    expect(() =>
      groupMeanStd(
        [1, 2],
        () => "k",
        (r) => (r === 2 ? NaN : r),
      ),
    ).toThrow(/value of row 1 \(key "k"\) must be a finite number or null, got NaN/);
    expect(() =>
      groupMeanStd(
        [1],
        () => 3 as unknown as string,
        (r) => r,
      ),
    ).toThrow(/key of row 0 must be a string or null, got 3/);
    expect(() =>
      groupMeanStd(
        [1],
        () => "k",
        () => undefined as unknown as number,
      ),
    ).toThrow(/value of row 0 .* got undefined/);
  });

  it("seedList rejects k outside [1, 1000] and non-integer seeds", () => {
    for (const k of [0, -1, 1.5, 1001, NaN])
      expect(() => seedList(0, k)).toThrow(/k \(the number of seeds\) must be an integer in \[1, 1000\], got/);
    expect(() => seedList(0, 1001)).toThrow(/got 1001/);
    expect(() => seedList(0.5, 2)).toThrow(/base must be an integer seed .* got 0\.5/);
    expect(() => seedList(Number.MAX_SAFE_INTEGER, 2)).toThrow(/base must be an integer seed/);
  });
});

describe("module exports", () => {
  it("exports the helpers from the experiments tier, once (not from the main entry)", async () => {
    const tier = await import("qnn-kd/experiments");
    const root = (await import("qnn-kd")) as Record<string, unknown>;
    expect(tier.meanStd).toBe(seedsModule.meanStd);
    expect(tier.seedList).toBe(seedsModule.seedList);
    expect(tier.groupMeanStd).toBe(seedsModule.groupMeanStd);
    expect(root.meanStd).toBeUndefined();
  });
});
