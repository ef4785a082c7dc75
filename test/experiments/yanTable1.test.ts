// Table 1 pieces on real 7-qubit ZXZ data (small counts): the quantum autoencoder's fidelity on the actual
// ground states (closed form = explicit decode, Eq. 8–10), and the experiment configuration's checks.
import { describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { QuantumAutoencoder } from "qnn-kd";
import { zxzDataset } from "qnn-kd/datasets";
import { yanTable1 } from "qnn-kd/experiments";

describe("quantum autoencoder on 7-qubit ZXZ ground states", () => {
  it("training raises the mean fidelity far above its start, and the closed form matches the decoder", () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-qae-"));
    const data = zxzDataset({ nQubits: 7, nTrain: 48, nTest: 24, seed: 3, cacheDir });
    const qae = new QuantumAutoencoder({ nQubits: 7, latentQubits: [0, 1], nLayers: 4, seed: 1 });
    const before = qae.meanFidelity(data.test.states);
    qae.train(data.train.states, { iterations: 120, batchSize: null, lr: 0.05 });
    const after = qae.meanFidelity(data.test.states);
    // a random encoder keeps ~1/32 of the weight in the trash-|0⟩ sector; a trained one most of it
    expect(before).toBeLessThan(0.2);
    expect(after).toBeGreaterThan(0.6);
    for (const s of data.test.states.slice(0, 4)) expect(qae.fidelity(s)).toBeCloseTo(qae.fidelityViaDecode(s), 10);
    // the compressed state is a valid 2-qubit density matrix
    const rho = qae.encode(data.test.states[0]);
    expect(rho.nQubits).toBe(2);
    expect(rho.trace()).toBeCloseTo(1, 12);
    expect(rho.purity()).toBeLessThanOrEqual(1 + 1e-12);
  }, 60_000);
});

describe("table1Config", () => {
  it("applies quick overrides and rejects unknown options", () => {
    expect(yanTable1.table1Config().nTrain).toBe(1000);
    expect(yanTable1.table1Config({}, true).nTrain).toBe(yanTable1.TABLE1_QUICK.nTrain);
    expect(yanTable1.table1Config({ T: 4 }).T).toBe(4);
    expect(() => yanTable1.table1Config({ temperature: 4 } as never)).toThrow(/unknown option "temperature"/);
  });
});
