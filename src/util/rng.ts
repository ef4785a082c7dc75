/**
 * Seeded random numbers. Every stochastic function in qnn-kd takes a seed or an {@link Rng}; the global random
 * generator of JavaScript is never used. Streams are derived by name ({@link Rng.fork}) so that, e.g., changing the batch order does
 * not shift the parameter initialisation.
 *
 * Built on `seedrandom`'s `alea` generator (fast, 32-bit state, period ~2^116).
 */
import seedrandom from "seedrandom";

/** A seeded pseudo-random generator with the draws qnn-kd needs. */
export class Rng {
  private readonly gen: seedrandom.PRNG;
  /** The seed this stream was created from (a number or a derived string). */
  readonly seed: number | string;

  /**
   * @param seed - integer or string seed; the same seed gives the same sequence.
   * @throws Error if `seed` is a non-finite number.
   */
  constructor(seed: number | string) {
    if (typeof seed === "number" && !Number.isFinite(seed)) {
      throw new Error(`Rng: seed must be a finite number or a string, got ${seed}`);
    }
    this.seed = seed;
    this.gen = seedrandom.alea(String(seed));
  }

  /** An independent stream named `name`, derived from this stream's seed (not from its position). */
  fork(name: string): Rng {
    return new Rng(`${this.seed}/${name}`);
  }

  /** Uniform in [0, 1). */
  random(): number {
    return this.gen();
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.gen();
  }

  /** Uniform integer in [0, n). @throws Error if n is not a positive integer. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`Rng.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.gen() * n);
  }

  /** Standard normal draw (Box–Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.gen();
    const v = this.gen();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** `k` indices drawn uniformly from [0, n) with replacement. */
  sampleWithReplacement(n: number, k: number): number[] {
    const out = new Array<number>(k);
    for (let i = 0; i < k; i++) out[i] = this.int(n);
    return out;
  }

  /** `k` distinct indices from [0, n) (partial Fisher–Yates). @throws Error if k > n. */
  sampleWithoutReplacement(n: number, k: number): number[] {
    if (k > n) throw new Error(`Rng.sampleWithoutReplacement: k = ${k} exceeds n = ${n}`);
    const idx = Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i);
      const t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    return idx.slice(0, k);
  }

  /** A random permutation of [0, n). */
  permutation(n: number): number[] {
    return this.sampleWithoutReplacement(n, n);
  }
}

/** Accepts a seed or an existing generator and returns a generator. */
export function toRng(seedOrRng: number | string | Rng): Rng {
  return seedOrRng instanceof Rng ? seedOrRng : new Rng(seedOrRng);
}
