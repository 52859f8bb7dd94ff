// The engine and the core know only the kernel: no module name, selftest title or message a test
// module prints may appear in engine/ or core-wasm/ (those live in modules/ and goldens/). The
// names are read from the golden data at test time, so this file names none of them either.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

interface GoldenCase {
  title: string;
  modules: string[];
  expected_log: string[];
}

const root = new URL("..", import.meta.url).pathname;
const goldenDir = join(root, "..", "shared", "golden");
const SAMPLES = [
  "livepatch-sample",
  "livepatch-shadow-",
  "livepatch-callbacks-",
  "livepatch-speaker",
];

function forbidden(): string[] {
  const cases = ["selftests-mainline.json", "selftests-proposed.json"].flatMap(
    (f) => JSON.parse(readFileSync(join(goldenDir, f), "utf8")) as GoldenCase[],
  );
  const names = new Set<string>();
  for (const c of cases) {
    // Short titles are kernel vocabulary ("atomic replace", "sysfs test"); longer ones name a case.
    if (c.title.split(" ").length >= 4) names.add(c.title);
    for (const m of c.modules) names.add(m);
    for (const line of c.expected_log) {
      // A module's own message: "<module>: <text>", where the module is one the case loads.
      const mod = c.modules.find((m) => line.startsWith(`${m}: `));
      if (mod && line.length > mod.length + 12) names.add(line.slice(mod.length + 2));
    }
  }
  for (const s of SAMPLES) {
    names.add(s);
    names.add(s.replace(/-/g, "_"));
  }
  return [...names].filter((n) => n.length >= 6);
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === "build" ? [] : sources(p);
    return /\.(ts|tsx|js|mjs|json|sh)$/.test(e.name) ? [p] : [];
  });
}

describe("engine/ and core-wasm/ know only the kernel", () => {
  it("contain no module name, selftest title or module message", () => {
    const words = forbidden();
    expect(words.length).toBeGreaterThan(40);
    const hits: string[] = [];
    const self = new URL(import.meta.url).pathname;
    const files = [...sources(join(root, "engine")), ...sources(join(root, "core-wasm"))];
    for (const file of files.filter((f) => f !== self)) {
      const text = readFileSync(file, "utf8");
      for (const w of words) if (text.includes(w)) hits.push(`${relative(root, file)}: ${w}`);
    }
    expect(hits).toEqual([]);
  });
});
