// The Fig. 5 notebook, executed in quick mode with two seeds through the real tslab kernel by the CLI (as `npm run
// reproduce -- fig5 --quick --seeds 2` does): every cell must run, results.json must hold the documented fields
// for both seeds, the figures must exist, and the mean ± std figure must be drawn from the rows.
import { describe, expect, it } from "vitest";
import { reproduceQuick } from "../helpers";
import * as fs from "fs";
import * as path from "path";

type Row = { role: string; nLayers: number; kd: boolean; seed: number; variant?: string; testAccuracy: number; trainAccuracy: number };
type Trace = { name: string; y: number[]; error_y?: { array: number[] } };

describe("notebooks/yan-fig5.ipynb in quick mode, two seeds", () => {
  it("runs end to end and writes results.json, claims.json and the figures", async () => {
    const { dir, res } = await reproduceQuick("fig5", "yan-fig5.ipynb", ["--seeds", "2"]);
    const rows = res.rows as unknown as Row[];
    expect(res.settings.seeds).toEqual([0, 1]);
    expect(res.settings.nQubits).toBe(8); // quick mode: 8 PCA components
    // per seed and variant (paper defaults, sharp teacher): one teacher and 3 depths × (no KD, KD) students
    for (const seed of [0, 1]) {
      for (const variant of ["defaults", "sharp-teacher"]) {
        const mine = rows.filter((r) => r.seed === seed && r.variant === variant);
        expect(mine.filter((r) => r.role === "teacher")).toHaveLength(1);
        expect(mine.filter((r) => r.role === "student")).toHaveLength(6);
      }
    }
    // Section 8: every reading but the sharp bundle, per seed one teacher and 6 students, tagged with its name
    const names = res.settings.readings.map((r: { name: string }) => r.name) as string[];
    expect(names).toContain("bits-minmax");
    expect(names).toHaveLength(11);
    for (const name of names) for (const seed of [0, 1]) expect(rows.filter((x) => x.variant === name && x.seed === seed)).toHaveLength(7);
    expect(rows).toHaveLength(28 + 2 * 7 * names.length);
    const ceiling = res.settings.bitCeiling as { train: number };
    for (const r of rows.filter((x) => x.variant !== "bits-minmax")) expect(r.trainAccuracy).toBeLessThanOrEqual(ceiling.train + 1e-12);
    const claims = JSON.parse(fs.readFileSync(path.join(dir, "claims.json"), "utf8"));
    expect(claims.details.seed0.defaults.length).toBeGreaterThan(4); // seed 0's parts
    expect(claims.claims).toHaveLength(4); // the scorecard records, decided over both seeds
    for (const c of claims.claims) {
      expect(c.nSeeds).toBe(2);
      expect(["inconclusive", "not testable"]).toContain(c.status); // two seeds never decide
    }
    const figs = fs.readdirSync(path.join(dir, "figures"));
    for (const f of ["explained-variance", "bit-balance", "teacher-curve", "fig5-depth", "student-curves", "fig5-depth-sharp-teacher", "fig5-depth-seeds", "fig5-depth-sharp-teacher-seeds", "kd-paired-differences"]) {
      expect(figs).toContain(`${f}.json`);
    }
    const spec = JSON.parse(fs.readFileSync(path.join(dir, "figures", "fig5-depth-seeds.json"), "utf8")) as { data: Trace[] };
    // trace 1: test accuracy with KD; its points are the mean of the two seeds, the error bars their sample std
    [2, 3, 4].forEach((L, i) => {
      const a = rows.filter((r) => r.variant === "defaults" && r.role === "student" && r.kd && r.nLayers === L).map((r) => r.testAccuracy);
      expect(spec.data[1].y[i]).toBeCloseTo((a[0] + a[1]) / 2, 12);
      expect(spec.data[1].error_y!.array[i]).toBeCloseTo(Math.abs(a[0] - a[1]) / Math.SQRT2, 12);
    });
  }, 500_000);
});
