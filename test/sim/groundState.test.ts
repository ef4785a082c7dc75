import { describe, expect, it } from "vitest";
import {
  DENSE_AUTO_MAX_QUBITS,
  compilePauliSum,
  fixGlobalPhase,
  groundState,
  sectorGroundState,
  xParitySector,
} from "../../src/sim/state/groundState";
import { lanczosGroundState } from "../../src/linalg/lanczos";
import { eigHermitian } from "../../src/linalg/eigen";
import { PauliLetter, PauliString, PauliSum } from "../../src/sim/state/pauli";
import { Statevector } from "../../src/sim/state/statevector";
import { zxzHamiltonian } from "../../src/datasets/zxz";
import { Rng } from "../../src/util/rng";

/** |⟨a|b⟩|. */
function overlap(a: Statevector, b: Statevector): number {
  const [r, i] = a.inner(b);
  return Math.hypot(r, i);
}

/** Random Hermitian PauliSum with `nTerms` random strings (X, Y, Z, I letters) and normal coefficients. */
function randomPauliSum(n: number, nTerms: number, rng: Rng): PauliSum {
  const letters: PauliLetter[] = ["I", "X", "Y", "Z"];
  const H = new PauliSum(n);
  for (let t = 0; t < nTerms; t++) {
    const ops: Array<[number, PauliLetter]> = [];
    for (let q = 0; q < n; q++) ops.push([q, letters[rng.int(4)]]);
    H.add(ops, rng.normal());
  }
  return H;
}

describe("Lanczos against dense diagonalisation (independent route)", () => {
  it("ZXZ chain, N = 6..9, random h1 in the paramagnet: energy, |overlap| ≈ 1, residual", () => {
    const rng = new Rng("lanczos-zxz");
    for (let n = 6; n <= 9; n++) {
      const h1 = rng.uniform(1.2, 2);
      const H = zxzHamiltonian(n, { h1 });
      const dense = groundState(H, { method: "dense" });
      for (const reorthogonalize of ["full", "partial"] as const) {
        const lz = groundState(H, { method: "lanczos", reorthogonalize, seed: n });
        expect(lz.method).toBe("lanczos");
        expect(Math.abs(lz.energy - dense.energy)).toBeLessThan(1e-9);
        expect(overlap(lz.state, dense.state)).toBeGreaterThan(1 - 1e-10);
        expect(lz.residual).toBeLessThanOrEqual(1e-10);
        expect(Math.abs(lz.state.norm2() - 1)).toBeLessThan(1e-12);
        // Same global-phase convention: the states agree amplitude by amplitude, not only up to a phase.
        let diff = 0;
        for (let i = 0; i < lz.state.dim; i++) diff = Math.max(diff, Math.abs(lz.state.re[i] - dense.state.re[i]));
        expect(diff).toBeLessThan(1e-8);
      }
    }
  });

  it("a non-degenerate random complex PauliSum (with Y terms) on 5 qubits, all reorthogonalisation modes", () => {
    const H = randomPauliSum(5, 24, new Rng("random-pauli"));
    expect(compilePauliSum(H).real).toBe(false);
    const M = H.toMatrix();
    const eig = eigHermitian(M.dim, M.re, M.im);
    expect(eig.values[1] - eig.values[0]).toBeGreaterThan(1e-2); // non-degenerate ground state
    const dense = groundState(H, { method: "dense" });
    expect(dense.energy).toBeCloseTo(eig.values[0], 12);
    for (const reorthogonalize of ["full", "partial", "none"] as const) {
      const lz = groundState(H, { method: "lanczos", reorthogonalize });
      expect(Math.abs(lz.energy - dense.energy)).toBeLessThan(1e-8);
      expect(overlap(lz.state, dense.state)).toBeGreaterThan(1 - 1e-8);
      expect(lz.residual).toBeLessThanOrEqual(1e-10);
    }
  });

  it("SPT phase with open boundaries (near-degenerate edge modes): a normalised state inside the low-energy space", () => {
    // N = 8, h1 = 0.05: the four lowest levels are split by ~1e-5..1e-7, well below the bulk gap ~ 2(J − h1).
    const H = zxzHamiltonian(8, { h1: 0.05 });
    const M = H.toMatrix();
    const eig = eigHermitian(M.dim, M.re, null);
    expect(eig.values[3] - eig.values[0]).toBeLessThan(1e-3);
    expect(eig.values[4] - eig.values[3]).toBeGreaterThan(1);
    const lz = groundState(H, { method: "lanczos" });
    expect(Math.abs(lz.state.norm2() - 1)).toBeLessThan(1e-12);
    expect(lz.residual).toBeLessThanOrEqual(1e-10);
    expect(lz.energy - eig.values[0]).toBeLessThan(1e-9);
    // Weight inside the span of the four lowest eigenvectors.
    let w = 0;
    for (let k = 0; k < 4; k++) {
      let s = 0;
      for (let i = 0; i < M.dim; i++) s += eig.vectorsRe[k][i] * lz.state.re[i];
      w += s * s;
    }
    expect(w).toBeGreaterThan(1 - 1e-12);
  });

  it("an exact invariant subspace (start vector = eigenvector) stops after one step", () => {
    // H = −Σ X_i (J = 0) has the ground state |+⟩^⊗5 with energy −5 (hand derivation).
    const Hx = zxzHamiltonian(5, { h1: 1, J: 0 });
    const plus = Statevector.fromAmplitudes(new Float64Array(32).fill(1), undefined, { normalize: true });
    const r = groundState(Hx, { method: "lanczos", start: plus });
    expect(r.iterations).toBe(1);
    expect(r.energy).toBeCloseTo(-5, 12);
  });

  it("groundState auto picks dense up to DENSE_AUTO_MAX_QUBITS and Lanczos above; phase convention holds", () => {
    expect(DENSE_AUTO_MAX_QUBITS).toBe(8);
    expect(groundState(zxzHamiltonian(4, { h1: 1.5 })).method).toBe("dense");
    const g = groundState(zxzHamiltonian(9, { h1: 1.5 }));
    expect(g.method).toBe("lanczos");
    let best = 0;
    for (let i = 0; i < g.state.dim; i++)
      if (Math.abs(g.state.re[i]) > Math.abs(g.state.re[best]) * (1 + 1e-8)) best = i;
    expect(g.state.re[best]).toBeGreaterThan(0);
    expect(g.state.im.every((v) => v === 0)).toBe(true); // real Hamiltonian → real arithmetic
  });
});

describe("compilePauliSum and fixGlobalPhase", () => {
  it("compiled application equals PauliSum.apply for a random complex sum (grouped and term-by-term)", () => {
    const rng = new Rng("compile");
    const H = randomPauliSum(6, 40, rng);
    H.add({ 0: "Z", 3: "Z" }, 0.7); // a diagonal term
    const c = compilePauliSum(H);
    expect(c.groups).toBeLessThanOrEqual(H.terms.length);
    const re = Float64Array.from({ length: 64 }, () => rng.normal());
    const im = Float64Array.from({ length: 64 }, () => rng.normal());
    const ref = H.apply(new Statevector(6, re, im));
    const or = new Float64Array(64),
      oi = new Float64Array(64);
    c.apply(re, im, or, oi);
    for (let i = 0; i < 64; i++) {
      expect(or[i]).toBeCloseTo(ref.re[i], 12);
      expect(oi[i]).toBeCloseTo(ref.im[i], 12);
    }
    expect(() => c.applyReal(re, or)).toThrow(/complex operator/);
    const Z = zxzHamiltonian(6, { h1: 0.4, h2: 0.3 });
    const cz = compilePauliSum(Z);
    expect(cz.real).toBe(true);
    const out = new Float64Array(64);
    cz.applyReal(re, out);
    const refZ = Z.apply(new Statevector(6, re, new Float64Array(64)));
    for (let i = 0; i < 64; i++) expect(out[i]).toBeCloseTo(refZ.re[i], 12);
  });

  it("fixGlobalPhase makes the first largest amplitude real positive and undoes any global phase", () => {
    const re = Float64Array.from([0.1, 0.5, -0.5, 0.2]);
    const im = Float64Array.from([0.3, 0.5, 0.1, 0]);
    const phi = 1.234;
    const re2 = re.map((r, i) => Math.cos(phi) * r - Math.sin(phi) * im[i]);
    const im2 = re.map((r, i) => Math.sin(phi) * r + Math.cos(phi) * im[i]);
    expect(fixGlobalPhase(re, im)).toBe(1);
    expect(fixGlobalPhase(re2, im2)).toBe(1);
    expect(im[1]).toBe(0);
    expect(re[1]).toBeCloseTo(Math.hypot(0.5, 0.5), 15);
    for (let i = 0; i < 4; i++) {
      expect(re2[i]).toBeCloseTo(re[i], 14);
      expect(im2[i]).toBeCloseTo(im[i], 14);
    }
    expect(() => fixGlobalPhase(new Float64Array(2), new Float64Array(2))).toThrow(/all amplitudes are zero/);
  });
});

describe("Lanczos: bad inputs and failure", () => {
  const H = zxzHamiltonian(6, { h1: 1.3 });
  const op = compilePauliSum(H);
  it("throws a clear error quoting the residual when it cannot converge", () => {
    expect(() => lanczosGroundState(op.apply, op.dim, { maxIter: 3, maxRestarts: 1 })).toThrow(
      /no convergence after 6 iterations.*residual ‖Hx − Ex‖ = \d.*> tol 1e-10/,
    );
  });
  it("rejects bad options, quoting them", () => {
    expect(() => lanczosGroundState(op.apply, op.dim, { tol: 0 })).toThrow(/tol must be a positive number, got 0/);
    expect(() => lanczosGroundState(op.apply, op.dim, { maxIter: 0 })).toThrow(
      /maxIter must be an integer in \[1, 100000\], got 0/,
    );
    expect(() => lanczosGroundState(op.apply, op.dim, { reorthogonalize: "some" as never })).toThrow(
      /reorthogonalize must be one of "full", "partial", "none", got "some"/,
    );
    expect(() => lanczosGroundState(op.apply, op.dim, { restarts: 2 } as never)).toThrow(/unknown option "restarts"/);
    expect(() => lanczosGroundState(op.apply, op.dim, { start: { re: [1, 0] } })).toThrow(
      /start.re must have length 64, got 2/,
    );
    expect(() => lanczosGroundState(op.apply, op.dim, { start: { re: new Float64Array(64) } })).toThrow(/norm 0/);
    expect(() => groundState(H, { method: "exact" as never })).toThrow(
      /method must be one of "auto", "dense", "lanczos", got "exact"/,
    );
    expect(() => groundState(new PauliSum(13, [new PauliString(13, { 0: "Z" })]), { method: "dense" })).toThrow(
      /at most 12 qubits, got 13/,
    );
  });
  it("real: true with a complex operator is detected", () => {
    const C = new PauliSum(2).add({ 0: "Y" }, 1).add({ 1: "X" }, 0.3);
    const c = compilePauliSum(C);
    expect(() => lanczosGroundState(c.apply, 4, { real: true })).toThrow(
      /real: true, but apply returned a nonzero imaginary part/,
    );
  });
});

describe("xParitySector: the reduced operator of a symmetry sector", () => {
  it("H_red·c expands to H·ψ (ZXZ chain, N = 6, all four sectors); expand/project round trip; dims 2^(N−2)", () => {
    const n = 6,
      even = 0b010101,
      odd = 0b101010;
    const H = zxzHamiltonian(n, { h1: 0.7, h2: 0.3 });
    for (const signs of [
      [1, 1],
      [1, -1],
      [-1, 1],
      [-1, -1],
    ]) {
      const sec = xParitySector(H, [even, odd], signs);
      expect(sec.dim).toBe(16);
      const c = Float64Array.from({ length: sec.dim }, (_, i) => Math.sin(1 + 0.7 * i));
      const psi = sec.expand(c);
      expect(Array.from(sec.project(psi)).every((v, i) => Math.abs(v - c[i]) < 1e-12)).toBe(true);
      const hc = new Float64Array(sec.dim);
      sec.apply(c, hc);
      const hpsi = H.apply(psi);
      const back = sec.expand(hc);
      for (let i = 0; i < psi.dim; i++) expect(Math.abs(hpsi.re[i] - back.re[i])).toBeLessThan(1e-12);
    }
  });
  it("sectorGroundState: dense = Lanczos in the sector, and a warm start from the answer converges at once", () => {
    const sec = xParitySector(zxzHamiltonian(9, { h1: 0.6 }), [0b101010101, 0b010101010]);
    const d = sectorGroundState(sec, { method: "dense" });
    const l = sectorGroundState(sec, { method: "lanczos" });
    expect(Math.abs(d.energy - l.energy)).toBeLessThan(1e-10);
    expect(l.residual).toBeLessThan(1e-10);
    const w = sectorGroundState(sec, { method: "lanczos", start: l.reduced });
    expect(w.iterations).toBeLessThan(l.iterations);
  });
  it("rejects a term that anticommutes with a parity, a complex H, overlapping pivots and bad signs", () => {
    const H = zxzHamiltonian(5, { h1: 0.5 });
    expect(() => xParitySector(H, [0b00001])).toThrow(/anticommutes/);
    expect(() => xParitySector(H, [0b10101, 0b00101])).toThrow(/lowest bit/);
    expect(() => xParitySector(H, [0b10101], [2])).toThrow(/signs/);
    expect(() => xParitySector(new PauliSum(2, [new PauliString(2, { 0: "Y" })]), [0b11])).toThrow(/real/);
    expect(() => sectorGroundState(xParitySector(H, [0b10101, 0b01010]), { start: new Float64Array(3) })).toThrow(
      /start/,
    );
  });
});
