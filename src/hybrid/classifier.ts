/**
 * A TensorFlow.js model as a {@link Classifier}: the adapter through which the project's one trainer
 * (`trainClassifier`: Adam, StepLR, the distillation loss, checkpoints, history rows) and the distillation protocol
 * train classical and hybrid networks exactly as they train QNNs.
 *
 * **Parameters.** `params` is one `Float64Array`: the model's trainable weights flattened in the order of
 * `model.trainableWeights`, each row-major as tfjs stores it. The trainer updates `params` in place; the adapter
 * copies them into the tfjs variables (float32) before each forward pass.
 *
 * **Gradient.** One forward pass gives the logits `[batch][nClasses]`; the trainer's per-sample loss gives
 * ∂L_b/∂z_b in float64; one backward pass through tfjs then computes Σ_b (1/B)·J_bᵀ·∂L_b/∂z_b (the gradient of
 * `sum(z ⊙ G)` with G held constant) for every weight.
 *
 * **Inputs** are feature vectors (`ArrayLike<number>`, each of the model's input size, flattened row-major for
 * image models with `inputShape`).
 *
 * @packageDocumentation
 */
import * as tf from "@tensorflow/tfjs";
import type { Classifier, SampleLoss } from "../core/model";

/** Options of {@link TfClassifier}. */
export interface TfClassifierOptions {
  /** Shape of one input without the batch axis, e.g. [64] or [28, 28, 1]. @defaultValue the model's input shape */
  inputShape?: number[];
  /** Inputs per forward pass when computing logits (bounds memory). @defaultValue 1024 */
  chunkSize?: number;
}

/** A tfjs model (logits out) as a trainable {@link Classifier} over feature vectors (see the module doc). */
export class TfClassifier implements Classifier<ArrayLike<number>> {
  readonly model: tf.LayersModel;
  readonly nClasses: number;
  readonly nParams: number;
  /** Shape of one input (no batch axis). */
  readonly inputShape: number[];
  params: Float64Array;
  private readonly inputSize: number;
  private readonly chunkSize: number;
  private readonly sizes: number[];
  private synced: Float64Array | null = null;

  /** @throws Error if the model's output is not `[batch, nClasses]` or its input shape is unknown. */
  constructor(model: tf.LayersModel, options: TfClassifierOptions = {}) {
    this.model = model;
    const out = model.outputs[0].shape;
    if (out.length !== 2 || typeof out[1] !== "number")
      throw new Error(`TfClassifier: the model must output [batch, nClasses] logits, got shape ${JSON.stringify(out)}`);
    this.nClasses = out[1];
    const inShape = options.inputShape ?? (model.inputs[0].shape.slice(1) as number[]);
    if (inShape.some((d) => typeof d !== "number" || d < 1))
      throw new Error(`TfClassifier: unknown input shape ${JSON.stringify(inShape)}; pass options.inputShape`);
    this.inputShape = inShape.slice();
    this.inputSize = inShape.reduce((a, b) => a * b, 1);
    this.chunkSize = options.chunkSize ?? 1024;
    this.sizes = model.trainableWeights.map((w) => w.shape.reduce((a: number, b) => a * (b as number), 1));
    this.nParams = this.sizes.reduce((a, b) => a + b, 0);
    this.params = new Float64Array(this.nParams);
    let o = 0;
    for (const w of model.trainableWeights) {
      const v = w.read().dataSync();
      this.params.set(v, o);
      o += v.length;
    }
    this.synced = this.params.slice();
  }

  /** Copies `params` into the tfjs variables when they changed since the last copy. */
  private sync(): void {
    const p = this.params;
    if (p.length !== this.nParams)
      throw new Error(`TfClassifier: params has length ${p.length}, expected ${this.nParams}`);
    const s = this.synced;
    if (s && s.length === p.length) {
      let same = true;
      for (let i = 0; i < p.length; i++)
        if (p[i] !== s[i]) {
          same = false;
          break;
        }
      if (same) return;
    }
    let o = 0;
    this.model.trainableWeights.forEach((w, k) => {
      const n = this.sizes[k];
      const t = tf.tensor(Float32Array.from(p.subarray(o, o + n)), w.shape as number[]);
      w.write(t); // the variable takes a reference to the data: release ours
      t.dispose();
      o += n;
    });
    this.synced = p.slice();
  }

  private batch(inputs: readonly ArrayLike<number>[]): tf.Tensor {
    const B = inputs.length,
      d = this.inputSize;
    const buf = new Float32Array(B * d);
    for (let b = 0; b < B; b++) {
      const x = inputs[b];
      if (!x || x.length !== d)
        throw new Error(
          `TfClassifier: input ${b} has ${x ? x.length : "no"} features, expected ${d} (shape ${JSON.stringify(this.inputShape)})`,
        );
      for (let j = 0; j < d; j++) buf[b * d + j] = x[j];
    }
    return tf.tensor(buf, [B, ...this.inputShape]);
  }

  /** The tfjs variables behind `model.trainableWeights`, in order. */
  private variables(): tf.Variable[] {
    return this.model.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  /** Logits of one input (length nClasses). */
  logits(input: ArrayLike<number>): Float64Array {
    return this.logitsBatch([input])[0];
  }

  /** Logits of each input, `[batch][nClasses]` (inference mode: dropout off). */
  logitsBatch(inputs: readonly ArrayLike<number>[]): Float64Array[] {
    this.sync();
    const out: Float64Array[] = [];
    for (let s = 0; s < inputs.length; s += this.chunkSize) {
      tf.tidy(() => {
        const z = (this.model.predict(this.batch(inputs.slice(s, s + this.chunkSize))) as tf.Tensor).dataSync();
        for (let b = 0; b < z.length / this.nClasses; b++)
          out.push(Float64Array.from(z.subarray(b * this.nClasses, (b + 1) * this.nClasses)));
      });
    }
    return out;
  }

  /** Mean loss over the batch and its gradient ∂(mean loss)/∂params (see the module doc; training mode). */
  lossAndGradient(inputs: readonly ArrayLike<number>[], sampleLoss: SampleLoss): { loss: number; grad: Float64Array } {
    if (!Array.isArray(inputs) || inputs.length === 0)
      throw new Error("TfClassifier.lossAndGradient: inputs must be a non-empty array");
    this.sync();
    const B = inputs.length,
      K = this.nClasses;
    let total = 0;
    const grad = new Float64Array(this.nParams);
    // tf.tidy walks what its callback returns element by element: copy the gradients out inside it, return nothing
    tf.tidy(() => {
      const x = this.batch(inputs);
      const { grads: g } = tf.variableGrads(() => {
        const z = this.model.apply(x, { training: true }) as tf.Tensor;
        const zv = z.dataSync();
        const G = new Float32Array(B * K);
        for (let b = 0; b < B; b++) {
          const out = sampleLoss(Float64Array.from(zv.subarray(b * K, (b + 1) * K)), b);
          if (!out.dLogits || out.dLogits.length !== K)
            throw new Error(
              `TfClassifier: the loss returned ${out.dLogits ? out.dLogits.length : "no"} logit gradients, expected ${K}`,
            );
          total += out.loss;
          for (let k = 0; k < K; k++) G[b * K + k] = out.dLogits[k] / B;
        }
        return tf.sum(tf.mul(z, tf.tensor(G, [B, K]))) as tf.Scalar;
      }, this.variables());
      let o = 0;
      for (const v of this.variables()) {
        const gv = g[v.name].dataSync();
        grad.set(gv, o);
        o += gv.length;
      }
    });
    return { loss: total / B, grad };
  }
}
