/**
 * Layer rules of qnn-kd (docs: README "Library overview"). Each layer lists the layers it may import
 * (`MAY_IMPORT`); an import of any other layer is an error, so dependencies point downward only:
 *
 *   experiments → train → kd → hybrid → qnn → sim → linalg → util,   qnn → parallel → util
 *
 * with core/ (the model contract), optim/, figures/ (plain Plotly specs) and store/ (the unit store of sweeps) as leaves
 * beside util/; parallel/ (the generic worker pool) knows only
 * util/; datasets → sim, linalg, util only; notebook/ at the top (only the barrel imports it). The notebook runner
 * and the CLI live outside the library, in runner/, and use it only through its public entry points; the benchmark
 * lives in bench/.
 *
 * Inside sim/ the rooms: state/ (statevectors, density matrices, Pauli sums) is the floor; program/ (gates, the op
 * table, the circuit builder and compiler) and backends/ (kernels, WASM, the engine) sit on it; grad/ and noise/ on
 * those (noise/channels.ts, the Kraus data a circuit may hold, is the one noise module the rooms below may use).
 * Only notebook/ touches plotly, danfo or tslab, only hybrid/ TensorFlow.js. `npm test` runs `npm run depcheck`, so
 * a back-edge fails CI.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const MAY_IMPORT = {
  util: [],
  core: [],
  linalg: ["util"],
  optim: ["core", "util"],
  sim: ["linalg", "util"],
  datasets: ["sim", "linalg", "util"],
  parallel: ["util"],
  qnn: ["parallel", "sim", "linalg", "optim", "core", "util"],
  hybrid: ["qnn", "parallel", "sim", "linalg", "optim", "core", "util"],
  kd: ["hybrid", "qnn", "parallel", "sim", "linalg", "optim", "core", "util"],
  train: ["kd", "hybrid", "qnn", "parallel", "sim", "linalg", "optim", "core", "util"],
  figures: ["util"],
  store: ["util"],
  experiments: [
    "store",
    "figures",
    "datasets",
    "train",
    "kd",
    "hybrid",
    "qnn",
    "parallel",
    "sim",
    "linalg",
    "optim",
    "core",
    "util",
  ],
};
const TOP = ["notebook"];
const layer = (name) => `^src/${name}/`;
const forbid = (name, from, to, comment) => ({
  name,
  comment,
  severity: "error",
  from: { path: from },
  to: { path: to },
});
const layerRules = Object.entries(MAY_IMPORT).map(([layer, allowed]) => {
  const others = [...Object.keys(MAY_IMPORT), ...TOP].filter((l) => l !== layer && !allowed.includes(l));
  return forbid(
    `${layer}-imports-only-${allowed.join("-") || "nothing"}`,
    `^src/${layer}/`,
    `^src/(${others.join("|")})/`,
    `${layer}/ may import ${allowed.join(", ") || "no other layer"}`,
  );
});

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "modules must not import each other, directly or through others",
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    forbid(
      "sim-state-is-the-floor",
      "^src/sim/state/",
      "^src/sim/(program|backends|grad|noise)/",
      "states and observables know no circuits, back ends or gradients",
    ),
    forbid(
      "sim-grad-above-programs",
      "^src/sim/(state|program|backends)/",
      "^src/sim/grad/",
      "gradients are computed over programs, never the reverse",
    ),
    forbid(
      "sim-noise-above-programs",
      "^src/sim/(state|program|backends|grad)/",
      "^src/sim/noise/(?!channels\\.ts$)",
      "noise models and executors build on programs; channels are plain data",
    ),
    forbid(
      "pool-sides-apart",
      "^src/qnn/execution/pool(Worker|Samples)?\\.ts$",
      "^src/qnn/execution/pool(Worker)?\\.ts$",
      "the caller's side (pool.ts) and the workers' side (poolWorker.ts) of the thread boundary share only poolSamples.ts",
    ),
    forbid(
      "notebook-is-a-leaf",
      "^src/(?!notebook/|index\\.ts$)",
      layer("notebook"),
      "only the barrel imports the notebook layer",
    ),
    forbid(
      "runner-uses-the-public-api",
      "^runner/",
      "^src/",
      "the runner and the CLI (runner/, outside the library) use the library only through its public entry points",
    ),
    forbid("library-knows-no-runner", "^src/", "^runner/", "the library does not import the runner"),
    forbid(
      "plotting-only-in-notebook",
      "^src/(?!notebook/)",
      "node_modules/(plotly\\.js-dist|plotly\\.js-dist-min|danfojs-node)/",
      "only notebook/ imports plotly or danfo",
    ),
    forbid(
      "tfjs-only-in-hybrid",
      "^src/(?!hybrid/)",
      "node_modules/@tensorflow/",
      "only hybrid/ imports TensorFlow.js",
    ),
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    exclude: { path: "^(dist|node_modules|test|asm|runner/test)/" },
  },
};
