// Readings of the papers' open choices (experiments/readings.ts): settings of rows, the checks of a readings list,
// the runner's tagging, the one-factor table on fabricated rows (means and t intervals worked out here), and what
// the KD target reading distils (Table 1's teacher logits against its unscaled ⟨Z⟩).
import { describe, expect, it } from "vitest";
import { Statevector } from "qnn-kd";
import {
  yanTable1,
  yanFig4,
  yanFig5,
  yanFig6,
  qnnKdRun,
  readingsTable,
  movingReadings,
  movingReadingsRows,
  runReadings,
  checkReadings,
  rowsOf,
  settingOf,
  ResultRow,
  studentTQuantile,
} from "qnn-kd/experiments";
import { sweepRows } from "../helpers";
import { Rng } from "../../src/util/rng";
import { randomState } from "../helpers";

describe("settings of rows", () => {
  it('rows without a variant and rows with variant "defaults" are the defaults; others are their reading', () => {
    const rows = [{ variant: "defaults", a: 1 }, { a: 2 }, { variant: "no-T2", a: 3 }];
    expect(rowsOf(rows).map((r) => r.a)).toEqual([1, 2]);
    expect(rowsOf(rows, "no-T2").map((r) => r.a)).toEqual([3]);
    expect(settingOf({ variant: 3 })).toBe("defaults");
  });
});

describe("checkReadings", () => {
  it("accepts every experiment's readings and rejects bad ones by name", () => {
    checkReadings("t1", yanTable1.TABLE1_READINGS, yanTable1.TABLE1_DEFAULTS);
    checkReadings("f4", yanFig4.FIG4_READINGS, yanFig4.FIG4_DEFAULTS);
    checkReadings("f5", yanFig5.FIG5_READINGS, yanFig5.FIG5_DEFAULTS);
    checkReadings("f6", yanFig6.FIG6_READINGS, yanFig6.FIG6_DEFAULTS);
    // every reading makes a valid config
    for (const r of yanTable1.TABLE1_READINGS) expect(() => yanTable1.table1Config(r.overrides)).not.toThrow();
    for (const r of yanFig5.FIG5_READINGS) expect(() => yanFig5.fig5Config(r.overrides)).not.toThrow();
    for (const r of yanFig4.FIG4_READINGS) expect(() => yanFig4.fig4Config(r.overrides)).not.toThrow();
    for (const r of yanFig6.FIG6_READINGS) expect(() => yanFig6.fig6Config(r.overrides)).not.toThrow();
    const d = { a: 1, b: 2 };
    expect(() => checkReadings("w", [{ name: "defaults", label: "x", overrides: {} }], d)).toThrow(
      /other than "defaults", got "defaults"/,
    );
    expect(() => checkReadings("w", [{ name: "x y", label: "x", overrides: {} }], d)).toThrow(/got "x y"/);
    expect(() =>
      checkReadings(
        "w",
        [
          { name: "x", label: "x", overrides: {} },
          { name: "x", label: "y", overrides: {} },
        ],
        d,
      ),
    ).toThrow(/"x" appears twice/);
    expect(() => checkReadings("w", [{ name: "x", label: "x", overrides: { c: 1 } as never }], d)).toThrow(
      /unknown setting "c"/,
    );
    expect(() => checkReadings("w", [{ name: "x", label: "x", overrides: {}, reference: "z" }], d)).toThrow(
      /refers to "z"/,
    );
  });
});

describe("runReadings", () => {
  it("runs each reading for each seed in order and tags every row with the reading; autoencoder rows are dropped", () => {
    const calls: string[] = [];
    const readings = [
      { name: "r1", label: "one", overrides: {} },
      { name: "r2", label: "two", overrides: {} },
    ];
    const progress: number[] = [];
    const rows = runReadings(
      readings,
      [3, 4],
      (r, s) => {
        calls.push(`${r.name}/${s}`);
        return [
          { model: "m", role: "student", seed: s, variant: "defaults" } as unknown as ResultRow,
          { model: "ae", role: "autoencoder", seed: s } as unknown as ResultRow,
        ];
      },
      (done) => progress.push(done),
    );
    expect(calls).toEqual(["r1/3", "r1/4", "r2/3", "r2/4"]);
    expect(rows.map((r) => `${r.variant}/${r.seed}`)).toEqual(["r1/3", "r1/4", "r2/3", "r2/4"]);
    expect(progress).toEqual([1, 2, 3, 4]);
  });
});

describe("readingsTable", () => {
  it("gives each setting's mean [t ∪ BCa interval] per model and each claim's status on that setting's rows alone", () => {
    // Fig. 4-shaped rows: defaults with a KD gain at every depth, a reading where KD hurts
    const good = sweepRows({
      nSeeds: 5,
      teacher: 0.9,
      students: { 1: { noKd: 0.6, kd: 0.65 }, 2: { noKd: 0.8, kd: 0.99 }, 3: { noKd: 0.9, kd: 0.92 } },
    });
    const bad = sweepRows({
      nSeeds: 5,
      teacher: 0.9,
      variant: "no-T2",
      students: { 1: { noKd: 0.6, kd: 0.5 }, 2: { noKd: 0.8, kd: 0.7 }, 3: { noKd: 0.9, kd: 0.8 } },
    });
    const rows = [...good, ...bad] as unknown as ResultRow[];
    const readings = [
      { name: "no-T2", label: "no T² factor", overrides: { scaleT2: false } },
      { name: "unused", label: "not run", overrides: {} },
    ];
    const table = readingsTable(rows, readings, {
      models: ["teacher", "student (2 layers) + KD"],
      records: yanFig4.fig4ClaimRecords,
    });
    expect(table.map((r) => r.reading)).toEqual(["defaults", "no-T2"]); // a reading without rows is left out
    expect(table[1]["changes"]).toBe("scaleT2 = false");
    expect(table[1]["seeds"]).toBe(5);
    // the teacher's column: mean of its five values with an interval that contains the t interval worked out here
    const v = good.filter((r) => r.role === "teacher").map((r) => 100 * (r.testAccuracy as number));
    const m = v.reduce((a, b) => a + b, 0) / 5;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / 4);
    const half = (studentTQuantile(0.975, 4) * sd) / Math.sqrt(5);
    const cell = String(table[0]["teacher (test %)"]);
    const [, est, lo, hi] = cell.match(/^([\d.]+)% \[([\d.]+), ([\d.]+)\]$/)!.map(Number);
    expect(est).toBeCloseTo(m, 1);
    expect(lo).toBeLessThanOrEqual(Math.round(10 * (m - half)) / 10 + 1e-9);
    expect(hi).toBeGreaterThanOrEqual(Math.round(10 * (m + half)) / 10 - 1e-9);
    // the 2-layer claim holds at the defaults' rows and is contradicted at the reading's
    const claim2 = yanFig4.FIG4_PAPER_CLAIMS[2].slice(0, 40);
    expect(table[0][claim2]).toBe("holds");
    expect(table[1][claim2]).toBe("contradicted");
    expect(() =>
      readingsTable(bad as unknown as ResultRow[], readings, { models: [], records: yanFig4.fig4ClaimRecords }),
    ).toThrow(/no rows of the defaults/);
  });
});

describe("movingReadings", () => {
  it("names the readings whose mean leaves the reference setting's interval, per model", () => {
    const row = (variant: string, seed: number, model: string, acc: number) =>
      ({ model, role: "teacher", seed, variant, testAccuracy: acc }) as unknown as ResultRow;
    const base = [0.8, 0.82, 0.81, 0.79, 0.83]; // mean 0.81, sd 0.0158: t interval 0.81 ± 2.776·0.0158/√5 ≈ [0.790, 0.830]
    const rows = [
      ...base.map((a, s) => row("defaults", s, "teacher", a)),
      ...base.map((a, s) => row("up", s, "teacher", a + 0.05)), // mean 0.86: outside
      ...base.map((a, s) => row("same", s, "teacher", a + 0.005)), // mean 0.815: inside
      ...base.map((a, s) => row("ref-up", s, "teacher", a + 0.055)), // against "up" (0.86): inside
    ];
    const readings = [
      { name: "up", label: "u", overrides: {} },
      { name: "same", label: "s", overrides: {} },
      { name: "ref-up", label: "r", overrides: {}, reference: "up" },
      { name: "absent", label: "a", overrides: {} },
    ];
    expect(movingReadings(rows, readings, ["teacher"], (r) => String(r.model))).toEqual([
      { name: "up", models: ["teacher"] },
    ]);
  });
});

describe("movingReadingsRows", () => {
  const row = (variant: string, seed: number, model: string, acc: number) =>
    ({ model, role: "teacher", seed, variant, testAccuracy: acc }) as unknown as ResultRow;
  const base = [0.8, 0.82, 0.81, 0.79, 0.83]; // defaults: mean 0.81, interval ≈ [0.790, 0.830] (test above)
  const byModel = (r: ResultRow) => String(r.model);
  it("gives every reading that ran a row: the moved models, none, or why no interval exists", () => {
    const rows = [
      ...base.map((a, s) => row("defaults", s, "teacher", a)),
      ...base.map((a, s) => row("defaults", s, "student", a)),
      ...base.map((a, s) => row("up", s, "teacher", a + 0.05)), // teacher 0.86: outside
      ...base.map((a, s) => row("up", s, "student", a + 0.005)), // student 0.815: inside
      ...base.map((a, s) => row("same", s, "teacher", a - 0.005)), // 0.805: inside
      row("one-seed", 0, "teacher", 0.5),
      row("against-one", 0, "teacher", 0.9),
    ];
    const readings = [
      { name: "same", label: "s", overrides: {} },
      { name: "absent", label: "a", overrides: {} },
      { name: "up", label: "u", overrides: {} },
      { name: "against-one", label: "o", overrides: {}, reference: "one-seed" },
    ];
    expect(movingReadingsRows(rows, readings, ["teacher", "student"], byModel)).toEqual([
      { reading: "same", "in words": "s", against: "defaults", "models outside its interval": "none" },
      { reading: "up", "in words": "u", against: "defaults", "models outside its interval": "teacher" },
      {
        reading: "against-one",
        "in words": "o",
        against: "one-seed",
        "models outside its interval": "— (one-seed has 1 seed(s); an interval needs 2 or more)",
      },
    ]);
    // both models moved: joined in the order of `models`
    const both = [
      ...rows,
      ...base.map((a, s) => row("down", s, "student", a - 0.1)),
      ...base.map((a, s) => row("down", s, "teacher", a - 0.1)),
    ];
    expect(
      movingReadingsRows(both, [{ name: "down", label: "d", overrides: {} }], ["teacher", "student"], byModel),
    ).toEqual([
      { reading: "down", "in words": "d", against: "defaults", "models outside its interval": "teacher; student" },
    ]);
  });
});

describe("the KD target reading", () => {
  it('"logits" distils the teacher\'s s·⟨Z⟩, "expectations" its unscaled ⟨Z⟩', () => {
    const rng = new Rng(2);
    const inputs = [randomState(7, rng), randomState(7, rng)] as Statevector[];
    const cfgL = yanTable1.table1Config({ teacherLogitScale: 10 });
    const teacher = yanTable1.table1Specs(cfgL).teacher.build("0/teacher", "teacher");
    expect(teacher.params.length).toBe(3 * 7 * 3); // 2 layers + the final rotation layer
    const z = teacher.expectations(inputs[0]);
    const logits = qnnKdRun(cfgL, teacher, inputs).teacherLogits;
    const unscaled = qnnKdRun({ ...cfgL, kdTarget: "expectations" }, teacher, inputs).teacherLogits;
    for (let k = 0; k < 2; k++) {
      expect(logits[0][k]).toBeCloseTo(10 * z[k], 12);
      expect(unscaled[0][k]).toBeCloseTo(z[k], 12);
    }
    expect(qnnKdRun({ ...cfgL, alpha: 0.9, alphaOn: "ce" }, teacher, inputs)).toMatchObject({
      T: 2,
      alpha: 0.9,
      scaleT2: true,
      alphaOn: "ce",
    });
  });
});

describe("readout per model", () => {
  it("teacherReadout gives the teacher its own readout qubits; null gives it the students'", () => {
    const specs = yanTable1.table1Specs(yanTable1.table1Config({ teacherReadout: [2, 3] }));
    expect(specs.teacher.build("0/teacher", "t").readout).toEqual([2, 3]);
    expect(specs.student2.build("0/student2", "s").readout).toEqual([5, 6]);
    expect(yanTable1.table1Specs(yanTable1.table1Config()).teacher.build("0/teacher", "t").readout).toEqual([5, 6]);
    const sweep = yanFig4.sweepSpecs(yanFig4.fig4Config({ teacherReadout: [0, -1] }, true));
    expect(sweep.teacher.build("0/teacher", "t").readout).toEqual([0, 8]); // quick mode: 9 qubits
    expect(sweep.students[0].build("0/s", "s").readout).toEqual([7, 8]);
    expect(() => yanTable1.table1Config({ teacherReadout: [5, 9] })).toThrow(/teacherReadout/);
  });
});
