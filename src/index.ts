/**
 * qnn-kd: knowledge distillation for quantum neural networks.
 *
 * One barrel of explicit named exports. Layers (depend downward only): experiments → train → kd → qnn → sim;
 * datasets; notebook (leaf: the only module that imports plotly, danfo or tslab).
 */
export { VERSION } from "./version";

export { Rng, toRng } from "./util/rng";
export { writeFileAtomic, writeJsonAtomic } from "./util/fs";

export { Statevector, expectationZ, MAX_QUBITS } from "./sim/statevector";
export { PauliString, PauliSum } from "./sim/pauli";
export type { PauliLetter } from "./sim/pauli";
export {
  H_MAT, X_MAT, Y_MAT, Z_MAT, S_MAT, T_MAT, I_MAT, rotationMatrix, rotationDerivative, u3Matrix, matmul2, dagger2,
} from "./sim/gates";
export type { Mat2, Axis } from "./sim/gates";
export { Circuit, param } from "./sim/circuit";
export type { ParamRef, Angle } from "./sim/circuit";
export {
  adjointGradient, adjointWorkspace, parameterShiftJacobian, finiteDifferenceGradient, weightedZCotangent,
} from "./sim/gradients";
export type { AdjointWorkspace, Cotangent } from "./sim/gradients";
export { runInverse } from "./sim/circuit";
export { DensityMatrix, partialTrace, stateFidelity, pureStateFidelity, fidelity } from "./sim/density";
export type { Ensemble } from "./sim/density";
export { eigHermitian, densityEnsemble } from "./sim/eigen";

export { ProductState } from "./sim/product";
export { lightCone } from "./sim/lightcone";
export type { LightCone } from "./sim/lightcone";
export { productState, phaseEncode, phaseEncodeProduct, angleEncode, amplitudeEncode, stateInput } from "./qnn/encoders";
export {
  hardwareEfficientAnsatz, hardwareEfficientParamCount, ENTANGLERS,
} from "./qnn/ansatz";
export type { HardwareEfficientOptions, Entangler, RotationName } from "./qnn/ansatz";
export { QNNClassifier, initParams } from "./qnn/classifier";
export type { QNNClassifierOptions, QuantumInput } from "./qnn/classifier";
export { QuantumAutoencoder } from "./qnn/autoencoder";
export type { QuantumAutoencoderOptions, QAETrainOptions, QAEHistoryRow } from "./qnn/autoencoder";

export * from "./kd/index";
export * from "./train/index";

export { lanczosGroundState, groundState } from "./sim/lanczos";
export {
  zxzHamiltonian, zxzLabel, stringOrderParameter, zxzDataset, zxzDatasetAsync, zxzPhaseDiagram, defaultCacheDir,
} from "./datasets/zxz";
export type { ZxzDataset, ZxzDatasetOptions, ZxzSplit, ZxzCouplings, ZxzPhaseRow } from "./datasets/zxz";

export { writeResults, runLabel, kdGains } from "./experiments/results";
export type { ResultRow, ResultsFile, KdGain } from "./experiments/results";
export { meanStd, groupMeanStd, seedList } from "./experiments/seeds";
export type { MeanStd } from "./experiments/seeds";
export * as seeds from "./experiments/seeds";
export {
  trainModel, trainStudentPair, runProtocol, modelRow, modelName, expectationTeacher, teacherLogitsFor, iterationFit, studentEntry,
  checkpointFolder, protocolRows, pairAccuracies,
} from "./experiments/protocol";
export type {
  Split, SplitPair, OptimiserSettings, KDSettings, FitSettings, ModelSpec, SpecInfo, TrainHooks, HooksFor, Trained, KDRun, StudentPair,
  PaperPair, StudentEntry, ProtocolPlan, ProtocolResult, RowsPlan,
} from "./experiments/protocol";
export { hardwareEfficientSpec, zxzSplits } from "./experiments/specs";
export type { HardwareEfficientSpecOptions } from "./experiments/specs";
export * as yanTable1 from "./experiments/yanTable1";

export * from "./notebook/index";

export {
  readIdx, loadMnist, mnistOneVsFive, imageAt, mnistFiles, defaultMnistDir, MNIST_CLASS_COUNTS, IDX_LABELS_MAGIC,
  IDX_IMAGES_MAGIC, MNIST_SIDE, MNIST_PIXELS,
} from "./datasets/mnist";
export type { MnistSplit, IdxFile, LoadMnistOptions, MnistSet, MnistOneVsFiveOptions, MnistBinary } from "./datasets/mnist";
export {
  fitPCA, PcaModel, fitMinMax, binarize, binarizeAll, bitBalance, preprocessOneVsFive,
} from "./datasets/preprocess";
export type {
  FeatureMatrix, FeatureRows, FitPcaOptions, PcaModelJSON, MinMaxRange, BinarizeOptions, PreprocessOneVsFiveOptions,
  BitSplit, PreprocessedOneVsFive,
} from "./datasets/preprocess";

export { setBackend, activeBackend } from "./sim/engine";
export type { Backend } from "./sim/engine";
export * as yanFig4 from "./experiments/yanFig4";
export * as yanFig5 from "./experiments/yanFig5";
export * as yanFig6 from "./experiments/yanFig6";
export { QuantumLayer, LAYER_FORMAT, LAYER_FORMAT_VERSION, checkReadout } from "./qnn/layer";
export type { QuantumLayerOptions, QuantumLayerJSON, LayerBackwardOptions, LayerBackwardResult } from "./qnn/layer";
export { Executor, productGradient } from "./qnn/execution";
export type { InputGradient, OutputLoss, ExecutionBackwardOptions, ExecutionBackwardResult } from "./qnn/execution";
export { CLASSIFIER_FORMAT, CLASSIFIER_FORMAT_VERSION } from "./qnn/classifier";
export type { QNNClassifierJSON } from "./qnn/classifier";
export {
  circuitToJSON, circuitFromJSON, numberToJSON, numberFromJSON, CIRCUIT_FORMAT, CIRCUIT_FORMAT_VERSION,
} from "./sim/serialize";
export type { CircuitJSON, GateOpJSON, JSONNumber } from "./sim/serialize";
