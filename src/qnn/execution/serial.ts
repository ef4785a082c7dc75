/**
 * The serial strategy of a {@link Executor}, and the reference route of every other one: one sample at a time on
 * the calling thread, on the active back end (TypeScript, or the per-gate WebAssembly kernels of
 * `sim/backends/engine.ts`). A backward pass runs one `adjointGradient` per pure sample (the forward pass inside,
 * then the backward sweep; Jones & Gacon 2020, arXiv:2009.02823) and one per member of an {@link Ensemble}.
 *
 * **Reductions and scale** (as the module doc of `executor.ts` states): sample b's observable weights are
 * w_{b,k} = (s·∂L/∂y_{b,k})/D, D = B for `mean` and 1 for `sum`; ensemble member i uses ((s·w_i)·∂L/∂y_{b,k})/D.
 * @packageDocumentation
 */
import { Statevector, expectationZ } from "../../sim/state/statevector";
import type { Circuit } from "../../sim/program/circuit";
import type { Ensemble } from "../../sim/state/density";
import { AdjointWorkspace, adjointGradient } from "../../sim/grad/adjoint";
import { weightedZCotangent } from "../../sim/grad/cotangents";
import type { OutputLoss } from "../../core/model";
import { Cotangents, checkOutputGrad } from "./types";

/** ⟨Z_{readout[k]}⟩ of one pure or mixed input (length k); the input is not modified. */
export function serialForwardOne(
  circuit: Circuit,
  readout: readonly number[],
  params: Float64Array,
  input: Statevector | Ensemble,
): Float64Array {
  if (input instanceof Statevector) return expectationZ(circuit.run(params, input.clone()), readout);
  const z = new Float64Array(readout.length);
  for (let i = 0; i < input.states.length; i++) {
    const zi = expectationZ(circuit.run(params, input.states[i].clone()), readout);
    for (let k = 0; k < z.length; k++) z[k] += input.weights[i] * zi[k];
  }
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
  loss: OutputLoss,
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
  for (let b = 0; b < B; b++) {
    const x = inputs[b];
    check(x);
    if (x instanceof Statevector) {
      // forward inside the adjoint call; the cotangent computes the outputs, the loss and λ = Σ_k w_k Z_k φ
      const lam = cot ? Statevector.zero(circuit.nQubits) : null;
      const r = adjointGradient(
        circuit,
        params,
        x,
        (phi, l) => {
          const z = expectationZ(phi, readout);
          if (s !== 1) for (let k = 0; k < K; k++) z[k] *= s;
          const out = loss(z, b);
          checkOutputGrad(where, out, K);
          total += out.loss;
          for (let k = 0; k < K; k++) g[k] = (s * out.dOutputs[k]) / D;
          return weightedZCotangent(readout, g)(phi, l);
        },
        lam ? { grad, work, inputCotangent: lam } : { grad, work },
      );
      if (cot) {
        cot.lam[b] = lam;
        cot.value[b] = r.value;
      }
      continue;
    }
    const z = serialForwardOne(circuit, readout, params, x);
    if (s !== 1) for (let k = 0; k < z.length; k++) z[k] *= s;
    const out = loss(z, b);
    checkOutputGrad(where, out, K);
    total += out.loss;
    const lams: Statevector[] = [];
    const dW = new Float64Array(x.states.length);
    for (let i = 0; i < x.states.length; i++) {
      for (let k = 0; k < K; k++) g[k] = (s * x.weights[i] * out.dOutputs[k]) / D;
      if (!cot) {
        adjointGradient(circuit, params, x.states[i], weightedZCotangent(readout, g), { grad, work });
        continue;
      }
      const lam = Statevector.zero(circuit.nQubits);
      adjointGradient(
        circuit,
        params,
        x.states[i],
        (phi, l) => {
          const ez = expectationZ(phi, readout);
          for (let k = 0; k < K; k++) dW[i] += ((s * out.dOutputs[k]) / D) * ez[k];
          return weightedZCotangent(readout, g)(phi, l);
        },
        { grad, work, inputCotangent: lam },
      );
      lams.push(lam);
    }
    if (cot) {
      cot.lam[b] = lams;
      cot.value[b] = dW;
    }
  }
  return { loss: mean ? total / B : total, grad };
}
