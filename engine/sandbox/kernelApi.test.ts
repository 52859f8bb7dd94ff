// kernelApi.test.ts: the parts of the linux API that run module code elsewhere than its caller:
// kcall through entry sites (a livepatch of the callee runs), work items in kworkers, procfs and
// sysfs files backed by guest code, a module writing its own parameter, and the sandbox freed
// when the loader releases the module. Module names are the engine's own (lp_sb_*).
import { describe, expect, it } from "vitest";
import type { Machine } from "../machine/machine.ts";
import type { ModuleDef } from "../machine/module.ts";
import { boot } from "../testing/fixture.ts";
import { loadSandboxedModule } from "./moduleLoader.ts";

const SEC = 1e9;

async function load(m: Machine, name: string, src: string): Promise<ModuleDef> {
  const r = await loadSandboxedModule(m, name, src);
  if (!r.ok) throw new Error(`${r.error.kind}: ${r.error.message}`);
  expect(m.modules.load(r.value)).toBe(0);
  return r.value;
}

/** A target whose delayed work kcalls lp_sb_value every second into /proc/lp_sb_target. */
const TARGET = `
  import { INIT_DELAYED_WORK, schedule_delayed_work, cancel_delayed_work_sync, kcall,
           proc_create_single, remove_proc_entry, seq_printf, set_module_param, module_param } from "linux";
  const seen: number[] = [];
  function lp_sb_value(): number { return 1; }
  function lp_sb_show(m: number): number { seq_printf(m, "%s\\n", seen.join(",")); return 0; }
  const work = INIT_DELAYED_WORK(lp_sb_work);
  function lp_sb_work(): number {
    seen.push(kcall<number>(lp_sb_value));
    set_module_param("runs", Number(module_param("runs")) + 1);
    schedule_delayed_work(work, 250);
    return 0;
  }
  export default {
    params: [{ name: "runs", type: "int", value: 0 }],
    functions: [
      { name: "lp_sb_value", body: lp_sb_value },
      { name: "lp_sb_show", body: lp_sb_show },
      { name: "lp_sb_work", body: lp_sb_work },
    ],
    init: () => { proc_create_single("lp_sb_target", 0, lp_sb_show); schedule_delayed_work(work, 250); return 0; },
    exit: () => { cancel_delayed_work_sync(work); remove_proc_entry("lp_sb_target"); },
  };`;

const PATCH = `
  import { klp_enable_patch } from "linux";
  function lp_sb_value2(): number { return 2; }
  export default {
    livepatch: true,
    functions: [{ name: "lp_sb_value2", body: lp_sb_value2 }],
    init: () => klp_enable_patch({ objs: [{ name: "lp_sb_target",
      funcs: [{ old_name: "lp_sb_value", new_func: lp_sb_value2 }] }] }),
  };`;

describe("the linux API: work items, kcall, procfs", () => {
  it("runs a delayed work in a kworker, whose kcall a livepatch of the callee redirects", async () => {
    const m = await boot();
    await load(m, "lp_sb_target", TARGET);
    m.sleep(2.5 * SEC);
    expect(m.host().readFile("/proc/lp_sb_target")).toBe("1,1\n");
    await load(m, "lp_sb_patch", PATCH);
    m.sleep(2 * SEC);
    expect(m.host().readFile("/proc/lp_sb_target")).toBe("1,1,2,2\n");
    expect(m.host().readFile("/sys/module/lp_sb_target/parameters/runs")).toBe("4\n");
  });

  it("cancels the work on exit and frees the sandbox when the module is unloaded", async () => {
    const m = await boot();
    const def = await load(m, "lp_sb_target", TARGET);
    m.sleep(1.5 * SEC);
    expect(m.modules.unload("lp_sb_target")).toBe(0);
    expect(m.vfs.exists("/proc/lp_sb_target")).toBe(false);
    m.sleep(3 * SEC);
    expect(m.log.lines().some((l) => l.startsWith("Oops"))).toBe(false);
    // Released: its init can no longer run (the runtime is gone).
    expect(def.init?.({} as never)).toBeLessThan(0);
  });

  it("shows a sysfs attribute of a kobject under /sys/kernel from guest code", async () => {
    const m = await boot();
    await load(
      m,
      "lp_sb_kobj",
      `import { kobject_create_and_add, sysfs_create_file, kobject_put } from "linux";
       let k = 0;
       export default {
         init: () => { k = kobject_create_and_add("lp_sb_kobj");
           return sysfs_create_file(k, { name: "answer", mode: 0o444, show: () => "42\\n" }); },
         exit: () => kobject_put(k),
       };`,
    );
    expect(m.host().readFile("/sys/kernel/lp_sb_kobj/answer")).toBe("42\n");
    m.modules.unload("lp_sb_kobj");
    expect(m.vfs.exists("/sys/kernel/lp_sb_kobj")).toBe(false);
  });
});
