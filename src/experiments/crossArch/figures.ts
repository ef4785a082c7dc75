/**
 * The figures of the cross-architecture notebook, as plain Plotly specs (`figures/spec.ts`): accuracy against the
 * compression a student buys (parameters and two-qubit gates), and the phase diagram over (h1, h2).
 * @packageDocumentation
 */
import { panelGridLayout, type Figure } from "../../figures/spec";
import type { CompressionPoint } from "./claims";

const SYMBOLS: Record<string, string> = { "hardware-efficient": "circle", qcnn: "diamond", ttn: "square" };

/**
 * Test accuracy against size, two panels: parameters (left) and two-qubit gates (right), one marker per student of a
 * setting, without KD (open) and with KD (filled), mean ± sample std over seeds as error bars; the marker's shape is
 * the architecture, its label the student.
 * @throws Error for no points.
 */
export function compressionFigure(points: readonly CompressionPoint[], title: string): Figure {
  if (points.length === 0) throw new Error("compressionFigure: no points");
  const data: object[] = [];
  for (const [axis, key, xTitle] of [
    ["", "nParams", "parameters"],
    ["2", "twoQubitGates", "two-qubit gates"],
  ] as const) {
    for (const kd of [false, true]) {
      const mine = points.filter((p) => p.kd === kd);
      if (mine.length === 0) continue;
      data.push({
        type: "scatter",
        mode: "markers+text",
        name: `${kd ? "KD" : "no KD"}`,
        legendgroup: kd ? "kd" : "nokd",
        showlegend: axis === "",
        x: mine.map((p) => p[key]),
        y: mine.map((p) => p.mean),
        error_y: { type: "data", array: mine.map((p) => (p.n > 1 ? p.std : 0)), visible: true, thickness: 1 },
        text: mine.map((p) => (kd ? "" : `${p.student} (${p.setting})`)),
        textposition: "top center",
        textfont: { size: 9 },
        marker: {
          size: 10,
          symbol: mine.map((p) => `${SYMBOLS[p.architecture] ?? "circle"}${kd ? "" : "-open"}`),
          color: kd ? "#d62728" : "#1f77b4",
        },
        hovertemplate: `%{text}<br>${xTitle}: %{x}<br>accuracy: %{y:.1f}%<extra>${kd ? "KD" : "no KD"}</extra>`,
        xaxis: `x${axis}`,
        yaxis: `y${axis}`,
      });
    }
  }
  return {
    data,
    layout: {
      title: { text: title },
      grid: { rows: 1, columns: 2, pattern: "independent" },
      xaxis: { title: { text: "parameters" }, type: "log" },
      yaxis: { title: { text: "test accuracy (%), last iteration" } },
      xaxis2: { title: { text: "two-qubit gates" }, type: "log" },
      yaxis2: { title: { text: "test accuracy (%), last iteration" } },
      width: 1000,
      height: 480,
    },
  };
}

/**
 * Heatmaps over (h1, h2), one panel each: the exact string order parameter of the ground states first, then each
 * model's probability of the SPT phase. `z[i2][i1]`.
 * @param columns - panels per row. @defaultValue 3
 * @throws Error for no panels or a panel whose grid does not match the axes.
 */
export function phaseDiagramFigure(
  h1: readonly number[],
  h2: readonly number[],
  panels: readonly { title: string; z: readonly (readonly number[])[] }[],
  title: string,
  columns = 3,
): Figure {
  if (panels.length === 0) throw new Error("phaseDiagramFigure: no panels");
  panels.forEach((p, i) => {
    if (p.z.length !== h2.length || p.z.some((r) => r.length !== h1.length))
      throw new Error(`phaseDiagramFigure: panel ${i} (${p.title}) is not ${h2.length} × ${h1.length}`);
  });
  const data = panels.map((p, i) => ({
    type: "heatmap",
    x: [...h1],
    y: [...h2],
    z: p.z.map((r) => [...r]),
    zmin: i === 0 ? -1 : 0,
    zmax: 1,
    colorscale: "RdBu",
    showscale: i <= 1,
    ...(i <= 1 ? { colorbar: { len: 0.4, y: i === 0 ? 0.8 : 0.3, title: { text: i === 0 ? "⟨S⟩" : "P(SPT)" } } } : {}),
    xaxis: `x${i + 1}`,
    yaxis: `y${i + 1}`,
    name: p.title,
  }));
  const layout = panelGridLayout(
    title,
    panels.map((p) => p.title),
    { columns, panelWidth: 330, panelHeight: 300, extraWidth: 80, titleY: 1.1 },
  );
  panels.forEach((_, i) => {
    layout[`xaxis${i + 1}`] = { title: { text: "h1 / J" } };
    layout[`yaxis${i + 1}`] = { title: { text: "h2 / J" } };
  });
  return { data, layout };
}
