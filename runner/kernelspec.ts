/**
 * Registers the tslab kernels with Jupyter by writing their kernelspecs directly (a kernelspec is a folder
 * `<kernels dir>/<name>/kernel.json`), producing the same files as `tslab install --binary=<tslab>` (see
 * `node_modules/tslab/python/install.py`) without needing Python or jupyter_client.
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot as libraryRoot, writeFileAtomic } from "qnn-kd/experiments";

/** A Jupyter kernelspec (`kernel.json`). */
export interface KernelSpec {
  /** Command line; Jupyter replaces `{connection_file}`. */
  argv: string[];
  /** Name shown in Jupyter's kernel picker. */
  display_name: string;
  /** Language of the kernel. */
  language: string;
}

/**
 * The two kernelspecs tslab installs: `tslab` (TypeScript) and `jslab` (JavaScript, `--js`).
 * @param tslabBinary - absolute path of the tslab executable (e.g. `<project>/node_modules/.bin/tslab`).
 */
export function tslabKernelSpecs(tslabBinary: string): Record<"tslab" | "jslab", KernelSpec> {
  return {
    tslab: {
      argv: [tslabBinary, "kernel", "--config-path", "{connection_file}"],
      display_name: "TypeScript",
      language: "typescript",
    },
    jslab: {
      argv: [tslabBinary, "kernel", "--config-path", "{connection_file}", "--js"],
      display_name: "JavaScript",
      language: "javascript",
    },
  };
}

/**
 * Jupyter's per-user data folder, as jupyter_core computes it: `$JUPYTER_DATA_DIR` if set; else on Linux
 * `$XDG_DATA_HOME/jupyter` or `~/.local/share/jupyter`, on macOS `~/Library/Jupyter`, on Windows
 * `%APPDATA%\jupyter`.
 */
export function jupyterUserDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  const home = env.HOME || os.homedir();
  if (platform === "darwin") return path.join(home, "Library", "Jupyter");
  if (platform === "win32") return path.join(env.APPDATA || path.join(home, "AppData", "Roaming"), "jupyter");
  return path.join(env.XDG_DATA_HOME || path.join(home, ".local", "share"), "jupyter");
}

/** Options of {@link installKernelSpecs}: give `prefix` or `user` (not both); neither means `user`. */
export interface InstallKernelSpecsOptions {
  /** Install under `<prefix>/share/jupyter/kernels/` (use with `JUPYTER_PATH=<prefix>/share/jupyter`). */
  prefix?: string;
  /** Install in the per-user kernels folder ({@link jupyterUserDataDir}`/kernels`). @defaultValue true when no prefix */
  user?: boolean;
  /** The tslab executable written into `argv`. @defaultValue `<projectRoot>/node_modules/.bin/tslab` */
  tslabBinary?: string;
  /** Folder of the qnn-kd package. @defaultValue found from this module */
  projectRoot?: string;
}

/** Result of {@link installKernelSpecs}. */
export interface InstallKernelSpecsResult {
  /** The kernels folder written into. */
  kernelsDir: string;
  /** Paths of the `kernel.json` files written. */
  files: string[];
  /** For a prefix install, the value to put in `JUPYTER_PATH`; undefined for a user install. */
  jupyterPath?: string;
}

/**
 * Writes the `tslab` and `jslab` kernelspecs (overwriting earlier ones of those names).
 * @throws Error if both `prefix` and `user` are given, or the tslab executable does not exist (quoting its path).
 */
export function installKernelSpecs(options: InstallKernelSpecsOptions = {}): InstallKernelSpecsResult {
  if (options.prefix !== undefined && options.user) {
    throw new Error(`installKernelSpecs: give either prefix (${JSON.stringify(options.prefix)}) or user, not both`);
  }
  const tslabBinary = path.resolve(
    options.tslabBinary ?? path.join(options.projectRoot ?? libraryRoot(), "node_modules", ".bin", "tslab"),
  );
  if (!fs.existsSync(tslabBinary))
    throw new Error(
      `installKernelSpecs: tslab executable not found at ${JSON.stringify(tslabBinary)}; run \`npm install\``,
    );
  let kernelsDir: string;
  let jupyterPath: string | undefined;
  if (options.prefix !== undefined) {
    jupyterPath = path.join(path.resolve(options.prefix), "share", "jupyter");
    kernelsDir = path.join(jupyterPath, "kernels");
  } else {
    kernelsDir = path.join(jupyterUserDataDir(), "kernels");
  }
  const files: string[] = [];
  for (const [name, spec] of Object.entries(tslabKernelSpecs(tslabBinary))) {
    const dir = path.join(kernelsDir, name);
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    const file = path.join(dir, "kernel.json");
    writeFileAtomic(file, JSON.stringify(spec, null, 1) + "\n");
    files.push(file);
  }
  return { kernelsDir, files, jupyterPath };
}
