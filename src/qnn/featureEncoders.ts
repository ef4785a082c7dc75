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
 * - **angle**: qubit j is R_axis(φ(x_j))|0⟩ (axis Y: cos(θ/2)|0⟩ + sin(θ/2)|1⟩; axis X: cos(θ/2)|0⟩ −
 *   i·sin(θ/2)|1⟩), or R_axis(φ(x_j))·H|0⟩ with `hadamard` (Hasan & Mahdy's v1 circuit: H then R_Y on every
 *   qubit), a product state (simulated on the readout's light cone); features beyond the first n are an error,
 *   qubits beyond the features stay |0⟩ (or |+⟩ with `hadamard`).
 * - **dense-angle** (LaRose & Coyle's dense angle encoding, "dense qubit encoding" of Hur, Kim & Park 2022): two
 *   features per qubit, qubit j is R_Z(φ(x_{2j+1}))·R_Y(φ(x_{2j}))|0⟩ = cos(θ/2)|0⟩ + e^{iφ}·sin(θ/2)|1⟩ up to a
 *   global phase; at most 2n features.
 * - **stacked-angle** (TorchQuantum's `4x4_ryzxy` for n = 4): up to 2^n features in layers of n rotations,
 *   feature f = l·n + j on qubit j in layer l, about the axis Y, Z, X, Y, Z, X, … (period 3, starting with Y) of
 *   its layer; qubit j is the product of its layers' rotations applied to |0⟩ (no entangler: a product state).
 *
 * In the three rotation encodings the angle of feature x is φ(x) = scale·x, or scale·tanh(x) with `squash:
 * "tanh"` (Hasan & Mahdy's v1 code feeds π·tanh of the dense layer's outputs). Their input gradient is the chain
 * rule through each qubit's rotations (the covector pulled back through the later rotations, one pass per qubit)
 * and dφ/dx.
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
import { Statevector, checkQubitCount } from "../sim/state/statevector";
import { ProductState } from "../sim/state/product";
import { checkNumber, checkOneOf, withDefaults } from "../util/options";
import type { InputGradient, QuantumInput } from "./execution/types";

/** The encodings of {@link FeatureEncoder}. */
export const FEATURE_ENCODINGS = ["amplitude", "angle", "basis", "dense-angle", "stacked-angle"] as const;
/** An encoding name. */
export type FeatureEncoding = (typeof FEATURE_ENCODINGS)[number];

/** Options of {@link FeatureEncoder}. */
export interface FeatureEncoderOptions {
  encoding: FeatureEncoding;
  /** Qubits of the encoded state. */
  nQubits: number;
  /** Rotation axis of the angle encoding. @defaultValue "Y" */
  axis: "X" | "Y";
  /** Radians per unit feature (per unit of tanh(x) with `squash: "tanh"`) of the rotation encodings. @defaultValue 1 */
  scale: number;
  /** Rotation encodings: the angle is scale·x (`"none"`) or scale·tanh(x) (`"tanh"`). @defaultValue "none" */
  squash: "none" | "tanh";
  /** Angle encoding only: a Hadamard on every qubit before its rotation. @defaultValue false */
  hadamard: boolean;
  /** Threshold of the basis encoding: bit = x > threshold. @defaultValue 0.5 */
  threshold: number;
  /** Basis encoding only: give an input gradient by the straight-through estimator (module doc). @defaultValue false */
  straightThrough: boolean;
}

/** The rotation axes of the stacked-angle encoding's layers, repeated with period 3 (TorchQuantum's `ryzxy` order). */
const STACK_AXES = ["Y", "Z", "X"] as const;

/**
 * The most features an encoding takes on n qubits: 2^n (amplitude, stacked-angle), 2n (dense-angle), n (angle, basis).
 */
export function maxFeatureCount(encoding: FeatureEncoding, nQubits: number): number {
  if (encoding === "amplitude" || encoding === "stacked-angle") return 2 ** nQubits;
  return encoding === "dense-angle" ? 2 * nQubits : nQubits;
}

/** The JSON form of a {@link FeatureEncoder} (its options). */
export type FeatureEncoderJSON = FeatureEncoderOptions;

/** A differentiable encoder of feature vectors (see the module doc). */
export class FeatureEncoder {
  readonly options: Readonly<FeatureEncoderOptions>;

  /** @throws Error for an unknown option or encoding, a bad qubit count, axis, scale or threshold. */
  constructor(options: Partial<FeatureEncoderOptions> & { encoding: FeatureEncoding; nQubits: number }) {
    const o = withDefaults(
      "FeatureEncoder",
      {
        encoding: "amplitude",
        nQubits: 1,
        axis: "Y",
        scale: 1,
        squash: "none",
        hadamard: false,
        threshold: 0.5,
        straightThrough: false,
      } as FeatureEncoderOptions,
      options,
    );
    checkOneOf("FeatureEncoder", "encoding", o.encoding, FEATURE_ENCODINGS);
    checkQubitCount("FeatureEncoder", o.nQubits);
    checkOneOf("FeatureEncoder", "axis", o.axis, ["X", "Y"] as const);
    checkNumber("FeatureEncoder", "scale", o.scale);
    checkNumber("FeatureEncoder", "threshold", o.threshold);
    checkOneOf("FeatureEncoder", "squash", o.squash, ["none", "tanh"] as const);
    if (typeof o.hadamard !== "boolean")
      throw new Error(`FeatureEncoder: hadamard must be true or false, got ${JSON.stringify(o.hadamard)}`);
    if (o.hadamard && o.encoding !== "angle")
      throw new Error(
        `FeatureEncoder: hadamard applies to the angle encoding only, got encoding ${JSON.stringify(o.encoding)}`,
      );
    if (typeof o.straightThrough !== "boolean")
      throw new Error(
        `FeatureEncoder: straightThrough must be true or false, got ${JSON.stringify(o.straightThrough)}`,
      );
    if (o.straightThrough && o.encoding !== "basis")
      throw new Error(
        `FeatureEncoder: straightThrough applies to the basis encoding only, got encoding ${JSON.stringify(o.encoding)}`,
      );
    this.options = Object.freeze({ ...o });
  }

  /** The most features an input may have: 2^n (amplitude, stacked-angle), 2n (dense-angle) or n (angle, basis). */
  get maxFeatures(): number {
    return maxFeatureCount(this.options.encoding, this.options.nQubits);
  }

  /** Whether {@link FeatureEncoder.inputGradient} exists (not for the basis encoding, unless straight-through). */
  get differentiable(): boolean {
    return this.options.encoding !== "basis" || this.options.straightThrough;
  }

  private check(where: string, x: ArrayLike<number>): void {
    if (!x || typeof x.length !== "number" || x.length === 0)
      throw new Error(`${where}: expected a non-empty feature vector, got ${String(x)}`);
    if (x.length > this.maxFeatures) {
      throw new Error(
        `${where}: ${x.length} features do not fit the ${this.options.encoding} encoding on ${this.options.nQubits} qubits (at most ${this.maxFeatures})`,
      );
    }
    for (let i = 0; i < x.length; i++)
      if (!Number.isFinite(x[i])) throw new Error(`${where}: feature ${i} is not finite (${x[i]})`);
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
      const dim = 2 ** n,
        re = new Float64Array(dim);
      let norm2 = 0;
      for (let i = 0; i < x.length; i++) {
        re[i] = x[i];
        norm2 += x[i] * x[i];
      }
      if (norm2 === 0)
        throw new Error(`${W}: the feature vector is all zeros and cannot be amplitude-encoded (normalised)`);
      const s = 1 / Math.sqrt(norm2);
      for (let i = 0; i < x.length; i++) re[i] *= s;
      return new Statevector(n, re, new Float64Array(dim));
    }
    if (encoding === "basis") {
      const qs: number[][] = [];
      for (let j = 0; j < n; j++) qs.push(j < x.length && x[j] > this.options.threshold ? [0, 0, 1, 0] : [1, 0, 0, 0]);
      return new ProductState(qs);
    }
    const qs: number[][] = [];
    for (let j = 0; j < n; j++) {
      const st = this.qubitStates(x, j);
      qs.push(Array.from(st.subarray(st.length - 4)));
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
      throw new Error(
        `${W}: the basis encoding thresholds its features and has no input gradient; use the amplitude or angle encoding for a trainable layer in front of the circuit, or straightThrough: true`,
      );
    }
    this.check(W, x);
    const out = new Float64Array(x.length);
    if (encoding === "amplitude") {
      if (g.kind !== "statevector" || g.re.length !== 2 ** n)
        throw new Error(`${W}: expected a statevector gradient of ${2 ** n} amplitudes, got ${g.kind}`);
      let norm2 = 0;
      for (let i = 0; i < x.length; i++) norm2 += x[i] * x[i];
      if (norm2 === 0) throw new Error(`${W}: the feature vector is all zeros`);
      const norm = Math.sqrt(norm2);
      let dot = 0;
      for (let i = 0; i < x.length; i++) dot += (x[i] / norm) * g.re[i];
      for (let j = 0; j < x.length; j++) out[j] = (g.re[j] - (x[j] / norm) * dot) / norm;
      return out;
    }
    if (g.kind !== "product" || g.amps.length !== 4 * n)
      throw new Error(`${W}: expected a product-state gradient of ${4 * n} entries, got ${g.kind}`);
    if (encoding === "basis") {
      for (let j = 0; j < x.length; j++) {
        const h = x[j] > this.options.threshold ? Math.PI / 2 : 0;
        out[j] = (Math.PI / 2) * (-Math.sin(h) * g.amps[4 * j] + Math.cos(h) * g.amps[4 * j + 2]);
      }
      return out;
    }
    for (let j = 0; j < n; j++) {
      const rots = this.rotations(x, j);
      if (rots.length === 0) continue;
      const st = this.qubitStates(x, j);
      // the covector G = ∂L/∂Re ψ + i·∂L/∂Im ψ of qubit j, pulled back through its rotations from the last:
      // ∂L/∂θ_m = Re(Gᴴ·dψ/dθ_m), dψ/dθ_m = U_M…U_{m+1}·(−i/2)σ_m·s_m with s_m the state after rotation m
      let [gar, gai, gbr, gbi] = [g.amps[4 * j], g.amps[4 * j + 1], g.amps[4 * j + 2], g.amps[4 * j + 3]];
      for (let m = rots.length - 1; m >= 0; m--) {
        const { axis, feature } = rots[m];
        const o = 4 * (m + 1),
          ar = st[o],
          ai = st[o + 1],
          br = st[o + 2],
          bi = st[o + 3];
        // v = (−i/2)·σ·s: X: (b, a); Y: (−i·b, i·a); Z: (a, −b), each times −i/2
        let v: number[];
        if (axis === "X") v = [bi / 2, -br / 2, ai / 2, -ar / 2];
        else if (axis === "Y") v = [-br / 2, -bi / 2, ar / 2, ai / 2];
        else v = [ai / 2, -ar / 2, -bi / 2, br / 2];
        const dTheta = gar * v[0] + gai * v[1] + gbr * v[2] + gbi * v[3];
        out[feature] += dTheta * this.angleDerivative(x[feature]);
        // G ← U_m†·G (U_m = R_axis(θ_m) = cos(θ/2)·1 − i·sin(θ/2)·σ, so U_m† = cos·1 + i·sin·σ)
        const h = this.angle(x[feature]) / 2,
          c = Math.cos(h),
          sn = Math.sin(h);
        let ta: [number, number], tb: [number, number];
        if (axis === "X") {
          ta = [c * gar - sn * gbi, c * gai + sn * gbr];
          tb = [c * gbr - sn * gai, c * gbi + sn * gar];
        } else if (axis === "Y") {
          ta = [c * gar + sn * gbr, c * gai + sn * gbi];
          tb = [c * gbr - sn * gar, c * gbi - sn * gai];
        } else {
          ta = [c * gar - sn * gai, c * gai + sn * gar];
          tb = [c * gbr + sn * gbi, c * gbi - sn * gbr];
        }
        [gar, gai, gbr, gbi] = [ta[0], ta[1], tb[0], tb[1]];
      }
    }
    return out;
  }

  /** The rotation angle φ(x) of a feature (see the module doc). */
  private angle(x: number): number {
    return this.options.scale * (this.options.squash === "tanh" ? Math.tanh(x) : x);
  }

  /** dφ/dx. */
  private angleDerivative(x: number): number {
    if (this.options.squash === "tanh") {
      const t = Math.tanh(x);
      return this.options.scale * (1 - t * t);
    }
    return this.options.scale;
  }

  /** The rotations of qubit j in order (axis and feature index) for the features present in x. */
  private rotations(x: ArrayLike<number>, j: number): { axis: "X" | "Y" | "Z"; feature: number }[] {
    const { encoding, nQubits: n, axis } = this.options;
    const out: { axis: "X" | "Y" | "Z"; feature: number }[] = [];
    if (encoding === "angle") {
      if (j < x.length) out.push({ axis, feature: j });
    } else if (encoding === "dense-angle") {
      if (2 * j < x.length) out.push({ axis: "Y", feature: 2 * j });
      if (2 * j + 1 < x.length) out.push({ axis: "Z", feature: 2 * j + 1 });
    } else if (encoding === "stacked-angle") {
      for (let l = 0; l * n + j < x.length; l++) out.push({ axis: STACK_AXES[l % 3], feature: l * n + j });
    }
    return out;
  }

  /**
   * Qubit j's state before and after each of its rotations: `[Re a, Im a, Re b, Im b]` per step, the first the
   * starting state (|0⟩, or H|0⟩ with `hadamard`), the last the encoded qubit.
   */
  private qubitStates(x: ArrayLike<number>, j: number): Float64Array {
    const rots = this.rotations(x, j);
    const st = new Float64Array(4 * (rots.length + 1));
    if (this.options.hadamard) {
      st[0] = Math.SQRT1_2;
      st[2] = Math.SQRT1_2;
    } else st[0] = 1;
    rots.forEach(({ axis, feature }, m) => {
      const h = this.angle(x[feature]) / 2,
        c = Math.cos(h),
        s = Math.sin(h);
      const i = 4 * m,
        ar = st[i],
        ai = st[i + 1],
        br = st[i + 2],
        bi = st[i + 3],
        o = i + 4;
      // R_axis(θ) = cos(θ/2)·1 − i·sin(θ/2)·σ_axis
      if (axis === "X") {
        st[o] = c * ar + s * bi;
        st[o + 1] = c * ai - s * br;
        st[o + 2] = c * br + s * ai;
        st[o + 3] = c * bi - s * ar;
      } else if (axis === "Y") {
        st[o] = c * ar - s * br;
        st[o + 1] = c * ai - s * bi;
        st[o + 2] = c * br + s * ar;
        st[o + 3] = c * bi + s * ai;
      } else {
        st[o] = c * ar + s * ai;
        st[o + 1] = c * ai - s * ar;
        st[o + 2] = c * br - s * bi;
        st[o + 3] = c * bi + s * br;
      }
    });
    return st;
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
