// names.test.ts: the engine and the core know only the kernel: no built-in module's name, no
// selftest name and no test-only message appears in their sources (tests aside).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUILTIN_MODULE_NAMES, BUILTIN_PROGRAMS } from "../modules/index.ts";

const ROOT = new URL("..", import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === "build" || e.name === "tests" ? [] : sources(p);
    return /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [p] : [];
  });
}

const FORBIDDEN = [
  ...BUILTIN_MODULE_NAMES,
  ...BUILTIN_PROGRAMS.keys(),
  "test_klp",
  "test_modules",
  "livepatch-sample",
  "kselftest",
  "this has been live patched",
];

describe("engine/ and core-wasm/ name no module or test", () => {
  for (const dir of ["engine", "core-wasm"]) {
    it(dir, () => {
      const hits = sources(dir).flatMap((f) => {
        const text = readFileSync(join(ROOT, f), "utf8");
        return FORBIDDEN.filter((w) => text.includes(w)).map((w) => `${f}: ${w}`);
      });
      expect(hits).toEqual([]);
    });
  }
});
