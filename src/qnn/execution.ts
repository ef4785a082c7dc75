/**
 * How a {@link QuantumLayer} is executed: every strategy in one place, behind the layer.
 *
 * **Strategies**, chosen per call by {@link Executor.forward} / {@link Executor.backward}, in this order:
 * 1. **Input kinds.** {@link ProductState} inputs are simulated on the backward light cone of the readout
 *    (`sim/program/lightcone.ts`) when every input of the batch is a product state, else expanded to full statevectors;
 *    {@link Ensemble} inputs ρ = Σ_i w_i|v_i⟩⟨v_i| run member by member (⟨Z⟩ = Σ_i w_i ⟨v_i|U†ZU|v_i⟩);
 *    {@link Statevector} inputs run as they are.
 * 2. **Dedupe.** Identical pure inputs (the same object, or bitwise-equal amplitudes) are simulated once: their
 *    outputs are copied and their ∂L/∂outputs added (the parameter gradient is linear in them).
 * 3. **Batch engine.** Batches of ≥ 8 pure states on ≥ 9 qubits run on the worker pool (`parallel/batch.ts`,
 *    `QNN_KD_THREADS`, default all cores), or with one thread on the WebAssembly back end on the calling thread
 *    with the whole-program runner (`sim/backends/wasmProgram.ts` {@link ProgramRunner}: one WASM call per sample and sweep).
 * 4. **Serial.** Otherwise one `adjointGradient` (forward inside, then the backward sweep) per sample, on the
 *    active back end (TypeScript or the per-gate WebAssembly path of `sim/backends/engine.ts`).
 *
 * **Noise.** An executor built with a noise option runs none of the above: every call goes to the noisy strategy
 * of `noiseExecution.ts` (density matrices or trajectories of `model.apply(circuit)`, readout errors, finite shots;
 * adjoint or parameter-shift gradients), with the same reductions and output scale.
 *
 * **Reductions and scale.** A backward call takes a per-sample callback that receives the sample's outputs
 * y_b = s·⟨Z_{readout}⟩ (s = `outputScale`, default 1) and returns its loss and ∂L/∂y_b. The observable
 * weights of sample b's backward sweep (adjoint differentiation of Σ_k w_{b,k} Z_{q_k}, Jones & Gacon 2020,
 * arXiv:2009.02823) are w_{b,k} = (s·∂L/∂y_{b,k})/D, with D = 1 for the reduction `"sum"` and D = B (the batch
 * size) for `"mean"`; ensemble member i uses ((s·w_i)·∂L/∂y_{b,k})/D. These expressions, and the order of every
 * sum, are those of earlier versions of `QNNClassifier.lossAndGradient` (mean reduction, s = logit scale), so
 * its numbers are bit-identical to them.
 *
 * **Input cotangents** (`inputGradients: true`). With λ = ∂L/∂φ* (Wirtinger) at the output φ = Uψ,
 * λ_out = Σ_k w_k Z_{q_k} φ, the adjoint sweep pulls λ back to the input: λ_in = U†λ_out = ∂L/∂ψ*. For ψ = x + iy,
 * ∂L/∂x = 2·Re λ_in and ∂L/∂y = 2·Im λ_in (what {@link InputGradient} holds). Every strategy supports it: the
 * TypeScript and per-gate WASM sweeps (`adjointGradient` option `inputCotangent`), the whole-program runner
 * (`ProgramRunner.gradient`'s `inputCotangent`) and the worker pool (the workers write λ_in into a shared
 * buffer). Duplicates are then NOT merged (each sample needs its own λ_in). When no input gradient is
 * requested nothing extra is computed or copied.
 *
 * @packageDocumentation
 */
import { Statevector, expectationZ } from "../sim/state/statevector";
import { Circuit, checkParams } from "../sim/program/circuit";
import { AdjointWorkspace, adjointGradient, adjointWorkspace } from "../sim/grad/adjoint";
import { weightedZCotangent } from "../sim/grad/cotangents";
import type { Ensemble } from "../sim/state/density";
import { ProductState } from "../sim/state/product";
import { lightCone } from "../sim/program/lightcone";
import { NoiseOptions, NoisyExecution, resolveNoise } from "./noiseExecution";
import type { OutputLoss } from "../core/model";

/**
 * A quantum input: a pure state, a mixed state as an ensemble of pure states ({@link Ensemble}), or a product
 * state (simulated on the readout's light cone).
 */
export type QuantumInput = Statevector | Ensemble | ProductState;

/**
 * ∂L/∂(input amplitudes) of one input (see the module doc for the definition through λ_in = U†λ_out):
 * - `"statevector"`: `re[i] = ∂L/∂Re ψ_i = 2·Re λ_in[i]`, `im[i] = ∂L/∂Im ψ_i = 2·Im λ_in[i]`, length 2^n.
 * - `"ensemble"`: per member i, the gradient w.r.t. its amplitudes (its cotangent carries the weight w_i:
 *   `states[i] = 2·λ_in,i` with λ_out,i = w_i·Σ_k w_k Z_k φ_i), and `weights[i] = ∂L/∂w_i = Σ_k w_k ⟨Z_k⟩_i`.
 * - `"product"`: `amps[4q .. 4q+3] = ∂L/∂[Re a_q, Im a_q, Re b_q, Im b_q]` (layout of `ProductState.amps`), the
 *   chain rule through ψ = ⊗_q (a_q|0⟩ + b_q|1⟩) with the amplitudes taken as free variables: for a qubit q in
 *   the light cone C, ∂L/∂a_q* = Σ_{i: bit q = 0} λ_in[i]·Π_{l∈C, l≠q} conj(amplitude of l at bit_l(i)) (likewise
 *   b_q with bit q = 1); a qubit outside the cone enters only through its norm |a_q|² + |b_q|² (= 1 for a valid
 *   ProductState), so its gradient is 2·(Σ_k w_k⟨Z_k⟩)·[Re a_q, Im a_q, Re b_q, Im b_q].
 */
export type InputGradient =
  | { kind: "statevector"; re: Float64Array; im: Float64Array }
  | { kind: "ensemble"; states: { re: Float64Array; im: Float64Array }[]; weights: Float64Array }
  | { kind: "product"; amps: Float64Array };

/** Options of {@link Executor.backward}. */
export interface ExecutionBackwardOptions {
  /** Scale s of the outputs the callback sees (y = s·⟨Z⟩). @defaultValue 1 */
  outputScale?: number;
  /** `"sum"`: ∂(Σ_b L_b)/∂θ; `"mean"`: ∂((1/B)Σ_b L_b)/∂θ (also for the returned loss). @defaultValue "sum" */
  reduction?: "sum" | "mean";
  /** Also return ∂L/∂(input amplitudes) per sample. @defaultValue false */
  inputGradients?: boolean;
}

/** Result of {@link Executor.backward}. */
export interface ExecutionBackwardResult {
  /** Σ_b loss_b (`"sum"`) or its mean (`"mean"`). */
  loss: number;
  /** ∂L/∂params, length nParams (reduced as `reduction` says). */
  grad: Float64Array;
  /** Per sample, when `inputGradients` was asked. */
  inputGradients?: InputGradient[];
}

/** Internal per-sample record of a backward pass with input cotangents. */
interface Cotangents {
  /** λ_in per sample (pure inputs), or per member (ensembles). */
  lam: (Statevector | Statevector[] | null)[];
  /** Σ_k w_k⟨Z_k⟩ per sample (pure inputs), or ∂L/∂w_i per member (ensembles). */
  value: (number | Float64Array)[];
}

type ParallelModule = typeof import("../parallel/batch");
let parallelModule: ParallelModule | null | undefined;

/**
 * The worker-pool module when this batch should use it (≥ 2 threads, ≥ 8 pure-state inputs, ≥ 9 qubits, worker
 * script built; or one thread on WASM), else null. Loaded lazily so the layer itself needs no Node-only module.
 */
function parallelPath(inputs: readonly QuantumInput[], nQubits: number): ParallelModule | null {
  if (parallelModule === undefined) {
    try {
      // lazy: the worker-pool module loads only when a batch takes the parallel path, and never outside Node
      const inNode = typeof process !== "undefined" && Boolean(process.versions?.node);
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load (above)
      parallelModule = inNode ? (require("../parallel/batch") as ParallelModule) : null;
    } catch {
      parallelModule = null;
    }
  }
  return parallelModule && parallelModule.useParallelPath(inputs, nQubits) ? parallelModule : null;
}

/**
 * Executes one circuit with one readout on batches of inputs (see the module doc). Holds the caches of the
 * strategies (adjoint workspace, light cone); the parameters are passed per call, since trainers may replace
 * a model's parameter vector. Not re-entrant for the same executor on the TypeScript path (one workspace).
 */
export class Executor {
  readonly circuit: Circuit;
  readonly readout: readonly number[];
  /** Prefix of error messages (e.g. "QNNClassifier"). */
  readonly name: string;
  private work: AdjointWorkspace | null = null;
  private cone: { nOps: number; qubits: number[]; exec: Executor } | null = null;
  /** The noisy strategy (`noiseExecution.ts`) when the executor has a noise option, else null. */
  readonly noisy: NoisyExecution | null;

  /**
   * @param circuit - the circuit U (usually noiseless: the noise option adds the channels; a circuit with channels
   *   of its own runs only with a noise option, the statevector paths reject it when called).
   * @param readout - distinct readout qubits (validated by the caller).
   * @param name - prefix of error messages. @defaultValue "QuantumLayer"
   * @param noise - run noisily (module doc, "Noise"). @defaultValue none
   * @throws Error for bad noise options.
   */
  constructor(circuit: Circuit, readout: readonly number[], name = "QuantumLayer", noise?: NoiseOptions | null) {
    this.circuit = circuit;
    this.readout = readout.slice();
    this.name = name;
    this.noisy = noise ? new NoisyExecution(circuit, readout, resolveNoise(name, noise)) : null;
  }

  /** Number of qubits of the circuit. */
  get nQubits(): number {
    return this.circuit.nQubits;
  }

  /** @throws Error for an input of the wrong kind or size, quoting it. */
  checkInput(input: QuantumInput, where: string): void {
    const n = this.nQubits;
    if (input instanceof ProductState) {
      if (input.nQubits !== n)
        throw new Error(`${where}: input product state has ${input.nQubits} qubits but the model has ${n}`);
      return;
    }
    if (input instanceof Statevector) {
      if (input.nQubits !== n)
        throw new Error(`${where}: input state has ${input.nQubits} qubits but the model has ${n}`);
      return;
    }
    if (!input || !Array.isArray((input as Ensemble).states)) {
      throw new Error(
        `${where}: input must be a Statevector, a ProductState or an Ensemble { weights, states }, got ${describeValue(input)}`,
      );
    }
    const e = input as Ensemble;
    if (!e.weights || e.weights.length !== e.states.length)
      throw new Error(`${where}: ensemble has ${e.weights?.length} weights but ${e.states.length} states`);
    for (const s of e.states) {
      if (!(s instanceof Statevector))
        throw new Error(`${where}: ensemble member must be a Statevector, got ${describeValue(s)}`);
      if (s.nQubits !== n) throw new Error(`${where}: ensemble state has ${s.nQubits} qubits but the model has ${n}`);
    }
  }

  /** ⟨Z_{readout[k]}⟩ of one input (length k). @throws Error for a bad input or parameters. */
  forwardOne(params: Float64Array, input: QuantumInput, where: string): Float64Array {
    this.checkInput(input, where);
    checkParams(this.name, params, this.circuit.nParams);
    if (this.noisy) return this.noisy.forward(params, [input], 1)[0];
    if (input instanceof ProductState) {
      const c = this.coneOf();
      return c.exec.forwardOne(params, input.toStatevector(c.qubits), where);
    }
    if (input instanceof Statevector) return expectationZ(this.circuit.run(params, input.clone()), this.readout);
    const z = new Float64Array(this.readout.length);
    for (let i = 0; i < input.states.length; i++) {
      const zi = expectationZ(this.circuit.run(params, input.states[i].clone()), this.readout);
      for (let k = 0; k < z.length; k++) z[k] += input.weights[i] * zi[k];
    }
    return z;
  }

  /**
   * s·⟨Z_{readout}⟩ of each input, `[batch][k]` (fresh arrays), by the strategies of the module doc.
   * @throws Error for a non-array, a bad input or bad parameters.
   */
  forward(params: Float64Array, inputs: readonly QuantumInput[], scale: number, where: string): Float64Array[] {
    if (!Array.isArray(inputs)) throw new Error(`${where}: inputs must be an array, got ${describeValue(inputs)}`);
    if (this.noisy) {
      for (const x of inputs) this.checkInput(x, where);
      return this.noisy.forward(params, inputs, scale);
    }
    if (inputs.some((x) => x instanceof ProductState)) {
      for (const x of inputs) this.checkInput(x, where);
      checkParams(this.name, params, this.circuit.nParams);
      const c = this.coneOf();
      const reduced = this.coneInputs(inputs);
      return reduced
        ? c.exec.forward(params, reduced, scale, where)
        : this.forward(params, fullStates(inputs), scale, where);
    }
    const groups = duplicateGroups(inputs);
    if (groups) {
      const z = this.forward(params, groups.unique, scale, where);
      return Array.from(groups.index, (u) => z[u].slice());
    }
    const par = parallelPath(inputs, this.nQubits);
    if (par) {
      for (const x of inputs) this.checkInput(x, where);
      checkParams(this.name, params, this.circuit.nParams);
      return par.parallelLogits(
        par.getBatchEngine(this.circuit, this.readout, scale),
        this.circuit,
        params,
        inputs as Statevector[],
      );
    }
    return inputs.map((x) => {
      const z = this.forwardOne(params, x, where);
      if (scale !== 1) for (let k = 0; k < z.length; k++) z[k] *= scale;
      return z;
    });
  }

  /**
   * Loss and ∂L/∂params of a batch (and ∂L/∂input amplitudes when asked), by the strategies of the module doc.
   * @param params - parameters, length circuit.nParams.
   * @param inputs - non-empty batch.
   * @param loss - per-sample loss on the scaled outputs (called once per sample; for duplicates, in the order
   *   of their first occurrence).
   * @throws Error for an empty batch, a bad input or parameters, or a callback whose ∂L/∂outputs has the
   *   wrong length.
   */
  backward(
    params: Float64Array,
    inputs: readonly QuantumInput[],
    loss: OutputLoss,
    options: ExecutionBackwardOptions,
    where: string,
  ): ExecutionBackwardResult {
    if (!Array.isArray(inputs) || inputs.length === 0) {
      throw new Error(
        `${where}: inputs must be a non-empty array, got ${Array.isArray(inputs) ? "an empty array" : describeValue(inputs)}`,
      );
    }
    const scale = options.outputScale ?? 1;
    const mean = (options.reduction ?? "sum") === "mean";
    const want = options.inputGradients === true;
    if (this.noisy) {
      if (want)
        throw new Error(
          `${where}: input gradients are not available under noise (the noisy executors differentiate the parameters only)`,
        );
      for (const x of inputs) this.checkInput(x, where);
      const K = this.readout.length,
        B = inputs.length;
      const r = this.noisy.backward(params, inputs, loss, scale, mean ? B : 1, (out) => checkOutputGrad(where, out, K));
      return { loss: mean ? r.loss / B : r.loss, grad: r.grad };
    }
    const cot: Cotangents | null = want
      ? { lam: new Array(inputs.length).fill(null), value: new Array(inputs.length).fill(0) }
      : null;
    const r = this.backwardCore(params, inputs, loss, scale, mean, cot, where);
    if (!cot) return r;
    return { ...r, inputGradients: this.inputGradients(inputs, cot) };
  }

  private backwardCore(
    params: Float64Array,
    inputs: readonly QuantumInput[],
    loss: OutputLoss,
    s: number,
    mean: boolean,
    cot: Cotangents | null,
    where: string,
  ): { loss: number; grad: Float64Array } {
    checkParams(this.name, params, this.circuit.nParams);
    const K = this.readout.length;
    if (inputs.some((x) => x instanceof ProductState)) {
      for (const x of inputs) this.checkInput(x, where);
      const c = this.coneOf();
      const reduced = this.coneInputs(inputs);
      return reduced
        ? c.exec.backwardCore(params, reduced, loss, s, mean, cot, where)
        : this.backwardCore(params, fullStates(inputs), loss, s, mean, cot, where);
    }
    const groups = cot ? null : duplicateGroups(inputs);
    if (groups) {
      // identical inputs share one forward and one backward sweep: their losses add, and so do their ∂L/∂y
      // (the gradient is linear in ∂L/∂y); for "mean", rescaled so that the result is still the mean over all inputs
      const B = inputs.length,
        U = groups.unique.length;
      const members: number[][] = Array.from({ length: U }, () => []);
      groups.index.forEach((u, b) => members[u].push(b));
      return this.backwardCore(
        params,
        groups.unique,
        (z, u) => {
          let l = 0;
          const g = new Float64Array(K);
          for (const b of members[u]) {
            const out = loss(z, b);
            checkOutputGrad(where, out, K);
            l += out.loss;
            for (let k = 0; k < K; k++) g[k] += out.dOutputs[k];
          }
          if (!mean) return { loss: l, dOutputs: g };
          const r = U / B;
          for (let k = 0; k < K; k++) g[k] *= r;
          return { loss: l * r, dOutputs: g };
        },
        s,
        mean,
        null,
        where,
      );
    }
    const B = inputs.length;
    const D = mean ? B : 1;
    const par = parallelPath(inputs, this.nQubits);
    if (par) {
      for (const x of inputs) this.checkInput(x, where);
      return this.backwardEngine(par, params, inputs as Statevector[], loss, s, mean, cot, where);
    }
    const grad = new Float64Array(this.circuit.nParams);
    const work = (this.work ??= adjointWorkspace(this.nQubits));
    let total = 0;
    const g = new Float64Array(K);
    for (let b = 0; b < B; b++) {
      const x = inputs[b];
      this.checkInput(x, where);
      if (x instanceof Statevector) {
        // forward inside the adjoint call; the cotangent computes the outputs, the loss and λ = Σ_k w_k Z_k φ
        const lam = cot ? Statevector.zero(this.nQubits) : null;
        const r = adjointGradient(
          this.circuit,
          params,
          x,
          (phi, l) => {
            const z = expectationZ(phi, this.readout);
            if (s !== 1) for (let k = 0; k < K; k++) z[k] *= s;
            const out = loss(z, b);
            checkOutputGrad(where, out, K);
            total += out.loss;
            for (let k = 0; k < K; k++) g[k] = (s * out.dOutputs[k]) / D;
            return weightedZCotangent(this.readout, g)(phi, l);
          },
          lam ? { grad, work, inputCotangent: lam } : { grad, work },
        );
        if (cot) {
          cot.lam[b] = lam;
          cot.value[b] = r.value;
        }
      } else {
        const e = x as Ensemble; // product states were handled above
        const z = this.forwardOne(params, e, where);
        if (s !== 1) for (let k = 0; k < z.length; k++) z[k] *= s;
        const out = loss(z, b);
        checkOutputGrad(where, out, K);
        total += out.loss;
        const lams: Statevector[] = [];
        const dW = new Float64Array(e.states.length);
        for (let i = 0; i < e.states.length; i++) {
          for (let k = 0; k < K; k++) g[k] = (s * e.weights[i] * out.dOutputs[k]) / D;
          if (!cot) {
            adjointGradient(this.circuit, params, e.states[i], weightedZCotangent(this.readout, g), { grad, work });
            continue;
          }
          const lam = Statevector.zero(this.nQubits);
          adjointGradient(
            this.circuit,
            params,
            e.states[i],
            (phi, l) => {
              const ez = expectationZ(phi, this.readout);
              for (let k = 0; k < K; k++) dW[i] += ((s * out.dOutputs[k]) / D) * ez[k];
              return weightedZCotangent(this.readout, g)(phi, l);
            },
            { grad, work, inputCotangent: lam },
          );
          lams.push(lam);
        }
        if (cot) {
          cot.lam[b] = lams;
          cot.value[b] = dW;
        }
      }
    }
    return { loss: mean ? total / B : total, grad };
  }

  /**
   * The batch-engine path (worker pool, or the whole-program runner on the calling thread): the loop of
   * `parallelLossAndGradient` (same expressions, same order) with the reduction and input cotangents.
   */
  private backwardEngine(
    par: ParallelModule,
    params: Float64Array,
    inputs: readonly Statevector[],
    loss: OutputLoss,
    s: number,
    mean: boolean,
    cot: Cotangents | null,
    where: string,
  ): { loss: number; grad: Float64Array } {
    const engine = par.getBatchEngine(this.circuit, this.readout, s);
    const angles = this.circuit.angles(params);
    const grad = new Float64Array(this.circuit.nParams);
    const B = inputs.length,
      K = this.readout.length,
      D = mean ? B : 1;
    let total = 0;
    const w = new Float64Array(K);
    for (let start = 0; start < B; start += engine.maxChunk) {
      const chunk = inputs.slice(start, Math.min(B, start + engine.maxChunk));
      const lams = cot ? chunk.map(() => Statevector.zero(this.nQubits)) : null;
      const rows = engine.gradients(
        angles,
        chunk,
        (z, i) => {
          const out = loss(z, start + i);
          checkOutputGrad(where, out, K);
          total += out.loss;
          for (let k = 0; k < K; k++) w[k] = (s * out.dOutputs[k]) / D;
          if (cot) {
            // Σ_k w_k ⟨Z_k⟩ with ⟨Z_k⟩ = z_k / s (for the product-state chain rule)
            let v = 0;
            for (let k = 0; k < K; k++) v += (w[k] * z[k]) / s;
            cot.value[start + i] = v;
          }
          return w;
        },
        lams ? { inputCotangents: lams } : {},
      );
      for (let i = 0; i < rows.length; i++) this.circuit.accumulateParamGradient(rows[i], grad);
      if (cot && lams) lams.forEach((l, i) => (cot.lam[start + i] = l));
    }
    return { loss: mean ? total / B : total, grad };
  }

  /** Input gradients from the recorded cotangents (see {@link InputGradient}). */
  private inputGradients(inputs: readonly QuantumInput[], cot: Cotangents): InputGradient[] {
    const allProduct = inputs.every((x) => x instanceof ProductState);
    const coneQubits = allProduct ? this.coneOf().qubits : null;
    const all = Array.from({ length: this.nQubits }, (_, q) => q);
    return inputs.map((x, b) => {
      const lam = cot.lam[b];
      if (x instanceof ProductState)
        return {
          kind: "product",
          amps: productGradient(x, coneQubits ?? all, lam as Statevector, cot.value[b] as number),
        };
      if (x instanceof Statevector) return { kind: "statevector", ...twice(lam as Statevector) };
      return { kind: "ensemble", states: (lam as Statevector[]).map(twice), weights: cot.value[b] as Float64Array };
    });
  }

  /**
   * The light cone of the readout qubits (recomputed when the circuit grew) as an executor on the cone's
   * qubits; its circuit has the same parameter indices, so one parameter vector serves both.
   */
  private coneOf(): { qubits: number[]; exec: Executor } {
    if (!this.cone || this.cone.nOps !== this.circuit.ops.length) {
      const lc = lightCone(this.circuit, this.readout);
      this.cone = {
        nOps: this.circuit.ops.length,
        qubits: lc.qubits,
        exec: new Executor(lc.circuit, lc.observables, this.name),
      };
    }
    return this.cone;
  }

  /**
   * Product-state inputs reduced to the cone's qubits, the same Statevector object for equal inputs (so that
   * duplicates are simulated once); null when some input is not a product state.
   */
  private coneInputs(inputs: readonly QuantumInput[]): Statevector[] | null {
    if (!inputs.every((x) => x instanceof ProductState)) return null;
    const qubits = this.coneOf().qubits;
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
}

/** 2·λ as (∂L/∂x, ∂L/∂y). */
function twice(l: Statevector): { re: Float64Array; im: Float64Array } {
  return { re: l.re.map((v) => 2 * v), im: l.im.map((v) => 2 * v) };
}

/**
 * ∂L/∂amps of a product input from λ_in on `qubits` (qubit j of `lam` is original qubit qubits[j]) and
 * v = Σ_k w_k⟨Z_k⟩ (see {@link InputGradient}): each cone qubit by contracting λ_in with the conjugated
 * amplitudes of the other cone qubits (O(m·2^m) for m cone qubits), each other qubit through its norm.
 */
export function productGradient(x: ProductState, qubits: readonly number[], lam: Statevector, v: number): Float64Array {
  const a = x.amps,
    g = new Float64Array(a.length);
  const inCone = new Uint8Array(x.nQubits);
  for (const q of qubits) inCone[q] = 1;
  for (let q = 0; q < x.nQubits; q++) if (!inCone[q]) for (let c = 0; c < 4; c++) g[4 * q + c] = 2 * v * a[4 * q + c];
  const m = qubits.length,
    half = lam.dim >> 1;
  const t = [new Float64Array(half), new Float64Array(half), new Float64Array(half), new Float64Array(half)]; // re0, im0, re1, im1
  for (let j = 0; j < m; j++) {
    // split λ by bit j (removing it from the index), then contract the other qubits from the top down
    const bit = 1 << j,
      low = bit - 1;
    for (let i = 0; i < half; i++) {
      const i0 = ((i & ~low) << 1) | (i & low),
        i1 = i0 | bit;
      t[0][i] = lam.re[i0];
      t[1][i] = lam.im[i0];
      t[2][i] = lam.re[i1];
      t[3][i] = lam.im[i1];
    }
    let size = half;
    for (let l = m - 1; l >= 0; l--) {
      if (l === j) continue;
      const o = 4 * qubits[l],
        ar = a[o],
        ai = a[o + 1],
        br = a[o + 2],
        bi = a[o + 3];
      size >>= 1;
      for (let h = 0; h < 4; h += 2) {
        const re = t[h],
          im = t[h + 1];
        for (let i = 0; i < size; i++) {
          // conj(a)·t[i] + conj(b)·t[i + size]
          const xr = re[i],
            xi = im[i],
            yr = re[i + size],
            yi = im[i + size];
          re[i] = ar * xr + ai * xi + br * yr + bi * yi;
          im[i] = ar * xi - ai * xr + br * yi - bi * yr;
        }
      }
    }
    const o = 4 * qubits[j];
    g[o] = 2 * t[0][0];
    g[o + 1] = 2 * t[1][0];
    g[o + 2] = 2 * t[2][0];
    g[o + 3] = 2 * t[3][0];
  }
  return g;
}

function checkOutputGrad(where: string, out: { loss: number; dOutputs: ArrayLike<number> }, K: number): void {
  const d = out?.dOutputs;
  if (!d || d.length !== K)
    throw new Error(`${where}: the loss returned ${d ? d.length : "no"} output gradients, expected ${K}`);
}

/** A short description of a bad value for error messages. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === "object") return `an object of type ${(v as object).constructor?.name ?? "Object"}`;
  return `${typeof v} ${JSON.stringify(v)}`;
}

/**
 * Groups identical pure-state inputs (the same object, or the same amplitudes bit for bit): returns the
 * unique inputs and, per input, the index of its unique representative; null when all inputs differ or any
 * input is an ensemble. Hashing costs one pass over each state, far less than simulating it.
 */
export function duplicateGroups(inputs: readonly QuantumInput[]): { unique: Statevector[]; index: Int32Array } | null {
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
    if (bucket)
      for (const c of bucket)
        if (equalStates(unique[c], x)) {
          u = c;
          break;
        }
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

const hashView = new Float64Array(1),
  hashBits = new Uint32Array(hashView.buffer);

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
