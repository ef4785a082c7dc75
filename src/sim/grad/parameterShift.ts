/**
 * The parameter-shift rule (Yan et al. Eq. 5–6; Mitarai et al., PRA 98, 032309 (2018); Schuld et al., PRA 99,
 * 032331 (2019)): ∂⟨O⟩/∂θ = ½[⟨O⟩(θ + π/2) − ⟨O⟩(θ − π/2)] per rotation occurrence; controlled rotations (generator
 * with eigenvalues {0, ±½}) use the four-term rule of Anselmetti et al., NJP 23, 113010 (2021), Eq. 6.
 */
import { Statevector } from "../state/statevector";
import { Circuit, checkParams } from "../program/circuit";
import { runProgram } from "../backends/engine";

/**
 * Jacobian of a vector of expectation values f(φ) ∈ ℝ^K with respect to params, by the parameter-shift rule
 * (Yan et al. Eq. 5–6; four-term rule for controlled rotations). Costs 2 (or 4) circuit runs per parametric
 * gate occurrence. `f` must be linear in |φ⟩⟨φ| (an expectation value), else the rule does not hold.
 * @returns `[nParams][K]` row-major as an array of Float64Array rows.
 */
export function parameterShiftJacobian(
  circuit: Circuit,
  params: ArrayLike<number>,
  input: Statevector,
  f: (phi: Statevector) => Float64Array,
): Float64Array[] {
  circuit.checkNoiseless("parameterShiftJacobian");
  checkParams("parameterShiftJacobian", params, circuit.nParams);
  const program = circuit.program(false);
  const phi = input.clone();
  return shiftRuleJacobian(circuit, params, (angles) => {
    phi.copyFrom(input);
    runProgram(program, angles, phi.re, phi.im);
    return f(phi);
  });
}

/**
 * The parameter-shift rule over any executor: `evaluate(angles)` returns a vector of expectation values at the
 * given gate-occurrence angles (length circuit.nOccurrences; a statevector, a density matrix under noise, or a
 * finite-shot estimate — the rule holds for each, since an expectation value is a trigonometric polynomial of
 * degree ½ in every single rotation angle whatever channels follow it). Two evaluations per rotation occurrence,
 * four for controlled rotations (Anselmetti et al. 2021, Eq. 6); occurrences sharing a parameter add up with
 * their scale.
 * @returns `[nParams][K]` rows.
 * @throws Error on a wrong parameter count or a non-finite parameter.
 */
export function shiftRuleJacobian(
  circuit: Circuit,
  params: ArrayLike<number>,
  evaluate: (angles: Float64Array) => Float64Array,
): Float64Array[] {
  const base = circuit.angles(params);
  const K = evaluate(base).length;
  const jac = Array.from({ length: circuit.nParams }, () => new Float64Array(K));
  const controlled = new Set<number>();
  for (const op of circuit.ops) if (op.kind === "rot" && op.controls.length) controlled.add(op.occ);
  const shifted = base.slice();
  const at = (occ: number, delta: number) => {
    shifted.set(base);
    shifted[occ] = base[occ] + delta;
    return evaluate(shifted);
  };
  const c1 = (Math.SQRT2 + 1) / (4 * Math.SQRT2),
    c2 = (Math.SQRT2 - 1) / (4 * Math.SQRT2);
  for (let occ = 0; occ < base.length; occ++) {
    const ref = circuit.occurrences[occ];
    const row = jac[ref.index];
    const plus = at(occ, Math.PI / 2),
      minus = at(occ, -Math.PI / 2);
    if (!controlled.has(occ)) {
      for (let k = 0; k < K; k++) row[k] += ref.scale * 0.5 * (plus[k] - minus[k]);
    } else {
      const plus3 = at(occ, (3 * Math.PI) / 2),
        minus3 = at(occ, (-3 * Math.PI) / 2);
      for (let k = 0; k < K; k++) row[k] += ref.scale * (c1 * (plus[k] - minus[k]) - c2 * (plus3[k] - minus3[k]));
    }
  }
  return jac;
}
