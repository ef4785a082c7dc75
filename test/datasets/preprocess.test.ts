import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import {
  PcaModel,
  binarize,
  binarizeAll,
  bitBalance,
  fitMinMax,
  fitPCA,
  preprocessOneVsFive,
} from "../../src/datasets/preprocess";
import { imageAt, mnistOneVsFive } from "../../src/datasets/mnist";
import { Rng } from "../../src/util/rng";

let tmp = "";
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-preprocess-"));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** n × p data with correlated features (a random 3-factor model plus noise), seeded. */
function randomData(n: number, p: number, seed: string, sparsity = 0): number[][] {
  const rng = new Rng(seed);
  const load = Array.from({ length: 3 }, () => Array.from({ length: p }, () => rng.normal()));
  return Array.from({ length: n }, () => {
    const f = [rng.normal() * 3, rng.normal() * 2, rng.normal()];
    return Array.from({ length: p }, (_, j) => {
      const v = 1 + f[0] * load[0][j] + f[1] * load[1][j] + f[2] * load[2][j] + 0.3 * rng.normal();
      return rng.random() < sparsity ? 0 : v;
    });
  });
}

/** Reference: covariance (÷ n − 1) of centred data and its eigen-decomposition by ml-matrix, descending. */
function reference(X: number[][]) {
  const n = X.length,
    p = X[0].length;
  const mean = Array.from({ length: p }, (_, j) => X.reduce((s, r) => s + r[j], 0) / n);
  const C = new Matrix(p, p);
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) {
      let s = 0;
      for (const r of X) s += (r[a] - mean[a]) * (r[b] - mean[b]);
      C.set(a, b, s / (n - 1));
    }
  }
  const evd = new EigenvalueDecomposition(C, { assumeSymmetric: true });
  const order = evd.realEigenvalues.map((v, i) => [v, i]).sort((x, y) => y[0] - x[0]);
  const values = order.map(([v]) => v);
  const vectors = order.map(([, i]) => evd.eigenvectorMatrix.getColumn(i));
  const total = values.reduce((s, v) => s + v, 0);
  return { mean, C, values, vectors, ratios: values.map((v) => v / total) };
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

describe("fitPCA against an eigen-decomposition of the covariance", () => {
  for (const method of ["covariance", "svd"] as const) {
    for (const [n, sparsity] of [
      [60, 0],
      [60, 0.7],
      [6, 0],
    ]) {
      const kind = n < 8 ? "fewer samples than features (Gram route)" : sparsity ? "sparse (70 % zeros)" : "dense";
      it(`method ${method}, ${kind}: eigenvalues, ratios, axes up to sign`, () => {
        const X = randomData(n, 8, `pca-${n}-${sparsity}`, sparsity);
        const ref = reference(X);
        const k = 5;
        const pca = fitPCA(X, k, { method });
        expect(pca.nComponents).toBe(k);
        expect(pca.nFeatures).toBe(8);
        for (let j = 0; j < 8; j++) expect(pca.mean[j]).toBeCloseTo(ref.mean[j], 12);
        for (let c = 0; c < k; c++) {
          expect(pca.eigenvalues[c]).toBeCloseTo(ref.values[c], 9);
          expect(pca.explainedVariance[c]).toBeCloseTo(ref.ratios[c], 10);
          const v = pca.component(c);
          expect(Math.abs(dot(v, ref.vectors[c]))).toBeCloseTo(1, 8); // same axis up to sign
          expect(dot(v, v)).toBeCloseTo(1, 12);
          // independent check: C·v = λ·v
          const Cv = ref.C.mmul(Matrix.columnVector(Array.from(v))).getColumn(0);
          for (let j = 0; j < 8; j++) expect(Cv[j]).toBeCloseTo(ref.values[c] * v[j], 8);
          // sign convention: largest-magnitude loading positive
          let arg = 0;
          for (let j = 1; j < 8; j++) if (Math.abs(v[j]) > Math.abs(v[arg])) arg = j;
          expect(v[arg]).toBeGreaterThan(0);
        }
        expect(pca.totalExplainedVariance).toBeCloseTo(
          ref.ratios.slice(0, k).reduce((s, r) => s + r, 0),
          10,
        );
      });
    }
  }

  it("transform(x) = (x − mean)·V, for one vector, a batch, and as ml-pca's predict", () => {
    const X = randomData(40, 6, "transform", 0.4);
    const pca = fitPCA(X, 3);
    const x = X[7];
    const z = pca.transform(x);
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let j = 0; j < 6; j++) s += (x[j] - pca.mean[j]) * pca.component(c)[j];
      expect(z[c]).toBeCloseTo(s, 12);
    }
    const batch = pca.transform(X);
    expect(batch.length).toBe(40);
    expect(Array.from(batch[7])).toEqual(Array.from(z));
    const flat = pca.transform({ data: Float64Array.from(X.flat()), rows: 40, cols: 6 });
    expect(Array.from(flat[7])).toEqual(Array.from(z));
    const predicted = pca.pca.predict(X).to2DArray();
    for (let i = 0; i < 40; i++) for (let c = 0; c < 3; c++) expect(batch[i][c]).toBeCloseTo(predicted[i][c], 11);
    // training projections are centred
    for (let c = 0; c < 3; c++) expect(batch.reduce((s, r) => s + r[c], 0) / 40).toBeCloseTo(0, 11);
  });

  it("the two methods agree (same signs after the convention)", () => {
    const X = randomData(30, 7, "methods", 0.5);
    const a = fitPCA(X, 4, { method: "covariance" });
    const b = fitPCA(X, 4, { method: "svd" });
    for (let i = 0; i < a.components.length; i++) expect(a.components[i]).toBeCloseTo(b.components[i], 8);
  });

  it("a constant feature gets zero loadings and does not count as a component", () => {
    const X = randomData(30, 5, "constant").map((r) => [...r.slice(0, 2), 0.25, ...r.slice(2)]);
    const pca = fitPCA(X, 4);
    for (let c = 0; c < 4; c++) expect(pca.component(c)[2]).toBe(0);
    expect(() => fitPCA(X, 6)).toThrow(/nComponents = 6 exceeds the number of non-constant features \(5 of 6\)/);
    // 4 samples, 5 non-constant features: rank 3
    expect(() => fitPCA(X.slice(0, 4), 4)).toThrow(
      /nComponents = 4 exceeds the rank \(3\) of the centred training data/,
    );
    expect(fitPCA(X.slice(0, 4), 3).nComponents).toBe(3);
  });

  it("round-trips through JSON (ml-pca's toJSON / PCA.load)", () => {
    const X = randomData(25, 6, "json", 0.3);
    const pca = fitPCA(X, 3);
    const back = PcaModel.fromJSON(JSON.parse(JSON.stringify(pca)));
    expect(back.nComponents).toBe(3);
    expect(Array.from(back.explainedVariance)).toEqual(Array.from(pca.explainedVariance));
    expect(Array.from(back.mean)).toEqual(Array.from(pca.mean));
    for (const x of X) expect(Array.from(back.transform(x))).toEqual(Array.from(pca.transform(x)));
    expect(() => PcaModel.fromJSON({ format: "other" } as never)).toThrow(/expected \{ format: "qnn-kd\/pca"/);
  });

  it("bad inputs are quoted", () => {
    const X = randomData(10, 4, "bad");
    expect(() => fitPCA(X, 0)).toThrow(/nComponents must be an integer in \[1, 4\], got 0/);
    expect(() => fitPCA(X, 2.5)).toThrow(/got 2.5/);
    expect(() => fitPCA([X[0]], 1)).toThrow(/at least 2 training samples, got 1/);
    expect(() => fitPCA([1, 2, 3] as never, 1)).toThrow(/expected an array of sample vectors, but element 0 is 1/);
    expect(() => fitPCA({ data: [1, 2, 3], rows: 2, cols: 2 }, 1)).toThrow(
      /data of length rows·cols, got rows = 2, cols = 2, data length 3/,
    );
    expect(() => fitPCA([X[0], [1, 2, 3]], 1)).toThrow(/must have 4 features, sample 1 has 3/);
    expect(() => fitPCA([X[0], [1, NaN, 3, 4]], 1)).toThrow(/sample 1, feature 1 is not finite/);
    expect(() => fitPCA(X, 2, { method: "nipals" as never })).toThrow(
      /method must be one of "covariance", "svd", got "nipals"/,
    );
    const pca = fitPCA(X, 2);
    expect(() => pca.transform([1, 2, 3])).toThrow(/must have 4 features, got 3/);
    expect(() => pca.component(2)).toThrow(/k must be an integer in \[0, 1\], got 2/);
  });

  it("fits a subset of MNIST 1 vs 5 (300 images): explained variance decreasing, train projections centred", () => {
    const { train } = mnistOneVsFive({ limit: 300 });
    const pca = fitPCA(train, 15);
    for (let c = 1; c < 15; c++) expect(pca.explainedVariance[c]).toBeLessThanOrEqual(pca.explainedVariance[c - 1]);
    expect(pca.explainedVariance[0]).toBeGreaterThan(0.1);
    expect(pca.totalExplainedVariance).toBeGreaterThan(0.5);
    expect(pca.totalExplainedVariance).toBeLessThan(1);
    const z = pca.transform(train);
    for (let c = 0; c < 15; c++) expect(z.reduce((s, r) => s + r[c], 0) / z.length).toBeCloseTo(0, 9);
  });
});

describe("binarize, fitMinMax, bitBalance", () => {
  it("raw: bit = value > threshold (strict)", () => {
    expect(Array.from(binarize([0.2, 0.5, 0.51, -1, 3]))).toEqual([0, 0, 1, 0, 1]);
    expect(Array.from(binarize([0.2, 0.5, 0.51, -1, 3], { threshold: 0 }))).toEqual([1, 1, 1, 0, 1]);
  });

  it("minmax: scaled with the training range; a constant feature gives 0; test values outside are not clipped", () => {
    const range = fitMinMax([
      [0, -2, 4],
      [10, 2, 4],
      [5, 0, 4],
    ]);
    expect(Array.from(range.min)).toEqual([0, -2, 4]);
    expect(Array.from(range.max)).toEqual([10, 2, 4]);
    // scaled: 6 → 0.6, −1 → 0.25, 4 → 0 (constant)
    expect(Array.from(binarize([6, -1, 4], { scaling: "minmax", range }))).toEqual([1, 0, 0]);
    // 5 → 0.5 (not > 0.5), 0.1 → 0.525
    expect(Array.from(binarize([5, 0.1, 9], { scaling: "minmax", range }))).toEqual([0, 1, 0]);
    // outside the training range: 20 → 2, −7 → −1.25
    expect(Array.from(binarize([20, -7, 4], { scaling: "minmax", range }))).toEqual([1, 0, 0]);
    expect(
      binarizeAll(
        [
          [6, -1, 4],
          [5, 0.1, 9],
        ],
        { scaling: "minmax", range },
      ).map((b) => Array.from(b)),
    ).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    // raw on the same values
    expect(Array.from(binarize([6, -1, 4]))).toEqual([1, 0, 1]);
  });

  it("bad options and inputs", () => {
    expect(() => binarize([1, 2], { scaling: "minmax" })).toThrow(
      /needs the training set's range: pass range: fitMinMax/,
    );
    expect(() => binarize([1, 2], { scaling: "minmax", range: fitMinMax([[1, 2, 3]]) })).toThrow(
      /2 values but the range has 3/,
    );
    expect(() => binarize([1, 2], { scaling: "zscore" as never })).toThrow(
      /scaling must be one of "raw", "minmax", got "zscore"/,
    );
    expect(() => binarize([1, 2], { threshold: NaN })).toThrow(/threshold must be a finite number/);
    expect(() => binarize([1, Infinity])).toThrow(/value 1 is not finite/);
    expect(() => binarizeAll([[1], [Infinity]])).toThrow(/row 1, value 0 is not finite/);
    expect(() => fitMinMax([])).toThrow(/at least one row/);
    expect(() => fitMinMax([[1, 2], [1]])).toThrow(/row 1 has 1/);
  });

  it("bitBalance: fraction of ones per position", () => {
    const b = bitBalance([Uint8Array.from([1, 0, 1, 0]), Uint8Array.from([1, 1, 0, 0])]);
    expect(Array.from(b)).toEqual([1, 0.5, 0.5, 0]);
    expect(() => bitBalance([])).toThrow(/at least one bit vector/);
    expect(() => bitBalance([[1, 0], [1]])).toThrow(/vector 1 has 1/);
    expect(() => bitBalance([[1, 2]])).toThrow(/position 1 must be 0 or 1, got 2/);
  });
});

describe("preprocessOneVsFive (subset: limit 200)", () => {
  it("bits, labels and bit balance; cached on disk; independent steps give the same bits", () => {
    const cacheDir = path.join(tmp, "cache");
    const a = preprocessOneVsFive({ limit: 200, cacheDir });
    expect(a.fromCache).toBe(false);
    expect(a.cacheFile).toMatch(/mnist-1v5-[0-9a-f]{16}\.json$/);
    expect(fs.existsSync(a.cacheFile!)).toBe(true);
    expect(a.train.bits.length).toBe(200);
    expect(a.test.bits.length).toBe(200);
    expect(a.train.bits.every((b) => b.length === 15 && b.every((v) => v === 0 || v === 1))).toBe(true);
    expect(new Set(a.train.labels)).toEqual(new Set([0, 1]));
    expect(a.explainedVariance.length).toBe(15);
    expect(a.options).toEqual({
      nComponents: 15,
      scaling: "minmax",
      threshold: 0.5,
      digits: [1, 5],
      limit: 200,
      method: "covariance",
    });
    expect(Array.from(a.bitBalance.train)).toEqual(Array.from(bitBalance(a.train.bits)));

    // the same steps by hand
    const { train, test } = mnistOneVsFive({ limit: 200 });
    expect(a.train.labels).toEqual(train.labels);
    const pca = fitPCA(train, 15);
    const range = fitMinMax(pca.transform(train));
    const bitsTest = binarizeAll(pca.transform(test), { scaling: "minmax", range });
    expect(a.test.bits.map((b) => b.join(""))).toEqual(bitsTest.map((b) => b.join("")));

    // from the cache: identical
    const b = preprocessOneVsFive({ limit: 200, cacheDir });
    expect(b.fromCache).toBe(true);
    expect(b.train.bits.map((x) => x.join(""))).toEqual(a.train.bits.map((x) => x.join("")));
    expect(b.test.labels).toEqual(a.test.labels);
    expect(Array.from(b.explainedVariance)).toEqual(Array.from(a.explainedVariance));
    expect(Array.from(b.pca.transform(imageAt(test, 3)))).toEqual(Array.from(a.pca.transform(imageAt(test, 3))));

    // raw scaling: a different cache entry, bits = PCA values > 0.5
    const r = preprocessOneVsFive({ limit: 200, cacheDir, scaling: "raw" });
    expect(r.cacheFile).not.toBe(a.cacheFile);
    const zTrain = r.pca.transform(train);
    expect(r.train.bits.map((x) => x.join(""))).toEqual(
      zTrain.map((z) => Array.from(z, (v) => (v > 0.5 ? 1 : 0)).join("")),
    );

    // a corrupt cache file is recomputed after a warning
    fs.writeFileSync(a.cacheFile!, "{ not json");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const c = preprocessOneVsFive({ limit: 200, cacheDir });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/unusable \(not valid JSON/));
    warn.mockRestore();
    expect(c.fromCache).toBe(false);
    expect(c.train.bits.map((x) => x.join(""))).toEqual(a.train.bits.map((x) => x.join("")));
  });

  it("bad options are quoted", () => {
    expect(() => preprocessOneVsFive({ nComponents: 0, cacheDir: null })).toThrow(
      /nComponents must be an integer in \[1, 26\], got 0/,
    );
    expect(() => preprocessOneVsFive({ scaling: "std" as never, cacheDir: null })).toThrow(
      /scaling must be one of "raw", "minmax", got "std"/,
    );
    expect(() => preprocessOneVsFive({ digits: [1, 1], cacheDir: null })).toThrow(/two distinct digits .* got \[1,1\]/);
    expect(() => preprocessOneVsFive({ limit: 1, cacheDir: null })).toThrow(/limit must be an integer in \[2, /);
    expect(() => preprocessOneVsFive({ cacheDir: "" })).toThrow(/cacheDir must be a non-empty string/);
    expect(() => preprocessOneVsFive({ pcaSize: 15 } as never)).toThrow(/unknown option "pcaSize"/);
  });
});
