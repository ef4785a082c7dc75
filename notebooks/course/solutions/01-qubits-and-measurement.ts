// Solutions to the exercises of notebooks/course/01-qubits-and-measurement.ipynb. Not shown in the notebook; the tests
// (test/notebooks/course-solutions.test.ts) run each function and check its answer against an independent computation.
import { Circuit, PauliString, Statevector } from "qnn-kd";
import { sampleMeasurements, sampledExpectationZ } from "qnn-kd/sim";

/**
 * Exercise 1. |110⟩ in ket order is qubit 2 = 1, qubit 1 = 1, qubit 0 = 0: X on qubits 1 and 2. Little-endian: the
 * index is 2^1 + 2^2 = 6.
 */
export function exercise1(): { state: Statevector; index: number } {
  const state = new Circuit(3).x(1).x(2).run();
  return { state, index: state.probabilities().findIndex((p) => p > 0.5) };
}

/**
 * Exercise 2. GHZ = (|000⟩ + |111⟩)/√2. X⊗X⊗X swaps |000⟩ and |111⟩, whose amplitudes are equal, so ⟨XXX⟩ = 1;
 * Z⊗Z⊗Z is +1 on |000⟩ and −1 on |111⟩ (odd parity), each with probability ½, so ⟨ZZZ⟩ = 0.
 */
export function exercise2(): { state: Statevector; xxx: number; zzz: number } {
  const state = new Circuit(3).h(0).cnot(0, 1).cnot(1, 2).run();
  return {
    state,
    xxx: PauliString.fromLabel("XXX").expectation(state),
    zzz: PauliString.fromLabel("ZZZ").expectation(state),
  };
}

/**
 * Exercise 3. P(1) = sin²(θ/2) for RY(θ)|0⟩. From shots, P(1) = (1 − ⟨Z⟩_est)/2. The standard error of a frequency is
 * √(p(1 − p)/S), so S = p(1 − p)/0.005² shots give 0.005 (about 7100 at θ = 1).
 */
export function exercise3(theta = 1, shots = 2000, seed = 7): { estimate: number; exact: number; shotsFor0005: number } {
  const state = new Circuit(1).ry(0, theta).run();
  const samples = sampleMeasurements(state, shots, seed);
  const estimate = (1 - sampledExpectationZ(samples, 0)) / 2;
  const exact = Math.sin(theta / 2) ** 2;
  return { estimate, exact, shotsFor0005: Math.ceil((exact * (1 - exact)) / 0.005 ** 2) };
}
