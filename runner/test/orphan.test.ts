// A kernel started by the runner must not outlive it: when the runner process is killed with SIGKILL (no chance
// to shut the kernel down), the kernel's orphan guard ends it within a few seconds.
import { describe, expect, it } from "vitest";
import { spawn } from "child_process";
import * as path from "path";
import { processAlive } from "../../test/helpers";

describe("orphan guard", () => {
  it("ends the kernel after its parent is killed with SIGKILL", async () => {
    const child = spawn(process.execPath, [path.join(__dirname, "fixtures", "start-kernel.js")], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const kernelPid = await new Promise<number>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d) => {
        out += d;
        const m = /KERNEL_PID (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.on("exit", (code) => reject(new Error(`the fixture exited with ${code} before starting a kernel`)));
    });
    expect(processAlive(kernelPid)).toBe(true);
    child.kill("SIGKILL");
    const t0 = Date.now();
    while (processAlive(kernelPid) && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 200));
    const gone = !processAlive(kernelPid);
    if (!gone) process.kill(kernelPid, "SIGKILL"); // do not leak it from the test either
    expect(gone).toBe(true);
  }, 60_000);
});
