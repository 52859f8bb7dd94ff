import { describe, expect, it } from "vitest";
import { CoreAbortedError } from "../bindings/index.ts";
import { loadCore } from "./loadCore.ts";

describe("core instance", () => {
  it("starts with its scalar region and reports memory", async () => {
    const core = await loadCore();
    expect(core.regionBytes()).toBeGreaterThanOrEqual(1024);
    expect(core.memoryBytes()).toBeGreaterThanOrEqual(65536);
  });

  it("marks itself unusable after BUG() and refuses every later call", async () => {
    const core = await loadCore();
    expect(() => core.bug()).toThrow(CoreAbortedError);
    expect(core.aborted).toBe(true);
    expect(() => core.memoryBytes()).toThrow(/core aborted: BUG: core_bug\(\) called/);
    expect(() => core.reset()).toThrow(CoreAbortedError);
  });

  it("keeps other instances usable when one aborts", async () => {
    const a = await loadCore();
    const b = await loadCore();
    expect(() => a.bug()).toThrow(CoreAbortedError);
    expect(b.memoryBytes()).toBeGreaterThan(0);
  });
});
