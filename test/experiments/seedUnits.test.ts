/**
 * Seed units (`experiments/seedUnits.ts`) of the Yan et al. experiments: the unit lists the notebooks' sections run,
 * and the round trip that lets a notebook render a sweep's seed without training — a unit's final checkpoints,
 * restored into a fresh folder, make every model resume at its end with the same rows, and no model iterates again.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import {
  UnitStore,
  restoreCheckpoints,
  restoreSeedCheckpoints,
  runSeedUnit,
  seedlessSettings,
  storedSeedRows,
  yanFig4,
  yanFig5,
  yanFig6,
  yanTable1,
  type HooksFor,
} from "qnn-kd/experiments";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "qnnkd-seedunits-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const dir = (name: string) => path.join(root, name);

/** Rows without the wall-clock field (the only one a resumed run does not reproduce). */
const strip = (rows: readonly object[]) =>
  JSON.parse(JSON.stringify(rows, (k, v: unknown) => (k === "elapsedMs" ? undefined : v))) as unknown;

describe("the units of the Yan et al. experiments", () => {
  it("are the notebooks' settings × seeds, setting-major, keyed without the seed", () => {
    const units = yanTable1.TABLE1_UNITS.list({ quick: true, seeds: 2, readings: "none" });
    expect(units.map((u) => u.label)).toEqual([
      "defaults, seed 0",
      "defaults, seed 1",
      "sharp-teacher, seed 0",
      "sharp-teacher, seed 1",
    ]);
    expect(units.map((u) => u.unit)).toEqual(["seed-0", "seed-1", "seed-0", "seed-1"]);
    expect(units[0].settings).toEqual(seedlessSettings(yanTable1.table1Config({}, true)));
    expect("seed" in (units[0].settings as object)).toBe(false);
    const withReadings = yanTable1.TABLE1_UNITS.list({ quick: false, seeds: 5 });
    expect(withReadings.length).toBe(5 * (2 + yanTable1.table1Readings().length));
  });

  it("run the notebooks' default readings, and a reading equal to a variant adds no units", () => {
    const ablated = yanFig4.FIG4_UNITS.list({ quick: true, seeds: 1 }).map((u) => u.label);
    expect(ablated).toEqual(["defaults", "sharp-teacher", ...yanFig4.FIG4_ABLATED].map((n) => `${n}, seed 0`));
    const sharpAgain = yanFig4.FIG4_UNITS.list({ quick: true, seeds: 1, readings: "sharp-teacher" });
    expect(sharpAgain.map((u) => u.label)).toEqual(["defaults, seed 0", "sharp-teacher, seed 0"]);
    expect(yanFig5.FIG5_UNITS.list({ quick: true, seeds: 1 }).length).toBe(2 + yanFig5.fig5Readings().length);
    expect(yanFig6.FIG6_UNITS.list({ quick: true, seeds: 3, readings: "scale-10" }).map((u) => u.label)).toEqual([
      "defaults, seed 0",
      "defaults, seed 1",
      "defaults, seed 2",
      "scale-10, seed 0",
      "scale-10, seed 1",
      "scale-10, seed 2",
    ]);
    expect(() => yanFig5.fig5Readings("sharp-teacher")).toThrow(/"sharp-teacher", which is not one of/);
  });
});

describe("a seed unit's round trip (Table 1, tiny)", () => {
  const cfg = yanTable1.table1Config(
    {
      nTrain: 40,
      nTest: 40,
      teacherIterations: 6,
      studentIterations: 4,
      qaePretrainRestarts: 1,
      qaePretrainIterations: 20,
      qaeIterations: 6,
      evalEvery: 2,
    },
    true,
  );

  it("resumes every model at its end from the restored checkpoints: the same rows, no iteration", () => {
    const first = runSeedUnit(cfg, 1, dir("a"), yanTable1.table1SeedRun());
    expect(Object.keys(first.checkpoints)).toEqual(
      expect.arrayContaining(["autoencoder.json", "teacher.json", "student1-nokd.json", "student2-nokd.json"]),
    );
    expect(Object.keys(first.checkpoints).length).toBe(6); // the autoencoder, the teacher, 2 students × 2
    expect(first.rows.map((r) => r.seed)).toEqual(first.rows.map(() => 1));
    // restored into a fresh folder, nothing trains again and the rows are the same
    expect(restoreCheckpoints(first.checkpoints, dir("b"))).toBe(6);
    let iterations = 0;
    const counting: HooksFor = () => ({ checkpointDir: dir("b"), onIteration: () => iterations++ });
    const again = yanTable1.table1SeedRun({ hooksFor: () => counting })({ ...cfg, seed: 1 }, dir("b"));
    expect(iterations).toBe(0);
    expect(strip(again)).toEqual(strip(first.rows));
    // a file already there is kept; a name that is not a plain *.json file is refused
    expect(restoreCheckpoints(first.checkpoints, dir("b"))).toBe(0);
    expect(() => restoreCheckpoints({ "../x.json": {} }, dir("b"))).toThrow(/plain \*\.json name, got "\.\.\/x\.json"/);
  }, 120_000);

  it("storedSeedRows computes a missing unit once, writes it, and then reads it", () => {
    const store = new UnitStore(dir("store"), "table1", seedlessSettings(cfg));
    const rows = storedSeedRows(store, cfg, 2, dir("c"), yanTable1.table1SeedRun());
    expect(store.has("seed-2")).toBe(true);
    const boom = () => {
      throw new Error("must not run: the unit is in the store");
    };
    expect(storedSeedRows(store, cfg, 2, dir("d"), boom)).toEqual(JSON.parse(JSON.stringify(rows)));
    expect(restoreSeedCheckpoints(store, 2, dir("e"))).toBe(6);
    expect(restoreSeedCheckpoints(store, 3, dir("f"))).toBe(0);
    expect(restoreSeedCheckpoints(null, 2, dir("g"))).toBe(0);
    // without a store it computes and keeps nothing
    expect(storedSeedRows(null, cfg, 2, dir("h"), () => [])).toEqual([]);
  }, 120_000);
});
