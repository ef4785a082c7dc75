/**
 * Opcodes and record sizes of the WebAssembly program buffer: the ONE definition, read by both compilers.
 * TypeScript imports it (the op-kind table of `ops.ts`, the program runner of `wasmProgram.ts`) and the
 * AssemblyScript kernels import it too (`asm/kernels.ts`: `import { … } from "../src/sim/opcodes"`), so the
 * numbers cannot drift apart.
 *
 * This file must stay valid AssemblyScript as well as TypeScript: only `export const NAME = <integer literal>;`
 * declarations (no types, imports or other statements). `test/sim/ops.test.ts` checks that.
 *
 * Record layout (see "Whole-program sweeps" in `asm/kernels.ts`): each op is `OP_BYTES` bytes, kind at +0; each
 * derivative record of a parametric block is `DER_BYTES` bytes.
 */

/** Block whose matrix is the identity (nothing to do forward). */
export const OP_SKIP = 0;
/** Block with a diagonal matrix (kernel `applyDiagonal`). */
export const OP_DIAG = 1;
/** Block with an anti-diagonal matrix (kernel `applyAntiDiagonal`). */
export const OP_ANTI = 2;
/** Block with a real matrix (kernel `applyReal`). */
export const OP_REAL = 3;
/** Block with a general complex matrix (kernel `applyGeneral`); every block code is ≤ this one. */
export const OP_GENERAL = 4;
/** CNOT (kernel `applyCNOT`). */
export const OP_CNOT = 5;
/** CZ (kernel `applyCZ`). */
export const OP_CZ = 6;
/** SWAP (kernel `applySWAP`). */
export const OP_SWAP = 7;
/** Linear permutation (kernel `gather` with the forward / inverse table). */
export const OP_PERM = 8;

/** Bytes of one op record. */
export const OP_BYTES = 160;
/** Bytes of one derivative record. */
export const DER_BYTES = 80;
