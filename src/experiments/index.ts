/**
 * `qnn-kd/experiments`: the distillation protocol every experiment runs (model specs, teacher → students with and
 * without KD, result rows, checkpoint folders), result files, mean ± std over seeds, and one module per paper table
 * or figure (settings, data, model specs, claim checks).
 *
 * @packageDocumentation
 */
export {
  trainModel,
  trainWithHooks,
  trainStudentPair,
  runProtocol,
  modelRow,
  modelName,
  expectationTeacher,
  iterationFit,
  studentEntry,
  checkpointFolder,
  protocolRows,
  pairAccuracies,
  kdSettingsOf,
  teacherKdRun,
} from "./protocol";
export type {
  SplitPair,
  OptimiserSettings,
  FitSettings,
  ModelSpec,
  SpecInfo,
  TrainHooks,
  HooksFor,
  Trained,
  KDRun,
  StudentPair,
  PaperPair,
  StudentEntry,
  ProtocolPlan,
  ProtocolResult,
  OnStage,
  RowsPlan,
  RowExtra,
} from "./protocol";
export {
  hardwareEfficientSpec,
  zxzSplits,
  checkQnnReadings,
  distilFromFor,
  qnnKdRun,
  KD_TARGETS,
  YAN_READINGS,
  KD_ONLY_SETTINGS,
  teacherAndNoKdShared,
} from "./specs";
export type { HardwareEfficientSpecOptions, QnnReadings, KdTarget, YanReadingSettings } from "./specs";
export {
  runReadings,
  readingsTable,
  movingReadings,
  movingReadingsRows,
  checkReadings,
  settingOf,
  rowsOf,
  overridesText,
  DEFAULTS_SETTING,
} from "./readings";
export type { Reading, ReadingsTableOptions, MovingReadingRow } from "./readings";
export { writeResults, runLabel, kdGains, RESULT_ROW_FIELDS } from "./results";
export { writeJsonAtomic, writeFileAtomic } from "../util/fs";
export { projectRoot } from "../util/paths";
export type { ResultRow, ResultsFile, KdGain } from "./results";
export { meanStd, groupMeanStd, seedList } from "./seeds";
export {
  claimRecords,
  writeClaims,
  collectClaims,
  scorecardMarkdown,
  writeScorecard,
  statusText,
  effectsText,
  partsOf,
  CLAIM_STATUSES,
} from "./claims";
export type {
  ClaimStatus,
  ClaimKind,
  ClaimRecord,
  ClaimsFile,
  ClaimRecordsOptions,
  ScorecardRow,
  Scorecard,
} from "./claims";
export {
  pairedPart,
  levelPart,
  unpairedPart,
  varianceRatioPart,
  untestablePart,
  notAtCeiling,
  combineStatuses,
  decide,
  directionText,
  seedValues,
  PART_STATUSES,
  MIN_SEEDS,
  CEILING,
} from "./verdicts";
export type { ClaimPart, PartStatus, Effect, Direction, Precondition, PartBase, SeedValues } from "./verdicts";
export {
  oneSampleInterval,
  pairedInterval,
  welchInterval,
  varianceRatioInterval,
  bootstrapInterval,
  studentTQuantile,
  fDistQuantile,
  DEFAULT_RESAMPLES,
} from "./intervals";
export type { Interval, EstimateIntervals, BootstrapOptions, BootstrapMethod } from "./intervals";
export { rescoreExperiment, CLAIMS_FROM_RESULTS } from "./rescore";
export { formatValue, formatInterval, formatMeanStd, formatSignificant, UNITS } from "../util/format";
export type { Unit } from "../util/format";
export type { MeanStd } from "./seeds";
export * as yanTable1 from "./yan/table1";
export * as yanFig4 from "./yan/fig4";
export * as yanFig5 from "./yan/fig5";
export * as yanFig6 from "./yan/fig6";
export * as piperno from "./piperno/experiment";
export * as hasan from "./hasan/experiment";
export * as noisyTeacher from "./noisyTeacher/experiment";
export * as crossArch from "./crossArch/experiment";
export * as course from "./course";
export {
  fig4DepthFigure,
  fig5DepthFigure,
  explainedVarianceFigure,
  bitBalanceFigure,
  amplitudeImage,
  epochSeries,
  epochSeedSeries,
  type DepthAccuracies,
  type DepthTrainTestAccuracies,
} from "./yan/figures";
export { pipernoFig1Figure } from "./piperno/figures";
export { hasanFig12Figure } from "./hasan/figures";
export { noiseCurvesFigure } from "./noisyTeacher/figures";
export { EXPERIMENTS } from "./registry";
export type { Experiment, ExperimentUnits, RunRequest, UnitContext, WorkUnit } from "./entry";
export {
  seedUnits,
  runSeedUnit,
  storedSeedRows,
  restoreSeedCheckpoints,
  collectCheckpoints,
  restoreCheckpoints,
  seedlessSettings,
  studySettings,
  defaultsVariant,
  takeSharedModels,
  type SharedModels,
  type SharedCopy,
  type SeedUnitResult,
  type SeedStudy,
  type SeedVariant,
  type SeedSetting,
  type SeedRun,
  type Seeded,
} from "./seedUnits";
export { UnitStore, settingsHash, stableJson, currentOwner, DEFAULT_STALE_SECONDS } from "../store/units";
export type { ClaimOwner, UnitState, UnitStoreOptions } from "../store/units";
