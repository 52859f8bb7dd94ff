// validate.test.ts: the validator's messages (path: plain message, every problem), version
// handling (a real version 1 file migrates and runs), built-in references against this build.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runInNode } from "../cli/node-run.ts";
import { libraryFiles } from "../cli/library-files.ts";
import { checkBuiltins, embedModule } from "./builtins.ts";
import { DEFAULT_SCENARIO, LIBRARY } from "./library.ts";
import { loadScenario } from "./load.ts";
import type { Scenario } from "./schema.ts";
import { describeError, parseScenarioText, validateScenario } from "./validate.ts";

const files = libraryFiles();
const sample = JSON.parse(files.find((f) => f.file === "library/livepatch-sample.json")!.text);
const stacked = JSON.parse(
  files.find((f) => f.file === "library/stack-disable-top-first.json")!.text,
) as Scenario;

function problems(v: unknown): string[] {
  const r = loadScenario(v);
  return r.ok ? [] : describeError(r.error);
}

describe("scenario validation", () => {
  it("accepts every library file, and the index names each file once with the default", () => {
    for (const f of files) expect(problems(JSON.parse(f.text)), f.file).toEqual([]);
    expect(new Set(LIBRARY.map((e) => e.file)).size).toBe(LIBRARY.length);
    expect(LIBRARY.some((e) => e.file === DEFAULT_SCENARIO)).toBe(true);
  });

  it("reports every problem as path: message", () => {
    const bad = {
      ...stacked,
      arch: "mips",
      seed: -1,
      machine: { cpus: 4, tasks: [{ comm: "x", every_ms: 0, does: { fork: 1 } }] },
      modules: [stacked.modules[0], { kind: "embedded", name: "Bad-Name", source: "" }],
      script: [{ at_ms: 5000, run: "true" }, { at_ms: 10 }, {}],
      extra: 1,
    };
    const got = problems(bad);
    for (const want of [
      /^arch: /,
      /^seed: /,
      /^machine\.cpus: the simulated machine has 2 CPUs$/,
      /^machine\.tasks\[0\]\.every_ms: /,
      /^machine\.tasks\[0\]\.does: a task does/,
      /^modules\[1\]\.name: a module name is/,
      /^modules\[1\]\.source: the module source is empty$/,
      /^script\[2\]: a step needs `run` or `at_ms`/,
      /^scenario: Unrecognized key: "extra"$/,
    ])
      expect(
        got.some((l) => want.test(l)),
        `${want} in\n${got.join("\n")}`,
      ).toBe(true);
    expect(got.join("\n")).not.toMatch(/at .*\.ts:\d+/); // no stack traces
  });

  it("reports steps out of time order and duplicate modules", () => {
    const bad = {
      ...stacked,
      modules: [stacked.modules[0], stacked.modules[0]],
      script: [{ at_ms: 5000, run: "true" }, { at_ms: 10 }],
    };
    expect(problems(bad)).toEqual([
      "modules[1].name: klp_stack_a is already modules[0]",
      "script[1].at_ms: 10 is earlier than an earlier step's 5000",
    ]);
  });

  it("refuses non-JSON, non-scenarios and future versions in one clear line", () => {
    const text = (t: string) => {
      const r = parseScenarioText(t);
      return r.ok ? "" : describeError(r.error).join("\n");
    };
    expect(text("{")).toMatch(/^scenario: not JSON \(/);
    expect(text("[]")).toBe("scenario: a scenario is a JSON object");
    expect(text('{"format":"x"}')).toMatch(/^format: not a scenario/);
    expect(text(JSON.stringify({ ...sample, version: 3 }))).toBe(
      "version: version 3 is newer than this playground reads (up to 2); open it with a newer playground",
    );
    expect(text(JSON.stringify({ ...sample, version: "2" }))).toMatch(/^version: /);
  });

  it("migrates a version 1 file, which then runs to its expected log", async () => {
    const v1 = readFileSync(new URL("./testdata/v1-stacked-patches.json", import.meta.url), "utf8");
    const r = loadScenario(v1);
    expect(r.ok && r.value.version).toBe(2);
    if (!r.ok) return;
    expect(r.value.teaches).toBe(JSON.parse(v1).description);
    expect(r.value.dramatises[0]).toEqual({
      repo: "torvalds/linux",
      path: "kernel/livepatch/patch.c",
      commit: "6f84981772535e670e4e2df051a672af229b6694",
    });
    const run = await runInNode(r.value);
    expect(run.ok && run.value.compared).toEqual(JSON.parse(v1).expected_log);
    const broken = JSON.parse(v1);
    delete broken.description;
    expect(problems(broken)).toEqual([
      "description: Invalid input: expected string, received undefined (version 1 file)",
    ]);
  });

  it("refuses a built-in whose source differs from this build's, naming the module", () => {
    const s = validateScenario(sample);
    if (!s.ok) throw new Error("sample");
    const other = new Map([["livepatch_sample", "// another build's source\n"]]);
    const r = checkBuiltins(s.value, other);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(describeError(r.error)[0]).toMatch(
        /^modules\[0\]\.sha256: built-in module livepatch_sample differs from this build's/,
      );
    const none = checkBuiltins(s.value, new Map());
    expect(!none.ok && describeError(none.error)).toEqual([
      "modules[0].name: this build has no built-in module livepatch_sample",
    ]);
  });

  it("editing a built-in embeds it", () => {
    const s = validateScenario(sample);
    if (!s.ok) throw new Error("sample");
    const edited = embedModule(s.value, "livepatch_sample", "export default {};\n");
    expect(edited.modules[0]).toEqual({
      kind: "embedded",
      name: "livepatch_sample",
      source: "export default {};\n",
    });
    expect(loadScenario(edited).ok).toBe(true);
  });
});
