// The qnn-kd command line for the runner's tests, run without blocking the vitest worker (a synchronous spawn of over
// 60 s times its RPC out).
import * as path from "path";
import { spawn } from "child_process";

export const ROOT = path.resolve(__dirname, "../..");
export const CLI = path.join(ROOT, "dist", "runner", "cli.js");

/** Runs `node dist/runner/cli.js <args>` in the project folder and collects its output. */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CLI, ...args], { env, cwd: ROOT });
    let stdout = "",
      stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("error", reject);
    p.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}
