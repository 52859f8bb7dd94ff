// intern.test.ts: interning keeps every event's value (JavaScript cannot observe which copy of a
// string it holds; the bench's trace shows the garbage-collection time it saves).
import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../../engine/events.ts";
import { Interner } from "./intern.ts";

describe("Interner", () => {
  it("keeps the events' values, numbers, nulls and free text as they were", () => {
    const events: EngineEvent[] = [
      {
        kind: "task-switch",
        pid: 7,
        comm: "getpid1",
        state: 1,
        reason: "stack-check",
        seq: 1,
        tNs: 1e9,
      },
      { kind: "task-blocked", pid: 8, comm: "getpid2", errno: -16, func: null, seq: 2, tNs: 2e9 },
      { kind: "module", name: "klp_demo", op: "load", state: "live", seq: 3, tNs: 3e9 },
      { kind: "log", level: 6, text: "livepatch: enabling patch 'klp_demo'", seq: 4, tNs: 4e9 },
      {
        kind: "site",
        func: "cmdline_proc_show",
        step: 2,
        bytes: "cc 00 00 00 00",
        seq: 5,
        tNs: 5e9,
      },
    ];
    const before = structuredClone(events);
    const i = new Interner();
    i.events(events);
    i.events(structuredClone(before));
    expect(events).toEqual(before);
    expect(i.string("getpid1")).toBe("getpid1");
  });
});
