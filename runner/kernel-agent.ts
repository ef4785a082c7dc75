/**
 * Preloaded into every kernel the runner starts (`node --require <this file> tslab kernel …`, beside the orphan
 * guard) when the kernel has a Node IPC channel: answers the runner's watchdog probes.
 *
 * Protocol (Node IPC, JSON): the runner sends `{ type: "qnn-kd:probe", id }`; the agent answers
 * `{ type: "qnn-kd:probe-reply", id, resources }` where `resources` is `process.getActiveResourcesInfo()` (the
 * libuv handles, requests and timers that keep the event loop alive: `Timeout`, `Immediate`, `MessagePort` for a
 * worker, `TCPWrap`, `FSReqCallback`, …). The answer comes from the kernel's main thread, so a prompt answer
 * proves the event loop is free (not running a synchronous cell), and the resources say whether anything is still
 * pending that could settle the cell's awaited promise. The channel is unref'd: it never keeps the kernel alive.
 *
 * @packageDocumentation
 */

interface ProbeRequest {
  type: "qnn-kd:probe";
  id: number;
}

if (typeof process.send === "function") {
  // Create the stdout/stderr pipe handles now (tslab creates them at its first cell), so that the baseline the
  // runner records at start already holds them.
  void process.stdout;
  void process.stderr;
  process.on("message", (m: unknown) => {
    const req = m as ProbeRequest | null;
    if (!req || typeof req !== "object" || req.type !== "qnn-kd:probe") return;
    try {
      process.send!(
        { type: "qnn-kd:probe-reply", id: req.id, resources: process.getActiveResourcesInfo() },
        undefined,
        undefined,
        () => {
          // the runner may be gone; nothing to do
        },
      );
    } catch {
      // channel closed
    }
  });
  // Adding a "message" listener refs the channel; unref it so it never keeps the kernel process alive.
  (process as unknown as { channel?: { unref(): void } }).channel?.unref();
}
