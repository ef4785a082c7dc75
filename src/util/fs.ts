/** File helpers: atomic writes so that an interrupted run never leaves a half-written result or cache file. */
import * as fs from "fs";
import * as path from "path";

/**
 * Writes `data` to `file` atomically: writes a temporary file in the same folder, then renames it over the
 * target (rename is atomic on POSIX file systems). Creates the parent folders.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/** Writes `value` as pretty-printed JSON, atomically (see {@link writeFileAtomic}). */
export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + "\n");
}
