// Project hygiene that a clone of the repository relies on.
import { describe, expect, it } from "vitest";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { root } from "./helpers";

describe("the repository is self-contained", () => {
  it("no tracked file points outside it (../shared is the team's folder, not the user's)", () => {
    const files = execFileSync("git", ["ls-files"], { cwd: root, encoding: "utf8" })
      .split("\n")
      .filter((f) => /\.(ts|js|md|ipynb|json)$/.test(f));
    const offenders = files.filter(
      (f) =>
        f !== "package-lock.json" &&
        fs.existsSync(path.join(root, f)) &&
        /\.\.\/shared|shared\/papers/.test(fs.readFileSync(path.join(root, f), "utf8")),
    );
    // this file names the pattern it looks for
    expect(offenders.filter((f) => f !== "test/project.test.ts")).toEqual([]);
  });
  it("the experiment parameters the code cites are in the repository", () => {
    expect(fs.existsSync(path.join(root, "docs/PARAMS.md"))).toBe(true);
    const text = fs.readFileSync(path.join(root, "docs/PARAMS.md"), "utf8");
    for (const section of ["Yan et al.", "Piperno et al.", "Hasan & Mahdy"]) expect(text).toContain(section);
  });
});

describe("the package's public tiers (built dist/, as a user's require sees them)", () => {
  const req = (m: string) =>
    execFileSync(
      process.execPath,
      ["-e", `const x = require(${JSON.stringify(m)}); console.log(JSON.stringify(Object.keys(x).sort()))`],
      { cwd: root, encoding: "utf8" },
    );
  it("each subpath resolves through package.json exports and holds its layer's names, each name in one tier", () => {
    const tiers = [
      "qnn-kd",
      "qnn-kd/sim",
      "qnn-kd/qnn",
      "qnn-kd/training",
      "qnn-kd/datasets",
      "qnn-kd/experiments",
      "qnn-kd/hybrid",
      "qnn-kd/notebook",
    ];
    const names = Object.fromEntries(tiers.map((t) => [t, JSON.parse(req(t)) as string[]]));
    expect(names["qnn-kd"]).toEqual(
      expect.arrayContaining([
        "Circuit",
        "adjointGradient",
        "QNNClassifier",
        "QuantumLayer",
        "distillationLoss",
        "trainClassifier",
        "Adam",
      ]),
    );
    expect(names["qnn-kd/sim"]).toEqual(expect.arrayContaining(["runDensity", "groundState", "applyProgram"]));
    expect(names["qnn-kd/qnn"]).toEqual(expect.arrayContaining(["universalAnsatz", "encoderFidelityBounds"]));
    expect(names["qnn-kd/training"]).toEqual(expect.arrayContaining(["logitMatchingGradient"]));
    expect(names["qnn-kd/datasets"]).toEqual(expect.arrayContaining(["zxzDataset", "loadMnist", "extendedXor"]));
    expect(names["qnn-kd/experiments"]).toEqual(expect.arrayContaining(["runProtocol", "yanTable1", "piperno"]));
    expect(names["qnn-kd/hybrid"]).toEqual(expect.arrayContaining(["QuantumTfLayer", "TfClassifier", "useTfBackend"]));
    expect(names["qnn-kd/notebook"]).toEqual(expect.arrayContaining(["showFigure", "showCircuit", "trainingHooks"]));
    const seen = new Map<string, string>();
    for (const t of tiers)
      for (const n of names[t]) {
        expect(seen.get(n), `${n} is exported by ${seen.get(n)} and ${t}`).toBeUndefined();
        seen.set(n, t);
      }
  });
  it("internals are not reachable by path", () => {
    expect(() => req("qnn-kd/dist/sim/ops")).toThrow(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });
});
