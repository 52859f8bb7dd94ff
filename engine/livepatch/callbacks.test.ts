import { describe, expect, it } from "vitest";
import type { KlpCallbacks, KlpObjectView } from "./api.ts";
import type { Machine } from "../machine/machine.ts";
import type { ModuleDef } from "../machine/module.ts";
import { boot, klpLines, lpModule } from "../testing/fixture.ts";

const SEC = 1e9;

/** Callbacks that log "<cb> <object> <module state>" through the module's printk. */
function logging(m: Machine, who: string, preRet: () => number = () => 0): KlpCallbacks {
  const say = (cb: string, o: KlpObjectView) =>
    m.pr(6, `${who}: `, "%s %s%s\n", cb, o.name ?? "vmlinux", o.mod ? ` ${o.mod.state}` : "");
  return {
    pre_patch: (o) => {
      say("pre", o);
      return preRet();
    },
    post_patch: (o) => say("post", o),
    pre_unpatch: (o) => say("pre_un", o),
    post_unpatch: (o) => say("post_un", o),
  };
}

function target(name: string): ModuleDef {
  return {
    name,
    functions: [{ name: `${name}_fn`, size: 0x40, body: function* () {} }],
    init: (ctx) => {
      ctx.pr_info("init\n");
      return 0;
    },
    exit: (ctx) => ctx.pr_info("exit\n"),
  };
}

function cbPatch(m: Machine, preRet: () => number = () => 0): ModuleDef {
  const cbs = logging(m, "lp_cb", preRet);
  return lpModule("lp_cb", {
    objs: [
      { name: null, funcs: [], callbacks: cbs },
      { name: "lp_tgt", funcs: ["lp_tgt_fn"], callbacks: cbs },
    ],
  });
}

describe("mainline per-object callbacks", () => {
  it("run in pairs at enable and disable with the target loaded first", async () => {
    const m = await boot();
    m.modules.load(target("lp_tgt"));
    const from = m.log.length;
    expect(m.modules.load(cbPatch(m))).toBe(0);
    m.vfs.writeFile("/sys/kernel/livepatch/lp_cb/enabled", "0\n");
    expect(klpLines(m, from)).toEqual([
      "livepatch: enabling patch 'lp_cb'",
      "livepatch: 'lp_cb': initializing patching transition",
      "lp_cb: pre vmlinux",
      "lp_cb: pre lp_tgt MODULE_STATE_LIVE",
      "livepatch: 'lp_cb': starting patching transition",
      "livepatch: 'lp_cb': completing patching transition",
      "lp_cb: post vmlinux",
      "lp_cb: post lp_tgt MODULE_STATE_LIVE",
      "livepatch: 'lp_cb': patching complete",
      "livepatch: 'lp_cb': initializing unpatching transition",
      "lp_cb: pre_un vmlinux",
      "lp_cb: pre_un lp_tgt MODULE_STATE_LIVE",
      "livepatch: 'lp_cb': starting unpatching transition",
      "livepatch: 'lp_cb': completing unpatching transition",
      "lp_cb: post_un vmlinux",
      "lp_cb: post_un lp_tgt MODULE_STATE_LIVE",
      "livepatch: 'lp_cb': unpatching complete",
    ]);
  });

  it("run for a target module loaded and unloaded after the patch", async () => {
    const m = await boot();
    m.modules.load(cbPatch(m));
    expect(m.vfs.readFile("/sys/kernel/livepatch/lp_cb/lp_tgt/patched")).toBe("0\n");
    const from = m.log.length;
    expect(m.modules.load(target("lp_tgt"))).toBe(0);
    expect(m.vfs.readFile("/sys/kernel/livepatch/lp_cb/lp_tgt/patched")).toBe("1\n");
    expect(m.modules.unload("lp_tgt")).toBe(0);
    expect(m.vfs.readFile("/sys/kernel/livepatch/lp_cb/lp_tgt/patched")).toBe("0\n");
    expect(klpLines(m, from)).toEqual([
      "livepatch: applying patch 'lp_cb' to loading module 'lp_tgt'",
      "lp_cb: pre lp_tgt MODULE_STATE_COMING",
      "lp_cb: post lp_tgt MODULE_STATE_COMING",
      "lp_tgt: init",
      "lp_tgt: exit",
      "lp_cb: pre_un lp_tgt MODULE_STATE_GOING",
      "livepatch: reverting patch 'lp_cb' on unloading module 'lp_tgt'",
      "lp_cb: post_un lp_tgt MODULE_STATE_GOING",
    ]);
  });

  it("a failing pre_patch at enable cancels and refuses the module", async () => {
    const m = await boot();
    const from = m.log.length;
    expect(m.modules.load(cbPatch(m, () => -19))).toBe(-19);
    expect(klpLines(m, from)).toEqual([
      "livepatch: enabling patch 'lp_cb'",
      "livepatch: 'lp_cb': initializing patching transition",
      "lp_cb: pre vmlinux",
      "livepatch: pre-patch callback failed for object 'vmlinux'",
      "livepatch: failed to enable patch 'lp_cb'",
      "livepatch: 'lp_cb': canceling patching transition, going to unpatch",
      "livepatch: 'lp_cb': completing unpatching transition",
      "livepatch: 'lp_cb': unpatching complete",
    ]);
    expect(m.modules.get("lp_cb")).toBeUndefined();
    expect(m.vfs.exists("/sys/kernel/livepatch/lp_cb")).toBe(false);
  });

  it("a failing pre_patch at module load refuses the target module", async () => {
    const m = await boot();
    let ret = 0;
    m.modules.load(cbPatch(m, () => ret));
    ret = -19;
    const from = m.log.length;
    expect(m.modules.load(target("lp_tgt"))).toBe(-19);
    expect(klpLines(m, from)).toEqual([
      "livepatch: applying patch 'lp_cb' to loading module 'lp_tgt'",
      "lp_cb: pre lp_tgt MODULE_STATE_COMING",
      "livepatch: pre-patch callback failed for object 'lp_tgt'",
      "livepatch: patch 'lp_cb' failed for module 'lp_tgt', refusing to load module 'lp_tgt'",
    ]);
    expect(m.modules.get("lp_tgt")).toBeUndefined();
  });

  it("a module loaded mid-transition gets no post_patch until completion", async () => {
    const m = await boot();
    m.modules.load(lpModule("lp_hold", { objs: [{ name: null, funcs: ["meminfo_proc_show"] }] }));
    const { stallModule } = await import("../testing/fixture.ts");
    m.modules.load(stallModule("lp_busy"));
    m.modules.load(
      lpModule("lp_cb", {
        sleepMs: 1000,
        objs: [
          { name: "lp_busy", funcs: ["lp_busy_work"], callbacks: logging(m, "lp_cb") },
          { name: "lp_tgt", funcs: ["lp_tgt_fn"], callbacks: logging(m, "lp_cb") },
        ],
      }),
    );
    const from = m.log.length;
    m.modules.load(target("lp_tgt"));
    expect(klpLines(m, from)).toEqual([
      "livepatch: applying patch 'lp_cb' to loading module 'lp_tgt'",
      "lp_cb: pre lp_tgt MODULE_STATE_COMING",
      "lp_tgt: init",
    ]);
    m.vfs.writeFile("/sys/kernel/livepatch/lp_cb/force", "1\n");
    m.sleep(2 * SEC);
    expect(klpLines(m, from).slice(3)).toEqual([
      "livepatch: forcing remaining tasks to the patched state",
      "livepatch: 'lp_cb': completing patching transition",
      "lp_cb: post lp_busy MODULE_STATE_LIVE",
      "lp_cb: post lp_tgt MODULE_STATE_LIVE",
      "livepatch: 'lp_cb': patching complete",
    ]);
  });
});

describe("spec 15.6 shape: stalled transition, module churn, reverse", () => {
  it("prints the kernel's sequence with post_unpatch at the reversed completion", async () => {
    const m = await boot();
    const { stallModule } = await import("../testing/fixture.ts");
    m.modules.load(stallModule("lp_busy"));
    const cbs = logging(m, "lp_cb");
    const from = m.log.length;
    m.modules.load(
      lpModule("lp_cb", {
        objs: [
          { name: null, funcs: [], callbacks: cbs },
          { name: "lp_busy", funcs: ["lp_busy_work"], callbacks: cbs },
          { name: "lp_tgt", funcs: [], callbacks: cbs },
        ],
        sleepMs: 1000,
      }),
    );
    m.modules.load(target("lp_tgt"));
    m.modules.unload("lp_tgt");
    m.vfs.writeFile("/sys/kernel/livepatch/lp_cb/enabled", "0\n");
    m.sleep(2 * SEC);
    expect(klpLines(m, from)).toEqual([
      "livepatch: enabling patch 'lp_cb'",
      "livepatch: 'lp_cb': initializing patching transition",
      "lp_cb: pre vmlinux",
      "lp_cb: pre lp_busy MODULE_STATE_LIVE",
      "livepatch: 'lp_cb': starting patching transition",
      "livepatch: applying patch 'lp_cb' to loading module 'lp_tgt'",
      "lp_cb: pre lp_tgt MODULE_STATE_COMING",
      "lp_tgt: init",
      "lp_tgt: exit",
      "livepatch: reverting patch 'lp_cb' on unloading module 'lp_tgt'",
      "lp_cb: post_un lp_tgt MODULE_STATE_GOING",
      "livepatch: 'lp_cb': reversing transition from patching to unpatching",
      "livepatch: 'lp_cb': starting unpatching transition",
      "livepatch: 'lp_cb': completing unpatching transition",
      "lp_cb: post_un vmlinux",
      "lp_cb: post_un lp_busy MODULE_STATE_LIVE",
      "livepatch: 'lp_cb': unpatching complete",
    ]);
    expect(m.modules.unload("lp_cb")).toBe(0);
  });
});
