/**
 * The figures of the noisy-teacher notebook (accuracy against the depolarising probability), as plain Plotly specs
 * (`figures/spec.ts`).
 * @packageDocumentation
 */
import type { MeanStd } from "../seeds";
import { lineFigure, type AxisLayout, type Dash, type Figure, type LineSeries } from "../../figures/spec";

/**
 * Test accuracy against the depolarising probability p (the noisy-teacher notebook): one line per curve of
 * `noisyTeacher.noiseCurves` whose `experiment` is given, mean ± std over seeds as error bars. The noise levels sit
 * at equal spacing, labelled by their value (p = 0 cannot sit on a log axis); `hlines` adds reference lines.
 */
export function noiseCurvesFigure(
  levels: readonly number[],
  curves: readonly { experiment: string; name: string; points: readonly (MeanStd | null)[] }[],
  experiment: string,
  title: string,
  hlines: { y: number; name: string }[] = [],
): Figure {
  const x = levels.map((_, i) => i);
  const series: LineSeries[] = curves
    .filter((c) => c.experiment === experiment)
    .map((c) => ({
      name: c.name,
      x,
      y: c.points.map((p) => (p ? p.mean : NaN)),
      error: c.points.map((p) => (p && p.n > 1 ? p.std : 0)),
      mode: "lines+markers",
      ...(c.name === "no KD" ? { dash: "dot" as Dash } : {}),
    }));
  if (series.length === 0) throw new Error(`noiseCurvesFigure: no curve of experiment ${JSON.stringify(experiment)}`);
  const fig = lineFigure({
    title,
    xTitle: "depolarising probability p per gate",
    yTitle: "test accuracy",
    series,
    hlines: hlines.map((h) => ({ ...h, dash: "dash" as Dash })),
  });
  const layout = fig.layout as AxisLayout;
  layout.xaxis.tickvals = x;
  layout.xaxis.ticktext = levels.map((p) => (p === 0 ? "0" : p.toExponential(0)));
  layout.xaxis.range = [-0.3, levels.length - 0.7];
  return fig;
}
