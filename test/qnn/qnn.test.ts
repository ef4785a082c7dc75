// QNN layer: encoders against hand-written states, the ansatz's parameter count and layout, the classifier's
// loss gradient against finite differences (pure and mixed inputs), mixed-state tools, and the quantum
// autoencoder's closed-form fidelity against the explicit encode → decode route of Yan et al. Eq. 8–10.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import {
  twoQubitBlockAnsatz,
  twoQubitBlockParamCount,
  brickWallPairs,
  encoderFidelityBounds,
  principalSubspace,
} from "qnn-kd/qnn";
import {
  Circuit,
  Statevector,
  QNNClassifier,
  QuantumAutoencoder,
  hardwareEfficientAnsatz,
  hardwareEfficientParamCount,
  phaseEncode,
  angleEncode,
  amplitudeEncode,
  param,
} from "qnn-kd";
import { stateInput } from "qnn-kd/qnn";
import {
  partialTrace,
  fidelity,
  pureStateFidelity,
  stateFidelity,
  DensityMatrix,
  finiteDifferenceGradient,
} from "qnn-kd/sim";
import { Rng } from "../../src/util/rng";
import { randomState, ce } from "../helpers";

/**
 * 12 five-qubit states (|x⟩ on qubits 3, 4) ⊗ V|000⟩ on qubits 0..2, x random, V fixed rotations: they live in a
 * 2-qubit subspace, so an exact 5 → 2 encoder exists (one HEA layer can undo V).
 */
function subspaceStates(): Statevector[] {
  const rng = new Rng(4);
  const V = new Circuit(5).ry(0, 0.9).rx(1, -0.7).ry(2, 1.3).rz(2, 0.4);
  return Array.from({ length: 12 }, () => {
    const x = randomState(2, rng);
    const full = new Statevector(5, new Float64Array(32), new Float64Array(32));
    for (let a = 0; a < 4; a++) {
      full.re[a << 3] = x.re[a];
      full.im[a << 3] = x.im[a];
    }
    return V.run([], full);
  });
}

/** The autoencoder's mean-fidelity gradient `grad` equals central finite differences (step 1e-5) to 1e-7. */
function expectFiniteDifferences(qae: QuantumAutoencoder, states: Statevector[], grad: ArrayLike<number>): void {
  const p0 = qae.params.slice();
  const fd = finiteDifferenceGradient(
    (p) => {
      qae.params = p;
      const f = qae.meanFidelity(states);
      qae.params = p0;
      return f;
    },
    p0,
    1e-5,
  );
  for (let j = 0; j < grad.length; j++) expect(Math.abs(grad[j] - fd[j])).toBeLessThan(1e-7);
}

describe("encoders", () => {
  it("phase encoding gives |+⟩/|−⟩ products and matches H·RZ(π b) up to a global phase", () => {
    const s = phaseEncode([0, 1]);
    // qubit 0 |+⟩, qubit 1 |−⟩ : (|0⟩+|1⟩)(|0⟩−|1⟩)/2 → indices 0,1 positive, 2,3 negative
    expect(Array.from(s.re)).toEqual([0.5, 0.5, -0.5, -0.5].map((v) => expect.closeTo(v, 14)));
    const viaCircuit = new Circuit(3).h(0).h(1).h(2).rz(1, Math.PI).rz(2, Math.PI).run();
    expect(stateFidelity(phaseEncode([0, 1, 1]), viaCircuit)).toBeCloseTo(1, 14);
    expect(() => phaseEncode([0, 2])).toThrow(/bit 1 must be 0 or 1, got 2/);
  });
  it("angle encoding equals RY(x)|0⟩ per qubit", () => {
    const x = [0.3, -1.2, 2.5];
    const viaCircuit = new Circuit(3).ry(0, 0.3).ry(1, -1.2).ry(2, 2.5).run();
    expect(stateFidelity(angleEncode(x), viaCircuit)).toBeCloseTo(1, 14);
    const viaCircuitX = new Circuit(2).h(0).h(1).rz(0, 0.6).rz(1, 0.2).run();
    expect(stateFidelity(angleEncode([0.3, 0.1], { axis: "Z", scale: 2, hadamard: true }), viaCircuitX)).toBeCloseTo(
      1,
      14,
    );
  });
  it("amplitude encoding pads and normalises; bad inputs get clear errors", () => {
    const s = amplitudeEncode([3, 4, 0], 2);
    expect(Array.from(s.re)).toEqual([0.6, 0.8, 0, 0].map((v) => expect.closeTo(v, 14)));
    expect(amplitudeEncode(new Array(784).fill(1)).nQubits).toBe(10);
    expect(() => amplitudeEncode([0, 0])).toThrow(/all zeros/);
    expect(() => amplitudeEncode([1, NaN])).toThrow(/feature 1 is not finite/);
    expect(() => stateInput(new Statevector(1, Float64Array.of(1, 1), new Float64Array(2)))).toThrow(/not normalised/);
  });
});

describe("hardware-efficient ansatz", () => {
  it("has 3·n·L parameters in [layer][qubit][rotation] order", () => {
    const c = hardwareEfficientAnsatz({ nQubits: 4, nLayers: 3 });
    expect(c.nParams).toBe(36);
    expect(hardwareEfficientParamCount(4, 3)).toBe(36);
    const rots = c.ops.filter((o) => o.kind === "rot");
    // first layer, qubit 1, RY → index (0·4 + 1)·3 + 1 = 4
    const op = rots[4];
    expect(op.kind === "rot" && op.target === 1 && op.axis === 1 && op.angle.index === 4).toBe(true);
    expect(c.ops.filter((o) => o.kind === "cnot").length).toBe(9);
    expect(
      hardwareEfficientAnsatz({ nQubits: 4, nLayers: 1, entangler: "ring" }).ops.filter((o) => o.kind === "cnot")
        .length,
    ).toBe(4);
    expect(hardwareEfficientAnsatz({ nQubits: 3, nLayers: 2, rotations: ["Y"] }).nParams).toBe(6);
  });
  it("with finalRotationLayer has 3·n·(L + 1) parameters, the last rotation layer after the last entangler (MindQuantum's layout)", () => {
    const c = hardwareEfficientAnsatz({ nQubits: 4, nLayers: 3, finalRotationLayer: true });
    expect(c.nParams).toBe(48);
    expect(hardwareEfficientParamCount(4, 3, ["X", "Y", "Z"], true)).toBe(48);
    const lastCnot = c.ops.map((o) => o.kind).lastIndexOf("cnot");
    const tail = c.ops.slice(lastCnot + 1);
    expect(tail.length).toBe(12);
    // the final layer is layer index L = 3: qubit q, rotation r at (3·4 + q)·3 + r
    tail.forEach((o, k) =>
      expect(o.kind === "rot" && o.angle.index === 36 + k && o.target === Math.floor(k / 3) && o.axis === k % 3).toBe(
        true,
      ),
    );
    expect(hardwareEfficientAnsatz({ nQubits: 4, nLayers: 3, finalRotationLayer: false }).nParams).toBe(36);
    expect(() => hardwareEfficientAnsatz({ nQubits: 3, nLayers: 1, finalRotationLayer: 1 as never })).toThrow(
      /finalRotationLayer must be true or false, got 1/,
    );
  });
  it("2 qubits, RY only, 1 layer + final layer: ⟨Z_0⟩ = cos a·cos c − sin a·sin b·sin c (worked by hand)", () => {
    // RY(a) ⊗ RY(b) on |00⟩, CNOT 0 → 1, then RY(c) on qubit 0, RY(d) on qubit 1. Before the final layer qubit 0's
    // Bloch vector is (sin a · ⟨ψ_b|X|ψ_b⟩, 0, cos a) = (sin a·sin b, 0, cos a); RY(c) turns it in the x–z plane.
    const [a, b, c, d] = [0.7, -1.1, 2.3, 0.4];
    const model = QNNClassifier.hardwareEfficient({
      nQubits: 2,
      nLayers: 1,
      rotations: ["Y"],
      finalRotationLayer: true,
      readout: [0, 1],
      params: [a, b, c, d],
    });
    const z = model.expectations(Statevector.zero(2));
    expect(z[0]).toBeCloseTo(Math.cos(a) * Math.cos(c) - Math.sin(a) * Math.sin(b) * Math.sin(c), 12);
    // qubit 1 after the CNOT: ⟨Z_1⟩ = cos a·cos b, ⟨X_1⟩ = sin b (the control's populations leave X_1 alone)
    expect(z[1]).toBeCloseTo(Math.cos(a) * Math.cos(b) * Math.cos(d) - Math.sin(b) * Math.sin(d), 12);
  });
  it("with finalRotationLayer the classifier's loss gradient equals finite differences", () => {
    const rng = new Rng(9);
    const model = QNNClassifier.hardwareEfficient({
      nQubits: 3,
      nLayers: 2,
      finalRotationLayer: true,
      readout: [1, 2],
      seed: 3,
    });
    expect(model.params.length).toBe(27);
    const inputs = [randomState(3, rng), randomState(3, rng)];
    const labels = [1, 0];
    const { grad } = model.lossAndGradient(inputs, (z, i) => ce(z, labels[i]));
    const p0 = model.params.slice();
    const fd = finiteDifferenceGradient(
      (p) => {
        model.params = p;
        const l = model.logitsBatch(inputs).reduce((s, z, i) => s + ce(z, labels[i]).loss, 0) / inputs.length;
        model.params = p0;
        return l;
      },
      p0,
      1e-5,
    );
    for (let j = 0; j < grad.length; j++) expect(Math.abs(grad[j] - fd[j])).toBeLessThan(1e-7);
  });
  it("rejects unknown options and bad values", () => {
    expect(() => hardwareEfficientAnsatz({ nQubits: 3, nLayers: 1, depth: 2 } as never)).toThrow(
      /unknown option "depth"/,
    );
    expect(() => hardwareEfficientAnsatz({ nQubits: 3, nLayers: 0 })).toThrow(/nLayers must be an integer in \[1/);
    expect(() => hardwareEfficientAnsatz({ nQubits: 3, nLayers: 1, entangler: "star" as never })).toThrow(
      /entangler must be one of/,
    );
  });
});

describe("QNN classifier", () => {
  it("loss gradient equals finite differences for pure and mixed inputs", () => {
    const rng = new Rng(5);
    const model = QNNClassifier.hardwareEfficient({
      nQubits: 3,
      nLayers: 2,
      readout: [0, 2],
      seed: 1,
      logitScale: 2.5,
    });
    const pure = [randomState(3, rng), randomState(3, rng)];
    const mixed = { weights: Float64Array.of(0.7, 0.3), states: [randomState(3, rng), randomState(3, rng)] };
    const inputs = [pure[0], mixed, pure[1]];
    const labels = [0, 1, 1];
    const { loss, grad } = model.lossAndGradient(inputs, (z, i) => ce(z, labels[i]));
    const p0 = model.params.slice();
    const lossAt = (p: Float64Array) => {
      model.params = p;
      const l = model.logitsBatch(inputs).reduce((s, z, i) => s + ce(z, labels[i]).loss, 0) / inputs.length;
      model.params = p0;
      return l;
    };
    expect(loss).toBeCloseTo(lossAt(p0), 12);
    // logits are the scaled expectations
    const e = model.expectations(pure[0]),
      z = model.logits(pure[0]);
    expect(z[1]).toBeCloseTo(2.5 * e[1], 14);
    const fd = finiteDifferenceGradient(lossAt, p0, 1e-5);
    for (let j = 0; j < grad.length; j++) expect(Math.abs(grad[j] - fd[j])).toBeLessThan(1e-7);
  });
  it("checks inputs: wrong qubit count, wrong batch shape, unknown option", () => {
    const model = QNNClassifier.hardwareEfficient({ nQubits: 3, nLayers: 1 });
    expect(() => model.logits(Statevector.zero(2))).toThrow(/input state has 2 qubits but the model has 3/);
    expect(() => model.lossAndGradient([], () => ({ loss: 0, dLogits: new Float64Array(2) }))).toThrow(
      /non-empty array/,
    );
    expect(() => model.accuracy([Statevector.zero(3)], [0, 1])).toThrow(/1 inputs but 2 labels/);
    expect(() =>
      model.lossAndGradient([Statevector.zero(3)], () => ({ loss: 0, dLogits: new Float64Array(3) })),
    ).toThrow(/expected 2/);
    expect(() => new QNNClassifier({ circuit: new Circuit(2).rx(0, param(0)), readout: [0, 5] })).toThrow(
      /qubit 5 is out of range/,
    );
    expect(() => new QNNClassifier({ circuit: new Circuit(2), lr: 1 } as never)).toThrow(/unknown option "lr"/);
    expect(() => QNNClassifier.hardwareEfficient({ nQubits: 3, nLayers: 1, logitScale: 0 })).toThrow(
      /logitScale must be a finite number > 0, got 0/,
    );
    model.params[0] = NaN;
    expect(() => model.logits(Statevector.zero(3))).toThrow(/parameter 0 is not finite/);
  });
  it("identical inputs are simulated once and give the same loss and gradient as without deduplication", () => {
    const rng = new Rng(12);
    const model = QNNClassifier.hardwareEfficient({ nQubits: 4, nLayers: 2, seed: 4 });
    const a = phaseEncode([0, 1, 1, 0]),
      b = phaseEncode([1, 1, 0, 0]);
    const inputs = [a, b, phaseEncode([0, 1, 1, 0]), a, randomState(4, rng)];
    const labels = [0, 1, 1, 0, 1];
    const dedup = model.lossAndGradient(inputs, (z, i) => ce(z, labels[i]));
    // independent route: one sample at a time, averaged
    const ref = new Float64Array(model.nParams);
    let refLoss = 0;
    inputs.forEach((x, i) => {
      const r = model.lossAndGradient([x], (z) => ce(z, labels[i]));
      refLoss += r.loss / inputs.length;
      r.grad.forEach((g, j) => (ref[j] += g / inputs.length));
    });
    expect(dedup.loss).toBeCloseTo(refLoss, 13);
    for (let j = 0; j < ref.length; j++) expect(Math.abs(dedup.grad[j] - ref[j])).toBeLessThan(1e-13);
    const z = model.logitsBatch(inputs);
    expect(Array.from(z[2])).toEqual(Array.from(z[0]));
    expect(Array.from(z[1])).toEqual(Array.from(model.logits(b)));
  });
  it("same seed gives the same initial parameters, in [0, 2π)", () => {
    const a = QNNClassifier.hardwareEfficient({ nQubits: 3, nLayers: 2, seed: 42 });
    const b = QNNClassifier.hardwareEfficient({ nQubits: 3, nLayers: 2, seed: 42 });
    expect(Array.from(a.params)).toEqual(Array.from(b.params));
    expect(Math.min(...a.params)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a.params)).toBeLessThan(2 * Math.PI);
  });
});

describe("mixed states", () => {
  it("partial trace of a Bell pair is maximally mixed; of a product state is pure", () => {
    const bell = new Circuit(2).h(0).cnot(0, 1).run();
    const rho = partialTrace(bell, [1]);
    expect(Array.from(rho.re)).toEqual([0.5, 0, 0, 0.5].map((v) => expect.closeTo(v, 14)));
    const prod = new Circuit(3).ry(0, 0.4).h(2).run();
    expect(partialTrace(prod, [2, 0]).purity()).toBeCloseTo(1, 14);
    // keep order: qubit 2 becomes qubit 0 → state (|0⟩+|1⟩)/√2 ⊗ RY(0.4)|0⟩ with qubit 0 = |+⟩
    const r = partialTrace(prod, [2, 0]);
    expect(r.re[0 * 4 + 1]).toBeCloseTo(0.5 * Math.cos(0.2) ** 2, 12);
  });
  it("fidelity: pure-state formulas agree with the Uhlmann fidelity", () => {
    const rng = new Rng(9);
    const a = randomState(2, rng),
      b = randomState(2, rng);
    const ra = DensityMatrix.fromStatevector(a),
      rb = DensityMatrix.fromStatevector(b);
    // Uhlmann route: √ of rank-deficient matrices, so rounding eigenvalues ~1e-17 contribute ~1e-8
    expect(fidelity(ra, rb)).toBeCloseTo(stateFidelity(a, b), 6);
    expect(pureStateFidelity(a, rb)).toBeCloseTo(stateFidelity(a, b), 12);
    // maximally mixed vs any pure state on 1 qubit: F = 1/2
    const mm = partialTrace(new Circuit(2).h(0).cnot(0, 1).run(), [0]);
    expect(fidelity(mm, DensityMatrix.fromStatevector(randomState(1, rng)))).toBeCloseTo(0.5, 6);
    // ensemble reconstructs ρ
    const rho = partialTrace(randomState(4, rng), [0, 3]);
    const e = rho.toEnsemble();
    let tr = 0;
    for (const w of e.weights) tr += w;
    expect(tr).toBeCloseTo(1, 12);
  });
});

describe("quantum autoencoder", () => {
  it("closed-form fidelity equals the explicit encode → decode fidelity, and its gradient equals finite differences", () => {
    const rng = new Rng(2);
    const qae = new QuantumAutoencoder({ nQubits: 4, latentQubits: [0, 1], nLayers: 2, seed: 3 });
    const states = [randomState(4, rng), randomState(4, rng)];
    for (const s of states) expect(qae.fidelity(s)).toBeCloseTo(qae.fidelityViaDecode(s), 12);
    const { meanFidelity, grad } = qae.fidelityAndGradient(states);
    expect(meanFidelity).toBeCloseTo(qae.meanFidelity(states), 12);
    expectFiniteDifferences(qae, states, grad);
  });
  it("learns to compress states that live in a 2-qubit subspace", () => {
    // states (|x⟩ on qubits 3, 4) ⊗ V|000⟩ on qubits 0..2, V = fixed rotations: one HEA layer can undo V, and
    // its CNOT chain 0→1→2→3→4 then has |0⟩ controls on the trash, so an exact 5 → 2 encoder exists
    const states = subspaceStates();
    const qae = new QuantumAutoencoder({ nQubits: 5, latentQubits: [3, 4], nLayers: 1, seed: 1 });
    const before = qae.meanFidelity(states);
    qae.train(states, { iterations: 300, batchSize: null, lr: 0.05 });
    const after = qae.meanFidelity(states);
    expect(after).toBeGreaterThan(before);
    expect(after).toBeGreaterThan(0.99);
    expect(() => qae.train(states, { steps: 3 } as never)).toThrow(/unknown option "steps"/);
  });
  it("train resumes from its checkpoint bit for bit; a checkpoint of other settings restarts or throws", () => {
    const states = subspaceStates();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-qae-"));
    try {
      const opts = { iterations: 12, batchSize: 5, lr: 0.05, stepSize: 5, seed: 3 };
      const whole = new QuantumAutoencoder({ nQubits: 5, latentQubits: [3, 4], nLayers: 1, seed: 1 });
      const wholeHistory = whole.train(states, opts);
      // a run killed after 7 steps (checkpoint every 3: the file holds step 6), then resumed
      const file = path.join(dir, "qae.json");
      const killed = new QuantumAutoencoder({ nQubits: 5, latentQubits: [3, 4], nLayers: 1, seed: 1 });
      const stop = (row: { iteration: number }) => {
        if (row.iteration === 6) throw new Error("killed");
      };
      expect(() => killed.train(states, { ...opts, checkpoint: { path: file, every: 3 }, onIteration: stop })).toThrow(
        "killed",
      );
      expect(JSON.parse(fs.readFileSync(file, "utf8")).iteration).toBe(6);
      const resumed = new QuantumAutoencoder({ nQubits: 5, latentQubits: [3, 4], nLayers: 1, seed: 1 });
      const history = resumed.train(states, { ...opts, checkpoint: { path: file, every: 3 } });
      expect(Array.from(resumed.params)).toEqual(Array.from(whole.params));
      expect(history).toEqual(wholeHistory);
      // other settings: "error" throws naming the mismatch, "restart" trains from scratch
      const other = new QuantumAutoencoder({ nQubits: 5, latentQubits: [3, 4], nLayers: 1, seed: 1 });
      expect(() =>
        other.train(states, { ...opts, lr: 0.02, checkpoint: { path: file, every: 3, onMismatch: "error" } }),
      ).toThrow(/cannot resume from checkpoint .*settings differ/);
      expect(other.train(states, { ...opts, lr: 0.02, checkpoint: { path: file, every: 3 } })).toHaveLength(12);
      expect(() => other.train(states, { ...opts, checkpoint: { path: "", every: 3 } })).toThrow(
        /checkpoint.path must be a non-empty string/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it("two-qubit-block encoder: closed-form fidelity = decode route, adjoint gradient = finite differences", () => {
    const rng = new Rng(7);
    const qae = new QuantumAutoencoder({
      nQubits: 4,
      latentQubits: [0, 1],
      ansatz: "two-qubit-blocks",
      nLayers: 2,
      initScale: 0.7,
      seed: 5,
    });
    expect(qae.circuit.nParams).toBe(twoQubitBlockParamCount(4, 2));
    expect(qae.circuit.nParams).toBe(15 * 3); // (0,1),(2,3) then (1,2)
    expect(Array.from(qae.params).every((v) => Math.abs(v) <= 0.7)).toBe(true);
    const states = [randomState(4, rng), randomState(4, rng)];
    for (const s of states) expect(qae.fidelity(s)).toBeCloseTo(qae.fidelityViaDecode(s), 12);
    const { grad } = qae.fidelityAndGradient(states);
    expectFiniteDifferences(qae, states, grad);
    expect(() => new QuantumAutoencoder({ nQubits: 4, ansatz: "mps" as never })).toThrow(/ansatz/);
    expect(() => new QuantumAutoencoder({ nQubits: 4, initScale: -1 })).toThrow(/initScale/);
  });
  it("two-qubit block: zero angles give SWAP; random angles give a unitary that is not a product (entangling)", () => {
    expect(brickWallPairs(7, 2)).toEqual([
      [
        [0, 1],
        [2, 3],
        [4, 5],
      ],
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
    ]);
    const c = twoQubitBlockAnsatz({ nQubits: 2, nLayers: 1 });
    const basis = (i: number) => {
      const s = new Statevector(2, new Float64Array(4), new Float64Array(4));
      s.re[i] = 1;
      return s;
    };
    const swapped = c.run(new Float64Array(15), basis(1)); // |q0 = 1⟩ → |q1 = 1⟩ (index 2)
    expect(swapped.re[2]).toBeCloseTo(1, 12);
    expect(() => twoQubitBlockAnsatz({ nQubits: 1, nLayers: 1 })).toThrow(/at least 2 qubits/);
  });
  it("encoderFidelityBounds: exact for states in a 2-qubit subspace; principalSubspace = hand-made ρ̄", () => {
    // |ψ⟩ = a|00⟩|0⟩ + b|11⟩|0⟩ type states span 2 dimensions: any 1-qubit latent ideal encoder reaches F = 1
    const st = [0.3, 1.1, 2.0].map(
      (t) => new Statevector(3, Float64Array.from([Math.cos(t), 0, 0, 0, 0, 0, 0, Math.sin(t)]), new Float64Array(8)),
    );
    const b = encoderFidelityBounds(st, 1);
    expect(b.upper).toBeCloseTo(1, 12);
    expect(b.lower).toBeCloseTo(1, 12);
    const sub = principalSubspace(st, 2);
    expect(sub.values[0] + sub.values[1]).toBeCloseTo(1, 12);
    expect(sub.vectors[0].re[1] ** 2 + sub.vectors[0].re[2] ** 2).toBeCloseTo(0, 12);
    // ρ̄ of |0⟩|+⟩ and |1⟩|+⟩ has two equal eigenvalues 1/2
    const p = [0, 1].map(
      (a) =>
        new Statevector(
          2,
          Float64Array.from(a === 0 ? [Math.SQRT1_2, 0, Math.SQRT1_2, 0] : [0, Math.SQRT1_2, 0, Math.SQRT1_2]),
          new Float64Array(4),
        ),
    );
    expect(
      principalSubspace(p, 1)
        .all.slice(0, 2)
        .map((v) => +v.toFixed(12)),
    ).toEqual([0.5, 0.5]);
    expect(() => encoderFidelityBounds([], 1)).toThrow(/non-empty/);
    expect(() => encoderFidelityBounds(st, 3)).toThrow(/nLatent/);
  });
  it("pretrainSubspace keeps the best restart and reaches the exact 5 → 2 encoder of states in a 2-qubit subspace", () => {
    const states = subspaceStates();
    const qae = new QuantumAutoencoder({ nQubits: 5, latentQubits: [3, 4], nLayers: 1, initScale: 0.5, seed: 1 });
    const r = qae.pretrainSubspace(states, { restarts: 3, iterations: 200, lr: 0.05, nEigen: 4 });
    expect(r.restarts).toHaveLength(3);
    expect(r.restarts[r.best].trashProbability).toBe(Math.max(...r.restarts.map((x) => x.trashProbability)));
    expect(r.curve[r.curve.length - 1]).toBe(r.restarts[r.best].trashProbability);
    expect(qae.meanFidelity(states)).toBeGreaterThan(0.99);
    expect(() => qae.pretrainSubspace(states, { restart: 2 } as never)).toThrow(/unknown option "restart"/);
  });
});
