// The six course notebooks, executed in quick mode through the real tslab kernel by the CLI (as `npm run reproduce --
// course --quick` does): each runs to the end into its own results subfolder, writes its figures, and the numbers
// they show are in range (shot noise falls with the shots, adjoint differentiation is the cheapest route, the deep
// circuit's gradient variance falls with the qubits, the teacher learns, F1 scores are fractions).
import { describe, expect, it } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { course } from "qnn-kd/experiments";
import { checkExecutedNotebook, reproduceQuickRun } from "../helpers";

const COURSE_NOTEBOOKS = course.COURSE_NOTEBOOKS;

type Fig = { data: { name: string; x: number[]; y: number[] }[] };

describe("notebooks/course in quick mode", () => {
  it("runs all six notebooks end to end with their figures and results", async () => {
    const out = await reproduceQuickRun("course");
    const dirOf = (nb: string) => path.join(out, "course", path.basename(nb, ".ipynb"));
    const figs = (nb: string) => fs.readdirSync(path.join(dirOf(nb), "figures"));
    const fig = (nb: string, name: string): Fig => JSON.parse(fs.readFileSync(path.join(dirOf(nb), "figures", `${name}.json`), "utf8"));
    const [nb1, nb2, nb3, nb4, nb5, nb6] = COURSE_NOTEBOOKS;
    for (const nb of COURSE_NOTEBOOKS) {
      const withResults = nb === nb5 || nb === nb6;
      checkExecutedNotebook(dirOf(nb), path.basename(nb), "course", withResults as true);
      const run = JSON.parse(fs.readFileSync(path.join(dirOf(nb), "run.json"), "utf8"));
      expect(run.ok).toBe(true);
      expect(run.quick).toBe(true);
      // no cell printed an error
      const executed = JSON.parse(fs.readFileSync(path.join(dirOf(nb), path.basename(nb)), "utf8"));
      for (const c of executed.cells) for (const o of c.outputs ?? []) expect(o.name === "stderr" && /Error/.test(o.text?.join?.("") ?? "")).toBe(false);
    }
    // 1: circuits drawn, GHZ probabilities and shots, shot noise falling with the shots
    for (const f of ["bell-circuit.svg", "ghz-circuit.svg", "ghz-probabilities.json", "ghz-shots.json", "ry-expectation.json", "shot-noise.json"]) expect(figs(nb1)).toContain(f);
    const ghz = fig(nb1, "ghz-probabilities").data[0].y;
    expect(ghz[0]).toBeCloseTo(0.5, 12);
    expect(ghz[15]).toBeCloseTo(0.5, 12);
    const noise = fig(nb1, "shot-noise").data[0].y;
    expect(noise[noise.length - 1]).toBeLessThan(noise[0]);
    // 2: the light cone of ⟨Z_0⟩ behind the chain grows by one qubit per layer
    for (const f of ["hea-4x2.svg", "universal-4x2.svg", "qcnn-8.svg", "parameter-counts.json", "light-cone.json", "amplitude-encoding.json"]) expect(figs(nb2)).toContain(f);
    expect(fig(nb2, "light-cone").data[0].y).toEqual([2, 3, 4, 5, 6, 7, 8, 8]);
    // 3: adjoint differentiation is the fastest route at the largest n; the deep circuit's variance falls with n
    for (const f of ["fd-step.json", "gradient-timings.json", "barren-plateau.json"]) expect(figs(nb3)).toContain(f);
    const t = fig(nb3, "gradient-timings").data;
    const last = (k: number) => t[k].y[t[k].y.length - 1];
    expect(last(0)).toBeLessThan(last(1));
    expect(last(0)).toBeLessThan(last(2));
    const deep = fig(nb3, "barren-plateau").data[1].y;
    expect(deep[deep.length - 1]).toBeLessThan(deep[0] / 4);
    // 4: soft targets are distributions; the T²-scaled gradient tends to the logit-matching limit
    for (const f of ["soft-targets.json", "soft-target-entropy.json", "t2-factor.json", "alpha-gradient.json"]) expect(figs(nb4)).toContain(f);
    for (let k = 0; k < 4; k++) expect(fig(nb4, "soft-targets").data.reduce((s, tr) => s + tr.y[k], 0)).toBeGreaterThan(0);
    const t2 = fig(nb4, "t2-factor").data;
    expect(Math.abs(t2[0].y[t2[0].y.length - 1] - t2[2].y[0])).toBeLessThan(0.02);
    // 5: the teacher learns the phases; teacher + (no KD, KD) per student seed; curves drawn
    for (const f of ["zxz-phase.json", "teacher-circuit.svg", "teacher-soft-targets.json", "student-curves.json", "kd-loss-terms.json", "seeds.json"]) expect(figs(nb5)).toContain(f);
    // 5: the KD loop from scratch ran and printed finite losses and an accuracy in [0, 100] %
    const out5 = JSON.parse(fs.readFileSync(path.join(dirOf(nb5), path.basename(nb5)), "utf8"))
      .cells.flatMap((c: { outputs?: { text?: string[] }[] }) => (c.outputs ?? []).map((o) => (o.text ?? []).join("")))
      .join("");
    const scratch = out5.match(/from scratch: KD loss (\S+) → (\S+) \(batch mean\), test accuracy (\S+)%/);
    expect(scratch, "the from-scratch cell's line").not.toBeNull();
    for (const v of scratch!.slice(1, 3)) expect(Number.isFinite(Number(v)) && Number(v) > 0).toBe(true);
    expect(Number(scratch![3])).toBeGreaterThanOrEqual(0);
    expect(Number(scratch![3])).toBeLessThanOrEqual(100);
    const r5 = JSON.parse(fs.readFileSync(path.join(dirOf(nb5), "results.json"), "utf8"));
    expect(r5.rows).toHaveLength(1 + 2 * 3);
    expect(r5.rows[0].role).toBe("teacher");
    expect(r5.rows[0].testAccuracy).toBeGreaterThan(0.8);
    for (const row of r5.rows) expect(row.testAccuracy).toBeGreaterThanOrEqual(0);
    // 6: MLP teacher, classical and hybrid students without and with KD, F1 fractions
    for (const f of ["hybrid-circuit.svg", "hybrid-curves.json", "hybrid-f1.json"]) expect(figs(nb6)).toContain(f);
    const r6 = JSON.parse(fs.readFileSync(path.join(dirOf(nb6), "results.json"), "utf8"));
    expect(r6.rows).toHaveLength(5);
    for (const row of r6.rows) {
      expect(row.f1).toBeGreaterThanOrEqual(0);
      expect(row.f1).toBeLessThanOrEqual(1);
    }
  }, 500_000);
});
