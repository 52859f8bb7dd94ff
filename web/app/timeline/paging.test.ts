// paging.test.ts: the table's pages reach every row, the oldest and the newest, and an event's
// page is found by its seq.
import { describe, expect, it } from "vitest";
import { indexOfSeq, pageCount, pageOfSeq, pageRange } from "./paging.ts";

const rows = Array.from({ length: 250 }, (_, i) => ({ seq: i * 3 + 1 }));

describe("table paging", () => {
  it("pages cover every row once, the last one short", () => {
    expect(pageCount(250, 100)).toBe(3);
    expect([0, 1, 2].map((p) => pageRange(250, p, 100))).toEqual([
      [0, 100],
      [100, 200],
      [200, 250],
    ]);
    expect(pageRange(250, 9, 100)).toEqual([200, 250]);
    expect(pageRange(0, 0, 100)).toEqual([0, 0]);
    expect(pageCount(0)).toBe(1);
  });

  it("finds an event's row and page by seq, and none for a seq not drawn", () => {
    expect(indexOfSeq(rows, 1)).toBe(0);
    expect(indexOfSeq(rows, 748)).toBe(249);
    expect(indexOfSeq(rows, 2)).toBe(-1);
    expect(pageOfSeq(rows, 301, 100)).toBe(1);
    expect(pageOfSeq(rows, 748, 100)).toBe(2);
    expect(pageOfSeq(rows, 5000, 100)).toBeNull();
  });
});
