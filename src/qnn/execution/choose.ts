/**
 * The one place that decides how a batch runs: {@link chooseStrategy} is asked by both `Executor.forward` and
 * `Executor.backward` (the cascade is written once), which then carry the chosen strategy out. In this order:
 * 1. `noisy`: the executor has a noise option (`noisy.ts`); nothing below applies.
 * 2. `lightCone`: every input is a {@link ProductState}: run on the readout's light cone (`lightCone.ts`);
 *    `fullStates`: some but not all are: expand them to statevectors and choose again.
 * 3. `dedupe`: some pure inputs are identical (`dedupe.ts`); not when input cotangents are asked (each sample
 *    needs its own λ_in).
 * 4. `pool`: the batch engine pays off ({@link usePool}: ≥ 8 pure states on ≥ 9 qubits, and the worker pool or
 *    one thread on WebAssembly; `pool.ts`).
 * 5. `serial`: one sample at a time (`serial.ts`).
 * Every route gives the serial route's numbers: bit for bit on the TypeScript back end, and on WebAssembly to
 * rounding (~1e-15 relative) where the whole-program runner keeps forward checkpoints.
 * @packageDocumentation
 */
import { ProductState } from "../../sim/state/product";
import { DuplicateGroups, duplicateGroups } from "./dedupe";
import type { QuantumInput } from "./types";

/** The pool module (`pool.ts`), loaded on first use. */
export type PoolModule = typeof import("./pool");

/** A strategy for one call (see the module doc). */
export type Strategy =
  | { kind: "noisy" }
  | { kind: "lightCone" }
  | { kind: "fullStates" }
  | { kind: "dedupe"; groups: DuplicateGroups }
  | { kind: "pool"; pool: PoolModule }
  | { kind: "serial" };

let poolModule: PoolModule | null | undefined;

/**
 * The pool module, or null outside Node. Loaded lazily so that the layer itself needs no Node-only module
 * (worker threads, the file system) until a batch takes the pool route.
 */
function loadPool(): PoolModule | null {
  if (poolModule === undefined) {
    try {
      const inNode = typeof process !== "undefined" && Boolean(process.versions?.node);
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load (above)
      poolModule = inNode ? (require("./pool") as PoolModule) : null;
    } catch {
      poolModule = null;
    }
  }
  return poolModule;
}

/**
 * The strategy for a batch (see the module doc).
 * @param inputs - the batch (validated by the caller as its strategy runs).
 * @param nQubits - the circuit's register size.
 * @param options.noisy - the executor runs noisily.
 * @param options.inputCotangents - input gradients are asked (no de-duplication).
 */
export function chooseStrategy(
  inputs: readonly QuantumInput[],
  nQubits: number,
  options: { noisy: boolean; inputCotangents: boolean },
): Strategy {
  if (options.noisy) return { kind: "noisy" };
  if (inputs.some((x) => x instanceof ProductState))
    return inputs.every((x) => x instanceof ProductState) ? { kind: "lightCone" } : { kind: "fullStates" };
  const groups = options.inputCotangents ? null : duplicateGroups(inputs);
  if (groups) return { kind: "dedupe", groups };
  const pool = loadPool();
  if (pool && pool.usePool(inputs, nQubits)) return { kind: "pool", pool };
  return { kind: "serial" };
}
