// sources.test.ts: modules/sources.ts (generated) holds exactly the texts of modules/src/ and
// modules/src-proposed/, and every built-in written as source, of either tree, loads in the
// sandbox.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { coreBytes } from "../core-wasm/tests/loadCore.ts";
import { Machine } from "../engine/machine/machine.ts";
import { loadSandboxedModule } from "../engine/sandbox/moduleLoader.ts";
import { BUILTIN_SOURCES, PROPOSED_SOURCES } from "./sources.ts";

describe("BUILTIN_SOURCES and PROPOSED_SOURCES", () => {
  it("is up to date with modules/src and src-proposed (node scripts/gen-module-sources.mjs)", () => {
    const root = new URL("..", import.meta.url).pathname;
    expect(() =>
      execFileSync("node", ["scripts/gen-module-sources.mjs", "--check"], { cwd: root }),
    ).not.toThrow();
  });

  it("imports only from linux, and every module describes itself", async () => {
    const m = await Machine.create({ core: await coreBytes() });
    for (const [name, src] of [...BUILTIN_SOURCES, ...PROPOSED_SOURCES]) {
      const imports = [...src.matchAll(/from\s+"([^"]+)"/g)].map((x) => x[1]);
      expect(new Set(imports), name).toEqual(new Set(["linux"]));
      const def = await loadSandboxedModule(m, name, src);
      expect(def.ok, `${name}: ${def.ok ? "" : def.error.message}`).toBe(true);
      if (def.ok) def.value.release?.();
    }
  });
});
