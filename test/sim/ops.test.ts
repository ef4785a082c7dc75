// The op-kind table (src/sim/program/ops.ts): every kind has every entry; the opcodes of the TS table and of the
// AssemblyScript kernels come from one file (src/sim/program/opcodes.ts) and mean the same thing (each op record, run by
// the WASM program dispatch, gives the same state bits as the kind's TS apply); a circuit that uses every kind
// gives the same state on both back ends, forward and inverse; src/sim has no import cycle.
import * as fs from "fs";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { Circuit, Statevector, adjointGradient, depolarizing, param } from "qnn-kd";
import { runInverse, weightedZCotangent, lightCone } from "qnn-kd/sim";
import {
  GATE_KINDS,
  OP_KINDS,
  BLOCK_OPCODE,
  ProgramOp,
  ProgramRecords,
  opKind,
  gateKind,
} from "../../src/sim/program/ops";
import * as OPCODES from "../../src/sim/program/opcodes";
import { DER_BYTES, OP_BYTES } from "../../src/sim/program/opcodes";
import { activeBackend, runProgram, setBackend } from "../../src/sim/backends/engine";
import { dagger2, u3Matrix } from "../../src/sim/program/gates";
import { createWasmKernels, getWasmKernels } from "../../src/sim/backends/wasm";
import { Rng } from "../../src/util/rng";
import { randomState } from "../helpers";

const root = path.resolve(__dirname, "..", "..");
const hasWasm = getWasmKernels() !== null;
const bits = (a: Float64Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length * 2));

/**
 * A circuit with every gate kind and every program op kind: fused blocks of each matrix kind (general, real,
 * diagonal, anti-diagonal, identity), fixed and parametric, controlled (one and two controls), a single CNOT, a
 * single SWAP, CZ, and CNOT/SWAP runs merged into permutations (on ≥ 9 qubits: two table chunks).
 */
function everyKind(n: number): Circuit {
  const c = new Circuit(n);
  let p = 0;
  for (let q = 0; q < n; q++) c.rx(q, param(p++)).ry(q, param(p++));
  c.cnot(0, 1).cz(1, 2); // a single CNOT (a CZ ends the run), CZ
  c.swap(2, 3).cz(3, 0); // a single SWAP
  c.x(0).x(0).cz(0, 1); // an identity block (X·X, flushed by the CZs around it)
  c.rz(0, param(p++)).h(1).x(2).s(3).t(3); // diagonal parametric, real, anti-diagonal and diagonal fixed blocks
  c.cz(0, 1)
    .y(1)
    .rz(2, param(0, -2, 0.3)); // complex anti-diagonal; a shared parameter with scale and offset
  for (let q = 0; q + 1 < n; q++) c.cnot(q, q + 1); // merged into one permutation
  c.swap(0, n - 1).cnot(n - 1, 2);
  c.crx(0, 2, param(p++)).cry(3, 1, param(p++)).crz(2, 0, param(1));
  c.rot(1, 3, param(p++), [0, 2])
    .crz(1, 3, 0.25)
    .unitary(2, u3Matrix(0.3, 0.4, 0.5), [0], "cu3");
  c.ry(n - 1, param(p++))
    .h(n - 1)
    .rx(n - 1, 0.7);
  return c;
}

function randomParams(c: Circuit, rng: Rng): Float64Array {
  return Float64Array.from({ length: c.nParams }, () => rng.uniform(-Math.PI, Math.PI));
}

/** The inverse circuit built gate by gate (fixed: U†; rotation: angle negated), run forward. */
function invertedCircuit(c: Circuit): Circuit {
  const inv = new Circuit(c.nQubits, c.nParams);
  for (let t = c.ops.length - 1; t >= 0; t--) {
    const g = c.ops[t];
    if (g.kind === "rot") inv.rot(g.axis, g.target, param(g.angle.index, -g.angle.scale, -g.angle.offset), g.controls);
    else if (g.kind === "fixed") inv.unitary(g.target, dagger2(g.matrix), g.controls, g.name);
    else gateKind(g).appendTo(inv, g, (q) => q);
  }
  return inv;
}

/**
 * Runs `program` through the WASM whole-program dispatch (`runOps`), with records written by the table's
 * `encode` / `setAngles`, and returns the state and the opcodes used.
 */
function runOpsWasm(
  program: ProgramOp[],
  angles: Float64Array,
  psi: Statevector,
): { state: Statevector; codes: number[] } {
  const k = createWasmKernels()!;
  const n = psi.nQubits,
    dim = psi.dim;
  const derStart = new Int32Array(program.length).fill(-1);
  let nDer = 0,
    tables = 0;
  program.forEach((op, o) => {
    const w = opKind(op).wasm;
    if (w.derivatives(op) > 0) {
      derStart[o] = nDer;
      nDer += w.derivatives(op);
    }
    tables += w.tableBytes(op);
  });
  k.reserve(k.base + 4 * (8 * dim + 64) + (program.length + 1) * OP_BYTES + (nDer + 1) * DER_BYTES + tables + 1024);
  const re = k.allocF64(dim),
    im = k.allocF64(dim),
    sr = k.allocF64(dim),
    si = k.allocF64(dim);
  const ops = k.alloc(Math.max(1, program.length) * OP_BYTES),
    der = k.alloc(Math.max(1, nDer) * DER_BYTES);
  const buf = k.memory.buffer;
  const opsI = new Int32Array(buf, ops, (program.length * OP_BYTES) / 4);
  program.forEach((op, o) => opKind(op).wasm.encode(op, opsI, o, derStart[o], k));
  expect(k.memory.buffer).toBe(buf);
  const rec: ProgramRecords = {
    opsI,
    opsF: new Float64Array(buf, ops, (program.length * OP_BYTES) / 8),
    derI: new Int32Array(buf, der, (Math.max(1, nDer) * DER_BYTES) / 4),
    derF: new Float64Array(buf, der, (Math.max(1, nDer) * DER_BYTES) / 8),
  };
  program.forEach((op, o) => opKind(op).wasm.setAngles?.(op, angles, rec, o, derStart[o]));
  const codes = program.map((_, o) => opsI[(o * OP_BYTES) / 4]);
  k.f64(re, dim).set(psi.re);
  k.f64(im, dim).set(psi.im);
  k.runOps(ops, program.length, re, im, n, sr, si);
  return { state: new Statevector(n, k.f64(re, dim).slice(), k.f64(im, dim).slice()), codes };
}

describe("op-kind table", () => {
  it("has one entry per gate kind and per program op kind, each with every field", () => {
    expect(Object.keys(GATE_KINDS).sort()).toEqual(["channel", "cnot", "cz", "fixed", "rot", "swap"]);
    for (const [name, g] of Object.entries(GATE_KINDS)) {
      for (const f of ["qubits", "appendTo", "lower"] as const) expect(typeof g[f], `${name}.${f}`).toBe("function");
    }
    expect(Object.keys(OP_KINDS).sort()).toEqual(["block", "channel", "cnot", "cz", "perm", "swap"]);
    for (const [name, e] of Object.entries(OP_KINDS)) {
      for (const f of ["qubits", "apply", "applyInverse", "adjoint"] as const)
        expect(typeof e[f], `${name}.${f}`).toBe("function");
      for (const f of ["apply", "adjoint", "derivatives", "checkpoint", "tableBytes", "encode"] as const) {
        expect(typeof e.wasm[f], `${name}.wasm.${f}`).toBe("function");
      }
      // a noise channel has no statevector opcode: the noisy executors (sim/noise/run.ts) run it
      expect(Array.isArray(e.wasm.opcodes) && e.wasm.opcodes.length > 0, `${name}.wasm.opcodes`).toBe(
        name !== "channel",
      );
    }
    const ch = { type: "channel" as const, channel: depolarizing(0.1), qubits: [2] };
    const z = new Float64Array(8);
    expect(() => OP_KINDS.channel.apply(ch, z, z, z)).toThrow(
      /noise channel depolarizing\(p=0.1\) on qubit 2 cannot act on a statevector/,
    );
    expect(() => OP_KINDS.channel.adjoint(ch, z, z, z, z, z, z)).toThrow(/cannot act on a statevector/);
    // the CNOT/SWAP runs are merged: exactly those two kinds say how they enter a linear permutation
    expect(
      Object.entries(OP_KINDS)
        .filter(([, e]) => "linearGate" in e)
        .map(([k]) => k)
        .sort(),
    ).toEqual(["cnot", "swap"]);
  });

  it("the every-kind circuit compiles to every program op kind, and its gate kinds cover the builder's", () => {
    const c = everyKind(9);
    // every unitary kind (channels are the noisy executors', tested in noisy.test.ts)
    expect(new Set(c.ops.map((g) => g.kind))).toEqual(new Set(Object.keys(GATE_KINDS).filter((k) => k !== "channel")));
    expect(new Set(c.program(true).map((op) => op.type))).toEqual(
      new Set(Object.keys(OP_KINDS).filter((k) => k !== "channel")),
    );
    expect(new Set(c.program(false).map((op) => op.type))).toEqual(new Set(["block", "cnot", "cz", "swap"]));
    // qubits from the table: the light cone of the last qubit of a chain reaches everything
    expect(lightCone(c, [8]).qubits).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("opcodes: one definition shared by TypeScript and AssemblyScript, distinct, all used by the table", () => {
    const src = fs.readFileSync(path.join(root, "src", "sim", "program", "opcodes.ts"), "utf8");
    // valid AssemblyScript as well as TypeScript: only comments and `export const NAME = <int>;`
    const code = src
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/\/\/.*$/gm, "")
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    for (const line of code) expect(line).toMatch(/^export const [A-Z_]+ = \d+;$/);
    const ops = Object.entries(OPCODES).filter(([k]) => k.startsWith("OP_") && k !== "OP_BYTES") as Array<
      [string, number]
    >;
    const values = ops.map(([, v]) => v).sort((a, b) => a - b);
    expect(new Set(values).size).toBe(values.length);
    const tableCodes = Object.values(OP_KINDS)
      .flatMap((e) => [...e.wasm.opcodes])
      .sort((a, b) => a - b);
    expect(tableCodes).toEqual(values);
    expect(Object.values(BLOCK_OPCODE).sort((a, b) => a - b)).toEqual(
      [...OP_KINDS.block.wasm.opcodes].sort((a, b) => a - b),
    );
    // every block code is ≤ OP_GENERAL (the AS sweeps test `kind <= OP_GENERAL` for blocks)
    for (const v of OP_KINDS.block.wasm.opcodes) expect(v).toBeLessThanOrEqual(OPCODES.OP_GENERAL);
    // the AssemblyScript kernels import the numbers and define none of their own
    const asm = fs.readFileSync(path.join(root, "asm", "kernels.ts"), "utf8");
    expect(asm).not.toMatch(/^\s*const (OP_[A-Z_]+|DER_BYTES)\b/m);
    const imp = asm.match(/import \{([^}]*)\} from "\.\.\/src\/sim\/program\/opcodes";/);
    expect(imp).not.toBeNull();
    const imported = imp![1]
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const usedInAsm = [...new Set(asm.match(/\b(OP_[A-Z_]+|DER_BYTES)\b/g) ?? [])];
    const codeOfAsm = asm.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
    for (const name of usedInAsm)
      if (new RegExp(`\\b${name}\\b`).test(codeOfAsm.replace(imp![0], ""))) expect(imported).toContain(name);
    for (const name of imported) expect(Object.keys(OPCODES)).toContain(name);
  });

  it("src/sim has no import cycle (program/circuit.ts → backends/engine.ts → program/ops.ts, never back)", () => {
    const dir = path.join(root, "src", "sim");
    const files = (fs.readdirSync(dir, { recursive: true }) as string[])
      .filter((f) => f.endsWith(".ts"))
      .map((f) => f.split(path.sep).join("/"));
    const deps = new Map<string, string[]>();
    for (const f of files) {
      const text = fs.readFileSync(path.join(dir, f), "utf8");
      const targets = [...text.matchAll(/(?:import|export)[^;]*?from\s+"(\.{1,2}\/[^"]+)"/g)].map(
        (m) => path.posix.normalize(path.posix.join(path.posix.dirname(f), m[1])) + ".ts",
      );
      deps.set(
        f,
        targets.filter((t) => files.includes(t)),
      );
    }
    expect(files).toContain("backends/engine.ts");
    expect(deps.get("backends/engine.ts")).toContain("program/ops.ts");
    expect(deps.get("backends/engine.ts")).not.toContain("program/circuit.ts");
    expect(deps.get("program/ops.ts")).not.toContain("program/circuit.ts");
    expect(deps.get("program/ops.ts")).not.toContain("backends/engine.ts");
    const state = new Map<string, number>(); // 1: on the stack, 2: done
    const cycles: string[] = [];
    const visit = (f: string, stack: string[]) => {
      state.set(f, 1);
      for (const d of deps.get(f) ?? []) {
        if (state.get(d) === 1) cycles.push([...stack.slice(stack.indexOf(d)), f, d].join(" → "));
        else if (!state.has(d)) visit(d, [...stack, f]);
      }
      state.set(f, 2);
    };
    for (const f of files) if (!state.has(f)) visit(f, []);
    expect(cycles).toEqual([]);
  });
});

describe.skipIf(!hasWasm)("op-kind table: TypeScript and WebAssembly agree", () => {
  const prev = activeBackend();
  afterAll(() => setBackend(prev));

  for (const n of [4, 9]) {
    it(`n = ${n}: each op record through the WASM dispatch gives the bits of the kind's TS apply; all opcodes occur`, () => {
      const rng = new Rng(`ops-records-${n}`);
      const c = everyKind(n);
      const params = randomParams(c, rng),
        angles = c.angles(params);
      const psi = randomState(n, rng);
      const seen = new Set<number>();
      for (const fuse of [true, false]) {
        const program = c.program(fuse);
        for (const op of program) {
          const ts = psi.clone();
          runProgram([op], angles, ts.re, ts.im);
          const { state, codes } = runOpsWasm([op], angles, psi);
          expect(opKind(op).wasm.opcodes).toContain(codes[0]);
          codes.forEach((v) => seen.add(v));
          expect(bits(state.re), `${op.type}`).toEqual(bits(ts.re));
          expect(bits(state.im), `${op.type}`).toEqual(bits(ts.im));
        }
        const ts = psi.clone();
        runProgram(program, angles, ts.re, ts.im);
        const whole = runOpsWasm(program, angles, psi).state;
        expect(bits(whole.re)).toEqual(bits(ts.re));
        expect(bits(whole.im)).toEqual(bits(ts.im));
      }
      const all = Object.entries(OPCODES)
        .filter(([k]) => k.startsWith("OP_") && k !== "OP_BYTES")
        .map(([, v]) => v as number);
      expect([...seen].sort((a, b) => a - b)).toEqual(all.sort((a, b) => a - b));
    });

    it(`n = ${n}: the every-kind circuit gives the same state on both back ends, forward (bitwise) and inverse (1e-12), and the same gradient (1e-12)`, () => {
      const rng = new Rng(`ops-backends-${n}`);
      const c = everyKind(n);
      const params = randomParams(c, rng);
      const psi = randomState(n, rng);
      const readout = [0, n - 1],
        w = [0.7, -1.3];
      const inv = invertedCircuit(c);
      const out: Record<
        string,
        { fwd: Statevector; inv: Statevector; invFwd: Statevector; grad: Float64Array; value: number }
      > = {};
      for (const backend of ["ts", "wasm"] as const) {
        setBackend(backend);
        for (const fuse of [true, false]) {
          const fwd = c.run(params, psi.clone(), { fuse });
          const { value, grad } = adjointGradient(c, params, psi, weightedZCotangent(readout, w), { fuse });
          out[`${backend}/${fuse}`] = {
            fwd,
            inv: runInverse(c, params, fwd.clone()),
            invFwd: inv.run(params, fwd.clone(), { fuse }),
            grad,
            value,
          };
        }
      }
      for (const fuse of [true, false]) {
        const ts = out[`ts/${fuse}`],
          wa = out[`wasm/${fuse}`];
        expect(bits(wa.fwd.re)).toEqual(bits(ts.fwd.re));
        expect(bits(wa.fwd.im)).toEqual(bits(ts.fwd.im));
        for (const r of [ts, wa]) {
          for (let i = 0; i < psi.dim; i++) {
            // runInverse (the table's applyInverse) and the inverted circuit run forward both return to ψ
            expect(Math.abs(r.inv.re[i] - psi.re[i])).toBeLessThan(1e-12);
            expect(Math.abs(r.inv.im[i] - psi.im[i])).toBeLessThan(1e-12);
            expect(Math.abs(r.invFwd.re[i] - r.inv.re[i])).toBeLessThan(1e-12);
            expect(Math.abs(r.invFwd.im[i] - r.inv.im[i])).toBeLessThan(1e-12);
          }
        }
        expect(Math.abs(wa.value - ts.value)).toBeLessThan(1e-12);
        for (let j = 0; j < ts.grad.length; j++) expect(Math.abs(wa.grad[j] - ts.grad[j])).toBeLessThan(1e-12);
      }
    });
  }
});
