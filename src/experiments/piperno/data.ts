/**
 * Piperno et al. Fig. 1, the data: the extended XOR split of a seed, and the check that a three-class softmax over
 * fixed linear scores separates it.
 *
 * @packageDocumentation
 */
import { extendedXor, ExtendedXorData } from "../../datasets/xor";
import { PipernoConfig } from "./config";

/**
 * The data of one seed (`extendedXor` with the seed's "data" stream, the config's rule and label noise). The bits and
 * the split of a seed are the same whatever the rule and noise (their streams are separate).
 */
export function pipernoData(cfg: PipernoConfig, seed: number): ExtendedXorData {
  return extendedXor({
    n: cfg.n,
    nBits: cfg.nBits,
    trainFraction: cfg.trainFraction,
    validationFraction: cfg.validationFraction,
    seed: `${seed}/data`,
    rule: cfg.rule,
    labelNoise: cfg.labelNoise,
  });
}

/**
 * The claim that the data are not linearly separable, tested by construction: three linear scores
 * s_0 = 0, s_1 = x_0 − x_1 − ½, s_2 = x_1 − x_0 − ½ (argmax) classify every sample correctly, since the class depends
 * only on bits 0 and 1 (00, 11 → 0; 10 → 1; 01 → 2). A 64→3 softmax student can therefore fit the data exactly.
 * @returns the accuracy of these scores on the given samples (1 when the construction holds).
 */
export function linearSeparabilityCheck(split: {
  inputs: readonly ArrayLike<number>[];
  labels: readonly number[];
}): number {
  let ok = 0;
  split.inputs.forEach((x, i) => {
    const s = [0, x[0] - x[1] - 0.5, x[1] - x[0] - 0.5];
    const pred = s.indexOf(Math.max(...s));
    if (pred === split.labels[i]) ok++;
  });
  return ok / split.inputs.length;
}
