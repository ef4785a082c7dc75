// The Fig. 6 notebook, executed in quick mode through the real tslab kernel by the CLI (as `npm run reproduce
// -- fig6 --quick` does): every cell must run, and results.json must hold the final rows and the per-epoch rows.
import { describe, expect, it } from "vitest";
import { reproduceQuick } from "../helpers";
import * as fs from "fs";
import * as path from "path";

describe("notebooks/yan-fig6.ipynb in quick mode", () => {
  it("runs end to end through the kernel and writes the executed notebook, figures and results.json", async () => {
    const { dir, res } = await reproduceQuick("fig6", "yan-fig6.ipynb");
    const finals = res.rows.filter((x) => x.rowType === "final" && x.variant === "defaults");
    // Section 6: the readings (logits ×10; at that scale KD from the unscaled ⟨Z⟩), each with its three final rows
    for (const name of ["scale-10", "scale-10-kd-expectations"]) {
      expect(res.rows.filter((x) => x.rowType === "final" && x.variant === name)).toHaveLength(3);
    }
    const table = JSON.parse(fs.readFileSync(path.join(dir, "claims.json"), "utf8")).details.readings as Record<string, unknown>[];
    expect(table.map((r) => r.reading)).toEqual(["defaults", "scale-10", "scale-10-kd-expectations"]);
    expect(finals.map((x) => x.model)).toEqual(["teacher", "student-nokd", "student-kd"]);
    for (const x of finals) {
      expect(x.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(x.testAccuracy).toBeLessThanOrEqual(1);
      expect(x.nQubits).toBe(10);
    }
    // per-epoch rows: epochs 0…E of each model, with a test accuracy
    const E = res.settings.studentEpochs;
    for (const model of ["student-nokd", "student-kd"]) {
      const rows = res.rows.filter((x) => x.rowType === "epoch" && x.model === model && x.variant === "defaults");
      expect(rows.map((x) => x.epoch)).toEqual(Array.from({ length: E + 1 }, (_, e) => e));
      for (const x of rows) expect(typeof x.testAccuracy).toBe("number");
    }
    const figs = fs.readdirSync(path.join(dir, "figures"));
    for (const f of ["encoded-image", "teacher-curve", "fig6-test-accuracy", "student-losses", "kd-paired-differences"]) {
      expect(figs).toContain(`${f}.json`);
      expect(figs).toContain(`${f}.html`);
    }
    // the claim for the scorecard: one record (Fig. 6, a paper's claim), its two paired parts over the run's seeds
    // (mean over epochs 1–E and after epoch 1), each with its effect in accuracy points
    const claims = JSON.parse(fs.readFileSync(path.join(dir, "claims.json"), "utf8"));
    expect(claims.claims.map((c: { figure: string }) => c.figure)).toEqual(["Fig. 6"]);
    const [rec] = claims.claims;
    expect(rec.kind).toBe("paper claim");
    expect(["holds", "holds with variant", "contradicted", "inconclusive", "not testable"]).toContain(rec.status);
    expect(rec.nSeeds).toBe(res.settings.seeds);
    if (rec.nSeeds < 3) expect(rec.status).toBe("inconclusive"); // quick mode runs one seed unless told otherwise
    expect(rec.parts).toHaveLength(2);
    expect(rec.parts.map((p: { test: string }) => p.test)).toEqual([
      `KD − no KD > 0 points in test accuracy, mean over epochs 1–${E}`, "KD − no KD > 0 points in test accuracy after epoch 1"]);
    for (const p of rec.parts) {
      expect(p.effect.unit).toBe("accuracy points");
      expect(p.effect.perSeed).toHaveLength(rec.nSeeds);
    }
    // the first part's estimate: KD − no KD of the mean test accuracy over epochs 1…E, by hand from the rows
    const curve = (model: string, seed: number) => res.rows
      .filter((x) => x.rowType === "epoch" && x.model === model && x.seed === seed && x.epoch >= 1 && x.variant === "defaults")
      .map((x) => x.testAccuracy);
    const auc = (model: string, seed: number) => curve(model, seed).reduce((a: number, b: number) => a + b, 0) / E;
    const seeds = res.settings.seedList as number[];
    const byHand = seeds.reduce((a, s) => a + 100 * (auc("student-kd", s) - auc("student-nokd", s)), 0) / seeds.length;
    expect(rec.parts[0].effect.estimate).toBeCloseTo(byHand, 9);
    // a successful run removes its checkpoints
    expect(fs.existsSync(path.join(dir, "checkpoints")) ? fs.readdirSync(path.join(dir, "checkpoints")) : []).toEqual([]);
  }, 320_000);
});
