// The Hasan & Mahdy notebook, executed in quick mode through the real tslab kernel by the CLI (as `npm run
// reproduce -- hasan --quick` does): every cell runs on MNIST at Q = 4; results.json holds the common fields plus
// dataset, reduction, encoding and teacher; the teachers are saved in the (temporary) cache; Fig. 12's bars are the
// rows' errors; claims.json holds the three claims (one seed: inconclusive or not testable, parts with effects); no
// checkpoints are left.
import { describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { reproduceQuick } from "../helpers";

describe("notebooks/hasan-kd.ipynb in quick mode", () => {
  it("runs end to end and writes results.json, claims.json, Fig. 12, the reductions and the circuit", async () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-hasan-cache-"));
    const old = process.env.QNN_KD_CACHE_DIR;
    process.env.QNN_KD_CACHE_DIR = cache;
    try {
      const { dir, res } = await reproduceQuick("hasan", "hasan-kd.ipynb");
      for (const r of res.rows) for (const f of ["dataset", "reduction", "encoding", "teacher", "nParams"]) expect(r).toHaveProperty(f);
      const teachers = res.rows.filter((r) => r.role === "teacher");
      expect(teachers.map((r) => r.teacher)).toEqual(["lenet5", "alexnet"]);
      // main: no KD + KD per teacher; ablation: 4 reductions + 2 encodings (KD from LeNet-5)
      expect(res.rows.filter((r) => r.experiment === "main")).toHaveLength(3);
      expect(res.rows.filter((r) => r.experiment === "ablation")).toHaveLength(6);
      expect(fs.readdirSync(path.join(cache, "hasan-teachers"))).toHaveLength(2);
      const figs = fs.readdirSync(path.join(dir, "figures"));
      for (const f of ["fig12-mnist.json", "reductions.json", "main-curves.json", "dense-features.json", "kd-paired-differences.json", "circuit-q4.svg"]) expect(figs).toContain(f);
      const spec = JSON.parse(fs.readFileSync(path.join(dir, "figures", "fig12-mnist.json"), "utf8"));
      const crop = res.rows.find((r) => r.reduction === "crop")!;
      expect(spec.data[0].y[1]).toBeCloseTo(crop.testError as number, 9); // x: maxpool, crop, …
      const claims = JSON.parse(fs.readFileSync(path.join(dir, "claims.json"), "utf8"));
      expect(claims.claims).toHaveLength(3);
      for (const c of claims.claims) {
        // one seed never decides; the datasets quick mode leaves out are not testable and named in the scope
        expect(["inconclusive", "not testable"]).toContain(c.status);
        expect(c.scope).toMatch(/CIFAR-10 not run/);
        for (const p of c.parts) expect(p.effect === null || typeof p.effect.unit === "string").toBe(true);
      }
      const kd = claims.claims[2].parts.filter((p: { effect: unknown }) => p.effect !== null);
      expect(kd.map((p: { effect: { unit: string } }) => p.effect.unit)).toEqual(["accuracy points", "accuracy points"]);
      expect(fs.existsSync(path.join(dir, "checkpoints")) ? fs.readdirSync(path.join(dir, "checkpoints")) : []).toEqual([]);
    } finally {
      if (old === undefined) delete process.env.QNN_KD_CACHE_DIR; else process.env.QNN_KD_CACHE_DIR = old;
      fs.rmSync(cache, { recursive: true, force: true });
    }
  }, 500_000);
});
