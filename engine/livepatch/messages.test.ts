import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MODULE_FORMATS } from "../machine/messages.ts";
import { KLP_FORMATS, KLP_MSG } from "./messages.ts";

const dir = new URL(".", import.meta.url);
const sources = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "messages.ts")
  .map((f) => ({ f, text: readFileSync(new URL(f, dir), "utf8") }));

describe("the livepatch format catalogue", () => {
  it("cites a kernel file at a full commit for every format", () => {
    for (const [name, { src }] of Object.entries({ ...KLP_FORMATS, ...MODULE_FORMATS }))
      expect(src, name).toMatch(/^(torvalds|pmladek)\/linux kernel\/[\w/]+\.c@[0-9a-f]{40}$/);
  });

  it("is what the code prints: every entry used, no printk format left inline", () => {
    const all = sources.map((s) => s.text).join("\n");
    for (const name of Object.keys(KLP_MSG)) expect(all, name).toContain(`KLP_MSG.${name}`);
    for (const { f, text } of sources) {
      // A string literal ending in \n passed to a print call is a format that belongs here.
      const inline = text.match(/\.(pr|notice|debug|format)\([^)]*?"[^"]*\\n"/g) ?? [];
      expect(inline, f).toEqual([]);
    }
  });
});
