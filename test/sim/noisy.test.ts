// Noise channels and the noisy executors against independent references: a dense density-matrix simulator written
// here (full 2^n × 2^n matrices, ρ ↦ Σ_k K ρ K† with every gate and Kraus operator embedded by brute force), the
// closed forms of the channels (Nielsen & Chuang §8.3), the statevector (zero noise), finite differences and the
// parameter-shift rule (gradients), and the density matrix itself (trajectories, within their standard error).
import { describe, expect, it } from "vitest";
import { Circuit, NoiseModel, Rng, Statevector, depolarizing, expectationZ, param } from "qnn-kd";
import {
  DensityMatrix,
  ONE_QUBIT_GATES,
  amplitudeDamping,
  bitFlip,
  circuitFromJSON,
  circuitToJSON,
  densityAdjoint,
  densityExpectationZ,
  densityProbabilities,
  finiteDifferenceGradient,
  krausChannel,
  marginalProbabilities,
  phaseDamping,
  phaseFlip,
  readoutError,
  readoutZ,
  rotationMatrix,
  runDensity,
  runTrajectory,
  shiftRuleJacobian,
  shotExpectationZ,
  superoperator,
  tensorChannel,
  tracePreservationError,
  trajectoryExpectationZ,
} from "qnn-kd/sim";
import type { Channel } from "../../src/sim/noise/channels";
import type { GateOp } from "../../src/sim/program/circuit";
import { lightCone } from "../../src/sim/program/lightcone";
import { activeBackend, setBackend } from "../../src/sim/backends/engine";
import { randomState } from "../helpers";

type C = [number, number];
type Dense = C[][];

const zeros = (d: number): Dense => Array.from({ length: d }, () => Array.from({ length: d }, () => [0, 0] as C));
const mul = (a: Dense, b: Dense): Dense => {
  const d = a.length,
    out = zeros(d);
  for (let i = 0; i < d; i++)
    for (let k = 0; k < d; k++) {
      const [xr, xi] = a[i][k];
      if (xr === 0 && xi === 0) continue;
      for (let j = 0; j < d; j++) {
        out[i][j][0] += xr * b[k][j][0] - xi * b[k][j][1];
        out[i][j][1] += xr * b[k][j][1] + xi * b[k][j][0];
      }
    }
  return out;
};
const dag = (a: Dense): Dense => a.map((row, i) => row.map((_, j) => [a[j][i][0], -a[j][i][1]] as C));
/** A local d × d matrix (interleaved, local bit j = qubit qs[j]) embedded in n qubits by brute force. */
function embed(n: number, qs: readonly number[], m: ArrayLike<number>): Dense {
  const D = 2 ** qs.length;
  const d = 2 ** n;
  const out = zeros(d);
  let mask = 0;
  for (const q of qs) mask |= 1 << q;
  const local = (i: number) => qs.reduce((s, q, j) => s | (((i >> q) & 1) << j), 0);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      if ((i & ~mask) !== (j & ~mask)) continue;
      const a = local(i),
        b = local(j);
      out[i][j] = [m[2 * (a * D + b)], m[2 * (a * D + b) + 1]];
    }
  return out;
}
/** The local matrix of a controlled 2×2 gate on [target, ...controls]. */
function controlled(u: ArrayLike<number>, nc: number): Float64Array {
  const D = 2 ** (nc + 1);
  const m = new Float64Array(2 * D * D);
  for (let a = 0; a < D; a++)
    for (let b = 0; b < D; b++) {
      const ctrlOn = b >> 1 === (D >> 1) - 1;
      if (a >> 1 !== b >> 1) continue;
      if (!ctrlOn) {
        if (a === b) m[2 * (a * D + b)] = 1;
        continue;
      }
      m[2 * (a * D + b)] = u[2 * (2 * (a & 1) + (b & 1))];
      m[2 * (a * D + b) + 1] = u[2 * (2 * (a & 1) + (b & 1)) + 1];
    }
  return m;
}
const X = [0, 0, 1, 0, 1, 0, 0, 0],
  Z = [1, 0, 0, 0, 0, 0, -1, 0];
/** Reference: ρ through every recorded op of `c`, by dense matrices. */
function referenceDensity(c: Circuit, params: ArrayLike<number>, rho0: Dense): Dense {
  const angles = c.angles(params),
    n = c.nQubits;
  let rho = rho0;
  const unitary = (U: Dense) => {
    rho = mul(mul(U, rho), dag(U));
  };
  for (const op of c.ops as GateOp[]) {
    if (op.kind === "channel") {
      const terms = op.channel.kraus.map((K) => embed(n, op.qubits, K));
      const next = zeros(2 ** n);
      for (const K of terms) {
        const t = mul(mul(K, rho), dag(K));
        t.forEach((row, i) =>
          row.forEach((v, j) => {
            next[i][j][0] += v[0];
            next[i][j][1] += v[1];
          }),
        );
      }
      rho = next;
    } else if (op.kind === "cnot") unitary(embed(n, [op.target, op.control], controlled(X, 1)));
    else if (op.kind === "cz") unitary(embed(n, [op.b, op.a], controlled(Z, 1)));
    else if (op.kind === "swap") {
      const cx = (a: number, b: number) => embed(n, [b, a], controlled(X, 1));
      unitary(mul(cx(op.a, op.b), mul(cx(op.b, op.a), cx(op.a, op.b))));
    } else {
      const u = op.kind === "fixed" ? op.matrix : rotationMatrix(op.axis, angles[op.occ]);
      unitary(embed(n, [op.target, ...op.controls], controlled(u, op.controls.length)));
    }
  }
  return rho;
}
const pureDense = (s: Statevector): Dense =>
  Array.from({ length: s.dim }, (_, i) =>
    Array.from(
      { length: s.dim },
      (_, j) => [s.re[i] * s.re[j] + s.im[i] * s.im[j], s.im[i] * s.re[j] - s.re[i] * s.im[j]] as C,
    ),
  );
function maxDiff(rho: DensityMatrix, ref: Dense): number {
  let e = 0;
  ref.forEach((row, i) =>
    row.forEach((v, j) => {
      e = Math.max(e, Math.abs(rho.re[i * rho.dim + j] - v[0]), Math.abs(rho.im[i * rho.dim + j] - v[1]));
    }),
  );
  return e;
}

/** A 3-qubit circuit with every gate kind, shared and scaled parameters, and every channel kind. */
function noisyCircuit(): Circuit {
  return new Circuit(3)
    .h(0)
    .rx(1, param(0))
    .channel(depolarizing(0.05), 0)
    .channel(amplitudeDamping(0.2), 1)
    .cnot(0, 1)
    .channel(depolarizing(0.03, 2), [0, 1])
    .ry(2, param(1, -2, 0.3))
    .channel(phaseDamping(0.3), 2)
    .crx(2, 0, param(2))
    .channel(bitFlip(0.1), 0)
    .cz(1, 2)
    .rz(1, param(0))
    .channel(phaseFlip(0.07), 1)
    .swap(0, 2)
    .ry(0, param(3))
    .s(1)
    .channel(amplitudeDamping(0.4), 0)
    .cry(0, 1, param(4))
    .t(2)
    .cnot(2, 1)
    .cnot(1, 0);
}
const PARAMS = Float64Array.of(0.7, -1.1, 0.4, 2.2, -0.6);

describe("channels", () => {
  it("every built-in Kraus set is trace preserving; the superoperators match the closed forms", () => {
    const all: Channel[] = [
      depolarizing(0.1),
      depolarizing(0.2, 2),
      amplitudeDamping(0.3),
      phaseDamping(0.4),
      bitFlip(0.2),
      phaseFlip(0.6),
    ];
    for (const ch of all) expect(tracePreservationError(ch.kraus)).toBeLessThan(1e-15);
    expect(depolarizing(0.2, 2).kraus).toHaveLength(16);
    // ρ = random 1-qubit state through depolarizing(p): (1 − 4p/3)ρ + (4p/3)·I/2 (N&C Eq. 8.102)
    const s = randomState(1, new Rng(1)),
      p = 0.3;
    const rho = runDensity(new Circuit(1).channel(depolarizing(p), 0), [], s);
    const r0 = DensityMatrix.fromStatevector(s),
      f = 1 - (4 * p) / 3;
    for (let i = 0; i < 4; i++) {
      const diag = i === 0 || i === 3 ? (1 - f) / 2 : 0;
      expect(rho.re[i]).toBeCloseTo(f * r0.re[i] + diag, 14);
      expect(rho.im[i]).toBeCloseTo(f * r0.im[i], 14);
    }
    // amplitude damping of |1⟩: diag(γ, 1 − γ); phase damping scales the coherence by √(1 − λ)
    const ad = runDensity(new Circuit(1).x(0).channel(amplitudeDamping(0.25), 0));
    expect(densityProbabilities(ad)[0]).toBeCloseTo(0.25, 15);
    expect(densityProbabilities(ad)[1]).toBeCloseTo(0.75, 15);
    const plus = runDensity(new Circuit(1).h(0).channel(phaseDamping(0.36), 0));
    expect(plus.re[1]).toBeCloseTo(0.5 * 0.8, 14);
    // two-qubit depolarizing of |00⟩: (1 − 16p/15)|00⟩⟨00| + (16p/15)·I/4
    const p2 = 0.15,
      d2 = densityProbabilities(runDensity(new Circuit(2).channel(depolarizing(p2, 2), [0, 1])));
    expect(d2[0]).toBeCloseTo(1 - (16 * p2) / 15 + (4 * p2) / 15, 14);
    expect(d2[3]).toBeCloseTo((4 * p2) / 15, 14);
    // superoperator of the identity channel is the identity
    const S = superoperator(krausChannel([Float64Array.of(1, 0, 0, 0, 0, 0, 1, 0)]));
    for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) expect(S[2 * (4 * a + b)]).toBe(a === b ? 1 : 0);
  });
  it("tensorChannel(a, b) acts as a on the first qubit and b on the second", () => {
    const a = amplitudeDamping(0.3),
      b = phaseFlip(0.2),
      psi = randomState(2, new Rng(8));
    const both = runDensity(new Circuit(2).channel(tensorChannel(a, b), [0, 1]), [], psi);
    const apart = runDensity(new Circuit(2).channel(a, 0).channel(b, 1), [], psi);
    for (let i = 0; i < 16; i++) expect(both.re[i]).toBeCloseTo(apart.re[i], 14);
    // the executor applies the factors one by one; the dense reference uses the 4 Kraus products
    const c = new Circuit(3).h(0).cnot(0, 2).channel(tensorChannel(a, b), [2, 0]).ry(1, param(0)).cnot(1, 2);
    expect(
      maxDiff(
        runDensity(c, [0.8], randomState(3, new Rng(9))),
        referenceDensity(c, [0.8], pureDense(randomState(3, new Rng(9)))),
      ),
    ).toBeLessThan(1e-14);
    expect(tensorChannel(bitFlip(0.1), phaseFlip(0.2)).mixture).toHaveLength(4);
    expect(() => tensorChannel(depolarizing(0.1, 2), a)).toThrow(/both channels must act on one qubit/);
  });
  it("bad probabilities and non-trace-preserving Kraus sets are clear errors", () => {
    expect(() => depolarizing(1.5)).toThrow(/depolarizing: p must be a probability in \[0, 1\], got 1.5/);
    expect(() => amplitudeDamping(-0.1)).toThrow(/gamma .* got -0.1/);
    expect(() => phaseDamping(NaN)).toThrow(/lambda/);
    expect(() => bitFlip(2)).toThrow(/bitFlip/);
    expect(() => readoutError(0.1, 1.2)).toThrow(/p10 .* got 1.2/);
    expect(() => depolarizing(0.1, 3 as 2)).toThrow(/nQubits must be 1 or 2, got 3/);
    expect(() => krausChannel([Float64Array.of(1, 0, 0, 0, 0, 0, 0.9, 0)], { name: "leaky" })).toThrow(
      /leaky: not trace preserving: max \|Σ K†K − I\| = 1\.900e-1/,
    );
    expect(() => krausChannel([new Float64Array(6)])).toThrow(/8 \(one qubit\) or 32/);
    expect(() => new Circuit(2).channel(depolarizing(0.1, 2), 0)).toThrow(/acts on 2 qubit\(s\)/);
    expect(() => new Circuit(2).channel(depolarizing(0.1), 2)).toThrow(/qubit/);
  });
});

describe("density-matrix executor", () => {
  it("matches the dense reference on a circuit with every gate and channel kind (pure, mixed and ensemble inputs)", () => {
    const c = noisyCircuit();
    const psi = randomState(3, new Rng(4));
    expect(maxDiff(runDensity(c, PARAMS, psi), referenceDensity(c, PARAMS, pureDense(psi)))).toBeLessThan(1e-13);
    const a = randomState(3, new Rng(5)),
      b = randomState(3, new Rng(6));
    const ens = { weights: Float64Array.of(0.3, 0.7), states: [a, b] };
    const ref0 = pureDense(a).map((row, i) =>
      row.map((v, j) => [0.3 * v[0] + 0.7 * pureDense(b)[i][j][0], 0.3 * v[1] + 0.7 * pureDense(b)[i][j][1]] as C),
    );
    expect(maxDiff(runDensity(c, PARAMS, ens), referenceDensity(c, PARAMS, ref0))).toBeLessThan(1e-13);
    const rho = runDensity(c, PARAMS, ens);
    expect(rho.trace()).toBeCloseTo(1, 13);
    expect(
      maxDiff(runDensity(c, PARAMS, rho), referenceDensity(c, PARAMS, referenceDensity(c, PARAMS, ref0))),
    ).toBeLessThan(1e-13);
  });
  it("one-qubit depolarising channels merged past one-qubit gates (an optimisation) leave state and gradient exact", () => {
    const c = new Circuit(2)
      .rx(0, param(0))
      .channel(depolarizing(0.1), 0)
      .ry(0, param(1))
      .channel(depolarizing(0.2), 0)
      .channel(phaseDamping(0.3), 0)
      .rz(0, param(2))
      .channel(depolarizing(0.05), 0)
      .crx(0, 1, param(0))
      .channel(depolarizing(0.3), 1)
      .h(1)
      .channel(depolarizing(0.1), 1);
    const x = Float64Array.of(0.3, -0.9, 1.4),
      psi = randomState(2, new Rng(3));
    expect(maxDiff(runDensity(c, x, psi), referenceDensity(c, x, pureDense(psi)))).toBeLessThan(1e-14);
    const r = densityAdjoint(c, x, psi, [0, 1], () => [1, -2]);
    const fd = finiteDifferenceGradient(
      (p) => {
        const z = densityExpectationZ(runDensity(c, p, psi), [0, 1]);
        return z[0] - 2 * z[1];
      },
      x,
      1e-5,
    );
    for (let j = 0; j < 3; j++) expect(r.grad[j]).toBeCloseTo(fd[j], 8);
    // a Kraus channel that only CALLS itself depolarizing is not merged or given the fast kernel
    const fake = krausChannel(amplitudeDamping(0.3).kraus, { name: "depolarizing", params: { p: 0.1 } });
    const f = new Circuit(1).rx(0, param(0)).channel(fake, 0).ry(0, param(1));
    expect(
      maxDiff(runDensity(f, [0.4, 0.9]), referenceDensity(f, [0.4, 0.9], pureDense(Statevector.zero(1)))),
    ).toBeLessThan(1e-14);
  });
  it("zero noise gives the statevector's numbers; the noise model with p = 0 adds no channels", () => {
    const c = new Circuit(4)
      .h(0)
      .rx(1, param(0))
      .cnot(0, 1)
      .cnot(1, 2)
      .crz(2, 3, param(1))
      .ry(3, param(2))
      .swap(0, 3)
      .cz(1, 3);
    const p = Float64Array.of(0.3, 1.7, -0.8),
      psi = randomState(4, new Rng(9));
    const sv = c.run(p, psi.clone());
    const rho = runDensity(c, p, psi);
    expect(maxDiff(rho, pureDense(sv))).toBeLessThan(1e-14);
    expect(NoiseModel.depolarizing(0).apply(c).hasChannels).toBe(false);
    const explicit = NoiseModel.depolarizing(1e-300).apply(c);
    expect(explicit.hasChannels).toBe(true);
    const z = densityExpectationZ(runDensity(explicit, p, psi), [0, 1, 2, 3]);
    const ref = expectationZ(sv, [0, 1, 2, 3]);
    for (let k = 0; k < 4; k++) expect(z[k]).toBeCloseTo(ref[k], 14);
  });
  it("the WebAssembly and TypeScript back ends give the same density matrix, gradient and trajectory", () => {
    const c = noisyCircuit(),
      psi = randomState(3, new Rng(21)),
      w = [0.3, -1, 0.6];
    const before = activeBackend();
    try {
      setBackend("ts");
      const ts = runDensity(c, PARAMS, psi),
        gts = densityAdjoint(c, PARAMS, psi, [0, 1, 2], () => w).grad;
      const tts = runTrajectory(c, PARAMS, psi, new Rng("same"));
      setBackend("auto");
      const auto = runDensity(c, PARAMS, psi),
        gauto = densityAdjoint(c, PARAMS, psi, [0, 1, 2], () => w).grad;
      const tauto = runTrajectory(c, PARAMS, psi, new Rng("same"));
      for (let i = 0; i < 8; i++)
        expect(Math.abs(tauto.re[i] - tts.re[i]) + Math.abs(tauto.im[i] - tts.im[i])).toBeLessThan(1e-14);
      for (let i = 0; i < ts.re.length; i++)
        expect(Math.abs(auto.re[i] - ts.re[i]) + Math.abs(auto.im[i] - ts.im[i])).toBeLessThan(1e-14);
      for (let j = 0; j < gts.length; j++) expect(gauto[j]).toBeCloseTo(gts[j], 13);
    } finally {
      setBackend(before);
    }
  });
  it("runs 11 qubits (4^11 amplitudes) with unit trace", () => {
    const c = NoiseModel.depolarizing(0.01, 0.02).apply(new Circuit(11).h(0).cnot(0, 1).ry(10, param(0)).cnot(9, 10));
    const rho = runDensity(c, [0.4]);
    expect(rho.trace()).toBeCloseTo(1, 12);
    expect(densityExpectationZ(rho, [10])[0]).toBeCloseTo(
      (1 - (4 * 0.01) / 3) * (1 - (16 * 0.02) / 15) * Math.cos(0.4),
      12,
    );
    expect(() => runDensity(new Circuit(14).channel(depolarizing(0.1), 0))).toThrow(
      /at most 13 qubits .* got 14; use trajectories/,
    );
  });
  it("statevector paths reject a noisy circuit, naming the channel", () => {
    const c = new Circuit(2).h(0).channel(amplitudeDamping(0.1), 0);
    expect(() => c.run()).toThrow(
      /Circuit.run: noise channel amplitude damping\(gamma=0.1\) on qubit 0 cannot act on a statevector/,
    );
  });
  it("noisy circuits round-trip through JSON and keep their channels in the light cone", () => {
    const c = noisyCircuit();
    const back = circuitFromJSON(JSON.parse(JSON.stringify(circuitToJSON(c))));
    expect(maxDiff(runDensity(back, PARAMS), referenceDensity(c, PARAMS, pureDense(Statevector.zero(3))))).toBeLessThan(
      1e-13,
    );
    expect(back.ops.filter((o) => o.kind === "channel")).toHaveLength(7);
    const lc = lightCone(
      new Circuit(3).h(0).channel(depolarizing(0.2), 0).channel(depolarizing(0.2), 2).cnot(0, 1),
      [1],
    );
    expect(lc.circuit.ops.filter((o) => o.kind === "channel")).toHaveLength(1);
  });
});

describe("gradients under noise", () => {
  const w = Float64Array.of(0.7, -1.3, 0.4);
  const loss = (c: Circuit, x: ArrayLike<number>) => {
    const z = densityExpectationZ(runDensity(c, x), [0, 1, 2]);
    return w[0] * z[0] + w[1] * z[1] + w[2] * z[2];
  };
  it("the density-matrix adjoint matches central finite differences and the parameter-shift rule", () => {
    const c = noisyCircuit();
    const r = densityAdjoint(c, PARAMS, Statevector.zero(3), [0, 1, 2], () => w);
    const fd = finiteDifferenceGradient((x) => loss(c, x), PARAMS, 1e-5);
    for (let j = 0; j < PARAMS.length; j++) expect(r.grad[j]).toBeCloseTo(fd[j], 8);
    const rho0 = DensityMatrix.fromStatevector(Statevector.zero(3));
    const jac = shiftRuleJacobian(c, PARAMS, (angles) => {
      // the circuit at given occurrence angles: a copy whose occurrences read their own parameter
      const z = densityExpectationZ(runDensity(withOccurrenceParams(c), angles, rho0), [0, 1, 2]);
      return Float64Array.of(w[0] * z[0] + w[1] * z[1] + w[2] * z[2]);
    });
    for (let j = 0; j < PARAMS.length; j++) expect(jac[j][0]).toBeCloseTo(r.grad[j], 12);
    expect(r.checkpoints).toBe(0);
  });
  it("strong and non-invertible noise (γ = 1, fully depolarising) switches to stored states and stays exact", () => {
    const c = new Circuit(2)
      .rx(0, param(0))
      .channel(amplitudeDamping(1), 0)
      .ry(0, param(1))
      .cnot(0, 1)
      .channel(depolarizing(0.75), 1)
      .rx(1, param(2))
      .channel(depolarizing(0.7, 2), [0, 1])
      .ry(1, param(0));
    const x = Float64Array.of(0.4, 1.2, -0.5);
    const r = densityAdjoint(c, x, Statevector.zero(2), [0, 1], () => Float64Array.of(1, 0.5));
    expect(r.checkpoints).toBeGreaterThanOrEqual(2);
    const fd = finiteDifferenceGradient(
      (p) => {
        const z = densityExpectationZ(runDensity(c, p), [0, 1]);
        return z[0] + 0.5 * z[1];
      },
      x,
      1e-5,
    );
    for (let j = 0; j < 3; j++) expect(r.grad[j]).toBeCloseTo(fd[j], 8);
  });
  it("adds into a given accumulator and rejects weights of the wrong length", () => {
    const c = noisyCircuit(),
      g = new Float64Array(PARAMS.length).fill(1);
    const r = densityAdjoint(c, PARAMS, Statevector.zero(3), [0, 1, 2], () => w, { grad: g });
    const fresh = densityAdjoint(c, PARAMS, Statevector.zero(3), [0, 1, 2], () => w);
    for (let j = 0; j < g.length; j++) expect(r.grad[j]).toBeCloseTo(1 + fresh.grad[j], 14);
    expect(() => densityAdjoint(c, PARAMS, Statevector.zero(3), [0, 1], () => [1])).toThrow(
      /weights must have 2 entries, got 1/,
    );
    expect(() => densityAdjoint(c, PARAMS, Statevector.zero(3), [3], () => [1])).toThrow(/densityExpectationZ: .*3/);
  });
});

/** A copy of `c` whose k-th rotation occurrence reads params[k] (so angles can be passed as parameters). */
function withOccurrenceParams(c: Circuit): Circuit {
  const out = new Circuit(c.nQubits);
  for (const op of c.ops) {
    if (op.kind === "rot") out.rot(op.axis, op.target, param(op.occ), op.controls);
    else if (op.kind === "fixed") out.unitary(op.target, op.matrix, op.controls, op.name);
    else if (op.kind === "cnot") out.cnot(op.control, op.target);
    else if (op.kind === "cz") out.cz(op.a, op.b);
    else if (op.kind === "swap") out.swap(op.a, op.b);
    else out.channel(op.channel, op.qubits);
  }
  return out;
}

describe("quantum trajectories", () => {
  it("converge to the density matrix within 4 standard errors (mixtures and general Kraus channels)", () => {
    const c = noisyCircuit();
    const psi = randomState(3, new Rng(12));
    const exact = densityExpectationZ(runDensity(c, PARAMS, psi), [0, 1, 2]);
    const est = trajectoryExpectationZ(c, PARAMS, psi, [0, 1, 2], { trajectories: 4000, seed: 3 });
    for (let k = 0; k < 3; k++) {
      expect(est.stderr[k]).toBeGreaterThan(0);
      expect(Math.abs(est.mean[k] - exact[k])).toBeLessThan(4 * est.stderr[k]);
    }
    const marg = marginalProbabilities(densityProbabilities(runDensity(c, PARAMS, psi)), [0, 1, 2]);
    for (let i = 0; i < 8; i++) expect(Math.abs(est.marginal[i] - marg[i])).toBeLessThan(0.03);
  });
  it("are seeded: the same seed gives the same numbers, a trajectory stays normalised", () => {
    const c = noisyCircuit();
    const a = trajectoryExpectationZ(c, PARAMS, Statevector.zero(3), [0], { trajectories: 50, seed: "s" });
    const b = trajectoryExpectationZ(c, PARAMS, Statevector.zero(3), [0], { trajectories: 50, seed: "s" });
    expect(Array.from(a.mean)).toEqual(Array.from(b.mean));
    const t = runTrajectory(c, PARAMS, Statevector.zero(3), new Rng(1));
    expect(t.probabilities().reduce((s, p) => s + p, 0)).toBeCloseTo(1, 13);
    expect(() => trajectoryExpectationZ(c, PARAMS, Statevector.zero(3), [0], { trajectories: 0, seed: 1 })).toThrow(
      /trajectories must be an integer in \[1, 1e7\], got 0/,
    );
  });
  it("run beyond the density matrix's limit (16 qubits) and agree with the closed form", () => {
    const p1 = 0.1,
      p2 = 0.2,
      th = 0.7;
    const c = NoiseModel.depolarizing(p1, p2).apply(new Circuit(16).h(0).ry(15, param(0)).cnot(15, 14).cnot(0, 1));
    const est = trajectoryExpectationZ(c, [th], Statevector.zero(16), [15], { trajectories: 300, seed: 4 });
    const exact = (1 - (4 * p1) / 3) * (1 - (16 * p2) / 15) * Math.cos(th);
    expect(est.stderr[0]).toBeGreaterThan(0);
    expect(Math.abs(est.mean[0] - exact)).toBeLessThan(4 * est.stderr[0]);
  });
  it("zero noise: every trajectory is the statevector", () => {
    const c = new Circuit(3).h(0).cnot(0, 1).ry(2, param(0)).channel(depolarizing(0), 1);
    const t = runTrajectory(c, [0.3], Statevector.zero(3), new Rng(0));
    const sv = new Circuit(3).h(0).cnot(0, 1).ry(2, param(0)).run([0.3]);
    for (let i = 0; i < 8; i++) expect(t.re[i]).toBeCloseTo(sv.re[i], 15);
  });
});

describe("noise model", () => {
  it("attaches channels after matching gates; local errors replace all-qubit ones; readout precedence", () => {
    const c = new Circuit(3).h(0).rx(1, param(0)).cnot(0, 1).cz(1, 2).crz(0, 2, param(1));
    const m = new NoiseModel()
      .addAllQubitQuantumError(depolarizing(0.01), ONE_QUBIT_GATES)
      .addAllQubitQuantumError(depolarizing(0.02, 2), ["cnot", "crz"])
      .addQuantumError(amplitudeDamping(0.1), "rx", [1])
      .addAllQubitReadoutError(readoutError(0.02, 0.05))
      .addReadoutError(readoutError(0.1), 2);
    const noisy = m.apply(c);
    const kinds = noisy.ops.map((o) => (o.kind === "channel" ? `${o.channel.name}@${o.qubits.join(",")}` : o.kind));
    expect(kinds).toEqual([
      "fixed",
      "depolarizing@0",
      "rot",
      "amplitude damping@1",
      "cnot",
      "depolarizing@0,1",
      "cz",
      "rot",
      "depolarizing@0,2",
    ]);
    expect(noisy.nParams).toBe(2);
    expect(m.readoutError(0)).toEqual({ p01: 0.02, p10: 0.05 });
    expect(m.readoutError(2)).toEqual({ p01: 0.1, p10: 0.1 });
    expect(m.describe().map((r) => r.gate)).toContain("measure");
    expect(new NoiseModel().isIdeal).toBe(true);
  });
  it("rejects unknown gates and channels of the wrong size", () => {
    expect(() => new NoiseModel().addAllQubitQuantumError(depolarizing(0.1), ["cnot"])).toThrow(
      /acts on 1 qubit\(s\) but gate cx on 2/,
    );
    expect(() => new NoiseModel().addAllQubitQuantumError(depolarizing(0.1), ["u3"])).toThrow(
      /unknown gate "u3"; allowed: h, x/,
    );
    expect(() => new NoiseModel().addQuantumError(depolarizing(0.1), ["rx"], [0, 1])).toThrow(
      /acts on 1 qubit\(s\), got qubits \[0,1\]/,
    );
    expect(() =>
      new NoiseModel().addQuantumError(depolarizing(0.1), ["rx"], [5]).apply(new Circuit(2).rx(0, 0.1)),
    ).toThrow(/names qubit 5 but the circuit has 2 qubits/);
  });
});

describe("finite shots and readout error", () => {
  it("shot estimates of ⟨Z⟩ fall within 4 binomial standard errors; readout error is the affine map", () => {
    const c = NoiseModel.depolarizing(0.02).apply(new Circuit(3).ry(0, param(0)).cnot(0, 1).rx(2, param(1)));
    const rho = runDensity(c, [1.1, -0.4]);
    const exact = densityExpectationZ(rho, [0, 2]);
    const marg = marginalProbabilities(densityProbabilities(rho), [0, 2]);
    const shots = 20000;
    const z = shotExpectationZ(marg, shots, 7);
    for (let k = 0; k < 2; k++)
      expect(Math.abs(z[k] - exact[k])).toBeLessThan(4 * Math.sqrt((1 - exact[k] ** 2) / shots));
    const e = readoutError(0.05, 0.12);
    const zr = shotExpectationZ(marg, shots, 8, [e, null]);
    const want = readoutZ(e, exact[0]);
    expect(Math.abs(zr[0] - want)).toBeLessThan(4 * Math.sqrt((1 - want ** 2) / shots));
    expect(Array.from(shotExpectationZ(marg, 100, "x"))).toEqual(Array.from(shotExpectationZ(marg, 100, "x")));
    expect(() => shotExpectationZ(marg, 0, 1)).toThrow(/shots must be an integer in \[1, 1e8\], got 0/);
  });
});
