/**
 * `qnn-kd/training` — distillation and training details beyond the main entry: Hinton's high-temperature limit
 * (`logitMatchingGradient`), the option defaults, and the types of the loss and trainer callbacks.
 *
 * @packageDocumentation
 */
export { logitMatchingGradient, ALPHA_ON } from "../kd/losses";
export type { Vector, LossAndGradient, DistillationOutput } from "../kd/losses";
export type { TeacherLogitsOptions } from "../kd/teacher";
export { TRAIN_DEFAULT_OPTIONS, EARLY_STOPPING_METRICS } from "./fit";
export type { CheckpointOptions, IterationInfo, EarlyStoppingOptions } from "./fit";
export { ADAM_DEFAULTS } from "../optim/adam";
