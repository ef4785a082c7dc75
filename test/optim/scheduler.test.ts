import { describe, expect, it } from "vitest";
import { StepLR } from "../../src/optim/scheduler";

describe("StepLR", () => {
  it("reproduces PyTorch's documented StepLR example", () => {
    // torch.optim.lr_scheduler.StepLR docs: step_size = 30, gamma = 0.1, lr = 0.05 →
    // 0.05 for epoch < 30, 0.005 for 30 ≤ epoch < 60, 0.0005 for 60 ≤ epoch < 90.
    const s = new StepLR({ stepSize: 30, gamma: 0.1 });
    expect(s.lrAt(0, 0.05)).toBe(0.05);
    expect(s.lrAt(29, 0.05)).toBe(0.05);
    expect(s.lrAt(30, 0.05)).toBeCloseTo(0.005, 15);
    expect(s.lrAt(59, 0.05)).toBeCloseTo(0.005, 15);
    expect(s.lrAt(60, 0.05)).toBeCloseTo(0.0005, 15);
    expect(s.lrAt(89, 0.05)).toBeCloseTo(0.0005, 15);
  });

  it("halves every stepSize steps by default (gamma 0.5)", () => {
    const s = new StepLR({ stepSize: 3 });
    expect([0, 1, 2, 3, 4, 5, 6, 9].map((t) => s.lrAt(t, 0.1))).toEqual([
      0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.0125,
    ]);
  });

  it("rejects bad options", () => {
    expect(() => new StepLR({ stepSize: 0 })).toThrow(/stepSize.*got 0/);
    expect(() => new StepLR({ stepSize: 1.5 })).toThrow(/stepSize.*got 1.5/);
    expect(() => new StepLR({} as never)).toThrow(/stepSize.*got NaN/);
    expect(() => new StepLR({ stepSize: 2, gamma: 0 })).toThrow(/gamma/);
    expect(() => new StepLR({ stepSize: 2, gamma: 2 })).toThrow(/gamma.*got 2/);
    expect(() => new StepLR({ stepSize: 2, step_size: 3 } as never)).toThrow(/unknown option "step_size"/);
    expect(() => new StepLR({ stepSize: 2 }).lrAt(-1, 0.1)).toThrow(/t .*got -1/);
  });
});
