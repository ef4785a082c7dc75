/**
 * The notebook layer: the only part of qnn-kd that touches tslab, Plotly or danfo (each loaded lazily or only
 * inside a kernel, so importing this module from plain Node costs nothing).
 *
 * @packageDocumentation
 */
export { isTslabKernel, kernelTslab, displayBundle, type MimeBundle } from "./kernel";
export {
  notebookContext,
  currentNotebookContext,
  clearNotebookContext,
  selectedReadings,
  unitStores,
  restoreSeed,
  seedRunner,
  type NotebookContext,
  type NotebookContextOptions,
} from "./context";
export {
  lineFigure,
  barFigure,
  type FigureSpec,
  type LineSeries,
  type LineFigureInput,
  type HLine,
  type BarSeries,
  type BarFigureInput,
  type Dash,
} from "../figures/spec";
export {
  showFigure,
  saveFigure,
  displayPlotlyBundle,
  figureHtml,
  standaloneHtml,
  plotlyBundleHtml,
  plotlyBundlePath,
  type ShowFigureOptions,
  type SavedFigure,
} from "./plot";
export {
  showTable,
  htmlTable,
  textTable,
  toDataFrame,
  dataFrameRows,
  formatCell,
  escapeHtml,
  type Row,
  type TableOptions,
} from "./table";
export {
  progressBar,
  formatProgress,
  formatDuration,
  formatInfoValue,
  etaMs,
  type ProgressBar,
  type ProgressOptions,
  type ProgressMode,
  type ProgressState,
} from "./progress";
export {
  trainingBar,
  trainingHooks,
  runHooks,
  checkpointsFor,
  removeCheckpoints,
  historySeries,
  learningCurves,
  type TrainingBar,
  type AccuracyKey,
  type LearningCurvesInput,
} from "./training";
export { circuitSvg, circuitLayout, showCircuit, type DrawOptions, type ShowCircuitOptions } from "./draw";
export {
  showSettings,
  countBar,
  stageTimer,
  percent,
  accuracyTable,
  seedSummary,
  showClaims,
  pairedDifferencesFigure,
  amplitudeRows,
  type CountBar,
  type StageTimer,
  type AccuracyTableOptions,
  type ClaimLike,
} from "./report";
export {
  zxzPhaseFigure,
  studentCurves,
  seedBarsFigure,
  epochLossSeries,
  imageGridFigure,
  probabilityFigure,
} from "./figures";
export { finishRun, type FinishRunInput, type FinishRunResult } from "./finish";
