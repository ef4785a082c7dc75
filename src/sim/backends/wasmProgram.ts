/**
 * A per-thread runner of ONE compiled program on the WebAssembly kernels, for batches that share the angles
 * (the samples of a training batch, the images of an evaluation): one WASM call for the whole forward pass of a
 * sample, one for its whole backward sweep, instead of one call (and the 2×2 algebra of its matrices) per
 * gate.
 *
 * Per batch ({@link ProgramRunner.setAngles}) the runner computes, once, every block's matrix B, its adjoint
 * B† and, for each rotation G_j of a block, the derivative matrix D_j = G_m⋯G_j′⋯G_1 (see `grad/adjoint.ts`), and
 * writes them as op records into the instance's memory (layout in `asm/kernels.ts`, "Whole-program sweeps").
 * Per sample:
 * - {@link ProgramRunner.expectations}: copies the input in, runs the program (`runOps`) and reads out
 *   ⟨Z_{q_k}⟩ (`expectationZSeq`); the output state φ stays in WASM memory;
 * - {@link ProgramRunner.gradient}: sets λ = (Σ_k w_k Z_{q_k})·φ (`weightedZCotangentSeq`) and runs the
 *   backward sweep, which writes ∂/∂angle of ⟨φ|Σ_k w_k Z_{q_k}|φ⟩ for every gate occurrence.
 *
 * **Checkpoints.** When the states fit in `checkpointBytes` (default {@link DEFAULT_CHECKPOINT_BYTES}: one
 * state per parametric block and permutation, e.g. 45 states = 720 KiB for 10 qubits × 4 layers), the forward
 * pass writes the input state of each parametric block out of place into its own slot (`runOpsCkpt`) and the
 * backward sweep (`adjointOpsCkpt`) only pulls λ back, reading φ_in from the slot instead of uncomputing it
 * (the adjoint of Jones & Gacon with stored states): about a third fewer operations per block. Otherwise the
 * fused uncomputing sweep of `grad/adjoint.ts` runs (`adjointOps`), holding two statevectors.
 *
 * **Same numbers.** The forward kernels, the choice of kernel per block (as `classifyMat2`), the matrices
 * (computed by the same functions in the same order as `blockMatrix` / `blockDerivativesInto`) and the readout
 * (same summation order as the TypeScript `expectationZ`) are those of the per-gate WASM path of `backends/engine.ts`,
 * so the expectation values (logits) are bit-identical to `Circuit.run` + `expectationZ`. The gradient of the
 * uncomputing sweep is bit-identical to `adjointGradient` with a `weightedZCotangent` on the WASM back end; the
 * checkpointed sweep uses the exact forward states instead of uncomputed ones, so it agrees to rounding
 * (~1e-15 relative), and is the same for every thread count.
 *
 * Each runner has its own WebAssembly instance (its own linear memory), sized once at construction. What each op
 * kind puts into its record (opcode, qubits, tables, matrices, derivative records) comes from its `wasm` entry in
 * the op-kind table (`ops.ts`); opcodes and record sizes from `opcodes.ts`, shared with `asm/kernels.ts`.
 *
 */
import { ProgramOp, ProgramRecords, opKind } from "../program/ops";
import { DER_BYTES, OP_BYTES } from "../program/opcodes";
import { WasmKernels, createWasmKernels } from "./wasm";

/** Default budget of the forward checkpoints of one runner: 16 MiB. */
export const DEFAULT_CHECKPOINT_BYTES = 16 * 2 ** 20;

/** Options of {@link ProgramRunner.create}. */
export interface ProgramRunnerOptions {
  /**
   * Keep forward checkpoints when they take at most this many bytes (0: never; uncompute instead).
   * @defaultValue {@link DEFAULT_CHECKPOINT_BYTES}
   */
  checkpointBytes?: number;
}

/** Runs one compiled program on many inputs with shared angles (see the module doc). */
export class ProgramRunner {
  readonly nQubits: number;
  readonly nOccurrences: number;
  readonly readout: readonly number[];
  private readonly k: WasmKernels;
  private readonly program: ProgramOp[];
  private readonly dim: number;
  private readonly off: {
    pr: number;
    pi: number;
    lr: number;
    li: number;
    sr: number;
    si: number;
    slots: number;
    ops: number;
    der: number;
    dAngles: number;
    acc: number;
    qubits: number;
    z: number;
    w: number;
  };
  private readonly v: {
    pr: Float64Array;
    pi: Float64Array;
    opsF: Float64Array;
    opsI: Int32Array;
    derF: Float64Array;
    derI: Int32Array;
    dAngles: Float64Array;
    z: Float64Array;
    w: Float64Array;
  };
  /** Index of the first derivative record of each op (blocks with parameters), else -1. */
  private readonly derStart: Int32Array;
  private hasState = false;
  /** True when the forward keeps checkpoints (see the module doc). */
  readonly checkpointed: boolean;
  /** Byte offset of the output state's slot after the last forward pass (checkpointed mode). */
  private outOff = 0;

  /**
   * A runner for `program` (compiled, fused or not) on `nQubits` qubits with `nOcc` gate occurrences and
   * readout qubits `readout`, or null when the WebAssembly kernels are not available.
   * @throws Error for a bad readout qubit or size.
   */
  static create(
    program: ProgramOp[],
    nQubits: number,
    nOcc: number,
    readout: readonly number[],
    options: ProgramRunnerOptions = {},
  ): ProgramRunner | null {
    const budget = options.checkpointBytes ?? DEFAULT_CHECKPOINT_BYTES;
    if (typeof budget !== "number" || !(budget >= 0))
      throw new Error(`ProgramRunner: checkpointBytes must be a number ≥ 0, got ${String(options.checkpointBytes)}`);
    const k = createWasmKernels();
    return k ? new ProgramRunner(k, program, nQubits, nOcc, readout, budget) : null;
  }

  private constructor(
    k: WasmKernels,
    program: ProgramOp[],
    nQubits: number,
    nOcc: number,
    readout: readonly number[],
    budget: number,
  ) {
    if (!Number.isInteger(nQubits) || nQubits < 1 || nQubits > 26)
      throw new Error(`ProgramRunner: nQubits must be in 1..26, got ${nQubits}`);
    for (const q of readout) {
      if (!Number.isInteger(q) || q < 0 || q >= nQubits)
        throw new Error(`ProgramRunner: readout qubit ${q} out of range 0..${nQubits - 1}`);
    }
    if (readout.length === 0) throw new Error("ProgramRunner: readout must not be empty");
    this.k = k;
    this.program = program;
    this.nQubits = nQubits;
    this.nOccurrences = nOcc;
    this.readout = readout.slice();
    const dim = (this.dim = 2 ** nQubits);
    const K = readout.length;
    // derivative records: one per rotation inside a block
    this.derStart = new Int32Array(program.length).fill(-1);
    let nDer = 0;
    let nSlots = 1,
      tables = 0;
    program.forEach((op, o) => {
      const w = opKind(op).wasm;
      const nd = w.derivatives(op);
      if (nd > 0) {
        this.derStart[o] = nDer;
        nDer += nd;
      }
      // checkpoint slots: the input, then one per op that keeps its input state (parametric blocks, permutations)
      if (w.checkpoint(op)) nSlots++;
      tables += w.tableBytes(op);
    });
    const slotBytes = 16 * dim;
    this.checkpointed = nSlots * slotBytes <= budget;
    const stateArrays = this.checkpointed ? 4 : 6; // φ lives in the slots when checkpointed
    // reserve everything at once (growing memory after the views are made would detach them)
    k.reserve(
      k.base +
        stateArrays * (8 * dim + 64) +
        (this.checkpointed ? nSlots * slotBytes + 64 : 0) +
        program.length * OP_BYTES +
        nDer * DER_BYTES +
        8 * nOcc +
        64 * 6 +
        24 * K +
        tables +
        1024,
    );
    const pr = this.checkpointed ? 0 : k.allocF64(dim),
      pi = this.checkpointed ? 0 : k.allocF64(dim);
    const off = {
      pr,
      pi,
      lr: k.allocF64(dim),
      li: k.allocF64(dim),
      sr: k.allocF64(dim),
      si: k.allocF64(dim),
      slots: this.checkpointed ? k.alloc(nSlots * slotBytes) : 0,
      ops: k.alloc(Math.max(1, program.length) * OP_BYTES),
      der: k.alloc(Math.max(1, nDer) * DER_BYTES),
      dAngles: k.allocF64(Math.max(1, nOcc)),
      acc: k.allocF64(8),
      qubits: k.allocI32(K),
      z: k.allocF64(K),
      w: k.allocF64(K),
    };
    this.off = off;
    k.i32(off.qubits, K).set(readout);
    // records: kinds and qubits now; matrices in setAngles
    const buf = k.memory.buffer;
    const opsI = new Int32Array(buf, off.ops, (program.length * OP_BYTES) / 4);
    program.forEach((op, o) => opKind(op).wasm.encode(op, opsI, o, this.derStart[o], k));
    const mem = k.memory.buffer;
    if (mem !== buf) throw new Error("ProgramRunner: WASM memory grew during setup"); // reserve() above prevents this
    this.v = {
      pr: new Float64Array(mem, this.checkpointed ? off.slots : off.pr, dim),
      pi: new Float64Array(mem, this.checkpointed ? off.slots + 8 * dim : off.pi, dim),
      opsF: new Float64Array(mem, off.ops, (program.length * OP_BYTES) / 8),
      opsI,
      derF: new Float64Array(mem, off.der, (Math.max(1, nDer) * DER_BYTES) / 8),
      derI: new Int32Array(mem, off.der, (Math.max(1, nDer) * DER_BYTES) / 4),
      dAngles: new Float64Array(mem, off.dAngles, Math.max(1, nOcc)),
      z: new Float64Array(mem, off.z, K),
      w: new Float64Array(mem, off.w, K),
    };
  }

  /**
   * Sets the angles of every gate occurrence (length nOccurrences) for the following calls: computes each
   * block's matrix, adjoint and derivative matrices once.
   * @throws Error for a wrong length.
   */
  setAngles(angles: Float64Array): void {
    if (angles.length !== this.nOccurrences)
      throw new Error(`ProgramRunner.setAngles: expected ${this.nOccurrences} angles, got ${angles.length}`);
    const rec: ProgramRecords = this.v;
    this.program.forEach((op, o) => {
      const set = opKind(op).wasm.setAngles;
      if (set) set(op, angles, rec, o, this.derStart[o]);
    });
    this.hasState = false;
  }

  /**
   * Runs the program on the input (re, im: length 2^n) and writes ⟨Z_{readout[k]}⟩ into `out` (length K, or a
   * fresh array); the output state is kept for a following {@link ProgramRunner.gradient}. With
   * `forGradient = false` no gradient may follow (no checkpoints are written: a plain in-place forward pass).
   */
  expectations(
    re: Float64Array,
    im: Float64Array,
    out: Float64Array = new Float64Array(this.readout.length),
    forGradient = true,
  ): Float64Array {
    const { k, off, v, dim } = this;
    if (re.length !== dim || im.length !== dim)
      throw new Error(`ProgramRunner.expectations: expected ${dim} amplitudes, got ${re.length}, ${im.length}`);
    v.pr.set(re);
    v.pi.set(im);
    let outRe = off.pr,
      outIm = off.pi;
    if (this.checkpointed && forGradient) {
      outRe = this.outOff = k.runOpsCkpt(off.ops, this.program.length, off.slots, this.nQubits);
      outIm = outRe + 8 * dim; // a slot holds re then im
    } else if (this.checkpointed) {
      // forward only: in place in slot 0 (same kernels, same bits)
      outRe = off.slots;
      outIm = off.slots + 8 * dim;
      k.runOps(off.ops, this.program.length, outRe, outIm, this.nQubits, off.sr, off.si);
    } else {
      k.runOps(off.ops, this.program.length, off.pr, off.pi, this.nQubits, off.sr, off.si);
    }
    k.expectationZSeq(outRe, outIm, this.nQubits, off.qubits, this.readout.length, off.z, off.sr);
    out.set(v.z);
    this.hasState = forGradient;
    return out;
  }

  /**
   * After {@link ProgramRunner.expectations}: the gradient of ⟨φ|Σ_k w_k Z_{readout[k]}|φ⟩ with respect to
   * every gate-occurrence angle, WRITTEN into `dAngles` (length nOccurrences). Consumes the kept state.
   * `inputCotangent`, when given (re, im: length 2^n), receives λ pulled back to the input (U†λ).
   * @returns the value Σ_k w_k ⟨Z_{readout[k]}⟩.
   * @throws Error without a preceding `expectations` call, or for wrong lengths.
   */
  gradient(
    weights: ArrayLike<number>,
    dAngles: Float64Array,
    inputCotangent?: { re: Float64Array; im: Float64Array },
  ): number {
    const { k, off, v } = this;
    if (!this.hasState) throw new Error("ProgramRunner.gradient: call expectations() first");
    if (weights.length !== this.readout.length)
      throw new Error(`ProgramRunner.gradient: expected ${this.readout.length} weights, got ${weights.length}`);
    if (dAngles.length !== this.nOccurrences)
      throw new Error(`ProgramRunner.gradient: dAngles must have length ${this.nOccurrences}, got ${dAngles.length}`);
    if (inputCotangent && (inputCotangent.re.length !== this.dim || inputCotangent.im.length !== this.dim))
      throw new Error(`ProgramRunner.gradient: inputCotangent must have ${this.dim} amplitudes`);
    this.hasState = false;
    for (let i = 0; i < weights.length; i++) v.w[i] = weights[i];
    const n = this.nQubits,
      K = this.readout.length,
      nOps = this.program.length;
    let value: number;
    if (this.checkpointed) {
      value = k.weightedZCotangentSeq(this.outOff, this.outOff + 8 * this.dim, off.lr, off.li, n, off.qubits, K, off.w);
      k.adjointOpsCkpt(
        off.ops,
        nOps,
        off.lr,
        off.li,
        n,
        off.sr,
        off.si,
        off.acc,
        off.der,
        off.dAngles,
        this.nOccurrences,
      );
    } else {
      value = k.weightedZCotangentSeq(off.pr, off.pi, off.lr, off.li, n, off.qubits, K, off.w);
      k.adjointOps(
        off.ops,
        nOps,
        off.pr,
        off.pi,
        off.lr,
        off.li,
        n,
        off.sr,
        off.si,
        off.acc,
        off.der,
        off.dAngles,
        this.nOccurrences,
      );
    }
    if (this.nOccurrences > 0) dAngles.set(v.dAngles.subarray(0, this.nOccurrences));
    if (inputCotangent) {
      inputCotangent.re.set(k.f64(off.lr, this.dim));
      inputCotangent.im.set(k.f64(off.li, this.dim));
    }
    return value;
  }
}
