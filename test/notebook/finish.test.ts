// finishRun: the end of a paper notebook in one call. Checked against the files writeResults / writeClaims write
// on their own, and against the checkpoint folders removeCheckpoints removes.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterEach, describe, expect, it } from "vitest";
import { finishRun } from "../../src/notebook/finish";
import { RESULT_ROW_FIELDS, type ResultRow } from "../../src/experiments/results";
import { checkpointFolder } from "../../src/experiments/protocol";
import type { ClaimRecord } from "../../src/experiments/claims";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  delete process.env.QNN_KD_READINGS;
});
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-finish-"));
  dirs.push(d);
  return d;
}
const row = Object.fromEntries(RESULT_ROW_FIELDS.map((k) => [k, null])) as unknown as ResultRow;
const record: ClaimRecord = {
  paper: "Yan et al.",
  figure: "Table 1",
  claim: "KD helps",
  kind: "paper claim",
  status: "inconclusive",
  variant: null,
  statusBySetting: { defaults: "inconclusive" },
  nSeeds: 2,
  measure: "test accuracy",
  scope: null,
  numbers: "86.0 → 99.8%",
  parts: [],
};

describe("finishRun", () => {
  it("writes results.json and claims.json as their writers do, then removes the run's checkpoint folders", () => {
    const resultsDir = tmp();
    const cfg = { seed: 1, lr: 0.01 };
    const main = checkpointFolder(resultsDir, cfg);
    const variant = checkpointFolder(resultsDir, cfg, "seed2");
    const other = checkpointFolder(resultsDir, { seed: 9 });
    for (const d of [main, variant, other]) fs.mkdirSync(d, { recursive: true });
    const done = finishRun(
      { resultsDir, quick: true },
      {
        experiment: "table1",
        settings: { lr: 0.01 },
        rows: [row],
        claims: { records: [record], nSeeds: 2, details: { a: 1 } },
        checkpoints: [cfg],
      },
    );
    expect(done.resultsFile).toBe(path.join(resultsDir, "results.json"));
    const results = JSON.parse(fs.readFileSync(done.resultsFile, "utf8"));
    expect(results).toMatchObject({ experiment: "table1", settings: { lr: 0.01 }, rows: [row] });
    const claims = JSON.parse(fs.readFileSync(done.claimsFile!, "utf8"));
    expect(claims).toMatchObject({ experiment: "table1", quick: true, nSeeds: 2, claims: [record], details: { a: 1 } });
    expect(fs.existsSync(main) || fs.existsSync(variant)).toBe(false);
    expect(fs.existsSync(other)).toBe(true); // another setting's folder stays
    expect(done.removedCheckpoints.sort()).toEqual([main, variant].sort());
  });

  it("without claims writes no claims.json; with QNN_KD_READINGS set keeps the checkpoints", () => {
    const resultsDir = tmp();
    const cfg = { seed: 3 };
    fs.mkdirSync(checkpointFolder(resultsDir, cfg), { recursive: true });
    process.env.QNN_KD_READINGS = "none";
    const done = finishRun(
      { resultsDir, quick: false },
      { experiment: "x", settings: {}, rows: [], checkpoints: [cfg] },
    );
    expect(done.claimsFile).toBeNull();
    expect(fs.existsSync(path.join(resultsDir, "claims.json"))).toBe(false);
    expect(fs.existsSync(checkpointFolder(resultsDir, cfg))).toBe(true);
  });

  it("a row lacking a field fails before anything is removed", () => {
    const resultsDir = tmp();
    const cfg = { seed: 4 };
    fs.mkdirSync(checkpointFolder(resultsDir, cfg), { recursive: true });
    const bad = { model: "m" } as unknown as ResultRow;
    expect(() =>
      finishRun({ resultsDir, quick: false }, { experiment: "x", settings: {}, rows: [bad], checkpoints: [cfg] }),
    ).toThrow(/lacks the field/);
    expect(fs.existsSync(checkpointFolder(resultsDir, cfg))).toBe(true);
  });
});
