/**
 * Encoders as differentiable maps from classical features to quantum inputs, for hybrid models in which a
 * classical layer (or a learned reduction) feeds a circuit: `encode(x)` gives the circuit's input, and
 * `inputGradient(x, g)` pulls the gradient g = ∂L/∂(input amplitudes) that the quantum layer's backward pass
 * returns ({@link InputGradient}) back to ∂L/∂x.
 *
 * - **amplitude**: ψ = pad(x)/‖x‖ on n qubits (x zero-padded to 2^n entries; Hasan & Mahdy, Piperno et al.'s
 *   "amplitude embedding", PennyLane `AmplitudeEmbedding(normalize=True, pad_with=0)`). With g_i = ∂L/∂Re ψ_i
 *   (x is real, so Im ψ = 0 does not move), ∂L/∂x_j = (g_j − ψ_j·Σ_i ψ_i g_i)/‖x‖ — the Jacobian of the
 *   normalisation. A zero vector cannot be normalised: a clear error.
 * - **angle**: qubit j is R_axis(scale·x_j)|0⟩ (axis Y: cos(θ/2)|0⟩ + sin(θ/2)|1⟩; axis X: cos(θ/2)|0⟩ −
 *   i·sin(θ/2)|1⟩), a product state (simulated on the readout's light cone); features beyond the first n are an
 *   error, qubits beyond the features stay |0⟩. ∂L/∂x_j by the chain rule through the two amplitudes of qubit j.
 * - **basis** ("qubit" encoding of Hasan & Mahdy): qubit j is |1⟩ when x_j > threshold, else |0⟩. The threshold
 *   has no derivative: asking for the input gradient is a clear error, unless `straightThrough` is set. Then the
 *   backward pass uses the straight-through estimator (Bengio, Léonard & Courville, arXiv:1308.3432, 2013): the
 *   bit b_j is treated as the relaxed qubit cos(πb/2)|0⟩ + sin(πb/2)|1⟩ (R_Y(π·b)|0⟩) with ∂b/∂x_j = 1, so
 *   ∂L/∂x_j = (π/2)·(−sin(πb_j/2)·g_a + cos(πb_j/2)·g_b) with g_a, g_b the real parts of the gradients of qubit
 *   j's two amplitudes. This lets a learned layer in front of the basis encoding train (our choice; the papers do
 *   not say how theirs trains).
 *
 * @packageDocumentation
 */
import { Statevector, checkQubitCount } from "../sim/statevector";
import { ProductState } from "../sim/product";
import { checkNumber, checkOneOf, withDefaults } from "../util/options";
import type { InputGradient, QuantumInput } from "./execution";

/** The encodings of {@link FeatureEncoder}. */
export const FEATURE_ENCODINGS = ["amplitude", "angle", "basis"] as const;
/** An encoding name. */
export type FeatureEncoding = (typeof FEATURE_ENCODINGS)[number];

/** Options of {@link FeatureEncoder}. */
export interface FeatureEncoderOptions {
  encoding: FeatureEncoding;
  /** Qubits of the encoded state. */
  nQubits: number;
  /** Rotation axis of the angle encoding. @defaultValue "Y" */
  axis: "X" | "Y";
  /** Radians per unit feature of the angle encoding. @defaultValue 1 */
  scale: number;
  /** Threshold of the basis encoding: bit = x > threshold. @defaultValue 0.5 */
  threshold: number;
  /** Basis encoding only: give an input gradient by the straight-through estimator (module doc). @defaultValue false */
  straightThrough: boolean;
}

/** The JSON form of a {@link FeatureEncoder} (its options). */
export type FeatureEncoderJSON = FeatureEncoderOptions;

/** A differentiable encoder of feature vectors (see the module doc). */
export class FeatureEncoder {
  readonly options: Readonly<FeatureEncoderOptions>;

  /** @throws Error for an unknown option or encoding, a bad qubit count, axis, scale or threshold. */
  constructor(options: Partial<FeatureEncoderOptions> & { encoding: FeatureEncoding; nQubits: number }) {
    const o = withDefaults("FeatureEncoder", { encoding: "amplitude", nQubits: 1, axis: "Y", scale: 1, threshold: 0.5, straightThrough: false } as FeatureEncoderOptions, options);
    checkOneOf("FeatureEncoder", "encoding", o.encoding, FEATURE_ENCODINGS);
    checkQubitCount("FeatureEncoder", o.nQubits);
    checkOneOf("FeatureEncoder", "axis", o.axis, ["X", "Y"] as const);
    checkNumber("FeatureEncoder", "scale", o.scale);
    checkNumber("FeatureEncoder", "threshold", o.threshold);
    if (typeof o.straightThrough !== "boolean") throw new Error(`FeatureEncoder: straightThrough must be true or false, got ${JSON.stringify(o.straightThrough)}`);
    if (o.straightThrough && o.encoding !== "basis") throw new Error(`FeatureEncoder: straightThrough applies to the basis encoding only, got encoding ${JSON.stringify(o.encoding)}`);
    this.options = Object.freeze({ ...o });
  }

  /** The most features an input may have: 2^n (amplitude) or n (angle, basis). */
  get maxFeatures(): number {
    return this.options.encoding === "amplitude" ? 2 ** this.options.nQubits : this.options.nQubits;
  }

  /** Whether {@link FeatureEncoder.inputGradient} exists (not for the basis encoding, unless straight-through). */
  get differentiable(): boolean {
    return this.options.encoding !== "basis" || this.options.straightThrough;
  }

  private check(where: string, x: ArrayLike<number>): void {
    if (!x || typeof x.length !== "number" || x.length === 0) throw new Error(`${where}: expected a non-empty feature vector, got ${String(x)}`);
    if (x.length > this.maxFeatures) {
      throw new Error(`${where}: ${x.length} features do not fit the ${this.options.encoding} encoding on ${this.options.nQubits} qubits (at most ${this.maxFeatures})`);
    }
    for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) throw new Error(`${where}: feature ${i} is not finite (${x[i]})`);
  }

  /**
   * The quantum input of a feature vector: a {@link Statevector} (amplitude) or a {@link ProductState} (angle,
   * basis).
   * @throws Error for too many features, a non-finite feature, or an all-zero vector (amplitude).
   */
  encode(x: ArrayLike<number>): QuantumInput {
    const W = "FeatureEncoder.encode";
    this.check(W, x);
    const { encoding, nQubits: n } = this.options;
    if (encoding === "amplitude") {
      const dim = 2 ** n, re = new Float64Array(dim);
      let norm2 = 0;
      for (let i = 0; i < x.length; i++) {
        re[i] = x[i];
        norm2 += x[i] * x[i];
      }
      if (norm2 === 0) throw new Error(`${W}: the feature vector is all zeros and cannot be amplitude-encoded (normalised)`);
      const s = 1 / Math.sqrt(norm2);
      for (let i = 0; i < x.length; i++) re[i] *= s;
      return new Statevector(n, re, new Float64Array(dim));
    }
    const qs: number[][] = [];
    for (let j = 0; j < n; j++) {
      if (j >= x.length) qs.push([1, 0, 0, 0]);
      else if (encoding === "basis") qs.push(x[j] > this.options.threshold ? [0, 0, 1, 0] : [1, 0, 0, 0]);
      else {
        const h = (this.options.scale * x[j]) / 2, c = Math.cos(h), s = Math.sin(h);
        qs.push(this.options.axis === "Y" ? [c, 0, s, 0] : [c, 0, 0, -s]);
      }
    }
    return new ProductState(qs);
  }

  /**
   * ∂L/∂x (length x.length) from the gradient of the encoded input that `QuantumLayer.backward` returns with
   * `inputGradients: true` (see the module doc for each encoding).
   * @throws Error for the basis encoding without `straightThrough` (no derivative), or a gradient of the wrong kind or size.
   */
  inputGradient(x: ArrayLike<number>, g: InputGradient): Float64Array {
    const W = "FeatureEncoder.inputGradient";
    const { encoding, nQubits: n } = this.options;
    if (encoding === "basis" && !this.options.straightThrough) {
      throw new Error(`${W}: the basis encoding thresholds its features and has no input gradient; use the amplitude or angle encoding for a trainable layer in front of the circuit, or straightThrough: true`);
    }
    this.check(W, x);
    const out = new Float64Array(x.length);
    if (encoding === "amplitude") {
      if (g.kind !== "statevector" || g.re.length !== 2 ** n) throw new Error(`${W}: expected a statevector gradient of ${2 ** n} amplitudes, got ${g.kind}`);
      let norm2 = 0;
      for (let i = 0; i < x.length; i++) norm2 += x[i] * x[i];
      if (norm2 === 0) throw new Error(`${W}: the feature vector is all zeros`);
      const norm = Math.sqrt(norm2);
      let dot = 0;
      for (let i = 0; i < x.length; i++) dot += (x[i] / norm) * g.re[i];
      for (let j = 0; j < x.length; j++) out[j] = (g.re[j] - (x[j] / norm) * dot) / norm;
      return out;
    }
    if (g.kind !== "product" || g.amps.length !== 4 * n) throw new Error(`${W}: expected a product-state gradient of ${4 * n} entries, got ${g.kind}`);
    if (encoding === "basis") {
      for (let j = 0; j < x.length; j++) {
        const h = x[j] > this.options.threshold ? Math.PI / 2 : 0;
        out[j] = (Math.PI / 2) * (-Math.sin(h) * g.amps[4 * j] + Math.cos(h) * g.amps[4 * j + 2]);
      }
      return out;
    }
    const sc = this.options.scale;
    for (let j = 0; j < x.length; j++) {
      const h = (sc * x[j]) / 2, c = Math.cos(h), s = Math.sin(h);
      const [gaRe, , gbRe, gbIm] = [g.amps[4 * j], g.amps[4 * j + 1], g.amps[4 * j + 2], g.amps[4 * j + 3]];
      // d/dx of (a, b): a = cos h → −(sc/2)·sin h; Y: b = sin h → (sc/2)·cos h; X: Im b = −sin h → −(sc/2)·cos h
      out[j] = (sc / 2) * (-s * gaRe + (this.options.axis === "Y" ? c * gbRe : -c * gbIm));
    }
    return out;
  }

  /** The options, JSON-ready. */
  toJSON(): FeatureEncoderJSON {
    return { ...this.options };
  }

  /** @throws Error for bad options (see the constructor). */
  static fromJSON(json: FeatureEncoderJSON): FeatureEncoder {
    return new FeatureEncoder(json);
  }
}
