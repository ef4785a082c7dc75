/**
 * The quantum autoencoder (QAE) of Yan et al. Sec. II.3 (Romero, Olson & Aspuru-Guzik, QST 2, 045001 (2017);
 * ref. [18] of the paper), used to feed a 7-qubit quantum input to a 2-qubit student.
 *
 * - Encode (Eq. 8): ρ_A = Tr_B[U(φ)|ψ⟩⟨ψ|U(φ)†], A = the latent qubits, B = the trash qubits.
 * - Decode (Eq. 9): ρ' = U(φ)†(ρ_A ⊗ |0⟩⟨0|_B′)U(φ).
 * - Objective (Eq. 10): maximise the mean fidelity F = ⟨ψ|ρ'|ψ⟩ over the training states.
 *
 * **Closed form used for training.** Write Uψ = Σ_b |a_b⟩|b⟩_B (unnormalised latent vectors a_b). Then
 * ρ_A = Σ_b |a_b⟩⟨a_b| and F = ⟨Uψ|(ρ_A ⊗ |0⟩⟨0|)|Uψ⟩ = ⟨a_0|ρ_A|a_0⟩ = Σ_b |⟨a_0|a_b⟩|². Its Wirtinger
 * derivative (the adjoint cotangent) is ∂F/∂a_c* = a_0⟨a_0|a_c⟩ for c ≠ 0 and Σ_b a_b⟨a_b|a_0⟩ + ⟨a_0|a_0⟩a_0
 * for c = 0, so training is one adjoint sweep per state. Tests check F against the explicit decode route.
 */
import { Statevector, checkQubit } from "../sim/statevector";
import { Circuit, checkParams, runInverse } from "../sim/circuit";
import { adjointGradient, adjointWorkspace } from "../sim/gradients";
import { DensityMatrix, Ensemble, partialTrace, splitIndex } from "../sim/density";
import { hardwareEfficientAnsatz, RotationName, Entangler } from "./ansatz";
import { initParams } from "./classifier";
import { Adam } from "../optim/adam";
import { StepLR } from "../optim/scheduler";
import { Rng, toRng } from "../util/rng";
import { checkInt, checkNumber, withDefaults } from "../util/options";

/** Options of {@link QuantumAutoencoder}. */
export interface QuantumAutoencoderOptions {
  /** Qubits of the input states. */
  nQubits: number;
  /** Qubits kept after encoding (subsystem A), in the order they become the student's qubits. @defaultValue [0, 1] */
  latentQubits: number[];
  /** Layers of the hardware-efficient encoder U(φ). @defaultValue 6 (chosen; PARAMS.md) */
  nLayers: number;
  /** Rotations per layer. @defaultValue ["X", "Y", "Z"] */
  rotations: RotationName[];
  /** Entangler. @defaultValue "chain" */
  entangler: Entangler;
  /** Seed for the initial parameters U[0, 2π). @defaultValue 0 */
  seed: number | string | Rng;
}

/** Options of {@link QuantumAutoencoder.train}. */
export interface QAETrainOptions {
  /** Adam steps. @defaultValue 500 (PARAMS.md, chosen) */
  iterations: number;
  /** States per step, drawn without replacement; null = all states every step. @defaultValue 64 */
  batchSize: number | null;
  /** Adam learning rate. @defaultValue 0.05 */
  lr: number;
  /** Adam weight decay. @defaultValue 0 */
  weightDecay: number;
  /** StepLR step (iterations). @defaultValue 200 */
  stepSize: number;
  /** StepLR decay. @defaultValue 0.5 */
  gamma: number;
  /** Seed of the batch stream. @defaultValue 0 */
  seed: number | string;
  /** Called after each step with the history row. */
  onIteration: ((row: QAEHistoryRow) => void) | null;
}

/** One row of QAE training history. */
export interface QAEHistoryRow {
  iteration: number;
  lr: number;
  /** Mean fidelity over the step's batch (before the update). */
  batchFidelity: number;
}

const QAE_DEFAULTS: QuantumAutoencoderOptions = { nQubits: 7, latentQubits: [0, 1], nLayers: 6, rotations: ["X", "Y", "Z"], entangler: "chain", seed: 0 };
const QAE_TRAIN_DEFAULTS: QAETrainOptions = { iterations: 500, batchSize: 64, lr: 0.05, weightDecay: 0, stepSize: 200, gamma: 0.5, seed: 0, onIteration: null };

/** The quantum autoencoder (see module doc). */
export class QuantumAutoencoder {
  readonly options: QuantumAutoencoderOptions;
  /** The encoder circuit U(φ) on nQubits qubits. */
  readonly circuit: Circuit;
  readonly latentQubits: number[];
  readonly trashQubits: number[];
  params: Float64Array;
  private readonly map: Int32Array;
  private readonly dA: number;
  private readonly dB: number;

  /** @throws Error for an unknown option, a bad latent qubit list, or bad ansatz options. */
  constructor(options: Partial<QuantumAutoencoderOptions> & { nQubits: number }) {
    const o = withDefaults("QuantumAutoencoder", QAE_DEFAULTS, options);
    const lat = o.latentQubits;
    if (!Array.isArray(lat) || lat.length < 1 || lat.length >= o.nQubits) {
      throw new Error(`QuantumAutoencoder: latentQubits must list 1..${o.nQubits - 1} qubits, got ${JSON.stringify(lat)}`);
    }
    for (const q of lat) checkQubit("QuantumAutoencoder latentQubits", q, o.nQubits);
    if (new Set(lat).size !== lat.length) throw new Error(`QuantumAutoencoder: repeated latent qubit in ${JSON.stringify(lat)}`);
    this.options = o;
    this.circuit = hardwareEfficientAnsatz({ nQubits: o.nQubits, nLayers: o.nLayers, rotations: o.rotations, entangler: o.entangler });
    this.latentQubits = lat.slice();
    const split = splitIndex(o.nQubits, lat);
    this.trashQubits = split.rest;
    this.map = split.map;
    this.dA = split.dA;
    this.dB = split.dB;
    this.params = initParams(this.circuit.nParams, o.seed);
  }

  /** Number of latent qubits (the student's qubit count). */
  get nLatent(): number {
    return this.latentQubits.length;
  }

  private check(psi: Statevector, where: string): void {
    if (psi.nQubits !== this.circuit.nQubits) throw new Error(`${where}: state has ${psi.nQubits} qubits, the autoencoder ${this.circuit.nQubits}`);
  }

  /** F = ⟨ψ|ρ'|ψ⟩ for a pure input, by the closed form of the module doc. */
  fidelity(psi: Statevector): number {
    this.check(psi, "QuantumAutoencoder.fidelity");
    const phi = this.circuit.run(this.params, psi.clone());
    return this.fidelityOfEncoded(phi, null);
  }

  /** Mean fidelity over `states` (Eq. 10). */
  meanFidelity(states: readonly Statevector[]): number {
    let s = 0;
    for (const x of states) s += this.fidelity(x);
    return s / states.length;
  }

  /** Closed-form F of the encoded state φ = Uψ; when `lam` is given also writes scale·∂F/∂φ* into it. */
  private fidelityOfEncoded(phi: Statevector, lam: Statevector | null, scale = 1): number {
    const { map, dA, dB } = this;
    const pr = phi.re, pi = phi.im;
    // g_b = ⟨a_0|a_b⟩
    const gr = new Float64Array(dB), gi = new Float64Array(dB);
    for (let b = 0; b < dB; b++) {
      let sr = 0, si = 0;
      for (let a = 0; a < dA; a++) {
        const i0 = map[a], ib = map[b * dA + a];
        sr += pr[i0] * pr[ib] + pi[i0] * pi[ib];
        si += pr[i0] * pi[ib] - pi[i0] * pr[ib];
      }
      gr[b] = sr;
      gi[b] = si;
    }
    let F = 0;
    for (let b = 0; b < dB; b++) F += gr[b] * gr[b] + gi[b] * gi[b];
    if (lam) {
      // c ≠ 0: λ_c = a_0·g_c ; c = 0: Σ_b a_b·conj(g_b) + g_0·a_0
      for (let c = 1; c < dB; c++) {
        for (let a = 0; a < dA; a++) {
          const i0 = map[a], ic = map[c * dA + a];
          lam.re[ic] = scale * (pr[i0] * gr[c] - pi[i0] * gi[c]);
          lam.im[ic] = scale * (pr[i0] * gi[c] + pi[i0] * gr[c]);
        }
      }
      for (let a = 0; a < dA; a++) {
        let sr = gr[0] * pr[map[a]], si = gr[0] * pi[map[a]];
        for (let b = 0; b < dB; b++) {
          const ib = map[b * dA + a];
          sr += pr[ib] * gr[b] + pi[ib] * gi[b];
          si += pi[ib] * gr[b] - pr[ib] * gi[b];
        }
        lam.re[map[a]] = scale * sr;
        lam.im[map[a]] = scale * si;
      }
    }
    return F;
  }

  /** Mean fidelity over `states` and its gradient with respect to params (adjoint differentiation). */
  fidelityAndGradient(states: readonly Statevector[]): { meanFidelity: number; grad: Float64Array } {
    checkParams("QuantumAutoencoder", this.params, this.circuit.nParams);
    const grad = new Float64Array(this.circuit.nParams);
    const work = adjointWorkspace(this.circuit.nQubits);
    let total = 0;
    const w = 1 / states.length;
    for (const psi of states) {
      this.check(psi, "QuantumAutoencoder.fidelityAndGradient");
      adjointGradient(this.circuit, this.params, psi, (phi, lam) => {
        const F = this.fidelityOfEncoded(phi, lam, w);
        total += F;
        return F;
      }, { grad, work });
    }
    return { meanFidelity: total / states.length, grad };
  }

  /**
   * Trains U(φ) with Adam to maximise the mean fidelity (Eq. 10) on `states`.
   * @returns the per-iteration history.
   * @throws Error for an unknown option or bad value, or an empty training set.
   */
  train(states: readonly Statevector[], options: Partial<QAETrainOptions> = {}): QAEHistoryRow[] {
    const o = withDefaults("QuantumAutoencoder.train", QAE_TRAIN_DEFAULTS, options);
    checkInt("QuantumAutoencoder.train", "iterations", o.iterations, 0);
    if (o.batchSize !== null) checkInt("QuantumAutoencoder.train", "batchSize", o.batchSize, 1);
    checkNumber("QuantumAutoencoder.train", "lr", o.lr, 0);
    if (states.length === 0) throw new Error("QuantumAutoencoder.train: no training states");
    const opt = new Adam({ lr: o.lr, weightDecay: o.weightDecay });
    const sched = new StepLR({ stepSize: o.stepSize, gamma: o.gamma });
    const rng = toRng(o.seed);
    const history: QAEHistoryRow[] = [];
    for (let t = 0; t < o.iterations; t++) {
      let batch: readonly Statevector[] = states;
      if (o.batchSize !== null && o.batchSize < states.length) {
        batch = rng.fork(`qae-batch/${t}`).sampleWithoutReplacement(states.length, o.batchSize).map((i) => states[i]);
      }
      const { meanFidelity, grad } = this.fidelityAndGradient(batch);
      // maximise F: descend on −F
      for (let j = 0; j < grad.length; j++) grad[j] = -grad[j];
      opt.lr = sched.lrAt(t, o.lr);
      opt.step(this.params, grad);
      const row = { iteration: t, lr: opt.lr, batchFidelity: meanFidelity };
      history.push(row);
      o.onIteration?.(row);
    }
    return history;
  }

  /** Encoder (Eq. 8): the latent density matrix ρ_A; latentQubits[j] becomes qubit j. */
  encode(psi: Statevector): DensityMatrix {
    this.check(psi, "QuantumAutoencoder.encode");
    return partialTrace(this.circuit.run(this.params, psi.clone()), this.latentQubits);
  }

  /** ρ_A as an ensemble of at most 2^nLatent pure states, ready for a student QNN on nLatent qubits. */
  encodeEnsemble(psi: Statevector): Ensemble {
    return this.encode(psi).toEnsemble();
  }

  /**
   * Decoder (Eq. 9): ρ' = U†(ρ_A ⊗ |0⟩⟨0|)U on all nQubits, returned as an ensemble of pure states (each
   * latent eigenvector padded with |0⟩ on the trash qubits and sent through U†).
   */
  decode(rhoA: DensityMatrix): Ensemble {
    if (rhoA.nQubits !== this.nLatent) throw new Error(`QuantumAutoencoder.decode: ρ_A has ${rhoA.nQubits} qubits, expected ${this.nLatent}`);
    const e = rhoA.toEnsemble();
    const n = this.circuit.nQubits;
    const states = e.states.map((v) => {
      const full = new Statevector(n, new Float64Array(2 ** n), new Float64Array(2 ** n));
      for (let a = 0; a < this.dA; a++) {
        full.re[this.map[a]] = v.re[a];
        full.im[this.map[a]] = v.im[a];
      }
      return runInverse(this.circuit, this.params, full);
    });
    return { weights: e.weights, states };
  }

  /** F(ψ, ρ') computed through the explicit decoder (an independent route to {@link QuantumAutoencoder.fidelity}). */
  fidelityViaDecode(psi: Statevector): number {
    const e = this.decode(this.encode(psi));
    let F = 0;
    for (let i = 0; i < e.states.length; i++) {
      const [r, im] = psi.inner(e.states[i]);
      F += e.weights[i] * (r * r + im * im);
    }
    return F;
  }
}

