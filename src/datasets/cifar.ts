/**
 * CIFAR-10 from its binary version (Krizhevsky 2009, https://www.cs.toronto.edu/~kriz/cifar.html, "CIFAR-10 binary
 * version"): our reader. No npm or Debian package ships the data, so the user downloads and unpacks it and names the
 * folder (`dir`, or `QNN_KD_CIFAR10_DIR`).
 *
 * **Format.** `data_batch_1.bin` … `data_batch_5.bin` (training, 10,000 records each) and `test_batch.bin` (10,000).
 * A record is 3073 bytes: the label (0…9), then the 32 × 32 image as three 1024-byte planes (red, green, blue), each
 * row-major.
 *
 * **Layout returned.** All images of a split in one `Float64Array`, channels last as tfjs wants them:
 * `images[((i·32 + r)·32 + c)·C + ch]` with values byte / 255; C = 3 (RGB), or 1 with `grayscale` (luma
 * 0.299 R + 0.587 G + 0.114 B, ITU-R BT.601).
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import * as path from "path";
import { checkInt, checkOneOf, withDefaults } from "../util/options";

/** Image side (pixels). */
export const CIFAR_SIDE = 32;
/** Bytes per record: 1 label + 3 · 1024 pixels. */
export const CIFAR_RECORD_BYTES = 1 + 3 * CIFAR_SIDE * CIFAR_SIDE;
/** Records per batch file of the original data set. */
export const CIFAR_BATCH_RECORDS = 10000;
/** The class names of CIFAR-10, by label. */
export const CIFAR10_CLASSES: readonly string[] = Object.freeze([
  "airplane",
  "automobile",
  "bird",
  "cat",
  "deer",
  "dog",
  "frog",
  "horse",
  "ship",
  "truck",
]);

/** The files of a split, in order. */
export function cifar10Files(split: "train" | "test", dir: string): string[] {
  return split === "train"
    ? [1, 2, 3, 4, 5].map((k) => path.join(dir, `data_batch_${k}.bin`))
    : [path.join(dir, "test_batch.bin")];
}

/** Options of {@link loadCifar10}. */
export interface LoadCifar10Options {
  /** The folder holding the binary batch files. @defaultValue `$QNN_KD_CIFAR10_DIR` (required when not given) */
  dir: string | undefined;
  /** `"train"` (the five data batches, 50,000 images) or `"test"` (10,000). @defaultValue "train" */
  split: "train" | "test";
  /** One luma channel instead of RGB. @defaultValue false */
  grayscale: boolean;
  /** Keep at most this many images (the first ones in file order); null = all. @defaultValue null */
  limit: number | null;
  /** Require every batch file to hold exactly 10,000 records (the original data set). @defaultValue true */
  checkCounts: boolean;
}

/** One split of CIFAR-10 (see the module doc for the layout). */
export interface Cifar10Set {
  images: Float64Array;
  labels: number[];
  count: number;
  rows: number;
  cols: number;
  /** 3 (RGB) or 1 (grayscale). */
  channels: number;
  split: "train" | "test";
}

const DEFAULTS: LoadCifar10Options = {
  dir: undefined,
  split: "train",
  grayscale: false,
  limit: null,
  checkCounts: true,
};

/**
 * Loads one split of CIFAR-10 from the binary batch files (see the module doc).
 * @throws Error for no folder, a missing file (saying where to get the data), a file whose size is not a whole number
 *   of 3073-byte records (truncated or not CIFAR-10), a batch of other than 10,000 records (with `checkCounts`), a
 *   label outside 0…9 (naming the file and record), or bad options.
 */
export function loadCifar10(options: Partial<LoadCifar10Options> = {}): Cifar10Set {
  const W = "loadCifar10";
  const o = withDefaults(W, DEFAULTS, options);
  checkOneOf(W, "split", o.split, ["train", "test"] as const);
  if (o.limit !== null) checkInt(W, "limit", o.limit, 0);
  const dir = o.dir ?? process.env.QNN_KD_CIFAR10_DIR;
  const how =
    "download the CIFAR-10 binary version from https://www.cs.toronto.edu/~kriz/cifar.html, unpack it, and pass dir or set QNN_KD_CIFAR10_DIR to the folder with data_batch_1.bin … test_batch.bin";
  if (!dir) throw new Error(`${W}: no folder given; ${how}`);
  const files = cifar10Files(o.split, dir);
  const missing = files.filter((f) => !fs.existsSync(f));
  if (missing.length)
    throw new Error(`${W}: missing ${missing.map((f) => path.basename(f)).join(", ")} in ${dir}; ${how}`);
  const C = o.grayscale ? 1 : 3,
    P = CIFAR_SIDE * CIFAR_SIDE;
  const max = o.limit ?? Number.MAX_SAFE_INTEGER;
  const chunks: { buf: Buffer; n: number; file: string }[] = [];
  let total = 0;
  for (const file of files) {
    if (total >= max) break;
    const buf = fs.readFileSync(file);
    if (buf.length === 0 || buf.length % CIFAR_RECORD_BYTES !== 0) {
      throw new Error(
        `${W}: ${file} has ${buf.length} bytes, not a whole number of ${CIFAR_RECORD_BYTES}-byte records (truncated, or not the CIFAR-10 binary version)`,
      );
    }
    const records = buf.length / CIFAR_RECORD_BYTES;
    if (o.checkCounts && records !== CIFAR_BATCH_RECORDS) {
      throw new Error(
        `${W}: ${file} holds ${records} records, expected ${CIFAR_BATCH_RECORDS} (pass checkCounts: false for a subset)`,
      );
    }
    const n = Math.min(records, max - total);
    chunks.push({ buf, n, file });
    total += n;
  }
  const images = new Float64Array(total * P * C),
    labels = new Array<number>(total);
  let i = 0;
  for (const { buf, n, file } of chunks) {
    for (let r = 0; r < n; r++, i++) {
      const base = r * CIFAR_RECORD_BYTES,
        label = buf[base];
      if (label > 9) throw new Error(`${W}: ${file}, record ${r}: label ${label} is not a class 0…9`);
      labels[i] = label;
      const px = base + 1,
        out = i * P * C;
      for (let p = 0; p < P; p++) {
        const red = buf[px + p],
          green = buf[px + P + p],
          blue = buf[px + 2 * P + p];
        if (C === 1) images[out + p] = (0.299 * red + 0.587 * green + 0.114 * blue) / 255;
        else {
          images[out + 3 * p] = red / 255;
          images[out + 3 * p + 1] = green / 255;
          images[out + 3 * p + 2] = blue / 255;
        }
      }
    }
  }
  return { images, labels, count: total, rows: CIFAR_SIDE, cols: CIFAR_SIDE, channels: C, split: o.split };
}
