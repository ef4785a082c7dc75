/**
 * Kernels that TensorFlow.js's WebAssembly backend lacks, added through tfjs's public extension point
 * (`tf.registerKernel`), so that CNNs train on `wasm` instead of the pure-JS `cpu` backend.
 *
 * **Conv2DBackpropFilter** (missing on wasm, tfjs issue #8474): the filter gradient of a 2-D convolution,
 *
 *   dW[i, j, c, o] = Σ_b Σ_y Σ_x xp[b, y·s_h + i, x·s_w + j, c] · dy[b, y, x, o]
 *
 * (xp = the input padded as the forward pass padded it). Read with c as the batch and b as the channel, this is
 * itself a convolution of xpᵀ = transpose(xp, [3, 1, 2, 0]) (`[Cin, Hp, Wp, B]`) with the "filter"
 * dyᵀ = transpose(dy, [1, 2, 0, 3]) (`[Ho, Wo, B, Cout]`), at stride 1 and dilation (s_h, s_w); its output
 * `[Cin, ≥kh, ≥kw, Cout]` is sliced to the filter size and transposed back to `[kh, kw, Cin, Cout]`. Each step is
 * one of the backend's own kernels (PadV2, Transpose, Conv2D through XNNPACK, Slice), called through the kernel
 * registry, with the intermediates freed. Tested against the `cpu` backend's gradient for the strides, paddings
 * and shapes of the project's networks (`test/hybrid/kernels.test.ts`).
 *
 * (The wasm backend's own Conv3DBackpropFilterV2, which could serve with a depth of 1, gives wrong gradients
 * for strides > 1 in tfjs 4.22 — checked against the cpu backend — so it is not used.)
 *
 * @packageDocumentation
 */
import * as tf from "@tensorflow/tfjs";

type Info = tf.TensorInfo;
interface KernelBackend {
  disposeData(dataId: object, force?: boolean): boolean;
}

function run(name: string, backend: KernelBackend, inputs: Record<string, Info>, attrs: Record<string, unknown>): Info {
  const k = tf.getKernel(name, "wasm");
  if (!k) throw new Error(`registerWasmKernels: the wasm backend has no ${name} kernel`);
  return k.kernelFunc({ inputs, backend: backend as never, attrs: attrs as never }) as Info;
}

/**
 * The Conv2DBackpropFilter kernel function for the wasm backend (see the module doc).
 * @throws Error for a layout other than NHWC, explicit padding arrays or dilations other than 1.
 */
export function conv2DBackpropFilterWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): Info {
  const { x, dy } = args.inputs as { x: Info; dy: Info };
  const backend = args.backend as KernelBackend;
  const attrs = (args.attrs ?? {}) as {
    strides: number | [number, number];
    pad: "valid" | "same" | number | unknown[];
    dataFormat?: string;
    dimRoundingMode?: "floor" | "round" | "ceil";
    filterShape: [number, number, number, number];
  };
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== "NHWC") {
    throw new Error(
      `Conv2DBackpropFilter (wasm): dataFormat ${JSON.stringify(attrs.dataFormat)} is not supported; allowed: "NHWC" (channelsLast)`,
    );
  }
  if (Array.isArray(attrs.pad))
    throw new Error(
      'Conv2DBackpropFilter (wasm): explicit padding arrays are not supported; use "valid", "same" or a number',
    );
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad as "valid" | "same" | number,
    attrs.dimRoundingMode,
  );
  const { top, bottom, left, right } = info.padInfo;
  const [kh, kw, cin, cout] = attrs.filterShape;
  const temps: Info[] = [];
  const keep = (t: Info) => (temps.push(t), t);
  try {
    let xp = x;
    if (top || bottom || left || right) {
      xp = keep(
        run(
          "PadV2",
          backend,
          { x },
          {
            paddings: [
              [0, 0],
              [top, bottom],
              [left, right],
              [0, 0],
            ],
            constantValue: 0,
          },
        ),
      );
    }
    const xT = keep(run("Transpose", backend, { x: xp }, { perm: [3, 1, 2, 0] }));
    const dyT = keep(run("Transpose", backend, { x: dy }, { perm: [1, 2, 0, 3] }));
    const full = keep(
      run(
        "Conv2D",
        backend,
        { x: xT, filter: dyT },
        {
          strides: [1, 1],
          pad: "valid",
          dataFormat: "NHWC",
          dilations: [info.strideHeight, info.strideWidth],
          dimRoundingMode: undefined,
        },
      ),
    );
    const cut =
      full.shape[1] === kh && full.shape[2] === kw
        ? full
        : keep(run("Slice", backend, { x: full }, { begin: [0, 0, 0, 0], size: [cin, kh, kw, cout] }));
    return run("Transpose", backend, { x: cut }, { perm: [1, 2, 0, 3] });
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

let registered = false;

/**
 * Registers the kernels of this module for the `wasm` backend (idempotent). Called by `useTfBackend("wasm")`.
 * @returns the names of the kernels registered by this call (empty when already registered, or when tfjs
 *   already has them, e.g. a later tfjs that ships its own).
 */
export function registerWasmKernels(): string[] {
  if (registered) return [];
  registered = true;
  if (tf.getKernel("Conv2DBackpropFilter", "wasm")) return [];
  tf.registerKernel({
    kernelName: "Conv2DBackpropFilter",
    backendName: "wasm",
    kernelFunc: conv2DBackpropFilterWasm as unknown as tf.KernelFunc,
  });
  return ["Conv2DBackpropFilter"];
}
