/**
 * The open question of Yan et al.'s summary as a study: can a hardware-efficient teacher QNN be distilled into a
 * student of a **radically different shape** — a quantum convolutional neural network (QCNN; Cong, Choi & Lukin,
 * Nat. Phys. 15, 1273 (2019)) or a tree tensor network (TTN; Grant et al., npj Quantum Inf. 4, 65 (2018)) — and does
 * KD help it as much as it helps a student of the teacher's own shape? Its statements are **our hypotheses**
 * ({@link CROSS_HYPOTHESES}), never claims of a paper; `docs/PARAMS.md`, "The cross-architecture study", fixes every
 * choice and test, written before the runs.
 *
 * Two settings ({@link CROSS_SETTINGS}), each on its experiment's ZXZ task and teacher (with the sharp-teacher bundle):
 * - `table1`: 7 qubits, the 7 × 2 teacher; students 7 × 1–3 hardware-efficient, the QCNN (shared and own angles, TFQ
 *   pooling, TFQ convolution) and the TTN; then the students of `noisyStudents` trained and tested on the
 *   noisy-teacher study's depolarising device model at each p of `noiseLevels` (exact density matrices, finite shots);
 * - `fig4`: 15 qubits, the 15 × 10 teacher; students 15 × 1–2, the QCNN (shared and own angles) and the TTN; no noise
 *   run (a 15-qubit density matrix has 2³⁰ entries).
 * Every student trains without and with KD from the same initialisation and batches (`protocol.ts`); a noisy student
 * starts from its noiseless twin's initialisation.
 *
 * Rows: the common fields (`modelRow`) plus `setting`, `student` (`"teacher"`, `hea-L<n>` or a shape), `architecture`
 * (`"hardware-efficient"`, `"qcnn"`, `"ttn"`), the circuit's `nParams`, `twoQubitGates`, `depth` (`circuitStats`),
 * `p` (null: noiseless) and `shots`; the notebook adds `variant` for the readings ({@link CROSS_READINGS}).
 *
 * @packageDocumentation
 */
import type { Experiment } from "../entry";
import { CROSS_UNITS } from "./run";
export * from "./config";
export * from "./run";
export * from "./claims";
export * from "./figures";

/** The registry entry of this study (`registry.ts`): its notebook and default seeds. */
export const EXPERIMENT: Experiment = {
  id: "cross-architecture",
  title:
    "The open question of Yan et al.: distilling a hardware-efficient teacher into QCNN and TTN students (7 and 15 qubits, with noise)",
  notebook: "notebooks/cross-architecture.ipynb",
  defaultSeeds: 5,
  units: CROSS_UNITS,
};
