/** Option checking shared by every options object: unknown keys and bad values throw errors that quote them. */

/**
 * Merges `options` over `defaults`, throwing if `options` has a key that `defaults` lacks.
 * @param where - name used in error messages, e.g. "trainClassifier".
 * @throws Error naming the unknown key and listing the allowed ones.
 */
export function withDefaults<T extends object>(where: string, defaults: T, options: Partial<T> | undefined): T {
  const out = { ...defaults } as T;
  if (options === undefined || options === null) return out;
  if (typeof options !== "object") throw new Error(`${where}: options must be an object, got ${String(options)}`);
  for (const key of Object.keys(options)) {
    if (!(key in (defaults as object))) {
      throw new Error(
        `${where}: unknown option "${key}"; allowed options are ${Object.keys(defaults as object).map((k) => `"${k}"`).join(", ")}`,
      );
    }
    const v = (options as Record<string, unknown>)[key];
    if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  }
  return out;
}

/** @throws Error unless `value` is a finite number within [min, max]. */
export function checkNumber(where: string, name: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${where}: ${name} must be a finite number in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}

/** @throws Error unless `value` is an integer within [min, max]. */
export function checkInt(where: string, name: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${where}: ${name} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}

/** @throws Error unless `value` is one of `allowed`. */
export function checkOneOf<T extends string>(where: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new Error(`${where}: ${name} must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}
