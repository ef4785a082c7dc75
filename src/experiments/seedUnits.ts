/**
 * Work units of the experiments that train seed by seed with checkpoints (Yan et al.'s Table 1 and Figs. 4–6): one
 * unit per setting (the defaults, a variant, a reading) and seed, in the store folder of the setting's configuration
 * without its seed ({@link seedlessSettings}), as `seed-<s>` ({@link seedUnit}).
 *
 * A unit keeps the seed's result rows and the **final checkpoint of every model it trained** (parameters, Adam
 * state, history: `optim/checkpoint.ts`). The rows serve the notebook's multi-seed and readings sections
 * ({@link storedSeedRows}); the checkpoints serve the sections that train one seed cell by cell to teach it: copied
 * into the notebook's checkpoint folder ({@link restoreSeedCheckpoints}), every model there resumes at its last
 * iteration, so the cells show the numbers the sweep computed (a run resumed from a checkpoint ends bitwise equal to
 * an uninterrupted one, `trainClassifier`) without training again.
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import * as path from "path";
import { stableJson, type UnitStore } from "../store/units";
import { writeJsonAtomic } from "../util/fs";
import { seedUnit, unitSeed, type ExperimentUnits, type RunRequest, type UnitContext, type WorkUnit } from "./entry";
import type { ResultRow } from "./results";
import { seedList } from "./seeds";

/** What one seed unit keeps in the store. */
export interface SeedUnitResult {
  /** The seed the unit ran. */
  seed: number;
  /** Its result rows, as the run function returned them. */
  rows: ResultRow[];
  /**
   * The final checkpoint of each model it trained, by file name in its checkpoint folder (`<model name>.json`,
   * e.g. `"teacher.json"`, `"L2-kd-T2-a0.5.json"`).
   */
  checkpoints: Record<string, unknown>;
}

/** A configuration with a seed (every Yan et al. configuration). */
export interface Seeded {
  seed: number;
}

/** One setting a seed-unit experiment runs on every seed: its name (a variant or reading) and configuration. */
export interface SeedSetting<C extends Seeded> {
  /** `"defaults"`, a variant (e.g. `"sharp-teacher"`) or a reading's name. */
  name: string;
  /** Its configuration; the `seed` field is replaced by each unit's seed. */
  config: C;
}

/** Runs one configuration (its `seed` set to the unit's) with checkpoints in a folder, and returns its rows. */
export type SeedRun<C extends Seeded> = (cfg: C, checkpointDir: string) => readonly ResultRow[];

/** The store key of a configuration's seed units: the configuration without its `seed` (the unit id holds it). */
export function seedlessSettings<C extends Seeded>(cfg: C): Omit<C, "seed"> {
  const { seed: _seed, ...rest } = cfg;
  return rest;
}

/**
 * The final checkpoint of every model a run left in a checkpoint folder: each `*.json` file there, by file name
 * (sorted), parsed. An empty record when the folder does not exist.
 */
export function collectCheckpoints(checkpointDir: string): Record<string, unknown> {
  const checkpoints: Record<string, unknown> = {};
  if (!fs.existsSync(checkpointDir)) return checkpoints;
  for (const f of fs.readdirSync(checkpointDir).sort()) {
    if (f.endsWith(".json")) checkpoints[f] = JSON.parse(fs.readFileSync(path.join(checkpointDir, f), "utf8"));
  }
  return checkpoints;
}

/**
 * Writes checkpoints collected by {@link collectCheckpoints} into a checkpoint folder (files already there are
 * kept), so that the models then trained with checkpoints in that folder resume at their end.
 * @returns the number of files written.
 * @throws Error for a name that is not a plain `*.json` file name.
 */
export function restoreCheckpoints(checkpoints: Record<string, unknown>, checkpointDir: string): number {
  let n = 0;
  for (const [file, ck] of Object.entries(checkpoints)) {
    if (path.basename(file) !== file || !file.endsWith(".json"))
      throw new Error(`restoreCheckpoints: a checkpoint must have a plain *.json name, got ${JSON.stringify(file)}`);
    const dest = path.join(checkpointDir, file);
    if (fs.existsSync(dest)) continue;
    writeJsonAtomic(dest, ck);
    n++;
  }
  return n;
}

/**
 * Runs seed `seed` of a configuration with its checkpoints in `checkpointDir` and collects the final checkpoint of
 * every model ({@link collectCheckpoints}).
 */
export function runSeedUnit<C extends Seeded>(
  cfg: C,
  seed: number,
  checkpointDir: string,
  run: SeedRun<C>,
): SeedUnitResult {
  const rows = [...run({ ...cfg, seed }, checkpointDir)];
  return { seed, rows, checkpoints: collectCheckpoints(checkpointDir) };
}

/**
 * The rows of seed `seed` of a configuration: read from the store when a sweep left the unit there, else computed
 * ({@link runSeedUnit}, checkpoints in `checkpointDir`) and written to the store.
 * @param store - the store folder of `seedlessSettings(cfg)`, or null (compute, keep nothing).
 */
export function storedSeedRows<C extends Seeded>(
  store: UnitStore | null,
  cfg: C,
  seed: number,
  checkpointDir: string,
  run: SeedRun<C>,
): ResultRow[] {
  const stored = store?.read<SeedUnitResult>(seedUnit(seed));
  if (stored) return stored.rows;
  const r = runSeedUnit(cfg, seed, checkpointDir, run);
  store?.write(seedUnit(seed), r);
  return r.rows;
}

/**
 * Copies the final checkpoints of a stored seed unit into a checkpoint folder ({@link restoreCheckpoints}).
 * @param store - the store folder of the seed's configuration without its seed, or null.
 * @returns the number of checkpoint files written: 0 without a store or when the unit is not in it.
 */
export function restoreSeedCheckpoints(store: UnitStore | null, seed: number, checkpointDir: string): number {
  const stored = store?.read<SeedUnitResult>(seedUnit(seed));
  return stored ? restoreCheckpoints(stored.checkpoints, checkpointDir) : 0;
}

/** A named variant of a configuration: its overrides of the defaults (`Reading`s are variants too). */
export interface SeedVariant<C> {
  name: string;
  overrides: Partial<C>;
}

/** An experiment that runs each of its variants on every seed, as its notebook does and its work units do. */
export interface SeedStudy<C extends Seeded> {
  /** The experiment's name for messages, e.g. `"FIG4_UNITS"`. */
  where: string;
  /** The configuration of a variant's overrides, in quick mode or not (e.g. `fig4Config`). */
  configOf: (overrides: Partial<C>, quick: boolean) => C;
  /**
   * The variants the notebook runs on every seed, in its order, the defaults first, for a readings selection (the
   * syntax of `QNN_KD_READINGS`).
   */
  variants: (selection?: string) => SeedVariant<C>[];
  /** The run of one configuration (the same function the notebook calls for a seed). */
  run: SeedRun<C>;
  /**
   * Models a unit may take from another setting's stored unit of the same seed instead of training them
   * ({@link takeSharedModels}). @defaultValue none: every unit trains all its models
   */
  sharedModels?: readonly SharedModels<C>[];
}

/**
 * Models that several settings of a study train identically: the checkpoint files `files` picks, read by no
 * setting of `ignores`. Two settings equal but for those fields train these models from the same initialisation,
 * batches and data with the same optimiser, so their final checkpoints are interchangeable. Example: the teacher
 * and the students without KD do not read the distillation settings (T, α, …), so a reading that only changes
 * those retrains only the KD students.
 */
export interface SharedModels<C> {
  /** What the models are, for the log, e.g. `"the teacher"`. */
  what: string;
  /** Whether a checkpoint file (its name in the checkpoint folder, e.g. `"teacher.json"`) is one of them. */
  files: (name: string) => boolean;
  /** The settings none of these models reads (list only fields you have checked: a wrong entry shares a wrong model). */
  ignores: readonly (keyof C & string)[];
}

/** What {@link takeSharedModels} copied: from which unit, which models, how many checkpoint files. */
export interface SharedCopy {
  what: string;
  from: string;
  files: number;
}

/**
 * Writes each checkpoint into the folder unless the folder's own file of that name has come as far (its `iteration`
 * ≥ the given one's): a killed unit's partial checkpoint of a shared model is the same trajectory as the donor's
 * final one, only shorter. @returns the number of files written.
 */
function takeFurther(checkpoints: Record<string, unknown>, checkpointDir: string): number {
  const iteration = (ck: unknown) => {
    const it = (ck as { iteration?: unknown } | null)?.iteration;
    return typeof it === "number" ? it : -1;
  };
  const further: Record<string, unknown> = {};
  for (const [file, ck] of Object.entries(checkpoints)) {
    const own = path.join(checkpointDir, path.basename(file));
    let ownIteration = -1;
    if (fs.existsSync(own)) {
      try {
        ownIteration = iteration(JSON.parse(fs.readFileSync(own, "utf8")));
      } catch {
        ownIteration = -1; // unreadable: replaced
      }
      if (ownIteration >= iteration(ck)) continue;
      fs.rmSync(own);
    }
    further[file] = ck;
  }
  return restoreCheckpoints(further, checkpointDir);
}

/**
 * Copies into a unit's checkpoint folder the final checkpoints of the models it shares with another setting's
 * stored unit of the same seed (`context.units`, first match in list order per {@link SharedModels} group), so that
 * each of those models resumes at its end instead of training; a file already in the folder (a killed unit's own
 * progress) is kept only when it has come as far. Safe by construction twice over: the donor's settings equal the
 * unit's but for fields the models do not read, and the trainer resumes a checkpoint only when its fingerprint
 * (optimiser, schedule, loss, labels, initial parameters, teacher logits) matches the run's, else trains from
 * scratch. The unit's rows are then
 * those it would have computed alone (a resumed run ends bitwise equal), but for the wall-clock field `elapsedMs`.
 * @returns one entry per group that found a donor (none without `shared` or `context`).
 */
export function takeSharedModels<C>(
  shared: readonly SharedModels<C>[] | undefined,
  unit: WorkUnit,
  checkpointDir: string,
  context: UnitContext | undefined,
): SharedCopy[] {
  if (!shared || shared.length === 0 || !context) return [];
  const own = stableJson(unit.settings);
  const copies: SharedCopy[] = [];
  for (const group of shared) {
    const key = (settings: unknown) => {
      const rest = { ...(settings as Record<string, unknown>) };
      for (const f of group.ignores) delete rest[f];
      return stableJson(rest);
    };
    const mine = key(unit.settings);
    for (const other of context.units) {
      if (other.unit !== unit.unit || stableJson(other.settings) === own || key(other.settings) !== mine) continue;
      const stored = context.read(other) as SeedUnitResult | null;
      if (!stored) continue;
      const picked = Object.fromEntries(Object.entries(stored.checkpoints).filter(([f]) => group.files(f)));
      if (Object.keys(picked).length === 0) continue;
      const files = takeFurther(picked, checkpointDir);
      copies.push({ what: group.what, from: other.label, files });
      if (files > 0) context.log?.(`took ${group.what} from ${other.label} (${files} checkpoint file(s))`);
      break;
    }
  }
  return copies;
}

/** The variant of the defaults: no override. */
export function defaultsVariant<C>(): SeedVariant<C> {
  return { name: "defaults", overrides: {} };
}

/** The settings a study runs on every seed: each variant's configuration. */
export function studySettings<C extends Seeded>(
  study: SeedStudy<C>,
  quick: boolean,
  selection?: string,
): SeedSetting<C>[] {
  return study.variants(selection).map((v) => ({ name: v.name, config: study.configOf(v.overrides, quick) }));
}

/**
 * The work units of a study (`Experiment.units`): its settings × the run's seeds (from the defaults' seed on),
 * setting-major, each unit a {@link SeedUnitResult}; a setting whose configuration equals an earlier one's (a
 * reading that repeats a variant) adds no units, since both read the same store folder.
 */
export function seedUnits<C extends Seeded>(study: SeedStudy<C>): ExperimentUnits {
  return {
    list(request: RunRequest): WorkUnit[] {
      const seeds = seedList(study.configOf({}, request.quick).seed, request.seeds);
      const seen = new Set<string>();
      const out: WorkUnit[] = [];
      for (const s of studySettings(study, request.quick, request.readings)) {
        const settings = seedlessSettings(s.config);
        const key = stableJson(settings);
        if (seen.has(key)) continue;
        seen.add(key);
        for (const seed of seeds) out.push({ settings, unit: seedUnit(seed), label: `${s.name}, seed ${seed}` });
      }
      return out;
    },
    run(unit: WorkUnit, checkpointDir: string, context?: UnitContext): Promise<SeedUnitResult> {
      const seed = unitSeed(`${study.where}.run`, unit.unit);
      const cfg = { ...(unit.settings as Omit<C, "seed">), seed } as C;
      takeSharedModels(study.sharedModels, unit, checkpointDir, context);
      return Promise.resolve(runSeedUnit(cfg, seed, checkpointDir, study.run));
    },
  };
}
