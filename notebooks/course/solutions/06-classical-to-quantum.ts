// Solutions to the exercises of notebooks/course/06-classical-to-quantum.ipynb (checked by
// test/notebooks/course-solutions.test.ts against independent computations; not shown in the notebook).
import { computeTeacherLogits, macroF1, softmax } from "qnn-kd";
import { course, piperno as P, trainModel, trainStudentPair } from "qnn-kd/experiments";

type PipernoConfig = P.PipernoConfig;

/**
 * Exercise 1. Angles: 3 rotations per qubit per layer, 3nL; the dense head maps r readouts to K logits: r·K weights
 * plus K biases. Total 3nL + rK + K (57 for n = 6, L = 2, r = 6, K = 3).
 */
export function exercise1(n: number, L: number, r: number, K: number): number {
  return 3 * n * L + r * K + K;
}

/** The notebook's set-up: config, data, specs and the trained teacher. */
export function setup(overrides: Partial<PipernoConfig> = {}) {
  const cfg = course.hybridCourseConfig(overrides);
  const data = P.pipernoData(cfg, cfg.seed);
  const specs = P.pipernoSpecs(cfg, data);
  const teacher = trainModel(specs.teacher, { train: data.train, test: data.test }, cfg.seed);
  return { cfg, data, specs, teacher };
}

type Setup = ReturnType<typeof setup>;

/** Exercise 2. σ(z/4) of the teacher's logits z for the first test sample: exp(z_k/4) / Σ_j exp(z_j/4). */
export function exercise2(s: Setup, T = 4): { logits: Float64Array; softTargets: Float64Array } {
  const logits = computeTeacherLogits(s.teacher.model, [s.data.test.inputs[0]])[0];
  return { logits, softTargets: softmax(logits, T) };
}

/**
 * Exercise 3. The universal ansatz has (3n − 1)·L angles (34 for n = 6, L = 2) plus the same 21 head parameters:
 * 55. Its F1 with and without KD, from the same protocol.
 */
export function exercise3(s: Setup, overrides: Partial<PipernoConfig> = {}): { nParams: number; f1NoKd: number; f1Kd: number } {
  const cfg = course.hybridCourseConfig({ ...overrides, architectures: ["universal"] });
  const spec = P.pipernoSpecs(cfg, s.data).students[0];
  const logits = computeTeacherLogits(s.teacher.model, s.data.train.inputs);
  const pair = trainStudentPair(spec, { train: s.data.train, test: s.data.test }, cfg.seed, { T: cfg.T, alpha: cfg.alpha, scaleT2: cfg.scaleT2, teacherLogits: logits });
  return { nParams: pair.noKd.model.nParams, f1NoKd: macroF1(pair.noKd.model, s.data.test, 3), f1Kd: macroF1(pair.kd.model, s.data.test, 3) };
}
