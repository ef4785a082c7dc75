// The Piperno et al. Fig. 1 notebook, executed in quick mode through the real tslab kernel by the CLI (as `npm run
// reproduce -- piperno --quick` does): every cell runs, results.json holds the common fields plus f1, nParams and
// architecture for every seed's teacher and both arms of each student, Fig. 1's bars are the means of the defaults'
// rows, the readings' and the harder data's rows (one seed in quick mode, classical student and q_2) carry their
// `variant` and settings (q2-74: 74 parameters), and claims.json holds the three claims with their parts and effects
// (2 seeds: no part can hold or be contradicted) and our two harder-data hypotheses (kind "hypothesis").
import { describe, expect, it } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { reproduceQuick } from "../helpers";

describe("notebooks/piperno-fig1.ipynb in quick mode", () => {
  it("runs end to end and writes results.json, claims.json, Fig. 1 and the circuit drawings", async () => {
    const { dir, res } = await reproduceQuick("piperno", "piperno-fig1.ipynb");
    const seeds = res.settings.seeds as number[];
    expect(seeds).toEqual([0, 1]);
    const archs = res.settings.architectures as string[];
    const main = res.rows.filter((r) => r.variant === "defaults");
    expect(main).toHaveLength(seeds.length * (1 + 2 * archs.length));
    for (const r of main) {
      expect([r.klReduction, r.restoreBest, r.earlyStoppingMetric, r.readoutKind, r.rule]).toEqual(["sum", false, "loss", "expectation", "first-two"]);
      expect(r.alpha).toBe(r.kd ? 32 / 33 : null);
    }
    // the readings and the harder data: one seed, teacher + classical and q_2 in both arms, tagged by variant
    const settings = ["kl-mean", "restore-best", "monitor-f1", "q2-74", "label-noise-0.1", "parity3"];
    expect(res.settings.readings).toEqual(settings.slice(0, 4));
    expect(res.settings.harderData).toEqual(settings.slice(4));
    for (const v of settings) {
      const mine = res.rows.filter((r) => r.variant === v);
      expect(mine.map((r) => `${r.architecture}/${r.kd}/${r.seed}`), v).toEqual(["teacher/false/0", "classical/false/0", "classical/true/0", "q2/false/0", "q2/true/0"]);
    }
    const of = (v: string, a: string) => res.rows.filter((r) => r.variant === v && r.architecture === a);
    expect(of("q2-74", "q2").map((r) => r.nParams)).toEqual([74, 74]);
    expect(of("kl-mean", "q2").map((r) => r.alpha)).toEqual([null, 0.5]);
    expect(of("restore-best", "q2").every((r) => r.restoreBest === true)).toBe(true);
    expect(of("monitor-f1", "q2").every((r) => r.earlyStoppingMetric === "macroF1")).toBe(true);
    expect(of("label-noise-0.1", "classical").every((r) => r.labelNoise === 0.1)).toBe(true);
    expect(of("parity3", "classical").every((r) => r.rule === "parity3")).toBe(true);
    expect(res.rows).toHaveLength(main.length + 5 * settings.length);
    for (const r of res.rows) {
      for (const f of ["f1", "nParams", "architecture"]) expect(r).toHaveProperty(f);
      expect(r.f1 as number).toBeGreaterThanOrEqual(0);
      expect(r.f1 as number).toBeLessThanOrEqual(1);
    }
    const figs = fs.readdirSync(path.join(dir, "figures"));
    for (const f of ["teacher-curve.json", "seed0-curves.json", "fig1.json", "kd-paired-differences.json", "circuit-hea.svg", "circuit-q2.svg"]) expect(figs).toContain(f);
    // the first bar is the classical student's mean F1 without KD over the seeds
    const spec = JSON.parse(fs.readFileSync(path.join(dir, "figures", "fig1.json"), "utf8"));
    const f1 = main.filter((r) => r.architecture === "classical" && r.kd === false).map((r) => r.f1 as number);
    expect(spec.data[0].y[0]).toBeCloseTo(f1.reduce((a, b) => a + b, 0) / f1.length, 12);
    const claims = JSON.parse(fs.readFileSync(path.join(dir, "claims.json"), "utf8"));
    expect(claims.claims.map((c: { kind: string }) => c.kind)).toEqual(["paper claim", "paper claim", "paper claim", "hypothesis", "hypothesis"]);
    expect(claims.details.readings.map((r: { reading: string }) => r.reading)).toEqual(["defaults", ...settings.slice(0, 4)]);
    for (const c of claims.claims) {
      expect(["holds", "holds with variant", "contradicted", "inconclusive", "not testable"]).toContain(c.status);
      expect(c.measure).toMatch(/seed/);
      for (const p of c.parts) expect(p.effect === null || typeof p.effect.unit === "string").toBe(true);
    }
    // KD − no KD per student, paired over both seeds (2 seeds never decide: inconclusive, or not testable at the ceiling)
    const kdParts = claims.claims[0].parts;
    expect(kdParts).toHaveLength(archs.length);
    for (const p of kdParts) {
      expect(["inconclusive", "not testable"]).toContain(p.status);
      expect(p.effect.unit).toBe("F1 difference");
      expect(p.effect.perSeed.map((x: { seed: number }) => x.seed)).toEqual(seeds);
    }
    // the hypotheses: per data set, the classical student and q_2, one seed each (never decided)
    const hyp = claims.claims.slice(3).flatMap((c: { parts: { test: string; status: string; nSeeds: number }[] }) => c.parts);
    expect(hyp.map((p: { test: string }) => p.test.split(":")[0])).toEqual(["label-noise-0.1", "parity3", "label-noise-0.1", "parity3"]);
    for (const p of hyp) expect(["inconclusive", "not testable"]).toContain(p.status);
    expect(fs.existsSync(path.join(dir, "checkpoints")) ? fs.readdirSync(path.join(dir, "checkpoints")) : []).toEqual([]);
  }, 500_000);
});
