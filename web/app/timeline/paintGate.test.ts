// paintGate.test.ts: the first paint request of a frame paints at once, later ones in that frame
// become one paint in the frame's callback, and a frame with nothing pending paints nothing.
import { describe, expect, it } from "vitest";
import { paintGate } from "./paintGate.ts";

function setup() {
  const frames: (() => void)[] = [];
  let paints = 0;
  const request = paintGate(
    () => paints++,
    (cb) => frames.push(cb),
  );
  const runFrame = () => frames.splice(0).forEach((cb) => cb());
  return { request, runFrame, paints: () => paints, frames };
}

describe("paint gate", () => {
  it("paints the first request at once and folds the rest of the frame into one", () => {
    const g = setup();
    g.request();
    expect(g.paints()).toBe(1);
    g.request();
    g.request();
    expect(g.paints()).toBe(1);
    g.runFrame();
    expect(g.paints()).toBe(2);
    // That deferred paint counts for the frame it ran in: the next request waits for a frame.
    g.request();
    expect(g.paints()).toBe(2);
    g.runFrame();
    expect(g.paints()).toBe(3);
  });

  it("a quiet frame paints nothing and the next request paints at once again", () => {
    const g = setup();
    g.request();
    g.runFrame();
    expect(g.paints()).toBe(1);
    expect(g.frames).toHaveLength(0);
    g.request();
    expect(g.paints()).toBe(2);
  });
});
