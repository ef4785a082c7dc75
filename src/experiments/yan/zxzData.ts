/**
 * The ZXZ data settings of Yan et al.'s ground-state experiments (Table 1 and Fig. 4, Sec. III.1): one interface,
 * one check and one loader for both, so that a data setting is documented, checked and handed to `zxzDataset`
 * in one place.
 *
 * @packageDocumentation
 */
import { zxzDataset, zxzDatasetAsync, ZxzDataset, ZxzDatasetOptions } from "../../datasets/zxz";
import { SettingRules, checkSettings } from "../../util/options";

/**
 * The data settings of a ZXZ experiment configuration, as `zxzDataset` documents them (sizes, the h1 interval, J,
 * h2); each config's defaults say which values are stated, inferred or chosen (PARAMS.md: 1000 + 1000 states,
 * h1 ~ U[0, 2), J = 1, h2 = 0).
 */
export type ZxzDataConfig = Pick<ZxzDatasetOptions, "nTrain" | "nTest" | "h1Min" | "h1Max" | "J" | "h2">;

/** A configuration that carries ZXZ data: its data settings, the chain length and the master seed. */
export type ZxzDataSettings = ZxzDataConfig & { nQubits: number; seed: number };

/** Options of {@link zxzDataOf}: the cache folder (default: `zxzDataset`'s) and a progress callback. */
export interface ZxzDataOptions {
  cacheDir?: string;
  onProgress?: (done: number, total: number) => void;
}

/** Rules of the data settings (`checkSettings`): nQubits an integer in [3, 20], sizes ≥ 1, J > 0, h1 and h2 numbers. */
const ZXZ_DATA_RULES: SettingRules<ZxzDataSettings> = Object.freeze({
  nQubits: { kind: "positiveInt" as const, min: 3, max: 20 },
  nTrain: "positiveInt",
  nTest: "positiveInt",
  h1Min: "number",
  h1Max: "number",
  J: "positive",
  h2: "number",
});

/**
 * Checks the data settings of a ZXZ configuration: the rules above, then h1Min < h1Max.
 * @param where - the configuration function's name, used in the messages.
 * @throws Error naming the bad setting, its value and what is allowed.
 */
export function checkZxzDataConfig(where: string, c: ZxzDataSettings): void {
  checkSettings(where, c, ZXZ_DATA_RULES);
  if (!(c.h1Min < c.h1Max))
    throw new Error(`${where}: h1Min must be below h1Max, got h1Min = ${c.h1Min}, h1Max = ${c.h1Max}`);
}

function datasetOptions(cfg: ZxzDataSettings, opts: ZxzDataOptions) {
  return {
    nQubits: cfg.nQubits,
    nTrain: cfg.nTrain,
    nTest: cfg.nTest,
    h1Min: cfg.h1Min,
    h1Max: cfg.h1Max,
    J: cfg.J,
    h2: cfg.h2,
    seed: cfg.seed,
    ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  };
}

/**
 * The ZXZ dataset of a configuration (Lanczos ground states above 8 qubits, cached on disk after the first run).
 * @throws Error from `zxzDataset` for settings it does not accept.
 */
export function zxzDataOf(cfg: ZxzDataSettings, opts: ZxzDataOptions = {}): ZxzDataset {
  return zxzDataset(datasetOptions(cfg, opts));
}

/** {@link zxzDataOf} that yields to the event loop after each ground state (progress displays update meanwhile). */
export function zxzDataOfAsync(cfg: ZxzDataSettings, opts: ZxzDataOptions = {}): Promise<ZxzDataset> {
  return zxzDatasetAsync(datasetOptions(cfg, opts));
}

/** A text that is equal for two configurations exactly when they load the same ZXZ dataset (sizes, h1, J, h2, seed). */
export function zxzDataKey(cfg: ZxzDataSettings): string {
  return JSON.stringify(datasetOptions(cfg, {}));
}
