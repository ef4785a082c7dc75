// Piperno et al. Fig. 1 pieces: configuration checks, parameter counts against the paper's, the linear-separability
// construction, the claim checker on hand-made summaries, and a tiny run (two students, a few epochs) whose rows hold
// the documented fields and whose numbers do not depend on the number of worker threads.
import { beforeAll, describe, expect, it } from "vitest";
import { useTfBackend } from "../../src/hybrid/backend";
import { piperno as P } from "qnn-kd/experiments";
import type { ResultRow } from "../../src/experiments/results";

describe("pipernoConfig and the models", () => {
  beforeAll(async () => {
    await useTfBackend("wasm");
  });

  it("defaults state the paper's values; bad values are clear errors", () => {
    const c = P.pipernoConfig();
    expect([c.n, c.nBits, c.nQubits, c.nLayers, c.epochs, c.patience, c.nSeeds, c.lr]).toEqual([1000, 64, 6, 5, 300, 50, 12, 0.1]);
    expect(P.pipernoConfig({}, true).nSeeds).toBe(2);
    expect(() => P.pipernoConfig({ architectures: ["q7" as never] })).toThrow(/unknown architecture "q7"/);
    expect(() => P.pipernoConfig({ nBits: 65 })).toThrow(/65 bits do not fit/);
  });

  it("parameter counts: teacher 1203 and classical student 195 as stated; q_2 ours beside the paper's 74", () => {
    const cfg = P.pipernoConfig();
    const counts = P.parameterCounts(cfg, P.pipernoData(cfg, 0));
    const by = Object.fromEntries(counts.map((r) => [r.architecture, r]));
    expect(by.teacher.nParams).toBe(1203);
    expect(by.classical.nParams).toBe(195);
    expect(by.hea.nParams).toBe(90 + 21); // 6 qubits × 5 layers × 3 rotations + head 6 → 3
    expect(by.q2.nParams).toBe(55 + 9); // universal layers on 6, 5, 4, 3, 2 qubits + head 2 → 3
    expect(by.q2.paperParams).toBe(74);
  });

  it("three linear scores classify every sample (the data are linearly separable for a 3-class softmax)", () => {
    const d = P.pipernoData(P.pipernoConfig(), 3);
    for (const s of [d.train, d.validation, d.test]) expect(P.linearSeparabilityCheck(s)).toBe(1);
  });
});

describe("checkPipernoClaims", () => {
  const row = (architecture: string, kd: boolean, f1: number, seed: number): ResultRow => ({
    model: architecture, role: architecture === "teacher" ? "teacher" : "student", nQubits: 6, nLayers: 5, kd, T: kd ? 1 : null,
    alpha: kd ? 0.5 : null, seed, trainAccuracy: 1, testAccuracy: f1, paperTestAccuracy: null, f1, nParams: 1, architecture,
  });
  it("holds on data shaped like the paper's story and fails on the opposite", () => {
    const story = [0, 1, 2].flatMap((s) => [
      row("classical", false, 0.7 + 0.01 * s, s), row("classical", true, 0.85 + 0.01 * s, s),
      row("hea", false, 0.6 + 0.1 * s, s), row("hea", true, 0.65 + 0.1 * s, s),
    ]);
    const checks = P.checkPipernoClaims(P.summarise(story));
    expect(checks.map((c) => c.holds)).toEqual([true, true, true]);
    const opposite = story.map((r) => ({ ...r, f1: r.kd ? (r.f1 as number) - 0.2 : r.f1 }));
    expect(P.checkPipernoClaims(P.summarise(opposite))[0].holds).toBe(false);
  });
});

describe("runPiperno (tiny)", () => {
  it("trains the teacher and both arms of each student; rows hold f1, nParams, architecture; threads do not change numbers", async () => {
    const cfg = P.pipernoConfig({ n: 120, epochs: 4, patience: 2, architectures: ["classical", "q2"] });
    const one = await P.runPipernoSeeds(cfg, [0, 1], { threads: 1 });
    const two = await P.runPipernoSeeds(cfg, [0, 1], { threads: 2 });
    const strip = (rs: ResultRow[]) => JSON.stringify(rs);
    expect(two.map((r) => strip(r.rows))).toEqual(one.map((r) => strip(r.rows)));
    const rows = one[0].rows;
    expect(rows.map((r) => `${r.architecture}/${r.kd}`)).toEqual(["teacher/false", "classical/false", "classical/true", "q2/false", "q2/true"]);
    for (const r of rows) {
      expect(r.f1 as number).toBeGreaterThanOrEqual(0);
      expect(r.f1 as number).toBeLessThanOrEqual(1);
      expect(r.epochs as number).toBeLessThanOrEqual(4);
    }
    expect(rows.find((r) => r.architecture === "q2")!.nParams).toBe(64);
    expect(Object.keys(one[0].histories)).toEqual(["teacher", "classical-nokd", "classical-kd", "q2-nokd", "q2-kd"]);
  }, 120_000);
});
