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

/**
 * Macro-averaged F1 score in [0, 1]: the mean over classes of F1_k = 2·TP_k / (2·TP_k + FP_k + FN_k), from the
 * model's argmax predictions, averaged over the classes that occur in the labels or the predictions (as
 * scikit-learn's `f1_score(average="macro")` does).
 * @param nClasses - number of classes (the model's when it has one).
 * @throws Error if inputs and labels differ in length or are empty, or a label is out of range.
 */
export function macroF1<I>(
  model: Pick<Classifier<I>, "logitsBatch">,
  data: { readonly inputs: readonly I[]; readonly labels: readonly number[] },
  nClasses: number,
): number {
  if (data.inputs.length !== data.labels.length)
    throw new Error(`macroF1: ${data.inputs.length} inputs but ${data.labels.length} labels`);
  if (data.inputs.length === 0) throw new Error("macroF1: empty data set");
  return macroF1FromPredictions(predict(model, data.inputs), data.labels, nClasses);
}

/** {@link macroF1} from predicted and true labels (`[n]` each). */
export function macroF1FromPredictions(pred: readonly number[], labels: readonly number[], nClasses: number): number {
  const tp = new Array<number>(nClasses).fill(0),
    fp = tp.slice(),
    fn = tp.slice();
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i],
      p = pred[i];
    if (!Number.isInteger(y) || y < 0 || y >= nClasses)
      throw new Error(`macroF1: label ${y} at ${i} is not in [0, ${nClasses})`);
    if (p === y) tp[y]++;
    else {
      fn[y]++;
      if (p >= 0 && p < nClasses) fp[p]++;
    }
  }
  let s = 0,
    present = 0;
  for (let k = 0; k < nClasses; k++) {
    const d = 2 * tp[k] + fp[k] + fn[k];
    if (d === 0) continue;
    s += (2 * tp[k]) / d;
    present++;
  }
  return s / present;
}
