// siteEvents.test.ts: the site events of a stream that grows in place are read once each, and a
// stream that does not continue the last one (a reset) is read from its start.
import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../../../engine/events.ts";
import { SiteEvents } from "./siteEvents.ts";
import { stagesOf } from "./stages.ts";

const site = (seq: number, func: string): EngineEvent => ({
  kind: "site",
  func,
  step: 1,
  bytes: "",
  seq,
  tNs: seq,
});
const log = (seq: number): EngineEvent =>
  ({ kind: "log", level: 6, text: "x\n", seq, tNs: seq }) as EngineEvent;

describe("site events of a growing stream", () => {
  it("grows with the stream and gives the stages the whole stream gives", () => {
    const stream: EngineEvent[] = [log(0), site(1, "f")];
    const s = new SiteEvents();
    expect(s.of(stream).map((e) => e.seq)).toEqual([1]);
    stream.push(site(2, "g"), log(3), site(4, "f"));
    const sites = s.of(stream);
    expect(sites.map((e) => e.seq)).toEqual([1, 2, 4]);
    expect(stagesOf(sites, "f", 4)).toEqual(stagesOf(stream, "f", 4));
  });
  it("starts over on a stream that does not continue the last one", () => {
    const s = new SiteEvents();
    s.of([log(0), site(1, "f"), site(2, "f")]);
    expect(s.of([log(0), site(1, "g")]).map((e) => e.seq)).toEqual([1]);
    expect(s.of([site(0, "h")]).map((e) => e.seq)).toEqual([0]);
  });
});
