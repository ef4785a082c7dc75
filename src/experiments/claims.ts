/**
 * Paper claims and the project's scorecard.
 *
 * Each experiment checks the papers' claims in measurable parts ({@link ClaimPart}, decided over seeds by the verdict
 * engine of `verdicts.ts`: an effect with its 95% interval and one of holds, contradicted, inconclusive, not
 * testable), at the paper's settings ("defaults") and for any variant of ours. {@link claimRecords} folds the parts
 * into one {@link ClaimRecord} per claim with its status ({@link CLAIM_STATUSES}: a part status at the defaults,
 * or "holds with variant V"), the seeds, what is measured, the scope actually tested and the numbers behind it.
 * Records of our own studies' hypotheses carry `kind: "hypothesis"` and get a table of their own. Each notebook writes its records to `<results>/<id>/claims.json` with
 * {@link writeClaims}; {@link writeScorecard} gathers the files of every registered experiment into
 * `<results>/claims.json` and `<results>/claims.md` (the table the README shows). The `reproduce` command calls it
 * after each run, so the scorecard always reflects the latest run of each experiment.
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import * as path from "path";
import { writeFileAtomic, writeJsonAtomic } from "../util/fs";
import { VERSION } from "../version";
import { ClaimPart, PartStatus, combineStatuses } from "./verdicts";
import { formatInterval } from "../util/format";

export type { ClaimPart } from "./verdicts";

/** Status of a claim: a part status ({@link PartStatus}) at the paper's settings, or "holds with variant". */
export const CLAIM_STATUSES = ["holds", "holds with variant", "contradicted", "inconclusive", "not testable"] as const;
/** One of {@link CLAIM_STATUSES}. */
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** Whose statement a record checks: a paper's claim, or a hypothesis of one of our own studies. */
export type ClaimKind = "paper claim" | "hypothesis";

/** One claim with its verdict: the unit of `claims.json` and of the scorecard. */
export interface ClaimRecord {
  /** The paper, e.g. "Yan et al." (for a hypothesis: the study, e.g. "qnn-kd noisy-teacher study"). */
  paper: string;
  /** Its table or figure, e.g. "Table 1", "Fig. 4". */
  figure: string;
  /** The claim in one line. */
  claim: string;
  /** A paper's claim, or our own hypothesis (a separate table in the scorecard, never counted as a paper's). */
  kind: ClaimKind;
  /** See {@link ClaimStatus}. */
  status: ClaimStatus;
  /** The variant under which the claim holds (status "holds with variant"), else null. */
  variant: string | null;
  /** Status at each setting checked ("defaults" and each variant). */
  statusBySetting: Record<string, PartStatus>;
  /** Seeds behind the verdict (the most any part used). */
  nSeeds: number;
  /** What the parts measure (quantity and unit, aggregation), distinct texts joined by "; ". */
  measure: string;
  /** Where the claim is wider than what ran: the untested parts with their reasons, else null. */
  scope: string | null;
  /** The numbers behind the verdict, in words: each part's numbers at the defaults, then for each variant. */
  numbers: string;
  /** The checked parts, per setting ("defaults" or a variant name), each with its effect and status. */
  parts: (ClaimPart & { setting: string })[];
}

/** The content of `<results>/<id>/claims.json`. */
export interface ClaimsFile {
  experiment: string;
  version: string;
  /** Quick mode (small sizes, not the paper's settings). */
  quick: boolean;
  /** Seeds the run used. */
  nSeeds: number;
  writtenAt: string;
  claims: ClaimRecord[];
  /** Experiment-specific detail (raw checks, accuracies). */
  details?: unknown;
}

/** Options of {@link claimRecords}. */
export interface ClaimRecordsOptions {
  paper: string;
  figure: string;
  /** A paper's claims or our own hypotheses. @defaultValue "paper claim" */
  kind?: ClaimKind;
  /** The parts checked at the paper's settings (our defaults). */
  checks: readonly ClaimPart[];
  /** The same claims checked for variants of ours, in order of preference. @defaultValue [] */
  variants?: readonly { name: string; checks: readonly ClaimPart[] }[];
}

const partLabel = (p: ClaimPart) => (p.nLayers !== undefined && !/layer/.test(p.test) ? `${p.nLayers} L: ` : "");

/**
 * One {@link ClaimRecord} per distinct claim text of `checks` (in order of first appearance). Its status at each
 * setting is {@link combineStatuses} of that setting's parts; the record's status is the defaults' status, or
 * "holds with variant" for the first variant whose parts of that claim hold (when the defaults do not hold). A
 * claim with no part in a variant's checks is not judged for that variant.
 * @throws Error for an empty paper or figure, or no checks (quoted).
 */
export function claimRecords(o: ClaimRecordsOptions): ClaimRecord[] {
  const where = "claimRecords";
  if (!o.paper || !o.figure)
    throw new Error(
      `${where}: paper and figure are required, got ${JSON.stringify({ paper: o.paper, figure: o.figure })}`,
    );
  if (!Array.isArray(o.checks) || o.checks.length === 0)
    throw new Error(`${where}: checks must be a non-empty array of claim parts`);
  const kind = o.kind ?? "paper claim";
  if (kind !== "paper claim" && kind !== "hypothesis")
    throw new Error(`${where}: kind must be "paper claim" or "hypothesis", got ${JSON.stringify(kind)}`);
  const variants = o.variants ?? [];
  const numbers = (ps: readonly ClaimPart[]) => ps.map((p) => partLabel(p) + p.ours).join("; ");
  return [...new Set(o.checks.map((c) => c.claim))].map((claim) => {
    const mine = o.checks.filter((c) => c.claim === claim);
    const parts: ClaimRecord["parts"] = mine.map((p) => ({ ...p, setting: "defaults" }));
    const statusBySetting: Record<string, PartStatus> = { defaults: combineStatuses(mine.map((p) => p.status)) };
    for (const v of variants) {
      const ps = v.checks.filter((c) => c.claim === claim);
      if (ps.length === 0) continue;
      parts.push(...ps.map((p) => ({ ...p, setting: v.name })));
      statusBySetting[v.name] = combineStatuses(ps.map((p) => p.status));
    }
    let status: ClaimStatus = statusBySetting.defaults,
      variant: string | null = null;
    if (status !== "holds") {
      const v = variants.find((x) => statusBySetting[x.name] === "holds");
      if (v) [status, variant] = ["holds with variant", v.name];
    }
    const decisive = parts.filter((p) => p.setting === (variant ?? "defaults"));
    const untested = decisive.filter((p) => p.status === "not testable");
    const reasons = [...new Set(untested.map((p) => p.reason ?? "precondition fails"))];
    const scope = untested.length
      ? `not tested: ${reasons
          .map(
            (why) =>
              `${untested
                .filter((p) => (p.reason ?? "precondition fails") === why)
                .map((p) => p.test)
                .join(", ")} (${why})`,
          )
          .join("; ")}`
      : null;
    const text = [
      `defaults: ${numbers(mine)}`,
      ...variants
        .map((v) => [v.name, parts.filter((p) => p.setting === v.name)] as const)
        .filter(([, ps]) => ps.length > 0)
        .map(([name, ps]) => `${name}: ${numbers(ps)}`),
    ].join(" | ");
    const measure = [...new Set(parts.map((p) => p.measure))].join("; ");
    const nSeeds = Math.max(0, ...parts.map((p) => p.nSeeds));
    return {
      paper: o.paper,
      figure: o.figure,
      claim,
      kind,
      status,
      variant,
      statusBySetting,
      nSeeds,
      measure,
      scope,
      numbers: text,
      parts,
    };
  });
}

/** The parts of `records` checked at `setting` ("defaults" or a variant's name), in order: for tables and figures. */
export function partsOf(records: readonly ClaimRecord[], setting = "defaults"): ClaimPart[] {
  return records.flatMap((r) => r.parts.filter((p) => p.setting === setting).map(({ setting: _s, ...p }) => p));
}

/**
 * Writes `<resultsDir>/claims.json` ({@link ClaimsFile}) atomically and returns its path.
 * @throws Error for a record with a missing field or an unknown status (quoted).
 */
export function writeClaims(
  resultsDir: string,
  experiment: string,
  claims: readonly ClaimRecord[],
  run: { quick: boolean; nSeeds: number; details?: unknown },
): string {
  for (const c of claims) checkRecord(`writeClaims(${experiment})`, c);
  const file = path.join(resultsDir, "claims.json");
  const content: ClaimsFile = {
    experiment,
    version: VERSION,
    quick: run.quick,
    nSeeds: run.nSeeds,
    writtenAt: new Date().toISOString(),
    claims: [...claims],
    ...(run.details !== undefined ? { details: run.details } : {}),
  };
  writeJsonAtomic(file, content);
  return file;
}

function checkRecord(where: string, c: ClaimRecord): void {
  for (const k of ["paper", "figure", "claim", "numbers", "measure"] as const) {
    if (typeof c[k] !== "string" || c[k].length === 0)
      throw new Error(`${where}: claim record lacks "${k}": ${JSON.stringify(c).slice(0, 200)}`);
  }
  if (!CLAIM_STATUSES.includes(c.status))
    throw new Error(
      `${where}: status must be one of ${JSON.stringify(CLAIM_STATUSES)}, got ${JSON.stringify(c.status)}`,
    );
  if (c.kind !== "paper claim" && c.kind !== "hypothesis")
    throw new Error(`${where}: kind must be "paper claim" or "hypothesis", got ${JSON.stringify(c.kind)}`);
  if (!Number.isInteger(c.nSeeds) || c.nSeeds < 0)
    throw new Error(`${where}: nSeeds must be a non-negative integer, got ${String(c.nSeeds)}`);
  if (
    !Array.isArray(c.parts) ||
    c.parts.some((p) => p.effect !== null && (typeof p.effect !== "object" || typeof p.effect.unit !== "string"))
  ) {
    throw new Error(
      `${where}: every part needs an effect { estimate, ciLow, ciHigh, unit, method } or null: ${JSON.stringify(c).slice(0, 200)}`,
    );
  }
}

/** One row of the scorecard: a claim record with the run it came from. */
export interface ScorecardRow extends ClaimRecord {
  /** Experiment id (the results folder name). */
  experiment: string;
  quick: boolean;
  writtenAt: string;
}

/** What {@link collectClaims} returns. */
export interface Scorecard {
  rows: ScorecardRow[];
  /** Registered experiments without a readable claims.json (not run yet, or an older format), with the reason. */
  missing: { experiment: string; reason: string }[];
}

/**
 * Reads `<resultsRoot>/<id>/claims.json` for every id, in order. A missing, unreadable or old-format file (no
 * `claims` array of records) is listed in `missing` with the reason, never thrown.
 */
export function collectClaims(resultsRoot: string, ids: readonly string[]): Scorecard {
  const rows: ScorecardRow[] = [];
  const missing: Scorecard["missing"] = [];
  for (const id of ids) {
    const file = path.join(resultsRoot, id, "claims.json");
    if (!fs.existsSync(file)) {
      missing.push({ experiment: id, reason: "not run yet" });
      continue;
    }
    let f: ClaimsFile;
    try {
      f = JSON.parse(fs.readFileSync(file, "utf8")) as ClaimsFile;
      if (!Array.isArray(f.claims)) throw new Error("no claims array (older format: rerun the experiment)");
      for (const c of f.claims) checkRecord(file, c);
    } catch (e) {
      missing.push({ experiment: id, reason: (e as Error).message });
      continue;
    }
    for (const c of f.claims)
      rows.push({ ...c, experiment: id, quick: f.quick === true, writtenAt: String(f.writtenAt ?? "") });
  }
  return { rows, missing };
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

/** A record's status as shown: "holds with variant V" names V. */
export function statusText(r: Pick<ClaimRecord, "status" | "variant">): string {
  return r.status === "holds with variant" ? `holds with variant ${r.variant}` : r.status;
}

/**
 * The effects of a record's parts with their intervals and outcomes, "test: +1.5 points [+0.5, +2.5] (holds)",
 * grouped by setting ("defaults: …" | "sharp-teacher: …") when the record has variants.
 */
export function effectsText(r: Pick<ClaimRecord, "parts">): string {
  const settings = [...new Set(r.parts.map((p) => p.setting))];
  const one = (p: ClaimRecord["parts"][number]) => {
    const e = p.effect;
    return `${partLabel(p)}${p.test}: ${e ? formatInterval(e.estimate, e.ciLow, e.ciHigh, e.unit) : "—"} (${p.status})`;
  };
  return settings
    .map(
      (s) =>
        (settings.length > 1 ? `${s}: ` : "") +
        r.parts
          .filter((p) => p.setting === s)
          .map(one)
          .join("; "),
    )
    .join(" | ");
}

function table(rows: readonly ScorecardRow[]): string[] {
  return [
    "| paper | figure / table | claim | what is measured | status | seeds | effect [95% interval] per part and setting | scope | run |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${cell(r.paper)} | ${cell(r.figure)} | ${cell(r.claim)} | ${cell(r.measure)} | **${statusText(r)}** | ${r.nSeeds} | ${cell(effectsText(r))} | ` +
        `${cell(r.scope ?? "as claimed")} | \`${r.experiment}\`${r.quick ? " (quick mode: not the paper's settings)" : ""}, ${r.writtenAt.slice(0, 10)} |`,
    ),
  ];
}

function tally(rows: readonly ScorecardRow[], what: string): string {
  const n = (s: ClaimStatus) => rows.filter((r) => r.status === s).length;
  return (
    `${rows.length} ${what}: ${n("holds")} hold, ${n("holds with variant")} hold only with a variant, ${n("contradicted")} contradicted, ` +
    `${n("inconclusive")} inconclusive, ${n("not testable")} not testable.`
  );
}

/**
 * The scorecard as Markdown: the papers' claims (paper, figure, claim, what is measured, status, seeds, effect with
 * its interval per part, scope, run) with their tally, then our own hypotheses in a table of their own (not counted
 * as paper claims), then the runs missing. How verdicts are decided is said under the tables.
 */
export function scorecardMarkdown(card: Scorecard): string {
  const paper = card.rows.filter((r) => r.kind !== "hypothesis"),
    ours = card.rows.filter((r) => r.kind === "hypothesis");
  const lines = [...table(paper), "", tally(paper, "paper claims")];
  if (ours.length)
    lines.push(
      "",
      "Our own hypotheses (studies of questions the papers leave open; not claims of any paper, not counted above):",
      "",
      ...table(ours),
      "",
      tally(ours, "hypotheses"),
    );
  lines.push(
    "",
    "Each part compares two arms over seeds (paired where the protocol trains both from the same initialisation and batches) " +
      "or one arm against a stated value; the interval is the envelope of the t (or Welch, or F) 95% interval and a seeded BCa bootstrap " +
      "over seeds (10,000 resamples). holds: the interval lies beyond the margin on the claimed side; contradicted: on the other side; " +
      "inconclusive: it straddles the margin, or fewer than 3 seeds ran; not testable: a stated precondition fails (a ceiling, a dataset not run).",
  );
  if (card.missing.length)
    lines.push(
      "",
      "Not in the table: " + card.missing.map((m) => `\`${m.experiment}\` (${m.reason})`).join(", ") + ".",
    );
  return lines.join("\n") + "\n";
}

/**
 * Gathers every experiment's claims ({@link collectClaims}) and writes `<resultsRoot>/claims.json`
 * (`{ version, writtenAt, rows, missing }`) and `<resultsRoot>/claims.md` ({@link scorecardMarkdown}), atomically.
 * @returns the scorecard and the two paths.
 */
export function writeScorecard(
  resultsRoot: string,
  ids: readonly string[],
): Scorecard & { json: string; markdown: string } {
  const card = collectClaims(resultsRoot, ids);
  const json = path.join(resultsRoot, "claims.json"),
    markdown = path.join(resultsRoot, "claims.md");
  writeJsonAtomic(json, { version: VERSION, writtenAt: new Date().toISOString(), ...card });
  writeFileAtomic(
    markdown,
    "# Scorecard: the papers' claims checked by qnn-kd\n\nGenerated by `npm run reproduce` (or `qnn-kd claims`) from each " +
      "experiment's `claims.json`.\n\n" +
      scorecardMarkdown(card),
  );
  return { ...card, json, markdown };
}
