// The Fig. 4 notebook, executed in quick mode through the real tslab kernel by the CLI (as `npm run reproduce
// -- fig4 --quick` does): every cell must run, and results.json must hold the documented fields.
import { describe, expect, it } from "vitest";
import { reproduceQuick } from "../helpers";
import * as fs from "fs";
import * as path from "path";

describe("notebooks/yan-fig4.ipynb in quick mode", () => {
  it("runs end to end through the kernel and writes the executed notebook, figures, results.json and claims.json", () => {
    const { dir, res } = reproduceQuick("fig4", "yan-fig4.ipynb");
    // paper-default rows and the sharp-teacher variant's rows: one teacher and 3 depths × (KD, no KD) students each
    for (const variant of [undefined, "sharp-teacher"]) {
      const rows = res.rows.filter((x: { variant?: string }) => x.variant === variant);
      expect(rows.filter((x: { role: string }) => x.role === "teacher")).toHaveLength(1);
      const students = rows.filter((x: { role: string }) => x.role === "student");
      expect(students).toHaveLength(6);
      expect([...new Set(students.map((x: { nLayers: number }) => x.nLayers))].sort()).toEqual([1, 2, 3]);
    }
    for (const x of res.rows) {
      expect(x.paperTestAccuracy).toBeNull();
      expect(x.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(x.testAccuracy).toBeLessThanOrEqual(1);
    }
    const claims = JSON.parse(fs.readFileSync(path.join(dir, "claims.json"), "utf8"));
    for (const k of ["defaults", "sharpTeacher"]) {
      expect(claims[k]).toHaveLength(7);
      for (const c of claims[k]) expect(typeof c.holds).toBe("boolean");
    }
    const figs = fs.readdirSync(path.join(dir, "figures"));
    for (const f of ["phase-diagram", "teacher-curve", "fig4-depth", "student-curves", "fig4-depth-sharp-teacher"]) {
      expect(figs).toContain(`${f}.json`);
      expect(figs).toContain(`${f}.html`);
    }
  }, 500_000);
});
