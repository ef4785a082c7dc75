// Helpers shared by the tests. The cross-entropy here is written out independently of src/kd on purpose: tests
// that check gradients of the library's losses use it as an outside reference.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "vitest";
import { RESULT_ROW_FIELDS, type ResultRow } from "../src/experiments/results";
import * as tf from "@tensorflow/tfjs";
import { Statevector } from "qnn-kd";
import { Rng } from "../src/util/rng";
import type { KernelClient } from "../runner/kernel";
import type { ExecuteOptions, ExecuteResult } from "../runner/request";

/** The project root (test/ is one level below it). */
export const root = path.resolve(__dirname, "..");

/** A normalised random state on n qubits with Gaussian real and imaginary parts. */
export function randomState(n: number, rng: Rng): Statevector {
  return Statevector.fromAmplitudes(
    Array.from({ length: 2 ** n }, () => rng.normal()),
    Array.from({ length: 2 ** n }, () => rng.normal()),
    { normalize: true },
  );
}

/** Softmax cross-entropy of logits z for label y and its gradient p − onehot(y). */
export function ce(z: Float64Array, y: number): { loss: number; dLogits: Float64Array } {
  const m = Math.max(...z);
  const e = Array.from(z, (v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  const p = e.map((v) => v / s);
  return { loss: -Math.log(p[y]), dLogits: Float64Array.from(p, (v, k) => v - (k === y ? 1 : 0)) };
}

/**
 * Runs `qnn-kd reproduce <id> --quick` through the real kernel (as the README's command does) into a fresh temp
 * folder, checks the exit code, that every code cell of the executed notebook ran, and the documented row fields
 * of results.json; returns the results folder and the parsed results.json for experiment-specific checks.
 * `extraArgs` go to the CLI after `--quick`, e.g. `["--seeds", "2"]`. Asynchronous: a synchronous spawn of a
 * minute blocks the test worker, whose RPC to vitest then times out ("Timeout calling onTaskUpdate", 60 s).
 */
export async function reproduceQuick(
  id: string,
  notebook: string,
  extraArgs: readonly string[] = [],
): Promise<{ dir: string; res: ResultsJson }> {
  const dir = path.join(await reproduceQuickRun(id, extraArgs), id);
  return { dir, res: checkExecutedNotebook(dir, notebook, id) };
}

/**
 * What results.json holds (see the README): JSON read back from a file, so its rows and settings are untyped here;
 * the tests check their fields.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON read back from results.json
export type ResultsJson = { experiment: string; settings: Record<string, any>; rows: Record<string, any>[] };

/**
 * Runs `qnn-kd reproduce <id> --quick [extraArgs] --out <fresh temp folder>` through the real kernel, asynchronously
 * (a run of minutes must not block the test worker), checks the exit code and returns the output root (the
 * experiment's results are in `<root>/<id>/`).
 */
export async function reproduceQuickRun(id: string, extraArgs: readonly string[] = []): Promise<string> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), `qnn-kd-${id}-`));
  const r = await runNode([
    path.join(root, "dist/runner/cli.js"),
    "reproduce",
    id,
    "--quick",
    ...extraArgs,
    "--out",
    out,
  ]);
  if (r.status !== 0) console.error(r.stdout.slice(-4000), r.stderr.slice(-4000));
  expect(r.status).toBe(0);
  return out;
}

/**
 * Checks an executed notebook in `dir` (every code cell ran) and, unless `results` is false, the documented row
 * fields of `dir/results.json` written in quick mode by experiment `experiment`; returns the parsed results.json
 * (null when not checked).
 */
export function checkExecutedNotebook(dir: string, notebook: string, experiment: string, results: false): null;
export function checkExecutedNotebook(dir: string, notebook: string, experiment: string, results?: true): ResultsJson;
export function checkExecutedNotebook(
  dir: string,
  notebook: string,
  experiment: string,
  results = true,
): ResultsJson | null {
  const nb = JSON.parse(fs.readFileSync(path.join(dir, notebook), "utf8"));
  const codeCells = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "code");
  expect(codeCells.every((c: { execution_count: number | null }) => c.execution_count !== null)).toBe(true);
  if (!results) return null;
  const res = JSON.parse(fs.readFileSync(path.join(dir, "results.json"), "utf8"));
  expect(res.experiment).toBe(experiment);
  expect(res.settings.quick).toBe(true);
  for (const row of res.rows) for (const f of RESULT_ROW_FIELDS) expect(row).toHaveProperty(f);
  return res;
}

/** Whether a process with this pid exists (signal 0). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `node <args>` asynchronously (so kernels of concurrent tests keep being served) and collects its exit status
 * and output.
 */
export function runNode(args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** Deterministic per-seed jitter (fractions) for fabricated result rows: small, different per arm and seed. */
export function jitter(seed: number, arm: number, size = 0.004): number {
  return size * Math.sin(1.7 * seed + 2.3 * arm + 0.5);
}

/**
 * Fabricated result rows of a depth sweep (Fig. 4, Fig. 5) over `nSeeds` seeds: a teacher at `teacher` and, per
 * depth, students without and with KD at the given mean test accuracies (fractions), each seed moved by
 * {@link jitter}; a `spread` function may add a per-seed offset to an arm (e.g. a gain whose sign flips).
 */
export function sweepRows(o: {
  nSeeds: number;
  teacher: number;
  students: Record<number, { noKd: number; kd: number }>;
  variant?: string;
  spread?: (seed: number, L: number, kd: boolean) => number;
}): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const base = {
    nQubits: 15,
    T: null,
    alpha: null,
    trainAccuracy: null,
    paperTestAccuracy: null,
    ...(o.variant ? { variant: o.variant } : {}),
  };
  for (let s = 0; s < o.nSeeds; s++) {
    rows.push({
      ...base,
      model: "teacher",
      role: "teacher",
      nLayers: 10,
      kd: false,
      seed: s,
      testAccuracy: Math.min(1, o.teacher + jitter(s, 0)),
    });
    for (const [Ls, st] of Object.entries(o.students)) {
      const L = Number(Ls);
      for (const kd of [false, true]) {
        const v = (kd ? st.kd : st.noKd) + jitter(s, L + (kd ? 0.5 : 0)) + (o.spread?.(s, L, kd) ?? 0);
        rows.push({
          ...base,
          model: `student-L${L}`,
          role: "student",
          nLayers: L,
          kd,
          seed: s,
          testAccuracy: Math.min(1, Math.max(0, v)),
        });
      }
    }
  }
  return rows;
}

/**
 * Writes a small CIFAR-10 set in the real binary format (`data_batch_1.bin` … `data_batch_5.bin`, `test_batch.bin`;
 * 3073-byte records: label, then the red, green and blue 32 × 32 planes) into `dir`: `perFile` training records per
 * batch file and `test` test records, labels cycling 0…9, pixels seeded bytes. Returns `dir`.
 */
export function writeCifarFixture(dir: string, perFile = 40, test = 60, seed = 0): string {
  const rng = new Rng(seed);
  const records = (n: number, offset: number) =>
    Buffer.concat(
      Array.from({ length: n }, (_, i) => {
        const b = Buffer.alloc(3073);
        b[0] = (offset + i) % 10;
        for (let k = 1; k < 3073; k++) b[k] = Math.floor(rng.uniform(0, 256));
        return b;
      }),
    );
  fs.mkdirSync(dir, { recursive: true });
  for (let k = 1; k <= 5; k++) fs.writeFileSync(path.join(dir, `data_batch_${k}.bin`), records(perFile, k * perFile));
  fs.writeFileSync(path.join(dir, "test_batch.bin"), records(test, 0));
  return dir;
}

/**
 * Checks tfjs gradients against central differences of a scalar loss (float32 forward passes): for each variable
 * of `vars` and each entry index of `entries` (negative counts from the end), |g − (L(v + h) − L(v − h))/2h| below
 * 3e-3 + 2e-2·|g|, with `grads` from `tf.variableGrads(lossOf)`. Restores every variable.
 */
export function expectTfGradientsMatchDifferences(
  lossOf: () => tf.Scalar,
  vars: readonly tf.Variable[],
  grads: Record<string, tf.Tensor>,
  entries: readonly number[],
  h = 2e-2,
): void {
  for (const v of vars) {
    const g = grads[v.name].dataSync(),
      v0 = v.dataSync().slice();
    for (const e of entries) {
      const i = e < 0 ? v0.length + e : e;
      const at = (d: number) => {
        const w = v0.slice();
        w[i] += d;
        v.assign(tf.tensor(w, v.shape));
        return lossOf().dataSync()[0];
      };
      const fd = (at(h) - at(-h)) / (2 * h);
      v.assign(tf.tensor(v0, v.shape));
      expect(Math.abs(g[i] - fd)).toBeLessThan(3e-3 + 2e-2 * Math.abs(g[i]));
    }
  }
}

/**
 * Runs `code` on a kernel that has just failed a request: tslab aborts the requests that arrive for about 200 ms
 * after a failure (longer on a loaded machine), so this retries while the reply is "abort", every 200 ms, until
 * `deadlineMs` has passed, and returns the first other reply (or the last "abort").
 */
export async function executeAfterFailure(
  k: KernelClient,
  code: string,
  opts: ExecuteOptions = {},
  deadlineMs = 30_000,
): Promise<ExecuteResult> {
  const end = Date.now() + deadlineMs;
  await new Promise((res) => setTimeout(res, 200));
  for (;;) {
    const r = await k.execute(code, opts);
    if (r.status !== "abort" || Date.now() > end) return r;
    await new Promise((res) => setTimeout(res, 200));
  }
}

/**
 * A result row made by hand, for claim checkers: the fields every experiment's rows share (`modelRow`'s; a KD row gets
 * T and α, a row without KD null for both), then `extra` (the experiment's own fields, e.g. `f1`, `epoch`).
 */
export function handRow(
  o: {
    model: string;
    role?: ResultRow["role"];
    kd: boolean;
    seed: number;
    testAccuracy: number | null;
    trainAccuracy?: number | null;
    nQubits: number;
    nLayers: number;
    T: number;
    alpha: number;
  },
  extra: Record<string, unknown> = {},
): ResultRow {
  return {
    model: o.model,
    role: o.role ?? (o.model === "teacher" ? "teacher" : "student"),
    nQubits: o.nQubits,
    nLayers: o.nLayers,
    kd: o.kd,
    T: o.kd ? o.T : null,
    alpha: o.kd ? o.alpha : null,
    seed: o.seed,
    trainAccuracy: o.trainAccuracy === undefined ? o.testAccuracy : o.trainAccuracy,
    testAccuracy: o.testAccuracy,
    paperTestAccuracy: null,
    ...extra,
  };
}

/**
 * A Fig. 6 run small enough for a unit test (seconds): 96 / 48 MNIST images, 1 layer, 2 epochs per model, batches
 * of 32, checkpoints every 2 iterations. Overrides of `yanFig6.fig6Config`.
 */
export const TINY_FIG6 = Object.freeze({
  nTrain: 96,
  nTest: 48,
  nLayers: 1,
  teacherEpochs: 2,
  studentEpochs: 2,
  batchSize: 32,
  trainEvalSize: 32,
  checkpointEvery: 2,
});
