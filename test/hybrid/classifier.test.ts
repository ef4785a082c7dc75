// The tfjs-model adapter: its gradient against central finite differences (float64 loss of float32 logits), its
// seeded networks, and a KD-free training run through the project's trainer.
import { beforeAll, describe, expect, it } from "vitest";
import { useTfBackend } from "../../src/hybrid/backend";
import { TfClassifier } from "../../src/hybrid/classifier";
import { mlp, lenet5 } from "../../src/hybrid/networks";
import { crossEntropy } from "../../src/kd/losses";
import { trainClassifier } from "../../src/train/fit";
import { Rng } from "../../src/util/rng";

describe("TfClassifier", () => {
  beforeAll(async () => {
    await useTfBackend("wasm");
  });

  it("parameter counts of Piperno et al.'s MLPs (1203 and 195) and LeNet-5 (61,706)", () => {
    expect(new TfClassifier(mlp({ units: [64, 16, 8, 3] })).nParams).toBe(1203);
    expect(new TfClassifier(mlp({ units: [64, 3] })).nParams).toBe(195);
    expect(new TfClassifier(lenet5({ inputShape: [28, 28, 1], classes: 10 })).nParams).toBe(61706);
  });

  it("the same seed gives the same network; another seed another", () => {
    const a = new TfClassifier(mlp({ units: [8, 5, 3], seed: 7 })).params;
    const b = new TfClassifier(mlp({ units: [8, 5, 3], seed: 7 })).params;
    const c = new TfClassifier(mlp({ units: [8, 5, 3], seed: 8 })).params;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it("lossAndGradient equals central finite differences of the mean loss", () => {
    const m = new TfClassifier(mlp({ units: [6, 4, 3], activation: "tanh", seed: 1 }));
    const rng = new Rng(2);
    const xs = Array.from({ length: 5 }, () => Float64Array.from({ length: 6 }, () => rng.uniform(-1, 1)));
    const ys = [0, 1, 2, 1, 0];
    const loss = (z: Float64Array, b: number) => {
      const { loss: l, dLogits } = crossEntropy(z, ys[b]);
      return { loss: l, dLogits };
    };
    const { loss: l0, grad } = m.lossAndGradient(xs, loss);
    const mean = () => m.logitsBatch(xs).reduce((s, z, b) => s + loss(z, b).loss, 0) / xs.length;
    expect(l0).toBeCloseTo(mean(), 5);
    const p0 = m.params.slice();
    const h = 1e-2;
    for (const i of [0, 5, 17, m.nParams - 1]) {
      m.params.set(p0);
      m.params[i] += h;
      const lp = mean();
      m.params[i] -= 2 * h;
      const lm = mean();
      expect(Math.abs(grad[i] - (lp - lm) / (2 * h))).toBeLessThan(2e-3 * (1 + Math.abs(grad[i])));
    }
    m.params.set(p0);
  });

  it("rejects inputs of the wrong size, naming the input", () => {
    const m = new TfClassifier(mlp({ units: [4, 2] }));
    expect(() => m.logitsBatch([new Float64Array(4), new Float64Array(3)])).toThrow(
      /input 1 has 3 features, expected 4/,
    );
  });

  it("trains with the project's trainer (XOR of two bits: an MLP learns it, a linear model cannot)", () => {
    const rng = new Rng(3);
    const xs = Array.from({ length: 200 }, () => Float64Array.from({ length: 2 }, () => rng.int(2)));
    const ys = xs.map((x) => (x[0] === x[1] ? 0 : 1));
    const deep = new TfClassifier(mlp({ units: [2, 8, 2], seed: 4 }));
    const r = trainClassifier(
      deep,
      { inputs: xs, labels: ys },
      { iterations: 150, batchSize: 32, lr: 0.05, stepSize: 1000, weightDecay: 0 },
    );
    expect(r.finalTrainAccuracy).toBe(1);
    const linear = new TfClassifier(mlp({ units: [2, 2], seed: 4 }));
    expect(
      trainClassifier(linear, { inputs: xs, labels: ys }, { iterations: 150, batchSize: 32, lr: 0.05, weightDecay: 0 })
        .finalTrainAccuracy,
    ).toBeLessThan(0.8);
  });
});
