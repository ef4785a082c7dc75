// The exercise solutions of the course (notebooks/course/solutions/*.ts), each run and checked against an independent
// computation: a hand derivation, a different route through the library, or a closed form. A wrong solution fails.
import { describe, expect, it } from "vitest";
import * as os from "os";
import * as fs from "fs";
import * as path from "path";
import { Statevector, angleEncode, argmax, hardwareEfficientAnsatz, distillationLoss } from "qnn-kd";
import { lightCone } from "qnn-kd/sim";
import { universalAnsatz, universalParamCount } from "qnn-kd/qnn";
import { useTfBackend } from "qnn-kd/hybrid";
import { trainModel } from "qnn-kd/experiments";
import * as s1 from "../../notebooks/course/solutions/01-qubits-and-measurement";
import * as s2 from "../../notebooks/course/solutions/02-encoders-and-ansatze";
import * as s3 from "../../notebooks/course/solutions/03-gradients";
import * as s4 from "../../notebooks/course/solutions/04-the-distillation-loss";
import * as s5 from "../../notebooks/course/solutions/05-a-first-distillation";
import * as s6 from "../../notebooks/course/solutions/06-classical-to-quantum";

/** Plain softmax written out here (not the library's), as the outside reference. */
const softmaxRef = (z: ArrayLike<number>, T = 1): number[] => {
  const e = Array.from(z, (v) => Math.exp(v / T));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

describe("course solutions, notebook 1", () => {
  it("exercise 1: |110⟩ is index 2 + 4 = 6", () => {
    const { state, index } = s1.exercise1();
    expect(index).toBe(2 ** 1 + 2 ** 2);
    expect(state.re[6]).toBeCloseTo(1, 14);
    expect(state.norm2()).toBeCloseTo(1, 14);
  });
  it("exercise 2: GHZ has ⟨XXX⟩ = 1 and ⟨ZZZ⟩ = 0 (by hand from its two amplitudes)", () => {
    const { state, xxx, zzz } = s1.exercise2();
    // the state is (|000⟩ + |111⟩)/√2
    expect(state.re[0]).toBeCloseTo(Math.SQRT1_2, 14);
    expect(state.re[7]).toBeCloseTo(Math.SQRT1_2, 14);
    // XXX maps index i to 7 − i: ⟨XXX⟩ = Σ a_i a_{7−i}; ZZZ has sign (−1)^{popcount(i)}
    let x = 0, z = 0;
    for (let i = 0; i < 8; i++) {
      x += state.re[i] * state.re[7 - i] + state.im[i] * state.im[7 - i];
      z += (-1) ** (i.toString(2).split("1").length - 1) * (state.re[i] ** 2 + state.im[i] ** 2);
    }
    expect(xxx).toBeCloseTo(x, 12);
    expect(zzz).toBeCloseTo(z, 12);
    expect(xxx).toBeCloseTo(1, 12);
    expect(zzz).toBeCloseTo(0, 12);
  });
  it("exercise 3: the shot estimate of P(1) is within 4 standard errors of sin²(θ/2), and the shot count is p(1−p)/0.005²", () => {
    const r = s1.exercise3();
    const p = Math.sin(0.5) ** 2;
    expect(r.exact).toBeCloseTo(p, 14);
    expect(Math.abs(r.estimate - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / 2000));
    expect(r.shotsFor0005).toBe(Math.ceil((p * (1 - p)) / 2.5e-5));
    expect(s1.exercise3().estimate).toBe(r.estimate); // seeded
  });
});

describe("course solutions, notebook 2", () => {
  it("exercise 1: the hand-written angle-encoding amplitudes equal angleEncode's", () => {
    for (const [a, b] of [[0.3, 1.2], [2.5, -0.7], [0, Math.PI]]) {
      const got = s2.exercise1(a, b), ref = angleEncode([a, b]);
      got.forEach((v, i) => {
        expect(v).toBeCloseTo(ref.re[i], 14);
        expect(ref.im[i]).toBeCloseTo(0, 14);
      });
    }
  });
  it("exercise 2: the q_nd parameter formula equals universalParamCount and the built circuit's nParams", () => {
    for (const n of [2, 4, 6, 7]) for (const L of [1, 3, 5, 8]) for (let k = 1; k <= n; k++) {
      expect(s2.exercise2(n, L, k)).toBe(universalParamCount(n, L, k));
      expect(s2.exercise2(n, L, k)).toBe(universalAnsatz({ nQubits: n, nLayers: L, nKeep: k }).nParams);
    }
  });
  it("exercise 3: ⟨Z_3⟩ depends on 3 + L input qubits (hand derivation), inside lightCone's conservative 4 + L; all 8 at L = 5", () => {
    const r = s2.exercise3();
    r.coneSizes.forEach((size, i) => {
      const L = i + 1;
      expect(size).toBe(Math.min(8, 3 + L));
      const cone = lightCone(hardwareEfficientAnsatz({ nQubits: 8, nLayers: L }), [3]).qubits.length;
      expect(cone).toBe(Math.min(8, 4 + L));
      expect(size).toBeLessThanOrEqual(cone);
    });
    expect(r.layersForAll).toBe(5);
  });
});

describe("course solutions, notebook 3", () => {
  it("exercise 1: the hand-made parameter shift equals −sin θ", () => {
    expect(s3.exercise1(0.3)).toBeCloseTo(-Math.sin(0.3), 13);
  });
  it("exercise 2: any shift s with the 2 sin s denominator gives the exact derivative", () => {
    for (const g of s3.exercise2(0.3, [0.1, 1, 2.5])) expect(g).toBeCloseTo(-Math.sin(0.3), 11);
  });
  it("exercise 3: Var[−sin θ] over U[0, 2π) is ½ (numerical integral) and the estimate is within 0.05 of it", () => {
    const r = s3.exercise3();
    let integral = 0;
    const N = 100000;
    for (let i = 0; i < N; i++) integral += Math.sin(((i + 0.5) * 2 * Math.PI) / N) ** 2 / N;
    expect(r.exact).toBeCloseTo(integral, 10);
    expect(Math.abs(r.estimate - integral)).toBeLessThan(0.05);
  });
});

describe("course solutions, notebook 4", () => {
  it("exercise 1: softmax is shift invariant (the reference softmax, computed without the shift, agrees)", () => {
    expect(s4.exercise1()).toBeLessThan(1e-14);
    // and the library's softmax itself agrees with the plain formula on the unshifted logits
    const ref = softmaxRef([3, 1.5, 0.5, -1], 2);
    expect(Math.abs(ref.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-14);
  });
  it("exercise 2: at the bisected T the top soft target of (2, 1, 0) is 0.5 (plain formula)", () => {
    const T = s4.exercise2();
    expect(softmaxRef([2, 1, 0], T)[0]).toBeCloseTo(0.5, 6);
    expect(softmaxRef([2, 1, 0], T * 0.9)[0]).toBeGreaterThan(0.5);
    expect(softmaxRef([2, 1, 0], T * 1.1)[0]).toBeLessThan(0.5);
  });
  it("exercise 3: deviations from the logit-matching limit shrink about 10× per decade of T (plain-formula reference)", () => {
    const zs = [0.5, 0.2, 0.4, 0.1], zt = [3, 1.5, 0.5, -1];
    const r = s4.exercise3();
    [10, 100, 1000].forEach((T, i) => {
      // T²·∂KL/∂z_s = T(σ(z_s/T) − σ(z_t/T)); the limit (d − mean d)/K, both by hand
      const ps = softmaxRef(zs, T), pt = softmaxRef(zt, T);
      const d = zs.map((v, k) => v - zt[k]), md = d.reduce((a, b) => a + b, 0) / 4;
      const dev = Math.max(...ps.map((v, k) => Math.abs(T * (v - pt[k]) - (d[k] - md) / 4)));
      expect(r.deviations[i]).toBeCloseTo(dev, 9);
    });
    for (const q of r.ratios) {
      expect(q).toBeGreaterThan(8);
      expect(q).toBeLessThan(12);
    }
    // the library's KD gradient at alpha = 1 is the T²-scaled KL gradient
    const g = distillationLoss(zs, zt, 0, { T: 10, alpha: 1 }).dLogits;
    const ps = softmaxRef(zs, 10), pt = softmaxRef(zt, 10);
    g.forEach((v, k) => expect(v).toBeCloseTo(10 * (ps[k] - pt[k]), 12));
  });
});

describe("course solutions, notebook 5 (small ZXZ set)", () => {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-course-zxz-"));
  process.env.QNN_KD_CACHE_DIR = cacheDir;
  const small = { nTrain: 60, nTest: 60, teacherIterations: 30, studentIterations: 10, evalEvery: 5 };
  let setup: ReturnType<typeof s5.setup>;
  it("exercise 1: agreement and mean top soft target recomputed from the teacher's expectation values", () => {
    setup = s5.setup(small);
    const r = s5.exercise1(setup);
    const inputs = setup.split.train.inputs, labels = setup.split.train.labels;
    let agree = 0, top = 0;
    inputs.forEach((x, i) => {
      const z = setup.teacher.model.expectations(x); // the teacher's unscaled ⟨Z_5⟩, ⟨Z_6⟩
      if (argmax(z) === labels[i]) agree++;
      top += Math.max(...softmaxRef(z, 2));
    });
    expect(r.agreement).toBeCloseTo(agree / labels.length, 12);
    expect(r.meanTopSoftTarget).toBeCloseTo(top / labels.length, 12);
    expect(r.meanTopSoftTarget).toBeGreaterThan(0.5);
    expect(r.meanTopSoftTarget).toBeLessThan(1);
  }, 120_000);
  it("exercise 2: α = 0 repeats the no-KD run exactly", () => {
    const r = s5.exercise2(setup);
    const a = r.noKd.result.history, b = r.alpha0.result.history;
    expect(b.length).toBe(a.length);
    a.forEach((row, i) => {
      expect(b[i].loss).toBe(row.loss);
      expect(b[i].testAccuracy ?? null).toBe(row.testAccuracy ?? null);
    });
    expect(Array.from(r.alpha0.model.params)).toEqual(Array.from(r.noKd.model.params));
  }, 60_000);
  it("exercise 3: the means are the means of the per-seed accuracies, each a fraction of the 60 test states", () => {
    const r = s5.exercise3(setup, [0, 1]);
    expect(r.alpha1).toHaveLength(2);
    const mean = (v: number[]) => v.reduce((x, y) => x + y, 0) / v.length;
    expect(r.mean1).toBeCloseTo(mean(r.alpha1), 14);
    expect(r.mean05).toBeCloseTo(mean(r.alpha05), 14);
    for (const a of [...r.alpha1, ...r.alpha05]) expect(Number.isInteger(Math.round(a * 60 * 1e6) / 1e6)).toBe(true);
    // the α = 1 run is the soft-targets-only loss: every batch loss is T²·KL (T = 2) with no cross-entropy part
    const run = trainModel(setup.studentSpec, setup.split, 0, { T: 2, alpha: 1, scaleT2: true, teacherLogits: setup.teacherLogits });
    for (const row of run.result.history) expect(row.loss).toBeCloseTo(4 * row.kl!, 12);
    expect(r.alpha1[0]).toBe(run.result.finalTestAccuracy);
  }, 60_000);
});

describe("course solutions, notebook 6 (small extended XOR set)", () => {
  let setup: ReturnType<typeof s6.setup>;
  it("exercise 1: the hybrid student's parameter count formula equals the built tfjs model's", async () => {
    await useTfBackend();
    setup = s6.setup({ n: 100, epochs: 3, patience: 3 });
    const hea = setup.specs.students.find((s) => s.id === "hea")!.build("0/x", "hea");
    expect(s6.exercise1(6, 2, 6, 3)).toBe(hea.nParams);
    expect(s6.exercise1(6, 2, 6, 3)).toBe(57);
  }, 60_000);
  it("exercise 2: the soft targets equal exp(z/4)/Σ exp(z/4) of the teacher's logits", () => {
    const r = s6.exercise2(setup);
    const z = setup.teacher.model.logits(setup.data.test.inputs[0]);
    Array.from(z).forEach((v, k) => expect(r.logits[k]).toBeCloseTo(v, 12));
    softmaxRef(z, 4).forEach((p, k) => expect(r.softTargets[k]).toBeCloseTo(p, 12));
  }, 60_000);
  it("exercise 3: the universal student has (3n − 1)L + rK + K parameters and F1 in [0, 1]", () => {
    const r = s6.exercise3(setup, { n: 100, epochs: 3, patience: 3 });
    expect(r.nParams).toBe((3 * 6 - 1) * 2 + 6 * 3 + 3);
    for (const f of [r.f1NoKd, r.f1Kd]) {
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThanOrEqual(1);
    }
  }, 60_000);
});

// Statevector is imported so that a type-only use of the solutions cannot hide a missing runtime export.
void Statevector;
