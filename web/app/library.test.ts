// library.test.ts: the picker lists every group of the index, each scenario under exactly one,
// and every indexed file has a chunk to load.
import { describe, expect, it } from "vitest";
import { GROUPS, groupLabel, LIBRARY } from "./library.ts";

describe("the picker's groups", () => {
  it("cover every entry of the index, and no group is empty", () => {
    expect(new Set(LIBRARY.map((e) => e.group))).toEqual(new Set(GROUPS));
    for (const e of LIBRARY) expect(GROUPS, e.file).toContain(e.group);
  });

  it("have distinct labels, the proposed series' named as such", () => {
    expect(new Set(GROUPS.map(groupLabel)).size).toBe(GROUPS.length);
    expect(groupLabel("selftests (proposed series)")).toBe("Selftests (proposed series)");
  });
});
