/**
 * `qnn-kd/qnn` — QNN models beyond the essentials of the main entry: the other ansätze (shared rotations, two-qubit
 * blocks, Piperno et al.'s universal ansatz), feature-encoding helpers, the autoencoder's bounds and subspaces, the
 * serialised forms and the per-layer gradient types.
 *
 * @packageDocumentation
 */
export { phaseEncodeProduct, stateInput } from "./encoders";
export { FEATURE_ENCODINGS, maxFeatureCount } from "./featureEncoders";
export {
  ENTANGLERS,
  sharedRotationAnsatz,
  sharedRotationParamCount,
  twoQubitBlockAnsatz,
  appendTwoQubitBlock,
  twoQubitBlockParamCount,
  brickWallPairs,
  TWO_QUBIT_BLOCK_PARAMS,
} from "./ansatz";
export type { RotationName, SharedRotationOptions } from "./ansatz";
export { universalAnsatz, universalPairs, universalParamCount, universalReadout, universalSchedule } from "./universal";
export type { UniversalOptions } from "./universal";
export {
  qcnnAnsatz,
  qcnnReadout,
  ttnAnsatz,
  ttnReadout,
  hierarchicalLayers,
  appendTfqTwoQubitUnitary,
  QCNN_CONVOLUTIONS,
  POOL_PARAMS,
  QCNN_POOLINGS,
} from "./hierarchical";
export type { QcnnOptions, QcnnPooling, QcnnConvolution, TtnOptions, HierarchicalLayer } from "./hierarchical";
export type { QuantumLayerJSON, LayerBackwardOptions, LayerBackwardResult } from "./layer";
export type { InputGradient } from "./execution/types";
export type { ResolvedNoise } from "./execution/noisy";
export type { QNNClassifierJSON } from "./classifier";
export { encoderFidelityBounds, principalSubspace, QAE_ANSATZE } from "./autoencoder";
export type {
  QAETrainOptions,
  QAEHistoryRow,
  QAEAnsatz,
  EncoderFidelityBounds,
  QAESubspaceOptions,
} from "./autoencoder";
