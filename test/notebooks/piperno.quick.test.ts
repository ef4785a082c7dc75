// The Piperno et al. Fig. 1 notebook, executed in quick mode through the real tslab kernel by the CLI (as `npm run
// reproduce -- piperno --quick` does): every cell runs, results.json holds the common fields plus f1, nParams and
// architecture for every seed's teacher and both arms of each student, Fig. 1's bars are the means of the rows, and
// claims.json holds the three claims with their parts and effects (2 seeds: no part can hold or be contradicted).
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
    expect(res.rows).toHaveLength(seeds.length * (1 + 2 * archs.length));
    for (const r of res.rows) {
      for (const f of ["f1", "nParams", "architecture"]) expect(r).toHaveProperty(f);
      expect(r.f1 as number).toBeGreaterThanOrEqual(0);
      expect(r.f1 as number).toBeLessThanOrEqual(1);
    }
    const figs = fs.readdirSync(path.join(dir, "figures"));
    for (const f of ["teacher-curve.json", "seed0-curves.json", "fig1.json", "kd-paired-differences.json", "circuit-hea.svg", "circuit-q2.svg"]) expect(figs).toContain(f);
    // the first bar is the classical student's mean F1 without KD over the seeds
    const spec = JSON.parse(fs.readFileSync(path.join(dir, "figures", "fig1.json"), "utf8"));
    const f1 = res.rows.filter((r) => r.architecture === "classical" && r.kd === false).map((r) => r.f1 as number);
    expect(spec.data[0].y[0]).toBeCloseTo(f1.reduce((a, b) => a + b, 0) / f1.length, 12);
    const claims = JSON.parse(fs.readFileSync(path.join(dir, "claims.json"), "utf8"));
    expect(claims.claims).toHaveLength(3);
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
    expect(fs.existsSync(path.join(dir, "checkpoints")) ? fs.readdirSync(path.join(dir, "checkpoints")) : []).toEqual([]);
  }, 500_000);
});
