/**
 * Preloaded into every kernel the runner starts (`node --require <this file> tslab kernel …`) and every unit process
 * of `qnn-kd sweep` (`sweepUnit.js`): ends the process when the one that started it is gone (killed with SIGKILL,
 * by the out-of-memory killer, …), so that no orphaned kernel or unit keeps training and writing into a results
 * folder or unit store that a rerun is using. It checks once a second whether the parent process changed (an orphan
 * is re-parented); while a cell or a model's training runs synchronously the check waits until it yields. On exit it
 * removes the kernel's connection folder, named by the environment variable `QNN_KD_KERNEL_TMPDIR` when set.
 *
 * @packageDocumentation
 */
import * as fs from "fs";

const parent = process.ppid;
const tmpDir = process.env.QNN_KD_KERNEL_TMPDIR;

setInterval(() => {
  if (process.ppid === parent) return;
  if (tmpDir) {
    try {
      fs.rmSync(tmpDir, { recursive: true, force: true });
    } catch {
      // nothing to clean up
    }
  }
  process.exit(1);
}, 1000).unref();
