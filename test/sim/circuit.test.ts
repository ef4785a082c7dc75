// Statevector simulator: amplitudes against hand-derived states and each gate against its textbook matrix.
import { describe, expect, it } from "vitest";
import { Circuit, Statevector, param, expectationZ, PauliString, PauliSum } from "qnn-kd";
import { u3Matrix } from "../../src/sim/program/gates";
import { Rng } from "../../src/util/rng";
import { randomState } from "../helpers";

const S2 = Math.SQRT1_2;

/** Dense reference: applies the 2×2 complex matrix m (rows [[a,b],[c,d]] as [re,im] pairs) on qubit t by building the full 2^n matrix. */
function denseApply(state: Statevector, t: number, m: number[][][], controls: number[] = []): Statevector {
  const dim = state.dim;
  const outRe = new Float64Array(dim),
    outIm = new Float64Array(dim);
  for (let col = 0; col < dim; col++) {
    const ctrlOn = controls.every((c) => (col >> c) & 1);
    for (let row = 0; row < dim; row++) {
      // matrix element ⟨row|G|col⟩
      let er = 0,
        ei = 0;
      if (!ctrlOn) {
        er = row === col ? 1 : 0;
      } else if ((row & ~(1 << t)) === (col & ~(1 << t))) {
        const a = (row >> t) & 1,
          b = (col >> t) & 1;
        [er, ei] = m[a][b];
      }
      outRe[row] += er * state.re[col] - ei * state.im[col];
      outIm[row] += er * state.im[col] + ei * state.re[col];
    }
  }
  return new Statevector(state.nQubits, outRe, outIm);
}

function expectClose(a: Statevector, b: Statevector, tol = 1e-12) {
  for (let i = 0; i < a.dim; i++) {
    expect(Math.abs(a.re[i] - b.re[i])).toBeLessThan(tol);
    expect(Math.abs(a.im[i] - b.im[i])).toBeLessThan(tol);
  }
}

describe("qubit ordering and entangled states", () => {
  it("is little-endian: X on qubit 0 gives index 1, X on qubit 2 gives index 4", () => {
    expect(new Circuit(3).x(0).run().re[1]).toBe(1);
    expect(new Circuit(3).x(2).run().re[4]).toBe(1);
    // |q2 q1 q0⟩ = |011⟩ = index 3
    expect(new Circuit(3).x(0).x(1).run().re[3]).toBe(1);
  });
  it("prepares the Bell state (|00⟩ + |11⟩)/√2", () => {
    const s = new Circuit(2).h(0).cnot(0, 1).run();
    expect(Array.from(s.re)).toEqual([S2, 0, 0, S2].map((v) => expect.closeTo(v, 14)));
    expect(Array.from(s.im)).toEqual([0, 0, 0, 0]);
  });
  it("prepares the 5-qubit GHZ state", () => {
    const c = new Circuit(5).h(0);
    for (let q = 0; q < 4; q++) c.cnot(q, q + 1);
    const s = c.run();
    for (let i = 0; i < 32; i++) expect(s.re[i]).toBeCloseTo(i === 0 || i === 31 ? S2 : 0, 14);
  });
  it("⟨Z_q⟩ matches the one-hot basis state", () => {
    const s = new Circuit(3).x(1).run();
    expect(Array.from(expectationZ(s, [0, 1, 2]))).toEqual([1, -1, 1]);
  });
});

describe("each gate against its matrix", () => {
  const rng = new Rng(7);
  const th = 0.7311;
  const c = Math.cos(th / 2),
    s = Math.sin(th / 2);
  const cases: Array<[string, (ci: Circuit, q: number) => Circuit, number[][][]]> = [
    [
      "H",
      (ci, q) => ci.h(q),
      [
        [
          [S2, 0],
          [S2, 0],
        ],
        [
          [S2, 0],
          [-S2, 0],
        ],
      ],
    ],
    [
      "X",
      (ci, q) => ci.x(q),
      [
        [
          [0, 0],
          [1, 0],
        ],
        [
          [1, 0],
          [0, 0],
        ],
      ],
    ],
    [
      "Y",
      (ci, q) => ci.y(q),
      [
        [
          [0, 0],
          [0, -1],
        ],
        [
          [0, 1],
          [0, 0],
        ],
      ],
    ],
    [
      "Z",
      (ci, q) => ci.z(q),
      [
        [
          [1, 0],
          [0, 0],
        ],
        [
          [0, 0],
          [-1, 0],
        ],
      ],
    ],
    [
      "S",
      (ci, q) => ci.s(q),
      [
        [
          [1, 0],
          [0, 0],
        ],
        [
          [0, 0],
          [0, 1],
        ],
      ],
    ],
    [
      "T",
      (ci, q) => ci.t(q),
      [
        [
          [1, 0],
          [0, 0],
        ],
        [
          [0, 0],
          [S2, S2],
        ],
      ],
    ],
    [
      "RX",
      (ci, q) => ci.rx(q, th),
      [
        [
          [c, 0],
          [0, -s],
        ],
        [
          [0, -s],
          [c, 0],
        ],
      ],
    ],
    [
      "RY",
      (ci, q) => ci.ry(q, th),
      [
        [
          [c, 0],
          [-s, 0],
        ],
        [
          [s, 0],
          [c, 0],
        ],
      ],
    ],
    [
      "RZ",
      (ci, q) => ci.rz(q, th),
      [
        [
          [c, -s],
          [0, 0],
        ],
        [
          [0, 0],
          [c, s],
        ],
      ],
    ],
  ];
  for (const [name, add, m] of cases) {
    it(`${name} on each qubit of a random 3-qubit state`, () => {
      for (let q = 0; q < 3; q++) {
        const psi = randomState(3, rng);
        expectClose(add(new Circuit(3), q).run([], psi.clone()), denseApply(psi, q, m));
      }
    });
  }
  it("general unitary U3 and parametric rotations via param()", () => {
    const u = u3Matrix(0.3, -1.1, 2.2);
    const m = [
      [
        [u[0], u[1]],
        [u[2], u[3]],
      ],
      [
        [u[4], u[5]],
        [u[6], u[7]],
      ],
    ];
    const psi = randomState(3, rng);
    expectClose(new Circuit(3).unitary(1, u).run([], psi.clone()), denseApply(psi, 1, m));
    const viaParam = new Circuit(3).ry(2, param(0, 2, 0.1)).run([0.3], psi.clone());
    expectClose(viaParam, new Circuit(3).ry(2, 0.7).run([], psi.clone()));
  });
  it("CNOT, CZ, SWAP and controlled rotations", () => {
    const psi = randomState(3, rng);
    expectClose(
      new Circuit(3).cnot(2, 0).run([], psi.clone()),
      denseApply(
        psi,
        0,
        [
          [
            [0, 0],
            [1, 0],
          ],
          [
            [1, 0],
            [0, 0],
          ],
        ],
        [2],
      ),
    );
    expectClose(
      new Circuit(3).cz(0, 2).run([], psi.clone()),
      denseApply(
        psi,
        2,
        [
          [
            [1, 0],
            [0, 0],
          ],
          [
            [0, 0],
            [-1, 0],
          ],
        ],
        [0],
      ),
    );
    expectClose(
      new Circuit(3).crx(1, 2, th).run([], psi.clone()),
      denseApply(
        psi,
        2,
        [
          [
            [c, 0],
            [0, -s],
          ],
          [
            [0, -s],
            [c, 0],
          ],
        ],
        [1],
      ),
    );
    expectClose(
      new Circuit(3).cry(0, 1, th).run([], psi.clone()),
      denseApply(
        psi,
        1,
        [
          [
            [c, 0],
            [-s, 0],
          ],
          [
            [s, 0],
            [c, 0],
          ],
        ],
        [0],
      ),
    );
    expectClose(
      new Circuit(3).crz(2, 1, th).run([], psi.clone()),
      denseApply(
        psi,
        1,
        [
          [
            [c, -s],
            [0, 0],
          ],
          [
            [0, 0],
            [c, s],
          ],
        ],
        [2],
      ),
    );
    // SWAP = CNOT(a,b) CNOT(b,a) CNOT(a,b)
    expectClose(
      new Circuit(3).swap(0, 2).run([], psi.clone()),
      new Circuit(3).cnot(0, 2).cnot(2, 0).cnot(0, 2).run([], psi.clone()),
    );
  });
  it("fused and unfused execution agree on a random layered circuit", () => {
    const n = 5;
    const c = new Circuit(n);
    let k = 0;
    for (let l = 0; l < 3; l++) {
      for (let q = 0; q < n; q++) c.rx(q, param(k++)).ry(q, param(k++)).rz(q, param(k++)).h(q).t(q);
      for (let q = 0; q < n - 1; q++) c.cnot(q, q + 1);
      c.crz(0, 3, param(k++)).swap(1, 4).cz(2, 3);
    }
    const params = Float64Array.from({ length: c.nParams }, () => rng.uniform(0, 2 * Math.PI));
    const psi = randomState(n, rng);
    expectClose(c.run(params, psi.clone(), { fuse: true }), c.run(params, psi.clone(), { fuse: false }), 1e-12);
    // the fused program has fewer steps
    expect(c.program(true).length).toBeLessThan(c.program(false).length);
  });
});

describe("Pauli observables", () => {
  it("expectation and application agree with the dense matrix", () => {
    const rng = new Rng(3);
    const psi = randomState(3, rng);
    const H = new PauliSum(3).add({ 0: "Z", 1: "X", 2: "Z" }, -1).add({ 1: "Y" }, 0.4).add({ 0: "X", 2: "Y" }, 0.25);
    const { dim, re, im } = H.toMatrix();
    // dense ⟨ψ|H|ψ⟩
    let e = 0;
    const hpsiRe = new Float64Array(dim),
      hpsiIm = new Float64Array(dim);
    for (let r = 0; r < dim; r++) {
      for (let c2 = 0; c2 < dim; c2++) {
        hpsiRe[r] += re[r * dim + c2] * psi.re[c2] - im[r * dim + c2] * psi.im[c2];
        hpsiIm[r] += re[r * dim + c2] * psi.im[c2] + im[r * dim + c2] * psi.re[c2];
      }
      e += psi.re[r] * hpsiRe[r] + psi.im[r] * hpsiIm[r];
    }
    expect(H.expectation(psi)).toBeCloseTo(e, 12);
    const out = H.apply(psi);
    for (let i = 0; i < dim; i++) {
      expect(out.re[i]).toBeCloseTo(hpsiRe[i], 12);
      expect(out.im[i]).toBeCloseTo(hpsiIm[i], 12);
    }
    expect(PauliString.fromLabel("ZXZ").label()).toBe("ZXZ");
  });
  it("Y on |0⟩ gives i|1⟩", () => {
    const out = new PauliSum(1).add({ 0: "Y" }).apply(Statevector.zero(1));
    expect([out.re[1], out.im[1]]).toEqual([0, 1]);
  });
});

describe("bad inputs", () => {
  it("rejects a qubit out of range", () => {
    expect(() => new Circuit(3).h(3)).toThrow(/qubit 3 is out of range; allowed 0..2/);
    expect(() => new Circuit(3).cnot(1, 1)).toThrow(/must differ/);
  });
  it("rejects a wrong parameter count and NaN parameters", () => {
    const c = new Circuit(2).rx(0, param(0)).ry(1, param(1));
    expect(() => c.run([0.1])).toThrow(/expected 2 parameters, got 1/);
    expect(() => c.run([0.1, NaN])).toThrow(/parameter 1 is not finite/);
  });
  it("rejects unnormalised amplitudes and non-unitary matrices", () => {
    expect(() => Statevector.fromAmplitudes([1, 1])).toThrow(/not normalised/);
    expect(() => Statevector.fromAmplitudes([1, 0, 0])).toThrow(/power of two/);
    expect(() => new Circuit(1).unitary(0, [1, 0, 1, 0, 0, 0, 1, 0])).toThrow(/not unitary/);
    expect(() => new PauliSum(2).add({ 0: "Q" as never })).toThrow(/unknown Pauli letter/);
  });
});
