// The noisy-teacher experiment's pure parts: its configuration (defaults, quick, validation), the noise model it
// uses (channels after every gate), and the curves and checks on fabricated rows where each question can come out
// either way.
import { describe, expect, it } from "vitest";
import { noisyTeacher as N } from "qnn-kd/experiments";
import type { ResultRow } from "qnn-kd/experiments";
import { hardwareEfficientAnsatz } from "qnn-kd";

const cfg = N.noisyTeacherConfig({ noiseLevels: [0, 0.01, 0.05], nSeeds: 2 });
const small = "teacher 7×2", large = "teacher 7×6";

/** Rows of two seeds with the given test accuracies per (experiment, who, p); seed 1 is seed 0 + 0.02. */
function rows(acc: Record<string, number>): ResultRow[] {
  const out: ResultRow[] = [];
  for (const seed of [0, 1]) {
    for (const [k, v] of Object.entries(acc)) {
      const [experiment, who, p] = k.split("|");
      const teacherRow = who.startsWith("teacher");
      const kd = who.startsWith("KD");
      out.push({
        model: teacherRow ? who : "student 7×1", role: teacherRow ? "teacher" : "student", nQubits: 7, nLayers: 1, kd, T: null, alpha: null,
        seed, trainAccuracy: null, testAccuracy: v + 0.02 * seed, paperTestAccuracy: null, experiment,
        p: p === "base" ? null : Number(p), teacher: kd ? who.replace("KD from ", "") : null,
      });
    }
  }
  return out;
}

function scenario(o: { kdSmall: number; kdLarge: number; robustKd: number; noisyKd: number; uniform?: number }): ResultRow[] {
  return rows({
    [`noisy-teacher|${small}|0`]: 0.98, [`noisy-teacher|${small}|0.05`]: 0.6, [`noisy-teacher|${large}|0.05`]: 0.55,
    [`noisy-teacher|KD from ${small}|0.05`]: o.kdSmall, [`noisy-teacher|KD from ${large}|0.05`]: o.kdLarge, "noisy-teacher|no KD|base": 0.7,
    "noisy-teacher|KD from uniform target|base": o.uniform ?? 0.72,
    "noisy-student|no KD|0": 0.7, [`noisy-student|KD from ${small}|0`]: 0.8, "noisy-student|no KD|0.05": 0.6, [`noisy-student|KD from ${small}|0.05`]: o.noisyKd,
    "robustness|no KD|0.05": 0.6, [`robustness|KD from ${small}|0.05`]: o.robustKd,
  });
}

describe("noisyTeacher", () => {
  it("defaults: the sharp-teacher Table 1 settings, the issue's noise levels, 1000 shots; quick is smaller; bad values throw", () => {
    const d = N.noisyTeacherConfig();
    expect(d.noiseLevels).toEqual([0, 1e-3, 1e-2, 5e-2]);
    expect([d.shots, d.nQubits, d.teacherLayers, d.largeTeacherLayers, d.student2Layers, d.teacherLogitScale]).toEqual([1000, 7, 2, 6, 1, 10]);
    expect(N.noisyTeacherConfig({}, true).nTrain).toBeLessThan(d.nTrain);
    expect(N.noisySeeds(cfg)).toEqual([0, 1]);
    expect(() => N.noisyTeacherConfig({ noiseLevels: [0, 1.2] })).toThrow(/noiseLevels must be a non-empty list of probabilities in \[0, 1\), got \[0,1.2\]/);
    expect(() => N.noisyTeacherConfig({ shots: 0 })).toThrow(/shots/);
    expect(() => N.noisyTeacherConfig({ nosie: 1 } as never)).toThrow(/unknown option "nosie"/);
  });
  it("the device model puts a channel after every gate of the student (7 × 1: 21 rotations, 6 CNOTs)", () => {
    const noisy = N.noiseModelAt(0.01).apply(hardwareEfficientAnsatz({ nQubits: 7, nLayers: 1 }));
    const ch = noisy.ops.filter((o) => o.kind === "channel");
    expect(ch).toHaveLength(27);
    expect(ch.filter((o) => o.kind === "channel" && o.channel.nQubits === 2)).toHaveLength(6);
    expect(N.noiseModelAt(0).apply(hardwareEfficientAnsatz({ nQubits: 7, nLayers: 1 })).hasChannels).toBe(false);
    expect(N.noisyModelCount(cfg)).toBe(16);
  });
  it("curves: mean ± std over seeds per noise level; the robustness curve starts at the students' own accuracy", () => {
    const curves = N.noiseCurves(cfg, scenario({ kdSmall: 0.8, kdLarge: 0.8, robustKd: 0.75, noisyKd: 0.7 }));
    const c = (e: string, n: string) => curves.find((x) => x.experiment === e && x.name === n)!;
    expect(c("noisy-teacher", small).points[0]!.mean).toBeCloseTo(0.99, 12);
    expect(c("noisy-teacher", small).points[0]!.std).toBeCloseTo(Math.SQRT2 * 0.01, 12);
    expect(c("noisy-teacher", "no KD").points.map((p) => p!.mean.toFixed(2))).toEqual(["0.71", "0.71", "0.71"]);
    expect(c("noisy-teacher", small).points[1]).toBeNull();
    expect(c("robustness", `KD from ${small}`).points.map((p) => p?.mean.toFixed(2) ?? null)).toEqual(["0.81", null, "0.76"]);
    const table = N.noiseCurveRows(cfg, curves, "noisy-student");
    expect(table[0]).toEqual({ model: "no KD", "p = 0": "71.0 ± 1.4", "p = 0.01": "", "p = 0.05": "61.0 ± 1.4" });
  });
  it("checks: each question holds or fails with the numbers", () => {
    const yes = N.checkNoisyClaims(cfg, scenario({ kdSmall: 0.8, kdLarge: 0.8, robustKd: 0.75, noisyKd: 0.7 }));
    expect(yes.map((c) => c.holds)).toEqual([true, true, true, true, true]);
    expect(yes[0].ours).toMatch(/no KD 71.0 ± 1.4%; KD from teacher 7×2 81.0 ± 1.4%/);
    const no = N.checkNoisyClaims(cfg, scenario({ kdSmall: 0.8, kdLarge: 0.7, robustKd: 0.65, noisyKd: 0.6, uniform: 0.9 }));
    expect(no.map((c) => c.holds)).toEqual([false, false, false, false, false]);
    expect(no.map((c) => c.claim)).toEqual([N.NOISY_CLAIMS.teaches, N.NOISY_CLAIMS.knowledge, N.NOISY_CLAIMS.large, N.NOISY_CLAIMS.robust, N.NOISY_CLAIMS.noisyTraining]);
    // a difference inside its standard error does not count: +1.2 points with a standard error of 1.4 is no gain
    const close = N.checkNoisyClaims(cfg, scenario({ kdSmall: 0.8, kdLarge: 0.8, robustKd: 0.75, noisyKd: 0.612 }));
    expect(close[4].holds).toBe(false);
  });
});
