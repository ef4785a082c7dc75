/** Option checking shared by every options object: unknown keys and bad values throw errors that quote them. */

/**
 * Merges `options` over `defaults`, throwing if `options` has a key that `defaults` lacks.
 * @param where - name used in error messages, e.g. "trainClassifier".
 * @throws Error naming the unknown key and listing the allowed ones.
 */
export function withDefaults<T extends object>(where: string, defaults: T, options: Partial<T> | undefined): T {
  const out = { ...defaults } as T;
  if (options === undefined || options === null) return out;
  if (typeof options !== "object") throw new Error(`${where}: options must be an object, got ${String(options)}`);
  for (const key of Object.keys(options)) {
    if (!(key in (defaults as object))) {
      throw new Error(
        `${where}: unknown option "${key}"; allowed options are ${Object.keys(defaults as object)
          .map((k) => `"${k}"`)
          .join(", ")}`,
      );
    }
    const v = (options as Record<string, unknown>)[key];
    if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  }
  return out;
}

/** @throws Error unless `value` is a finite number within [min, max]. */
export function checkNumber(where: string, name: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${where}: ${name} must be a finite number in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}

/** @throws Error unless `value` is an integer within [min, max]. */
export function checkInt(where: string, name: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${where}: ${name} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}

/** @throws Error unless `value` is one of `allowed`. */
export function checkOneOf<T extends string>(where: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new Error(
      `${where}: ${name} must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, got ${JSON.stringify(value)}`,
    );
  }
  return value as T;
}

/**
 * What a setting may hold, one name per concept, for {@link checkSettings}. Every number must be finite (NaN and
 * ±Infinity are always rejected); "integer" means `Number.isInteger`.
 *
 * | kind                | allowed values                         | used for                                      |
 * | ------------------- | -------------------------------------- | --------------------------------------------- |
 * | `"number"`          | any finite number                      | couplings, thresholds, data ranges            |
 * | `"alpha"`           | a number in [0, 1]                     | the distillation weight α                     |
 * | `"temperature"`     | a finite number > 0                    | the distillation temperature T                |
 * | `"learningRate"`    | a finite number > 0                    | Adam learning rates                           |
 * | `"positive"`        | a finite number > 0                    | logit scales, couplings that must be positive |
 * | `"nonNegative"`     | a finite number ≥ 0                    | weight decay, initial-angle scales            |
 * | `"fraction"`        | a number in (0, 1]                     | the StepLR decay γ, a training fraction       |
 * | `"probability"`     | a number in [0, 1]                     | probabilities, a validation fraction          |
 * | `"positiveInt"`     | an integer ≥ 1                         | sizes, layers, qubits, iterations, epochs     |
 * | `"nonNegativeInt"`  | an integer ≥ 0                         | seeds, counts where 0 means "none"            |
 * | `"positiveInts"`    | a non-empty array of integers ≥ 1      | lists of layer counts, widths, qubit counts   |
 * | `"nonNegativeInts"` | a non-empty array of integers ≥ 0      | lists of labels or indices                    |
 * | `"probabilities"`   | a non-empty array of numbers in [0, 1] | lists of noise levels                         |
 */
export type SettingKind =
  | "number"
  | "alpha"
  | "temperature"
  | "learningRate"
  | "positive"
  | "nonNegative"
  | "fraction"
  | "probability"
  | "positiveInt"
  | "nonNegativeInt"
  | "positiveInts"
  | "nonNegativeInts"
  | "probabilities";

/**
 * A {@link SettingKind} with a narrower range or other extras. The range allowed is the kind's range intersected
 * with `[min, max]` and `(−∞, below)`: the extras only ever narrow a kind, never widen it. For the array kinds the
 * range applies to every entry.
 */
export interface SettingRange {
  kind: SettingKind;
  /** Smallest value allowed (inclusive). */
  min?: number;
  /** Largest value allowed (inclusive). */
  max?: number;
  /** Values must be below this (exclusive upper bound), e.g. 1 for probabilities in [0, 1). */
  below?: number;
  /** Also allow `null` (e.g. "no limit", "exact expectation values"). */
  nullable?: boolean;
  /** Array kinds: the exact number of entries. */
  length?: number;
}

/** A rule of {@link checkSettings}: a kind name, or a kind with extras. */
export type SettingRule = SettingKind | SettingRange;

/** Rules for the options of a settings object of type `C` (a rule per option name; options without one are not checked). */
export type SettingRules<C> = { readonly [K in keyof C]?: SettingRule };

interface Bounds {
  integer: boolean;
  list: boolean;
  noun: "number" | "integer" | "probability";
  lo: number;
  loOpen: boolean;
  hi: number;
  hiOpen: boolean;
}

const KIND_BOUNDS: Readonly<Record<SettingKind, Readonly<Bounds>>> = (() => {
  const num = (
    lo: number,
    loOpen: boolean,
    hi: number,
    hiOpen: boolean,
    noun: Bounds["noun"] = "number",
    list = false,
  ): Bounds => ({ integer: false, list, noun, lo, loOpen, hi, hiOpen });
  const int = (lo: number, list = false): Bounds => ({
    integer: true,
    list,
    noun: "integer",
    lo,
    loOpen: false,
    hi: Infinity,
    hiOpen: false,
  });
  return Object.freeze({
    number: num(-Infinity, false, Infinity, false),
    alpha: num(0, false, 1, false),
    temperature: num(0, true, Infinity, false),
    learningRate: num(0, true, Infinity, false),
    positive: num(0, true, Infinity, false),
    nonNegative: num(0, false, Infinity, false),
    fraction: num(0, true, 1, false),
    probability: num(0, false, 1, false, "probability"),
    positiveInt: int(1),
    nonNegativeInt: int(0),
    positiveInts: int(1, true),
    nonNegativeInts: int(0, true),
    probabilities: num(0, false, 1, false, "probability", true),
  });
})();

/** The bounds of a rule: its kind's, narrowed by the rule's extras (integer bounds closed). */
function ruleBounds(
  where: string,
  name: string,
  rule: SettingRule,
): Bounds & { nullable: boolean; length: number | undefined } {
  const r: SettingRange = typeof rule === "string" ? { kind: rule } : rule;
  const base = KIND_BOUNDS[r.kind as SettingKind];
  if (base === undefined || !Object.prototype.hasOwnProperty.call(KIND_BOUNDS, r.kind)) {
    throw new Error(
      `${where}: the rule for ${name} names an unknown kind ${JSON.stringify(r.kind)}; kinds are ${Object.keys(
        KIND_BOUNDS,
      )
        .map((k) => `"${k}"`)
        .join(", ")}`,
    );
  }
  const b = { ...base, nullable: r.nullable === true, length: r.length };
  if (r.min !== undefined && r.min > b.lo) {
    b.lo = r.min;
    b.loOpen = false;
  }
  if (r.max !== undefined && r.max < b.hi) {
    b.hi = r.max;
    b.hiOpen = false;
  }
  if (r.below !== undefined && r.below <= b.hi) {
    b.hi = r.below;
    b.hiOpen = true;
  }
  if (b.integer) {
    if (b.loOpen) {
      b.lo = Math.floor(b.lo) + 1;
      b.loOpen = false;
    } else b.lo = Math.ceil(b.lo);
    if (b.hiOpen) {
      b.hi = Math.ceil(b.hi) - 1;
      b.hiOpen = false;
    } else b.hi = Math.floor(b.hi);
  }
  return b;
}

function inBounds(b: Bounds, v: unknown): boolean {
  if (typeof v !== "number" || !Number.isFinite(v)) return false;
  if (b.integer && !Number.isInteger(v)) return false;
  return (b.loOpen ? v > b.lo : v >= b.lo) && (b.hiOpen ? v < b.hi : v <= b.hi);
}

/** "a number in [0, 1]", "a finite number > 0", "an integer ≥ 1"; plural: "integers in [1, 10]". */
function describeBounds(b: Bounds, plural: boolean): string {
  const finiteLo = Number.isFinite(b.lo),
    finiteHi = Number.isFinite(b.hi);
  let range = "";
  if (finiteLo && finiteHi) range = ` in ${b.loOpen ? "(" : "["}${b.lo}, ${b.hi}${b.hiOpen ? ")" : "]"}`;
  else if (finiteLo) range = ` ${b.loOpen ? ">" : "≥"} ${b.lo}`;
  else if (finiteHi) range = ` ${b.hiOpen ? "<" : "≤"} ${b.hi}`;
  const noun = plural ? { number: "numbers", integer: "integers", probability: "probabilities" }[b.noun] : b.noun;
  const phrase = `${b.noun === "number" && !(finiteLo && finiteHi) ? "finite " : ""}${noun}${range}`;
  return plural ? phrase : `${/^[aeiou]/.test(phrase) ? "an" : "a"} ${phrase}`;
}

/** A value as it appears in messages: JSON, except NaN, ±Infinity and undefined, which JSON cannot show. */
export function quoteValue(v: unknown): string {
  if (typeof v === "number") return Number.isFinite(v) ? JSON.stringify(v) : String(v);
  if (Array.isArray(v)) return `[${v.map(quoteValue).join(",")}]`;
  if (v === undefined || typeof v === "function" || typeof v === "symbol" || typeof v === "bigint") return String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/**
 * What `rule` allows, in words: "a number in [0, 1]", "an integer ≥ 1 or null",
 * "a non-empty list of probabilities in [0, 1)".
 */
export function describeSetting(rule: SettingRule): string {
  const b = ruleBounds("describeSetting", "the setting", rule);
  const text = b.list
    ? `${b.length !== undefined ? `a list of ${b.length}` : "a non-empty list of"} ${describeBounds(b, true)}`
    : describeBounds(b, false);
  return b.nullable ? `${text} or null` : text;
}

/**
 * Checks the numeric settings of a configuration when it is made, one rule per option (see {@link SettingKind}
 * for what each kind allows and {@link SettingRange} for narrower ranges), so that a bad value fails at once
 * rather than deep inside a run. Options without a rule are not checked; unknown options are
 * {@link withDefaults}' business.
 *
 * @example
 * ```ts
 * checkSettings("table1Config", cfg, { alpha: "alpha", T: "temperature", lr: "learningRate", batchSize: "positiveInt",
 *   nQubits: { kind: "positiveInt", min: 3, max: 20 }, shots: { kind: "positiveInt", nullable: true } });
 * // throws "table1Config: alpha must be a number in [0, 1], got 1.5" for alpha = 1.5
 * ```
 * @param where - the configuration function's name, first in every message.
 * @returns `cfg`, unchanged.
 * @throws Error naming `where`, the option, its value (as JSON; NaN, Infinity and undefined as such) and what is
 * allowed; for an array, also the first bad entry, e.g.
 * "fig4Config: studentLayers must be a non-empty list of integers ≥ 1, got [1,0] (studentLayers[1] = 0)".
 */
export function checkSettings<C extends object>(where: string, cfg: C, rules: SettingRules<C>): C {
  for (const name of Object.keys(rules) as (keyof C & string)[]) {
    const rule = rules[name];
    if (rule === undefined) continue;
    const b = ruleBounds(where, name, rule);
    const v = (cfg as Record<string, unknown>)[name];
    if (b.nullable && v === null) continue;
    if (!b.list) {
      if (!inBounds(b, v)) throw new Error(`${where}: ${name} must be ${describeSetting(rule)}, got ${quoteValue(v)}`);
      continue;
    }
    const isList = Array.isArray(v);
    const bad = isList ? (v as unknown[]).findIndex((x) => !inBounds(b, x)) : -1;
    const badLength =
      !isList || (v as unknown[]).length === 0 || (b.length !== undefined && (v as unknown[]).length !== b.length);
    if (badLength || bad >= 0) {
      const entry = bad >= 0 ? ` (${name}[${bad}] = ${quoteValue((v as unknown[])[bad])})` : "";
      throw new Error(`${where}: ${name} must be ${describeSetting(rule)}, got ${quoteValue(v)}${entry}`);
    }
  }
  return cfg;
}

/**
 * Checks the readout qubits of a model of `nQubits` qubits: distinct integers in [0, nQubits), or, with
 * `fromEnd`, in [−nQubits, nQubits) where a negative entry counts from the end (−1 = the last qubit).
 * @param where - the configuration function's name, first in every message.
 * @param name - the option, e.g. "readout" or "student1Readout".
 * @param opts.length - the exact number of readout qubits (one per class), if fixed.
 * @param opts.fromEnd - allow negative entries counted from the end. @defaultValue false
 * @returns the readout qubits as indices in [0, nQubits).
 * @throws Error naming `where`, the option, the bad entry and the whole value, and what is allowed.
 */
export function checkReadout(
  where: string,
  name: string,
  readout: unknown,
  nQubits: number,
  opts: { length?: number; fromEnd?: boolean } = {},
): number[] {
  checkSettings(where, { nQubits }, { nQubits: "positiveInt" });
  const fromEnd = opts.fromEnd === true;
  const lo = fromEnd ? -nQubits : 0;
  const allowed =
    `${name} must list ${opts.length ?? "one or more"} qubits, distinct integers in [${lo}, ${nQubits - 1}]` +
    `${fromEnd ? " (negative = from the end)" : ""}, one readout qubit per class`;
  if (!Array.isArray(readout) || readout.length === 0)
    throw new Error(`${where}: ${allowed}, got ${quoteValue(readout)}`);
  readout.forEach((q, i) => {
    if (typeof q !== "number" || !Number.isInteger(q) || q < lo || q >= nQubits) {
      throw new Error(
        `${where}: ${name}[${i}] = ${quoteValue(q)} is not a qubit of a ${nQubits}-qubit model; ${allowed}, got ${quoteValue(readout)}`,
      );
    }
  });
  const resolved = (readout as number[]).map((q) => (q < 0 ? nQubits + q : q));
  if (new Set(resolved).size !== resolved.length) {
    throw new Error(`${where}: ${name} ${quoteValue(readout)} names the same qubit twice; ${allowed}`);
  }
  if (opts.length !== undefined && readout.length !== opts.length)
    throw new Error(`${where}: ${allowed}, got ${quoteValue(readout)}`);
  return resolved;
}
