import { describe, expect, it } from "vitest";
import { batchesPerEpoch, epochPermutation, iterationBatch } from "../../src/train/batching";
import { Rng } from "../../src/util/rng";
import { accuracy, predict } from "../../src/train/metrics";
import { argmax } from "../../src/core/model";

describe("batching", () => {
  it("iteration batches are distinct within a batch and depend only on (seed, t)", () => {
    const rng = new Rng(7);
    for (let t = 0; t < 20; t++) {
      const b = iterationBatch(rng, t, 50, 16);
      expect(b.length).toBe(16);
      expect(new Set(b).size).toBe(16);
      for (const i of b) expect(i >= 0 && i < 50).toBe(true);
      expect(iterationBatch(new Rng(7), t, 50, 16)).toEqual(b);
    }
    expect(iterationBatch(rng, 0, 5, 64).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(iterationBatch(rng, 0, 50, 16)).not.toEqual(iterationBatch(new Rng(8), 0, 50, 16));
  });

  it("epoch permutations are permutations; batches per epoch round up", () => {
    const p = epochPermutation(new Rng(1), 3, 10);
    expect([...p].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(epochPermutation(new Rng(1), 3, 10)).toEqual(p);
    expect(batchesPerEpoch(10, 3)).toBe(4);
    expect(batchesPerEpoch(9, 3)).toBe(3);
    expect(() => iterationBatch(new Rng(1), 0, 10, 0)).toThrow(/batchSize.*got 0/);
  });
});

describe("metrics", () => {
  const model = { logitsBatch: (xs: readonly number[]) => xs.map((x) => Float64Array.from([x, 0, -x])) };
  it("argmax, predict, accuracy", () => {
    expect(argmax([0, 3, 3, 1])).toBe(1);
    expect(() => argmax([])).toThrow(/empty/);
    expect(() => argmax([0, NaN])).toThrow(/NaN/);
    expect(predict(model, [1, -1, 0])).toEqual([0, 2, 0]);
    expect(accuracy(model, { inputs: [1, -1, 0, 2], labels: [0, 2, 1, 0] })).toBe(0.75);
    expect(() => accuracy(model, { inputs: [1], labels: [] })).toThrow(/1 inputs but 0 labels/);
  });
});
