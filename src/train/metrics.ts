/** Classification metrics on a {@link Classifier}: argmax predictions and accuracy. */
import type { Classifier } from "./types";

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

/**
 * Predicted class of each input: argmax of its logits, computed with one `model.logitsBatch(inputs)` call.
 * @returns class indices, `[nInputs]`.
 * @throws Error if the model returns the wrong number of rows or a NaN logit.
 */
export function predict<I>(model: Pick<Classifier<I>, "logitsBatch">, inputs: readonly I[]): number[] {
  const rows = model.logitsBatch(inputs);
  if (rows.length !== inputs.length) {
    throw new Error(`predict: logitsBatch returned ${rows.length} rows for ${inputs.length} inputs`);
  }
  return rows.map((r) => argmax(r));
}

/**
 * Fraction of `data.inputs` whose predicted class ({@link predict}) equals the label, in [0, 1].
 * @throws Error if inputs and labels differ in length or are empty.
 */
export function accuracy<I>(
  model: Pick<Classifier<I>, "logitsBatch">,
  data: { readonly inputs: readonly I[]; readonly labels: readonly number[] },
): number {
  if (data.inputs.length !== data.labels.length) {
    throw new Error(`accuracy: ${data.inputs.length} inputs but ${data.labels.length} labels`);
  }
  if (data.inputs.length === 0) throw new Error("accuracy: empty data set");
  const pred = predict(model, data.inputs);
  let correct = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === data.labels[i]) correct++;
  return correct / pred.length;
}
