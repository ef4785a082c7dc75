// The Hasan & Mahdy experiment module: settings checks, the normalised subsets, dataset availability with how to
// get a missing one, the teacher cache (a second call loads the saved model: same logits, no training), the run
// names, and the tables and claim checks on fabricated rows (where each claim can fail).
import { beforeAll, describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { hasan as H } from "qnn-kd/experiments";
import type { ResultRow } from "qnn-kd/experiments";
import { useTfBackend } from "qnn-kd/hybrid";

beforeAll(async () => {
  await useTfBackend();
});

describe("hasanConfig", () => {
  it("defaults follow the paper (T = 3, α = 0.9 as 9/19 of Eq. 7, Q = 4 and 8) and bad values are clear errors", () => {
    const c = H.hasanConfig();
    expect(c.T).toBe(3);
    expect(c.alpha / (1 - c.alpha)).toBeCloseTo(0.9, 12);
    expect(c.qubits).toEqual([4, 8]);
    expect(H.hasanConfig({}, true).datasets).toEqual(["mnist"]);
    expect(() => H.hasanConfig({ datasets: ["svhn" as never] })).toThrow(/datasets.*"svhn"|svhn/);
    expect(() => H.hasanConfig({ qubits: [] })).toThrow(/qubits must be a non-empty list/);
    expect(() => H.hasanConfig({ epochs: 0 })).toThrow(/epochs/);
    expect(() => H.hasanConfig({ colour: true } as never)).toThrow(/colour/);
  });
});

describe("data", () => {
  it("MNIST subsets are normalised by the training mean and std", () => {
    const d = H.hasanData({ nTrain: 300, nTest: 50 }, "mnist");
    expect(d.train.inputs).toHaveLength(300);
    expect(d.test.inputs).toHaveLength(50);
    expect(d.inputShape).toEqual([28, 28, 1]);
    let s = 0, q = 0, n = 0;
    for (const x of d.train.inputs) for (const v of x) { s += v; q += v * v; n++; }
    expect(s / n).toBeCloseTo(0, 9);
    expect(q / n - (s / n) ** 2).toBeCloseTo(1, 6);
  });

  it("a missing dataset says how to get it", () => {
    const old = { f: process.env.QNN_KD_FASHION_MNIST_DIR, c: process.env.QNN_KD_CIFAR10_DIR };
    process.env.QNN_KD_FASHION_MNIST_DIR = path.join(os.tmpdir(), "no-such-fashion");
    process.env.QNN_KD_CIFAR10_DIR = path.join(os.tmpdir(), "no-such-cifar");
    try {
      const a = H.datasetAvailability({ datasets: ["mnist", "fashion-mnist", "cifar10"] });
      expect(a.map((x) => x.available)).toEqual([true, false, false]);
      expect(a[1].howToGet).toMatch(/apt-get install dataset-fashion-mnist/);
      expect(a[2].howToGet).toMatch(/QNN_KD_CIFAR10_DIR/);
    } finally {
      if (old.f === undefined) delete process.env.QNN_KD_FASHION_MNIST_DIR; else process.env.QNN_KD_FASHION_MNIST_DIR = old.f;
      if (old.c === undefined) delete process.env.QNN_KD_CIFAR10_DIR; else process.env.QNN_KD_CIFAR10_DIR = old.c;
    }
  });
});

describe("teacher cache", () => {
  it("trains once, saves in tfjs format, and loads the same teacher on the second call", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-teachers-"));
    try {
      const cfg = H.hasanConfig({ teacherCacheDir: dir, teacherEpochs: 1, nTrain: 256, nTest: 64 }, true);
      const data = H.hasanData(cfg, "mnist");
      const a = await H.hasanTeacher(cfg, data, "lenet5", 0);
      expect(a.cached).toBe(false);
      expect(fs.existsSync(path.join(a.dir, "model.json"))).toBe(true);
      const b = await H.hasanTeacher(cfg, data, "lenet5", 0);
      expect(b.cached).toBe(true);
      expect(b.result.finalTestAccuracy).toBe(a.result.finalTestAccuracy);
      const x = data.test.inputs.slice(0, 5);
      const la = a.model.logitsBatch(x), lb = b.model.logitsBatch(x);
      la.forEach((r, i) => expect(Array.from(lb[i])).toEqual(Array.from(r)));
      expect(H.teacherCacheFolder({ ...cfg, teacherEpochs: 2 }, data, "lenet5", 0)).not.toBe(a.dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("run names", () => {
  it("no-KD and per-teacher KD runs of the same student have distinct names", () => {
    const kd = { T: 3, alpha: 9 / 19 };
    expect(H.studentRunName(kd, 4, "dense", "amplitude", null)).toBe("q4-dense-amplitude-nokd");
    expect(H.studentRunName(kd, 4, "dense", "amplitude", "lenet5")).toMatch(/^q4-dense-amplitude-from-lenet5-kd-T3-a/);
    expect(H.studentRunName(kd, 4, "dense", "amplitude", "alexnet")).not.toBe(H.studentRunName(kd, 4, "dense", "amplitude", "lenet5"));
  });
});

/** Fabricated rows of one dataset and Q: errors per method (%), and main-table accuracies. */
function rows(errors: Partial<Record<H.Fig12Method, number>>, acc: { noKd: number; lenet5: number; alexnet: number }): ResultRow[] {
  const base = { dataset: "mnist", nQubits: 4, role: "student", seed: 0 };
  const out: ResultRow[] = [
    { ...base, role: "teacher", model: "LeNet-5", teacher: "lenet5", kd: false, testAccuracy: 0.99 } as unknown as ResultRow,
    { ...base, role: "teacher", model: "AlexNet-style", teacher: "alexnet", kd: false, testAccuracy: 0.98 } as unknown as ResultRow,
    { ...base, experiment: "main", reduction: "dense", encoding: "amplitude", teacher: null, kd: false, testAccuracy: acc.noKd, nParams: 100 } as unknown as ResultRow,
    { ...base, experiment: "main", reduction: "dense", encoding: "amplitude", teacher: "alexnet", kd: true, testAccuracy: acc.alexnet } as unknown as ResultRow,
  ];
  for (const [m, e] of Object.entries(errors) as [H.Fig12Method, number][]) {
    const [reduction, encoding] = m === "original" ? ["dense", "amplitude"] : m === "angle" || m === "basis" ? ["dense", m] : [m, "amplitude"];
    out.push({
      ...base, experiment: m === "original" ? "main" : "ablation", reduction, encoding, teacher: "lenet5", kd: true,
      testAccuracy: m === "original" ? acc.lenet5 : 1 - e / 100, testError: e, bestTestAccuracy: 1 - e / 100,
    } as unknown as ResultRow);
  }
  return out;
}

describe("tables and claims", () => {
  const cfg = { ablationTeacher: "lenet5" as const };
  it("Fig. 12 entries and the main table put the paper's numbers beside ours", () => {
    const r = rows({ original: 20, angle: 30, basis: 25, crop: 70, pca: 60, avgpool: 50, maxpool: 80 }, { noKd: 0.78, lenet5: 0.8, alexnet: 0.79 });
    const e = H.fig12Entries(cfg, r);
    expect(e.map((x) => x.method)).toEqual(["maxpool", "crop", "pca", "avgpool", "angle", "basis", "original"]);
    expect(e.find((x) => x.method === "pca")!.paper).toBe(H.HASAN_FIG12.mnist[4].pca);
    const t = H.mainTable(r);
    expect(t).toHaveLength(1);
    expect(t[0].noKd).toBe(0.78);
    expect(t[0].kd.lenet5).toBe(0.8);
    expect(t[0].teacherAccuracy.alexnet).toBe(0.98);
    expect(t[0].paperKd).toBeCloseTo(100 - 22.1, 12);
  });

  it("claims hold when the numbers say so, and fail when they do not", () => {
    const good = H.checkHasanClaims(cfg, rows({ original: 20, angle: 30, basis: 25, crop: 70, pca: 60, avgpool: 50, maxpool: 80 }, { noKd: 0.78, lenet5: 0.8, alexnet: 0.79 }));
    expect(good.map((c) => c.holds)).toEqual([true, true, true]);
    const bad = H.checkHasanClaims(cfg, rows({ original: 20, angle: 18, basis: 25, crop: 70, pca: 15, avgpool: 50, maxpool: 80 }, { noKd: 0.81, lenet5: 0.8, alexnet: 0.82 }));
    expect(bad.map((c) => c.holds)).toEqual([false, false, false]);
    expect(bad[0].ours).toMatch(/angle 18.0%/);
  });
});
