import { describe, expect, it } from "vitest";
import { EINVAL, ENOENT, ENOSPC, VMLINUX } from "../bindings/index.ts";
import { loadCore } from "./loadCore.ts";

describe("kallsyms", () => {
  it("lays vmlinux functions out aligned, in order, with full 64-bit addresses", async () => {
    const core = await loadCore();
    expect(core.text.init("x86_64")).toBe(0);
    const a = core.text.addFunction(VMLINUX, 100);
    const b = core.text.addFunction(VMLINUX, 40);
    expect([a, b]).toEqual([0, 1]);
    expect(core.text.hexAddress(core.text.funcAddr(a))).toBe("ffffffff81001000");
    expect(core.text.funcAddr(b) - core.text.funcAddr(a)).toBe(112);
    expect(core.text.lookup(core.text.funcAddr(b) + 39)).toBe(b);
    expect(core.text.lookup(core.text.funcAddr(b) + 40)).toBe(-ENOENT);
  });

  it("places modules in their own window and forgets them at unload", async () => {
    const core = await loadCore();
    core.text.init("arm64", 2);
    const mod = core.text.addObject();
    const f = core.text.addFunction(mod, 64);
    expect(core.text.hexAddress(core.text.funcAddr(f)).startsWith("ffff80007c")).toBe(true);
    expect(core.text.removeObject(mod)).toBe(0);
    expect(core.text.funcSize(f)).toBe(-ENOENT);
    expect(core.text.removeObject(VMLINUX)).toBe(-EINVAL);
  });

  it("refuses sizes outside 1..4096 and unknown objects", async () => {
    const core = await loadCore();
    core.text.init("x86_64");
    expect(core.text.addFunction(VMLINUX, 0)).toBe(-EINVAL);
    expect(core.text.addFunction(VMLINUX, 4097)).toBe(-EINVAL);
    expect(core.text.addFunction(7, 16)).toBe(-EINVAL);
  });

  it("hands out module windows lowest first, reuses unloaded ones, and says -ENOSPC when full", async () => {
    const core = await loadCore();
    core.text.init("x86_64");
    const mods = Array.from({ length: 378 }, () => core.text.addObject());
    expect(mods.every((m) => m > 0)).toBe(true);
    expect(core.text.addObject()).toBe(-ENOSPC);
    const third = core.text.addFunction(mods[2]!, 16);
    expect(core.text.hexAddress(core.text.funcAddr(third))).toBe("ffffffffa1000000");
    expect(core.text.removeObject(mods[2]!)).toBe(0);
    const again = core.text.addObject();
    expect(core.text.funcAddr(core.text.addFunction(again, 16))).toBe(0xa1000000);
    const last = core.text.addFunction(mods[377]!, 16);
    expect(core.text.hexAddress(core.text.funcAddr(last))).toBe("fffffffffec00000");
  });

  it("fills a module window up to its 4 MiB", async () => {
    const core = await loadCore();
    core.text.init("x86_64");
    const mod = core.text.addObject();
    for (let i = 0; i < 1024; i++)
      expect(core.text.addFunction(mod, 4096)).toBeGreaterThanOrEqual(0);
    expect(core.text.addFunction(mod, 16)).toBe(-ENOSPC);
  });
});
