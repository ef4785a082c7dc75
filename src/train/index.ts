/** Training: Adam (+ weight decay), StepLR, batching, metrics, checkpoints, the fit loop and history rows. */
export { Adam, ADAM_DEFAULTS, resolveAdamOptions } from "./adam";
export type { AdamOptions, AdamState } from "./adam";
export { StepLR } from "./scheduler";
export type { StepLROptions } from "./scheduler";
export { iterationBatch, epochPermutation, batchesPerEpoch } from "./batching";
export { argmax, predict, accuracy } from "./metrics";
export { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, hashNumbers, readCheckpoint, writeCheckpoint } from "./checkpoint";
export type { TrainCheckpoint } from "./checkpoint";
export { trainClassifier, TRAIN_DEFAULT_OPTIONS } from "./fit";
export type { TrainOptions, TrainResult, HistoryRow, LabelledData, CheckpointOptions, IterationInfo } from "./fit";
export type { Classifier, LossOutput, SampleLoss } from "./types";
