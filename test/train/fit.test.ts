/**
 * trainClassifier on a tiny deterministic softmax-regression model (written here, implementing
 * Classifier<Float64Array>) and a seeded, linearly separable 3-class data set.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { trainClassifier, type HistoryRow, type TrainOptions } from "../../src/train/fit";
import { accuracy } from "../../src/train/metrics";
import { crossEntropy } from "../../src/kd/losses";
import type { Classifier, SampleLoss } from "../../src/core/model";
import { Rng } from "../../src/util/rng";

/** z_k = b_k + Σ_j W_kj x_j; params layout [k][j] with j = d the bias. */
class SoftmaxRegression implements Classifier<Float64Array> {
  readonly nParams: number;
  readonly nClasses: number;
  params: Float64Array;
  /** Number of samples passed to logitsBatch, per call (to check evaluation sets). */
  readonly evalCalls: number[] = [];
  /** Batches passed to lossAndGradient (to check batching). */
  readonly batches: (readonly Float64Array[])[] = [];

  constructor(
    readonly d: number,
    K: number,
    seed: number,
  ) {
    this.nClasses = K;
    this.nParams = K * (d + 1);
    const rng = new Rng(seed).fork("init");
    this.params = Float64Array.from({ length: this.nParams }, () => 0.01 * rng.normal());
  }

  logits(x: Float64Array): Float64Array {
    const { d, nClasses: K, params: p } = this;
    const z = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      let s = p[k * (d + 1) + d];
      for (let j = 0; j < d; j++) s += p[k * (d + 1) + j] * x[j];
      z[k] = s;
    }
    return z;
  }

  logitsBatch(xs: readonly Float64Array[]): Float64Array[] {
    this.evalCalls.push(xs.length);
    return xs.map((x) => this.logits(x));
  }

  lossAndGradient(xs: readonly Float64Array[], sampleLoss: SampleLoss): { loss: number; grad: Float64Array } {
    this.batches.push(xs);
    const { d, nClasses: K } = this;
    const grad = new Float64Array(this.nParams);
    let loss = 0;
    xs.forEach((x, i) => {
      const r = sampleLoss(this.logits(x), i);
      loss += r.loss;
      for (let k = 0; k < K; k++) {
        for (let j = 0; j < d; j++) grad[k * (d + 1) + j] += r.dLogits[k] * x[j];
        grad[k * (d + 1) + d] += r.dLogits[k];
      }
    });
    for (let i = 0; i < grad.length; i++) grad[i] /= xs.length;
    return { loss: loss / xs.length, grad };
  }
}

/** Three Gaussian blobs (std 0.5) at radius 3, 120° apart: linearly separable in practice. */
function blobs(n: number, seed: string): { inputs: Float64Array[]; labels: number[] } {
  const rng = new Rng(seed);
  const inputs: Float64Array[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = i % 3;
    const a = (2 * Math.PI * y) / 3;
    inputs.push(Float64Array.from([3 * Math.cos(a) + 0.5 * rng.normal(), 3 * Math.sin(a) + 0.5 * rng.normal()]));
    labels.push(y);
  }
  return { inputs, labels };
}

const train = blobs(300, "train");
const test = blobs(150, "test");
const base: Partial<TrainOptions<Float64Array>> = { iterations: 10, batchSize: 16, lr: 0.1, stepSize: 4 };

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-fit-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function bitwiseEqual(a: Float64Array, b: Float64Array): boolean {
  return (
    a.length === b.length &&
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
  );
}

/** History without wall times (which differ between runs). */
function strip(rows: HistoryRow[]): Omit<HistoryRow, "elapsedMs">[] {
  return rows.map(({ elapsedMs: _e, ...rest }) => rest);
}

describe("trainClassifier: learning", () => {
  it("reaches > 95% train and test accuracy on separable data", () => {
    const model = new SoftmaxRegression(2, 3, 1);
    const before = accuracy(model, test);
    const r = trainClassifier(model, train, { iterations: 60, batchSize: 32, lr: 0.1, test });
    expect(r.finalTrainAccuracy).toBeGreaterThan(0.95);
    expect(r.finalTestAccuracy).toBeGreaterThan(0.95);
    expect(before).toBeLessThan(0.9);
    expect(r.history.length).toBe(60);
    expect(r.iterations).toBe(60);
    expect(r.resumedFrom).toBe(0);
    expect(Array.from(r.params)).toEqual(Array.from(model.params));
    // every row is a plain object with the same keys, in order
    for (const row of r.history) {
      expect(Object.keys(row)).toEqual(["iteration", "lr", "loss", "trainAccuracy", "testAccuracy", "elapsedMs"]);
      expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    }
    expect(r.history.map((h) => h.iteration)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    // StepLR defaults: stepSize 20, gamma 0.5 over 0-based iterations
    expect(r.history[0].lr).toBe(0.1);
    expect(r.history[19].lr).toBe(0.1);
    expect(r.history[20].lr).toBe(0.05);
    expect(r.history[40].lr).toBe(0.025);
    // the last row's accuracies are the final ones and match an independent evaluation
    expect(r.history[59].testAccuracy).toBe(r.finalTestAccuracy);
    expect(accuracy(model, test)).toBe(r.finalTestAccuracy);
    expect(r.history[59].loss).toBeLessThan(r.history[0].loss);
  });

  it("the first row's loss is the mean cross-entropy of its batch at the initial params", () => {
    const model = new SoftmaxRegression(2, 3, 5);
    const init = new SoftmaxRegression(2, 3, 5);
    const r = trainClassifier(model, train, { ...base, iterations: 1 });
    const batch = model.batches[0];
    let ce = 0;
    for (const x of batch) ce += crossEntropy(init.logits(x), train.labels[train.inputs.indexOf(x)]).loss;
    expect(r.history[0].loss).toBeCloseTo(ce / batch.length, 14);
  });

  it("same seed → bitwise identical params; another seed → different", () => {
    const a = trainClassifier(new SoftmaxRegression(2, 3, 1), train, { ...base, seed: 3 });
    const b = trainClassifier(new SoftmaxRegression(2, 3, 1), train, { ...base, seed: 3 });
    const c = trainClassifier(new SoftmaxRegression(2, 3, 1), train, { ...base, seed: 4 });
    expect(bitwiseEqual(a.params, b.params)).toBe(true);
    expect(strip(a.history)).toEqual(strip(b.history));
    expect(bitwiseEqual(a.params, c.params)).toBe(false);
  });

  it("draws batches without replacement within an iteration", () => {
    const model = new SoftmaxRegression(2, 3, 1);
    trainClassifier(model, train, { ...base, batchSize: 64 });
    expect(model.batches.length).toBe(10);
    for (const b of model.batches) {
      expect(b.length).toBe(64);
      expect(new Set(b).size).toBe(64);
    }
    // batchSize larger than the data set: the whole set, once
    const small = { inputs: train.inputs.slice(0, 5), labels: train.labels.slice(0, 5) };
    const m2 = new SoftmaxRegression(2, 3, 1);
    trainClassifier(m2, small, { iterations: 2, batchSize: 64 });
    expect(new Set(m2.batches[0]).size).toBe(5);
  });

  it("evaluates every evalEvery iterations and at the last; trainEvalSize uses a fixed subset", () => {
    const model = new SoftmaxRegression(2, 3, 1);
    const r = trainClassifier(model, train, { ...base, evalEvery: 3, trainEvalSize: 50, test });
    const evaluated = r.history.filter((h) => h.trainAccuracy !== null).map((h) => h.iteration);
    expect(evaluated).toEqual([3, 6, 9, 10]);
    expect(r.history.filter((h) => h.testAccuracy !== null).map((h) => h.iteration)).toEqual([3, 6, 9, 10]);
    // 4 evaluations × (train subset of 50, test set of 150)
    expect(model.evalCalls).toEqual([50, 150, 50, 150, 50, 150, 50, 150]);
  });

  it("calls onIteration with each row and progress info", () => {
    const seen: [number, number][] = [];
    trainClassifier(new SoftmaxRegression(2, 3, 1), train, {
      ...base,
      onIteration: (row, info) => seen.push([row.iteration, info.totalIterations]),
    });
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => [i + 1, 10]));
  });
});

describe("trainClassifier: distillation", () => {
  it("trains a student on teacher logits with the Eq. 7 loss and logs ce and kl", () => {
    const teacher = new SoftmaxRegression(2, 3, 9);
    trainClassifier(teacher, train, { iterations: 60, batchSize: 32, lr: 0.1 });
    const teacherLogits = teacher.logitsBatch(train.inputs);
    const student = new SoftmaxRegression(2, 3, 2);
    const T = 2;
    const alpha = 0.5;
    const r = trainClassifier(student, train, {
      iterations: 60,
      batchSize: 32,
      lr: 0.1,
      teacherLogits,
      T,
      alpha,
      test,
    });
    expect(r.finalTestAccuracy).toBeGreaterThan(0.95);
    for (const row of r.history) {
      expect(Object.keys(row)).toEqual([
        "iteration",
        "lr",
        "loss",
        "ce",
        "kl",
        "trainAccuracy",
        "testAccuracy",
        "elapsedMs",
      ]);
      // mean of alpha·T²·KL + (1 − alpha)·CE = alpha·T²·mean KL + (1 − alpha)·mean CE
      expect(row.loss).toBeCloseTo(alpha * T * T * (row.kl as number) + (1 - alpha) * (row.ce as number), 12);
    }
    // alpha = 0 with teacher logits gives exactly the cross-entropy run
    const a = trainClassifier(new SoftmaxRegression(2, 3, 2), train, { ...base, teacherLogits, alpha: 0 });
    const b = trainClassifier(new SoftmaxRegression(2, 3, 2), train, { ...base });
    for (let i = 0; i < a.params.length; i++) expect(a.params[i]).toBeCloseTo(b.params[i], 14);
  });

  it("rejects teacher logits of the wrong shape", () => {
    const m = new SoftmaxRegression(2, 3, 1);
    expect(() => trainClassifier(m, train, { teacherLogits: [] })).toThrow(/one row per training input \(300\), got 0/);
    const bad = train.inputs.map(() => Float64Array.from([0, 0]));
    expect(() => trainClassifier(m, train, { teacherLogits: bad })).toThrow(
      /teacherLogits\[0\] must have nClasses = 3 entries, got 2/,
    );
    const nan = train.inputs.map(() => Float64Array.from([0, NaN, 0]));
    expect(() => trainClassifier(m, train, { teacherLogits: nan })).toThrow(/teacherLogits\[0\]\[1\].*NaN/);
  });
});

describe("trainClassifier: epochs mode", () => {
  it("visits every sample once per epoch, decays per epoch, evaluates at epoch ends", () => {
    const small = { inputs: train.inputs.slice(0, 50), labels: train.labels.slice(0, 50) };
    const model = new SoftmaxRegression(2, 3, 1);
    const r = trainClassifier(model, small, { epochs: 3, batchSize: 16, lr: 0.1, stepSize: 2, stepUnit: "epoch" });
    // ⌈50/16⌉ = 4 batches per epoch (16, 16, 16, 2)
    expect(r.iterations).toBe(12);
    expect(r.history.map((h) => h.epoch)).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
    expect(model.batches.map((b) => b.length)).toEqual([16, 16, 16, 2, 16, 16, 16, 2, 16, 16, 16, 2]);
    for (let e = 0; e < 3; e++) {
      const seen = model.batches.slice(4 * e, 4 * e + 4).flat();
      expect(new Set(seen).size).toBe(50);
    }
    expect(r.history.map((h) => h.lr)).toEqual([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05]);
    expect(r.history.filter((h) => h.trainAccuracy !== null).map((h) => h.iteration)).toEqual([4, 8, 12]);
    expect(Object.keys(r.history[0])).toEqual(["iteration", "epoch", "lr", "loss", "trainAccuracy", "elapsedMs"]);
  });
});

describe("trainClassifier: checkpoints", () => {
  const opts = { ...base, evalEvery: 1, test };

  it("resuming after a completed shorter run gives bitwise identical params", () => {
    const full = trainClassifier(new SoftmaxRegression(2, 3, 1), train, { ...opts, iterations: 10 });
    const file = path.join(tmp, "a", "ck.json");
    const first = trainClassifier(new SoftmaxRegression(2, 3, 1), train, {
      ...opts,
      iterations: 5,
      checkpoint: { path: file, every: 3 },
    });
    expect(first.resumedFrom).toBe(0);
    expect(JSON.parse(fs.readFileSync(file, "utf8")).iteration).toBe(5);
    const resumed = trainClassifier(new SoftmaxRegression(2, 3, 1), train, {
      ...opts,
      iterations: 10,
      checkpoint: { path: file, every: 3 },
    });
    expect(resumed.resumedFrom).toBe(5);
    expect(bitwiseEqual(resumed.params, full.params)).toBe(true);
    expect(strip(resumed.history)).toEqual(strip(full.history));
    expect(resumed.finalTestAccuracy).toBe(full.finalTestAccuracy);
    // a finished checkpoint is a cache: running again restores everything without training
    const model = new SoftmaxRegression(2, 3, 1);
    const again = trainClassifier(model, train, { ...opts, iterations: 10, checkpoint: { path: file, every: 3 } });
    expect(again.resumedFrom).toBe(10);
    expect(model.batches.length).toBe(0);
    expect(bitwiseEqual(again.params, full.params)).toBe(true);
  });

  it("resuming after a kill mid-run gives bitwise identical params", () => {
    const full = trainClassifier(new SoftmaxRegression(2, 3, 1), train, { ...opts, iterations: 10 });
    const file = path.join(tmp, "b.json");
    const kill = (row: HistoryRow): void => {
      if (row.iteration === 5) throw new Error("killed");
    };
    expect(() =>
      trainClassifier(new SoftmaxRegression(2, 3, 1), train, {
        ...opts,
        iterations: 10,
        checkpoint: { path: file, every: 3 },
        onIteration: kill,
      }),
    ).toThrow("killed");
    expect(JSON.parse(fs.readFileSync(file, "utf8")).iteration).toBe(3);
    const resumed = trainClassifier(new SoftmaxRegression(2, 3, 1), train, {
      ...opts,
      iterations: 10,
      checkpoint: { path: file, every: 3 },
    });
    expect(resumed.resumedFrom).toBe(3);
    expect(bitwiseEqual(resumed.params, full.params)).toBe(true);
    expect(strip(resumed.history)).toEqual(strip(full.history));
  });

  it("resumes in epochs mode with distillation", () => {
    const small = { inputs: train.inputs.slice(0, 40), labels: train.labels.slice(0, 40) };
    const teacherLogits = small.inputs.map((x) => Float64Array.from([x[0], x[1], -x[0]]));
    const o = { epochs: 3, batchSize: 16, lr: 0.1, teacherLogits, stepSize: 1, stepUnit: "epoch" as const };
    const full = trainClassifier(new SoftmaxRegression(2, 3, 1), small, o);
    const file = path.join(tmp, "c.json");
    const kill = (row: HistoryRow): void => {
      if (row.iteration === 5) throw new Error("killed");
    };
    expect(() =>
      trainClassifier(new SoftmaxRegression(2, 3, 1), small, {
        ...o,
        checkpoint: { path: file, every: 2 },
        onIteration: kill,
      }),
    ).toThrow("killed");
    const resumed = trainClassifier(new SoftmaxRegression(2, 3, 1), small, {
      ...o,
      checkpoint: { path: file, every: 2 },
    });
    expect(resumed.resumedFrom).toBe(4);
    expect(bitwiseEqual(resumed.params, full.params)).toBe(true);
    expect(strip(resumed.history)).toEqual(strip(full.history));
  });

  it("does not resume from a checkpoint written with other settings", () => {
    const file = path.join(tmp, "d.json");
    trainClassifier(new SoftmaxRegression(2, 3, 1), train, {
      ...opts,
      iterations: 4,
      checkpoint: { path: file, every: 2 },
    });
    // other lr → restart (default) or error
    const r = trainClassifier(new SoftmaxRegression(2, 3, 1), train, {
      ...opts,
      lr: 0.05,
      iterations: 6,
      checkpoint: { path: file, every: 2 },
    });
    expect(r.resumedFrom).toBe(0);
    expect(() =>
      trainClassifier(new SoftmaxRegression(2, 3, 1), train, {
        ...opts,
        lr: 0.1,
        iterations: 6,
        checkpoint: { path: file, every: 2, onMismatch: "error" },
      }),
    ).toThrow(/cannot resume from checkpoint .*settings differ/);
    // other initial params (another init seed) → no resume
    const r2 = trainClassifier(new SoftmaxRegression(2, 3, 2), train, {
      ...opts,
      lr: 0.05,
      iterations: 6,
      checkpoint: { path: file, every: 2 },
    });
    expect(r2.resumedFrom).toBe(0);
    // a checkpoint further along than the requested run
    expect(() =>
      trainClassifier(new SoftmaxRegression(2, 3, 2), train, {
        ...opts,
        lr: 0.05,
        iterations: 3,
        checkpoint: { path: file, every: 2, onMismatch: "error" },
      }),
    ).toThrow(/iteration 6, this run has 3 iterations/);
    // a corrupt file
    fs.writeFileSync(file, "{ not json");
    expect(() =>
      trainClassifier(new SoftmaxRegression(2, 3, 2), train, {
        ...opts,
        checkpoint: { path: file, every: 2, onMismatch: "error" },
      }),
    ).toThrow(/cannot parse/);
    expect(
      trainClassifier(new SoftmaxRegression(2, 3, 2), train, { ...opts, checkpoint: { path: file, every: 2 } })
        .resumedFrom,
    ).toBe(0);
  });
});

describe("trainClassifier: bad inputs", () => {
  const m = new SoftmaxRegression(2, 3, 1);
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ learningRate: 0.1 }, /unknown option "learningRate"/],
    [{ lr: -0.1 }, /lr .*got -0.1/],
    [{ lr: NaN }, /lr .*got NaN/],
    [{ lr: 0 }, /lr must be > 0, got 0/],
    [{ batchSize: 0 }, /batchSize .*got 0/],
    [{ batchSize: 2.5 }, /batchSize .*got 2.5/],
    [{ iterations: 0 }, /iterations .*got 0/],
    [{ iterations: NaN }, /iterations .*got NaN/],
    [{ epochs: 0 }, /epochs .*got 0/],
    [{ iterations: 5, epochs: 2 }, /either iterations \(5\) or epochs \(2\)/],
    [{ alpha: 2 }, /alpha .*got 2/],
    [{ T: 0 }, /T must be .*got 0/],
    [{ weightDecay: -1 }, /weightDecay .*got -1/],
    [{ betas: [0.9] }, /betas must be a pair/],
    [{ stepSize: 0 }, /stepSize .*got 0/],
    [{ gamma: 1.5 }, /gamma .*got 1.5/],
    [{ stepUnit: "epoch" }, /stepUnit "epoch" needs the epochs option/],
    [{ stepUnit: "batch" }, /stepUnit must be one of .*"batch"/],
    [{ evalEvery: 0 }, /evalEvery .*got 0/],
    [{ trainEvalSize: 0 }, /trainEvalSize .*got 0/],
    [{ seed: NaN }, /seed .*got NaN/],
    [{ onIteration: 3 }, /onIteration must be a function/],
    [{ checkpoint: { path: "x.json", every: 0 } }, /checkpoint.every .*got 0/],
    [{ checkpoint: { path: "", every: 1 } }, /checkpoint.path/],
    [{ checkpoint: { path: "x.json", every: 1, each: 2 } }, /unknown option "each"/],
  ];
  for (const [o, re] of cases) {
    it(`throws on ${JSON.stringify(o, (_k, v) => (Number.isNaN(v) ? "NaN" : v))}`, () => {
      expect(() => trainClassifier(m, train, o as Partial<TrainOptions<Float64Array>>)).toThrow(re);
    });
  }

  it("throws on bad data", () => {
    expect(() => trainClassifier(m, { inputs: train.inputs, labels: train.labels.slice(1) })).toThrow(
      /300 inputs but 299 labels/,
    );
    expect(() => trainClassifier(m, { inputs: [], labels: [] })).toThrow(/train is empty/);
    expect(() => trainClassifier(m, { inputs: [train.inputs[0]], labels: [3] })).toThrow(
      /labels\[0\] must be an integer in \[0, 2\], got 3/,
    );
    expect(() => trainClassifier(m, train, { test: { inputs: [train.inputs[0]], labels: [-1] } })).toThrow(
      /test.labels\[0\].*got -1/,
    );
  });

  it("throws naming the iteration when the loss is not finite", () => {
    const broken = new SoftmaxRegression(2, 3, 1);
    broken.lossAndGradient = () => ({ loss: NaN, grad: new Float64Array(broken.nParams) });
    expect(() => trainClassifier(broken, train, { iterations: 3 })).toThrow(/loss at iteration 1 is NaN/);
  });
});

describe("trainClassifier: early stopping (Prechelt 1998)", () => {
  const validation = blobs(60, "validation");
  // label noise makes validation accuracy plateau below 1, so the patience runs out well before 200 iterations
  const noisy = { inputs: train.inputs, labels: train.labels.map((y, i) => (i % 7 === 0 ? (y + 1) % 3 : y)) };
  const es = { iterations: 200, batchSize: 16, lr: 0.1, stepSize: 1000, weightDecay: 0, validation, test };

  it("stops after `patience` evaluations without a gain and restores the best parameters", () => {
    const model = new SoftmaxRegression(2, 3, 2);
    const r = trainClassifier(model, noisy, { ...es, earlyStopping: { patience: 5 } });
    expect(r.stoppedAt).not.toBeNull();
    expect(r.stoppedAt!).toBeLessThan(200);
    expect(r.history.length).toBe(r.stoppedAt);
    expect(r.stoppedAt! - r.bestIteration!).toBe(5); // evalEvery 1: one evaluation per iteration
    const v = r.history.map((h) => h.validationMetric as number);
    expect(r.bestValidation).toBe(Math.max(...v));
    expect(v.indexOf(r.bestValidation!) + 1).toBe(r.bestIteration); // the first time the best was reached
    // the restored params are those after bestIteration updates: rerun that many without early stopping
    const ref = trainClassifier(new SoftmaxRegression(2, 3, 2), noisy, { ...es, iterations: r.bestIteration! });
    expect(bitwiseEqual(r.params, ref.params)).toBe(true);
    expect(bitwiseEqual(model.params, ref.params)).toBe(true);
    expect(r.finalTestAccuracy).toBe(accuracy(model, test));
    expect(Object.keys(r.history[0])).toEqual([
      "iteration",
      "lr",
      "loss",
      "trainAccuracy",
      "testAccuracy",
      "validationMetric",
      "elapsedMs",
    ]);
  });

  it("macro F1 as the metric, and restoreBest: false keeps the last parameters", () => {
    const r = trainClassifier(new SoftmaxRegression(2, 3, 2), noisy, {
      ...es,
      earlyStopping: { patience: 5, metric: "macroF1", restoreBest: false },
    });
    const ref = trainClassifier(new SoftmaxRegression(2, 3, 2), noisy, { ...es, iterations: r.stoppedAt! });
    expect(bitwiseEqual(r.params, ref.params)).toBe(true);
  });

  it("resumes from a checkpoint with the same stopping point and best parameters", () => {
    const file = path.join(tmp, "early.json");
    const full = trainClassifier(new SoftmaxRegression(2, 3, 4), noisy, { ...es, earlyStopping: { patience: 5 } });
    const part = Math.max(1, Math.floor(full.bestIteration! / 2));
    trainClassifier(new SoftmaxRegression(2, 3, 4), noisy, {
      ...es,
      iterations: part,
      earlyStopping: { patience: 5 },
      checkpoint: { path: file, every: 1 },
    });
    const resumed = trainClassifier(new SoftmaxRegression(2, 3, 4), noisy, {
      ...es,
      earlyStopping: { patience: 5 },
      checkpoint: { path: file, every: 1 },
    });
    expect(resumed.resumedFrom).toBe(part);
    expect(resumed.stoppedAt).toBe(full.stoppedAt);
    expect(resumed.bestIteration).toBe(full.bestIteration);
    expect(bitwiseEqual(resumed.params, full.params)).toBe(true);
    // a run restarted after it stopped does not train further
    const again = trainClassifier(new SoftmaxRegression(2, 3, 4), noisy, {
      ...es,
      earlyStopping: { patience: 5 },
      checkpoint: { path: file, every: 1 },
    });
    expect(again.history.length).toBe(full.stoppedAt);
    expect(bitwiseEqual(again.params, full.params)).toBe(true);
  });

  // metric "loss": the validation cross-entropy, computed here independently from the model's logits
  const valLoss = (m: SoftmaxRegression) =>
    m.logitsBatch(validation.inputs).reduce((s, z, i) => s + crossEntropy(z, validation.labels[i]).loss, 0) /
    validation.inputs.length;

  it("loss as the metric: lower is better; stops after `patience` evaluations without a decrease and restores the best parameters", () => {
    const model = new SoftmaxRegression(2, 3, 2);
    const r = trainClassifier(model, noisy, { ...es, earlyStopping: { patience: 5, metric: "loss" } });
    expect(r.stoppedAt!).toBeLessThan(200);
    expect(r.history.length).toBe(r.stoppedAt);
    expect(r.stoppedAt! - r.bestIteration!).toBe(5);
    const v = r.history.map((h) => h.validationMetric as number);
    expect(r.bestValidation).toBe(Math.min(...v));
    expect(v.indexOf(r.bestValidation!) + 1).toBe(r.bestIteration);
    // each row's metric is the validation CE of the parameters after that many updates
    const ref = new SoftmaxRegression(2, 3, 2);
    const at = trainClassifier(ref, noisy, { ...es, iterations: r.bestIteration! });
    expect(valLoss(ref)).toBeCloseTo(r.bestValidation!, 12);
    expect(bitwiseEqual(r.params, at.params)).toBe(true);
    expect(bitwiseEqual(model.params, at.params)).toBe(true);
    expect(r.finalTestAccuracy).toBe(accuracy(model, test));
    // restoreBest: false keeps the last parameters
    const last = trainClassifier(new SoftmaxRegression(2, 3, 2), noisy, {
      ...es,
      earlyStopping: { patience: 5, metric: "loss", restoreBest: false },
    });
    const refLast = trainClassifier(new SoftmaxRegression(2, 3, 2), noisy, { ...es, iterations: last.stoppedAt! });
    expect(last.stoppedAt).toBe(r.stoppedAt);
    expect(bitwiseEqual(last.params, refLast.params)).toBe(true);
  });

  it("loss as the metric: minDelta is a decrease by more than minDelta", () => {
    // a huge minDelta: only the first evaluation (from +∞) counts as a gain, so training stops after 1 + patience
    const big = trainClassifier(new SoftmaxRegression(2, 3, 2), noisy, {
      ...es,
      earlyStopping: { patience: 4, metric: "loss", minDelta: 100 },
    });
    expect([big.bestIteration, big.stoppedAt]).toEqual([1, 5]);
    // minDelta d: every recorded best is more than d below the previous best
    const d = 0.01;
    const r = trainClassifier(new SoftmaxRegression(2, 3, 2), noisy, {
      ...es,
      earlyStopping: { patience: 5, metric: "loss", minDelta: d },
    });
    let best = Infinity,
      bestAt = 0;
    r.history.forEach((h, i) => {
      if ((h.validationMetric as number) < best - d) [best, bestAt] = [h.validationMetric as number, i + 1];
    });
    expect([r.bestIteration, r.bestValidation]).toEqual([bestAt, best]);
  });

  it("loss as the metric: resumes from a checkpoint written before the first evaluation (best = +∞ saved as null)", () => {
    const file = path.join(tmp, "early-loss.json");
    const o = { ...es, evalEvery: 3, earlyStopping: { patience: 3, metric: "loss" as const } };
    const full = trainClassifier(new SoftmaxRegression(2, 3, 5), noisy, o);
    // the checkpoint after iteration 2 (no evaluation yet), copied aside while a checkpointed run goes on
    const snapshot = path.join(tmp, "early-loss-2.json");
    trainClassifier(new SoftmaxRegression(2, 3, 5), noisy, {
      ...o,
      checkpoint: { path: file, every: 1 },
      onIteration: (row) => void (row.iteration === 2 && fs.copyFileSync(file, snapshot)),
    });
    expect(JSON.parse(fs.readFileSync(snapshot, "utf8")).early.best).toBeNull();
    const resumed = trainClassifier(new SoftmaxRegression(2, 3, 5), noisy, {
      ...o,
      checkpoint: { path: snapshot, every: 1 },
    });
    expect(resumed.resumedFrom).toBe(2);
    expect([resumed.stoppedAt, resumed.bestIteration, resumed.bestValidation]).toEqual([
      full.stoppedAt,
      full.bestIteration,
      full.bestValidation,
    ]);
    expect(bitwiseEqual(resumed.params, full.params)).toBe(true);
  });

  it("needs a validation set; bad settings are clear errors", () => {
    const m = new SoftmaxRegression(2, 3, 1);
    expect(() => trainClassifier(m, train, { earlyStopping: { patience: 3 } })).toThrow(
      /earlyStopping needs a validation set/,
    );
    expect(() => trainClassifier(m, train, { validation, earlyStopping: { patience: 0 } })).toThrow(/patience/);
    expect(() =>
      trainClassifier(m, train, { validation, earlyStopping: { patience: 2, metric: "f1" as never } }),
    ).toThrow(/metric/);
  });
});

describe("macroF1", () => {
  it("averages per-class F1 (hand computed)", async () => {
    const { macroF1FromPredictions } = await import("../../src/train/metrics");
    // class 0: TP 2, FP 1, FN 0 → 4/5; class 1: TP 1, FP 0, FN 1 → 2/3; class 2 absent from both: not averaged
    // (scikit-learn: f1_score([0,0,1,1], [0,0,1,0], average="macro") = 0.7333…)
    expect(macroF1FromPredictions([0, 0, 1, 0], [0, 0, 1, 1], 3)).toBeCloseTo((4 / 5 + 2 / 3) / 2, 14);
    expect(macroF1FromPredictions([2, 1, 0], [2, 1, 0], 3)).toBe(1);
    expect(() => macroF1FromPredictions([0], [3], 3)).toThrow(/label 3/);
  });
});
