// Table 1 pieces on real 7-qubit ZXZ data (small counts): the quantum autoencoder's fidelity on the actual
// ground states (closed form = explicit decode, Eq. 8–10), and the experiment configuration's checks.
import { describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { QuantumAutoencoder } from "qnn-kd";
import { zxzDataset } from "qnn-kd/datasets";
import { yanTable1 } from "qnn-kd/experiments";
import { jitter } from "../helpers";

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

describe("checkTable1Claims over seeds (fabricated rows)", () => {
  // rows of one setting: teacher, student (1) and (2) without and with KD, and the autoencoder's fidelity
  const rows = (
    n: number,
    acc: { teacher: number; s1: [number, number]; s2: [number, number]; fidelity: number },
    spread = (_s: number) => 0,
  ) =>
    Array.from({ length: n }, (_, s) => {
      const r = (model: string, role: string, kd: boolean, v: number) => ({
        model,
        role,
        kd,
        seed: s,
        nQubits: 7,
        nLayers: 1,
        T: kd ? 2 : null,
        alpha: kd ? 0.5 : null,
        trainAccuracy: null,
        paperTestAccuracy: null,
        testAccuracy: Math.min(1, v),
      });
      return [
        r("teacher", "teacher", false, acc.teacher + jitter(s, 0)),
        r("student (1)", "student", false, acc.s1[0] + jitter(s, 1)),
        r("student (1)", "student", true, acc.s1[1] + jitter(s, 2) + spread(s)),
        r("student (2)", "student", false, acc.s2[0] + jitter(s, 3)),
        r("student (2)", "student", true, acc.s2[1] + jitter(s, 4) + spread(s)),
        {
          ...r("autoencoder", "autoencoder", false, 0),
          testAccuracy: null,
          meanFidelity: acc.fidelity + jitter(s, 5, 0.0005),
        },
      ];
    }).flat();
  const statuses = (r: unknown[]) => yanTable1.checkTable1Claims(r as never).map((p) => p.status);
  const paper = {
    teacher: 0.983,
    s1: [0.523, 0.817] as [number, number],
    s2: [0.86, 0.998] as [number, number],
    fidelity: 0.995,
  };
  it("holds for the paper's numbers over 5 seeds; the gain is the mean of per-seed differences", () => {
    const parts = yanTable1.checkTable1Claims(rows(5, paper) as never);
    expect(parts.map((p) => p.status)).toEqual(["holds", "holds", "holds", "holds"]);
    const r = rows(5, paper) as { model: string; kd: boolean; seed: number; testAccuracy: number }[];
    const gain =
      [0, 1, 2, 3, 4].reduce(
        (a, s) =>
          a +
          100 *
            (r.find((x) => x.model === "student (1)" && x.kd && x.seed === s)!.testAccuracy -
              r.find((x) => x.model === "student (1)" && !x.kd && x.seed === s)!.testAccuracy),
        0,
      ) / 5;
    expect(parts[2].effect!.estimate).toBeCloseTo(gain, 10);
    expect(parts[2].effect!.unit).toBe("accuracy points");
    expect(parts[1].effect!.unit).toBe("fidelity");
  });
  it("contradicted for a weak teacher, a poor encoder and KD that lowers accuracy", () => {
    expect(statuses(rows(5, { teacher: 0.7, s1: [0.85, 0.8], s2: [0.86, 0.8], fidelity: 0.9 }))).toEqual(
      Array(4).fill("contradicted"),
    );
  });
  it("inconclusive: a gain that flips sign between seeds, or two seeds", () => {
    const flip = (s: number) => (s % 2 === 0 ? 0.1 : -0.1);
    expect(statuses(rows(5, { ...paper, s1: [0.8, 0.8], s2: [0.8, 0.8] }, flip)).slice(2)).toEqual([
      "inconclusive",
      "inconclusive",
    ]);
    expect(statuses(rows(2, paper))).toEqual(Array(4).fill("inconclusive"));
  });
  it("not testable: both arms of a student at the ceiling", () => {
    const p = yanTable1.checkTable1Claims(rows(5, { ...paper, s2: [0.998, 0.999] }) as never);
    expect(p[3].status).toBe("not testable");
    expect(p[3].reason).toMatch(/ceiling/);
    expect(() =>
      yanTable1.checkTable1Claims(
        (rows(5, paper) as { model: string }[]).filter((x) => x.model !== "teacher") as never,
      ),
    ).toThrow(/no rows for "teacher"/);
  });
});
