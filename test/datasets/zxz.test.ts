import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  defaultCacheDir,
  projectRoot,
  stringOrderParameter,
  zxzDataset,
  zxzDatasetAsync,
  zxzHamiltonian,
  zxzLabel,
  zxzPhaseDiagram,
  zxzGroundStateSweep,
} from "../../src/datasets/zxz";
import { groundState } from "../../src/sim/state/groundState";
import { Statevector } from "../../src/sim/state/statevector";

let tmp = "";
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-zxz-"));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function expectSameSplit(
  a: { h1: Float64Array; states: Statevector[]; energies: Float64Array; labels: number[] },
  b: typeof a,
) {
  expect(Array.from(a.h1)).toEqual(Array.from(b.h1));
  expect(a.labels).toEqual(b.labels);
  expect(Array.from(a.energies)).toEqual(Array.from(b.energies));
  expect(a.states.length).toBe(b.states.length);
  a.states.forEach((s, i) => {
    expect(Array.from(s.re)).toEqual(Array.from(b.states[i].re));
    expect(Array.from(s.im)).toEqual(Array.from(b.states[i].im));
  });
}

describe("zxzHamiltonian", () => {
  it("has the terms of Eq. 11 on an open chain (0-based, qubit 0 first in labels)", () => {
    const H = zxzHamiltonian(4, { h1: 0.5, h2: 0.25, J: 2 });
    expect(H.terms.map((t) => [t.label(), t.coeff])).toEqual([
      ["ZXZI", -2],
      ["IZXZ", -2],
      ["XIII", -0.5],
      ["IXII", -0.5],
      ["IIXI", -0.5],
      ["IIIX", -0.5],
      ["XXII", -0.25],
      ["IXXI", -0.25],
      ["IIXX", -0.25],
    ]);
    expect(zxzHamiltonian(5, { h1: 0 }).terms.length).toBe(3); // zero couplings are left out
  });

  it("h1 = 0: ground energy −(N − 2)·J, a stabilizer state of all Z X Z terms (string order 1)", () => {
    for (const n of [5, 6, 7]) {
      const g = groundState(zxzHamiltonian(n, { h1: 0, J: 1.5 }), { method: "dense" });
      expect(g.energy).toBeCloseTo(-(n - 2) * 1.5, 12);
      expect(stringOrderParameter(g.state)).toBeCloseTo(1, 10);
    }
  });

  it("J = 0: ground energy −N·h1 (product state |+…+⟩)", () => {
    const g = groundState(zxzHamiltonian(6, { h1: 0.7, J: 0 }), { method: "dense" });
    expect(g.energy).toBeCloseTo(-6 * 0.7, 12);
    for (let i = 0; i < 64; i++) expect(g.state.re[i]).toBeCloseTo(1 / 8, 10);
  });

  it("rejects bad arguments, naming them", () => {
    expect(() => zxzHamiltonian(2, { h1: 1 })).toThrow(/nQubits must be an integer in \[3, 26\].*got 2/);
    expect(() => zxzHamiltonian(5, {} as never)).toThrow(/h1 is required/);
    expect(() => zxzHamiltonian(5, { h1: 1, J: NaN })).toThrow(/J must be a finite number.*got NaN/);
    expect(() => zxzHamiltonian(5, { h1: 1, h3: 1 } as never)).toThrow(/unknown option "h3"/);
  });
});

describe("labels and string order (physics checks)", () => {
  it("zxzLabel: 1 below the transition h1 = J, 0 above and at it", () => {
    expect(zxzLabel(0.2)).toBe(1);
    expect(zxzLabel(0.999)).toBe(1);
    expect(zxzLabel(1)).toBe(0);
    expect(zxzLabel(1.7)).toBe(0);
    expect(zxzLabel(1.5, 2)).toBe(1);
    expect(() => zxzLabel(NaN)).toThrow(/h1 must be a finite number.*got NaN/);
  });

  it("string order ≈ 1 deep in the SPT phase, falls through h1 = 1 to ≈ 0 in the paramagnet (N = 9)", () => {
    // Values measured with dense diagonalisation at N = 9: 0.9975 (0.05), 0.906 (0.3), 0.186 (1.0), 0.029 (1.7).
    const rows = zxzPhaseDiagram(9, [0.05, 0.3, 0.7, 1.0, 1.3, 1.7]);
    const s = rows.map((r) => r.stringOrder);
    expect(s[0]).toBeGreaterThan(0.99);
    expect(s[1]).toBeGreaterThan(0.85);
    expect(s[5]).toBeLessThan(0.05);
    for (let k = 1; k < s.length; k++) expect(s[k]).toBeLessThan(s[k - 1]);
    expect(rows.map((r) => r.label)).toEqual([1, 1, 1, 0, 0, 0]);
    for (let k = 1; k < rows.length; k++) expect(rows[k].energy).toBeLessThan(rows[k - 1].energy);
  });

  it("the string runs Z_0 X_1 X_3 … Z_b (b = N − 1 for odd N, N − 2 for even N)", () => {
    const g = groundState(zxzHamiltonian(6, { h1: 0 }), { method: "dense" });
    expect(stringOrderParameter(g.state)).toBeCloseTo(1, 10);
    // Hand checks on product states (little-endian: qubit q is bit q of the index).
    // N = 4: string Z_0 X_1 Z_2; |0⟩|+⟩|0⟩|0⟩ gives 1·1·1 = 1, and |0000⟩ gives ⟨X_1⟩ = 0.
    const plus1 = Statevector.fromAmplitudes([1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], undefined, {
      normalize: true,
    });
    expect(stringOrderParameter(plus1)).toBeCloseTo(1, 14);
    expect(stringOrderParameter(Statevector.zero(4))).toBe(0);
    // N = 5: string Z_0 X_1 X_3 Z_4; qubits 1, 3 in |+⟩ and qubit 4 in |1⟩ gives −1.
    const amps = new Float64Array(32);
    for (const b1 of [0, 1]) for (const b3 of [0, 1]) amps[(b1 << 1) | (b3 << 3) | (1 << 4)] = 0.5;
    expect(stringOrderParameter(Statevector.fromAmplitudes(amps))).toBeCloseTo(-1, 14);
  });
});

describe("zxzGroundStateSweep (symmetry sector + warm starts) against dense diagonalisation of the whole chain", () => {
  // Independent route: groundState(method "dense") diagonalises the full 2^N matrix, no symmetry, no warm start.
  const check = (n: number, h1: number[], h2: number, tolE: number) => {
    const got = [...zxzGroundStateSweep(n, h1, { h2, method: "lanczos" })];
    expect(got.map((g) => g.index).sort((a, b) => a - b)).toEqual(h1.map((_, i) => i));
    expect(got.map((g) => g.h1)).toEqual([...h1].sort((a, b) => a - b)); // increasing h1: warm starts
    for (const g of got) {
      const ref = groundState(zxzHamiltonian(n, { h1: g.h1, h2 }), { method: "dense" });
      expect(Math.abs(g.energy - ref.energy)).toBeLessThan(tolE);
      const [re] = ref.state.inner(g.state);
      expect(1 - re * re).toBeLessThan(1e-9); // same state (the sector removes the SPT edge-mode near-degeneracy)
      expect(g.state.norm2()).toBeCloseTo(1, 12);
    }
  };
  it("h2 = 0, N = 7 and 8, h1 across both phases (also deep in the SPT phase, h1 = 0.02): energies to 1e-9, overlap 1", () => {
    const h1 = [1.7, 0.02, 0.4, 1.0, 0.95, 1.3, 0.1, 1.98, 0.7];
    check(7, h1, 0, 1e-9);
    check(8, h1, 0, 1e-9);
  });
  it("h2 ≠ 0 solves all four parity sectors and keeps the lowest (h2 = −1 at N = 7 has its ground state in (+, −))", () => {
    check(7, [0.05, 0.5, 1.0, 1.9], -1, 1e-9);
    const g = [...zxzGroundStateSweep(7, [0.5], { h2: -1 })][0];
    expect(g.sector).toEqual([1, -1]);
  });
  it("dense and Lanczos routes inside the sector agree; bad inputs are named", () => {
    const a = [...zxzGroundStateSweep(8, [0.3, 1.4], { method: "dense" })];
    const b = [...zxzGroundStateSweep(8, [0.3, 1.4], { method: "lanczos" })];
    a.forEach((x, i) => {
      expect(Math.abs(x.energy - b[i].energy)).toBeLessThan(1e-9);
      for (let j = 0; j < x.state.dim; j++) expect(Math.abs(x.state.re[j] - b[i].state.re[j])).toBeLessThan(1e-8);
    });
    expect(() => [...zxzGroundStateSweep(2, [0.5])]).toThrow(/nQubits/);
    expect(() => [...zxzGroundStateSweep(7, [Number.NaN])]).toThrow(/h1Values\[0\]/);
    expect(() => [...zxzGroundStateSweep(7, [0.5], { method: "qr" as never })]).toThrow(/method/);
  });
});

describe("zxzDataset", () => {
  const small = { nQubits: 5, nTrain: 6, nTest: 4, seed: 3 } as const;

  it("is deterministic: same seed → same h1 and states; train stream independent of nTest", () => {
    const a = zxzDataset({ ...small, cacheDir: null });
    const b = zxzDataset({ ...small, cacheDir: null });
    expectSameSplit(a.train, b.train);
    expectSameSplit(a.test, b.test);
    expect(a.method).toBe("dense");
    expect(a.fromCache).toBe(false);
    const c = zxzDataset({ ...small, nTest: 1, cacheDir: null });
    expect(Array.from(c.train.h1)).toEqual(Array.from(a.train.h1));
    const d = zxzDataset({ ...small, seed: 4, cacheDir: null });
    expect(Array.from(d.train.h1)).not.toEqual(Array.from(a.train.h1));
    for (const split of [a.train, a.test]) {
      split.h1.forEach((h, i) => {
        expect(h).toBeGreaterThanOrEqual(0);
        expect(h).toBeLessThan(2);
        expect(split.labels[i]).toBe(h < 1 ? 1 : 0);
        const H = zxzHamiltonian(5, { h1: h });
        expect(H.expectation(split.states[i])).toBeCloseTo(split.energies[i], 10);
        expect(split.states[i].norm2()).toBeCloseTo(1, 12);
      });
    }
  });

  it("dense and Lanczos datasets agree amplitude by amplitude in the paramagnet (same phase convention)", () => {
    const opts = { nQubits: 6, nTrain: 3, nTest: 2, h1Min: 1.2, h1Max: 2, cacheDir: null } as const;
    const dense = zxzDataset({ ...opts, method: "dense" });
    const lz = zxzDataset({ ...opts, method: "lanczos" });
    expect(lz.method).toBe("lanczos");
    [...dense.train.states, ...dense.test.states].forEach((s, i) => {
      const t = [...lz.train.states, ...lz.test.states][i];
      for (let j = 0; j < s.dim; j++) expect(Math.abs(s.re[j] - t.re[j])).toBeLessThan(1e-8);
    });
  });

  it("cache round trip: the second call reads the cache and returns equal data", () => {
    const dir = path.join(tmp, "roundtrip");
    const progress: Array<[number, number]> = [];
    const first = zxzDataset({ ...small, cacheDir: dir, onProgress: (d, t) => progress.push([d, t]) });
    expect(first.fromCache).toBe(false);
    expect(progress.length).toBe(10);
    expect(progress[9]).toEqual([10, 10]);
    expect(fs.existsSync(`${first.cacheFile}.bin`)).toBe(true);
    expect(fs.existsSync(`${first.cacheFile}.json`)).toBe(true);
    expect(fs.statSync(`${first.cacheFile}.bin`).size).toBe(10 * 32 * 8); // real states: real parts only
    const second = zxzDataset({ ...small, cacheDir: dir });
    expect(second.fromCache).toBe(true);
    expectSameSplit(first.train, second.train);
    expectSameSplit(first.test, second.test);
    // Any changed generating option gives another file.
    const other = zxzDataset({ ...small, h2: 0.1, cacheDir: dir });
    expect(other.fromCache).toBe(false);
    expect(other.cacheFile).not.toBe(first.cacheFile);
  });

  it("a truncated, bit-flipped or half-written cache is regenerated with a warning, not a crash", () => {
    const dir = path.join(tmp, "corrupt");
    const ref = zxzDataset({ ...small, cacheDir: dir });
    const bin = `${ref.cacheFile}.bin`,
      json = `${ref.cacheFile}.json`;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const bytes = fs.readFileSync(bin);
      fs.writeFileSync(bin, bytes.subarray(0, 100)); // truncated
      let d = zxzDataset({ ...small, cacheDir: dir });
      expect(d.fromCache).toBe(false);
      expect(warn).toHaveBeenLastCalledWith(expect.stringMatching(/truncated/));
      expectSameSplit(d.train, ref.train);
      expect(zxzDataset({ ...small, cacheDir: dir }).fromCache).toBe(true); // repaired

      const flipped = fs.readFileSync(bin);
      flipped[17] ^= 0x40;
      fs.writeFileSync(bin, flipped); // same size, wrong content
      d = zxzDataset({ ...small, cacheDir: dir });
      expect(d.fromCache).toBe(false);
      expect(warn).toHaveBeenLastCalledWith(expect.stringMatching(/checksum/));
      expectSameSplit(d.test, ref.test);

      fs.writeFileSync(json, "{ not json");
      d = zxzDataset({ ...small, cacheDir: dir });
      expect(d.fromCache).toBe(false);
      expect(warn).toHaveBeenLastCalledWith(expect.stringMatching(/not valid JSON/));

      fs.rmSync(json);
      d = zxzDataset({ ...small, cacheDir: dir });
      expect(warn).toHaveBeenLastCalledWith(expect.stringMatching(/missing \.json/));
      expect(warn).toHaveBeenCalledTimes(4);
      expect(zxzDataset({ ...small, cacheDir: dir }).fromCache).toBe(true);
    } finally {
      warn.mockRestore();
    }
  });

  it("default cache folder: $QNN_KD_CACHE_DIR, else <projectRoot>/data/cache", () => {
    expect(JSON.parse(fs.readFileSync(path.join(projectRoot(), "package.json"), "utf8")).name).toBe("qnn-kd");
    const saved = process.env.QNN_KD_CACHE_DIR;
    try {
      delete process.env.QNN_KD_CACHE_DIR;
      expect(defaultCacheDir()).toBe(path.join(projectRoot(), "data", "cache"));
      process.env.QNN_KD_CACHE_DIR = path.join(tmp, "env");
      const d = zxzDataset({ nQubits: 3, nTrain: 2, nTest: 1 });
      expect(d.cacheFile!.startsWith(path.join(tmp, "env"))).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.QNN_KD_CACHE_DIR;
      else process.env.QNN_KD_CACHE_DIR = saved;
    }
  });

  it("the async variant gives the same dataset", async () => {
    const a = await zxzDatasetAsync({ ...small, cacheDir: null });
    const b = zxzDataset({ ...small, cacheDir: null });
    expectSameSplit(a.train, b.train);
    expectSameSplit(a.test, b.test);
  });

  it("rejects bad inputs, naming them", () => {
    expect(() => zxzDataset({ nQubits: 0 })).toThrow(/nQubits must be an integer in \[3, 20\], got 0/);
    expect(() => zxzDataset({ nQubits: 5, h1Min: 2, h1Max: 1 })).toThrow(
      /h1Min must be below h1Max, got h1Min = 2, h1Max = 1/,
    );
    expect(() => zxzDataset({ nQubits: 5, h1Min: 1, h1Max: 1 })).toThrow(/h1Min must be below h1Max/);
    expect(() => zxzDataset({ nQubits: 5, nTrain: -1 })).toThrow(
      /nTrain must be an integer in \[0, 10000000\], got -1/,
    );
    expect(() => zxzDataset({ nQubits: 5, J: NaN })).toThrow(/J must be a finite number.*got NaN/);
    expect(() => zxzDataset({ nQubits: 5, J: -1 })).toThrow(/J must be a positive finite number, got -1/);
    expect(() => zxzDataset({ nQubits: 5, method: "exact" as never })).toThrow(/method must be one of/);
    expect(() => zxzDataset({ nQubits: 13, method: "dense" })).toThrow(/at most 12 qubits/);
    expect(() => zxzDataset({ nQubits: 5, nTrian: 3 } as never)).toThrow(/unknown option "nTrian"/);
    expect(() => zxzDataset(undefined as never)).toThrow(/nQubits/);
    expect(() => zxzPhaseDiagram(5, [0.1, NaN])).toThrow(/h1Values\[1\] must be a finite number.*got NaN/);
  });
});
