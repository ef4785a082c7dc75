// The wasm Conv2DBackpropFilter kernel against the cpu backend's gradient (an independent implementation in
// tfjs-backend-cpu) and against central finite differences of the forward convolution, for the strides,
// paddings and shapes of the project's networks (LeNet-5, the AlexNet-style CNN).
import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { useTfBackend } from "../../src/hybrid/backend";

type Case = {
  name: string;
  x: [number, number, number, number];
  k: number;
  cout: number;
  stride: number;
  pad: "same" | "valid";
};
const CASES: Case[] = [
  { name: "LeNet conv1 (same)", x: [4, 28, 28, 1], k: 5, cout: 6, stride: 1, pad: "same" },
  { name: "LeNet conv2 (valid)", x: [4, 14, 14, 6], k: 5, cout: 16, stride: 1, pad: "valid" },
  { name: "AlexNet conv1 (stride 4, valid)", x: [2, 64, 64, 3], k: 11, cout: 8, stride: 4, pad: "valid" },
  { name: "AlexNet conv (stride 2, same)", x: [3, 15, 15, 4], k: 3, cout: 5, stride: 2, pad: "same" },
  { name: "stride 2, valid, even size", x: [2, 10, 10, 2], k: 3, cout: 3, stride: 2, pad: "valid" },
  { name: "stride 3, same", x: [2, 11, 13, 2], k: 5, cout: 2, stride: 3, pad: "same" },
];

function filterGrad(
  c: Case,
  backend: string,
  xv: Float32Array,
  wv: Float32Array,
  dyv: Float32Array,
): Promise<Float32Array> {
  return tf.setBackend(backend).then(() =>
    tf.tidy(() => {
      const x = tf.tensor4d(xv, c.x);
      const w = tf.tensor4d(wv, [c.k, c.k, c.x[3], c.cout]);
      const y0 = tf.conv2d(x, w, c.stride, c.pad);
      const dy = tf.tensor(dyv, y0.shape);
      return tf
        .grad((wt) => tf.sum(tf.mul(tf.conv2d(x, wt as tf.Tensor4D, c.stride, c.pad), dy)))(w)
        .dataSync() as Float32Array;
    }),
  );
}

const rand = (n: number, seed: number) => {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1);
};

describe("Conv2DBackpropFilter on the wasm backend", () => {
  beforeAll(async () => {
    expect(await useTfBackend("wasm")).toBe("wasm");
  });

  for (const c of CASES) {
    it(`${c.name}: equals the cpu backend's gradient`, async () => {
      const xv = rand(
        c.x.reduce((a, b) => a * b, 1),
        1,
      );
      const wv = rand(c.k * c.k * c.x[3] * c.cout, 2);
      const outShape = await tf
        .setBackend("cpu")
        .then(() =>
          tf.tidy(
            () => tf.conv2d(tf.tensor4d(xv, c.x), tf.tensor4d(wv, [c.k, c.k, c.x[3], c.cout]), c.stride, c.pad).shape,
          ),
        );
      const dyv = rand(
        outShape.reduce((a, b) => a * b, 1),
        3,
      );
      const gw = await filterGrad(c, "wasm", xv, wv, dyv);
      const gc = await filterGrad(c, "cpu", xv, wv, dyv);
      expect(gw.length).toBe(gc.length);
      let worst = 0,
        scale = 0;
      for (let i = 0; i < gc.length; i++) {
        worst = Math.max(worst, Math.abs(gw[i] - gc[i]));
        scale = Math.max(scale, Math.abs(gc[i]));
      }
      expect(scale).toBeGreaterThan(0.1);
      expect(worst / scale).toBeLessThan(1e-5); // float32 sums of up to 3136 terms in another order
      await tf.setBackend("wasm");
    });
  }

  it("matches central finite differences of the forward pass (stride 2, same)", async () => {
    const c = CASES[3];
    const xv = rand(
        c.x.reduce((a, b) => a * b, 1),
        4,
      ),
      wv = rand(c.k * c.k * c.x[3] * c.cout, 5);
    await tf.setBackend("wasm");
    const loss = (w: Float32Array) =>
      tf.tidy(
        () =>
          tf
            .sum(
              tf.square(tf.conv2d(tf.tensor4d(xv, c.x), tf.tensor4d(w, [c.k, c.k, c.x[3], c.cout]), c.stride, c.pad)),
            )
            .dataSync()[0],
      );
    const g = tf.tidy(() =>
      tf
        .grad((w) => tf.sum(tf.square(tf.conv2d(tf.tensor4d(xv, c.x), w as tf.Tensor4D, c.stride, c.pad))))(
          tf.tensor4d(wv, [c.k, c.k, c.x[3], c.cout]),
        )
        .dataSync(),
    );
    const h = 1e-2;
    for (const i of [0, 7, 33, wv.length - 1]) {
      const p = wv.slice(),
        m = wv.slice();
      p[i] += h;
      m[i] -= h;
      const fd = (loss(p) - loss(m)) / (2 * h);
      expect(Math.abs(g[i] - fd)).toBeLessThan(5e-3 * (1 + Math.abs(fd))); // float32 forward passes
    }
  });

  it("trains a conv layer with model.fit on wasm", async () => {
    await tf.setBackend("wasm");
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3, strides: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2 }),
      ],
    });
    model.compile({ optimizer: tf.train.sgd(0.1), loss: "meanSquaredError" });
    const h = await model.fit(tf.tensor4d(rand(16 * 64, 6), [16, 8, 8, 1]), tf.tensor2d(rand(32, 7), [16, 2]), {
      epochs: 3,
      batchSize: 8,
      shuffle: false,
      verbose: 0,
    });
    const losses = h.history.loss as number[];
    expect(losses[2]).toBeLessThan(losses[0]);
  });
});
