/**
 * The verdict engine every claim checker uses: one {@link ClaimPart} per measurable part of a claim, decided over
 * seeds with a 95% interval into one of four outcomes (after rliable: Agarwal et al., NeurIPS 2021).
 *
 * **A part** compares two arms over seeds, or one arm against a stated value:
 * - {@link pairedPart}: arms trained from the same initialisation and batches (the protocol's KD and non-KD
 *   students; the same student distilled from two teachers), paired seed by seed: the mean of per-seed differences;
 * - {@link levelPart}: one arm against a value or a band (e.g. "the teacher reaches 95%", "flat at 92 ± 2%");
 * - {@link unpairedPart}: different models (teacher against student, one encoding against another): the difference
 *   of means, Welch;
 * - {@link varianceRatioPart}: the ratio of the variances over seeds of two models.
 *
 * **The interval.** Each part carries the classical interval (paired or one-sample Student t, Welch t, or F) and a
 * seeded BCa bootstrap over seeds (10,000 resamples; `intervals.ts`). With few seeds the bootstrap is too narrow,
 * so the verdict is decided on the **envelope of the two** (the lower of the lows, the higher of the highs),
 * `effect.ciLow` / `effect.ciHigh`; both intervals are kept in the record.
 *
 * **Four outcomes** ({@link PART_STATUSES}) for a claim "effect > m" (direction "greater"; "less" mirrors it; a
 * band [lo, hi] for "within"):
 * - **holds**: the interval lies beyond the margin on the claimed side (ciLow > m);
 * - **contradicted**: it lies on the other side (ciHigh ≤ m);
 * - **inconclusive**: it straddles m, or fewer than {@link MIN_SEEDS} seeds ran (one seed never decides);
 * - **not testable**: a stated precondition fails (both arms at a ceiling such as accuracy or F1 ≥ 0.995, a
 *   dataset not run, a teacher the claim needs missing); the effect is still recorded where it can be computed.
 *
 * A claim's status over its parts ({@link combineStatuses}): contradicted if any part is; else not testable if no
 * part is testable; else holds if every testable part holds; else inconclusive. Untested parts are written into the
 * record's scope ("not tested: …").
 *
 * @packageDocumentation
 */
import { Unit, formatInterval, formatValue, formatMeanStd, isUnit } from "../util/format";
import {
  EstimateIntervals,
  oneSampleInterval,
  pairedInterval,
  welchInterval,
  varianceRatioInterval,
  mean,
  sampleVariance,
  DEFAULT_RESAMPLES,
} from "./intervals";

/** The outcomes of a part. */
export const PART_STATUSES = ["holds", "contradicted", "inconclusive", "not testable"] as const;
/** One of {@link PART_STATUSES}. */
export type PartStatus = (typeof PART_STATUSES)[number];

/** Fewer seeds than this never give holds or contradicted. */
export const MIN_SEEDS = 3;

/** Accuracy or F1 at or above this is a ceiling (a gain cannot show). */
export const CEILING = 0.995;

/** An estimate with the interval its verdict was decided on (`claims.json`'s `effect`). */
export interface Effect {
  /** The point estimate in `unit`. */
  estimate: number;
  /** The envelope of the classical and bootstrap 95% intervals, in `unit` (null with fewer than 2 seeds). */
  ciLow: number | null;
  ciHigh: number | null;
  /** e.g. "accuracy points", "error points", "F1 difference", "variance ratio" (see `util/format`). */
  unit: Unit;
  /** How the estimate and the intervals were computed, in words. */
  method: string;
  /** The classical interval (t, Welch or F) and the bootstrap interval, in `unit`. */
  classical: { low: number; high: number } | null;
  bootstrap: { low: number; high: number } | null;
  /** Seeds behind the estimate (per arm for unpaired parts: the smaller). */
  nSeeds: number;
  /** The per-seed values the estimate is the mean of (paired differences or levels), in `unit`, by seed. */
  perSeed?: { seed: number; value: number }[];
}

/** The side of the margin a claim puts its effect on. */
export type Direction =
  | { kind: "greater"; margin: number }
  | { kind: "less"; margin: number }
  | { kind: "within"; low: number; high: number };

/** A precondition of a part: when `holds` is false the part is not testable, for `reason`. */
export interface Precondition {
  /** The precondition, in words (e.g. "not both arms at the accuracy ceiling (≥ 99.5%)"). */
  text: string;
  holds: boolean;
  /** Why it fails, with the numbers (shown as the part's reason). */
  reason?: string;
}

/** One checked part of a claim. */
export interface ClaimPart {
  /** The claim in words (parts of one claim share it). */
  claim: string;
  /** The measurable part, e.g. "KD − no KD > 0 points at 2 layers". */
  test: string;
  /** What is measured: quantity and unit, aggregation (final iteration, best epoch, mean over epochs), arms. */
  measure: string;
  /** Student depth the part is about, where the claims are per depth. */
  nLayers?: number;
  status: PartStatus;
  /** The effect and its interval (null where nothing could be measured, e.g. a dataset not run). */
  effect: Effect | null;
  /** The part's precondition, when it has one. */
  precondition?: string;
  /** Why the part is inconclusive for lack of seeds, or not testable. */
  reason?: string;
  /** The numbers behind the verdict, in words (every number with its unit). */
  ours: string;
  /** Seeds behind the part. */
  nSeeds: number;
}

/** Per-seed values of one arm: an array of `{ seed, value }` (raw fractions or counts; see `scale`). */
export type SeedValues = readonly { seed: number; value: number }[];

/** What every part builder takes. */
export interface PartBase {
  claim: string;
  test: string;
  measure: string;
  unit: Unit;
  /** Multiplies the raw values into `unit` (100 for fractions shown in % or points). @defaultValue 1 */
  scale?: number;
  nLayers?: number;
  /** A stated precondition (see {@link Precondition}). */
  precondition?: Precondition;
  /** Bootstrap resamples. @defaultValue 10000 */
  nResamples?: number;
}

function checkBase(where: string, b: PartBase): void {
  for (const k of ["claim", "test", "measure"] as const) {
    if (typeof b[k] !== "string" || b[k].length === 0)
      throw new Error(`${where}: "${k}" must be a non-empty string, got ${JSON.stringify(b[k])}`);
  }
  if (!isUnit(b.unit)) throw new Error(`${where}: unknown unit ${JSON.stringify(b.unit)}`);
  if (b.scale !== undefined && !(Number.isFinite(b.scale) && b.scale > 0))
    throw new Error(`${where}: scale must be a positive number, got ${String(b.scale)}`);
}

function checkSeedValues(where: string, name: string, v: SeedValues): void {
  if (!Array.isArray(v))
    throw new Error(`${where}: ${name} must be an array of { seed, value }, got ${JSON.stringify(v)}`);
  const seen = new Set<number>();
  v.forEach((x, i) => {
    if (!x || !Number.isInteger(x.seed) || typeof x.value !== "number" || !Number.isFinite(x.value)) {
      throw new Error(
        `${where}: ${name}[${i}] must be { seed: integer, value: finite number }, got ${JSON.stringify(x)}`,
      );
    }
    if (seen.has(x.seed)) throw new Error(`${where}: ${name} has seed ${x.seed} twice`);
    seen.add(x.seed);
  });
}

/**
 * The outcome of an effect for a claimed direction, on the envelope interval (module doc); inconclusive with
 * fewer than {@link MIN_SEEDS} seeds.
 */
export function decide(effect: Pick<Effect, "ciLow" | "ciHigh" | "nSeeds">, direction: Direction): PartStatus {
  const { ciLow: lo, ciHigh: hi } = effect;
  if (effect.nSeeds < MIN_SEEDS || lo === null || hi === null) return "inconclusive";
  switch (direction.kind) {
    case "greater":
      return lo > direction.margin ? "holds" : hi <= direction.margin ? "contradicted" : "inconclusive";
    case "less":
      return hi < direction.margin ? "holds" : lo >= direction.margin ? "contradicted" : "inconclusive";
    case "within":
      if (lo >= direction.low && hi <= direction.high) return "holds";
      return hi < direction.low || lo > direction.high ? "contradicted" : "inconclusive";
  }
}

/** The claimed side in words, e.g. "> 0 points", "< 10.0 points", "within [90.0%, 94.0%]". */
export function directionText(direction: Direction, unit: Unit): string {
  if (direction.kind === "within")
    return `within [${formatValue(direction.low, unit).replace(/^\+/, "")}, ${formatValue(direction.high, unit).replace(/^\+/, "")}]`;
  return `${direction.kind === "greater" ? ">" : "<"} ${formatValue(direction.margin, unit).replace(/^\+/, "")}`;
}

function effectOf(
  r: EstimateIntervals | null,
  unit: Unit,
  n: number,
  perSeed?: Effect["perSeed"],
  method?: string,
): Effect {
  if (!r)
    return {
      estimate: perSeed?.[0]?.value ?? NaN,
      ciLow: null,
      ciHigh: null,
      unit,
      method: method ?? "one seed: no interval",
      classical: null,
      bootstrap: null,
      nSeeds: n,
      ...(perSeed ? { perSeed } : {}),
    };
  return {
    estimate: r.estimate,
    ciLow: Math.min(r.classical.low, r.bootstrap.low),
    ciHigh: Math.max(r.classical.high, r.bootstrap.high),
    unit,
    method: `${r.method}; the verdict uses the envelope of the two 95% intervals`,
    classical: r.classical,
    bootstrap: r.bootstrap,
    nSeeds: n,
    ...(perSeed ? { perSeed } : {}),
  };
}

function finish(b: PartBase, effect: Effect | null, direction: Direction, ours: string): ClaimPart {
  const n = effect?.nSeeds ?? 0;
  let status: PartStatus, reason: string | undefined;
  if (b.precondition && !b.precondition.holds) {
    status = "not testable";
    reason = b.precondition.reason ?? `precondition fails: ${b.precondition.text}`;
  } else if (!effect) {
    status = "not testable";
    reason = "nothing measured";
  } else {
    status = decide(effect, direction);
    if (n < MIN_SEEDS) reason = `${n} seed(s): at least ${MIN_SEEDS} are needed for a verdict`;
  }
  return {
    claim: b.claim,
    test: b.test,
    measure: b.measure,
    ...(b.nLayers !== undefined ? { nLayers: b.nLayers } : {}),
    status,
    effect,
    ...(b.precondition ? { precondition: b.precondition.text } : {}),
    ...(reason ? { reason } : {}),
    ours,
    nSeeds: n,
  };
}

const seedOf = (b: PartBase) => `verdict/${b.claim}/${b.test}`;

/**
 * A paired part: the per-seed differences a_s − b_s (scaled into `unit`) of two arms that share each seed's
 * initialisation and batches, their mean, the paired t interval and the bootstrap; decided against `direction`.
 * @param o.labels - names of the two arms for the numbers in words. @defaultValue ["a", "b"]
 * @param o.levelUnit - unit of the arms' own values (e.g. "accuracy (%)") for the numbers in words.
 * @throws Error when the arms do not have the same seeds, a value is not finite, or the unit is unknown.
 */
export function pairedPart(
  o: PartBase & { a: SeedValues; b: SeedValues; direction: Direction; labels?: [string, string]; levelUnit?: Unit },
): ClaimPart {
  const where = "pairedPart";
  checkBase(where, o);
  checkSeedValues(where, "a", o.a);
  checkSeedValues(where, "b", o.b);
  const s = o.scale ?? 1;
  const bBySeed = new Map(o.b.map((x) => [x.seed, x.value]));
  const seeds = o.a.map((x) => x.seed);
  if (o.a.length !== o.b.length || seeds.some((x) => !bBySeed.has(x))) {
    throw new Error(
      `${where}: the arms must have the same seeds to pair, got ${JSON.stringify(seeds)} and ${JSON.stringify(o.b.map((x) => x.seed))} (${o.test})`,
    );
  }
  const av = o.a.map((x) => s * x.value),
    bv = seeds.map((x) => s * (bBySeed.get(x) as number));
  const perSeed = seeds.map((seed, i) => ({ seed, value: av[i] - bv[i] }));
  const n = seeds.length;
  const r = n >= 2 ? pairedInterval(av, bv, { seed: seedOf(o), nResamples: o.nResamples ?? DEFAULT_RESAMPLES }) : null;
  if (n === 0) return finish(o, null, o.direction, `${o.labels?.join(" and ") ?? "the arms"}: not measured`);
  const effect = effectOf(r, o.unit, n, perSeed, n >= 2 ? undefined : "one seed: the difference, no interval");
  const [la, lb] = o.labels ?? ["a", "b"];
  const lu = o.levelUnit;
  const levels = lu
    ? `${la} ${formatMeanStd(mean(av), Math.sqrt(sampleVariance(av)), lu, n)} vs ${lb} ${formatMeanStd(mean(bv), Math.sqrt(sampleVariance(bv)), lu, n)}; `
    : "";
  const ours = `${levels}${la} − ${lb} ${formatInterval(effect.estimate, effect.ciLow, effect.ciHigh, o.unit)} over ${n} seed(s)`;
  return finish(o, effect, o.direction, ours);
}

/**
 * One arm's mean over seeds (scaled into `unit`) against a stated value or band: Student t interval and bootstrap.
 * @param o.label - the arm's name for the numbers in words.
 */
export function levelPart(o: PartBase & { values: SeedValues; direction: Direction; label: string }): ClaimPart {
  const where = "levelPart";
  checkBase(where, o);
  checkSeedValues(where, "values", o.values);
  const s = o.scale ?? 1;
  const v = o.values.map((x) => s * x.value);
  const perSeed = o.values.map((x, i) => ({ seed: x.seed, value: v[i] }));
  const n = v.length;
  const r = n >= 2 ? oneSampleInterval(v, { seed: seedOf(o), nResamples: o.nResamples ?? DEFAULT_RESAMPLES }) : null;
  const effect =
    n === 0 ? null : effectOf(r, o.unit, n, perSeed, n >= 2 ? undefined : "one seed: the value, no interval");
  const ours = effect
    ? `${o.label} ${formatInterval(effect.estimate, effect.ciLow, effect.ciHigh, o.unit)} (mean over ${n} seed(s))`
    : `${o.label}: not measured`;
  return finish(o, effect, o.direction, ours);
}

/**
 * The difference of means mean(a) − mean(b) (scaled into `unit`) of two unpaired arms (different models):
 * Welch's t interval and the bootstrap that resamples each arm on its own.
 */
export function unpairedPart(
  o: PartBase & { a: SeedValues; b: SeedValues; direction: Direction; labels: [string, string]; levelUnit?: Unit },
): ClaimPart {
  const where = "unpairedPart";
  checkBase(where, o);
  checkSeedValues(where, "a", o.a);
  checkSeedValues(where, "b", o.b);
  const s = o.scale ?? 1;
  const av = o.a.map((x) => s * x.value),
    bv = o.b.map((x) => s * x.value);
  const n = Math.min(av.length, bv.length);
  const r = n >= 2 ? welchInterval(av, bv, { seed: seedOf(o), nResamples: o.nResamples ?? DEFAULT_RESAMPLES }) : null;
  const effect =
    n === 0
      ? null
      : r
        ? effectOf(r, o.unit, n)
        : effectOf(null, o.unit, n, undefined, "one seed: the difference, no interval");
  if (effect && !r) effect.estimate = mean(av) - mean(bv);
  const [la, lb] = o.labels;
  const lu = o.levelUnit;
  const levels =
    lu && n > 0
      ? `${la} ${formatMeanStd(mean(av), Math.sqrt(sampleVariance(av)), lu, av.length)} vs ${lb} ${formatMeanStd(mean(bv), Math.sqrt(sampleVariance(bv)), lu, bv.length)}; `
      : "";
  const ours = effect
    ? `${levels}${la} − ${lb} ${formatInterval(effect.estimate, effect.ciLow, effect.ciHigh, o.unit)}`
    : `${la} or ${lb}: not measured`;
  return finish(o, effect, o.direction, ours);
}

/**
 * The ratio of the variances over seeds var(a) / var(b) (unit "variance ratio"): F interval and bootstrap. When
 * var(b) = 0 and var(a) > 0 the ratio is unbounded and the part is decided as above any finite margin only with
 * ≥ {@link MIN_SEEDS} seeds in each arm; when both are 0 it is not testable.
 */
export function varianceRatioPart(
  o: Omit<PartBase, "unit"> & { a: SeedValues; b: SeedValues; direction: Direction; labels: [string, string] },
): ClaimPart {
  const where = "varianceRatioPart";
  const base: PartBase = { ...o, unit: "variance ratio" };
  checkBase(where, base);
  checkSeedValues(where, "a", o.a);
  checkSeedValues(where, "b", o.b);
  const av = o.a.map((x) => x.value),
    bv = o.b.map((x) => x.value);
  const n = Math.min(av.length, bv.length);
  const [la, lb] = o.labels;
  const vars = `var ${la} ${formatValue(sampleVariance(av), "variance")}, ${lb} ${formatValue(sampleVariance(bv), "variance")}`;
  if (n < 2)
    return finish(
      base,
      effectOf(null, "variance ratio", n, undefined, "fewer than 2 seeds: no variance"),
      o.direction,
      `${vars} (${n} seed(s))`,
    );
  if (sampleVariance(bv) === 0) {
    const reason = `${lb} has zero variance over ${bv.length} seeds: the ratio is undefined`;
    return finish(
      { ...base, precondition: { text: `${lb} varies over seeds`, holds: false, reason } },
      null,
      o.direction,
      vars,
    );
  }
  const r = varianceRatioInterval(av, bv, { seed: seedOf(base), nResamples: o.nResamples ?? DEFAULT_RESAMPLES });
  const effect = effectOf(r, "variance ratio", n);
  return finish(
    base,
    effect,
    o.direction,
    `${vars}; ratio ${formatInterval(effect.estimate, effect.ciLow, effect.ciHigh, "variance ratio")}`,
  );
}

/** A part that cannot be measured at all (a dataset not run, a model missing): status "not testable". */
export function untestablePart(o: Omit<PartBase, "precondition"> & { reason: string }): ClaimPart {
  checkBase("untestablePart", o);
  return {
    claim: o.claim,
    test: o.test,
    measure: o.measure,
    ...(o.nLayers !== undefined ? { nLayers: o.nLayers } : {}),
    status: "not testable",
    effect: null,
    reason: o.reason,
    ours: o.reason,
    nSeeds: 0,
  };
}

/**
 * The ceiling precondition of a gain: not both arms' means at or above `ceiling` (fractions; default
 * {@link CEILING}), where no gain can show.
 */
export function notAtCeiling(a: SeedValues, b: SeedValues, what: string, ceiling = CEILING): Precondition {
  const ma = mean(a.map((x) => x.value)),
    mb = mean(b.map((x) => x.value));
  const holds = !(ma >= ceiling && mb >= ceiling);
  return {
    text: `not both arms at the ${what} ceiling (mean ≥ ${ceiling})`,
    holds,
    ...(holds
      ? {}
      : {
          reason: `both arms at the ceiling: ${what} ${ma.toFixed(4)} and ${mb.toFixed(4)} (≥ ${ceiling}): no gain can show`,
        }),
  };
}

/**
 * The status of a set of parts (one claim at one setting): contradicted if any part is; else not testable if no part
 * is testable; else holds if every testable part holds; else inconclusive.
 * @throws Error for an empty list or an unknown status.
 */
export function combineStatuses(statuses: readonly PartStatus[]): PartStatus {
  if (statuses.length === 0) throw new Error("combineStatuses: no parts");
  for (const s of statuses)
    if (!PART_STATUSES.includes(s))
      throw new Error(
        `combineStatuses: unknown status ${JSON.stringify(s)}; allowed: ${JSON.stringify(PART_STATUSES)}`,
      );
  if (statuses.includes("contradicted")) return "contradicted";
  const testable = statuses.filter((s) => s !== "not testable");
  if (testable.length === 0) return "not testable";
  return testable.every((s) => s === "holds") ? "holds" : "inconclusive";
}

/** Values of `rows` matching `pick`, one per seed, as {@link SeedValues} (value from `value`; null rows skipped). */
export function seedValues<R extends { seed: number }>(
  rows: readonly R[],
  pick: (r: R) => boolean,
  value: (r: R) => number | null,
): { seed: number; value: number }[] {
  const out: { seed: number; value: number }[] = [];
  for (const r of rows) {
    if (!pick(r)) continue;
    const v = value(r);
    if (v === null || v === undefined) continue;
    out.push({ seed: r.seed, value: v });
  }
  return out;
}
