/**
 * Adam against a hand-iterated update written in Kingma & Ba's Algorithm 1 form
 * (m̂ = m/(1−β1^t), v̂ = v/(1−β2^t), θ ← θ − lr·m̂/(√v̂ + ε)), which equals PyTorch's rearranged form up to
 * rounding; weight decay as in PyTorch Adam (g + wd·θ) and AdamW (θ·(1 − lr·wd)).
 */
import { describe, expect, it } from "vitest";
import { Adam, ADAM_DEFAULTS } from "../../src/optim/adam";

function handAdam(
  theta0: number[],
  grads: number[][],
  lr: number,
  wd: number,
  decoupled: boolean,
  b1 = 0.9,
  b2 = 0.999,
  eps = 1e-8,
): number[] {
  const th = [...theta0];
  const m = th.map(() => 0);
  const v = th.map(() => 0);
  grads.forEach((g0, k) => {
    const t = k + 1;
    for (let i = 0; i < th.length; i++) {
      let g = g0[i];
      if (decoupled) th[i] = th[i] * (1 - lr * wd);
      else g = g + wd * th[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      const mhat = m[i] / (1 - b1 ** t);
      const vhat = v[i] / (1 - b2 ** t);
      th[i] = th[i] - (lr * mhat) / (Math.sqrt(vhat) + eps);
    }
  });
  return th;
}

describe("Adam", () => {
  const theta0 = [1, -2, 0.5];
  const grads = [
    [0.5, -1, 0],
    [0.1, 0.3, -2],
  ];

  it("first step moves each parameter by ≈ lr against the gradient sign", () => {
    // Step 1: m̂ = g, v̂ = g², so Δθ = −lr·g/(|g| + ε) ≈ −lr·sign(g); a zero gradient does not move.
    const p = Float64Array.from(theta0);
    const opt = new Adam({ lr: 0.1, weightDecay: 0 });
    opt.step(p, grads[0]);
    expect(p[0]).toBeCloseTo(0.9, 7);
    expect(p[1]).toBeCloseTo(-1.9, 7);
    expect(p[2]).toBe(0.5);
  });

  for (const [wd, decoupled] of [
    [0, false],
    [0.1, false],
    [0.1, true],
  ] as const) {
    it(`matches the hand-iterated 2-step update (weightDecay ${wd}, decoupled ${decoupled})`, () => {
      const p = Float64Array.from(theta0);
      const opt = new Adam({ lr: 0.05, weightDecay: wd, decoupled });
      for (const g of grads) opt.step(p, Float64Array.from(g));
      const ref = handAdam(theta0, grads, 0.05, wd, decoupled);
      for (let i = 0; i < 3; i++) expect(p[i]).toBeCloseTo(ref[i], 14);
      expect(opt.stepCount).toBe(2);
    });
  }

  it("uses the lr set between steps", () => {
    const p = Float64Array.from([0]);
    const opt = new Adam({ lr: 1, weightDecay: 0 });
    opt.lr = 0.25;
    opt.step(p, [1]);
    expect(p[0]).toBeCloseTo(-0.25, 7);
  });

  it("defaults are PARAMS.md's", () => {
    expect(ADAM_DEFAULTS).toEqual({ lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-4, decoupled: false });
    expect(new Adam().options).toEqual(ADAM_DEFAULTS);
  });

  it("state survives a JSON round trip and continues bitwise identically", () => {
    const gs = [
      [0.3, -0.7],
      [1.1, 0.2],
      [-0.4, 0.9],
      [0.05, -0.05],
    ];
    const a = new Adam({ lr: 0.03 });
    const pa = Float64Array.from([0.2, -0.1]);
    for (const g of gs) a.step(pa, g);

    const b = new Adam({ lr: 0.03 });
    const pb = Float64Array.from([0.2, -0.1]);
    b.step(pb, gs[0]);
    b.step(pb, gs[1]);
    const saved = JSON.parse(JSON.stringify({ state: b.state(), params: Array.from(pb) }));
    const c = new Adam({ lr: 0.03 });
    c.loadState(saved.state);
    const pc = Float64Array.from(saved.params);
    c.step(pc, gs[2]);
    c.step(pc, gs[3]);
    expect(Buffer.from(pc.buffer).equals(Buffer.from(pa.buffer))).toBe(true);
    expect(c.state()).toEqual(a.state());
  });

  it("rejects bad options, gradients and states", () => {
    expect(() => new Adam({ lr: -1 })).toThrow(/lr .*got -1/);
    expect(() => new Adam({ lr: 0 })).toThrow(/lr must be > 0, got 0/);
    expect(() => new Adam({ lr: NaN })).toThrow(/lr .*got NaN/);
    expect(() => new Adam({ betas: [0.9, 1] })).toThrow(/betas\[1\].*got 1/);
    expect(() => new Adam({ eps: 0 })).toThrow(/eps/);
    expect(() => new Adam({ weightDecay: -1e-4 })).toThrow(/weightDecay.*-0.0001/);
    expect(() => new Adam({ momentum: 0.9 } as never)).toThrow(/unknown option "momentum"/);
    const opt = new Adam();
    expect(() => opt.step(new Float64Array(2), [1])).toThrow(/length 1, params has 2/);
    expect(() => opt.step(new Float64Array(2), [1, NaN])).toThrow(/grad\[1\] is NaN/);
    opt.step(new Float64Array(2), [1, 1]);
    expect(() => opt.step(new Float64Array(3), [1, 1, 1])).toThrow(/state has length 2/);
    expect(() => opt.loadState({ step: -1, m: [], v: [] })).toThrow(/step .*got -1/);
    expect(() => opt.loadState({ step: 1, m: [1], v: [-1] })).toThrow(/v\[0\] is -1/);
    expect(() => opt.loadState({ step: 1, m: [1, 2], v: [1] })).toThrow(/equal length/);
  });
});
