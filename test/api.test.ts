// The pinned public API: each entry point's exported names (values and types, from the TypeScript sources) must
// equal the list committed in test/api/<entry>.txt. A change to the API is a deliberate edit of that list, reviewed
// with the code: run `QNN_KD_UPDATE_API=1 npx vitest run test/api.test.ts` to rewrite the lists, then read the diff.
import * as fs from "fs";
import * as path from "path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..");
/** Entry point → its source file (package.json `exports`). */
const ENTRIES: Record<string, string> = {
  "qnn-kd": "src/index.ts",
  "qnn-kd/sim": "src/sim/index.ts",
  "qnn-kd/qnn": "src/qnn/index.ts",
  "qnn-kd/training": "src/train/index.ts",
  "qnn-kd/datasets": "src/datasets/index.ts",
  "qnn-kd/experiments": "src/experiments/index.ts",
  "qnn-kd/hybrid": "src/hybrid/index.ts",
  "qnn-kd/notebook": "src/notebook/index.ts",
};
const listFile = (entry: string) => path.join(root, "test", "api", `${entry.replace("/", "__")}.txt`);

function exportedNames(): Record<string, string[]> {
  const files = Object.values(ENTRIES).map((f) => path.join(root, f));
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    esModuleInterop: true,
  });
  const checker = program.getTypeChecker();
  const out: Record<string, string[]> = {};
  for (const [entry, file] of Object.entries(ENTRIES)) {
    const sf = program.getSourceFile(path.join(root, file));
    const sym = sf && checker.getSymbolAtLocation(sf);
    if (!sym) throw new Error(`no module symbol for ${file}`);
    out[entry] = checker
      .getExportsOfModule(sym)
      .map((s) => s.name)
      .sort();
  }
  return out;
}

describe("the public API is pinned", () => {
  const names = exportedNames();

  it("each entry point exports exactly the names of its committed list", () => {
    for (const [entry, got] of Object.entries(names)) {
      const file = listFile(entry);
      if (process.env.QNN_KD_UPDATE_API === "1") fs.writeFileSync(file, got.join("\n") + "\n");
      expect(fs.existsSync(file), `${path.relative(root, file)} is missing`).toBe(true);
      const pinned = fs.readFileSync(file, "utf8").split("\n").filter(Boolean);
      const added = got.filter((n) => !pinned.includes(n));
      const removed = pinned.filter((n) => !got.includes(n));
      expect({ entry, added, removed }).toEqual({ entry, added: [], removed: [] });
    }
  });

  it("every name lives in one entry point, and the main entry stays small", () => {
    const seen = new Map<string, string>();
    for (const [entry, list] of Object.entries(names))
      for (const n of list) {
        expect(seen.get(n), `${n} is exported by ${seen.get(n)} and ${entry}`).toBeUndefined();
        seen.set(n, entry);
      }
    expect(names["qnn-kd"].length).toBeLessThanOrEqual(70);
    expect(names["qnn-kd"]).toEqual(
      expect.arrayContaining(["Circuit", "QNNClassifier", "distillationLoss", "trainClassifier"]),
    );
  });

  it("package.json exports exactly these entry points", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
      exports: Record<string, { default: string }>;
    };
    const subpaths = Object.keys(pkg.exports).filter((k) => k !== "./package.json");
    expect(subpaths.map((k) => (k === "." ? "qnn-kd" : `qnn-kd/${k.slice(2)}`)).sort()).toEqual(
      Object.keys(ENTRIES).sort(),
    );
    for (const [k, v] of Object.entries(pkg.exports)) {
      if (k === "./package.json") continue;
      const entry = k === "." ? "qnn-kd" : `qnn-kd/${k.slice(2)}`;
      expect(v.default).toBe(`./${ENTRIES[entry].replace(/^src\//, "dist/").replace(/\.ts$/, ".js")}`);
    }
  });
});
