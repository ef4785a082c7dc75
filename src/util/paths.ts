/** Locating the qnn-kd project folder (for data caches, results and the built worker / WebAssembly files). */
import * as fs from "fs";
import * as path from "path";

/**
 * The nearest folder at or above `from` holding a package.json named "qnn-kd" (from `dist/x/` or `src/x/` that
 * is two levels up; npm's self-link `node_modules/qnn-kd` resolves to the same folder).
 * @throws Error if there is none.
 */
export function findProjectRoot(from: string = __dirname): string {
  let dir = path.resolve(from);
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, "utf8")) as { name?: unknown }).name === "qnn-kd") return dir;
      } catch {
        // not JSON: keep looking upward
      }
    }
    const up = path.dirname(dir);
    if (up === dir)
      throw new Error(`findProjectRoot: no package.json named "qnn-kd" found above ${JSON.stringify(from)}`);
    dir = up;
  }
}

let cached: string | null = null;

/** The qnn-kd project folder of this installation (see {@link findProjectRoot}); cached. */
export function projectRoot(): string {
  return (cached ??= findProjectRoot(__dirname));
}

/**
 * The compiled JavaScript file of a module beside `here` (a module's `__dirname`), for worker threads, which
 * need compiled JS: `<here>/<file>` when running from `dist/`, or the same path under `<projectRoot>/dist/` when
 * running from the TypeScript sources (`src/<folders>/` → `dist/<folders>/`, e.g. under vitest).
 * @param what - a description for the error message, e.g. "the worker script".
 * @throws Error naming the paths tried when none exists (the library was not built).
 */
export function compiledFile(here: string, file: string, what: string): string {
  const candidates = [path.join(here, file)];
  const root = findProjectRoot(here);
  const fromSrc = path.relative(path.join(root, "src"), here);
  if (!fromSrc.startsWith("..") && !path.isAbsolute(fromSrc))
    candidates.unshift(path.join(root, "dist", fromSrc, file));
  for (const c of candidates) if (fs.existsSync(c)) return c;
  throw new Error(`qnn-kd: ${what} was not found (looked for ${candidates.join(", ")}); run "npm run build" first`);
}
