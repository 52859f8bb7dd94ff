// builtins.test.ts: built-in references are hashed against the tree the scenario's semantics
// selects: a proposed scenario's test_klp_state is the series' source, and a reference carrying
// mainline's hash is refused there (and the other way round); a module only one tree has is
// missing from the other.
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

  it("checks a proposed scenario against the proposed tree, and refuses the other's hash", () => {
    const s = libraryScenario("block-disable");
    expect(checkBuiltins(s).ok).toBe(true);
    expect(checkBuiltins({ ...s, semantics: "mainline" }).ok).toBe(false);
    const main = builtinRef("test_klp_state", "mainline");
    if (!main) throw new Error("mainline test_klp_state");
    const swapped = { ...s, modules: [main, ...s.modules.slice(1)] };
    expect(checkBuiltins(swapped).ok).toBe(false);
    const speaker = libraryScenario("speaker-samples");
    expect(checkBuiltins(speaker).ok).toBe(true);
    expect(checkBuiltins({ ...speaker, semantics: "mainline" }).ok).toBe(false);
  });
});
