// Shot sampling against the Born rule: frequencies against exact probabilities (a chi-square bound), the
// sampled ⟨Z⟩ against expectationZ within its binomial standard error, determinism per seed, bad inputs.
import { describe, expect, it } from "vitest";
import { Circuit, Statevector, expectationZ } from "qnn-kd";
import { bitstring, measurementCounts, sampleMeasurements, sampledExpectationZ } from "qnn-kd/sim";
import { Rng } from "../../src/util/rng";
import { randomState } from "../helpers";

describe("sampleMeasurements", () => {
  it("frequencies of a random 3-qubit state pass a chi-square test against |amplitude|² (p > 0.001)", () => {
    const s = randomState(3, new Rng(5));
    const shots = 50000;
    const counts = measurementCounts(sampleMeasurements(s, shots, 1), 3);
    const p = s.probabilities();
    let chi2 = 0;
    for (let i = 0; i < 8; i++) chi2 += (counts[i] - shots * p[i]) ** 2 / (shots * p[i]);
    // 7 degrees of freedom: P(chi2 > 24.3) = 0.001
    expect(chi2).toBeLessThan(24.3);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(shots);
  });
  it("never returns an outcome of probability zero (Bell state: only 00 and 11)", () => {
    const bell = new Circuit(2).h(0).cnot(0, 1).run();
    const c = measurementCounts(sampleMeasurements(bell, 10000, 3), 2);
    expect(c[1]).toBe(0);
    expect(c[2]).toBe(0);
    expect(Math.abs(c[0] - 5000)).toBeLessThan(4 * 50);
  });
  it("a basis state always gives its index; the same seed gives the same shots, another seed others", () => {
    expect(Array.from(sampleMeasurements(Statevector.basis(4, 11), 20, 0))).toEqual(new Array(20).fill(11));
    const s = randomState(4, new Rng(2));
    expect(sampleMeasurements(s, 100, "a")).toEqual(sampleMeasurements(s, 100, "a"));
    expect(sampleMeasurements(s, 100, "a")).not.toEqual(sampleMeasurements(s, 100, "b"));
  });
  it("sampled ⟨Z_q⟩ is within 4 standard errors of expectationZ on every qubit", () => {
    const s = randomState(3, new Rng(9));
    const shots = 20000,
      samples = sampleMeasurements(s, shots, 4);
    for (let q = 0; q < 3; q++) {
      const z = expectationZ(s, [q])[0];
      expect(Math.abs(sampledExpectationZ(samples, q) - z)).toBeLessThan(4 * Math.sqrt((1 - z * z) / shots) + 1e-12);
    }
  });
  it("rejects bad shot counts, zero states and outcomes outside the register", () => {
    const s = Statevector.zero(2);
    expect(() => sampleMeasurements(s, 0, 0)).toThrow(/shots must be an integer in \[1, 1e8\], got 0/);
    expect(() => sampleMeasurements(s, 1.5, 0)).toThrow(/got 1.5/);
    expect(() => sampleMeasurements(new Statevector(1, new Float64Array(2), new Float64Array(2)), 1, 0)).toThrow(
      /zero norm/,
    );
    expect(() => measurementCounts([4], 2)).toThrow(/outcome 4 is not a basis state of 2 qubits/);
    expect(() => sampledExpectationZ([], 0)).toThrow(/no samples/);
  });
});

describe("bitstring", () => {
  it("writes qubit n−1 first (ket order): index 1 of 3 qubits is 001, index 6 is 110", () => {
    expect(bitstring(1, 3)).toBe("001");
    expect(bitstring(6, 3)).toBe("110");
    // the convention shown on amplitudes: X on qubit 2 of |000⟩ sets index 4 = "100"
    const s = new Circuit(3).x(2).run();
    expect(bitstring(s.probabilities().indexOf(1), 3)).toBe("100");
    expect(() => bitstring(8, 3)).toThrow(/index must be an integer in \[0, 8\) for 3 qubits, got 8/);
  });
});
