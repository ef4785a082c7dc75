/**
 * The cross-architecture study (`experiments/crossArch`): its settings and their checks, the students' sizes counted
 * by hand, the hypotheses decided on rows made by hand (so each verdict is known in advance), a small run end to end
 * (rows, the noisy student's initialisation equal to its noiseless twin's, determinism and resumption from
 * checkpoints), the phase grid against the cluster state's string order, and the unit list.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { crossArch as X, type ResultRow } from "qnn-kd/experiments";
import { handRow } from "../helpers";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "qnnkd-cross-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Rows without the wall-clock field (the only one a rerun does not reproduce). */
const strip = (rows: readonly object[]) =>
  JSON.parse(JSON.stringify(rows, (k, v: unknown) => (k === "elapsedMs" ? undefined : v))) as unknown;

describe("crossArchConfig", () => {
  it("gives each setting its experiment's task and the sharp-teacher bundle", () => {
    const t = X.crossArchConfig();
    expect([t.setting, t.nQubits, t.teacherLayers, t.studentLayers, t.dataSeed]).toEqual([
      "table1",
      7,
      2,
      [1, 2, 3],
      "per-seed",
    ]);
    expect([t.teacherLogitScale, t.teacherLr, t.teacherStepSize, t.alpha, t.kdTarget]).toEqual([
      10,
      0.05,
      50,
      0.9,
      "expectations",
    ]);
    expect([t.noiseLevels, t.noisyStudents, t.shots]).toEqual([[1e-3, 1e-2], ["hea-L3", "qcnn", "ttn"], 1000]);
    const f = X.crossArchConfig({ setting: "fig4", seed: 3 });
    expect([f.nQubits, f.teacherLayers, f.studentLayers, f.noiseLevels, f.dataSeed]).toEqual([15, 10, [1, 2], [], 3]);
    expect(X.crossArchConfig({ setting: "fig4" }, true).nQubits).toBe(9);
  });

  it("rejects bad values, naming them and what is allowed", () => {
    expect(() => X.crossArchConfig({ setting: "fig5" as never })).toThrow(/setting must be one of .*"fig5"/);
    expect(() => X.crossArchConfig({ shapes: ["mera" as never] })).toThrow(/shapes\[0\] must be one of/);
    expect(() => X.crossArchConfig({ shapes: ["qcnn", "qcnn"] })).toThrow(/must not repeat/);
    expect(() => X.crossArchConfig({ setting: "fig4", noiseLevels: [0.01] })).toThrow(
      /up to 13 qubits; got nQubits = 15/,
    );
    expect(() => X.crossArchConfig({ noisyStudents: ["hea-L7"] })).toThrow(/noisyStudents\[0\] must be one of/);
    expect(() => X.crossArchConfig({ noiseLevels: [1.5] })).toThrow(/noiseLevels/);
    expect(() => X.crossArchConfig({ phaseGrid: 1 })).toThrow(/phaseGrid must be an integer in \[2, 200\], got 1/);
    expect(() => X.crossArchConfig({ shape: "qcnn" } as never)).toThrow(/unknown option "shape"/);
  });
});

describe("the students' sizes, by hand", () => {
  const cfg = X.crossArchConfig();
  const size = (spec: { build(i: string, n: string): { nParams: number } }) => spec.build("0/x", "x").nParams;
  it("7 qubits: QCNN 83 = 2 layers × (2 sublayers × 15 + 4 pooling) + 15; TTN 6 blocks × 15; 7 × L: 3·7·(L + 1)", () => {
    const q = X.shapeCircuit("qcnn", 7);
    expect([q.circuit.nParams, q.readout, q.nLayers, q.architecture]).toEqual([83, [3, 6], 2, "qcnn"]);
    expect(X.shapeCircuit("ttn", 7).circuit.nParams).toBe(6 * 15);
    expect(X.shapeCircuit("qcnn-tfq-pooling", 7).circuit.nParams).toBe(2 * (2 * 15 + 6) + 15);
    for (const L of [1, 2, 3]) expect(size(X.heaSpec(cfg, L))).toBe(3 * 7 * (L + 1));
    expect(size(X.crossTeacher(cfg))).toBe(3 * 7 * 3);
  });

  it("the comparator is the hardware-efficient student nearest in parameters", () => {
    const s = (student: string, nParams: number, architecture = "hardware-efficient") =>
      ({ student, model: student, architecture, nParams, twoQubitGates: 0, depth: 0 }) as X.CrossStudentInfo;
    const students = [s("hea-L1", 42), s("hea-L2", 63), s("hea-L3", 84), s("qcnn", 83, "qcnn")];
    expect(X.nearestHardwareEfficient(students, 83).student).toBe("hea-L3");
    expect(X.nearestHardwareEfficient([s("a", 90), s("b", 135)], 117).student).toBe("b"); // 15 qubits: 117 → 15 × 2
    expect(X.nearestHardwareEfficient([s("a", 10), s("b", 20)], 15).student).toBe("b"); // a tie goes to the larger
    expect(() => X.nearestHardwareEfficient([s("qcnn", 83, "qcnn")], 83)).toThrow(/no hardware-efficient student/);
  });
});

/** Hand-made rows of the table1 setting: per seed a teacher, hea-L3 and qcnn without and with KD, and at p = 0.01. */
function handRows(): ResultRow[] {
  const rows: ResultRow[] = [];
  const row = (seed: number, student: string, kd: boolean, acc: number, p: number | null = null) =>
    handRow(
      { model: student, kd, seed, testAccuracy: acc, nQubits: 7, nLayers: 1, T: 2, alpha: 0.9 },
      {
        variant: "defaults",
        setting: "table1",
        student,
        architecture: student === "qcnn" ? "qcnn" : "hardware-efficient",
        nParams: student === "qcnn" ? 83 : 84,
        twoQubitGates: student === "qcnn" ? 50 : 18,
        depth: 10,
        p,
        shots: p === null ? null : 1000,
      },
    );
  const wiggle = [0, 0.01, -0.01, 0.02, -0.02];
  for (let s = 0; s < 5; s++) {
    const w = wiggle[s];
    rows.push(row(s, "teacher", false, 0.97));
    // hea-L3: 0.70 → 0.80 with KD (+10 points); qcnn: 0.90 → 0.85 (−5 points): its gain is 15 points lower
    rows.push(row(s, "hea-L3", false, 0.7 + w), row(s, "hea-L3", true, 0.8 + w));
    rows.push(row(s, "qcnn", false, 0.9 + w), row(s, "qcnn", true, 0.85 + w));
    // at p = 0.01 hea-L3 loses 2 points, the QCNN 20
    rows.push(row(s, "hea-L3", false, 0.68 + w, 0.01), row(s, "hea-L3", true, 0.78 + w, 0.01));
    rows.push(row(s, "qcnn", false, 0.7 + w, 0.01), row(s, "qcnn", true, 0.65 + w, 0.01));
  }
  return rows;
}

describe("the hypotheses on rows made by hand", () => {
  it("a 15-point lower gain contradicts 'as much'; a 20-point lead holds; a 10 × larger drop contradicts 'noise'", () => {
    const parts = X.checkCrossHypotheses(handRows());
    const by = (claim: string) => parts.filter((p) => p.claim === claim);
    const [asMuch] = by(X.CROSS_HYPOTHESES.asMuch);
    expect(asMuch.status).toBe("contradicted");
    expect(asMuch.effect!.estimate).toBeCloseTo(-15, 9);
    expect(by(X.CROSS_HYPOTHESES.qcnnBeats).map((p) => [p.status, Math.round(p.effect!.estimate)])).toEqual([
      ["holds", 20],
      ["holds", 5],
    ]);
    expect(by(X.CROSS_HYPOTHESES.noise).map((p) => [p.status, Math.round(p.effect!.estimate)])).toEqual([
      ["contradicted", 18],
      ["contradicted", 18],
    ]);
    const records = X.crossClaimRecords(handRows());
    expect(records.map((r) => [r.kind, r.status])).toEqual([
      ["hypothesis", "contradicted"],
      ["hypothesis", "holds"],
      ["hypothesis", "contradicted"],
    ]);
    // two seeds decide nothing
    const two = X.checkCrossHypotheses(handRows().filter((r) => r.seed < 2));
    for (const p of two) expect(p.status).toBe("inconclusive");
  });

  it("the table and the compression points: means over seeds, the paired KD interval", () => {
    const t = X.crossTable(handRows(), "table1");
    expect(t.map((r) => r.student)).toEqual(["teacher (7 × 1)", "hea-L3", "qcnn"]);
    expect(t[1]["no KD (%)"]).toMatch(/^70\.0 ± 1\.6/);
    expect(t[2]["KD − no KD (points, 95% interval)"]).toMatch(/^−5\.0 points \[−5\.0, −5\.0\]/);
    expect(X.crossTable(handRows(), "table1", { p: 0.01 })[1]["KD (%)"]).toMatch(/^65\.0/);
    const pts = X.compressionPoints(handRows());
    expect(pts.map((p) => [p.student, p.kd, Math.round(p.mean)])).toEqual([
      ["hea-L3", false, 70],
      ["hea-L3", true, 80],
      ["qcnn", false, 90],
      ["qcnn", true, 85],
    ]);
    expect(() => X.compressionFigure([], "x")).toThrow(/no points/);
    expect(X.compressionFigure(pts, "x").data).toHaveLength(4);
  });
});

describe("a small run end to end", () => {
  const cfg = X.crossArchConfig(
    {
      nTrain: 16,
      nTest: 16,
      batchSize: 8,
      teacherIterations: 3,
      studentIterations: 3,
      evalEvery: 3,
      studentLayers: [1],
      shapes: ["qcnn", "ttn"],
      noiseLevels: [0.01],
      noisyStudents: ["qcnn"],
      shots: null,
    },
    true,
  );

  it("rows per model and noise level; the noisy student starts where its noiseless twin does", () => {
    const r = X.runCrossArch(cfg);
    expect(r.rows.map((x) => [x.student, x.kd, x.p])).toEqual([
      ["teacher", false, null],
      ["hea-L1", false, null],
      ["hea-L1", true, null],
      ["qcnn", false, null],
      ["qcnn", true, null],
      ["ttn", false, null],
      ["ttn", true, null],
      ["qcnn", false, 0.01],
      ["qcnn", true, 0.01],
    ]);
    const q = r.rows[3];
    expect([q.setting, q.architecture, q.nParams, q.twoQubitGates, q.shots]).toEqual(["table1", "qcnn", 83, 50, null]);
    const clean = X.shapeSpec(cfg, "qcnn").build("0/qcnn", "a");
    const noisy = X.shapeSpec(cfg, "qcnn", 0.01).build("0/qcnn", "b");
    expect(Array.from(noisy.params)).toEqual(Array.from(clean.params));
    expect(X.shapeSpec(cfg, "qcnn", 0.01).stream).toBe("qcnn");
  });

  it("the same seed gives the same rows; a run resumed from its checkpoints trains nothing and ends equal", () => {
    const dir = path.join(root, "ckpt");
    const a = X.crossSeedRun()(cfg, dir);
    expect(fs.readdirSync(dir).length).toBe(1 + 2 * 3 + 2);
    let iterations = 0;
    const b = X.runCrossArch(cfg, {
      checkpointDir: dir,
      hooksFor: () => ({ checkpointDir: dir, onIteration: () => void iterations++ }),
    });
    expect(iterations).toBe(0);
    expect(strip(b.rows)).toEqual(strip(a));
    expect(strip(X.runCrossArch(cfg).rows)).toEqual(strip(a));
  });
});

describe("the phase grid", () => {
  it("at h1 = h2 = 0 the ground state is the cluster state (string order 1); probabilities are a softmax", () => {
    const cfg = X.crossArchConfig({ phaseGrid: 3, phaseH1Max: 1.6, phaseH2Max: 1.6 }, true);
    const g = X.phaseGrid(cfg);
    expect(g.h1).toEqual([0, 0.8, 1.6]);
    expect(g.h2).toEqual([-1.6, 0, 1.6]);
    expect(g.stringOrder[1][0]).toBeCloseTo(1, 9);
    expect(Math.abs(g.stringOrder[1][2])).toBeLessThan(0.2); // the paramagnet at h1 = 1.6
    const fixed = { logitsBatch: (xs: readonly unknown[]) => xs.map(() => Float64Array.of(0, Math.log(3))) };
    for (const row of X.phaseProbabilities(fixed, g)) for (const v of row) expect(v).toBeCloseTo(0.75, 12);
    expect(() => X.phaseDiagramFigure(g.h1, g.h2, [{ title: "bad", z: [[1]] }], "x")).toThrow(/is not 3 × 3/);
  });
});

describe("the study's units", () => {
  it("the table1 setting, the fig4 setting, then the readings, × seeds", () => {
    const labels = X.CROSS_UNITS.list({ quick: true, seeds: 2 }).map((u) => u.label);
    expect(labels).toEqual(
      ["defaults", "fig4", "defaults-teacher", "lr-0.1"].flatMap((n) => [`${n}, seed 0`, `${n}, seed 1`]),
    );
    expect(X.CROSS_UNITS.list({ quick: false, seeds: 5, readings: "none" })).toHaveLength(10);
    const reading = X.crossArchConfig(X.crossReadings("lr-0.1")[0].overrides);
    expect([reading.lr, reading.noiseLevels, reading.setting]).toEqual([0.1, [], "table1"]);
  });
});
