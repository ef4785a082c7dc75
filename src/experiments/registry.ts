/**
 * The registry of reproducible experiments: each entry names the notebook that reproduces one table or figure, and
 * lives in its paper's folder beside the code it runs (`yan/table1.ts`: `EXPERIMENT`, …); {@link EXPERIMENTS}
 * lists them in the order `qnn-kd reproduce all` runs them. A new paper adds its folder and one line here. The
 * runner (`runner/experiments.ts`, outside the library) resolves ids and seeds over this list.
 * @packageDocumentation
 */
import { EXPERIMENT as TABLE1 } from "./yan/table1";
import { EXPERIMENT as FIG4 } from "./yan/fig4";
import { EXPERIMENT as FIG5 } from "./yan/fig5";
import { EXPERIMENT as FIG6 } from "./yan/fig6";
import { EXPERIMENT as PIPERNO } from "./piperno/experiment";
import { EXPERIMENT as HASAN } from "./hasan/experiment";
import { EXPERIMENT as NOISY_TEACHER } from "./noisyTeacher/experiment";
import { EXPERIMENT as CROSS_ARCHITECTURE } from "./crossArch/experiment";
import { EXPERIMENT as COURSE } from "./course";
import type { Experiment } from "./entry";

/** Every registered experiment, in the order `all` runs them. */
export const EXPERIMENTS: readonly Experiment[] = [
  TABLE1,
  FIG4,
  FIG5,
  FIG6,
  PIPERNO,
  HASAN,
  NOISY_TEACHER,
  CROSS_ARCHITECTURE,
  COURSE,
];
