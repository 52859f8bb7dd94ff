// golden.test.ts: every case of ../shared/golden/selftests-mainline.json runs as a shell script of
// helper calls on a fresh machine; the log check_result would compare must equal `expected_log`
// line for line. Known divergences run as expected failures; cases whose modules are not built
// are listed in known-divergences.json, and one test checks that list is exact.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BUILTIN_MODULE_NAMES } from "../modules/index.ts";
import { runCase, stampedRun } from "./run-case.ts";
import type { GoldenCase } from "./steps.ts";

const GOLDEN = new URL("../../shared/golden/selftests-mainline.json", import.meta.url);
const cases = JSON.parse(readFileSync(GOLDEN, "utf8")) as GoldenCase[];

interface Divergences {
  "not-built": string[];
  divergences: { case: string; reason: string }[];
}
const known = JSON.parse(
  readFileSync(new URL("./known-divergences.json", import.meta.url), "utf8"),
) as Divergences;

const key = (c: GoldenCase): string => `${c.file}: ${c.title}`;
const built = (c: GoldenCase): boolean => c.modules.every((m) => BUILTIN_MODULE_NAMES.has(m));

describe("mainline selftests (golden)", () => {
  it("lists exactly the cases whose modules are not built", () => {
    const notBuilt = cases.filter((c) => !built(c)).map(key);
    expect([...known["not-built"]].sort()).toEqual(notBuilt.sort());
  });

  it("lists divergences only for cases that exist and run", () => {
    const runnable = new Set(cases.filter(built).map(key));
    for (const d of known.divergences) expect(runnable.has(d.case), d.case).toBe(true);
  });

  it("gives the same stamped log and events on a second run of a case", async () => {
    const c = cases.find((x) => x.title === "busy target module" && built(x));
    expect(c).toBeDefined();
    const once = () => stampedRun(c!);
    const a = await once();
    expect(a.events.length).toBeGreaterThan(0);
    expect(await once()).toEqual(a);
  });

  for (const c of cases.filter(built)) {
    const diverges = known.divergences.some((d) => d.case === key(c));
    (diverges ? it.fails : it)(key(c), async () => {
      const got = await runCase(c);
      expect(got).toEqual({ died: false, stderr: "", log: c.expected_log });
    });
  }
});
