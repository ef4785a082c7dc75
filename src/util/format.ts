/**
 * The one formatter of numbers shown to a reader: the scorecard, the claim checkers, the notebooks' tables and the
 * README all print a quantity through {@link formatValue} (a value in its unit), {@link formatInterval} (an
 * estimate with its 95% interval) or {@link formatMeanStd} (mean ± sample std over seeds), so that a number never
 * appears without its unit and a small variance never prints as "0.000".
 *
 * Units ({@link UNITS}): levels ("accuracy (%)", "error (%)", "F1", "fidelity", "variance"), differences
 * ("accuracy points", "error points", "F1 difference", "accuracy points per layer"; printed with a sign) and ratios
 * ("variance ratio"). Percent quantities are stored in percent (97.4, not 0.974).
 *
 * @packageDocumentation
 */

/** How one unit prints: fixed decimals or significant digits, a suffix, and a sign for differences. */
export interface UnitFormat {
  /** Decimals after the point (fixed notation). */
  digits?: number;
  /** Significant digits (instead of `digits`): exponent notation below 0.01 and at 10^5 or above. */
  significant?: number;
  /** Appended to the number, e.g. "%" or " points". */
  suffix: string;
  /** Print "+" before positive values (differences). */
  signed: boolean;
}

/** Every unit a verdict or table may carry, with its format. */
export const UNITS = Object.freeze({
  "accuracy (%)": { digits: 1, suffix: "%", signed: false },
  "accuracy points": { digits: 1, suffix: " points", signed: true },
  "accuracy points per layer": { digits: 2, suffix: " points per layer", signed: true },
  "error (%)": { digits: 1, suffix: "%", signed: false },
  "error points": { digits: 1, suffix: " points", signed: true },
  F1: { digits: 3, suffix: "", signed: false },
  "F1 difference": { digits: 3, suffix: "", signed: true },
  fidelity: { digits: 4, suffix: "", signed: false },
  variance: { significant: 2, suffix: "", signed: false },
  "variance ratio": { significant: 2, suffix: "×", signed: false },
} satisfies Record<string, UnitFormat>);

/** A unit of {@link UNITS}. */
export type Unit = keyof typeof UNITS;

/** Whether `u` names a unit of {@link UNITS}. */
export function isUnit(u: unknown): u is Unit {
  return typeof u === "string" && Object.prototype.hasOwnProperty.call(UNITS, u);
}

/** `v` with `n` significant digits: exponent notation (e.g. "1.7e-5") below 0.01 or at 10^5 and above, else plain. */
export function formatSignificant(v: number, n = 2): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a < 0.01 || a >= 1e5)
    return v.toExponential(n - 1).replace(/e([+-])(\d+)$/, (_, s: string, d: string) => `e${s === "-" ? "-" : ""}${d}`);
  return String(Number(v.toPrecision(n)));
}

function unitFormat(where: string, unit: string): UnitFormat {
  if (!isUnit(unit))
    throw new Error(
      `${where}: unknown unit ${JSON.stringify(unit)}; known units: ${Object.keys(UNITS)
        .map((u) => JSON.stringify(u))
        .join(", ")}`,
    );
  return UNITS[unit];
}

/** Bounds at or beyond this magnitude print as ∞: an interval the data cannot bound (e.g. a variance ratio whose resampled reference arm has no variance, stored as ±Number.MAX_VALUE to stay valid JSON). */
export const UNBOUNDED = 1e300;

function bare(v: number, f: UnitFormat, signed: boolean): string {
  if (v === null || v === undefined || Number.isNaN(v)) return "n/a";
  if (Math.abs(v) >= UNBOUNDED) return v > 0 ? (signed ? "+∞" : "∞") : "−∞";
  let s = f.significant !== undefined ? formatSignificant(v, f.significant) : v.toFixed(f.digits ?? 3);
  if (/^-0(\.0*)?$/.test(s)) s = s.slice(1); // "-0.0" → "0.0"
  if (signed && v > 0 && !/^-?0(\.0*)?$/.test(s)) s = `+${s}`;
  return s.replace(/^-/, "−");
}

/**
 * A value in its unit, e.g. `formatValue(97.43, "accuracy (%)")` → "97.4%", `formatValue(-2.06, "accuracy points")`
 * → "−2.1 points", `formatValue(1.7e-5, "variance")` → "1.7e-5". Differences carry a sign; NaN prints "n/a".
 * @throws Error for an unknown unit (listing the known ones).
 */
export function formatValue(v: number, unit: Unit | string): string {
  const f = unitFormat("formatValue", unit);
  const s = bare(v, f, f.signed);
  return s === "n/a" ? s : s + f.suffix;
}

/**
 * An estimate with its interval: "+5.5 points [−3.4, +14.3]" (the unit's suffix once, after the estimate).
 * A null bound prints "n/a".
 * @throws Error for an unknown unit.
 */
export function formatInterval(estimate: number, low: number | null, high: number | null, unit: Unit | string): string {
  const f = unitFormat("formatInterval", unit);
  const b = (v: number | null) => (v === null ? "n/a" : bare(v, f, f.signed));
  return `${formatValue(estimate, unit)} [${b(low)}, ${b(high)}]`;
}

/**
 * Mean ± sample standard deviation over seeds in a unit: "97.4 ± 1.6%"; the mean alone when `n` is 1 or std is
 * undefined.
 * @throws Error for an unknown unit.
 */
export function formatMeanStd(m: number, std: number | undefined, unit: Unit | string, n = 2): string {
  const f = unitFormat("formatMeanStd", unit);
  if (std === undefined || n < 2) return formatValue(m, unit);
  return `${bare(m, f, f.signed)} ± ${bare(std, f, false)}${f.suffix}`;
}
