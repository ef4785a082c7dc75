/**
 * Hasan & Mahdy, *Bridging Classical and Quantum Machine Learning* (arXiv 2311.13810 v2): classical CNN teachers
 * (LeNet-5, an AlexNet-style CNN) distilled into hybrid students — image → normalise → reduce to 2^Q features →
 * amplitude encoding → the shared-rotation circuit → ⟨Z⟩ on every qubit → dense → logits — on MNIST,
 * Fashion-MNIST and CIFAR-10 (grayscale), Q = 4 and 8; and the ablations of their Fig. 12: every reduction
 * (learned dense, centre crop, PCA, average and max pooling) with the amplitude encoding, and every encoding
 * (amplitude, angle, qubit, as read in docs/PARAMS.md: {@link HASAN_ENCODERS}) with the dense reduction; the other
 * readings of the encodings and the readout run as extra bars ({@link HASAN_READINGS}).
 *
 * Every value is an option of {@link HasanConfig}, set once in {@link HASAN_DEFAULTS} (docs/PARAMS.md, "Classical
 * CNN teacher → QNN": stated, inferred or chosen per value) and overridden for quick runs by {@link HASAN_QUICK}.
 * The notebook `notebooks/hasan-kd.ipynb` calls the steps.
 *
 * **Protocol.** Per dataset and seed each teacher is trained once and cached (tfjs format, {@link hasanTeacher});
 * per dataset, Q and seed the main student (dense + amplitude) trains without KD and with KD from each teacher,
 * from the same initialisation and on the same batches (the protocol's `trainModel`, stream `q<Q>-dense-amplitude`);
 * each ablation student trains with KD from {@link HasanConfig.ablationTeacher} (the framework the paper ablates:
 * "original" in Fig. 12 is the main student with KD).
 *
 * **Loss.** The authors' code: L = CE(y, σ(s)) + α·T²·KL(σ(t/T) ‖ σ(s/T)) with T = 3, α = 0.9. Our trainer's Eq. 7
 * is (1 − a)·CE + a·T²·KL; with a = α/(1 + α) = 9/19 it is the authors' loss divided by 1 + α = 1.9, a constant
 * factor that Adam's steps do not see (up to ε). So `alpha` = 9/19 here, and rows report it.
 *
 * @packageDocumentation
 */
import type { Experiment } from "../entry";
import { HASAN_UNITS } from "./run";
export * from "./config";
export * from "./claims";
export * from "./data";
export * from "./run";

/** The registry entry of this experiment (`registry.ts`): its notebook and default seeds. */
export const EXPERIMENT: Experiment = {
  id: "hasan",
  title: "Hasan & Mahdy: CNN teachers distilled into 4- and 8-qubit hybrid students (main table, Fig. 12 ablations)",
  notebook: "notebooks/hasan-kd.ipynb",
  defaultSeeds: 5,
  units: HASAN_UNITS,
};
