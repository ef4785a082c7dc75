/**
 * Hasan & Mahdy, the claims: the paper's Fig. 12 bars and claims, the tables of a run (main table, Fig. 12 entries)
 * and the claims checked by the verdict engine over seeds.
 *
 * @packageDocumentation
 */
import { ResultRow } from "../results";
import { meanStd } from "../seeds";
import { claimRecords, ClaimRecord } from "../claims";
import { DEFAULTS_SETTING, settingOf } from "../readings";
import {
  ClaimPart,
  Direction,
  SeedValues,
  notAtCeiling,
  pairedPart,
  seedValues,
  unpairedPart,
  untestablePart,
} from "../verdicts";
import {
  FIG12_METHODS,
  Fig12Bar,
  Fig12Method,
  HASAN_DATASETS,
  HASAN_FIG12,
  HASAN_READINGS,
  HASAN_TEACHERS,
  HASAN_VARIANTS,
  HasanConfig,
  HasanDataset,
  HasanTeacher,
  HasanVariant,
} from "./config";
import { teacherLabel } from "./run";

/** Where the claims come from, for the scorecard (`claimRecords`). */
export const HASAN_SOURCE = Object.freeze({ paper: "Hasan & Mahdy", figure: "main comparison and Fig. 12" });

/** The paper's claims (v2 abstract). */
export const HASAN_PAPER_CLAIMS = Object.freeze({
  amplitudeBest: "amplitude encoding gives the best accuracy on every dataset and qubit count",
  denseBest: "the fully connected (dense) reduction beats cropping, PCA and pooling",
  kdImproves: "KD improves the 4- and 8-qubit students on every dataset",
});

/** One bar of the Fig. 12 comparison: our test error beside the paper's (%, mean ± std over seeds). */
export interface Fig12Entry {
  dataset: HasanDataset;
  nQubits: number;
  /** The paper's method, or a reading of ours (beside the paper's number for the method it varies). */
  method: Fig12Bar;
  /** Mean and standard deviation of our final test error over the seeds (%). */
  error: number;
  std: number;
  /** Mean best test error over the epochs (%, the paper's metric). */
  bestError: number;
  nSeeds: number;
  paper: number | null;
}

/** The Fig. 12 bar of an ablation-framework row (KD from the ablation teacher; a reading's name for its rows), or null. */
function methodOf(cfg: Pick<HasanConfig, "ablationTeacher">, r: ResultRow): Fig12Bar | null {
  if (r.role !== "student" || r.teacher !== cfg.ablationTeacher) return null;
  const v = settingOf(r);
  if (v !== DEFAULTS_SETTING) return (HASAN_VARIANTS as readonly string[]).includes(v) ? (v as HasanVariant) : null;
  if (r.reduction === "dense" && r.encoding === "amplitude") return "original";
  if (r.reduction === "dense") return r.encoding as Fig12Method;
  return r.reduction as Fig12Method;
}

/**
 * The Fig. 12 entries of result rows (any number of seeds), in the order of datasets, Q, {@link FIG12_METHODS}
 * and then the readings of {@link HASAN_VARIANTS} (each beside the paper's number of the method it varies).
 */
export function fig12Entries(cfg: Pick<HasanConfig, "ablationTeacher">, rows: readonly ResultRow[]): Fig12Entry[] {
  const out: Fig12Entry[] = [];
  for (const d of HASAN_DATASETS) {
    for (const Q of [
      ...new Set(rows.filter((r) => r.dataset === d && r.role === "student").map((r) => r.nQubits)),
    ].sort((a, b) => a - b)) {
      for (const m of [...FIG12_METHODS, ...HASAN_VARIANTS] as Fig12Bar[]) {
        const mine = rows.filter((r) => r.dataset === d && r.nQubits === Q && methodOf(cfg, r) === m);
        if (mine.length === 0) continue;
        const e = meanStd(mine.map((r) => r.testError as number));
        const b = meanStd(mine.map((r) => 100 * (1 - (r.bestTestAccuracy as number))));
        const paperMethod = (HASAN_VARIANTS as readonly string[]).includes(m)
          ? HASAN_READINGS[m as HasanVariant].varies
          : (m as Fig12Method);
        out.push({
          dataset: d,
          nQubits: Q,
          method: m,
          error: e.mean,
          std: e.std,
          bestError: b.mean,
          nSeeds: mine.length,
          paper: Q === 4 || Q === 8 ? HASAN_FIG12[d][Q][paperMethod] : null,
        });
      }
    }
  }
  return out;
}

/** One row of the main table: a student's accuracy without KD and with KD from each teacher, beside the teachers'. */
export interface MainTableRow {
  dataset: HasanDataset;
  nQubits: number;
  nParams: number;
  /** Mean final test accuracy over seeds without KD, and with KD per teacher. */
  noKd: number;
  kd: Partial<Record<HasanTeacher, number>>;
  /** Mean test accuracy of each teacher. */
  teacherAccuracy: Partial<Record<HasanTeacher, number>>;
  /** Paper's "original" test accuracy (100 − Fig. 12 error, %), teacher unstated. */
  paperKd: number | null;
  nSeeds: number;
}

/** The main table of result rows (dataset × Q), means over seeds. */
export function mainTable(rows: readonly ResultRow[]): MainTableRow[] {
  const out: MainTableRow[] = [];
  const mean = (v: number[]) => meanStd(v).mean;
  for (const d of HASAN_DATASETS) {
    const mine = rows.filter((r) => r.dataset === d && r.experiment === "main");
    for (const Q of [...new Set(mine.map((r) => r.nQubits))].sort((a, b) => a - b)) {
      const q = mine.filter((r) => r.nQubits === Q);
      const noKd = q.filter((r) => !r.kd);
      const kd: Partial<Record<HasanTeacher, number>> = {},
        teacherAccuracy: Partial<Record<HasanTeacher, number>> = {};
      for (const t of HASAN_TEACHERS) {
        const k = q.filter((r) => r.kd && r.teacher === t);
        if (k.length) kd[t] = mean(k.map((r) => r.testAccuracy as number));
        // the teachers of the defaults (a reading's own teacher, e.g. on other images, carries its name in `variant`)
        const tr = rows.filter(
          (r) => r.dataset === d && r.role === "teacher" && r.teacher === t && settingOf(r) === DEFAULTS_SETTING,
        );
        if (tr.length) teacherAccuracy[t] = mean(tr.map((r) => r.testAccuracy as number));
      }
      out.push({
        dataset: d,
        nQubits: Q,
        nParams: noKd[0]?.nParams as number,
        noKd: mean(noKd.map((r) => r.testAccuracy as number)),
        kd,
        teacherAccuracy,
        paperKd: Q === 4 || Q === 8 ? 100 - HASAN_FIG12[d][Q].original : null,
        nSeeds: noKd.length,
      });
    }
  }
  return out;
}

/** One checked claim part (the verdict engine's {@link ClaimPart}). */
export type HasanClaimCheck = ClaimPart;

/** The name of a dataset in prose. */
export function datasetLabel(d: HasanDataset): string {
  return ({ mnist: "MNIST", "fashion-mnist": "Fashion-MNIST", cifar10: "CIFAR-10" } as const)[d];
}

/** The paper's "original" student of Fig. 12, in words. */
export const ORIGINAL_IN_WORDS = "the paper's 'original' student: dense reduction + amplitude encoding";

/** Why a dataset has no rows. */
function notRunReason(cfg: Partial<Pick<HasanConfig, "datasets">>, d: HasanDataset): string {
  return `${datasetLabel(d)} not run (${cfg.datasets && !cfg.datasets.includes(d) ? "not among the configured datasets" : "not installed here"})`;
}

/**
 * The parts of a Fig. 12 claim: per dataset and Q that ran, the test error of each bar of `others` minus the
 * "original" student's (unpaired, Welch) > 0 points; a not-testable part per dataset without rows. [] when no bar
 * of `others` ran.
 */
function fig12Parts(
  cfg: Pick<HasanConfig, "ablationTeacher"> & Partial<Pick<HasanConfig, "datasets">>,
  rows: readonly ResultRow[],
  claim: string,
  others: readonly Fig12Bar[],
  what: "encoding" | "reduction",
): ClaimPart[] {
  const greater0: Direction = { kind: "greater", margin: 0 };
  const winner = what === "encoding" ? "amplitude" : "dense";
  const ran = HASAN_DATASETS.filter((d) => rows.some((r) => r.dataset === d));
  const seeds = (v: SeedValues) => `${v.length} seed${v.length === 1 ? "" : "s"}`;
  const errors = (d: HasanDataset, Q: number, m: Fig12Bar) =>
    seedValues(
      rows,
      (r) => r.dataset === d && r.nQubits === Q && methodOf(cfg, r) === m,
      (r) => r.testError as number | null,
    );
  const measure = (a: SeedValues, b: SeedValues) =>
    `test error (%) after the last epoch, per seed, of students trained with KD from ${teacherLabel(cfg.ablationTeacher)}; ` +
    `each other ${what} against ${ORIGINAL_IN_WORDS}; different students, unpaired (Welch); ${a.length === b.length ? `${seeds(a)} per arm` : `${seeds(a)} and ${seeds(b)}`}`;
  const parts: ClaimPart[] = [];
  for (const d of ran) {
    for (const Q of [
      ...new Set(rows.filter((r) => r.dataset === d && r.role === "student").map((r) => r.nQubits)),
    ].sort((a, b) => a - b)) {
      const original = errors(d, Q, "original");
      if (original.length === 0) continue;
      for (const m of others) {
        const other = errors(d, Q, m);
        if (other.length === 0) continue;
        const part = unpairedPart({
          claim,
          test: `${datasetLabel(d)} Q=${Q}: ${m} − ${winner} test error > 0 points (${winner}'s error lower)`,
          measure: measure(other, original),
          unit: "error points",
          levelUnit: "error (%)",
          a: other,
          b: original,
          labels: [m, `${winner} (original)`],
          direction: greater0,
        });
        parts.push({ ...part, ours: `${datasetLabel(d)} Q=${Q}: ${part.ours}` });
      }
    }
  }
  if (parts.length === 0) return [];
  for (const d of HASAN_DATASETS.filter((x) => !ran.includes(x))) {
    parts.push(
      untestablePart({
        claim,
        test: `${datasetLabel(d)}: ${others.join(", ")} − ${winner} test error > 0 points (${winner}'s error lower), every Q`,
        measure: parts[0].measure,
        unit: "error points",
        reason: notRunReason(cfg, d),
      }),
    );
  }
  return parts;
}

/**
 * "Amplitude encoding is best" at each reading of {@link HASAN_VARIANTS} that changes an encoding bar: the defaults'
 * parts with that bar replaced by the reading's (e.g. `angle-stacked`: amplitude against the angle encoding of the
 * same 2^Q features). Readings whose rows are missing are left out.
 */
export function hasanVariantChecks(
  cfg: Parameters<typeof checkHasanClaims>[0],
  rows: readonly ResultRow[],
): { name: string; checks: ClaimPart[] }[] {
  const out: { name: string; checks: ClaimPart[] }[] = [];
  for (const v of HASAN_VARIANTS) {
    const rd = HASAN_READINGS[v];
    if (rd.varies !== "angle" && rd.varies !== "qubit") continue;
    if (!rows.some((r) => settingOf(r) === v)) continue;
    const bars: Fig12Bar[] = (["angle", "qubit"] as const).map((m) => (m === rd.varies ? v : m));
    const checks = fig12Parts(cfg, rows, HASAN_PAPER_CLAIMS.amplitudeBest, bars, "encoding");
    if (checks.length) out.push({ name: v, checks });
  }
  return out;
}

/**
 * Checks the paper's claims ({@link HASAN_PAPER_CLAIMS}) on result rows of all seeds with the verdict engine
 * (`verdicts.ts`), per dataset and Q that ran:
 * - **amplitudeBest**, per other encoding (angle, qubit as read in docs/PARAMS.md; dense reduction, KD from the
 *   ablation teacher): the test error of that encoding minus amplitude's ("original"), different students, unpaired
 *   (Welch) > 0 points (the other readings: {@link hasanVariantChecks});
 * - **denseBest**, per other reduction (crop, PCA, average and max pooling; amplitude encoding): likewise against
 *   dense ("original");
 * - **kdImproves**, per teacher: the KD − no KD test accuracy of the main student, paired by seed (same student
 *   initialisation and batches) > 0 points; not testable when both arms sit at the accuracy ceiling.
 * A dataset of {@link HASAN_DATASETS} without rows gets one not-testable part per claim (so the record's scope says
 * what ran): "not installed here", or "not among the configured datasets" when `cfg.datasets` leaves it out. A
 * claim whose grid is missing from every dataset is left out.
 * @param cfg - the ablation teacher, and optionally the datasets the run was configured with.
 * @param rows - result rows of all seeds (rows of {@link runHasan}).
 */
export function checkHasanClaims(
  cfg: Pick<HasanConfig, "ablationTeacher"> & Partial<Pick<HasanConfig, "datasets">>,
  rows: readonly ResultRow[],
): ClaimPart[] {
  const greater0: Direction = { kind: "greater", margin: 0 };
  const ran = HASAN_DATASETS.filter((d) => rows.some((r) => r.dataset === d));
  const seeds = (v: SeedValues) => `${v.length} seed${v.length === 1 ? "" : "s"}`;
  const notRun = (d: HasanDataset) => notRunReason(cfg, d);
  const out: ClaimPart[] = [];

  out.push(...fig12Parts(cfg, rows, HASAN_PAPER_CLAIMS.amplitudeBest, ["angle", "qubit"], "encoding"));
  out.push(...fig12Parts(cfg, rows, HASAN_PAPER_CLAIMS.denseBest, ["crop", "pca", "avgpool", "maxpool"], "reduction"));

  const kd: ClaimPart[] = [];
  for (const d of ran) {
    const main = rows.filter((r) => r.dataset === d && r.experiment === "main" && r.role === "student");
    for (const Q of [...new Set(main.map((r) => r.nQubits))].sort((a, b) => a - b)) {
      const acc = (pick: (r: ResultRow) => boolean) =>
        seedValues(
          main,
          (r) => r.nQubits === Q && pick(r),
          (r) => r.testAccuracy,
        );
      const noKd = acc((r) => !r.kd);
      if (noKd.length === 0) continue;
      for (const t of HASAN_TEACHERS) {
        const withKd = acc((r) => r.kd && r.teacher === t);
        if (withKd.length === 0) continue;
        const part = pairedPart({
          claim: HASAN_PAPER_CLAIMS.kdImproves,
          test: `${datasetLabel(d)} Q=${Q}: KD from ${teacherLabel(t)} − no KD test accuracy > 0 points`,
          measure:
            `test accuracy (%) after the last epoch, KD − no KD per seed, of ${ORIGINAL_IN_WORDS}; paired (same student initialisation ` +
            `and batches); mean over ${seeds(withKd)}`,
          unit: "accuracy points",
          scale: 100,
          levelUnit: "accuracy (%)",
          a: withKd,
          b: noKd,
          labels: [`KD from ${teacherLabel(t)}`, "no KD"],
          direction: greater0,
          precondition: notAtCeiling(withKd, noKd, "test accuracy"),
        });
        kd.push({ ...part, ours: `${datasetLabel(d)} Q=${Q}: ${part.ours}` });
      }
    }
  }
  if (kd.length > 0) {
    out.push(...kd);
    for (const d of HASAN_DATASETS.filter((x) => !ran.includes(x))) {
      out.push(
        untestablePart({
          claim: HASAN_PAPER_CLAIMS.kdImproves,
          test: `${datasetLabel(d)}: KD − no KD test accuracy > 0 points, every Q and teacher`,
          measure: kd[0].measure,
          unit: "accuracy points",
          reason: notRun(d),
        }),
      );
    }
  }
  return out;
}

/** The claim records (what the notebook writes to `claims.json`) from the result rows of all seeds ({@link checkHasanClaims}). */
export function hasanClaimRecords(
  cfg: Parameters<typeof checkHasanClaims>[0],
  rows: readonly ResultRow[],
): ClaimRecord[] {
  return claimRecords({
    ...HASAN_SOURCE,
    checks: checkHasanClaims(cfg, rows),
    variants: hasanVariantChecks(cfg, rows),
  });
}
