// The noisy-teacher notebook, executed in quick mode through the real tslab kernel by the CLI (as `npm run
// reproduce -- noisy-teacher --quick` does): every cell runs; results.json holds a row per model and noise level of
// each part (teachers, noisy teacher → clean student, noisy student, robustness) with the noise level p and shots;
// the noise figures plot the rows' seed means; claims.json holds the five hypotheses (kind "hypothesis"); no
// checkpoints are left.
import { describe, expect, it } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { reproduceQuick } from "../helpers";

describe("notebooks/noisy-teacher.ipynb in quick mode", () => {
  it("runs end to end and writes results.json, claims.json, the noise figures and the noisy circuit", async () => {
    const { dir, res } = await reproduceQuick("noisy-teacher", "noisy-teacher.ipynb");
    const levels = res.settings.noiseLevels as number[];
    expect(levels).toEqual([0, 0.05]);
    for (const r of res.rows) for (const f of ["experiment", "p", "shots", "teacher"]) expect(r).toHaveProperty(f);
    const part = (e: string) => res.rows.filter((r) => r.experiment === e);
    expect(part("teachers")).toHaveLength(2);
    // per teacher and level: the teacher on the device and its KD student; plus the no-KD baseline and the uniform-target control
    expect(part("noisy-teacher")).toHaveLength(2 * 2 * levels.length + 2);
    expect(part("noisy-student")).toHaveLength(2 * levels.length);
    expect(part("robustness")).toHaveLength(2 * (levels.length - 1));
    for (const r of res.rows) if (r.testAccuracy !== null) expect(r.testAccuracy).toBeGreaterThanOrEqual(0);
    const figs = fs.readdirSync(path.join(dir, "figures"));
    for (const f of ["noisy-teacher.json", "noisy-student.json", "robustness.json", "noisy-student.svg", "kd-paired-differences.json"]) expect(figs).toContain(f);
    const spec = JSON.parse(fs.readFileSync(path.join(dir, "figures", "noisy-student.json"), "utf8"));
    const kdAtMax = part("noisy-student").find((r) => r.kd && r.p === levels[1])!;
    const kdSeries = spec.data.find((d: { name: string }) => d.name.startsWith("KD from"));
    expect(kdSeries.y[1]).toBeCloseTo(kdAtMax.testAccuracy as number, 12);
    const claims = JSON.parse(fs.readFileSync(path.join(dir, "claims.json"), "utf8"));
    // five hypotheses of our own study (not a paper's claims), seven paired parts with their effects in points
    expect(claims.claims).toHaveLength(5);
    for (const c of claims.claims) {
      expect(c.kind).toBe("hypothesis");
      expect(["holds", "holds with variant", "contradicted", "inconclusive", "not testable"]).toContain(c.status);
      if (c.nSeeds < 3) expect(["inconclusive", "not testable"]).toContain(c.status);
      for (const p of c.parts) if (p.effect !== null) expect(p.effect.unit).toBe("accuracy points");
    }
    expect(claims.claims.flatMap((c: { parts: unknown[] }) => c.parts)).toHaveLength(7);
    expect(fs.existsSync(path.join(dir, "checkpoints")) ? fs.readdirSync(path.join(dir, "checkpoints")) : []).toEqual([]);
  }, 500_000);
});
