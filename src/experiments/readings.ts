/**
 * Readings of a paper's open choices as named variants of an experiment, and their one-factor-at-a-time ablation
 * (docs/PARAMS.md, "Yan et al.: readings"): each {@link Reading} changes the defaults in one factor; its result
 * rows carry `variant` = its name (the defaults' rows carry {@link DEFAULTS_SETTING}), and {@link readingsTable}
 * sets every reading's test accuracies (mean over seeds with a 95% interval) beside the status of each claim
 * decided by the verdict engine on that reading's rows alone.
 *
 * @packageDocumentation
 */
import type { ResultRow } from "./results";
import { runLabel } from "./results";
import type { ClaimRecord } from "./claims";
import { oneSampleInterval, mean } from "./intervals";
import { formatInterval, formatValue } from "../util/format";

/** The setting name of the defaults' rows (and of rows without a `variant`, written before readings had names). */
export const DEFAULTS_SETTING = "defaults";

/**
 * One reading of an open choice, as a variant of an experiment's config `C`.
 * @typeParam C - the experiment's config type.
 */
export interface Reading<C> {
  /** The result rows' `variant`, e.g. "readout-first" (letters, digits, ".", "-"; not "defaults"). */
  name: string;
  /** The reading in words, e.g. "readout qubits 0, 1". */
  label: string;
  /** What it changes from the defaults. */
  overrides: Partial<C>;
  /**
   * The reading this one is measured against, when it cannot differ from the defaults on its own (e.g. the KD
   * target only matters when the teacher's logits are scaled). @defaultValue "defaults"
   */
  reference?: string;
}

/** The setting a row ran under: its `variant`, or "defaults" when it has none. */
export function settingOf(r: object): string {
  const v = (r as { variant?: unknown }).variant;
  return typeof v === "string" ? v : DEFAULTS_SETTING;
}

/** The rows of one setting ("defaults" or a reading's name). */
export function rowsOf<R extends object>(rows: readonly R[], setting: string = DEFAULTS_SETTING): R[] {
  return rows.filter((r) => settingOf(r) === setting);
}

/**
 * Checks a list of readings: non-empty unique names of letters, digits, "." and "-" other than "defaults", a
 * label, overrides that only name settings of `defaults`, and references to "defaults" or an earlier reading.
 * @returns `readings`.
 * @throws Error naming the bad reading and what is allowed.
 */
export function checkReadings<C extends object>(
  where: string,
  readings: readonly Reading<C>[],
  defaults: C,
): readonly Reading<C>[] {
  const seen = new Set<string>([DEFAULTS_SETTING]);
  for (const r of readings) {
    if (typeof r.name !== "string" || !/^[A-Za-z0-9.-]+$/.test(r.name) || r.name === DEFAULTS_SETTING) {
      throw new Error(
        `${where}: a reading's name must be letters, digits, "." and "-" other than "defaults", got ${JSON.stringify(r.name)}`,
      );
    }
    if (seen.has(r.name)) throw new Error(`${where}: reading ${JSON.stringify(r.name)} appears twice`);
    if (typeof r.label !== "string" || r.label.length === 0)
      throw new Error(`${where}: reading ${JSON.stringify(r.name)} needs a label`);
    for (const k of Object.keys(r.overrides)) {
      if (!(k in defaults))
        throw new Error(`${where}: reading ${JSON.stringify(r.name)} overrides unknown setting ${JSON.stringify(k)}`);
    }
    if (r.reference !== undefined && !seen.has(r.reference)) {
      throw new Error(
        `${where}: reading ${JSON.stringify(r.name)} refers to ${JSON.stringify(r.reference)}, which is neither "defaults" nor an earlier reading`,
      );
    }
    seen.add(r.name);
  }
  return readings;
}

/** The overrides of a reading in words: "readout = [0,1], teacherLr = 0.1". */
export function overridesText(overrides: object): string {
  return Object.entries(overrides)
    .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
    .join(", ");
}

/** Options of {@link readingsTable}. */
export interface ReadingsTableOptions {
  /** The models shown, as run labels (`runLabel`), e.g. ["teacher", "student (2) no KD", "student (2) + KD"]. */
  models: readonly string[];
  /** The experiment's claim records from the rows of one setting (e.g. `rows => T1.table1ClaimRecords(rows)`). */
  records: (rows: ResultRow[]) => ClaimRecord[];
  /** Short column names of the claims, by claim text; claims not named are shown by their first 40 characters. */
  claimNames?: Record<string, string>;
  /**
   * The model label of a row for the accuracy columns, or null to leave the row out (e.g. Fig. 6's per-epoch
   * rows). @defaultValue `runLabel`
   */
  label?: (r: ResultRow) => string | null;
}

/**
 * One row per setting present in `rows` (the defaults first, then the readings in their order): the reading in
 * words, what it changes, the reading it is measured against, and for each model of `o.models` its final test
 * accuracy as the mean over seeds with its 95% interval (Student t and BCa bootstrap envelope, as the verdicts,
 * shown clipped to [0, 100]%; the mean alone with one seed), then for each claim its status at that setting (the
 * verdict engine on that setting's rows alone; "—" where a setting's rows cannot judge a claim, e.g. the
 * autoencoder's, which the readings share), and the number of seeds.
 * @throws Error when `rows` hold no defaults' rows.
 */
export function readingsTable<C>(
  rows: readonly ResultRow[],
  readings: readonly Reading<C>[],
  o: ReadingsTableOptions,
): Record<string, string | number>[] {
  if (rowsOf(rows).length === 0) throw new Error('readingsTable: no rows of the defaults (variant "defaults" or none)');
  const settings: { name: string; label: string; changes: string; reference: string }[] = [
    { name: DEFAULTS_SETTING, label: "defaults (PARAMS.md readings)", changes: "", reference: "" },
    ...readings
      .filter((r) => rowsOf(rows, r.name).length > 0)
      .map((r) => ({
        name: r.name,
        label: r.label,
        changes: overridesText(r.overrides),
        reference: r.reference ?? DEFAULTS_SETTING,
      })),
  ];
  const perSetting = settings.map((s) => {
    const mine = rowsOf(rows, s.name);
    const asDefaults = mine.map(({ variant: _v, ...r }) => r as ResultRow);
    const status = new Map(
      o
        .records(asDefaults)
        .map((rec) => [
          o.claimNames?.[rec.claim] ?? rec.claim.slice(0, 40),
          rec.statusBySetting[DEFAULTS_SETTING] ?? rec.status,
        ]),
    );
    return { s, mine, status };
  });
  const claimColumns = [...new Set(perSetting.flatMap((p) => [...p.status.keys()]))];
  const label = o.label ?? runLabel;
  return perSetting.map(({ s, mine, status }) => {
    const out: Record<string, string | number> = {
      reading: s.name,
      "in words": s.label,
      changes: s.changes,
      against: s.reference,
    };
    for (const m of o.models) {
      const v = mine
        .filter((r) => label(r) === m && r.testAccuracy !== null)
        .map((r) => 100 * (r.testAccuracy as number));
      out[`${m} (test %)`] =
        v.length === 0 ? "—" : v.length === 1 ? formatValue(v[0], "accuracy (%)") : envelopeText(v);
    }
    for (const c of claimColumns) out[c] = status.get(c) ?? "—";
    out.seeds = new Set(mine.map((r) => r.seed)).size;
    return out;
  });
}

/** The mean of `v` with the envelope of its Student t and BCa bootstrap 95% intervals (as the verdicts use). */
function envelope(v: readonly number[]): { mean: number; low: number; high: number } {
  const e = oneSampleInterval(v);
  return {
    mean: mean(v),
    low: Math.min(e.classical.low, e.bootstrap.low),
    high: Math.max(e.classical.high, e.bootstrap.high),
  };
}

/** Mean [interval] of accuracies in %, the interval clipped to [0, 100] (a t interval of a bounded quantity can leave it). */
function envelopeText(v: number[]): string {
  const e = envelope(v);
  return formatInterval(e.mean, Math.max(0, e.low), Math.min(100, e.high), "accuracy (%)");
}

/**
 * The readings that move a result beyond its interval: for each reading with rows, the models of `models` whose
 * mean final test accuracy under the reading lies outside the 95% interval of the same model at the setting the
 * reading is measured against (`reference`, else the defaults; the envelope of Student t and BCa over seeds, as
 * in {@link readingsTable}). Readings that move no model are left out.
 * @param label - the model label of a row, or null to leave it out. @defaultValue `runLabel`
 * @returns `[{ name, models }]` in the order of `readings`.
 * @throws Error when a reference setting has fewer than 2 seeds of a model (no interval).
 */
export function movingReadings<C>(
  rows: readonly ResultRow[],
  readings: readonly Reading<C>[],
  models: readonly string[],
  label: (r: ResultRow) => string | null = runLabel,
): { name: string; models: string[] }[] {
  const values = (setting: string, m: string) =>
    rowsOf(rows, setting)
      .filter((r) => label(r) === m && r.testAccuracy !== null)
      .map((r) => r.testAccuracy as number);
  const out: { name: string; models: string[] }[] = [];
  for (const r of readings) {
    if (rowsOf(rows, r.name).length === 0) continue;
    const moved = models.filter((m) => {
      const ref = values(r.reference ?? DEFAULTS_SETTING, m),
        mine = values(r.name, m);
      if (mine.length === 0) return false;
      if (ref.length < 2)
        throw new Error(
          `movingReadings: ${JSON.stringify(m)} has ${ref.length} seed(s) at ${JSON.stringify(r.reference ?? DEFAULTS_SETTING)}; an interval needs 2 or more`,
        );
      const e = envelope(ref),
        x = mean(mine);
      return x < e.low || x > e.high;
    });
    if (moved.length > 0) out.push({ name: r.name, models: moved });
  }
  return out;
}

/** One row of {@link movingReadingsRows} (a type alias, so that it is a table row of `showTable`). */
export type MovingReadingRow = {
  /** The reading's name. */
  reading: string;
  /** Its label. */
  "in words": string;
  /** The setting it is measured against. */
  against: string;
  /** The moved models joined by "; ", "none", or why no interval exists. */
  "models outside its interval": string;
};

/**
 * {@link movingReadings} as table rows, one per reading of `readings` that has rows (in their order): `reading` (its
 * name), `in words` (its label), `against` (the setting it is measured against: `reference`, else the defaults) and
 * `models outside its interval` — the models whose mean final test accuracy leaves that setting's 95% interval,
 * joined by "; ", or "none", or a note when that setting has fewer than 2 seeds (a one-seed quick run: no interval).
 * This is the rule that picks the factors a later, costlier experiment must ablate (e.g. `yanFig4.FIG4_ABLATED`).
 * @param label - the model label of a row, or null to leave it out. @defaultValue `runLabel`
 * @throws Error when the reference has 2 or more seeds but a model of `models` has fewer there (as {@link movingReadings}).
 */
export function movingReadingsRows<C>(
  rows: readonly ResultRow[],
  readings: readonly Reading<C>[],
  models: readonly string[],
  label: (r: ResultRow) => string | null = runLabel,
): MovingReadingRow[] {
  const out: MovingReadingRow[] = [];
  for (const r of readings) {
    if (rowsOf(rows, r.name).length === 0) continue;
    const against = r.reference ?? DEFAULTS_SETTING;
    const refSeeds = new Set(rowsOf(rows, against).map((x) => x.seed)).size;
    const moved = refSeeds < 2 ? null : (movingReadings(rows, [r], models, label)[0]?.models ?? []);
    out.push({
      reading: r.name,
      "in words": r.label,
      against,
      "models outside its interval":
        moved === null
          ? `— (${against} has ${refSeeds} seed(s); an interval needs 2 or more)`
          : moved.length > 0
            ? moved.join("; ")
            : "none",
    });
  }
  return out;
}

/**
 * Runs an experiment under each reading for each seed and tags the rows: `run(reading, seed)` trains the models
 * of one reading and seed (with its own checkpoint folder, so an interrupted run resumes reading by reading and
 * seed by seed) and returns their result rows; every row comes back with `variant` = the reading's name, and
 * autoencoder rows (shared by the readings of a seed, not trained again) are dropped.
 * @param readings - the readings to run, in order ({@link checkReadings} them first).
 * @param seeds - the seeds, e.g. `seedList(cfg.seed, ctx.seeds)`.
 * @param onDone - called after each reading and seed (progress), with the number done and the total.
 * @returns the rows of every reading and seed, reading by reading.
 */
export function runReadings<C>(
  readings: readonly Reading<C>[],
  seeds: readonly number[],
  run: (reading: Reading<C>, seed: number) => readonly ResultRow[],
  onDone?: (done: number, total: number) => void,
): ResultRow[] {
  const out: ResultRow[] = [];
  let done = 0;
  for (const reading of readings) {
    for (const seed of seeds) {
      for (const r of run(reading, seed)) if (r.role !== "autoencoder") out.push({ ...r, variant: reading.name });
      onDone?.(++done, readings.length * seeds.length);
    }
  }
  return out;
}

/**
 * The readings a run measures, from a selection in the syntax of `QNN_KD_READINGS`: names separated by commas
 * (e.g. `"readout-first,no-T2"`), `"none"` for no reading, empty or undefined for all of `readings`. One rule for
 * the notebooks' readings sections and for the work units of a sweep.
 * @param where - the prefix of the error message. @defaultValue "selectReadings"
 * @throws Error naming a reading that `readings` does not have, and listing those it has.
 */
export function selectReadings<R extends { name: string }>(
  readings: readonly R[],
  selection: string | undefined,
  where = "selectReadings",
): R[] {
  if (selection === undefined || selection.trim() === "") return readings.slice();
  if (selection.trim() === "none") return [];
  const names = selection
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const n of names) {
    if (!readings.some((r) => r.name === n)) {
      throw new Error(
        `${where} names ${JSON.stringify(n)}, which is not one of ${readings.map((r) => JSON.stringify(r.name)).join(", ")}`,
      );
    }
  }
  return readings.filter((r) => names.includes(r.name));
}
