#!/usr/bin/env node
/**
 * The `qnn-kd` command line:
 *
 * - `qnn-kd reproduce <id...> [--quick] [--seeds <k>] [--out <dir>] [--timeout <s>] [--idle-timeout <s>] [--no-png]
 *   [--store <dir>]`
 *   (a group of notebooks, e.g. `course`, runs each notebook as its own job into `<out>/<id>/<notebook>/`)
 * - `qnn-kd run <notebook.ipynb> [--out <file> | --inplace] [--results <dir>] [--quick] [--seeds <k>] [--timeout <s>]
 *   [--idle-timeout <s>] [--no-png]`
 * - `qnn-kd claims <id...> [--out <dir>]`: recompute `<out>/<id>/claims.json` from its `results.json` with the current
 *   claim checkers (no training), then the scorecard
 * - `qnn-kd sweep <id...> [--quick] [--seeds <k>] [--store <dir>] [--shard <i/N>] [--shards <N>] [--jobs <J>]`: compute
 *   the work units of shard i of N into a unit store (`sweep.ts`); `reproduce … --store <dir>` renders from it;
 *   with `--slurm [--dry-run] [--tasks <N>] [--partition <p>] [--time <t>] [--mem <m>] [--out <dir>]` the sweep is
 *   submitted as a job array plus a merge job (`slurm.ts`)
 * - `qnn-kd status <id...> [--quick] [--seeds <k>] [--store <dir>]`: done, running, stale and missing units
 * - `qnn-kd kernel-install [--prefix <dir> | --user]`
 * - `qnn-kd list`
 *
 * Watchdog (see `watchdog.ts`): a kernel that dies fails its cell at once; `--idle-timeout` (default
 * {@link DEFAULT_IDLE_TIMEOUT_S} s, 0 = off) fails a cell whose kernel is idle without replying (e.g. an await that
 * never settles) but never one that computes; `--timeout` (default 0 = none) bounds every cell's wall time. Either
 * way the partial notebook is written and the run stops.
 *
 * Exit status: 0 when everything succeeded, 1 on a failing cell or any error, 130 when interrupted (Ctrl-C).
 *
 * @packageDocumentation
 */
import { Command, InvalidArgumentError } from "commander";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { experimentParts, resolveExperiments, seedsFor } from "./experiments";
import { installKernelSpecs } from "./kernelspec";
import { DEFAULT_CELL_TIMEOUT_S, DEFAULT_IDLE_TIMEOUT_S } from "./notebook";
import { reproducePart, ReproduceResult, runNotebookWithExport } from "./reproduce";
import { resolveShard, runSweep, sweepStatus, unitsOf, type UnitOutcome } from "./sweep";
import { slurmScripts, submitSlurmSweep, type SlurmSweepOptions } from "./slurm";
import {
  EXPERIMENTS,
  projectRoot,
  rescoreExperiment,
  statusText,
  writeScorecard,
  type Experiment,
  type RunRequest,
} from "qnn-kd/experiments";

export { projectRoot };

/** The notebook-run options of `reproduce` and `run`, from their shared command-line options. */
function runOptions(
  opts: { quick: boolean; seeds?: number; timeout: number; idleTimeout: number; png: boolean; store?: string },
  root: string,
  signal: AbortSignal,
) {
  return {
    quick: opts.quick,
    seeds: opts.seeds,
    ...(opts.store ? { store: path.resolve(opts.store) } : {}),
    cellTimeoutS: opts.timeout,
    idleTimeoutS: opts.idleTimeout,
    exportPng: opts.png,
    projectRoot: root,
    run: { signal },
  };
}

/** The options that say which units a sweep or a status means: `--quick`, `--seeds`, `--store`. */
function unitOptions(cmd: Command): Command {
  return cmd
    .option("--quick", "quick mode: small sizes", false)
    .option("--seeds <k>", "number of seeds (as for reproduce)", parsePositiveInt)
    .option("--store <dir>", "the unit store's folder, shared by every shard (default: <project>/results/store)");
}

/** The unit store's folder: `--store`, or `<project>/results/store`. */
function storeRoot(opts: { store?: string }): string {
  return path.resolve(opts.store ?? path.join(projectRoot(), "results", "store"));
}

/** The run request of an experiment, as reproduce would run it (seeds as `seedsFor`, readings from QNN_KD_READINGS). */
function runRequest(exp: Experiment, opts: { quick: boolean; seeds?: number }): RunRequest {
  const readings = process.env.QNN_KD_READINGS;
  return { quick: opts.quick, seeds: seedsFor(exp, opts), ...(readings ? { readings } : {}) };
}

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0)
    throw new InvalidArgumentError(
      `expected a number of seconds >= 0 (0 turns the limit off), got ${JSON.stringify(value)}`,
    );
  return n;
}

const TIMEOUT_HELP = "overall time limit per cell in seconds, however busy the kernel is (0 = none)";
const IDLE_TIMEOUT_HELP =
  "fail a cell whose kernel is idle without replying this long: event loop free, nothing pending, no output, " +
  "e.g. an await that never settles; a computing cell never counts (0 = off)";

function rel(p: string): string {
  const r = path.relative(process.cwd(), p);
  return r && !r.startsWith("..") && !path.isAbsolute(r) ? r : p;
}

/**
 * Runs notebook jobs one after another with Ctrl-C handling, prints the summary and sets the exit code: 130 when
 * interrupted, 1 when any job failed, else 0.
 */
async function runJobs(
  jobs: Array<{ id: string; banner?: string; run: (signal: AbortSignal) => Promise<ReproduceResult> }>,
): Promise<void> {
  const t0 = performance.now();
  const intr = stopOnSignals(["SIGINT"], "interrupting the kernel");
  const results: ReproduceResult[] = [];
  const errors: Array<{ id: string; message: string }> = [];
  try {
    for (const job of jobs) {
      if (intr.received()) break;
      if (job.banner) process.stderr.write(job.banner);
      try {
        results.push(await job.run(intr.signal));
      } catch (err) {
        errors.push({ id: job.id, message: (err as Error).message });
      }
    }
  } finally {
    intr.dispose();
  }
  printSummary(results, errors, (performance.now() - t0) / 1000);
  if (intr.received()) process.exitCode = 130;
  else if (errors.length > 0 || results.some((r) => !r.ok)) process.exitCode = 1;
}

/**
 * Turns the first of `signals` into an abort of the returned signal (after printing `what`); a second signal exits
 * at once with 128 + its number. `reproduce` stops on SIGINT (the kernel is interrupted, the partial notebook
 * written); `sweep` on SIGINT, SIGTERM and SIGHUP (its running units are stopped, their checkpoints kept).
 */
function stopOnSignals(
  signals: readonly NodeJS.Signals[],
  what: string,
): { signal: AbortSignal; received: () => NodeJS.Signals | null; dispose: () => void } {
  const ac = new AbortController();
  let got: NodeJS.Signals | null = null;
  const on = (sig: NodeJS.Signals): void => {
    if (got) {
      process.stderr.write(`\nqnn-kd: second ${sig}, exiting now\n`);
      process.exit(128 + os.constants.signals[sig]);
    }
    got = sig;
    process.stderr.write(`\nqnn-kd: ${sig}: ${what} (a second signal exits at once)…\n`);
    ac.abort();
  };
  for (const s of signals) process.on(s, on);
  return {
    signal: ac.signal,
    received: () => got,
    dispose: () => signals.forEach((s) => process.removeListener(s, on)),
  };
}

function printSummary(
  results: ReproduceResult[],
  errors: Array<{ id: string; message: string }>,
  totalS: number,
): void {
  const w = (s: string): void => void process.stderr.write(s + "\n");
  w("");
  w(`qnn-kd: finished in ${totalS.toFixed(1)} s`);
  for (const r of results) {
    w(`  ${r.id}: ${r.ok ? "ok" : "FAILED"} in ${r.durationS.toFixed(1)} s`);
    w(`    executed notebook: ${rel(r.executedNotebook)}`);
    w(`    results folder:    ${rel(r.resultsDir)}${path.sep}`);
    if (r.exported?.written.length)
      w(`    PNG figures:       ${r.exported.written.length} in ${rel(path.join(r.resultsDir, "figures"))}${path.sep}`);
    if (r.exported?.failed.length) w(`    PNG failures:      ${r.exported.failed.length} (see above)`);
    if (!r.ok && r.errorMessage) w(r.errorMessage.replace(/^/gm, "    | "));
  }
  for (const e of errors) w(`  ${e.id}: ERROR ${e.message.replace(/\n/g, "\n    ")}`);
}

/** Builds the commander program (exported for tests; call `.parseAsync(argv)` to run). */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name("qnn-kd")
    .description(
      "Knowledge distillation for quantum neural networks: run the paper notebooks headlessly and install the tslab kernel.",
    )
    .showHelpAfterError();

  program
    .command("reproduce")
    .description(
      `run experiment notebooks (ids: ${[...EXPERIMENTS.map((e) => e.id), "all"].join(", ")}) and write results to <out>/<id>/ (a group such as the course: <out>/<id>/<notebook>/)`,
    )
    .argument("<id...>", "experiment ids, or all")
    .option("--quick", "quick mode: small sizes (QNN_KD_QUICK=1)", false)
    .option(
      "--seeds <k>",
      "number of seeds (QNN_KD_SEEDS; default in full mode: the registry's, 5 or more, 12 for piperno; quick mode 1)",
      parsePositiveInt,
    )
    .option("--out <dir>", "parent folder of the per-experiment results folders (default: <project>/results)")
    .option("--timeout <seconds>", TIMEOUT_HELP, parseSeconds, DEFAULT_CELL_TIMEOUT_S)
    .option("--idle-timeout <seconds>", IDLE_TIMEOUT_HELP, parseSeconds, DEFAULT_IDLE_TIMEOUT_S)
    .option("--no-png", "skip the PNG export of figures")
    .option(
      "--store <dir>",
      "a unit store (qnn-kd sweep): the notebooks read its finished units instead of computing them",
    )
    .action(
      async (
        ids: string[],
        opts: {
          quick: boolean;
          seeds?: number;
          out?: string;
          timeout: number;
          idleTimeout: number;
          png: boolean;
          store?: string;
        },
      ) => {
        const root = projectRoot();
        let exps;
        try {
          exps = resolveExperiments(ids);
        } catch (err) {
          process.stderr.write(`qnn-kd reproduce: ${(err as Error).message}\n`);
          process.exitCode = 1;
          return;
        }
        await runJobs(
          exps.flatMap((exp) =>
            experimentParts(exp).map((part) => ({
              id: part.id,
              banner: `\n=== ${part.id}: ${exp.title} (${part.notebook}${opts.quick ? ", quick" : ""}, seeds ${seedsFor(exp, opts)}) ===\n`,
              run: (signal: AbortSignal) => reproducePart(exp, part, opts.out, runOptions(opts, root, signal)),
            })),
          ),
        );
        const out = path.resolve(opts.out ?? path.join(root, "results"));
        const card = path.join(out, "claims.md"),
          rel = path.relative(process.cwd(), card);
        process.stdout.write(`  scorecard (every experiment's claims): ${rel.startsWith("..") ? card : rel}\n`);
      },
    );

  program
    .command("run")
    .description("execute any notebook headlessly with the tslab kernel")
    .argument("<notebook>", "path of an .ipynb notebook")
    .option("--out <file>", "where to write the executed notebook (default: <results>/<name>.ipynb)")
    .option("--inplace", "overwrite the input notebook with the executed one", false)
    .option("--results <dir>", "results folder, QNN_KD_RESULTS_DIR (default: <project>/results/<name>)")
    .option("--quick", "quick mode (QNN_KD_QUICK=1)", false)
    .option("--seeds <k>", "number of seeds (QNN_KD_SEEDS)", parsePositiveInt, 1)
    .option("--timeout <seconds>", TIMEOUT_HELP, parseSeconds, DEFAULT_CELL_TIMEOUT_S)
    .option("--idle-timeout <seconds>", IDLE_TIMEOUT_HELP, parseSeconds, DEFAULT_IDLE_TIMEOUT_S)
    .option("--no-png", "skip the PNG export of figures")
    .action(
      async (
        notebook: string,
        opts: {
          out?: string;
          inplace: boolean;
          results?: string;
          quick: boolean;
          seeds: number;
          timeout: number;
          idleTimeout: number;
          png: boolean;
        },
      ) => {
        const root = projectRoot();
        if (opts.out && opts.inplace) {
          process.stderr.write(`qnn-kd run: give --out (${JSON.stringify(opts.out)}) or --inplace, not both\n`);
          process.exitCode = 1;
          return;
        }
        const input = path.resolve(notebook);
        if (!fs.existsSync(input)) {
          process.stderr.write(`qnn-kd run: notebook ${JSON.stringify(notebook)} not found\n`);
          process.exitCode = 1;
          return;
        }
        const name = path.basename(input, ".ipynb");
        const resultsDir = path.resolve(opts.results ?? path.join(root, "results", name));
        const output = opts.inplace ? input : path.resolve(opts.out ?? path.join(resultsDir, path.basename(input)));
        await runJobs([
          {
            id: name,
            run: (signal: AbortSignal) =>
              runNotebookWithExport(name, input, output, resultsDir, runOptions(opts, root, signal)),
          },
        ]);
      },
    );

  program
    .command("claims")
    .description(
      "recompute <out>/<id>/claims.json from <out>/<id>/results.json with the current claim checkers (no training), then the scorecard <out>/claims.md",
    )
    .argument("<id...>", "experiment ids, or all (those without a results.json are skipped with a message)")
    .option("--out <dir>", "parent folder of the per-experiment results folders (default: <project>/results)")
    .action((ids: string[], opts: { out?: string }) => {
      const out = path.resolve(opts.out ?? path.join(projectRoot(), "results"));
      let exps;
      try {
        exps = resolveExperiments(ids).filter((e) => !e.notebooks);
      } catch (err) {
        process.stderr.write(`qnn-kd claims: ${(err as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
      for (const e of exps) {
        const all = ids.includes("all");
        if (all && !fs.existsSync(path.join(out, e.id, "results.json"))) {
          process.stdout.write(`  ${e.id}: no results.json, skipped\n`);
          continue;
        }
        try {
          const r = rescoreExperiment(out, e.id);
          process.stdout.write(
            `  ${e.id}: ${rel(r.file)}\n${r.records.map((x) => `    ${statusText(x)} (${x.nSeeds} seeds): ${x.claim}`).join("\n")}\n`,
          );
        } catch (err) {
          process.stderr.write(`qnn-kd claims: ${(err as Error).message}\n`);
          process.exitCode = 1;
        }
      }
      const card = writeScorecard(
        out,
        EXPERIMENTS.filter((e) => !e.notebooks).map((e) => e.id),
      );
      process.stdout.write(`  scorecard: ${rel(card.markdown)}\n`);
    });

  unitOptions(program.command("sweep"))
    .description(
      "compute the work units of experiments into a unit store, shard i of N (see README, Running on a cluster); units already there are skipped",
    )
    .argument("<id...>", "experiment ids, or all (one without units of its own runs as one unit per notebook)")
    .option(
      "--shard <i/N>",
      "compute shard i of N (default: from SLURM_ARRAY_TASK_ID / JOB_COMPLETION_INDEX, else 0/1)",
    )
    .option("--shards <N>", "the shard count, with JOB_COMPLETION_INDEX (a Kubernetes Indexed Job)", parsePositiveInt)
    .option("--jobs <J>", "units computed at once, each in its own process", parsePositiveInt, 1)
    .option("--slurm", "submit the sweep as a Slurm job array and a merge job (reproduce --store) after it", false)
    .option("--dry-run", "with --slurm: print the two job scripts instead of submitting them", false)
    .option("--tasks <N>", "with --slurm: array tasks (default: one per unit)", parsePositiveInt)
    .option("--partition <name>", "with --slurm: the partition")
    .option("--time <limit>", "with --slurm: time limit of each task and of the merge job, e.g. 01:00:00")
    .option("--mem <size>", "with --slurm: memory per task, e.g. 4G")
    .option("--out <dir>", "with --slurm: where the merge job writes the results (default: <project>/results)")
    .action(
      async (
        ids: string[],
        opts: {
          quick: boolean;
          seeds?: number;
          store?: string;
          shard?: string;
          shards?: number;
          jobs: number;
          slurm: boolean;
          dryRun: boolean;
          tasks?: number;
          partition?: string;
          time?: string;
          mem?: string;
          out?: string;
        },
      ) => {
        try {
          const exps = resolveExperiments(ids);
          const store = storeRoot(opts);
          if (opts.slurm) {
            const units = exps.reduce((n, e) => n + unitsOf(e, runRequest(e, opts)).length, 0);
            const o: SlurmSweepOptions = {
              ids,
              quick: opts.quick,
              ...(opts.seeds !== undefined ? { seeds: opts.seeds } : {}),
              store,
              tasks: opts.tasks ?? units,
              jobs: opts.jobs,
              ...(opts.partition ? { partition: opts.partition } : {}),
              ...(opts.time ? { time: opts.time } : {}),
              ...(opts.mem ? { mem: opts.mem } : {}),
              ...(opts.out ? { out: path.resolve(opts.out) } : {}),
              ...(process.env.QNN_KD_READINGS ? { readings: process.env.QNN_KD_READINGS } : {}),
              workdir: process.cwd(),
            };
            if (opts.dryRun) {
              const sc = slurmScripts(o);
              process.stdout.write(
                `# ${units} unit(s) in ${o.tasks} array task(s)\n# --- the array job ---\n${sc.array}`,
              );
              process.stdout.write(`# --- the merge job (sbatch --dependency=afterok:<array job>) ---\n${sc.merge}`);
              return;
            }
            const r = submitSlurmSweep(o);
            process.stdout.write(
              `submitted: array job ${r.arrayJob} (${o.tasks} tasks, ${units} units), merge job ${r.mergeJob} (afterok:${r.arrayJob})\n  scripts: ${r.files.array}, ${r.files.merge}\n`,
            );
            return;
          }
          const shard = resolveShard(opts);
          const t0 = performance.now();
          const outcomes: UnitOutcome[] = [];
          const stop = stopOnSignals(["SIGINT", "SIGTERM", "SIGHUP"], "stopping the running units");
          try {
            for (const exp of exps) {
              if (stop.signal.aborted) break;
              const request = runRequest(exp, opts);
              outcomes.push(
                ...(await runSweep([exp], { request, store, shard, jobs: opts.jobs, signal: stop.signal })),
              );
            }
          } finally {
            stop.dispose();
          }
          const n = (o: string) => outcomes.filter((x) => x.outcome === o).length;
          process.stdout.write(
            `sweep: ${n("computed")} computed, ${n("done")} already in the store, ${n("held")} held by other processes, ${n("failed")} failed, ${n("interrupted")} interrupted, in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
          );
          const sig = stop.received();
          if (sig) process.exitCode = 128 + os.constants.signals[sig];
          else if (n("failed") > 0) process.exitCode = 1;
        } catch (err) {
          process.stderr.write(`qnn-kd sweep: ${(err as Error).message}\n`);
          process.exitCode = 1;
        }
      },
    );

  unitOptions(program.command("status"))
    .description("list the work units of experiments in a unit store: done, running (a live claim), stale or missing")
    .argument("<id...>", "experiment ids, or all")
    .action((ids: string[], opts: { quick: boolean; seeds?: number; store?: string }) => {
      try {
        const store = storeRoot(opts);
        for (const exp of resolveExperiments(ids)) {
          const rows = sweepStatus([exp], runRequest(exp, opts), store);
          const count = (s: string) => rows.filter((r) => r.state === s).length;
          process.stdout.write(
            `${exp.id}: ${count("done")} done, ${count("running")} running, ${count("stale")} stale, ${count("missing")} missing (of ${rows.length})\n`,
          );
          for (const r of rows)
            if (r.state !== "done")
              process.stdout.write(`  #${r.index} ${r.label}: ${r.state}${r.owner ? ` (${r.owner})` : ""}\n`);
        }
      } catch (err) {
        process.stderr.write(`qnn-kd status: ${(err as Error).message}\n`);
        process.exitCode = 1;
      }
    });

  program
    .command("kernel-install")
    .description("register the tslab (TypeScript) and jslab (JavaScript) kernels with Jupyter")
    .option("--prefix <dir>", "install under <dir>/share/jupyter/kernels (then set JUPYTER_PATH=<dir>/share/jupyter)")
    .option("--user", "install in the per-user Jupyter kernels folder (the default)")
    .action((opts: { prefix?: string; user?: boolean }) => {
      const root = projectRoot();
      try {
        const r = installKernelSpecs({ prefix: opts.prefix, user: opts.user, projectRoot: root });
        const out = (s: string): void => void process.stdout.write(s + "\n");
        out(`Installed kernelspecs tslab (TypeScript) and jslab (JavaScript) in ${r.kernelsDir}`);
        for (const f of r.files) out(`  ${f}`);
        out("");
        out("Use them with:");
        if (r.jupyterPath)
          out(`  JUPYTER_PATH=${r.jupyterPath} jupyter lab ${rel(path.join(root, "notebooks"))}${path.sep}`);
        else out(`  jupyter lab ${rel(path.join(root, "notebooks"))}${path.sep}`);
        out("and pick the TypeScript kernel. Rebuild (npm run build) and restart the kernel after changing src/.");
      } catch (err) {
        process.stderr.write(`qnn-kd kernel-install: ${(err as Error).message}\n`);
        process.exitCode = 1;
      }
    });

  program
    .command("list")
    .description("list the registered experiments")
    .action(() => {
      for (const e of EXPERIMENTS) process.stdout.write(`${e.id.padEnd(10)} ${e.notebook.padEnd(34)} ${e.title}\n`);
    });

  return program;
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      process.stderr.write(`qnn-kd: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = 1;
    });
}
