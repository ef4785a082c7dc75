// Both simulator back ends (pure TypeScript and WebAssembly SIMD) must give the same numbers: the same circuits
// run and differentiated on each, compared with each other (1e-12) and with the parameter-shift rule.
import { afterAll, describe, expect, it } from "vitest";
import {
  hardwareEfficientAnsatz,
  param,
  adjointGradient,
  parameterShiftJacobian,
  expectationZ,
  setBackend,
  QNNClassifier,
  QuantumAutoencoder,
} from "qnn-kd";
import { weightedZCotangent, activeBackend } from "qnn-kd/sim";
import { getWasmKernels } from "../../src/sim/backends/wasm";
import { Rng } from "../../src/util/rng";
import { randomState } from "../helpers";

const hasWasm = getWasmKernels() !== null;

function workload(backend: "ts" | "wasm") {
  setBackend(backend);
  expect(activeBackend()).toBe(backend);
  const rng = new Rng(21);
  const c = hardwareEfficientAnsatz({ nQubits: 9, nLayers: 3, entangler: "ring" });
  c.crx(0, 4, param(3))
    .cz(2, 7)
    .swap(1, 8)
    .cry(8, 0, param(10))
    .h(3)
    .t(5)
    .crz(5, 1, param(0, 0.5, 0.1));
  const params = Float64Array.from({ length: c.nParams }, () => rng.uniform(0, 2 * Math.PI));
  const psi = randomState(9, rng);
  const out = c.run(params, psi.clone());
  const readout = [0, 3, 8],
    w = [0.4, -1.1, 0.7];
  const { value, grad } = adjointGradient(c, params, psi, weightedZCotangent(readout, w));
  const jac = parameterShiftJacobian(c, params, psi, (phi) => expectationZ(phi, readout));
  const model = QNNClassifier.hardwareEfficient({ nQubits: 4, nLayers: 2, seed: 3 });
  const mixed = { weights: Float64Array.of(0.6, 0.4), states: [randomState(4, rng), randomState(4, rng)] };
  const ce = (z: Float64Array) => ({ loss: z[0], dLogits: Float64Array.of(1, 0) });
  const lg = model.lossAndGradient([randomState(4, rng), mixed], ce);
  const qae = new QuantumAutoencoder({ nQubits: 5, latentQubits: [0, 1], nLayers: 2, seed: 2 });
  const fg = qae.fidelityAndGradient([randomState(5, rng), randomState(5, rng)]);
  return { out, value, grad, jac, w, lg, fg };
}

describe.skipIf(!hasWasm)("TypeScript and WebAssembly back ends", () => {
  afterAll(() => setBackend("auto"));
  it("agree on states, values and gradients, and both match the parameter-shift rule", () => {
    const ts = workload("ts");
    const wa = workload("wasm");
    for (let i = 0; i < ts.out.dim; i++) {
      expect(Math.abs(ts.out.re[i] - wa.out.re[i])).toBeLessThan(1e-12);
      expect(Math.abs(ts.out.im[i] - wa.out.im[i])).toBeLessThan(1e-12);
    }
    expect(Math.abs(ts.value - wa.value)).toBeLessThan(1e-12);
    for (let j = 0; j < ts.grad.length; j++) {
      expect(Math.abs(ts.grad[j] - wa.grad[j])).toBeLessThan(1e-12);
      const ps = ts.jac[j].reduce((s, v, k) => s + ts.w[k] * v, 0);
      expect(Math.abs(wa.grad[j] - ps)).toBeLessThan(1e-10);
    }
    expect(Math.abs(ts.lg.loss - wa.lg.loss)).toBeLessThan(1e-12);
    for (let j = 0; j < ts.lg.grad.length; j++) expect(Math.abs(ts.lg.grad[j] - wa.lg.grad[j])).toBeLessThan(1e-12);
    expect(Math.abs(ts.fg.meanFidelity - wa.fg.meanFidelity)).toBeLessThan(1e-12);
    for (let j = 0; j < ts.fg.grad.length; j++) expect(Math.abs(ts.fg.grad[j] - wa.fg.grad[j])).toBeLessThan(1e-12);
  });
  it("rejects an unknown back end", () => {
    expect(() => setBackend("gpu" as never)).toThrow(/must be "auto", "ts" or "wasm", got "gpu"/);
  });
});
