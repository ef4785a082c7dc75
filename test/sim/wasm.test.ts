// The WebAssembly SIMD kernels (asm/kernels.ts → dist/wasm/kernels.wasm) against the pure-TS kernels of
// src/sim/backends/kernels.ts (and TS reference loops for pairStep / readout), to 1e-12, for n = 1..10 and every
// target / control combination (all control subsets up to n = 8, a sample beyond).
import * as fs from "fs";
import * as path from "path";
import { Worker } from "worker_threads";
import { describe, expect, it } from "vitest";
import { Mat2, matmul2, rotationMatrix, Axis } from "../../src/sim/program/gates";
import {
  applyAntiDiagonal,
  applyCNOT,
  applyCZ,
  applyDiagonal,
  applyGather,
  applyGeneral,
  applyReal,
  applySWAP,
  linearPermutation,
} from "../../src/sim/backends/kernels";
import { Statevector, expectationZ } from "../../src/sim/state/statevector";
import { weightedZCotangent } from "../../src/sim/grad/cotangents";
import { Rng } from "../../src/util/rng";
import {
  WasmKernels,
  createWasmKernels,
  getWasmKernels,
  wasmKernelsPath,
  wasmLoadError,
} from "../../src/sim/backends/wasm";
import { pairStep } from "../../src/sim/backends/kernels";

const TOL = 1e-12;
const k = getWasmKernels();

function randomUnitary(rng: Rng): Mat2 {
  let m = rotationMatrix(rng.int(3) as Axis, rng.uniform(-Math.PI, Math.PI));
  for (let j = 0; j < 3; j++) m = matmul2(rotationMatrix(j === 1 ? 1 : 2, rng.uniform(-Math.PI, Math.PI)), m);
  return m;
}

function randomVec(dim: number, rng: Rng): Float64Array {
  return Float64Array.from({ length: dim }, () => rng.normal());
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  if (a.length !== b.length) return Infinity;
  return d;
}

/** Control masks to test for target t on n qubits: all subsets (n ≤ 8), else none/singles/pairs/random. */
function controlMasks(n: number, rng: Rng): number[] {
  const dim = 1 << n;
  if (n <= 8) return Array.from({ length: dim }, (_, m) => m);
  const masks = new Set<number>([0]);
  for (let a = 0; a < n; a++) {
    masks.add(1 << a);
    for (let b = a + 1; b < n; b++) masks.add((1 << a) | (1 << b));
  }
  for (let r = 0; r < 24; r++) masks.add(rng.int(dim));
  return [...masks];
}

/** WASM arrays for one n: two states, scratch, a 64-byte accumulator and tables. */
interface Arena {
  dim: number;
  re: number;
  im: number;
  lr: number;
  li: number;
  sr: number;
  si: number;
  acc: number;
  tab: number;
  q: number;
  w: number;
  out: number;
}

function arena(w: WasmKernels, n: number): Arena {
  w.reset();
  const dim = 1 << n;
  return {
    dim,
    re: w.allocF64(dim),
    im: w.allocF64(dim),
    lr: w.allocF64(dim),
    li: w.allocF64(dim),
    sr: w.allocF64(dim),
    si: w.allocF64(dim),
    acc: w.allocF64(8),
    tab: w.allocI32(4 * 256),
    q: w.allocI32(64),
    w: w.allocF64(64),
    out: w.allocF64(64),
  };
}

/** Runs `ts` on copies of (re, im) and `wasm` on the WASM arrays; returns the max deviation. */
function compareState(
  w: WasmKernels,
  a: Arena,
  re0: Float64Array,
  im0: Float64Array,
  ts: (re: Float64Array, im: Float64Array) => void,
  wasm: () => void,
): number {
  const re = re0.slice(),
    im = im0.slice();
  w.f64(a.re, a.dim).set(re0);
  w.f64(a.im, a.dim).set(im0);
  ts(re, im);
  wasm();
  return Math.max(maxDiff(re, w.f64(a.re, a.dim)), maxDiff(im, w.f64(a.im, a.dim)));
}

if (!k) {
  describe("WASM SIMD kernels", () => {
    it.skip(`skipped: the WASM module is not available (${wasmLoadError()}); build it with "node scripts/build-wasm.js"`, () => {});
  });
} else {
  const w = k;
  const NS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

  describe("WASM memory and loader", () => {
    it("finds the binary and reserves low memory", () => {
      expect(wasmKernelsPath()).toMatch(/kernels\.wasm$/);
      expect(w.base).toBeGreaterThanOrEqual(64);
      expect(w.base % 64).toBe(0);
      expect(w.base).toBeGreaterThanOrEqual(w.heapBase());
    });

    it("allocates aligned blocks, grows memory, and views stay usable after re-creation", () => {
      const x = createWasmKernels()!;
      const a = x.alloc(3);
      const b = x.allocF64(5);
      expect(a).toBeGreaterThanOrEqual(x.base);
      expect(b % 16).toBe(0);
      expect(b).toBeGreaterThanOrEqual(a + 3);
      const before = x.memory.buffer.byteLength;
      const m = x.mark();
      const big = x.allocF64(1 << 18); // 2 MiB: forces growth
      expect(x.memory.buffer.byteLength).toBeGreaterThan(before);
      expect(big % 16).toBe(0);
      const v = x.f64(big, 1 << 18);
      v[(1 << 18) - 1] = 42;
      x.release(m);
      expect(x.top).toBe(m);
      expect(x.f64(big, 1 << 18)[(1 << 18) - 1]).toBe(42);
      x.reset();
      expect(x.top).toBe(x.base);
      expect(() => x.alloc(2 ** 33)).toThrow(/4 GiB/);
    });
  });

  describe("WASM single-qubit kernels = TS kernels (n = 1..10, all targets, control masks)", () => {
    for (const n of NS) {
      it(`n = ${n}`, () => {
        const rng = new Rng(1000 + n);
        const a = arena(w, n);
        const re0 = randomVec(a.dim, rng),
          im0 = randomVec(a.dim, rng);
        const worst: Record<string, [number, string]> = {};
        const note = (name: string, d: number, label: string) => {
          if (!(name in worst) || !(d <= worst[name][0])) worst[name] = [d, label];
        };
        for (let t = 0; t < n; t++) {
          for (const cm of controlMasks(n, rng)) {
            const label = `t=${t} ctrl=${cm.toString(2)}`;
            const u = randomUnitary(rng);
            note(
              "general",
              compareState(
                w,
                a,
                re0,
                im0,
                (re, im) => applyGeneral(re, im, t, u, cm),
                () => w.applyGeneral(a.re, a.im, n, t, cm, u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7]),
              ),
              label,
            );
            // real: RY(θ)·[[1, 0], [0, −1]]
            const th = rng.uniform(-3, 3),
              c = Math.cos(th),
              s = Math.sin(th);
            note(
              "real",
              compareState(
                w,
                a,
                re0,
                im0,
                (re, im) => applyReal(re, im, t, c, -s, s, c, cm),
                () => w.applyReal(a.re, a.im, n, t, cm, c, -s, s, c),
              ),
              label,
            );
            // diagonal: RZ (d0 ≠ 1) and a phase gate (d0 = 1, skipped)
            const ph = rng.uniform(-3, 3);
            note(
              "diagonal",
              compareState(
                w,
                a,
                re0,
                im0,
                (re, im) => applyDiagonal(re, im, t, Math.cos(ph), -Math.sin(ph), Math.cos(ph), Math.sin(ph), cm),
                () => w.applyDiagonal(a.re, a.im, n, t, cm, Math.cos(ph), -Math.sin(ph), Math.cos(ph), Math.sin(ph)),
              ),
              label,
            );
            note(
              "phase",
              compareState(
                w,
                a,
                re0,
                im0,
                (re, im) => applyDiagonal(re, im, t, 1, 0, Math.cos(ph), Math.sin(ph), cm),
                () => w.applyDiagonal(a.re, a.im, n, t, cm, 1, 0, Math.cos(ph), Math.sin(ph)),
              ),
              label,
            );
            // anti-diagonal: plain X (swap) and a phased flip
            note(
              "x",
              compareState(
                w,
                a,
                re0,
                im0,
                (re, im) => applyAntiDiagonal(re, im, t, 1, 0, 1, 0, cm),
                () => w.applyAntiDiagonal(a.re, a.im, n, t, cm, 1, 0, 1, 0),
              ),
              label,
            );
            note(
              "antidiagonal",
              compareState(
                w,
                a,
                re0,
                im0,
                (re, im) => applyAntiDiagonal(re, im, t, Math.cos(ph), Math.sin(ph), -Math.sin(ph), Math.cos(ph), cm),
                () =>
                  w.applyAntiDiagonal(a.re, a.im, n, t, cm, Math.cos(ph), Math.sin(ph), -Math.sin(ph), Math.cos(ph)),
              ),
              label,
            );
          }
        }
        for (const [name, [d, label]] of Object.entries(worst)) {
          expect(d, `${name}: worst deviation ${d} at ${label}`).toBeLessThanOrEqual(TOL);
        }
      });
    }
  });

  describe("WASM pairStep = TS pairStep (φ, λ and the 2×2 accumulator)", () => {
    for (const n of NS) {
      it(`n = ${n}`, () => {
        const rng = new Rng(2000 + n);
        const a = arena(w, n);
        const pr0 = randomVec(a.dim, rng),
          pi0 = randomVec(a.dim, rng),
          lr0 = randomVec(a.dim, rng),
          li0 = randomVec(a.dim, rng);
        let worst = 0,
          worstAcc = 0,
          where = "";
        const low = w.f64(0, 8);
        low.fill(0);
        for (let t = 0; t < n; t++) {
          for (const cm of controlMasks(n, rng)) {
            for (const withAcc of [true, false]) {
              const m = randomUnitary(rng);
              const pr = pr0.slice(),
                pi = pi0.slice(),
                lr = lr0.slice(),
                li = li0.slice();
              const acc = new Float64Array(8);
              pairStep(pr, pi, lr, li, t, cm, m, acc);
              w.f64(a.re, a.dim).set(pr0);
              w.f64(a.im, a.dim).set(pi0);
              w.f64(a.lr, a.dim).set(lr0);
              w.f64(a.li, a.dim).set(li0);
              w.f64(a.acc, 8).fill(NaN);
              w.pairStep(
                a.re,
                a.im,
                a.lr,
                a.li,
                n,
                t,
                cm,
                m[0],
                m[1],
                m[2],
                m[3],
                m[4],
                m[5],
                m[6],
                m[7],
                withAcc ? a.acc : 0,
              );
              const d = Math.max(
                maxDiff(pr, w.f64(a.re, a.dim)),
                maxDiff(pi, w.f64(a.im, a.dim)),
                maxDiff(lr, w.f64(a.lr, a.dim)),
                maxDiff(li, w.f64(a.li, a.dim)),
              );
              // the accumulator is a sum over up to 2^(n-1) pairs: compare relative to its scale
              const dAcc = withAcc ? maxDiff(acc, w.f64(a.acc, 8)) / Math.max(1, ...acc.map(Math.abs)) : 0;
              if (!withAcc)
                expect(Number.isNaN(w.f64(a.acc, 8)[0]), "accOff = 0 must not write the accumulator").toBe(true);
              if (d > worst || dAcc > worstAcc) where = `t=${t} ctrl=${cm.toString(2)} acc=${withAcc}`;
              worst = Math.max(worst, d);
              worstAcc = Math.max(worstAcc, dAcc);
            }
          }
        }
        expect(worst, `states: worst deviation at ${where}`).toBeLessThanOrEqual(TOL);
        expect(worstAcc, `accumulator: worst relative deviation at ${where}`).toBeLessThanOrEqual(TOL);
        expect(Array.from(w.f64(0, 8)), "offset 0 must never be written").toEqual(new Array(8).fill(0));
      });
    }
  });

  describe("WASM two-qubit permutations and gather = TS kernels", () => {
    for (const n of NS) {
      it(`CNOT / CZ / SWAP, all qubit pairs, n = ${n}`, () => {
        const rng = new Rng(3000 + n);
        const a = arena(w, n);
        const re0 = randomVec(a.dim, rng),
          im0 = randomVec(a.dim, rng);
        for (let p = 0; p < n; p++) {
          for (let q = 0; q < n; q++) {
            expect(
              compareState(
                w,
                a,
                re0,
                im0,
                (re, im) => applyCNOT(re, im, p, q),
                () => w.applyCNOT(a.re, a.im, n, p, q),
              ),
              `CNOT ${p}->${q}`,
            ).toBe(0);
            expect(
              compareState(
                w,
                a,
                re0,
                im0,
                (re, im) => applyCZ(re, im, p, q),
                () => w.applyCZ(a.re, a.im, n, p, q),
              ),
              `CZ ${p},${q}`,
            ).toBe(0);
            expect(
              compareState(
                w,
                a,
                re0,
                im0,
                (re, im) => applySWAP(re, im, p, q),
                () => w.applySWAP(a.re, a.im, n, p, q),
              ),
              `SWAP ${p},${q}`,
            ).toBe(0);
          }
        }
      });
    }

    for (const n of [...NS, 13, 17]) {
      it(`gather (linear permutations), n = ${n}`, () => {
        const rng = new Rng(4000 + n);
        const a = arena(w, n);
        const re0 = randomVec(a.dim, rng),
          im0 = randomVec(a.dim, rng);
        for (let rep = 0; rep < 3; rep++) {
          const gates: Array<[0 | 1, number, number]> = [];
          if (n > 1) {
            for (let g = 0; g < 3 * n; g++) {
              const p = rng.int(n);
              let q = rng.int(n - 1);
              if (q >= p) q++;
              gates.push([rng.int(2) as 0 | 1, p, q]);
            }
          }
          const perm = linearPermutation(n, gates);
          for (const table of [perm.gather, perm.inverse]) {
            w.i32(a.tab, table.length).set(table);
            const d = compareState(
              w,
              a,
              re0,
              im0,
              (re, im) => applyGather(re, im, table, perm.nChunks),
              () => w.gather(a.re, a.im, a.sr, a.si, a.tab, perm.nChunks, n),
            );
            expect(d).toBe(0);
          }
        }
      });
    }
  });

  describe("WASM readout = TS readout", () => {
    for (const n of [...NS, 11, 12, 16, 17]) {
      it(`expectationZ and weightedZCotangent, n = ${n}`, () => {
        const rng = new Rng(5000 + n);
        const a = arena(w, n);
        const s = Statevector.fromAmplitudes(randomVec(a.dim, rng), randomVec(a.dim, rng), { normalize: true });
        w.f64(a.re, a.dim).set(s.re);
        w.f64(a.im, a.dim).set(s.im);
        const lists: number[][] = [
          ...Array.from({ length: n }, (_, q) => [q]),
          Array.from({ length: n }, (_, q) => q),
          Array.from({ length: Math.min(12, 2 * n) }, () => rng.int(n)),
        ];
        for (const qs of lists) {
          w.i32(a.q, qs.length).set(qs);
          const ref = expectationZ(s, qs);
          w.expectationZ(a.re, a.im, n, a.q, qs.length, a.out);
          expect(maxDiff(ref, w.f64(a.out, qs.length)), `⟨Z⟩ on [${qs}]`).toBeLessThanOrEqual(TOL);

          const weights = qs.map(() => rng.uniform(-2, 2));
          w.f64(a.w, qs.length).set(weights);
          const lam = Statevector.zero(n);
          const value = weightedZCotangent(qs, weights)(s, lam);
          const got = w.weightedZCotangent(a.re, a.im, a.lr, a.li, n, a.q, qs.length, a.w);
          expect(Math.abs(got - value), `weighted value on [${qs}]`).toBeLessThanOrEqual(TOL);
          expect(
            Math.max(maxDiff(lam.re, w.f64(a.lr, a.dim)), maxDiff(lam.im, w.f64(a.li, a.dim))),
            `λ on [${qs}]`,
          ).toBeLessThanOrEqual(TOL);
        }
      });
    }
  });

  // The compiled loader (dist/sim/wasm.js) inside a worker thread: synchronous instantiation off the main thread.
  const distLoader = path.resolve(__dirname, "../../dist/sim/wasm.js");
  describe("WASM in a worker thread", () => {
    it.skipIf(!fs.existsSync(distLoader))("instantiates and runs (H on qubit 0 of |00⟩)", async () => {
      const code = `
        const { parentPort, workerData } = require("worker_threads");
        const { getWasmKernels } = require(workerData.loader);
        const k = getWasmKernels();
        if (!k) { parentPort.postMessage({ error: "no kernels" }); return; }
        const re = k.allocF64(4), im = k.allocF64(4);
        k.f64(re, 4).set([1, 0, 0, 0]);
        const s = Math.SQRT1_2;
        k.applyReal(re, im, 2, 0, 0, s, s, s, -s);
        parentPort.postMessage({ re: Array.from(k.f64(re, 4)), im: Array.from(k.f64(im, 4)) });
      `;
      const result = await new Promise<{ re?: number[]; im?: number[]; error?: string }>((resolve, reject) => {
        const worker = new Worker(`(() => {${code}})()`, { eval: true, workerData: { loader: distLoader } });
        worker.once("message", (m) => {
          resolve(m);
          void worker.terminate();
        });
        worker.once("error", reject);
      });
      expect(result.error).toBeUndefined();
      expect(maxDiff(result.re!, [Math.SQRT1_2, Math.SQRT1_2, 0, 0])).toBeLessThanOrEqual(1e-15);
      expect(result.im).toEqual([0, 0, 0, 0]);
    });
  });
}
