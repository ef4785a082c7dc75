// QCNN (Cong, Choi & Lukin 2019) and TTN classifiers: layouts, parameter and gate counts counted by hand, the
// pooling checked against its definition (measure the discarded qubit, rotate its partner by the outcome: the
// deferred-measurement principle), and gradients through QNNClassifier against finite differences and the
// parameter-shift rule (four-term rule for the pooling's controlled rotations).
import { describe, expect, it } from "vitest";
import {
  appendTfqTwoQubitUnitary,
  appendTwoQubitBlock,
  hierarchicalLayers,
  qcnnAnsatz,
  qcnnReadout,
  ttnAnsatz,
  ttnReadout,
} from "../../src/qnn";
import { QNNClassifier } from "../../src/qnn/classifier";
import { Circuit } from "../../src/sim/program/circuit";
import { circuitStats } from "../../src/sim";
import { Statevector, expectationZ } from "../../src/sim/state/statevector";
import { finiteDifferenceGradient } from "../../src/sim/grad/finiteDifference";
import { parameterShiftJacobian } from "../../src/sim/grad/parameterShift";
import { crossEntropy } from "../../src/kd/losses";
import { randomState } from "../helpers";
import { Rng } from "../../src/util/rng";

const angles = (n: number, rng: Rng) => Float64Array.from({ length: n }, () => rng.uniform(0, 2 * Math.PI));

describe("hierarchical layouts", () => {
  it("halve the register pair by pair down to nKeep, keeping the second qubit of each pair", () => {
    const l15 = hierarchicalLayers(15, 2);
    expect(l15.layers.map((l) => l.active.length)).toEqual([15, 8, 4]);
    expect(l15.layers[0].pools[0]).toEqual([0, 1]);
    expect(l15.kept).toEqual([7, 14]);
    expect(hierarchicalLayers(8, 1).kept).toEqual([7]);
    expect(hierarchicalLayers(3, 2)).toEqual({ layers: [{ active: [0, 1, 2], pools: [[0, 1]] }], kept: [1, 2] });
    expect(qcnnReadout({ nQubits: 7 })).toEqual([3, 6]); // 7 → 4 ([1, 3, 5, 6]) → 2
    expect(ttnReadout({ nQubits: 8, nKeep: 1 })).toEqual([7]);
  });

  it("circuitStats: gates, two-qubit gates and depths of a small circuit, by hand", () => {
    const c = new Circuit(3).h(0).cnot(0, 1).rz(2, 0.1).cnot(1, 2).crx(0, 2, 0.3);
    // h(0) 1; cnot(0,1) 2; rz(2) 1; cnot(1,2) 3; crx(0→2) 4 — two-qubit gates alone: 1, 2, 3
    expect(circuitStats(c)).toEqual({ nParams: 0, gates: 5, twoQubitGates: 3, depth: 4, twoQubitDepth: 3 });
  });

  it("QCNN on 15 qubits: parameters, two-qubit gates, by hand", () => {
    // shared: 3 layers × (2 sublayers × 15 + 4 pooling) + a final block of 15
    expect(qcnnAnsatz({ nQubits: 15 }).nParams).toBe(3 * (2 * 15 + 4) + 15);
    // blocks per layer (A + B sublayers): 7 + 7, 4 + 3, 2 + 1, then the final block; pools 7, 4, 2
    const blocks = 14 + 7 + 3 + 1,
      pools = 7 + 4 + 2;
    const own = qcnnAnsatz({ nQubits: 15, shareParameters: false });
    expect(own.nParams).toBe(15 * blocks + 4 * pools);
    const st = circuitStats(own);
    expect(st.twoQubitGates).toBe(3 * blocks + 4 * pools); // 3 CNOTs per block, 4 controlled rotations per pool
    expect(circuitStats(qcnnAnsatz({ nQubits: 15 })).twoQubitGates).toBe(st.twoQubitGates);
    expect(st.twoQubitDepth).toBeLessThan(st.twoQubitGates / 3); // layers run their blocks side by side
    // TensorFlow Quantum's pooling: 6 angles and 1 CNOT per pool
    const tfq = qcnnAnsatz({ nQubits: 15, shareParameters: false, pooling: "tfq" });
    expect(tfq.nParams).toBe(15 * blocks + 6 * pools);
    expect(circuitStats(tfq).twoQubitGates).toBe(3 * blocks + pools);
  });

  it("QCNN with TFQ's convolution block: 15 angles and 6 CNOTs per block, the final block of the same kind", () => {
    const blocks = 14 + 7 + 3 + 1,
      pools = 7 + 4 + 2;
    const own = qcnnAnsatz({ nQubits: 15, shareParameters: false, convolution: "tfq" });
    expect(own.nParams).toBe(15 * blocks + 4 * pools);
    expect(circuitStats(own).twoQubitGates).toBe(6 * blocks + 4 * pools);
    expect(qcnnAnsatz({ nQubits: 15, convolution: "tfq" }).nParams).toBe(3 * (2 * 15 + 4) + 15);
  });

  it("TTN: one block per pair per level (and one on two roots)", () => {
    expect(ttnAnsatz({ nQubits: 8, nKeep: 1 }).nParams).toBe(15 * (4 + 2 + 1));
    expect(ttnAnsatz({ nQubits: 8 }).nParams).toBe(15 * (4 + 2 + 1));
    expect(ttnAnsatz({ nQubits: 15 }).nParams).toBe(15 * (7 + 4 + 2 + 1));
    expect(circuitStats(ttnAnsatz({ nQubits: 15 })).twoQubitGates).toBe(3 * 14);
  });

  it("reject bad options with the value", () => {
    expect(() => qcnnAnsatz({ nQubits: 1 })).toThrow(/at least 2 qubits, got nQubits = 1/);
    expect(() => qcnnAnsatz({ nQubits: 6, nKeep: 3 })).toThrow(/nKeep must be an integer in \[1, 2\]/);
    expect(() => qcnnAnsatz({ nQubits: 6, stride: 2 } as never)).toThrow(/unknown option "stride"/);
    expect(() => qcnnAnsatz({ nQubits: 6, pooling: "max" as never })).toThrow(/pooling must be one of/);
    expect(() => qcnnAnsatz({ nQubits: 6, convolution: "cong" as never })).toThrow(/convolution must be one of/);
    expect(() => ttnAnsatz({ nQubits: 6, nKeep: 0 })).toThrow(/nKeep/);
  });
});

describe("TFQ's two_qubit_unitary against its definition by 4 × 4 matrices", () => {
  // complex 4 × 4 matrices as [re, im] pairs, index = bit(a) + 2·bit(b) with a = qubit 0, b = qubit 1
  type C = [number, number];
  type M4 = C[][];
  const mul = (x: C, y: C): C => [x[0] * y[0] - x[1] * y[1], x[0] * y[1] + x[1] * y[0]];
  const mm = (A: M4, B: M4): M4 =>
    A.map((row) =>
      B[0].map((_, j) =>
        row.reduce<C>(
          (s, a, k) => {
            const p = mul(a, B[k][j]);
            return [s[0] + p[0], s[1] + p[1]];
          },
          [0, 0],
        ),
      ),
    );
  const P: Record<string, C[][]> = {
    X: [
      [
        [0, 0],
        [1, 0],
      ],
      [
        [1, 0],
        [0, 0],
      ],
    ],
    Y: [
      [
        [0, 0],
        [0, -1],
      ],
      [
        [0, 1],
        [0, 0],
      ],
    ],
    Z: [
      [
        [1, 0],
        [0, 0],
      ],
      [
        [0, 0],
        [-1, 0],
      ],
    ],
    I: [
      [
        [1, 0],
        [0, 0],
      ],
      [
        [0, 0],
        [1, 0],
      ],
    ],
  };
  const kron = (B: C[][], A: C[][]): M4 =>
    // B on qubit 1 (high bit), A on qubit 0
    Array.from({ length: 4 }, (_, i) => Array.from({ length: 4 }, (_, j) => mul(B[i >> 1][j >> 1], A[i & 1][j & 1])));
  const expm = (G: M4, t: number): M4 =>
    // exp(−i t/2 G) for G² = 1
    G.map((row, i) =>
      row.map((g, j) => [(i === j ? Math.cos(t / 2) : 0) + Math.sin(t / 2) * g[1], -Math.sin(t / 2) * g[0]]),
    );
  const on = (q: number, A: C[][]) => (q === 0 ? kron(P.I, A) : kron(A, P.I));

  it("equals RX·RY·RZ per qubit, exp(−iθ/2 ZZ), exp(−iθ/2 YY), exp(−iθ/2 XX), RX·RY·RZ per qubit", () => {
    const rng = new Rng(5);
    const theta = angles(15, rng);
    const c = new Circuit(2);
    appendTfqTwoQubitUnitary(c, 0, 1, 0);
    const steps: M4[] = [];
    const xyz = (q: number, k: number) =>
      ["X", "Y", "Z"].forEach((ax, i) => steps.push(expm(on(q, P[ax]), theta[k + i])));
    xyz(0, 0);
    xyz(1, 3);
    ["Z", "Y", "X"].forEach((ax, i) => steps.push(expm(kron(P[ax], P[ax]), theta[6 + i])));
    xyz(0, 9);
    xyz(1, 12);
    const U = steps.reduce((acc, g) => mm(g, acc));
    const psi = randomState(2, rng);
    const out = psi.clone();
    c.run(theta, out);
    for (let i = 0; i < 4; i++) {
      const v = U[i].reduce<C>(
        (s, u, j) => {
          const p = mul(u, [psi.re[j], psi.im[j]]);
          return [s[0] + p[0], s[1] + p[1]];
        },
        [0, 0],
      );
      expect(out.re[i]).toBeCloseTo(v[0], 12);
      expect(out.im[i]).toBeCloseTo(v[1], 12);
    }
  });
});

describe("QCNN pooling = measure the discarded qubit, rotate its partner by the outcome", () => {
  it("on 2 qubits: ⟨Z_1⟩ of the circuit equals the sum over measurement outcomes", () => {
    const rng = new Rng(11);
    const c = qcnnAnsatz({ nQubits: 2, nKeep: 1 }); // block (0,1), pool 0 → 1, RZ·RY·RZ on 1
    const theta = angles(c.nParams, rng);
    const psi = randomState(2, rng);
    const z1 = (s: Statevector) => expectationZ(s, [1])[0];
    const out = psi.clone();
    c.run(theta, out);
    // reference: the block, then a projective measurement of qubit 0 and, per outcome m, RX·RZ on qubit 1
    const block = new Circuit(2);
    appendTwoQubitBlock(block, 0, 1, 0);
    const afterBlock = psi.clone();
    block.run(theta.slice(0, 15), afterBlock);
    let expected = 0;
    for (const m of [0, 1]) {
      const branch = afterBlock.clone();
      for (let i = 0; i < 4; i++) {
        if ((i & 1) === m) continue; // project qubit 0 on m
        branch.re[i] = 0;
        branch.im[i] = 0;
      }
      const rot = new Circuit(2).rz(1, theta[15 + 2 * m]).rx(1, theta[16 + 2 * m]);
      rot.rz(1, theta[19]).ry(1, theta[20]).rz(1, theta[21]); // the final layer
      rot.run([], branch);
      expected += z1(branch); // unnormalised branch: its ⟨Z_1⟩ is weighted by the outcome's probability
    }
    expect(z1(out)).toBeCloseTo(expected, 12);
  });
});

describe("gradients through QNNClassifier", () => {
  for (const [name, circuit, readout] of [
    ["QCNN, 5 qubits, shared", qcnnAnsatz({ nQubits: 5 }), qcnnReadout({ nQubits: 5 })],
    ["QCNN, 4 qubits, own angles", qcnnAnsatz({ nQubits: 4, shareParameters: false }), qcnnReadout({ nQubits: 4 })],
    ["QCNN, 5 qubits, TFQ pooling", qcnnAnsatz({ nQubits: 5, pooling: "tfq" }), qcnnReadout({ nQubits: 5 })],
    ["QCNN, 4 qubits, TFQ convolution", qcnnAnsatz({ nQubits: 4, convolution: "tfq" }), qcnnReadout({ nQubits: 4 })],
    ["TTN, 4 qubits", ttnAnsatz({ nQubits: 4 }), ttnReadout({ nQubits: 4 })],
  ] as const) {
    it(`${name}: the loss gradient equals finite differences; ⟨Z⟩'s equals the parameter-shift rule`, () => {
      const rng = new Rng(3);
      const model = new QNNClassifier({ circuit, readout: [...readout], seed: 2 });
      const inputs = [randomState(circuit.nQubits, rng), randomState(circuit.nQubits, rng)];
      const labels = [0, 1];
      const { grad } = model.lossAndGradient(inputs, (z, i) => crossEntropy(z, labels[i]));
      const p0 = model.params.slice();
      const loss = (p: Float64Array) => {
        model.params = p;
        const l = model.logitsBatch(inputs).reduce((s, z, i) => s + crossEntropy(z, labels[i]).loss, 0) / 2;
        model.params = p0;
        return l;
      };
      const fd = finiteDifferenceGradient(loss, p0, 1e-5);
      for (let j = 0; j < grad.length; j++) expect(Math.abs(grad[j] - fd[j])).toBeLessThan(1e-7);
      // the parameter-shift Jacobian of ⟨Z⟩ on the readout equals finite differences of ⟨Z⟩
      const zOf = (s: Statevector) => expectationZ(s, readout);
      const jac = parameterShiftJacobian(circuit, p0, inputs[0], zOf);
      const zAt = (p: Float64Array, k: number) => {
        const s = inputs[0].clone();
        circuit.run(p, s);
        return zOf(s)[k];
      };
      for (let k = 0; k < readout.length; k++) {
        const fdk = finiteDifferenceGradient((p) => zAt(p, k), p0, 1e-5);
        for (let j = 0; j < p0.length; j++) expect(Math.abs(jac[j][k] - fdk[j])).toBeLessThan(1e-7);
      }
    });
  }
});
