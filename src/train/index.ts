/** Training: batching, metrics, checkpoints, the fit loop and history rows (optimisers in optim/, the model contract in core/). */
export { Adam, ADAM_DEFAULTS, resolveAdamOptions } from "../optim/adam";
export type { AdamOptions, AdamState } from "../optim/adam";
export { StepLR } from "../optim/scheduler";
export type { StepLROptions } from "../optim/scheduler";
export { iterationBatch, epochPermutation, batchesPerEpoch } from "./batching";
export { predict, accuracy } from "./metrics";
export { argmax } from "../core/model";
export { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, hashNumbers, readCheckpoint, writeCheckpoint } from "./checkpoint";
export type { TrainCheckpoint } from "./checkpoint";
export { trainClassifier, TRAIN_DEFAULT_OPTIONS } from "./fit";
export type { TrainOptions, TrainResult, HistoryRow, LabelledData, CheckpointOptions, IterationInfo } from "./fit";
export type { Classifier, LossOutput, SampleLoss } from "../core/model";
