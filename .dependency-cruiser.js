/**
 * Layer rules of qnn-kd (docs: README "Library overview", DESIGN): dependencies point downward only,
 *
 *   experiments → train → kd → hybrid → qnn → parallel → sim → linalg → util   (core: the model contract, a leaf every layer may use)
 *
 * and inside sim/ the rooms: state/ (statevectors, density matrices, Pauli sums) is the floor; program/ (gates, the
 * op table, the circuit builder and compiler) and backends/ (kernels, WASM, the engine) sit on it; grad/ and noise/
 * on those (noise/channels.ts, the Kraus data a circuit may hold, is the one noise module the rooms below may use).
 *   datasets → sim, util (never qnn or above);  notebook, runner, cli: top (nothing below imports them; the
 *   benchmark lives outside src/, in bench/)
 *
 * and only notebook/ touches plotly, danfo or tslab. `npm test` runs `npm run depcheck`, so a back-edge fails CI.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const layer = (name) => `^src/${name}/`;
const forbid = (name, from, to, comment) => ({
  name,
  comment,
  severity: "error",
  from: { path: from },
  to: { path: to },
});
const anyOf = (...names) => `^src/(${names.join("|")})/`;

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "modules must not import each other, directly or through others",
      from: {},
      to: { circular: true },
    },
    forbid(
      "util-is-a-leaf",
      layer("util"),
      anyOf(
        "core",
        "linalg",
        "sim",
        "parallel",
        "qnn",
        "kd",
        "train",
        "datasets",
        "experiments",
        "notebook",
        "runner",
        "cli",
        "optim",
      ),
      "util/ holds generic helpers only",
    ),
    forbid(
      "linalg-knows-no-qubits",
      layer("linalg"),
      anyOf(
        "core",
        "sim",
        "parallel",
        "qnn",
        "kd",
        "train",
        "datasets",
        "experiments",
        "notebook",
        "runner",
        "cli",
        "optim",
        "hybrid",
      ),
      "linear algebra: operators as functions and arrays, nothing of circuits or models",
    ),
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
      "core-is-a-leaf",
      layer("core"),
      anyOf("sim", "parallel", "qnn", "kd", "train", "datasets", "experiments", "notebook", "runner", "cli", "optim"),
      "the model contract depends on nothing",
    ),
    forbid(
      "optim-below-qnn",
      layer("optim"),
      anyOf("sim", "parallel", "qnn", "kd", "train", "datasets", "experiments", "notebook", "runner", "cli"),
      "optimisers are generic",
    ),
    forbid(
      "sim-is-the-bottom",
      layer("sim"),
      anyOf("parallel", "qnn", "kd", "train", "datasets", "experiments", "notebook", "runner", "cli", "optim"),
      "the simulator depends on nothing above it",
    ),
    forbid(
      "parallel-below-qnn",
      layer("parallel"),
      anyOf("qnn", "kd", "train", "datasets", "experiments", "notebook", "runner", "cli"),
      "the worker pool executes sim programs for qnn",
    ),
    forbid(
      "qnn-below-kd",
      layer("qnn"),
      anyOf("kd", "train", "datasets", "experiments", "notebook", "runner", "cli"),
      "models do not know how they are trained",
    ),
    forbid(
      "hybrid-below-kd",
      layer("hybrid"),
      anyOf("kd", "train", "datasets", "experiments", "notebook", "runner", "cli"),
      "the tfjs side: networks, the quantum layer, kernels, the Classifier adapter",
    ),
    forbid(
      "kd-below-train",
      layer("kd"),
      anyOf("train", "datasets", "experiments", "notebook", "runner", "cli"),
      "losses do not know the trainer",
    ),
    forbid(
      "train-below-experiments",
      layer("train"),
      anyOf("datasets", "experiments", "notebook", "runner", "cli"),
      "the trainer works for any Classifier",
    ),
    forbid(
      "datasets-independent-of-models",
      layer("datasets"),
      anyOf("parallel", "qnn", "kd", "train", "experiments", "notebook", "runner", "cli"),
      "datasets are readers and preprocessing",
    ),
    forbid(
      "experiments-below-notebook",
      layer("experiments"),
      anyOf("notebook", "runner", "cli"),
      "experiment modules run in plain Node",
    ),
    forbid(
      "notebook-is-a-leaf",
      "^src/(?!notebook/|index\\.ts$|cli/|runner/)",
      layer("notebook"),
      "only the barrel, the CLI and the runner import the notebook layer",
    ),
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
    exclude: { path: "^(dist|node_modules|test|asm)/" },
  },
};
