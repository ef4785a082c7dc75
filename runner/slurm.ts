/**
 * `qnn-kd sweep … --slurm`: a sweep as a Slurm job array of N tasks (each `qnn-kd sweep …`, its shard read from
 * `SLURM_ARRAY_TASK_ID` and `SLURM_ARRAY_TASK_COUNT`) and a merge job, submitted with an `afterok` dependency on
 * the array, that renders the notebooks from the store (`qnn-kd reproduce … --store`). Both scripts are written into
 * `<store>/slurm/` and submitted with `sbatch --parsable`; `--dry-run` prints them instead.
 *
 * A task killed mid-unit (`scancel`, a lost node) leaves no partial result: its unit's claim turns stale (its
 * process is gone, or its heartbeats stop) and the next sweep takes it over, resuming from the unit's checkpoints.
 * Resubmitting the same command computes only what is missing.
 *
 * @packageDocumentation
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** What the two job scripts run and ask Slurm for. */
export interface SlurmSweepOptions {
  /** Experiment ids (as given to `sweep`). */
  ids: string[];
  quick: boolean;
  /** `--seeds`, when given. */
  seeds?: number;
  /** The unit store (absolute; on a file system every node sees). */
  store: string;
  /** Array tasks (shards). */
  tasks: number;
  /** Units each task computes at once (`--jobs`; also its `--cpus-per-task`). @defaultValue 1 */
  jobs?: number;
  /** `--partition`. @defaultValue Slurm's default partition */
  partition?: string;
  /** `--time` of each array task and of the merge job, e.g. "01:00:00". @defaultValue Slurm's default */
  time?: string;
  /** `--mem` per task, e.g. "4G". @defaultValue Slurm's default */
  mem?: string;
  /** Where the merge job writes the results (`reproduce --out`). @defaultValue `<project>/results` */
  out?: string;
  /** `QNN_KD_READINGS` for the tasks and the merge job, when set. */
  readings?: string;
  /** The node executable and the CLI script the jobs run. @defaultValue this process's */
  node?: string;
  cli?: string;
  /** The folder the jobs start in (the project). */
  workdir: string;
}

const quote = (s: string) => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function common(o: SlurmSweepOptions): string[] {
  return [
    ...(o.partition ? [`#SBATCH --partition=${o.partition}`] : []),
    ...(o.time ? [`#SBATCH --time=${o.time}`] : []),
    ...(o.mem ? [`#SBATCH --mem=${o.mem}`] : []),
  ];
}

function runArgs(o: SlurmSweepOptions): string[] {
  return [...o.ids, ...(o.quick ? ["--quick"] : []), ...(o.seeds !== undefined ? ["--seeds", String(o.seeds)] : [])];
}

/**
 * The two job scripts: the array (`--array=0-<tasks − 1>`, one `qnn-kd sweep` per task) and the merge job.
 * @throws Error for tasks < 1 or a relative store.
 */
export function slurmScripts(o: SlurmSweepOptions): { array: string; merge: string } {
  if (!(Number.isInteger(o.tasks) && o.tasks >= 1))
    throw new Error(`--slurm: --tasks must be an integer ≥ 1, got ${o.tasks}`);
  if (!path.isAbsolute(o.store)) throw new Error(`--slurm: the store must be an absolute path, got ${o.store}`);
  const node = quote(o.node ?? process.execPath);
  const cli = quote(o.cli ?? path.join(__dirname, "cli.js"));
  const logs = path.join(o.store, "slurm");
  const env = o.readings ? [`export QNN_KD_READINGS=${quote(o.readings)}`] : [];
  const jobs = o.jobs ?? 1;
  const array = [
    "#!/bin/bash",
    "#SBATCH --job-name=qnn-kd-sweep",
    `#SBATCH --array=0-${o.tasks - 1}`,
    `#SBATCH --cpus-per-task=${jobs}`,
    ...common(o),
    `#SBATCH --output=${quote(path.join(logs, "sweep-%A_%a.out"))}`,
    "set -euo pipefail",
    `cd ${quote(o.workdir)}`,
    ...env,
    `exec ${node} ${cli} sweep ${runArgs(o).map(quote).join(" ")} --store ${quote(o.store)} --jobs ${jobs}`,
    "",
  ].join("\n");
  const merge = [
    "#!/bin/bash",
    "#SBATCH --job-name=qnn-kd-merge",
    ...common(o),
    `#SBATCH --output=${quote(path.join(logs, "merge-%j.out"))}`,
    "set -euo pipefail",
    `cd ${quote(o.workdir)}`,
    ...env,
    `exec ${node} ${cli} reproduce ${runArgs(o).map(quote).join(" ")} --store ${quote(o.store)}` +
      (o.out ? ` --out ${quote(o.out)}` : ""),
    "",
  ].join("\n");
  return { array, merge };
}

/**
 * Writes the scripts into `<store>/slurm/` and submits them: the array, then the merge job with
 * `--dependency=afterok:<array job>`. Returns the job ids and the script files.
 * @throws Error with sbatch's message when a submission fails.
 */
export function submitSlurmSweep(o: SlurmSweepOptions): {
  arrayJob: string;
  mergeJob: string;
  files: { array: string; merge: string };
} {
  const { array, merge } = slurmScripts(o);
  const dir = path.join(o.store, "slurm");
  fs.mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const files = { array: path.join(dir, `sweep-${stamp}.sbatch`), merge: path.join(dir, `merge-${stamp}.sbatch`) };
  fs.writeFileSync(files.array, array, { mode: 0o755 });
  fs.writeFileSync(files.merge, merge, { mode: 0o755 });
  const sbatch = (args: string[]) => {
    try {
      return execFileSync("sbatch", ["--parsable", ...args], { encoding: "utf8" })
        .trim()
        .split(";")[0];
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`--slurm: sbatch ${args.join(" ")} failed: ${(e.stderr ?? e.message).trim()}`);
    }
  };
  const arrayJob = sbatch([files.array]);
  const mergeJob = sbatch([`--dependency=afterok:${arrayJob}`, files.merge]);
  return { arrayJob, mergeJob, files };
}
