/**
 * The cross-architecture study, the hypotheses: {@link CROSS_HYPOTHESES} (ours, not any paper's claims) checked by the
 * verdict engine over seeds, the per-student table and the points of the compression figure. The study's module doc
 * is `experiment.ts`; the tests are fixed in `docs/PARAMS.md`, "The cross-architecture study".
 *
 * @packageDocumentation
 */
import type { ResultRow } from "../results";
import { claimRecords, type ClaimRecord } from "../claims";
import { DEFAULTS_SETTING, rowsOf } from "../readings";
import { type ClaimPart, pairedPart, seedValues, unpairedPart } from "../verdicts";
import { formatInterval, formatMeanStd } from "../../util/format";
import { meanStd } from "../seeds";
import { CROSS_SETTINGS, type CrossSetting } from "./config";

/** Where the study's statements come from, for the scorecard: hypotheses of the project (`kind: "hypothesis"`). */
export const CROSS_SOURCE = Object.freeze({
  paper: "qnn-kd cross-architecture study (after Yan et al. Sec. IV)",
  figure: "open question: distilling into another shape",
  kind: "hypothesis" as const,
});

/** The study's hypotheses (docs/PARAMS.md), as checkable statements. */
export const CROSS_HYPOTHESES = Object.freeze({
  asMuch:
    "KD helps a student of another shape (QCNN, TTN) as much as a hardware-efficient student of the teacher's shape",
  qcnnBeats: "at equal parameter count a QCNN student beats a shallow hardware-efficient one",
  noise:
    "under depolarising noise a QCNN student keeps more of its accuracy than the hardware-efficient student of equal parameter count",
});

/** Non-inferiority margin of {@link CROSS_HYPOTHESES.asMuch}: no worse than 1 point below (accuracy points). */
export const AS_MUCH_MARGIN = -1;

/** One student of a setting as its rows describe it. */
export interface CrossStudentInfo {
  /** `hea-L<n>` or a shape. */
  student: string;
  model: string;
  architecture: string;
  nParams: number;
  twoQubitGates: number;
  depth: number;
}

const FINAL = "test accuracy (%) at the last iteration";

/** The rows of one setting and variant (`variant` undefined: the defaults). */
function settingRows(rows: readonly ResultRow[], setting: CrossSetting, variant?: string): ResultRow[] {
  return rowsOf(rows, variant ?? DEFAULTS_SETTING).filter((r) => r.setting === setting);
}

/** The noiseless students of a setting's rows, in row order, with their sizes. */
export function crossStudentsOf(rows: readonly ResultRow[]): CrossStudentInfo[] {
  const out: CrossStudentInfo[] = [];
  for (const r of rows) {
    if (r.role !== "student" || r.p !== null || out.some((s) => s.student === r.student)) continue;
    out.push({
      student: r.student as string,
      model: r.model,
      architecture: r.architecture as string,
      nParams: r.nParams as number,
      twoQubitGates: r.twoQubitGates as number,
      depth: r.depth as number,
    });
  }
  return out;
}

/**
 * The hardware-efficient student whose parameter count is nearest `nParams` (ties: the larger), the comparator of
 * every hypothesis. @throws Error when the rows have no hardware-efficient student.
 */
export function nearestHardwareEfficient(students: readonly CrossStudentInfo[], nParams: number): CrossStudentInfo {
  const hea = students.filter((s) => s.architecture === "hardware-efficient");
  if (hea.length === 0) throw new Error("nearestHardwareEfficient: no hardware-efficient student in the rows");
  return hea.reduce((best, s) => {
    const d = Math.abs(s.nParams - nParams),
      db = Math.abs(best.nParams - nParams);
    return d < db || (d === db && s.nParams > best.nParams) ? s : best;
  });
}

/** A student's test accuracy per seed (noise p, null: noiseless), without or with KD. */
function arm(rows: readonly ResultRow[], student: string, kd: boolean, p: number | null = null) {
  return seedValues(
    rows,
    (r) => r.student === student && r.kd === kd && r.p === p,
    (r) => r.testAccuracy,
  );
}

/** Per-seed differences a − b of two arms (seeds of a missing in b are dropped). */
function diff(a: ReturnType<typeof arm>, b: ReturnType<typeof arm>) {
  const bBy = new Map(b.map((x) => [x.seed, x.value]));
  return a.filter((x) => bBy.has(x.seed)).map((x) => ({ seed: x.seed, value: x.value - (bBy.get(x.seed) as number) }));
}

/**
 * Checks {@link CROSS_HYPOTHESES} on the rows of every seed (one variant; undefined: the defaults), per setting
 * present in the rows:
 * - asMuch, per student S of another shape: KD gain of S − KD gain of the hardware-efficient student nearest in
 *   parameters (per-seed gains, unpaired: Welch), > {@link AS_MUCH_MARGIN} points;
 * - qcnnBeats: `qcnn` − the nearest hardware-efficient student, test accuracy, without and with KD (unpaired), > 0;
 * - noise (settings with noisy rows): at the largest p, the accuracy drop (noiseless − noisy, per seed) of `qcnn` −
 *   that of the nearest hardware-efficient student, without and with KD (unpaired), < 0.
 * @returns the parts, each labelled with its setting in `test`.
 */
export function checkCrossHypotheses(rows: readonly ResultRow[], variant?: string): ClaimPart[] {
  const parts: ClaimPart[] = [];
  for (const setting of CROSS_SETTINGS) {
    const mine = settingRows(rows, setting, variant);
    if (mine.length === 0) continue;
    const students = crossStudentsOf(mine);
    const tag = `(${setting}, ${mine.find((r) => r.role === "teacher")?.nQubits ?? "?"} qubits)`;
    const gain = (s: string) => diff(arm(mine, s, true), arm(mine, s, false));
    for (const s of students.filter((x) => x.architecture !== "hardware-efficient")) {
      const c = nearestHardwareEfficient(students, s.nParams);
      parts.push(
        unpairedPart({
          claim: CROSS_HYPOTHESES.asMuch,
          test: `${tag} KD gain of ${s.model} (${s.nParams} parameters) − KD gain of ${c.model} (${c.nParams}) > ${AS_MUCH_MARGIN} point`,
          measure: `${FINAL}: per seed KD − no KD of each student (paired within a student), the two students' gains compared unpaired (Welch)`,
          unit: "accuracy points",
          scale: 100,
          a: gain(s.student),
          b: gain(c.student),
          direction: { kind: "greater", margin: AS_MUCH_MARGIN },
          labels: [`${s.student} gain`, `${c.student} gain`],
          levelUnit: "accuracy points",
        }),
      );
    }
    const q = students.find((x) => x.student === "qcnn");
    if (!q) continue;
    const c = nearestHardwareEfficient(students, q.nParams);
    for (const kd of [false, true]) {
      parts.push(
        unpairedPart({
          claim: CROSS_HYPOTHESES.qcnnBeats,
          test: `${tag} QCNN (${q.nParams} parameters) − ${c.model} (${c.nParams}) > 0 points, ${kd ? "with" : "without"} KD`,
          measure: `${FINAL}, ${kd ? "with" : "without"} KD (different models: unpaired, Welch)`,
          unit: "accuracy points",
          scale: 100,
          a: arm(mine, "qcnn", kd),
          b: arm(mine, c.student, kd),
          direction: { kind: "greater", margin: 0 },
          labels: ["QCNN", c.student],
          levelUnit: "accuracy (%)",
        }),
      );
    }
    const levels = [...new Set(mine.filter((r) => r.p !== null).map((r) => r.p as number))].sort((a, b) => a - b);
    if (levels.length === 0) continue;
    const pMax = levels[levels.length - 1];
    for (const kd of [false, true]) {
      const drop = (s: string) => diff(arm(mine, s, kd), arm(mine, s, kd, pMax));
      parts.push(
        unpairedPart({
          claim: CROSS_HYPOTHESES.noise,
          test: `${tag} at p = ${pMax}: accuracy drop of the QCNN − drop of ${c.model} < 0 points, ${kd ? "with" : "without"} KD`,
          measure: `${FINAL}: per seed, the student's noiseless accuracy minus its accuracy trained and tested at p = ${pMax} (same initialisation), compared unpaired`,
          unit: "accuracy points",
          scale: 100,
          a: drop("qcnn"),
          b: drop(c.student),
          direction: { kind: "less", margin: 0 },
          labels: ["QCNN drop", `${c.student} drop`],
          levelUnit: "accuracy points",
        }),
      );
    }
  }
  return parts;
}

/**
 * The study's records (what the notebook writes to `claims.json`): {@link CROSS_HYPOTHESES} at the defaults and, as
 * variants, at each reading present in the rows (`variant` ≠ "defaults").
 */
export function crossClaimRecords(rows: readonly ResultRow[]): ClaimRecord[] {
  const variants = [...new Set(rows.map((r) => (r.variant as string | undefined) ?? DEFAULTS_SETTING))].filter(
    (v) => v !== DEFAULTS_SETTING,
  );
  return claimRecords({
    ...CROSS_SOURCE,
    checks: checkCrossHypotheses(rows),
    variants: variants.map((name) => ({ name, checks: checkCrossHypotheses(rows, name) })),
  });
}

/** One row of {@link crossTable}. */
export type CrossTableRow = {
  student: string;
  architecture: string;
  parameters: number;
  "two-qubit gates": number;
  depth: number;
  "no KD (%)": string;
  "KD (%)": string;
  "KD − no KD (points, 95% interval)": string;
};

/**
 * The per-student table of a setting (one variant; noise p, null: noiseless): sizes, test accuracy at the last
 * iteration as mean ± sample std over seeds, and the paired KD − no KD with its 95% interval (verdict engine).
 */
export function crossTable(
  rows: readonly ResultRow[],
  setting: CrossSetting,
  opts: { variant?: string; p?: number | null } = {},
): CrossTableRow[] {
  const mine = settingRows(rows, setting, opts.variant);
  const p = opts.p ?? null;
  const pct = (v: ReturnType<typeof arm>) => {
    const m = meanStd(v.map((x) => 100 * x.value));
    return formatMeanStd(m.mean, m.std, "accuracy (%)", m.n);
  };
  const out: CrossTableRow[] = [];
  const teacher = seedValues(
    mine,
    (r) => r.role === "teacher",
    (r) => r.testAccuracy,
  );
  const t = mine.find((r) => r.role === "teacher");
  if (t && p === null)
    out.push({
      student: `teacher (${t.nQubits} × ${t.nLayers})`,
      architecture: "hardware-efficient",
      parameters: t.nParams as number,
      "two-qubit gates": t.twoQubitGates as number,
      depth: t.depth as number,
      "no KD (%)": pct(teacher),
      "KD (%)": "",
      "KD − no KD (points, 95% interval)": "",
    });
  for (const s of crossStudentsOf(mine)) {
    const a = arm(mine, s.student, true, p),
      b = arm(mine, s.student, false, p);
    if (a.length === 0) continue;
    const part = pairedPart({
      claim: "KD − no KD",
      test: `KD − no KD, ${s.student}`,
      measure: FINAL,
      unit: "accuracy points",
      scale: 100,
      a,
      b,
      direction: { kind: "greater", margin: 0 },
    });
    const e = part.effect;
    out.push({
      student: s.model,
      architecture: s.architecture,
      parameters: s.nParams,
      "two-qubit gates": s.twoQubitGates,
      depth: s.depth,
      "no KD (%)": pct(b),
      "KD (%)": pct(a),
      "KD − no KD (points, 95% interval)": e ? formatInterval(e.estimate, e.ciLow, e.ciHigh, "accuracy points") : "",
    });
  }
  return out;
}

/** One point of the compression figure: a student's mean test accuracy against its size. */
export interface CompressionPoint {
  setting: CrossSetting;
  student: string;
  model: string;
  architecture: string;
  kd: boolean;
  nParams: number;
  twoQubitGates: number;
  /** Mean test accuracy (%) at the last iteration over seeds, its sample std and the seed count. */
  mean: number;
  std: number;
  n: number;
}

/** The points of the compression figure: every noiseless student of every setting, without and with KD. */
export function compressionPoints(rows: readonly ResultRow[], variant?: string): CompressionPoint[] {
  const out: CompressionPoint[] = [];
  for (const setting of CROSS_SETTINGS) {
    const mine = settingRows(rows, setting, variant);
    for (const s of crossStudentsOf(mine)) {
      for (const kd of [false, true]) {
        const v = arm(mine, s.student, kd);
        if (v.length === 0) continue;
        const m = meanStd(v.map((x) => 100 * x.value));
        out.push({ setting, ...s, kd, mean: m.mean, std: m.std, n: m.n });
      }
    }
  }
  return out;
}
