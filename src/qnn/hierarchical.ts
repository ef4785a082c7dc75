/**
 * Hierarchical ansätze that shrink the register layer by layer: the quantum convolutional neural network (QCNN) of
 * Cong, Choi & Lukin, *Quantum convolutional neural networks*, Nature Physics 15, 1273 (2019), and a tree tensor
 * network (TTN) classifier (Grant et al., *Hierarchical quantum classifiers*, npj Quantum Inf. 4, 65 (2018)).
 * Both read out ⟨Z⟩ on the qubits that remain, so they plug into `QNNClassifier` (readout = {@link qcnnReadout} /
 * {@link ttnReadout}), the light-cone machinery and every gradient route like any other circuit.
 *
 * **Discarding a qubit.** A pooling step measures a qubit and acts on a neighbour conditioned on the outcome; by the
 * deferred-measurement principle this equals a controlled gate from the qubit to its neighbour followed by never
 * touching the qubit again (its partial trace), so the circuit simply stops acting on it and the readout never
 * includes it (as `universalAnsatz`'s `nKeep`).
 *
 * **QCNN layout** (one layer on the active qubits a_0 < … < a_{m−1}, repeated while m > nKeep):
 * 1. convolution: a general two-qubit block (`appendTwoQubitBlock`, 15 angles, 3 CNOTs) on (a_0, a_1), (a_2, a_3), …,
 *    then one on (a_1, a_2), (a_3, a_4), … (two staggered sublayers, Cong et al. Fig. 2a's "C");
 * 2. pooling: for each pair (a_{2i}, a_{2i+1}), at most m − nKeep of them, the first qubit d is discarded after
 *    rotations of its partner k conditioned on it: RX(θ_1)·RZ(θ_0) on k when d = |0⟩ and RX(θ_3)·RZ(θ_2) when d = |1⟩
 *    (X on d, CRZ(d→k), CRX(d→k), X on d, CRZ(d→k), CRX(d→k): Cong et al.'s "P", a single-qubit unitary on k chosen
 *    by d's measurement outcome, restricted to Z then X rotations; 4 angles, 4 controlled rotations); k and an
 *    unpaired last qubit stay active;
 * (`pooling: "tfq"` swaps in TensorFlow Quantum's `two_qubit_pool`, 6 angles: {@link QcnnOptions.pooling};
 * `convolution: "tfq"` swaps the convolution block for TensorFlow Quantum's `two_qubit_unitary`, 15 angles:
 * {@link appendTfqTwoQubitUnitary});
 * then a final layer on the remaining qubits ("F"): a two-qubit block when two remain, RZ·RY·RZ when one remains.
 * With `shareParameters` (the default, Cong et al.'s translation invariance) every block of a sublayer, and every
 * pooling of a layer, uses the same angles; without it each has its own. On 15 qubits with nKeep = 2 the active
 * qubits go 15 → 8 → 4 → 2 and the readout is qubits 7 and 14.
 *
 * **Where we differ from Cong et al.** They use 4- and 3-qubit convolution unitaries for the cluster-state example
 * and arbitrary single-qubit pooling unitaries; we use two-qubit blocks (enough to express any two-qubit unitary)
 * and Z·X rotations, as the PennyLane and TensorFlow Quantum QCNN tutorials do, and read two qubits (one ⟨Z⟩ per
 * class, like every classifier here) instead of measuring one. TFQ's tutorial closes its convolution ring (the
 * second sublayer pairs the last qubit with the first) and shares one set of angles between both sublayers; ours is
 * an open chain with one set per sublayer, as the ZXZ chain is open.
 *
 * **TTN layout**: level by level on the active qubits, a two-qubit block on each pair (a_{2i}, a_{2i+1}), at most
 * m − nKeep of them, after which a_{2i} is discarded and a_{2i+1} stays (an unpaired last qubit stays as it is);
 * every block has its own 15 angles (a tree, not a convolution); when two roots remain, one more block on them, so
 * that both logits depend on every input qubit. On 8 qubits: nKeep = 1, 4 + 2 + 1 blocks; nKeep = 2, 4 + 2 + 1
 * (the last on the two roots, 3 and 7).
 *
 * **Parameter layout**: in the order the gates are appended (layer by layer: the sublayers' blocks, then the
 * pooling angles; then the final layer), each block's 15 angles as `appendTwoQubitBlock` orders them.
 *
 * @packageDocumentation
 */
import { Circuit, param } from "../sim/program/circuit";
import { checkQubitCount } from "../sim/state/statevector";
import { checkInt, checkOneOf, withDefaults } from "../util/options";
import { TWO_QUBIT_BLOCK_PARAMS, appendTwoQubitBlock } from "./ansatz";

/** Options of {@link qcnnAnsatz}. */
export interface QcnnOptions {
  /** Number of qubits, ≥ 2. */
  nQubits: number;
  /** Qubits that remain and are read out (one per class): 1 or 2. @defaultValue 2 */
  nKeep: number;
  /** One set of angles per convolution sublayer and per pooling layer (Cong et al.). @defaultValue true */
  shareParameters: boolean;
  /**
   * The pooling step (module doc): `"controlled-rotations"`, a Z·X rotation of the kept qubit per outcome of the
   * discarded one (4 angles); `"tfq"`, TensorFlow Quantum's QCNN tutorial's `two_qubit_pool` (6 angles).
   * @defaultValue "controlled-rotations"
   */
  pooling: QcnnPooling;
  /**
   * The convolution block: `"general"`, {@link appendTwoQubitBlock} (15 angles, 3 CNOTs; Vatan & Williams 2004);
   * `"tfq"`, TensorFlow Quantum's QCNN tutorial's `two_qubit_unitary` ({@link appendTfqTwoQubitUnitary}: 15 angles,
   * ZZ, YY and XX rotations, 6 CNOTs as we decompose them). The final block on two kept qubits is the same kind.
   * @defaultValue "general"
   */
  convolution: QcnnConvolution;
}

/** The convolution blocks of {@link QcnnOptions.convolution}. */
export const QCNN_CONVOLUTIONS = ["general", "tfq"] as const;
export type QcnnConvolution = (typeof QCNN_CONVOLUTIONS)[number];

/** The pooling steps of {@link QcnnOptions.pooling}. */
export const QCNN_POOLINGS = ["controlled-rotations", "tfq"] as const;
export type QcnnPooling = (typeof QCNN_POOLINGS)[number];

/** Angles of one pooling step of each kind. */
export const POOL_PARAMS: Readonly<Record<QcnnPooling, number>> = Object.freeze({
  "controlled-rotations": 4,
  tfq: 6,
});

/** Options of {@link ttnAnsatz}. */
export interface TtnOptions {
  /** Number of qubits, ≥ 2. */
  nQubits: number;
  /** Qubits that remain and are read out (one per class): 1 or 2. @defaultValue 2 */
  nKeep: number;
}

/** One layer of a hierarchical ansatz: the active qubits, and the (discarded, kept) pairs of its pooling. */
export interface HierarchicalLayer {
  active: number[];
  /** `[discarded, kept]` per pooled pair. */
  pools: [number, number][];
}

/** The layers of a register shrinking from `nQubits` to `nKeep` qubits by pairs (module doc); then the kept qubits. */
export function hierarchicalLayers(nQubits: number, nKeep: number): { layers: HierarchicalLayer[]; kept: number[] } {
  let active = Array.from({ length: nQubits }, (_, q) => q);
  const layers: HierarchicalLayer[] = [];
  while (active.length > nKeep) {
    const nPools = Math.min(Math.floor(active.length / 2), active.length - nKeep);
    const pools: [number, number][] = [];
    for (let i = 0; i < nPools; i++) pools.push([active[2 * i], active[2 * i + 1]]);
    layers.push({ active, pools });
    const dropped = new Set(pools.map(([d]) => d));
    active = active.filter((q) => !dropped.has(q));
  }
  return { layers, kept: active };
}

/** The neighbouring pairs of a convolution sublayer on `active`: offset 0 → (a0,a1),(a2,a3),…; 1 → (a1,a2),… */
function sublayerPairs(active: readonly number[], offset: 0 | 1): [number, number][] {
  const out: [number, number][] = [];
  for (let i = offset; i + 1 < active.length; i += 2) out.push([active[i], active[i + 1]]);
  return out;
}

function resolveQcnn(options: Partial<QcnnOptions> & { nQubits: number }): QcnnOptions {
  const o = withDefaults(
    "qcnnAnsatz",
    {
      nQubits: options.nQubits,
      nKeep: 2,
      shareParameters: true,
      pooling: "controlled-rotations" as QcnnPooling,
      convolution: "general" as QcnnConvolution,
    },
    options,
  );
  checkOneOf("qcnnAnsatz", "pooling", o.pooling, QCNN_POOLINGS);
  checkOneOf("qcnnAnsatz", "convolution", o.convolution, QCNN_CONVOLUTIONS);
  checkQubitCount("qcnnAnsatz", o.nQubits);
  if (o.nQubits < 2) throw new Error(`qcnnAnsatz: needs at least 2 qubits, got nQubits = ${o.nQubits}`);
  checkInt("qcnnAnsatz", "nKeep", o.nKeep, 1, 2);
  if (typeof o.shareParameters !== "boolean")
    throw new Error(`qcnnAnsatz: shareParameters must be true or false, got ${JSON.stringify(o.shareParameters)}`);
  return o;
}

function resolveTtn(options: Partial<TtnOptions> & { nQubits: number }): TtnOptions {
  const o = withDefaults("ttnAnsatz", { nQubits: options.nQubits, nKeep: 2 }, options);
  checkQubitCount("ttnAnsatz", o.nQubits);
  if (o.nQubits < 2) throw new Error(`ttnAnsatz: needs at least 2 qubits, got nQubits = ${o.nQubits}`);
  checkInt("ttnAnsatz", "nKeep", o.nKeep, 1, 2);
  return o;
}

/** Appends RZ·RY·RZ on q with angles first, first + 1, first + 2. */
function zyz(c: Circuit, q: number, first: number): void {
  c.rz(q, param(first))
    .ry(q, param(first + 1))
    .rz(q, param(first + 2));
}

/**
 * Appends exp(−iθ/2 P⊗P) on (a, b) for P = Z, Y or X with angle index `k`: CNOT(a→b), RZ_b(θ), CNOT(a→b), inside a
 * change of basis on both qubits (H for X; S† then H for Y, whose V·Y·V† = Z with V = H·S†).
 */
function appendPauliPairRotation(c: Circuit, axis: "X" | "Y" | "Z", a: number, b: number, k: number): void {
  const into = (q: number) => {
    if (axis === "Y") c.sdg(q);
    if (axis !== "Z") c.h(q);
  };
  const back = (q: number) => {
    if (axis !== "Z") c.h(q);
    if (axis === "Y") c.s(q);
  };
  into(a);
  into(b);
  c.cnot(a, b).rz(b, param(k)).cnot(a, b);
  back(a);
  back(b);
}

/**
 * Appends TensorFlow Quantum's `two_qubit_unitary` (the QCNN tutorial's convolution block) on (a, b) with angles
 * `first … first + 14`: RX(θ0)·RY(θ1)·RZ(θ2) on a and RX(θ3)·RY(θ4)·RZ(θ5) on b (in that time order), then
 * exp(−iθ6/2 Z⊗Z), exp(−iθ7/2 Y⊗Y), exp(−iθ8/2 X⊗X), then RX·RY·RZ(θ9..11) on a and (θ12..14) on b. TFQ writes the
 * gates as powers (`cirq.X(q)**s`, `cirq.ZZ**s`), equal up to a global phase to our rotations at θ = π·s: the same
 * circuit family, with angles for exponents. Each two-qubit rotation is CNOT·RZ·CNOT in a rotated basis.
 */
export function appendTfqTwoQubitUnitary(c: Circuit, a: number, b: number, first: number): void {
  const xyz = (q: number, k: number) => {
    c.rx(q, param(k))
      .ry(q, param(k + 1))
      .rz(q, param(k + 2));
  };
  xyz(a, first);
  xyz(b, first + 3);
  appendPauliPairRotation(c, "Z", a, b, first + 6);
  appendPauliPairRotation(c, "Y", a, b, first + 7);
  appendPauliPairRotation(c, "X", a, b, first + 8);
  xyz(a, first + 9);
  xyz(b, first + 12);
}

/** Appends the convolution block of kind `kind` on (a, b) with angles `first …` (15 of either kind). */
function appendBlock(c: Circuit, kind: QcnnConvolution, a: number, b: number, first: number): void {
  if (kind === "tfq") appendTfqTwoQubitUnitary(c, a, b, first);
  else appendTwoQubitBlock(c, a, b, first);
}

/**
 * Appends the final layer on the kept qubits: a two-qubit block of kind `kind` (two kept) or RZ·RY·RZ (one);
 * returns its size.
 */
function finalLayer(c: Circuit, kept: readonly number[], first: number, kind: QcnnConvolution = "general"): number {
  if (kept.length === 2) {
    appendBlock(c, kind, kept[0], kept[1], first);
    return TWO_QUBIT_BLOCK_PARAMS;
  }
  zyz(c, kept[0], first);
  return 3;
}

/**
 * Appends one pooling step from the discarded qubit d to the kept qubit k with angles `first …`:
 * - `"controlled-rotations"` (4): X(d), CRZ(d→k, θ0), CRX(d→k, θ1), X(d), CRZ(d→k, θ2), CRX(d→k, θ3);
 * - `"tfq"` (6): RX·RY·RZ(θ0..2) on k and RX·RY·RZ(θ3..5) on d (the "basis selectors"), CNOT(d→k), then the inverse
 *   of k's selector, RZ(−θ2)·RY(−θ1)·RX(−θ0) (TensorFlow Quantum's QCNN tutorial, `two_qubit_pool`).
 */
function appendPool(c: Circuit, kind: QcnnPooling, d: number, k: number, first: number): void {
  const p = (i: number, scale = 1) => param(first + i, scale);
  if (kind === "controlled-rotations") {
    c.x(d).crz(d, k, p(0)).crx(d, k, p(1)).x(d);
    c.crz(d, k, p(2)).crx(d, k, p(3));
    return;
  }
  c.rx(k, p(0)).ry(k, p(1)).rz(k, p(2));
  c.rx(d, p(3)).ry(d, p(4)).rz(d, p(5));
  c.cnot(d, k);
  c.rz(k, p(2, -1)).ry(k, p(1, -1)).rx(k, p(0, -1));
}

/**
 * Builds the QCNN (module doc) and counts its parameters while doing so.
 * @throws Error for an unknown option, fewer than 2 qubits, nKeep outside {1, 2}, a non-boolean shareParameters, an
 *   unknown pooling or convolution.
 */
export function qcnnAnsatz(options: Partial<QcnnOptions> & { nQubits: number }): Circuit {
  const o = resolveQcnn(options);
  const c = new Circuit(o.nQubits);
  const { layers, kept } = hierarchicalLayers(o.nQubits, o.nKeep);
  let p = 0;
  for (const { active, pools } of layers) {
    for (const offset of [0, 1] as const) {
      const pairs = sublayerPairs(active, offset);
      if (pairs.length === 0) continue;
      for (const [a, b] of pairs) {
        appendBlock(c, o.convolution, a, b, p);
        if (!o.shareParameters) p += TWO_QUBIT_BLOCK_PARAMS;
      }
      if (o.shareParameters) p += TWO_QUBIT_BLOCK_PARAMS;
    }
    const size = POOL_PARAMS[o.pooling];
    for (const [d, k] of pools) {
      appendPool(c, o.pooling, d, k, p);
      if (!o.shareParameters) p += size;
    }
    if (o.shareParameters) p += size;
  }
  finalLayer(c, kept, p, o.convolution);
  return c;
}

/** The qubits a QCNN reads out: those that remain after the last pooling, in increasing order. */
export function qcnnReadout(options: Partial<QcnnOptions> & { nQubits: number }): number[] {
  const o = resolveQcnn(options);
  return hierarchicalLayers(o.nQubits, o.nKeep).kept;
}

/**
 * Builds the tree tensor network classifier (module doc).
 * @throws Error for an unknown option, fewer than 2 qubits, nKeep outside {1, 2}.
 */
export function ttnAnsatz(options: Partial<TtnOptions> & { nQubits: number }): Circuit {
  const o = resolveTtn(options);
  const c = new Circuit(o.nQubits);
  const { layers, kept } = hierarchicalLayers(o.nQubits, o.nKeep);
  let p = 0;
  for (const { pools } of layers) {
    for (const [d, k] of pools) {
      appendTwoQubitBlock(c, d, k, p);
      p += TWO_QUBIT_BLOCK_PARAMS;
    }
  }
  if (kept.length === 2 || layers.length === 0) finalLayer(c, kept, p); // two roots: one block joins their trees
  return c;
}

/** The qubits a TTN reads out: the roots of its trees, in increasing order. */
export function ttnReadout(options: Partial<TtnOptions> & { nQubits: number }): number[] {
  const o = resolveTtn(options);
  return hierarchicalLayers(o.nQubits, o.nKeep).kept;
}
