/**
 * The shared side of the QNN batch engine's thread boundary: the layout of the shared buffers, the status words
 * and op codes of the protocol, and the per-sample work (one sample's logits, one sample's adjoint pass) that runs
 * on whichever thread holds the sample: a worker (`poolWorker.ts`), or the calling thread (`pool.ts`, one thread
 * or a nested call). Both sides call these functions, so a sample's numbers do not depend on where it ran.
 *
 * The per-sample functions call the simulator's program-level core (`applyProgram`, `adjointVjp`, the functions
 * behind `Circuit.run` and `adjointGradient`) or, on the WebAssembly back end, the whole-program runner
 * (`sim/backends/wasmProgram.ts` {@link ProgramRunner}).
 * @internal
 * @packageDocumentation
 */
import { Statevector, expectationZ } from "../../sim/state/statevector";
import type { ProgramOp } from "../../sim/program/circuit";
import { AdjointWorkspace, adjointVjp } from "../../sim/grad/adjoint";
import { weightedZCotangent } from "../../sim/grad/cotangents";
import { activeBackend, applyProgram } from "../../sim/backends/engine";
import { ProgramRunner } from "../../sim/backends/wasmProgram";
import { FIRST_HANDLER_OP } from "../../parallel/pool";

/** Op codes of the batch engine (handled by `poolWorker.ts`). */
export const BATCH_OP = {
  /** args [engineId, count, wantLam]: loss-gradient pass over samples 0..count−1 (pipelined with the caller); wantLam ≠ 0 also writes λ_in. */
  GRADIENTS: FIRST_HANDLER_OP,
  /** args [engineId, count]: logits of samples 0..count−1. */
  LOGITS: FIRST_HANDLER_OP + 1,
} as const;

/** Per-sample status words (Int32, one per sample). */
export const ST = {
  /** Nothing yet. */
  PENDING: 0,
  /** Worker → caller: the logits of this sample are written. */
  LOGITS: 1,
  /** Caller → worker: the weights of this sample are written. */
  WEIGHTS: 2,
  /** Caller → worker: abandon the call. */
  ABORTED: 3,
  /** Worker → caller: this sample failed (the error is in the pool's error area). */
  FAILED: 4,
} as const;

export const ABORT_MESSAGE = "aborted by the calling thread";

/** Largest register for which a worker runs two samples at once (see `WorkerEngines.run`). */
export const DOUBLE_BUFFER_MAX_QUBITS = 12;

/** Shared buffers of one engine (also the worker-side view). */
export interface EngineBuffers {
  /** Capacity in samples. */
  capacity: number;
  /** Angles, length nOcc. */
  angles: Float64Array;
  /** Input states, `[capacity][re 2^n | im 2^n]`. */
  states: Float64Array;
  /** Logits, `[capacity][K]`. */
  logits: Float64Array;
  /** Observable weights, `[capacity][K]`. */
  weights: Float64Array;
  /** ∂L/∂angle per sample, `[capacity][nOcc]`. */
  dAngles: Float64Array;
  /** Per-sample status words ({@link ST}), length capacity. */
  status: Int32Array;
  /**
   * Input cotangents λ_in = U†λ per sample, `[capacity][re 2^n | im 2^n]`; empty until a call asks for them
   * (`BatchEngine.gradients` with `inputCotangents`).
   */
  lamIn: Float64Array;
}

/** Everything a thread needs to run one engine's samples. */
export interface EngineData extends EngineBuffers {
  program: ProgramOp[];
  nQubits: number;
  readout: number[];
  logitScale: number;
  nOcc: number;
  /**
   * The caller's inputs during a call that runs on the calling thread (read, never written: no copy into
   * `states`); null otherwise and in the workers.
   */
  direct?: readonly Statevector[] | null;
}

/** Per-thread scratch of an engine. */
export interface Scratch {
  work: AdjointWorkspace | null;
  z: Float64Array;
  angles: Float64Array;
  /** The whole-program WASM runner (undefined: not made yet; null: WASM unavailable). */
  runner: ProgramRunner | null | undefined;
  /** True when `angles` changed since the runner last saw them. */
  anglesDirty: boolean;
  /** A second runner (workers: one sample's forward pass while the previous one waits for its weights). */
  runner2: ProgramRunner | null | undefined;
  anglesDirty2: boolean;
}

/**
 * The scratch's {@link ProgramRunner} with the current angles when the WebAssembly back end is active, else
 * null (the per-gate path of `adjointGradient` / `Circuit.run` is used). Both give bit-identical numbers.
 */
export function fastRunner(e: EngineData, s: Scratch): ProgramRunner | null {
  if (activeBackend() !== "wasm") return null;
  if (s.runner === undefined) s.runner = ProgramRunner.create(e.program, e.nQubits, e.nOcc, e.readout);
  if (s.runner && s.anglesDirty) {
    s.runner.setAngles(s.angles);
    s.anglesDirty = false;
  }
  return s.runner;
}

/** The second runner of a worker's scratch (see {@link Scratch.runner2}), with the current angles. */
export function secondRunner(e: EngineData, s: Scratch): ProgramRunner | null {
  if (s.runner2 === undefined) s.runner2 = ProgramRunner.create(e.program, e.nQubits, e.nOcc, e.readout);
  if (s.runner2 && s.anglesDirty2) {
    s.runner2.setAngles(s.angles);
    s.anglesDirty2 = false;
  }
  return s.runner2;
}

/** The λ_in slot of sample b (views of the shared buffer). */
export function lamSlot(e: EngineData, b: number): Statevector {
  const dim = 2 ** e.nQubits,
    off = 2 * dim * b;
  return new Statevector(e.nQubits, e.lamIn.subarray(off, off + dim), e.lamIn.subarray(off + dim, off + 2 * dim));
}

/** Input b (a view of the shared buffer, or the caller's own state on the calling thread: never modify it). */
export function inputState(e: EngineData, b: number): Statevector {
  if (e.direct) return e.direct[b];
  const dim = 2 ** e.nQubits,
    off = 2 * dim * b;
  return new Statevector(e.nQubits, e.states.subarray(off, off + dim), e.states.subarray(off + dim, off + 2 * dim));
}

/** Logits of sample b (as `QNNClassifier.logits`: z = s·⟨Z⟩ of U·input), written into the logits buffer. */
export function logitsSample(e: EngineData, s: Scratch, b: number): void {
  const r = fastRunner(e, s);
  if (r) {
    const x = inputState(e, b);
    const z = r.expectations(x.re, x.im, s.z, false);
    if (e.logitScale !== 1) for (let k = 0; k < z.length; k++) z[k] *= e.logitScale;
    e.logits.set(z, b * z.length);
    return;
  }
  // Circuit.run works in place: on a copy when the input is the caller's own state
  const phi = applyProgram(e.program, s.angles, e.direct ? e.direct[b].clone() : inputState(e, b));
  const z = expectationZ(phi, e.readout, s.z);
  if (e.logitScale !== 1) for (let k = 0; k < z.length; k++) z[k] *= e.logitScale;
  e.logits.set(z, b * z.length);
}

/**
 * The adjoint pass of sample b (as one sample of `QNNClassifier.lossAndGradient`). `exchange` publishes the
 * logits and returns once the weights of sample b are in the weights buffer. With `wantLam`, λ_in goes to the
 * sample's slot of `lamIn`.
 */
export function gradientSample(
  e: EngineData,
  s: Scratch,
  b: number,
  exchange: (b: number) => void,
  wantLam = false,
): void {
  const K = e.readout.length;
  const row = e.dAngles.subarray(b * e.nOcc, (b + 1) * e.nOcc);
  const r = fastRunner(e, s);
  if (r) {
    // one WASM call for the forward pass and one for the backward sweep (bit-identical to the path below)
    const x = inputState(e, b);
    const z = r.expectations(x.re, x.im, s.z);
    if (e.logitScale !== 1) for (let k = 0; k < K; k++) z[k] *= e.logitScale;
    e.logits.set(z, b * K);
    exchange(b);
    r.gradient(e.weights.subarray(b * K, (b + 1) * K), row, wantLam ? lamSlot(e, b) : undefined);
    return;
  }
  adjointVjp(
    e.program,
    s.angles,
    inputState(e, b),
    (phi, lam) => {
      const z = expectationZ(phi, e.readout, s.z);
      if (e.logitScale !== 1) for (let k = 0; k < K; k++) z[k] *= e.logitScale;
      e.logits.set(z, b * K);
      exchange(b);
      return weightedZCotangent(e.readout, e.weights.subarray(b * K, (b + 1) * K))(phi, lam);
    },
    row,
    { ...(s.work ? { work: s.work } : {}), ...(wantLam ? { inputCotangent: lamSlot(e, b) } : {}) },
  );
}

/** Fresh per-thread scratch for an engine. */
export function makeScratch(e: EngineData): Scratch {
  return {
    work: null,
    z: new Float64Array(e.readout.length),
    angles: new Float64Array(e.nOcc),
    runner: undefined,
    anglesDirty: true,
    runner2: undefined,
    anglesDirty2: true,
  };
}

/** Configuration messages sent to the workers. */
export type EngineMessage =
  | {
      type: "engine";
      id: number;
      program: ProgramOp[];
      nQubits: number;
      readout: number[];
      logitScale: number;
      nOcc: number;
    }
  | ({ type: "buffers"; id: number } & EngineBuffers)
  | { type: "drop"; id: number };
