// A QNN classifier on a noisy device model against the noisy executors it wraps (logits from runDensity, readout
// error as the affine map), its gradients against finite differences of its own mean loss (adjoint) and against
// each other (parameter shift = adjoint without shots; trajectories within their statistical error), the seeded
// shots, and the clear errors.
import { describe, expect, it } from "vitest";
import { NoiseModel, QNNClassifier, Rng, depolarizing, hardwareEfficientAnsatz } from "qnn-kd";
import {
  amplitudeDamping,
  densityExpectationZ,
  finiteDifferenceGradient,
  readoutError,
  readoutZ,
  runDensity,
} from "qnn-kd/sim";
import { ce, randomState } from "../../helpers";

const circuit = hardwareEfficientAnsatz({ nQubits: 3, nLayers: 2 });
const states = [randomState(3, new Rng(1)), randomState(3, new Rng(2)), randomState(3, new Rng(3))];
const labels = [0, 1, 1];
const model = () =>
  new NoiseModel()
    .addAllQubitQuantumError(depolarizing(0.03), ["rx", "ry", "rz"])
    .addAllQubitQuantumError(depolarizing(0.05, 2), ["cx"])
    .addQuantumError(amplitudeDamping(0.1), ["rz"], [1])
    .addReadoutError(readoutError(0.02, 0.06), 0);

function meanLoss(m: QNNClassifier): number {
  const z = m.logitsBatch(states);
  return z.reduce((s, zi, b) => s + ce(zi, labels[b]).loss, 0) / z.length;
}

describe("QNNClassifier with noise", () => {
  it("logits are s·(readout-corrected) ⟨Z⟩ of the density matrix of the noisy circuit", () => {
    const m = new QNNClassifier({ circuit, readout: [0, 1], seed: 4, logitScale: 2, noise: { model: model() } });
    const rho = runDensity(model().apply(circuit), m.params, states[0]);
    const z = densityExpectationZ(rho, [0, 1]);
    const got = m.logits(states[0]);
    expect(got[0]).toBeCloseTo(2 * readoutZ(readoutError(0.02, 0.06), z[0]), 13);
    expect(got[1]).toBeCloseTo(2 * z[1], 13);
    const clean = m.withNoise(null).logits(states[0]);
    expect(Math.abs(clean[0] - got[0])).toBeGreaterThan(1e-3);
    expect(m.withNoise({ model: NoiseModel.depolarizing(0) }).logits(states[0])[1]).toBeCloseTo(clean[1], 13);
  });
  it("the adjoint gradient of the mean loss matches finite differences; the parameter-shift rule matches the adjoint", () => {
    const m = new QNNClassifier({ circuit, readout: [0, 1], seed: 5, logitScale: 1.5, noise: { model: model() } });
    const r = m.lossAndGradient(states, (z, b) => ce(z, labels[b]));
    expect(r.loss).toBeCloseTo(meanLoss(m), 13);
    const p0 = m.params.slice();
    const fd = finiteDifferenceGradient(
      (x) => {
        m.params.set(x);
        return meanLoss(m);
      },
      p0,
      1e-5,
    );
    m.params.set(p0);
    for (let j = 0; j < p0.length; j++) expect(r.grad[j]).toBeCloseTo(fd[j], 8);
    const ps = m
      .withNoise({ model: model(), gradient: "parameter-shift" })
      .lossAndGradient(states, (z, b) => ce(z, labels[b]));
    for (let j = 0; j < p0.length; j++) expect(ps.grad[j]).toBeCloseTo(r.grad[j], 11);
  });
  it("trajectories: logits and parameter-shift gradients within their statistical error of the exact ones", () => {
    const exact = new QNNClassifier({ circuit, readout: [0, 1], seed: 6, noise: { model: model() } });
    const traj = exact.withNoise({ model: model(), method: "trajectories", trajectories: 3000, seed: 2 });
    const z = traj.logits(states[0]),
      ref = exact.logits(states[0]);
    for (let k = 0; k < 2; k++) expect(Math.abs(z[k] - ref[k])).toBeLessThan(0.06);
    const g = traj
      .withNoise({ model: model(), method: "trajectories", trajectories: 400, seed: 3 })
      .lossAndGradient([states[1]], (y) => ce(y, 1));
    const ge = exact.lossAndGradient([states[1]], (y) => ce(y, 1));
    let err = 0,
      norm = 0;
    for (let j = 0; j < g.grad.length; j++) {
      err += (g.grad[j] - ge.grad[j]) ** 2;
      norm += ge.grad[j] ** 2;
    }
    expect(Math.sqrt(err / norm)).toBeLessThan(0.5);
  });
  it("finite shots are seeded: the same seed and calls give the same logits, a later call new shot noise", () => {
    const make = () =>
      new QNNClassifier({ circuit, readout: [0, 1], seed: 7, noise: { model: model(), shots: 500, seed: 11 } });
    const a = make(),
      b = make();
    const za = a.logitsBatch(states),
      zb = b.logitsBatch(states);
    expect(za.map((r) => Array.from(r))).toEqual(zb.map((r) => Array.from(r)));
    expect(Array.from(a.logits(states[0]))).not.toEqual(Array.from(za[0]));
    const exact = a.withNoise({ model: model() }).logits(states[0]);
    for (let k = 0; k < 2; k++) expect(Math.abs(za[0][k] - exact[k])).toBeLessThan(4 * Math.sqrt(1 / 500));
    for (const row of za) for (const v of row) expect(Math.abs(v * 500 - Math.round(v * 500))).toBeLessThan(1e-9); // multiples of 1/500 (·2 steps)
  });
  it("bad noise options and input gradients under noise are clear errors", () => {
    const m = model();
    expect(() => new QNNClassifier({ circuit, noise: { model: m, shot: 10 } as never })).toThrow(
      /unknown noise option "shot"; allowed: model, method/,
    );
    expect(
      () => new QNNClassifier({ circuit, noise: { model: m, method: "trajectories", gradient: "adjoint" } }),
    ).toThrow(/adjoint gradient needs method "density"/);
    expect(() => new QNNClassifier({ circuit, noise: { model: m, shots: 0 } })).toThrow(
      /shots must be null or an integer in \[1, 1e8\], got 0/,
    );
    expect(() => new QNNClassifier({ circuit, noise: { model: {} as NoiseModel } })).toThrow(
      /noise.model must be a NoiseModel/,
    );
    const q = new QNNClassifier({ circuit, readout: [0, 1], noise: { model: m } });
    expect(() =>
      q.layer.backward(
        states,
        [
          [1, 0],
          [0, 1],
          [1, 1],
        ],
        { inputGradients: true },
      ),
    ).toThrow(/input gradients are not available under noise/);
  });
});
