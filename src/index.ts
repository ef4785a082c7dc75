/**
 * qnn-kd — knowledge distillation for quantum neural networks. The main entry: circuits and the simulator,
 * gradients, ansätze, encoders, QNN models (layer, classifier, autoencoder), distillation losses, the trainer and
 * optimisers. The other tiers are subpaths, each its own module:
 *
 * - `qnn-kd/datasets` — ZXZ ground states, MNIST, PCA and binarisation, the extended XOR data;
 * - `qnn-kd/experiments` — the distillation protocol and one module per paper table or figure;
 * - `qnn-kd/hybrid` — the TensorFlow.js side (quantum layer for tfjs models, classical networks);
 * - `qnn-kd/notebook` — figures, tables, progress bars and circuit drawings for notebooks.
 *
 * Layers depend downward only (checked by `npm run depcheck`):
 * experiments → train → kd → hybrid → qnn → parallel → sim, with core/ (the model contract) and util/ as leaves;
 * datasets depend on sim only; notebook on anything, and nothing on notebook.
 *
 * @packageDocumentation
 */
export { VERSION } from "./version";
export { Rng, toRng } from "./util/rng";

// ---- the simulator ----
export { Statevector, expectationZ, MAX_QUBITS } from "./sim/state/statevector";
export { ProductState } from "./sim/state/product";
export { PauliString, PauliSum } from "./sim/state/pauli";
export type { PauliLetter } from "./sim/state/pauli";
export {
  H_MAT,
  X_MAT,
  Y_MAT,
  Z_MAT,
  S_MAT,
  T_MAT,
  I_MAT,
  rotationMatrix,
  rotationDerivative,
  u3Matrix,
} from "./sim/program/gates";
export type { Mat2, Axis } from "./sim/program/gates";
export { Circuit, param, runInverse } from "./sim/program/circuit";
export type { ParamRef, Angle } from "./sim/program/circuit";
export { circuitToJSON, circuitFromJSON } from "./sim/program/serialize";
export type { CircuitJSON } from "./sim/program/serialize";
export { adjointGradient } from "./sim/grad/adjoint";
export { parameterShiftJacobian, shiftRuleJacobian } from "./sim/grad/parameterShift";
export { finiteDifferenceGradient } from "./sim/grad/finiteDifference";
export { weightedZCotangent, probabilitiesCotangent, probsOutputIndex } from "./sim/grad/cotangents";
export {
  expectationGradient,
  timeExpectationGradient,
  gradientVariance,
  GRADIENT_METHODS,
} from "./sim/grad/expectation";
export type { Cotangent } from "./sim/grad/adjoint";
export type { GradientMethod, GradientVarianceOptions } from "./sim/grad/expectation";
export {
  sampleMeasurements,
  measurementCounts,
  sampledExpectationZ,
  bitstring,
  sampleOutcomes,
  marginalProbabilities,
  shotExpectationZ,
} from "./sim/state/measure";
export {
  depolarizing,
  bitFlip,
  phaseFlip,
  amplitudeDamping,
  phaseDamping,
  krausChannel,
  tensorChannel,
  tracePreservationError,
  channelLabel,
  readoutError,
  readoutZ,
} from "./sim/noise/channels";
export type { Channel, ReadoutError } from "./sim/noise/channels";
export { NoiseModel, ONE_QUBIT_GATES, TWO_QUBIT_GATES, gateSignature } from "./sim/noise/model";
export type { NoiseRow } from "./sim/noise/model";
export {
  runDensity,
  runDensityAtAngles,
  trajectoryExpectationZAtAngles,
  densityAdjoint,
  densityExpectationZ,
  densityProbabilities,
  densityOf,
  superoperator,
  runTrajectory,
  trajectoryExpectationZ,
  MAX_DENSITY_QUBITS,
  CHECKPOINT_GROWTH,
} from "./sim/noise/run";
export type { DensityInput, DensityAdjointResult, TrajectoryEstimate } from "./sim/noise/run";
export { DensityMatrix, partialTrace, stateFidelity, pureStateFidelity, fidelity } from "./sim/state/density";
export type { Ensemble } from "./sim/state/density";
export { eigHermitian } from "./linalg/eigen";
export { lanczosGroundState } from "./linalg/lanczos";
export { groundState, xParitySector, sectorGroundState } from "./sim/state/groundState";
export type { XParitySector, SectorGroundStateOptions } from "./sim/state/groundState";
export { lightCone } from "./sim/program/lightcone";
export type { LightCone } from "./sim/program/lightcone";
export { setBackend, activeBackend, applyProgram } from "./sim/backends/engine";
export type { Backend } from "./sim/backends/engine";

// ---- QNN models ----
export {
  productState,
  phaseEncode,
  phaseEncodeProduct,
  angleEncode,
  amplitudeEncode,
  stateInput,
} from "./qnn/encoders";
export { FeatureEncoder, FEATURE_ENCODINGS, maxFeatureCount } from "./qnn/featureEncoders";
export type { FeatureEncoding, FeatureEncoderOptions } from "./qnn/featureEncoders";
export {
  hardwareEfficientAnsatz,
  hardwareEfficientParamCount,
  ENTANGLERS,
  sharedRotationAnsatz,
  sharedRotationParamCount,
  twoQubitBlockAnsatz,
  twoQubitBlockParamCount,
  brickWallPairs,
  TWO_QUBIT_BLOCK_PARAMS,
} from "./qnn/ansatz";
export type { HardwareEfficientOptions, Entangler, RotationName, SharedRotationOptions } from "./qnn/ansatz";
export {
  universalAnsatz,
  universalPairs,
  universalParamCount,
  universalReadout,
  universalSchedule,
} from "./qnn/universal";
export type { UniversalOptions } from "./qnn/universal";
export { QuantumLayer, initParams } from "./qnn/layer";
export type { QuantumLayerOptions, QuantumLayerJSON, LayerBackwardOptions, LayerBackwardResult } from "./qnn/layer";
export type { QuantumInput, InputGradient, OutputLoss } from "./qnn/execution";
export { QNNClassifier } from "./qnn/classifier";
export type { NoiseOptions, ResolvedNoise } from "./qnn/noiseExecution";
export type { QNNClassifierOptions, QNNClassifierJSON } from "./qnn/classifier";
export { QuantumAutoencoder, encoderFidelityBounds, principalSubspace, QAE_ANSATZE } from "./qnn/autoencoder";
export type {
  QuantumAutoencoderOptions,
  QAETrainOptions,
  QAEHistoryRow,
  QAEAnsatz,
  EncoderFidelityBounds,
  QAESubspaceOptions,
} from "./qnn/autoencoder";

// ---- distillation, training, optimisers ----
export {
  softmax,
  logSoftmax,
  crossEntropy,
  klDivergence,
  distillationLoss,
  selfDistillationLoss,
  logitMatchingGradient,
  DISTILLATION_DEFAULTS,
  ALPHA_ON,
} from "./kd/losses";
export type { Vector, LossAndGradient, DistillationOptions, DistillationOutput } from "./kd/losses";
export { computeTeacherLogits } from "./kd/teacher";
export type { Teacher, TeacherLogitsOptions } from "./kd/teacher";
export type { Classifier, LossOutput, SampleLoss } from "./core/model";
export { argmax } from "./core/model";
export { trainClassifier, TRAIN_DEFAULT_OPTIONS, EARLY_STOPPING_METRICS } from "./train/fit";
export type {
  TrainOptions,
  TrainResult,
  HistoryRow,
  LabelledData,
  CheckpointOptions,
  IterationInfo,
  EarlyStoppingOptions,
} from "./train/fit";
export { predict, accuracy, macroF1 } from "./train/metrics";
export { Adam, ADAM_DEFAULTS } from "./optim/adam";
export type { AdamOptions } from "./optim/adam";
export { StepLR } from "./optim/scheduler";
export type { StepLROptions } from "./optim/scheduler";
