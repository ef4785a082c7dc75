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
import { Statevector, checkQubit } from "../sim/state/statevector";
import { Circuit, checkParams, runInverse } from "../sim/program/circuit";
import { adjointGradient, adjointWorkspace } from "../sim/grad/adjoint";
import { DensityMatrix, Ensemble, partialTrace, splitIndex } from "../sim/state/density";
import { eigHermitian } from "../linalg/eigen";
import { hardwareEfficientAnsatz, twoQubitBlockAnsatz, RotationName, Entangler } from "./ansatz";
import { initParams } from "./classifier";
import { Adam } from "../optim/adam";
import { StepLR } from "../optim/scheduler";
import { optimise } from "../optim/loop";
import {
  CheckpointOptions,
  checkCheckpointOptions,
  hashNumbers,
  resumeCheckpoint,
  writeCheckpoint,
} from "../optim/checkpoint";
import type { Trainable } from "../core/model";
import { Rng, toRng } from "../util/rng";
import { checkInt, checkNumber, checkOneOf, withDefaults } from "../util/options";

/** Encoder ansätze of {@link QuantumAutoencoder}. */
export const QAE_ANSATZE = ["hardware-efficient", "two-qubit-blocks"] as const;
/** An encoder ansatz name, see {@link QAE_ANSATZE}. */
export type QAEAnsatz = (typeof QAE_ANSATZE)[number];

/** Options of {@link QuantumAutoencoder}. */
export interface QuantumAutoencoderOptions {
  /** Qubits of the input states. */
  nQubits: number;
  /** Qubits kept after encoding (subsystem A), in the order they become the student's qubits. @defaultValue [0, 1] */
  latentQubits: number[];
  /**
   * The encoder U(φ): `"hardware-efficient"` (Yan et al. Fig. 2: rotations on every qubit, then an entangler; 3·n
   * parameters per layer) or `"two-qubit-blocks"` (a brick wall of general SU(4) blocks, `twoQubitBlockAnsatz`:
   * 15 parameters per block).
   * @defaultValue "hardware-efficient"
   */
  ansatz: QAEAnsatz;
  /** Layers of the encoder U(φ) (brick-wall layers for "two-qubit-blocks"). @defaultValue 6 (chosen; PARAMS.md) */
  nLayers: number;
  /** Rotations per layer (hardware-efficient only). @defaultValue ["X", "Y", "Z"] */
  rotations: RotationName[];
  /** Entangler (hardware-efficient only). @defaultValue "chain" */
  entangler: Entangler;
  /**
   * Initial parameters: null = U[0, 2π) (PARAMS.md's "uniform"); a number s = U[−s, s) radians, i.e. near the
   * fixed circuit at zero angles (identity rotations; for "two-qubit-blocks" a network of SWAPs), which trains
   * far better for deep encoders (no barren plateau at the start).
   * @defaultValue null
   */
  initScale: number | null;
  /** Seed for the initial parameters. @defaultValue 0 */
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
  /**
   * Save resumable checkpoints (parameters, Adam state, history; `optim/checkpoint.ts`): a run resumed from one
   * ends with the same parameters, bit for bit, as an uninterrupted run. The fingerprint covers the training
   * states, the initial parameters and every option above but `onIteration`. @defaultValue null
   */
  checkpoint: CheckpointOptions | null;
}

/** Options of {@link QuantumAutoencoder.pretrainSubspace}. */
export interface QAESubspaceOptions {
  /** Initialisations tried; the best is kept. @defaultValue 6 */
  restarts: number;
  /** Adam steps per restart. @defaultValue 1500 */
  iterations: number;
  /** Adam learning rate (StepLR: halved every iterations/3 steps). @defaultValue 0.05 */
  lr: number;
  /** Leading eigenvectors of ρ̄ used (the rest of ρ̄'s weight is ignored). @defaultValue 8 */
  nEigen: number;
  /** Seed of the restarts' initial parameters (restart r: stream `${seed}/restart${r}`). @defaultValue 0 */
  seed: number | string;
  /** Called after each restart with its final trash probability. @defaultValue null */
  onRestart: ((r: { restart: number; trashProbability: number }) => void) | null;
}

const QAE_SUBSPACE_DEFAULTS: QAESubspaceOptions = {
  restarts: 6,
  iterations: 1500,
  lr: 0.05,
  nEigen: 8,
  seed: 0,
  onRestart: null,
};

/** One row of QAE training history. */
export interface QAEHistoryRow {
  iteration: number;
  lr: number;
  /** Mean fidelity over the step's batch (before the update). */
  batchFidelity: number;
}

const QAE_DEFAULTS: QuantumAutoencoderOptions = {
  nQubits: 7,
  latentQubits: [0, 1],
  ansatz: "hardware-efficient",
  nLayers: 6,
  rotations: ["X", "Y", "Z"],
  entangler: "chain",
  initScale: null,
  seed: 0,
};
const QAE_TRAIN_DEFAULTS: QAETrainOptions = {
  iterations: 500,
  batchSize: 64,
  lr: 0.05,
  weightDecay: 0,
  stepSize: 200,
  gamma: 0.5,
  seed: 0,
  onIteration: null,
  checkpoint: null,
};

/** The quantum autoencoder (see module doc). */
export class QuantumAutoencoder implements Trainable {
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
      throw new Error(
        `QuantumAutoencoder: latentQubits must list 1..${o.nQubits - 1} qubits, got ${JSON.stringify(lat)}`,
      );
    }
    for (const q of lat) checkQubit("QuantumAutoencoder latentQubits", q, o.nQubits);
    if (new Set(lat).size !== lat.length)
      throw new Error(`QuantumAutoencoder: repeated latent qubit in ${JSON.stringify(lat)}`);
    checkOneOf("QuantumAutoencoder", "ansatz", o.ansatz, QAE_ANSATZE);
    if (o.initScale !== null) checkNumber("QuantumAutoencoder", "initScale", o.initScale, 0);
    this.options = o;
    this.circuit =
      o.ansatz === "two-qubit-blocks"
        ? twoQubitBlockAnsatz({ nQubits: o.nQubits, nLayers: o.nLayers })
        : hardwareEfficientAnsatz({
            nQubits: o.nQubits,
            nLayers: o.nLayers,
            rotations: o.rotations,
            entangler: o.entangler,
          });
    this.latentQubits = lat.slice();
    const split = splitIndex(o.nQubits, lat);
    this.trashQubits = split.rest;
    this.map = split.map;
    this.dA = split.dA;
    this.dB = split.dB;
    this.params =
      o.initScale === null
        ? initParams(this.circuit.nParams, o.seed)
        : initParams(this.circuit.nParams, o.seed, -o.initScale, o.initScale);
  }

  /** Number of latent qubits (the student's qubit count). */
  get nLatent(): number {
    return this.latentQubits.length;
  }

  private check(psi: Statevector, where: string): void {
    if (psi.nQubits !== this.circuit.nQubits)
      throw new Error(`${where}: state has ${psi.nQubits} qubits, the autoencoder ${this.circuit.nQubits}`);
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
    const pr = phi.re,
      pi = phi.im;
    // g_b = ⟨a_0|a_b⟩
    const gr = new Float64Array(dB),
      gi = new Float64Array(dB);
    for (let b = 0; b < dB; b++) {
      let sr = 0,
        si = 0;
      for (let a = 0; a < dA; a++) {
        const i0 = map[a],
          ib = map[b * dA + a];
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
          const i0 = map[a],
            ic = map[c * dA + a];
          lam.re[ic] = scale * (pr[i0] * gr[c] - pi[i0] * gi[c]);
          lam.im[ic] = scale * (pr[i0] * gi[c] + pi[i0] * gr[c]);
        }
      }
      for (let a = 0; a < dA; a++) {
        let sr = gr[0] * pr[map[a]],
          si = gr[0] * pi[map[a]];
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
      adjointGradient(
        this.circuit,
        this.params,
        psi,
        (phi, lam) => {
          const F = this.fidelityOfEncoded(phi, lam, w);
          total += F;
          return F;
        },
        { grad, work },
      );
    }
    return { meanFidelity: total / states.length, grad };
  }

  /**
   * Trains U(φ) with Adam to maximise the mean fidelity (Eq. 10) on `states`.
   * @returns the per-iteration history.
   * @throws Error for an unknown option or bad value, or an empty training set.
   */
  train(states: readonly Statevector[], options: Partial<QAETrainOptions> = {}): QAEHistoryRow[] {
    const where = "QuantumAutoencoder.train";
    const o = withDefaults(where, QAE_TRAIN_DEFAULTS, options);
    checkInt(where, "iterations", o.iterations, 0);
    if (o.batchSize !== null) checkInt(where, "batchSize", o.batchSize, 1);
    checkNumber(where, "lr", o.lr, 0);
    if (states.length === 0) throw new Error("QuantumAutoencoder.train: no training states");
    const ck = o.checkpoint === null ? null : checkCheckpointOptions(where, o.checkpoint);
    const opt = new Adam({ lr: o.lr, weightDecay: o.weightDecay });
    const sched = new StepLR({ stepSize: o.stepSize, gamma: o.gamma });
    const rng = toRng(o.seed);
    let history: QAEHistoryRow[] = [];
    let start = 0;
    // hashing the states and the initial parameters costs a pass over them: only with checkpoints
    const fingerprint =
      ck === null
        ? null
        : {
            trainer: "QuantumAutoencoder.train",
            states: hashNumbers(states.flatMap((x) => [x.re, x.im])),
            initialParams: hashNumbers([this.params]),
            batchSize: o.batchSize,
            lr: o.lr,
            weightDecay: o.weightDecay,
            stepSize: o.stepSize,
            gamma: o.gamma,
            seed: o.seed,
          };
    if (ck !== null) {
      const saved = resumeCheckpoint<QAEHistoryRow>(where, ck, fingerprint!, this.nParams, o.iterations);
      if (saved !== null) {
        opt.loadState(saved.adam);
        this.params.set(saved.params);
        history = saved.history;
        start = saved.iteration;
      }
    }
    optimise(this, {
      optimiser: opt,
      iterations: o.iterations,
      start,
      lrAt: (t) => sched.lrAt(t, o.lr),
      step: (t) => {
        let batch: readonly Statevector[] = states;
        if (o.batchSize !== null && o.batchSize < states.length) {
          batch = rng
            .fork(`qae-batch/${t}`)
            .sampleWithoutReplacement(states.length, o.batchSize)
            .map((i) => states[i]);
        }
        const { meanFidelity, grad } = this.fidelityAndGradient(batch);
        // maximise F: descend on −F
        for (let j = 0; j < grad.length; j++) grad[j] = -grad[j];
        return { loss: -meanFidelity, grad };
      },
      after: (t, done) => {
        const row = { iteration: t, lr: done.lr, batchFidelity: -done.loss };
        history.push(row);
        if (ck !== null && ((t + 1) % ck.every === 0 || t === o.iterations - 1)) {
          const run = { fingerprint: fingerprint!, params: this.params, optimiser: opt, history, elapsedMs: 0 };
          writeCheckpoint<QAEHistoryRow>(ck.path, { ...run, iteration: t + 1 });
        }
        o.onIteration?.(row);
      },
      name: where,
    });
    return history;
  }

  /** Number of encoder parameters (length of `params`). */
  get nParams(): number {
    return this.circuit.nParams;
  }

  /**
   * Pretraining on the trash-qubit objective of Romero et al. (2017): maximise the probability that the trash
   * qubits are in |0…0⟩, Tr[(I_A ⊗ |0⟩⟨0|_B) U ρ̄ U†], evaluated exactly on the `nEigen` leading eigenvectors of
   * the data's mean density matrix ρ̄ ({@link principalSubspace}) instead of on batches of states: a handful of
   * adjoint sweeps per step and no batch noise. That probability bounds the fidelity (F ≤ p per state, see
   * {@link encoderFidelityBounds}), and its landscape has poor local optima for a restricted ansatz, so
   * `restarts` initialisations (drawn as the constructor's: U[−initScale, initScale), or U[0, 2π) for null) are
   * trained and the best is kept in `params`. Follow with {@link QuantumAutoencoder.train} to fine-tune Eq. 10.
   * @returns every restart's final trash probability (normalised by the eigenvalues used), the best restart, and
   *   the best restart's curve.
   * @throws Error for an unknown option or bad value (quoted), or states on another register.
   */
  pretrainSubspace(
    states: readonly Statevector[],
    options: Partial<QAESubspaceOptions> = {},
  ): {
    restarts: { restart: number; trashProbability: number }[];
    best: number;
    curve: number[];
  } {
    const where = "QuantumAutoencoder.pretrainSubspace";
    const o = withDefaults(where, QAE_SUBSPACE_DEFAULTS, options);
    checkInt(where, "restarts", o.restarts, 1, 1000);
    checkInt(where, "iterations", o.iterations, 1);
    checkNumber(where, "lr", o.lr, 0);
    for (const s of states) this.check(s, where);
    const { values, vectors } = principalSubspace(states, Math.min(o.nEigen, 2 ** this.circuit.nQubits));
    const W = values.reduce((a, b) => a + b, 0),
      wts = values.map((v) => v / W);
    const keep = this.map.subarray(0, this.dA); // the indices with the trash qubits in |0…0⟩
    const work = adjointWorkspace(this.circuit.nQubits);
    const scale = this.options.initScale;
    const out: { restart: number; trashProbability: number }[] = [];
    let best = -1,
      bestP = -Infinity,
      bestParams = this.params,
      curve: number[] = [];
    for (let r = 0; r < o.restarts; r++) {
      const params =
        scale === null
          ? initParams(this.circuit.nParams, `${o.seed}/restart${r}`)
          : initParams(this.circuit.nParams, `${o.seed}/restart${r}`, -scale, scale);
      const opt = new Adam({ lr: o.lr });
      const sched = new StepLR({ stepSize: Math.max(1, Math.ceil(o.iterations / 3)), gamma: 0.5 });
      const mine: number[] = [];
      // the trash probability p of the current parameters and ∂(−p)/∂params (descend on −p)
      const objective = (): { p: number; grad: Float64Array } => {
        const grad = new Float64Array(this.circuit.nParams);
        let p = 0;
        vectors.forEach((v, k) => {
          adjointGradient(
            this.circuit,
            params,
            v,
            (phi, lam) => {
              lam.re.fill(0);
              lam.im.fill(0);
              let q = 0;
              for (const i of keep) {
                q += phi.re[i] * phi.re[i] + phi.im[i] * phi.im[i];
                lam.re[i] = -wts[k] * phi.re[i]; // descend on −p
                lam.im[i] = -wts[k] * phi.im[i];
              }
              p += wts[k] * q;
              return q;
            },
            { grad, work },
          );
        });
        mine.push(p);
        return { p, grad };
      };
      optimise(
        { params, nParams: this.circuit.nParams },
        {
          optimiser: opt,
          iterations: o.iterations,
          lrAt: (t) => sched.lrAt(t, o.lr),
          step: () => {
            const { p, grad } = objective();
            return { loss: -p, grad };
          },
          name: where,
        },
      );
      const p = objective().p; // after the last step
      out.push({ restart: r, trashProbability: p });
      o.onRestart?.({ restart: r, trashProbability: p });
      if (p > bestP) [best, bestP, bestParams, curve] = [r, p, params, mine];
    }
    this.params = bestParams;
    return { restarts: out, best, curve };
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
    if (rhoA.nQubits !== this.nLatent)
      throw new Error(`QuantumAutoencoder.decode: ρ_A has ${rhoA.nQubits} qubits, expected ${this.nLatent}`);
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

/** What {@link encoderFidelityBounds} returns. */
export interface EncoderFidelityBounds {
  /** Number of latent qubits k (the latent space has 2^k dimensions). */
  nLatent: number;
  /** No encoder of these states does better: mean F ≤ the sum of the 2^k largest eigenvalues of ρ̄. */
  upper: number;
  /** The ideal encoder (U maps the top-2^k eigenspace of ρ̄ onto latent ⊗ |0…0⟩) reaches at least mean p², p = ⟨ψ|P|ψ⟩. */
  lower: number;
  /** Eigenvalues of ρ̄ in decreasing order (the first 2^k + 4, or all if fewer). */
  eigenvalues: number[];
}

/**
 * Bounds on the mean fidelity (Eq. 10) of the best possible encoder of `states` into `nLatent` qubits, from the
 * mean density matrix ρ̄ = (1/m) Σ_i |ψ_i⟩⟨ψ_i| and the projector P onto its top-2^k eigenspace:
 *
 * - upper: F(ψ) = Σ_b |⟨a_0|a_b⟩|² ≤ ‖a_0‖² = ⟨ψ|U†(I_A ⊗ |0⟩⟨0|_B)U|ψ⟩, the weight of ψ in a 2^k-dimensional
 *   subspace, so mean F ≤ Tr(Q ρ̄) ≤ λ_1 + … + λ_{2^k} for any rank-2^k projector Q (Ky Fan's maximum principle);
 * - lower: an encoder with U†(I_A ⊗ |0⟩⟨0|)U = P has a_0 = the P-part of ψ, so F ≥ ‖a_0‖⁴ = p², mean F ≥ mean p².
 *
 * Cost: one dense eigendecomposition of a 2^n × 2^n matrix (n ≤ 10 is practical).
 * @param states - pure states on n qubits (n ≤ 10), at least one.
 * @param nLatent - latent qubits, integer in [1, n − 1].
 * @throws Error for an empty list, states of different sizes, more than 10 qubits or a bad nLatent (quoted).
 *
 * Source: Romero, Olson & Aspuru-Guzik, QST 2, 045001 (2017) (the QAE and its ideal compression); Ky Fan,
 * PNAS 35, 652 (1949).
 */
export function encoderFidelityBounds(states: readonly Statevector[], nLatent: number): EncoderFidelityBounds {
  const where = "encoderFidelityBounds";
  if (!Array.isArray(states) || states.length === 0)
    throw new Error(`${where}: states must be a non-empty array of Statevectors`);
  checkInt(where, "nLatent", nLatent, 1, states[0].nQubits - 1);
  const { values, vectors, all } = principalSubspace(states, 2 ** nLatent);
  let lower = 0;
  for (const s of states) {
    let p = 0;
    for (const v of vectors) {
      const [r, i] = v.inner(s);
      p += r * r + i * i;
    }
    lower += (p * p) / states.length;
  }
  return { nLatent, upper: values.reduce((a, b) => a + b, 0), lower, eigenvalues: all.slice(0, 2 ** nLatent + 4) };
}

/**
 * The `k` leading eigenvectors of the mean density matrix ρ̄ = (1/m) Σ_i |ψ_i⟩⟨ψ_i| of pure states on n ≤ 10
 * qubits (the principal subspace of the data), with their eigenvalues in decreasing order, and all eigenvalues.
 * @throws Error for an empty list, mixed sizes, more than 10 qubits or a bad k (quoted).
 */
export function principalSubspace(
  states: readonly Statevector[],
  k: number,
): { values: number[]; vectors: Statevector[]; all: number[] } {
  const where = "principalSubspace";
  if (!Array.isArray(states) || states.length === 0)
    throw new Error(`${where}: states must be a non-empty array of Statevectors`);
  const n = states[0].nQubits;
  if (n > 10) throw new Error(`${where}: at most 10 qubits (a dense 2^n × 2^n eigenproblem), got ${n}`);
  const d = 2 ** n;
  checkInt(where, "k", k, 1, d);
  const re = new Float64Array(d * d),
    im = new Float64Array(d * d),
    w = 1 / states.length;
  let complex = false;
  for (const s of states) {
    if (s.nQubits !== n) throw new Error(`${where}: all states must have ${n} qubits, got one with ${s.nQubits}`);
    if (!complex && s.im.some((v: number) => v !== 0)) complex = true;
    for (let j = 0; j < d; j++) {
      const ar = s.re[j],
        ai = s.im[j];
      if (ar === 0 && ai === 0) continue;
      for (let c = 0; c < d; c++) {
        // ρ[j][c] += ψ_j conj(ψ_c)
        re[j * d + c] += w * (ar * s.re[c] + ai * s.im[c]);
        im[j * d + c] += w * (ai * s.re[c] - ar * s.im[c]);
      }
    }
  }
  const eig = eigHermitian(d, re, complex ? im : null);
  const order = Array.from(eig.values.keys()).sort((a, b) => eig.values[b] - eig.values[a]);
  const top = order.slice(0, k);
  return {
    values: top.map((t) => eig.values[t]),
    vectors: top.map(
      (t) => new Statevector(n, Float64Array.from(eig.vectorsRe[t]), Float64Array.from(eig.vectorsIm[t])),
    ),
    all: order.map((t) => eig.values[t]),
  };
}
