/**
 * Piperno et al., *Quantum Enhanced Knowledge Distillation*, Fig. 1: a classical MLP teacher (64→16→8→3) distilled
 * into a classical student (64→3) and into hybrid quantum students (amplitude embedding of the 64 bits on 6 qubits,
 * 5 layers of an ansatz, ⟨Z⟩ of the measured qubits → a dense head → 3 logits) on the extended XOR problem; each
 * student trained without and with KD from the same initialisation and batches, over 12 seeds; the figure shows the
 * mean test F1 with the variance on top and the parameter count at the base.
 *
 * Every value is an option of {@link PipernoConfig}, set once in {@link PIPERNO_DEFAULTS} (docs/PARAMS.md, "Classical
 * teacher → quantum student" and "Piperno et al.: readings of the open choices": stated, inferred or chosen per
 * value) and overridden for quick runs by {@link PIPERNO_QUICK}. The notebook `notebooks/piperno-fig1.ipynb` calls the
 * steps; {@link runPiperno} runs one seed. Each alternative reading of an open choice is a {@link PIPERNO_READINGS}
 * entry (one factor from the defaults; rows carry `variant`); the harder-data study of our own (hypotheses, not the
 * paper's claims) runs the same protocol on {@link PIPERNO_HARDER_DATA}.
 *
 * **Loss** (reading "KL weighting"). As written, L = (1/B)·Σ_b CE_b + Σ_b KL_b on a batch of B samples (the KL
 * summed, `klReduction: "sum"`, the default) = (1 + B)·[(1 − α)·CE + α·KL] (batch means) with α = B/(1 + B): Eq. 7 at
 * T = 1 with α = B/(1 + B) (32/33 at batch 32), times a constant that Adam's steps do not see (up to ε). Exact for
 * full batches (800 training samples = 25 batches of 32); a smaller last batch B' would need B'/(1 + B'). The old
 * reading, both terms batch means (`klReduction: "mean"`, L = CE + KL), is α = ½. α is derived from `klReduction` and
 * `batchSize` ({@link klAlpha}), never set on its own.
 *
 * **Models** are tfjs networks (`hybrid/`), trained by the project's trainer through {@link TfClassifier}: Adam
 * lr 0.1 (stated; the teacher 0.01, see {@link PipernoConfig.teacherLr}), no weight decay and no lr decay (PyTorch's
 * defaults; chosen), batch 32 (not stated; chosen), up to 300 epochs with early stopping after 50 epochs without a
 * gain (stated) in the validation loss (the model's cross-entropy on the validation split; reading, Keras's
 * `val_loss`), the last epoch's weights kept (reading; Keras's `restore_best_weights=False`). The hybrid students read
 * ⟨Z⟩ of their readout qubits into a dense head (`readoutKind: "expectation"`); the `q2-74` reading reads q_2's 4
 * basis-state probabilities from a ring-entangled circuit instead (59 + 15 = 74 parameters, the paper's count).
 *
 * @packageDocumentation
 */
import type { Experiment } from "../entry";
import { PIPERNO_UNITS } from "./run";
export * from "./config";
export * from "./claims";
export * from "./data";
export * from "./run";

/** The registry entry of this experiment (`registry.ts`): its notebook and default seeds. */
export const EXPERIMENT: Experiment = {
  id: "piperno",
  title: "Piperno et al. Fig. 1: a classical MLP teacher distilled into classical and hybrid quantum students",
  notebook: "notebooks/piperno-fig1.ipynb",
  defaultSeeds: 12,
  units: PIPERNO_UNITS,
};
