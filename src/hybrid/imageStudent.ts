/**
 * Hybrid image classifiers as one tfjs model (Hasan & Mahdy, v2 pipeline; docs/PARAMS.md): an image
 * `[height, width, channels]` (already normalised) → a **reduction** to F features → a {@link QuantumTfLayer}
 * (an encoding, {@link sharedRotationAnsatz}, ⟨Z⟩ on every qubit or the 2^Q basis-state probabilities) → a dense
 * layer → logits. F = the most features the encoding takes on Q qubits ({@link maxFeatureCount}): 2^Q for the
 * amplitude and stacked-angle encodings, 2Q for the dense-angle encoding, Q for the angle and basis encodings.
 * The rotation encodings take `scale` and `squash` (Hasan & Mahdy's v1 code: π·tanh), the angle encoding also
 * `hadamard` (their H before R_Y); see `qnn/featureEncoders.ts`.
 *
 * **Reductions** ({@link IMAGE_REDUCTIONS}), each a stack of tfjs layers in front of the quantum layer:
 * - `dense` — flatten → dense F (linear, learned: trained through the quantum layer's input gradient; with the
 *   basis encoding through its straight-through gradient);
 * - `crop` — the centre s × s pixels (s² = F; one channel), flattened;
 * - `pca` — flatten → the fixed projection (x − μ)·V onto F principal axes fitted on the training images
 *   (a dense layer that does not train);
 * - `avgpool`, `maxpool` — average or max pooling to s × s (s² = F; one channel): pool size and stride
 *   k = ⌈H/s⌉, the image first zero-padded evenly to k·s (e.g. 28 → 32 for s = 16: k = 2; 28 → 28 for s = 4: k = 7),
 *   as PyTorch's adaptive pooling does for sides that divide.
 *
 * @packageDocumentation
 */
import * as tf from "@tensorflow/tfjs";
import { sharedRotationAnsatz, Entangler } from "../qnn/ansatz";
import { FeatureEncoding, FEATURE_ENCODINGS, maxFeatureCount } from "../qnn/featureEncoders";
import { Rng, toRng } from "../util/rng";
import { checkInt, checkNumber, checkOneOf } from "../util/options";
import { quantumLayer, QuantumTfLayer, ReadoutKind, READOUT_KINDS } from "./quantumLayer";
import { tfSeed } from "./networks";

/** The reductions of {@link imageStudent}. */
export const IMAGE_REDUCTIONS = ["dense", "crop", "pca", "avgpool", "maxpool"] as const;
/** A reduction name (see the module doc). */
export type ImageReduction = (typeof IMAGE_REDUCTIONS)[number];

/** A fitted PCA for the `pca` reduction: `components[k·nFeatures + j]` = loading j of axis k (as `PcaModel`). */
export interface PcaProjection {
  /** Training mean per input feature (length H·W·C). */
  mean: ArrayLike<number>;
  /** At least F principal axes as rows, row-major (`nComponents × nFeatures`). */
  components: ArrayLike<number>;
}

/** Options of {@link imageStudent}. */
export interface ImageStudentOptions {
  /** One image, `[height, width, channels]`, channels last. */
  inputShape: [number, number, number];
  /** Number of classes (logits). */
  classes: number;
  /** Qubits Q (1…16). */
  nQubits: number;
  reduction: ImageReduction;
  encoding: FeatureEncoding;
  /** Entangler of the circuit. @defaultValue "none" (the paper's figure draws none) */
  entangler?: Entangler;
  /** The fitted PCA, required for the `pca` reduction. */
  pca?: PcaProjection;
  /** Threshold of the basis encoding. @defaultValue 0 (the inputs are normalised to mean 0) */
  threshold?: number;
  /** Rotation encodings: radians per unit feature (per unit tanh with `squash: "tanh"`). @defaultValue 1 */
  scale?: number;
  /** Rotation encodings: the angle is scale·x (`"none"`) or scale·tanh(x). @defaultValue "none" */
  squash?: "none" | "tanh";
  /** Angle encoding: a Hadamard on every qubit before its rotation. @defaultValue false */
  hadamard?: boolean;
  /** The quantum layer's outputs: ⟨Z⟩ of every qubit (Q) or the basis-state probabilities (2^Q). @defaultValue "expectation" */
  readoutKind?: ReadoutKind;
  /** Seed or generator of the initialisation (dense kernels, circuit angles, head). @defaultValue 0 */
  seed?: number | string | Rng;
  /** Model name. @defaultValue "student" */
  name?: string;
}

/**
 * Features the reduction must produce for an encoding on Q qubits: 2^Q (amplitude, stacked-angle), 2Q
 * (dense-angle) or Q (angle, basis).
 */
export function reducedFeatureCount(encoding: FeatureEncoding, nQubits: number): number {
  return maxFeatureCount(encoding, nQubits);
}

/** The side s of a square s × s reduction to F features. @throws Error when F is not a square. */
function squareSide(where: string, reduction: string, f: number): number {
  const s = Math.round(Math.sqrt(f));
  if (s * s !== f)
    throw new Error(
      `${where}: the ${reduction} reduction gives s × s features, but ${f} features is not a square (use an even Q with the amplitude encoding, or the dense or pca reduction)`,
    );
  return s;
}

/**
 * The reduction's tfjs layers (the first takes `inputShape`), ending in a flat `[batch, F]` tensor.
 * @throws Error for an unknown reduction, a non-square F for crop or pooling, more than one channel for crop or
 *   pooling, a crop larger than the image, or a missing or wrong-sized PCA.
 */
export function reductionLayers(
  reduction: ImageReduction,
  inputShape: [number, number, number],
  nFeatures: number,
  opts: { pca?: PcaProjection; seed?: number | string | Rng } = {},
): tf.layers.Layer[] {
  const W = "reductionLayers";
  checkOneOf(W, "reduction", reduction, IMAGE_REDUCTIONS);
  const [H, Wd, C] = inputShape;
  const d = H * Wd * C;
  if (reduction === "dense" || reduction === "pca") {
    const flat = tf.layers.flatten({ inputShape });
    if (reduction === "dense") {
      return [
        flat,
        tf.layers.dense({
          units: nFeatures,
          kernelInitializer: tf.initializers.glorotUniform({ seed: tfSeed(toRng(opts.seed ?? 0), "reduction") }),
          name: "reduction",
        }),
      ];
    }
    const p = opts.pca;
    if (!p) throw new Error(`${W}: the pca reduction needs the fitted PCA (opts.pca: mean and components)`);
    if (p.mean.length !== d || p.components.length < nFeatures * d) {
      throw new Error(
        `${W}: the PCA must have a mean of ${d} features and at least ${nFeatures} axes of ${d} (${nFeatures * d} loadings), got ${p.mean.length} and ${p.components.length}`,
      );
    }
    const kernel = new Float32Array(d * nFeatures),
      bias = new Float32Array(nFeatures);
    for (let k = 0; k < nFeatures; k++) {
      let b = 0;
      for (let j = 0; j < d; j++) {
        const v = p.components[k * d + j];
        kernel[j * nFeatures + k] = v;
        b -= p.mean[j] * v;
      }
      bias[k] = b;
    }
    return [
      flat,
      tf.layers.dense({
        units: nFeatures,
        trainable: false,
        weights: [tf.tensor2d(kernel, [d, nFeatures]), tf.tensor1d(bias)],
        name: "reduction",
      }),
    ];
  }
  if (C !== 1)
    throw new Error(`${W}: the ${reduction} reduction works on one channel, got ${C} (use grayscale images)`);
  const s = squareSide(W, reduction, nFeatures);
  if (reduction === "crop") {
    if (s > H || s > Wd) throw new Error(`${W}: a ${s} × ${s} crop does not fit a ${H} × ${Wd} image`);
    const t = Math.floor((H - s) / 2),
      l = Math.floor((Wd - s) / 2);
    return [
      tf.layers.cropping2D({
        inputShape,
        cropping: [
          [t, H - s - t],
          [l, Wd - s - l],
        ],
        name: "reduction",
      }),
      tf.layers.flatten(),
    ];
  }
  const kh = Math.ceil(H / s),
    kw = Math.ceil(Wd / s);
  const ph = kh * s - H,
    pw = kw * s - Wd;
  const layers: tf.layers.Layer[] = [];
  if (ph > 0 || pw > 0)
    layers.push(
      tf.layers.zeroPadding2d({
        inputShape,
        padding: [
          [Math.floor(ph / 2), ph - Math.floor(ph / 2)],
          [Math.floor(pw / 2), pw - Math.floor(pw / 2)],
        ],
      }),
    );
  const pool = {
    poolSize: [kh, kw] as [number, number],
    strides: [kh, kw] as [number, number],
    name: "reduction",
    ...(layers.length === 0 ? { inputShape } : {}),
  };
  layers.push(reduction === "avgpool" ? tf.layers.averagePooling2d(pool) : tf.layers.maxPooling2d(pool));
  layers.push(tf.layers.flatten());
  return layers;
}

/**
 * A hybrid image classifier (see the module doc): reduction → quantum layer → dense → logits. Parameters: the
 * dense reduction's (H·W·C + 1)·F, the circuit's 4Q + 3, the head's (k + 1)·classes with k = Q outputs (⟨Z⟩) or
 * 2^Q (probabilities).
 * @throws Error for bad options (quoted), or any error of {@link reductionLayers}.
 */
export function imageStudent(o: ImageStudentOptions): tf.Sequential {
  const W = "imageStudent";
  if (!Array.isArray(o.inputShape) || o.inputShape.length !== 3)
    throw new Error(`${W}: inputShape must be [height, width, channels], got ${JSON.stringify(o.inputShape)}`);
  o.inputShape.forEach((v, i) => checkInt(W, `inputShape[${i}]`, v, 1));
  checkInt(W, "classes", o.classes, 2);
  checkInt(W, "nQubits", o.nQubits, 1, 16);
  checkOneOf(W, "encoding", o.encoding, FEATURE_ENCODINGS);
  const threshold = o.threshold ?? 0;
  checkNumber(W, "threshold", threshold);
  const readoutKind = o.readoutKind ?? "expectation";
  checkOneOf(W, "readoutKind", readoutKind, READOUT_KINDS);
  const rng = toRng(o.seed ?? 0);
  const F = reducedFeatureCount(o.encoding, o.nQubits);
  const layers = reductionLayers(o.reduction, o.inputShape, F, { ...(o.pca ? { pca: o.pca } : {}), seed: rng });
  const learned = o.reduction === "dense";
  const circuit = sharedRotationAnsatz({ nQubits: o.nQubits, entangler: o.entangler ?? "none" });
  const readout = Array.from({ length: o.nQubits }, (_, q) => q);
  layers.push(
    quantumLayer({
      circuit,
      readout,
      encoding: o.encoding,
      seed: tfSeed(rng, "theta"),
      name: "quantum",
      inputGradients: learned,
      readoutKind,
      ...(o.encoding === "basis" ? { threshold, straightThrough: learned } : {}),
      ...(o.scale !== undefined ? { scale: o.scale } : {}),
      ...(o.squash !== undefined ? { squash: o.squash } : {}),
      ...(o.hadamard !== undefined ? { hadamard: o.hadamard } : {}),
    }),
  );
  layers.push(
    tf.layers.dense({
      units: o.classes,
      kernelInitializer: tf.initializers.glorotUniform({ seed: tfSeed(rng, "head") }),
      name: "head",
    }),
  );
  return tf.sequential({ name: o.name ?? "student", layers });
}

/**
 * The features an image student's reduction gives (the input of its quantum layer), `[n][F]`.
 * @param images - flat images (H·W·C values each, channels last, as the model takes them).
 * @throws Error if the model has no {@link QuantumTfLayer}.
 */
export function reducedFeatures(model: tf.LayersModel, images: readonly ArrayLike<number>[]): Float64Array[] {
  const qi = model.layers.findIndex((l) => l instanceof QuantumTfLayer);
  if (qi < 1) throw new Error("reducedFeatures: the model has no quantum layer behind a reduction");
  const shape = model.inputs[0].shape.slice(1) as number[];
  const d = shape.reduce((a, b) => a * b, 1);
  const sub = tf.model({ inputs: model.inputs, outputs: model.layers[qi - 1].output as tf.SymbolicTensor });
  const buf = new Float32Array(images.length * d);
  images.forEach((x, i) => buf.set(Array.from(x), i * d));
  const out = tf.tidy(
    () => (sub.predict(tf.tensor(buf, [images.length, ...shape])) as tf.Tensor).arraySync() as number[][],
  );
  return out.map((r) => Float64Array.from(r));
}
