/**
 * The headless notebook runner: a Jupyter kernel client for tslab (no Python), notebook execution, Plotly PNG
 * export, the experiment registry, kernelspec installation and the `reproduce` orchestration used by the
 * `qnn-kd` CLI.
 *
 * @packageDocumentation
 */
export * from "./protocol";
export * from "./kernelProcess";
export * from "./outputs";
export * from "./watchdog";
export * from "./request";
export * from "./kernel";
export * from "./notebook";
export * from "./export";
export * from "./experiments";
export * from "./kernelspec";
export * from "./reproduce";
