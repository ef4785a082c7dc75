/**
 * The figure of the Hasan & Mahdy notebook (Fig. 12), as a plain Plotly spec (`figures/spec.ts`).
 * @packageDocumentation
 */
import { barFigure, type Figure } from "../../figures/spec";

/**
 * Hasan & Mahdy Fig. 12 for one dataset: test error (%) per ablation method, ours (mean ± std over seeds) beside
 * the paper's value read from its figure, one pair of bar groups per qubit count.
 * @param entries - `hasan.fig12Entries` of the result rows (any datasets; those of `dataset` are drawn).
 * @throws Error when there is no entry for `dataset`.
 */
export function hasanFig12Figure(
  entries: readonly {
    dataset: string;
    nQubits: number;
    method: string;
    error: number;
    std: number;
    nSeeds: number;
    paper: number | null;
  }[],
  dataset: string,
  methodLabel: (method: string) => string = (m) => m,
): Figure {
  const mine = entries.filter((e) => e.dataset === dataset);
  if (mine.length === 0) throw new Error(`hasanFig12Figure: no entries for dataset ${JSON.stringify(dataset)}`);
  const methods = [...new Set(mine.map((e) => e.method))];
  const qs = [...new Set(mine.map((e) => e.nQubits))].sort((a, b) => a - b);
  const at = (q: number, m: string) => mine.find((e) => e.nQubits === q && e.method === m);
  const series = qs.flatMap((q) => [
    {
      name: `ours, ${q} qubits`,
      y: methods.map((m) => at(q, m)?.error ?? NaN),
      error: methods.map((m) => at(q, m)?.std ?? 0),
    },
    { name: `paper, ${q} qubits`, y: methods.map((m) => at(q, m)?.paper ?? NaN) },
  ]);
  const n = Math.max(...mine.map((e) => e.nSeeds));
  return barFigure({
    title: `Hasan & Mahdy Fig. 12, ${dataset}: test error by reduction and encoding (${n} seed${n === 1 ? "" : "s"})`,
    categories: methods.map(methodLabel),
    series,
    yTitle: "test error (%)",
  });
}
