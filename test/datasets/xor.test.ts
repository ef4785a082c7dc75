// The extended XOR data of Piperno et al.: the class rule by hand, split sizes and disjointness, the stated class
// probabilities (binomial bounds), determinism per seed, and errors.
import { describe, expect, it } from "vitest";
import { classCounts, extendedXor, xorClass } from "../../src/datasets/xor";

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
    for (const [k, p] of [[0, 0.5], [1, 0.25], [2, 0.25]] as const) {
      expect(Math.abs(c[k] / 20000 - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / 20000));
    }
  });

  it("the same seed gives the same data, another seed other data", () => {
    const a = extendedXor({ seed: 3 }), b = extendedXor({ seed: 3 }), c = extendedXor({ seed: 4 });
    expect(a.test.inputs.map((x) => Array.from(x))).toEqual(b.test.inputs.map((x) => Array.from(x)));
    expect(a.test.inputs.map((x) => Array.from(x))).not.toEqual(c.test.inputs.map((x) => Array.from(x)));
  });

  it("rejects bad options, quoting them", () => {
    expect(() => extendedXor({ nBits: 1 })).toThrow(/nBits/);
    expect(() => extendedXor({ trainFraction: 0.95, validationFraction: 0.05 })).toThrow(/leave no test samples/);
    expect(() => extendedXor({ bits: 3 } as never)).toThrow(/unknown option "bits"/);
  });
});
