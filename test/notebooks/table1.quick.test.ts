// The Table 1 notebook, executed in quick mode through the real tslab kernel by the CLI (as `npm run reproduce
// -- table1 --quick` does): every cell must run, and results.json must hold the documented fields.
import { describe, expect, it } from "vitest";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.resolve(__dirname, "../..");

describe("notebooks/yan-table1.ipynb in quick mode", () => {
  it("runs end to end through the kernel and writes the executed notebook, figures and results.json", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-table1-"));
    const r = spawnSync(process.execPath, [path.join(root, "dist/cli/main.js"), "reproduce", "table1", "--quick", "--out", out], {
      cwd: root, encoding: "utf8", timeout: 480_000, env: { ...process.env },
    });
    if (r.status !== 0) console.error(r.stdout.slice(-4000), r.stderr.slice(-4000));
    expect(r.status).toBe(0);
    const dir = path.join(out, "table1");
    const nb = JSON.parse(fs.readFileSync(path.join(dir, "yan-table1.ipynb"), "utf8"));
    const codeCells = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "code");
    expect(codeCells.every((c: { execution_count: number | null }) => c.execution_count !== null)).toBe(true);
    const res = JSON.parse(fs.readFileSync(path.join(dir, "results.json"), "utf8"));
    expect(res.experiment).toBe("table1");
    expect(res.settings.quick).toBe(true);
    const fields = ["model", "role", "nQubits", "nLayers", "kd", "T", "alpha", "seed", "trainAccuracy", "testAccuracy", "paperTestAccuracy"];
    for (const row of res.rows) for (const f of fields) expect(row).toHaveProperty(f);
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
