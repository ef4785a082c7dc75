// Course settings (experiments/course) and the course entry of the runner registry (a group of notebooks).
import { describe, expect, it } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { EXPERIMENTS, course } from "qnn-kd/experiments";
import { experimentParts, resolveExperiments } from "../../runner/experiments";
import { reproduceExperiment } from "../../runner/reproduce";
import { root } from "../helpers";

const COURSE_NOTEBOOKS = course.COURSE_NOTEBOOKS;

describe("course settings", () => {
  it("firstKdConfig: defaults, quick overrides, then the caller's; bad values throw quoting them", () => {
    expect(course.firstKdConfig()).toMatchObject({ nQubits: 7, nTrain: 300, readout: [5, 6], T: 2, alpha: 0.5 });
    expect(course.firstKdConfig({}, true)).toMatchObject({ nTrain: 100, teacherIterations: 40 });
    expect(course.firstKdConfig({ alpha: 0.9 }, true).alpha).toBe(0.9);
    expect(() => course.firstKdConfig({ alpha: 2 })).toThrow(/alpha/);
    expect(() => course.firstKdConfig({ readout: [7] })).toThrow(/readout qubit/);
    expect(() => course.firstKdConfig({ nLayer: 1 } as never)).toThrow(/unknown option "nLayer"/);
  });
  it("hybridCourseConfig: the Piperno settings, smaller", () => {
    const c = course.hybridCourseConfig();
    expect(c).toMatchObject({
      n: 400,
      nLayers: 2,
      nQubits: 6,
      teacherUnits: [64, 16, 8, 3],
      architectures: ["classical", "hea"],
    });
    expect(course.hybridCourseConfig({}, true)).toMatchObject({ n: 200, epochs: 12 });
  });
});

describe("the course in the runner registry", () => {
  it("is one entry of six notebooks that exist, each with its own results subfolder; `all` includes it", () => {
    const exp = EXPERIMENTS.find((e) => e.id === "course")!;
    expect(exp.notebooks).toEqual(COURSE_NOTEBOOKS);
    expect(COURSE_NOTEBOOKS).toHaveLength(6);
    for (const nb of COURSE_NOTEBOOKS) expect(fs.existsSync(path.join(root, nb))).toBe(true);
    const parts = experimentParts(exp);
    expect(parts.map((p) => p.id)).toEqual(COURSE_NOTEBOOKS.map((nb) => `course/${path.basename(nb, ".ipynb")}`));
    expect(parts.every((p) => p.resultsSubdir === p.id)).toBe(true);
    expect(resolveExperiments(["all"]).map((e) => e.id)).toContain("course");
    const single = EXPERIMENTS.find((e) => e.id === "table1")!;
    expect(experimentParts(single)).toEqual([
      { id: "table1", notebook: "notebooks/yan-table1.ipynb", resultsSubdir: "table1" },
    ]);
    expect(() => experimentParts({ id: "x", title: "x", notebook: "n", notebooks: [] })).toThrow(/must not be empty/);
  });
  it("reproduceExperiment refuses a group (the CLI runs its parts one by one with reproducePart)", async () => {
    await expect(reproduceExperiment(EXPERIMENTS.find((e) => e.id === "course")!)).rejects.toThrow(
      /"course" is a group of 6 notebooks; run each of experimentParts\(exp\) with reproducePart/,
    );
  });
  it("every course notebook is nbformat 4 with the tslab kernelspec and no outputs; cells ≤ 15 lines of ≤ 100 columns, each after prose", () => {
    for (const nb of COURSE_NOTEBOOKS) {
      const j = JSON.parse(fs.readFileSync(path.join(root, nb), "utf8"));
      expect(j.nbformat).toBe(4);
      expect(j.metadata.kernelspec.name).toBe("tslab");
      j.cells.forEach(
        (c: { cell_type: string; source: string[]; outputs?: unknown[]; execution_count?: unknown }, i: number) => {
          if (c.cell_type !== "code") return;
          expect(c.outputs).toEqual([]);
          expect(c.execution_count).toBeNull();
          const lines = c.source.join("").split("\n");
          expect(lines.length, `${nb} cell ${i}`).toBeLessThanOrEqual(15);
          for (const l of lines) expect(l.length, `${nb} cell ${i}: ${l}`).toBeLessThanOrEqual(100);
          expect(j.cells[i - 1].cell_type, `${nb} cell ${i} has prose before it`).toBe("markdown");
        },
      );
      const md = j.cells
        .filter((c: { cell_type: string }) => c.cell_type === "markdown")
        .map((c: { source: string[] }) => c.source.join(""))
        .join("\n");
      for (const heading of ["Learning goals", "## Summary", "## Exercises", "solutions/"])
        expect(md, `${nb}: ${heading}`).toContain(heading);
      const base = path.basename(nb, ".ipynb");
      // the context names the notebook's part, so a run by hand writes where the runner writes
      expect(j.cells.map((c: { source: string[] }) => c.source.join("")).join("\n")).toContain(
        `notebookContext("course", { part: "${base}" })`,
      );
      expect(fs.existsSync(path.join(root, "notebooks/course/solutions", `${base}.ts`))).toBe(true);
    }
  });
});
