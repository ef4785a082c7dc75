/**
 * Classical networks in TensorFlow.js, with seeded initialisers (the same seed gives the same network):
 * multilayer perceptrons (Piperno et al.'s teacher 64→16→8→3 and student 64→3), LeNet-5 and an AlexNet-style
 * CNN (Hasan & Mahdy's teachers). Every network outputs logits (no softmax layer): the losses apply the softmax.
 *
 * Initialisation: Glorot-uniform kernels (tfjs's default for dense and conv layers), each layer seeded from the
 * stream `fork("layer/<i>")` of the given seed; zero biases.
 *
 * @packageDocumentation
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, toRng } from "../util/rng";
import { checkInt, checkNumber, checkOneOf } from "../util/options";

/** Activation names the builders accept. */
export type Activation = "relu" | "tanh" | "sigmoid" | "linear";
const ACTIVATIONS: readonly Activation[] = ["relu", "tanh", "sigmoid", "linear"];

/**
 * An integer seed for a tfjs initialiser (or seeded layer) from the stream `fork(what)` of a project seed or
 * generator: tfjs takes one number per initialiser, the project names its streams.
 * @returns an integer in [0, 2^31 − 1).
 */
export function tfSeed(seed: number | string | Rng, what: string): number {
  return toRng(seed)
    .fork(what)
    .int(2 ** 31 - 1);
}

function glorot(rng: Rng, i: number): ReturnType<typeof tf.initializers.glorotUniform> {
  return tf.initializers.glorotUniform({ seed: tfSeed(rng, `layer/${i}`) });
}

/** Options of {@link mlp}. */
export interface MlpOptions {
  /** Layer widths from input to output, e.g. [64, 16, 8, 3] (at least two entries, each ≥ 1). */
  units: number[];
  /** Activation of the hidden layers. @defaultValue "relu" */
  activation?: Activation;
  /** Seed or generator of the initialisation. @defaultValue 0 */
  seed?: number | string | Rng;
  /** Model name. @defaultValue "mlp" */
  name?: string;
}

/**
 * A fully connected network `units[0] → … → units[last]` (logits out), e.g. Piperno et al.'s teacher
 * `mlp({ units: [64, 16, 8, 3] })` (1203 parameters) and classical student `mlp({ units: [64, 3] })` (195).
 * @throws Error for fewer than two widths, a width that is not an integer ≥ 1, or an unknown activation.
 */
export function mlp(o: MlpOptions): tf.Sequential {
  if (!Array.isArray(o.units) || o.units.length < 2) {
    throw new Error(
      `mlp: units must list at least the input and output widths, e.g. [64, 16, 8, 3], got ${JSON.stringify(o.units)}`,
    );
  }
  o.units.forEach((u, i) => checkInt("mlp", `units[${i}]`, u, 1));
  const activation = o.activation ?? "relu";
  checkOneOf("mlp", "activation", activation, ACTIVATIONS);
  const rng = toRng(o.seed ?? 0);
  const model = tf.sequential({ name: o.name ?? "mlp" });
  for (let i = 1; i < o.units.length; i++) {
    model.add(
      tf.layers.dense({
        units: o.units[i],
        activation: i === o.units.length - 1 ? "linear" : activation,
        kernelInitializer: glorot(rng, i),
        biasInitializer: "zeros",
        ...(i === 1 ? { inputShape: [o.units[0]] } : {}),
      }),
    );
  }
  return model;
}

/** Options of {@link lenet5} and {@link alexNetStyle}. */
export interface CnnOptions {
  /** Input `[height, width, channels]` (channels last), e.g. [28, 28, 1]. */
  inputShape: [number, number, number];
  /** Number of classes (logits). */
  classes: number;
  /** Seed or generator of the initialisation. @defaultValue 0 */
  seed?: number | string | Rng;
}

/**
 * LeNet-5 as Hasan & Mahdy's code builds it (v1): conv 6@5×5 (same padding on 28×28) → tanh → avg-pool 2 →
 * conv 16@5×5 → tanh → avg-pool 2 → dense 120 → tanh → 84 → tanh → classes. 61,706 parameters on 28×28×1 with
 * 10 classes.
 */
export function lenet5(o: CnnOptions): tf.Sequential {
  checkCnn("lenet5", o);
  const rng = toRng(o.seed ?? 0);
  return tf.sequential({
    name: "lenet5",
    layers: [
      tf.layers.conv2d({
        inputShape: o.inputShape,
        filters: 6,
        kernelSize: 5,
        padding: "same",
        activation: "tanh",
        kernelInitializer: glorot(rng, 1),
      }),
      tf.layers.averagePooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.conv2d({
        filters: 16,
        kernelSize: 5,
        padding: "valid",
        activation: "tanh",
        kernelInitializer: glorot(rng, 2),
      }),
      tf.layers.averagePooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 120, activation: "tanh", kernelInitializer: glorot(rng, 3) }),
      tf.layers.dense({ units: 84, activation: "tanh", kernelInitializer: glorot(rng, 4) }),
      tf.layers.dense({ units: o.classes, kernelInitializer: glorot(rng, 5) }),
    ],
  });
}

/** Widths of {@link alexNetStyle}: three conv layers and two dense layers. */
export interface AlexNetWidths {
  conv: [number, number, number];
  dense: [number, number];
}

/**
 * Widths that train on this project's 2-core machine (our choice): conv 8, 24, 48 and dense 128, 128, i.e. the
 * paper's pattern at an eighth of the conv widths and a thirty-second of the dense widths (331,234 parameters on
 * 28×28×1 with 10 classes; a training step of 128 images ≈ 0.26 s here, against ≈ 1.4 s at twice these widths).
 */
export const ALEXNET_SMALL: Readonly<AlexNetWidths> = Object.freeze({
  conv: [8, 24, 48],
  dense: [128, 128],
}) as AlexNetWidths;
/** The widths of Hasan & Mahdy's v1 code: conv 64, 192, 384, dense 4096, 4096 (≈ 94.7 M parameters on 32×32×3). */
export const ALEXNET_FULL: Readonly<AlexNetWidths> = Object.freeze({
  conv: [64, 192, 384],
  dense: [4096, 4096],
}) as AlexNetWidths;

/**
 * An AlexNet-style CNN with the layer pattern of Hasan & Mahdy's code: conv 3×3 → ReLU → max-pool 2 → conv 3×3 →
 * ReLU → max-pool 2 → conv 3×3 → ReLU → dropout 0.5 → flatten → dense → ReLU → dense → ReLU → classes.
 * Dropout is {@link BatchSeededDropout}: a new mask at every training step, the same one for the same weights and
 * batch (so runs repeat and resume bit for bit). @param widths - {@link ALEXNET_SMALL} (default) or {@link ALEXNET_FULL}.
 */
export function alexNetStyle(o: CnnOptions & { widths?: AlexNetWidths }): tf.Sequential {
  checkCnn("alexNetStyle", o);
  const w = o.widths ?? ALEXNET_SMALL;
  const rng = toRng(o.seed ?? 0);
  return tf.sequential({
    name: "alexnet-style",
    layers: [
      tf.layers.conv2d({
        inputShape: o.inputShape,
        filters: w.conv[0],
        kernelSize: 3,
        padding: "same",
        activation: "relu",
        kernelInitializer: glorot(rng, 1),
      }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.conv2d({
        filters: w.conv[1],
        kernelSize: 3,
        padding: "same",
        activation: "relu",
        kernelInitializer: glorot(rng, 2),
      }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.conv2d({
        filters: w.conv[2],
        kernelSize: 3,
        padding: "same",
        activation: "relu",
        kernelInitializer: glorot(rng, 3),
      }),
      new BatchSeededDropout({ rate: 0.5, seed: tfSeed(rng, "layer/4") }),
      tf.layers.flatten(),
      tf.layers.dense({ units: w.dense[0], activation: "relu", kernelInitializer: glorot(rng, 5) }),
      tf.layers.dense({ units: w.dense[1], activation: "relu", kernelInitializer: glorot(rng, 6) }),
      tf.layers.dense({ units: o.classes, kernelInitializer: glorot(rng, 7) }),
    ],
  });
}

function checkCnn(where: string, o: CnnOptions): void {
  if (!Array.isArray(o.inputShape) || o.inputShape.length !== 3) {
    throw new Error(`${where}: inputShape must be [height, width, channels], got ${JSON.stringify(o.inputShape)}`);
  }
  o.inputShape.forEach((v, i) => checkInt(where, `inputShape[${i}]`, v, 1));
  checkInt(where, "classes", o.classes, 2);
}

/** Options of {@link BatchSeededDropout}. */
export interface BatchSeededDropoutArgs {
  /** Fraction of units dropped, in [0, 1). */
  rate: number;
  /** Seed of the layer (an integer). */
  seed: number;
  name?: string;
}

/**
 * Inverted dropout (Srivastava et al. 2014: in training, each unit is zeroed with probability `rate` and the others
 * scaled by 1/(1 − rate); at inference the identity) whose mask is drawn from a seed derived from the layer's seed
 * and the bits of Σ x over the batch: every training step sees a new mask (tfjs's own seeded dropout draws the
 * same mask at every step), while the same weights and batch give the same mask, so a run repeats, and resumes from
 * a checkpoint, with the same numbers. Registered with `tf.serialization` as `QnnKdBatchSeededDropout`.
 */
export class BatchSeededDropout extends tf.layers.Layer {
  static className = "QnnKdBatchSeededDropout";
  readonly rate: number;
  readonly seed: number;

  /** @throws Error for a rate outside [0, 1) or a seed that is not an integer. */
  constructor(args: BatchSeededDropoutArgs) {
    super(args.name ? { name: args.name } : {});
    checkNumber("BatchSeededDropout", "rate", args.rate, 0, 1);
    if (args.rate >= 1) throw new Error(`BatchSeededDropout: rate must be below 1, got ${args.rate}`);
    checkInt("BatchSeededDropout", "seed", args.seed, 0);
    this.rate = args.rate;
    this.seed = args.seed;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs.training || this.rate === 0) return tf.clone(x);
    const sum = tf.tidy(() => tf.sum(x).dataSync()[0]);
    const bits = new Uint32Array(new Float32Array([sum]).buffer)[0];
    const seed = (Math.imul(this.seed ^ bits, 2654435761) >>> 0) % 2147483647;
    // no tidy here: the mask must outlive this call for the backward pass (the caller's tidy frees it)
    const keep = tf.cast(tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, "float32", seed), this.rate), "float32");
    return tf.mul(x, tf.mul(keep, 1 / (1 - this.rate)));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
tf.serialization.registerClass(BatchSeededDropout);
