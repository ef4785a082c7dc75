/**
 * Saving and loading tfjs models in tfjs's own format (`model.json` with the topology and weights manifest, plus
 * `weights.bin`) to a folder, in plain Node: the pure-JS tfjs has no `file://` handler (that one comes with the
 * native tfjs-node), so this module gives one through tfjs's public IO extension points
 * (`tf.io.withSaveHandler`, `tf.io.fromMemory`). Files are written atomically; a model with a
 * {@link QuantumTfLayer} loads back through its registered class.
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { writeFileAtomic } from "../util/fs";

const MODEL_FILE = "model.json",
  WEIGHTS_FILE = "weights.bin";

/**
 * Saves `model` to `dir` (created if needed): `model.json` (tfjs's model-artifacts JSON, its weights manifest
 * pointing to `weights.bin`) and `weights.bin`.
 * @returns the path of `model.json`.
 */
export async function saveTfModel(model: tf.LayersModel, dir: string): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  let file = "";
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const data = a.weightData;
      const weights =
        data === undefined
          ? new Uint8Array(0)
          : Array.isArray(data)
            ? Buffer.concat(data.map((d) => new Uint8Array(d)))
            : new Uint8Array(data);
      writeFileAtomic(path.join(dir, WEIGHTS_FILE), weights);
      const json = {
        format: a.format,
        generatedBy: a.generatedBy,
        convertedBy: a.convertedBy ?? null,
        modelTopology: a.modelTopology,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: a.weightSpecs ?? [] }],
        ...(a.trainingConfig ? { trainingConfig: a.trainingConfig } : {}),
      };
      file = path.join(dir, MODEL_FILE);
      writeFileAtomic(file, JSON.stringify(json));
      return {
        modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON", weightDataBytes: weights.byteLength },
      };
    }),
  );
  return file;
}

/** Whether `dir` holds a model saved by {@link saveTfModel}. */
export function hasTfModel(dir: string): boolean {
  return fs.existsSync(path.join(dir, MODEL_FILE)) && fs.existsSync(path.join(dir, WEIGHTS_FILE));
}

/**
 * Loads a model saved by {@link saveTfModel}.
 * @throws Error naming the folder when a file is missing or malformed.
 */
export async function loadTfModel(dir: string): Promise<tf.LayersModel> {
  const mf = path.join(dir, MODEL_FILE),
    wf = path.join(dir, WEIGHTS_FILE);
  if (!fs.existsSync(mf) || !fs.existsSync(wf))
    throw new Error(`loadTfModel: ${dir} does not hold ${MODEL_FILE} and ${WEIGHTS_FILE}`);
  let json: {
    modelTopology: object;
    weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[];
    trainingConfig?: tf.io.TrainingConfig;
  };
  try {
    json = JSON.parse(fs.readFileSync(mf, "utf8"));
  } catch (e) {
    throw new Error(`loadTfModel: ${mf} is not valid JSON (${(e as Error).message})`);
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest))
    throw new Error(`loadTfModel: ${mf} lacks modelTopology or weightsManifest`);
  const buf = fs.readFileSync(wf);
  const weightData = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: specs,
      weightData,
      ...(json.trainingConfig ? { trainingConfig: json.trainingConfig } : {}),
    }),
  );
}
