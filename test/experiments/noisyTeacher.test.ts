// The noisy-teacher experiment's pure parts: its configuration (defaults, quick, validation), the noise model it
// uses (channels after every gate), the curves, and the hypothesis checks (verdict engine, paired by seed) on
// fabricated rows of 5 seeds (and 2) where every part holds, is contradicted or is inconclusive.
import { describe, expect, it } from "vitest";
import { claimRecords, noisyTeacher as N } from "qnn-kd/experiments";
import type { ResultRow } from "qnn-kd/experiments";
import { hardwareEfficientAnsatz } from "qnn-kd";

const cfg = N.noisyTeacherConfig({ noiseLevels: [0, 0.01, 0.05], nSeeds: 2 });
const small = "teacher 7×2",
  large = "teacher 7×6";

/**
 * Result rows with the test accuracies `acc(i)` of seed `seeds[i]`, keyed "experiment|who|p" (who: a teacher label,
 * "no KD" or "KD from <teacher>"; p: a number or "base" for null).
 */
function seedRows(seeds: readonly number[], acc: (i: number) => Record<string, number>): ResultRow[] {
  const out: ResultRow[] = [];
  seeds.forEach((seed, i) => {
    for (const [k, v] of Object.entries(acc(i))) {
      const [experiment, who, p] = k.split("|");
      const teacherRow = who.startsWith("teacher");
      const kd = who.startsWith("KD");
      out.push({
        model: teacherRow ? who : "student 7×1",
        role: teacherRow ? "teacher" : "student",
        nQubits: 7,
        nLayers: 1,
        kd,
        T: null,
        alpha: null,
        seed,
        trainAccuracy: null,
        testAccuracy: v,
        paperTestAccuracy: null,
        experiment,
        p: p === "base" ? null : Number(p),
        teacher: kd ? who.replace("KD from ", "") : null,
      });
    }
  });
  return out;
}

/** Rows of two seeds with the given test accuracies per (experiment, who, p); seed 1 is seed 0 + 0.02. */
function rows(acc: Record<string, number>): ResultRow[] {
  return seedRows([0, 1], (i) => Object.fromEntries(Object.entries(acc).map(([k, v]) => [k, v + 0.02 * i])));
}

function scenario(o: {
  kdSmall: number;
  kdLarge: number;
  robustKd: number;
  noisyKd: number;
  uniform?: number;
}): ResultRow[] {
  return rows({
    [`noisy-teacher|${small}|0`]: 0.98,
    [`noisy-teacher|${small}|0.05`]: 0.6,
    [`noisy-teacher|${large}|0.05`]: 0.55,
    [`noisy-teacher|KD from ${small}|0.05`]: o.kdSmall,
    [`noisy-teacher|KD from ${large}|0.05`]: o.kdLarge,
    "noisy-teacher|no KD|base": 0.7,
    "noisy-teacher|KD from uniform target|base": o.uniform ?? 0.72,
    "noisy-student|no KD|0": 0.7,
    [`noisy-student|KD from ${small}|0`]: 0.8,
    "noisy-student|no KD|0.05": 0.6,
    [`noisy-student|KD from ${small}|0.05`]: o.noisyKd,
    "robustness|no KD|0.05": 0.6,
    [`robustness|KD from ${small}|0.05`]: o.robustKd,
  });
}

describe("noisyTeacher", () => {
  it("defaults: the sharp-teacher Table 1 settings, the issue's noise levels, 1000 shots; quick is smaller; bad values throw", () => {
    const d = N.noisyTeacherConfig();
    expect(d.noiseLevels).toEqual([0, 1e-3, 1e-2, 5e-2]);
    expect([d.shots, d.nQubits, d.teacherLayers, d.largeTeacherLayers, d.student2Layers, d.teacherLogitScale]).toEqual([
      1000, 7, 2, 6, 1, 10,
    ]);
    expect(N.noisyTeacherConfig({}, true).nTrain).toBeLessThan(d.nTrain);
    expect(N.noisySeeds(cfg)).toEqual([0, 1]);
    expect(() => N.noisyTeacherConfig({ noiseLevels: [0, 1.2] })).toThrow(
      /noiseLevels must be a non-empty list of probabilities in \[0, 1\), got \[0,1.2\]/,
    );
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
    expect(c("robustness", `KD from ${small}`).points.map((p) => p?.mean.toFixed(2) ?? null)).toEqual([
      "0.81",
      null,
      "0.76",
    ]);
    const table = N.noiseCurveRows(cfg, curves, "noisy-student");
    expect(table[0]).toEqual({ model: "no KD", "p = 0": "71.0 ± 1.4", "p = 0.01": "", "p = 0.05": "61.0 ± 1.4" });
  });
});

/** Per seed (index i), the test accuracy of each arm the checks read (fractions). */
interface Arms {
  base: number[];
  uniform: number[];
  kdSmall: number[];
  kdLarge: number[];
  own0No: number[];
  own0Kd: number[];
  robNo: number[];
  robKd: number[];
  noisyNo: number[];
  noisyKd: number[];
}

/**
 * Arms over n seeds from a per-seed gain g (KD from the small teacher − uniform target; no-KD drop − KD drop;
 * noisy-trained KD − no KD) and a per-seed difference l (KD from the large teacher − from the small one).
 */
function arms(g: readonly number[], l: readonly number[]): Arms {
  const n = g.length,
    idx = Array.from({ length: n }, (_, i) => i);
  const u = [0.01, 0, -0.01, 0.005, 0];
  const base = idx.map((i) => 0.7 + 0.013 * i),
    uniform = idx.map((i) => base[i] + u[i]);
  const kdSmall = idx.map((i) => uniform[i] + g[i]),
    kdLarge = idx.map((i) => kdSmall[i] + l[i]);
  const own0No = idx.map((i) => 0.85 + 0.01 * i),
    robNo = idx.map((i) => own0No[i] - 0.15 - 0.005 * i);
  const own0Kd = idx.map((i) => 0.88 + 0.005 * i),
    robKd = idx.map((i) => own0Kd[i] - (own0No[i] - robNo[i] - g[i]));
  const noisyNo = idx.map((i) => 0.6 + 0.02 * i),
    noisyKd = idx.map((i) => noisyNo[i] + g[i]);
  return { base, uniform, kdSmall, kdLarge, own0No, own0Kd, robNo, robKd, noisyNo, noisyKd };
}

/** The rows of a run (cfg's levels 0, 0.01, 0.05) holding the arms at the largest level, over seeds 10, 11, …. */
function armRows(a: Arms): ResultRow[] {
  const seeds = a.base.map((_, i) => 10 + i);
  return seedRows(seeds, (i) => ({
    [`noisy-teacher|${small}|0.05`]: 0.6 + 0.01 * i,
    [`noisy-teacher|${large}|0.05`]: 0.5,
    [`noisy-teacher|${small}|0.01`]: 0.9,
    "noisy-teacher|no KD|base": a.base[i],
    "noisy-teacher|KD from uniform target|base": a.uniform[i],
    [`noisy-teacher|KD from ${small}|0.05`]: a.kdSmall[i],
    [`noisy-teacher|KD from ${large}|0.05`]: a.kdLarge[i],
    [`noisy-teacher|KD from ${small}|0.01`]: 0.99, // not the largest level: never read
    "noisy-student|no KD|0": a.own0No[i],
    [`noisy-student|KD from ${small}|0`]: a.own0Kd[i],
    "noisy-student|no KD|0.05": a.noisyNo[i],
    [`noisy-student|KD from ${small}|0.05`]: a.noisyKd[i],
    "robustness|no KD|0.05": a.robNo[i],
    [`robustness|KD from ${small}|0.05`]: a.robKd[i],
    "robustness|no KD|0.01": 0.1,
  }));
}

/** The per-seed differences (points) of the 7 parts, in the checker's order, by hand from the arms. */
function differences(a: Arms): number[][] {
  const d = (x: number[], y: number[]) => x.map((v, i) => 100 * (v - y[i]));
  const dropNo = a.own0No.map((v, i) => v - a.robNo[i]),
    dropKd = a.own0Kd.map((v, i) => v - a.robKd[i]);
  return [
    d(a.kdSmall, a.base),
    d(a.kdLarge, a.base),
    d(a.kdSmall, a.uniform),
    d(a.kdLarge, a.uniform),
    d(a.kdLarge, a.kdSmall),
    d(dropNo, dropKd),
    d(a.noisyKd, a.noisyNo),
  ];
}

const avg = (v: readonly number[]) => v.reduce((x, y) => x + y, 0) / v.length;
const up = [0.05, 0.07, 0.04, 0.06, 0.08],
  down = up.map((x) => -x),
  flip = [0.06, -0.05, 0.04, -0.06, 0.02];
const largeHolds = [0.005, -0.005, 0.01, 0, 0.005],
  largeDown = [-0.05, -0.04, -0.06, -0.05, -0.03],
  largeFlip = [0.04, -0.05, 0.03, -0.06, 0.03];

describe("checkNoisyClaims (hypotheses; verdict engine, paired by seed, at the largest p)", () => {
  const claimsOrder = [
    N.NOISY_CLAIMS.teaches,
    N.NOISY_CLAIMS.teaches,
    N.NOISY_CLAIMS.knowledge,
    N.NOISY_CLAIMS.knowledge,
    N.NOISY_CLAIMS.large,
    N.NOISY_CLAIMS.robust,
    N.NOISY_CLAIMS.noisyTraining,
  ];
  const expectEstimates = (parts: ReturnType<typeof N.checkNoisyClaims>, a: Arms) => {
    const diffs = differences(a);
    parts.forEach((p, k) => {
      expect(p.effect!.unit).toBe("accuracy points");
      expect(p.effect!.estimate).toBeCloseTo(avg(diffs[k]), 9);
      expect(p.effect!.perSeed!.map((x) => x.seed)).toEqual(a.base.map((_, i) => 10 + i));
      p.effect!.perSeed!.forEach((x, i) => expect(x.value).toBeCloseTo(diffs[k][i], 9));
      expect(p.nSeeds).toBe(a.base.length);
    });
  };

  it("holds: every part's interval lies above its margin (0, or −1 point for the large teacher)", () => {
    const a = arms(up, largeHolds);
    const parts = N.checkNoisyClaims(cfg, armRows(a));
    expect(parts.map((p) => p.claim)).toEqual(claimsOrder);
    expect(parts.map((p) => p.status)).toEqual(Array(7).fill("holds"));
    expectEstimates(parts, a);
    expect(parts[0].test).toBe(`KD from ${small} run at p = 0.05 − no KD > 0 points`);
    expect(parts[1].test).toMatch(new RegExp(`KD from ${large} run at p = 0.05`));
    expect(parts[3].test).toMatch(/uniform target > 0 points/);
    expect(parts[4].test).toMatch(/> −1 point/);
    expect(parts[4].effect!.ciLow!).toBeGreaterThan(-1);
    expect(parts[4].effect!.ciLow!).toBeLessThan(0); // the margin, not 0, decides
    expect(parts[4].ours).toMatch(/the teachers at p = 0.05: teacher 7×6 50.0 ± 0.0%, teacher 7×2 62.0 ± 1.6%/);
    expect(parts[5].test).toBe("accuracy drop p = 0 → 0.05: no KD's − KD's > 0 points");
    expect(parts[5].ours).toMatch(/^no-KD drop \+[0-9.]+ ± [0-9.]+ points vs KD drop/);
    expect(parts[6].measure).toMatch(/trained at p = 0.05/);
    expect(parts[0].ours).toMatch(
      /^KD from teacher 7×2 [0-9.]+ ± [0-9.]+% vs no KD [0-9.]+ ± [0-9.]+%; KD from teacher 7×2 − no KD \+/,
    );
    // the scorecard records: five hypotheses of our own study, not a paper's claims
    const recs = claimRecords({ ...N.NOISY_SOURCE, kind: "hypothesis", checks: parts });
    expect(recs.map((r) => [r.kind, r.status, r.parts.length])).toEqual([
      ["hypothesis", "holds", 2],
      ["hypothesis", "holds", 2],
      ["hypothesis", "holds", 1],
      ["hypothesis", "holds", 1],
      ["hypothesis", "holds", 1],
    ]);
    expect(recs[0].paper).not.toBe("Yan et al.");
    expect(claimRecords({ ...N.NOISY_SOURCE, checks: parts })[0].kind).toBe("hypothesis");
  });

  it("contradicted: every part's interval lies at or below its margin", () => {
    const a = arms(down, largeDown);
    const parts = N.checkNoisyClaims(cfg, armRows(a));
    expect(parts.map((p) => p.status)).toEqual(Array(7).fill("contradicted"));
    expectEstimates(parts, a);
    expect(parts[4].effect!.ciHigh!).toBeLessThanOrEqual(-1);
  });

  it("inconclusive when the sign flips between seeds, and always with 2 seeds", () => {
    const a = arms(flip, largeFlip);
    const diffs = differences(a);
    for (const d of diffs) expect(d.some((x) => x < 0) && d.some((x) => x > 0)).toBe(true);
    const parts = N.checkNoisyClaims(cfg, armRows(a));
    expect(parts.map((p) => p.status)).toEqual(Array(7).fill("inconclusive"));
    expectEstimates(parts, a);
    const a2 = arms(up.slice(0, 2), largeHolds.slice(0, 2));
    const two = N.checkNoisyClaims(cfg, armRows(a2));
    expect(two.map((p) => p.status)).toEqual(Array(7).fill("inconclusive"));
    for (const p of two) expect(p.reason).toMatch(/2 seed\(s\): at least 3 are needed/);
    expectEstimates(two, a2);
  });

  it("not testable: both arms at the accuracy ceiling (gains), and rows missing (robustness with one noise level)", () => {
    const a = arms(up, largeHolds);
    const ceiling = armRows(a).map((r) =>
      r.experiment === "noisy-student" && r.p === 0.05 ? { ...r, testAccuracy: 0.998 } : r,
    );
    const parts = N.checkNoisyClaims(cfg, ceiling);
    expect(parts[6].status).toBe("not testable");
    expect(parts[6].reason).toMatch(/both arms at the ceiling/);
    expect(parts[6].effect!.estimate).toBeCloseTo(0, 9);
    const one = N.noisyTeacherConfig({ noiseLevels: [0.05], nSeeds: 2 });
    const rob = N.checkNoisyClaims(one, armRows(a))[5];
    expect([rob.claim, rob.status, rob.effect]).toEqual([N.NOISY_CLAIMS.robust, "not testable", null]);
    const noRobust = N.checkNoisyClaims(
      cfg,
      armRows(a).filter((r) => r.experiment !== "robustness"),
    )[5];
    expect(noRobust.status).toBe("not testable");
    expect(noRobust.reason).toMatch(/no rows of the students trained at p = 0 and run at p = 0.05/);
    // a seed missing in one arm of a pair: a broken run, an error
    const broken = armRows(a).filter(
      (r) => !(r.seed === 12 && r.experiment === "noisy-teacher" && r.teacher === small),
    );
    expect(() => N.checkNoisyClaims(cfg, broken)).toThrow(/the arms must have the same seeds to pair/);
  });
});
