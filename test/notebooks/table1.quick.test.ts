// The Table 1 notebook, executed in quick mode with two seeds through the real tslab kernel by the CLI (as `npm run
// reproduce -- table1 --quick --seeds 2` does): every cell must run, results.json must hold the documented fields,
// and the seeds figure must show the mean ± std of the two seeds' rows.
import { describe, expect, it } from "vitest";
import { reproduceQuick } from "../helpers";
import * as fs from "fs";
import * as path from "path";

describe("notebooks/yan-table1.ipynb in quick mode, two seeds", () => {
  it("runs end to end through the kernel and writes the executed notebook, figures and results.json", async () => {
    const { dir, res } = await reproduceQuick("table1", "yan-table1.ipynb", ["--seeds", "2"]);
    // seed 0: paper-default rows and the sharp-teacher variant's rows, one teacher and four students each
    for (const variant of ["defaults", "sharp-teacher"]) {
      const roles = res.rows.filter((x) => x.variant === variant && x.seed === 0).map((x) => x.role);
      expect(roles.filter((x: string) => x === "teacher")).toHaveLength(1);
      expect(roles.filter((x: string) => x === "student")).toHaveLength(4);
    }
    // Section 9: every reading of T1.TABLE1_READINGS but the sharp bundle (it ran in Section 7), per seed one
    // teacher and four students tagged with its name; the readings table holds the defaults, each reading and the bundle
    const names = ["readout-first", "no-final-rotation", "init-0-1", "lr-0.1", "no-decay", "teacher-scale-10", "teacher-scale-10-kd-expectations", "no-T2", "alpha-0.9", "alpha-0.9-on-ce", "teacher-200"];
    for (const name of names) for (const seed of [0, 1]) {
      expect(res.rows.filter((x) => x.variant === name && x.seed === seed)).toHaveLength(5);
    }
    const table = JSON.parse(fs.readFileSync(path.join(dir, "claims.json"), "utf8")).details.readings as Record<string, unknown>[];
    expect(table.map((r) => r.reading)).toEqual(["defaults", ...names, "sharp-teacher"]);
    expect(table[0]["autoencoder F > 0.99"]).toBe("inconclusive");
    expect(table[1]["autoencoder F > 0.99"]).toBe("—"); // the readings share the autoencoder of each seed
    const ae = res.rows.find((x) => x.role === "autoencoder")!;
    expect(ae.meanFidelity).toBeGreaterThan(0);
    expect(ae.meanFidelity).toBeLessThanOrEqual(1 + 1e-9);
    for (const x of res.rows.filter((x) => x.role !== "autoencoder")) {
      expect(x.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(x.testAccuracy).toBeLessThanOrEqual(1);
    }
    const figs = fs.readdirSync(path.join(dir, "figures"));
    for (const f of ["phase-diagram", "teacher-curve", "qae-fidelity", "student1-curves", "student2-curves", "table1-bars", "table1-seeds", "kd-paired-differences"]) {
      expect(figs).toContain(`${f}.json`);
      expect(figs).toContain(`${f}.html`);
    }
    // the seeds figure: the teacher's bar is the mean of the two seeds' default-settings teachers, its error bar
    // their sample standard deviation |a − b| / √2
    const t = res.rows.filter((x) => x.role === "teacher" && x.variant === "defaults").map((x) => x.testAccuracy);
    expect(t).toHaveLength(2);
    const spec = JSON.parse(fs.readFileSync(path.join(dir, "figures", "table1-seeds.json"), "utf8"));
    expect(spec.data[0].x[0]).toBe("teacher");
    expect(spec.data[0].y[0]).toBeCloseTo((t[0] + t[1]) / 2, 12);
    expect(spec.data[0].error_y.array[0]).toBeCloseTo(Math.abs(t[0] - t[1]) / Math.SQRT2, 12);
    // the claims (teacher, autoencoder, students (1) and (2)) over both seeds, and the scorecard beside the folders
    const claims = JSON.parse(fs.readFileSync(path.join(dir, "claims.json"), "utf8"));
    expect(claims.quick).toBe(true);
    expect(claims.claims.map((c: { figure: string }) => c.figure)).toEqual(["Table 1", "Table 1", "Table 1", "Table 1"]);
    for (const c of claims.claims) {
      expect(c.nSeeds).toBe(2);
      expect(["inconclusive", "not testable"]).toContain(c.status); // two seeds never decide
      for (const p of c.parts) expect(p.effect === null || typeof p.effect.ciLow === "number").toBe(true);
    }
    expect(fs.readFileSync(path.join(dir, "..", "claims.md"), "utf8")).toContain("| Yan et al. | Table 1 |");
  }, 500_000);
});
