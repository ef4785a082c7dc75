// Piperno et al. Fig. 1 pieces: configuration checks, parameter counts against the paper's, the linear-separability
// construction, the claim checker (verdict engine: holds, contradicted, inconclusive, not testable) on fabricated
// rows of 2, 5 and 12 seeds, and a tiny run (two students, a few epochs) whose rows hold
// the documented fields and whose numbers do not depend on the number of worker threads.
import { beforeAll, describe, expect, it } from "vitest";
import { useTfBackend } from "../../src/hybrid/backend";
import { piperno as P } from "qnn-kd/experiments";
import type { ResultRow } from "../../src/experiments/results";

describe("pipernoConfig and the models", () => {
  beforeAll(async () => {
    await useTfBackend("wasm");
  });

  it("defaults state the paper's values; bad values are clear errors", () => {
    const c = P.pipernoConfig();
    expect([c.n, c.nBits, c.nQubits, c.nLayers, c.epochs, c.patience, c.nSeeds, c.lr]).toEqual([1000, 64, 6, 5, 300, 50, 12, 0.1]);
    expect(P.pipernoConfig({}, true).nSeeds).toBe(2);
    expect(() => P.pipernoConfig({ architectures: ["q7" as never] })).toThrow(/unknown architecture "q7"/);
    expect(() => P.pipernoConfig({ nBits: 65 })).toThrow(/65 bits do not fit/);
  });

  it("parameter counts: teacher 1203 and classical student 195 as stated; q_2 ours beside the paper's 74", () => {
    const cfg = P.pipernoConfig();
    const counts = P.parameterCounts(cfg, P.pipernoData(cfg, 0));
    const by = Object.fromEntries(counts.map((r) => [r.architecture, r]));
    expect(by.teacher.nParams).toBe(1203);
    expect(by.classical.nParams).toBe(195);
    expect(by.hea.nParams).toBe(90 + 21); // 6 qubits × 5 layers × 3 rotations + head 6 → 3
    expect(by.q2.nParams).toBe(55 + 9); // universal layers on 6, 5, 4, 3, 2 qubits + head 2 → 3
    expect(by.q2.paperParams).toBe(74);
  });

  it("three linear scores classify every sample (the data are linearly separable for a 3-class softmax)", () => {
    const d = P.pipernoData(P.pipernoConfig(), 3);
    for (const s of [d.train, d.validation, d.test]) expect(P.linearSeparabilityCheck(s)).toBe(1);
  });
});

describe("checkPipernoClaims", () => {
  const C = P.PIPERNO_PAPER_CLAIMS;
  const row = (architecture: string, kd: boolean, f1: number, seed: number): ResultRow => ({
    model: architecture, role: architecture === "teacher" ? "teacher" : "student", nQubits: 6, nLayers: 5, kd, T: kd ? 1 : null,
    alpha: kd ? 0.5 : null, seed, trainAccuracy: 1, testAccuracy: f1, paperTestAccuracy: null, f1, nParams: 1, architecture,
  });
  /** Both arms of one architecture over seeds 0…k−1: F1 without KD and with KD per seed. */
  const arms = (architecture: string, noKd: readonly number[], kd: readonly number[]): ResultRow[] =>
    noKd.flatMap((v, s) => [row(architecture, false, v, s), row(architecture, true, kd[s], s)]);
  /** `base` plus a per-seed jitter (small, deterministic, not constant: the intervals need a spread). */
  const jit = [0.004, -0.003, 0.001, -0.002, 0.003, -0.004, 0.002, -0.001, 0.0035, -0.0025, 0.0005, -0.0015];
  const series = (k: number, base: number, scale = 1, shift = 0) => Array.from({ length: k }, (_, s) => base + scale * jit[(s + shift) % jit.length]);
  const plus = (v: readonly number[], d: readonly number[] | number) => v.map((x, s) => x + (typeof d === "number" ? d : d[s]));
  const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const variance = (v: readonly number[]) => v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1);
  const teacher = (k: number) => Array.from({ length: k }, (_, s) => row("teacher", false, 0.99, s));
  const find = (parts: ReturnType<typeof P.checkPipernoClaims>, claim: string, test: RegExp) => {
    const p = parts.filter((x) => x.claim === claim && test.test(x.test));
    expect(p, `${claim} / ${test}`).toHaveLength(1);
    return p[0];
  };

  // the paper's story over 12 seeds: the classical student gains 0.15, HEA 0.03 with a large spread over seeds
  const k = 12;
  const cNo = series(k, 0.7), cKd = plus(series(k, 0.85, 1, 5), 0);
  const heaNo = Array.from({ length: k }, (_, s) => 0.5 + 0.05 * (s % 6)), heaKd = plus(heaNo, series(k, 0.03, 1, 3));
  const story = [...teacher(k), ...arms("classical", cNo, cKd), ...arms("hea", heaNo, heaKd)];

  it("holds: every part of every claim on rows shaped like the paper's story (12 seeds); estimates by hand", () => {
    const parts = P.checkPipernoClaims(story);
    expect(parts.map((p) => p.claim)).toEqual([C.kdRaises, C.kdRaises, C.classicalGainsMore, C.hybridsVaryMore, C.hybridsVaryMore]);
    expect(parts.map((p) => p.status)).toEqual(["holds", "holds", "holds", "holds", "holds"]);
    const raise = find(parts, C.kdRaises, /^classical student:/);
    expect(raise.effect!.unit).toBe("F1 difference");
    expect(raise.effect!.estimate).toBeCloseTo(mean(cKd.map((v, s) => v - cNo[s])), 12);
    expect(raise.effect!.perSeed).toHaveLength(k);
    expect(raise.nSeeds).toBe(k);
    expect(raise.measure).toMatch(/test macro F1 .* restored at the best validation-macro-F1 epoch \(early stopping\), KD − no KD per seed.*12 seed/);
    expect(raise.precondition).toMatch(/ceiling/);
    expect(raise.ours).toMatch(/^classical student: KD 0\.850 ± 0\.003 vs no KD 0\.700 ± 0\.003; KD − no KD \+0\.150 \[/);
    const gains = find(parts, C.classicalGainsMore, /HEA/);
    expect(gains.effect!.unit).toBe("F1 difference");
    expect(gains.effect!.estimate).toBeCloseTo(mean(cKd.map((v, s) => v - cNo[s])) - mean(heaKd.map((v, s) => v - heaNo[s])), 12);
    expect(gains.test).toBe("classical gain − HEA gain > 0");
    expect(gains.measure).toMatch(/unpaired \(Welch\)/);
    const vary = find(parts, C.hybridsVaryMore, /without KD/);
    expect(vary.effect!.unit).toBe("variance ratio");
    expect(vary.effect!.estimate).toBeCloseTo(variance(heaNo) / variance(cNo), 9);
    expect(vary.measure).toMatch(/variance over seeds/);
  });

  it("contradicted: KD lowers F1, a hybrid gains more, and the classical student varies more (5 seeds)", () => {
    const n = 5;
    const cNo5 = Array.from({ length: n }, (_, s) => 0.55 + 0.08 * s), cKd5 = plus(cNo5, series(n, -0.1, 0.5));
    const hNo5 = series(n, 0.6, 0.5), hKd5 = plus(hNo5, series(n, 0.15, 1, 2));
    const parts = P.checkPipernoClaims([...arms("classical", cNo5, cKd5), ...arms("q2", hNo5, hKd5)]);
    const raise = find(parts, C.kdRaises, /^classical student:/);
    expect(raise.status).toBe("contradicted");
    expect(raise.effect!.estimate).toBeCloseTo(mean(cKd5.map((v, s) => v - cNo5[s])), 12);
    expect(find(parts, C.kdRaises, /^q_2:/).status).toBe("holds");
    const gains = find(parts, C.classicalGainsMore, /q_2/);
    expect(gains.status).toBe("contradicted");
    expect(gains.effect!.estimate).toBeCloseTo(mean(cKd5.map((v, s) => v - cNo5[s])) - mean(hKd5.map((v, s) => v - hNo5[s])), 12);
    const vary = find(parts, C.hybridsVaryMore, /without KD/);
    expect(vary.status).toBe("contradicted");
    expect(vary.effect!.estimate).toBeCloseTo(variance(hNo5) / variance(cNo5), 9);
  });

  it("inconclusive: a gain whose sign flips between seeds, similar gains and variances, and a 2-seed run", () => {
    const n = 5;
    const flip = [0.05, -0.05, 0.04, -0.04, 0.01];
    const cNo5 = Array.from({ length: n }, (_, s) => 0.6 + 0.03 * s), cKd5 = plus(cNo5, flip);
    const hNo5 = Array.from({ length: n }, (_, s) => 0.62 + 0.03 * ((s * 3) % 5)), hKd5 = plus(hNo5, [-0.04, 0.05, -0.03, 0.05, 0]);
    const parts = P.checkPipernoClaims([...arms("classical", cNo5, cKd5), ...arms("hea", hNo5, hKd5)]);
    const raise = find(parts, C.kdRaises, /^classical student:/);
    expect(raise.status).toBe("inconclusive");
    expect(raise.effect!.estimate).toBeCloseTo(mean(flip), 12);
    expect(raise.effect!.ciLow!).toBeLessThan(0);
    expect(raise.effect!.ciHigh!).toBeGreaterThan(0);
    expect(find(parts, C.classicalGainsMore, /HEA/).status).toBe("inconclusive");
    expect(find(parts, C.hybridsVaryMore, /without KD/).status).toBe("inconclusive");

    // two seeds with a clear gain: never a verdict
    const two = P.checkPipernoClaims([...arms("classical", [0.7, 0.72], [0.85, 0.86]), ...arms("hea", [0.4, 0.8], [0.5, 0.9])]);
    expect(two.map((p) => p.status)).toEqual(["inconclusive", "inconclusive", "inconclusive", "inconclusive", "inconclusive"]);
    const r2 = find(two, C.kdRaises, /^classical student:/);
    expect(r2.reason).toMatch(/2 seed\(s\): at least 3/);
    expect(r2.effect!.estimate).toBeCloseTo(mean([0.15, 0.14]), 12);
  });

  it("not testable: the classical student at the F1 ceiling (≥ 0.995 in both arms) decides neither its gain nor the gain comparison", () => {
    const cNoTop = series(k, 0.997, 0.2), cKdTop = series(k, 0.998, 0.2, 4);
    const parts = P.checkPipernoClaims([...arms("classical", cNoTop, cKdTop), ...arms("hea", heaNo, heaKd)]);
    const raise = find(parts, C.kdRaises, /^classical student:/);
    expect(raise.status).toBe("not testable");
    expect(raise.reason).toMatch(/both arms at the ceiling/);
    expect(raise.effect!.estimate).toBeCloseTo(mean(cKdTop.map((v, s) => v - cNoTop[s])), 12); // still recorded
    expect(find(parts, C.kdRaises, /^HEA:/).status).toBe("holds");
    const gains = find(parts, C.classicalGainsMore, /HEA/);
    expect(gains.status).toBe("not testable");
    expect(gains.reason).toMatch(/classical student's test F1/);
    // a classical student with the same F1 at every seed: the variance ratio is undefined
    const flat = P.checkPipernoClaims([...arms("classical", Array(5).fill(1), Array(5).fill(1)), ...arms("hea", heaNo.slice(0, 5), heaKd.slice(0, 5))]);
    expect(find(flat, C.hybridsVaryMore, /with KD/).status).toBe("not testable");
  });

  it("a missing classical student, no hybrid, or a missing arm are clear errors", () => {
    expect(() => P.checkPipernoClaims(arms("hea", heaNo, heaKd))).toThrow(/need the classical student and at least one hybrid/);
    expect(() => P.checkPipernoClaims([...teacher(k), ...arms("classical", cNo, cKd)])).toThrow(/need the classical student and at least one hybrid/);
    expect(() => P.checkPipernoClaims([...arms("classical", cNo, cKd), ...arms("hea", heaNo, heaKd).filter((r) => !r.kd)])).toThrow(/hea needs rows without and with KD/);
  });
});

describe("runPiperno (tiny)", () => {
  it("trains the teacher and both arms of each student; rows hold f1, nParams, architecture; threads do not change numbers", async () => {
    const cfg = P.pipernoConfig({ n: 120, epochs: 4, patience: 2, architectures: ["classical", "q2"] });
    const one = await P.runPipernoSeeds(cfg, [0, 1], { threads: 1 });
    const two = await P.runPipernoSeeds(cfg, [0, 1], { threads: 2 });
    const strip = (rs: ResultRow[]) => JSON.stringify(rs);
    expect(two.map((r) => strip(r.rows))).toEqual(one.map((r) => strip(r.rows)));
    const rows = one[0].rows;
    expect(rows.map((r) => `${r.architecture}/${r.kd}`)).toEqual(["teacher/false", "classical/false", "classical/true", "q2/false", "q2/true"]);
    for (const r of rows) {
      expect(r.f1 as number).toBeGreaterThanOrEqual(0);
      expect(r.f1 as number).toBeLessThanOrEqual(1);
      expect(r.epochs as number).toBeLessThanOrEqual(4);
    }
    expect(rows.find((r) => r.architecture === "q2")!.nParams).toBe(64);
    expect(Object.keys(one[0].histories)).toEqual(["teacher", "classical-nokd", "classical-kd", "q2-nokd", "q2-kd"]);
  }, 120_000);
});
