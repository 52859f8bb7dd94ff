// source.test.ts: the code beside a selected event, found in real built-in sources: a callback's
// entry in the callbacks object (a block and a one-liner) and a patched function's declaration.
import { describe, expect, it } from "vitest";
import { treeSources } from "../../modules/tree-sources.ts";
import { definitionOf } from "./source.ts";

const demo = treeSources("mainline").get("livepatch_callbacks_demo")!;

describe("definitionOf", () => {
  it("a callback written as a block spans to its closing brace", () => {
    const d = definitionOf(demo, "pre_patch")!;
    expect(d.lines[0]).toMatch(/^\s*pre_patch: \(obj\) => \{$/);
    expect(d.lines.at(-1)).toMatch(/^\s*\},$/);
    expect(d.lines.join("\n")).toContain('callback_info("pre_patch_callback", obj)');
    expect(demo.split("\n")[d.from - 1]).toBe(d.lines[0]);
  });

  it("a one-line callback is one line; a function its whole body", () => {
    expect(definitionOf(demo, "post_unpatch")!.lines).toHaveLength(1);
    const f = definitionOf(demo, "patched_work_func")!;
    expect(f.lines[0]).toBe("function patched_work_func(): number {");
    expect(f.lines).toHaveLength(4);
  });

  it("a name the source does not define gives null", () => {
    expect(definitionOf(demo, "no_such_func")).toBeNull();
  });
});
