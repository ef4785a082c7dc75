// Hasan & Mahdy's hybrid image students: the shared-rotation circuit against a product of 2×2 rotation matrices
// applied by hand; every reduction against a direct computation on the pixels (centre crop by index, average and max
// pooling with the zero padding, the PCA projection against PcaModel.transform); the basis encoding's
// straight-through gradient against the derivative of the relaxed R_Y(π·b) encoding; parameter counts; the
// batch-seeded dropout (new masks per batch, the same mask for the same batch, identity at inference, saved and
// loaded with the model).
import { beforeAll, describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import {
  useTfBackend,
  imageStudent,
  reductionLayers,
  reducedFeatures,
  alexNetStyle,
  BatchSeededDropout,
  saveTfModel,
  loadTfModel,
  TfClassifier,
} from "qnn-kd/hybrid";
import { fitPCA } from "qnn-kd/datasets";
import { sharedRotationAnsatz, sharedRotationParamCount } from "qnn-kd/qnn";
import { Statevector } from "qnn-kd";
import { FeatureEncoder } from "../../src/qnn/featureEncoders";
import { Rng } from "../../src/util/rng";

beforeAll(async () => {
  await useTfBackend();
});

const rng = new Rng(5);
const image = (h: number, w: number) => Float64Array.from({ length: h * w }, () => rng.uniform(-1, 2));

type C = [number, number];
const mul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
function rot(axis: number, t: number): C[][] {
  const c = Math.cos(t / 2),
    s = Math.sin(t / 2);
  if (axis === 0)
    return [
      [
        [c, 0],
        [0, -s],
      ],
      [
        [0, -s],
        [c, 0],
      ],
    ];
  if (axis === 1)
    return [
      [
        [c, 0],
        [-s, 0],
      ],
      [
        [s, 0],
        [c, 0],
      ],
    ];
  return [
    [
      [c, -s],
      [0, 0],
    ],
    [
      [0, 0],
      [c, s],
    ],
  ];
}
const apply = (m: C[][], v: C[]): C[] =>
  [0, 1].map((i) => {
    const a = mul(m[i][0], v[0]),
      b = mul(m[i][1], v[1]);
    return [a[0] + b[0], a[1] + b[1]] as C;
  });

describe("sharedRotationAnsatz", () => {
  it("is RX RY RZ RX per qubit, then RX RY RZ with shared angles (a product state from |0…0⟩, checked by hand)", () => {
    const n = 3,
      c = sharedRotationAnsatz({ nQubits: n });
    expect(c.nParams).toBe(sharedRotationParamCount(n));
    expect(c.nParams).toBe(15);
    const theta = Float64Array.from({ length: c.nParams }, () => rng.uniform(0, 6.28));
    const psi = c.run(theta, Statevector.zero(n));
    const qubits = Array.from({ length: n }, (_, q) => {
      let v: C[] = [
        [1, 0],
        [0, 0],
      ];
      [0, 1, 2, 0].forEach((ax, r) => (v = apply(rot(ax, theta[4 * q + r]), v)));
      [0, 1, 2].forEach((ax) => (v = apply(rot(ax, theta[4 * n + ax]), v)));
      return v;
    });
    for (let i = 0; i < 2 ** n; i++) {
      let amp: C = [1, 0];
      for (let q = 0; q < n; q++) amp = mul(amp, qubits[q][(i >> q) & 1]);
      expect(psi.re[i]).toBeCloseTo(amp[0], 12);
      expect(psi.im[i]).toBeCloseTo(amp[1], 12);
    }
  });

  it("adds an entangler when asked, and rejects unknown ones", () => {
    const plain = sharedRotationAnsatz({ nQubits: 4 }).ops.length,
      ring = sharedRotationAnsatz({ nQubits: 4, entangler: "ring" }).ops.length;
    expect(ring - plain).toBe(4);
    expect(() => sharedRotationAnsatz({ nQubits: 4, entangler: "star" as never })).toThrow(/entangler/);
  });
});

describe("reductions", () => {
  const run = (layers: tf.layers.Layer[], x: Float64Array, shape: number[]) => {
    const m = tf.sequential({ layers });
    return Array.from((m.predict(tf.tensor(Float32Array.from(x), [1, ...shape])) as tf.Tensor).dataSync());
  };

  it("centre crop keeps the middle s × s pixels", () => {
    const x = image(28, 28);
    const out = run(reductionLayers("crop", [28, 28, 1], 16), x, [28, 28, 1]);
    const ref: number[] = [];
    for (let r = 12; r < 16; r++) for (let c = 12; c < 16; c++) ref.push(x[r * 28 + c]);
    out.forEach((v, i) => expect(v).toBeCloseTo(ref[i], 5));
  });

  it("average and max pooling to 4 × 4 (7 × 7 blocks) and to 16 × 16 (padded to 32 × 32, 2 × 2 blocks)", () => {
    const x = image(28, 28);
    for (const [s, k, pad] of [
      [4, 7, 0],
      [16, 2, 2],
    ]) {
      const px = (r: number, c: number) =>
        r - pad >= 0 && r - pad < 28 && c - pad >= 0 && c - pad < 28 ? x[(r - pad) * 28 + c - pad] : 0;
      const avg = run(reductionLayers("avgpool", [28, 28, 1], s * s), x, [28, 28, 1]);
      const max = run(reductionLayers("maxpool", [28, 28, 1], s * s), x, [28, 28, 1]);
      expect(avg).toHaveLength(s * s);
      for (let i = 0; i < s; i++) {
        for (let j = 0; j < s; j++) {
          const block: number[] = [];
          for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) block.push(px(i * k + a, j * k + b));
          expect(avg[i * s + j]).toBeCloseTo(block.reduce((p, q) => p + q, 0) / block.length, 5);
          expect(max[i * s + j]).toBeCloseTo(Math.max(...block), 5);
        }
      }
    }
  });

  it("PCA projects onto the fitted axes ((x − μ)·V, as PcaModel.transform)", () => {
    const rows = Array.from({ length: 40 }, () => image(8, 8));
    const pca = fitPCA(rows, 16);
    const out = run(
      reductionLayers("pca", [8, 8, 1], 16, { pca: { mean: pca.mean, components: pca.components } }),
      rows[3],
      [8, 8, 1],
    );
    const ref = pca.transform(rows[3]);
    out.forEach((v, i) => expect(v).toBeCloseTo(ref[i], 4));
  });

  it("clear errors: a non-square crop, several channels, no PCA, a crop larger than the image", () => {
    expect(() => reductionLayers("crop", [28, 28, 1], 32)).toThrow(/32 features is not a square/);
    expect(() => reductionLayers("avgpool", [32, 32, 3], 16)).toThrow(/one channel, got 3/);
    expect(() => reductionLayers("pca", [8, 8, 1], 16)).toThrow(/needs the fitted PCA/);
    expect(() => reductionLayers("crop", [8, 8, 1], 256)).toThrow(/does not fit a 8 × 8 image/);
    expect(() => reductionLayers("blur" as never, [8, 8, 1], 16)).toThrow(/reduction/);
  });
});

describe("imageStudent", () => {
  it("parameter counts: dense reduction (784 + 1)·F, circuit 4Q + 3, head (Q + 1)·10", () => {
    const count = (Q: number, reduction: "dense" | "crop", encoding: "amplitude" | "angle") =>
      imageStudent({ inputShape: [28, 28, 1], classes: 10, nQubits: Q, reduction, encoding }).countParams();
    expect(count(4, "dense", "amplitude")).toBe(785 * 16 + 19 + 50);
    expect(count(8, "dense", "amplitude")).toBe(785 * 256 + 35 + 90);
    expect(count(4, "dense", "angle")).toBe(785 * 4 + 19 + 50);
    expect(count(4, "crop", "amplitude")).toBe(19 + 50);
  });

  it("reducedFeatures gives the quantum layer's input", () => {
    const m = imageStudent({
      inputShape: [28, 28, 1],
      classes: 10,
      nQubits: 4,
      reduction: "crop",
      encoding: "amplitude",
    });
    const x = image(28, 28);
    const f = reducedFeatures(m, [x])[0];
    expect(f[0]).toBeCloseTo(x[12 * 28 + 12], 5);
  });

  it("the basis encoding trains its dense reduction through the straight-through gradient", () => {
    const m = new TfClassifier(
      imageStudent({ inputShape: [8, 8, 1], classes: 3, nQubits: 3, reduction: "dense", encoding: "basis", seed: 2 }),
    );
    const xs = Array.from({ length: 6 }, () => image(8, 8));
    const { grad } = m.lossAndGradient(xs, (z, b) => ({
      loss: 0,
      dLogits: Float64Array.from(z, (_, k) => (k === b % 3 ? -1 : 0.5)),
    }));
    const denseWeights = 64 * 3;
    expect(Math.max(...Array.from(grad.subarray(0, denseWeights), Math.abs))).toBeGreaterThan(1e-4);
  });
});

describe("FeatureEncoder basis, straight-through", () => {
  it("equals the input gradient of the relaxed angle encoding R_Y(π·b) at the bits", () => {
    const st = new FeatureEncoder({ encoding: "basis", nQubits: 3, threshold: 0, straightThrough: true });
    const relaxed = new FeatureEncoder({ encoding: "angle", nQubits: 3, axis: "Y", scale: Math.PI });
    const x = [0.7, -0.2, 1.5];
    const bits = x.map((v) => (v > 0 ? 1 : 0));
    const g = { kind: "product" as const, amps: Float64Array.from({ length: 12 }, () => rng.uniform(-1, 1)) };
    const a = st.inputGradient(x, g),
      b = relaxed.inputGradient(bits, g);
    for (let j = 0; j < 3; j++) expect(a[j]).toBeCloseTo(b[j], 12);
    expect(() => new FeatureEncoder({ encoding: "angle", nQubits: 2, straightThrough: true })).toThrow(
      /basis encoding only/,
    );
  });
});

describe("BatchSeededDropout", () => {
  it("drops about `rate`, scales the rest, repeats for the same batch, changes with the batch, and is the identity at inference", () => {
    const d = new BatchSeededDropout({ rate: 0.5, seed: 3 });
    const x = tf.ones([50, 40]);
    const a = (d.apply(x, { training: true }) as tf.Tensor).dataSync(),
      a2 = (d.apply(x, { training: true }) as tf.Tensor).dataSync();
    const b = (d.apply(tf.mul(x, 1.5), { training: true }) as tf.Tensor).dataSync();
    const kept = Array.from(a).filter((v) => v !== 0);
    expect(kept.every((v) => v === 2)).toBe(true);
    expect(Math.abs(kept.length / a.length - 0.5)).toBeLessThan(0.05);
    expect(Array.from(a2)).toEqual(Array.from(a));
    const same = Array.from(b).filter((v, i) => (v !== 0) === (a[i] !== 0)).length;
    expect(same / a.length).toBeLessThan(0.6);
    expect(Array.from((d.apply(x) as tf.Tensor).dataSync()).every((v) => v === 1)).toBe(true);
    expect(() => new BatchSeededDropout({ rate: 1, seed: 0 })).toThrow(/below 1/);
  });

  it("the AlexNet-style network saves and loads with it (same predictions)", async () => {
    const m = alexNetStyle({
      inputShape: [16, 16, 1],
      classes: 4,
      seed: 1,
      widths: { conv: [4, 4, 4], dense: [8, 8] },
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-alex-"));
    await saveTfModel(m, dir);
    const back = await loadTfModel(dir);
    const x = tf.randomNormal([3, 16, 16, 1], 0, 1, "float32", 4);
    expect(Array.from((back.predict(x) as tf.Tensor).dataSync())).toEqual(
      Array.from((m.predict(x) as tf.Tensor).dataSync()),
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
