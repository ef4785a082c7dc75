/**
 * The noisy-teacher study, the hypotheses (ours, not a paper's): the noise curves over seeds and the checks of the
 * verdict engine.
 *
 * @packageDocumentation
 */
import { ResultRow } from "../results";
import { ClaimPart, Direction, SeedValues, notAtCeiling, pairedPart, seedValues, untestablePart } from "../verdicts";
import { mean, sampleVariance } from "../intervals";
import { claimRecords, ClaimRecord } from "../claims";
import { Unit, formatMeanStd } from "../../util/format";
import { groupMeanStd, MeanStd } from "../seeds";
import { NoisyTeacherConfig, teacherLabel } from "./config";
import { UNIFORM_TARGET } from "./run";

/** A fraction's mean ± std over seeds in percent ("97.4 ± 1.6"; the mean alone for one seed), by the one formatter. */
function percentMeanStd(m: MeanStd): string {
  return formatMeanStd(100 * m.mean, 100 * m.std, "accuracy (%)", m.n).replace(/%$/, "");
}

/** One line of {@link noiseCurves}: mean ± std over seeds of a model's test accuracy at each noise level. */
export interface NoiseCurve {
  experiment: string;
  /** e.g. "teacher 7×2", "KD from teacher 7×6", "no KD". */
  name: string;
  /** Per noise level (the config's order): mean ± std, or null where the curve has no row. */
  points: (MeanStd | null)[];
}

/** The curves of each part (module doc) over seeds, for tables and figures. */
export function noiseCurves(cfg: NoisyTeacherConfig, rows: readonly ResultRow[]): NoiseCurve[] {
  const key = (r: ResultRow) => {
    if (r.experiment === "teachers") return null;
    const who = r.role === "teacher" ? r.model : r.kd ? `KD from ${r.teacher}` : "no KD";
    return `${r.experiment}|${who}|${r.p ?? "base"}`;
  };
  const stats = groupMeanStd(rows, key, (r) => r.testAccuracy);
  const curves: NoiseCurve[] = [];
  const add = (experiment: string, name: string, base = false) => {
    const points = cfg.noiseLevels.map((p) => stats.get(`${experiment}|${name}|${base ? "base" : p}`) ?? null);
    if (points.some((x) => x)) curves.push({ experiment, name, points });
  };
  const teacherNames = [teacherLabel(cfg, cfg.teacherLayers), teacherLabel(cfg, cfg.largeTeacherLayers)];
  for (const t of teacherNames) add("noisy-teacher", t);
  for (const t of teacherNames) add("noisy-teacher", `KD from ${t}`);
  add("noisy-teacher", "no KD", true);
  add("noisy-teacher", `KD from ${UNIFORM_TARGET}`, true);
  add("noisy-student", "no KD");
  add("noisy-student", `KD from ${teacherNames[0]}`);
  // robustness: p = noiseLevels[0] is the students' own (part 3) accuracy
  for (const name of ["no KD", `KD from ${teacherNames[0]}`]) {
    const own = stats.get(`noisy-student|${name}|${cfg.noiseLevels[0]}`) ?? null;
    const points = cfg.noiseLevels.map((p, i) => (i === 0 ? own : (stats.get(`robustness|${name}|${p}`) ?? null)));
    if (points.some((x) => x)) curves.push({ experiment: "robustness", name, points });
  }
  return curves;
}

/**
 * Where the experiment's statements come from, for the scorecard: OUR hypotheses on the open question of Yan et al.
 * Sec. IV, not claims of any paper (`claimRecords({ ...NOISY_SOURCE, checks })` marks them `kind: "hypothesis"`).
 */
export const NOISY_SOURCE = Object.freeze({
  paper: "qnn-kd noisy-teacher study (after Yan et al. Sec. IV)",
  figure: "Sec. IV open question",
  kind: "hypothesis" as const,
});

/** Our hypotheses on the open question of Sec. IV, as checkable statements (not claims of the paper). */
export const NOISY_CLAIMS = Object.freeze({
  teaches: "a noisy teacher still teaches: at the largest noise level, KD from it beats the student without KD",
  knowledge:
    "what the noisy teacher passes on is more than regularisation: at the largest noise level, KD from it beats KD towards a uniform target",
  large: "a larger (deeper) noisy teacher teaches no worse than the small one at the largest noise level",
  robust:
    "KD makes a student robust to noise: trained without noise, the KD student loses less accuracy at the largest noise level",
  noisyTraining: "a student trained on the noisy device gains from KD (clean teacher) at the largest noise level",
});

/**
 * Checks the hypotheses {@link NOISY_CLAIMS} over the rows of all seeds at the largest noise level p_max, with the
 * verdict engine (`verdicts.ts`): every part is a {@link pairedPart} in accuracy points, paired by seed, because every
 * student of a seed is the same 7 × 1 spec from the same initialisation and batch stream, whatever its target.
 * - teaches (per teacher, small and large): KD from the teacher run at p_max − no KD > 0;
 * - knowledge (per teacher): KD from the teacher run at p_max − KD towards a uniform target > 0;
 * - large: KD from the large teacher − KD from the small one > −1 point (no worse than 1 point below);
 * - robust: the accuracy drop of the students trained at p = noiseLevels[0] (their own accuracy there minus their
 *   accuracy run at p_max), no KD's drop − KD's drop > 0;
 * - noisyTraining: KD (clean small teacher) − no KD, both trained on the device at p_max, > 0.
 * The parts that claim a gain (teaches, knowledge, noisyTraining) are not testable when both arms sit at the
 * accuracy ceiling. The old rule (a difference of seed means counted above a 1-point margin and its standard error)
 * is gone: the engine's 95% intervals over seeds decide (holds / contradicted / inconclusive / not testable; fewer
 * than 3 seeds are always inconclusive). A part whose rows are missing (e.g. robustness with one noise level) is not
 * testable.
 * @throws Error when the arms of a part do not have the same seeds (a broken run).
 */
export function checkNoisyClaims(cfg: NoisyTeacherConfig, rows: readonly ResultRow[]): ClaimPart[] {
  const p0 = cfg.noiseLevels[0],
    pMax = cfg.noiseLevels[cfg.noiseLevels.length - 1];
  const small = teacherLabel(cfg, cfg.teacherLayers),
    large = teacherLabel(cfg, cfg.largeTeacherLayers);
  const student = (experiment: string, kd: boolean, p: number | null, teacher: string | null) =>
    seedValues(
      rows,
      (r) =>
        r.experiment === experiment &&
        r.role === "student" &&
        r.kd === kd &&
        (r.p ?? null) === p &&
        (teacher === null || r.teacher === teacher),
      (r) => r.testAccuracy,
    );
  const base = student("noisy-teacher", false, null, null),
    uniform = student("noisy-teacher", true, null, UNIFORM_TARGET);
  const kdFrom = {
    [small]: student("noisy-teacher", true, pMax, small),
    [large]: student("noisy-teacher", true, pMax, large),
  };
  const unit = "accuracy points" as const,
    greater0 = { kind: "greater" as const, margin: 0 };
  const paired = (o: {
    claim: string;
    test: string;
    measure: string;
    a: SeedValues;
    b: SeedValues;
    labels: [string, string];
    direction?: Direction;
    gain?: boolean;
    levelUnit?: Unit;
    missing: string;
  }): ClaimPart => {
    const common = { claim: o.claim, test: o.test, measure: o.measure, unit, scale: 100 };
    if (o.a.length === 0 || o.b.length === 0) return untestablePart({ ...common, reason: `no rows of ${o.missing}` });
    return pairedPart({
      ...common,
      a: o.a,
      b: o.b,
      direction: o.direction ?? greater0,
      labels: o.labels,
      levelUnit: o.levelUnit ?? "accuracy (%)",
      ...(o.gain ? { precondition: notAtCeiling(o.a, o.b, "test accuracy") } : {}),
    });
  };
  const out: ClaimPart[] = [];
  for (const t of [small, large]) {
    out.push(
      paired({
        claim: NOISY_CLAIMS.teaches,
        test: `KD from ${t} run at p = ${pMax} − no KD > 0 points`,
        measure: `final test accuracy (%) of the clean 7×1 student, KD from ${t} run at p = ${pMax} − no KD, per seed`,
        a: kdFrom[t],
        b: base,
        labels: [`KD from ${t}`, "no KD"],
        gain: true,
        missing: `the student distilled from ${t} at p = ${pMax} or the student without KD`,
      }),
    );
  }
  for (const t of [small, large]) {
    out.push(
      paired({
        claim: NOISY_CLAIMS.knowledge,
        test: `KD from ${t} run at p = ${pMax} − KD towards a uniform target > 0 points`,
        measure: `final test accuracy (%) of the clean 7×1 student, KD from ${t} run at p = ${pMax} − KD towards a uniform target, per seed`,
        a: kdFrom[t],
        b: uniform,
        labels: [`KD from ${t}`, UNIFORM_TARGET],
        gain: true,
        missing: `the student distilled from ${t} at p = ${pMax} or the uniform-target control`,
      }),
    );
  }
  const largePart = paired({
    claim: NOISY_CLAIMS.large,
    test: `KD from ${large} − KD from ${small}, both run at p = ${pMax}, > −1 point`,
    measure: `final test accuracy (%) of the clean 7×1 student, KD from ${large} − KD from ${small}, both teachers run at p = ${pMax}, per seed`,
    a: kdFrom[large],
    b: kdFrom[small],
    labels: [`KD from ${large}`, `KD from ${small}`],
    direction: { kind: "greater", margin: -1 },
    missing: `the students distilled from the teachers at p = ${pMax}`,
  });
  const teacherAt = (t: string) =>
    rows
      .filter(
        (r) =>
          r.experiment === "noisy-teacher" &&
          r.role === "teacher" &&
          r.model === t &&
          r.p === pMax &&
          r.testAccuracy !== null,
      )
      .map((r) => 100 * (r.testAccuracy as number));
  const tText = (t: string) => {
    const v = teacherAt(t);
    return v.length
      ? `${t} ${formatMeanStd(mean(v), Math.sqrt(sampleVariance(v)), "accuracy (%)", v.length)}`
      : `${t} n/a`;
  };
  out.push(
    largePart.effect
      ? { ...largePart, ours: `${largePart.ours} (the teachers at p = ${pMax}: ${tText(large)}, ${tText(small)})` }
      : largePart,
  );
  // robustness: the students trained at p0 (part 3's rows at p0), run at p_max (the robustness rows)
  const drops = (kd: boolean): SeedValues => {
    const own = new Map(student("noisy-student", kd, p0, kd ? small : null).map((x) => [x.seed, x.value]));
    return student("robustness", kd, pMax, kd ? small : null)
      .filter((x) => own.has(x.seed))
      .map((x) => ({ seed: x.seed, value: (own.get(x.seed) as number) - x.value }));
  };
  out.push(
    pMax === p0
      ? untestablePart({
          claim: NOISY_CLAIMS.robust,
          test: "no-KD drop − KD drop > 0 points",
          measure: `accuracy drop (points) of the 7×1 students trained at p = ${p0}`,
          unit,
          reason: `one noise level (p = ${p0}): no drop to compare`,
        })
      : paired({
          claim: NOISY_CLAIMS.robust,
          test: `accuracy drop p = ${p0} → ${pMax}: no KD's − KD's > 0 points`,
          measure: `accuracy drop (points) of the 7×1 students trained at p = ${p0}: test accuracy run at p = ${p0} minus run at p = ${pMax}; no KD's drop − KD's drop (KD from ${small}), per seed`,
          a: drops(false),
          b: drops(true),
          labels: ["no-KD drop", "KD drop"],
          levelUnit: "accuracy points",
          missing: `the students trained at p = ${p0} and run at p = ${pMax}`,
        }),
  );
  out.push(
    paired({
      claim: NOISY_CLAIMS.noisyTraining,
      test: `KD − no KD > 0 points, both trained on the device at p = ${pMax}`,
      measure: `final test accuracy (%) of the 7×1 student trained at p = ${pMax}, KD from the clean ${small} − no KD, per seed`,
      a: student("noisy-student", true, pMax, small),
      b: student("noisy-student", false, pMax, null),
      labels: [`KD from ${small}`, "no KD"],
      gain: true,
      missing: `the students trained at p = ${pMax}`,
    }),
  );
  return out;
}

/**
 * The curves of one part as table rows: `model`, then one column `p = <p>` per noise level holding the test
 * accuracy in percent as "mean ± std" over seeds ("" where the curve has no point).
 */
export function noiseCurveRows(
  cfg: NoisyTeacherConfig,
  curves: readonly NoiseCurve[],
  experiment: string,
): Record<string, string>[] {
  return curves
    .filter((c) => c.experiment === experiment)
    .map((c) =>
      Object.fromEntries([
        ["model", c.name],
        ...cfg.noiseLevels.map((p, i) => [`p = ${p}`, c.points[i] ? percentMeanStd(c.points[i] as MeanStd) : ""]),
      ]),
    );
}

/**
 * The noisy-teacher study's records (what the notebook writes to `claims.json`): our hypotheses
 * ({@link NOISY_CLAIMS}, `kind: "hypothesis"`) checked by {@link checkNoisyClaims} over the rows of all seeds.
 */
export function noisyClaimRecords(cfg: NoisyTeacherConfig, rows: readonly ResultRow[]): ClaimRecord[] {
  return claimRecords({ ...NOISY_SOURCE, checks: checkNoisyClaims(cfg, rows) });
}
