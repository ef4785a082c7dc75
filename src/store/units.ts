/**
 * The unit store: a folder, local or on a shared file system, where an experiment's independent work units (for
 * example one seed of one variant) leave their results, so that any number of processes on any number of machines
 * can share a sweep, and a notebook can render from what they wrote.
 *
 * **Layout.** `<root>/<experiment>/<settings hash>/` holds `settings.json` (the settings the hash names, for people
 * and for `status`), one `<unit>.json` per finished unit, and `<unit>.claim` while a process works on it. The
 * hash is {@link settingsHash}: a changed setting gives a new folder, so a stale result is never read. A unit's
 * checkpoints live in `checkpoints/<unit>/` beside them.
 *
 * **Atomicity.** A result is written to a temporary file in the same folder (named by host, process and a random
 * tag) and renamed over `<unit>.json`: rename within one folder is atomic on POSIX file systems and on NFS, so a
 * reader sees the whole file or none, and a process killed mid-write leaves no partial result.
 *
 * **Claims.** A process claims a unit before it runs it by creating `<unit>.claim` exclusively (`O_CREAT|O_EXCL`,
 * atomic on local file systems and on NFSv3 and later) with its owner (host, pid, Slurm job, start time). While the
 * unit runs, the owner refreshes the claim's modification time ({@link UnitStore.heartbeat}). A claim is *stale*
 * when its owner is a process of this host that no longer exists, or when it has not been refreshed for
 * `staleSeconds` (default {@link DEFAULT_STALE_SECONDS}: a killed job on another node); a stale claim is taken
 * over by renaming it aside (only one of several racing processes succeeds) and claiming afresh. Two live owners
 * never hold the same unit, and a finished unit is never claimed again.
 *
 * @packageDocumentation
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * Seconds without a heartbeat after which a claim of another host counts as stale: 10 minutes, 20 times the
 * heartbeat period of `qnn-kd sweep` (30 s), so a busy file server or a paused process does not lose its units.
 */
export const DEFAULT_STALE_SECONDS = 600;

/** Who holds a claim. */
export interface ClaimOwner {
  /** Host name (`os.hostname()`). */
  host: string;
  /** Process id on that host. */
  pid: number;
  /** The Slurm job (`SLURM_JOB_ID`, with `_<task>` for an array task) or null outside Slurm. */
  job: string | null;
  /** When the claim was made (ISO 8601). */
  startedAt: string;
}

/** The state of one unit in the store. */
export type UnitState = "done" | "running" | "stale" | "missing";

/** Options of {@link UnitStore}. */
export interface UnitStoreOptions {
  /** Seconds without a heartbeat after which another host's claim is stale. @defaultValue {@link DEFAULT_STALE_SECONDS} */
  staleSeconds?: number;
  /** The owner this process writes into its claims. @defaultValue this host and process, `SLURM_JOB_ID` */
  owner?: Omit<ClaimOwner, "startedAt">;
  /**
   * Create the folder and its `settings.json` when missing; false for a reader that only asks (e.g. `qnn-kd status`,
   * which must not leave empty folders in a store it was pointed at by mistake). @defaultValue true
   */
  create?: boolean;
}

/** The hash of a settings object: 16 hex digits of the SHA-256 of its JSON with sorted keys. */
export function settingsHash(settings: unknown): string {
  return crypto.createHash("sha256").update(stableJson(settings)).digest("hex").slice(0, 16);
}

/** JSON with the keys of every object sorted, so that equal settings give equal text whatever their key order. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === "object" && !Array.isArray(x) && !ArrayBuffer.isView(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function checkName(where: string, what: string, v: string): void {
  if (typeof v !== "string" || !NAME.test(v) || v.endsWith(".tmp"))
    throw new Error(
      `${where}: ${what} must be letters, digits, ".", "_" or "-", starting with a letter or digit, got ${JSON.stringify(v)}`,
    );
}

/** The owner of this process: host, pid and Slurm job (array jobs as `<array job>_<task>`). */
export function currentOwner(env: Record<string, string | undefined> = process.env): Omit<ClaimOwner, "startedAt"> {
  const job = env.SLURM_ARRAY_JOB_ID
    ? `${env.SLURM_ARRAY_JOB_ID}_${env.SLURM_ARRAY_TASK_ID ?? "?"}`
    : (env.SLURM_JOB_ID ?? null);
  return { host: os.hostname(), pid: process.pid, job };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** One experiment's folder of a unit store, for one settings hash (see the module doc for the layout). */
export class UnitStore {
  /** `<root>/<experiment>/<settings hash>`. */
  readonly folder: string;
  /** The settings hash ({@link settingsHash}). */
  readonly hash: string;
  private readonly staleMs: number;
  private readonly owner: Omit<ClaimOwner, "startedAt">;

  /**
   * Opens (and, unless `options.create` is false, creates) the folder of `experiment` at these settings, writing
   * `settings.json` when it is missing.
   * @param root - the store's root folder (created when missing).
   * @param experiment - the experiment id (letters, digits, ".", "_", "-").
   * @param settings - every setting that affects a unit's result (JSON-serialisable); hashed by {@link settingsHash}.
   * @throws Error for a bad experiment id or `staleSeconds` (not a number > 0).
   */
  constructor(root: string, experiment: string, settings: unknown, options: UnitStoreOptions = {}) {
    checkName("UnitStore", "experiment", experiment);
    const stale = options.staleSeconds ?? DEFAULT_STALE_SECONDS;
    if (!(typeof stale === "number" && stale > 0))
      throw new Error(`UnitStore: staleSeconds must be a number > 0, got ${JSON.stringify(stale)}`);
    this.staleMs = stale * 1000;
    this.owner = options.owner ?? currentOwner();
    this.hash = settingsHash(settings);
    this.folder = path.join(path.resolve(root), experiment, this.hash);
    if (options.create === false) return;
    fs.mkdirSync(this.folder, { recursive: true });
    const s = path.join(this.folder, "settings.json");
    if (!fs.existsSync(s)) this.writeAtomic(s, JSON.stringify({ experiment, settings }, null, 2) + "\n");
  }

  /** The result file of a unit. @throws Error for a bad unit id. */
  resultFile(unit: string): string {
    checkName("UnitStore", "unit", unit);
    return path.join(this.folder, `${unit}.json`);
  }

  /** The claim file of a unit. @throws Error for a bad unit id. */
  claimFile(unit: string): string {
    checkName("UnitStore", "unit", unit);
    return path.join(this.folder, `${unit}.claim`);
  }

  /**
   * The folder where a unit keeps its checkpoints while it runs (`<folder>/checkpoints/<unit>`), so that a unit
   * resumed by another process, on another node, continues where the killed one stopped. Not created here.
   */
  checkpointDir(unit: string): string {
    checkName("UnitStore", "unit", unit);
    return path.join(this.folder, "checkpoints", unit);
  }

  /** Whether the unit's result is in the store. */
  has(unit: string): boolean {
    return fs.existsSync(this.resultFile(unit));
  }

  /** The unit's result, or null when it is not in the store. @throws Error when the file is not valid JSON. */
  read<T>(unit: string): T | null {
    const f = this.resultFile(unit);
    let text: string;
    try {
      text = fs.readFileSync(f, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
    try {
      return JSON.parse(text) as T;
    } catch (e) {
      throw new Error(`UnitStore: ${f} is not valid JSON (${(e as Error).message})`);
    }
  }

  /** Writes the unit's result atomically (temporary file in the same folder, then rename), then drops its claim. */
  write(unit: string, value: unknown): void {
    this.writeAtomic(this.resultFile(unit), JSON.stringify(value) + "\n");
    this.release(unit);
  }

  /**
   * Claims a unit for this process: false when its result is already there or a live owner holds it; a stale claim
   * is taken over. Call {@link UnitStore.heartbeat} while it runs (a claim unrefreshed for `staleSeconds` becomes
   * stale for other hosts), and {@link UnitStore.write} or {@link UnitStore.release} at the end.
   */
  claim(unit: string): boolean {
    const f = this.claimFile(unit);
    for (let attempt = 0; attempt < 3; attempt++) {
      if (this.has(unit)) return false;
      const owner: ClaimOwner = { ...this.owner, startedAt: new Date().toISOString() };
      try {
        fs.writeFileSync(f, JSON.stringify(owner) + "\n", { flag: "wx" });
        if (this.has(unit)) {
          // finished between the check and the claim
          this.release(unit);
          return false;
        }
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      let judged: string;
      try {
        judged = fs.readFileSync(f, "utf8");
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") continue; // released meanwhile: try again
        throw e;
      }
      if (this.state(unit) !== "stale") return false;
      // take the stale claim over: rename it aside (one racer wins), check that what was renamed is the claim judged
      // stale (not a fresh claim another racer made meanwhile: then put it back), and claim afresh
      const aside = `${f}.${this.owner.host}.${this.owner.pid}.${crypto.randomBytes(4).toString("hex")}.stale`;
      try {
        fs.renameSync(f, aside);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
        continue;
      }
      if (fs.readFileSync(aside, "utf8") !== judged) {
        try {
          fs.linkSync(aside, f); // back in place unless a newer claim exists already
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        }
        fs.rmSync(aside, { force: true });
        return false;
      }
      fs.rmSync(aside, { force: true });
    }
    return false;
  }

  /** Refreshes the modification time of this process's claim on `unit` (no-op when it holds none). */
  heartbeat(unit: string): void {
    const f = this.claimFile(unit);
    const o = this.claimOwner(unit);
    if (!o || o.host !== this.owner.host || o.pid !== this.owner.pid) return;
    const now = new Date();
    try {
      fs.utimesSync(f, now, now);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }

  /** Drops this process's claim on `unit` (a claim of another owner is left alone). */
  release(unit: string): void {
    const o = this.claimOwner(unit);
    if (o && o.host === this.owner.host && o.pid === this.owner.pid) fs.rmSync(this.claimFile(unit), { force: true });
  }

  /** The owner written in the unit's claim, or null when it has none (or an unreadable one, being written). */
  claimOwner(unit: string): ClaimOwner | null {
    try {
      return JSON.parse(fs.readFileSync(this.claimFile(unit), "utf8")) as ClaimOwner;
    } catch {
      return null;
    }
  }

  /**
   * The unit's state: "done" (its result is there), "running" (claimed by a live owner: a process of this host
   * that exists, or another host's claim refreshed within `staleSeconds`), "stale" (claimed, owner gone) or
   * "missing".
   */
  state(unit: string): UnitState {
    if (this.has(unit)) return "done";
    const f = this.claimFile(unit);
    let mtime: number;
    try {
      mtime = fs.statSync(f).mtimeMs;
    } catch {
      return "missing";
    }
    const o = this.claimOwner(unit);
    if (o && o.host === this.owner.host) return pidAlive(o.pid) ? "running" : "stale";
    return Date.now() - mtime > this.staleMs ? "stale" : "running";
  }

  private writeAtomic(file: string, text: string): void {
    const tmp = `${file}.${this.owner.host}.${process.pid}.${crypto.randomBytes(6).toString("hex")}.tmp`;
    try {
      fs.writeFileSync(tmp, text);
      fs.renameSync(tmp, file);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
}
