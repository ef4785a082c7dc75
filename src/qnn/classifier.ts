/**
 * The QNN classifier of Yan et al. Sec. II.1: input state → parametrised circuit U(θ) → logits
 * z_k = s·⟨ψ|U†(θ) Z_{q_k} U(θ)|ψ⟩ (Eq. 2) → softmax (Eq. 3). The logit scale s (`logitScale`) is 1 by default,
 * as inferred in PARAMS.md (z_k ∈ [−1, 1]); s > 1 sharpens the softmax, the same as a cross-entropy temperature
 * 1/s (with s = 1 a two-class softmax cannot exceed p ≈ 0.88, so cross-entropy keeps pushing margins instead of
 * fixing misclassified samples).
 *
 * Inputs are pure states ({@link Statevector}) or mixed states given as an {@link Ensemble} (e.g. the
 * compressed states of a quantum autoencoder): for ρ = Σ_i w_i|v_i⟩⟨v_i|, z_k = Σ_i w_i ⟨v_i|U†Z_kU|v_i⟩.
 *
 * Gradients by adjoint differentiation with the weighted observable Σ_k (∂L/∂z_k)·Z_{q_k}: one backward sweep
 * per sample covers all logits.
 *
 * Product-state inputs ({@link ProductState}, e.g. the phase encoder of Fig. 5) are simulated on the backward
 * light cone of the readout qubits only (`sim/program/lightcone.ts`): exact, with the same logits and gradients as the
 * full statevector up to rounding, and far cheaper when the cone is small (6 of 15 qubits for a 4-layer
 * hardware-efficient ansatz read out on qubits 0 and 1).
 *
 * Structure: a classifier is a {@link QuantumLayer} (circuit + readout + params, `layer.ts`, whose execution
 * strategies live in `execution/`) plus the logit scale s; `lossAndGradient` is the layer's backward pass with
 * the mean reduction and output scale s, with the same numbers (bit for bit) as before that split. Models
 * round-trip through JSON ({@link QNNClassifier.toJSON} / {@link QNNClassifier.fromJSON}).
 */
import type { Circuit } from "../sim/program/circuit";
import type { Classifier, SampleLoss } from "../core/model";
import { hardwareEfficientAnsatz, HardwareEfficientOptions } from "./ansatz";
import type { Rng } from "../util/rng";
import { argmax } from "../core/model";
import { CircuitJSON, JSONNumber, circuitFromJSON, circuitToJSON, numberToJSON } from "../sim/program/serialize";
import { QuantumLayer, checkFormat, initParams, nameFromJSON, paramsFromJSON } from "./layer";
import type { QuantumInput } from "./execution/types";
import type { NoiseOptions, ResolvedNoise } from "./execution/noisy";

export type { QuantumInput };
export { initParams };

/** Options of {@link QNNClassifier}. */
export interface QNNClassifierOptions {
  /** The parametrised circuit U(θ). */
  circuit: Circuit;
  /** Qubits whose ⟨Z⟩ are the logits, one per class (distinct). @defaultValue [0, 1, …, nClasses−1] */
  readout?: number[];
  /** Number of classes. @defaultValue readout.length, else 2 */
  nClasses?: number;
  /** Initial parameters; default: drawn from U[initLow, initHigh) with `seed`. */
  params?: ArrayLike<number>;
  /** Seed or generator for the initial parameters. @defaultValue 0 */
  seed?: number | string | Rng;
  /** Lower end of the uniform initialisation (radians). @defaultValue 0 */
  initLow?: number;
  /** Upper end of the uniform initialisation (radians). @defaultValue 2π (PARAMS.md) */
  initHigh?: number;
  /** A name for tables and results (e.g. "teacher"). @defaultValue "qnn" */
  name?: string;
  /** Logit scale s: z_k = s·⟨Z_{q_k}⟩ (> 0). @defaultValue 1 (unscaled, PARAMS.md) */
  logitScale?: number;
  /** Run on a noisy device model (`execution/noisy.ts`; see {@link QNNClassifier.withNoise}). @defaultValue none */
  noise?: NoiseOptions | null;
}

const KNOWN = [
  "circuit",
  "readout",
  "nClasses",
  "params",
  "seed",
  "initLow",
  "initHigh",
  "name",
  "logitScale",
  "noise",
];

/** Format tag of {@link QNNClassifierJSON}. */
export const CLASSIFIER_FORMAT = "qnn-kd/QNNClassifier";
/** Current version of {@link QNNClassifierJSON}. */
export const CLASSIFIER_FORMAT_VERSION = 1;

/**
 * A serialised {@link QNNClassifier} ({@link QNNClassifier.toJSON}): the fields of earlier snapshots (name,
 * nQubits, readout, params) plus the logit scale and the circuit, so that {@link QNNClassifier.fromJSON} can
 * rebuild the model.
 */
export interface QNNClassifierJSON {
  format: typeof CLASSIFIER_FORMAT;
  version: number;
  name: string;
  nQubits: number;
  readout: number[];
  logitScale: JSONNumber;
  /** Parameters (negative zero as `"-0"`, see `sim/program/serialize.ts`). */
  params: JSONNumber[];
  circuit: CircuitJSON;
}

/** A QNN classifier (see module doc). Implements the trainer's {@link Classifier} contract. */
export class QNNClassifier implements Classifier<QuantumInput> {
  /** The quantum layer: circuit, readout and params (the logits are s·layer outputs). */
  readonly layer: QuantumLayer;
  readonly nClasses: number;
  readonly name: string;
  /** Logit scale s (logits = s·⟨Z⟩). */
  readonly logitScale: number;

  /** @throws Error for an unknown option, a readout qubit out of range or repeated, or a wrong parameter count. */
  constructor(options: QNNClassifierOptions) {
    for (const k of Object.keys(options)) {
      if (!KNOWN.includes(k))
        throw new Error(`QNNClassifier: unknown option "${k}"; allowed options are ${KNOWN.join(", ")}`);
    }
    const nClasses = options.nClasses ?? options.readout?.length ?? 2;
    const readout = options.readout ? options.readout.slice() : Array.from({ length: nClasses }, (_, k) => k);
    if (readout.length !== nClasses) {
      throw new Error(
        `QNNClassifier: readout has ${readout.length} qubits but nClasses is ${nClasses}; give one readout qubit per class`,
      );
    }
    if (nClasses < 2) throw new Error(`QNNClassifier: nClasses must be at least 2, got ${nClasses}`);
    const scale = options.logitScale ?? 1;
    if (typeof scale !== "number" || !Number.isFinite(scale) || scale <= 0) {
      throw new Error(`QNNClassifier: logitScale must be a finite number > 0, got ${String(options.logitScale)}`);
    }
    const { circuit, params, seed, initLow, initHigh } = options;
    this.name = options.name ?? "qnn";
    this.layer = new QuantumLayer(
      {
        circuit,
        readout,
        name: this.name,
        noise: options.noise ?? null,
        ...(params !== undefined ? { params } : {}),
        ...(seed !== undefined ? { seed } : {}),
        ...(initLow !== undefined ? { initLow } : {}),
        ...(initHigh !== undefined ? { initHigh } : {}),
      },
      "QNNClassifier",
    );
    this.nClasses = nClasses;
    this.logitScale = scale;
  }

  /**
   * A classifier on the hardware-efficient ansatz (Yan et al. Fig. 2).
   * @param options - ansatz options (nQubits, nLayers, rotations, entangler, finalRotationLayer) plus classifier options.
   */
  static hardwareEfficient(
    options: Partial<HardwareEfficientOptions> & { nQubits: number; nLayers: number } & Omit<
        QNNClassifierOptions,
        "circuit"
      >,
  ): QNNClassifier {
    const { nQubits, nLayers, rotations, entangler, finalRotationLayer, ...rest } = options;
    const circuit = hardwareEfficientAnsatz({
      nQubits,
      nLayers,
      ...(rotations ? { rotations } : {}),
      ...(entangler ? { entangler } : {}),
      ...(finalRotationLayer !== undefined ? { finalRotationLayer } : {}),
    });
    return new QNNClassifier({ circuit, ...rest });
  }

  /**
   * The same model (circuit, readout, logit scale, a COPY of the parameters) run with other noise: `noise` as in
   * {@link QNNClassifierOptions.noise}, or null for exact statevector simulation. E.g. a teacher trained without
   * noise and deployed on a noisy device: `teacher.withNoise({ model: NoiseModel.depolarizing(0.01), shots: 1000 })`.
   * @throws Error for bad noise options.
   */
  withNoise(noise: NoiseOptions | null, name: string = this.name): QNNClassifier {
    return new QNNClassifier({
      circuit: this.circuit,
      readout: this.readout.slice(),
      params: this.params,
      name,
      logitScale: this.logitScale,
      noise,
    });
  }

  /** The noise options the model runs with (null: exact statevector simulation). */
  get noise(): ResolvedNoise | null {
    return this.layer.executor.noisy?.noise ?? null;
  }

  /** The parametrised circuit U(θ) (the layer's). */
  get circuit(): Circuit {
    return this.layer.circuit;
  }

  /** Readout qubits, one per class (the layer's). */
  get readout(): readonly number[] {
    return this.layer.readout;
  }

  /**
   * Trainable parameters: the layer's vector itself (the trainer updates it in place; assigning replaces the
   * layer's vector, checked at the next call).
   */
  get params(): Float64Array {
    return this.layer.params;
  }

  set params(p: Float64Array) {
    this.layer.params = p;
  }

  /** Number of qubits. */
  get nQubits(): number {
    return this.layer.nQubits;
  }

  /** Number of trainable parameters. */
  get nParams(): number {
    return this.layer.nParams;
  }

  /** Logits z_k = logitScale·⟨Z_{readout[k]}⟩ of one input (length nClasses). */
  logits(input: QuantumInput): Float64Array {
    const z = this.expectations(input);
    if (this.logitScale !== 1) for (let k = 0; k < z.length; k++) z[k] *= this.logitScale;
    return z;
  }

  /** The readout expectation values ⟨Z_{readout[k]}⟩ ∈ [−1, 1] of one input (the logits before scaling). */
  expectations(input: QuantumInput): Float64Array {
    return this.layer.executor.forwardOne(this.layer.params, input, "QNNClassifier.expectations");
  }

  /**
   * Logits of each input, `[batch][nClasses]`. Large batches of pure states on ≥ 9 qubits run on the worker
   * pool (`QNN_KD_THREADS`, default: all cores) with the same numbers as the serial path.
   */
  logitsBatch(inputs: readonly QuantumInput[]): Float64Array[] {
    return this.layer.executor.forward(this.layer.params, inputs, this.logitScale, "QNNClassifier.logitsBatch");
  }

  /** Predicted class (argmax of the logits) of each input. */
  predict(inputs: readonly QuantumInput[]): number[] {
    return this.logitsBatch(inputs).map(argmax);
  }

  /** Fraction of inputs whose predicted class equals the label. @throws Error if the lengths differ. */
  accuracy(inputs: readonly QuantumInput[], labels: readonly number[]): number {
    if (inputs.length !== labels.length)
      throw new Error(`QNNClassifier.accuracy: ${inputs.length} inputs but ${labels.length} labels`);
    const pred = this.predict(inputs);
    let ok = 0;
    for (let i = 0; i < pred.length; i++) if (pred[i] === labels[i]) ok++;
    return inputs.length ? ok / inputs.length : NaN;
  }

  /**
   * Mean loss over the batch and its gradient with respect to params (adjoint differentiation; one forward and
   * one backward sweep per pure-state sample): the layer's backward pass with the mean reduction and output
   * scale s, the loss's ∂/∂logits as upstream.
   * @throws Error for an empty batch, an input of the wrong size, or a loss gradient of the wrong length.
   */
  lossAndGradient(inputs: readonly QuantumInput[], sampleLoss: SampleLoss): { loss: number; grad: Float64Array } {
    const K = this.nClasses;
    const r = this.layer.executor.backward(
      this.layer.params,
      inputs,
      (z, b) => {
        const out = sampleLoss(z, b);
        checkLossGrad(out?.dLogits, K);
        return out;
      },
      { outputScale: this.logitScale, reduction: "mean" },
      "QNNClassifier.lossAndGradient",
    );
    return { loss: r.loss, grad: r.grad };
  }

  /**
   * A plain, JSON-ready snapshot (format tag, version, name, nQubits, readout, logit scale, params, circuit)
   * from which {@link QNNClassifier.fromJSON} rebuilds the model with bit-identical logits.
   */
  toJSON(): QNNClassifierJSON {
    return {
      format: CLASSIFIER_FORMAT,
      version: CLASSIFIER_FORMAT_VERSION,
      name: this.name,
      nQubits: this.nQubits,
      readout: this.readout.slice(),
      logitScale: numberToJSON(this.logitScale),
      params: Array.from(this.params, numberToJSON),
      circuit: circuitToJSON(this.circuit),
    };
  }

  /**
   * Rebuilds a classifier from {@link QNNClassifier.toJSON}'s output (also after `JSON.stringify` / `JSON.parse`).
   * @throws Error for a wrong format tag or version, a malformed field (quoting it), or an nQubits that differs
   *   from the circuit's.
   */
  static fromJSON(json: unknown): QNNClassifier {
    const W = "QNNClassifier.fromJSON";
    const o = checkFormat(W, json, CLASSIFIER_FORMAT, CLASSIFIER_FORMAT_VERSION);
    const circuit = circuitFromJSON(o.circuit);
    if (o.nQubits !== circuit.nQubits)
      throw new Error(`${W}: nQubits is ${JSON.stringify(o.nQubits)} but the circuit has ${circuit.nQubits} qubits`);
    if (!Array.isArray(o.readout))
      throw new Error(
        `${W}: readout must be an array of qubit indices, got ${JSON.stringify(o.readout) ?? String(o.readout)}`,
      );
    const logitScale = o.logitScale === "-0" ? -0 : (o.logitScale as number);
    return new QNNClassifier({
      circuit,
      readout: o.readout as number[],
      params: paramsFromJSON(W, o.params),
      name: nameFromJSON(W, o.name),
      logitScale,
    });
  }
}

function checkLossGrad(d: ArrayLike<number> | undefined, K: number): void {
  if (!d || d.length !== K)
    throw new Error(`QNNClassifier: the loss returned ${d ? d.length : "no"} logit gradients, expected ${K}`);
}
