/**
 * The open question of Yan et al. (Sec. IV) as an experiment: can a teacher that is large but NOISY still teach a
 * small, noiseless student — and does KD make a student robust to noise? On the 7-qubit ZXZ task of Table 1
 * (`yan/table1.ts`), with depolarising noise after every gate (`sim/noise/model.ts` {@link NoiseModel.depolarizing}: p
 * after each one-qubit gate, the two-qubit channel with p after each CNOT) and finite measurement shots.
 *
 * Per seed (all streams derived from it; the data are the same for every seed):
 * 1. **Teachers, trained without noise**: Table 1's 7 × 2 teacher and a larger 7 × L teacher (`largeTeacherLayers`),
 *    each with the Table 1 teacher settings (here: the sharp-teacher variant, see {@link NOISY_DEFAULTS}).
 * 2. **Noisy teacher → clean student** (`experiment: "noisy-teacher"`): each teacher deployed at each p of
 *    `noiseLevels` (exact density matrices, `shots` shots per expectation value): its test accuracy there, and its
 *    measured ⟨Z⟩ on the training states as the soft targets of a noiseless 7 × 1 student (Table 1's student (2)).
 *    The student without KD (`p: null`) is the baseline; a student distilled towards a UNIFORM target (teacher
 *    ⟨Z⟩ = 0 for every state, `teacher: "uniform target"`, `p: null`) is the control that tells what the teacher
 *    passes on from what the KL term does on its own (a flat target is a pure confidence penalty). Every student
 *    starts from one initialisation and sees one batch stream.
 * 3. **Clean teacher → noisy student** (`experiment: "noisy-student"`): the 7 × 1 student trained ON the noisy
 *    device at each p (exact density-matrix adjoint gradients, the infinite-shot limit; accuracies measured with
 *    `shots` shots), without KD and with KD from the clean 7 × 2 teacher's exact ⟨Z⟩.
 * 4. **Robustness** (`experiment: "robustness"`): the students trained at p = 0 in part 3, evaluated at each p > 0.
 *
 * Rows: the common fields plus `experiment`, `p` (the depolarising probability of the row's noisy model; null for
 * the clean baseline), `shots`, `teacher` (the KD source's label, or null). A teacher row's `testAccuracy` is measured
 * at its p; its `trainAccuracy` is null there.
 *
 * @packageDocumentation
 */
import type { Experiment } from "../entry";
import { NOISY_UNITS } from "./run";
export * from "./config";
export * from "./run";
export * from "./claims";

/** The registry entry of this experiment (`registry.ts`): its notebook and default seeds. */
export const EXPERIMENT: Experiment = {
  id: "noisy-teacher",
  title:
    "Yan et al. Sec. IV, the open question: a noisy teacher, a clean student (and the reverse), depolarising noise and finite shots",
  notebook: "notebooks/noisy-teacher.ipynb",
  defaultSeeds: 5,
  units: NOISY_UNITS,
};
