/**
 * Piperno et al. Fig. 1, the claims: the per-architecture summaries, the paper's claims checked by the verdict
 * engine, the readings table, and the hypotheses of our harder-data study (ours, not the paper's).
 *
 * @packageDocumentation
 */
import { claimRecords, ClaimRecord } from "../claims";
import {
  ClaimPart,
  Direction,
  SeedValues,
  notAtCeiling,
  pairedPart,
  seedValues,
  unpairedPart,
  varianceRatioPart,
} from "../verdicts";
import { rowsOf, readingsTable } from "../readings";
import { untestablePart } from "../verdicts";
import { ResultRow, runLabel } from "../results";
import { meanStd, MeanStd } from "../seeds";
import {
  PIPERNO_ARCHITECTURES,
  PIPERNO_HARDER_DATA,
  PIPERNO_PAPER_PARAMS,
  PIPERNO_READINGS,
  PipernoArchitecture,
} from "./config";
import { architectureLabel } from "./run";

/** The qualitative claims of Fig. 1 (docs/PARAMS.md). */
export const PIPERNO_PAPER_CLAIMS = Object.freeze({
  kdRaises: "KD raises the mean test F1 of every architecture",
  classicalGainsMore: "the classical student gains more from KD than the hybrid students",
  hybridsVaryMore: "the hybrid students vary more across seeds than the classical student",
});

/** Test F1 of one architecture over seeds, without and with KD. */
export interface ArchitectureSummary {
  architecture: PipernoArchitecture | "teacher";
  nParams: number;
  paperParams: number | null;
  noKd: MeanStd & { variance: number };
  kd: (MeanStd & { variance: number }) | null;
  /** Mean KD gain (kd − noKd), null for the teacher. */
  gain: number | null;
}

/** Summaries of result rows (any number of seeds) per architecture, in the order of {@link PIPERNO_ARCHITECTURES}. */
export function summarise(rows: readonly ResultRow[]): ArchitectureSummary[] {
  const stat = (v: number[]) => {
    const m = meanStd(v);
    return { ...m, variance: m.std * m.std };
  };
  const out: ArchitectureSummary[] = [];
  for (const a of ["teacher", ...PIPERNO_ARCHITECTURES] as const) {
    const mine = rows.filter((r) => r.architecture === a);
    if (mine.length === 0) continue;
    const f1 = (kd: boolean) => mine.filter((r) => r.kd === kd).map((r) => r.f1 as number);
    const noKd = stat(f1(false)),
      kdRows = f1(true);
    const kd = kdRows.length ? stat(kdRows) : null;
    out.push({
      architecture: a,
      nParams: mine[0].nParams as number,
      paperParams: PIPERNO_PAPER_PARAMS[a] ?? null,
      noKd,
      kd,
      gain: kd ? kd.mean - noKd.mean : null,
    });
  }
  return out;
}

/** One checked claim part (the verdict engine's {@link ClaimPart}). */
export type PipernoClaimCheck = ClaimPart;

/**
 * What the F1 of the rows is, in words, from their `restoreBest` and `earlyStoppingMetric` fields: "test macro F1
 * (3 classes) of the last epoch's weights (early stopping on the validation cross-entropy)" at the defaults. Rows
 * without the fields were written before they existed, under best-weight restoring on validation macro F1.
 */
export function f1Measured(rows: readonly ResultRow[]): string {
  const kinds = [
    ...new Set(
      rows
        .filter((r) => r.role === "student")
        .map((r) => {
          const restore = (r.restoreBest as boolean | undefined) ?? true,
            metric = (r.earlyStoppingMetric as string | undefined) ?? "macroF1";
          const on = metric === "loss" ? "validation cross-entropy" : "validation macro F1";
          return restore
            ? `the weights restored at the best ${on} epoch (early stopping)`
            : `the last epoch's weights (early stopping on the ${on})`;
        }),
    ),
  ];
  return `test macro F1 (3 classes) of ${kinds.length ? kinds.join(" or ") : "the trained weights"}`;
}

/**
 * Checks the claims of Fig. 1 ({@link PIPERNO_PAPER_CLAIMS}) on the student rows of every seed (each row has
 * `architecture`, `kd`, `f1`, `seed`), with the verdict engine (`verdicts.ts`):
 * - **kdRaises**, per student: the paired KD − no KD test F1 (both arms share each seed's initialisation and
 *   batches) > 0; not testable when both arms sit at the F1 ceiling ({@link notAtCeiling}), where no gain can show;
 * - **classicalGainsMore**, per hybrid: the classical student's per-seed KD gains minus the hybrid's (different
 *   models: unpaired, Welch) > 0; not testable when the classical student is at the ceiling in both arms;
 * - **hybridsVaryMore**, per hybrid and arm (no KD, KD): var over seeds of the hybrid's F1 / the classical
 *   student's > 1.
 * @param rows - result rows of all seeds (teacher rows are ignored).
 * @throws Error if the classical student or every hybrid is missing, or an architecture lacks one of its arms.
 */
export function checkPipernoClaims(rows: readonly ResultRow[]): ClaimPart[] {
  const W = "checkPipernoClaims";
  const students = rows.filter((r) => r.role === "student" && r.architecture !== "teacher");
  const F1_MEASURED = f1Measured(students);
  const present = PIPERNO_ARCHITECTURES.filter((a) => students.some((r) => r.architecture === a));
  const hybrids = present.filter((a) => a !== "classical");
  if (!present.includes("classical") || hybrids.length === 0)
    throw new Error(`${W}: need the classical student and at least one hybrid, got ${JSON.stringify(present)}`);
  const f1 = (a: PipernoArchitecture, kd: boolean) =>
    seedValues(
      students,
      (r) => r.architecture === a && r.kd === kd,
      (r) => r.f1 as number | null,
    );
  const arms = new Map(
    present.map((a) => {
      const noKd = f1(a, false),
        kd = f1(a, true);
      if (noKd.length === 0 || kd.length === 0)
        throw new Error(`${W}: ${a} needs rows without and with KD, got ${noKd.length} and ${kd.length}`);
      return [a, { noKd, kd }] as const;
    }),
  );
  const n = (v: SeedValues) => `${v.length} seed${v.length === 1 ? "" : "s"}`;
  const nn = (a: SeedValues, b: SeedValues) => (a.length === b.length ? `${n(a)} per arm` : `${n(a)} and ${n(b)}`);
  const greater0: Direction = { kind: "greater", margin: 0 };
  const classical = arms.get("classical")!;
  const ceiling = (a: PipernoArchitecture) =>
    notAtCeiling(arms.get(a)!.kd, arms.get(a)!.noKd, a === "classical" ? "classical student's test F1" : "test F1");

  const kdRaises = present.map((a) => {
    const { kd, noKd } = arms.get(a)!;
    const part = pairedPart({
      claim: PIPERNO_PAPER_CLAIMS.kdRaises,
      test: `${architectureLabel(a)}: KD − no KD test F1 > 0`,
      measure: `${F1_MEASURED}, KD − no KD per seed, paired by seed (same initialisation and batches); mean over ${n(kd)}`,
      unit: "F1 difference",
      levelUnit: "F1",
      a: kd,
      b: noKd,
      labels: ["KD", "no KD"],
      direction: greater0,
      precondition: ceiling(a),
    });
    return { ...part, ours: `${architectureLabel(a)}: ${part.ours}` };
  });
  const gains = (a: PipernoArchitecture) => {
    const { kd, noKd } = arms.get(a)!;
    const base = new Map(noKd.map((x) => [x.seed, x.value]));
    return kd
      .filter((x) => base.has(x.seed))
      .map((x) => ({ seed: x.seed, value: x.value - (base.get(x.seed) as number) }));
  };
  const classicalGains = gains("classical");
  const classicalGainsMore = hybrids.map((a) => {
    const g = gains(a);
    return unpairedPart({
      claim: PIPERNO_PAPER_CLAIMS.classicalGainsMore,
      test: `classical gain − ${architectureLabel(a)} gain > 0`,
      measure:
        `KD gain (KD − no KD ${F1_MEASURED}) per seed; classical student's gains against the hybrid's, different models, ` +
        `unpaired (Welch); ${nn(classicalGains, g)}`,
      unit: "F1 difference",
      levelUnit: "F1 difference",
      a: classicalGains,
      b: g,
      labels: ["classical gain", `${architectureLabel(a)} gain`],
      direction: greater0,
      precondition: ceiling("classical"),
    });
  });
  const hybridsVaryMore = hybrids.flatMap((a) =>
    (["no KD", "KD"] as const).map((arm) => {
      const key = arm === "KD" ? "kd" : "noKd";
      const h = arms.get(a)![key],
        c = classical[key];
      return varianceRatioPart({
        claim: PIPERNO_PAPER_CLAIMS.hybridsVaryMore,
        test: `var(${architectureLabel(a)} F1) / var(classical F1) > 1, ${arm === "KD" ? "with" : "without"} KD`,
        measure: `sample variance over seeds of the ${F1_MEASURED}, ${arm}; hybrid over classical student; ${nn(h, c)}`,
        a: h,
        b: c,
        labels: [architectureLabel(a), "classical"],
        direction: { kind: "greater", margin: 1 },
      });
    }),
  );
  return [...kdRaises, ...classicalGainsMore, ...hybridsVaryMore];
}

/** Where these claims come from, for the scorecard (`claimRecords`). */
export const PIPERNO_SOURCE = Object.freeze({ paper: "Piperno et al.", figure: "Fig. 1" });

/**
 * Fig. 1's claim records (what the notebook writes to `claims.json`) from the result rows of all seeds
 * ({@link checkPipernoClaims}), on the rows of the defaults only (`variant` "defaults" or none): the readings' and
 * the harder-data study's rows are left out.
 */
export function pipernoClaimRecords(rows: readonly ResultRow[]): ClaimRecord[] {
  return claimRecords({ ...PIPERNO_SOURCE, checks: checkPipernoClaims(rowsOf(rows)) });
}

/** Short names of the claims, for the readings table's columns. */
export const PIPERNO_CLAIM_NAMES: Readonly<Record<string, string>> = Object.freeze({
  [PIPERNO_PAPER_CLAIMS.kdRaises]: "KD raises",
  [PIPERNO_PAPER_CLAIMS.classicalGainsMore]: "classical gains more",
  [PIPERNO_PAPER_CLAIMS.hybridsVaryMore]: "hybrids vary more",
});

/**
 * The readings table of Fig. 1 (`readingsTable` with the test macro F1 in place of the accuracy): one row per setting
 * present in `rows` (the defaults, then {@link PIPERNO_READINGS} in order), each model's test F1 × 100 as the mean
 * over seeds [95% interval], and the status of each claim decided on that setting's rows alone.
 * @param models - the models shown, as run labels ("classical student no KD", "q_2 + KD", …). @defaultValue every
 *   student of the rows, both arms
 * @throws Error when `rows` hold no defaults' rows.
 */
export function pipernoReadingsTable(
  rows: readonly ResultRow[],
  models?: readonly string[],
): Record<string, string | number>[] {
  const asScore = rows.map((r) => ({ ...r, testAccuracy: r.f1 as number | null }));
  const ms = models ?? [
    ...new Set(
      rowsOf(rows)
        .filter((r) => r.role === "student")
        .map(runLabel),
    ),
  ];
  const table = readingsTable(asScore, PIPERNO_READINGS, {
    models: ms,
    records: pipernoClaimRecords,
    claimNames: PIPERNO_CLAIM_NAMES,
  });
  const f1Column = / \(test %\)$/;
  return table.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) =>
        f1Column.test(k)
          ? [k.replace(f1Column, " (test F1 × 100)"), typeof v === "string" ? v.replace("%", "") : v]
          : [k, v],
      ),
    ),
  );
}

// ---- the harder-data study: our hypotheses (not claims of the paper) ------------------------------------------

/** Where the harder-data study's statements come from: OUR hypotheses (`kind: "hypothesis"`), not the paper's claims. */
export const PIPERNO_HARDER_SOURCE = Object.freeze({
  paper: "qnn-kd harder-data study (after Piperno et al. Fig. 1)",
  figure: "harder extended XOR (label noise 0.1, parity3)",
  kind: "hypothesis" as const,
});

/** Our hypotheses on the harder data ({@link PIPERNO_HARDER_DATA}). */
export const PIPERNO_HYPOTHESES = Object.freeze({
  classical: "KD raises the classical student's test F1 on the harder data",
  hybrids: "KD raises the hybrid students' test F1 on the harder data",
});

/**
 * Checks {@link PIPERNO_HYPOTHESES} on the rows of the harder-data settings (rows whose `variant` names a
 * {@link PIPERNO_HARDER_DATA} setting; other rows are ignored), per setting, with the verdict engine: the paired
 * KD − no KD test F1 (same initialisation and batches per seed) > 0, for the classical student (first hypothesis) and
 * for each hybrid student present (second); not testable when both arms sit at the F1 ceiling, or when a setting's
 * rows are missing.
 */
export function checkPipernoHypotheses(rows: readonly ResultRow[]): ClaimPart[] {
  const out: ClaimPart[] = [];
  for (const setting of PIPERNO_HARDER_DATA) {
    const mine = rowsOf(rows, setting.name).filter((r) => r.role === "student");
    const measured = `${f1Measured(mine)} on the ${setting.name} data`;
    const part = (claim: string, a: PipernoArchitecture) => {
      const test = `${setting.name}: ${architectureLabel(a)}: KD − no KD test F1 > 0`;
      const f1 = (kd: boolean) =>
        seedValues(
          mine,
          (r) => r.architecture === a && r.kd === kd,
          (r) => r.f1 as number | null,
        );
      const kd = f1(true),
        noKd = f1(false);
      const measure = `${measured}, KD − no KD per seed, paired by seed (same initialisation and batches)`;
      if (kd.length === 0 || noKd.length === 0) {
        return untestablePart({
          claim,
          test,
          measure,
          unit: "F1 difference",
          reason: `no rows of ${architectureLabel(a)} (both arms) on the ${setting.name} data`,
        });
      }
      const p = pairedPart({
        claim,
        test,
        measure: `${measure}; mean over ${kd.length} seed(s)`,
        unit: "F1 difference",
        levelUnit: "F1",
        a: kd,
        b: noKd,
        labels: ["KD", "no KD"],
        direction: { kind: "greater", margin: 0 },
        precondition: notAtCeiling(kd, noKd, `${architectureLabel(a)}'s test F1`),
      });
      return { ...p, ours: `${setting.name}, ${architectureLabel(a)}: ${p.ours}` };
    };
    out.push(part(PIPERNO_HYPOTHESES.classical, "classical"));
    const hybrids = PIPERNO_ARCHITECTURES.filter((a) => a !== "classical" && mine.some((r) => r.architecture === a));
    if (hybrids.length === 0) {
      out.push(
        untestablePart({
          claim: PIPERNO_HYPOTHESES.hybrids,
          test: `${setting.name}: hybrid students: KD − no KD test F1 > 0`,
          measure: `${measured}, KD − no KD per seed`,
          unit: "F1 difference",
          reason: `no rows of a hybrid student on the ${setting.name} data`,
        }),
      );
    } else for (const a of hybrids) out.push(part(PIPERNO_HYPOTHESES.hybrids, a));
  }
  return out;
}

/**
 * The harder-data runs as a table: per setting of {@link PIPERNO_HARDER_DATA} present in `rows` and per model
 * (teacher first), the mean test macro F1 over seeds without and with KD and the KD gain ({@link summarise}).
 */
export function harderDataTable(rows: readonly ResultRow[]): Record<string, string | number | null>[] {
  return PIPERNO_HARDER_DATA.flatMap((setting) =>
    summarise(rowsOf(rows, setting.name)).map((sm) => ({
      data: setting.name,
      model: architectureLabel(sm.architecture),
      "F1 no KD": sm.noKd.mean,
      "F1 KD": sm.kd?.mean ?? null,
      "KD gain": sm.gain,
      seeds: sm.noKd.n,
    })),
  );
}

/** The harder-data study's records (`kind: "hypothesis"`; written to `claims.json` beside Fig. 1's claims). */
export function pipernoHypothesisRecords(rows: readonly ResultRow[]): ClaimRecord[] {
  return claimRecords({ ...PIPERNO_HARDER_SOURCE, checks: checkPipernoHypotheses(rows) });
}
