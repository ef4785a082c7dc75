/**
 * Model specs of the QNN experiments: hardware-efficient QNN classifiers (Yan et al. Fig. 2) as
 * {@link ModelSpec}s of the distillation protocol.
 *
 * @packageDocumentation
 */
import { QNNClassifier, QuantumInput } from "../qnn/classifier";
import type { ZxzDataset } from "../datasets/zxz";
import type { NoiseOptions } from "../qnn/noiseExecution";
import type { FitSettings, ModelSpec, SplitPair } from "./protocol";

/** Options of {@link hardwareEfficientSpec}. */
export interface HardwareEfficientSpecOptions {
  /** Stream and file id (see `protocol.ts`). */
  id: string;
  /** Label of its result rows. */
  label: string;
  role: "teacher" | "student";
  nQubits: number;
  nLayers: number;
  /** Readout qubits, one per class (logits = logitScale·⟨Z_q⟩). */
  readout: number[];
  /** Logit scale s (> 0). @defaultValue 1 */
  logitScale?: number;
  fit: FitSettings;
  /** Stream id when it differs from `id`. */
  stream?: string;
  /** Evaluate the test accuracy before training. @defaultValue false */
  initialTestAccuracy?: boolean;
  /**
   * Train and evaluate on a noisy device model (`qnn/noiseExecution.ts`); the shots and trajectories draw from the
   * stream `<init>/noise`. @defaultValue none (exact statevector)
   */
  noise?: Omit<NoiseOptions, "seed"> | null;
}

/**
 * A hardware-efficient QNN classifier as a model spec: RX, RY, RZ on every qubit and a CNOT chain per layer,
 * parameters drawn from U[0, 2π) with the spec's initialisation stream; noisy when `noise` is given.
 */
export function hardwareEfficientSpec(o: HardwareEfficientSpecOptions): ModelSpec<QuantumInput, QNNClassifier> {
  const { nQubits, nLayers, readout } = o;
  const logitScale = o.logitScale ?? 1;
  return {
    id: o.id, label: o.label, role: o.role, nQubits, nLayers, fit: o.fit,
    ...(o.stream !== undefined ? { stream: o.stream } : {}),
    ...(o.initialTestAccuracy !== undefined ? { initialTestAccuracy: o.initialTestAccuracy } : {}),
    build: (init, name) => QNNClassifier.hardwareEfficient({
      nQubits, nLayers, readout: readout.slice(), seed: init, name, logitScale, noise: o.noise ? { ...o.noise, seed: `${init}/noise` } : null,
    }),
  };
}

/** The ground states of a ZXZ dataset as classifier inputs (train and test), labels as they are. */
export function zxzSplits(data: ZxzDataset): SplitPair<QuantumInput> {
  return {
    train: { inputs: data.train.states as QuantumInput[], labels: data.train.labels },
    test: { inputs: data.test.states as QuantumInput[], labels: data.test.labels },
  };
}
