// The scorecard: claim parts → records (status by hand-worked cases), claims.json writing, and the aggregation over
// registered experiments on fabricated claims files (a current one, a quick one, an old-format one, a missing one,
// and one for an id the registry adds later, as the Hasan & Mahdy experiment will).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimRecords, collectClaims, scorecardMarkdown, writeClaims, writeScorecard, yanTable1, yanFig6 } from "qnn-kd/experiments";
import type { ClaimPart } from "qnn-kd/experiments";
import { EXPERIMENTS, seedsFor } from "../../src/runner/experiments";

let tmp = "";
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-claims-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const part = (claim: string, holds: boolean, ours = "x", nLayers?: number): ClaimPart => ({ claim, test: `t ${claim}`, ours, holds, ...(nLayers ? { nLayers } : {}) });

describe("claimRecords", () => {
  it("one record per claim: holds (all parts at the defaults), holds with variant (all of a variant's), does not hold", () => {
    const recs = claimRecords({
      paper: "Yan et al.", figure: "Fig. 4", nSeeds: 5,
      checks: [part("A", true, "a1", 1), part("A", true, "a2", 1), part("B", true, "b1"), part("B", false, "b2"), part("C", false, "c1")],
      variants: [
        { name: "first", checks: [part("B", true, "B1"), part("B", false, "B2"), part("C", false)] },
        { name: "sharp", checks: [part("B", true, "S1"), part("B", true, "S2"), part("C", false)] },
      ],
    });
    expect(recs.map((r) => [r.claim, r.status, r.variant])).toEqual([["A", "holds", null], ["B", "holds with variant", "sharp"], ["C", "does not hold", null]]);
    expect(recs[0].numbers).toBe("defaults: 1 L: a1; 1 L: a2");
    expect(recs[1].numbers).toBe("defaults: b1; b2 | first: B1; B2 | sharp: S1; S2");
    expect(recs[2].numbers).toBe("defaults: c1 | first: x | sharp: x");
    expect(recs[1].parts.map((p) => p.setting)).toEqual(["defaults", "defaults", "first", "first", "sharp", "sharp"]);
    expect(recs.every((r) => r.nSeeds === 5 && r.paper === "Yan et al." && r.figure === "Fig. 4")).toBe(true);
  });
  it("rejects bad input, naming it", () => {
    expect(() => claimRecords({ paper: "p", figure: "f", nSeeds: 0, checks: [part("A", true)] })).toThrow(/nSeeds/);
    expect(() => claimRecords({ paper: "", figure: "f", nSeeds: 1, checks: [part("A", true)] })).toThrow(/paper and figure/);
    expect(() => claimRecords({ paper: "p", figure: "f", nSeeds: 1, checks: [] })).toThrow(/checks/);
  });
});

describe("scorecard over every registered experiment's claims.json", () => {
  it("collects current files, marks quick runs, lists missing and old-format ones, and picks up a new id", () => {
    const root = path.join(tmp, "results");
    const rec = (claim: string, holds: boolean) => claimRecords({ paper: "Yan et al.", figure: "Fig. 4", nSeeds: 1, checks: [part(claim, holds, "KD 97.0% | 51%")] });
    writeClaims(path.join(root, "fig4"), "fig4", rec("2 layers: near-perfect", true), { quick: false, nSeeds: 1, details: { raw: 1 } });
    writeClaims(path.join(root, "table1"), "table1", rec("KD raises student (2)", false), { quick: true, nSeeds: 1 });
    fs.mkdirSync(path.join(root, "piperno"), { recursive: true });
    fs.writeFileSync(path.join(root, "piperno", "claims.json"), JSON.stringify({ seeds: [0, 1], claims: [{ claim: "old", holds: true }] }));
    fs.mkdirSync(path.join(root, "fig5"), { recursive: true });
    fs.writeFileSync(path.join(root, "fig5", "claims.json"), JSON.stringify({ defaults: [] }));
    const hasan = claimRecords({ paper: "Hasan & Mahdy", figure: "Table 2", nSeeds: 5, checks: [part("KD helps the 4-qubit student", true)] });
    writeClaims(path.join(root, "hasan"), "hasan", hasan, { quick: false, nSeeds: 5 });

    // every registered single-notebook experiment (groups such as the course check no paper claims), and "hasan"
    const ids = [...new Set([...EXPERIMENTS.filter((e) => !e.notebooks).map((e) => e.id), "hasan"])];
    const card = collectClaims(root, ids);
    expect(card.rows.map((r) => [r.experiment, r.status, r.quick])).toEqual([
      ["table1", "does not hold", true], ["fig4", "holds", false], ["hasan", "holds", false],
    ]);
    expect(card.missing.map((m) => m.experiment)).toEqual(["fig5", "fig6", "piperno", "noisy-teacher"]);
    expect(card.missing.find((m) => m.experiment === "fig6")!.reason).toBe("not run yet");
    expect(card.missing.find((m) => m.experiment === "fig5")!.reason).toMatch(/older format/);
    expect(card.missing.find((m) => m.experiment === "piperno")!.reason).toMatch(/lacks "paper"/);

    const md = scorecardMarkdown(card);
    expect(md).toContain("| Yan et al. | Fig. 4 | 2 layers: near-perfect | **holds** | 1 | defaults: KD 97.0% \\| 51% | `fig4`");
    expect(md).toContain("(quick mode: not the paper's settings)");
    expect(md).toContain("| Hasan & Mahdy | Table 2 |");
    expect(md).toContain("3 claims: 2 hold, 0 hold only with a variant, 1 do not hold.");
    expect(md).toMatch(/Not in the table: `fig5` \(.*older format.*\), `fig6` \(not run yet\)/);

    const out = writeScorecard(root, ids);
    expect(fs.readFileSync(out.markdown, "utf8")).toContain(md);
    expect(JSON.parse(fs.readFileSync(out.json, "utf8")).rows).toHaveLength(3);
  });
  it("writeClaims rejects a record with an unknown status", () => {
    const [r] = claimRecords({ paper: "p", figure: "f", nSeeds: 1, checks: [part("A", true)] });
    expect(() => writeClaims(tmp, "x", [{ ...r, status: "mostly" as never }], { quick: false, nSeeds: 1 })).toThrow(/status must be one of/);
  });
});

describe("experiments' claim checkers and default seeds", () => {
  it("checkTable1Claims on hand-made accuracies; checkFig6Claims on a hand-made comparison", () => {
    const parts = yanTable1.checkTable1Claims({ teacher: 0.983, student1: { noKd: 0.523, kd: 0.817 }, student2: { noKd: 0.9, kd: 0.905 }, fidelity: 0.995 });
    expect(parts.map((p) => p.holds)).toEqual([true, true, true, false]); // student (2)'s +0.5 points is below the 1-point margin
    expect(parts[2].ours).toBe("52.3% → 81.7% (+29.4 points)");
    expect(() => yanTable1.checkTable1Claims({ teacher: 1.2, student1: { noKd: 0, kd: 0 }, student2: { noKd: 0, kd: 0 }, fidelity: null })).toThrow(/teacher/);
    // over seeds: table1Accuracies gives means and sample stds, and the numbers show mean ± std
    const row = (model: string, role: string, kd: boolean, seed: number, acc: number) =>
      ({ model, role, kd, seed, testAccuracy: acc, nQubits: 7, nLayers: 1, T: null, alpha: null, trainAccuracy: null, paperTestAccuracy: null });
    const rows = [0, 1].flatMap((s) => [
      row("teacher", "teacher", false, s, 0.9 + 0.02 * s), row("student (1)", "student", false, s, 0.8), row("student (1)", "student", true, s, 0.9),
      row("student (2)", "student", false, s, 0.5), row("student (2)", "student", true, s, 0.6 + 0.1 * s),
      { ...row("autoencoder", "autoencoder", false, s, 0), testAccuracy: null, meanFidelity: 0.99 + 0.004 * s },
    ]);
    const acc = yanTable1.table1Accuracies(rows as never);
    expect(acc.teacher).toBeCloseTo(0.91, 12);
    expect(acc.std!.teacher).toBeCloseTo(0.02 / Math.SQRT2, 12);
    expect(acc.fidelity).toBeCloseTo(0.992, 12);
    const p2 = yanTable1.checkTable1Claims(acc);
    expect(p2[0].ours).toBe("teacher 91.0 ± 1.4%");
    expect(p2[3].ours).toBe("50.0 ± 0.0% → 65.0 ± 7.1% (+15.0 points)");
    const stats = (m: number, e: number | null) => ({ meanTestAccuracy: m, epochsToTarget: e }) as never;
    const f6 = yanFig6.checkFig6Claims({ target: 0.8, epochsAhead: 3, consistentWithPaper: true, stats: { KD: stats(0.85, 2), "no KD": stats(0.8, 4) } });
    expect(f6.map((p) => p.holds)).toEqual([true, true]);
  });
  it("seedsFor: --seeds wins; quick runs 1; full runs the registry's defaultSeeds (5 for table1 and fig5)", () => {
    const t1 = EXPERIMENTS.find((e) => e.id === "table1")!, f6 = EXPERIMENTS.find((e) => e.id === "fig6")!;
    expect(seedsFor(t1, { quick: false })).toBe(5);
    expect(seedsFor(t1, { quick: true })).toBe(1);
    expect(seedsFor(t1, { quick: false, seeds: 2 })).toBe(2);
    expect(seedsFor(f6, { quick: false })).toBe(1);
    expect(EXPERIMENTS.find((e) => e.id === "fig5")!.defaultSeeds).toBe(5);
  });
});
