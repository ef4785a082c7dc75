// The scorecard: claim parts → records (status by hand-worked cases), claims.json writing, and the aggregation over
// registered experiments on fabricated claims files (a current one, a quick one, an old-format one, a missing one,
// and one for an id the registry adds later, as the Hasan & Mahdy experiment will).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  claimRecords,
  collectClaims,
  rescoreExperiment,
  scorecardMarkdown,
  writeClaims,
  writeScorecard,
} from "qnn-kd/experiments";
import { sweepRows } from "../helpers";
import type { ClaimPart, PartStatus } from "qnn-kd/experiments";
import { seedsFor } from "../../runner/experiments";
import { EXPERIMENTS } from "qnn-kd/experiments";

let tmp = "";
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-claims-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// a claim part with a given status (its effect a fixed hand-made interval)
const part = (claim: string, status: PartStatus, ours = "x", nLayers?: number): ClaimPart => ({
  claim,
  test: `t ${claim}`,
  measure: "test accuracy (%), final iteration",
  ours,
  status,
  nSeeds: 5,
  effect: {
    estimate: 1.5,
    ciLow: 0.5,
    ciHigh: 2.5,
    unit: "accuracy points",
    method: "hand-made",
    classical: null,
    bootstrap: null,
    nSeeds: 5,
  },
  ...(nLayers ? { nLayers } : {}),
});

describe("claimRecords", () => {
  it("one record per claim: holds, holds with variant, contradicted, inconclusive, not testable (with its scope)", () => {
    const recs = claimRecords({
      paper: "Yan et al.",
      figure: "Fig. 4",
      checks: [
        part("A", "holds", "a1", 1),
        part("A", "holds", "a2", 1),
        part("B", "holds", "b1"),
        part("B", "inconclusive", "b2"),
        part("C", "contradicted", "c1"),
        part("C", "holds"),
        part("D", "not testable"),
        part("E", "holds", "e1"),
        { ...part("E", "not testable"), reason: "CIFAR-10 not run" },
      ],
      variants: [
        {
          name: "first",
          checks: [part("B", "holds", "B1"), part("B", "contradicted", "B2"), part("C", "contradicted")],
        },
        { name: "sharp", checks: [part("B", "holds", "S1"), part("B", "holds", "S2"), part("C", "inconclusive")] },
      ],
    });
    expect(recs.map((r) => [r.claim, r.status, r.variant])).toEqual([
      ["A", "holds", null],
      ["B", "holds with variant", "sharp"],
      ["C", "contradicted", null],
      ["D", "not testable", null],
      ["E", "holds", null],
    ]);
    expect(recs[1].statusBySetting).toEqual({ defaults: "inconclusive", first: "contradicted", sharp: "holds" });
    expect(recs[0].numbers).toBe("defaults: 1 L: a1; 1 L: a2");
    expect(recs[1].numbers).toBe("defaults: b1; b2 | first: B1; B2 | sharp: S1; S2");
    expect(recs[1].parts.map((p) => p.setting)).toEqual(["defaults", "defaults", "first", "first", "sharp", "sharp"]);
    expect(recs[4].scope).toBe("not tested: t E (CIFAR-10 not run)");
    expect(recs[0].scope).toBeNull();
    expect(
      recs.every(
        (r) => r.nSeeds === 5 && r.kind === "paper claim" && r.measure === "test accuracy (%), final iteration",
      ),
    ).toBe(true);
    expect(
      claimRecords({ paper: "qnn-kd study", figure: "noise", kind: "hypothesis", checks: [part("H", "holds")] })[0]
        .kind,
    ).toBe("hypothesis");
  });
  it("rejects bad input, naming it", () => {
    expect(() => claimRecords({ paper: "", figure: "f", checks: [part("A", "holds")] })).toThrow(/paper and figure/);
    expect(() => claimRecords({ paper: "p", figure: "f", checks: [] })).toThrow(/checks/);
    expect(() =>
      claimRecords({ paper: "p", figure: "f", kind: "guess" as never, checks: [part("A", "holds")] }),
    ).toThrow(/kind must be/);
  });
});

describe("scorecard over every registered experiment's claims.json", () => {
  it("collects current files, marks quick runs, lists missing and old-format ones, picks up a new id, and keeps hypotheses apart", () => {
    const root = path.join(tmp, "results");
    const rec = (claim: string, status: PartStatus) =>
      claimRecords({ paper: "Yan et al.", figure: "Fig. 4", checks: [part(claim, status, "KD 97.0% | 51%")] });
    writeClaims(path.join(root, "fig4"), "fig4", rec("2 layers: near-perfect", "holds"), {
      quick: false,
      nSeeds: 5,
      details: { raw: 1 },
    });
    writeClaims(path.join(root, "table1"), "table1", rec("KD raises student (2)", "inconclusive"), {
      quick: true,
      nSeeds: 1,
    });
    fs.mkdirSync(path.join(root, "piperno"), { recursive: true });
    fs.writeFileSync(
      path.join(root, "piperno", "claims.json"),
      JSON.stringify({ seeds: [0, 1], claims: [{ claim: "old", holds: true }] }),
    );
    fs.mkdirSync(path.join(root, "fig5"), { recursive: true });
    fs.writeFileSync(path.join(root, "fig5", "claims.json"), JSON.stringify({ defaults: [] }));
    const hasan = claimRecords({
      paper: "Hasan & Mahdy",
      figure: "Table 2",
      checks: [part("KD helps the 4-qubit student", "contradicted")],
    });
    writeClaims(path.join(root, "hasan"), "hasan", hasan, { quick: false, nSeeds: 5 });
    const noisy = claimRecords({
      paper: "qnn-kd noisy-teacher study",
      figure: "Sec. IV open question",
      kind: "hypothesis",
      checks: [part("a noisy teacher still teaches", "holds")],
    });
    writeClaims(path.join(root, "noisy-teacher"), "noisy-teacher", noisy, { quick: false, nSeeds: 5 });

    // every registered single-notebook experiment (groups such as the course check no paper claims), and "hasan"
    const ids = [...new Set([...EXPERIMENTS.filter((e) => !e.notebooks).map((e) => e.id), "hasan"])];
    const card = collectClaims(root, ids);
    expect(card.rows.map((r) => [r.experiment, r.status, r.quick])).toEqual([
      ["table1", "inconclusive", true],
      ["fig4", "holds", false],
      ["hasan", "contradicted", false],
      ["noisy-teacher", "holds", false],
    ]);
    expect(card.missing.map((m) => m.experiment)).toEqual(["fig5", "fig6", "piperno", "cross-architecture"]);
    expect(card.missing.find((m) => m.experiment === "fig6")!.reason).toBe("not run yet");
    expect(card.missing.find((m) => m.experiment === "fig5")!.reason).toMatch(/older format/);
    expect(card.missing.find((m) => m.experiment === "piperno")!.reason).toMatch(/lacks "paper"/);

    const md = scorecardMarkdown(card);
    expect(md).toContain(
      "| Yan et al. | Fig. 4 | 2 layers: near-perfect | test accuracy (%), final iteration | **holds** | 5 | t 2 layers: near-perfect: +1.5 points [+0.5, +2.5] (holds) | as claimed | `fig4`",
    );
    expect(md).toContain("(quick mode: not the paper's settings)");
    expect(md).toContain("| Hasan & Mahdy | Table 2 |");
    expect(md).toContain(
      "3 paper claims: 1 hold, 0 hold only with a variant, 1 contradicted, 1 inconclusive, 0 not testable.",
    );
    // our own hypotheses: a table of their own, not counted with the papers' claims
    const [paperPart, oursPart] = md.split("Our own hypotheses");
    expect(paperPart).not.toContain("noisy teacher");
    expect(oursPart).toContain("| qnn-kd noisy-teacher study |");
    expect(oursPart).toContain("1 hypotheses: 1 hold");
    expect(md).toMatch(/Not in the table: `fig5` \(.*older format.*\), `fig6` \(not run yet\)/);

    const out = writeScorecard(root, ids);
    expect(fs.readFileSync(out.markdown, "utf8")).toContain(md);
    expect(JSON.parse(fs.readFileSync(out.json, "utf8")).rows).toHaveLength(4);
  });
  it("writeClaims rejects a record with an unknown status or without its effect form", () => {
    const [r] = claimRecords({ paper: "p", figure: "f", checks: [part("A", "holds")] });
    expect(() =>
      writeClaims(tmp, "x", [{ ...r, status: "does not hold" as never }], { quick: false, nSeeds: 1 }),
    ).toThrow(/status must be one of/);
    expect(() =>
      writeClaims(tmp, "x", [{ ...r, parts: [{ ...r.parts[0], effect: 3 as never }] }], { quick: false, nSeeds: 1 }),
    ).toThrow(/effect/);
  });
});

describe("default seeds", () => {
  it("seedsFor: --seeds wins; quick runs 1; every full run with checked claims at least 5 (Piperno 12, the paper's)", () => {
    const t1 = EXPERIMENTS.find((e) => e.id === "table1")!;
    expect(seedsFor(t1, { quick: false })).toBe(5);
    expect(seedsFor(t1, { quick: true })).toBe(1);
    expect(seedsFor(t1, { quick: false, seeds: 2 })).toBe(2);
    for (const e of EXPERIMENTS.filter((x) => !x.notebooks))
      expect(seedsFor(e, { quick: false })).toBeGreaterThanOrEqual(5);
    expect(EXPERIMENTS.find((e) => e.id === "piperno")!.defaultSeeds).toBe(12);
  });
});

describe("rescoreExperiment: claims.json from a finished run's results.json", () => {
  it("re-decides a depth sweep's claims from its rows, says so in details, and names what is missing", () => {
    const root = path.join(tmp, "rescore");
    const rows = sweepRows({
      nSeeds: 5,
      teacher: 0.95,
      students: { 1: { noKd: 0.8, kd: 0.85 }, 2: { noKd: 0.9, kd: 0.99 }, 3: { noKd: 0.975, kd: 0.97 } },
    });
    fs.mkdirSync(path.join(root, "fig4"), { recursive: true });
    fs.writeFileSync(
      path.join(root, "fig4", "results.json"),
      JSON.stringify({ experiment: "fig4", version: "0", settings: { quick: false }, rows }),
    );
    const r = rescoreExperiment(root, "fig4");
    const f = JSON.parse(fs.readFileSync(r.file, "utf8"));
    expect(f.claims.map((c: { status: string }) => c.status)).toEqual(["holds", "holds", "holds"]);
    expect(f.nSeeds).toBe(5);
    expect(f.details.rescoredFrom).toBe(path.join(root, "fig4", "results.json"));
    expect(() => rescoreExperiment(root, "fig5")).toThrow(/results\.json does not exist/);
    expect(() => rescoreExperiment(root, "course")).toThrow(/no claims for experiment "course"; known: "table1"/);
  });
});
