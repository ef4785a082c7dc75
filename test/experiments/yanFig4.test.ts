// Fig. 4 pieces: the configuration's checks, the readout convention, the claim checker on hand-made numbers
// (the paper's qualitative story, and its opposite), and a tiny end-to-end sweep on 5-qubit ZXZ data.
import { describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { yanFig4 } from "qnn-kd/experiments";
import { sweepRows } from "../helpers";

describe("fig4Config", () => {
  it("keeps the paper's stated values as defaults and applies quick overrides", () => {
    const c = yanFig4.fig4Config();
    expect(c.nQubits).toBe(15);
    expect(c.teacherLayers).toBe(10);
    expect(c.studentLayers).toEqual([1, 2, 3]);
    expect(c.studentIterations).toBe(50);
    expect(c.batchSize).toBe(64);
    // PARAMS.md readings: the last two qubits, MindQuantum's final rotation layer, every run 50 iterations,
    // KD from the teacher's logits
    expect(c.readout).toEqual([-2, -1]);
    expect([c.finalRotationLayer, c.teacherIterations, c.kdTarget, c.alphaOn]).toEqual([true, 50, "logits", "kl"]);
    expect(c.teacherLogitScale).toBe(1);
    expect(() => yanFig4.fig4Config({ kdTarget: "soft" as never })).toThrow(
      /kdTarget must be one of "logits", "expectations", got "soft"/,
    );
    expect(() => yanFig4.fig4Config({ initLow: 3, initHigh: 1 })).toThrow(
      "fig4Config: initLow must be below initHigh, got initLow = 3, initHigh = 1",
    );
    expect(() => yanFig4.fig4Config({ teacherReadout: [0, 0] })).toThrow(/teacherReadout/);
    expect(() => yanFig4.fig4Config({ alphaOn: "both" as never })).toThrow(
      /alphaOn must be one of "kl", "ce", got "both"/,
    );
    const q = yanFig4.fig4Config({}, true);
    expect(q.nQubits).toBe(yanFig4.FIG4_QUICK.nQubits);
    expect(q.nTrain).toBe(yanFig4.FIG4_QUICK.nTrain);
    expect(yanFig4.fig4Config({ T: 4 }, true).T).toBe(4);
  });

  it("rejects unknown options and bad values, quoting them", () => {
    expect(() => yanFig4.fig4Config({ temperature: 4 } as never)).toThrow(/unknown option "temperature"/);
    expect(() => yanFig4.fig4Config({ studentLayers: [] })).toThrow(/studentLayers/);
    expect(() => yanFig4.fig4Config({ studentLayers: [1, 0] })).toThrow(/studentLayers\[1\]/);
    expect(() => yanFig4.fig4Config({ readout: [0, 15] })).toThrow(/readout\[1\] = 15/);
    expect(() => yanFig4.fig4Config({ readout: [-1, 14] })).toThrow(/same qubit twice/);
    expect(() => yanFig4.fig4Config({ alpha: 2 })).toThrow(/alpha/);
  });

  it("resolves negative readout indices from the end of the chain (the sharp-teacher variant)", () => {
    expect(yanFig4.resolveReadout(yanFig4.fig4Config(yanFig4.FIG4_SHARP_TEACHER))).toEqual([13, 14]);
    expect(yanFig4.resolveReadout(yanFig4.fig4Config(yanFig4.FIG4_SHARP_TEACHER, true))).toEqual([7, 8]);
    expect(yanFig4.resolveReadout({ nQubits: 15, readout: [0, 1] })).toEqual([0, 1]);
  });
});

describe("checkFig4Claims over seeds (fabricated rows)", () => {
  const story = {
    teacher: 0.95,
    students: { 1: { noKd: 0.8, kd: 0.85 }, 2: { noKd: 0.9, kd: 0.99 }, 3: { noKd: 0.975, kd: 0.97 } },
  };
  const statuses = (rows: unknown[], opts = {}) => yanFig4.checkFig4Claims(rows as never, opts).map((c) => c.status);

  it("every part holds for numbers that tell the paper's story over 5 seeds", () => {
    const checks = yanFig4.checkFig4Claims(sweepRows({ nSeeds: 5, ...story }) as never);
    expect(checks.map((c) => c.nLayers)).toEqual([1, 1, 2, 2, 2, 3, 3, 3, 3]);
    expect(checks.map((c) => c.status)).toEqual(Array(9).fill("holds"));
    // the 1-layer gain: the mean of the per-seed differences, computed here
    const rows = sweepRows({ nSeeds: 5, ...story }) as {
      nLayers: number;
      kd: boolean;
      seed: number;
      testAccuracy: number;
      role: string;
    }[];
    const at = (kd: boolean, s: number) =>
      rows.find((r) => r.role === "student" && r.nLayers === 1 && r.kd === kd && r.seed === s)!.testAccuracy;
    const mean = [0, 1, 2, 3, 4].reduce((a, s) => a + 100 * (at(true, s) - at(false, s)), 0) / 5;
    expect(checks[0].effect!.estimate).toBeCloseTo(mean, 10);
    expect(checks[0].effect!.unit).toBe("accuracy points");
  });

  it("parts are contradicted for the opposite story", () => {
    const opposite = {
      teacher: 0.95,
      students: { 1: { noKd: 0.8, kd: 0.6 }, 2: { noKd: 0.95, kd: 0.9 }, 3: { noKd: 0.8, kd: 0.95 } },
    };
    // 1 L: no gain (contradicted), a loss is "modest" (holds); 2 L: below 97%, below no KD, below the teacher (all
    // contradicted); 3 L: no lead at 2 layers to close (not testable ×2), KD rises instead of dropping (contradicted, holds)
    expect(statuses(sweepRows({ nSeeds: 5, ...opposite }))).toEqual([
      "contradicted",
      "holds",
      "contradicted",
      "contradicted",
      "contradicted",
      "not testable",
      "not testable",
      "contradicted",
      "holds",
    ]);
  });

  it("a large 1-layer gain is not 'modest', a large 2 → 3 drop not 'slight', and a lead that stays is not caught up", () => {
    const big = {
      teacher: 0.95,
      students: { 1: { noKd: 0.6, kd: 0.8 }, 2: { noKd: 0.9, kd: 0.99 }, 3: { noKd: 0.75, kd: 0.88 } },
    };
    const st = statuses(sweepRows({ nSeeds: 5, ...big }));
    expect(st[1]).toBe("contradicted"); // +20 points ≥ 10
    expect(st[5]).toBe("contradicted"); // the KD lead grows from 9 to 13 points
    expect(st[6]).toBe("contradicted"); // still 13 points ahead at 3 layers (≥ 1)
    expect(st[8]).toBe("contradicted"); // 99 → 88: an 11-point drop is not slight
  });

  it("a gain whose sign flips between seeds, or two seeds, is inconclusive", () => {
    const flip = (s: number, L: number, kd: boolean) => (kd ? (s % 2 === 0 ? 0.06 : -0.06) : 0);
    const flipped = statuses(
      sweepRows({ nSeeds: 5, ...story, students: { ...story.students, 1: { noKd: 0.8, kd: 0.8 } }, spread: flip }),
    );
    expect(flipped[0]).toBe("inconclusive");
    // two seeds never decide; the catch-up parts then lack their established 2-layer lead
    expect(statuses(sweepRows({ nSeeds: 2, ...story }))).toEqual([
      "inconclusive",
      "inconclusive",
      "inconclusive",
      "inconclusive",
      "inconclusive",
      "not testable",
      "not testable",
      "inconclusive",
      "inconclusive",
    ]);
  });

  it("not testable: a teacher at the ceiling cannot be beaten; both arms at the ceiling show no gain", () => {
    const c = yanFig4.checkFig4Claims(sweepRows({ nSeeds: 5, ...story, teacher: 0.999 }) as never);
    expect(c[4].status).toBe("not testable");
    expect(c[4].reason).toMatch(/teacher is at 99\.\d% \(≥ 99\.5%\)/);
    const ceiling = yanFig4.checkFig4Claims(
      sweepRows({ nSeeds: 5, ...story, students: { ...story.students, 2: { noKd: 0.998, kd: 0.998 } } }) as never,
    );
    expect(ceiling[3].status).toBe("not testable");
    expect(ceiling[3].reason).toMatch(/both arms at the ceiling/);
    expect(ceiling[5].status).toBe("not testable"); // no established lead at 2 layers: "catches up" is not testable
  });

  it("reads a variant's rows only, and throws for a missing depth or an unknown tolerance", () => {
    const rows = [
      ...sweepRows({ nSeeds: 5, ...story }),
      ...sweepRows({
        nSeeds: 5,
        teacher: 0.95,
        students: { 1: { noKd: 0.8, kd: 0.6 }, 2: story.students[2], 3: story.students[3] },
        variant: "sharp",
      }),
    ];
    expect(statuses(rows)[0]).toBe("holds");
    expect(statuses(rows, { variant: "sharp" })[0]).toBe("contradicted");
    expect(() =>
      yanFig4.checkFig4Claims(
        sweepRows({ nSeeds: 5, teacher: 0.9, students: { 1: story.students[1], 2: story.students[2] } }) as never,
      ),
    ).toThrow(/no student with 3 layer/);
    expect(() =>
      yanFig4.checkFig4Claims(sweepRows({ nSeeds: 5, ...story }) as never, { tolerances: { slack: 1 } as never }),
    ).toThrow(/unknown option "slack"/);
    expect(() => yanFig4.checkFig4Claims([] as never)).toThrow(/no teacher rows/);
  });
});

describe("runFig4 on a tiny 5-qubit ZXZ chain", () => {
  it("trains a teacher and KD / non-KD students per depth from the same initialisation and batches", () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-fig4-"));
    const cfg = yanFig4.fig4Config({
      nQubits: 5,
      nTrain: 24,
      nTest: 16,
      teacherLayers: 2,
      teacherIterations: 4,
      studentLayers: [1, 2],
      studentIterations: 3,
      batchSize: 8,
      evalEvery: 2,
    });
    const r = yanFig4.runFig4(cfg, { cacheDir });
    expect(r.rows).toHaveLength(5);
    expect(r.rows.filter((x) => x.role === "teacher")).toHaveLength(1);
    for (const row of r.rows) {
      expect(row.paperTestAccuracy).toBeNull();
      expect(row.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(row.testAccuracy).toBeLessThanOrEqual(1);
      expect(row.nQubits).toBe(5);
    }
    expect(r.accuracies.students.map((s) => s.nLayers)).toEqual([1, 2]);
    for (const L of [1, 2]) {
      // same initial parameters and same first batch: the KD run's unweighted cross-entropy at iteration 1 is
      // exactly the non-KD run's loss there
      const noKd = r.histories[`student-L${L}-nokd`][0];
      const kd = r.histories[`student-L${L}-kd`][0];
      expect(kd.ce).toBeCloseTo(noKd.loss, 12);
      expect(kd.kl).toBeGreaterThanOrEqual(0);
    }
  }, 60_000);
});
