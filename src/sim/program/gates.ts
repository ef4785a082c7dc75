/**
 * Single-qubit gate matrices as 2×2 complex matrices packed in a `Float64Array(8)`:
 * `[re00, im00, re01, im01, re10, im10, re11, im11]` (row-major; entry `ab` maps input |b⟩ to output |a⟩).
 *
 * Rotations follow R_P(θ) = exp(−iθP/2) (Yan et al. Eq. 1; angles in radians).
 */

/** A 2×2 complex matrix, layout in the module doc. */
export type Mat2 = Float64Array;

/** Builds a {@link Mat2} from entries given as [re, im] pairs. */
export function mat2(a00: [number, number], a01: [number, number], a10: [number, number], a11: [number, number]): Mat2 {
  return Float64Array.of(a00[0], a00[1], a01[0], a01[1], a10[0], a10[1], a11[0], a11[1]);
}

const S2 = Math.SQRT1_2;
/** Hadamard. */
export const H_MAT: Mat2 = mat2([S2, 0], [S2, 0], [S2, 0], [-S2, 0]);
/** Pauli X. */
export const X_MAT: Mat2 = mat2([0, 0], [1, 0], [1, 0], [0, 0]);
/** Pauli Y. */
export const Y_MAT: Mat2 = mat2([0, 0], [0, -1], [0, 1], [0, 0]);
/** Pauli Z. */
export const Z_MAT: Mat2 = mat2([1, 0], [0, 0], [0, 0], [-1, 0]);
/** Phase gate S = diag(1, i). */
export const S_MAT: Mat2 = mat2([1, 0], [0, 0], [0, 0], [0, 1]);
/** S† = diag(1, −i). */
export const SDG_MAT: Mat2 = mat2([1, 0], [0, 0], [0, 0], [0, -1]);
/** T = diag(1, e^{iπ/4}). */
export const T_MAT: Mat2 = mat2([1, 0], [0, 0], [0, 0], [S2, S2]);
/** Identity. */
export const I_MAT: Mat2 = mat2([1, 0], [0, 0], [0, 0], [1, 0]);

/** Rotation axes of parametric gates: 0 = X, 1 = Y, 2 = Z. */
export type Axis = 0 | 1 | 2;

/** R_axis(θ) = exp(−iθP/2) written into `out` (allocated when omitted). */
export function rotationMatrix(axis: Axis, theta: number, out: Mat2 = new Float64Array(8)): Mat2 {
  const c = Math.cos(theta / 2),
    s = Math.sin(theta / 2);
  out.fill(0);
  if (axis === 0) {
    // [[c, −is], [−is, c]]
    out[0] = c;
    out[3] = -s;
    out[5] = -s;
    out[6] = c;
  } else if (axis === 1) {
    // [[c, −s], [s, c]]
    out[0] = c;
    out[2] = -s;
    out[4] = s;
    out[6] = c;
  } else {
    // diag(e^{−iθ/2}, e^{iθ/2})
    out[0] = c;
    out[1] = -s;
    out[6] = c;
    out[7] = s;
  }
  return out;
}

/** dR_axis(θ)/dθ = −(i/2)·P·R_axis(θ), written into `out`. */
export function rotationDerivative(axis: Axis, theta: number, out: Mat2 = new Float64Array(8)): Mat2 {
  const c = Math.cos(theta / 2) / 2,
    s = Math.sin(theta / 2) / 2;
  out.fill(0);
  if (axis === 0) {
    // ½[[−s, −ic], [−ic, −s]]
    out[0] = -s;
    out[3] = -c;
    out[5] = -c;
    out[6] = -s;
  } else if (axis === 1) {
    // ½[[−s, −c], [c, −s]]
    out[0] = -s;
    out[2] = -c;
    out[4] = c;
    out[6] = -s;
  } else {
    // diag(−(i/2)e^{−iθ/2}, (i/2)e^{iθ/2}) = diag(−s − ic, −s + ic)
    out[0] = -s;
    out[1] = -c;
    out[6] = -s;
    out[7] = c;
  }
  return out;
}

/** out = a·b (out may alias neither a nor b). */
export function matmul2(a: Mat2, b: Mat2, out: Mat2 = new Float64Array(8)): Mat2 {
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 2; c++) {
      const x0r = a[r * 4],
        x0i = a[r * 4 + 1],
        x1r = a[r * 4 + 2],
        x1i = a[r * 4 + 3];
      const y0r = b[c * 2],
        y0i = b[c * 2 + 1],
        y1r = b[4 + c * 2],
        y1i = b[4 + c * 2 + 1];
      out[r * 4 + c * 2] = x0r * y0r - x0i * y0i + x1r * y1r - x1i * y1i;
      out[r * 4 + c * 2 + 1] = x0r * y0i + x0i * y0r + x1r * y1i + x1i * y1r;
    }
  }
  return out;
}

/** out = a† (conjugate transpose). */
export function dagger2(a: Mat2, out: Mat2 = new Float64Array(8)): Mat2 {
  out[0] = a[0];
  out[1] = -a[1];
  out[2] = a[4];
  out[3] = -a[5];
  out[4] = a[2];
  out[5] = -a[3];
  out[6] = a[6];
  out[7] = -a[7];
  return out;
}

/**
 * A general single-qubit unitary U3(θ, φ, λ) = [[cos(θ/2), −e^{iλ} sin(θ/2)], [e^{iφ} sin(θ/2), e^{i(φ+λ)} cos(θ/2)]]
 * (OpenQASM 3 convention).
 */
export function u3Matrix(theta: number, phi: number, lambda: number): Mat2 {
  const c = Math.cos(theta / 2),
    s = Math.sin(theta / 2);
  return mat2(
    [c, 0],
    [-Math.cos(lambda) * s, -Math.sin(lambda) * s],
    [Math.cos(phi) * s, Math.sin(phi) * s],
    [Math.cos(phi + lambda) * c, Math.sin(phi + lambda) * c],
  );
}

/**
 * Checks that `m` is a unitary 2×2 matrix to within `tol`.
 * @throws Error quoting the deviation of m†m from the identity, or a wrong length / non-finite entry.
 */
export function checkUnitary2(where: string, m: ArrayLike<number>, tol = 1e-10): Mat2 {
  if (m.length !== 8)
    throw new Error(
      `${where}: a 2×2 complex matrix needs 8 numbers [re00, im00, re01, im01, re10, im10, re11, im11], got ${m.length}`,
    );
  for (let i = 0; i < 8; i++)
    if (!Number.isFinite(m[i])) throw new Error(`${where}: matrix entry ${i} is not finite (${m[i]})`);
  const a = Float64Array.from(m);
  const p = matmul2(dagger2(a), a);
  const dev = Math.max(
    Math.abs(p[0] - 1),
    Math.abs(p[1]),
    Math.abs(p[2]),
    Math.abs(p[3]),
    Math.abs(p[4]),
    Math.abs(p[5]),
    Math.abs(p[6] - 1),
    Math.abs(p[7]),
  );
  if (dev > tol) throw new Error(`${where}: matrix is not unitary (max |U†U − I| = ${dev.toExponential(2)})`);
  return a;
}
