/**
 * Executors for noisy circuits (circuits with noise channels, `channels.ts`): an exact density-matrix simulator
 * with adjoint gradients, and seeded quantum trajectories (Monte-Carlo wavefunction) for larger registers.
 *
 * **Density matrices by vectorisation.** The n-qubit density matrix ρ, stored row-major (`density.ts`: entry
 * (r, c) at index r·2^n + c), is a vector of 4^n amplitudes over 2n "qubits": bits 0…n−1 of the index are the
 * column c, bits n…2n−1 the row r. A gate ρ ↦ UρU† is then U on qubits q + n (rows) and conj(U) on qubits q
 * (columns): two statevector passes with the existing kernels, fused blocks, merged CNOT/SWAP permutations and
 * the adjoint steps of `ops.ts`. Conjugated rotations are rotations again (conj R_X(θ) = R_X(−θ),
 * conj R_Y(θ) = R_Y(θ), conj R_Z(θ) = R_Z(−θ)), so the column half reads its own copy of the angles with signs.
 * A channel Σ_k K_k ρ K_k† on k qubits is its superoperator S = Σ_k K_k ⊗ conj(K_k), a 4^k × 4^k matrix on the
 * 2k qubits (q…, q + n…) (Wood, Biamonte & Cory 2015, Eq. 2.9, for row-major vec). Memory: 16·4^n bytes per
 * state (n = 10: 16 MiB), so the natural limit of n qubits is a statevector of 2n qubits; up to 13 qubits.
 *
 * **Adjoint gradients** ({@link densityAdjoint}). L = Tr(Oρ_out) = Re⟨⟨O|vec ρ_out⟩⟩ for O = Σ_k w_k Z_{q_k} is a
 * real linear function of the vectorised state, so adjoint differentiation (Jones & Gacon 2020) applies with the
 * cotangent λ = vec(O)/2: one forward sweep, then one backward sweep that pulls λ back through each step
 * (λ ← S†λ for a channel) and uncomputes the state. Unitary steps are uncomputed exactly. A channel's step is
 * uncomputed by its inverse superoperator S⁻¹ while the product of ‖S⁻¹‖_∞ since the last stored state stays
 * below {@link CHECKPOINT_GROWTH} (errors stay at rounding × that bound); otherwise (strong or non-invertible
 * noise, e.g. amplitude damping with γ = 1) the forward sweep stores the state before the channel and the
 * backward sweep restores it. Channel parameters are not differentiated.
 *
 * **Trajectories** ({@link runTrajectory}, {@link trajectoryExpectationZ}). Each trajectory runs the circuit on
 * a statevector; at a channel it picks Kraus branch k with probability p_k = ‖K_kψ‖² (from the reduced density
 * matrix of the channel's qubits, one pass) and applies K_k/√p_k; for a mixture of unitaries p_k is fixed and no
 * pass is needed (Dalibard, Castin & Mølmer 1992; Qiskit Aer's statevector method with noise). The mean of an
 * observable over trajectories converges to the density matrix's value with standard error σ/√T.
 *
 * **Back ends.** On the WebAssembly back end (up to 11 qubits) the gate steps run on the per-gate WASM kernels of
 * `ops.ts` in the engine's arena and the channel steps on the TypeScript kernels over views of the same memory, so
 * no state is copied between them; trajectories run the same way. Otherwise everything runs on the TypeScript
 * kernels. Both give the same numbers to rounding (`test/sim/noisy.test.ts` compares them).
 *
 * @packageDocumentation
 */
import { Circuit, checkParams } from "../program/circuit";
import { Statevector, checkQubit, expectationZ } from "../state/statevector";
import { DensityMatrix, Ensemble } from "../state/density";
import { BlockGate, ProgramOp, WasmOpContext, gateKind, makeBlock, opKind } from "../program/ops";
import { applyDepolarizingVectorised, applyMat2, applyMatrix, linearPermutation } from "../backends/kernels";
import { holdArena, wasmStepContext } from "../backends/engine";
import { marginalProbabilities } from "../state/measure";
import { Channel, depolarizing } from "./channels";
import { Rng, toRng } from "../../util/rng";

/** Largest register the density-matrix executor takes (4^13 amplitudes = 1 GiB per state). */
export const MAX_DENSITY_QUBITS = 13;

/**
 * Largest growth factor (product of ‖S⁻¹‖_∞ of the channels uncomputed since the last stored state) the adjoint
 * sweep allows before it stores a state instead (module doc).
 */
export const CHECKPOINT_GROWTH = 1e4;

/** A channel as a step of the vectorised program: its superoperator S, S† and S⁻¹ on the 2k qubits `qubits`. */
interface SuperopStep {
  type: "superop";
  qubits: number[];
  S: Float64Array;
  Sdag: Float64Array;
  /** null when S is singular (not invertible). */
  Sinv: Float64Array | null;
  /** ‖S⁻¹‖_∞ (Infinity when singular). */
  invNorm: number;
  /**
   * For a depolarising channel (S = f·Id + (1 − f)·P, P(ρ) = Tr_Q ρ ⊗ I/2^k, checked against S): f and the channel's
   * qubits, applied by the one-pass kernel `applyDepolarizingVectorised` instead of the dense S (S† = S, S⁻¹: 1/f).
   */
  depolarizing: { f: number; qubits: number[] } | null;
}

/** A step of the vectorised program: a unitary op of `ops.ts` on 2n qubits, or a channel's superoperator. */
type DensityStep = ProgramOp | SuperopStep;

/** The vectorised program of a circuit (module doc). */
interface DensityProgram {
  n: number;
  steps: DensityStep[];
  /** The unitary steps alone (their WASM tables are prepared before a run). */
  gates: ProgramOp[];
  /** Per gate occurrence: +1 for R_Y, −1 for R_X and R_Z (conj R(θ) = R(sign·θ)). */
  signs: Float64Array;
}

const cache = new WeakMap<Circuit, { nOps: number; program: DensityProgram }>();

/** @throws Error unless the circuit has 1…13 qubits. */
function checkDensitySize(where: string, circuit: Circuit): void {
  if (circuit.nQubits > MAX_DENSITY_QUBITS) {
    throw new Error(
      `${where}: the density-matrix executor takes at most ${MAX_DENSITY_QUBITS} qubits (16·4^n bytes per state), got ${circuit.nQubits}; use trajectories for larger registers`,
    );
  }
}

function conjMatrix(m: Float64Array): Float64Array {
  const c = m.slice();
  for (let i = 1; i < c.length; i += 2) c[i] = -c[i];
  return c;
}

/**
 * The superoperator S = Σ_k K_k ⊗ conj(K_k) of a channel on the vectorised state (module doc), as a 4^k × 4^k
 * matrix (interleaved row-major, `kernels.applyMatrix` layout) on the local qubits (columns of the channel's
 * qubits, then rows): S[(c′ + D·r′), (c + D·r)] = Σ_k K_k[r′, r]·conj(K_k[c′, c]), D = 2^k.
 */
export function superoperator(ch: Channel): Float64Array {
  const D = 1 << ch.nQubits,
    N = D * D;
  const S = new Float64Array(2 * N * N);
  for (const K of ch.kraus) {
    for (let r1 = 0; r1 < D; r1++)
      for (let r = 0; r < D; r++) {
        const ar = K[2 * (r1 * D + r)],
          ai = K[2 * (r1 * D + r) + 1];
        if (ar === 0 && ai === 0) continue;
        for (let c1 = 0; c1 < D; c1++)
          for (let c = 0; c < D; c++) {
            const br = K[2 * (c1 * D + c)],
              bi = -K[2 * (c1 * D + c) + 1];
            const o = 2 * ((c1 + D * r1) * N + (c + D * r));
            S[o] += ar * br - ai * bi;
            S[o + 1] += ar * bi + ai * br;
          }
      }
  }
  return S;
}

function conjTranspose(m: Float64Array, N: number): Float64Array {
  const t = new Float64Array(m.length);
  for (let a = 0; a < N; a++)
    for (let b = 0; b < N; b++) {
      t[2 * (b * N + a)] = m[2 * (a * N + b)];
      t[2 * (b * N + a) + 1] = -m[2 * (a * N + b) + 1];
    }
  return t;
}

/** The inverse of a complex N × N matrix (Gauss–Jordan with partial pivoting), or null when it is singular. */
function inverse(m: Float64Array, N: number): Float64Array | null {
  const a = m.slice(),
    inv = new Float64Array(2 * N * N);
  for (let i = 0; i < N; i++) inv[2 * (i * N + i)] = 1;
  let scale = 0;
  for (let i = 0; i < N * N; i++) scale = Math.max(scale, Math.hypot(m[2 * i], m[2 * i + 1]));
  for (let col = 0; col < N; col++) {
    let piv = col,
      best = 0;
    for (let r = col; r < N; r++) {
      const v = Math.hypot(a[2 * (r * N + col)], a[2 * (r * N + col) + 1]);
      if (v > best) {
        best = v;
        piv = r;
      }
    }
    if (!(best > 1e-12 * scale)) return null;
    if (piv !== col) {
      for (const x of [a, inv])
        for (let c = 0; c < N; c++) {
          for (let h = 0; h < 2; h++) {
            const t = x[2 * (col * N + c) + h];
            x[2 * (col * N + c) + h] = x[2 * (piv * N + c) + h];
            x[2 * (piv * N + c) + h] = t;
          }
        }
    }
    const pr = a[2 * (col * N + col)],
      pi = a[2 * (col * N + col) + 1],
      d = pr * pr + pi * pi;
    const qr = pr / d,
      qi = -pi / d; // 1 / pivot
    for (const x of [a, inv])
      for (let c = 0; c < N; c++) {
        const o = 2 * (col * N + c),
          xr = x[o],
          xi = x[o + 1];
        x[o] = xr * qr - xi * qi;
        x[o + 1] = xr * qi + xi * qr;
      }
    for (let r = 0; r < N; r++) {
      if (r === col) continue;
      const fr = a[2 * (r * N + col)],
        fi = a[2 * (r * N + col) + 1];
      if (fr === 0 && fi === 0) continue;
      for (const x of [a, inv])
        for (let c = 0; c < N; c++) {
          const o = 2 * (r * N + c),
            p = 2 * (col * N + c);
          x[o] -= fr * x[p] - fi * x[p + 1];
          x[o + 1] -= fr * x[p + 1] + fi * x[p];
        }
    }
  }
  return inv;
}

function infNorm(m: Float64Array, N: number): number {
  let best = 0;
  for (let r = 0; r < N; r++) {
    let s = 0;
    for (let c = 0; c < N; c++) s += Math.hypot(m[2 * (r * N + c)], m[2 * (r * N + c) + 1]);
    best = Math.max(best, s);
  }
  return best;
}

/** f when S is the depolarising map f·Id + (1 − f)·P of the channel's parameter p (checked entrywise), else null. */
function depolarizingForm(ch: Channel, S: Float64Array, qubits: number[]): { f: number; qubits: number[] } | null {
  const p = ch.params.p;
  if (ch.name !== "depolarizing" || typeof p !== "number") return null;
  const D = 1 << ch.nQubits,
    N = D * D,
    f = 1 - (p * N) / (N - 1);
  for (let a = 0; a < N; a++)
    for (let b = 0; b < N; b++) {
      const [c1, r1, c, r] = [a % D, Math.floor(a / D), b % D, Math.floor(b / D)];
      const want = (a === b ? f : 0) + (c1 === r1 && c === r ? (1 - f) / D : 0);
      if (Math.abs(S[2 * (a * N + b)] - want) > 1e-14 || Math.abs(S[2 * (a * N + b) + 1]) > 1e-14) return null;
    }
  return { f, qubits: qubits.slice() };
}

const depolarizingCache = new WeakMap<Channel, boolean>();

/** Whether `ch` is a one-qubit depolarising channel: named so, with a parameter p, and its superoperator checked. */
function isOneQubitDepolarizing(ch: Channel): boolean {
  let v = depolarizingCache.get(ch);
  if (v === undefined) {
    v = ch.nQubits === 1 && depolarizingForm(ch, superoperator(ch), [0]) !== null;
    depolarizingCache.set(ch, v);
  }
  return v;
}

/** Applies a channel step: S, S† (`"adjoint"`) or S⁻¹ (`"inverse"`). */
function applySuperop(
  s: SuperopStep,
  which: "forward" | "adjoint" | "inverse",
  n: number,
  re: Float64Array,
  im: Float64Array,
): void {
  if (s.depolarizing)
    return applyDepolarizingVectorised(
      re,
      im,
      s.depolarizing.qubits,
      n,
      which === "inverse" ? 1 / s.depolarizing.f : s.depolarizing.f,
    );
  applyMatrix(re, im, s.qubits, which === "forward" ? s.S : which === "adjoint" ? s.Sdag : (s.Sinv as Float64Array));
}

/**
 * The circuit with each one-qubit depolarising channel moved past the one-qubit gates after it on its qubit and
 * merged with the next such channel there (exact: D_f commutes with every unitary on its qubit,
 * D_f(UρU†) = U·D_f(ρ)·U†, and D_f∘D_g = D_{fg}), so that the gates fuse into one block again and one channel
 * pass replaces several. Gates keep their order (and so their occurrence numbers); a merged channel is placed
 * before the next op on its qubit that is not an uncontrolled one-qubit gate.
 */
function mergeDepolarizing(circuit: Circuit): Circuit {
  if (!circuit.hasChannels) return circuit;
  const out = new Circuit(circuit.nQubits, circuit.nParams);
  const pend = new Float64Array(circuit.nQubits).fill(1);
  const flush = (q: number) => {
    if (pend[q] !== 1) out.channel(depolarizing(Math.min(1, Math.max(0, (3 * (1 - pend[q])) / 4)), 1), q);
    pend[q] = 1;
  };
  const same = (q: number) => q;
  for (const op of circuit.ops) {
    if (op.kind === "channel" && isOneQubitDepolarizing(op.channel)) {
      pend[op.qubits[0]] *= 1 - (4 * op.channel.params.p) / 3;
      continue;
    }
    const oneQubitGate = (op.kind === "fixed" || op.kind === "rot") && op.controls.length === 0;
    if (!oneQubitGate) for (const q of gateKind(op).qubits(op)) flush(q);
    gateKind(op).appendTo(out, op, same);
  }
  for (let q = 0; q < circuit.nQubits; q++) flush(q);
  return out;
}

/** The vectorised program of `circuit` (cached per circuit until it grows). */
function densityProgram(circuit: Circuit): DensityProgram {
  const hit = cache.get(circuit);
  if (hit && hit.nOps === circuit.ops.length) return hit.program;
  const program = buildDensityProgram(mergeDepolarizing(circuit));
  cache.set(circuit, { nOps: circuit.ops.length, program });
  return program;
}

function buildDensityProgram(circuit: Circuit): DensityProgram {
  const n = circuit.nQubits,
    nOcc = circuit.nOccurrences;
  const signs = new Float64Array(nOcc);
  for (const op of circuit.ops) if (op.kind === "rot") signs[op.occ] = op.axis === 1 ? 1 : -1;
  const steps: DensityStep[] = [];
  const conjGate = (g: BlockGate): BlockGate =>
    g.axis === undefined ? { matrix: conjMatrix(g.matrix) } : { axis: g.axis, occ: g.occ + nOcc };
  for (const op of circuit.program(true)) {
    switch (op.type) {
      case "block":
        steps.push(
          makeBlock(op.target + n, op.ctrlMask * 2 ** n, op.gates),
          makeBlock(op.target, op.ctrlMask, op.gates.map(conjGate)),
        );
        break;
      case "cnot":
        steps.push({ type: "cnot", control: op.control + n, target: op.target + n }, op);
        break;
      case "cz":
        steps.push({ type: "cz", a: op.a + n, b: op.b + n }, op);
        break;
      case "swap":
        steps.push({ type: "swap", a: op.a + n, b: op.b + n }, op);
        break;
      case "perm": {
        const gates = [...op.gates.map((g) => [g[0], g[1] + n, g[2] + n] as [0 | 1, number, number]), ...op.gates];
        steps.push({ type: "perm", perm: linearPermutation(2 * n, gates), gates });
        break;
      }
      case "channel": {
        // a product channel a ⊗ b: its factors one after the other (they commute, acting on different qubits)
        const parts = op.channel.factors
          ? op.channel.factors.map((f, j) => ({ channel: f, qubits: [op.qubits[j]] }))
          : [op];
        for (const part of parts) steps.push(superopStep(part.channel, part.qubits, n));
        break;
      }
    }
  }
  return { n, steps, gates: steps.filter((st): st is ProgramOp => st.type !== "superop"), signs };
}

/** The vectorised step of a channel on `qubits` of an n-qubit register (module doc). */
function superopStep(channel: Channel, qubits: number[], n: number): SuperopStep {
  const S = superoperator(channel),
    N = 4 ** channel.nQubits;
  const Sinv = inverse(S, N);
  return {
    type: "superop",
    qubits: [...qubits, ...qubits.map((q) => q + n)],
    S,
    Sdag: conjTranspose(S, N),
    Sinv,
    invNorm: Sinv ? infNorm(Sinv, N) : Infinity,
    depolarizing: depolarizingForm(channel, S, qubits),
  };
}

/** Angles of the vectorised program: the circuit's, then the conjugated copies (sign·θ). */
function doubledAngles(a: Float64Array, signs: Float64Array): Float64Array {
  const m = a.length;
  const out = new Float64Array(2 * m);
  out.set(a);
  for (let k = 0; k < m; k++) out[m + k] = signs[k] * a[k];
  return out;
}

/** A pure, mixed or ensemble input of a noisy circuit. */
export type DensityInput = Statevector | DensityMatrix | Ensemble;

/**
 * The density matrix of an input: |ψ⟩⟨ψ|, a copy of ρ, or Σ_i w_i|v_i⟩⟨v_i| of an ensemble.
 * @throws Error for an input of another size or kind.
 */
export function densityOf(input: DensityInput, nQubits: number, where = "densityOf"): DensityMatrix {
  const pure = (v: Statevector) => {
    if (v.nQubits !== nQubits)
      throw new Error(`${where}: input state has ${v.nQubits} qubits but the circuit has ${nQubits}`);
    return DensityMatrix.fromStatevector(v);
  };
  if (input instanceof Statevector) return pure(input);
  if (input instanceof DensityMatrix) {
    if (input.nQubits !== nQubits)
      throw new Error(`${where}: input density matrix has ${input.nQubits} qubits but the circuit has ${nQubits}`);
    return new DensityMatrix(nQubits, input.re.slice(), input.im.slice());
  }
  if (input && Array.isArray((input as Ensemble).states)) {
    const e = input as Ensemble;
    if (!e.weights || e.weights.length !== e.states.length)
      throw new Error(`${where}: ensemble has ${e.weights?.length} weights but ${e.states.length} states`);
    const d = 2 ** nQubits,
      re = new Float64Array(d * d),
      im = new Float64Array(d * d);
    e.states.forEach((v, i) => {
      const r = pure(v),
        w = e.weights[i];
      for (let j = 0; j < re.length; j++) {
        re[j] += w * r.re[j];
        im[j] += w * r.im[j];
      }
    });
    return new DensityMatrix(nQubits, re, im);
  }
  throw new Error(
    `${where}: input must be a Statevector, a DensityMatrix or an Ensemble, got ${input === null ? "null" : typeof input}`,
  );
}

/**
 * The state buffers of a run: φ (pr, pi) and λ (lr, li), views of the engine's WASM arena when `ctx` is set (see
 * {@link wasmDensity}), else fresh arrays.
 */
function densityBuffers(prog: DensityProgram): {
  ctx: WasmOpContext | null;
  pr: Float64Array;
  pi: Float64Array;
  lr: Float64Array;
  li: Float64Array;
} {
  const w = wasmDensity(prog),
    len = 4 ** prog.n;
  if (!w)
    return {
      ctx: null,
      pr: new Float64Array(len),
      pi: new Float64Array(len),
      lr: new Float64Array(len),
      li: new Float64Array(len),
    };
  const { ctx } = w;
  return { ctx, pr: w.view(ctx.pr), pi: w.view(ctx.pi), lr: w.view(ctx.lr), li: w.view(ctx.li) };
}

/** One forward step on φ: a channel (TS kernels), or a gate on the WASM arena (`ctx`) or the TS kernels. */
function forwardStep(
  s: DensityStep,
  prog: DensityProgram,
  angles: Float64Array,
  ctx: WasmOpContext | null,
  pr: Float64Array,
  pi: Float64Array,
): void {
  if (s.type === "superop") applySuperop(s, "forward", prog.n, pr, pi);
  else if (ctx) opKind(s).wasm.apply(ctx, s, angles, ctx.pr, ctx.pi);
  else opKind(s).apply(s, angles, pr, pi);
}

/**
 * ρ_out = 𝒩(params)(ρ_in): the circuit with its channels applied to a density matrix (module doc).
 * @param input - |ψ⟩, ρ or an ensemble (not modified). @defaultValue |0…0⟩⟨0…0|
 * @throws Error for more than 13 qubits, bad parameters, or an input of another size.
 */
export function runDensity(
  circuit: Circuit,
  params: ArrayLike<number> = new Float64Array(0),
  input?: DensityInput,
): DensityMatrix {
  return runDensityAtAngles(circuit, circuit.angles(params), input);
}

/**
 * {@link runDensity} at given gate-occurrence angles (length circuit.nOccurrences, as `circuit.angles(params)`
 * returns them), for the parameter-shift rule (`gradients.shiftRuleJacobian`).
 * @throws Error for more than 13 qubits, angles of the wrong length, or an input of another size.
 */
export function runDensityAtAngles(circuit: Circuit, angles: Float64Array, input?: DensityInput): DensityMatrix {
  checkDensitySize("runDensity", circuit);
  checkAngles("runDensity", circuit, angles);
  const prog = densityProgram(circuit);
  const rho = densityOf(input ?? Statevector.zero(circuit.nQubits), circuit.nQubits, "runDensity");
  const a2 = doubledAngles(angles, prog.signs);
  const { ctx, pr, pi } = densityBuffers(prog);
  pr.set(rho.re);
  pi.set(rho.im);
  for (const s of prog.steps) forwardStep(s, prog, a2, ctx, pr, pi);
  rho.re.set(pr);
  rho.im.set(pi);
  return rho;
}

/** Largest register the WebAssembly path takes (its arena holds six vectors of 4^n f64: 192 MiB at n = 11). */
const MAX_WASM_DENSITY_QUBITS = 11;

/**
 * The WASM step context for a density program (the gate steps on the WebAssembly kernels, the channel steps on
 * the TypeScript kernels over views of the same memory: no copies between them), or null on the TS back end, above
 * {@link MAX_WASM_DENSITY_QUBITS}, or inside another sweep.
 */
function wasmDensity(prog: DensityProgram): ReturnType<typeof wasmStepContext> {
  if (prog.n > MAX_WASM_DENSITY_QUBITS) return null;
  return wasmStepContext(2 * prog.n, prog.gates);
}

function checkAngles(where: string, circuit: Circuit, angles: Float64Array): void {
  if (!(angles instanceof Float64Array) || angles.length !== circuit.nOccurrences) {
    throw new Error(`${where}: expected ${circuit.nOccurrences} gate-occurrence angles, got ${angles?.length}`);
  }
}

/** The diagonal of ρ: the probabilities of the 2^n basis states. */
export function densityProbabilities(rho: DensityMatrix): Float64Array {
  const d = rho.dim,
    p = new Float64Array(d);
  for (let r = 0; r < d; r++) p[r] = rho.re[r * (d + 1)];
  return p;
}

/** ⟨Z_q⟩ = Tr(Z_q ρ) of each qubit in `qubits`. @throws Error for a qubit outside [0, n). */
export function densityExpectationZ(rho: DensityMatrix, qubits: readonly number[]): Float64Array {
  for (const q of qubits) checkQubit("densityExpectationZ", q, rho.nQubits);
  const d = rho.dim,
    z = new Float64Array(qubits.length);
  for (let r = 0; r < d; r++) {
    const p = rho.re[r * (d + 1)];
    for (let k = 0; k < qubits.length; k++) z[k] += (r >>> qubits[k]) & 1 ? -p : p;
  }
  return z;
}

/** Result of {@link densityAdjoint}. */
export interface DensityAdjointResult {
  /** ⟨Z_{readout[k]}⟩ of the output state. */
  expectations: Float64Array;
  /** The output density matrix. */
  rho: DensityMatrix;
  /** The gradient (the accumulator passed in, or a new one). */
  grad: Float64Array;
  /** Number of states the sweep stored (channels it could not uncompute within {@link CHECKPOINT_GROWTH}). */
  checkpoints: number;
}

/**
 * Adjoint gradient of L = Σ_k w_k ⟨Z_{readout[k]}⟩ (a weighted sum of expectation values of the noisy output
 * state) with respect to the circuit's parameters (module doc). The weights come from `weights(expectations)`,
 * called once after the forward sweep (a loss can set them to ∂loss/∂⟨Z⟩).
 * @param options.grad - accumulator of length nParams; the gradient is ADDED to it. @defaultValue zeros
 * @throws Error for more than 13 qubits, bad parameters, an input of another size, or weights of the wrong length.
 */
export function densityAdjoint(
  circuit: Circuit,
  params: ArrayLike<number>,
  input: DensityInput,
  readout: readonly number[],
  weights: (expectations: Float64Array) => ArrayLike<number>,
  options: { grad?: Float64Array } = {},
): DensityAdjointResult {
  checkDensitySize("densityAdjoint", circuit);
  checkParams("densityAdjoint", params, circuit.nParams);
  const grad = options.grad ?? new Float64Array(circuit.nParams);
  if (grad.length !== circuit.nParams)
    throw new Error(`densityAdjoint: grad must have length ${circuit.nParams}, got ${grad.length}`);
  const prog = densityProgram(circuit);
  const angles = doubledAngles(circuit.angles(params), prog.signs);
  const rho = densityOf(input, circuit.nQubits, "densityAdjoint");
  const { ctx, pr, pi, lr, li } = densityBuffers(prog);
  pr.set(rho.re);
  pi.set(rho.im);
  // forward, storing the state before a channel when uncomputing it would amplify errors beyond the bound
  const stored = new Map<number, [Float64Array, Float64Array]>();
  let growth = 1;
  prog.steps.forEach((s, o) => {
    if (s.type === "superop") {
      if (growth * s.invNorm > CHECKPOINT_GROWTH) {
        stored.set(o, [pr.slice(), pi.slice()]);
        growth = 1;
      } else growth *= s.invNorm;
    }
    forwardStep(s, prog, angles, ctx, pr, pi);
  });
  const out = new DensityMatrix(circuit.nQubits, pr.slice(), pi.slice());
  const z = densityExpectationZ(out, readout);
  const wts = holdArena(() => weights(z));
  if (!wts || wts.length !== readout.length)
    throw new Error(`densityAdjoint: weights must have ${readout.length} entries, got ${wts ? wts.length : "none"}`);
  // λ = vec(O)/2, O = Σ_k w_k Z_{q_k} (diagonal)
  const d = out.dim;
  lr.fill(0);
  li.fill(0);
  for (let r = 0; r < d; r++) {
    let v = 0;
    for (let k = 0; k < readout.length; k++) v += (r >>> readout[k]) & 1 ? -wts[k] : wts[k];
    lr[r * (d + 1)] = v / 2;
  }
  const dA = new Float64Array(angles.length);
  for (let o = prog.steps.length - 1; o >= 0; o--) {
    const s = prog.steps[o];
    if (s.type !== "superop") {
      if (ctx) opKind(s).wasm.adjoint(ctx, s, angles, dA);
      else opKind(s).adjoint(s, angles, pr, pi, lr, li, dA);
      continue;
    }
    applySuperop(s, "adjoint", prog.n, lr, li);
    const st = stored.get(o);
    if (st) {
      pr.set(st[0]);
      pi.set(st[1]);
    } else applySuperop(s, "inverse", prog.n, pr, pi);
  }
  const m = circuit.nOccurrences,
    dTheta = new Float64Array(m);
  for (let k = 0; k < m; k++) dTheta[k] = dA[k] + prog.signs[k] * dA[m + k];
  circuit.accumulateParamGradient(dTheta, grad);
  return { expectations: z, rho: out, grad, checkpoints: stored.size };
}

// ---------------------------------------------------------------------------------------------------------
// Quantum trajectories.

/** Per channel: its branches as matrices to apply (normalised for mixtures), and whether each is the identity. */
interface Branches {
  /** Mixture: U_k (= K_k/√p_k) and p_k; else the Kraus operators. */
  matrices: Float64Array[];
  probs: readonly number[] | null;
  identity: boolean[];
}

const branchCache = new WeakMap<Channel, Branches>();

function branchesOf(ch: Channel): Branches {
  let b = branchCache.get(ch);
  if (b) return b;
  const D = 1 << ch.nQubits;
  const isId = (m: Float64Array) =>
    m.every((v, i) => Math.abs(v - (i % 2 === 0 && Math.floor(i / 2) % (D + 1) === 0 ? 1 : 0)) < 1e-15);
  const matrices = ch.mixture
    ? ch.kraus.map((K, k) => K.map((v) => v / Math.sqrt((ch.mixture as readonly number[])[k])))
    : ch.kraus.map((K) => K.slice());
  b = { matrices, probs: ch.mixture, identity: matrices.map((m) => ch.mixture !== null && isId(m)) };
  branchCache.set(ch, b);
  return b;
}

/**
 * The reduced density matrix of `qubits` (k ≤ 2) of a statevector, interleaved d × d, in one pass without an index
 * map: `density.partialTrace` computes the same but builds a 2^n index map per call, too much per channel per
 * trajectory.
 */
function reducedDensity(re: Float64Array, im: Float64Array, qubits: readonly number[]): Float64Array {
  const k = qubits.length,
    D = 1 << k;
  const rho = new Float64Array(2 * D * D);
  const offs = new Int32Array(D);
  for (let l = 0; l < D; l++) for (let j = 0; j < k; j++) if ((l >> j) & 1) offs[l] |= 1 << qubits[j];
  let mask = 0;
  for (const q of qubits) mask |= 1 << q;
  for (let i = 0; i < re.length; i = ((i | mask) + 1) & ~mask) {
    for (let a = 0; a < D; a++) {
      const xr = re[i + offs[a]],
        xi = im[i + offs[a]];
      for (let b = 0; b < D; b++) {
        const yr = re[i + offs[b]],
          yi = im[i + offs[b]];
        rho[2 * (a * D + b)] += xr * yr + xi * yi;
        rho[2 * (a * D + b) + 1] += xi * yr - xr * yi;
      }
    }
  }
  return rho;
}

/** p = Tr(K ρ K†) for a d × d Kraus operator and reduced density matrix (interleaved). */
function branchProbability(K: Float64Array, rho: Float64Array, D: number): number {
  let p = 0;
  for (let a = 0; a < D; a++) {
    // (Kρ)_a· then · conj(K)_a·
    for (let c = 0; c < D; c++) {
      let tr = 0,
        ti = 0;
      for (let b = 0; b < D; b++) {
        const kr = K[2 * (a * D + b)],
          ki = K[2 * (a * D + b) + 1],
          rr = rho[2 * (b * D + c)],
          ri = rho[2 * (b * D + c) + 1];
        tr += kr * rr - ki * ri;
        ti += kr * ri + ki * rr;
      }
      const cr = K[2 * (a * D + c)],
        ci = -K[2 * (a * D + c) + 1];
      p += tr * cr - ti * ci;
    }
  }
  return p;
}

function applyBranch(re: Float64Array, im: Float64Array, qubits: readonly number[], m: Float64Array): void {
  if (qubits.length === 1) applyMat2(re, im, qubits[0], m);
  else applyMatrix(re, im, qubits, m);
}

/** One channel of a trajectory: picks a branch (one uniform draw) and applies it, renormalised. */
function trajectoryChannel(ch: Channel, qubits: readonly number[], re: Float64Array, im: Float64Array, rng: Rng): void {
  const b = branchesOf(ch);
  const u = rng.random();
  if (b.probs) {
    let k = 0,
      acc = b.probs[0];
    while (u >= acc && k < b.probs.length - 1) acc += b.probs[++k];
    if (!b.identity[k]) applyBranch(re, im, qubits, b.matrices[k]);
    return;
  }
  const D = 1 << ch.nQubits,
    rho = reducedDensity(re, im, qubits);
  const probs = b.matrices.map((K) => Math.max(0, branchProbability(K, rho, D)));
  const total = probs.reduce((s, p) => s + p, 0);
  let k = 0,
    acc = probs[0];
  while (u * total >= acc && k < probs.length - 1) acc += probs[++k];
  while (probs[k] === 0 && k > 0) k--;
  const s = 1 / Math.sqrt(probs[k]);
  applyBranch(
    re,
    im,
    qubits,
    b.matrices[k].map((v) => v * s),
  );
}

const trajectoryCache = new WeakMap<Circuit, { nOps: number; program: ProgramOp[]; gates: ProgramOp[] }>();

/** The compiled program of a trajectory and its unitary ops alone (cached per circuit until it grows). */
function trajectoryProgram(circuit: Circuit): { program: ProgramOp[]; gates: ProgramOp[] } {
  let hit = trajectoryCache.get(circuit);
  if (!hit || hit.nOps !== circuit.ops.length) {
    const program = circuit.program(true);
    hit = { nOps: circuit.ops.length, program, gates: program.filter((op) => op.type !== "channel") };
    trajectoryCache.set(circuit, hit);
  }
  return hit;
}

/**
 * One quantum trajectory: the circuit run on a copy of `input`, each channel replaced by a Kraus branch drawn from
 * `rng` (module doc). The mean of |ψ_T⟩⟨ψ_T| over trajectories is the density matrix {@link runDensity} returns.
 * @throws Error for bad parameters or an input of another size.
 */
export function runTrajectory(circuit: Circuit, params: ArrayLike<number>, input: Statevector, rng: Rng): Statevector {
  return trajectoryAtAngles(circuit, circuit.angles(params), input, rng);
}

function trajectoryAtAngles(circuit: Circuit, angles: Float64Array, input: Statevector, rng: Rng): Statevector {
  if (input.nQubits !== circuit.nQubits)
    throw new Error(`runTrajectory: circuit has ${circuit.nQubits} qubits but the input state has ${input.nQubits}`);
  const s = input.clone(),
    { program, gates } = trajectoryProgram(circuit);
  // on the WebAssembly back end the gates run on the per-gate WASM kernels and the channels on the TS kernels over
  // views of the same memory (as the density-matrix executor does)
  const w = wasmStepContext(circuit.nQubits, gates);
  if (!w) {
    for (const op of program) {
      if (op.type === "channel") trajectoryChannel(op.channel, op.qubits, s.re, s.im, rng);
      else opKind(op).apply(op, angles, s.re, s.im);
    }
    return s;
  }
  const { ctx } = w,
    re = w.view(ctx.pr),
    im = w.view(ctx.pi);
  re.set(s.re);
  im.set(s.im);
  for (const op of program) {
    if (op.type === "channel") trajectoryChannel(op.channel, op.qubits, re, im, rng);
    else opKind(op).wasm.apply(ctx, op, angles, ctx.pr, ctx.pi);
  }
  s.re.set(re);
  s.im.set(im);
  return s;
}

/** Result of {@link trajectoryExpectationZ}. */
export interface TrajectoryEstimate {
  /** Mean over trajectories of ⟨Z_{qubits[k]}⟩. */
  mean: Float64Array;
  /** Standard error of each mean (sample std / √T; 0 for one trajectory). */
  stderr: Float64Array;
  /** Mean over trajectories of the marginal distribution of `qubits` (bit k = qubits[k]). */
  marginal: Float64Array;
}

/**
 * ⟨Z_q⟩ of the noisy circuit estimated from `trajectories` seeded trajectories (module doc). Trajectory t draws
 * from the stream `toRng(seed).fork("trajectory-<t>")`, so the estimate is the same for the same seed, however
 * the trajectories are scheduled.
 * @param options.trajectories - number of trajectories, an integer in [1, 1e7].
 * @param options.seed - seed or generator.
 * @throws Error for a bad trajectory count, bad parameters or an input of another size.
 */
export function trajectoryExpectationZ(
  circuit: Circuit,
  params: ArrayLike<number>,
  input: Statevector,
  qubits: readonly number[],
  options: { trajectories: number; seed: number | string | Rng },
): TrajectoryEstimate {
  checkParams("trajectoryExpectationZ", params, circuit.nParams);
  return trajectoryExpectationZAtAngles(circuit, circuit.angles(params), input, qubits, options);
}

/**
 * {@link trajectoryExpectationZ} at given gate-occurrence angles (length circuit.nOccurrences), for the
 * parameter-shift rule.
 * @throws Error for a bad trajectory count, angles of the wrong length or an input of another size.
 */
export function trajectoryExpectationZAtAngles(
  circuit: Circuit,
  angles: Float64Array,
  input: Statevector,
  qubits: readonly number[],
  options: { trajectories: number; seed: number | string | Rng },
): TrajectoryEstimate {
  const T = options.trajectories;
  if (!Number.isInteger(T) || T < 1 || T > 1e7)
    throw new Error(`trajectoryExpectationZ: trajectories must be an integer in [1, 1e7], got ${String(T)}`);
  checkAngles("trajectoryExpectationZ", circuit, angles);
  const base = toRng(options.seed);
  const K = qubits.length,
    sum = new Float64Array(K),
    sq = new Float64Array(K),
    marginal = new Float64Array(1 << K);
  for (let t = 0; t < T; t++) {
    const psi = trajectoryAtAngles(circuit, angles, input, base.fork(`trajectory-${t}`));
    const z = expectationZ(psi, qubits);
    for (let k = 0; k < K; k++) {
      sum[k] += z[k];
      sq[k] += z[k] * z[k];
    }
    const m = marginalProbabilities(psi.probabilities(), qubits);
    for (let j = 0; j < m.length; j++) marginal[j] += m[j] / T;
  }
  const mean = sum.map((s) => s / T);
  const stderr = mean.map((m, k) => (T > 1 ? Math.sqrt((Math.max(0, sq[k] / T - m * m) * (T / (T - 1))) / T) : 0));
  return { mean, stderr, marginal };
}
