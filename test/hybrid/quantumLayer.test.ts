// The quantum layer for tfjs models: the encoders' input gradients against central finite differences in float64
// (through the simulator), the whole hybrid model dense → quantum → dense against finite differences of its
// loss (float32 tfjs forward passes), model.fit, and save / load with identical predictions. Amplitude and angle
// encodings; the basis encoding's missing input gradient is a clear error.
import { beforeAll, describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { useTfBackend } from "../../src/hybrid/backend";
import { QuantumTfLayer, quantumLayer } from "../../src/hybrid/quantumLayer";
import { loadTfModel, saveTfModel } from "../../src/hybrid/io";
import { FeatureEncoder } from "../../src/qnn/featureEncoders";
import { QuantumLayer } from "../../src/qnn/layer";
import { amplitudeEncode, angleEncode } from "../../src/qnn/encoders";
import { hardwareEfficientAnsatz } from "../../src/qnn/ansatz";
import { Rng } from "../../src/util/rng";
import { expectTfGradientsMatchDifferences } from "../helpers";
import { Circuit, param } from "../../src/sim/program/circuit";
import { Statevector } from "../../src/sim/state/statevector";

const rng = new Rng(11);
const vec = (n: number) => Float64Array.from({ length: n }, () => rng.uniform(-1, 1));

describe("FeatureEncoder", () => {
  it("amplitude and angle encodings give the library's encoders' states", () => {
    const x = vec(6);
    const a = new FeatureEncoder({ encoding: "amplitude", nQubits: 3 }).encode(x) as ReturnType<typeof amplitudeEncode>;
    const ref = amplitudeEncode(x, 3);
    expect(Array.from(a.re)).toEqual(Array.from(ref.re));
    const y = vec(3);
    const p = new FeatureEncoder({ encoding: "angle", nQubits: 3 }).encode(y);
    const full = (p as unknown as { toStatevector(): { re: Float64Array; im: Float64Array } }).toStatevector();
    const refA = angleEncode(y);
    for (let i = 0; i < 8; i++) expect(full.re[i]).toBeCloseTo(refA.re[i], 14);
  });

  for (const [encoding, axis] of [
    ["amplitude", "Y"],
    ["angle", "Y"],
    ["angle", "X"],
  ] as const) {
    it(`${encoding}${encoding === "angle" ? ` (${axis})` : ""}: ∂L/∂x through the layer equals central differences (float64)`, () => {
      const n = 4,
        circuit = hardwareEfficientAnsatz({ nQubits: n, nLayers: 2 });
      const layer = new QuantumLayer({ circuit, readout: [0, 2, 3], seed: 5 });
      const enc = new FeatureEncoder({ encoding, nQubits: n, axis, scale: 1.3 });
      const w = [0.7, -1.1, 0.4];
      const f = (x: Float64Array) => layer.forward([enc.encode(x)])[0].reduce((s, v, j) => s + w[j] * v, 0);
      const x = vec(encoding === "amplitude" ? 11 : 3);
      const r = layer.backward([enc.encode(x)], [w], { inputGradients: true });
      const g = enc.inputGradient(x, r.inputGradients![0]);
      const h = 1e-6;
      for (let j = 0; j < x.length; j++) {
        const p = x.slice(),
          m = x.slice();
        p[j] += h;
        m[j] -= h;
        expect(g[j]).toBeCloseTo((f(p) - f(m)) / (2 * h), 7);
      }
    });
  }

  it("errors: a zero vector, too many features, the basis encoding's input gradient", () => {
    expect(() => new FeatureEncoder({ encoding: "amplitude", nQubits: 2 }).encode([0, 0, 0])).toThrow(/all zeros/);
    expect(() => new FeatureEncoder({ encoding: "angle", nQubits: 2 }).encode([1, 2, 3])).toThrow(
      /3 features do not fit the angle encoding on 2 qubits/,
    );
    const b = new FeatureEncoder({ encoding: "basis", nQubits: 2 });
    expect(() => b.inputGradient([1, 0], { kind: "product", amps: new Float64Array(8) })).toThrow(
      /basis encoding .* no input gradient/,
    );
    expect(() =>
      quantumLayer({
        circuit: hardwareEfficientAnsatz({ nQubits: 2, nLayers: 1 }),
        readout: [0],
        encoding: "basis",
        inputGradients: true,
      }),
    ).toThrow(/inputGradients: false/);
  });
});

describe("QuantumTfLayer in a tfjs model", () => {
  beforeAll(async () => {
    await useTfBackend("wasm");
  });

  const hybrid = (encoding: "amplitude" | "angle", seed: number) => {
    const n = 3,
      circuit = hardwareEfficientAnsatz({ nQubits: n, nLayers: 2 });
    return tf.sequential({
      layers: [
        tf.layers.dense({
          inputShape: [5],
          units: encoding === "amplitude" ? 8 : n,
          activation: "tanh",
          kernelInitializer: tf.initializers.glorotUniform({ seed }),
        }),
        quantumLayer({ circuit, readout: [0, 1, 2], encoding, seed }),
        tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
      ],
    });
  };

  for (const encoding of ["amplitude", "angle"] as const) {
    it(`${encoding}: gradients of dense → quantum → dense equal central differences of the loss`, () => {
      const model = hybrid(encoding, 3);
      const x = tf.tensor2d(
        Float32Array.from({ length: 4 * 5 }, () => rng.uniform(-1, 1)),
        [4, 5],
      );
      const y = tf.oneHot(tf.tensor1d([0, 1, 1, 0], "int32"), 2);
      const lossOf = () => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar;
      const { grads } = tf.variableGrads(lossOf);
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      expect(vars.length).toBe(5); // dense kernel + bias, theta, dense kernel + bias
      expectTfGradientsMatchDifferences(lossOf, [vars[0], vars[2]], grads, [0, 3, -1]);
    });
  }

  it("trains with model.fit, saves and loads with the same predictions", async () => {
    const model = hybrid("amplitude", 7);
    model.compile({ optimizer: tf.train.adam(0.05), loss: tf.losses.softmaxCrossEntropy });
    const xs = tf.tensor2d(
      Float32Array.from({ length: 32 * 5 }, () => rng.uniform(-1, 1)),
      [32, 5],
    );
    const labels = Array.from({ length: 32 }, (_, i) => (xs.dataSync()[i * 5] > 0 ? 1 : 0));
    const ys = tf.oneHot(tf.tensor1d(labels, "int32"), 2);
    const h = await model.fit(xs, ys, { epochs: 8, batchSize: 16, shuffle: false, verbose: 0 });
    const losses = h.history.loss as number[];
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-hybrid-"));
    await saveTfModel(model, dir);
    const back = await loadTfModel(dir);
    expect(back.layers[1]).toBeInstanceOf(QuantumTfLayer);
    expect(Array.from((back.predict(xs) as tf.Tensor).dataSync())).toEqual(
      Array.from((model.predict(xs) as tf.Tensor).dataSync()),
    );
  });
});

// The probabilities readout (PennyLane `qml.probs(wires=readout)`, readout[0] the most significant bit). Reference
// values from an independent route: the circuit run in float64 by `Circuit.run` and the squared amplitudes summed by
// reading the bits of each amplitude index (qubit q = bit q, `sim/state/statevector.ts`); gradients against central finite
// differences of that float64 computation.
describe('QuantumTfLayer with readoutKind: "probabilities"', () => {
  beforeAll(async () => {
    await useTfBackend("wasm");
  });

  const n = 3,
    readout = [2, 0];
  const circuit = hardwareEfficientAnsatz({ nQubits: n, nLayers: 2 });
  /** p_s of the readout from a full float64 simulation, s = b_{readout[0]}·2 + b_{readout[1]}. */
  const refProbs = (enc: FeatureEncoder, theta: ArrayLike<number>, x: ArrayLike<number>): Float64Array => {
    const e = enc.encode(x);
    const psi =
      "toStatevector" in e ? (e as { toStatevector(): Statevector }).toStatevector() : (e as Statevector).clone();
    const phi = circuit.run(theta, psi);
    const p = new Float64Array(4);
    for (let i = 0; i < phi.dim; i++) {
      const hi = (i >> readout[0]) & 1,
        lo = (i >> readout[1]) & 1;
      p[2 * hi + lo] += phi.re[i] ** 2 + phi.im[i] ** 2;
    }
    return p;
  };
  const layerOf = (encoding: "amplitude" | "angle", F: number) =>
    quantumLayer({ circuit, readout, encoding, readoutKind: "probabilities", seed: 4, inputShape: [F] });

  it("outputs [batch, 2^k] probabilities that sum to 1 and match the statevector's marginal", () => {
    const layer = layerOf("amplitude", 6);
    const x = tf.tensor2d(
      Float32Array.from({ length: 3 * 6 }, () => rng.uniform(-1, 1)),
      [3, 6],
    );
    const y = layer.apply(x) as tf.Tensor;
    expect(y.shape).toEqual([3, 4]);
    expect(layer.nOutputs).toBe(4);
    const theta = layer.getWeights()[0].dataSync(),
      xv = x.dataSync(),
      yv = y.dataSync();
    const enc = new FeatureEncoder({ encoding: "amplitude", nQubits: n });
    for (let b = 0; b < 3; b++) {
      const p = refProbs(enc, theta, xv.subarray(b * 6, (b + 1) * 6));
      let sum = 0;
      for (let s = 0; s < 4; s++) {
        sum += yv[b * 4 + s];
        expect(yv[b * 4 + s]).toBeCloseTo(p[s], 6);
      }
      expect(sum).toBeCloseTo(1, 6);
      expect(Math.min(...p)).toBeGreaterThan(1e-4); // the entangling circuit spreads the weight: a real check of the order
    }
  });

  it("order: readout[0] is the most significant bit of the output index (X on qubit 2 of |000⟩)", () => {
    const c = new Circuit(3).x(2).rz(1, param(0));
    const probs = (r: number[]) => {
      const layer = quantumLayer({
        circuit: c,
        readout: r,
        encoding: "angle",
        readoutKind: "probabilities",
        inputShape: [3],
      });
      return Array.from((layer.apply(tf.zeros([1, 3])) as tf.Tensor).dataSync());
    };
    expect(probs([2, 0])).toEqual([0, 0, 1, 0]); // |b2 b0⟩ = |10⟩ → index 2
    expect(probs([0, 2])).toEqual([0, 1, 0, 0]); // |b0 b2⟩ = |01⟩ → index 1
    expect(probs([1, 2, 0])).toEqual([0, 0, 1, 0, 0, 0, 0, 0]); // |b1 b2 b0⟩ = |010⟩ → index 2
  });

  for (const [encoding, F] of [
    ["amplitude", 6],
    ["angle", 3],
  ] as const) {
    it(`${encoding}: θ- and input gradients through tfjs equal central differences (float64 reference)`, () => {
      const layer = layerOf(encoding, F);
      const B = 2;
      const x = tf.tensor2d(
        Float32Array.from({ length: B * F }, () => rng.uniform(-1, 1)),
        [B, F],
      );
      const w = tf.tensor2d(
        Float32Array.from({ length: B * 4 }, () => rng.uniform(-1, 1)),
        [B, 4],
      );
      const loss = (xx: tf.Tensor) => tf.sum(tf.mul(w, layer.apply(xx) as tf.Tensor)) as tf.Scalar;
      layer.apply(x); // build
      const { grads } = tf.variableGrads(() => loss(x));
      const thetaVar = layer.trainableWeights[0].read() as tf.Variable;
      const gTheta = grads[thetaVar.name].dataSync();
      const gX = tf
        .grad((xx: tf.Tensor) => loss(xx))(x)
        .dataSync();
      const theta = Float64Array.from(thetaVar.dataSync()),
        xv = Float64Array.from(x.dataSync()),
        wv = w.dataSync();
      const enc = new FeatureEncoder({ encoding, nQubits: n });
      const f = (th: Float64Array, xs: Float64Array) => {
        let s = 0;
        for (let b = 0; b < B; b++)
          refProbs(enc, th, xs.subarray(b * F, (b + 1) * F)).forEach((p, j) => (s += wv[b * 4 + j] * p));
        return s;
      };
      const h = 1e-6;
      for (let j = 0; j < theta.length; j++) {
        const p = theta.slice(),
          m = theta.slice();
        p[j] += h;
        m[j] -= h;
        expect(gTheta[j]).toBeCloseTo((f(p, xv) - f(m, xv)) / (2 * h), 5);
      }
      for (let j = 0; j < xv.length; j++) {
        const p = xv.slice(),
          m = xv.slice();
        p[j] += h;
        m[j] -= h;
        expect(gX[j]).toBeCloseTo((f(theta, p) - f(theta, m)) / (2 * h), 5);
      }
      expect(Math.max(...Array.from(gX, Math.abs))).toBeGreaterThan(1e-3);
    });
  }

  it("save / load keeps readoutKind and the predictions; a bad readoutKind is an error that quotes it", async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({
          inputShape: [5],
          units: 8,
          activation: "tanh",
          kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
        }),
        quantumLayer({ circuit, readout, encoding: "amplitude", readoutKind: "probabilities", seed: 9 }),
        tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
      ],
    });
    const xs = tf.tensor2d(
      Float32Array.from({ length: 4 * 5 }, () => rng.uniform(-1, 1)),
      [4, 5],
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-probs-"));
    await saveTfModel(model, dir);
    const back = await loadTfModel(dir);
    const q = back.layers[1] as QuantumTfLayer;
    expect(q).toBeInstanceOf(QuantumTfLayer);
    expect(q.readoutKind).toBe("probabilities");
    expect(q.nOutputs).toBe(4);
    expect(Array.from((back.predict(xs) as tf.Tensor).dataSync())).toEqual(
      Array.from((model.predict(xs) as tf.Tensor).dataSync()),
    );
    expect((model.layers[1] as QuantumTfLayer).readoutKind).toBe("probabilities");
    expect(quantumLayer({ circuit, readout, encoding: "amplitude" }).readoutKind).toBe("expectation");
    expect(() => quantumLayer({ circuit, readout, encoding: "amplitude", readoutKind: "probs" as never })).toThrow(
      /readoutKind must be one of "expectation", "probabilities", got "probs"/,
    );
  });
});
