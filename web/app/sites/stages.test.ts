// stages.test.ts: stepping through a function's poke stages: from now, Previous goes to the last
// stage and Next is off; Next stops at the last stage; other functions' site events are not its.
import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../../../engine/events.ts";
import { next, previous, stagesOf } from "./stages.ts";

const site = (seq: number, func: string, step: number): EngineEvent => ({
  kind: "site",
  func,
  step,
  bytes: "",
  seq,
  tNs: seq,
});
const log = (seq: number): EngineEvent =>
  ({ kind: "log", level: 6, text: "x\n", seq, tNs: seq }) as EngineEvent;
const EVENTS = [log(0), site(1, "f", 1), site(2, "g", 1), site(3, "f", 2), log(4), site(5, "f", 3)];

describe("poke stages", () => {
  it("from now: previous is the last stage, nothing is next", () => {
    const s = stagesOf(EVENTS, "f", null);
    expect(s.all.map((e) => e.seq)).toEqual([1, 3, 5]);
    expect(s.at).toBeNull();
    expect(previous(s)?.seq).toBe(5);
    expect(next(s)).toBeNull();
  });
  it("at a stage: its neighbours among the function's own", () => {
    const s = stagesOf(EVENTS, "f", 3);
    expect(s.at).toBe(1);
    expect([previous(s)?.seq, next(s)?.seq]).toEqual([1, 5]);
    expect(previous(stagesOf(EVENTS, "f", 1))).toBeNull();
    expect(next(stagesOf(EVENTS, "f", 5))).toBeNull();
  });
  it("a selected event that is not one of the function's stages is now", () => {
    expect(stagesOf(EVENTS, "f", 2).at).toBeNull();
    expect(stagesOf(EVENTS, "f", 4).at).toBeNull();
    expect(stagesOf(EVENTS, undefined, null).all).toEqual([]);
  });
});
