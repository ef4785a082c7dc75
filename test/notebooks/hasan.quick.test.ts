// The Hasan & Mahdy notebook, executed in quick mode through the real tslab kernel by the CLI (as `npm run
// reproduce -- hasan --quick` does): every cell runs on MNIST and on CIFAR-10 from a small file of the real binary
// format that the test writes (QNN_KD_CIFAR10_DIR), at Q = 4, with every reading of the encodings and the readout;
// results.json holds the common fields plus dataset, reduction, encoding, readout, variant and teacher; the
// teachers are saved in the (temporary) cache; Fig. 12's bars are the rows' errors; claims.json holds the three
// claims (one seed: inconclusive or not testable, parts with effects; the encodings' claim also per reading); no
// checkpoints are left.
import { describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { reproduceQuick, writeCifarFixture } from "../helpers";

describe("notebooks/hasan-kd.ipynb in quick mode", () => {
  it("runs end to end and writes results.json, claims.json, Fig. 12, the reductions and the circuit", async () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-hasan-cache-"));
    const cifar = writeCifarFixture(path.join(cache, "cifar-10-batches-bin"));
    const old = { cache: process.env.QNN_KD_CACHE_DIR, cifar: process.env.QNN_KD_CIFAR10_DIR };
    process.env.QNN_KD_CACHE_DIR = cache;
    process.env.QNN_KD_CIFAR10_DIR = cifar;
    try {
      const { dir, res } = await reproduceQuick("hasan", "hasan-kd.ipynb");
      for (const r of res.rows) for (const f of ["dataset", "reduction", "encoding", "teacher", "nParams", "variant"]) expect(r).toHaveProperty(f);
      const teachers = res.rows.filter((r) => r.role === "teacher");
      // the two teachers of the defaults, then the normalisation reading's own LeNet-5 (trained on pixels / 255)
      expect(teachers.map((r) => `${r.dataset}/${r.teacher}/${r.variant}`)).toEqual([
        "mnist/lenet5/defaults", "mnist/alexnet/defaults", "mnist/lenet5/normalisation-unit",
        "cifar10/lenet5/defaults", "cifar10/alexnet/defaults", "cifar10/lenet5/normalisation-unit",
      ]);
      for (const d of ["mnist", "cifar10"]) {
        const mine = res.rows.filter((r) => r.dataset === d);
        // main: no KD + KD per teacher; ablation: 4 reductions + 2 encodings + 7 readings (KD from LeNet-5)
        expect(mine.filter((r) => r.experiment === "main")).toHaveLength(3);
        const ablation = mine.filter((r) => r.experiment === "ablation");
        expect(ablation).toHaveLength(13);
        expect(ablation.map((r) => `${r.encoding}/${r.readout}/${r.variant}`).slice(4)).toEqual([
          "angle/expectation/defaults", "qubit/expectation/defaults", "angle-stacked/expectation/angle-stacked",
          "angle-raw/expectation/angle-raw", "basis/expectation/basis", "amplitude/probabilities/probabilities",
          "angle/expectation/lr-0.01-angle", "amplitude/expectation/lr-0.01-original",
          "amplitude/expectation/normalisation-unit",
        ]);
        expect(ablation.filter((r) => String(r.variant).startsWith("lr-0.01")).map((r) => [r.lr, r.epochs])).toEqual([[0.01, 3], [0.01, 3]]);
      }
      expect(res.rows.find((r) => r.dataset === "cifar10" && r.role === "student")!.nTest).toBe(60);
      expect(fs.readdirSync(path.join(cache, "hasan-teachers"))).toHaveLength(6);
      const figs = fs.readdirSync(path.join(dir, "figures"));
      for (const f of ["fig12-mnist.json", "fig12-cifar10.json", "reductions.json", "main-curves.json", "dense-features.json", "kd-paired-differences.json", "circuit-q4.svg"]) expect(figs).toContain(f);
      const spec = JSON.parse(fs.readFileSync(path.join(dir, "figures", "fig12-mnist.json"), "utf8"));
      expect(spec.layout.xaxis?.categories ?? spec.data[0].x).toEqual(["maxpool", "crop", "pca", "avgpool", "angle", "qubit", "original", "angle-stacked", "angle-raw", "basis", "probabilities", "lr-0.01-angle", "lr-0.01-original", "normalisation-unit"]);
      const crop = res.rows.find((r) => r.reduction === "crop")!;
      expect(spec.data[0].y[1]).toBeCloseTo(crop.testError as number, 9); // x: maxpool, crop, …
      const claims = JSON.parse(fs.readFileSync(path.join(dir, "claims.json"), "utf8"));
      expect(claims.claims).toHaveLength(3);
      for (const c of claims.claims) {
        // one seed never decides; the dataset quick mode leaves out is not testable and named in the scope
        expect(["inconclusive", "not testable"]).toContain(c.status);
        expect(c.scope).toMatch(/Fashion-MNIST not run \(not among the configured datasets\)/);
        for (const p of c.parts) expect(p.effect === null || typeof p.effect.unit === "string").toBe(true);
      }
      expect(Object.keys(claims.claims[0].statusBySetting)).toEqual(["defaults", "angle-stacked", "angle-raw", "basis", "lr-0.01-angle"]);
      const kd = claims.claims[2].parts.filter((p: { effect: unknown }) => p.effect !== null);
      expect(kd.map((p: { effect: { unit: string } }) => p.effect.unit)).toEqual(Array(4).fill("accuracy points"));
      expect(fs.existsSync(path.join(dir, "checkpoints")) ? fs.readdirSync(path.join(dir, "checkpoints")) : []).toEqual([]);
    } finally {
      if (old.cache === undefined) delete process.env.QNN_KD_CACHE_DIR; else process.env.QNN_KD_CACHE_DIR = old.cache;
      if (old.cifar === undefined) delete process.env.QNN_KD_CIFAR10_DIR; else process.env.QNN_KD_CIFAR10_DIR = old.cifar;
      fs.rmSync(cache, { recursive: true, force: true });
    }
  }, 500_000);
});
