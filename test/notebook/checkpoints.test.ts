// removeCheckpoints: a finished run removes its checkpoint folders (main and variants), unless QNN_KD_READINGS chose
// the readings, when a later run must resume the models trained here.
import { describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkpointsFor, removeCheckpoints } from "../../src/notebook/training";

describe("removeCheckpoints", () => {
  it("removes the main folder and every <hash>-variant folder, and keeps them when QNN_KD_READINGS is set", () => {
    const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-ckpt-"));
    const settings = { a: 1 },
      other = { a: 2 };
    const dirs = [
      checkpointsFor({ resultsDir }, settings),
      checkpointsFor({ resultsDir }, settings, "no-T2-seed1"),
      checkpointsFor({ resultsDir }, other),
    ];
    for (const d of dirs) fs.mkdirSync(d, { recursive: true });
    expect(removeCheckpoints({ resultsDir }, settings, { QNN_KD_READINGS: "none" })).toEqual([]);
    for (const d of dirs) expect(fs.existsSync(d)).toBe(true);
    expect(removeCheckpoints({ resultsDir }, settings, {}).sort()).toEqual([dirs[0], dirs[1]].sort());
    expect(dirs.map((d) => fs.existsSync(d))).toEqual([false, false, true]);
  });
});
