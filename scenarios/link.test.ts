// link.test.ts: every library scenario fits a link of at most 2,000 characters; a decoded link
// runs to the sender's hash; moments and versions; the figures are printed.
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runInNode } from "../cli/node-run.ts";
import { libraryFiles } from "../cli/library-files.ts";
import { LIBRARY } from "./library.ts";
import { decodeLink, encodeLink, linkFits } from "./link.ts";
import { loadScenario } from "./load.ts";
import type { Scenario } from "./schema.ts";

const scenarios = libraryFiles().map((f) => {
  const s = loadScenario(f.text);
  if (!s.ok) throw new Error(f.file);
  return { file: f.file, s: s.value };
});

const hasEmbedded = (s: Scenario) => s.modules.some((m) => m.kind === "embedded");

describe("links", () => {
  it("the index lists every scenario file on disk", () => {
    const onDisk = ["library", "selftests", "selftests-proposed"].flatMap((d) =>
      readdirSync(new URL(`./${d}/`, import.meta.url)).map((f) => `${d}/${f}`),
    );
    expect([...LIBRARY.map((e) => e.file)].sort()).toEqual(onDisk.sort());
  });

  it("every library scenario's link is at most 2,000 characters and decodes to itself", () => {
    const sizes = scenarios.map(({ file, s }) => {
      const link = encodeLink(s);
      const back = decodeLink(link);
      expect(back.ok && back.value.scenario, file).toEqual(s);
      return { file, length: link.length, embedded: hasEmbedded(s) };
    });
    sizes.sort((a, b) => a.length - b.length);
    const largest = sizes[sizes.length - 1]!;
    const median = sizes[Math.floor(sizes.length / 2)]!;
    const embedded = sizes.filter((x) => x.embedded);
    console.log(
      `link sizes: ${sizes.length} scenarios, largest ${largest.length} (${largest.file}), median ${median.length}, ` +
        `embedded code: ${embedded.length} scenarios, ${embedded[0]?.length}..${embedded.at(-1)?.length} ` +
        `(largest ${embedded.at(-1)?.file})`,
    );
    for (const x of sizes) expect(x.length, x.file).toBeLessThanOrEqual(2000);
  });

  it("carries a moment", () => {
    const { s } = scenarios[0]!;
    const r = decodeLink(encodeLink(s, { atMs: 15250, event: 42 }, "https://example.org/x#old"));
    expect(r.ok && r.value.moment).toEqual({ atMs: 15250, event: 42 });
    expect(encodeLink(s, {}, "https://example.org/x#old")).toMatch(
      /^https:\/\/example\.org\/x#s1\./,
    );
  });

  it("says where a link is malformed, and knows which links fit", () => {
    const link = encodeLink(scenarios[0]!.s, { atMs: 5 });
    const r = decodeLink(`${link}x`);
    expect(!r.ok && r.error.message).toMatch(/^the link is malformed after #s1\. /);
    expect(linkFits(link)).toBe(true);
    expect(linkFits(`#s1.${"A".repeat(40_000)}`)).toBe(false);
  });

  it("refuses other link versions clearly", () => {
    const frag = encodeLink(scenarios[0]!.s).split("#")[1]!;
    const r = decodeLink(`#${frag.replace(/^s1\./, "s2.")}`);
    expect(!r.ok && r.error).toMatchObject({
      kind: "version",
      message: "link version 2 is newer than this playground reads (1)",
    });
  });

  it("decode, run: the same hash as the sender's run", async () => {
    for (const file of ["library/default.json", "library/force-disable-pins-module.json"]) {
      const { s } = scenarios.find((x) => x.file === file)!;
      const sent = await runInNode(s);
      const got = decodeLink(encodeLink(s));
      if (!got.ok || !sent.ok) throw new Error(file);
      const run = await runInNode(got.value.scenario);
      expect(run.ok && run.value.hash, file).toBe(sent.value.hash);
    }
  });
});
