/**
 * Noisy execution of a quantum layer: the strategy `executor.ts`'s {@link Executor} takes when the layer has a
 * noise option ({@link NoiseOptions}). The layer's circuit stays the clean U(θ); the executor runs the noisy
 * circuit `model.apply(U)` (channels after gates, `sim/noise/model.ts`) on
 * - `"density"` (default): the exact density-matrix executor (`sim/noise/run.ts`, up to 13 qubits), or
 * - `"trajectories"`: seeded quantum trajectories (any register size, statistical error σ/√T);
 * then reads each readout qubit through its readout error and, with `shots`, estimates ⟨Z⟩ from that many
 * measurement shots, as a device returns it (`sim/state/measure.ts` {@link shotExpectationZ}).
 *
 * **Outputs.** y_k = s·z_k with z_k the measured ⟨Z_{q_k}⟩: exact, (p10 − p01) + (1 − p01 − p10)·Tr(Z_{q_k}ρ) with
 * readout error, or its finite-shot estimate.
 *
 * **Gradients.** `"adjoint"` (density only; the default there): the exact gradient of the exact noisy outputs —
 * the infinite-shot limit; shots do not enter the backward pass (the loss is evaluated at the exact outputs).
 * `"parameter-shift"` (the default for trajectories): each component from the outputs at θ ± π/2 (four terms for
 * controlled rotations), each evaluated as the forward pass evaluates (with shots and trajectories when set), as on
 * a device; 2 (or 4) circuit runs per gate occurrence and sample.
 *
 * **Randomness.** Evaluation e of the executor (counted over its whole life: one per sample and forward, one per
 * shifted circuit) draws its shots and trajectories from the stream `<seed>/noise-<e>`: the same seed and the same
 * sequence of calls give the same numbers.
 *
 * Input gradients (hybrid layers that train an encoder through the quantum layer) are not available under noise.
 *
 * @packageDocumentation
 */
import { Circuit } from "../../sim/program/circuit";
import type { SampleLoss } from "../../core/model";
import { Statevector } from "../../sim/state/statevector";
import { ProductState } from "../../sim/state/product";
import type { Ensemble } from "../../sim/state/density";
import { NoiseModel } from "../../sim/noise/model";
import { ReadoutError, readoutZ } from "../../sim/noise/channels";
import {
  DensityInput,
  densityAdjoint,
  densityExpectationZ,
  densityProbabilities,
  runDensityAtAngles,
  trajectoryExpectationZAtAngles,
} from "../../sim/noise/run";
import { marginalProbabilities, shotExpectationZ } from "../../sim/state/measure";
import { shiftRuleJacobian } from "../../sim/grad/parameterShift";
import { checkParams } from "../../sim/program/circuit";

/** How a noisy layer is executed (module doc). */
export interface NoiseOptions {
  /** Channels after gates and readout errors. */
  model: NoiseModel;
  /** `"density"` (exact) or `"trajectories"`. @defaultValue "density" */
  method?: "density" | "trajectories";
  /** Trajectories per evaluation (method "trajectories"), an integer in [1, 1e7]. @defaultValue 1000 */
  trajectories?: number;
  /** Measurement shots per evaluation; null: exact expectation values. @defaultValue null */
  shots?: number | null;
  /** `"adjoint"` (density only) or `"parameter-shift"`. @defaultValue "adjoint" for density, else "parameter-shift" */
  gradient?: "adjoint" | "parameter-shift";
  /** Seed of shots and trajectories. @defaultValue 0 */
  seed?: number | string;
}

const KNOWN = ["model", "method", "trajectories", "shots", "gradient", "seed"];

/** Validated noise options with defaults. */
export interface ResolvedNoise {
  model: NoiseModel;
  method: "density" | "trajectories";
  trajectories: number;
  shots: number | null;
  gradient: "adjoint" | "parameter-shift";
  seed: number | string;
}

/**
 * The options with their defaults.
 * @throws Error for an unknown option, a model that is not a NoiseModel, an unknown method or gradient, adjoint
 *   with trajectories, or a bad trajectory or shot count (quoting the value).
 */
export function resolveNoise(where: string, o: NoiseOptions): ResolvedNoise {
  if (!o || typeof o !== "object")
    throw new Error(`${where}: noise must be { model, method?, shots?, … }, got ${String(o)}`);
  for (const k of Object.keys(o))
    if (!KNOWN.includes(k)) throw new Error(`${where}: unknown noise option "${k}"; allowed: ${KNOWN.join(", ")}`);
  if (!(o.model instanceof NoiseModel)) throw new Error(`${where}: noise.model must be a NoiseModel`);
  const method = o.method ?? "density";
  if (method !== "density" && method !== "trajectories")
    throw new Error(`${where}: noise.method must be "density" or "trajectories", got ${JSON.stringify(o.method)}`);
  const gradient = o.gradient ?? (method === "density" ? "adjoint" : "parameter-shift");
  if (gradient !== "adjoint" && gradient !== "parameter-shift")
    throw new Error(
      `${where}: noise.gradient must be "adjoint" or "parameter-shift", got ${JSON.stringify(o.gradient)}`,
    );
  if (gradient === "adjoint" && method !== "density")
    throw new Error(
      `${where}: the adjoint gradient needs method "density"; use gradient "parameter-shift" with trajectories`,
    );
  const trajectories = o.trajectories ?? 1000;
  if (!Number.isInteger(trajectories) || trajectories < 1 || trajectories > 1e7)
    throw new Error(`${where}: noise.trajectories must be an integer in [1, 1e7], got ${String(o.trajectories)}`);
  const shots = o.shots ?? null;
  if (shots !== null && (!Number.isInteger(shots) || shots < 1 || shots > 1e8))
    throw new Error(`${where}: noise.shots must be null or an integer in [1, 1e8], got ${String(o.shots)}`);
  const seed = o.seed ?? 0;
  return { model: o.model, method, trajectories, shots, gradient, seed };
}

/** Per-sample loss callback of {@link NoisyExecution.backward}: outputs y (scaled) → loss and ∂loss/∂y. */

/** The noisy strategy of one layer (module doc). */
export class NoisyExecution {
  readonly noise: ResolvedNoise;
  private readonly clean: Circuit;
  private readonly readout: readonly number[];
  private readonly errors: (ReadoutError | null)[];
  private noisy: { nOps: number; circuit: Circuit } | null = null;
  private evaluations = 0;

  constructor(circuit: Circuit, readout: readonly number[], noise: ResolvedNoise) {
    this.clean = circuit;
    this.readout = readout.slice();
    this.noise = noise;
    this.errors = readout.map((q) => noise.model.readoutError(q));
  }

  /** The noisy circuit (rebuilt when the clean circuit grew). */
  get circuit(): Circuit {
    if (!this.noisy || this.noisy.nOps !== this.clean.ops.length)
      this.noisy = { nOps: this.clean.ops.length, circuit: this.noise.model.apply(this.clean) };
    return this.noisy.circuit;
  }

  /** The measured ⟨Z⟩ of the readout at the given occurrence angles (one evaluation, module doc). */
  private evaluate(angles: Float64Array, input: DensityInput): Float64Array {
    const e = this.evaluations++;
    const seed = `${this.noise.seed}/noise-${e}`,
      { shots } = this.noise;
    let z: Float64Array,
      marginal: Float64Array | null = null;
    if (this.noise.method === "density") {
      const rho = runDensityAtAngles(this.circuit, angles, input);
      z = densityExpectationZ(rho, this.readout);
      if (shots !== null) marginal = marginalProbabilities(densityProbabilities(rho), this.readout);
    } else {
      const members: Ensemble =
        input instanceof Statevector ? { weights: Float64Array.of(1), states: [input] } : (input as Ensemble);
      z = new Float64Array(this.readout.length);
      marginal = new Float64Array(1 << this.readout.length);
      members.states.forEach((s, i) => {
        const est = trajectoryExpectationZAtAngles(this.circuit, angles, s, this.readout, {
          trajectories: this.noise.trajectories,
          seed: `${seed}/member-${i}`,
        });
        for (let k = 0; k < z.length; k++) z[k] += members.weights[i] * est.mean[k];
        for (let j = 0; j < est.marginal.length; j++)
          (marginal as Float64Array)[j] += members.weights[i] * est.marginal[j];
      });
    }
    if (shots !== null && marginal) return shotExpectationZ(marginal, shots, `${seed}/shots`, this.errors);
    return this.withReadout(z);
  }

  private withReadout(z: Float64Array): Float64Array {
    this.errors.forEach((err, k) => {
      if (err) z[k] = readoutZ(err, z[k]);
    });
    return z;
  }

  /** y = s·(measured ⟨Z⟩) of each input. @throws Error for bad parameters or inputs. */
  forward(
    params: Float64Array,
    inputs: readonly (Statevector | Ensemble | ProductState)[],
    scale: number,
  ): Float64Array[] {
    checkParams("noisy layer", params, this.clean.nParams);
    const angles = this.circuit.angles(params);
    return inputs.map((x) => {
      const z = this.evaluate(angles, densityInput(x));
      if (scale !== 1) for (let k = 0; k < z.length; k++) z[k] *= scale;
      return z;
    });
  }

  /**
   * Loss and ∂L/∂params of a batch (module doc, "Gradients"); `D` divides each sample's contribution (1 for a
   * sum, B for a mean).
   */
  backward(
    params: Float64Array,
    inputs: readonly (Statevector | Ensemble | ProductState)[],
    loss: SampleLoss,
    s: number,
    D: number,
    check: (out: { loss: number; dLogits: ArrayLike<number> }) => void,
  ): { loss: number; grad: Float64Array } {
    checkParams("noisy layer", params, this.clean.nParams);
    const circuit = this.circuit,
      K = this.readout.length;
    const grad = new Float64Array(this.clean.nParams);
    const gain = this.errors.map((e) => (e ? 1 - e.p01 - e.p10 : 1));
    let total = 0;
    inputs.forEach((x, b) => {
      const input = densityInput(x);
      if (this.noise.gradient === "adjoint") {
        densityAdjoint(
          circuit,
          params,
          input,
          this.readout,
          (z) => {
            const y = this.withReadout(z.slice()).map((v) => v * s);
            const out = loss(y, b);
            check(out);
            total += out.loss;
            return Float64Array.from({ length: K }, (_, k) => (s * out.dLogits[k] * gain[k]) / D);
          },
          { grad },
        );
        return;
      }
      const angles = circuit.angles(params);
      const y = this.evaluate(angles, input).map((v) => v * s);
      const out = loss(y, b);
      check(out);
      total += out.loss;
      const jac = shiftRuleJacobian(circuit, params, (a) => this.evaluate(a, input));
      for (let j = 0; j < grad.length; j++) {
        let g = 0;
        for (let k = 0; k < K; k++) g += (s * out.dLogits[k] * jac[j][k]) / D;
        grad[j] += g;
      }
    });
    return { loss: total, grad };
  }
}

/** A layer input as an input of the noisy executors (product states expanded to statevectors). */
function densityInput(x: Statevector | Ensemble | ProductState): DensityInput {
  return x instanceof ProductState ? x.toStatevector() : x;
}
