/** Knowledge distillation: softmax with temperature, cross-entropy, KL, Hinton KD loss, self-KD, teachers. */
export {
  softmax,
  logSoftmax,
  crossEntropy,
  klDivergence,
  distillationLoss,
  distillationLossResolved,
  resolveDistillationOptions,
  selfDistillationLoss,
  DISTILLATION_DEFAULTS,
} from "./losses";
export type { Vector, LossAndGradient, DistillationOptions, DistillationOutput } from "./losses";
export { computeTeacherLogits } from "./teacher";
export type { Teacher, TeacherLogitsOptions } from "./teacher";
