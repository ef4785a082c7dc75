import * as path from "path";
import { defineConfig } from "vitest/config";

// Tests import the public tiers by package name ("qnn-kd", "qnn-kd/datasets", …), resolved to the TypeScript
// sources; test/project.test.ts checks that the built package exports the same names.
const src = (p: string) => path.resolve(__dirname, "src", p);

// Kernel-backed tests (the runner and the notebooks' quick runs) start tslab kernels and can be slow on a loaded
// 2-core machine: give them room, and keep vitest's own worker RPC from timing out under load.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^qnn-kd\/(sim|qnn|datasets|experiments|hybrid|notebook)$/, replacement: src("$1/index.ts") },
      { find: /^qnn-kd\/training$/, replacement: src("train/index.ts") },
      { find: /^qnn-kd$/, replacement: src("index.ts") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts", "runner/test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
