// The extended XOR data of Piperno et al.: the class rule by hand, split sizes and disjointness, the stated class
// probabilities (binomial bounds), determinism per seed, and errors. The harder versions of the project study:
// parity3 (rule by hand, class probabilities, not linearly separable by the XOR-face argument while the paper's rule
// is, by the fixed scores of `linearSeparabilityCheck`) and label noise (rate ≈ p within binomial bounds, every
// changed label another class drawn uniformly, seeded, the bits and the split untouched).
import { describe, expect, it } from "vitest";
import { classCounts, extendedXor, xorClass } from "../../src/datasets/xor";
import { linearSeparabilityCheck } from "../../src/experiments/piperno/experiment";

describe("extendedXor", () => {
  it("labels by the first two bits: 0 when equal, 1 for (1, 0), 2 for (0, 1)", () => {
    expect([xorClass([0, 0, 1]), xorClass([1, 1, 0]), xorClass([1, 0, 1]), xorClass([0, 1, 0])]).toEqual([0, 0, 1, 2]);
    expect(() => xorClass([0, 2])).toThrow(/bits must be 0 or 1, got 0, 2/);
  });

  it("splits 1000 × 64 bits 800 / 100 / 100 without overlap, labels consistent with the rule", () => {
    const d = extendedXor({ seed: 1 });
    expect([d.train.inputs.length, d.validation.inputs.length, d.test.inputs.length]).toEqual([800, 100, 100]);
    const all = [...d.train.inputs, ...d.validation.inputs, ...d.test.inputs];
    expect(new Set(all).size).toBe(1000);
    expect(all.every((x) => x.length === 64 && x.every((b) => b === 0 || b === 1))).toBe(true);
    for (const s of [d.train, d.validation, d.test]) s.inputs.forEach((x, i) => expect(s.labels[i]).toBe(xorClass(x)));
  });

  it("class probabilities ½, ¼, ¼ within 4 standard errors over 20,000 samples", () => {
    const d = extendedXor({ n: 20000, nBits: 4, seed: 2 });
    const c = classCounts([...d.train.labels, ...d.validation.labels, ...d.test.labels]);
    for (const [k, p] of [
      [0, 0.5],
      [1, 0.25],
      [2, 0.25],
    ] as const) {
      expect(Math.abs(c[k] / 20000 - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / 20000));
    }
  });

  it("the same seed gives the same data, another seed other data", () => {
    const a = extendedXor({ seed: 3 }),
      b = extendedXor({ seed: 3 }),
      c = extendedXor({ seed: 4 });
    expect(a.test.inputs.map((x) => Array.from(x))).toEqual(b.test.inputs.map((x) => Array.from(x)));
    expect(a.test.inputs.map((x) => Array.from(x))).not.toEqual(c.test.inputs.map((x) => Array.from(x)));
  });

  it("rejects bad options, quoting them", () => {
    expect(() => extendedXor({ nBits: 1 })).toThrow(/nBits/);
    expect(() => extendedXor({ trainFraction: 0.95, validationFraction: 0.05 })).toThrow(/leave no test samples/);
    expect(() => extendedXor({ bits: 3 } as never)).toThrow(/unknown option "bits"/);
  });

  it("parity3: the rule by hand and class probabilities ½, ¼, ¼ within 4 standard errors over 20,000 samples", () => {
    // b1 b2 b3 → parity, then b1: 000 → 0, 011 → 0, 101 → 0, 110 → 0, 100 → 1, 111 → 1, 010 → 2, 001 → 2
    const table: [number[], number][] = [
      [[0, 0, 0], 0],
      [[0, 1, 1], 0],
      [[1, 0, 1], 0],
      [[1, 1, 0], 0],
      [[1, 0, 0], 1],
      [[1, 1, 1], 1],
      [[0, 1, 0], 2],
      [[0, 0, 1], 2],
    ];
    for (const [bits, c] of table) expect(xorClass([...bits, 1, 0], "parity3")).toBe(c);
    const d = extendedXor({ n: 20000, nBits: 5, seed: 5, rule: "parity3" });
    const all = [d.train, d.validation, d.test];
    for (const s of all) s.inputs.forEach((x, i) => expect(s.labels[i]).toBe(xorClass(x, "parity3")));
    const c = classCounts(all.flatMap((s) => s.labels));
    for (const [k, p] of [
      [0, 0.5],
      [1, 0.25],
      [2, 0.25],
    ] as const) {
      expect(Math.abs(c[k] / 20000 - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / 20000));
    }
  });

  it("parity3 is not linearly separable (XOR on the face b1 = 1), the paper's rule is", () => {
    // Any affine score difference d = s1 − s0 satisfies d(100) + d(111) = d(101) + d(110) (both are 2·d(1, ½, ½)).
    // A linear 3-class model that classifies 100 and 111 as class 1 needs d > 0 there, and 101 and 110 as class 0
    // needs d < 0 there: impossible. The data hold all four corners (with any noise bits), labelled so.
    const d = extendedXor({ n: 400, nBits: 6, seed: 6, rule: "parity3" });
    const key = (x: ArrayLike<number>) => `${x[0]}${x[1]}${x[2]}`;
    const seen = new Map<string, Set<number>>();
    d.train.inputs.forEach((x, i) => seen.set(key(x), (seen.get(key(x)) ?? new Set()).add(d.train.labels[i])));
    expect([...seen.get("100")!, ...seen.get("111")!]).toEqual([1, 1]);
    expect([...seen.get("101")!, ...seen.get("110")!]).toEqual([0, 0]);
    // the same identity, checked on random affine functions of the three bits (a guard against a typo above)
    for (let t = 0; t < 5; t++) {
      const w = [Math.sin(t + 1), Math.cos(3 * t), t - 2],
        b = 0.3 * t;
      const f = (x: number[]) => b + w[0] * x[0] + w[1] * x[1] + w[2] * x[2];
      expect(f([1, 0, 0]) + f([1, 1, 1])).toBeCloseTo(f([1, 0, 1]) + f([1, 1, 0]), 12);
    }
    // the paper's rule: three fixed linear scores classify every sample
    const p = extendedXor({ n: 400, nBits: 6, seed: 6 });
    for (const s of [p.train, p.validation, p.test]) expect(linearSeparabilityCheck(s)).toBe(1);
    expect(linearSeparabilityCheck(d.train)).toBeLessThan(1);
  });

  it("labelNoise p: about p of the labels change, each to another class drawn uniformly; seeded; bits and split unchanged", () => {
    const p = 0.1,
      n = 20000;
    const clean = extendedXor({ n, nBits: 4, seed: 7 }),
      noisy = extendedXor({ n, nBits: 4, seed: 7, labelNoise: p });
    let changed = 0;
    const to = [0, 0, 0],
      moves = new Map<string, number>();
    for (const k of ["train", "validation", "test"] as const) {
      expect(noisy[k].inputs.map((x) => Array.from(x))).toEqual(clean[k].inputs.map((x) => Array.from(x)));
      noisy[k].labels.forEach((y, i) => {
        const y0 = clean[k].labels[i];
        expect(y0).toBe(xorClass(noisy[k].inputs[i]));
        if (y === y0) return;
        changed++;
        to[y]++;
        moves.set(`${y0}→${y}`, (moves.get(`${y0}→${y}`) ?? 0) + 1);
      });
    }
    expect(Math.abs(changed / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    // from class 0 (½ of the samples) half of the changes go to 1 and half to 2: ≈ n·p/4 each
    for (const m of ["0→1", "0→2"])
      expect(Math.abs(moves.get(m)! - (n * p) / 4)).toBeLessThan(4 * Math.sqrt((n * p) / 4));
    for (const m of ["1→0", "1→2", "2→0", "2→1"])
      expect(Math.abs(moves.get(m)! - (n * p) / 8)).toBeLessThan(4 * Math.sqrt((n * p) / 8));
    const again = extendedXor({ n, nBits: 4, seed: 7, labelNoise: p }),
      other = extendedXor({ n, nBits: 4, seed: 8, labelNoise: p });
    expect(again.test.labels).toEqual(noisy.test.labels);
    expect(other.test.labels).not.toEqual(noisy.test.labels);
    // every split carries noise
    for (const k of ["train", "validation", "test"] as const) expect(noisy[k].labels).not.toEqual(clean[k].labels);
  });

  it("rejects a bad rule or label-noise level, quoting it", () => {
    expect(() => extendedXor({ rule: "parity" as never })).toThrow(
      /rule must be one of "first-two", "parity3", got "parity"/,
    );
    expect(() => extendedXor({ labelNoise: 1 })).toThrow(/labelNoise must be a probability in \[0, 1\), got 1/);
    expect(() => extendedXor({ labelNoise: -0.1 })).toThrow(/labelNoise/);
    expect(() => extendedXor({ nBits: 2, rule: "parity3" })).toThrow(/nBits \(rule parity3\)/);
    expect(() => xorClass([1, 0], "parity3")).toThrow(/needs at least 3 bits, got 2/);
  });
});
