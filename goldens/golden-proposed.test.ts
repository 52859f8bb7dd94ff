// golden-proposed.test.ts: every case of ../shared/golden/selftests-proposed.json runs on a fresh
// machine with semantics "proposed" and the proposed tree's modules; the log check_result would
// compare must equal `expected_log` line for line. Cases the records mark superseded (their
// script is deleted by the series) are not run, each listed with its reason in
// known-divergences-proposed.json; known divergences run as expected failures; tests check both
// lists are exact.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { moduleTree } from "../modules/index.ts";
import { runCase, stampedRun } from "./run-case.ts";
import type { GoldenCase } from "./steps.ts";

type ProposedCase = GoldenCase & { superseded?: string | null };

const GOLDEN = new URL("../../shared/golden/selftests-proposed.json", import.meta.url);
const cases = JSON.parse(readFileSync(GOLDEN, "utf8")) as ProposedCase[];

interface Listed {
  case: string;
  reason: string;
}
interface Known {
  superseded: Listed[];
  "not-built": string[];
  divergences: Listed[];
}
const known = JSON.parse(
  readFileSync(new URL("./known-divergences-proposed.json", import.meta.url), "utf8"),
) as Known;

const key = (c: GoldenCase): string => `${c.file}: ${c.title}`;
const superseded = (c: ProposedCase): boolean => !!c.superseded;
const built = (c: GoldenCase): boolean =>
  c.modules.every((m) => moduleTree("proposed").names.has(m));
const runnable = cases.filter((c) => !superseded(c) && built(c));

describe("proposed selftests (golden)", () => {
  it("lists exactly the cases the records mark superseded, each with a reason", () => {
    const marked = cases.filter(superseded).map(key);
    expect(known.superseded.map((s) => s.case).sort()).toEqual(marked.sort());
    for (const s of known.superseded) expect(s.reason.length, s.case).toBeGreaterThan(20);
  });

  it("lists exactly the other cases whose modules are not built", () => {
    const notBuilt = cases.filter((c) => !superseded(c) && !built(c)).map(key);
    expect([...known["not-built"]].sort()).toEqual(notBuilt.sort());
  });

  it("lists divergences only for cases that exist and run", () => {
    const keys = new Set(runnable.map(key));
    for (const d of known.divergences) expect(keys.has(d.case), d.case).toBe(true);
  });

  it("gives the same stamped log and events on a second run of a case", async () => {
    const c = runnable.find((x) => x.title === "(un)blocked transition");
    expect(c).toBeDefined();
    const once = () => stampedRun(c!, "proposed");
    const a = await once();
    expect(a.events.length).toBeGreaterThan(0);
    expect(await once()).toEqual(a);
  });

  // A superseded case is not run (its script is gone from the series); its replacement must be.
  for (const c of cases.filter(superseded)) {
    it(`${key(c)}: superseded, and its replacement runs`, () => {
      const m = /^Replaced by (\S+) '([^']+)'/.exec(c.superseded ?? "");
      expect(m, c.superseded ?? "").not.toBeNull();
      expect(runnable.map(key)).toContain(`${m![1]}: ${m![2]}`);
    });
  }

  for (const c of runnable) {
    const diverges = known.divergences.some((d) => d.case === key(c));
    (diverges ? it.fails : it)(key(c), async () => {
      const got = await runCase(c, "proposed");
      expect(got).toEqual({ died: false, stderr: "", log: c.expected_log });
    });
  }
});
