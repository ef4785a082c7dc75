/**
 * The contract between models and the trainer. Any classifier (QNN, hybrid, classical) that implements
 * {@link Classifier} can be trained with or without knowledge distillation by `trainClassifier`.
 */

/** Loss of one sample and its gradient with respect to that sample's logits. */
export interface LossOutput {
  loss: number;
  /** ∂loss/∂logits, length nClasses. */
  dLogits: Float64Array;
}

/**
 * Per-sample loss callback: receives the logits of the sample at position `index` of the batch passed to
 * {@link Classifier.lossAndGradient} and returns its loss and ∂loss/∂logits.
 */
export type SampleLoss = (logits: Float64Array, index: number) => LossOutput;

/** A trainable classifier over inputs of type `I`. */
export interface Classifier<I> {
  /** Number of trainable parameters (length of `params`). */
  readonly nParams: number;
  /** Number of logits / classes. */
  readonly nClasses: number;
  /** Trainable parameters; the trainer updates this array in place. */
  params: Float64Array;
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
