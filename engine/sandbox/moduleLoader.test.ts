import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Machine } from "../machine/machine.ts";
import type { ModuleDef } from "../machine/module.ts";
import { boot, klpLines, stallModule } from "../testing/fixture.ts";
import { type GuestEnv, kernelApi } from "./kernelApi.ts";
import { loadSandboxedModule } from "./moduleLoader.ts";
import type { SandboxLimits } from "./sandbox.ts";

const SEC = 1e9;

async function sandboxed(
  m: Machine,
  name: string,
  src: string,
  limits: Partial<SandboxLimits> = {},
): Promise<ModuleDef> {
  const r = await loadSandboxedModule(m, name, src, limits);
  if (!r.ok) throw new Error(`${r.error.kind}: ${r.error.message}`);
  return r.value;
}

/** A livepatch of cmdline_proc_show whose replacement is `body` and whose init is `init`. */
function cmdlinePatch(bodySrc: string, extra = "", callbacks = "undefined"): string {
  return `
    import { klp_enable_patch, seq_printf, pr_info } from "linux";
    function lp_sb_cmdline_proc_show(m: number): number { ${bodySrc} }
    ${extra}
    export default {
      livepatch: true,
      functions: [{ name: "lp_sb_cmdline_proc_show", size: 0x40, body: lp_sb_cmdline_proc_show }],
      init(): number {
        pr_info("%s: patching %d function\\n", "init", 1);
        return klp_enable_patch({
          objs: [{ name: null, callbacks: ${callbacks},
                   funcs: [{ old_name: "cmdline_proc_show", new_func: lp_sb_cmdline_proc_show }] }],
        });
      },
    };`;
}

const DEMO = cmdlinePatch(`seq_printf(m, "%s\\n", "lp_sb_demo replaced this text"); return 0;`);

describe("modules written as TypeScript in the sandbox", () => {
  it("patch cmdline_proc_show: readers see the new text once switched, and the old after disable", async () => {
    const m = await boot();
    const before = m.host().readFile("/proc/cmdline");
    const from = m.log.length;
    expect(m.modules.load(await sandboxed(m, "lp_sb_demo", DEMO))).toBe(0);
    m.sleep(2 * SEC);
    expect(m.host().readFile("/proc/cmdline")).toBe("lp_sb_demo replaced this text\n");
    expect(klpLines(m, from)).toContain("lp_sb_demo: init: patching 1 function");
    m.vfs.writeFile("/sys/kernel/livepatch/lp_sb_demo/enabled", "0\n");
    m.sleep(2 * SEC);
    expect(m.host().readFile("/proc/cmdline")).toBe(before);
  });

  it("runs per-object callbacks from the guest in the kernel's order", async () => {
    const m = await boot();
    const cbs = `{
      pre_patch: (o: any) => { pr_info("pre_patch %s\\n", o.name ?? "vmlinux"); return 0; },
      post_patch: (o: any) => pr_info("post_patch %s\\n", o.name ?? "vmlinux"),
      pre_unpatch: (o: any) => pr_info("pre_unpatch %s\\n", o.name ?? "vmlinux"),
      post_unpatch: (o: any) => pr_info("post_unpatch %s\\n", o.name ?? "vmlinux"),
    }`;
    const tgtObj = `{ name: "lp_sb_tgt", callbacks: cbs,
      funcs: [{ old_name: "lp_sb_tgt_work", new_func: lp_sb_cmdline_proc_show }] }`;
    const src = cmdlinePatch("return 0;", `const cbs = ${cbs};`, "cbs").replace(
      "}],\n        });",
      `}, ${tgtObj}],\n        });`,
    );
    expect(m.modules.load(stallModule("lp_sb_tgt"), ["block=0"])).toBe(0);
    const def = await sandboxed(m, "lp_sb_cb", src);
    const from = m.log.length;
    expect(m.modules.load(def)).toBe(0);
    m.sleep(2 * SEC);
    m.vfs.writeFile("/sys/kernel/livepatch/lp_sb_cb/enabled", "0\n");
    m.sleep(2 * SEC);
    const cbLines = klpLines(m, from).filter((l) => /_(patch|unpatch) /.test(l));
    expect(cbLines).toEqual([
      "lp_sb_cb: pre_patch vmlinux",
      "lp_sb_cb: pre_patch lp_sb_tgt",
      "lp_sb_cb: post_patch vmlinux",
      "lp_sb_cb: post_patch lp_sb_tgt",
      "lp_sb_cb: pre_unpatch vmlinux",
      "lp_sb_cb: pre_unpatch lp_sb_tgt",
      "lp_sb_cb: post_unpatch vmlinux",
      "lp_sb_cb: post_unpatch lp_sb_tgt",
    ]);
    const lines = klpLines(m, from);
    expect(lines.indexOf("lp_sb_cb: pre_patch vmlinux")).toBeLessThan(
      lines.indexOf("livepatch: 'lp_sb_cb': starting patching transition"),
    );
  });

  it("a throwing pre_patch refuses the patch with a message naming the module and callback", async () => {
    const m = await boot();
    const cbs = `{ pre_patch: () => { throw new Error("not today"); } }`;
    const def = await sandboxed(m, "lp_sb_pre", cmdlinePatch("return 0;", "", cbs));
    const from = m.log.length;
    expect(m.modules.load(def)).toBe(-22);
    const lines = klpLines(m, from);
    expect(lines).toContain("lp_sb_pre: pre_patch: exception: Error: not today");
    expect(lines).toContain("livepatch: pre-patch callback failed for object 'vmlinux'");
    expect(lines).toContain("livepatch: failed to enable patch 'lp_sb_pre'");
    expect(m.modules.get("lp_sb_pre")).toBeUndefined();
    expect(m.host().readFile("/proc/cmdline")).toMatch(/^BOOT_IMAGE=/);
  });

  it("reads module parameters and prints with printk levels and pr_fmt", async () => {
    const m = await boot();
    const src = `
      import { module_param, printk, pr_warn, KERN_INFO } from "linux";
      export default {
        params: [{ name: "count", type: "int", perm: 0o644, value: 3 }, { name: "on", type: "bool", value: false }],
        init() {
          printk(KERN_INFO + "lp_sb_param: count=%d on=%s\\n", module_param("count"), String(module_param("on")));
          pr_warn("%px\\n", 0xffffffffc0001000n);
          return 0;
        },
      };`;
    const from = m.log.length;
    expect(m.modules.load(await sandboxed(m, "lp_sb_param", src), ["count=42", "on=Y"])).toBe(0);
    const records = m.log.since(from).filter((r) => !r.text.includes("taint"));
    expect(records.map((r) => [r.level, r.text])).toEqual([
      [6, "lp_sb_param: count=42 on=true"],
      [4, "lp_sb_param: ffffffffc0001000"],
    ]);
    expect(m.vfs.readFile("/sys/module/lp_sb_param/parameters/count")).toBe("42\n");
  });

  it("constructs and destroys shadow variables with guest ctor and dtor", async () => {
    const m = await boot();
    const src = `
      import { klp_shadow_alloc, klp_shadow_get, klp_shadow_free, shadow_read_u32, shadow_write_u32,
               pr_info, GFP_KERNEL } from "linux";
      export default {
        init(): number {
          const ctor = (obj: number, data: number, arg: number) => { shadow_write_u32(data, 0, arg); return 0; };
          const dtor = (obj: number, data: number) => pr_info("dtor %d %u\\n", obj, shadow_read_u32(data, 0));
          const ref = klp_shadow_alloc(7, 1, 8, GFP_KERNEL, ctor, 1234);
          pr_info("alloc %d got %u\\n", ref === klp_shadow_get(7, 1) ? 1 : 0, shadow_read_u32(ref, 0));
          klp_shadow_free(7, 1, dtor);
          pr_info("after free %d\\n", klp_shadow_get(7, 1));
          return 0;
        },
      };`;
    const from = m.log.length;
    expect(m.modules.load(await sandboxed(m, "lp_sb_shadow", src))).toBe(0);
    expect(klpLines(m, from)).toEqual([
      "lp_sb_shadow: alloc 1 got 1234",
      "lp_sb_shadow: dtor 7 1234",
      "lp_sb_shadow: after free 0",
    ]);
  });

  it("runs a kthread that sleeps as a generator and stops on kthread_stop", async () => {
    const m = await boot();
    const src = `
      import { kthread_run, kthread_stop, kthread_should_stop, msleep, pr_info } from "linux";
      let pid = 0;
      function* worker(data: number) {
        let n = 0;
        while (!kthread_should_stop()) { n++; yield msleep(data); }
        pr_info("worker ran %d times\\n", n);
        return n;
      }
      export default {
        init() { pid = kthread_run(worker, 500, "lp_sb_kt/%d", 0); return 0; },
        exit() { pr_info("stopped: %d\\n", kthread_stop(pid)); },
      };`;
    expect(m.modules.load(await sandboxed(m, "lp_sb_kt", src))).toBe(0);
    const t = m.tasks.all().find((x) => x.comm === "lp_sb_kt/0");
    expect(t?.state).toBe("sleeping");
    expect(t?.fns.map((f) => m.names.get(f))).toEqual([
      "kthread",
      "msleep",
      "schedule_timeout",
      "schedule",
    ]);
    m.sleep(2 * SEC + 1);
    const from = m.log.length;
    expect(m.modules.unload("lp_sb_kt")).toBe(0);
    expect(t?.state).toBe("dead");
    expect(klpLines(m, from)).toEqual(["lp_sb_kt: worker ran 5 times", "lp_sb_kt: stopped: 5"]);
  });

  it("a kthread body that throws Oopses, dies, and the module still unloads", async () => {
    const m = await boot();
    const src = `
      import { kthread_run, kthread_stop, msleep, pr_info } from "linux";
      let pid = 0;
      function* worker() { yield msleep(100); throw new TypeError("lost my way"); }
      export default {
        init() { pid = kthread_run(worker, 0, "lp_sb_die"); return 0; },
        exit() { pr_info("stop: %d\\n", kthread_stop(pid)); },
      };`;
    expect(m.modules.load(await sandboxed(m, "lp_sb_die", src))).toBe(0);
    const t = m.tasks.all().find((x) => x.comm === "lp_sb_die");
    const from = m.log.length;
    m.sleep(SEC);
    const lines = m.log.lines(from);
    expect(lines[0]).toBe("BUG: lp_sb_die: kthread lp_sb_die: exception: TypeError: lost my way");
    expect(lines[2]).toMatch(/^CPU: 0 UID: 0 PID: \d+ Comm: lp_sb_die Tainted: G {11}OE {6}6/);
    expect(lines[3]).toBe("RIP: 0010:kthread+0x1c/0x120");
    expect(t?.state).toBe("dead");
    expect(t?.fns).toEqual([]);
    const at = m.log.length;
    expect(m.modules.unload("lp_sb_die")).toBe(0);
    expect(m.log.lines(at)).toEqual(["lp_sb_die: stop: 11"]);
  });

  it("an endless loop in a replacement function Oopses and kills only the task running it", async () => {
    const m = await boot();
    const def = await sandboxed(m, "lp_sb_loop", cmdlinePatch("for (;;) {}"));
    m.modules.load(stallModule("lp_sb_busy", 100));
    expect(m.modules.load(def)).toBe(0);
    m.sleep(2 * SEC);
    const tasks = m.tasks.all().length;
    const from = m.log.length;
    expect(m.host().readFile("/proc/cmdline")).toBe("");
    const lines = m.log.lines(from);
    expect(lines[0]).toBe(
      "BUG: lp_sb_loop: lp_sb_cmdline_proc_show: budget exceeded: exceeded its budget of 200 ticks",
    );
    expect(lines[1]).toBe("Oops: 0000 [#1] PREEMPT SMP NOPTI");
    expect(lines[2]).toMatch(/^CPU: 0 UID: 0 PID: \d+ Comm: cat Tainted: G {11}OE K {4}6\.16/);
    expect(lines[3]).toBe("RIP: 0010:lp_sb_cmdline_proc_show+0x1c/0x40 [lp_sb_loop]");
    expect(lines).toContain("  seq_read_iter+0x1c/0x3f0");
    expect(lines).toContain("Modules linked in: lp_sb_loop(OEK) lp_sb_busy(OE)");
    expect(m.taintedDie).toBe(true);
    // The machine goes on: the shell, the busy kthread and the patch are still there.
    expect(m.tasks.all().length).toBe(tasks);
    expect(m.tasks.all().find((x) => x.comm === "lp_sb_busy")?.state).toBe("sleeping");
    m.sleep(SEC);
    expect(m.vfs.readFile("/sys/kernel/livepatch/lp_sb_loop/enabled")).toBe("1\n");
    const again = m.log.length;
    m.host().readFile("/proc/cmdline");
    expect(m.log.lines(again)[1]).toBe("Oops: 0000 [#2] PREEMPT SMP NOPTI");
    expect(m.log.lines(again)[2]).toMatch(/Tainted: G {6}D {4}OE K/);
  });

  it("a memory bomb in init fails the load with -ENOMEM and a message", async () => {
    const m = await boot();
    const src = `
      export default { init() { const a: number[][] = []; for (;;) a.push([1, 2, 3, 4, 5, 6, 7, 8]); } };`;
    const def = await sandboxed(m, "lp_sb_oom", src, { memoryBytes: 4 << 20, budgetTicks: 100000 });
    const from = m.log.length;
    expect(m.modules.load(def)).toBe(-12);
    expect(klpLines(m, from)).toEqual([
      "lp_sb_oom: init: out of memory: ran out of memory (limit 4194304 bytes)",
    ]);
    expect(m.modules.get("lp_sb_oom")).toBeUndefined();
  });

  it("refuses a malformed description or a syntax error with an error naming the module", async () => {
    const m = await boot();
    const bad = await loadSandboxedModule(m, "lp_sb_bad", "export default { functions: 3 };");
    expect(bad.ok ? null : bad.error).toMatchObject({ module: "lp_sb_bad", fn: "<module>" });
    const syn = await loadSandboxedModule(m, "lp_sb_syn", "export default {");
    expect(syn.ok ? null : syn.error.kind).toBe("syntax");
  });

  it("is deterministic: two runs give the same log and events, Oops included", async () => {
    const run = async () => {
      const m = await boot();
      m.modules.load(await sandboxed(m, "lp_sb_demo", DEMO));
      m.sleep(2 * SEC);
      m.host().readFile("/proc/cmdline");
      m.vfs.writeFile("/sys/kernel/livepatch/lp_sb_demo/enabled", "0\n");
      m.sleep(2 * SEC);
      m.modules.unload("lp_sb_demo");
      m.modules.load(await sandboxed(m, "lp_sb_loop", cmdlinePatch("for (;;) {}")));
      m.sleep(2 * SEC);
      m.host().readFile("/proc/cmdline");
      return { log: m.log.lines(0), events: JSON.stringify(m.events.since(0)) };
    };
    const a = await run();
    expect(a.log.some((l) => l.startsWith("Oops:"))).toBe(true);
    expect(await run()).toEqual(a);
  });
});

describe("klp.d.ts", () => {
  it("declares exactly what the linux host module provides", () => {
    const dts = readFileSync(new URL("./klp.d.ts", import.meta.url), "utf8");
    const declared = [...dts.matchAll(/export (?:function|const) (\w+)/g)].map((x) => x[1]);
    const api = kernelApi({ m: { arch: "x86_64" } } as unknown as GuestEnv);
    const provided = [api.functions, api.constants ?? {}, api.guest ?? {}].flatMap(Object.keys);
    expect([...new Set(declared)].sort()).toEqual(provided.sort());
  });
});
