// steps.test.ts: an event's script step from step marks: the events a command emitted are
// "during" its step, what its timers ran later is after it, nothing before the first step has one.
// (e2e/timeline.spec.ts checks it against a real session's marks.)
import { describe, expect, it } from "vitest";
import { stepOfEvent } from "./steps.ts";

describe("stepOfEvent", () => {
  it("finds the step by seq; the last step holds what follows it", () => {
    const marks = [
      { index: 0, startNs: 0, firstSeq: 5, endSeq: 8 },
      { index: 2, startNs: 3e9, firstSeq: 20, endSeq: 21 },
    ];
    expect(stepOfEvent(marks, 4)).toBeNull();
    expect(stepOfEvent(marks, 5)).toEqual({ mark: marks[0], during: true });
    expect(stepOfEvent(marks, 9)).toEqual({ mark: marks[0], during: false });
    expect(stepOfEvent(marks, 20)).toEqual({ mark: marks[1], during: true });
    expect(stepOfEvent(marks, 999)).toEqual({ mark: marks[1], during: false });
  });
});
