/**
 * How a {@link QuantumLayer} is executed: every strategy in one place, behind the layer.
 *
 * **Strategies**, chosen per call by `choose.ts` (one chooser for {@link Executor.forward} and
 * {@link Executor.backward}), each in its own file, in this order:
 * 1. **Input kinds** (`lightCone.ts`). {@link ProductState} inputs are simulated on the backward light cone of
 *    the readout (`sim/program/lightcone.ts`) when every input of the batch is a product state, else expanded to
 *    full statevectors;
 *    {@link Ensemble} inputs ρ = Σ_i w_i|v_i⟩⟨v_i| run member by member (⟨Z⟩ = Σ_i w_i ⟨v_i|U†ZU|v_i⟩);
 *    {@link Statevector} inputs run as they are.
 * 2. **Dedupe** (`dedupe.ts`). Identical pure inputs (the same object, or bitwise-equal amplitudes) are simulated
 *    once: their outputs are copied and their ∂L/∂outputs added (the parameter gradient is linear in them).
 * 3. **Batch engine.** Batches of ≥ 8 pure states on ≥ 9 qubits run on the worker pool (`QNN_KD_THREADS`,
 *    default all cores; `pool.ts` is the caller's side of the thread boundary, `poolWorker.ts` the workers',
 *    `poolSamples.ts` what both run), or with one thread on the WebAssembly back end on the calling thread with
 *    the whole-program runner (`sim/backends/wasmProgram.ts` {@link ProgramRunner}: one WASM call per sample
 *    and sweep).
 * 4. **Serial** (`serial.ts`). Otherwise one sample at a time: on the TypeScript back end (the reference) one
 *    `adjointGradient` per sample (forward inside, then the backward sweep); on WebAssembly the whole-program
 *    runner without forward checkpoints (the per-gate route's numbers bit for bit, faster).
 *
 * **Noise.** An executor built with a noise option runs none of the above: every call goes to the noisy strategy
 * of `noisy.ts` (density matrices or trajectories of `model.apply(circuit)`, readout errors, finite shots;
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
 * TypeScript sweep (`adjointGradient` option `inputCotangent`), the whole-program runner
 * (`ProgramRunner.gradient`'s `inputCotangent`) and the worker pool (the workers write λ_in into a shared
 * buffer). Duplicates are then NOT merged (each sample needs its own λ_in). When no input gradient is
 * requested nothing extra is computed or copied.
 *
 * @packageDocumentation
 */
import { Statevector } from "../../sim/state/statevector";
import { Circuit, checkParams } from "../../sim/program/circuit";
import { AdjointWorkspace, adjointWorkspace } from "../../sim/grad/adjoint";
import type { Ensemble } from "../../sim/state/density";
import { ProductState } from "../../sim/state/product";
import { lightCone } from "../../sim/program/lightcone";
import type { SampleLoss } from "../../core/model";
import { NoiseOptions, NoisyExecution, resolveNoise } from "./noisy";
import { chooseStrategy } from "./choose";
import { mergedLoss } from "./dedupe";
import { coneInputs, fullStates, productGradient } from "./lightCone";
import { serialBackward, serialForward, serialForwardOne } from "./serial";
import {
  Cotangents,
  ExecutionBackwardOptions,
  ExecutionBackwardResult,
  InputGradient,
  QuantumInput,
  checkOutputGrad,
  describeValue,
} from "./types";

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
  /** The noisy strategy (`noisy.ts`) when the executor has a noise option, else null. */
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
    return serialForwardOne(this.circuit, this.readout, params, input);
  }

  /**
   * s·⟨Z_{readout}⟩ of each input, `[batch][k]` (fresh arrays), by the strategies of the module doc.
   * @throws Error for a non-array, a bad input or bad parameters.
   */
  forward(params: Float64Array, inputs: readonly QuantumInput[], scale: number, where: string): Float64Array[] {
    if (!Array.isArray(inputs)) throw new Error(`${where}: inputs must be an array, got ${describeValue(inputs)}`);
    const st = chooseStrategy(inputs, this.nQubits, { noisy: this.noisy !== null, inputCotangents: false });
    switch (st.kind) {
      case "noisy":
        for (const x of inputs) this.checkInput(x, where);
        return this.noisy!.forward(params, inputs, scale);
      case "lightCone":
        for (const x of inputs) this.checkInput(x, where);
        checkParams(this.name, params, this.circuit.nParams);
        return this.coneOf().exec.forward(params, this.coneInputs(inputs), scale, where);
      case "fullStates":
        for (const x of inputs) this.checkInput(x, where);
        checkParams(this.name, params, this.circuit.nParams);
        return this.forward(params, fullStates(inputs), scale, where);
      case "dedupe": {
        const z = this.forward(params, st.groups.unique, scale, where);
        return Array.from(st.groups.index, (u) => z[u].slice());
      }
      case "pool": {
        for (const x of inputs) this.checkInput(x, where);
        checkParams(this.name, params, this.circuit.nParams);
        const engine = st.pool.getBatchEngine(this.circuit, this.readout, scale);
        return st.pool.poolForward(engine, this.circuit, params, inputs as Statevector[], where);
      }
      case "serial": {
        for (const x of inputs) this.checkInput(x, where);
        checkParams(this.name, params, this.circuit.nParams);
        // product states took the routes above; what remains is pure or mixed
        const rest = inputs as readonly (Statevector | Ensemble)[];
        return serialForward(this.circuit, this.readout, params, rest, scale);
      }
    }
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
    loss: SampleLoss,
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

  /** The noiseless backward pass: the chosen strategy (`choose.ts`) carried out. */
  private backwardCore(
    params: Float64Array,
    inputs: readonly QuantumInput[],
    loss: SampleLoss,
    s: number,
    mean: boolean,
    cot: Cotangents | null,
    where: string,
  ): { loss: number; grad: Float64Array } {
    checkParams(this.name, params, this.circuit.nParams);
    const st = chooseStrategy(inputs, this.nQubits, { noisy: false, inputCotangents: cot !== null });
    switch (st.kind) {
      case "noisy":
        throw new Error(`${where}: internal error: the noisy strategy is handled by backward()`);
      case "lightCone":
        for (const x of inputs) this.checkInput(x, where);
        return this.coneOf().exec.backwardCore(params, this.coneInputs(inputs), loss, s, mean, cot, where);
      case "fullStates":
        for (const x of inputs) this.checkInput(x, where);
        return this.backwardCore(params, fullStates(inputs), loss, s, mean, cot, where);
      case "dedupe": {
        // identical inputs share one forward and one backward sweep (`dedupe.ts`)
        const merged = mergedLoss(loss, st.groups, this.readout.length, mean, where);
        return this.backwardCore(params, st.groups.unique, merged, s, mean, null, where);
      }
      case "pool": {
        for (const x of inputs) this.checkInput(x, where);
        const engine = st.pool.getBatchEngine(this.circuit, this.readout, s);
        return st.pool.poolBackward(engine, this.circuit, params, inputs as Statevector[], loss, mean, cot, where);
      }
      case "serial": {
        const work = (this.work ??= adjointWorkspace(this.nQubits));
        // product states took the routes above; what remains is pure or mixed
        const rest = inputs as readonly (Statevector | Ensemble)[];
        return serialBackward(this.circuit, this.readout, work, params, rest, loss, s, mean, cot, where, (x) =>
          this.checkInput(x, where),
        );
      }
    }
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

  /** Product-state inputs reduced to the cone's qubits (all inputs are product states: the light-cone route). */
  private coneInputs(inputs: readonly QuantumInput[]): Statevector[] {
    return coneInputs(inputs, this.coneOf().qubits)!;
  }
}

/** 2·λ as (∂L/∂x, ∂L/∂y). */
function twice(l: Statevector): { re: Float64Array; im: Float64Array } {
  return { re: l.re.map((v) => 2 * v), im: l.im.map((v) => 2 * v) };
}
