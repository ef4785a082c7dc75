// The rotation encodings of FeatureEncoder (Hasan & Mahdy's readings: the authors' H + R_Y(π·tanh x) angle
// encoding, the dense-angle "qubit" encoding, TorchQuantum-style stacked rotations of 2^Q features): the encoded
// state against an independent reference (the simulator's own gates applied to |0…0⟩), the input gradient against
// central finite differences in float64 through a quantum layer, and the hybrid tfjs image student's gradients
// against finite differences of its loss.
import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { Circuit } from "../../src/sim/program/circuit";
import { Statevector } from "../../src/sim/state/statevector";
import { ProductState } from "../../src/sim/state/product";
import { FeatureEncoder, FeatureEncoderOptions, maxFeatureCount } from "../../src/qnn/featureEncoders";
import { QuantumLayer } from "../../src/qnn/layer";
import { hardwareEfficientAnsatz } from "../../src/qnn/ansatz";
import { imageStudent } from "../../src/hybrid/imageStudent";
import { useTfBackend } from "../../src/hybrid/backend";
import { Rng } from "../../src/util/rng";
import { expectTfGradientsMatchDifferences } from "../helpers";

const rng = new Rng(23);
const vec = (n: number) => Float64Array.from({ length: n }, () => rng.uniform(-1.5, 1.5));

/** The reference: gates (H, then rotations) on |0…0⟩ with the simulator's gate matrices. */
function reference(n: number, gates: [string, number, number][]): Statevector {
  const c = new Circuit(n);
  for (const [g, q, a] of gates) {
    if (g === "h") c.h(q);
    else if (g === "x") c.rx(q, a);
    else if (g === "y") c.ry(q, a);
    else c.rz(q, a);
  }
  return c.run([], Statevector.zero(n));
}

function expectState(p: ProductState, ref: Statevector): void {
  const s = p.toStatevector();
  for (let i = 0; i < ref.dim; i++) {
    expect(s.re[i]).toBeCloseTo(ref.re[i], 12);
    expect(s.im[i]).toBeCloseTo(ref.im[i], 12);
  }
}

describe("FeatureEncoder rotation encodings: states", () => {
  it("angle with hadamard and squash tanh is H then R_Y(π·tanh x) on each qubit (Hasan & Mahdy v1)", () => {
    const x = vec(3);
    const enc = new FeatureEncoder({ encoding: "angle", nQubits: 3, scale: Math.PI, squash: "tanh", hadamard: true });
    const gates: [string, number, number][] = [];
    for (let q = 0; q < 3; q++) gates.push(["h", q, 0], ["y", q, Math.PI * Math.tanh(x[q])]);
    expectState(enc.encode(x) as ProductState, reference(3, gates));
  });

  it("dense-angle puts x_2j in R_Y then x_2j+1 in R_Z on qubit j; a missing feature leaves its rotation out", () => {
    const x = vec(5);
    const enc = new FeatureEncoder({ encoding: "dense-angle", nQubits: 3, scale: 1.3 });
    const gates: [string, number, number][] = [
      ["y", 0, 1.3 * x[0]],
      ["z", 0, 1.3 * x[1]],
      ["y", 1, 1.3 * x[2]],
      ["z", 1, 1.3 * x[3]],
      ["y", 2, 1.3 * x[4]],
    ];
    expectState(enc.encode(x) as ProductState, reference(3, gates));
    expect(enc.maxFeatures).toBe(6);
  });

  it("stacked-angle: layer l on qubits 0…n−1, axes Y, Z, X, Y (TorchQuantum 4x4_ryzxy at n = 4)", () => {
    const x = vec(16);
    const enc = new FeatureEncoder({ encoding: "stacked-angle", nQubits: 4 });
    const gates: [string, number, number][] = [];
    ["y", "z", "x", "y"].forEach((g, l) => {
      for (let q = 0; q < 4; q++) gates.push([g, q, x[4 * l + q]]);
    });
    expectState(enc.encode(x) as ProductState, reference(4, gates));
    expect(maxFeatureCount("stacked-angle", 8)).toBe(256);
    // 8 features on 3 qubits: qubit 2 gets two layers (Y, Z), qubits 0 and 1 three (Y, Z, X)
    const y = vec(8);
    const three = new FeatureEncoder({ encoding: "stacked-angle", nQubits: 3, squash: "tanh", scale: Math.PI });
    const g3: [string, number, number][] = [];
    for (let f = 0; f < 8; f++) g3.push([["y", "z", "x"][Math.floor(f / 3)], f % 3, Math.PI * Math.tanh(y[f])]);
    expectState(three.encode(y) as ProductState, reference(3, g3));
  });

  it("errors: too many features, hadamard on a non-angle encoding, a bad squash", () => {
    expect(() => new FeatureEncoder({ encoding: "dense-angle", nQubits: 2 }).encode(vec(5))).toThrow(
      /5 features do not fit the dense-angle encoding on 2 qubits \(at most 4\)/,
    );
    expect(() => new FeatureEncoder({ encoding: "dense-angle", nQubits: 2, hadamard: true })).toThrow(
      /hadamard applies to the angle encoding only/,
    );
    expect(() => new FeatureEncoder({ encoding: "angle", nQubits: 2, squash: "sigmoid" as never })).toThrow(/squash/);
  });
});

describe("FeatureEncoder rotation encodings: input gradients (float64, central differences)", () => {
  const cases: [string, Partial<FeatureEncoderOptions> & { encoding: FeatureEncoderOptions["encoding"] }, number][] = [
    ["angle, H, π·tanh", { encoding: "angle", scale: Math.PI, squash: "tanh", hadamard: true }, 4],
    ["angle about X, π·tanh", { encoding: "angle", axis: "X", scale: Math.PI, squash: "tanh" }, 3],
    ["dense-angle, π·tanh", { encoding: "dense-angle", scale: Math.PI, squash: "tanh" }, 7],
    ["dense-angle, raw", { encoding: "dense-angle", scale: 0.8 }, 8],
    ["stacked-angle, π·tanh", { encoding: "stacked-angle", scale: Math.PI, squash: "tanh" }, 16],
    ["stacked-angle, raw, partial last layer", { encoding: "stacked-angle", scale: 1.1 }, 11],
  ];
  for (const [name, opts, F] of cases) {
    it(name, () => {
      const n = 4,
        circuit = hardwareEfficientAnsatz({ nQubits: n, nLayers: 2 });
      const layer = new QuantumLayer({ circuit, readout: [0, 1, 3], seed: 9 });
      const enc = new FeatureEncoder({ nQubits: n, ...opts });
      const w = [0.9, -0.6, 1.2];
      const f = (x: Float64Array) => layer.forward([enc.encode(x)])[0].reduce((s, v, j) => s + w[j] * v, 0);
      const x = vec(F);
      const r = layer.backward([enc.encode(x)], [w], { inputGradients: true });
      const g = enc.inputGradient(x, r.inputGradients![0]);
      const h = 1e-6;
      for (let j = 0; j < F; j++) {
        const p = x.slice(),
          m = x.slice();
        p[j] += h;
        m[j] -= h;
        expect(g[j]).toBeCloseTo((f(p) - f(m)) / (2 * h), 7);
      }
    });
  }
});

describe("imageStudent with the rotation encodings and the probabilities readout (tfjs, float32)", () => {
  beforeAll(async () => {
    await useTfBackend("wasm");
  });
  const variants = [
    { encoding: "angle", scale: Math.PI, squash: "tanh", hadamard: true },
    { encoding: "dense-angle", scale: Math.PI, squash: "tanh" },
    { encoding: "stacked-angle", scale: Math.PI, squash: "tanh", readoutKind: "probabilities" },
  ] as const;
  for (const v of variants) {
    it(`${v.encoding}${"readoutKind" in v ? " + probabilities" : ""}: the dense reduction's and the circuit's gradients equal central differences of the loss`, () => {
      const model = imageStudent({ inputShape: [4, 4, 1], classes: 3, nQubits: 3, reduction: "dense", seed: 4, ...v });
      const x = tf.tensor4d(
        Float32Array.from({ length: 5 * 16 }, () => rng.uniform(-1, 1)),
        [5, 4, 4, 1],
      );
      const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1, 0], "int32"), 3);
      const lossOf = () => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar;
      const { grads } = tf.variableGrads(lossOf);
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      expectTfGradientsMatchDifferences(lossOf, [vars[0], vars[2]], grads, [0, 5, -1]);
    });
  }

  it("parameter counts: reduction (H·W + 1)·F with F = Q, 2Q or 2^Q; head (k + 1)·classes with k = Q or 2^Q", () => {
    const count = (o: object) =>
      imageStudent({
        inputShape: [28, 28, 1],
        classes: 10,
        nQubits: 4,
        reduction: "dense",
        encoding: "angle",
        ...o,
      }).countParams();
    expect(count({ encoding: "dense-angle" })).toBe(785 * 8 + 19 + 50);
    expect(count({ encoding: "stacked-angle" })).toBe(785 * 16 + 19 + 50);
    expect(count({ encoding: "amplitude", readoutKind: "probabilities" })).toBe(785 * 16 + 19 + 17 * 10);
  });
});
