// The Hasan & Mahdy experiment module: settings checks, the normalised subsets, dataset availability with how to
// get a missing one, the teacher cache (a second call loads the saved model: same logits, no training), the run
// names, the tables on fabricated rows, and the claim checker (verdict engine) on fabricated rows of 2 and 5 seeds:
// each claim's parts holding, contradicted, inconclusive and not testable (ceiling; a dataset not run).
import { beforeAll, describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { claimRecords, hasan as H } from "qnn-kd/experiments";
import type { ResultRow } from "qnn-kd/experiments";
import { useTfBackend } from "qnn-kd/hybrid";
import { writeCifarFixture } from "../helpers";

beforeAll(async () => {
  await useTfBackend();
});

describe("hasanConfig", () => {
  it("defaults follow the paper (T = 3, α = 0.9 as 9/19 of Eq. 7, Q = 4 and 8) and bad values are clear errors", () => {
    const c = H.hasanConfig();
    expect(c.T).toBe(3);
    expect(c.alpha / (1 - c.alpha)).toBeCloseTo(0.9, 12);
    expect(c.qubits).toEqual([4, 8]);
    expect(H.hasanConfig({}, true).datasets).toEqual(["mnist", "cifar10"]);
    expect(H.hasanConfig({}, true).fullFiles).toBe(false);
    expect(() => H.hasanConfig({ datasets: ["svhn" as never] })).toThrow(/datasets.*"svhn"|svhn/);
    expect(() => H.hasanConfig({ qubits: [] })).toThrow(/qubits must be a non-empty list/);
    expect(() => H.hasanConfig({ epochs: 0 })).toThrow(/epochs/);
    expect(() => H.hasanConfig({ colour: true } as never)).toThrow(/colour/);
    expect(c.encodings).toEqual(["amplitude", "angle", "qubit"]);
    expect(c.variants).toEqual([
      "angle-stacked",
      "angle-raw",
      "basis",
      "probabilities",
      "lr-0.01-angle",
      "lr-0.01-original",
      "normalisation-unit",
    ]);
    expect(H.HASAN_READINGS["normalisation-unit"].normalisation).toBe("unit");
    expect([c.lr, c.epochs]).toEqual([1e-3, 10]); // the authors' v1 optimiser; the earlier one is a reading
    expect(H.HASAN_READINGS["lr-0.01-angle"].optimiser).toEqual({ lr: 0.01, epochs: 3 });
    expect(() => H.hasanConfig({ encodings: ["basis" as never] })).toThrow(/encodings.*"basis"/);
    expect(() => H.hasanConfig({ variants: ["sharp" as never] })).toThrow(/variants.*"sharp"/);
    expect(() => H.hasanConfig({ normalisation: "none" as never })).toThrow(/normalisation/);
  });

  it("the encodings as read in PARAMS.md: the authors' H + R_Y(π·tanh), the dense angle (qubit), stacked 2^Q rotations", () => {
    expect(H.HASAN_ENCODERS.angle).toEqual({ encoding: "angle", scale: Math.PI, squash: "tanh", hadamard: true });
    expect(H.HASAN_ENCODERS.qubit).toEqual({ encoding: "dense-angle", scale: Math.PI, squash: "tanh" });
    expect(H.HASAN_ENCODERS["angle-stacked"].encoding).toBe("stacked-angle");
    expect(H.HASAN_READINGS["angle-stacked"].varies).toBe("angle");
    expect(H.HASAN_READINGS.basis.varies).toBe("qubit");
    expect(H.studentRunName({ T: 3, alpha: 9 / 19 }, 4, "dense", "amplitude", null, "probabilities")).toBe(
      "q4-dense-amplitude-probs-nokd",
    );
  });
});

describe("data", () => {
  it("MNIST subsets are normalised by the training mean and std", () => {
    const d = H.hasanData({ nTrain: 300, nTest: 50 }, "mnist");
    expect(d.train.inputs).toHaveLength(300);
    expect(d.test.inputs).toHaveLength(50);
    expect(d.inputShape).toEqual([28, 28, 1]);
    let s = 0,
      q = 0,
      n = 0;
    for (const x of d.train.inputs)
      for (const v of x) {
        s += v;
        q += v * v;
        n++;
      }
    expect(s / n).toBeCloseTo(0, 9);
    expect(q / n - (s / n) ** 2).toBeCloseTo(1, 6);
  });

  it('normalisation "unit" keeps pixels / 255 (the authors\' v1 ToTensor) and keys the teacher cache apart', () => {
    const u = H.hasanData({ nTrain: 50, nTest: 10, normalisation: "unit" }, "mnist");
    expect([u.mean, u.std]).toEqual([0, 1]);
    expect(Math.min(...u.train.inputs[0])).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u.train.inputs[0])).toBeLessThanOrEqual(1);
    const s = H.hasanData({ nTrain: 50, nTest: 10 }, "mnist");
    const cfg = H.hasanConfig({}, true);
    expect(H.teacherCacheFolder(cfg, u, "lenet5", 0)).not.toBe(H.teacherCacheFolder(cfg, s, "lenet5", 0));
    // the normalisation reading recovers pixels / 255 from standardised data (x·σ + μ): the direct load, to rounding
    const back = H.unitNormalised(s);
    expect([back.mean, back.std]).toEqual([0, 1]);
    for (const [a, b] of [
      [back.train, u.train],
      [back.test, u.test],
    ] as const) {
      expect(a.labels).toEqual(b.labels);
      for (let i = 0; i < a.inputs.length; i++)
        for (let k = 0; k < a.inputs[i].length; k++)
          expect(Math.abs(a.inputs[i][k] - b.inputs[i][k])).toBeLessThan(1e-12);
    }
    expect(H.unitNormalised(u)).toBe(u);
    // its teacher: its own checkpoint name, the defaults' initialisation stream
    const t = H.teacherSpec(cfg, u, "lenet5", "unit");
    expect([t.id, t.stream]).toEqual(["lenet5-unit", "lenet5"]);
    expect(
      H.studentSpec(cfg, u, {
        nQubits: 4,
        reduction: "dense",
        encoding: "amplitude",
        teacher: "lenet5",
        variant: "unit",
      }).id,
    ).toBe("q4-dense-amplitude-unit-from-lenet5");
  });

  it("CIFAR-10 from a small file of the real binary format: grayscale 32 × 32, normalised; the full-size check unless fullFiles is false", () => {
    const dir = writeCifarFixture(fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-cifar-")), 12, 20);
    const old = process.env.QNN_KD_CIFAR10_DIR;
    process.env.QNN_KD_CIFAR10_DIR = dir;
    try {
      expect(H.datasetAvailability({ datasets: ["cifar10"] })[0].available).toBe(true);
      const d = H.hasanData({ nTrain: 50, nTest: 15, fullFiles: false }, "cifar10");
      expect(d.inputShape).toEqual([32, 32, 1]);
      expect(d.train.inputs).toHaveLength(50);
      expect(d.test.labels).toEqual(Array.from({ length: 15 }, (_, i) => i % 10));
      expect(d.train.labels.slice(0, 3)).toEqual([2, 3, 4]); // data_batch_1 starts at label 12 mod 10
      expect(() => H.hasanData({ nTrain: 50, nTest: 15 }, "cifar10")).toThrow(/holds 12 records, expected 10000/);
    } finally {
      if (old === undefined) delete process.env.QNN_KD_CIFAR10_DIR;
      else process.env.QNN_KD_CIFAR10_DIR = old;
      fs.rmSync(dir, { recursive: true, force: true });
    }
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
      if (old.f === undefined) delete process.env.QNN_KD_FASHION_MNIST_DIR;
      else process.env.QNN_KD_FASHION_MNIST_DIR = old.f;
      if (old.c === undefined) delete process.env.QNN_KD_CIFAR10_DIR;
      else process.env.QNN_KD_CIFAR10_DIR = old.c;
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
      const la = a.model.logitsBatch(x),
        lb = b.model.logitsBatch(x);
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
    expect(H.studentRunName(kd, 4, "dense", "amplitude", "alexnet")).not.toBe(
      H.studentRunName(kd, 4, "dense", "amplitude", "lenet5"),
    );
  });
});

/** Fabricated rows of one dataset, Q and seed: errors per method (%), and main-table accuracies. */
function rows(
  errors: Partial<Record<H.Fig12Method, number>>,
  acc: { noKd: number; lenet5: number; alexnet: number },
  seed = 0,
  dataset = "mnist",
  nQubits = 4,
): ResultRow[] {
  const base = { dataset, nQubits, role: "student", seed };
  const out: ResultRow[] = [
    {
      ...base,
      role: "teacher",
      model: "LeNet-5",
      teacher: "lenet5",
      kd: false,
      testAccuracy: 0.99,
    } as unknown as ResultRow,
    {
      ...base,
      role: "teacher",
      model: "AlexNet-style",
      teacher: "alexnet",
      kd: false,
      testAccuracy: 0.98,
    } as unknown as ResultRow,
    {
      ...base,
      experiment: "main",
      reduction: "dense",
      encoding: "amplitude",
      teacher: null,
      kd: false,
      testAccuracy: acc.noKd,
      nParams: 100,
    } as unknown as ResultRow,
    {
      ...base,
      experiment: "main",
      reduction: "dense",
      encoding: "amplitude",
      teacher: "alexnet",
      kd: true,
      testAccuracy: acc.alexnet,
    } as unknown as ResultRow,
  ];
  for (const [m, e] of Object.entries(errors) as [H.Fig12Method, number][]) {
    const [reduction, encoding] =
      m === "original" ? ["dense", "amplitude"] : m === "angle" || m === "qubit" ? ["dense", m] : [m, "amplitude"];
    out.push({
      ...base,
      experiment: m === "original" ? "main" : "ablation",
      reduction,
      encoding,
      teacher: "lenet5",
      kd: true,
      testAccuracy: m === "original" ? acc.lenet5 : 1 - e / 100,
      testError: e,
      bestTestAccuracy: 1 - e / 100,
    } as unknown as ResultRow);
  }
  return out;
}

/** Fabricated rows of the readings' students (KD from LeNet-5, `variant` = the reading) with test errors (%). */
function variantRows(
  errors: Partial<Record<H.HasanVariant, number>>,
  seed = 0,
  dataset = "mnist",
  nQubits = 4,
): ResultRow[] {
  return (Object.entries(errors) as [H.HasanVariant, number][]).map(
    ([v, e]) =>
      ({
        dataset,
        nQubits,
        role: "student",
        seed,
        experiment: "ablation",
        reduction: "dense",
        encoding: H.HASAN_READINGS[v].encoding,
        readout: H.HASAN_READINGS[v].readout,
        variant: v,
        teacher: "lenet5",
        kd: true,
        testAccuracy: 1 - e / 100,
        testError: e,
        bestTestAccuracy: 1 - e / 100,
      }) as unknown as ResultRow,
  );
}

/** Rows of seeds 0…k−1 of one dataset and Q: errors and accuracies as functions of the seed. */
function seedRows(
  k: number,
  errors: (s: number) => Partial<Record<H.Fig12Method, number>>,
  acc: (s: number) => { noKd: number; lenet5: number; alexnet: number },
  dataset = "mnist",
  nQubits = 4,
): ResultRow[] {
  return Array.from({ length: k }, (_, s) => rows(errors(s), acc(s), s, dataset, nQubits)).flat();
}

describe("tables and claims", () => {
  const cfg = { ablationTeacher: "lenet5" as const };
  it("Fig. 12 entries and the main table put the paper's numbers beside ours", () => {
    const r = rows(
      { original: 20, angle: 30, qubit: 25, crop: 70, pca: 60, avgpool: 50, maxpool: 80 },
      { noKd: 0.78, lenet5: 0.8, alexnet: 0.79 },
    );
    const e = H.fig12Entries(cfg, r);
    expect(e.map((x) => x.method)).toEqual(["maxpool", "crop", "pca", "avgpool", "angle", "qubit", "original"]);
    expect(e.find((x) => x.method === "pca")!.paper).toBe(H.HASAN_FIG12.mnist[4].pca);
    const t = H.mainTable(r);
    expect(t).toHaveLength(1);
    expect(t[0].noKd).toBe(0.78);
    expect(t[0].kd.lenet5).toBe(0.8);
    expect(t[0].teacherAccuracy.alexnet).toBe(0.98);
    expect(t[0].paperKd).toBeCloseTo(100 - 22.1, 12);
  });

  it("the readings' bars come after the paper's methods, beside the paper's number of the method they vary", () => {
    const r = [
      ...rows({ original: 20, angle: 30, qubit: 25 }, { noKd: 0.78, lenet5: 0.8, alexnet: 0.79 }),
      ...variantRows({ "angle-stacked": 22, basis: 80, probabilities: 21 }),
    ];
    const e = H.fig12Entries(cfg, r);
    expect(e.map((x) => x.method)).toEqual(["angle", "qubit", "original", "angle-stacked", "basis", "probabilities"]);
    expect(e.find((x) => x.method === "angle-stacked")!.paper).toBe(H.HASAN_FIG12.mnist[4].angle);
    expect(e.find((x) => x.method === "basis")!.paper).toBe(H.HASAN_FIG12.mnist[4].qubit);
    expect(e.find((x) => x.method === "probabilities")!.paper).toBe(H.HASAN_FIG12.mnist[4].original);
    expect(e.find((x) => x.method === "original")!.error).toBe(20); // the probabilities student is not the original
  });
});

describe("checkHasanClaims", () => {
  const cfg = { ablationTeacher: "lenet5" as const };
  const C = H.HASAN_PAPER_CLAIMS;
  const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  /** A small deterministic per-seed jitter (the intervals need a spread). */
  const j = (s: number, scale = 1) => scale * [0.4, -0.3, 0.1, -0.2, 0.3, -0.4, 0.2, -0.1][s % 8];
  const errs = (
    s: number,
    over: Partial<Record<H.Fig12Method, number>> = {},
  ): Partial<Record<H.Fig12Method, number>> => {
    const base = { original: 20, angle: 30, qubit: 25, crop: 70, pca: 60, avgpool: 50, maxpool: 80, ...over };
    return Object.fromEntries(Object.entries(base).map(([m, e], i) => [m, e + j(s + i)]));
  };
  const accs = (s: number, gain = { lenet5: 0.02, alexnet: 0.01 }) => {
    const noKd = 0.78 + j(s, 0.01);
    return { noKd, lenet5: noKd + gain.lenet5 + j(s + 1, 0.002), alexnet: noKd + gain.alexnet + j(s + 2, 0.002) };
  };
  type Parts = ReturnType<typeof H.checkHasanClaims>;
  const one = (parts: Parts, claim: string, test: RegExp) => {
    const p = parts.filter((x) => x.claim === claim && test.test(x.test));
    expect(p, `${claim} / ${test}`).toHaveLength(1);
    return p[0];
  };
  const values = (r: readonly ResultRow[], pick: (x: ResultRow) => boolean, v: (x: ResultRow) => number) =>
    r.filter(pick).map(v);
  const method = (m: string) => (x: ResultRow) =>
    x.role === "student" &&
    x.teacher === "lenet5" &&
    (m === "original"
      ? x.reduction === "dense" && x.encoding === "amplitude"
      : m === "angle" || m === "qubit"
        ? x.encoding === m
        : x.reduction === m);

  it("holds: every part on 5 seeds where the numbers say so; estimates by hand; datasets not run are not testable", () => {
    const r = seedRows(
      5,
      (s) => errs(s),
      (s) => accs(s),
    );
    const parts = H.checkHasanClaims(cfg, r);
    const tested = parts.filter((p) => p.status !== "not testable");
    expect(tested.map((p) => p.status)).toEqual(Array(2 + 4 + 2).fill("holds"));
    const angle = one(parts, C.amplitudeBest, /^MNIST Q=4: angle/);
    expect(angle.test).toBe("MNIST Q=4: angle − amplitude test error > 0 points (amplitude's error lower)");
    expect(angle.effect!.unit).toBe("error points");
    const ang = values(r, method("angle"), (x) => x.testError as number),
      orig = values(r, method("original"), (x) => x.testError as number);
    expect(angle.effect!.estimate).toBeCloseTo(mean(ang) - mean(orig), 12);
    expect(angle.measure).toMatch(
      /test error \(%\) after the last epoch, per seed.*the paper's 'original' student: dense reduction \+ amplitude encoding.*unpaired \(Welch\)/,
    );
    const pca = one(parts, C.denseBest, /^MNIST Q=4: pca/);
    expect(pca.test).toBe("MNIST Q=4: pca − dense test error > 0 points (dense's error lower)");
    expect(pca.effect!.estimate).toBeCloseTo(
      mean(values(r, method("pca"), (x) => x.testError as number)) - mean(orig),
      12,
    );
    const kd = one(parts, C.kdImproves, /^MNIST Q=4: KD from LeNet-5/);
    expect(kd.effect!.unit).toBe("accuracy points");
    const diffs = [0, 1, 2, 3, 4].map((s) => 100 * (accs(s).lenet5 - accs(s).noKd));
    expect(kd.effect!.estimate).toBeCloseTo(mean(diffs), 9);
    expect(kd.effect!.perSeed!.map((x) => x.seed)).toEqual([0, 1, 2, 3, 4]);
    expect(kd.measure).toMatch(/paired/);
    // Fashion-MNIST and CIFAR-10 have no rows: one not-testable part per claim each, named in the record's scope
    const untested = parts.filter((p) => p.status === "not testable");
    expect(untested).toHaveLength(3 * 2);
    expect(untested.map((p) => p.reason)).toContain("CIFAR-10 not run (not installed here)");
    const recs = claimRecords({ ...H.HASAN_SOURCE, checks: parts });
    expect(recs.map((x) => x.status)).toEqual(["holds", "holds", "holds"]);
    expect(recs[2].scope).toMatch(
      /Fashion-MNIST not run \(not installed here\).*CIFAR-10 not run \(not installed here\)/,
    );
    expect(recs.every((x) => x.nSeeds === 5)).toBe(true);
    expect(recs[0].measure).toBe(angle.measure);
    // a dataset the configuration leaves out is said so
    const configured = H.checkHasanClaims({ ...cfg, datasets: ["mnist", "cifar10"] }, r);
    expect(configured.filter((p) => p.status === "not testable").map((p) => p.reason)).toEqual(
      expect.arrayContaining([
        "Fashion-MNIST not run (not among the configured datasets)",
        "CIFAR-10 not run (not installed here)",
      ]),
    );
  });

  it("contradicted: angle and PCA below the original's error, KD from AlexNet lowering accuracy (5 seeds)", () => {
    const r = seedRows(
      5,
      (s) => errs(s, { angle: 12, pca: 14 }),
      (s) => accs(s, { lenet5: 0.02, alexnet: -0.03 }),
    );
    const parts = H.checkHasanClaims(cfg, r);
    const angle = one(parts, C.amplitudeBest, /^MNIST Q=4: .*angle/);
    expect(angle.status).toBe("contradicted");
    expect(angle.effect!.estimate).toBeCloseTo(
      mean(values(r, method("angle"), (x) => x.testError as number)) -
        mean(values(r, method("original"), (x) => x.testError as number)),
      12,
    );
    expect(angle.ours).toMatch(
      /^MNIST Q=4: angle 11\.9 ± 0\.3% vs amplitude \(original\) 20\.1 ± 0\.3%; angle − amplitude \(original\) −8\.2 points \[/,
    );
    expect(one(parts, C.amplitudeBest, /^MNIST Q=4: .*qubit/).status).toBe("holds");
    expect(one(parts, C.denseBest, /^MNIST Q=4: .*pca/).status).toBe("contradicted");
    const alex = one(parts, C.kdImproves, /^MNIST Q=4: .*AlexNet/);
    expect(alex.status).toBe("contradicted");
    expect(alex.effect!.estimate).toBeCloseTo(
      mean([0, 1, 2, 3, 4].map((s) => 100 * (accs(s, { lenet5: 0.02, alexnet: -0.03 }).alexnet - accs(s).noKd))),
      9,
    );
    expect(claimRecords({ ...H.HASAN_SOURCE, checks: parts }).map((x) => x.status)).toEqual([
      "contradicted",
      "contradicted",
      "contradicted",
    ]);
  });

  it("inconclusive: a KD gain whose sign flips between seeds, errors that overlap, and a 2-seed run", () => {
    const flip = [0.01, -0.012, 0.008, -0.009, 0.002];
    const r = seedRows(
      5,
      (s) => errs(s, { angle: 20 + 3 * flip[s] * 100 }),
      (s) => {
        const a = accs(s);
        return { ...a, lenet5: a.noKd + flip[s] };
      },
    );
    const parts = H.checkHasanClaims(cfg, r);
    const le = one(parts, C.kdImproves, /^MNIST Q=4: .*LeNet-5/);
    expect(le.status).toBe("inconclusive");
    expect(le.effect!.estimate).toBeCloseTo(100 * mean(flip), 9);
    expect(le.effect!.ciLow!).toBeLessThan(0);
    expect(le.effect!.ciHigh!).toBeGreaterThan(0);
    expect(one(parts, C.amplitudeBest, /^MNIST Q=4: .*angle/).status).toBe("inconclusive");
    const two = H.checkHasanClaims(
      cfg,
      seedRows(
        2,
        (s) => errs(s),
        (s) => accs(s),
      ),
    );
    expect(two.filter((p) => p.status !== "not testable").every((p) => p.status === "inconclusive")).toBe(true);
    expect(one(two, C.kdImproves, /^MNIST Q=4: .*LeNet-5/).reason).toMatch(/2 seed\(s\)/);
  });

  it("a reading of the angle encoding decides amplitudeBest as a variant: holds with angle-stacked where the defaults' angle beats amplitude", () => {
    const r = [
      ...seedRows(
        5,
        (s) => errs(s, { angle: 12 }),
        (s) => accs(s),
      ),
      ...[0, 1, 2, 3, 4].flatMap((s) =>
        variantRows({ "angle-stacked": 35 + j(s), basis: 60 + j(s + 1), probabilities: 21 + j(s + 2) }, s),
      ),
    ];
    const parts = H.checkHasanClaims(cfg, r);
    expect(one(parts, C.amplitudeBest, /^MNIST Q=4: angle/).status).toBe("contradicted"); // the defaults' rows only
    const v = H.hasanVariantChecks(cfg, r);
    expect(v.map((x) => x.name)).toEqual(["angle-stacked", "angle-raw", "basis"].filter((n) => n !== "angle-raw"));
    const stacked = v[0].checks.filter((p) => p.status !== "not testable");
    expect(stacked.map((p) => p.test)).toEqual([
      "MNIST Q=4: angle-stacked − amplitude test error > 0 points (amplitude's error lower)",
      "MNIST Q=4: qubit − amplitude test error > 0 points (amplitude's error lower)",
    ]);
    expect(stacked.every((p) => p.status === "holds")).toBe(true);
    const rec = H.hasanClaimRecords(cfg, r).find((x) => x.claim === C.amplitudeBest)!;
    expect(rec.status).toBe("holds with variant");
    expect(rec.variant).toBe("angle-stacked");
    expect(rec.statusBySetting).toMatchObject({
      defaults: "contradicted",
      "angle-stacked": "holds",
      basis: "contradicted",
    });
  });

  it("not testable: KD at the accuracy ceiling (both arms ≥ 99.5%); a claim whose grid did not run is left out", () => {
    const top = (s: number) => ({ noKd: 0.996 + j(s, 0.001), lenet5: 0.998 + j(s + 1, 0.001), alexnet: 0.85 });
    const parts = H.checkHasanClaims(
      cfg,
      seedRows(5, (s) => ({ original: 20 + j(s) }), top),
    );
    expect(parts.map((p) => p.claim)).toEqual([C.kdImproves, C.kdImproves, C.kdImproves, C.kdImproves]); // no ablation grid: 2 claims left out
    const le = one(parts, C.kdImproves, /^MNIST Q=4: KD from LeNet-5/);
    expect(le.status).toBe("not testable");
    expect(le.reason).toMatch(/both arms at the ceiling: test accuracy/);
    expect(le.effect!.estimate).toBeCloseTo(mean([0, 1, 2, 3, 4].map((s) => 100 * (top(s).lenet5 - top(s).noKd))), 9);
    expect(one(parts, C.kdImproves, /^MNIST Q=4: .*AlexNet/).status).toBe("contradicted");
    expect(H.checkHasanClaims(cfg, [])).toEqual([]);
  });
});
