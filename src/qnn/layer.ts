/**
 * A quantum layer: a parametrised circuit U(θ) with readout qubits q_1…q_k, mapping a batch of quantum inputs to
 * expectation values y_{b,j} = ⟨ψ_b|U†(θ) Z_{q_j} U(θ)|ψ_b⟩ ∈ [−1, 1], `[batch][k]`, and back: given ∂L/∂y it
 * returns ∂L/∂θ and, when asked, ∂L/∂(input amplitudes). The readout may have any width k ≥ 1 on any distinct
 * qubits: the layer is not tied to classes (a classical head, e.g. a tfjs network, can take its outputs). A QNN
 * classifier is this layer plus a logit scale (`classifier.ts`).
 *
 * The execution strategies (input kinds, dedupe of identical inputs, light cone of product states, worker pool,
 * whole-program WASM runner, serial adjoint) sit behind the layer in `execution/` (`executor.ts`); its module doc defines the
 * reductions and the input gradient (λ_in = U†λ_out, ∂L/∂x = 2·Re λ_in, ∂L/∂y = 2·Im λ_in for ψ = x + iy).
 * Gradients by adjoint differentiation (Jones & Gacon 2020, arXiv:2009.02823) with the weighted observable
 * Σ_j (∂L/∂y_j)·Z_{q_j}: one backward sweep per sample covers all outputs.
 *
 * @example
 * const layer = new QuantumLayer({ circuit: hardwareEfficientAnsatz({ nQubits: 4, nLayers: 2 }), readout: [0, 1, 2] });
 * const y = layer.forward(states);                                    // [batch][3]
 * const { grad, inputGradients } = layer.backward(states, dLdy, { inputGradients: true });
 */
import { Circuit, checkParams } from "../sim/program/circuit";
import { Rng, toRng } from "../util/rng";
import {
  CircuitJSON,
  JSONNumber,
  circuitFromJSON,
  circuitToJSON,
  numberFromJSON,
  numberToJSON,
} from "../sim/program/serialize";
import {
  ExecutionBackwardOptions,
  ExecutionBackwardResult,
  InputGradient,
  QuantumInput,
  describeValue,
} from "./execution/types";
import { Executor } from "./execution/executor";
import type { NoiseOptions } from "./execution/noisy";
import type { SampleLoss } from "../core/model";

export type { QuantumInput, InputGradient, SampleLoss };

/** Options of {@link QuantumLayer.backward} (see `execution/executor.ts` for the definitions). */
export type LayerBackwardOptions = ExecutionBackwardOptions;
/** Result of {@link QuantumLayer.backward}. */
export type LayerBackwardResult = ExecutionBackwardResult;

/** Options of {@link QuantumLayer}. */
export interface QuantumLayerOptions {
  /** The parametrised circuit U(θ). */
  circuit: Circuit;
  /** Readout qubits: output j is ⟨Z_{readout[j]}⟩; at least one, distinct, any qubits of the circuit. */
  readout: readonly number[];
  /** Initial parameters (length circuit.nParams, copied); default: drawn from U[initLow, initHigh) with `seed`. */
  params?: ArrayLike<number>;
  /** Seed or generator for the initial parameters (stream `fork("init")`). @defaultValue 0 */
  seed?: number | string | Rng;
  /** Lower end of the uniform initialisation (radians). @defaultValue 0 */
  initLow?: number;
  /** Upper end of the uniform initialisation (radians). @defaultValue 2π */
  initHigh?: number;
  /** A name for tables, results and error messages. @defaultValue "layer" */
  name?: string;
  /**
   * Run on a noisy device model (`execution/noisy.ts`): density matrices or trajectories of `noise.model.apply(circuit)`,
   * readout errors, finite shots. Not part of {@link QuantumLayer.toJSON} (an execution setting, not the model).
   * @defaultValue none (exact statevector simulation)
   */
  noise?: NoiseOptions | null;
}

const KNOWN = ["circuit", "readout", "params", "seed", "initLow", "initHigh", "name", "noise"];

/** Format tag of {@link QuantumLayerJSON}. */
export const LAYER_FORMAT = "qnn-kd/QuantumLayer";
/** Current version of {@link QuantumLayerJSON}. */
export const LAYER_FORMAT_VERSION = 1;

/** A serialised {@link QuantumLayer} ({@link QuantumLayer.toJSON}). */
export interface QuantumLayerJSON {
  format: typeof LAYER_FORMAT;
  version: number;
  name: string;
  readout: number[];
  /** Parameters (negative zero as `"-0"`, see `sim/program/serialize.ts`). */
  params: JSONNumber[];
  circuit: CircuitJSON;
}

/**
 * Uniform initial parameters in [low, high) from a seeded stream (`toRng(seed).fork("init")`).
 * @param n - number of parameters.
 * @param seed - seed or generator.
 * @param low - lower end (radians). @defaultValue 0
 * @param high - upper end (radians). @defaultValue 2π
 */
export function initParams(n: number, seed: number | string | Rng, low = 0, high = 2 * Math.PI): Float64Array {
  const rng = toRng(seed).fork("init");
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) p[i] = rng.uniform(low, high);
  return p;
}

/**
 * Validates readout qubits: a non-empty array of distinct integer qubits of an `n`-qubit circuit.
 * @throws Error quoting the bad value.
 */
export function checkReadout(where: string, readout: unknown, n: number): number[] {
  if (!Array.isArray(readout) || readout.length === 0)
    throw new Error(
      `${where}: readout must be a non-empty array of qubit indices, got ${JSON.stringify(readout) ?? String(readout)}`,
    );
  const seen = new Set<number>();
  for (const q of readout) {
    if (typeof q !== "number" || !Number.isInteger(q) || q < 0 || q >= n) {
      throw new Error(
        `${where}: readout qubit ${JSON.stringify(q) ?? String(q)} is out of range; allowed 0..${n - 1} for ${n} qubits`,
      );
    }
    if (seen.has(q)) throw new Error(`${where}: readout qubit ${q} is listed twice in [${readout.join(", ")}]`);
    seen.add(q);
  }
  return readout.slice();
}

/** A quantum layer (see the module doc). */
export class QuantumLayer {
  readonly circuit: Circuit;
  /** Readout qubits, one per output. */
  readonly readout: readonly number[];
  readonly name: string;
  /** Trainable parameters, length nParams; may be updated in place or replaced (checked at each call). */
  params: Float64Array;
  /** The execution strategies of this layer (`execution/`); holds its caches. */
  readonly executor: Executor;

  /** @throws Error for an unknown option, a bad circuit, readout (out of range, repeated, empty) or parameters. */
  constructor(options: QuantumLayerOptions, errorName = "QuantumLayer") {
    if (!options || typeof options !== "object")
      throw new Error(`${errorName}: options must be an object, got ${describeValue(options)}`);
    for (const k of Object.keys(options)) {
      if (!KNOWN.includes(k))
        throw new Error(`${errorName}: unknown option "${k}"; allowed options are ${KNOWN.join(", ")}`);
    }
    if (!(options.circuit instanceof Circuit))
      throw new Error(`${errorName}: option circuit must be a Circuit, got ${describeValue(options.circuit)}`);
    this.circuit = options.circuit;
    this.readout = checkReadout(errorName, options.readout, this.circuit.nQubits);
    this.name = options.name ?? "layer";
    if (options.params) {
      checkParams(errorName, options.params, this.circuit.nParams);
      this.params = Float64Array.from(options.params);
    } else {
      this.params = initParams(
        this.circuit.nParams,
        options.seed ?? 0,
        options.initLow ?? 0,
        options.initHigh ?? 2 * Math.PI,
      );
    }
    this.executor = new Executor(this.circuit, this.readout, errorName, options.noise ?? null);
  }

  /** Number of qubits. */
  get nQubits(): number {
    return this.circuit.nQubits;
  }

  /** Number of trainable parameters. */
  get nParams(): number {
    return this.circuit.nParams;
  }

  /** Number of outputs k (= readout.length). */
  get nOutputs(): number {
    return this.readout.length;
  }

  /**
   * Expectation values of a batch, `[batch][k]` (fresh arrays): y_{b,j} = s·⟨Z_{readout[j]}⟩ of input b.
   * @param options.outputScale - s > 0. @defaultValue 1
   * @throws Error for a non-array, an input of the wrong kind or size, or bad parameters.
   */
  forward(inputs: readonly QuantumInput[], options: { outputScale?: number } = {}): Float64Array[] {
    return this.executor.forward(
      this.params,
      inputs,
      checkScale("QuantumLayer.forward", options.outputScale),
      "QuantumLayer.forward",
    );
  }

  /** ⟨Z_{readout[j]}⟩ of one input (length k). @throws Error for a bad input or parameters. */
  forwardOne(input: QuantumInput): Float64Array {
    return this.executor.forwardOne(this.params, input, "QuantumLayer.forwardOne");
  }

  /**
   * Backward pass: ∂L/∂params and, with `inputGradients: true`, ∂L/∂(input amplitudes) per sample
   * ({@link InputGradient}). One forward and one backward sweep per sample (per member of an ensemble).
   *
   * `upstream` is either
   * - an array `[batch][k]` of ∂L/∂y (the returned `loss` is then 0), or
   * - a callback `(y_b, b) → { loss, dLogits }` called once per sample with its outputs y_b (so no separate
   *   forward pass is needed: the trainer's per-sample loss pattern).
   *
   * **Reduction.** With `reduction: "sum"` (default) the gradient is Σ_b Σ_j (∂L/∂y_{b,j})·∂y_{b,j}/∂θ and the
   * loss Σ_b loss_b; with `"mean"` both are divided by the batch size B. With `outputScale` s, y = s·⟨Z⟩ and the
   * upstream is ∂L/∂y.
   * @throws Error for an empty batch, a bad input or parameters, upstream gradients of the wrong shape (quoting
   *   the sample and length), or a bad option.
   */
  backward(
    inputs: readonly QuantumInput[],
    upstream: readonly ArrayLike<number>[] | SampleLoss,
    options: LayerBackwardOptions = {},
  ): LayerBackwardResult {
    const W = "QuantumLayer.backward";
    checkBackwardOptions(W, options);
    let loss: SampleLoss;
    if (typeof upstream === "function") loss = upstream;
    else {
      if (!Array.isArray(upstream) || !Array.isArray(inputs) || upstream.length !== inputs.length) {
        throw new Error(
          `${W}: upstream must be a callback or an array of ${Array.isArray(inputs) ? inputs.length : "?"} gradients (one per input), got ${describeValue(upstream)}`,
        );
      }
      upstream.forEach((d, b) => {
        if (!d || d.length !== this.nOutputs)
          throw new Error(`${W}: upstream[${b}] must have ${this.nOutputs} entries, got ${d ? d.length : String(d)}`);
      });
      loss = (_y, b) => ({ loss: 0, dLogits: upstream[b] });
    }
    return this.executor.backward(this.params, inputs, loss, options, W);
  }

  /** A plain, JSON-ready object from which {@link QuantumLayer.fromJSON} rebuilds this layer (same outputs). */
  toJSON(): QuantumLayerJSON {
    return {
      format: LAYER_FORMAT,
      version: LAYER_FORMAT_VERSION,
      name: this.name,
      readout: this.readout.slice(),
      params: Array.from(this.params, numberToJSON),
      circuit: circuitToJSON(this.circuit),
    };
  }

  /**
   * Rebuilds a layer from {@link QuantumLayer.toJSON}'s output (also after `JSON.stringify` / `JSON.parse`).
   * @throws Error for a wrong format tag or version, or a malformed field (quoting it).
   */
  static fromJSON(json: unknown): QuantumLayer {
    const o = checkFormat("QuantumLayer.fromJSON", json, LAYER_FORMAT, LAYER_FORMAT_VERSION);
    const circuit = circuitFromJSON(o.circuit);
    return new QuantumLayer({
      circuit,
      readout: o.readout as number[],
      params: paramsFromJSON("QuantumLayer.fromJSON", o.params),
      name: nameFromJSON("QuantumLayer.fromJSON", o.name),
    });
  }
}

/** @throws Error unless `json` is an object with the given format tag and version. @internal */
export function checkFormat(where: string, json: unknown, format: string, version: number): Record<string, unknown> {
  if (!json || typeof json !== "object" || Array.isArray(json))
    throw new Error(`${where}: expected an object, got ${JSON.stringify(json) ?? String(json)}`);
  const o = json as Record<string, unknown>;
  if (o.format !== format)
    throw new Error(`${where}: format must be "${format}", got ${JSON.stringify(o.format) ?? String(o.format)}`);
  if (o.version !== version)
    throw new Error(
      `${where}: unsupported version ${JSON.stringify(o.version) ?? String(o.version)} (this library reads version ${version})`,
    );
  return o;
}

/** Parameters from JSON numbers (`"-0"` allowed). @throws Error quoting a bad entry. @internal */
export function paramsFromJSON(where: string, v: unknown): Float64Array {
  if (!Array.isArray(v))
    throw new Error(`${where}: params must be an array of numbers, got ${JSON.stringify(v) ?? String(v)}`);
  return Float64Array.from(v, (x, i) => numberFromJSON(`${where}: params[${i}]`, x));
}

/** @internal */
export function nameFromJSON(where: string, v: unknown): string {
  if (typeof v !== "string") throw new Error(`${where}: name must be a string, got ${JSON.stringify(v) ?? String(v)}`);
  return v;
}

function checkScale(where: string, s: unknown): number {
  if (s === undefined) return 1;
  if (typeof s !== "number" || !Number.isFinite(s) || s <= 0)
    throw new Error(`${where}: outputScale must be a finite number > 0, got ${String(s)}`);
  return s;
}

const BACKWARD_KNOWN = ["outputScale", "reduction", "inputGradients"];

function checkBackwardOptions(where: string, o: LayerBackwardOptions): void {
  if (!o || typeof o !== "object") throw new Error(`${where}: options must be an object, got ${describeValue(o)}`);
  for (const k of Object.keys(o)) {
    if (!BACKWARD_KNOWN.includes(k))
      throw new Error(`${where}: unknown option "${k}"; allowed options are ${BACKWARD_KNOWN.join(", ")}`);
  }
  checkScale(where, o.outputScale);
  if (o.reduction !== undefined && o.reduction !== "sum" && o.reduction !== "mean") {
    throw new Error(`${where}: reduction must be "sum" or "mean", got ${JSON.stringify(o.reduction)}`);
  }
  if (o.inputGradients !== undefined && typeof o.inputGradients !== "boolean") {
    throw new Error(`${where}: inputGradients must be a boolean, got ${JSON.stringify(o.inputGradients)}`);
  }
}
