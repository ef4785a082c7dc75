/**
 * Tests of src/kd/losses.ts. Reference values come from hand derivations (written out in comments) or from
 * naive textbook formulas written here in the test (no max subtraction, direct sums), and gradients from
 * central finite differences.
 */
import { describe, expect, it } from "vitest";
import {
  crossEntropy,
  distillationLoss,
  klDivergence,
  logSoftmax,
  selfDistillationLoss,
  softmax,
  DISTILLATION_DEFAULTS,
} from "../../src/kd/losses";
import { Rng } from "../../src/util/rng";

/** Naive reference softmax (no max subtraction): only for moderate logits. */
function naiveSoftmax(z: number[], T = 1): number[] {
  const e = z.map((x) => Math.exp(x / T));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

/** Central finite-difference gradient of f at z, step h. */
function fdGrad(f: (z: Float64Array) => number, z: Float64Array, h = 1e-5): Float64Array {
  const g = new Float64Array(z.length);
  for (let i = 0; i < z.length; i++) {
    const zp = Float64Array.from(z);
    const zm = Float64Array.from(z);
    zp[i] += h;
    zm[i] -= h;
    g[i] = (f(zp) - f(zm)) / (2 * h);
  }
  return g;
}

function randomLogits(rng: Rng, n: number, scale = 2): Float64Array {
  return Float64Array.from({ length: n }, () => rng.uniform(-scale, scale));
}

const LN3 = Math.log(3);

describe("softmax / logSoftmax", () => {
  it("matches hand values with temperature", () => {
    // z = [2 ln 3, 0], T = 2 → z/T = [ln 3, 0] → σ = [3/4, 1/4]; at T = 1: [9/10, 1/10]
    const z = [2 * LN3, 0];
    const p2 = softmax(z, 2);
    expect(p2[0]).toBeCloseTo(0.75, 15);
    expect(p2[1]).toBeCloseTo(0.25, 15);
    const p1 = softmax(z);
    expect(p1[0]).toBeCloseTo(0.9, 15);
    expect(p1[1]).toBeCloseTo(0.1, 15);
  });

  it("agrees with the naive formula and sums to 1", () => {
    const rng = new Rng("softmax");
    for (const T of [0.5, 1, 2, 4]) {
      const z = Array.from(randomLogits(rng, 7));
      const p = softmax(z, T);
      const ref = naiveSoftmax(z, T);
      let s = 0;
      for (let i = 0; i < z.length; i++) {
        expect(p[i]).toBeCloseTo(ref[i], 14);
        s += p[i];
      }
      expect(s).toBeCloseTo(1, 14);
      const lp = logSoftmax(z, T);
      for (let i = 0; i < z.length; i++) expect(lp[i]).toBeCloseTo(Math.log(ref[i]), 13);
    }
  });

  it("is stable for large logits", () => {
    // σ([1000, 999]) = [1/(1+e^-1), e^-1/(1+e^-1)]: the naive formula overflows to NaN
    const p = softmax([1000, 999]);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 15);
    expect(p[1]).toBeCloseTo(Math.exp(-1) / (1 + Math.exp(-1)), 15);
    // log σ([1000, 0]) = [−log(1 + e^-1000), −1000] = [0, −1000] in double precision
    const lp = logSoftmax([1000, 0]);
    expect(lp[0]).toBe(0);
    expect(lp[1]).toBe(-1000);
  });

  it("rejects bad inputs, quoting them", () => {
    expect(() => softmax([1, NaN])).toThrow(/logits\[1\].*NaN/);
    expect(() => softmax([1, Infinity])).toThrow(/Infinity/);
    expect(() => softmax([])).toThrow(/at least one/);
    expect(() => softmax([1, 2], 0)).toThrow(/T must be .*> 0, got 0/);
    expect(() => logSoftmax([1, 2], -1)).toThrow(/got -1/);
    expect(() => softmax([1, 2], NaN)).toThrow(/got NaN/);
  });
});

describe("crossEntropy (Yan et al. Eq. 4)", () => {
  it("matches hand values", () => {
    // z = [0, 0], y = 0: σ = [1/2, 1/2], CE = ln 2, ∂CE/∂z = σ − e_0 = [−1/2, 1/2]
    const r = crossEntropy([0, 0], 0);
    expect(r.loss).toBeCloseTo(Math.LN2, 15);
    expect(Array.from(r.dLogits)).toEqual([-0.5, 0.5]);
    // z = [2 ln 3, 0], y = 1: σ = [9/10, 1/10], CE = ln 10
    const r2 = crossEntropy([2 * LN3, 0], 1);
    expect(r2.loss).toBeCloseTo(Math.log(10), 14);
    expect(r2.dLogits[0]).toBeCloseTo(0.9, 15);
    expect(r2.dLogits[1]).toBeCloseTo(-0.9, 15);
  });

  it("gradient matches central finite differences", () => {
    const rng = new Rng("ce-fd");
    for (let trial = 0; trial < 5; trial++) {
      const z = randomLogits(rng, 5);
      const y = rng.int(5);
      const g = crossEntropy(z, y).dLogits;
      const fd = fdGrad((zz) => crossEntropy(zz, y).loss, z);
      for (let i = 0; i < 5; i++) expect(Math.abs(g[i] - fd[i])).toBeLessThan(1e-7);
    }
  });

  it("rejects bad labels and logits", () => {
    expect(() => crossEntropy([0, 0], 2)).toThrow(/label.*\[0, 1\], got 2/);
    expect(() => crossEntropy([0, 0], -1)).toThrow(/got -1/);
    expect(() => crossEntropy([0, 0], 0.5)).toThrow(/got 0.5/);
    expect(() => crossEntropy([0, NaN], 0)).toThrow(/NaN/);
  });
});

describe("klDivergence", () => {
  it("KL(p‖p) = 0", () => {
    const p = softmax([0.3, -1, 2, 0.7]);
    expect(klDivergence(p, p)).toBe(0);
  });

  it("matches hand values, with 0·log 0 = 0", () => {
    // KL([1/2, 1/2] ‖ [1/4, 3/4]) = ½ ln 2 + ½ ln(2/3)
    expect(klDivergence([0.5, 0.5], [0.25, 0.75])).toBeCloseTo(0.5 * Math.LN2 + 0.5 * Math.log(2 / 3), 15);
    // KL([1, 0] ‖ [1/2, 1/2]) = 1·ln 2 + 0 (the zero entry contributes nothing)
    expect(klDivergence([1, 0], [0.5, 0.5])).toBeCloseTo(Math.LN2, 15);
    // p_k > 0 where q_k = 0 → ∞
    expect(klDivergence([0.5, 0.5], [1, 0])).toBe(Infinity);
  });

  it("rejects bad inputs", () => {
    expect(() => klDivergence([0.5, 0.5], [1])).toThrow(/same length, got 2 and 1/);
    expect(() => klDivergence([-0.1, 1.1], [0.5, 0.5])).toThrow(/p\[0\] must be >= 0, got -0.1/);
    expect(() => klDivergence([0.5, NaN], [0.5, 0.5])).toThrow(/NaN/);
  });
});

describe("distillationLoss (Yan et al. Eq. 7, Hinton et al. 2015)", () => {
  it("matches a hand-computed 2-class case (T = 2, alpha = 0.5, T² scaling)", () => {
    // z_s = [2 ln 3, 0], z_t = [0, 2 ln 3], y = 0, T = 2, alpha = 0.5.
    // σ(z_s/T) = [3/4, 1/4], σ(z_t/T) = [1/4, 3/4], σ(z_s) = [9/10, 1/10].
    // KL(σ(z_t/T) ‖ σ(z_s/T)) = ¼ ln(1/3) + ¾ ln 3 = ½ ln 3.
    // CE = −ln(9/10) = ln(10/9).
    // L = 0.5 · 4 · ½ ln 3 + 0.5 · ln(10/9) = ln 3 + ½ ln(10/9).
    // ∂L/∂z_s = 0.5·4·([3/4, 1/4] − [1/4, 3/4])/2 + 0.5·([9/10, 1/10] − [1, 0])
    //         = [1/2, −1/2] + [−1/20, 1/20] = [0.45, −0.45].
    const r = distillationLoss([2 * LN3, 0], [0, 2 * LN3], 0, { T: 2, alpha: 0.5, scaleT2: true });
    expect(r.kl).toBeCloseTo(0.5 * LN3, 15);
    expect(r.ce).toBeCloseTo(Math.log(10 / 9), 15);
    expect(r.loss).toBeCloseTo(LN3 + 0.5 * Math.log(10 / 9), 14);
    expect(r.dLogits[0]).toBeCloseTo(0.45, 15);
    expect(r.dLogits[1]).toBeCloseTo(-0.45, 15);
    // The defaults are exactly these settings (PARAMS.md: T = 2, alpha = 0.5, T² on).
    expect(DISTILLATION_DEFAULTS).toEqual({ T: 2, alpha: 0.5, scaleT2: true, alphaOn: "kl" });
    expect(distillationLoss([2 * LN3, 0], [0, 2 * LN3], 0).loss).toBe(r.loss);
  });

  it("matches the naive formula on random 4-class cases", () => {
    const rng = new Rng("kd-naive");
    for (const [T, alpha, scaleT2] of [
      [0.5, 0.1, true],
      [1, 0.5, false],
      [4, 0.9, true],
    ] as const) {
      const zs = Array.from(randomLogits(rng, 4));
      const zt = Array.from(randomLogits(rng, 4));
      const y = rng.int(4);
      const ps = naiveSoftmax(zs, T);
      const pt = naiveSoftmax(zt, T);
      let kl = 0;
      for (let i = 0; i < 4; i++) kl += pt[i] * Math.log(pt[i] / ps[i]);
      const ce = -Math.log(naiveSoftmax(zs)[y]);
      const expected = alpha * (scaleT2 ? T * T : 1) * kl + (1 - alpha) * ce;
      const r = distillationLoss(zs, zt, y, { T, alpha, scaleT2 });
      expect(r.loss).toBeCloseTo(expected, 13);
      expect(r.kl).toBeCloseTo(klDivergence(pt, ps), 13);
    }
  });

  it("gradient matches central finite differences for several T, alpha, scaleT2", () => {
    const rng = new Rng("kd-fd");
    for (const T of [0.5, 1, 2, 4]) {
      for (const alpha of [0, 0.3, 1]) {
        for (const scaleT2 of [true, false]) {
          const zs = randomLogits(rng, 3);
          const zt = randomLogits(rng, 3);
          const y = rng.int(3);
          const opts = { T, alpha, scaleT2 };
          const g = distillationLoss(zs, zt, y, opts).dLogits;
          const fd = fdGrad((z) => distillationLoss(z, zt, y, opts).loss, zs);
          for (let i = 0; i < 3; i++) expect(Math.abs(g[i] - fd[i])).toBeLessThan(1e-7);
        }
      }
    }
  });

  it('alphaOn "ce" puts alpha on the cross-entropy: the hand-computed 2-class case, the naive formula, finite differences', () => {
    // The hand case above with alpha = 0.8 on the CE: L = 0.2 · 4 · ½ ln 3 + 0.8 · ln(10/9),
    // ∂L/∂z_s = 0.2·4·[1/4, −1/4] + 0.8·[−1/10, 1/10] = [0.2 − 0.08, −0.2 + 0.08] = [0.12, −0.12].
    const r = distillationLoss([2 * LN3, 0], [0, 2 * LN3], 0, { T: 2, alpha: 0.8, scaleT2: true, alphaOn: "ce" });
    expect(r.loss).toBeCloseTo(0.4 * LN3 + 0.8 * Math.log(10 / 9), 14);
    expect(r.dLogits[0]).toBeCloseTo(0.12, 14);
    expect(r.dLogits[1]).toBeCloseTo(-0.12, 14);
    const rng = new Rng("kd-alpha-on-ce");
    for (const [T, alpha, scaleT2] of [
      [0.5, 0.1, true],
      [2, 0.9, false],
      [4, 0.3, true],
    ] as const) {
      const zs = Array.from(randomLogits(rng, 4)),
        zt = Array.from(randomLogits(rng, 4)),
        y = rng.int(4);
      const ps = naiveSoftmax(zs, T),
        pt = naiveSoftmax(zt, T);
      let kl = 0;
      for (let i = 0; i < 4; i++) kl += pt[i] * Math.log(pt[i] / ps[i]);
      const ce = -Math.log(naiveSoftmax(zs)[y]);
      const opts = { T, alpha, scaleT2, alphaOn: "ce" as const };
      expect(distillationLoss(zs, zt, y, opts).loss).toBeCloseTo(
        (1 - alpha) * (scaleT2 ? T * T : 1) * kl + alpha * ce,
        13,
      );
      const g = distillationLoss(zs, zt, y, opts).dLogits;
      const fd = fdGrad((z) => distillationLoss(z, zt, y, opts).loss, Float64Array.from(zs));
      for (let i = 0; i < 4; i++) expect(Math.abs(g[i] - fd[i])).toBeLessThan(1e-7);
    }
    // at alpha = ½ the two placements are the same loss
    const half = { T: 2, alpha: 0.5, scaleT2: true };
    expect(distillationLoss([0.3, -0.4], [0.9, 0.1], 1, { ...half, alphaOn: "ce" }).loss).toBe(
      distillationLoss([0.3, -0.4], [0.9, 0.1], 1, half).loss,
    );
    expect(() => distillationLoss([0.1, 0.2], [0.1, 0.2], 0, { alphaOn: "soft" as never })).toThrow(
      /alphaOn must be one of .*"soft"/,
    );
  });

  it("alpha = 0 is cross-entropy", () => {
    const rng = new Rng("kd-alpha0");
    const zs = randomLogits(rng, 5);
    const zt = randomLogits(rng, 5);
    const kd = distillationLoss(zs, zt, 3, { alpha: 0 });
    const ce = crossEntropy(zs, 3);
    expect(kd.loss).toBeCloseTo(ce.loss, 15);
    for (let i = 0; i < 5; i++) expect(kd.dLogits[i]).toBeCloseTo(ce.dLogits[i], 15);
  });

  it("teacher = student with alpha = 1 gives zero loss and gradient", () => {
    const z = [0.3, -0.8, 0.1];
    const r = distillationLoss(z, z, 0, { alpha: 1 });
    expect(r.loss).toBe(0);
    for (const g of r.dLogits) expect(Math.abs(g)).toBeLessThan(1e-16);
  });

  it("scaleT2 multiplies the KL term and its gradient by T²", () => {
    const zs = [0.4, -0.2, 0.9];
    const zt = [-0.5, 0.7, 0.1];
    for (const T of [0.5, 3]) {
      const on = distillationLoss(zs, zt, 1, { T, alpha: 1, scaleT2: true });
      const off = distillationLoss(zs, zt, 1, { T, alpha: 1, scaleT2: false });
      expect(on.loss).toBeCloseTo(T * T * off.loss, 14);
      expect(on.kl).toBe(off.kl);
      for (let i = 0; i < 3; i++) expect(on.dLogits[i]).toBeCloseTo(T * T * off.dLogits[i], 14);
      // unscaled KL term: KL(σ(z_t/T) ‖ σ(z_s/T)) from the klDivergence route
      expect(off.loss).toBeCloseTo(klDivergence(softmax(zt, T), softmax(zs, T)), 14);
    }
  });

  it("selfDistillationLoss is the same loss", () => {
    const zs = [0.4, -0.2];
    const zt = [-0.5, 0.7];
    const a = selfDistillationLoss(zs, zt, 1, { T: 3, alpha: 0.7 });
    const b = distillationLoss(zs, zt, 1, { T: 3, alpha: 0.7 });
    expect(a).toEqual(b);
  });

  it("stays finite for large logits and small T", () => {
    const r = distillationLoss([50, -50], [-50, 50], 0, { T: 0.1 });
    expect(Number.isFinite(r.loss)).toBe(true);
    for (const g of r.dLogits) expect(Number.isFinite(g)).toBe(true);
  });

  it("rejects bad options and inputs, quoting them", () => {
    const z = [0.1, 0.2];
    expect(() => distillationLoss(z, z, 0, { T: 0 })).toThrow(/T must be .*got 0/);
    expect(() => distillationLoss(z, z, 0, { T: -2 })).toThrow(/got -2/);
    expect(() => distillationLoss(z, z, 0, { T: NaN })).toThrow(/got NaN/);
    expect(() => distillationLoss(z, z, 0, { alpha: 1.5 })).toThrow(/alpha.*got 1.5/);
    expect(() => distillationLoss(z, z, 0, { alpha: -0.1 })).toThrow(/alpha.*got -0.1/);
    expect(() => distillationLoss(z, z, 0, { alpha: NaN })).toThrow(/alpha.*got NaN/);
    expect(() => distillationLoss(z, z, 0, { scaleT2: "yes" as unknown as boolean })).toThrow(/scaleT2.*"yes"/);
    expect(() => distillationLoss(z, z, 0, { temperature: 2 } as never)).toThrow(/unknown option "temperature"/);
    expect(() => distillationLoss(z, z, 2)).toThrow(/label.*got 2/);
    expect(() => distillationLoss(z, [0.1, 0.2, 0.3], 0)).toThrow(/same length, got 2 and 3/);
    expect(() => distillationLoss([0.1, NaN], z, 0)).toThrow(/studentLogits\[1\].*NaN/);
    expect(() => distillationLoss(z, [NaN, 0], 0)).toThrow(/teacherLogits\[0\].*NaN/);
  });
});

describe("logitMatchingGradient: Hinton's high-temperature limit", () => {
  it("is the limit of the T²-scaled KL gradient: the deviation falls like 1/T (written-out softmax as reference)", async () => {
    const { logitMatchingGradient } = await import("qnn-kd/training");
    const zs = [0.3, -1.2, 2.0],
      zt = [1.0, 0.5, -0.4];
    const limit = logitMatchingGradient(zs, zt);
    // by hand: d = zs − zt = (−0.7, −1.7, 2.4), mean 0, so the limit is d / 3
    [-0.7, -1.7, 2.4].forEach((d, k) => expect(limit[k]).toBeCloseTo(d / 3, 14));
    const sm = (z: number[], T: number) => {
      const e = z.map((v) => Math.exp(v / T));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    };
    let prev = Infinity;
    for (const T of [10, 100, 1000]) {
      const ps = sm(zs, T),
        pt = sm(zt, T);
      const dev = Math.max(...ps.map((p, k) => Math.abs(T * (p - pt[k]) - limit[k])));
      expect(dev).toBeLessThan(prev / 8);
      prev = dev;
    }
    expect(prev).toBeLessThan(1e-3);
    expect(limit.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 14);
  });
  it("rejects mismatched lengths and non-finite logits", async () => {
    const { logitMatchingGradient } = await import("qnn-kd/training");
    expect(() => logitMatchingGradient([1, 2], [1])).toThrow(/same length, got 2 and 1/);
    expect(() => logitMatchingGradient([1, NaN], [1, 2])).toThrow(/studentLogits\[1\] must be a finite number/);
  });
});
