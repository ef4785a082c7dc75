/**
 * Teacher wrappers: a teacher is anything that produces logits for the training inputs. Distillation needs
 * those logits once, before the student trains (the teacher is frozen), so they are computed here and passed to
 * `trainClassifier` as `teacherLogits`, aligned with the training inputs.
 */

/** Anything that gives logits for a batch of inputs: a trained QNN, a classical MLP, a cached table. */
export interface Teacher<I> {
  /** Logits of each input, `[batch][nClasses]`. */
  logitsBatch(inputs: readonly I[]): Float64Array[];
}

/** Options of {@link computeTeacherLogits}. */
export interface TeacherLogitsOptions {
  /**
   * Number of inputs per `logitsBatch` call (bounds memory for large data sets; the result does not depend
   * on it).
   * @defaultValue 4096
   */
  chunkSize?: number;
  /** Expected number of logits per input; checked when given. @defaultValue undefined (not checked) */
  nClasses?: number;
}

/**
 * Logits of a frozen teacher for every input, `[nInputs][nClasses]`, aligned with `inputs` (row i belongs
 * to inputs[i]); pass the result as `teacherLogits` to `trainClassifier`. Each row is a fresh copy.
 *
 * For self-distillation (Yan et al., Sec. IV) the teacher is a trained model of the same architecture as the
 * student.
 *
 * @throws Error if the teacher returns the wrong number of rows, rows of unequal length (or not `nClasses`),
 *   or a NaN / infinite logit (quoting the row and value), or if `chunkSize` is not a positive integer.
 */
export function computeTeacherLogits<I>(
  teacher: Teacher<I>,
  inputs: readonly I[],
  options: TeacherLogitsOptions = {},
): Float64Array[] {
  const chunkSize = options.chunkSize ?? 4096;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new Error(`computeTeacherLogits: chunkSize must be a positive integer, got ${String(chunkSize)}`);
  }
  const out: Float64Array[] = [];
  let width = options.nClasses;
  for (let start = 0; start < inputs.length; start += chunkSize) {
    const chunk = inputs.slice(start, start + chunkSize);
    const rows = teacher.logitsBatch(chunk);
    if (rows.length !== chunk.length) {
      throw new Error(`computeTeacherLogits: teacher returned ${rows.length} rows for ${chunk.length} inputs`);
    }
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      const idx = start + r;
      if (width === undefined) width = row.length;
      if (row.length !== width) {
        throw new Error(`computeTeacherLogits: row ${idx} has ${row.length} logits, expected ${width}`);
      }
      for (let k = 0; k < row.length; k++) {
        if (!Number.isFinite(row[k])) {
          throw new Error(`computeTeacherLogits: teacher logit [${idx}][${k}] is ${row[k]}`);
        }
      }
      out.push(Float64Array.from(row));
    }
  }
  return out;
}
