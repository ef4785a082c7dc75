// Fig. 6 pieces on real MNIST (small counts): the packed state encoding against the library's stateEncodeImage,
// the simulator leaving the shared read-only input arrays untouched, the configuration's checks, and a tiny
// end-to-end run (same initialisation for both students, per-epoch rows, bitwise resume from checkpoints), and the
// claim checker on fabricated per-epoch rows of 5 seeds (and 2) where each part holds, is contradicted or is
// inconclusive.
import { describe, expect, it } from "vitest";
import { RESULT_ROW_FIELDS } from "../../src/experiments/results";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { QNNClassifier, crossEntropy } from "qnn-kd";
import { hashNumbers } from "../../src/optim/checkpoint";
import { imageAt, loadMnist } from "qnn-kd/datasets";
import { checkpointFolder, claimRecords, yanFig6 } from "qnn-kd/experiments";
import type { ResultRow } from "qnn-kd/experiments";
import { TINY_FIG6, handRow } from "../helpers";

const { stateEncodeImage } = yanFig6;
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, v, i) => s + v * b[i], 0);

describe("encodeImages (packed real amplitudes, shared zero imaginary part)", () => {
  const set = loadMnist({ split: "train", limit: 40 });
  const enc = yanFig6.encodeImages(set);

  it("equals stateEncodeImage bitwise, with norm 1 and views into one packed array", () => {
    expect(enc.states).toHaveLength(40);
    expect(enc.packed.length).toBe(40 * 1024);
    for (const i of [0, 7, 39]) {
      const ref = stateEncodeImage(imageAt(set, i));
      expect(Array.from(enc.states[i].re)).toEqual(Array.from(ref.re));
      expect(enc.states[i].nQubits).toBe(10);
      expect(enc.states[i].norm2()).toBeCloseTo(1, 12);
      expect(enc.states[i].re.buffer).toBe(enc.packed.buffer);
    }
    // one imaginary array, all zeros, shared by every state
    expect(enc.states[1].im).toBe(enc.states[0].im);
    expect(enc.states[0].im.every((v) => v === 0)).toBe(true);
    expect(enc.bytes).toBe(40 * 1024 * 8 + 1024 * 8);
  });

  it("is never written by training or evaluation (serial and worker-thread paths)", () => {
    const before = hashNumbers([enc.packed, enc.states[0].im]);
    const model = QNNClassifier.hardwareEfficient({
      nQubits: 10,
      nLayers: 1,
      readout: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      seed: 3,
    });
    const loss = (z: Float64Array, b: number) => crossEntropy(z, set.labels[b]);
    model.lossAndGradient(enc.states.slice(0, 4), loss); // small batch: serial path
    model.lossAndGradient(enc.states, loss); // ≥ 8 states on 10 qubits: worker threads where available
    model.logitsBatch(enc.states);
    model.logits(enc.states[5]);
    expect(hashNumbers([enc.packed, enc.states[0].im])).toBe(before);
  }, 60_000);

  it("rejects an all-zero image and too few qubits", () => {
    expect(() => yanFig6.encodeImages({ images: new Float64Array(784), count: 1 })).toThrow(/image 0 is all zeros/);
    expect(() => yanFig6.encodeImages(set, 9)).toThrow(/do not fit in 2\^9/);
  });
});

describe("fig6Config", () => {
  it("has the paper's settings, applies quick overrides and rejects unknown options and bad values", () => {
    const c = yanFig6.fig6Config();
    expect([c.nQubits, c.nLayers, c.nTrain, c.nTest, c.studentEpochs, c.batchSize, c.stepSize, c.gamma]).toEqual([
      10, 4, 60000, 10000, 31, 64, 10, 0.5,
    ]);
    expect(c.readout).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const q = yanFig6.fig6Config({}, true);
    expect(q.nTrain).toBe(yanFig6.FIG6_QUICK.nTrain);
    expect(q.studentEpochs).toBe(yanFig6.FIG6_QUICK.studentEpochs);
    expect(yanFig6.fig6Config({ alpha: 0.9 }).alpha).toBe(0.9);
    expect(() => yanFig6.fig6Config({ temperature: 4 } as never)).toThrow(/unknown option "temperature"/);
    expect(() => yanFig6.fig6Config({ nTrain: 70000 })).toThrow(/nTrain must be an integer in \[1, 60000\], got 70000/);
    expect(() => yanFig6.fig6Config({ readout: [0, 1] })).toThrow(/readout must list 10 qubits/);
    // the checkpoint folder (the protocol's recipe) depends on the settings
    expect(checkpointFolder("/r", c)).not.toBe(checkpointFolder("/r", q));
  });
});

describe("convergenceStats", () => {
  it("computes the mean over epochs ≥ 1, the first and final values and the epochs to a target", () => {
    const curve = [0.1, 0.3, 0.5, 0.4, 0.6].map((testAccuracy, epoch) => ({
      epoch,
      iteration: epoch * 10,
      testAccuracy,
      trainAccuracy: null,
      elapsedMs: 0,
    }));
    const s = yanFig6.convergenceStats(curve, 0.45);
    expect(s.meanTestAccuracy).toBeCloseTo(0.45, 12);
    expect(s.firstEpochTestAccuracy).toBe(0.3);
    expect(s.finalTestAccuracy).toBe(0.6);
    expect(s.bestTestAccuracy).toBe(0.6);
    expect(s.epochsToTarget).toBe(2);
    expect(yanFig6.convergenceStats(curve, 0.9).epochsToTarget).toBeNull();
  });
});

/** The last epoch of the fabricated curves. */
const E = 4;
const avg = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/**
 * Per-epoch rows (rowType "epoch", epochs 0…E) of both students for each seed: the student without KD follows
 * 0.2 + 0.05·e + 0.01·seed, the KD student adds `gains(seed)[e − 1]` at epoch e ≥ 1; epoch 0 is shared (0.1).
 */
function fig6EpochRows(
  seeds: readonly number[],
  gains: (seed: number) => number[],
  models = ["student-nokd", "student-kd"],
): ResultRow[] {
  const out: ResultRow[] = [];
  for (const seed of seeds) {
    for (const model of models) {
      const kd = model === "student-kd";
      for (let epoch = 0; epoch <= E; epoch++) {
        const noKd = epoch === 0 ? 0.1 : 0.2 + 0.05 * epoch + 0.01 * seed;
        const testAccuracy = epoch === 0 || !kd ? noKd : noKd + gains(seed)[epoch - 1];
        out.push(
          handRow(
            {
              model,
              role: "student",
              kd,
              seed,
              trainAccuracy: null,
              testAccuracy,
              nQubits: 10,
              nLayers: 4,
              T: 2,
              alpha: 0.5,
            },
            { rowType: "epoch", epoch },
          ),
        );
      }
    }
  }
  return out;
}

/** KD gains per epoch: positive at every seed (holds), their negatives (contradicted), a sign that flips between seeds. */
const upGains = (s: number) => [0.08 + 0.01 * s, 0.05, 0.03 + 0.005 * s, 0.02 + 0.003 * s];
const downGains = (s: number) => upGains(s).map((g) => -g);
const flipGains = (s: number) => upGains(s).map((g) => (s % 2 ? -1.1 : 1) * g);
const seeds5 = [0, 1, 2, 3, 4];

describe("checkFig6Claims (verdict engine, paired by seed)", () => {
  // the per-seed differences by hand: mean over epochs 1…E of the gains (epoch 0 left out), and the gain after epoch 1
  const byHand = (seeds: readonly number[], gains: (s: number) => number[]) => ({
    auc: seeds.map((s) => 100 * avg(gains(s))),
    first: seeds.map((s) => 100 * gains(s)[0]),
  });

  it("holds when KD is ahead at every seed: estimates are the means of the per-seed differences, in accuracy points", () => {
    const parts = yanFig6.checkFig6Claims(fig6EpochRows(seeds5, upGains));
    expect(parts.map((p) => p.status)).toEqual(["holds", "holds"]);
    expect(parts.map((p) => p.claim)).toEqual([yanFig6.FIG6_PAPER_CLAIM, yanFig6.FIG6_PAPER_CLAIM]);
    const h = byHand(seeds5, upGains);
    const [auc, first] = parts;
    expect(auc.test).toBe(`KD − no KD > 0 points in test accuracy, mean over epochs 1–${E}`);
    expect(auc.measure).toBe(
      `test accuracy (%) averaged over epochs 1–${E} (area under the learning curve), KD − no KD per seed`,
    );
    expect(first.test).toMatch(/after epoch 1/);
    expect(first.measure).toBe("test accuracy (%) after epoch 1, KD − no KD per seed");
    expect(auc.effect!.estimate).toBeCloseTo(avg(h.auc), 9);
    expect(first.effect!.estimate).toBeCloseTo(avg(h.first), 9);
    for (const [p, d] of [
      [auc, h.auc],
      [first, h.first],
    ] as const) {
      expect(p.effect!.unit).toBe("accuracy points");
      expect(p.nSeeds).toBe(5);
      expect(p.effect!.perSeed!.map((x) => x.seed)).toEqual(seeds5);
      p.effect!.perSeed!.forEach((x, i) => expect(x.value).toBeCloseTo(d[i], 9));
      expect(p.effect!.ciLow!).toBeGreaterThan(0);
      expect(p.effect!.ciHigh!).toBeGreaterThan(p.effect!.estimate);
    }
    // the numbers in words say the aggregation
    expect(auc.ours).toMatch(
      new RegExp(`^mean over epochs 1–${E}: KD .*% vs no KD .*%; KD − no KD \\+[0-9.]+ points \\[`),
    );
    expect(first.ours).toMatch(/^after epoch 1: KD /);
    // the scorecard record: one claim, from FIG6_SOURCE, a paper's claim
    const [rec] = claimRecords({ ...yanFig6.FIG6_SOURCE, checks: parts });
    expect([rec.paper, rec.figure, rec.kind, rec.status, rec.nSeeds, rec.parts.length]).toEqual([
      "Yan et al.",
      "Fig. 6",
      "paper claim",
      "holds",
      5,
      2,
    ]);
  });

  it("is contradicted when KD is behind at every seed", () => {
    const parts = yanFig6.checkFig6Claims(fig6EpochRows(seeds5, downGains));
    expect(parts.map((p) => p.status)).toEqual(["contradicted", "contradicted"]);
    const h = byHand(seeds5, downGains);
    expect(parts[0].effect!.estimate).toBeCloseTo(avg(h.auc), 9);
    expect(parts[1].effect!.estimate).toBeCloseTo(avg(h.first), 9);
    for (const p of parts) expect(p.effect!.ciHigh!).toBeLessThanOrEqual(0);
  });

  it("is inconclusive when the sign flips between seeds, and always with 2 seeds", () => {
    const flip = yanFig6.checkFig6Claims(fig6EpochRows(seeds5, flipGains));
    expect(flip.map((p) => p.status)).toEqual(["inconclusive", "inconclusive"]);
    const h = byHand(seeds5, flipGains);
    expect(h.first.some((d) => d < 0) && h.first.some((d) => d > 0)).toBe(true);
    expect(flip[0].effect!.estimate).toBeCloseTo(avg(h.auc), 9);
    expect(flip[1].effect!.estimate).toBeCloseTo(avg(h.first), 9);
    for (const p of flip) expect(p.effect!.ciLow! < 0 && p.effect!.ciHigh! > 0).toBe(true);
    // KD ahead at both seeds, but 2 seeds never decide
    const two = yanFig6.checkFig6Claims(fig6EpochRows([0, 1], upGains));
    expect(two.map((p) => p.status)).toEqual(["inconclusive", "inconclusive"]);
    expect(two[0].reason).toMatch(/2 seed\(s\): at least 3 are needed/);
    expect(two[0].effect!.estimate).toBeCloseTo(avg(byHand([0, 1], upGains).auc), 9);
    expect(two[1].effect!.unit).toBe("accuracy points");
  });

  it("reads only the students' epoch rows; no such rows: not testable; rows that do not pair throw", () => {
    const rows = fig6EpochRows(seeds5, upGains);
    const extra: ResultRow[] = [
      { ...rows[1], model: "teacher", role: "teacher", testAccuracy: 0.99 },
      { ...rows[1], rowType: "final", testAccuracy: 0.01 },
    ];
    expect(yanFig6.checkFig6Claims([...rows, ...extra]).map((p) => p.effect!.estimate)).toEqual(
      yanFig6.checkFig6Claims(rows).map((p) => p.effect!.estimate),
    );
    const none = yanFig6.checkFig6Claims(extra);
    expect(none.map((p) => p.status)).toEqual(["not testable", "not testable"]);
    expect(none[0].reason).toMatch(/no per-epoch rows/);
    const lonely = [...rows, ...fig6EpochRows([7], upGains, ["student-kd"])];
    expect(() => yanFig6.checkFig6Claims(lonely)).toThrow(
      /seed 7 has epoch rows of student-kd but none of student-nokd/,
    );
    const short = rows.filter((r) => !(r.seed === 3 && r.model === "student-kd" && r.epoch === E));
    expect(() => yanFig6.checkFig6Claims(short)).toThrow(
      /student-kd, seed 3, has epochs \[1,2,3\]; every seed and student needs epochs 1…4/,
    );
    expect(() => yanFig6.checkFig6Claims([...rows, rows[2]])).toThrow(/seed 0, has epoch 2 twice/);
  });
});

describe("runFig6 on a small MNIST subset", () => {
  it("trains teacher and both students, writes per-epoch rows, and resumes bitwise from checkpoints", () => {
    const cfg = yanFig6.fig6Config({ ...TINY_FIG6 });
    const data = yanFig6.fig6Data(cfg);
    expect(data.train.inputs).toHaveLength(96);
    expect(data.test.inputs).toHaveLength(48);
    const checkpointDir = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-fig6-"));
    const a = yanFig6.runFig6(cfg, { data, checkpointDir });
    const finals = a.rows.filter((r) => r.rowType === "final");
    expect(finals.map((r) => [r.model, r.role, r.kd])).toEqual([
      ["teacher", "teacher", false],
      ["student-nokd", "student", false],
      ["student-kd", "student", true],
    ]);
    for (const r of a.rows) {
      for (const f of RESULT_ROW_FIELDS) expect(r).toHaveProperty(f);
      expect(r.paperTestAccuracy).toBeNull();
    }
    const epochs = a.rows.filter((r) => r.rowType === "epoch");
    expect(epochs).toHaveLength(3 * 3); // epochs 0, 1, 2 of each model
    expect(epochs.filter((r) => r.model === "student-kd").map((r) => r.epoch)).toEqual([0, 1, 2]);
    // both students start from the same parameters (epoch 0), then differ by the loss alone
    expect(a.curves["student-kd"][0].testAccuracy).toBe(a.curves["student-nokd"][0].testAccuracy);
    expect(a.curves["student-kd"].map((p) => p.iteration)).toEqual([0, 3, 6]);
    expect(finals[2].T).toBe(cfg.T);
    expect(finals[1].T).toBeNull();
    // a second run restores every model from its final checkpoint: the same numbers
    const b = yanFig6.runFig6(cfg, { data, checkpointDir });
    expect(b.curves).toEqual(a.curves);
    fs.rmSync(checkpointDir, { recursive: true, force: true });
  }, 120_000);
});

describe("stateEncodeImage (Yan et al. Sec. III.3)", () => {
  it("784 pixels → 10 qubits, zero-padded, L2-normalised", () => {
    const img = imageAt(loadMnist({ split: "test", limit: 1 }), 0);
    const s = stateEncodeImage(img);
    expect(s.nQubits).toBe(10);
    expect(s.re.length).toBe(1024);
    expect(s.norm2()).toBeCloseTo(1, 12);
    const norm = Math.sqrt(dot(img, img));
    for (let i = 0; i < 784; i++) expect(s.re[i]).toBeCloseTo(img[i] / norm, 14);
    for (let i = 784; i < 1024; i++) expect(s.re[i]).toBe(0);
    expect(s.im.every((v) => v === 0)).toBe(true);
    // scale-invariant: raw bytes give the same state
    const t = stateEncodeImage(Array.from(img, (v) => v * 255));
    for (let i = 0; i < 1024; i++) expect(t.re[i]).toBeCloseTo(s.re[i], 14);
  });

  it("rejects a wrong length and an all-zero image", () => {
    expect(() => stateEncodeImage(new Float64Array(783))).toThrow(/expected 784 pixels .* got 783/);
    expect(() => stateEncodeImage(new Float64Array(784))).toThrow(/all zeros/);
  });
});
