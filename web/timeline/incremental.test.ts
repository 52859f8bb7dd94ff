// incremental.test.ts: the layout grown chunk by chunk (incremental.ts) equals the layout read
// from scratch, for an engine run of the default scenario on a machine with 200 extra tasks, fed
// in uneven chunks as the store receives them; a stream that does not continue the one read (a
// reset) is read again from its start. The tasks' pending count follows the replay.
import { describe, expect, it } from "vitest";
import { TimelineStream } from "./incremental.ts";
import { layoutTimeline } from "./layout.ts";
import { manyTaskRun } from "./manyTasks.fixture.ts";
import type { TaskSpan } from "./model.ts";

describe("TimelineStream", () => {
  it("grown chunk by chunk equals the layout from scratch", async () => {
    const events = await manyTaskRun(200);
    expect(events.length).toBeGreaterThan(600);
    const stream = new TimelineStream();
    let n = 0;
    for (let i = 1; n < events.length; i++) {
      n = Math.min(events.length, n + i * 37);
      const part = events.slice(0, n);
      const endNs = part.at(-1)!.tNs + 5e8;
      // Compared as plain data: the incremental layout's arrays are the builder's own.
      const grown = structuredClone(stream.layout(part, { endNs }));
      if (i % 5 === 0 || n === events.length)
        expect(grown).toEqual(structuredClone(layoutTimeline(part, { endNs })));
    }
    const l = layoutTimeline(events);
    expect(l.tasks.length).toBeGreaterThan(200);
    // Each count is the number of tracks pending from that moment (tasks switched within the
    // moment the transition started are not counted: virtual time did not pass).
    expect(l.taskCounts.length).toBeGreaterThan(1);
    for (const c of l.taskCounts) {
      const at = (s: TaskSpan) => s.fromNs <= c.tNs && (s.toNs === null || s.toNs > c.tNs);
      expect(l.tasks.filter((t) => t.spans.find(at)?.pending).length).toBe(c.pending);
    }
    expect(l.taskCounts.at(-1)!.pending).toBe(0);
  });

  it("read in time slices, it catches up to the same layout", async () => {
    const events = await manyTaskRun(200);
    const stream = new TimelineStream();
    let calls = 0;
    let l = stream.layout(events, {}, 0);
    expect(stream.behind).toBe(true);
    expect(l.endNs).toBeLessThan(events.at(-1)!.tNs);
    while (stream.behind) {
      l = stream.layout(events, {}, 0);
      calls++;
    }
    // A zero budget still reads a check interval (64 events) per call.
    expect(calls).toBeGreaterThan(5);
    expect(structuredClone(l)).toEqual(structuredClone(layoutTimeline(events)));
  });

  it("reads a stream that does not continue the last one from its start", async () => {
    const events = await manyTaskRun(40);
    const stream = new TimelineStream();
    stream.layout(events);
    const other = events.slice(0, 300).map((e) => ({ ...e }));
    expect(structuredClone(stream.layout(other))).toEqual(structuredClone(layoutTimeline(other)));
  });
});
