import { describe, expect, it } from "vitest";
import { EFAULT, SiteKind, VMLINUX } from "../bindings/index.ts";
import { loadCore } from "./loadCore.ts";

async function machine() {
  const core = await loadCore();
  core.text.init("x86_64");
  const orig = core.text.addFunction(VMLINUX, 64);
  const repl = core.text.addFunction(VMLINUX, 64);
  core.text.ftraceInit(VMLINUX);
  const task = core.tasks.alloc();
  return { core, orig, repl, task };
}

describe("core_call: entry site, then the handler", () => {
  it("runs the original until the site calls the trampoline, then the handler's choice", async () => {
    const { core, orig, repl, task } = await machine();
    const e = core.ops.newFunc(1, orig, repl);
    expect(core.ops.push(e)).toBe(1);
    // klp_patch_func() registers the ftrace ops before the site is poked: still the original.
    expect(core.call(orig, task)).toBe(orig);
    core.text.queue(orig, SiteKind.makeCall, core.text.trampAlloc());
    const seen: number[] = [];
    for (let step = core.text.pokeStep(); step > 0; step = core.text.pokeStep()) {
      seen.push(core.call(orig, task)); // from step 1 the int3 handler emulates the call
    }
    expect(seen).toEqual([repl, repl, repl, repl, repl, repl]);
    expect(core.call(repl, task)).toBe(repl); // the replacement itself is not traced
  });

  it("follows the transition: an unpatched task in a transition runs the original", async () => {
    const { core, orig, repl, task } = await machine();
    const e = core.ops.newFunc(1, orig, repl);
    core.tasks.initTransition(1);
    core.ops.setTransition(e, true);
    core.ops.push(e);
    core.text.queue(orig, SiteKind.makeCall, core.text.trampAlloc());
    core.text.pokeFinish();
    core.tasks.startTransition();
    expect(core.call(orig, task)).toBe(orig);
    core.tasks.updatePatchState(task);
    expect(core.call(orig, task)).toBe(repl);
  });

  it("refuses a corrupted entry and unknown tasks or functions", async () => {
    const { core, orig, repl, task } = await machine();
    core.ops.push(core.ops.newFunc(1, orig, repl));
    core.text.queue(orig, SiteKind.makeCall, core.text.trampAlloc());
    core.text.pokeFinish();
    expect(core.call(orig, 999)).toBeLessThan(0);
    expect(core.call(12345, task)).toBeLessThan(0);
    core.text.writeByte(core.text.siteAddr(orig), 0x90);
    expect(core.call(orig, task)).toBe(-EFAULT);
  });
});
