// Progress bar outside a kernel: line format, ETA arithmetic, throttling, bad inputs.
import { describe, expect, it } from "vitest";
import { etaMs, formatDuration, formatInfoValue, formatProgress, progressBar } from "../../src/notebook/progress";

function fakeStream(isTTY: boolean): { write(s: string): boolean; isTTY: boolean; out: string[] } {
  const out: string[] = [];
  return { isTTY, out, write: (s: string) => (out.push(s), true) };
}

describe("formatProgress", () => {
  it("matches the documented layout", () => {
    // 37 of 100 steps in 12.3 s: ETA = 12.3 / 37 · 63 = 20.94 s (hand computed)
    expect(
      formatProgress({
        label: "train",
        done: 37,
        total: 100,
        elapsedMs: 12_300,
        info: { loss: 0.41, acc: 0.93 },
        width: 10,
      }),
    ).toBe("train [###.......] 37/100  37%  elapsed 12.3s  ETA 20.9s  loss=0.41 acc=0.93");
  });

  it("shows ETA ? before the first step and caps the bar at 100%", () => {
    expect(formatProgress({ label: "x", done: 0, total: 4, elapsedMs: 0, width: 4 })).toBe(
      "x [....] 0/4  0%  elapsed 0.0s  ETA ?",
    );
    expect(formatProgress({ label: "x", done: 5, total: 4, elapsedMs: 1000, width: 4 })).toBe(
      "x [####] 5/4  100%  elapsed 1.0s  ETA 0.0s",
    );
  });

  it("computes ETA = elapsed / done · remaining", () => {
    expect(etaMs(25, 100, 10_000)).toBeCloseTo(30_000, 9);
    expect(etaMs(1, 3, 500)).toBeCloseTo(1000, 9);
    expect(etaMs(0, 3, 500)).toBeNaN();
    expect(etaMs(3, 3, 500)).toBe(0);
  });

  it("formats durations and info values", () => {
    expect(formatDuration(59_940)).toBe("59.9s");
    expect(formatDuration(125_000)).toBe("2m05s");
    expect(formatDuration(3_720_000)).toBe("1h02m");
    expect(formatInfoValue(0.41234)).toBe("0.412");
    expect(formatInfoValue(12)).toBe("12");
    expect(formatInfoValue(1234.567)).toBe("1234.6");
    expect(formatInfoValue("adam")).toBe("adam");
  });
});

describe("progressBar outside a kernel", () => {
  it("on a TTY rewrites one line with \\r, throttled to 200 ms, and ends with a newline", () => {
    let t = 0;
    const s = fakeStream(true);
    const bar = progressBar(4, "fit", { now: () => t, stream: s, width: 4 });
    expect(s.out).toEqual(["\rfit [....] 0/4  0%  elapsed 0.0s  ETA ?\x1b[K"]);
    t = 100;
    bar.tick(); // within 200 ms of the last draw: skipped
    expect(s.out).toHaveLength(1);
    t = 300;
    bar.tick(1, { loss: 0.5 });
    expect(s.out[1]).toBe("\rfit [##..] 2/4  50%  elapsed 0.3s  ETA 0.3s  loss=0.5\x1b[K");
    t = 400;
    bar.tick(2);
    bar.done();
    expect(s.out[2]).toBe("\rfit [####] 4/4  100%  elapsed 0.4s  ETA 0.0s  loss=0.5\x1b[K\n");
    bar.done(); // idempotent
    expect(s.out).toHaveLength(3);
    expect(() => bar.tick()).toThrow(/tick\(\) after done\(\) on "fit"/);
  });

  it("without a TTY prints a line at the first tick, then at most every 2 s, and at done", () => {
    let t = 0;
    const s = fakeStream(false);
    const bar = progressBar(100, "seeds", { now: () => t, stream: s, width: 10 });
    expect(s.out).toHaveLength(0);
    for (let i = 0; i < 100; i++) {
      t = i * 100; // 100 ms per step: lines at t = 0, 2000, 4000, … 8000 ms
      bar.tick();
    }
    bar.done();
    expect(s.out).toHaveLength(6);
    expect(s.out[1]).toBe("seeds [##........] 21/100  21%  elapsed 2.0s  ETA 7.5s\n"); // 2.0/21·79 = 7.52 s
    expect(s.out[5]).toBe("seeds [##########] 100/100  100%  elapsed 9.9s  ETA 0.0s\n");
  });

  it("rejects a bad total, n and info, quoting them", () => {
    expect(() => progressBar(0, "x")).toThrow(/total must be an integer ≥ 1, got 0/);
    expect(() => progressBar(2.5, "x")).toThrow(/got 2.5/);
    expect(() => progressBar(NaN, "x")).toThrow(/got null/);
    expect(() => progressBar(3, "x", { mode: "kernel" })).toThrow(/not a tslab kernel/);
    expect(() => progressBar(3, "x", { width: 0 })).toThrow(/width must be an integer in \[1, 200\], got 0/);
    const bar = progressBar(3, "x", { stream: fakeStream(false) });
    expect(() => bar.tick(-1)).toThrow(/integer n ≥ 0, got -1/);
    expect(() => bar.tick(1, { loss: [1] as never })).toThrow(
      /info value "loss" must be a number or a string, got \[1\]/,
    );
  });
});

describe("countBar", () => {
  it("with nothing to do (total 0) draws nothing and accepts its calls; a negative total is refused", async () => {
    const { countBar } = await import("../../src/notebook/report");
    const b = countBar(0, "readings × seeds");
    expect(() => {
      b.onProgress(0, 0);
      b.done();
    }).not.toThrow();
    expect(() => countBar(-1, "x")).toThrow(/total must be an integer ≥ 1, got -1/);
  });
});
