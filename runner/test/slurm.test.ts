// qnn-kd sweep --slurm against a real Slurm (scripts/slurm-local.sh; .ci/run starts it): the merged results equal a
// single-process run's bit for bit, also after one array task is cancelled mid-run and the sweep resubmitted.
// Skipped where no Slurm answers (`sinfo`), e.g. a laptop without the daemons; CI runs it.
import { describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync, spawnSync } from "child_process";
import { CLI, ROOT, runCli } from "./runCli";

const slurmUp = spawnSync("sinfo", ["-h", "-o", "%t"], { encoding: "utf8" }).stdout?.trim().length > 0;
// 4 seeds of the defaults and the two harder-data settings: 6 units, no readings (QNN_KD_READINGS=none)
const ENV = { ...process.env, QNN_KD_READINGS: "none" };
const ARGS = ["piperno", "--quick", "--seeds", "4"];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const run = (args: string[]) => runCli(args, ENV);
const queued = (job: string) =>
  execFileSync("squeue", ["-h", "-j", job, "-o", "%i %T"], { encoding: "utf8" })
    .split("\n")
    .filter((l) => l.trim() !== "");
async function waitGone(job: string, seconds: number): Promise<void> {
  for (let t = 0; t < seconds; t++) {
    if (queued(job).length === 0) return;
    await sleep(1000);
  }
  throw new Error(`job ${job} still queued after ${seconds} s: ${queued(job).join("; ")}`);
}
function submit(store: string, out: string): { arrayJob: string; mergeJob: string } {
  const r = spawnSync(
    process.execPath,
    [CLI, "sweep", ...ARGS, "--slurm", "--tasks", "2", "--store", store, "--out", out, "--time", "00:20:00"],
    { env: ENV, cwd: ROOT, encoding: "utf8" },
  );
  expect(r.status, r.stderr).toBe(0);
  const m = /array job (\d+).*merge job (\d+)/.exec(r.stdout);
  expect(m, r.stdout).not.toBeNull();
  return { arrayJob: m![1], mergeJob: m![2] };
}
const results = (dir: string) => {
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, "scripts", "compare-results.js"), path.join(SINGLE, "piperno"), dir],
    {
      encoding: "utf8",
    },
  );
  return { status: r.status, text: r.stdout + r.stderr };
};

let SINGLE = "";

describe.skipIf(!slurmUp)("qnn-kd sweep --slurm on a local Slurm", () => {
  it("merges the array's units into the numbers of a single-process run", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "qnnkd-slurm-"));
    SINGLE = path.join(tmp, "single");
    const single = await run(["reproduce", ...ARGS, "--out", SINGLE, "--no-png"]);
    expect(single.status, single.stderr).toBe(0);
    const out = path.join(tmp, "slurm");
    const { arrayJob, mergeJob } = submit(path.join(tmp, "store"), out);
    await waitGone(arrayJob, 600);
    await waitGone(mergeJob, 600);
    const cmp = results(path.join(out, "piperno"));
    expect(cmp.text).toMatch(/all 2 files identical/);
    expect(cmp.status).toBe(0);
  }, 1_500_000);

  it("a task cancelled mid-unit leaves no partial result; the resubmitted sweep gives the same numbers", async () => {
    expect(SINGLE).not.toBe("");
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "qnnkd-slurm-cancel-"));
    const store = path.join(tmp, "store"),
      out = path.join(tmp, "out");
    const first = submit(store, out);
    // wait until task 1 is inside a unit (its claim exists), then cancel that task
    const claims = () =>
      fs.existsSync(path.join(store, "piperno"))
        ? fs
            .readdirSync(path.join(store, "piperno"), { recursive: true })
            .map(String)
            .filter((f) => f.endsWith(".claim"))
        : [];
    for (let t = 0; t < 300 && claims().length === 0; t++) await sleep(1000);
    expect(claims().length).toBeGreaterThan(0);
    execFileSync("scancel", [`${first.arrayJob}_1`]);
    await waitGone(first.arrayJob, 600);
    // the merge job's dependency can no longer be met: cancel it
    execFileSync("scancel", [first.mergeJob]);
    await waitGone(first.mergeJob, 60);
    expect(fs.existsSync(path.join(out, "piperno", "results.json"))).toBe(false);
    const status = await run(["status", ...ARGS, "--store", store]);
    expect(status.stdout).toMatch(/piperno: \d+ done, 0 running, \d+ stale, \d+ missing \(of 6\)/);
    expect(status.stdout).not.toMatch(/piperno: 6 done/);
    // resubmit: only what is missing is computed, and the numbers are the single run's
    const second = submit(store, out);
    await waitGone(second.arrayJob, 600);
    await waitGone(second.mergeJob, 600);
    const cmp = results(path.join(out, "piperno"));
    expect(cmp.status, cmp.text).toBe(0);
    const logs = fs
      .readdirSync(path.join(store, "slurm"))
      .filter((f) => f.startsWith(`sweep-${second.arrayJob}_`))
      .map((f) => fs.readFileSync(path.join(store, "slurm", f), "utf8"))
      .join("\n");
    expect(logs).toMatch(/already in the store/);
    fs.rmSync(tmp, { recursive: true, force: true });
  }, 1_500_000);
});
