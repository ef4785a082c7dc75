// Circuit drawings: the layout packs commuting gates into shared columns, every gate appears with its label, the
// angles of fixed rotations are read back from their matrices, and the SVG is well formed.
import { describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Circuit, param } from "../../src/sim/program/circuit";
import { circuitLayout, circuitSvg, showCircuit } from "../../src/notebook/draw";
import { hardwareEfficientAnsatz } from "../../src/qnn/ansatz";

describe("circuitSvg", () => {
  it("places gates in the earliest free column over the wires they span", () => {
    const c = new Circuit(3).h(0).h(1).h(2).cnot(0, 1).rx(2, param(0)).cz(0, 2).swap(1, 2);
    expect(circuitLayout(c).columns).toEqual([0, 0, 0, 1, 1, 2, 3]);
    expect(circuitLayout(c).nColumns).toBe(4);
  });

  it("labels rotations with their parameter, fixed rotations with their angle, and draws every gate", () => {
    const c = new Circuit(2)
      .rx(0, param(3))
      .ry(1, param(1, 2, 0.5))
      .rz(0, 0.25)
      .crx(0, 1, param(0))
      .cnot(1, 0);
    const svg = circuitSvg(c, { title: "test <circuit>", measured: [0] });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trim().endsWith("</svg>")).toBe(true);
    expect(svg).toContain(">θ3<");
    expect(svg).toContain(">2·θ1+0.5<");
    expect(svg).toContain(">0.25<");
    expect(svg).toContain("test &lt;circuit&gt;");
    expect((svg.match(/<rect x=/g) ?? []).length).toBe(4 + 1); // four boxed gates + the measurement box
  });

  it("draws the hardware-efficient ansatz with one box per rotation and saves it from showCircuit", () => {
    const c = hardwareEfficientAnsatz({ nQubits: 4, nLayers: 2 });
    const svg = circuitSvg(c);
    expect((svg.match(/font-weight="bold">R[XYZ]</g) ?? []).length).toBe(4 * 2 * 3);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-draw-"));
    const file = showCircuit(c, { name: "hea", dir });
    expect(file).toBe(path.join(dir, "hea.svg"));
    expect(fs.readFileSync(file!, "utf8")).toBe(svg);
  });
});
