// Fashion-MNIST and CIFAR-10 readers on small files in the original formats that the test writes (gzipped IDX;
// CIFAR-10 binary records): layouts by hand, and a clear error for a missing, truncated or wrong file.
import { describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { loadCifar10, loadFashionMnist } from "qnn-kd/datasets";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-data-"));

function idx(magic: number, dims: number[], data: Uint8Array): Buffer {
  const h = Buffer.alloc(4 + 4 * dims.length);
  h.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => h.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([h, Buffer.from(data)]);
}

describe("loadFashionMnist", () => {
  it("reads gzipped IDX files (the layout of Debian's package), pixels / 255, labels as stored", () => {
    const dir = tmp();
    const n = 3,
      px = new Uint8Array(n * 784).map((_, i) => i % 256),
      labels = Uint8Array.from([9, 0, 3]);
    fs.writeFileSync(path.join(dir, "t10k-images-idx3-ubyte.gz"), zlib.gzipSync(idx(0x803, [n, 28, 28], px)));
    fs.writeFileSync(path.join(dir, "t10k-labels-idx1-ubyte.gz"), zlib.gzipSync(idx(0x801, [n], labels)));
    const s = loadFashionMnist({ dir, split: "test", checkCounts: false });
    expect(s.count).toBe(3);
    expect(s.labels).toEqual([9, 0, 3]);
    expect(s.images[784 + 5]).toBeCloseTo(((784 + 5) % 256) / 255, 15);
    // the full-size check: three images are not Fashion-MNIST's 1000 per class
    expect(() => loadFashionMnist({ dir, split: "test" })).toThrow(/not standard Fashion-MNIST: class counts/);
  });

  it("a missing folder says how to get the data; a truncated file is an error", () => {
    expect(() => loadFashionMnist({ dir: "/nonexistent/fashion" })).toThrow(/apt-get install dataset-fashion-mnist/);
    const dir = tmp();
    fs.writeFileSync(path.join(dir, "train-images-idx3-ubyte"), idx(0x803, [2, 28, 28], new Uint8Array(100)));
    fs.writeFileSync(path.join(dir, "train-labels-idx1-ubyte"), idx(0x801, [2], Uint8Array.from([1, 2])));
    expect(() => loadFashionMnist({ dir, checkCounts: false })).toThrow(/train-images-idx3-ubyte/);
  });
});

describe("loadCifar10", () => {
  function record(label: number, r: number, g: number, b: number): Buffer {
    const buf = Buffer.alloc(3073);
    buf[0] = label;
    buf.fill(r, 1, 1025);
    buf.fill(g, 1025, 2049);
    buf.fill(b, 2049, 3073);
    buf[1 + 33] = 255; // red of pixel (1, 1)
    return buf;
  }
  function writeSet(dir: string): void {
    for (let k = 1; k <= 5; k++)
      fs.writeFileSync(
        path.join(dir, `data_batch_${k}.bin`),
        Buffer.concat([record(k, 10, 20, 30), record(9, 0, 0, 0)]),
      );
    fs.writeFileSync(path.join(dir, "test_batch.bin"), record(3, 51, 102, 153));
  }

  it("reads the five training batches in order, channels last (RGB planes → [r][c][ch]) and grayscale by BT.601 luma", () => {
    const dir = tmp();
    writeSet(dir);
    const s = loadCifar10({ dir, checkCounts: false });
    expect(s.count).toBe(10);
    expect(s.labels).toEqual([1, 9, 2, 9, 3, 9, 4, 9, 5, 9]);
    expect([s.images[0], s.images[1], s.images[2]]).toEqual([10 / 255, 20 / 255, 30 / 255]);
    expect(s.images[(1 * 32 + 1) * 3]).toBe(1); // pixel (1, 1), red channel
    const t = loadCifar10({ dir, split: "test", grayscale: true, checkCounts: false });
    expect(t.channels).toBe(1);
    expect(t.images[0]).toBeCloseTo((0.299 * 51 + 0.587 * 102 + 0.114 * 153) / 255, 14);
    expect(loadCifar10({ dir, checkCounts: false, limit: 3 }).labels).toEqual([1, 9, 2]);
  });

  it("errors: no folder, a missing batch, a truncated file, a bad label, a short batch under checkCounts", () => {
    expect(() => loadCifar10({ dir: undefined })).toThrow(/cs\.toronto\.edu\/~kriz\/cifar\.html/);
    const dir = tmp();
    writeSet(dir);
    expect(() => loadCifar10({ dir })).toThrow(/holds 2 records, expected 10000/);
    fs.rmSync(path.join(dir, "data_batch_3.bin"));
    expect(() => loadCifar10({ dir, checkCounts: false })).toThrow(/missing data_batch_3\.bin/);
    fs.writeFileSync(path.join(dir, "data_batch_3.bin"), Buffer.alloc(3000));
    expect(() => loadCifar10({ dir, checkCounts: false })).toThrow(
      /3000 bytes, not a whole number of 3073-byte records/,
    );
    fs.writeFileSync(path.join(dir, "test_batch.bin"), record(12, 0, 0, 0));
    expect(() => loadCifar10({ dir, split: "test", checkCounts: false })).toThrow(/record 0: label 12/);
  });
});
