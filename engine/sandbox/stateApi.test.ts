// stateApi.test.ts: the linux API the proposed series' modules need: per-state callbacks with
// block_disable and is_shadow (the state's shadow variables freed with it, through its dtor),
// parameter hooks, completions, and a livepatch's replacement of a work function reaching the
// target's struct through container_of and calling its function pointer (which sleeps). Module
// names are the engine's own (lp_sb_*).
import { describe, expect, it } from "vitest";
import type { Machine } from "../machine/machine.ts";
import { boot } from "../testing/fixture.ts";
import { loadSandboxedModule } from "./moduleLoader.ts";

async function load(m: Machine, name: string, src: string): Promise<number> {
  const r = await loadSandboxedModule(m, name, src);
  if (!r.ok) throw new Error(`${r.error.kind}: ${r.error.message}`);
  return m.modules.load(r.value);
}

const said = (m: Machine, from: number) =>
  m.log.lines(from).filter((l) => l.startsWith("lp_sb_") && !l.includes("taint"));

const STATE = `
  import { GFP_KERNEL, klp_enable_patch, klp_shadow_alloc, module_param, pr_info,
           shadow_read_u32, shadow_write_u32 } from "linux";
  export default {
    livepatch: true,
    params: [{ name: "block", type: "bool", value: false }],
    init: () => klp_enable_patch({
      objs: [{ name: null, funcs: [] }],
      states: [{ id: 5, is_shadow: true, block_disable: module_param("block") === true,
        callbacks: {
          pre_patch: (p, s) => {
            pr_info("pre %s %d %d\\n", p.name, s.id, Number(s.is_shadow));
            shadow_write_u32(klp_shadow_alloc(0, s.id, 4, GFP_KERNEL), 0, 42);
            return 0;
          },
          post_unpatch: (_p, s) => pr_info("post_unpatch %d\\n", s.id),
          shadow_dtor: (_o, d) => pr_info("dtor %d\\n", shadow_read_u32(d, 0)),
        } }],
    }),
  };`;

describe("the linux API: the proposed series' states", () => {
  it("calls per-state callbacks and frees an is_shadow state's variables with its dtor", async () => {
    const m = await boot({ semantics: "proposed" });
    const from = m.log.length;
    expect(await load(m, "lp_sb_state", STATE)).toBe(0);
    m.sleep(2e9);
    m.host().writeFile("/sys/kernel/livepatch/lp_sb_state/enabled", "0", false);
    m.sleep(2e9);
    expect(said(m, from)).toEqual([
      "lp_sb_state: pre lp_sb_state 5 1",
      "lp_sb_state: post_unpatch 5",
      "lp_sb_state: dtor 42",
    ]);
  });

  it("keeps block_disable: the disable is refused", async () => {
    const m = await boot({ semantics: "proposed" });
    expect(await load(m, "lp_sb_state", STATE.replace("value: false", "value: true"))).toBe(0);
    m.sleep(2e9);
    expect(m.host().writeFile("/sys/kernel/livepatch/lp_sb_state/enabled", "0", false)).toBe(-22);
    expect(m.log.lines().at(-1)).toBe(
      "livepatch: The livepatch 'lp_sb_state' does not support disable",
    );
  });
});

const DOORS = `
  import { INIT_WORK, call_ptr, complete, container_of, flush_work, func_ptr, init_completion,
           msleep, pr_info, schedule_work, wait_for_completion } from "linux";
  const started = init_completion();
  let open = false;
  let work = 0;
  function* lp_sb_wait() { complete(started); while (!open) yield msleep(20); return 7; }
  function* lp_sb_func(w: number) {
    const r = yield call_ptr(container_of<{ wait: number }>(w)!.wait);
    pr_info("old %d\\n", r);
    return 0;
  }
  export default {
    params: [{ name: "doors", type: "bool", perm: 0o600, value: false,
      set: (v: boolean) => {
        if (v) { work ||= INIT_WORK(lp_sb_func, { wait: func_ptr(lp_sb_wait) });
                 schedule_work(work); wait_for_completion(started); pr_info("blocked\\n"); }
        else { open = true; flush_work(work); }
        return 0;
      },
      get: () => "shown\\n" }],
    functions: [{ name: "lp_sb_wait", body: lp_sb_wait }, { name: "lp_sb_func", body: lp_sb_func }],
  };`;

const DOORS_FIX = `
  import { call_ptr, container_of, klp_enable_patch, pr_info } from "linux";
  function* lp_sb_func2(w: number) {
    const r = yield call_ptr(container_of<{ wait: number }>(w)!.wait);
    pr_info("new %d\\n", r);
    return 0;
  }
  export default {
    livepatch: true,
    functions: [{ name: "lp_sb_func2", body: lp_sb_func2 }],
    init: () => klp_enable_patch({ objs: [{ name: "lp_sb_doors",
      funcs: [{ old_name: "lp_sb_func", new_func: lp_sb_func2 }] }] }),
  };`;

describe("the linux API: parameter hooks, completions, container_of and call_ptr", () => {
  it("runs a patched work function that calls the target's function pointer", async () => {
    const m = await boot();
    const from = m.log.length;
    expect(await load(m, "lp_sb_doors", DOORS)).toBe(0);
    expect(await load(m, "lp_sb_doors_fix", DOORS_FIX)).toBe(0);
    m.sleep(2e9);
    const param = "/sys/module/lp_sb_doors/parameters/doors";
    expect(m.host().readFile(param)).toBe("shown\n");
    // The set hook returns once the worker has started waiting (the completion).
    expect(m.host().writeFile(param, "1", false)).toBeGreaterThanOrEqual(0);
    expect(said(m, from)).toEqual(["lp_sb_doors: blocked"]);
    m.host().writeFile(param, "0", false);
    expect(said(m, from)).toEqual(["lp_sb_doors: blocked", "lp_sb_doors_fix: new 7"]);
  });
});
