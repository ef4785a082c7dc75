// optimise, the one optimisation loop: against a loop written out by hand (lr from the schedule, gradient, Adam
// step, in that order), with start offsets, early stops and its errors.
import { describe, expect, it } from "vitest";
import { optimise } from "../../src/optim/loop";
import { Adam } from "../../src/optim/adam";
import { StepLR } from "../../src/optim/scheduler";

/** f(θ) = Σ_j (θ_j − j)², gradient 2(θ_j − j). */
const quadratic = (theta: Float64Array) => ({
  loss: theta.reduce((s, v, j) => s + (v - j) ** 2, 0),
  grad: theta.map((v, j) => 2 * (v - j)),
});

describe("optimise", () => {
  it("takes the steps of the hand-written loop, bit for bit, and reports every iteration to after()", () => {
    const sched = new StepLR({ stepSize: 4, gamma: 0.5 });
    const ref = { params: Float64Array.of(3, -1, 0.5), nParams: 3 };
    const refAdam = new Adam({ lr: 0.1 });
    const refLosses: number[] = [];
    for (let t = 0; t < 10; t++) {
      refAdam.lr = sched.lrAt(t, 0.1);
      const { loss, grad } = quadratic(ref.params);
      refLosses.push(loss);
      refAdam.step(ref.params, grad);
    }
    const model = { params: Float64Array.of(3, -1, 0.5), nParams: 3 };
    const seen: { t: number; loss: number; lr: number }[] = [];
    const done = optimise(model, {
      optimiser: new Adam({ lr: 0.1 }),
      iterations: 10,
      lrAt: (t) => sched.lrAt(t, 0.1),
      step: () => quadratic(model.params),
      after: (t, d) => void seen.push({ t, ...d }),
    });
    expect(done).toBe(10);
    expect(Array.from(model.params)).toEqual(Array.from(ref.params));
    expect(seen.map((s) => s.loss)).toEqual(refLosses);
    expect(seen.map((s) => s.lr)).toEqual(Array.from({ length: 10 }, (_, t) => sched.lrAt(t, 0.1)));
    expect(seen.map((s) => s.t)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("starts at `start`, and stops after the iteration whose after() says stop", () => {
    const model = { params: Float64Array.of(1), nParams: 1 };
    const ts: number[] = [];
    const done = optimise(model, {
      optimiser: new Adam({ lr: 0.01 }),
      iterations: 20,
      start: 5,
      lrAt: () => 0.01,
      step: (t) => {
        ts.push(t);
        return quadratic(model.params);
      },
      after: (t) => (t === 8 ? "stop" : undefined),
    });
    expect(ts).toEqual([5, 6, 7, 8]);
    expect(done).toBe(9);
  });

  it("names the iteration of a non-finite loss or a gradient of the wrong length", () => {
    const model = { params: Float64Array.of(1, 2), nParams: 2 };
    const base = { optimiser: new Adam({ lr: 0.01 }), iterations: 3, lrAt: () => 0.01, name: "mine" };
    const nanAt2 = (t: number) => ({ loss: t === 1 ? NaN : 1, grad: new Float64Array(2) });
    expect(() => optimise(model, { ...base, step: nanAt2 })).toThrow(
      "mine: loss at iteration 2 is NaN (lr 0.01); try a smaller lr",
    );
    expect(() => optimise(model, { ...base, step: () => ({ loss: 1, grad: new Float64Array(3) }) })).toThrow(
      /mine: the gradient at iteration 1 has length 3, expected nParams = 2/,
    );
  });
});
