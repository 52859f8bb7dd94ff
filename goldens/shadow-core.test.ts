// The selftest "basic shadow variable API" (test-shadow-vars.sh) replayed on the bare core's shadow
// table: the module's log must equal the golden transcript line for line. The engine-level run of
// the same case (insmod through the shell) is part of the golden harness.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadCore } from "../core-wasm/tests/loadCore.ts";
import { Module, runModule } from "./shadowReplay.ts";

interface GoldenCase {
  file: string;
  title: string;
  modules: string[];
  expected_log: string[];
}

const golden = JSON.parse(
  readFileSync(new URL("../../shared/golden/selftests-mainline.json", import.meta.url), "utf8"),
) as GoldenCase[];

describe("shadow variables against the selftest golden", () => {
  it("replays the module's calls and prints its expected log", async () => {
    const c = golden.find((g) => g.file === "test-shadow-vars.sh");
    if (!c) throw new Error("golden case missing");
    const mod = c.modules[0]!;
    const expected = c.expected_log.filter((l) => l.startsWith(`${mod}: `));
    expect(expected.length).toBeGreaterThan(50);
    const core = await loadCore();
    const m = new Module(core.shadow);
    runModule(m);
    expect(m.log).toEqual(expected);
    expect(core.shadow.count()).toBe(0);
  });
});
