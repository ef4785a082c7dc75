/**
 * `qnn-kd/training` — distillation and training details beyond the main entry: Hinton's high-temperature limit
 * (`logitMatchingGradient`), the option defaults, the types of the loss and trainer callbacks, and the one
 * optimisation loop every trainer runs on (`optimise`, over any `Trainable`), for trainers of your own.
 *
 * @packageDocumentation
 */
export { logitMatchingGradient, ALPHA_ON } from "../kd/losses";
export type { Vector, LossAndGradient, DistillationOutput } from "../kd/losses";
export type { TeacherLogitsOptions } from "../kd/teacher";
export { TRAIN_DEFAULT_OPTIONS, EARLY_STOPPING_METRICS } from "./fit";
export type { IterationInfo, EarlyStoppingOptions } from "./fit";
export type { CheckpointOptions } from "../optim/checkpoint";
export { optimise } from "../optim/loop";
export type { OptimiseOptions, StepResult } from "../optim/loop";
export type { Trainable } from "../core/model";
export { ADAM_DEFAULTS } from "../optim/adam";
