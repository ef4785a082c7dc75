// Solutions to the exercises of notebooks/course/05-a-first-distillation.ipynb (checked by
// test/notebooks/course-solutions.test.ts against independent computations; not shown in the notebook).
import { argmax, computeTeacherLogits, softmax } from "qnn-kd";
import type { QNNClassifier, QuantumInput } from "qnn-kd";
import {
  course, expectationTeacher, hardwareEfficientSpec, iterationFit, trainModel, trainStudentPair, zxzSplits,
} from "qnn-kd/experiments";
import type { ModelSpec, SplitPair, Trained } from "qnn-kd/experiments";
import { zxzDataset } from "qnn-kd/datasets";

/** The notebook's set-up: data, teacher, its logits and the student spec (as in its cells). */
export function setup(overrides: Partial<course.FirstKdConfig> = {}) {
  const cfg = course.firstKdConfig(overrides);
  const data = zxzDataset({ nQubits: cfg.nQubits, nTrain: cfg.nTrain, nTest: cfg.nTest, seed: cfg.seed });
  const split = zxzSplits(data);
  const teacherSpec = hardwareEfficientSpec({
    id: "teacher", label: "teacher", role: "teacher", nQubits: cfg.nQubits, nLayers: cfg.teacherLayers, readout: cfg.readout,
    logitScale: cfg.teacherLogitScale, fit: iterationFit(cfg, cfg.teacherIterations, { lr: cfg.teacherLr, stepSize: cfg.teacherStepSize }),
  });
  const teacher = trainModel(teacherSpec, split, cfg.seed);
  const teacherLogits = computeTeacherLogits(expectationTeacher(teacher.model), split.train.inputs);
  const studentSpec = hardwareEfficientSpec({
    id: "student", label: "student", role: "student", nQubits: cfg.nQubits, nLayers: cfg.studentLayers, readout: cfg.readout,
    fit: iterationFit(cfg, cfg.studentIterations),
  });
  return { cfg, split, teacher, teacherLogits, studentSpec };
}

type Setup = ReturnType<typeof setup>;

/**
 * Exercise 1. The teacher's prediction on a training state is the arg max of its logits (the same for the scaled and
 * the unscaled ⟨Z⟩); its top soft target at T is max_k σ(z_t/T)_k.
 */
export function exercise1(s: Setup, T = 2): { agreement: number; meanTopSoftTarget: number } {
  const labels = s.split.train.labels;
  let agree = 0, top = 0;
  s.teacherLogits.forEach((z, i) => {
    if (argmax(z) === labels[i]) agree++;
    top += Math.max(...softmax(z, T));
  });
  return { agreement: agree / labels.length, meanTopSoftTarget: top / labels.length };
}

/**
 * Exercise 2. With α = 0 the loss is (1 − 0)·CE + 0·T²·KL: its value and gradient are exactly the cross-entropy's, so
 * from the same initialisation and batches the KD run repeats the no-KD run number for number.
 */
export function exercise2(s: Setup, seed = 0): { noKd: Trained<QNNClassifier>; alpha0: Trained<QNNClassifier> } {
  const pair = trainStudentPair(s.studentSpec, s.split, seed, { T: s.cfg.T, alpha: 0, scaleT2: true, teacherLogits: s.teacherLogits });
  return { noKd: pair.noKd, alpha0: pair.kd };
}

/**
 * Exercise 3. With α = 1 the student sees only the teacher's soft targets; it can still learn the phases because the
 * teacher's outputs are (nearly always) on the right side of ½: the soft targets carry the labels and more.
 * @returns the mean final test accuracy over the seeds at α = 1 and at α = 0.5, and the per-seed values.
 */
export function exercise3(s: Setup, seeds: number[] = [0, 1, 2, 3, 4, 5, 6, 7]): { alpha1: number[]; alpha05: number[]; mean1: number; mean05: number } {
  const run = (alpha: number) => seeds.map((seed) =>
    trainModel(s.studentSpec as ModelSpec<QuantumInput, QNNClassifier>, s.split as SplitPair<QuantumInput>, seed,
      { T: s.cfg.T, alpha, scaleT2: true, teacherLogits: s.teacherLogits }).result.finalTestAccuracy!);
  const alpha1 = run(1), alpha05 = run(0.5);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  return { alpha1, alpha05, mean1: mean(alpha1), mean05: mean(alpha05) };
}
