// Every experiment configuration checks its values when it is made (util/options checkSettings / checkReadout):
// α outside [0, 1], T = 0, a learning rate ≤ 0, a non-integer iteration count and a readout qubit outside the
// circuit throw AT CREATION, with a message that names the function, the option and the value; the defaults,
// the quick settings and the documented variants are accepted.
import { describe, expect, it } from "vitest";
import { course, hasan, noisyTeacher, piperno, yanFig4, yanFig5, yanFig6, yanTable1 } from "qnn-kd/experiments";

type Make = (overrides?: Record<string, unknown>, quick?: boolean) => Record<string, unknown>;

interface Factory {
  /** The factory's name as called. */
  name: string;
  /** The name its messages start with. */
  where: string;
  make: Make;
  /** Its defaults (every numeric option of which must be checked). */
  defaults: Readonly<Record<string, unknown>>;
  /** Its iteration (or epoch) counts and learning rates. */
  iterations: string[];
  lrs: string[];
  /** Readouts just outside the circuit (default settings): [option, value, the start of the message]. */
  readouts: [string, number[], string][];
  /** Documented variants that must be accepted (with and without quick). */
  variants: Readonly<Record<string, unknown>>[];
}

const FACTORIES: Factory[] = [
  {
    name: "table1Config",
    where: "table1Config",
    make: yanTable1.table1Config as unknown as Make,
    defaults: yanTable1.TABLE1_DEFAULTS,
    iterations: ["teacherIterations", "studentIterations", "qaeIterations", "qaePretrainIterations"],
    lrs: ["lr", "teacherLr", "qaeLr", "qaePretrainLr"],
    readouts: [
      ["readout", [0, 7], "table1Config: readout[1] = 7 is not a qubit of a 7-qubit model"],
      ["readout", [-1, 0], "table1Config: readout[0] = -1 is not a qubit of a 7-qubit model"],
      ["student1Readout", [0, 2], "table1Config: student1Readout[1] = 2 is not a qubit of a 2-qubit model"],
    ],
    variants: [yanTable1.TABLE1_SHARP_TEACHER, yanTable1.TABLE1_QAE_HARDWARE_EFFICIENT],
  },
  {
    name: "fig4Config",
    where: "fig4Config",
    make: yanFig4.fig4Config as unknown as Make,
    defaults: yanFig4.FIG4_DEFAULTS,
    iterations: ["teacherIterations", "studentIterations"],
    lrs: ["lr", "teacherLr"],
    readouts: [
      ["readout", [0, 15], "fig4Config: readout[1] = 15 is not a qubit of a 15-qubit model"],
      ["readout", [-16, 0], "fig4Config: readout[0] = -16 is not a qubit of a 15-qubit model"],
    ],
    variants: [yanFig4.FIG4_SHARP_TEACHER],
  },
  {
    name: "fig5Config",
    where: "fig5Config",
    make: yanFig5.fig5Config as unknown as Make,
    defaults: yanFig5.FIG5_DEFAULTS,
    iterations: ["teacherIterations", "studentIterations"],
    lrs: ["lr", "teacherLr"],
    readouts: [["readout", [15, 0], "fig5Config: readout[0] = 15 is not a qubit of a 15-qubit model"]],
    variants: [yanFig5.FIG5_SHARP_TEACHER],
  },
  {
    name: "fig6Config",
    where: "fig6Config",
    make: yanFig6.fig6Config as unknown as Make,
    defaults: yanFig6.FIG6_DEFAULTS,
    iterations: ["teacherEpochs", "studentEpochs"],
    lrs: ["lr"],
    readouts: [
      ["readout", [0, 1, 2, 3, 4, 5, 6, 7, 8, 10], "fig6Config: readout[9] = 10 is not a qubit of a 10-qubit model"],
    ],
    variants: [],
  },
  {
    name: "pipernoConfig",
    where: "pipernoConfig",
    make: piperno.pipernoConfig as unknown as Make,
    defaults: piperno.PIPERNO_DEFAULTS,
    iterations: ["epochs", "patience"],
    lrs: ["lr", "teacherLr"],
    readouts: [],
    variants: [],
  },
  {
    name: "hasanConfig",
    where: "hasanConfig",
    make: hasan.hasanConfig as unknown as Make,
    defaults: hasan.HASAN_DEFAULTS,
    iterations: ["epochs", "teacherEpochs"],
    lrs: ["lr", "teacherLr"],
    readouts: [],
    variants: [],
  },
  {
    name: "noisyTeacherConfig",
    where: "noisyTeacherConfig",
    make: noisyTeacher.noisyTeacherConfig as unknown as Make,
    defaults: noisyTeacher.NOISY_DEFAULTS,
    iterations: ["teacherIterations", "studentIterations", "qaeIterations"],
    lrs: ["lr", "teacherLr", "qaeLr"],
    readouts: [
      ["readout", [5, 7], "noisyTeacherConfig: readout[1] = 7 is not a qubit of a 7-qubit model"],
      ["student1Readout", [0, 2], "noisyTeacherConfig: student1Readout[1] = 2 is not a qubit of a 2-qubit model"],
    ],
    variants: [],
  },
  {
    name: "firstKdConfig",
    where: "firstKdConfig",
    make: course.firstKdConfig as unknown as Make,
    defaults: course.FIRST_KD_DEFAULTS,
    iterations: ["teacherIterations", "studentIterations"],
    lrs: ["lr", "teacherLr"],
    readouts: [["readout", [5, 7], "firstKdConfig: readout[1] = 7 is not a qubit of a 7-qubit model"]],
    variants: [],
  },
  {
    // the course's hybrid settings are pipernoConfig's, so its messages are pipernoConfig's
    name: "hybridCourseConfig",
    where: "pipernoConfig",
    make: course.hybridCourseConfig as unknown as Make,
    defaults: {
      ...piperno.PIPERNO_DEFAULTS,
      ...course.COURSE_HYBRID,
      alpha: piperno.klAlpha("mean", piperno.PIPERNO_DEFAULTS.batchSize),
    },
    iterations: ["epochs", "patience"],
    lrs: ["lr", "teacherLr"],
    readouts: [],
    variants: [],
  },
];

/** The Error message of `f()`, or null when it does not throw. */
function messageOf(f: () => unknown): string | null {
  try {
    f();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

describe.each(FACTORIES)("$name checks its values when made", (F) => {
  it("accepts the defaults, the quick settings and the documented variants", () => {
    for (const quick of [false, true]) {
      expect(() => F.make({}, quick)).not.toThrow();
      for (const v of F.variants) expect(() => F.make({ ...v }, quick)).not.toThrow();
    }
    expect(F.make().alpha).toBe(F.defaults.alpha);
  });

  it("rejects alpha = 1.5 and alpha < 0", () => {
    expect(() => F.make({ alpha: 1.5 })).toThrow(`${F.where}: alpha must be a number in [0, 1], got 1.5`);
    expect(() => F.make({ alpha: -0.1 }, true)).toThrow(`${F.where}: alpha must be a number in [0, 1], got -0.1`);
  });

  it("rejects T = 0 and T < 0", () => {
    expect(() => F.make({ T: 0 })).toThrow(`${F.where}: T must be a finite number > 0, got 0`);
    expect(() => F.make({ T: -2 }, true)).toThrow(`${F.where}: T must be a finite number > 0, got -2`);
  });

  it("rejects a zero or negative learning rate", () => {
    for (const k of F.lrs) {
      expect(() => F.make({ [k]: 0 })).toThrow(`${F.where}: ${k} must be a finite number > 0, got 0`);
      expect(() => F.make({ [k]: -0.01 })).toThrow(`${F.where}: ${k} must be a finite number > 0, got -0.01`);
    }
  });

  it("rejects a non-integer or non-positive iteration count", () => {
    for (const k of F.iterations) {
      expect(() => F.make({ [k]: 2.5 })).toThrow(
        new RegExp(`^${F.where}: ${k} must be an integer (≥ 1|≥ 0), got 2\\.5$`),
      );
      expect(() => F.make({ [k]: -1 })).toThrow(`${F.where}: ${k} must be an integer`);
    }
  });

  it("rejects a readout qubit outside the circuit", () => {
    for (const [k, value, message] of F.readouts) expect(() => F.make({ [k]: value })).toThrow(message);
  });

  it("checks every numeric option: NaN (or [NaN]) in any of them throws naming the option and the value", () => {
    const numeric = Object.keys(F.defaults).filter((k) => {
      const v = F.defaults[k];
      return typeof v === "number" || (Array.isArray(v) && v.every((x) => typeof x === "number"));
    });
    expect(numeric.length).toBeGreaterThan(5);
    const unchecked: string[] = [];
    for (const k of numeric) {
      const bad = Array.isArray(F.defaults[k]) ? [NaN] : NaN;
      const msg = messageOf(() => F.make({ [k]: bad }));
      if (msg === null || !msg.startsWith(`${F.where}: ${k}`) || !msg.includes("NaN")) unchecked.push(`${k}: ${msg}`);
    }
    expect(unchecked).toEqual([]);
  });
});

describe("config-specific ranges", () => {
  it("reject values just outside the experiment's own limits", () => {
    expect(() => yanTable1.table1Config({ nQubits: 21 })).toThrow(
      "table1Config: nQubits must be an integer in [3, 20], got 21",
    );
    expect(() => yanTable1.table1Config({ student1Qubits: 7 })).toThrow(
      "table1Config: student1Qubits must be an integer in [1, 6], got 7",
    );
    expect(() => yanTable1.table1Config({ gamma: 0 })).toThrow("table1Config: gamma must be a number in (0, 1], got 0");
    expect(() => yanTable1.table1Config({ weightDecay: -1e-4 })).toThrow(
      "table1Config: weightDecay must be a finite number ≥ 0, got -0.0001",
    );
    expect(() => yanTable1.table1Config({ teacherLogitScale: 0 })).toThrow(
      "table1Config: teacherLogitScale must be a finite number > 0, got 0",
    );
    expect(() => yanTable1.table1Config({ h1Min: 2 })).toThrow("table1Config: h1Min must be below h1Max");
    expect(() => yanTable1.table1Config({ qaeInitScale: -0.1 })).toThrow(
      "table1Config: qaeInitScale must be a finite number ≥ 0 or null, got -0.1",
    );
    expect(yanTable1.table1Config({ qaeInitScale: null }).qaeInitScale).toBeNull();
    expect(() => yanTable1.table1Config({ qaeAnsatz: "brick" as never })).toThrow(
      'table1Config: qaeAnsatz must be one of "hardware-efficient", "two-qubit-blocks", got "brick"',
    );
    expect(() => yanFig4.fig4Config({ studentLayers: [1, 2.5] })).toThrow(
      "fig4Config: studentLayers must be a non-empty list of integers ≥ 1, got [1,2.5] (studentLayers[1] = 2.5)",
    );
    expect(() => yanFig4.fig4Config({ readout: [0, 1, 2] })).toThrow("fig4Config: readout must list 2 qubits");
    expect(() => yanFig4.fig4Config({ studentLayers: 3 as never })).toThrow(
      "fig4Config: studentLayers must be a non-empty list of integers ≥ 1, got 3",
    );
    expect(() => yanFig5.fig5Config({ digits: [1, 10] })).toThrow(
      "fig5Config: digits must be a list of 2 integers in [0, 9], got [1,10] (digits[1] = 10)",
    );
    expect(() => yanFig5.fig5Config({ digits: [5, 5] })).toThrow("fig5Config: digits must be two distinct digits");
    expect(() => yanFig6.fig6Config({ nTest: 10001 })).toThrow(
      "fig6Config: nTest must be an integer in [1, 10000], got 10001",
    );
    expect(() => noisyTeacher.noisyTeacherConfig({ noiseLevels: [0, 1] })).toThrow(
      "noisyTeacherConfig: noiseLevels must be a non-empty list of probabilities in [0, 1), got [0,1] (noiseLevels[1] = 1)",
    );
    expect(noisyTeacher.noisyTeacherConfig({ noiseLevels: [0, 0.999], shots: null }, true).shots).toBeNull();
    expect(() => noisyTeacher.noisyTeacherConfig({ shots: 1.5 })).toThrow(
      "noisyTeacherConfig: shots must be an integer in [1, 100000000] or null, got 1.5",
    );
    expect(() => noisyTeacher.noisyTeacherConfig({ alpha: 1.5 })).toThrow(
      "noisyTeacherConfig: alpha must be a number in [0, 1], got 1.5",
    );
    expect(() => piperno.pipernoConfig({ trainFraction: 0 })).toThrow(
      "pipernoConfig: trainFraction must be a number in (0, 1], got 0",
    );
    expect(() => piperno.pipernoConfig({ validationFraction: 0.2 })).toThrow(
      "pipernoConfig: trainFraction + validationFraction must be below 1",
    );
    expect(() => piperno.pipernoConfig({ n: 9 })).toThrow("pipernoConfig: n must be an integer ≥ 10, got 9");
    expect(() => piperno.pipernoConfig({ studentUnits: [64, 0] })).toThrow(
      "pipernoConfig: studentUnits must be a non-empty list of integers ≥ 1, got [64,0] (studentUnits[1] = 0)",
    );
    expect(() => hasan.hasanConfig({ qubits: [4, 11] })).toThrow(
      "hasanConfig: qubits must be a non-empty list of integers in [1, 10], got [4,11] (qubits[1] = 11)",
    );
    expect(() => hasan.hasanConfig({ seed: -1 })).toThrow("hasanConfig: seed must be an integer ≥ 0, got -1");
    expect(() => course.firstKdConfig({ readout: [5, 5] })).toThrow(
      "firstKdConfig: readout [5,5] names the same qubit twice",
    );
  });
});
