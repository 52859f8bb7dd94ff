// builtins.test.ts: a built-in reference pins its module's code by the hash of its source. A
// scenario's own tree is asked first (a proposed scenario's test_klp_state is the series' source),
// and a scenario switched to the other semantics keeps the code it pinned (the workbench's
// semantics switch, compare); a hash no tree of this build has is refused, naming the module.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BUILTIN_SOURCES, PROPOSED_SOURCES } from "../modules/sources.ts";
import { treeSources } from "../modules/tree-sources.ts";
import { builtinHash, builtinRef, checkBuiltins } from "./builtins.ts";
import { sha256Hex } from "./hash.ts";
import type { Scenario } from "./schema.ts";
import { validateScenario } from "./validate.ts";

function libraryScenario(name: string): Scenario {
  const text = readFileSync(new URL(`library/${name}.json`, import.meta.url), "utf8");
  const s = validateScenario(JSON.parse(text));
  if (!s.ok) throw new Error(name);
  return s.value;
}

describe("built-in references per tree", () => {
  it("hashes the source of the scenario's tree", () => {
    const prop = builtinHash("test_klp_state", treeSources("proposed"));
    const main = builtinHash("test_klp_state", treeSources("mainline"));
    expect(prop).toBe(sha256Hex(PROPOSED_SOURCES.get("test_klp_state") ?? ""));
    expect(main).toBe(sha256Hex(BUILTIN_SOURCES.get("test_klp_state") ?? ""));
    expect(prop).not.toBe(main);
    expect(builtinRef("test_klp_state", "proposed")).toMatchObject({ sha256: prop });
    // Unchanged modules are the same source, so the same reference, in both trees.
    expect(builtinRef("livepatch_sample", "proposed")).toEqual(builtinRef("livepatch_sample"));
    expect(builtinRef("test_klp_speaker", "mainline")).toBeNull();
    expect(builtinRef("test_klp_callbacks_demo", "proposed")).toBeNull();
  });

  it("accepts a pinned source from either tree, whatever the semantics, and refuses any other", () => {
    const s = libraryScenario("block-disable");
    expect(checkBuiltins(s).ok).toBe(true);
    // The series' test_klp_state on a mainline kernel: the code it pinned, on the other kernel.
    expect(checkBuiltins({ ...s, semantics: "mainline" }).ok).toBe(true);
    const main = builtinRef("test_klp_state", "mainline");
    if (!main) throw new Error("mainline test_klp_state");
    expect(checkBuiltins({ ...s, modules: [main, ...s.modules.slice(1)] }).ok).toBe(true);
    const forged = { ...main, sha256: "f".repeat(64) };
    const r = checkBuiltins({ ...s, modules: [forged, ...s.modules.slice(1)] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(JSON.stringify(r.error)).toContain("built-in module test_klp_state differs");
    // Checking against one tree's sources only still refuses the other tree's hash.
    expect(checkBuiltins(s, treeSources("mainline")).ok).toBe(false);
    const speaker = libraryScenario("speaker-samples");
    expect(checkBuiltins({ ...speaker, semantics: "mainline" }).ok).toBe(true);
  });
});
