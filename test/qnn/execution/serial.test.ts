// The serial strategy's WebAssembly route (the whole-program runner without checkpoints) against the per-gate route
// written out here (adjointGradient and Circuit.run per sample, gradients added in sample order): bit for bit, for
// pure and mixed inputs, with and without input cotangents, at several sizes. On the TypeScript back end (the
// second pass of `npm test`) the serial strategy is the per-gate route itself, so the comparison is trivially exact.
import { describe, expect, it } from "vitest";
import { Statevector, expectationZ, adjointGradient, hardwareEfficientAnsatz } from "qnn-kd";
import { weightedZCotangent } from "qnn-kd/sim";
import type { Ensemble } from "../../../src/sim/state/density";
import { adjointWorkspace } from "../../../src/sim/grad/adjoint";
import { serialBackward, serialForward, serialRunner } from "../../../src/qnn/execution/serial";
import { activeBackend } from "../../../src/sim/backends/engine";
import type { Cotangents } from "../../../src/qnn/execution/types";
import { Rng } from "../../../src/util/rng";
import { randomState, ce } from "../../helpers";

const bits = (a: ArrayLike<number>) => Array.from(a, (v) => (Object.is(v, -0) ? "-0" : String(v)));

describe("serial strategy: the runner route equals the per-gate route bit for bit", () => {
  for (const [n, L, fin] of [
    [3, 2, false],
    [5, 3, true],
    [7, 2, false],
  ] as const) {
    it(`${n} qubits × ${L} layers${fin ? " + final rotations" : ""}: outputs, loss, gradient, λ_in and ∂L/∂w`, () => {
      const rng = new Rng(`serial-${n}-${L}`);
      const circuit = hardwareEfficientAnsatz({ nQubits: n, nLayers: L, finalRotationLayer: fin });
      const params = Float64Array.from({ length: circuit.nParams }, () => rng.uniform(0, 2 * Math.PI));
      const readout = [0, n - 1];
      const s = 2.5;
      const ens: Ensemble = { weights: Float64Array.of(0.3, 0.7), states: [randomState(n, rng), randomState(n, rng)] };
      const inputs: (Statevector | Ensemble)[] = [randomState(n, rng), ens, randomState(n, rng)];
      const labels = [1, 0, 1];
      const loss = (z: Float64Array, b: number) => ce(z, labels[b]);

      // on WebAssembly the strategy takes the runner (else the per-gate route is compared with itself)
      expect(serialRunner(circuit, readout, params) !== null).toBe(activeBackend() === "wasm");
      // forward: per-gate reference
      const refZ = inputs.map((x) => {
        const one = (v: Statevector) => expectationZ(circuit.run(params, v.clone()), readout);
        let z: Float64Array;
        if (x instanceof Statevector) z = one(x);
        else {
          z = new Float64Array(readout.length);
          x.states.forEach((v, i) => one(v).forEach((zi, k) => (z[k] += x.weights[i] * zi)));
        }
        return z.map((v) => v * s);
      });
      serialForward(circuit, readout, params, inputs, s).forEach((z, b) => expect(bits(z)).toEqual(bits(refZ[b])));

      // backward (mean over the batch), with input cotangents: per-gate reference
      const B = inputs.length,
        K = readout.length;
      const refGrad = new Float64Array(circuit.nParams);
      const refLam: (Statevector | Statevector[])[] = [];
      const refValue: (number | Float64Array)[] = [];
      let refLoss = 0;
      inputs.forEach((x, b) => {
        const g = new Float64Array(K);
        if (x instanceof Statevector) {
          const lam = Statevector.zero(n);
          const r = adjointGradient(
            circuit,
            params,
            x,
            (phi, l) => {
              const z = expectationZ(phi, readout).map((v) => v * s);
              const o = loss(z, b);
              refLoss += o.loss;
              for (let k = 0; k < K; k++) g[k] = (s * o.dLogits[k]) / B;
              return weightedZCotangent(readout, g)(phi, l);
            },
            { grad: refGrad, inputCotangent: lam },
          );
          refLam.push(lam);
          refValue.push(r.value);
          return;
        }
        const o = loss(refZ[b].slice(), b);
        refLoss += o.loss;
        const dW = new Float64Array(x.states.length);
        const lams = x.states.map((v, i) => {
          for (let k = 0; k < K; k++) g[k] = (s * x.weights[i] * o.dLogits[k]) / B;
          const lam = Statevector.zero(n);
          adjointGradient(
            circuit,
            params,
            v,
            (phi, l) => {
              const ez = expectationZ(phi, readout);
              for (let k = 0; k < K; k++) dW[i] += ((s * o.dLogits[k]) / B) * ez[k];
              return weightedZCotangent(readout, g)(phi, l);
            },
            { grad: refGrad, inputCotangent: lam },
          );
          return lam;
        });
        refLam.push(lams);
        refValue.push(dW);
      });

      const cot: Cotangents = { lam: new Array(B).fill(null), value: new Array(B).fill(0) };
      const work = adjointWorkspace(n);
      const got = serialBackward(circuit, readout, work, params, inputs, loss, s, true, cot, "test", () => {});
      expect(got.loss).toBe(refLoss / B);
      expect(bits(got.grad)).toEqual(bits(refGrad));
      for (let b = 0; b < B; b++) {
        const lams = ([] as Statevector[]).concat(cot.lam[b] as Statevector | Statevector[]);
        const refs = ([] as Statevector[]).concat(refLam[b]);
        lams.forEach((l, i) => {
          expect(bits(l.re)).toEqual(bits(refs[i].re));
          expect(bits(l.im)).toEqual(bits(refs[i].im));
        });
        const v = cot.value[b];
        expect(typeof v === "number" ? bits([v]) : bits(v)).toEqual(
          typeof refValue[b] === "number" ? bits([refValue[b] as number]) : bits(refValue[b] as Float64Array),
        );
      }
      // without input cotangents: the same gradient
      const plain = serialBackward(circuit, readout, work, params, inputs, loss, s, true, null, "test", () => {});
      expect(bits(plain.grad)).toEqual(bits(refGrad));
    });
  }
});
