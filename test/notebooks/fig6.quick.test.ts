// The Fig. 6 notebook, executed in quick mode through the real tslab kernel by the CLI (as `npm run reproduce
// -- fig6 --quick` does): every cell must run, and results.json must hold the final rows and the per-epoch rows.
import { describe, expect, it } from "vitest";
import { reproduceQuick } from "../helpers";
import * as fs from "fs";
import * as path from "path";

describe("notebooks/yan-fig6.ipynb in quick mode", () => {
  it("runs end to end through the kernel and writes the executed notebook, figures and results.json", () => {
    const { dir, res } = reproduceQuick("fig6", "yan-fig6.ipynb");
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
    // the claim for the scorecard: one record (Fig. 6), its two checked parts
    const claims = JSON.parse(fs.readFileSync(path.join(dir, "claims.json"), "utf8"));
    expect(claims.claims.map((c: { figure: string }) => c.figure)).toEqual(["Fig. 6"]);
    expect(claims.claims[0].parts).toHaveLength(2);
    // a successful run removes its checkpoints
    expect(fs.existsSync(path.join(dir, "checkpoints")) ? fs.readdirSync(path.join(dir, "checkpoints")) : []).toEqual([]);
  }, 320_000);
});
