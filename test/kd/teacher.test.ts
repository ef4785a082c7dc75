import { describe, expect, it } from "vitest";
import { computeTeacherLogits } from "../../src/kd/teacher";

/** A teacher whose logits are [x, −x]; counts logitsBatch calls. */
function linearTeacher() {
  const calls: number[] = [];
  return {
    calls,
    logitsBatch(xs: readonly number[]): Float64Array[] {
      calls.push(xs.length);
      return xs.map((x) => Float64Array.from([x, -x]));
    },
  };
}

describe("computeTeacherLogits", () => {
  it("returns aligned rows, in chunks, independent of the chunk size", () => {
    const inputs = [1, 2, 3, 4, 5];
    const t = linearTeacher();
    const rows = computeTeacherLogits(t, inputs, { chunkSize: 2 });
    expect(t.calls).toEqual([2, 2, 1]);
    expect(rows.map((r) => Array.from(r))).toEqual(inputs.map((x) => [x, -x]));
    expect(computeTeacherLogits(linearTeacher(), inputs)).toEqual(rows);
  });

  it("rejects bad teachers and options", () => {
    const bad = { logitsBatch: (xs: readonly number[]) => xs.map(() => Float64Array.from([NaN, 0])) };
    expect(() => computeTeacherLogits(bad, [1])).toThrow(/\[0\]\[0\] is NaN/);
    const short = { logitsBatch: () => [] as Float64Array[] };
    expect(() => computeTeacherLogits(short, [1])).toThrow(/0 rows for 1 inputs/);
    expect(() => computeTeacherLogits(linearTeacher(), [1], { nClasses: 3 })).toThrow(/2 logits, expected 3/);
    expect(() => computeTeacherLogits(linearTeacher(), [1], { chunkSize: 0 })).toThrow(/chunkSize.*got 0/);
  });
});
