/**
 * Detection of the tslab Jupyter kernel and access to its display functions.
 *
 * How tslab exposes display (read from tslab 1.0.22's `dist/`):
 *
 * - `tslab.display.*` and `tslab.newDisplay()` (in `dist/public.js`) call `jupyter.lastWriteDisplayData`, a
 *   module-level variable of `dist/jupyter.js` that the kernel sets at the start of every cell it executes
 *   (`handleExecuteImpl`). Outside a kernel it stays `null` and the display functions throw `Error("Not ready")`.
 * - When the kernel starts its executor it sets the global `globalThis.__tslab__ = { exports, require }`, where
 *   `require` is wrapped so that `require("tslab")` returns the kernel's own tslab module. A cell's
 *   `import * as tslab from "tslab"` goes through that hook; a library module's plain `require("tslab")` does not,
 *   and may load a second copy of tslab whose `lastWriteDisplayData` is never set (e.g. when the kernel was
 *   installed from a global tslab). So this module never `require`s tslab itself: it asks `__tslab__.require`.
 *
 * Detection ({@link isTslabKernel}): `globalThis.__tslab__.require("tslab")` returns a module with `newDisplay`,
 * and the kernel's `dist/jupyter.js` (found in `require.cache` next to that module) has a non-null
 * `lastWriteDisplayData`. Where the `jupyter.js` module cannot be found (a future tslab layout), the fallback test
 * is that `__tslab__` exists and the process was started as `tslab kernel` (`process.argv`).
 *
 * The rich-output bundle (several mime types in one output, e.g. `text/html` with a `text/plain` fallback) uses
 * `lastWriteDisplayData` directly: tslab's public API sends one mime type per output. That is an internal of
 * tslab (pinned at 1.0.22); where it is missing, {@link displayBundle} falls back to the public API and sends the
 * richest mime type only.
 *
 * @packageDocumentation
 */
import * as path from "path";
import type { Display } from "tslab";

/** A Jupyter mime bundle: mime type → content (strings; binary content base64-encoded by the caller). */
export type MimeBundle = Record<string, string>;

/** The subset of the kernel's tslab module used here (`tslab/dist/public.js`). */
interface TslabPublic {
  display: Display;
  newDisplay(): Display;
}

/** Internal writer of tslab's `dist/jupyter.js`: sends `display_data` (or `update_display_data` when `update`). */
type WriteDisplayData = (
  data: { data: MimeBundle; metadata: Record<string, unknown>; transient: Record<string, unknown> },
  update: boolean,
) => void;

interface KernelHooks {
  tslab: TslabPublic;
  /** The kernel's `dist/jupyter.js` exports, or null when not found. */
  jupyter: { lastWriteDisplayData: WriteDisplayData | null } | null;
}

let cachedHooks: KernelHooks | null | undefined;
let cachedFor: unknown;

/** Finds the kernel's tslab module through the `__tslab__` global; null when not in tslab. */
function kernelHooks(): KernelHooks | null {
  const g = (globalThis as { __tslab__?: { require?: unknown } }).__tslab__;
  if (g === undefined || g === null || typeof g.require !== "function") return null;
  if (cachedHooks !== undefined && cachedFor === g) return cachedHooks;
  cachedFor = g;
  cachedHooks = null;
  let pub: unknown;
  try {
    pub = (g.require as (id: string) => unknown)("tslab");
  } catch {
    return null;
  }
  if (pub === null || typeof pub !== "object" || typeof (pub as TslabPublic).newDisplay !== "function") return null;
  let jupyter: KernelHooks["jupyter"] = null;
  for (const mod of Object.values(require.cache)) {
    if (mod !== undefined && mod.exports === pub) {
      const j = require.cache[path.join(path.dirname(mod.filename), "jupyter.js")];
      if (
        j !== undefined &&
        j.exports !== null &&
        typeof j.exports === "object" &&
        "lastWriteDisplayData" in j.exports
      ) {
        jupyter = j.exports as KernelHooks["jupyter"];
      }
      break;
    }
  }
  cachedHooks = { tslab: pub as TslabPublic, jupyter };
  return cachedHooks;
}

/**
 * Whether this code runs inside a tslab Jupyter kernel that can display rich output now.
 *
 * True in a cell of a notebook run by tslab (JupyterLab, classic Notebook, nbconvert, the project's runner);
 * false in plain Node, vitest, or a worker thread. See the module documentation for the exact test.
 */
export function isTslabKernel(): boolean {
  const hooks = kernelHooks();
  if (hooks === null) return false;
  if (hooks.jupyter !== null) return typeof hooks.jupyter.lastWriteDisplayData === "function";
  return process.argv.slice(2).includes("kernel");
}

/**
 * The kernel's tslab module (the one whose display functions work), or null outside a kernel.
 * Use it instead of `require("tslab")` in library code (see the module documentation).
 */
export function kernelTslab(): { display: Display; newDisplay(): Display } | null {
  return isTslabKernel() ? (kernelHooks() as KernelHooks).tslab : null;
}

/**
 * Displays one output made of several mime types (e.g. `{"text/html": …, "text/plain": …}`); the front end
 * shows the richest one it can. Falls back to tslab's public API, sending only the first mime type of `bundle`
 * (so list the richest first), when tslab's internal writer is unavailable.
 *
 * @param bundle - mime type → content; must not be empty.
 * @returns true when displayed, false outside a kernel (nothing is sent).
 * @throws Error when `bundle` is empty.
 */
export function displayBundle(bundle: MimeBundle): boolean {
  const types = Object.keys(bundle);
  if (types.length === 0) throw new Error("displayBundle: the mime bundle is empty; give at least one mime type");
  if (!isTslabKernel()) return false;
  const hooks = kernelHooks() as KernelHooks;
  const write = hooks.jupyter?.lastWriteDisplayData;
  if (typeof write === "function") {
    write({ data: { ...bundle }, metadata: {}, transient: {} }, false);
  } else {
    hooks.tslab.display.raw(types[0], bundle[types[0]]);
  }
  return true;
}
