/**
 * The figure of the Piperno et al. notebook (Fig. 1), as a plain Plotly spec (`figures/spec.ts`).
 * @packageDocumentation
 */
import type { MeanStd } from "../seeds";
import { formatValue } from "../../util/format";
import { barFigure, type Figure } from "../../figures/spec";

/**
 * Fig. 1 of Piperno et al. as the paper draws it: per architecture, bars of the mean test F1 over seeds without and
 * with KD, the variance over seeds written on top of each bar (and the standard deviation as its error bar), the
 * parameter count at the base (in the category label).
 */
export function pipernoFig1Figure(
  summaries: readonly {
    architecture: string;
    nParams: number;
    noKd: MeanStd & { variance: number };
    kd: (MeanStd & { variance: number }) | null;
  }[],
  label: (architecture: string) => string,
  title = "Piperno et al. Fig. 1: test F1 over seeds",
): Figure {
  const students = summaries.filter((s) => s.kd !== null);
  const cats = students.map((s) => `${label(s.architecture)}<br>${s.nParams} params`);
  const v = (x: number) => `var ${formatValue(x, "variance")}`;
  return barFigure({
    title,
    categories: cats,
    yTitle: "test F1 (macro)",
    series: [
      {
        name: "without KD",
        y: students.map((s) => s.noKd.mean),
        error: students.map((s) => s.noKd.std),
        text: students.map((s) => v(s.noKd.variance)),
      },
      {
        name: "with KD",
        y: students.map((s) => s.kd!.mean),
        error: students.map((s) => s.kd!.std),
        text: students.map((s) => v(s.kd!.variance)),
      },
    ],
  });
}
