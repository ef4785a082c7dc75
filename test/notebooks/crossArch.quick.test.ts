// The cross-architecture notebook, executed in quick mode through the real tslab kernel by the CLI (as `npm run
// reproduce -- cross-architecture --quick` does): every cell runs; results.json holds a row per model, setting and
// noise level with the study's fields; the compression and phase-diagram figures hold the rows' numbers; claims.json
// holds the three hypotheses (kind "hypothesis"); no checkpoints are left.
import { describe, expect, it } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { reproduceQuick } from "../helpers";

describe("notebooks/cross-architecture.ipynb in quick mode", () => {
  it("runs end to end and writes results.json, claims.json, the figures and the circuits", async () => {
    const { dir, res } = await reproduceQuick("cross-architecture", "cross-architecture.ipynb");
    for (const r of res.rows)
      for (const f of ["setting", "student", "architecture", "nParams", "twoQubitGates", "depth", "p", "shots"])
        expect(r).toHaveProperty(f);
    const of = (setting: string, variant = "defaults") =>
      res.rows.filter((r) => r.setting === setting && (r.variant ?? "defaults") === variant);
    // table1: the teacher, 3 hardware-efficient students and 5 shapes × (no KD, KD), then 2 noisy students × 2 at p = 0.01
    expect(of("table1")).toHaveLength(1 + 2 * (3 + 5) + 2 * 2);
    expect(of("table1").filter((r) => r.p === 0.01).map((r) => r.student)).toEqual(["hea-L3", "hea-L3", "qcnn", "qcnn"]);
    // fig4 (9 qubits in quick mode): the teacher, 2 hardware-efficient students and 3 shapes, no noise
    expect(of("fig4")).toHaveLength(1 + 2 * (2 + 3));
    expect(of("fig4")[0].nQubits).toBe(9);
    for (const v of ["defaults-teacher", "lr-0.1"]) expect(res.rows.filter((r) => r.variant === v)).toHaveLength(1 + 2 * 8);
    const figs = fs.readdirSync(path.join(dir, "figures"));
    for (const f of ["compression.json", "phase-table1.json", "phase-fig4.json", "qcnn-7.svg", "ttn-7.svg"])
      expect(figs).toContain(f);
    const spec = JSON.parse(fs.readFileSync(path.join(dir, "figures", "compression.json"), "utf8"));
    const qcnnKd = of("table1").find((r) => r.student === "qcnn" && r.kd && r.p === null)!;
    const kdSeries = spec.data.find((d: { name: string; xaxis: string }) => d.name === "KD" && d.xaxis === "x");
    expect(kdSeries.y).toContain(100 * (qcnnKd.testAccuracy as number));
    const phase = JSON.parse(fs.readFileSync(path.join(dir, "figures", "phase-table1.json"), "utf8"));
    expect(phase.data).toHaveLength(5); // the exact string order, the teacher, three students
    const claims = JSON.parse(fs.readFileSync(path.join(dir, "claims.json"), "utf8"));
    expect(claims.claims.map((c: { claim: string }) => c.claim)).toHaveLength(3);
    for (const c of claims.claims) {
      expect(c.kind).toBe("hypothesis");
      expect(["inconclusive", "not testable"]).toContain(c.status); // one seed decides nothing
    }
    expect(fs.existsSync(path.join(dir, "checkpoints")) ? fs.readdirSync(path.join(dir, "checkpoints")) : []).toEqual([]);
  }, 600_000);
});
