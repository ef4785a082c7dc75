/**
 * The hardware-efficient ansatz (Yan et al. Fig. 2; Kandala et al., Nature 549, 242 (2017)).
 *
 * One layer = a rotation of each kind in `rotations` on every qubit, then an entangler. With the defaults
 * (rotations X, Y, Z; CNOT chain i → i+1) an L-layer ansatz on n qubits has 3·n·L parameters
 * (PARAMS.md: inferred from the first author's code and framework defaults). With `finalRotationLayer` one more
 * rotation layer follows the last entangler, as MindQuantum's `HardwareEfficientAnsatz` builds it (depth L has
 * L + 1 rotation layers; `mindquantum/algorithm/nisq/chem/hardware_efficient_ansatz.py`): 3·n·(L + 1) parameters.
 *
 * **Parameter layout:** `params[(layer·nQubits + qubit)·R + r]` = angle of rotation `rotations[r]` on `qubit`
 * in `layer`, i.e. `[layer][qubit][rotation]`, R = rotations.length; the final rotation layer, when present, is
 * layer index L.
 */
import { Circuit, param } from "../sim/program/circuit";
import { checkQubitCount } from "../sim/state/statevector";
import { withDefaults, checkInt, checkOneOf } from "../util/options";

/** Entangling patterns: CNOT or CZ along a chain (i → i+1) or ring (adds n−1 → 0), or none. */
export const ENTANGLERS = ["chain", "ring", "cz-chain", "cz-ring", "none"] as const;
/** An entangling pattern, see {@link ENTANGLERS}. */
export type Entangler = (typeof ENTANGLERS)[number];
/** A rotation axis name. */
export type RotationName = "X" | "Y" | "Z";

/** Options of {@link hardwareEfficientAnsatz}. */
export interface HardwareEfficientOptions {
  /** Number of qubits. */
  nQubits: number;
  /** Number of layers L. */
  nLayers: number;
  /** Rotations per qubit per layer, in order. @defaultValue ["X", "Y", "Z"] */
  rotations: RotationName[];
  /** Entangler after each layer's rotations. @defaultValue "chain" */
  entangler: Entangler;
  /**
   * One more rotation layer after the last entangler (MindQuantum's layout: L + 1 rotation layers). @defaultValue false
   */
  finalRotationLayer: boolean;
}

const HEA_DEFAULTS: HardwareEfficientOptions = {
  nQubits: 1,
  nLayers: 1,
  rotations: ["X", "Y", "Z"],
  entangler: "chain",
  finalRotationLayer: false,
};

/** Resolves and validates ansatz options. @throws Error naming an unknown option or bad value. */
export function resolveAnsatzOptions(options: Partial<HardwareEfficientOptions>): HardwareEfficientOptions {
  const o = withDefaults("hardwareEfficientAnsatz", HEA_DEFAULTS, options);
  checkQubitCount("hardwareEfficientAnsatz", o.nQubits);
  checkInt("hardwareEfficientAnsatz", "nLayers", o.nLayers, 1, 10000);
  if (!Array.isArray(o.rotations) || o.rotations.length === 0) {
    throw new Error(
      `hardwareEfficientAnsatz: rotations must be a non-empty array of "X", "Y", "Z", got ${JSON.stringify(o.rotations)}`,
    );
  }
  for (const r of o.rotations) checkOneOf("hardwareEfficientAnsatz", "rotation", r, ["X", "Y", "Z"] as const);
  checkOneOf("hardwareEfficientAnsatz", "entangler", o.entangler, ENTANGLERS);
  if (typeof o.finalRotationLayer !== "boolean") {
    throw new Error(
      `hardwareEfficientAnsatz: finalRotationLayer must be true or false, got ${JSON.stringify(o.finalRotationLayer)}`,
    );
  }
  return o;
}

/** Appends an entangling pattern ({@link ENTANGLERS}) on all of `c`'s qubits (nothing on one qubit or for "none"). */
function addEntangler(c: Circuit, entangler: Entangler): void {
  const n = c.nQubits;
  if (n < 2 || entangler === "none") return;
  const cz = entangler.startsWith("cz");
  const pair = (a: number, b: number) => (cz ? c.cz(a, b) : c.cnot(a, b));
  for (let q = 0; q < n - 1; q++) pair(q, q + 1);
  if (entangler.endsWith("ring") && n > 2) pair(n - 1, 0);
}

/**
 * Number of parameters of the hardware-efficient ansatz: nQubits·nLayers·rotations.length, or
 * nQubits·(nLayers + 1)·rotations.length with the final rotation layer.
 */
export function hardwareEfficientParamCount(
  nQubits: number,
  nLayers: number,
  rotations: readonly RotationName[] = ["X", "Y", "Z"],
  finalRotationLayer = false,
): number {
  return nQubits * (nLayers + (finalRotationLayer ? 1 : 0)) * rotations.length;
}

/**
 * Builds the hardware-efficient ansatz circuit (layout in the module doc).
 * @throws Error for an unknown option, nLayers < 1, a bad rotation or entangler name.
 */
export function hardwareEfficientAnsatz(
  options: Partial<HardwareEfficientOptions> & { nQubits: number; nLayers: number },
): Circuit {
  const o = resolveAnsatzOptions(options);
  const n = o.nQubits,
    R = o.rotations.length;
  const c = new Circuit(n, hardwareEfficientParamCount(n, o.nLayers, o.rotations, o.finalRotationLayer));
  const axis = { X: 0, Y: 1, Z: 2 } as const;
  const rotationLayer = (l: number) => {
    for (let q = 0; q < n; q++) {
      for (let r = 0; r < R; r++) c.rot(axis[o.rotations[r]], q, param((l * n + q) * R + r));
    }
  };
  for (let l = 0; l < o.nLayers; l++) {
    rotationLayer(l);
    addEntangler(c, o.entangler);
  }
  if (o.finalRotationLayer) rotationLayer(o.nLayers);
  return c;
}

/** Options of {@link sharedRotationAnsatz}. */
export interface SharedRotationOptions {
  /** Number of qubits. */
  nQubits: number;
  /** Entangler between the per-qubit block and the shared block (see {@link ENTANGLERS}). @defaultValue "none" (as drawn) */
  entangler: Entangler;
}

/** Number of parameters of {@link sharedRotationAnsatz}: 4 per qubit + 3 shared = 4n + 3. */
export function sharedRotationParamCount(nQubits: number): number {
  return 4 * nQubits + 3;
}

/**
 * Hasan & Mahdy's student circuit (v2 figure, docs/PARAMS.md): on every qubit q, RX(θ_4q) RY(θ_4q+1) RZ(θ_4q+2)
 * RX(θ_4q+3) with its own angles; then, optionally, an entangler (none is drawn; offered as an option); then
 * RX(θ_4n) RY(θ_4n+1) RZ(θ_4n+2) on every qubit with the three angles shared by all qubits.
 *
 * **Parameter layout:** `params[4q + r]` = rotation r ∈ {X, Y, Z, X} of qubit q; `params[4n + r]` = shared rotation
 * r ∈ {X, Y, Z}. 4n + 3 parameters.
 * @throws Error for an unknown option, a bad qubit count or entangler name.
 */
export function sharedRotationAnsatz(options: Partial<SharedRotationOptions> & { nQubits: number }): Circuit {
  const o = withDefaults("sharedRotationAnsatz", { nQubits: 1, entangler: "none" } as SharedRotationOptions, options);
  checkQubitCount("sharedRotationAnsatz", o.nQubits);
  checkOneOf("sharedRotationAnsatz", "entangler", o.entangler, ENTANGLERS);
  const n = o.nQubits;
  const c = new Circuit(n, sharedRotationParamCount(n));
  for (let q = 0; q < n; q++) [0, 1, 2, 0].forEach((axis, r) => c.rot(axis as 0 | 1 | 2, q, param(4 * q + r)));
  addEntangler(c, o.entangler);
  for (let q = 0; q < n; q++) [0, 1, 2].forEach((axis) => c.rot(axis as 0 | 1 | 2, q, param(4 * n + axis)));
  return c;
}

/**
 * Appends one general two-qubit block on qubits (a, b) to `c`, with the 15 angles `params[first … first + 14]`
 * (Vatan & Williams, PRA 69, 032315 (2004), Fig. 6; the block of {@link twoQubitBlockAnsatz}, whose doc gives the
 * gates and the angle order). Blocks that share `first` share their angles (a convolution's translation invariance).
 * 3 CNOTs, 15 rotations.
 */
export function appendTwoQubitBlock(c: Circuit, a: number, b: number, first: number): void {
  let k = first;
  const zyz = (q: number) => {
    c.rot(2, q, param(k++));
    c.rot(1, q, param(k++));
    c.rot(2, q, param(k++));
  };
  zyz(a);
  zyz(b);
  c.cnot(b, a);
  c.rot(2, a, param(k++));
  c.rot(1, b, param(k++));
  c.cnot(a, b);
  c.rot(1, b, param(k++));
  c.cnot(b, a);
  zyz(a);
  zyz(b);
}

/** Parameters of one general two-qubit block of {@link twoQubitBlockAnsatz}. */
export const TWO_QUBIT_BLOCK_PARAMS = 15;

/**
 * The qubit pairs of a brick-wall layout, layer by layer: layer l acts on (q, q+1) for q = l mod 2, l mod 2 + 2, …
 * (even layers start at qubit 0, odd layers at qubit 1). On 7 qubits: (0,1),(2,3),(4,5) then (1,2),(3,4),(5,6).
 * @returns `[layer][block] = [a, b]` with b = a + 1.
 */
export function brickWallPairs(nQubits: number, nLayers: number): [number, number][][] {
  return Array.from({ length: nLayers }, (_, l) => {
    const out: [number, number][] = [];
    for (let a = l % 2; a + 1 < nQubits; a += 2) out.push([a, a + 1]);
    return out;
  });
}

/** Number of parameters of {@link twoQubitBlockAnsatz}: 15 per block of {@link brickWallPairs}. */
export function twoQubitBlockParamCount(nQubits: number, nLayers: number): number {
  return TWO_QUBIT_BLOCK_PARAMS * brickWallPairs(nQubits, nLayers).reduce((s, l) => s + l.length, 0);
}

/**
 * A brick wall of general two-qubit blocks: every block can be any gate of SU(4) (up to a global phase), so the
 * ansatz is more expressive per layer than the hardware-efficient one; used for the quantum autoencoder.
 *
 * **Block on (a, b)** (Vatan & Williams, "Optimal quantum circuits for general two-qubit gates", PRA 69, 032315
 * (2004), Fig. 6: any two-qubit gate with 3 CNOTs): RZ·RY·RZ on a and on b, then CNOT(b→a), RZ(a), RY(b),
 * CNOT(a→b), RY(b), CNOT(b→a), then RZ·RY·RZ on a and on b. At all-zero angles the block is the SWAP of a and b.
 *
 * **Parameter layout:** block by block in {@link brickWallPairs} order; within a block
 * `[RZ, RY, RZ on a][RZ, RY, RZ on b][RZ a, RY b, RY b][RZ, RY, RZ on a][RZ, RY, RZ on b]` (15 angles).
 * @throws Error for fewer than 2 qubits or nLayers < 1 (quoted).
 */
export function twoQubitBlockAnsatz(options: { nQubits: number; nLayers: number }): Circuit {
  const o = withDefaults("twoQubitBlockAnsatz", { nQubits: 2, nLayers: 1 }, options);
  checkQubitCount("twoQubitBlockAnsatz", o.nQubits);
  if (o.nQubits < 2) throw new Error(`twoQubitBlockAnsatz: needs at least 2 qubits, got nQubits = ${o.nQubits}`);
  checkInt("twoQubitBlockAnsatz", "nLayers", o.nLayers, 1, 10000);
  const c = new Circuit(o.nQubits, twoQubitBlockParamCount(o.nQubits, o.nLayers));
  let k = 0;
  for (const layer of brickWallPairs(o.nQubits, o.nLayers)) {
    for (const [a, b] of layer) {
      appendTwoQubitBlock(c, a, b, k);
      k += TWO_QUBIT_BLOCK_PARAMS;
    }
  }
  return c;
}
