/**
 * The extended XOR problem of Piperno et al., *Quantum Enhanced Knowledge Distillation* (docs/PARAMS.md): random
 * bit vectors whose class is set by their first two bits, an XOR-like rule that no single linear threshold of one
 * bit captures:
 *
 *   class 0 when bit 0 = bit 1 (probability ½), class 1 for (bit 0, bit 1) = (1, 0), class 2 for (0, 1) (¼ each).
 *
 * The other bits are noise. Bits are drawn uniformly (so the class probabilities are ½, ¼, ¼ in expectation) from
 * the stream `fork("bits")` of the seed; the 80/10/10 split is a seeded permutation (`fork("split")`).
 *
 * **Harder versions** (a project study, docs/PARAMS.md "Piperno et al.: readings", not the paper's data):
 * - `rule: "parity3"`: the class from the parity of the first three bits b₁, b₂, b₃ (bits 0, 1, 2): class 0 when
 *   b₁ ⊕ b₂ ⊕ b₃ = 0, else class 1 when b₁ = 1 and class 2 when b₁ = 0 (probabilities ½, ¼, ¼ as for the paper's
 *   rule). Not linearly separable: on the face b₁ = 1 the classes 0 and 1 are the XOR of b₂, b₃, and an affine score
 *   difference s₁ − s₀ takes the same sum on {100, 111} as on {101, 110}, so it cannot be positive on the first pair
 *   and negative on the second.
 * - `labelNoise: p`: every label (train, validation and test) is replaced with probability p by a uniformly drawn
 *   other class, from the stream `fork("labelNoise")` (two draws per sample whatever the outcome, in the order the
 *   samples were drawn, so the noise does not depend on the split). With p = 0 the data are those of the paper's rule
 *   bit for bit (the bits and split streams are untouched).
 *
 * @packageDocumentation
 */
import { Rng, toRng } from "../util/rng";
import { checkInt, checkNumber, checkOneOf, withDefaults } from "../util/options";

/** Options of {@link extendedXor}. */
export interface ExtendedXorOptions {
  /** Number of samples (stated: 1000). @defaultValue 1000 */
  n: number;
  /** Bits per sample (stated: 64). @defaultValue 64 */
  nBits: number;
  /** Fractions of train and validation samples; the rest is the test split (stated: 0.8, 0.1). */
  trainFraction: number;
  validationFraction: number;
  /** Seed or generator. @defaultValue 0 */
  seed: number | string | Rng;
  /** The labelling rule ({@link XOR_RULES}; module doc). @defaultValue "first-two" (the paper's) */
  rule: XorRule;
  /** Probability in [0, 1) that a label is replaced by a uniformly drawn other class (module doc). @defaultValue 0 */
  labelNoise: number;
}

/** The labelling rules of {@link extendedXor}: the paper's (`"first-two"`) and the parity of three bits (`"parity3"`). */
export const XOR_RULES = ["first-two", "parity3"] as const;
/** A labelling rule, see {@link XOR_RULES}. */
export type XorRule = (typeof XOR_RULES)[number];

const XOR_DEFAULTS: ExtendedXorOptions = {
  n: 1000,
  nBits: 64,
  trainFraction: 0.8,
  validationFraction: 0.1,
  seed: 0,
  rule: "first-two",
  labelNoise: 0,
};

/** One split: bit vectors `[n][nBits]` (0/1 as numbers) and labels in {0, 1, 2}. */
export interface XorSplit {
  inputs: Float64Array[];
  labels: number[];
}

/** The extended XOR data set. */
export interface ExtendedXorData {
  train: XorSplit;
  validation: XorSplit;
  test: XorSplit;
  nBits: number;
  /** Number of classes (3). */
  nClasses: number;
}

/**
 * The class of a bit vector by a rule of the module doc: `"first-two"` (the paper's: 0 when bit 0 = bit 1, 1 for
 * (1, 0), 2 for (0, 1)) or `"parity3"` (0 when bits 0, 1, 2 have even parity, else 1 when bit 0 is 1, else 2).
 * @param rule - @defaultValue "first-two"
 * @throws Error for too few bits (2, or 3 for parity3), a bit that is not 0 or 1, or an unknown rule (quoted).
 */
export function xorClass(bits: ArrayLike<number>, rule: XorRule = "first-two"): number {
  checkOneOf("xorClass", "rule", rule, XOR_RULES);
  const k = rule === "parity3" ? 3 : 2;
  if (bits.length < k) throw new Error(`xorClass: the rule "${rule}" needs at least ${k} bits, got ${bits.length}`);
  for (let j = 0; j < k; j++) {
    if (bits[j] !== 0 && bits[j] !== 1)
      throw new Error(`xorClass: bits must be 0 or 1, got ${Array.from(bits).slice(0, k).join(", ")}`);
  }
  const a = bits[0],
    b = bits[1];
  if (rule === "parity3") return (a ^ b ^ bits[2]) === 0 ? 0 : a === 1 ? 1 : 2;
  return a === b ? 0 : a === 1 ? 1 : 2;
}

/**
 * Draws the extended XOR data (see the module doc), with the paper's rule or a harder version (`rule`, `labelNoise`).
 * @throws Error for an unknown option, n < 10, nBits < 2 (< 3 for parity3), an unknown rule, labelNoise outside
 *   [0, 1), or fractions that do not leave a non-empty test split (each quoted).
 */
export function extendedXor(options: Partial<ExtendedXorOptions> = {}): ExtendedXorData {
  const o = withDefaults("extendedXor", { ...XOR_DEFAULTS }, options);
  checkInt("extendedXor", "n", o.n, 10);
  checkInt("extendedXor", "nBits", o.nBits, 2);
  checkNumber("extendedXor", "trainFraction", o.trainFraction, 0, 1);
  checkNumber("extendedXor", "validationFraction", o.validationFraction, 0, 1);
  checkOneOf("extendedXor", "rule", o.rule, XOR_RULES);
  if (o.rule === "parity3") checkInt("extendedXor", "nBits (rule parity3)", o.nBits, 3);
  checkNumber("extendedXor", "labelNoise", o.labelNoise, 0, 1);
  if (o.labelNoise >= 1)
    throw new Error(`extendedXor: labelNoise must be a probability in [0, 1), got ${o.labelNoise}`);
  const nTrain = Math.round(o.n * o.trainFraction),
    nVal = Math.round(o.n * o.validationFraction);
  if (nTrain < 1 || nTrain + nVal >= o.n) {
    throw new Error(
      `extendedXor: trainFraction ${o.trainFraction} and validationFraction ${o.validationFraction} of n = ${o.n} leave no test samples`,
    );
  }
  const rng = toRng(o.seed);
  const bitsRng = rng.fork("bits");
  const all = Array.from({ length: o.n }, () => Float64Array.from({ length: o.nBits }, () => bitsRng.int(2)));
  const labels = all.map((x) => xorClass(x, o.rule));
  if (o.labelNoise > 0) {
    const noise = rng.fork("labelNoise");
    for (let i = 0; i < o.n; i++) {
      const u = noise.random(),
        other = noise.int(2);
      if (u < o.labelNoise) labels[i] = (labels[i] + 1 + other) % 3;
    }
  }
  const order = rng.fork("split").permutation(o.n);
  const take = (from: number, to: number): XorSplit => {
    const idx = order.slice(from, to);
    return { inputs: idx.map((i) => all[i]), labels: idx.map((i) => labels[i]) };
  };
  return {
    train: take(0, nTrain),
    validation: take(nTrain, nTrain + nVal),
    test: take(nTrain + nVal, o.n),
    nBits: o.nBits,
    nClasses: 3,
  };
}

/** Counts of each class in `labels` (`[count of 0, of 1, of 2]`). */
export function classCounts(labels: readonly number[], nClasses = 3): number[] {
  const c = new Array<number>(nClasses).fill(0);
  for (const y of labels) {
    if (!Number.isInteger(y) || y < 0 || y >= nClasses)
      throw new Error(`classCounts: label ${y} is not in [0, ${nClasses})`);
    c[y]++;
  }
  return c;
}
