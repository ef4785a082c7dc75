/**
 * The quantum layer for TensorFlow.js models (PennyLane's `qml.qnn.KerasLayer` / TensorFlow Quantum's
 * `tfq.layers.PQC` for tfjs): a `[batch, features]` tensor → {@link FeatureEncoder} → circuit → readout →
 * `[batch, outputs]`. Two readouts (`readoutKind`): `"expectation"` (default), ⟨Z_q⟩ of each of the k readout
 * qubits, `[batch, k]`; `"probabilities"`, the 2^k probabilities of the computational-basis states of the readout
 * qubits, `[batch, 2^k]`, in PennyLane's `qml.probs(wires=readout)` order: readout[0] is the most significant bit
 * of the output index, so output s = Σ_j b_{readout[j]}·2^{k−1−j} (`sim/grad/cotangents.ts` {@link probsOutputIndex}).
 * The circuit's angles are one tfjs weight `theta` (`[nParams]`, initialised from
 * U[0, 2π) with a seed), so `tf.sequential([dense, quantumLayer, dense])` trains with `model.fit` and saves and
 * loads with the model.
 *
 * **Computation.** Forward and backward run in our simulator in Float64 through the {@link QuantumLayer}'s
 * execution strategies (light cone, WASM programs, worker pool; `qnn/execution/`); tfjs sees float32 tensors.
 * The gradient (`tf.customGrad`): dθ = Σ_b J_θ,bᵀ·dy_b from the layer's adjoint backward pass with the sum
 * reduction, and dx_b = the encoder's pull-back of ∂L/∂(input amplitudes) (the adjoint's λ at the input).
 * tfjs asks a custom gradient for every input at once, so the input gradient is computed unless the layer is
 * configured with `inputGradients: false` (then dx = 0: right for a first layer, whose input is data) — the
 * basis encoding, which has no input gradient, requires that unless `straightThrough` is set.
 *
 * **Probabilities readout.** Per sample, serially on the calling thread: the encoded input is expanded to its
 * full statevector (a product state by `toStatevector()`), the circuit runs on it, and the squared amplitudes are
 * summed per output index. Backward: one adjoint sweep per sample with the cotangent λ_i = g_{s(i)}·φ_i of
 * L = Σ_s g_s·p_s, g = dy_b ({@link probabilitiesCotangent}); the input gradient is 2·λ_in for statevector inputs
 * (amplitude encoding) and `productGradient` over all qubits for product inputs (angle, basis with
 * straight-through), pulled back through the encoder as for ⟨Z⟩. No light cone, worker pool or de-duplication:
 * the cost is one full 2^n simulation per sample and sweep.
 *
 * **Serialisation.** `getConfig` holds the circuit (`sim/program/serialize.ts`), readout, encoder options and seed as one
 * JSON document in the key `quantum`, hex-encoded: tfjs snake-cases every string value of a layer config when it
 * saves a model ("Y" becomes "y"), and a lower-case hex string is the one text that passes unchanged. The class is
 * registered with `tf.serialization` as `QnnKdQuantumLayer`, so `tf.loadLayersModel` rebuilds it.
 *
 * @packageDocumentation
 */
import * as tf from "@tensorflow/tfjs";
import { Circuit } from "../sim/program/circuit";
import { CircuitJSON, circuitFromJSON, circuitToJSON } from "../sim/program/serialize";
import { Statevector } from "../sim/state/statevector";
import { ProductState } from "../sim/state/product";
import { adjointGradient, adjointWorkspace } from "../sim/grad/adjoint";
import { probabilitiesCotangent, probsOutputIndex } from "../sim/grad/cotangents";
import { QuantumLayer } from "../qnn/layer";
import type { InputGradient, QuantumInput } from "../qnn/execution/types";
import { productGradient } from "../qnn/execution/lightCone";
import { FeatureEncoder, FeatureEncoderOptions, FeatureEncoding } from "../qnn/featureEncoders";
import { checkOneOf } from "../util/options";

/** The readouts of {@link QuantumTfLayer} (see the module doc). */
export const READOUT_KINDS = ["expectation", "probabilities"] as const;
/** A readout kind, see {@link READOUT_KINDS}. */
export type ReadoutKind = (typeof READOUT_KINDS)[number];

/** Options of {@link QuantumTfLayer} (beside tfjs's own layer options such as `name`). */
export interface QuantumTfLayerArgs {
  /** The parametrised circuit (or its JSON form, as in a saved model). */
  circuit: Circuit | CircuitJSON;
  /**
   * Readout qubits: with `readoutKind: "expectation"` the layer outputs ⟨Z_q⟩ for each, in order (k outputs); with
   * `"probabilities"` the 2^k basis-state probabilities, readout[0] the most significant bit of the output index.
   */
  readout: number[];
  /**
   * `"expectation"`: ⟨Z⟩ per readout qubit, `[batch, k]`; `"probabilities"`: PennyLane `qml.probs(wires=readout)`,
   * `[batch, 2^k]` (module doc). @defaultValue "expectation"
   */
  readoutKind?: ReadoutKind;
  /** How features become the circuit's input. */
  encoding: FeatureEncoding;
  /** Angle-encoding axis, scale; basis-encoding threshold (see {@link FeatureEncoderOptions}). */
  axis?: "X" | "Y";
  scale?: number;
  /** Rotation encodings: scale·x or scale·tanh(x) (see {@link FeatureEncoderOptions}). @defaultValue "none" */
  squash?: "none" | "tanh";
  /** Angle encoding: a Hadamard before each qubit's rotation (see {@link FeatureEncoderOptions}). @defaultValue false */
  hadamard?: boolean;
  threshold?: number;
  /** Basis encoding: straight-through input gradient (see {@link FeatureEncoderOptions}). @defaultValue false */
  straightThrough?: boolean;
  /** Seed of the initial angles θ ~ U[0, 2π). @defaultValue 0 */
  seed?: number;
  /** Compute ∂L/∂x (see the module doc). @defaultValue true, except for the basis encoding (false) */
  inputGradients?: boolean;
  name?: string;
  trainable?: boolean;
  /** Features per sample, when the layer is a model's first layer (tfjs's `inputShape`), e.g. [64]. */
  inputShape?: number[];
}

/** The layer's own configuration (hex-encoded JSON under `quantum` in `getConfig`). */
interface QuantumConfig {
  circuit: CircuitJSON;
  readout: number[];
  encoder: FeatureEncoderOptions;
  seed: number;
  inputGradients: boolean;
  /** Absent in configs saved before the option existed (read as "expectation"). */
  readoutKind?: ReadoutKind;
}

/** The tfjs quantum layer (see the module doc). */
export class QuantumTfLayer extends tf.layers.Layer {
  /** The name under which tfjs serialises the class. */
  static className = "QnnKdQuantumLayer";
  /** The circuit, readout and execution (its params are θ, copied from the tfjs weight at each call). */
  readonly quantum: QuantumLayer;
  readonly encoder: FeatureEncoder;
  readonly seed: number;
  readonly inputGradients: boolean;
  /** The readout (see the module doc). */
  readonly readoutKind: ReadoutKind;
  private theta: tf.LayerVariable | null = null;
  private probsIndex: Int32Array | null = null;

  /** @throws Error for a bad circuit, readout, readout kind, encoding or option combination (quoted). */
  constructor(args: QuantumTfLayerArgs) {
    super({
      ...(args.name ? { name: args.name } : {}),
      ...(args.trainable !== undefined ? { trainable: args.trainable } : {}),
      ...(args.inputShape ? { inputShape: args.inputShape } : {}),
    });
    const circuit = args.circuit instanceof Circuit ? args.circuit : circuitFromJSON(args.circuit);
    this.seed = args.seed ?? 0;
    this.readoutKind = checkOneOf("QuantumTfLayer", "readoutKind", args.readoutKind ?? "expectation", READOUT_KINDS);
    this.quantum = new QuantumLayer(
      { circuit, readout: args.readout, seed: this.seed, name: args.name ?? "quantum" },
      "QuantumTfLayer",
    );
    this.encoder = new FeatureEncoder({
      encoding: args.encoding,
      nQubits: circuit.nQubits,
      ...(args.axis !== undefined ? { axis: args.axis } : {}),
      ...(args.scale !== undefined ? { scale: args.scale } : {}),
      ...(args.squash !== undefined ? { squash: args.squash } : {}),
      ...(args.hadamard !== undefined ? { hadamard: args.hadamard } : {}),
      ...(args.threshold !== undefined ? { threshold: args.threshold } : {}),
      ...(args.straightThrough !== undefined ? { straightThrough: args.straightThrough } : {}),
    });
    this.inputGradients = args.inputGradients ?? this.encoder.differentiable;
    if (this.inputGradients && !this.encoder.differentiable) {
      throw new Error(
        "QuantumTfLayer: the basis encoding has no input gradient; set inputGradients: false (the layer must then come first, on data), or straightThrough: true",
      );
    }
  }

  /** Number of circuit parameters (the size of the weight `theta`). */
  get nParams(): number {
    return this.quantum.nParams;
  }

  /** Number of outputs per sample: k (expectation) or 2^k (probabilities), k = readout.length. */
  get nOutputs(): number {
    return this.readoutKind === "probabilities" ? 2 ** this.quantum.readout.length : this.quantum.nOutputs;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const features = shape[shape.length - 1];
    if (typeof features === "number" && features > this.encoder.maxFeatures) {
      throw new Error(
        `QuantumTfLayer: ${features} input features do not fit the ${this.encoder.options.encoding} encoding on ${this.quantum.nQubits} qubits (at most ${this.encoder.maxFeatures})`,
      );
    }
    const init = Float32Array.from(this.quantum.params);
    this.theta = this.addWeight("theta", [this.nParams], "float32", tf.initializers.zeros());
    const t = tf.tensor1d(init);
    this.theta.write(t);
    t.dispose();
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0], this.nOutputs];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return this.op(x as tf.Tensor2D, this.theta!.read());
  }

  private readonly op = tf.customGrad(((
    x: tf.Tensor2D,
    theta: tf.Tensor1D,
  ): { value: tf.Tensor; gradFunc: (dy: tf.Tensor) => tf.Tensor[] } => {
    const [B, F] = x.shape;
    const xv = x.dataSync(),
      tv = theta.dataSync();
    this.quantum.params = Float64Array.from(tv);
    const feats = Array.from({ length: B }, (_, b) => Float64Array.from(xv.subarray(b * F, (b + 1) * F)));
    const encoded = feats.map((f) => this.encoder.encode(f));
    if (this.readoutKind === "probabilities") return this.probsOp(B, F, tv, feats, encoded);
    const y = this.quantum.forward(encoded);
    const k = this.quantum.nOutputs,
      out = new Float32Array(B * k);
    y.forEach((row, b) => out.set(row, b * k));
    const value = tf.tensor2d(out, [B, k]);
    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      const dv = dy.dataSync();
      const upstream = Array.from({ length: B }, (_, b) => dv.subarray(b * k, (b + 1) * k));
      this.quantum.params = Float64Array.from(tv);
      const r = this.quantum.backward(encoded, upstream, { reduction: "sum", inputGradients: this.inputGradients });
      const dx = new Float32Array(B * F);
      if (this.inputGradients)
        r.inputGradients!.forEach((g, b) => dx.set(this.encoder.inputGradient(feats[b], g), b * F));
      return [tf.tensor2d(dx, [B, F]), tf.tensor1d(Float32Array.from(r.grad))];
    };
    return { value, gradFunc };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor, theta: tf.Tensor) => tf.Tensor;

  /** The full statevector of an encoded input (a product state expanded; a statevector as it is). */
  private fullState(input: QuantumInput): Statevector {
    if (input instanceof ProductState) return input.toStatevector();
    if (input instanceof Statevector) return input;
    throw new Error("QuantumTfLayer: the probabilities readout takes statevector or product-state inputs");
  }

  /** Forward and backward of the probabilities readout (module doc). */
  private probsOp(
    B: number,
    F: number,
    tv: Float32Array | Int32Array | Uint8Array,
    feats: Float64Array[],
    encoded: QuantumInput[],
  ): { value: tf.Tensor; gradFunc: (dy: tf.Tensor) => tf.Tensor[] } {
    const circuit = this.quantum.circuit,
      n = circuit.nQubits,
      readout = this.quantum.readout;
    const S = this.nOutputs;
    const index = (this.probsIndex ??= probsOutputIndex(readout, n));
    const params = Float64Array.from(tv);
    this.quantum.params = params; // as the expectation path: the layer's QuantumLayer holds the θ of the last call
    const states = encoded.map((e) => this.fullState(e));
    const out = new Float32Array(B * S);
    for (let b = 0; b < B; b++) {
      const phi = circuit.run(params, states[b].clone());
      const p = new Float64Array(S);
      for (let i = 0; i < phi.dim; i++) p[index[i]] += phi.re[i] * phi.re[i] + phi.im[i] * phi.im[i];
      out.set(p, b * S);
    }
    const value = tf.tensor2d(out, [B, S]);
    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      const dv = dy.dataSync();
      const grad = new Float64Array(circuit.nParams),
        dx = new Float32Array(B * F);
      const work = adjointWorkspace(n);
      const all = Array.from({ length: n }, (_, q) => q);
      for (let b = 0; b < B; b++) {
        const g = Float64Array.from(dv.subarray(b * S, (b + 1) * S));
        const lam = this.inputGradients ? Statevector.zero(n) : null;
        const r = adjointGradient(
          circuit,
          params,
          states[b],
          probabilitiesCotangent(readout, g),
          lam ? { grad, work, inputCotangent: lam } : { grad, work },
        );
        if (!lam) continue;
        const e = encoded[b];
        const ig: InputGradient =
          e instanceof ProductState
            ? { kind: "product", amps: productGradient(e, all, lam, r.value) }
            : { kind: "statevector", re: lam.re.map((v) => 2 * v), im: lam.im.map((v) => 2 * v) };
        dx.set(this.encoder.inputGradient(feats[b], ig), b * F);
      }
      return [tf.tensor2d(dx, [B, F]), tf.tensor1d(Float32Array.from(grad))];
    };
    return { value, gradFunc };
  }

  override getConfig(): tf.serialization.ConfigDict {
    const q: QuantumConfig = {
      circuit: circuitToJSON(this.quantum.circuit),
      readout: this.quantum.readout.slice(),
      encoder: this.encoder.toJSON(),
      seed: this.seed,
      inputGradients: this.inputGradients,
      readoutKind: this.readoutKind,
    };
    return { ...super.getConfig(), quantum: Buffer.from(JSON.stringify(q), "utf8").toString("hex") };
  }

  /**
   * Rebuilds the layer from {@link QuantumTfLayer.getConfig} (tfjs calls this when loading a model).
   * @throws Error when the config has no valid `quantum` entry.
   */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const hex = config.quantum;
    if (typeof hex !== "string" || !/^([0-9a-f]{2})+$/.test(hex))
      throw new Error("QuantumTfLayer.fromConfig: the config lacks its hex-encoded `quantum` entry");
    const c = {
      ...(JSON.parse(Buffer.from(hex, "hex").toString("utf8")) as QuantumConfig),
      name: config.name as string | undefined,
      trainable: config.trainable as boolean | undefined,
      inputShape: (config.batchInputShape as (number | null)[] | undefined)?.slice(1) as number[] | undefined,
    };
    const e = c.encoder;
    return new cls({
      circuit: c.circuit,
      readout: c.readout,
      encoding: e.encoding,
      axis: e.axis,
      scale: e.scale,
      squash: e.squash,
      hadamard: e.hadamard,
      threshold: e.threshold,
      straightThrough: e.straightThrough,
      seed: c.seed,
      readoutKind: c.readoutKind ?? "expectation",
      inputGradients: c.inputGradients,
      ...(c.name ? { name: c.name } : {}),
      ...(c.trainable !== undefined ? { trainable: c.trainable } : {}),
      ...(c.inputShape ? { inputShape: c.inputShape } : {}),
    } as unknown as tf.serialization.ConfigDict);
  }
}
tf.serialization.registerClass(QuantumTfLayer);

/** A {@link QuantumTfLayer} (the tfjs-style factory, like `tf.layers.dense`). */
export function quantumLayer(args: QuantumTfLayerArgs): QuantumTfLayer {
  return new QuantumTfLayer(args);
}
