/**
 * Claims from a finished run's `results.json`: each experiment's claim records are a function of its result rows
 * (all seeds) and settings, the same function its notebook calls before `writeClaims`. {@link rescoreExperiment}
 * recomputes `claims.json` from `results.json` without training anything — after a change of the verdict rules, or
 * to decide a run whose seeds were trained by an earlier version of the notebook (the rows are the same).
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import * as path from "path";
import { ClaimRecord, writeClaims } from "./claims";
import { ResultRow, ResultsFile } from "./results";
import { table1ClaimRecords } from "./yan/table1";
import { fig4ClaimRecords } from "./yan/fig4";
import { fig5ClaimRecords } from "./yan/fig5";
import { fig6ClaimRecords } from "./yan/fig6";
import { pipernoClaimRecords } from "./piperno/experiment";
import { hasanClaimRecords, HASAN_DATASETS, HasanDataset } from "./hasan/experiment";
import { noisyClaimRecords, noisyTeacherConfig, NOISY_DEFAULTS, NoisyTeacherConfig } from "./noisyTeacher/experiment";

/** How each experiment's claim records follow from its rows and settings (the registry's ids). */
export const CLAIMS_FROM_RESULTS: Readonly<
  Record<string, (rows: readonly ResultRow[], settings: Record<string, unknown>) => ClaimRecord[]>
> = Object.freeze({
  table1: (rows) => table1ClaimRecords(rows),
  fig4: (rows) => fig4ClaimRecords(rows),
  fig5: (rows) => fig5ClaimRecords(rows),
  fig6: (rows) => fig6ClaimRecords(rows),
  piperno: (rows) => pipernoClaimRecords(rows),
  hasan: (rows, s) =>
    hasanClaimRecords(
      {
        ablationTeacher: s.ablationTeacher as never,
        ...(Array.isArray(s.datasets)
          ? { datasets: s.datasets.filter((d): d is HasanDataset => HASAN_DATASETS.includes(d as HasanDataset)) }
          : {}),
      },
      rows,
    ),
  "noisy-teacher": (rows, s) => {
    const known = Object.fromEntries(
      Object.keys(NOISY_DEFAULTS)
        .filter((k) => k in s)
        .map((k) => [k, s[k]]),
    ) as Partial<NoisyTeacherConfig>;
    return noisyClaimRecords(noisyTeacherConfig(known, s.quick === true), rows);
  },
});

/**
 * Recomputes `<resultsRoot>/<id>/claims.json` from `<resultsRoot>/<id>/results.json` with the current checkers,
 * atomically; the file's `details` say it was rescored, from which results file.
 * @returns the path written and the records.
 * @throws Error for an id without a claim function (listing the known ones), a missing or unreadable results file,
 *   or any error of the checker (quoted with the file).
 */
export function rescoreExperiment(resultsRoot: string, id: string): { file: string; records: ClaimRecord[] } {
  const fn = CLAIMS_FROM_RESULTS[id];
  if (!fn)
    throw new Error(
      `rescoreExperiment: no claims for experiment ${JSON.stringify(id)}; known: ${Object.keys(CLAIMS_FROM_RESULTS)
        .map((k) => JSON.stringify(k))
        .join(", ")}`,
    );
  const dir = path.join(resultsRoot, id),
    src = path.join(dir, "results.json");
  if (!fs.existsSync(src))
    throw new Error(`rescoreExperiment: ${src} does not exist (run \`npm run reproduce -- ${id}\` first)`);
  let f: ResultsFile;
  try {
    f = JSON.parse(fs.readFileSync(src, "utf8")) as ResultsFile;
    if (!Array.isArray(f.rows)) throw new Error("no rows array");
  } catch (e) {
    throw new Error(`rescoreExperiment: cannot read ${src}: ${(e as Error).message}`);
  }
  const settings = (f.settings ?? {}) as Record<string, unknown>;
  let records: ClaimRecord[];
  try {
    records = fn(f.rows, settings);
  } catch (e) {
    throw new Error(`rescoreExperiment(${id}): ${(e as Error).message} (rows of ${src})`);
  }
  const seeds = new Set(f.rows.map((r) => r.seed));
  const file = writeClaims(dir, id, records, {
    quick: settings.quick === true,
    nSeeds: seeds.size,
    details: {
      rescoredFrom: src,
      resultsVersion: f.version ?? null,
      resultsWrittenAt: (f as { writtenAt?: string }).writtenAt ?? null,
    },
  });
  return { file, records };
}
