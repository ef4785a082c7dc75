// Piperno et al. Fig. 1 pieces: configuration checks (α derived from the KL reduction), parameter counts against the
// paper's (q_2: 64 ours, 74 with the q2-74 reading), the linear-separability construction, the readings list, the
// claim checker (verdict engine: holds, contradicted, inconclusive, not testable; the ceiling at the paper's data) on
// fabricated rows of 2, 5 and 12 seeds, the harder-data hypotheses on fabricated rows, the readings table, and tiny
// runs (two students, a few epochs) whose rows hold the documented fields and whose numbers do not depend on the
// number of worker threads.
import { beforeAll, describe, expect, it } from "vitest";
import { useTfBackend } from "../../src/hybrid/backend";
import { piperno as P } from "qnn-kd/experiments";
import type { ResultRow } from "../../src/experiments/results";
import { handRow } from "../helpers";

describe("pipernoConfig and the models", () => {
  beforeAll(async () => {
    await useTfBackend("wasm");
  });

  it("defaults state the paper's values; bad values are clear errors", () => {
    const c = P.pipernoConfig();
    expect([c.n, c.nBits, c.nQubits, c.nLayers, c.epochs, c.patience, c.nSeeds, c.lr]).toEqual([
      1000, 64, 6, 5, 300, 50, 12, 0.1,
    ]);
    expect(P.pipernoConfig({}, true).nSeeds).toBe(2);
    expect(() => P.pipernoConfig({ architectures: ["q7" as never] })).toThrow(/unknown architecture "q7"/);
    expect(() => P.pipernoConfig({ nBits: 65 })).toThrow(/65 bits do not fit/);
  });

  it("the readings' defaults (PARAMS): KL summed (α = B/(1 + B)), last weights kept, validation loss monitored, ⟨Z⟩ head on a chain", () => {
    const c = P.pipernoConfig();
    expect([
      c.klReduction,
      c.alpha,
      c.T,
      c.restoreBest,
      c.earlyStoppingMetric,
      c.readoutKind,
      c.ring,
      c.rule,
      c.labelNoise,
    ]).toEqual(["sum", 32 / 33, 1, false, "loss", "expectation", false, "first-two", 0]);
    expect(P.pipernoFit(c, P.pipernoData(c, 0)).earlyStopping).toEqual({
      patience: 50,
      metric: "loss",
      restoreBest: false,
    });
    // α is derived: ½ for the mean, B/(1 + B) at another batch size; an explicit α must agree
    expect(P.pipernoConfig({ klReduction: "mean" }).alpha).toBe(0.5);
    expect(P.pipernoConfig({ batchSize: 16 }).alpha).toBe(16 / 17);
    expect(P.pipernoConfig({ alpha: 32 / 33 }).alpha).toBe(32 / 33);
    expect(P.pipernoConfig({ klReduction: "mean", alpha: 0.5 }).alpha).toBe(0.5);
    expect(() => P.pipernoConfig({ alpha: 0.5 })).toThrow(
      /alpha is derived from klReduction and batchSize .*gives alpha = 0\.9696.*got alpha = 0\.5; set klReduction instead/,
    );
    expect(() => P.pipernoConfig({ klReduction: "batchmean" as never })).toThrow(
      /klReduction must be one of "sum", "mean", got "batchmean"/,
    );
    expect(() => P.pipernoConfig({ earlyStoppingMetric: "accuracy" as never })).toThrow(
      /earlyStoppingMetric must be one of "loss", "macroF1"/,
    );
    expect(() => P.pipernoConfig({ readoutKind: "probs" as never })).toThrow(/readoutKind must be one of/);
    expect(() => P.pipernoConfig({ restoreBest: 1 as never })).toThrow(/restoreBest must be true or false, got 1/);
    expect(() => P.pipernoConfig({ labelNoise: 1 })).toThrow(/labelNoise/);
    expect(() => P.pipernoConfig({ rule: "parity3", nBits: 2, teacherUnits: [2, 3], studentUnits: [2, 3] })).toThrow(
      /parity3" needs nBits ≥ 3/,
    );
    expect(P.klAlpha("sum", 32)).toBe(32 / 33);
    // the equivalence: (1/B)ΣCE + ΣKL = (1 + B)·[(1 − α)·mean CE + α·mean KL] with α = B/(1 + B), for any CE and KL values
    const ce = [0.3, 1.2, 0.7, 0.1],
      kl = [0.05, 0.4, 0.2, 0.9],
      B = 4,
      a = P.klAlpha("sum", B);
    const sum = (v: number[]) => v.reduce((x, y) => x + y, 0);
    expect(sum(ce) / B + sum(kl)).toBeCloseTo((1 + B) * (((1 - a) * sum(ce)) / B + (a * sum(kl)) / B), 14);
  });

  it("the readings: one factor each from the defaults; q2-74 gives q_2 the paper's 74 parameters (59 + 15)", () => {
    expect(P.PIPERNO_READINGS.map((r) => r.name)).toEqual(["kl-mean", "restore-best", "monitor-f1", "q2-74"]);
    const d = P.pipernoConfig();
    for (const r of P.PIPERNO_READINGS) {
      const c = P.readingConfig(r);
      const changed = (Object.keys(d) as (keyof typeof d)[]).filter(
        (k) => JSON.stringify(c[k]) !== JSON.stringify(d[k]),
      );
      const expected: Record<string, string[]> = {
        "kl-mean": ["alpha", "klReduction"],
        "restore-best": ["restoreBest"],
        "monitor-f1": ["earlyStoppingMetric"],
        "q2-74": ["architectures", "readoutKind", "ring"], // one reading of PARAMS (q_2's head and ring), run for q_2 and the classical student
      };
      expect(changed.sort(), r.name).toEqual(expected[r.name].sort());
    }
    const q = P.readingConfig(P.PIPERNO_READINGS.find((r) => r.name === "q2-74")!);
    const by = Object.fromEntries(P.parameterCounts(q, P.pipernoData(q, 0)).map((r) => [r.architecture, r.nParams]));
    expect(by).toEqual({ teacher: 1203, classical: 195, q2: 74 });
    expect(P.PIPERNO_PAPER_PARAMS.q2).toBe(74);
    const { circuit } = P.pipernoCircuit("q2", 6, 5, true);
    expect(circuit.nParams).toBe(59);
    expect(P.PIPERNO_HARDER_DATA.map((r) => [r.name, r.overrides])).toEqual([
      ["label-noise-0.1", { labelNoise: 0.1 }],
      ["parity3", { rule: "parity3" }],
    ]);
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
  const row = (architecture: string, kd: boolean, f1: number, seed: number): ResultRow =>
    handRow(
      { model: architecture, kd, seed, trainAccuracy: 1, testAccuracy: f1, nQubits: 6, nLayers: 5, T: 1, alpha: 0.5 },
      { f1, nParams: 1, architecture },
    );
  /** Both arms of one architecture over seeds 0…k−1: F1 without KD and with KD per seed. */
  const arms = (architecture: string, noKd: readonly number[], kd: readonly number[]): ResultRow[] =>
    noKd.flatMap((v, s) => [row(architecture, false, v, s), row(architecture, true, kd[s], s)]);
  /** `base` plus a per-seed jitter (small, deterministic, not constant: the intervals need a spread). */
  const jit = [0.004, -0.003, 0.001, -0.002, 0.003, -0.004, 0.002, -0.001, 0.0035, -0.0025, 0.0005, -0.0015];
  const series = (k: number, base: number, scale = 1, shift = 0) =>
    Array.from({ length: k }, (_, s) => base + scale * jit[(s + shift) % jit.length]);
  const plus = (v: readonly number[], d: readonly number[] | number) =>
    v.map((x, s) => x + (typeof d === "number" ? d : d[s]));
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
  const cNo = series(k, 0.7),
    cKd = plus(series(k, 0.85, 1, 5), 0);
  const heaNo = Array.from({ length: k }, (_, s) => 0.5 + 0.05 * (s % 6)),
    heaKd = plus(heaNo, series(k, 0.03, 1, 3));
  const story = [...teacher(k), ...arms("classical", cNo, cKd), ...arms("hea", heaNo, heaKd)];

  it("holds: every part of every claim on rows shaped like the paper's story (12 seeds); estimates by hand", () => {
    const parts = P.checkPipernoClaims(story);
    expect(parts.map((p) => p.claim)).toEqual([
      C.kdRaises,
      C.kdRaises,
      C.classicalGainsMore,
      C.hybridsVaryMore,
      C.hybridsVaryMore,
    ]);
    expect(parts.map((p) => p.status)).toEqual(["holds", "holds", "holds", "holds", "holds"]);
    const raise = find(parts, C.kdRaises, /^classical student:/);
    expect(raise.effect!.unit).toBe("F1 difference");
    expect(raise.effect!.estimate).toBeCloseTo(mean(cKd.map((v, s) => v - cNo[s])), 12);
    expect(raise.effect!.perSeed).toHaveLength(k);
    expect(raise.nSeeds).toBe(k);
    expect(raise.measure).toMatch(
      /test macro F1 .* restored at the best validation macro F1 epoch \(early stopping\), KD − no KD per seed.*12 seed/,
    );
    expect(raise.precondition).toMatch(/ceiling/);
    expect(raise.ours).toMatch(
      /^classical student: KD 0\.850 ± 0\.003 vs no KD 0\.700 ± 0\.003; KD − no KD \+0\.150 \[/,
    );
    const gains = find(parts, C.classicalGainsMore, /HEA/);
    expect(gains.effect!.unit).toBe("F1 difference");
    expect(gains.effect!.estimate).toBeCloseTo(
      mean(cKd.map((v, s) => v - cNo[s])) - mean(heaKd.map((v, s) => v - heaNo[s])),
      12,
    );
    expect(gains.test).toBe("classical gain − HEA gain > 0");
    expect(gains.measure).toMatch(/unpaired \(Welch\)/);
    const vary = find(parts, C.hybridsVaryMore, /without KD/);
    expect(vary.effect!.unit).toBe("variance ratio");
    expect(vary.effect!.estimate).toBeCloseTo(variance(heaNo) / variance(cNo), 9);
    expect(vary.measure).toMatch(/variance over seeds/);
  });

  it("contradicted: KD lowers F1, a hybrid gains more, and the classical student varies more (5 seeds)", () => {
    const n = 5;
    const cNo5 = Array.from({ length: n }, (_, s) => 0.55 + 0.08 * s),
      cKd5 = plus(cNo5, series(n, -0.1, 0.5));
    const hNo5 = series(n, 0.6, 0.5),
      hKd5 = plus(hNo5, series(n, 0.15, 1, 2));
    const parts = P.checkPipernoClaims([...arms("classical", cNo5, cKd5), ...arms("q2", hNo5, hKd5)]);
    const raise = find(parts, C.kdRaises, /^classical student:/);
    expect(raise.status).toBe("contradicted");
    expect(raise.effect!.estimate).toBeCloseTo(mean(cKd5.map((v, s) => v - cNo5[s])), 12);
    expect(find(parts, C.kdRaises, /^q_2:/).status).toBe("holds");
    const gains = find(parts, C.classicalGainsMore, /q_2/);
    expect(gains.status).toBe("contradicted");
    expect(gains.effect!.estimate).toBeCloseTo(
      mean(cKd5.map((v, s) => v - cNo5[s])) - mean(hKd5.map((v, s) => v - hNo5[s])),
      12,
    );
    const vary = find(parts, C.hybridsVaryMore, /without KD/);
    expect(vary.status).toBe("contradicted");
    expect(vary.effect!.estimate).toBeCloseTo(variance(hNo5) / variance(cNo5), 9);
  });

  it("inconclusive: a gain whose sign flips between seeds, similar gains and variances, and a 2-seed run", () => {
    const n = 5;
    const flip = [0.05, -0.05, 0.04, -0.04, 0.01];
    const cNo5 = Array.from({ length: n }, (_, s) => 0.6 + 0.03 * s),
      cKd5 = plus(cNo5, flip);
    const hNo5 = Array.from({ length: n }, (_, s) => 0.62 + 0.03 * ((s * 3) % 5)),
      hKd5 = plus(hNo5, [-0.04, 0.05, -0.03, 0.05, 0]);
    const parts = P.checkPipernoClaims([...arms("classical", cNo5, cKd5), ...arms("hea", hNo5, hKd5)]);
    const raise = find(parts, C.kdRaises, /^classical student:/);
    expect(raise.status).toBe("inconclusive");
    expect(raise.effect!.estimate).toBeCloseTo(mean(flip), 12);
    expect(raise.effect!.ciLow!).toBeLessThan(0);
    expect(raise.effect!.ciHigh!).toBeGreaterThan(0);
    expect(find(parts, C.classicalGainsMore, /HEA/).status).toBe("inconclusive");
    expect(find(parts, C.hybridsVaryMore, /without KD/).status).toBe("inconclusive");

    // two seeds with a clear gain: never a verdict
    const two = P.checkPipernoClaims([
      ...arms("classical", [0.7, 0.72], [0.85, 0.86]),
      ...arms("hea", [0.4, 0.8], [0.5, 0.9]),
    ]);
    expect(two.map((p) => p.status)).toEqual([
      "inconclusive",
      "inconclusive",
      "inconclusive",
      "inconclusive",
      "inconclusive",
    ]);
    const r2 = find(two, C.kdRaises, /^classical student:/);
    expect(r2.reason).toMatch(/2 seed\(s\): at least 3/);
    expect(r2.effect!.estimate).toBeCloseTo(mean([0.15, 0.14]), 12);
  });

  it("not testable: the classical student at the F1 ceiling (≥ 0.995 in both arms) decides neither its gain nor the gain comparison", () => {
    const cNoTop = series(k, 0.997, 0.2),
      cKdTop = series(k, 0.998, 0.2, 4);
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
    const flat = P.checkPipernoClaims([
      ...arms("classical", Array(5).fill(1), Array(5).fill(1)),
      ...arms("hea", heaNo.slice(0, 5), heaKd.slice(0, 5)),
    ]);
    expect(find(flat, C.hybridsVaryMore, /with KD/).status).toBe("not testable");
  });

  it('at the paper\'s data (teacher and students at F1 ≈ 1) the KD claims read "not testable" for the ceiling', () => {
    const top = (shift: number) => series(k, 0.997, 0.5, shift);
    const rows = [
      ...teacher(k).map((r) => ({ ...r, f1: 0.999 })),
      ...arms("classical", top(0), top(3)),
      ...arms("hea", top(1), top(6)),
      ...arms("q2", top(2), top(9)),
    ].map((r) => ({ ...r, restoreBest: false, earlyStoppingMetric: "loss" }));
    const records = P.pipernoClaimRecords(rows);
    const rec = (c: string) => records.find((r) => r.claim === c)!;
    for (const c of [C.kdRaises, C.classicalGainsMore]) {
      expect(rec(c).status, c).toBe("not testable");
      expect(rec(c).scope).toMatch(/both arms at the ceiling/);
      for (const p of rec(c).parts) expect(p.reason).toMatch(/ceiling/);
    }
    expect(rec(C.kdRaises).parts).toHaveLength(3);
    // the measure says what F1 the rows hold under the readings' defaults
    expect(rec(C.kdRaises).measure).toMatch(
      /test macro F1 \(3 classes\) of the last epoch's weights \(early stopping on the validation cross-entropy\)/,
    );
  });

  it("Fig. 1's records use the defaults' rows only: a reading's or the harder data's rows do not change them", () => {
    const base = [...teacher(k), ...arms("classical", cNo, cKd), ...arms("hea", heaNo, heaKd)];
    const other = arms(
      "hea",
      heaNo,
      heaNo.map((v) => v - 0.2),
    ).map((r) => ({ ...r, variant: "kl-mean" }));
    const strip = (rs: ReturnType<typeof P.pipernoClaimRecords>) => rs.map((r) => [r.claim, r.status, r.numbers]);
    expect(strip(P.pipernoClaimRecords([...base, ...other]))).toEqual(strip(P.pipernoClaimRecords(base)));
  });

  it('harder-data hypotheses (our study): paired KD − no KD per setting and student, kind "hypothesis", defaults\' rows ignored', () => {
    const H = P.PIPERNO_HYPOTHESES;
    const at = (variant: string, rs: ResultRow[]) => rs.map((r) => ({ ...r, variant }));
    const noisyNo = series(k, 0.8),
      noisyKd = plus(noisyNo, series(k, 0.03, 1, 2));
    const parNo = series(k, 0.6, 3),
      parKd = plus(parNo, series(k, -0.05, 1, 4));
    const rows = [
      ...story, // the defaults' rows: ignored
      ...at("label-noise-0.1", [...teacher(k), ...arms("classical", noisyNo, noisyKd), ...arms("hea", heaNo, heaKd)]),
      ...at("parity3", [
        ...teacher(k),
        ...arms("classical", parNo, parKd),
        ...arms(
          "hea",
          heaNo,
          heaNo.map((v, s) => v + jit[s]),
        ),
      ]),
    ];
    const parts = P.checkPipernoHypotheses(rows);
    expect(parts.map((p) => [p.claim === H.classical ? "classical" : "hybrids", p.test, p.status])).toEqual([
      ["classical", "label-noise-0.1: classical student: KD − no KD test F1 > 0", "holds"],
      ["hybrids", "label-noise-0.1: HEA: KD − no KD test F1 > 0", "holds"],
      ["classical", "parity3: classical student: KD − no KD test F1 > 0", "contradicted"],
      ["hybrids", "parity3: HEA: KD − no KD test F1 > 0", "inconclusive"],
    ]);
    expect(parts[0].effect!.estimate).toBeCloseTo(mean(noisyKd.map((v, s) => v - noisyNo[s])), 12);
    expect(parts[0].measure).toMatch(/label-noise-0\.1 data, KD − no KD per seed, paired by seed/);
    const records = P.pipernoHypothesisRecords(rows);
    expect(records.map((r) => [r.kind, r.claim, r.status])).toEqual([
      ["hypothesis", H.classical, "contradicted"],
      ["hypothesis", H.hybrids, "inconclusive"],
    ]);
    expect(records[0].paper).toMatch(/harder-data study/);
    // a setting not run: not testable, naming what is missing
    const only = P.checkPipernoHypotheses(rows.filter((r) => r.variant !== "parity3"));
    expect(only.slice(2).map((p) => [p.status, p.reason])).toEqual([
      ["not testable", "no rows of classical student (both arms) on the parity3 data"],
      ["not testable", "no rows of a hybrid student on the parity3 data"],
    ]);
  });

  it("the readings table: one row per setting run, test F1 × 100 per model, each claim's status on that setting's rows", () => {
    const at = (variant: string, rs: ResultRow[]) => rs.map((r) => ({ ...r, variant }));
    const rows = [
      ...story,
      ...at("kl-mean", [
        ...teacher(k),
        ...arms(
          "classical",
          cNo,
          plus(
            cNo,
            jit.map((v) => 10 * v),
          ),
        ),
        ...arms("hea", heaNo, heaKd),
      ]),
      ...at("parity3", arms("classical", cNo, cKd)),
    ];
    const t = P.pipernoReadingsTable(rows, ["classical no KD", "classical + KD"]);
    expect(t.map((r) => r.reading)).toEqual(["defaults", "kl-mean"]); // the harder data are not a reading
    expect(Object.keys(t[0])).toEqual(
      expect.arrayContaining([
        "classical no KD (test F1 × 100)",
        "KD raises",
        "classical gains more",
        "hybrids vary more",
        "seeds",
      ]),
    );
    expect(t[0]["classical + KD (test F1 × 100)"]).toMatch(/^85\.0 \[/);
    expect(t[0]["KD raises"]).toBe("holds");
    expect(t[1]["KD raises"]).toBe("inconclusive"); // the classical student's gain changes sign between seeds, HEA's holds
    expect(t[1].changes).toBe('klReduction = "mean"');
  });

  it("a missing classical student, no hybrid, or a missing arm are clear errors", () => {
    expect(() => P.checkPipernoClaims(arms("hea", heaNo, heaKd))).toThrow(
      /need the classical student and at least one hybrid/,
    );
    expect(() => P.checkPipernoClaims([...teacher(k), ...arms("classical", cNo, cKd)])).toThrow(
      /need the classical student and at least one hybrid/,
    );
    expect(() =>
      P.checkPipernoClaims([...arms("classical", cNo, cKd), ...arms("hea", heaNo, heaKd).filter((r) => !r.kd)]),
    ).toThrow(/hea needs rows without and with KD/);
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
    expect(rows.map((r) => `${r.architecture}/${r.kd}`)).toEqual([
      "teacher/false",
      "classical/false",
      "classical/true",
      "q2/false",
      "q2/true",
    ]);
    for (const r of rows) {
      expect(r.f1 as number).toBeGreaterThanOrEqual(0);
      expect(r.f1 as number).toBeLessThanOrEqual(1);
      expect(r.epochs as number).toBeLessThanOrEqual(4);
    }
    expect(rows.find((r) => r.architecture === "q2")!.nParams).toBe(64);
    expect(Object.keys(one[0].histories)).toEqual(["teacher", "classical-nokd", "classical-kd", "q2-nokd", "q2-kd"]);
    // the readings the rows ran under, and the α used (96 training samples: 3 full batches of 32)
    for (const r of rows) {
      expect([
        r.klReduction,
        r.restoreBest,
        r.earlyStoppingMetric,
        r.readoutKind,
        r.ring,
        r.rule,
        r.labelNoise,
      ]).toEqual(["sum", false, "loss", "expectation", false, "first-two", 0]);
      expect(r.alpha).toBe(r.kd ? 32 / 33 : null);
      expect(r.variant).toBe("defaults");
    }
    // without restoring, the final accuracy is that of the last epoch (the trainer's last history row)
    const h = one[0].histories["classical-nokd"];
    expect(rows[1].testAccuracy).toBe(h[h.length - 1].testAccuracy);
  }, 120_000);

  it("runPipernoReadings: the q2-74 reading and the parity3 data, rows tagged with variant", async () => {
    const base = { n: 120, epochs: 3, patience: 2 };
    const settings = [P.PIPERNO_READINGS.find((r) => r.name === "q2-74")!, P.PIPERNO_HARDER_DATA[1]];
    const rows = await P.runPipernoReadings(settings, [0], {
      threads: 1,
      configOf: (r) => P.pipernoConfig({ ...base, architectures: ["classical", "q2"], ...r.overrides }),
    });
    expect(rows.map((r) => `${r.variant}/${r.architecture}/${r.kd}`)).toEqual([
      "q2-74/teacher/false",
      "q2-74/classical/false",
      "q2-74/classical/true",
      "q2-74/q2/false",
      "q2-74/q2/true",
      "parity3/teacher/false",
      "parity3/classical/false",
      "parity3/classical/true",
      "parity3/q2/false",
      "parity3/q2/true",
    ]);
    expect(rows.filter((r) => r.architecture === "q2").map((r) => r.nParams)).toEqual([74, 74, 64, 64]);
    expect(
      rows
        .filter((r) => r.variant === "q2-74" && r.architecture === "q2")
        .every((r) => r.readoutKind === "probabilities" && r.ring === true),
    ).toBe(true);
    expect(rows.filter((r) => r.variant === "parity3").every((r) => r.rule === "parity3")).toBe(true);
  }, 120_000);
});
