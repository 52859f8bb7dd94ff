// check.test.ts: the line diff --check prints.
import { describe, expect, it } from "vitest";
import { lineDiff } from "./check.ts";

describe("lineDiff", () => {
  it("diffs lines: same, expected only, got only", () => {
    expect(lineDiff(["a", "b"], ["a", "b"])).toEqual([]);
    expect(lineDiff(["a", "b", "c"], ["a", "x", "c", "d"])).toEqual([
      "  a",
      "+ x",
      "- b",
      "  c",
      "+ d",
    ]);
    expect(lineDiff([], ["a"])).toEqual(["+ a"]);
  });
});
