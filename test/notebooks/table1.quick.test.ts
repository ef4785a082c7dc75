// The Table 1 notebook, executed in quick mode through the real tslab kernel by the CLI (as `npm run reproduce
// -- table1 --quick` does): every cell must run, and results.json must hold the documented fields.
import { describe, expect, it } from "vitest";
import { reproduceQuick } from "../helpers";
import * as fs from "fs";
import * as path from "path";

describe("notebooks/yan-table1.ipynb in quick mode", () => {
  it("runs end to end through the kernel and writes the executed notebook, figures and results.json", () => {
    const { dir, res } = reproduceQuick("table1", "yan-table1.ipynb");
    // paper-default rows and the sharp-teacher variant's rows: one teacher and four students each
    for (const variant of [undefined, "sharp-teacher"]) {
      const roles = res.rows.filter((x: { variant?: string }) => x.variant === variant).map((x: { role: string }) => x.role);
      expect(roles.filter((x: string) => x === "teacher")).toHaveLength(1);
      expect(roles.filter((x: string) => x === "student")).toHaveLength(4);
    }
    const ae = res.rows.find((x: { role: string }) => x.role === "autoencoder");
    expect(ae.meanFidelity).toBeGreaterThan(0);
    expect(ae.meanFidelity).toBeLessThanOrEqual(1 + 1e-9);
    for (const x of res.rows.filter((x: { role: string }) => x.role !== "autoencoder")) {
      expect(x.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(x.testAccuracy).toBeLessThanOrEqual(1);
    }
    const figs = fs.readdirSync(path.join(dir, "figures"));
    for (const f of ["phase-diagram", "teacher-curve", "qae-fidelity", "student1-curves", "student2-curves", "table1-bars"]) {
      expect(figs).toContain(`${f}.json`);
      expect(figs).toContain(`${f}.html`);
    }
  }, 500_000);
});
