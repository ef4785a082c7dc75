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
 * light cone of the readout qubits only (`sim/lightcone.ts`): exact, with the same logits and gradients as the
 * full statevector up to rounding, and far cheaper when the cone is small (6 of 15 qubits for a 4-layer
 * hardware-efficient ansatz read out on qubits 0 and 1).
 */
import { Statevector, expectationZ, checkQubit } from "../sim/statevector";
import { Circuit, checkParams } from "../sim/circuit";
import { AdjointWorkspace, adjointGradient, adjointWorkspace, weightedZCotangent } from "../sim/gradients";
import type { Ensemble } from "../sim/density";
import type { Classifier, SampleLoss } from "../core/model";
import { hardwareEfficientAnsatz, HardwareEfficientOptions } from "./ansatz";
import { Rng, toRng } from "../util/rng";
import { argmax } from "../core/model";
import { ProductState } from "../sim/product";
import { lightCone } from "../sim/lightcone";

/**
 * A QNN input: a pure state, a mixed state as an ensemble of pure states, or a product state (simulated on the
 * readout's light cone).
 */
export type QuantumInput = Statevector | Ensemble | ProductState;

/** Options of {@link QNNClassifier}. */
export interface QNNClassifierOptions {
  /** The parametrised circuit U(θ). */
  circuit: Circuit;
  /** Qubits whose ⟨Z⟩ are the logits, one per class. @defaultValue [0, 1, …, nClasses−1] */
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
}

const KNOWN = ["circuit", "readout", "nClasses", "params", "seed", "initLow", "initHigh", "name", "logitScale"];

/** Uniform initial parameters in [low, high) from a seeded stream (`rng.fork("init")`). */
export function initParams(n: number, seed: number | string | Rng, low = 0, high = 2 * Math.PI): Float64Array {
  const rng = toRng(seed).fork("init");
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) p[i] = rng.uniform(low, high);
  return p;
}

/** A QNN classifier (see module doc). Implements the trainer's {@link Classifier} contract. */
export class QNNClassifier implements Classifier<QuantumInput> {
  readonly circuit: Circuit;
  readonly readout: number[];
  readonly nClasses: number;
  readonly name: string;
  /** Logit scale s (logits = s·⟨Z⟩). */
  readonly logitScale: number;
  params: Float64Array;
  private work: AdjointWorkspace | null = null;
  private cone: { nOps: number; qubits: number[]; model: QNNClassifier } | null = null;

  /** @throws Error for an unknown option, a readout qubit out of range, or a wrong parameter count. */
  constructor(options: QNNClassifierOptions) {
    for (const k of Object.keys(options)) {
      if (!KNOWN.includes(k)) throw new Error(`QNNClassifier: unknown option "${k}"; allowed options are ${KNOWN.join(", ")}`);
    }
    if (!(options.circuit instanceof Circuit)) throw new Error("QNNClassifier: option circuit must be a Circuit");
    this.circuit = options.circuit;
    const nClasses = options.nClasses ?? options.readout?.length ?? 2;
    this.readout = options.readout ? options.readout.slice() : Array.from({ length: nClasses }, (_, k) => k);
    if (this.readout.length !== nClasses) {
      throw new Error(`QNNClassifier: readout has ${this.readout.length} qubits but nClasses is ${nClasses}; give one readout qubit per class`);
    }
    if (nClasses < 2) throw new Error(`QNNClassifier: nClasses must be at least 2, got ${nClasses}`);
    for (const q of this.readout) checkQubit("QNNClassifier readout", q, this.circuit.nQubits);
    this.nClasses = nClasses;
    this.name = options.name ?? "qnn";
    const scale = options.logitScale ?? 1;
    if (typeof scale !== "number" || !Number.isFinite(scale) || scale <= 0) {
      throw new Error(`QNNClassifier: logitScale must be a finite number > 0, got ${String(options.logitScale)}`);
    }
    this.logitScale = scale;
    if (options.params) {
      checkParams("QNNClassifier", options.params, this.circuit.nParams);
      this.params = Float64Array.from(options.params);
    } else {
      this.params = initParams(this.circuit.nParams, options.seed ?? 0, options.initLow ?? 0, options.initHigh ?? 2 * Math.PI);
    }
  }

  /**
   * A classifier on the hardware-efficient ansatz (Yan et al. Fig. 2).
   * @param options - ansatz options (nQubits, nLayers, rotations, entangler) plus classifier options.
   */
  static hardwareEfficient(
    options: Partial<HardwareEfficientOptions> & { nQubits: number; nLayers: number } & Omit<QNNClassifierOptions, "circuit">,
  ): QNNClassifier {
    const { nQubits, nLayers, rotations, entangler, ...rest } = options;
    const circuit = hardwareEfficientAnsatz({ nQubits, nLayers, ...(rotations ? { rotations } : {}), ...(entangler ? { entangler } : {}) });
    return new QNNClassifier({ circuit, ...rest });
  }

  /** Number of qubits. */
  get nQubits(): number {
    return this.circuit.nQubits;
  }

  /** Number of trainable parameters. */
  get nParams(): number {
    return this.circuit.nParams;
  }

  private checkInput(input: QuantumInput, where: string): void {
    if (input instanceof ProductState) {
      if (input.nQubits !== this.nQubits) {
        throw new Error(`${where}: input product state has ${input.nQubits} qubits but the model has ${this.nQubits}`);
      }
      return;
    }
    if (input instanceof Statevector) {
      if (input.nQubits !== this.nQubits) {
        throw new Error(`${where}: input state has ${input.nQubits} qubits but the model has ${this.nQubits}`);
      }
      return;
    }
    if (!input || !Array.isArray((input as Ensemble).states)) {
      throw new Error(`${where}: input must be a Statevector, a ProductState or an Ensemble { weights, states }`);
    }
    const e = input as Ensemble;
    if (e.weights.length !== e.states.length) throw new Error(`${where}: ensemble has ${e.weights.length} weights but ${e.states.length} states`);
    for (const s of e.states) {
      if (s.nQubits !== this.nQubits) throw new Error(`${where}: ensemble state has ${s.nQubits} qubits but the model has ${this.nQubits}`);
    }
  }

  /** Logits z_k = logitScale·⟨Z_{readout[k]}⟩ of one input (length nClasses). */
  logits(input: QuantumInput): Float64Array {
    const z = this.expectations(input);
    if (this.logitScale !== 1) for (let k = 0; k < z.length; k++) z[k] *= this.logitScale;
    return z;
  }

  /** The readout expectation values ⟨Z_{readout[k]}⟩ ∈ [−1, 1] of one input (the logits before scaling). */
  expectations(input: QuantumInput): Float64Array {
    this.checkInput(input, "QNNClassifier.expectations");
    checkParams("QNNClassifier", this.params, this.nParams);
    if (input instanceof ProductState) {
      const c = this.coneModel();
      return c.model.expectations(input.toStatevector(c.qubits));
    }
    if (input instanceof Statevector) return expectationZ(this.circuit.run(this.params, input.clone()), this.readout);
    const z = new Float64Array(this.nClasses);
    for (let i = 0; i < input.states.length; i++) {
      const zi = expectationZ(this.circuit.run(this.params, input.states[i].clone()), this.readout);
      for (let k = 0; k < z.length; k++) z[k] += input.weights[i] * zi[k];
    }
    return z;
  }

  /**
   * Logits of each input, `[batch][nClasses]`. Large batches of pure states on ≥ 9 qubits run on the worker
   * pool (`QNN_KD_THREADS`, default: all cores) with the same numbers as the serial path.
   */
  logitsBatch(inputs: readonly QuantumInput[]): Float64Array[] {
    if (!Array.isArray(inputs)) throw new Error("QNNClassifier.logitsBatch: inputs must be an array");
    if (inputs.some((x) => x instanceof ProductState)) {
      for (const x of inputs) this.checkInput(x, "QNNClassifier.logitsBatch");
      checkParams("QNNClassifier", this.params, this.nParams);
      const c = this.coneModel();
      const reduced = this.coneInputs(inputs);
      return reduced ? c.model.logitsBatch(reduced) : this.logitsBatch(fullStates(inputs));
    }
    const groups = duplicateGroups(inputs);
    if (groups) {
      // identical inputs (e.g. binary phase-encoded data) are simulated once
      const z = this.logitsBatch(groups.unique);
      return Array.from(groups.index, (u) => z[u].slice());
    }
    const par = parallelPath(inputs, this.nQubits);
    if (par) {
      for (const x of inputs) this.checkInput(x, "QNNClassifier.logitsBatch");
      checkParams("QNNClassifier", this.params, this.nParams);
      return par.parallelLogits(par.getBatchEngine(this.circuit, this.readout, this.logitScale), this.circuit, this.params, inputs as Statevector[]);
    }
    return inputs.map((x) => this.logits(x));
  }

  /** Predicted class (argmax of the logits) of each input. */
  predict(inputs: readonly QuantumInput[]): number[] {
    return this.logitsBatch(inputs).map(argmax);
  }

  /** Fraction of inputs whose predicted class equals the label. @throws Error if the lengths differ. */
  accuracy(inputs: readonly QuantumInput[], labels: readonly number[]): number {
    if (inputs.length !== labels.length) throw new Error(`QNNClassifier.accuracy: ${inputs.length} inputs but ${labels.length} labels`);
    const pred = this.predict(inputs);
    let ok = 0;
    for (let i = 0; i < pred.length; i++) if (pred[i] === labels[i]) ok++;
    return inputs.length ? ok / inputs.length : NaN;
  }

  /**
   * Mean loss over the batch and its gradient with respect to params (adjoint differentiation; one forward and
   * one backward sweep per pure-state sample).
   * @throws Error for an empty batch, an input of the wrong size, or a loss gradient of the wrong length.
   */
  lossAndGradient(inputs: readonly QuantumInput[], sampleLoss: SampleLoss): { loss: number; grad: Float64Array } {
    if (!Array.isArray(inputs) || inputs.length === 0) {
      throw new Error(`QNNClassifier.lossAndGradient: inputs must be a non-empty array, got ${Array.isArray(inputs) ? "an empty array" : String(inputs)}`);
    }
    checkParams("QNNClassifier", this.params, this.nParams);
    if (inputs.some((x) => x instanceof ProductState)) {
      for (const x of inputs) this.checkInput(x, "QNNClassifier.lossAndGradient");
      const c = this.coneModel();
      const reduced = this.coneInputs(inputs);
      return reduced ? c.model.lossAndGradient(reduced, sampleLoss) : this.lossAndGradient(fullStates(inputs), sampleLoss);
    }
    const groups = duplicateGroups(inputs);
    if (groups) {
      // identical inputs share one forward and one backward sweep: their losses add, and so do their ∂L/∂z
      // (the gradient is linear in ∂L/∂z); rescaled so that the result is still the mean over all inputs
      const B = inputs.length, U = groups.unique.length, K = this.nClasses;
      const members: number[][] = Array.from({ length: U }, () => []);
      groups.index.forEach((u, b) => members[u].push(b));
      return this.lossAndGradient(groups.unique, (z, u) => {
        let loss = 0;
        const g = new Float64Array(K);
        for (const b of members[u]) {
          const out = sampleLoss(z, b);
          checkLossGrad(out.dLogits, K);
          loss += out.loss;
          for (let k = 0; k < K; k++) g[k] += out.dLogits[k];
        }
        const r = U / B;
        for (let k = 0; k < K; k++) g[k] *= r;
        return { loss: loss * r, dLogits: g };
      });
    }
    const par = parallelPath(inputs, this.nQubits);
    if (par) {
      for (const x of inputs) this.checkInput(x, "QNNClassifier.lossAndGradient");
      const engine = par.getBatchEngine(this.circuit, this.readout, this.logitScale);
      return par.parallelLossAndGradient(engine, this.circuit, this.params, inputs as Statevector[], (z, b) => {
        const out = sampleLoss(z, b);
        checkLossGrad(out.dLogits, this.nClasses);
        return out;
      });
    }
    const grad = new Float64Array(this.nParams);
    const work = (this.work ??= adjointWorkspace(this.nQubits));
    const B = inputs.length;
    const K = this.nClasses;
    let total = 0;
    const g = new Float64Array(K);
    for (let b = 0; b < B; b++) {
      const x = inputs[b];
      this.checkInput(x, "QNNClassifier.lossAndGradient");
      if (x instanceof Statevector) {
        // forward inside the adjoint call; the cotangent computes logits, the loss and λ = Σ_k g_k Z_k φ
        adjointGradient(this.circuit, this.params, x, (phi, lam) => {
          const z = expectationZ(phi, this.readout);
          if (this.logitScale !== 1) for (let k = 0; k < K; k++) z[k] *= this.logitScale;
          const out = sampleLoss(z, b);
          checkLossGrad(out.dLogits, K);
          total += out.loss;
          for (let k = 0; k < K; k++) g[k] = (this.logitScale * out.dLogits[k]) / B;
          return weightedZCotangent(this.readout, g)(phi, lam);
        }, { grad, work });
      } else {
        const z = this.logits(x);
        const out = sampleLoss(z, b);
        checkLossGrad(out.dLogits, K);
        total += out.loss;
        for (let i = 0; i < x.states.length; i++) {
          for (let k = 0; k < K; k++) g[k] = (this.logitScale * x.weights[i] * out.dLogits[k]) / B;
          adjointGradient(this.circuit, this.params, x.states[i], weightedZCotangent(this.readout, g), { grad, work });
        }
      }
    }
    return { loss: total / B, grad };
  }

  /**
   * The light cone of the readout qubits (computed once per circuit size) as a classifier on the cone's qubits
   * that shares this model's parameter vector (re-pointed on every call, since trainers may replace `params`).
   */
  private coneModel(): { qubits: number[]; model: QNNClassifier } {
    if (!this.cone || this.cone.nOps !== this.circuit.ops.length) {
      const lc = lightCone(this.circuit, this.readout);
      const model = new QNNClassifier({
        circuit: lc.circuit, readout: lc.observables, nClasses: this.nClasses, params: this.params, name: `${this.name} (light cone)`,
        logitScale: this.logitScale,
      });
      this.cone = { nOps: this.circuit.ops.length, qubits: lc.qubits, model };
    }
    this.cone.model.params = this.params;
    return this.cone;
  }

  /**
   * Product-state inputs reduced to the cone's qubits, the same Statevector object for equal inputs (so that
   * duplicates are simulated once); null when some input is not a product state.
   */
  private coneInputs(inputs: readonly QuantumInput[]): Statevector[] | null {
    if (!inputs.every((x) => x instanceof ProductState)) return null;
    const qubits = this.coneModel().qubits;
    const byObject = new Map<ProductState, Statevector>();
    const byContent = new Map<string, Statevector>();
    return (inputs as ProductState[]).map((x) => {
      let v = byObject.get(x);
      if (v) return v;
      const key = Array.from(x.amps).join(",");
      v = byContent.get(key);
      if (!v) {
        v = x.toStatevector(qubits);
        byContent.set(key, v);
      }
      byObject.set(x, v);
      return v;
    });
  }

  /** A JSON-friendly snapshot (name, readout, params); the circuit itself is rebuilt by the caller. */
  toJSON(): { name: string; nQubits: number; readout: number[]; params: number[] } {
    return { name: this.name, nQubits: this.nQubits, readout: this.readout.slice(), params: Array.from(this.params) };
  }
}

/**
 * Groups identical pure-state inputs (the same object, or the same amplitudes bit for bit): returns the
 * unique inputs and, per input, the index of its unique representative; null when all inputs differ or any
 * input is an ensemble. Hashing costs one pass over each state, far less than simulating it.
 */
function duplicateGroups(inputs: readonly QuantumInput[]): { unique: Statevector[]; index: Int32Array } | null {
  if (inputs.length < 2) return null;
  const unique: Statevector[] = [];
  const index = new Int32Array(inputs.length);
  const byHash = new Map<number, number[]>();
  const seen = new Map<Statevector, number>();
  for (let b = 0; b < inputs.length; b++) {
    const x = inputs[b];
    if (!(x instanceof Statevector)) return null;
    const same = seen.get(x);
    if (same !== undefined) {
      index[b] = same;
      continue;
    }
    const h = cachedHash(x);
    const bucket = byHash.get(h);
    let u = -1;
    if (bucket) for (const c of bucket) if (equalStates(unique[c], x)) { u = c; break; }
    if (u < 0) {
      u = unique.length;
      unique.push(x);
      if (bucket) bucket.push(u);
      else byHash.set(h, [u]);
    }
    seen.set(x, u);
    index[b] = u;
  }
  return unique.length < inputs.length ? { unique, index } : null;
}

const hashView = new Float64Array(1), hashBits = new Uint32Array(hashView.buffer);

/**
 * Hash of a state, remembered per Statevector object (training and evaluation pass the same input objects again
 * and again). A state changed after it was hashed only loses deduplication: equal hashes are always confirmed by
 * comparing the amplitudes ({@link equalStates}).
 */
const hashCache = new WeakMap<Statevector, number>();
function cachedHash(s: Statevector): number {
  let h = hashCache.get(s);
  if (h === undefined) {
    h = hashState(s);
    hashCache.set(s, h);
  }
  return h;
}

function hashState(s: Statevector): number {
  let h = 0x811c9dc5 | 0;
  for (const arr of [s.re, s.im]) {
    for (let i = 0; i < arr.length; i++) {
      hashView[0] = arr[i];
      h = Math.imul(h ^ hashBits[0], 0x01000193);
      h = Math.imul(h ^ hashBits[1], 0x01000193);
    }
  }
  return h;
}

function equalStates(a: Statevector, b: Statevector): boolean {
  if (a.dim !== b.dim) return false;
  for (let i = 0; i < a.dim; i++) if (a.re[i] !== b.re[i] || a.im[i] !== b.im[i]) return false;
  return true;
}

/** Inputs with every product state expanded to its full statevector (for batches mixing input kinds). */
function fullStates(inputs: readonly QuantumInput[]): QuantumInput[] {
  return inputs.map((x) => (x instanceof ProductState ? x.toStatevector() : x));
}

type ParallelModule = typeof import("../parallel/batch");
let parallelModule: ParallelModule | null | undefined;

/**
 * The worker-pool module when this batch should use it (≥ 2 threads, ≥ 8 pure-state inputs, ≥ 9 qubits, worker
 * script built), else null. Loaded lazily so the classifier itself needs no Node-only module.
 */
function parallelPath(inputs: readonly QuantumInput[], nQubits: number): ParallelModule | null {
  if (parallelModule === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      parallelModule = typeof process !== "undefined" && process.versions?.node ? (require("../parallel/batch") as ParallelModule) : null;
    } catch {
      parallelModule = null;
    }
  }
  return parallelModule && parallelModule.useParallelPath(inputs, nQubits) ? parallelModule : null;
}

function checkLossGrad(d: Float64Array, K: number): void {
  if (!d || d.length !== K) throw new Error(`QNNClassifier: the loss returned ${d ? d.length : "no"} logit gradients, expected ${K}`);
}

