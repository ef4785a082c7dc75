/**
 * Paper claims and the project's scorecard.
 *
 * Each experiment checks the papers' claims in measurable parts ({@link ClaimPart}: the claim, the part checked,
 * our numbers, a verdict), at the paper's settings ("defaults") and for any variant of ours. {@link claimRecords}
 * folds the parts into one {@link ClaimRecord} per claim with its status — `"holds"` (every part holds at the
 * defaults), `"holds with variant"` (every part holds for a named variant), `"does not hold"` — over how many
 * seeds, and the numbers behind it. Each notebook writes its records to `<results>/<id>/claims.json` with
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

/** One checked part of a paper claim (as every experiment's claim checker returns them). */
export interface ClaimPart {
  /** Student depth the part is about, where the claims are per depth. */
  nLayers?: number;
  /** The paper's claim, in words (parts of one claim share this text). */
  claim: string;
  /** The measurable part checked here, in words. */
  test: string;
  /** Our numbers, in words. */
  ours: string;
  /** Whether our numbers agree with this part. */
  holds: boolean;
}

/** Status of a claim at the paper's settings, see the module doc. */
export const CLAIM_STATUSES = ["holds", "holds with variant", "does not hold"] as const;
/** One of {@link CLAIM_STATUSES}. */
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** One paper claim with its verdict: the unit of `claims.json` and of the scorecard. */
export interface ClaimRecord {
  /** The paper, e.g. "Yan et al.". */
  paper: string;
  /** Its table or figure, e.g. "Table 1", "Fig. 4". */
  figure: string;
  /** The claim in one line. */
  claim: string;
  /** See {@link ClaimStatus}. */
  status: ClaimStatus;
  /** The variant under which the claim holds (status "holds with variant"), else null. */
  variant: string | null;
  /** Seeds the verdict is over (the parts compare means over these seeds when more than one). */
  nSeeds: number;
  /** The numbers behind the verdict, in words: each part's numbers at the defaults, then for each variant. */
  numbers: string;
  /** The checked parts, per setting ("defaults" or a variant name). */
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
  /** Seeds behind the checks (≥ 1). */
  nSeeds: number;
  /** The parts checked at the paper's settings (our defaults). */
  checks: readonly ClaimPart[];
  /** The same claims checked for variants of ours, in order of preference. @defaultValue [] */
  variants?: readonly { name: string; checks: readonly ClaimPart[] }[];
}

/**
 * One {@link ClaimRecord} per distinct claim text of `checks` (in order of first appearance): "holds" when every
 * part holds at the defaults, else "holds with variant" for the first variant whose parts of that claim all hold,
 * else "does not hold". A claim with no part in a variant's checks is not judged for that variant.
 * @throws Error for nSeeds < 1, an empty paper or figure, or no checks (quoted).
 */
export function claimRecords(o: ClaimRecordsOptions): ClaimRecord[] {
  const where = "claimRecords";
  if (!Number.isInteger(o.nSeeds) || o.nSeeds < 1) throw new Error(`${where}: nSeeds must be a positive integer, got ${String(o.nSeeds)}`);
  if (!o.paper || !o.figure) throw new Error(`${where}: paper and figure are required, got ${JSON.stringify({ paper: o.paper, figure: o.figure })}`);
  if (!Array.isArray(o.checks) || o.checks.length === 0) throw new Error(`${where}: checks must be a non-empty array of claim parts`);
  const variants = o.variants ?? [];
  const numbers = (ps: readonly ClaimPart[]) => ps.map((p) => (p.nLayers !== undefined ? `${p.nLayers} L: ` : "") + p.ours).join("; ");
  return [...new Set(o.checks.map((c) => c.claim))].map((claim) => {
    const mine = o.checks.filter((c) => c.claim === claim);
    const parts: ClaimRecord["parts"] = mine.map((p) => ({ ...p, setting: "defaults" }));
    for (const v of variants) parts.push(...v.checks.filter((c) => c.claim === claim).map((p) => ({ ...p, setting: v.name })));
    let status: ClaimStatus = "does not hold", variant: string | null = null;
    if (mine.every((p) => p.holds)) status = "holds";
    else {
      const v = variants.find((x) => {
        const ps = x.checks.filter((c) => c.claim === claim);
        return ps.length > 0 && ps.every((p) => p.holds);
      });
      if (v) [status, variant] = ["holds with variant", v.name];
    }
    const text = [`defaults: ${numbers(mine)}`, ...variants.map((v) => [v.name, parts.filter((p) => p.setting === v.name)] as const)
      .filter(([, ps]) => ps.length > 0).map(([name, ps]) => `${name}: ${numbers(ps)}`)].join(" | ");
    return { paper: o.paper, figure: o.figure, claim, status, variant, nSeeds: o.nSeeds, numbers: text, parts };
  });
}

/**
 * Writes `<resultsDir>/claims.json` ({@link ClaimsFile}) atomically and returns its path.
 * @throws Error for a record with a missing field or an unknown status (quoted).
 */
export function writeClaims(resultsDir: string, experiment: string, claims: readonly ClaimRecord[], run: { quick: boolean; nSeeds: number; details?: unknown }): string {
  for (const c of claims) checkRecord(`writeClaims(${experiment})`, c);
  const file = path.join(resultsDir, "claims.json");
  const content: ClaimsFile = {
    experiment, version: VERSION, quick: run.quick, nSeeds: run.nSeeds, writtenAt: new Date().toISOString(), claims: [...claims],
    ...(run.details !== undefined ? { details: run.details } : {}),
  };
  writeJsonAtomic(file, content);
  return file;
}

function checkRecord(where: string, c: ClaimRecord): void {
  for (const k of ["paper", "figure", "claim", "numbers"] as const) {
    if (typeof c[k] !== "string" || c[k].length === 0) throw new Error(`${where}: claim record lacks "${k}": ${JSON.stringify(c).slice(0, 200)}`);
  }
  if (!CLAIM_STATUSES.includes(c.status)) throw new Error(`${where}: status must be one of ${JSON.stringify(CLAIM_STATUSES)}, got ${JSON.stringify(c.status)}`);
  if (!Number.isInteger(c.nSeeds) || c.nSeeds < 1) throw new Error(`${where}: nSeeds must be a positive integer, got ${String(c.nSeeds)}`);
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
    for (const c of f.claims) rows.push({ ...c, experiment: id, quick: f.quick === true, writtenAt: String(f.writtenAt ?? "") });
  }
  return { rows, missing };
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

/** The scorecard as a Markdown table (paper, figure, claim, status, seeds, numbers, run) plus the missing runs. */
export function scorecardMarkdown(card: Scorecard): string {
  const status = (r: ScorecardRow) => (r.status === "holds with variant" ? `holds with variant ${r.variant}` : r.status);
  const lines = [
    "| paper | figure / table | claim | status at the paper's settings | seeds | numbers | run |",
    "|---|---|---|---|---|---|---|",
    ...card.rows.map((r) => `| ${cell(r.paper)} | ${cell(r.figure)} | ${cell(r.claim)} | **${status(r)}** | ${r.nSeeds} | ${cell(r.numbers)} | ` +
      `\`${r.experiment}\`${r.quick ? " (quick mode: not the paper's settings)" : ""}, ${r.writtenAt.slice(0, 10)} |`),
  ];
  const n = (s: ClaimStatus) => card.rows.filter((r) => r.status === s).length;
  lines.push("", `${card.rows.length} claims: ${n("holds")} hold, ${n("holds with variant")} hold only with a variant, ${n("does not hold")} do not hold.`);
  if (card.missing.length) lines.push("", "Not in the table: " + card.missing.map((m) => `\`${m.experiment}\` (${m.reason})`).join(", ") + ".");
  return lines.join("\n") + "\n";
}

/**
 * Gathers every experiment's claims ({@link collectClaims}) and writes `<resultsRoot>/claims.json`
 * (`{ version, writtenAt, rows, missing }`) and `<resultsRoot>/claims.md` ({@link scorecardMarkdown}), atomically.
 * @returns the scorecard and the two paths.
 */
export function writeScorecard(resultsRoot: string, ids: readonly string[]): Scorecard & { json: string; markdown: string } {
  const card = collectClaims(resultsRoot, ids);
  const json = path.join(resultsRoot, "claims.json"), markdown = path.join(resultsRoot, "claims.md");
  writeJsonAtomic(json, { version: VERSION, writtenAt: new Date().toISOString(), ...card });
  writeFileAtomic(markdown, "# Scorecard: the papers' claims checked by qnn-kd\n\nGenerated by `npm run reproduce` from each experiment's " +
    "`claims.json`.\n\n" + scorecardMarkdown(card));
  return { ...card, json, markdown };
}
