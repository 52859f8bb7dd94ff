// expect.test.ts: the selftest filter and the placeholders.
import { describe, expect, it } from "vitest";
import { selftestLines, withPlaceholders } from "./expect.ts";

describe("expectation filters", () => {
  it("keeps what check_result compares: after the last canary, livepatch/test_klp lines, no taints", () => {
    const log = [
      "livepatch: before the first test",
      "livepatch kselftest timestamp: 1",
      "livepatch: first test",
      "livepatch kselftest timestamp: 2",
      "===== TEST: x =====",
      "test_klp_x: loading out-of-tree module taints kernel.",
      "test_klp_x: tainting kernel with TAINT_LIVEPATCH",
      "livepatch: enabling patch 'test_klp_x'",
      "% insmod test_modules/test_klp_x.ko",
      "unrelated line",
    ];
    expect(selftestLines(log)).toEqual([
      "livepatch: enabling patch 'test_klp_x'",
      "% insmod test_modules/test_klp_x.ko",
    ]);
  });

  it("writes variables as <NAME>", () => {
    const vars = new Map([["PID_LIST", "12,13"]]);
    expect(withPlaceholders(["npids 12,13 left"], vars)).toEqual(["npids <PID_LIST> left"]);
  });
});
