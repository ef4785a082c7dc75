/**
 * The contract between models and the trainer, a leaf module every layer may import. Any classifier (QNN, hybrid,
 * classical) that implements {@link Classifier} can be trained with or without knowledge distillation by
 * `trainClassifier`; {@link argmax} turns its logits into a predicted class.
 */

/**
 * Loss of one sample and its gradient with respect to that sample's outputs: a classifier's logits, or a quantum
 * layer's outputs y_b when the layer sits inside a larger network (then ∂L/∂y_b is what the layers above hand down).
 */
export interface LossOutput {
  loss: number;
  /** ∂loss/∂outputs, one entry per output (length nClasses for a classifier); any array-like. */
  dLogits: ArrayLike<number>;
}

/**
 * Per-sample loss callback, the one loss contract of every model (classifiers, quantum layers, the execution
 * strategies): receives the outputs of the sample at position `index` of the batch (a fresh array) and returns
 * its loss and ∂loss/∂outputs ({@link LossOutput}). The loss functions of `kd/losses` (`crossEntropy`,
 * `distillationLoss`) return this shape.
 */
export type SampleLoss = (outputs: Float64Array, index: number) => LossOutput;

/**
 * What the one optimisation loop (`optim/loop.ts`) trains: a parameter vector updated in place. Met by every
 * {@link Classifier} (the QNN classifiers and the tfjs adapter `TfClassifier`) and by the quantum autoencoder.
 */
export interface Trainable {
  /** Number of trainable parameters (length of `params`). */
  readonly nParams: number;
  /** Trainable parameters; the trainer updates this array in place. */
  params: Float64Array;
}

/** A trainable classifier over inputs of type `I`. */
export interface Classifier<I> extends Trainable {
  /** Number of logits / classes. */
  readonly nClasses: number;
  /** Logits of one input (length nClasses). */
  logits(input: I): Float64Array;
  /** Logits of each input, `[batch][nClasses]`. */
  logitsBatch(inputs: readonly I[]): Float64Array[];
  /**
   * Mean loss over the batch and its gradient ∂(mean loss)/∂params (length nParams), with one forward and
   * one backward pass per sample.
   */
  lossAndGradient(inputs: readonly I[], sampleLoss: SampleLoss): { loss: number; grad: Float64Array };
}

/**
 * Index of the largest entry of a logits vector (the predicted class); ties go to the lowest index.
 * @throws Error if `v` is empty or contains NaN.
 */
export function argmax(v: ArrayLike<number>): number {
  if (v.length < 1) throw new Error("argmax: empty vector");
  let best = 0;
  let bestVal = v[0];
  if (Number.isNaN(bestVal)) throw new Error("argmax: entry 0 is NaN");
  for (let i = 1; i < v.length; i++) {
    const x = v[i];
    if (Number.isNaN(x)) throw new Error(`argmax: entry ${i} is NaN`);
    if (x > bestVal) {
      bestVal = x;
      best = i;
    }
  }
  return best;
}
