/**
 * `qnn-kd sweep` and `qnn-kd status`: an experiment's work units (`Experiment.units`, or one per notebook for an
 * experiment without units of its own: `notebookUnits.ts`) computed by any number of processes on any number of
 * machines into one unit store (`UnitStore`), and the store's state.
 *
 * **Shards.** A sweep of N shards gives unit i of the experiment's list (a fixed order, the same in every shard) to
 * shard i mod N. The shard comes from `--shard i/N`; without it from Slurm (`SLURM_ARRAY_TASK_ID` − `SLURM_ARRAY_TASK_MIN`
 * of `SLURM_ARRAY_TASK_COUNT`), or from a Kubernetes Indexed Job (`JOB_COMPLETION_INDEX`, with `--shards N`); else
 * the sweep is one shard that takes every unit.
 *
 * **A unit** runs in a child process (`sweepUnit.js`), so that this process stays free to refresh the unit's claim
 * every {@link HEARTBEAT_SECONDS} s and `--jobs J` runs J units at once. A unit already in the store is skipped, one
 * that a live owner holds is left to it, a stale one is taken over; the child resumes from the unit's checkpoints
 * in the store and writes its result atomically. A failed child releases the unit and fails the sweep (exit 1) once
 * the other units are done.
 *
 * **Stopping.** Aborting {@link SweepOptions.signal} (the CLI does on SIGINT, SIGTERM and SIGHUP: Ctrl-C, `kill`,
 * Slurm's `scancel` or the end of a job's time) starts no further unit and sends SIGTERM to the running units'
 * processes; each stops where it is (its checkpoints, written atomically, stay in the store), its claim is released,
 * and the next sweep resumes it. Without this a killed sweep would leave its units running on, unclaimed.
 *
 * @packageDocumentation
 */
import { spawn, type ChildProcess } from "child_process";
import * as path from "path";
import { UnitStore, type Experiment, type RunRequest, type UnitState, type WorkUnit } from "qnn-kd/experiments";
import { notebookUnits } from "./notebookUnits";

/** Seconds between two refreshes of a running unit's claim (a claim unrefreshed for 10 minutes is stale). */
export const HEARTBEAT_SECONDS = 30;

/** Shard `index` of `count` (0 ≤ index < count). */
export interface Shard {
  index: number;
  count: number;
}

function parseIndex(what: string, v: string): number {
  const n = Number(v);
  if (!/^\s*\d+\s*$/.test(v) || !Number.isInteger(n))
    throw new Error(`${what} must be an integer ≥ 0, got ${JSON.stringify(v)}`);
  return n;
}

/**
 * The shard of this process: `shard` ("i/N"), else Slurm's array variables, else `JOB_COMPLETION_INDEX` with
 * `shards` (N), else 0 of 1 (see the module doc).
 * @throws Error for a malformed "i/N", i ≥ N, N < 1, or `JOB_COMPLETION_INDEX` without a shard count.
 */
export function resolveShard(
  opts: { shard?: string; shards?: number },
  env: Record<string, string | undefined> = process.env,
): Shard {
  let index: number, count: number;
  if (opts.shard !== undefined) {
    const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(opts.shard);
    if (!m) throw new Error(`--shard must be i/N (e.g. 0/4), got ${JSON.stringify(opts.shard)}`);
    [index, count] = [Number(m[1]), Number(m[2])];
  } else if (env.SLURM_ARRAY_TASK_ID !== undefined && env.SLURM_ARRAY_TASK_COUNT !== undefined) {
    index =
      parseIndex("SLURM_ARRAY_TASK_ID", env.SLURM_ARRAY_TASK_ID) -
      parseIndex("SLURM_ARRAY_TASK_MIN", env.SLURM_ARRAY_TASK_MIN ?? "0");
    count = parseIndex("SLURM_ARRAY_TASK_COUNT", env.SLURM_ARRAY_TASK_COUNT);
  } else if (env.JOB_COMPLETION_INDEX !== undefined) {
    if (opts.shards === undefined)
      throw new Error("JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job): give the shard count with --shards N");
    index = parseIndex("JOB_COMPLETION_INDEX", env.JOB_COMPLETION_INDEX);
    count = opts.shards;
  } else {
    index = 0;
    count = opts.shards ?? 1;
    if (count !== 1) throw new Error(`--shards ${count} needs a shard index (--shard i/N or JOB_COMPLETION_INDEX)`);
  }
  if (!(count >= 1)) throw new Error(`the shard count must be ≥ 1, got ${count}`);
  if (!(index >= 0 && index < count)) throw new Error(`the shard index must be in [0, ${count}), got ${index}`);
  return { index, count };
}

/** The units of shard `shard` among `n` units: indices i with i mod count = index. */
export function shardUnits(n: number, shard: Shard): number[] {
  const out: number[] = [];
  for (let i = shard.index; i < n; i += shard.count) out.push(i);
  return out;
}

/**
 * The work units of an experiment for a request: its own (`Experiment.units`), or one per notebook for an experiment
 * that declares none (`notebookUnits`: the course).
 */
export function unitsOf(exp: Experiment, request: RunRequest): WorkUnit[] {
  return exp.units ? exp.units.list(request) : notebookUnits(exp, request);
}

/** What happened to one unit in a sweep. */
export interface UnitOutcome {
  experiment: string;
  index: number;
  label: string;
  /**
   * computed here; already in the store; held by a live owner elsewhere; failed (child exit status ≠ 0); interrupted
   * (stopped through {@link SweepOptions.signal}: its checkpoints stay in the store, the next sweep resumes it).
   */
  outcome: "computed" | "done" | "held" | "failed" | "interrupted";
  seconds: number;
  error?: string;
}

/** Options of {@link runSweep}. */
export interface SweepOptions {
  request: RunRequest;
  /** The unit store's root folder. */
  store: string;
  shard: Shard;
  /** Units run at once (child processes). @defaultValue 1 */
  jobs?: number;
  /** Progress lines. @defaultValue process.stdout */
  log?: (line: string) => void;
  /** Seconds after which another host's claim without a heartbeat is stale. @defaultValue the store's (600) */
  staleSeconds?: number;
  /**
   * Stops the sweep when aborted: no further unit starts, and the running units' processes get SIGTERM (outcome
   * "interrupted"); units never started get no outcome. @defaultValue none (the sweep runs to the end)
   */
  signal?: AbortSignal;
}

/**
 * Computes the units of this shard of each experiment that are not in the store yet, `jobs` at a time, each in a
 * child process. Never throws for a failed unit: it is reported (outcome "failed") and the others go on.
 */
export async function runSweep(exps: readonly Experiment[], opts: SweepOptions): Promise<UnitOutcome[]> {
  const log = opts.log ?? ((l: string) => process.stdout.write(l + "\n"));
  const jobs = Math.max(1, opts.jobs ?? 1);
  const work: { exp: Experiment; index: number; unit: WorkUnit }[] = [];
  for (const exp of exps) {
    const list = unitsOf(exp, opts.request);
    for (const i of shardUnits(list.length, opts.shard)) work.push({ exp, index: i, unit: list[i] });
  }
  log(
    `sweep: shard ${opts.shard.index}/${opts.shard.count}: ${work.length} unit(s), ${jobs} at a time, store ${opts.store}`,
  );
  const out: UnitOutcome[] = new Array<UnitOutcome>(work.length); // in the order of `work`
  const children = new Set<ChildProcess>();
  const stop = () => {
    log(`sweep: stopping ${children.size} running unit(s); their checkpoints stay in the store`);
    for (const c of children) c.kill("SIGTERM");
  };
  opts.signal?.addEventListener("abort", stop, { once: true });
  let next = 0;
  const worker = async () => {
    while (next < work.length && !opts.signal?.aborted) {
      const k = next++;
      const w = work[k];
      const o = await runOne(w.exp, w.index, w.unit, opts, children);
      out[k] = o;
      const t = o.outcome === "computed" ? ` in ${o.seconds.toFixed(1)} s` : "";
      log(`  ${w.exp.id} #${w.index} (${w.unit.label}): ${o.outcome}${t}${o.error ? `: ${o.error}` : ""}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(jobs, work.length) }, worker));
  } finally {
    opts.signal?.removeEventListener("abort", stop);
  }
  return out.filter((o) => o !== undefined); // units never started (the sweep stopped) have no outcome
}

async function runOne(
  exp: Experiment,
  index: number,
  unit: WorkUnit,
  opts: SweepOptions,
  children: Set<ChildProcess>,
): Promise<UnitOutcome> {
  const store = new UnitStore(
    opts.store,
    exp.id,
    unit.settings,
    opts.staleSeconds ? { staleSeconds: opts.staleSeconds } : {},
  );
  const base = { experiment: exp.id, index, label: unit.label, seconds: 0 };
  if (store.has(unit.unit)) return { ...base, outcome: "done" };
  if (!store.claim(unit.unit)) return { ...base, outcome: store.has(unit.unit) ? "done" : "held" };
  const t0 = performance.now();
  const beat = setInterval(() => store.heartbeat(unit.unit), HEARTBEAT_SECONDS * 1000);
  try {
    const r = await runChild([exp.id, opts.store, String(index), store.hash, JSON.stringify(opts.request)], children);
    const seconds = (performance.now() - t0) / 1000;
    if (r.code === 0 && store.has(unit.unit)) return { ...base, outcome: "computed", seconds };
    if (opts.signal?.aborted) return { ...base, outcome: "interrupted", seconds };
    const why = r.code === 0 ? "the unit wrote no result" : `exit status ${r.code ?? r.signal}`;
    return {
      ...base,
      outcome: "failed",
      seconds,
      error: `${why}${r.stderr ? `; ${r.stderr.trim().split("\n").slice(-3).join(" | ")}` : ""}`,
    };
  } finally {
    clearInterval(beat);
    store.release(unit.unit);
  }
}

/** Runs one unit's process, listed in `children` while it runs. */
function runChild(
  args: string[],
  children: Set<ChildProcess>,
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    // the orphan guard ends the unit if this sweep is killed outright (SIGKILL: no chance to stop it), so that no
    // unit runs on after its claim went stale
    const guard = path.join(__dirname, "orphan-guard.js");
    const child = spawn(process.execPath, ["--require", guard, path.join(__dirname, "sweepUnit.js"), ...args], {
      stdio: ["ignore", "inherit", "pipe"],
    });
    children.add(child);
    child.on("exit", () => children.delete(child));
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr = (stderr + String(d)).slice(-4000);
      process.stderr.write(d);
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stderr }));
  });
}

/** One unit's state in the store, for `qnn-kd status`. */
export interface UnitStatus {
  experiment: string;
  index: number;
  label: string;
  state: UnitState;
  /** The claim's owner ("host pid job"), for running and stale units. */
  owner: string | null;
}

/** The state of every unit of each experiment for a request in the store at `storeRoot`. */
export function sweepStatus(exps: readonly Experiment[], request: RunRequest, storeRoot: string): UnitStatus[] {
  const out: UnitStatus[] = [];
  for (const exp of exps) {
    unitsOf(exp, request).forEach((u, index) => {
      const store = new UnitStore(storeRoot, exp.id, u.settings, { create: false });
      const state = store.state(u.unit);
      const o = state === "running" || state === "stale" ? store.claimOwner(u.unit) : null;
      out.push({
        experiment: exp.id,
        index,
        label: u.label,
        state,
        owner: o ? `${o.host} pid ${o.pid}${o.job ? ` job ${o.job}` : ""} since ${o.startedAt}` : null,
      });
    });
  }
  return out;
}
