// The whole-program WASM runner (src/sim/backends/wasmProgram.ts) against the per-gate paths it replaces (bitwise: same
// kernels, same matrices, same summation order) and against the plain reference simulator of the benchmark
// (bench/reference.ts, an independent route: unfused loops, textbook adjoint), to 1e-12.
import { describe, expect, it } from "vitest";
import { Circuit, Statevector, adjointGradient, expectationZ, hardwareEfficientAnsatz, param } from "qnn-kd";
import { weightedZCotangent } from "qnn-kd/sim";
import { ProgramRunner, ProgramRunnerOptions } from "../../src/sim/backends/wasmProgram";
import { activeBackend, setBackend } from "../../src/sim/backends/engine";
import { getWasmKernels } from "../../src/sim/backends/wasm";
import { referenceForward, referenceGradient } from "../../bench/reference";
import { Rng } from "../../src/util/rng";

const bits = (a: Float64Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length * 2));
const wasm = getWasmKernels() !== null;

function randomState(n: number, rng: Rng, real = false): Statevector {
  const dim = 2 ** n;
  return Statevector.fromAmplitudes(
    Array.from({ length: dim }, () => rng.normal()),
    Array.from({ length: dim }, () => (real ? 0 : rng.normal())),
    { normalize: true },
  );
}

/** A circuit with every op kind: fused blocks, fixed gates, controlled rotations, CNOT runs (merged into one
 * permutation), a single CNOT, CZ, SWAP, a shared parameter with scale and offset, and a block that is the identity. */
function mixedCircuit(n: number): Circuit {
  const c = hardwareEfficientAnsatz({ nQubits: n, nLayers: 2 });
  let p = c.nParams;
  if (n >= 2) {
    c.h(0).crz(0, 1, param(p++)).cnot(1, 0).ry(1, param(p++)).cz(0, 1);
    c.rx(0, param(0, -2, 0.3))
      .t(1)
      .s(1)
      .sdg(1)
      .swap(0, 1)
      .rz(0, param(p++))
      .x(0)
      .x(0);
  }
  if (n >= 3) c.cry(2, 0, param(p++)).crx(0, 2, param(1)).cnot(2, 1);
  c.rz(n - 1, 0.7)
    .rx(n - 1, param(p++))
    .h(n - 1)
    .h(n - 1);
  return c;
}

/** Runner expectations and gradient (mapped to params) for one input. */
function viaRunner(
  c: Circuit,
  params: Float64Array,
  psi: Statevector,
  readout: number[],
  w: number[],
  options: ProgramRunnerOptions = {},
) {
  const r = ProgramRunner.create(c.program(true), c.nQubits, c.nOccurrences, readout, options)!;
  r.setAngles(c.angles(params));
  const z = r.expectations(psi.re, psi.im);
  const dA = new Float64Array(c.nOccurrences);
  const value = r.gradient(w, dA);
  return { z, value, grad: c.accumulateParamGradient(dA, new Float64Array(c.nParams)) };
}

describe.skipIf(!wasm)("ProgramRunner (whole-program WASM sweeps)", () => {
  const cases: Array<[number, number[]]> = [
    [1, [0]],
    [2, [1, 0]],
    [3, [2]],
    [4, [0, 2, 3]],
    [6, [5, 0, 0, 3]],
    [10, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
  ];
  for (const [n, readout] of cases) {
    it(`n = ${n}, readout [${readout}]: logits bit-identical to Circuit.run + expectationZ; gradient bit-identical to adjointGradient (uncomputing) or to 1e-13 (checkpoints)`, () => {
      const prev = activeBackend();
      setBackend("wasm");
      try {
        const rng = new Rng(`runner-${n}`);
        const c = mixedCircuit(n);
        const params = Float64Array.from({ length: c.nParams }, () => rng.uniform(-Math.PI, Math.PI));
        for (const real of [false, true]) {
          const psi = randomState(n, rng, real);
          const w = readout.map(() => rng.normal());
          const zRef = expectationZ(c.run(params, psi.clone()), readout);
          const ref = adjointGradient(c, params, psi, weightedZCotangent(readout, w));
          const unc = viaRunner(c, params, psi, readout, w, { checkpointBytes: 0 });
          expect(bits(unc.z)).toEqual(bits(zRef));
          expect(bits(unc.grad)).toEqual(bits(ref.grad));
          expect(unc.value).toBe(ref.value);
          const ck = viaRunner(c, params, psi, readout, w);
          expect(bits(ck.z)).toEqual(bits(zRef));
          // forward only (no checkpoints written): the same bits; no gradient may follow
          const r = ProgramRunner.create(c.program(true), n, c.nOccurrences, readout)!;
          r.setAngles(c.angles(params));
          expect(bits(r.expectations(psi.re, psi.im, undefined, false))).toEqual(bits(zRef));
          expect(() => r.gradient(w, new Float64Array(c.nOccurrences))).toThrow(/call expectations\(\) first/);
          expect(ck.value).toBe(ref.value);
          for (let j = 0; j < ref.grad.length; j++) expect(Math.abs(ck.grad[j] - ref.grad[j])).toBeLessThan(1e-13);
        }
      } finally {
        setBackend(prev);
      }
    });
  }

  it("checkpoints are used when they fit the budget", () => {
    const c = hardwareEfficientAnsatz({ nQubits: 10, nLayers: 4 });
    // 40 parametric blocks + 4 permutations + the input = 45 states of 16 KiB
    expect(ProgramRunner.create(c.program(true), 10, c.nOccurrences, [0])!.checkpointed).toBe(true);
    expect(
      ProgramRunner.create(c.program(true), 10, c.nOccurrences, [0], { checkpointBytes: 45 * 16384 })!.checkpointed,
    ).toBe(true);
    expect(
      ProgramRunner.create(c.program(true), 10, c.nOccurrences, [0], { checkpointBytes: 45 * 16384 - 1 })!.checkpointed,
    ).toBe(false);
    expect(() => ProgramRunner.create(c.program(true), 10, c.nOccurrences, [0], { checkpointBytes: -1 })).toThrow(
      /checkpointBytes must be a number ≥ 0, got -1/,
    );
  });

  it("agrees with the plain reference simulator and finite differences (1e-12 / 1e-7)", () => {
    const rng = new Rng("runner-ref");
    const n = 5,
      readout = [0, 4, 2];
    const c = mixedCircuit(n);
    const params = Float64Array.from({ length: c.nParams }, () => rng.uniform(0, 2 * Math.PI));
    const psi = randomState(n, rng);
    const w = [0.4, -1.1, 0.25];
    for (const checkpointBytes of [0, undefined]) {
      const got = viaRunner(c, params, psi, readout, w, checkpointBytes === undefined ? {} : { checkpointBytes });
      const s = psi.clone();
      referenceForward(c, params, s.re, s.im);
      const zRef = expectationZ(s, readout);
      for (let k = 0; k < readout.length; k++) expect(Math.abs(got.z[k] - zRef[k])).toBeLessThan(1e-12);
      const gRef = referenceGradient(c, params, psi.re, psi.im, readout, w);
      for (let j = 0; j < gRef.length; j++) expect(Math.abs(got.grad[j] - gRef[j])).toBeLessThan(1e-12);
      // central differences of the runner's own value
      const r = ProgramRunner.create(c.program(true), n, c.nOccurrences, readout)!;
      const f = (p: Float64Array) => {
        r.setAngles(c.angles(p));
        const z = r.expectations(psi.re, psi.im);
        return z.reduce((acc, v, k) => acc + w[k] * v, 0);
      };
      const h = 1e-5;
      for (const j of [0, 3, c.nParams - 1]) {
        const pp = params.slice(),
          pm = params.slice();
        pp[j] += h;
        pm[j] -= h;
        expect(Math.abs((f(pp) - f(pm)) / (2 * h) - got.grad[j])).toBeLessThan(1e-7);
      }
    }
  });

  it("reuses its buffers across samples and angle changes (same bits as fresh runners)", () => {
    const rng = new Rng("runner-reuse");
    const n = 7,
      readout = [1, 6];
    const c = hardwareEfficientAnsatz({ nQubits: n, nLayers: 3 });
    for (const checkpointBytes of [0, undefined]) {
      const opts = checkpointBytes === undefined ? {} : { checkpointBytes };
      const r = ProgramRunner.create(c.program(true), n, c.nOccurrences, readout, opts)!;
      const dA = new Float64Array(c.nOccurrences);
      for (let rep = 0; rep < 3; rep++) {
        const params = Float64Array.from({ length: c.nParams }, () => rng.uniform(0, 2 * Math.PI));
        r.setAngles(c.angles(params));
        for (let b = 0; b < 3; b++) {
          const psi = randomState(n, rng);
          const w = [rng.normal(), rng.normal()];
          const z = r.expectations(psi.re, psi.im).slice();
          r.gradient(w, dA);
          const fresh = viaRunner(c, params, psi, readout, w, opts);
          expect(bits(z)).toEqual(bits(fresh.z));
          expect(bits(c.accumulateParamGradient(dA, new Float64Array(c.nParams)))).toEqual(bits(fresh.grad));
        }
      }
    }
  });

  it("bad calls throw errors that say what is wrong", () => {
    const c = hardwareEfficientAnsatz({ nQubits: 3, nLayers: 1 });
    expect(() => ProgramRunner.create(c.program(true), 3, c.nOccurrences, [3])).toThrow(
      /readout qubit 3 out of range 0..2/,
    );
    expect(() => ProgramRunner.create(c.program(true), 3, c.nOccurrences, [])).toThrow(/readout must not be empty/);
    const r = ProgramRunner.create(c.program(true), 3, c.nOccurrences, [0])!;
    expect(() => r.setAngles(new Float64Array(2))).toThrow(/expected 9 angles, got 2/);
    r.setAngles(new Float64Array(c.nOccurrences));
    expect(() => r.gradient([1], new Float64Array(c.nOccurrences))).toThrow(/call expectations\(\) first/);
    expect(() => r.expectations(new Float64Array(4), new Float64Array(4))).toThrow(/expected 8 amplitudes/);
    const psi = Statevector.zero(3);
    r.expectations(psi.re, psi.im);
    expect(() => r.gradient([1, 2], new Float64Array(c.nOccurrences))).toThrow(/expected 1 weights, got 2/);
    expect(() => r.gradient([1], new Float64Array(1))).toThrow(/dAngles must have length 9, got 1/);
  });
});
