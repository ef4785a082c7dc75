// Project hygiene that a clone of the repository relies on.
import { describe, expect, it } from "vitest";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { root } from "./helpers";

describe("the repository is self-contained", () => {
  it("no tracked file points outside it (../shared is the team's folder, not the user's)", () => {
    const files = execFileSync("git", ["ls-files"], { cwd: root, encoding: "utf8" }).split("\n").filter((f) => /\.(ts|js|md|ipynb|json)$/.test(f));
    const offenders = files.filter((f) => f !== "package-lock.json" && fs.existsSync(path.join(root, f)) && /\.\.\/shared|shared\/papers/.test(fs.readFileSync(path.join(root, f), "utf8")));
    // this file names the pattern it looks for
    expect(offenders.filter((f) => f !== "test/project.test.ts")).toEqual([]);
  });
  it("the experiment parameters the code cites are in the repository", () => {
    expect(fs.existsSync(path.join(root, "docs/PARAMS.md"))).toBe(true);
    const text = fs.readFileSync(path.join(root, "docs/PARAMS.md"), "utf8");
    for (const section of ["Yan et al.", "Piperno et al.", "Hasan & Mahdy"]) expect(text).toContain(section);
  });
});
