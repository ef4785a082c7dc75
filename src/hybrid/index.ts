/**
 * `qnn-kd/hybrid`: the TensorFlow.js side — the quantum layer for tfjs models (`QuantumTfLayer`, trained with
 * `model.fit`, saved and loaded with the model), classical networks with seeded initialisers (MLP, LeNet-5,
 * AlexNet-style), the wasm kernels tfjs lacks, the backend switch, saving to folders in plain Node, and
 * `TfClassifier`, which makes a tfjs model a `Classifier` for the project's trainer and distillation protocol.
 * The only part of qnn-kd that imports tfjs. Call `await useTfBackend()` once before building networks: tfjs's
 * wasm backend starts asynchronously.
 *
 * @packageDocumentation
 */
export { useTfBackend, activeTfBackend } from "./backend";
export type { TfBackend } from "./backend";
export { registerWasmKernels, conv2DBackpropFilterWasm } from "./kernels";
export { mlp, lenet5, alexNetStyle, tfSeed, ALEXNET_SMALL, ALEXNET_FULL, BatchSeededDropout } from "./networks";
export type { Activation, MlpOptions, CnnOptions, AlexNetWidths, BatchSeededDropoutArgs } from "./networks";
export { TfClassifier } from "./classifier";
export type { TfClassifierOptions } from "./classifier";
export { QuantumTfLayer, quantumLayer, READOUT_KINDS } from "./quantumLayer";
export type { QuantumTfLayerArgs, ReadoutKind } from "./quantumLayer";
export { saveTfModel, loadTfModel, hasTfModel } from "./io";
export { imageStudent, reductionLayers, reducedFeatures, reducedFeatureCount, IMAGE_REDUCTIONS } from "./imageStudent";
export type { ImageReduction, ImageStudentOptions, PcaProjection } from "./imageStudent";
