// load-order.test.ts: load_module() order as the kernel has it: klp_module_coming
// (prepare_coming_module) before parse_args, so a parameter's set hook already runs patched code;
// a refused argument unwinds through klp_module_going; /sys/module/<m> appears after parse_args.
// On unload the module is GOING before its exit runs.
import { describe, expect, it } from "vitest";
import { done } from "./kcode.ts";
import type { ModuleDef } from "./module.ts";
import { boot, klpLines, lpModule } from "../testing/fixture.ts";

/** A target whose `go` set hook calls its own lp_tgt_fn and notes whether its sysfs exists. */
function target(seen: { sysfs: boolean | null }): ModuleDef {
  return {
    name: "lp_tgt",
    functions: [
      {
        name: "lp_tgt_fn",
        size: 0x40,
        body: (m) => {
          m.printk(6, "lp_tgt: original");
          return done(0);
        },
      },
    ],
    params: [
      {
        name: "go",
        type: "bool",
        perm: 0o644,
        value: false,
        set: (_v, ctx) => {
          seen.sysfs = ctx.m.vfs.exists("/sys/module/lp_tgt");
          const t = ctx.m.current ?? ctx.m.shell;
          ctx.call(t, "lp_tgt_fn").next(); // the body never sleeps: one step runs it
          return 0;
        },
      },
      { name: "n", type: "int", perm: 0o644, value: 0 },
    ],
  };
}

describe("module load order", () => {
  it("applies livepatches before parsing the arguments", async () => {
    const m = await boot();
    const objs = [{ name: "lp_tgt", funcs: ["lp_tgt_fn"] }];
    const lp = lpModule("lp_fix", { objs });
    lp.functions = [
      {
        name: "lp_fix_lp_tgt_fn",
        size: 0x40,
        body: (mm) => {
          mm.printk(6, "lp_fix: patched");
          return done(0);
        },
      },
    ];
    expect(m.modules.load(lp)).toBe(0);
    const seen = { sysfs: null as boolean | null };
    const from = m.log.length;
    expect(m.modules.load(target(seen), ["go=1"])).toBe(0);
    expect(klpLines(m, from)).toEqual([
      "livepatch: applying patch 'lp_fix' to loading module 'lp_tgt'",
      "lp_fix: patched",
    ]);
    expect(seen.sysfs).toBe(false);
    expect(m.vfs.exists("/sys/module/lp_tgt/parameters/go")).toBe(true);
  });

  it("a refused argument unwinds klp_module_coming", async () => {
    const m = await boot();
    const objs = [{ name: "lp_tgt", funcs: ["lp_tgt_fn"] }];
    expect(m.modules.load(lpModule("lp_fix", { objs }))).toBe(0);
    const from = m.log.length;
    expect(m.modules.load(target({ sysfs: null }), ["n=x"])).toBe(-22);
    expect(klpLines(m, from)).toEqual([
      "livepatch: applying patch 'lp_fix' to loading module 'lp_tgt'",
      "lp_tgt: `x' invalid for parameter `n'",
      "livepatch: reverting patch 'lp_fix' on unloading module 'lp_tgt'",
    ]);
    expect(m.vfs.exists("/sys/module/lp_tgt")).toBe(false);
    expect(m.vfs.readFile("/sys/kernel/livepatch/lp_fix/lp_tgt/patched")).toBe("0\n");
  });
});

describe("module unload order", () => {
  it("marks the module GOING before its exit runs (try_stop_module)", async () => {
    const m = await boot();
    let seen = "";
    const def: ModuleDef = { name: "lp_tgt", exit: (ctx) => void (seen = ctx.mod.state) };
    expect(m.modules.load(def)).toBe(0);
    expect(m.modules.unload("lp_tgt")).toBe(0);
    expect(seen).toBe("MODULE_STATE_GOING");
  });
});
