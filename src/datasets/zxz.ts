/**
 * ZXZ (cluster-Ising) ground states: the quantum-input dataset of Yan et al. (Table 1, Fig. 4), after Cong,
 * Choi & Lukin, "Quantum convolutional neural networks", Nat. Phys. 15, 1273 (2019), Eq. 11 of Yan et al.
 *
 * Hamiltonian on an open chain of N qubits (0-based, little-endian qubit order as in `sim/state/statevector`):
 *
 *   H = −J Σ_{i=0}^{N−3} Z_i X_{i+1} Z_{i+2} − h1 Σ_{i=0}^{N−1} X_i − h2 Σ_{i=0}^{N−2} X_i X_{i+1}.
 *
 * For h2 = 0 a Jordan–Wigner transformation maps it to free fermions that split into two decoupled
 * Ising (Kitaev) chains, with a phase transition at |h1| = |J| between a symmetry-protected topological (SPT, cluster) phase for |h1| < |J| (label 1) and a
 * paramagnet for |h1| > |J| (label 0). With open boundaries the SPT ground space is four-fold
 * near-degenerate (edge modes), split by about `h1^(N/2)`; see `linalg/lanczos` for what each solver returns
 * there.
 *
 * The dataset draws h1 uniformly, computes each ground state once and caches all of them on disk
 * (see {@link zxzDataset}).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PauliString, PauliSum } from "../sim/state/pauli";
import { Statevector, MAX_QUBITS } from "../sim/state/statevector";
import { DENSE_AUTO_MAX_QUBITS, sectorGroundState, xParitySector } from "../sim/state/groundState";
import { Rng } from "../util/rng";
import { withDefaults, checkInt, checkNumber, checkOneOf } from "../util/options";
import { writeJsonAtomic } from "../util/fs";

/** Couplings of {@link zxzHamiltonian}. */
export interface ZxzCouplings {
  /** Cluster coupling J of the Z_i X_{i+1} Z_{i+2} terms. @defaultValue 1 */
  J: number;
  /** Transverse field h1 of the X_i terms (required). */
  h1: number;
  /** Ising coupling h2 of the X_i X_{i+1} terms. @defaultValue 0 */
  h2: number;
}

function checkChain(where: string, nQubits: unknown, max = MAX_QUBITS): number {
  if (typeof nQubits !== "number" || !Number.isInteger(nQubits) || nQubits < 3 || nQubits > max) {
    throw new Error(
      `${where}: nQubits must be an integer in [3, ${max}] (the ZXZ chain needs 3 qubits), got ${String(nQubits)}`,
    );
  }
  return nQubits;
}

/**
 * The ZXZ Hamiltonian `H = −J Σ_{i=0}^{N−3} Z_i X_{i+1} Z_{i+2} − h1 Σ_i X_i − h2 Σ_{i=0}^{N−2} X_i X_{i+1}`
 * on an open chain (Yan et al. Eq. 11; Cong, Choi & Lukin 2019). Terms with a zero coefficient are left out.
 *
 * @param nQubits - chain length N, integer in [3, 26].
 * @param couplings - `{ J = 1, h1, h2 = 0 }`, finite numbers; `h1` is required.
 * @returns a real {@link PauliSum} (ZXZ terms first, then X, then XX).
 * @throws Error for a bad `nQubits`, a missing or non-finite coupling, or an unknown option (all quoted).
 */
export function zxzHamiltonian(nQubits: number, couplings: Partial<ZxzCouplings> & { h1: number }): PauliSum {
  const where = "zxzHamiltonian";
  checkChain(where, nQubits);
  const c = withDefaults<ZxzCouplings>(where, { J: 1, h1: Number.NaN, h2: 0 }, couplings);
  if (couplings === undefined || couplings === null || couplings.h1 === undefined) {
    throw new Error(`${where}: the transverse field h1 is required, e.g. { h1: 0.5 }`);
  }
  checkNumber(where, "J", c.J);
  checkNumber(where, "h1", c.h1);
  checkNumber(where, "h2", c.h2);
  const terms: PauliString[] = [];
  if (c.J !== 0) {
    for (let i = 0; i + 2 < nQubits; i++)
      terms.push(new PauliString(nQubits, { [i]: "Z", [i + 1]: "X", [i + 2]: "Z" }, -c.J));
  }
  if (c.h1 !== 0) for (let i = 0; i < nQubits; i++) terms.push(new PauliString(nQubits, { [i]: "X" }, -c.h1));
  if (c.h2 !== 0)
    for (let i = 0; i + 1 < nQubits; i++) terms.push(new PauliString(nQubits, { [i]: "X", [i + 1]: "X" }, -c.h2));
  return new PauliSum(nQubits, terms);
}

/**
 * Phase label of a ZXZ ground state at h2 = 0: 1 (SPT) for |h1| < |J|, 0 (paramagnet) for |h1| > |J|.
 * The critical point |h1| = |J| is labelled 0 (it has measure zero under the dataset's continuous sampling).
 *
 * @param h1 - transverse field (finite).
 * @param J - cluster coupling (finite). @defaultValue 1
 * @throws Error for non-finite arguments.
 *
 * Source: transition at h1 = J for h2 = 0 (Jordan–Wigner / duality to two Ising chains; Cong, Choi & Lukin 2019).
 */
export function zxzLabel(h1: number, J = 1): number {
  checkNumber("zxzLabel", "h1", h1);
  checkNumber("zxzLabel", "J", J);
  return Math.abs(h1) < Math.abs(J) ? 1 : 0;
}

/** One ground state of {@link zxzGroundStateSweep}. */
export interface ZxzSweepState {
  /** Position of its h1 in the input array. */
  index: number;
  h1: number;
  energy: number;
  /** Unit ground state, real, global phase fixed (first largest-magnitude amplitude positive). */
  state: Statevector;
  /** Lanczos steps (0 for the dense route). */
  iterations: number;
  /** X-parity sector `[even sites, odd sites]` the state was found in. */
  sector: [number, number];
}

/** Options of {@link zxzGroundStateSweep}. */
export interface ZxzSweepOptions {
  /** Cluster coupling. @defaultValue 1 */
  J: number;
  /** Ising coupling. @defaultValue 0 */
  h2: number;
  /** Route within each sector: dense diagonalisation or Lanczos (`"auto"`: dense up to 8 qubits). @defaultValue "auto" */
  method: "auto" | "dense" | "lanczos";
  /** Lanczos residual tolerance ‖Hx − Ex‖. @defaultValue 1e-10 */
  tol: number;
}

/**
 * Ground states of the ZXZ chain ({@link zxzHamiltonian}) at many values of h1, fast: yields one
 * {@link ZxzSweepState} per h1, in increasing order of h1 (ties by index).
 *
 * - **Symmetry.** Every term commutes with the X-parities of the even and of the odd sites (a ZXZ term has its two Z
 *   on sites of the same parity), so H is block-diagonal in four sectors of 2^(N−2) amplitudes
 *   ({@link xParitySector}). For h2 = 0 the ground state is in the (+1, +1) sector (checked against dense
 *   diagonalisation of the whole chain at N = 7–10 for h1 ∈ (0, 2); the tests repeat it), so only that sector is
 *   solved; it also removes the edge-mode near-degeneracy of the SPT phase (four levels split by about h1^(N/2),
 *   one per sector), so Lanczos returns the same state as the dense route there too. For h2 ≠ 0 (where the
 *   ground state can sit in another sector, e.g. h2 < 0 at odd N) all four sectors are solved and the lowest
 *   energy wins.
 * - **Warm starts.** Each Lanczos run starts from the previous (nearest smaller h1) ground state of its sector,
 *   which is close to the wanted one, so it converges in a few steps; the first starts from a seeded random vector.
 *
 * Measured on this project's shared 2-core machine: N = 15, 2000 values of h1 in [0, 2): see the README's runtime
 * table (about 2 orders of magnitude below the full-space, random-start route of format-1 caches).
 *
 * @param nQubits - chain length, integer in [3, 20].
 * @param h1Values - transverse fields (finite).
 * @param options - see {@link ZxzSweepOptions}.
 * @throws Error for bad arguments (quoted) or a Lanczos run that does not converge.
 */
export function* zxzGroundStateSweep(
  nQubits: number,
  h1Values: ArrayLike<number>,
  options: Partial<ZxzSweepOptions> = {},
): Generator<ZxzSweepState, void, void> {
  const where = "zxzGroundStateSweep";
  checkChain(where, nQubits, DATASET_MAX_QUBITS);
  const o = withDefaults<ZxzSweepOptions>(where, { J: 1, h2: 0, method: "auto", tol: SOLVER.tol }, options);
  checkNumber(where, "J", o.J);
  checkNumber(where, "h2", o.h2);
  checkNumber(where, "tol", o.tol, 0);
  checkOneOf(where, "method", o.method, ["auto", "dense", "lanczos"] as const);
  if (!h1Values || typeof h1Values.length !== "number")
    throw new Error(`${where}: h1Values must be an array of numbers, got ${String(h1Values)}`);
  const h1 = Array.from({ length: h1Values.length }, (_, i) => checkNumber(where, `h1Values[${i}]`, h1Values[i]));
  const order = h1.map((_, i) => i).sort((a, b) => h1[a] - h1[b] || a - b);
  let even = 0,
    odd = 0;
  for (let q = 0; q < nQubits; q++) {
    if (q % 2 === 0) even |= 1 << q;
    else odd |= 1 << q;
  }
  const sectors: [number, number][] =
    o.h2 === 0
      ? [[1, 1]]
      : [
          [1, 1],
          [1, -1],
          [-1, 1],
          [-1, -1],
        ];
  const method = o.method === "auto" ? (nQubits <= DENSE_AUTO_MAX_QUBITS ? "dense" : "lanczos") : o.method;
  const starts: (Float64Array | null)[] = sectors.map(() => null);
  for (const index of order) {
    const H = zxzHamiltonian(nQubits, { J: o.J, h1: h1[index], h2: o.h2 });
    let best: ZxzSweepState | null = null;
    sectors.forEach((signs, s) => {
      const gs = sectorGroundState(xParitySector(H, [even, odd], signs), {
        method,
        tol: o.tol,
        maxIter: SOLVER.maxIter,
        maxRestarts: SOLVER.maxRestarts,
        seed: SOLVER.seed,
        reorthogonalize: SOLVER.reorthogonalize,
        start: method === "lanczos" ? starts[s] : null,
      });
      starts[s] = gs.reduced;
      if (!best || gs.energy < best.energy)
        best = { index, h1: h1[index], energy: gs.energy, state: gs.state, iterations: gs.iterations, sector: signs };
    });
    yield best!;
  }
}

/**
 * String order parameter `⟨Z_a X_{a+1} X_{a+3} … X_{b−1} Z_b⟩` with `a = 0` and `b` the largest index
 * `≤ N − 1` with `b − a` even (b = N − 1 for odd N, N − 2 for even N).
 *
 * The string operator is the product of the cluster stabilizers `Z_i X_{i+1} Z_{i+2}` for i = a, a+2, …, b−2,
 * so it equals 1 in every ground state at h1 = h2 = 0, is large deep in the SPT phase, falls across h1 ≈ J and
 * decays to 0 in the paramagnet (N = 9: 0.998 at h1 = 0.05, 0.91 at 0.3, 0.25 at 0.9, 0.19 at 1, 0.03 at 1.7;
 * N = 15: 0.91 at 0.3, 0.20 at 0.9, 0.12 at 1, 0.004 at 1.7). Because the string spans the whole chain it
 * already drops below 1 inside the SPT phase at finite N; the crossover sharpens into the transition at
 * h1 = J only as N → ∞.
 *
 * @param state - an N-qubit state, N ≥ 3.
 * @returns the expectation value (real, in [−1, 1]).
 * @throws Error if the state has fewer than 3 qubits.
 */
export function stringOrderParameter(state: Statevector): number {
  if (!(state instanceof Statevector))
    throw new Error(`stringOrderParameter: expected a Statevector, got ${String(state)}`);
  const n = checkChain("stringOrderParameter", state.nQubits);
  const b = (n - 1) % 2 === 0 ? n - 1 : n - 2;
  const ops: Record<number, "X" | "Z"> = { 0: "Z", [b]: "Z" };
  for (let q = 1; q < b; q += 2) ops[q] = "X";
  return new PauliString(n, ops).expectation(state);
}

/** One split (train or test) of the ZXZ dataset; arrays are aligned by sample index. */
export interface ZxzSplit {
  /** Transverse fields h1 of the samples, drawn from U[h1Min, h1Max). */
  h1: Float64Array;
  /** Phase labels {@link zxzLabel}(h1, J): 1 = SPT, 0 = paramagnet. */
  labels: number[];
  /** Ground states (global phase fixed: first largest-magnitude amplitude real positive). */
  states: Statevector[];
  /** Ground-state energies. */
  energies: Float64Array;
}

/** The ZXZ dataset returned by {@link zxzDataset}. */
export interface ZxzDataset {
  /** Chain length N. */
  nQubits: number;
  /** Training split (nTrain samples). */
  train: ZxzSplit;
  /** Test split (nTest samples). */
  test: ZxzSplit;
  /** Ground-state route used (`"auto"` resolved). */
  method: "dense" | "lanczos";
  /** Whether the states were read from the cache. */
  fromCache: boolean;
  /** Cache file prefix (`…/zxz-n7-<hash>`, with `.bin` and `.json`), or null when caching is off. */
  cacheFile: string | null;
}

/** Options of {@link zxzDataset}. */
export interface ZxzDatasetOptions {
  /** Chain length N, integer in [3, 20] (dense route at most 12). Required. */
  nQubits: number;
  /** Number of training ground states (integer ≥ 0). @defaultValue 1000 */
  nTrain: number;
  /** Number of test ground states (integer ≥ 0). @defaultValue 1000 */
  nTest: number;
  /** Lower end of the h1 interval (finite, < h1Max). @defaultValue 0 */
  h1Min: number;
  /** Upper end of the h1 interval (exclusive). @defaultValue 2 */
  h1Max: number;
  /** Cluster coupling J (finite, > 0). @defaultValue 1 */
  J: number;
  /** Ising coupling h2 (finite). @defaultValue 0 */
  h2: number;
  /** Seed; train and test h1 come from the streams `fork("train")` and `fork("test")`. @defaultValue 0 */
  seed: number | string;
  /**
   * Cache folder. `undefined`: `$QNN_KD_CACHE_DIR`, else `<projectRoot>/data/cache` (projectRoot = the folder
   * of qnn-kd's package.json); `null`: no caching.
   * @defaultValue undefined
   */
  cacheDir: string | null | undefined;
  /** Ground-state route within the symmetry sector, see {@link zxzGroundStateSweep} (auto: dense up to 8 qubits, Lanczos above). @defaultValue "auto" */
  method: "auto" | "dense" | "lanczos";
  /** Called as `onProgress(done, total)` after each ground state (and once when read from the cache). @defaultValue null */
  onProgress: ((done: number, total: number) => void) | null;
}

const DATASET_DEFAULTS: ZxzDatasetOptions = {
  nQubits: Number.NaN,
  nTrain: 1000,
  nTest: 1000,
  h1Min: 0,
  h1Max: 2,
  J: 1,
  h2: 0,
  seed: 0,
  cacheDir: undefined,
  method: "auto",
  onProgress: null,
};

/** Bump when the generation or the file layout changes: old cache files are then ignored. */
const CACHE_FORMAT = 2;
/**
 * Ground-state solver settings used by the dataset (part of the cache key). Format 2: each state is solved in its
 * X-parity sector, h1 values in increasing order, each Lanczos run warm-started from the previous ground state
 * ({@link zxzGroundStateSweep}); format 1 solved every state in the full space from a random start.
 */
const SOLVER = {
  tol: 1e-10,
  maxIter: 300,
  maxRestarts: 5,
  seed: "zxz-start",
  reorthogonalize: "partial",
  route: "x-parity-sector, warm start in h1 order",
} as const;
/** Largest chain the dataset accepts (Lanczos memory and time; the dense route stops at 12). */
const DATASET_MAX_QUBITS = 20;

export { projectRoot } from "../util/paths";
import { projectRoot } from "../util/paths";

/** The default cache folder: `$QNN_KD_CACHE_DIR`, else `<projectRoot>/data/cache`. */
export function defaultCacheDir(): string {
  const env = process.env.QNN_KD_CACHE_DIR;
  return env && env.length > 0 ? env : path.join(projectRoot(), "data", "cache");
}

interface Resolved {
  o: ZxzDatasetOptions;
  method: "dense" | "lanczos";
  key: Record<string, unknown>;
  prefix: string | null;
  h1Train: Float64Array;
  h1Test: Float64Array;
}

function resolveOptions(where: string, options: Partial<ZxzDatasetOptions>): Resolved {
  if (options === undefined || options === null || typeof options !== "object") {
    throw new Error(
      `${where}: options with at least nQubits are required, e.g. { nQubits: 7 }, got ${String(options)}`,
    );
  }
  const o = withDefaults(where, DATASET_DEFAULTS, options);
  if (
    typeof o.nQubits !== "number" ||
    !Number.isInteger(o.nQubits) ||
    o.nQubits < 3 ||
    o.nQubits > DATASET_MAX_QUBITS
  ) {
    throw new Error(`${where}: nQubits must be an integer in [3, ${DATASET_MAX_QUBITS}], got ${String(o.nQubits)}`);
  }
  checkInt(where, "nTrain", o.nTrain, 0, 1e7);
  checkInt(where, "nTest", o.nTest, 0, 1e7);
  checkNumber(where, "h1Min", o.h1Min);
  checkNumber(where, "h1Max", o.h1Max);
  if (!(o.h1Min < o.h1Max))
    throw new Error(`${where}: h1Min must be below h1Max, got h1Min = ${o.h1Min}, h1Max = ${o.h1Max}`);
  checkNumber(where, "J", o.J);
  if (!(o.J > 0)) throw new Error(`${where}: J must be a positive finite number, got ${o.J}`);
  checkNumber(where, "h2", o.h2);
  if (!(typeof o.seed === "string" || (typeof o.seed === "number" && Number.isFinite(o.seed)))) {
    throw new Error(`${where}: seed must be a finite number or a string, got ${String(o.seed)}`);
  }
  checkOneOf(where, "method", o.method, ["auto", "dense", "lanczos"] as const);
  const method: "dense" | "lanczos" =
    o.method === "auto" ? (o.nQubits <= DENSE_AUTO_MAX_QUBITS ? "dense" : "lanczos") : o.method;
  if (method === "dense" && o.nQubits > 12) {
    throw new Error(
      `${where}: method "dense" supports at most 12 qubits, got nQubits = ${o.nQubits}; use "lanczos" or "auto"`,
    );
  }
  if (o.onProgress !== null && typeof o.onProgress !== "function") {
    throw new Error(`${where}: onProgress must be a function or null, got ${typeof o.onProgress}`);
  }
  if (o.cacheDir !== null && o.cacheDir !== undefined && (typeof o.cacheDir !== "string" || o.cacheDir.length === 0)) {
    throw new Error(
      `${where}: cacheDir must be a non-empty string, null (no cache) or undefined (default), got ${String(o.cacheDir)}`,
    );
  }
  const rng = new Rng(o.seed);
  const draw = (r: Rng, n: number) => {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = r.uniform(o.h1Min, o.h1Max);
    return a;
  };
  const h1Train = draw(rng.fork("train"), o.nTrain);
  const h1Test = draw(rng.fork("test"), o.nTest);
  const key = {
    dataset: "qnn-kd/zxz",
    format: CACHE_FORMAT,
    nQubits: o.nQubits,
    nTrain: o.nTrain,
    nTest: o.nTest,
    h1Min: o.h1Min,
    h1Max: o.h1Max,
    J: o.J,
    h2: o.h2,
    seed: o.seed,
    method,
    solver: SOLVER,
  };
  let prefix: string | null = null;
  if (o.cacheDir !== null) {
    const dir = o.cacheDir ?? defaultCacheDir();
    const hash = crypto.createHash("sha256").update(JSON.stringify(key)).digest("hex").slice(0, 16);
    prefix = path.join(dir, `zxz-n${o.nQubits}-${hash}`);
  }
  return { o, method, key, prefix, h1Train, h1Test };
}

interface CacheMeta {
  key: Record<string, unknown>;
  dim: number;
  nTrain: number;
  nTest: number;
  hasImag: boolean;
  byteLength: number;
  sha256: string;
  endianness: string;
  train: { h1: number[]; energies: number[] };
  test: { h1: number[]; energies: number[] };
  createdAt: string;
}

function makeSplit(h1: Float64Array, J: number): ZxzSplit {
  return { h1, labels: Array.from(h1, (h) => zxzLabel(h, J)), states: [], energies: new Float64Array(h1.length) };
}

/** Reads a cached dataset; returns null (after a warning if the files exist but are unusable). */
function tryLoad(r: Resolved): ZxzDataset | null {
  const prefix = r.prefix!;
  const jsonFile = `${prefix}.json`,
    binFile = `${prefix}.bin`;
  const hasJson = fs.existsSync(jsonFile),
    hasBin = fs.existsSync(binFile);
  if (!hasJson && !hasBin) return null;
  const bad = (why: string): null => {
    console.warn(`zxzDataset: cache ${prefix}.{json,bin} is unusable (${why}); regenerating the ground states`);
    return null;
  };
  if (!hasJson || !hasBin) return bad(`missing ${hasJson ? ".bin" : ".json"} file`);
  let meta: CacheMeta;
  try {
    meta = JSON.parse(fs.readFileSync(jsonFile, "utf8")) as CacheMeta;
  } catch (e) {
    return bad(`metadata is not valid JSON: ${(e as Error).message}`);
  }
  const n = r.o.nQubits,
    dim = 2 ** n;
  if (JSON.stringify(meta.key) !== JSON.stringify(r.key)) return bad("metadata key does not match the options");
  if (meta.dim !== dim || meta.nTrain !== r.o.nTrain || meta.nTest !== r.o.nTest)
    return bad("sizes in the metadata do not match");
  if (meta.endianness !== os.endianness())
    return bad(`written on a ${meta.endianness} machine, this one is ${os.endianness()}`);
  const count = r.o.nTrain + r.o.nTest;
  const expected = count * dim * 8 * (meta.hasImag ? 2 : 1);
  if (meta.byteLength !== expected) return bad(`metadata byteLength ${meta.byteLength}, expected ${expected}`);
  let size: number;
  try {
    size = fs.statSync(binFile).size;
  } catch (e) {
    return bad((e as Error).message);
  }
  if (size !== expected) return bad(`binary file has ${size} bytes, expected ${expected} (truncated?)`);
  const same = (a: Float64Array, b: unknown) =>
    Array.isArray(b) && b.length === a.length && a.every((v, i) => v === b[i]);
  if (!same(r.h1Train, meta.train?.h1) || !same(r.h1Test, meta.test?.h1))
    return bad("stored h1 values differ from the seeded draw");
  if (
    !Array.isArray(meta.train.energies) ||
    meta.train.energies.length !== r.o.nTrain ||
    !Array.isArray(meta.test.energies) ||
    meta.test.energies.length !== r.o.nTest
  ) {
    return bad("energies missing from the metadata");
  }
  const train = makeSplit(r.h1Train, r.o.J);
  const test = makeSplit(r.h1Test, r.o.J);
  const all: Statevector[] = [];
  for (let i = 0; i < count; i++) {
    const s = new Statevector(n, new Float64Array(dim), new Float64Array(dim));
    all.push(s);
    (i < r.o.nTrain ? train : test).states.push(s);
  }
  const hash = crypto.createHash("sha256");
  const fd = fs.openSync(binFile, "r");
  try {
    let pos = 0;
    const readInto = (a: Float64Array) => {
      const view = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      let got = 0;
      while (got < view.length) {
        const k = fs.readSync(fd, view, got, view.length - got, pos + got);
        if (k <= 0) throw new Error(`unexpected end of file at byte ${pos + got}`);
        got += k;
      }
      pos += view.length;
      hash.update(view);
    };
    for (const s of all) readInto(s.re);
    if (meta.hasImag) for (const s of all) readInto(s.im);
  } catch (e) {
    return bad((e as Error).message);
  } finally {
    fs.closeSync(fd);
  }
  if (hash.digest("hex") !== meta.sha256) return bad("checksum mismatch (corrupt file)");
  for (let i = 0; i < r.o.nTrain; i++) train.energies[i] = meta.train.energies[i];
  for (let i = 0; i < r.o.nTest; i++) test.energies[i] = meta.test.energies[i];
  for (const s of all) {
    const nrm = s.norm2();
    if (!(Math.abs(nrm - 1) < 1e-8)) return bad(`a stored state has norm² ${nrm}`);
  }
  return { nQubits: n, train, test, method: r.method, fromCache: true, cacheFile: prefix };
}

/** Writes the binary file (chunked, atomically via a temporary file and rename) and then the metadata. */
function writeCache(r: Resolved, d: ZxzDataset): void {
  const prefix = r.prefix!;
  const all = [...d.train.states, ...d.test.states];
  const hasImag = all.some((s) => s.im.some((v) => v !== 0));
  const binFile = `${prefix}.bin`;
  fs.mkdirSync(path.dirname(binFile), { recursive: true });
  const tmp = `${binFile}.${process.pid}.${Date.now()}.tmp`;
  const hash = crypto.createHash("sha256");
  let bytes = 0;
  const fd = fs.openSync(tmp, "w");
  try {
    const write = (a: Float64Array) => {
      const view = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      let done = 0;
      while (done < view.length) done += fs.writeSync(fd, view, done, view.length - done);
      hash.update(view);
      bytes += view.length;
    };
    for (const s of all) write(s.re);
    if (hasImag) for (const s of all) write(s.im);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, binFile);
  const meta: CacheMeta = {
    key: r.key,
    dim: 2 ** r.o.nQubits,
    nTrain: r.o.nTrain,
    nTest: r.o.nTest,
    hasImag,
    byteLength: bytes,
    sha256: hash.digest("hex"),
    endianness: os.endianness(),
    train: { h1: Array.from(d.train.h1), energies: Array.from(d.train.energies) },
    test: { h1: Array.from(d.test.h1), energies: Array.from(d.test.energies) },
    createdAt: new Date().toISOString(),
  };
  writeJsonAtomic(`${prefix}.json`, meta);
}

/** Generation as steps: yields after each ground state, returns the dataset. */
function* generate(r: Resolved): Generator<void, ZxzDataset, void> {
  const { o } = r;
  const total = o.nTrain + o.nTest;
  if (r.prefix !== null) {
    const cached = tryLoad(r);
    if (cached) {
      o.onProgress?.(total, total);
      return cached;
    }
  }
  const train = makeSplit(r.h1Train, o.J);
  const test = makeSplit(r.h1Test, o.J);
  const h1All = Float64Array.from([...r.h1Train, ...r.h1Test]);
  const states: Statevector[] = new Array(total);
  const energies = new Float64Array(total);
  let done = 0;
  for (const gs of zxzGroundStateSweep(o.nQubits, h1All, { J: o.J, h2: o.h2, method: r.method })) {
    states[gs.index] = gs.state;
    energies[gs.index] = gs.energy;
    done++;
    o.onProgress?.(done, total);
    yield;
  }
  for (let i = 0; i < total; i++) {
    const [split, j] = i < o.nTrain ? [train, i] : [test, i - o.nTrain];
    split.states.push(states[i]);
    split.energies[j] = energies[i];
  }
  const d: ZxzDataset = { nQubits: o.nQubits, train, test, method: r.method, fromCache: false, cacheFile: r.prefix };
  if (r.prefix !== null) writeCache(r, d);
  return d;
}

/**
 * The ZXZ ground-state dataset: `nTrain` + `nTest` values of h1 ~ U[h1Min, h1Max) (seeded streams
 * `fork("train")` and `fork("test")` of `new Rng(seed)`), the ground state of {@link zxzHamiltonian} at each,
 * its energy and its phase label {@link zxzLabel}.
 *
 * **Cache.** Ground states are computed once and stored under `cacheDir` as `zxz-n<N>-<hash>.bin` (Float64,
 * host byte order, all real parts in sample order train then test, then all imaginary parts if any state has
 * one; the ZXZ states are real, so normally real parts only) and `zxz-n<N>-<hash>.json` (the key, sizes,
 * SHA-256 of the binary file, h1 and energies), where `<hash>` is derived from every generating option
 * (nQubits, nTrain, nTest, h1Min, h1Max, J, h2, seed, resolved method, solver settings, format version).
 * Both files are written atomically (binary first, metadata last). A missing, truncated or corrupt cache is
 * regenerated after a `console.warn`, never a crash.
 *
 * Each ground state's global phase is fixed (first largest-magnitude amplitude real positive), so fresh and
 * cached states agree exactly. Memory: `(nTrain + nTest) · 2^N · 16` bytes (about 1 GB for N = 15 and
 * 1000 + 1000 states; the cache file holds half of that).
 *
 * **Solver** ({@link zxzGroundStateSweep}): every state is solved in its X-parity symmetry sector (2^(N−2)
 * amplitudes; dense up to 8 qubits, Lanczos with partial reorthogonalisation above, residual ≤ 1e-10), the h1
 * values of both splits in increasing order, each Lanczos run warm-started from the previous ground state.
 * Measured on this project's shared 2-core machine: N = 15, 1000 + 1000 states in about 50 s (format-1 caches,
 * full space from random starts: 15–25 minutes); N = 7 in about 2 s; reading the N = 15 cache about 5 s. Within
 * the sector the SPT phase's edge-mode near-degeneracy (four levels split by about h1^(N/2), one per sector) is
 * gone, so Lanczos returns the dense route's state also for tiny h1 (format 1 returned some vector of the
 * low-energy space there; elsewhere the two formats agree to the residual tolerance).
 *
 * Runs synchronously; use {@link zxzDatasetAsync} to let a notebook's progress display update meanwhile.
 *
 * @param options - see {@link ZxzDatasetOptions}; `nQubits` is required.
 * @throws Error for bad options (quoted with the allowed range), or if a ground state fails to converge.
 *
 * Source: Yan et al., Table 1 and Fig. 4 (Eq. 11); Cong, Choi & Lukin, Nat. Phys. 15, 1273 (2019).
 */
export function zxzDataset(options: Partial<ZxzDatasetOptions> & { nQubits: number }): ZxzDataset {
  const gen = generate(resolveOptions("zxzDataset", options));
  for (;;) {
    const step = gen.next();
    if (step.done) return step.value;
  }
}

/**
 * {@link zxzDataset} that yields to the event loop after each ground state (so progress displays and other
 * callbacks run). Same options, same result, same cache.
 * @throws Error (as a rejected promise) for the same reasons as {@link zxzDataset}.
 */
export async function zxzDatasetAsync(options: Partial<ZxzDatasetOptions> & { nQubits: number }): Promise<ZxzDataset> {
  const gen = generate(resolveOptions("zxzDatasetAsync", options));
  for (;;) {
    const step = gen.next();
    if (step.done) return step.value;
    await new Promise<void>((res) => setImmediate(res));
  }
}

/** One row of {@link zxzPhaseDiagram}. */
export interface ZxzPhaseRow {
  /** Transverse field. */
  h1: number;
  /** Ground-state energy. */
  energy: number;
  /** {@link stringOrderParameter} of the ground state. */
  stringOrder: number;
  /** {@link zxzLabel}(h1, J). */
  label: number;
}

/** Options of {@link zxzPhaseDiagram}. */
export interface ZxzPhaseDiagramOptions {
  /** Cluster coupling. @defaultValue 1 */
  J: number;
  /** Ising coupling. @defaultValue 0 */
  h2: number;
  /** Ground-state route within the symmetry sector (see {@link zxzGroundStateSweep}). @defaultValue "auto" */
  method: "auto" | "dense" | "lanczos";
}

/**
 * Ground-state energy and string order parameter along a line of h1 values: the data of the notebook's
 * phase-diagram figure (the string order falls from ≈ 1 to ≈ 0 across h1 = J). Ground states by
 * {@link zxzGroundStateSweep} (symmetry sector, warm starts).
 * @param nQubits - chain length, integer in [3, 20].
 * @param h1Values - transverse fields (finite).
 * @param options - see {@link ZxzPhaseDiagramOptions}.
 * @returns one row per h1 value, in the given order.
 * @throws Error for bad arguments (quoted).
 */
export function zxzPhaseDiagram(
  nQubits: number,
  h1Values: ArrayLike<number>,
  options?: Partial<ZxzPhaseDiagramOptions>,
): ZxzPhaseRow[] {
  const where = "zxzPhaseDiagram";
  checkChain(where, nQubits, DATASET_MAX_QUBITS);
  const o = withDefaults<ZxzPhaseDiagramOptions>(where, { J: 1, h2: 0, method: "auto" }, options);
  checkNumber(where, "J", o.J);
  checkNumber(where, "h2", o.h2);
  checkOneOf(where, "method", o.method, ["auto", "dense", "lanczos"] as const);
  if (!h1Values || typeof h1Values.length !== "number")
    throw new Error(`${where}: h1Values must be an array of numbers, got ${String(h1Values)}`);
  const h1 = Array.from({ length: h1Values.length }, (_, i) => checkNumber(where, `h1Values[${i}]`, h1Values[i]));
  const rows: ZxzPhaseRow[] = new Array(h1.length);
  for (const gs of zxzGroundStateSweep(nQubits, h1, { J: o.J, h2: o.h2, method: o.method })) {
    rows[gs.index] = {
      h1: gs.h1,
      energy: gs.energy,
      stringOrder: stringOrderParameter(gs.state),
      label: zxzLabel(gs.h1, o.J),
    };
  }
  return rows;
}
