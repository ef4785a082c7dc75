/**
 * The TensorFlow.js backend of the classical and hybrid networks: WebAssembly (`@tensorflow/tfjs-backend-wasm`,
 * whose `.wasm` binaries ship inside the npm package: nothing is downloaded) with the kernels it lacks registered
 * (`kernels.ts`), or the pure-JS `cpu` backend as the fallback. Choose with `QNN_KD_TF_BACKEND=wasm|cpu` or
 * {@link useTfBackend}. One thread (the wasm backend's threaded build needs cross-origin isolation in browsers and
 * gains little for these small networks).
 *
 * @packageDocumentation
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { registerWasmKernels } from "./kernels";

/** A tfjs backend the project supports. */
export type TfBackend = "wasm" | "cpu";
const BACKENDS: readonly TfBackend[] = ["wasm", "cpu"];

/**
 * Makes `name` the active tfjs backend (registering the missing wasm kernels first) and waits until it is ready.
 * When `name` is omitted, `QNN_KD_TF_BACKEND` decides (default "wasm"). If wasm cannot start, falls back to cpu
 * and says so on stderr.
 * @returns the backend now active.
 * @throws Error for a name other than "wasm" or "cpu".
 */
export async function useTfBackend(name?: TfBackend): Promise<TfBackend> {
  const env = typeof process !== "undefined" ? process.env.QNN_KD_TF_BACKEND : undefined;
  const want = (name ?? (env && env.trim() !== "" ? env.trim() : "wasm")) as TfBackend;
  if (!BACKENDS.includes(want)) {
    throw new Error(
      `useTfBackend: backend must be one of ${BACKENDS.map((b) => `"${b}"`).join(", ")}, got ${JSON.stringify(want)}${name === undefined ? " (from QNN_KD_TF_BACKEND)" : ""}`,
    );
  }
  // production mode: no per-op debug checks, and no banner recommending tfjs-node (a native binary we avoid)
  if (!tf.env().getBool("PROD")) tf.enableProdMode();
  if (tf.getBackend() === want) return want;
  if (want === "wasm") {
    registerWasmKernels();
    try {
      if (await tf.setBackend("wasm")) {
        await tf.ready();
        return "wasm";
      }
    } catch (e) {
      process.stderr.write(`useTfBackend: the wasm backend failed to start (${(e as Error).message}); using cpu\n`);
    }
  }
  await tf.setBackend("cpu");
  await tf.ready();
  return "cpu";
}

/** The active tfjs backend name ("wasm", "cpu", or another registered one). */
export function activeTfBackend(): string {
  return tf.getBackend();
}
