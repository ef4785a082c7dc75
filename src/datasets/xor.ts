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
 * @packageDocumentation
 */
import { Rng, toRng } from "../util/rng";
import { checkInt, checkNumber, withDefaults } from "../util/options";

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
}

const XOR_DEFAULTS: ExtendedXorOptions = { n: 1000, nBits: 64, trainFraction: 0.8, validationFraction: 0.1, seed: 0 };

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

/** The class of a bit vector by the rule of the module doc. */
export function xorClass(bits: ArrayLike<number>): number {
  if (bits.length < 2) throw new Error(`xorClass: need at least two bits, got ${bits.length}`);
  const a = bits[0], b = bits[1];
  if ((a !== 0 && a !== 1) || (b !== 0 && b !== 1)) throw new Error(`xorClass: bits must be 0 or 1, got ${a}, ${b}`);
  return a === b ? 0 : a === 1 ? 1 : 2;
}

/**
 * Draws the extended XOR data (see the module doc).
 * @throws Error for n < 10, nBits < 2, or fractions that do not leave a non-empty test split.
 */
export function extendedXor(options: Partial<ExtendedXorOptions> = {}): ExtendedXorData {
  const o = withDefaults("extendedXor", { ...XOR_DEFAULTS }, options);
  checkInt("extendedXor", "n", o.n, 10);
  checkInt("extendedXor", "nBits", o.nBits, 2);
  checkNumber("extendedXor", "trainFraction", o.trainFraction, 0, 1);
  checkNumber("extendedXor", "validationFraction", o.validationFraction, 0, 1);
  const nTrain = Math.round(o.n * o.trainFraction), nVal = Math.round(o.n * o.validationFraction);
  if (nTrain < 1 || nTrain + nVal >= o.n) {
    throw new Error(`extendedXor: trainFraction ${o.trainFraction} and validationFraction ${o.validationFraction} of n = ${o.n} leave no test samples`);
  }
  const rng = toRng(o.seed);
  const bitsRng = rng.fork("bits");
  const all = Array.from({ length: o.n }, () => Float64Array.from({ length: o.nBits }, () => bitsRng.int(2)));
  const order = rng.fork("split").permutation(o.n);
  const take = (from: number, to: number): XorSplit => {
    const inputs = order.slice(from, to).map((i) => all[i]);
    return { inputs, labels: inputs.map(xorClass) };
  };
  return { train: take(0, nTrain), validation: take(nTrain, nTrain + nVal), test: take(nTrain + nVal, o.n), nBits: o.nBits, nClasses: 3 };
}

/** Counts of each class in `labels` (`[count of 0, of 1, of 2]`). */
export function classCounts(labels: readonly number[], nClasses = 3): number[] {
  const c = new Array<number>(nClasses).fill(0);
  for (const y of labels) {
    if (!Number.isInteger(y) || y < 0 || y >= nClasses) throw new Error(`classCounts: label ${y} is not in [0, ${nClasses})`);
    c[y]++;
  }
  return c;
}
