// The Fig. 6 notebook, executed in quick mode through the real tslab kernel by the CLI (as `npm run reproduce
// -- fig6 --quick` does): every cell must run, and results.json must hold the final rows and the per-epoch rows.
import { describe, expect, it } from "vitest";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.resolve(__dirname, "../..");

describe("notebooks/yan-fig6.ipynb in quick mode", () => {
  it("runs end to end through the kernel and writes the executed notebook, figures and results.json", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-fig6-"));
    const r = spawnSync(process.execPath, [path.join(root, "dist/cli/main.js"), "reproduce", "fig6", "--quick", "--out", out], {
      cwd: root, encoding: "utf8", timeout: 300_000, env: { ...process.env },
    });
    if (r.status !== 0) console.error(r.stdout.slice(-4000), r.stderr.slice(-4000));
    expect(r.status).toBe(0);
    const dir = path.join(out, "fig6");
    const nb = JSON.parse(fs.readFileSync(path.join(dir, "yan-fig6.ipynb"), "utf8"));
    const codeCells = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "code");
    expect(codeCells.every((c: { execution_count: number | null }) => c.execution_count !== null)).toBe(true);
    const res = JSON.parse(fs.readFileSync(path.join(dir, "results.json"), "utf8"));
    expect(res.experiment).toBe("fig6");
    expect(res.settings.quick).toBe(true);
    const fields = ["model", "role", "nQubits", "nLayers", "kd", "T", "alpha", "seed", "trainAccuracy", "testAccuracy", "paperTestAccuracy"];
    for (const row of res.rows) for (const f of fields) expect(row).toHaveProperty(f);
    const finals = res.rows.filter((x: { rowType: string }) => x.rowType === "final");
    expect(finals.map((x: { model: string }) => x.model)).toEqual(["teacher", "student-nokd", "student-kd"]);
    for (const x of finals) {
      expect(x.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(x.testAccuracy).toBeLessThanOrEqual(1);
      expect(x.nQubits).toBe(10);
    }
    // per-epoch rows: epochs 0…E of each model, with a test accuracy
    const E = res.settings.studentEpochs;
    for (const model of ["student-nokd", "student-kd"]) {
      const rows = res.rows.filter((x: { rowType: string; model: string }) => x.rowType === "epoch" && x.model === model);
      expect(rows.map((x: { epoch: number }) => x.epoch)).toEqual(Array.from({ length: E + 1 }, (_, e) => e));
      for (const x of rows) expect(typeof x.testAccuracy).toBe("number");
    }
    const figs = fs.readdirSync(path.join(dir, "figures"));
    for (const f of ["encoded-image", "teacher-curve", "fig6-test-accuracy", "student-losses"]) {
      expect(figs).toContain(`${f}.json`);
      expect(figs).toContain(`${f}.html`);
    }
    // a successful run removes its checkpoints
    expect(fs.existsSync(path.join(dir, "checkpoints")) ? fs.readdirSync(path.join(dir, "checkpoints")) : []).toEqual([]);
  }, 320_000);
});
