// Solutions to the exercises of notebooks/course/02-encoders-and-ansatze.ipynb (checked by
// test/notebooks/course-solutions.test.ts against independent computations; not shown in the notebook).
import { Statevector, expectationZ, hardwareEfficientAnsatz, initParams } from "qnn-kd";

/**
 * Exercise 1. angleEncode([a, b]) = (cos(a/2)|0⟩ + sin(a/2)|1⟩) on qubit 0 ⊗ (cos(b/2)|0⟩ + sin(b/2)|1⟩) on qubit 1;
 * index i = b_0 + 2·b_1, so the amplitudes in index order are c_a·c_b, s_a·c_b, c_a·s_b, s_a·s_b.
 */
export function exercise1(a: number, b: number): number[] {
  const ca = Math.cos(a / 2), sa = Math.sin(a / 2), cb = Math.cos(b / 2), sb = Math.sin(b / 2);
  return [ca * cb, sa * cb, ca * sb, sa * sb];
}

/**
 * Exercise 2. Layer l acts on m_l = max(k, n − l) qubits with 2 rotations each and m_l − 1 ZZ rotations:
 * Σ_{l=0}^{L−1} (3·max(k, n − l) − 1).
 */
export function exercise2(n: number, L: number, k: number): number {
  let s = 0;
  for (let l = 0; l < L; l++) s += 3 * Math.max(k, n - l) - 1;
  return s;
}

/**
 * Exercise 3. Found without `lightCone`: an input qubit matters if flipping it (X on the input) changes ⟨Z_3⟩ at
 * generic parameters. Pulled back through the last layer's CNOT chain, Z_3 commutes with CNOT(3, 4) (Z on a control
 * commutes with CNOT) and becomes Z_0 Z_1 Z_2 Z_3 through CNOT(2,3), CNOT(1,2), CNOT(0,1): after one layer ⟨Z_3⟩
 * depends on qubits 0…3 only. Each earlier layer's rotations turn Z_3 into X/Y components, which CNOT(3, 4) does
 * carry to qubit 4, and so on: 3 + L qubits after L layers, all 8 at L = 5. `lightCone` keeps every gate that touches
 * the support, CNOT(3, 4) included, so it reports 4 + L qubits (all at L = 4): an upper bound, one layer early.
 * @returns the number of input qubits that matter for L = 1 … maxLayers and the first L at which all n do.
 */
export function exercise3(n = 8, readout = 3, maxLayers = 6): { coneSizes: number[]; layersForAll: number } {
  const coneSizes: number[] = [];
  for (let L = 1; L <= maxLayers; L++) {
    const c = hardwareEfficientAnsatz({ nQubits: n, nLayers: L });
    let size = 0;
    for (let q = 0; q < n; q++) {
      // two random parameter draws, so that an accidental zero difference at one draw does not hide a dependence
      const changes = [1, 2].some((seed) => {
        const theta = initParams(c.nParams, seed);
        const z = (s: Statevector) => expectationZ(c.run(theta, s), [readout])[0];
        return Math.abs(z(Statevector.zero(n)) - z(Statevector.basis(n, 1 << q))) > 1e-9;
      });
      if (changes) size++;
    }
    coneSizes.push(size);
  }
  return { coneSizes, layersForAll: coneSizes.indexOf(n) + 1 };
}
