// qnn-kd sweep: shard assignment, and a Piperno quick sweep in two concurrent shards whose store a notebook renders
// with the numbers of an in-process run.
import { describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawn } from "child_process";
import { CLI, ROOT, runCli } from "./runCli";
import { resolveShard, shardUnits, unitsOf } from "../sweep";
import { EXPERIMENTS, UnitStore, piperno } from "qnn-kd/experiments";
import { useTfBackend } from "qnn-kd/hybrid";
import { processAlive } from "../../test/helpers";

describe("resolveShard", () => {
  it("reads --shard, then Slurm's array variables, then JOB_COMPLETION_INDEX with --shards", () => {
    expect(resolveShard({}, {})).toEqual({ index: 0, count: 1 });
    expect(resolveShard({ shard: "2/5" }, { SLURM_ARRAY_TASK_ID: "0", SLURM_ARRAY_TASK_COUNT: "9" })).toEqual({
      index: 2,
      count: 5,
    });
    const slurm = { SLURM_ARRAY_TASK_ID: "13", SLURM_ARRAY_TASK_MIN: "10", SLURM_ARRAY_TASK_COUNT: "4" };
    expect(resolveShard({}, slurm)).toEqual({ index: 3, count: 4 });
    expect(resolveShard({ shards: 3 }, { JOB_COMPLETION_INDEX: "2" })).toEqual({ index: 2, count: 3 });
  });

  it("rejects bad shards with the value and what is allowed", () => {
    expect(() => resolveShard({ shard: "3" }, {})).toThrow('--shard must be i/N (e.g. 0/4), got "3"');
    expect(() => resolveShard({ shard: "4/4" }, {})).toThrow("the shard index must be in [0, 4), got 4");
    expect(() => resolveShard({ shard: "0/0" }, {})).toThrow("the shard count must be ≥ 1, got 0");
    expect(() => resolveShard({}, { JOB_COMPLETION_INDEX: "1" })).toThrow(/give the shard count with --shards N/);
    expect(() => resolveShard({ shards: 2 }, {})).toThrow(/--shards 2 needs a shard index/);
  });

  it("gives unit i to shard i mod N: every unit to exactly one shard", () => {
    expect(shardUnits(7, { index: 1, count: 3 })).toEqual([1, 4]);
    const all = [0, 1, 2].flatMap((i) => shardUnits(7, { index: i, count: 3 })).sort((a, b) => a - b);
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});

describe("qnn-kd sweep piperno --quick in two shards", () => {
  it("fills the store once, and the notebook renders it with the numbers of an in-process run", async () => {
    const store = fs.mkdtempSync(path.join(os.tmpdir(), "qnnkd-sweep-"));
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "qnnkd-sweep-out-"));
    const env = { ...process.env, QNN_KD_READINGS: "none" };
    const shard = (i: number) =>
      runCli(["sweep", "piperno", "--quick", "--store", store, "--shard", `${i}/2`], env).then((r) => r.status);
    expect(await Promise.all([shard(0), shard(1)])).toEqual([0, 0]);
    const units = EXPERIMENTS.find((e) => e.id === "piperno")!.units!.list({ quick: true, seeds: 1, readings: "none" });
    expect(units.map((u) => u.label)).toEqual([
      "defaults, seed 0",
      "defaults, seed 1",
      "label-noise-0.1, seed 0",
      "parity3, seed 0",
    ]);
    const st = (u: (typeof units)[number]) => new UnitStore(store, "piperno", u.settings);
    expect(units.every((u) => st(u).has(u.unit))).toBe(true);
    // a second sweep finds everything done
    const again = await runCli(["sweep", "piperno", "--quick", "--store", store], env);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/0 computed, 4 already in the store/);
    // the store's unit equals the in-process run of the same seed, value for value
    await useTfBackend(); // the backend the sweep's units and the notebook use
    const cfg = piperno.pipernoConfig({}, true);
    const local = piperno.runPiperno(cfg, 1);
    expect(st(units[1]).read<piperno.PipernoSeedResult>("seed-1")!.rows).toEqual(
      JSON.parse(JSON.stringify(local.rows)),
    );
    // the notebook renders from the store: its result rows are the store's rows
    const r = await runCli(["reproduce", "piperno", "--quick", "--store", store, "--out", out, "--no-png"], env);
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(fs.readFileSync(path.join(out, "piperno", "results.json"), "utf8")).rows as unknown[];
    const stored = [0, 1].flatMap((s) => st(units[0]).read<piperno.PipernoSeedResult>(`seed-${s}`)!.rows);
    expect(rows.slice(0, stored.length)).toEqual(stored);
    fs.rmSync(store, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  }, 600_000);
});

describe("qnn-kd sweep noisy-teacher --quick", () => {
  it("stores one unit per seed, keyed without the seed count, and the notebook renders the stored rows", async () => {
    const store = fs.mkdtempSync(path.join(os.tmpdir(), "qnnkd-sweep-noisy-"));
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "qnnkd-sweep-noisy-out-"));
    const units = EXPERIMENTS.find((e) => e.id === "noisy-teacher")!.units!;
    const one = units.list({ quick: true, seeds: 1 });
    const two = units.list({ quick: true, seeds: 2 });
    expect(one.map((u) => u.unit)).toEqual(["seed-0"]);
    expect(two.map((u) => u.unit)).toEqual(["seed-0", "seed-1"]);
    expect(new UnitStore(store, "noisy-teacher", two[0].settings).hash).toBe(
      new UnitStore(store, "noisy-teacher", one[0].settings).hash,
    );
    const s = await runCli(["sweep", "noisy-teacher", "--quick", "--store", store]);
    expect(s.status, s.stderr).toBe(0);
    const stored = new UnitStore(store, "noisy-teacher", one[0].settings).read<{ rows: unknown[] }>("seed-0")!;
    expect(stored.rows.length).toBeGreaterThan(0);
    const r = await runCli(["reproduce", "noisy-teacher", "--quick", "--store", store, "--out", out, "--no-png"]);
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(fs.readFileSync(path.join(out, "noisy-teacher", "results.json"), "utf8")).rows as unknown[];
    expect(rows).toEqual(stored.rows);
    fs.rmSync(store, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  }, 600_000);
});

describe("qnn-kd sweep table1 --quick --seeds 2", () => {
  it("fills the store with every seed and variant; the notebook renders it without training, as an in-process run", async () => {
    const store = fs.mkdtempSync(path.join(os.tmpdir(), "qnnkd-sweep-t1-"));
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "qnnkd-sweep-t1-out-"));
    const env = { ...process.env, QNN_KD_READINGS: "none" };
    const args = ["table1", "--quick", "--seeds", "2"];
    const s = await runCli(["sweep", ...args, "--store", store, "--jobs", "2"], env);
    expect(s.status, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/4 unit\(s\)/);
    const local = await runCli(["reproduce", ...args, "--out", path.join(out, "local"), "--no-png"], env);
    expect(local.status, local.stderr).toBe(0);
    const fromStore = await runCli(
      ["reproduce", ...args, "--store", store, "--out", path.join(out, "store"), "--no-png"],
      env,
    );
    expect(fromStore.status, fromStore.stderr).toBe(0);
    // the timing fields aside, the rows and claims are the in-process run's
    const read = (where: string, file: string) =>
      JSON.parse(fs.readFileSync(path.join(out, where, "table1", file), "utf8"), (k, v: unknown) =>
        ["elapsedMs", "timesSeconds", "writtenAt"].includes(k) ? undefined : v,
      ) as { rows?: unknown[] };
    expect(read("store", "results.json").rows).toEqual(read("local", "results.json").rows);
    expect(read("store", "claims.json")).toEqual(read("local", "claims.json"));
    // seed 0's models came from the store (restored checkpoints), not from training
    const executed = fs.readFileSync(path.join(out, "store", "table1", "yan-table1.ipynb"), "utf8");
    expect(executed).toMatch(/seed 0: \d+ trained model\(s\) read from the unit store/);
    fs.rmSync(store, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  }, 900_000);
});

describe("qnn-kd sweep course --quick (an experiment without units of its own)", () => {
  it("runs one unit per notebook, and reproduce --store copies their results instead of running them", async () => {
    const store = fs.mkdtempSync(path.join(os.tmpdir(), "qnnkd-sweep-course-"));
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "qnnkd-sweep-course-out-"));
    const course = EXPERIMENTS.find((e) => e.id === "course")!;
    const units = unitsOf(course, { quick: true, seeds: 1 });
    expect(units.map((u) => u.label)).toEqual(
      course.notebooks!.map((nb) => `course/${path.basename(nb, ".ipynb")}: the whole notebook`),
    );
    const s = await runCli(["sweep", "course", "--quick", "--store", store, "--jobs", "2"]);
    expect(s.status, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/6 computed/);
    const st = await runCli(["status", "course", "--quick", "--store", store]);
    expect(st.stdout).toMatch(/6 done/);
    const r = await runCli(["reproduce", "course", "--quick", "--store", store, "--out", out, "--no-png"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr.match(/rendered from the unit store/g)?.length).toBe(6);
    for (const u of units) {
      const part = `course/${path.basename((u.settings as { notebook: string }).notebook, ".ipynb")}`;
      const stored = path.join(new UnitStore(store, "course", u.settings, { create: false }).folder, "notebook", part);
      for (const f of fs.readdirSync(stored).filter((x) => x !== "run.json")) {
        if (fs.statSync(path.join(stored, f)).isFile())
          expect(fs.readFileSync(path.join(out, part, f), "utf8")).toBe(fs.readFileSync(path.join(stored, f), "utf8"));
      }
    }
    fs.rmSync(store, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  }, 900_000);
});

/** Pids of the live processes whose command line contains every one of `parts` (Linux: /proc). */
function pidsWith(...parts: string[]): number[] {
  const out: number[] = [];
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, "utf8").replace(/\0/g, " ");
      if (parts.every((p) => cmd.includes(p))) out.push(Number(d));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/** The pid of the one unit process (sweepUnit.js) of a sweep into `store`, as soon as it runs (within 60 s). */
async function unitProcess(store: string): Promise<number> {
  let pids: number[] = [];
  for (let t0 = Date.now(); pids.length === 0 && Date.now() - t0 < 60_000;)
    await new Promise((r) => setTimeout(r, 50)).then(() => (pids = pidsWith("sweepUnit.js", store)));
  expect(pids).toHaveLength(1);
  return pids[0];
}

describe("qnn-kd sweep stopped by SIGTERM", () => {
  it.skipIf(process.platform !== "linux")(
    "stops its running unit, releases the claim, exits 143, and the next sweep computes the unit",
    async () => {
      const store = fs.mkdtempSync(path.join(os.tmpdir(), "qnnkd-sweep-term-"));
      const args = ["sweep", "noisy-teacher", "--quick", "--store", store];
      const sweep = spawn(process.execPath, [CLI, ...args], { cwd: ROOT });
      let stdout = "";
      sweep.stdout.on("data", (d) => (stdout += d));
      const closed = new Promise<number | null>((resolve) => sweep.on("close", (code) => resolve(code)));
      // the unit's own process (sweepUnit.js with this store), as soon as it exists
      const unitPid = await unitProcess(store);
      sweep.kill("SIGTERM");
      expect(await closed).toBe(143); // 128 + SIGTERM's 15
      expect(processAlive(unitPid)).toBe(false); // no unit left running, unclaimed
      expect(stdout).toMatch(/0 computed, .* 0 failed, 1 interrupted/);
      const unit = EXPERIMENTS.find((e) => e.id === "noisy-teacher")!.units!.list({ quick: true, seeds: 1 })[0];
      expect(new UnitStore(store, "noisy-teacher", unit.settings).state(unit.unit)).toBe("missing"); // claim released
      const again = await runCli(args);
      expect(again.status, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/1 computed/);
      fs.rmSync(store, { recursive: true, force: true });
    },
    600_000,
  );
});

describe("qnn-kd sweep killed outright (SIGKILL)", () => {
  it.skipIf(process.platform !== "linux")(
    "leaves no unit running: the unit's orphan guard ends it before it writes a result",
    async () => {
      const store = fs.mkdtempSync(path.join(os.tmpdir(), "qnnkd-sweep-kill-"));
      const sweep = spawn(process.execPath, [CLI, "sweep", "noisy-teacher", "--quick", "--store", store], {
        cwd: ROOT,
      });
      const closed = new Promise((resolve) => sweep.on("close", resolve));
      const unitPid = await unitProcess(store);
      await new Promise((r) => setTimeout(r, 300)); // the unit is starting up (the guard is preloaded first)
      sweep.kill("SIGKILL");
      await closed;
      const t0 = Date.now();
      while (processAlive(unitPid) && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 100));
      const gone = !processAlive(unitPid);
      if (!gone) process.kill(unitPid, "SIGKILL"); // do not leak it from the test either
      expect(gone).toBe(true);
      const unit = EXPERIMENTS.find((e) => e.id === "noisy-teacher")!.units!.list({ quick: true, seeds: 1 })[0];
      expect(new UnitStore(store, "noisy-teacher", unit.settings).has(unit.unit)).toBe(false); // it did not run on
      fs.rmSync(store, { recursive: true, force: true });
    },
    120_000,
  );
});
