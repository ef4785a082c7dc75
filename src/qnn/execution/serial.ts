/**
 * The serial strategy of a {@link Executor}, and the reference route of every other one: one sample at a time on
 * the calling thread. Two routes, by the active back end:
 * - **TypeScript** (the reference): one `adjointGradient` per pure sample (the forward pass inside, then the
 *   backward sweep; Jones & Gacon 2020, arXiv:2009.02823) and one per member of an {@link Ensemble}.
 * - **WebAssembly**: the whole-program runner (`sim/backends/wasmProgram.ts` {@link ProgramRunner}) without forward
 *   checkpoints, one per compiled program and readout: the block matrices are set once per call, each sample takes
 *   one WASM call forward and one backward. Its outputs, ∂L/∂angle and λ_in are bit for bit those of the per-gate
 *   WebAssembly route (`adjointGradient` on the WASM kernels; `test/qnn/execution/serial.test.ts`), at 1.2–8× its
 *   speed (`npm run bench`, rows `routeGradient`), so the per-gate route is not used here any more.
 *
 * **Reductions and scale** (as the module doc of `executor.ts` states): sample b's observable weights are
 * w_{b,k} = (s·∂L/∂y_{b,k})/D, D = B for `mean` and 1 for `sum`; ensemble member i uses ((s·w_i)·∂L/∂y_{b,k})/D.
 * @packageDocumentation
 */
import { Statevector, expectationZ } from "../../sim/state/statevector";
import type { Circuit, ProgramOp } from "../../sim/program/circuit";
import { checkStatevectorProgram } from "../../sim/program/ops";
import { activeBackend } from "../../sim/backends/engine";
import { ProgramRunner } from "../../sim/backends/wasmProgram";
import type { Ensemble } from "../../sim/state/density";
import { AdjointWorkspace, adjointGradient } from "../../sim/grad/adjoint";
import { weightedZCotangent } from "../../sim/grad/cotangents";
import type { SampleLoss } from "../../core/model";
import { Cotangents, checkOutputGrad } from "./types";

/** Runners without checkpoints per compiled program (by identity: a changed circuit compiles a new one) and readout. */
const runners = new WeakMap<ProgramOp[], Map<string, ProgramRunner | null>>();

/**
 * The whole-program runner of `circuit` and `readout` with the angles of `params` set, on the WebAssembly back end;
 * null on the TypeScript back end or when the WASM kernels are not available.
 * @throws Error for a program with noise channels (as the per-gate route).
 */
export function serialRunner(circuit: Circuit, readout: readonly number[], params: Float64Array): ProgramRunner | null {
  if (activeBackend() !== "wasm") return null;
  const program = circuit.program(true);
  checkStatevectorProgram("QuantumLayer", program);
  let byReadout = runners.get(program);
  if (!byReadout) runners.set(program, (byReadout = new Map()));
  const key = readout.join(",");
  let r = byReadout.get(key);
  if (r === undefined) {
    r = ProgramRunner.create(program, circuit.nQubits, circuit.nOccurrences, readout, { checkpointBytes: 0 });
    byReadout.set(key, r);
  }
  r?.setAngles(circuit.angles(params));
  return r;
}

/** ⟨Z_{readout[k]}⟩ of a pure state (fresh array), on the runner when given (angles set), else per gate. */
function expectations(
  circuit: Circuit,
  readout: readonly number[],
  params: Float64Array,
  x: Statevector,
  r: ProgramRunner | null,
): Float64Array {
  if (r) return r.expectations(x.re, x.im, new Float64Array(readout.length), false);
  return expectationZ(circuit.run(params, x.clone()), readout);
}

/** ⟨Z_{readout[k]}⟩ of one pure or mixed input (length k); the input is not modified. */
export function serialForwardOne(
  circuit: Circuit,
  readout: readonly number[],
  params: Float64Array,
  input: Statevector | Ensemble,
): Float64Array {
  return serialForward(circuit, readout, params, [input], 1)[0];
}

/** s·⟨Z_{readout[k]}⟩ of each pure or mixed input, `[batch][k]` (fresh arrays); the inputs are not modified. */
export function serialForward(
  circuit: Circuit,
  readout: readonly number[],
  params: Float64Array,
  inputs: readonly (Statevector | Ensemble)[],
  scale: number,
): Float64Array[] {
  const r = serialRunner(circuit, readout, params);
  return inputs.map((input) => forwardSample(circuit, readout, params, input, scale, r));
}

/** s·⟨Z_{readout[k]}⟩ of one pure or mixed input (fresh array), on the runner when given (angles set). */
function forwardSample(
  circuit: Circuit,
  readout: readonly number[],
  params: Float64Array,
  input: Statevector | Ensemble,
  scale: number,
  r: ProgramRunner | null,
): Float64Array {
  let z: Float64Array;
  if (input instanceof Statevector) z = expectations(circuit, readout, params, input, r);
  else {
    z = new Float64Array(readout.length);
    for (let i = 0; i < input.states.length; i++) {
      const zi = expectations(circuit, readout, params, input.states[i], r);
      for (let k = 0; k < z.length; k++) z[k] += input.weights[i] * zi[k];
    }
  }
  if (scale !== 1) for (let k = 0; k < z.length; k++) z[k] *= scale;
  return z;
}

/**
 * Loss and ∂L/∂params of a batch of pure or mixed inputs, one adjoint sweep per sample (per member of an
 * ensemble), gradients added in sample order. With `cot`, λ_in and Σ_k w_k⟨Z_k⟩ (pure) or ∂L/∂w_i (ensemble
 * member i) of each sample are recorded.
 * @param check - validates input b before it runs (the executor's input check).
 * @throws Error for a callback whose ∂L/∂outputs has the wrong length, or what `check` throws.
 */
export function serialBackward(
  circuit: Circuit,
  readout: readonly number[],
  work: AdjointWorkspace,
  params: Float64Array,
  inputs: readonly (Statevector | Ensemble)[],
  loss: SampleLoss,
  s: number,
  mean: boolean,
  cot: Cotangents | null,
  where: string,
  check: (input: Statevector | Ensemble) => void,
): { loss: number; grad: Float64Array } {
  const K = readout.length,
    B = inputs.length,
    D = mean ? B : 1;
  const grad = new Float64Array(circuit.nParams);
  let total = 0;
  const g = new Float64Array(K);
  const r = serialRunner(circuit, readout, params);
  const dAngles = new Float64Array(circuit.nOccurrences);
  /**
   * One adjoint sweep of `v` on the route of the back end: `onZ(⟨Z⟩)` (a fresh array) sets the weights `g` between
   * the forward and the backward pass; the gradient of Σ_k g_k⟨Z_k⟩ is added to `grad`, λ_in written to `lam`.
   * @returns Σ_k g_k⟨Z_k⟩.
   */
  const sweep = (v: Statevector, onZ: (z: Float64Array) => void, lam: Statevector | null): number => {
    if (r) {
      // one WASM call forward, one backward (bitwise the per-gate route)
      onZ(r.expectations(v.re, v.im, new Float64Array(K)));
      const value = r.gradient(g, dAngles, lam ?? undefined);
      circuit.accumulateParamGradient(dAngles, grad);
      return value;
    }
    const cotangent = (phi: Statevector, l: Statevector) => {
      onZ(expectationZ(phi, readout));
      return weightedZCotangent(readout, g)(phi, l);
    };
    return adjointGradient(circuit, params, v, cotangent, lam ? { grad, work, inputCotangent: lam } : { grad, work })
      .value;
  };
  /** The loss of sample b on its scaled outputs z, added to the total; returns its ∂L/∂outputs. */
  const sampleLoss = (z: Float64Array, b: number): ArrayLike<number> => {
    const out = loss(z, b);
    checkOutputGrad(where, out, K);
    total += out.loss;
    return out.dLogits;
  };
  for (let b = 0; b < B; b++) {
    const x = inputs[b];
    check(x);
    if (x instanceof Statevector) {
      const lam = cot ? Statevector.zero(circuit.nQubits) : null;
      const value = sweep(
        x,
        (z) => {
          if (s !== 1) for (let k = 0; k < K; k++) z[k] *= s;
          const d = sampleLoss(z, b);
          for (let k = 0; k < K; k++) g[k] = (s * d[k]) / D;
        },
        lam,
      );
      if (cot) {
        cot.lam[b] = lam;
        cot.value[b] = value;
      }
      continue;
    }
    const d = sampleLoss(forwardSample(circuit, readout, params, x, s, r), b);
    const lams: Statevector[] = [];
    const dW = new Float64Array(x.states.length);
    for (let i = 0; i < x.states.length; i++) {
      for (let k = 0; k < K; k++) g[k] = (s * x.weights[i] * d[k]) / D;
      const lam = cot ? Statevector.zero(circuit.nQubits) : null;
      // ∂L/∂w_i = Σ_k (s·∂L/∂y_k / D)·⟨Z_k⟩_i, from the member's forward pass
      const onZ = cot
        ? (ez: Float64Array) => {
            for (let k = 0; k < K; k++) dW[i] += ((s * d[k]) / D) * ez[k];
          }
        : () => {};
      sweep(x.states[i], onZ, lam);
      if (lam) lams.push(lam);
    }
    if (cot) {
      cot.lam[b] = lams;
      cot.value[b] = dW;
    }
  }
  return { loss: mean ? total / B : total, grad };
}
