import { defineConfig } from "vitest/config";

// Kernel-backed tests (the runner and the notebooks' quick runs) start tslab kernels and can be slow on a loaded
// 2-core machine: give them room, and keep vitest's own worker RPC from timing out under load.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
