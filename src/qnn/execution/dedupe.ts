/**
 * The de-duplication strategy of a {@link Executor}: identical pure inputs (the same object, or bitwise-equal
 * amplitudes) are simulated once; their outputs are copied and, in a backward pass, their ∂L/∂outputs added (the
 * parameter gradient is linear in them).
 * @packageDocumentation
 */
import { Statevector } from "../../sim/state/statevector";
import type { SampleLoss } from "../../core/model";
import { QuantumInput, checkOutputGrad } from "./types";

/** Identical inputs grouped: the unique inputs and, per input, the index of its representative. */
export interface DuplicateGroups {
  unique: Statevector[];
  index: Int32Array;
}

/**
 * Groups identical pure-state inputs (the same object, or the same amplitudes bit for bit): returns the
 * unique inputs and, per input, the index of its unique representative; null when all inputs differ or any
 * input is an ensemble. Hashing costs one pass over each state, far less than simulating it.
 */
export function duplicateGroups(inputs: readonly QuantumInput[]): DuplicateGroups | null {
  if (inputs.length < 2) return null;
  const unique: Statevector[] = [];
  const index = new Int32Array(inputs.length);
  const byHash = new Map<number, number[]>();
  const seen = new Map<Statevector, number>();
  for (let b = 0; b < inputs.length; b++) {
    const x = inputs[b];
    if (!(x instanceof Statevector)) return null;
    const same = seen.get(x);
    if (same !== undefined) {
      index[b] = same;
      continue;
    }
    const h = cachedHash(x);
    const bucket = byHash.get(h);
    let u = -1;
    if (bucket)
      for (const c of bucket)
        if (equalStates(unique[c], x)) {
          u = c;
          break;
        }
    if (u < 0) {
      u = unique.length;
      unique.push(x);
      if (bucket) bucket.push(u);
      else byHash.set(h, [u]);
    }
    seen.set(x, u);
    index[b] = u;
  }
  return unique.length < inputs.length ? { unique, index } : null;
}

const hashView = new Float64Array(1),
  hashBits = new Uint32Array(hashView.buffer);

/**
 * Hash of a state, remembered per Statevector object (training and evaluation pass the same input objects again
 * and again). A state changed after it was hashed only loses deduplication: equal hashes are always confirmed by
 * comparing the amplitudes ({@link equalStates}).
 */
const hashCache = new WeakMap<Statevector, number>();
function cachedHash(s: Statevector): number {
  let h = hashCache.get(s);
  if (h === undefined) {
    h = hashState(s);
    hashCache.set(s, h);
  }
  return h;
}

function hashState(s: Statevector): number {
  let h = 0x811c9dc5 | 0;
  for (const arr of [s.re, s.im]) {
    for (let i = 0; i < arr.length; i++) {
      hashView[0] = arr[i];
      h = Math.imul(h ^ hashBits[0], 0x01000193);
      h = Math.imul(h ^ hashBits[1], 0x01000193);
    }
  }
  return h;
}

function equalStates(a: Statevector, b: Statevector): boolean {
  if (a.dim !== b.dim) return false;
  for (let i = 0; i < a.dim; i++) if (a.re[i] !== b.re[i] || a.im[i] !== b.im[i]) return false;
  return true;
}

/**
 * The loss over the unique inputs of `groups` that a backward pass on them takes: for unique input u, the losses
 * of its members b (called in the order of first occurrence) add, and so do their ∂L/∂y; for `mean` over the B
 * original inputs both are rescaled by U/B (U unique inputs), so that the mean over the U unique inputs equals the
 * mean over all B.
 * @throws Error (when called) for a member's ∂L/∂outputs of the wrong length.
 */
export function mergedLoss(
  loss: SampleLoss,
  groups: DuplicateGroups,
  K: number,
  mean: boolean,
  where: string,
): SampleLoss {
  const B = groups.index.length,
    U = groups.unique.length;
  const members: number[][] = Array.from({ length: U }, () => []);
  groups.index.forEach((u, b) => members[u].push(b));
  return (z, u) => {
    let l = 0;
    const g = new Float64Array(K);
    for (const b of members[u]) {
      const out = loss(z, b);
      checkOutputGrad(where, out, K);
      l += out.loss;
      for (let k = 0; k < K; k++) g[k] += out.dLogits[k];
    }
    if (!mean) return { loss: l, dLogits: g };
    const r = U / B;
    for (let k = 0; k < K; k++) g[k] *= r;
    return { loss: l * r, dLogits: g };
  };
}
