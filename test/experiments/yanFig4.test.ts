// Fig. 4 pieces: the configuration's checks, the readout convention, the claim checker on hand-made numbers
// (the paper's qualitative story, and its opposite), and a tiny end-to-end sweep on 5-qubit ZXZ data.
import { describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { yanFig4 } from "qnn-kd/experiments";

describe("fig4Config", () => {
  it("keeps the paper's stated values as defaults and applies quick overrides", () => {
    const c = yanFig4.fig4Config();
    expect(c.nQubits).toBe(15);
    expect(c.teacherLayers).toBe(10);
    expect(c.studentLayers).toEqual([1, 2, 3]);
    expect(c.studentIterations).toBe(50);
    expect(c.batchSize).toBe(64);
    expect(c.readout).toEqual([0, 1]);
    expect(c.teacherLogitScale).toBe(1);
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

describe("checkFig4Claims", () => {
  const story = { teacher: 0.95, students: [{ nLayers: 1, noKd: 0.8, kd: 0.85 }, { nLayers: 2, noKd: 0.9, kd: 0.99 }, { nLayers: 3, noKd: 0.975, kd: 0.97 }] };

  it("agrees on every part for numbers that tell the paper's story", () => {
    const checks = yanFig4.checkFig4Claims(story);
    expect(checks.map((c) => c.nLayers)).toEqual([1, 1, 2, 2, 2, 3, 3]);
    expect(checks.every((c) => c.holds)).toBe(true);
  });

  it("disagrees part by part for the opposite story", () => {
    const opposite = { teacher: 0.995, students: [{ nLayers: 1, noKd: 0.8, kd: 0.6 }, { nLayers: 2, noKd: 0.95, kd: 0.9 }, { nLayers: 3, noKd: 0.8, kd: 0.95 }] };
    const checks = yanFig4.checkFig4Claims(opposite);
    const byPart = checks.map((c) => c.holds);
    // 1 layer: no gain (fails), "modest" (a loss is ≤ 10 points: holds); 2 layers: all fail; 3 layers: non-KD
    // does not catch up (fails), KD rises instead of dropping (fails)
    expect(byPart).toEqual([false, true, false, false, false, false, false]);
  });

  it("applies the margin: a 1-point difference is not 'above'", () => {
    const tie = { ...story, students: story.students.map((s) => (s.nLayers === 2 ? { nLayers: 2, noKd: 0.985, kd: 0.99 } : s)) };
    const c = yanFig4.checkFig4Claims(tie).filter((x) => x.nLayers === 2);
    expect(c[1].holds).toBe(false);
    expect(yanFig4.checkFig4Claims(tie, { margin: 0.001 }).filter((x) => x.nLayers === 2)[1].holds).toBe(true);
  });

  it("throws for a missing depth, a bad accuracy or an unknown tolerance", () => {
    expect(() => yanFig4.checkFig4Claims({ teacher: 0.9, students: story.students.slice(0, 2) })).toThrow(/no student with 3 layer/);
    expect(() => yanFig4.checkFig4Claims({ ...story, teacher: 1.5 })).toThrow(/teacher/);
    expect(() => yanFig4.checkFig4Claims(story, { slack: 1 } as never)).toThrow(/unknown option "slack"/);
  });
});

describe("runFig4 on a tiny 5-qubit ZXZ chain", () => {
  it("trains a teacher and KD / non-KD students per depth from the same initialisation and batches", () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-fig4-"));
    const cfg = yanFig4.fig4Config({
      nQubits: 5, nTrain: 24, nTest: 16, teacherLayers: 2, teacherIterations: 4, studentLayers: [1, 2],
      studentIterations: 3, batchSize: 8, evalEvery: 2,
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
