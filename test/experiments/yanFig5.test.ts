// Fig. 5 pieces: the configuration (the paper's stated values and the checks), the bit-pattern ceiling and the
// claim checker on hand-made numbers, and a tiny end-to-end sweep on real MNIST images.
import { describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ProductState } from "qnn-kd";
import { yanFig5 } from "qnn-kd/experiments";
import { sweepRows } from "../helpers";

describe("fig5Config", () => {
  it("holds the paper's stated values and rejects bad ones by name", () => {
    const c = yanFig5.fig5Config();
    expect([c.nQubits, c.teacherLayers, c.studentIterations, c.teacherIterations, c.batchSize, c.threshold]).toEqual([
      15, 10, 350, 350, 64, 0.5,
    ]);
    expect(c.studentLayers).toEqual([4, 5, 6, 7, 8]);
    expect(c.digits).toEqual([1, 5]);
    expect(c.readout).toEqual([-2, -1]); // PARAMS.md readings: the last two qubits
    expect([c.finalRotationLayer, c.kdTarget, c.scaling]).toEqual([true, "logits", "raw"]);
    const q = yanFig5.fig5Config({}, true);
    expect(q.nQubits).toBe(yanFig5.FIG5_QUICK.nQubits);
    expect(q.limit).toBe(yanFig5.FIG5_QUICK.limit);
    expect(() => yanFig5.fig5Config({ temperature: 2 } as never)).toThrow(/unknown option "temperature"/);
    expect(() => yanFig5.fig5Config({ scaling: "zscore" as never })).toThrow(
      /scaling must be one of "raw", "minmax", got "zscore"/,
    );
    expect(() => yanFig5.fig5Config({ studentLayers: [4, 0] })).toThrow(/studentLayers\[1\]/);
    expect(() => yanFig5.fig5Config({ readout: [0, 15] })).toThrow(
      /readout\[1\] = 15 is not a qubit of a 15-qubit model/,
    );
    expect(() => yanFig5.fig5Config({ limit: 1 })).toThrow(/limit/);
  });
});

describe("bitPatternCeiling", () => {
  it("is the majority label per bit pattern, computed by hand", () => {
    // train: pattern 00 → labels 0, 0, 1 (majority 0: 2 right); 11 → 1 (1 right); 01 → 1, 0 (tie → 0: 1 right)
    const train = {
      bits: [
        [0, 0],
        [0, 0],
        [0, 0],
        [1, 1],
        [0, 1],
        [0, 1],
      ],
      labels: [0, 0, 1, 1, 1, 0],
    };
    // test: 00 → 0 (rule says 0: right), 11 → 0 (rule 1: wrong), 10 unseen → training majority (three 1s of six: tie → 0) → label 1 wrong
    const test = {
      bits: [
        [0, 0],
        [1, 1],
        [1, 0],
      ],
      labels: [0, 0, 1],
    };
    const c = yanFig5.bitPatternCeiling(train, test);
    expect(c.distinctTrain).toBe(3);
    expect(c.distinctTest).toBe(3);
    expect(c.train).toBeCloseTo(4 / 6, 15);
    expect(c.test).toBeCloseTo(1 / 3, 15);
    expect(c.testOracle).toBe(1);
    // one bit: b0 = label on 4 of 6 training images, b1 too (a tie: the lower bit), so label = b0; on test
    // 00→0 right, 11→0 wrong, 10→1 right: 2 of 3
    expect(yanFig5.bestOneBitRule(c.oneBitRules)).toEqual({ bit: 0, inverted: false, train: 4 / 6, test: 2 / 3 });
    // every rule, bit by bit: b0, 1 − b0, b1, 1 − b1 (b1 = label on 4 of 6 training images, 1 of 3 test images)
    expect(c.oneBitRules.map((u) => [u.bit, u.inverted])).toEqual([
      [0, false],
      [0, true],
      [1, false],
      [1, true],
    ]);
    expect(c.oneBitRules[1].train).toBeCloseTo(2 / 6, 15);
    expect(c.oneBitRules[2].train).toBeCloseTo(4 / 6, 15);
    // an inverted bit: label = 1 − b1 on every image
    const inv = yanFig5.bitPatternCeiling(
      {
        bits: [
          [0, 1],
          [1, 0],
          [0, 0],
        ],
        labels: [0, 1, 1],
      },
      {
        bits: [
          [1, 1],
          [1, 0],
        ],
        labels: [0, 0],
      },
    );
    expect(yanFig5.bestOneBitRule(inv.oneBitRules)).toEqual({ bit: 1, inverted: true, train: 1, test: 0.5 });
    expect(() => yanFig5.bestOneBitRule([])).toThrow(/rules is empty/);
    expect(() => yanFig5.bitPatternCeiling({ bits: [[0]], labels: [2] }, test)).toThrow(/train label 2 is not 0 or 1/);
    expect(() => yanFig5.bitPatternCeiling({ bits: [], labels: [] }, test)).toThrow(/train has 0 bit vectors/);
  });
});

describe("oneBitRuleRows", () => {
  it("counts, per variant and model, the seeds at each rule's train and test accuracy (hand-made rows)", () => {
    // rules: 1 − b0 right on 910 of 1000 training and 46 of 50 test images; b1 on 600 and 30; b0 the complement
    const rules = [
      { bit: 0, inverted: false, train: 0.09, test: 0.08 },
      { bit: 0, inverted: true, train: 0.91, test: 0.92 },
      { bit: 1, inverted: false, train: 0.6, test: 0.6 },
      { bit: 1, inverted: true, train: 0.4, test: 0.4 },
    ];
    const row = (model: string, kd: boolean, seed: number, train: number | null, test: number, variant?: string) => ({
      model,
      role: "student" as const,
      nQubits: 15,
      nLayers: 4,
      kd,
      T: null,
      alpha: null,
      seed,
      trainAccuracy: train,
      testAccuracy: test,
      paperTestAccuracy: null,
      ...(variant ? { variant } : {}),
    });
    const rows = [
      row("student (4 layers)", false, 0, 910 / 1000, 46 / 50), // at 1 − b0
      row("student (4 layers)", false, 1, 911 / 1000, 46 / 50), // one more training image right: at none
      row("student (4 layers)", false, 2, 600 / 1000, 30 / 50), // at b1
      row("student (4 layers)", true, 0, 910 / 1000, 47 / 50), // one more test image right: at none
      row("student (4 layers)", true, 1, null, 46 / 50), // no training accuracy: at none
      row("student (4 layers)", true, 2, 600 / 1000, 46 / 50), // b1's train, 1 − b0's test: at none
      row("student (4 layers)", false, 0, 0.91, 0.92, "sharp-teacher"), // the same model name, another variant
    ];
    expect(yanFig5.oneBitRuleRows(rows, rules, 1000, 50)).toEqual([
      {
        variant: "defaults",
        model: "student (4 layers)",
        KD: "no",
        seeds: 3,
        "at 1 − b0": 1,
        "at b1": 1,
        "at none": 1,
      },
      {
        variant: "defaults",
        model: "student (4 layers)",
        KD: "yes",
        seeds: 3,
        "at 1 − b0": 0,
        "at b1": 0,
        "at none": 3,
      },
      {
        variant: "sharp-teacher",
        model: "student (4 layers)",
        KD: "no",
        seeds: 1,
        "at 1 − b0": 1,
        "at b1": 0,
        "at none": 0,
      },
    ]);
    expect(() => yanFig5.oneBitRuleRows(rows, rules, 0, 50)).toThrow(/nTrain must be a positive integer, got 0/);
    expect(() => yanFig5.oneBitRuleRows(rows, rules, 1000, 2.5)).toThrow(/nTest must be a positive integer, got 2.5/);
  });
});

describe("checkFig5Claims over seeds (fabricated rows)", () => {
  const depths = [4, 5, 6, 7, 8];
  const story = {
    teacher: 0.95,
    students: Object.fromEntries(depths.map((L) => [L, { noKd: L < 8 ? 0.92 : 0.94, kd: 0.925 + 0.005 * (L - 4) }])),
  };
  const statuses = (rows: unknown[]) => yanFig5.checkFig5Claims(rows as never).map((c) => c.status);
  it("every part holds for a sweep shaped as the paper describes (5 seeds)", () => {
    const checks = yanFig5.checkFig5Claims(sweepRows({ nSeeds: 5, ...story }) as never);
    // plateau at 4–7, KD higher at 4–8, the slope, both students near the teacher at 8
    expect(checks).toHaveLength(4 + 5 + 1 + 2);
    expect(checks.map((c) => c.status)).toEqual(Array(12).fill("holds"));
    const slope = checks.find((c) => c.claim === yanFig5.FIG5_PAPER_CLAIMS.kdRises)!;
    expect(slope.effect!.unit).toBe("accuracy points per layer");
    expect(slope.effect!.estimate).toBeCloseTo(0.5, 1); // 0.5 points per layer, up to the jitter
  });
  it("each claim is contradicted by a sweep that says the opposite", () => {
    const bad = {
      teacher: 0.99,
      students: Object.fromEntries(depths.map((L) => [L, { noKd: 0.85, kd: 0.84 - 0.01 * (L - 4) }])),
    };
    expect(statuses(sweepRows({ nSeeds: 5, ...bad }))).toEqual(Array(12).fill("contradicted"));
  });
  it("inconclusive: a KD gain whose sign flips between seeds, a plateau straddling its band, and any 2-seed run", () => {
    const flip = (s: number, _L: number, kd: boolean) => (kd ? (s % 2 === 0 ? 0.05 : -0.05) : 0);
    const mixed = { teacher: 0.95, students: Object.fromEntries(depths.map((L) => [L, { noKd: 0.9, kd: 0.9 }])) };
    const st = yanFig5.checkFig5Claims(sweepRows({ nSeeds: 5, ...mixed, spread: flip }) as never);
    expect(st.filter((c) => c.claim === yanFig5.FIG5_PAPER_CLAIMS.kdHigher).map((c) => c.status)).toEqual(
      Array(5).fill("inconclusive"),
    );
    expect(st.filter((c) => c.claim === yanFig5.FIG5_PAPER_CLAIMS.plateau).map((c) => c.status)).toEqual(
      Array(4).fill("inconclusive"),
    );
    expect(statuses(sweepRows({ nSeeds: 2, ...story }))).toEqual(Array(12).fill("inconclusive"));
  });
  it("not testable: both arms at the ceiling; throws for one depth", () => {
    const top = { teacher: 0.999, students: Object.fromEntries(depths.map((L) => [L, { noKd: 0.998, kd: 0.998 }])) };
    const st = yanFig5.checkFig5Claims(sweepRows({ nSeeds: 5, ...top }) as never);
    expect(st.filter((c) => c.claim === yanFig5.FIG5_PAPER_CLAIMS.kdHigher).map((c) => c.status)).toEqual(
      Array(5).fill("not testable"),
    );
    expect(() =>
      yanFig5.checkFig5Claims(sweepRows({ nSeeds: 5, teacher: 0.9, students: { 4: story.students[4] } }) as never),
    ).toThrow(/at least two student depths/);
  });
});

describe("runFig5 on 300 MNIST images with 6 qubits", () => {
  it("phase-encodes one product state per bit pattern and trains KD / non-KD students from the same start", () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-fig5-"));
    const cfg = yanFig5.fig5Config({
      nQubits: 6,
      limit: 300,
      teacherLayers: 3,
      teacherIterations: 6,
      studentLayers: [1, 2],
      studentIterations: 4,
      batchSize: 16,
      evalEvery: 2,
    });
    const data = yanFig5.fig5Data(cfg, { cacheDir });
    expect(data.train.inputs).toHaveLength(300);
    expect(data.train.inputs[0]).toBeInstanceOf(ProductState);
    // equal bit vectors share one input object
    const objects = new Set(data.train.inputs);
    expect(objects.size).toBe(data.ceiling.distinctTrain);
    expect(objects.size).toBeLessThanOrEqual(64);
    const r = yanFig5.runFig5(cfg, { data });
    expect(r.rows).toHaveLength(5);
    for (const row of r.rows) {
      expect(row.nQubits).toBe(6);
      expect(row.trainAccuracy).toBeGreaterThanOrEqual(0);
      expect(row.trainAccuracy).toBeLessThanOrEqual(data.ceiling.train + 1e-12); // no classifier of the bits beats the ceiling
    }
    for (const L of [1, 2]) {
      const noKd = r.histories[`student-L${L}-nokd`][0],
        kd = r.histories[`student-L${L}-kd`][0];
      expect(kd.ce).toBeCloseTo(noKd.loss, 12);
    }
  }, 60_000);
});
