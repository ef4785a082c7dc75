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
  KD_ONLY_SETTINGS,
  UnitStore,
  stableJson,
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
  type SeedUnitResult,
  type UnitContext,
  type WorkUnit,
} from "qnn-kd/experiments";
import { TINY_FIG6 } from "../helpers";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "qnnkd-seedunits-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const dir = (name: string) => path.join(root, name);

/** Rows without the wall-clock field (the only one a resumed run does not reproduce). */
const strip = (rows: unknown) =>
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

describe("models shared between the settings of a sweep (Fig. 4, tiny)", () => {
  const tiny = {
    nQubits: 5,
    nTrain: 30,
    nTest: 30,
    teacherLayers: 2,
    teacherIterations: 4,
    studentLayers: [1, 2],
    studentIterations: 3,
    evalEvery: 2,
  };
  const unitOf = (name: string, overrides: object): WorkUnit => ({
    settings: seedlessSettings(yanFig4.fig4Config({ ...tiny, ...overrides }, true)),
    unit: "seed-0",
    label: `${name}, seed 0`,
  });
  const units = yanFig4.FIG4_UNITS;
  const run = (u: WorkUnit, folder: string, context?: UnitContext) =>
    units.run(u, dir(folder), context) as Promise<SeedUnitResult>;
  const defaults = unitOf("defaults", {});
  const readings = yanFig4.FIG4_READINGS.map((r) => unitOf(r.name, r.overrides));
  /** The checkpoint files of `u` that the rule of docs and code shares with the defaults, worked out by hand. */
  const byHand: Record<string, string[]> = {
    // a KD setting only: the teacher and the students without KD
    "alpha-0.9": ["student-L1-nokd.json", "student-L2-nokd.json", "teacher.json"],
    "alpha-0.9-on-ce": ["student-L1-nokd.json", "student-L2-nokd.json", "teacher.json"],
    "no-T2": ["student-L1-nokd.json", "student-L2-nokd.json", "teacher.json"],
    // the teacher's own settings (and KD ones): the students without KD only
    "teacher-scale-10": ["student-L1-nokd.json", "student-L2-nokd.json"],
    "teacher-scale-10-kd-expectations": ["student-L1-nokd.json", "student-L2-nokd.json"],
    "teacher-100": ["student-L1-nokd.json", "student-L2-nokd.json"],
    "sharp-teacher": ["student-L1-nokd.json", "student-L2-nokd.json"],
    // what every model reads: nothing
    "readout-first": [],
    "no-final-rotation": [],
    "init-0-1": [],
    "lr-0.1": [],
    "no-decay": [],
    "data-per-seed": [],
  };
  const stores: Record<string, SeedUnitResult> = {};
  const contextOf = (lines: string[]): UnitContext => ({
    units: [defaults, ...readings],
    read: (u) => stores[stableJson(u.settings)] ?? null,
    log: (line) => lines.push(line),
  });

  it("the KD settings a teacher and a student without KD never read", () => {
    expect([...KD_ONLY_SETTINGS]).toEqual(["T", "alpha", "scaleT2", "alphaOn", "kdTarget"]);
    expect(Object.keys(byHand).sort()).toEqual(yanFig4.FIG4_READINGS.map((r) => r.name).sort());
  });

  it("a reading takes what it shares with a stored unit, and every model taken is the one it would train alone", async () => {
    stores[stableJson(defaults.settings)] = await run(defaults, "share-defaults");
    const d = stores[stableJson(defaults.settings)];
    expect(Object.keys(d.checkpoints).length).toBe(5); // the teacher, 2 students × (no KD, KD)
    for (const [i, u] of readings.entries()) {
      const name = yanFig4.FIG4_READINGS[i].name;
      const alone = await run(u, `share-alone-${i}`);
      const lines: string[] = [];
      const shared = await run(u, `share-taken-${i}`, contextOf(lines));
      // the same rows and checkpoints as alone, whatever was taken
      expect(strip(shared.rows), name).toEqual(strip(alone.rows));
      expect(strip(shared.checkpoints), name).toEqual(strip(alone.checkpoints));
      // what was taken is what the hand rule says, and each such model equals the defaults' (the independent check:
      // computed alone, the reading's model is the defaults' model)
      const taken = Object.keys(d.checkpoints).filter((f) => byHand[name].includes(f));
      expect(taken.sort(), name).toEqual(byHand[name]);
      for (const f of taken) expect(strip(alone.checkpoints[f]), `${name}: ${f}`).toEqual(strip(d.checkpoints[f]));
      const groups = byHand[name].length === 0 ? 0 : byHand[name].includes("teacher.json") ? 2 : 1;
      expect(lines.length, name).toBe(groups);
      if (groups > 0)
        expect(lines[0]).toMatch(
          /^took the (teacher|students without KD) from defaults, seed 0 \(\d checkpoint file\(s\)\)$/,
        );
    }
  }, 300_000);

  it("nothing is taken without a context, from a unit not yet stored, or from another seed", async () => {
    const alpha = readings[yanFig4.FIG4_READINGS.findIndex((r) => r.name === "alpha-0.9")];
    const lines: string[] = [];
    const empty: UnitContext = { units: [defaults, alpha], read: () => null, log: (l) => lines.push(l) };
    await run(alpha, "share-none", empty);
    const otherSeed: UnitContext = {
      units: [{ ...defaults, unit: "seed-1" }, alpha],
      read: () => stores[stableJson(defaults.settings)],
      log: (l) => lines.push(l),
    };
    await run(alpha, "share-other-seed", otherSeed);
    expect(lines).toEqual([]);
  }, 120_000);

  it("a killed unit's partial checkpoint of a shared model gives way to the donor's final one; a finished one stays", async () => {
    const alpha = readings[yanFig4.FIG4_READINGS.findIndex((r) => r.name === "alpha-0.9")];
    const d = stores[stableJson(defaults.settings)];
    type Ck = { iteration: number; history: unknown[] };
    const teacher = d.checkpoints["teacher.json"] as Ck;
    const partial = { ...teacher, iteration: 1, history: teacher.history.slice(0, 1) };
    restoreCheckpoints(
      { "teacher.json": partial, "student-L1-nokd.json": d.checkpoints["student-L1-nokd.json"] },
      dir("share-partial"),
    );
    const lines: string[] = [];
    const r = await run(alpha, "share-partial", contextOf(lines));
    expect(lines).toEqual([
      "took the teacher from defaults, seed 0 (1 checkpoint file(s))",
      "took the students without KD from defaults, seed 0 (1 checkpoint file(s))", // L2; L1 was there, finished
    ]);
    expect(strip(r.checkpoints["teacher.json"])).toEqual(strip(teacher));
  }, 120_000);
});

describe("models shared between the settings of a sweep (Fig. 6, tiny)", () => {
  const unitOf = (name: string, overrides: object): WorkUnit => ({
    settings: seedlessSettings(yanFig6.fig6Config({ ...TINY_FIG6, ...overrides })),
    unit: "seed-0",
    label: `${name}, seed 0`,
  });
  const run = (u: WorkUnit, folder: string, context?: UnitContext) =>
    yanFig6.FIG6_UNITS.run(u, dir(folder), context) as Promise<SeedUnitResult>;

  it("KD from the unscaled ⟨Z⟩ retrains only the KD student; a longer teacher only the teacher and the KD student", async () => {
    const scale = unitOf("scale-10", { logitScale: 10 });
    const expectations = unitOf("scale-10-kd-expectations", { logitScale: 10, kdTarget: "expectations" });
    const longer = unitOf("teacher-3-epochs", { logitScale: 10, teacherEpochs: 3 });
    const stored = await run(scale, "f6-scale");
    const lines: string[] = [];
    const context: UnitContext = {
      units: [unitOf("defaults", {}), scale, expectations, longer],
      read: (u) => (stableJson(u.settings) === stableJson(scale.settings) ? stored : null),
      log: (l) => lines.push(l),
    };
    for (const [u, name] of [
      [expectations, "e"],
      [longer, "l"],
    ] as const) {
      const alone = await run(u, `f6-${name}-alone`);
      const shared = await run(u, `f6-${name}-shared`, context);
      expect(strip(shared.rows)).toEqual(strip(alone.rows));
      expect(strip(shared.checkpoints)).toEqual(strip(alone.checkpoints));
    }
    expect(lines).toEqual([
      "took the teacher from scale-10, seed 0 (1 checkpoint file(s))",
      "took the students without KD from scale-10, seed 0 (1 checkpoint file(s))",
      "took the students without KD from scale-10, seed 0 (1 checkpoint file(s))",
    ]);
  }, 120_000);
});
