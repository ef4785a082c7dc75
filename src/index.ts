/**
 * qnn-kd — knowledge distillation for quantum neural networks. The main entry holds what a user of the field needs
 * first (its list is pinned by `test/api.test.ts`): states, circuits and their gradients, the back-end switch, the
 * standard noise model, encoders, the hardware-efficient ansatz, the QNN models (layer, classifier, autoencoder),
 * the distillation losses, the trainer, its metrics and optimisers. The rest is behind the tier entry points, each
 * its own module:
 *
 * - `qnn-kd/sim` — the simulator in full: gate matrices, serialisation, measurement sampling, channels, density
 *   matrices and trajectories, every gradient route and cotangent, ground states, light cones, programs;
 * - `qnn-kd/qnn` — the other ansätze (shared rotations, two-qubit blocks, Piperno's universal ansatz), the
 *   autoencoder's helpers, serialised forms and per-layer gradient types;
 * - `qnn-kd/training` — the distillation and training details: Hinton's limit, option defaults, callbacks' types;
 * - `qnn-kd/datasets` — ZXZ ground states, MNIST, PCA and binarisation, the extended XOR data;
 * - `qnn-kd/experiments` — the distillation protocol and one module per paper table or figure;
 * - `qnn-kd/hybrid` — the TensorFlow.js side (quantum layer for tfjs models, classical networks);
 * - `qnn-kd/notebook` — figures, tables, progress bars and circuit drawings for notebooks.
 *
 * Layers depend downward only (checked by `npm run depcheck`):
 * experiments → train → kd → hybrid → qnn → parallel → sim → linalg, with core/ (the model contract) and util/ as
 * leaves; datasets depend on sim only; notebook on anything, and nothing on notebook.
 *
 * @packageDocumentation
 */
export { VERSION } from "./version";
export { Rng, toRng } from "./util/rng";
export { Statevector, expectationZ } from "./sim/state/statevector";
export { ProductState } from "./sim/state/product";
export { PauliString, PauliSum } from "./sim/state/pauli";
export { Circuit, param } from "./sim/program/circuit";
export type { ParamRef, Angle } from "./sim/program/circuit";
export { adjointGradient } from "./sim/grad/adjoint";
export { parameterShiftJacobian } from "./sim/grad/parameterShift";
export { expectationGradient } from "./sim/grad/expectation";
export { depolarizing } from "./sim/noise/channels";
export { NoiseModel } from "./sim/noise/model";
export { setBackend } from "./sim/backends/engine";
export { productState, phaseEncode, angleEncode, amplitudeEncode } from "./qnn/encoders";
export { FeatureEncoder } from "./qnn/featureEncoders";
export type { FeatureEncoding, FeatureEncoderOptions } from "./qnn/featureEncoders";
export { hardwareEfficientAnsatz, hardwareEfficientParamCount } from "./qnn/ansatz";
export type { HardwareEfficientOptions, Entangler } from "./qnn/ansatz";
export { QuantumLayer, initParams } from "./qnn/layer";
export type { QuantumLayerOptions } from "./qnn/layer";
export type { QuantumInput } from "./qnn/execution/types";
export { QNNClassifier } from "./qnn/classifier";
export type { NoiseOptions } from "./qnn/execution/noisy";
export type { QNNClassifierOptions } from "./qnn/classifier";
export { QuantumAutoencoder } from "./qnn/autoencoder";
export type { QuantumAutoencoderOptions } from "./qnn/autoencoder";
export {
  softmax,
  logSoftmax,
  crossEntropy,
  klDivergence,
  distillationLoss,
  selfDistillationLoss,
  DISTILLATION_DEFAULTS,
} from "./kd/losses";
export type { DistillationOptions } from "./kd/losses";
export { computeTeacherLogits } from "./kd/teacher";
export type { Teacher } from "./kd/teacher";
export type { Classifier, LossOutput, SampleLoss } from "./core/model";
export { argmax } from "./core/model";
export { trainClassifier } from "./train/fit";
export type { TrainOptions, TrainResult, HistoryRow, LabelledData } from "./train/fit";
export { predict, accuracy, macroF1 } from "./train/metrics";
export { Adam } from "./optim/adam";
export type { AdamOptions } from "./optim/adam";
export { StepLR } from "./optim/scheduler";
export type { StepLROptions } from "./optim/scheduler";
