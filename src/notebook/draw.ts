/**
 * Circuit drawings: any {@link Circuit} as an SVG diagram (one wire per qubit, qubit 0 on top, time to the right),
 * with gate names, fixed angles and parameter references (θ3 = params[3]; scaled or offset references as
 * `2·θ3+0.5`). Gates are placed in the earliest column where every wire they span is free, so commuting gates on
 * different qubits share a column.
 *
 * In a notebook {@link showCircuit} displays the drawing as an `<img>` with an SVG data URI inside `text/html`
 * (nbconvert's HTML export blanks `image/svg+xml` outputs, not images in HTML) and saves `<name>.svg` next to the
 * figures.
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import * as path from "path";
import { opQubits, type Circuit, type GateOp } from "../sim/program/circuit";
import { currentNotebookContext } from "./context";
import { displayBundle } from "./kernel";
import { escapeHtml } from "./table";
import { writeFileAtomic } from "../util/fs";

/** Options of {@link circuitSvg}. */
export interface DrawOptions {
  /** Title drawn above the circuit. @defaultValue none */
  title?: string;
  /** Decimal digits of fixed angles. @defaultValue 2 */
  digits?: number;
  /** Qubits whose wires end with a measurement symbol (e.g. the readout). @defaultValue none */
  measured?: number[];
}

const AXIS = ["RX", "RY", "RZ"];
const COL = 58,
  ROW = 44,
  LEFT = 44,
  TOP = 28,
  BOX_W = 48,
  BOX_H = 28;

function angleLabel(op: Extract<GateOp, { kind: "rot" }>): string {
  const a = op.angle;
  const sc = a.scale === 1 ? "" : a.scale === -1 ? "−" : `${+a.scale.toFixed(3)}·`;
  const off = a.offset === 0 ? "" : `${a.offset > 0 ? "+" : "−"}${+Math.abs(a.offset).toFixed(3)}`;
  return `${sc}θ${a.index}${off}`;
}

/** The angle of a fixed rotation (name rx/ry/rz, possibly controlled), recovered from its matrix; null otherwise. */
function fixedAngle(op: Extract<GateOp, { kind: "fixed" }>): number | null {
  const m = op.matrix,
    axis = op.name.replace(/^c/, "");
  // Mat2 = [m00 re, im, m01 re, im, m10 re, im, m11 re, im]
  if (axis === "rx") return 2 * Math.atan2(-m[3], m[0]);
  if (axis === "ry") return 2 * Math.atan2(m[4], m[0]);
  if (axis === "rz") return 2 * Math.atan2(m[7], m[6]);
  return null;
}

/** The qubits a gate spans (for layout) and touches (for dots and boxes). */
function span(op: GateOp): { qubits: number[]; lo: number; hi: number } {
  const qubits = opQubits(op);
  return { qubits, lo: Math.min(...qubits), hi: Math.max(...qubits) };
}

/** Column of each gate (earliest free over its span) and the number of columns. */
export function circuitLayout(circuit: Circuit): { columns: number[]; nColumns: number } {
  const free = new Array<number>(circuit.nQubits).fill(0);
  const columns = circuit.ops.map((op) => {
    const { lo, hi } = span(op);
    let c = 0;
    for (let q = lo; q <= hi; q++) c = Math.max(c, free[q]);
    for (let q = lo; q <= hi; q++) free[q] = c + 1;
    return c;
  });
  return { columns, nColumns: Math.max(0, ...free) };
}

/**
 * The SVG source of a drawing of `circuit` (see the module doc).
 * @returns a standalone `<svg>` element (UTF-8 text).
 */
export function circuitSvg(circuit: Circuit, opts: DrawOptions = {}): string {
  const digits = opts.digits ?? 2;
  const { columns, nColumns } = circuitLayout(circuit);
  const top = TOP + (opts.title ? 18 : 0);
  const width = LEFT + COL * Math.max(1, nColumns) + 40,
    height = top + ROW * circuit.nQubits;
  const y = (q: number) => top + ROW * q + ROW / 2;
  const x = (c: number) => LEFT + COL * c + COL / 2;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
  );
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  if (opts.title)
    out.push(`<text x="${LEFT}" y="16" font-size="13" font-weight="bold">${escapeHtml(opts.title)}</text>`);
  for (let q = 0; q < circuit.nQubits; q++) {
    out.push(`<text x="6" y="${y(q) + 4}">q${q}</text>`);
    out.push(`<line x1="${LEFT - 14}" y1="${y(q)}" x2="${width - 24}" y2="${y(q)}" stroke="#444"/>`);
    if (opts.measured?.includes(q)) {
      const mx = width - 24;
      out.push(
        `<rect x="${mx - 2}" y="${y(q) - 11}" width="22" height="22" fill="white" stroke="#444"/><path d="M ${mx + 2} ${y(q) + 6} A 8 8 0 0 1 ${mx + 16} ${y(q) + 6}" fill="none" stroke="#444"/><line x1="${mx + 9}" y1="${y(q) + 6}" x2="${mx + 15}" y2="${y(q) - 7}" stroke="#444"/>`,
      );
    }
  }
  const box = (cx: number, q: number, label: string, sub: string | null, fill: string) => {
    out.push(
      `<rect x="${cx - BOX_W / 2}" y="${y(q) - BOX_H / 2}" width="${BOX_W}" height="${BOX_H}" rx="3" fill="${fill}" stroke="#333"/>`,
    );
    out.push(
      `<text x="${cx}" y="${y(q) + (sub ? -2 : 4)}" text-anchor="middle" font-weight="bold">${escapeHtml(label)}</text>`,
    );
    if (sub) out.push(`<text x="${cx}" y="${y(q) + 10}" text-anchor="middle" font-size="9">${escapeHtml(sub)}</text>`);
  };
  const dot = (cx: number, q: number) => out.push(`<circle cx="${cx}" cy="${y(q)}" r="4" fill="#333"/>`);
  const vline = (cx: number, a: number, b: number) =>
    out.push(`<line x1="${cx}" y1="${y(Math.min(a, b))}" x2="${cx}" y2="${y(Math.max(a, b))}" stroke="#333"/>`);
  circuit.ops.forEach((op, i) => {
    const cx = x(columns[i]);
    if (op.kind === "cnot") {
      vline(cx, op.control, op.target);
      dot(cx, op.control);
      out.push(
        `<circle cx="${cx}" cy="${y(op.target)}" r="9" fill="white" stroke="#333"/><line x1="${cx - 9}" y1="${y(op.target)}" x2="${cx + 9}" y2="${y(op.target)}" stroke="#333"/><line x1="${cx}" y1="${y(op.target) - 9}" x2="${cx}" y2="${y(op.target) + 9}" stroke="#333"/>`,
      );
    } else if (op.kind === "cz") {
      vline(cx, op.a, op.b);
      dot(cx, op.a);
      dot(cx, op.b);
    } else if (op.kind === "swap") {
      vline(cx, op.a, op.b);
      for (const q of [op.a, op.b])
        out.push(
          `<path d="M ${cx - 6} ${y(q) - 6} L ${cx + 6} ${y(q) + 6} M ${cx - 6} ${y(q) + 6} L ${cx + 6} ${y(q) - 6}" stroke="#333" stroke-width="1.5"/>`,
        );
    } else if (op.kind === "channel") {
      // a noise channel: a red box per qubit, labelled by the first letter(s) of its name and its parameter
      if (op.qubits.length > 1) vline(cx, op.qubits[0], op.qubits[1]);
      const p = Object.values(op.channel.params)[0];
      const tag = op.channel.name
        .split(" ")
        .map((w) => w[0].toUpperCase())
        .join("");
      for (const q of op.qubits) box(cx, q, tag, p === undefined ? null : String(p), "#f6d0d0");
    } else {
      for (const c of op.controls) {
        vline(cx, c, op.target);
        dot(cx, c);
      }
      if (op.kind === "rot") box(cx, op.target, AXIS[op.axis], angleLabel(op), "#dbe9f6");
      else {
        const a = fixedAngle(op);
        box(cx, op.target, op.name.replace(/^c/, "").toUpperCase(), a === null ? null : a.toFixed(digits), "#f3e3c3");
      }
    }
  });
  out.push("</svg>");
  return out.join("\n");
}

/** Options of {@link showCircuit}. */
export interface ShowCircuitOptions extends DrawOptions {
  /** File name (without extension) under the notebook's figures folder. */
  name: string;
  /** Folder to save into. @defaultValue the current notebook context's figures folder (none: not saved) */
  dir?: string;
}

/**
 * Displays a circuit drawing in the notebook (an `<img>` with an SVG data URI, plus a text summary) and saves
 * `<name>.svg`. Outside a kernel it only saves.
 * @returns the path of the saved SVG, or null when there is no folder to save into.
 */
export function showCircuit(circuit: Circuit, opts: ShowCircuitOptions): string | null {
  const svg = circuitSvg(circuit, opts);
  const dir = opts.dir ?? currentNotebookContext()?.figuresDir ?? null;
  let file: string | null = null;
  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    file = path.join(dir, `${opts.name}.svg`);
    writeFileAtomic(file, svg);
  }
  const uri = `data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}`;
  displayBundle({
    "text/html": `<img alt="${escapeHtml(opts.title ?? opts.name)}" src="${uri}"/>`,
    "text/plain": `circuit on ${circuit.nQubits} qubits, ${circuit.ops.length} gates, ${circuit.nParams} parameters${file ? ` (${file})` : ""}`,
  });
  return file;
}
