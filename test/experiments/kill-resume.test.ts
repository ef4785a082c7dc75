// Kill-and-resume: a real experiment sweep (Yan et al. Fig. 5, small) run in a child process that is SIGKILLed
// twice — in the teacher once its first checkpoint exists, then in the middle of a student, each time a few
// iterations after the last checkpoint, so that the rerun must redo the lost ones — and then
// run to completion on the same checkpoint folder, must end with exactly the numbers of an uninterrupted run in
// a fresh folder: result rows, histories (without wall times), final parameters and Adam state of every model.
// The child (test/fixtures/kill-resume-run.js) runs the built dist/ (`npm run build` first) and reports which
// checkpoints it found and the first iteration it trained per stage, so the test also checks that the reruns
// really resumed instead of silently starting over.
import { describe, expect, it } from "vitest";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { root } from "../helpers";

const script = path.join(root, "test/fixtures/kill-resume-run.js");

// About 5 s uninterrupted on one core: teacher 15 qubits × 8 layers, 60 iterations (checkpoints at 10, 20, …);
// students of 3 and 4 layers, 60 iterations each, without and with KD.
const overrides = {
  limit: 1000,
  teacherLayers: 8,
  teacherIterations: 60,
  teacherStepSize: 30,
  readout: [0, 1], // qubits 0, 1: a small light cone
  studentLayers: [3, 4],
  studentIterations: 60,
  stepSize: 20,
  evalEvery: 10,
};
const teacherIterations = 60;
const studentIterations = 60;
const KD_L3 = "student-L3-kd-T2-a0.5"; // checkpoint name of the 3-layer KD student (see experiments/protocol.ts)

interface ChildOutput {
  rows: unknown[];
  accuracies: unknown;
  histories: Record<string, unknown[]>;
  checkpoints: Record<
    string,
    { iteration: number; params: number[]; adam: unknown; fingerprint: unknown; history: unknown[] }
  >;
  foundAtStart: Record<string, number>;
  stages: string[];
  firstIteration: Record<string, number>;
}

interface ChildRun {
  killed: boolean;
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the child on `dir`, writing `out`. With `killWhen`, polls it every few milliseconds with the child's
 * stdout so far and SIGKILLs the child as soon as it returns true.
 */
function runChild(dir: string, out: string, killWhen: ((stdout: string) => boolean) | null = null): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, dir, out, JSON.stringify(overrides)], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let killed = false;
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    let timer: NodeJS.Timeout | null = null;
    if (killWhen !== null) {
      timer = setInterval(() => {
        if (!killed && killWhen(stdout)) {
          killed = true;
          process.kill(child.pid!, "SIGKILL");
        }
      }, 3);
    }
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (timer !== null) clearInterval(timer);
      resolve({ killed: killed && signal === "SIGKILL", code, stdout, stderr });
    });
  });
}

/** Iteration of the checkpoint `name` in `dir`, or null while it does not exist. */
function checkpointIteration(dir: string, name: string): number | null {
  const f = path.join(dir, `${name}.json`);
  if (!fs.existsSync(f)) return null;
  return JSON.parse(fs.readFileSync(f, "utf8")).iteration;
}

const readOut = (f: string): ChildOutput => JSON.parse(fs.readFileSync(f, "utf8"));

describe("kill and resume (Fig. 5 sweep in a child process)", () => {
  it("ends with the numbers of an uninterrupted run after two SIGKILLs", async () => {
    if (!fs.existsSync(path.join(root, "dist/index.js")))
      throw new Error("dist/ is missing: run `npm run build` first");
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-kill-"));
    try {
      // Uninterrupted reference in its own folder.
      const refDir = path.join(tmp, "ref");
      const refOut = path.join(tmp, "ref.json");
      const ref = await runChild(refDir, refOut);
      expect(ref.code, ref.stderr).toBe(0);
      const a = readOut(refOut);
      expect(a.foundAtStart).toEqual({});
      for (const s of a.stages.filter((s) => s !== "data")) expect(a.firstIteration[s]).toBe(1);

      const dir = path.join(tmp, "killed");
      const out = path.join(tmp, "killed.json");

      // 1. Kill in the teacher, once its first checkpoint (iteration 10) exists and it has reported iteration 13.
      const r1 = await runChild(
        dir,
        out,
        (so) => checkpointIteration(dir, "teacher") !== null && so.includes("iter teacher 13\n"),
      );
      expect(r1.killed, `run 1 was not killed (exit ${r1.code}): ${r1.stderr}`).toBe(true);
      expect(fs.existsSync(out)).toBe(false);
      const k1 = checkpointIteration(dir, "teacher")!;
      expect(k1).toBeGreaterThan(0);
      expect(k1).toBeLessThan(teacherIterations);
      expect(r1.stdout).toContain(`iter teacher ${k1 + 1}\n`); // work done after the checkpoint, lost by the kill

      // 2. Rerun; kill mid-way through the 3-layer KD student, a few iterations after its first checkpoint.
      const r2 = await runChild(
        dir,
        out,
        (so) => checkpointIteration(dir, KD_L3) !== null && so.includes("iter student (3 layers) + KD 13\n"),
      );
      expect(r2.killed, `run 2 was not killed (exit ${r2.code}): ${r2.stderr}`).toBe(true);
      expect(fs.existsSync(out)).toBe(false);
      // It resumed the teacher at its checkpoint: its first line is the iteration after it.
      expect(r2.stdout.startsWith(`iter teacher ${k1 + 1}\n`), r2.stdout.slice(0, 200)).toBe(true);
      expect(r2.stdout).not.toContain(`iter teacher ${k1}\n`);
      expect(checkpointIteration(dir, "teacher")).toBe(teacherIterations);
      const k2 = checkpointIteration(dir, KD_L3)!;
      expect(k2).toBeGreaterThan(0);
      expect(k2).toBeLessThan(studentIterations);
      expect(r2.stdout).toContain(`iter student (3 layers) + KD ${k2 + 1}\n`);

      // 3. Rerun to completion.
      const r3 = await runChild(dir, out);
      expect(r3.code, r3.stderr).toBe(0);
      const b = readOut(out);
      expect(b.foundAtStart).toEqual({ teacher: teacherIterations, "student-L3-nokd": studentIterations, [KD_L3]: k2 });
      // Finished models were restored (no iteration trained), the KD student resumed at k2 + 1, the rest from 1.
      expect(b.firstIteration).toEqual({
        "student (3 layers) + KD": k2 + 1,
        "student (4 layers)": 1,
        "student (4 layers) + KD": 1,
      });

      // Same numbers as the uninterrupted run, exactly (JSON round-trips doubles exactly).
      expect(b.rows).toEqual(a.rows);
      expect(b.accuracies).toEqual(a.accuracies);
      expect(b.histories).toEqual(a.histories);
      expect(Object.keys(b.checkpoints)).toEqual(Object.keys(a.checkpoints));
      for (const [name, c] of Object.entries(a.checkpoints)) {
        expect(b.checkpoints[name].iteration, name).toBe(c.iteration);
        expect(b.checkpoints[name].params, name).toEqual(c.params);
        expect(b.checkpoints[name].adam, name).toEqual(c.adam);
        expect(b.checkpoints[name].history, name).toEqual(c.history);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 120_000);
});
