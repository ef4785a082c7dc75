/** Classification metrics on a {@link Classifier}: argmax predictions and accuracy. */
import { argmax, type Classifier } from "../core/model";

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
