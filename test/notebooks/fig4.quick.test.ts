// The Fig. 4 notebook, executed in quick mode with two seeds through the real tslab kernel by the CLI (as `npm run
// reproduce -- fig4 --quick --seeds 2` does): every cell must run, results.json must hold the documented fields
// for both seeds, and the mean ± std figures must be drawn from those rows. The second seed adds about 5 s.
import { describe, expect, it } from "vitest";
import { reproduceQuick } from "../helpers";
import * as fs from "fs";
import * as path from "path";

type Row = { role: string; model: string; nLayers: number; kd: boolean; seed: number; variant?: string; testAccuracy: number };
type Trace = { name: string; x: number[]; y: number[]; error_y?: { type: string; array: number[]; visible: boolean } };

describe("notebooks/yan-fig4.ipynb in quick mode, two seeds", () => {
  it("runs end to end through the kernel and writes the executed notebook, figures, results.json and claims.json", async () => {
    const { dir, res } = await reproduceQuick("fig4", "yan-fig4.ipynb", ["--seeds", "2"]);
    const rowsAll = res.rows as unknown as Row[];
    expect(res.settings.seeds).toBe(2);
    expect(res.settings.seedList).toEqual([0, 1]);
    // per seed, paper-default rows and the sharp-teacher variant's rows: one teacher and 3 depths × (KD, no KD) students each
    for (const seed of [0, 1]) {
      for (const variant of ["defaults", "sharp-teacher"]) {
        const rows = rowsAll.filter((x) => x.variant === variant && x.seed === seed);
        expect(rows.filter((x) => x.role === "teacher")).toHaveLength(1);
        const students = rows.filter((x) => x.role === "student");
        expect(students).toHaveLength(6);
        expect([...new Set(students.map((x) => x.nLayers))].sort()).toEqual([1, 2, 3]);
      }
    }
    // Section 8: each reading of F4.FIG4_ABLATED, per seed one teacher and 6 students, tagged with its name
    const ablated = ["readout-first", "no-final-rotation", "init-0-1", "lr-0.1", "teacher-scale-10", "alpha-0.9", "alpha-0.9-on-ce"];
    expect(res.settings.readings.map((r: { name: string }) => r.name)).toEqual(ablated);
    for (const name of ablated) for (const seed of [0, 1]) expect(rowsAll.filter((x) => x.variant === name && x.seed === seed)).toHaveLength(7);
    expect(rowsAll).toHaveLength(28 + 2 * 7 * ablated.length);
    const table = JSON.parse(fs.readFileSync(path.join(dir, "claims.json"), "utf8")).details.readings as Record<string, unknown>[];
    expect(table.map((r) => r.reading)).toEqual(["defaults", ...ablated, "sharp-teacher"]);
    for (const r of table) expect(r.seeds).toBe(2);
    for (const x of res.rows) {
      expect(x.paperTestAccuracy).toBeNull();
      expect(x.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(x.testAccuracy).toBeLessThanOrEqual(1);
    }
    const claims = JSON.parse(fs.readFileSync(path.join(dir, "claims.json"), "utf8"));
    for (const k of ["defaults", "sharpTeacher"]) expect(claims.details[k]).toHaveLength(9); // seed 0's parts
    // the scorecard records: one per claim (1, 2, 3 layers), decided over both seeds by the verdict engine: two seeds
    // never decide, so every part is inconclusive (or not testable, where a precondition fails)
    expect(claims.claims.map((c: { claim: string }) => c.claim)).toHaveLength(3);
    for (const c of claims.claims) {
      expect(c.nSeeds).toBe(2);
      expect(["inconclusive", "not testable"]).toContain(c.status);
      for (const p of c.parts) expect(["inconclusive", "not testable"]).toContain(p.status);
    }
    const gain = claims.claims[0].parts[0];
    expect(gain.effect.unit).toBe("accuracy points");
    const at = (kd: boolean, s: number) => rowsAll.find((x) => x.variant === "defaults" && x.role === "student" && x.nLayers === 1 && x.kd === kd && x.seed === s)!.testAccuracy;
    expect(gain.effect.estimate).toBeCloseTo(50 * (at(true, 0) - at(false, 0) + at(true, 1) - at(false, 1)), 10);
    const figs = fs.readdirSync(path.join(dir, "figures"));
    for (const f of ["phase-diagram", "teacher-curve", "fig4-depth", "student-curves", "fig4-depth-sharp-teacher", "fig4-depth-seeds", "fig4-depth-sharp-teacher-seeds", "kd-paired-differences"]) {
      expect(figs).toContain(`${f}.json`);
      expect(figs).toContain(`${f}.html`);
    }
    // the seeds figures: each student point is the mean of the two seeds' rows, its error bar their sample std,
    // which for two values is |a − b| / √2
    for (const [variant, name] of [["defaults", "fig4-depth-seeds"], ["sharp-teacher", "fig4-depth-sharp-teacher-seeds"]] as const) {
      const spec = JSON.parse(fs.readFileSync(path.join(dir, "figures", `${name}.json`), "utf8")) as { data: Trace[] };
      for (const [trace, kd] of [[spec.data[0], false], [spec.data[1], true]] as const) {
        expect(trace.error_y?.type).toBe("data");
        expect(trace.error_y?.visible).toBe(true);
        [1, 2, 3].forEach((L, i) => {
          const acc = rowsAll.filter((x) => x.variant === variant && x.role === "student" && x.nLayers === L && x.kd === kd).map((x) => x.testAccuracy);
          expect(acc).toHaveLength(2);
          expect(trace.y[i]).toBeCloseTo((acc[0] + acc[1]) / 2, 12);
          expect(trace.error_y!.array[i]).toBeCloseTo(Math.abs(acc[0] - acc[1]) / Math.SQRT2, 12);
        });
      }
      const teacherAcc = rowsAll.filter((x) => x.variant === variant && x.role === "teacher").map((x) => x.testAccuracy);
      expect(spec.data[2].y[0]).toBeCloseTo((teacherAcc[0] + teacherAcc[1]) / 2, 12);
    }
  }, 500_000);
});
