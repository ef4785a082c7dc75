// The shared settings checks of util/options: checkSettings (one rule per option, by kind) and checkReadout.
// Each kind accepts its boundary values and rejects values just outside, with a message that names the function,
// the option, the value and what is allowed.
import { describe, expect, it } from "vitest";
import {
  SettingKind,
  SettingRule,
  checkReadout,
  checkSettings,
  describeSetting,
  quoteValue,
} from "../../src/util/options";

/** checkSettings on one option `x` with `rule`. */
const check = (rule: SettingRule, x: unknown) => checkSettings("f", { x }, { x: rule });

/** Every kind: [values it accepts (boundaries included), values just outside it, the allowed text]. */
const KINDS: [SettingKind, unknown[], unknown[], string][] = [
  ["number", [-1e300, 0, 1e300], [NaN, Infinity, -Infinity, "1", null, undefined], "a finite number"],
  ["alpha", [0, 0.5, 1], [-1e-12, 1 + 1e-12, 1.5, NaN], "a number in [0, 1]"],
  ["temperature", [Number.MIN_VALUE, 1, 1e6], [0, -1e-12, Infinity, NaN], "a finite number > 0"],
  ["learningRate", [Number.MIN_VALUE, 0.01, 10], [0, -0.01, Infinity, NaN], "a finite number > 0"],
  ["positive", [Number.MIN_VALUE, 10], [0, -1, Infinity], "a finite number > 0"],
  ["nonNegative", [0, 1e-4, 1e300], [-1e-12, -Infinity, Infinity, NaN], "a finite number ≥ 0"],
  ["fraction", [Number.MIN_VALUE, 0.5, 1], [0, 1 + 1e-12, -0.5], "a number in (0, 1]"],
  ["probability", [0, 0.05, 1], [-1e-12, 1 + 1e-12, NaN], "a probability in [0, 1]"],
  ["positiveInt", [1, 2, Number.MAX_SAFE_INTEGER], [0, -1, 1.5, 2.5, NaN, Infinity, "3"], "an integer ≥ 1"],
  ["nonNegativeInt", [0, 1, 1000], [-1, 0.5, NaN], "an integer ≥ 0"],
  ["positiveInts", [[1], [1, 2, 3]], [[], [1, 0], [1.5], [NaN], 3, null], "a non-empty list of integers ≥ 1"],
  ["nonNegativeInts", [[0], [0, 9]], [[], [-1], [0.5]], "a non-empty list of integers ≥ 0"],
  [
    "probabilities",
    [[0], [0, 1], [1e-3, 0.05]],
    [[], [-1e-12], [1 + 1e-12], [0, 1.2], [NaN], 0.5],
    "a non-empty list of probabilities in [0, 1]",
  ],
];

describe("checkSettings", () => {
  for (const [kind, good, bad, allowed] of KINDS) {
    it(`"${kind}" accepts ${quoteValue(good)} and rejects ${quoteValue(bad)}, saying "${allowed}"`, () => {
      for (const v of good) expect(check(kind, v)).toEqual({ x: v });
      for (const v of bad)
        expect(() => check(kind, v), `${kind} ${quoteValue(v)}`).toThrow(
          `f: x must be ${allowed}, got ${quoteValue(v)}`,
        );
      expect(describeSetting(kind)).toBe(allowed);
    });
  }

  it("the message names the function, the option, the value and what is allowed", () => {
    expect(() => checkSettings("table1Config", { alpha: 1.5 }, { alpha: "alpha" })).toThrow(
      /^table1Config: alpha must be a number in \[0, 1\], got 1\.5$/,
    );
    expect(() => checkSettings("table1Config", { T: 0 }, { T: "temperature" })).toThrow(
      /^table1Config: T must be a finite number > 0, got 0$/,
    );
    expect(() => checkSettings("c", { lr: -0.01 }, { lr: "learningRate" })).toThrow(
      /^c: lr must be a finite number > 0, got -0\.01$/,
    );
    expect(() => checkSettings("c", { n: 2.5 }, { n: "positiveInt" })).toThrow(
      /^c: n must be an integer ≥ 1, got 2\.5$/,
    );
    expect(() => checkSettings("c", { s: "2" }, { s: "positive" })).toThrow(
      /^c: s must be a finite number > 0, got "2"$/,
    );
    expect(() => checkSettings("c", { s: undefined }, { s: "positive" })).toThrow(/got undefined$/);
  });

  it("arrays: the message quotes the whole value and names the first bad entry", () => {
    expect(() => check("positiveInts", [1, 0, -1])).toThrow(
      /^f: x must be a non-empty list of integers ≥ 1, got \[1,0,-1\] \(x\[1\] = 0\)$/,
    );
    expect(() => check("probabilities", [0, NaN])).toThrow(
      /^f: x must be a non-empty list of probabilities in \[0, 1\], got \[0,NaN\] \(x\[1\] = NaN\)$/,
    );
    expect(() => check("probabilities", [])).toThrow(
      /^f: x must be a non-empty list of probabilities in \[0, 1\], got \[\]$/,
    );
  });

  it("min, max and below narrow a kind (inclusive, inclusive, exclusive) and show in the message", () => {
    const qubits: SettingRule = { kind: "positiveInt", min: 3, max: 20 };
    for (const v of [3, 20]) expect(() => check(qubits, v)).not.toThrow();
    for (const v of [2, 21]) expect(() => check(qubits, v)).toThrow(`f: x must be an integer in [3, 20], got ${v}`);
    const noise: SettingRule = { kind: "probabilities", below: 1 };
    expect(() => check(noise, [0, 0.999999])).not.toThrow();
    expect(() => check(noise, [0, 1])).toThrow(
      "f: x must be a non-empty list of probabilities in [0, 1), got [0,1] (x[1] = 1)",
    );
    const digitsBelow10: SettingRule = { kind: "nonNegativeInt", below: 10 };
    expect(() => check(digitsBelow10, 9)).not.toThrow();
    expect(() => check(digitsBelow10, 10)).toThrow("f: x must be an integer in [0, 9], got 10");
    expect(() => check({ kind: "positiveInts", max: 10 }, [4, 11])).toThrow(
      "f: x must be a non-empty list of integers in [1, 10], got [4,11] (x[1] = 11)",
    );
    expect(() => check({ kind: "fraction", max: 0.5 }, 0.6)).toThrow("f: x must be a number in (0, 0.5], got 0.6");
  });

  it("extras never widen a kind", () => {
    expect(() => check({ kind: "positiveInt", min: -5 }, 0)).toThrow("f: x must be an integer ≥ 1, got 0");
    expect(() => check({ kind: "alpha", max: 2 }, 1.5)).toThrow("f: x must be a number in [0, 1], got 1.5");
    expect(() => check({ kind: "temperature", min: 0 }, 0)).toThrow("f: x must be a finite number > 0, got 0");
  });

  it("nullable allows null and says so; length fixes an array's length", () => {
    const shots: SettingRule = { kind: "positiveInt", max: 1e8, nullable: true };
    expect(check(shots, null)).toEqual({ x: null });
    expect(() => check(shots, 1e8)).not.toThrow();
    expect(() => check(shots, 0)).toThrow("f: x must be an integer in [1, 100000000] or null, got 0");
    expect(() => check("positiveInt", null)).toThrow("f: x must be an integer ≥ 1, got null");
    const pair: SettingRule = { kind: "nonNegativeInts", max: 9, length: 2 };
    expect(() => check(pair, [1, 5])).not.toThrow();
    expect(() => check(pair, [1, 5, 7])).toThrow("f: x must be a list of 2 integers in [0, 9], got [1,5,7]");
    expect(() => check(pair, [1])).toThrow("f: x must be a list of 2 integers in [0, 9], got [1]");
  });

  it("checks every rule in order, leaves options without a rule alone, and returns the settings unchanged", () => {
    const cfg = { a: 0.5, b: 2, name: "free", other: -1 };
    expect(checkSettings("f", cfg, { a: "alpha", b: "positiveInt" })).toBe(cfg);
    expect(() => checkSettings("f", { a: 2, b: 0 }, { a: "alpha", b: "positiveInt" })).toThrow(/f: a must/);
    expect(() => checkSettings("f", { a: 2, b: 0 }, { b: "positiveInt", a: "alpha" })).toThrow(/f: b must/);
  });

  it("rejects a rule of an unknown kind", () => {
    expect(() => check("percent" as never, 5)).toThrow(
      /f: the rule for x names an unknown kind "percent"; kinds are "number", "alpha"/,
    );
    expect(() => check("toString" as never, 5)).toThrow(/unknown kind "toString"/);
  });
});

describe("quoteValue", () => {
  it("writes JSON, but NaN, ±Infinity and undefined as such (JSON would write null)", () => {
    expect(quoteValue(1.5)).toBe("1.5");
    expect(quoteValue("1")).toBe('"1"');
    expect(quoteValue(null)).toBe("null");
    expect(quoteValue(NaN)).toBe("NaN");
    expect(quoteValue(-Infinity)).toBe("-Infinity");
    expect(quoteValue(undefined)).toBe("undefined");
    expect(quoteValue([0, NaN, [1, Infinity]])).toBe("[0,NaN,[1,Infinity]]");
    expect(quoteValue({ a: [1, 2] })).toBe('{"a":[1,2]}');
  });
});

describe("checkReadout", () => {
  it("accepts distinct qubits of the circuit and returns them; with fromEnd, negative entries count from the end", () => {
    expect(checkReadout("f", "readout", [0, 6], 7)).toEqual([0, 6]);
    expect(checkReadout("f", "readout", [5, 6], 7, { length: 2 })).toEqual([5, 6]);
    expect(checkReadout("f", "readout", [-2, -1], 7, { fromEnd: true })).toEqual([5, 6]);
    expect(checkReadout("f", "readout", [-7, 6], 7, { fromEnd: true, length: 2 })).toEqual([0, 6]);
    expect(checkReadout("f", "readout", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 10, { length: 10 })).toHaveLength(10);
  });

  it("rejects a qubit just outside the circuit, naming the entry, the value and the allowed range", () => {
    expect(() => checkReadout("table1Config", "readout", [0, 7], 7, { length: 2 })).toThrow(
      "table1Config: readout[1] = 7 is not a qubit of a 7-qubit model; readout must list 2 qubits, distinct integers in [0, 6], one readout qubit per class, got [0,7]",
    );
    expect(() => checkReadout("f", "readout", [-1, 0], 7)).toThrow(
      "f: readout[0] = -1 is not a qubit of a 7-qubit model; readout must list one or more qubits, distinct integers in [0, 6]",
    );
    expect(() => checkReadout("f", "readout", [-8, 0], 7, { fromEnd: true })).toThrow(
      "f: readout[0] = -8 is not a qubit of a 7-qubit model; readout must list one or more qubits, distinct integers in [-7, 6] (negative = from the end)",
    );
    expect(() => checkReadout("f", "readout", [0, 7], 7, { fromEnd: true })).toThrow(
      "f: readout[1] = 7 is not a qubit",
    );
    expect(() => checkReadout("f", "student1Readout", [0, 0.5], 2)).toThrow(
      "f: student1Readout[1] = 0.5 is not a qubit of a 2-qubit model",
    );
    expect(() => checkReadout("f", "readout", ["1", 0], 2)).toThrow('f: readout[0] = "1" is not a qubit');
    expect(() => checkReadout("f", "readout", [NaN, 0], 2)).toThrow("f: readout[0] = NaN is not a qubit");
  });

  it("rejects repeated qubits (also when one entry counts from the end), a wrong length and a non-list", () => {
    expect(() => checkReadout("f", "readout", [1, 1], 7)).toThrow("f: readout [1,1] names the same qubit twice");
    expect(() => checkReadout("f", "readout", [-1, 6], 7, { fromEnd: true })).toThrow(
      "f: readout [-1,6] names the same qubit twice",
    );
    expect(() => checkReadout("f", "readout", [0], 7, { length: 2 })).toThrow(
      "f: readout must list 2 qubits, distinct integers in [0, 6], one readout qubit per class, got [0]",
    );
    expect(() => checkReadout("f", "readout", [], 7)).toThrow("f: readout must list one or more qubits");
    expect(() => checkReadout("f", "readout", 3, 7)).toThrow("got 3");
  });

  it("rejects a circuit size that is not a positive integer", () => {
    expect(() => checkReadout("f", "readout", [0], 0)).toThrow("f: nQubits must be an integer ≥ 1, got 0");
  });
});
