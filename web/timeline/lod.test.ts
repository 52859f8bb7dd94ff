// lod.test.ts: marks within a pixel merge into counted clusters, only the visible range is
// visited, spans reaching into the view from before it are kept, and a full view of 100,000
// marks stays within the width's number of clusters.
import { describe, expect, it } from "vitest";
import { levelOfDetail, spansOf, timesOf } from "./lod.ts";

describe("levelOfDetail", () => {
  it("merges marks closer than a pixel and counts them", () => {
    // 100 px over 1000 ns: 10 ns a pixel.
    const t = Float64Array.from([0, 3, 9, 25, 500, 505, 1200]);
    const c = levelOfDetail(t, { fromNs: 0, toNs: 1000, widthPx: 100 });
    expect(c.map((x) => [x.first, x.count, x.x0])).toEqual([
      [0, 3, 0],
      [3, 1, 2.5],
      [4, 2, 50],
    ]);
  });

  it("zoomed in, the same marks separate", () => {
    const t = Float64Array.from([0, 3, 9, 25]);
    const c = levelOfDetail(t, { fromNs: 0, toNs: 30, widthPx: 300 });
    expect(c.map((x) => x.count)).toEqual([1, 1, 1, 1]);
  });

  it("keeps spans that began before the view and reach into it", () => {
    const spans = [
      { fromNs: 0, toNs: 600 },
      { fromNs: 100, toNs: 200 },
      { fromNs: 700, toNs: null },
    ];
    const { starts, ends, maxSpanNs } = spansOf(spans, 2000);
    const c = levelOfDetail(starts, { fromNs: 500, toNs: 1000, widthPx: 50 }, ends, maxSpanNs);
    expect(c.map((x) => [x.first, x.count, x.x0, x.x1])).toEqual([
      [0, 1, 0, 10],
      [2, 1, 20, 50],
    ]);
  });

  it("mergePx widens the merge to what a mark's width hides, and no further", () => {
    // 1 ns a pixel: marks 2 px apart merge at 3 px (a 3 px mark covers the next), 4 px apart do not.
    const t = Float64Array.from([0, 2, 4, 8, 12]);
    const view = { fromNs: 0, toNs: 100, widthPx: 100 };
    expect(levelOfDetail(t, view).map((x) => x.count)).toEqual([1, 1, 1, 1, 1]);
    expect(levelOfDetail(t, view, undefined, Infinity, 3).map((x) => [x.first, x.count])).toEqual([
      [0, 3],
      [3, 1],
      [4, 1],
    ]);
  });

  it("an empty or inverted view gives nothing", () => {
    expect(levelOfDetail(timesOf([{ tNs: 1 }]), { fromNs: 5, toNs: 5, widthPx: 10 })).toEqual([]);
  });

  it("100,000 marks over 1,000 px: at most one cluster a pixel, all counted", () => {
    const t = new Float64Array(100_000);
    for (let i = 0; i < t.length; i++) t[i] = i * 1000 + (i % 7) * 13;
    const c = levelOfDetail(t, { fromNs: 0, toNs: 100_000_000, widthPx: 1000 });
    expect(c.length).toBeLessThanOrEqual(1000);
    expect(c.reduce((n, x) => n + x.count, 0)).toBe(100_000);
  });
});
