import { describe, expect, it } from "vitest";
import { msleep } from "./kcode.ts";
import { boot, stallModule, lpModule } from "../testing/fixture.ts";

const SEC = 1e9;

describe("a fresh machine", () => {
  it("boots with idle tasks, init, kthreadd, kworkers and a shell", async () => {
    const m = await boot();
    expect(m.tasks.all().map((t) => [t.pid, t.comm, t.kind])).toEqual([
      [0, "swapper/0", "idle"],
      [0, "swapper/1", "idle"],
      [1, "systemd", "user"],
      [2, "kthreadd", "kthread"],
      [3, "kworker/0:0", "kthread"],
      [4, "kworker/1:0", "kthread"],
      [5, "bash", "user"],
    ]);
    const kw = m.tasks.get(3)!;
    expect(kw.fns.map((f) => m.names.get(f))).toEqual(["worker_thread", "schedule"]);
    expect(m.vfs.readFile("/proc/5/patch_state")).toBe("-1\n");
    expect(m.log.length).toBe(0);
  });

  it("runs sleeping kernel code on the virtual clock", async () => {
    const m = await boot();
    const t = m.tasks.create("lp_sleeper", "kthread", 1, null);
    const seen: number[] = [];
    m.tasks.start(
      t,
      (function* () {
        for (let i = 0; i < 3; i++) {
          yield* m.call(t, m.fn("msleep"), msleep(250));
          seen.push(m.clock.nowNs());
        }
      })(),
    );
    expect(t.fns.map((f) => m.names.get(f))).toEqual(["msleep", "schedule_timeout", "schedule"]);
    m.sleep(SEC);
    expect(seen).toEqual([0.25 * SEC, 0.5 * SEC, 0.75 * SEC]);
    expect(t.state).toBe("dead");
  });

  it("fork copies patch_state and the pending flag (klp_copy_process)", async () => {
    const m = await boot();
    m.modules.load(stallModule("lp_busy"));
    const sh = m.tasks.get(5)!;
    m.modules.load(
      lpModule("lp_fix", { sleepMs: 1000, objs: [{ name: "lp_busy", funcs: ["lp_busy_work"] }] }),
    );
    expect(m.core.tasks.patchState(sh.coreId)).toBe(1);
    const child = m.tasks.fork(sh, "cat");
    expect(m.core.tasks.patchState(child.coreId)).toBe(1);
    expect(m.core.tasks.pending(child.coreId)).toBe(0);
    const busy = m.tasks.all().find((t) => t.comm === "lp_busy")!;
    const kid = m.tasks.fork(busy, "lp_kid");
    expect(m.core.tasks.patchState(kid.coreId)).toBe(0);
    expect(m.core.tasks.pending(kid.coreId)).toBe(1);
    // A user task switches on its way back to user space.
    m.tasks.returnToUser(kid);
    expect(m.core.tasks.patchState(kid.coreId)).toBe(1);
    expect(
      m.events.since().some((e) => e.kind === "task-switch" && e.reason === "user-return"),
    ).toBe(true);
  });

  it("orders timers due at the same time by when they were scheduled", async () => {
    const m = await boot();
    const order: string[] = [];
    m.sched.at(SEC, () => order.push("a"));
    m.sched.at(SEC / 2, () => order.push("b"));
    m.sched.at(SEC, () => order.push("c"));
    m.sleep(2 * SEC);
    expect(order).toEqual(["b", "a", "c"]);
  });

  it("works the same on arm64", async () => {
    const m = await boot({ arch: "arm64" });
    expect(m.vmlinux.byName.has("__arm64_sys_getpid")).toBe(true);
    expect(m.modules.load(lpModule("lp_demo"))).toBe(0);
    expect(m.vfs.readFile("/proc/cmdline")).toBe("lp_demo: cmdline_proc_show\n");
    expect(m.events.since().filter((e) => e.kind === "site").length).toBeGreaterThan(0);
  });
});

describe("determinism", () => {
  async function run(seed: number) {
    const m = await boot({ seed });
    m.modules.load(stallModule("lp_busy"));
    m.modules.load(
      lpModule("lp_fix", { sleepMs: 1000, objs: [{ name: "lp_busy", funcs: ["lp_busy_work"] }] }),
    );
    m.sleep(17 * SEC);
    m.vfs.writeFile("/sys/kernel/livepatch/lp_fix/enabled", "0\n");
    m.sleep(2 * SEC);
    const ref = m.klp.shadow.alloc(0x1000, 7, 8);
    m.klp.shadow.alloc(0x1000, 7, 8);
    m.klp.shadow.free(0x1000, 7);
    return { log: m.log.dmesg(), events: JSON.stringify(m.events.since()), ref };
  }

  it("two runs with the same seed give the same log and events", async () => {
    const a = await run(42);
    const b = await run(42);
    expect(a.log).toEqual(b.log);
    expect(a.events).toEqual(b.events);
    expect(a.log.some((l) => l.includes("Duplicate shadow variable"))).toBe(true);
  });
});

describe("the shell host's file calls", () => {
  it("read through a child of the shell, which inherits its state", async () => {
    const m = await boot();
    const h = m.host();
    expect(h.shellPid).toBe(5);
    m.modules.load(lpModule("lp_demo"));
    expect(h.readFile("/proc/cmdline")).toBe("lp_demo: cmdline_proc_show\n");
    expect(m.tasks.all().some((t) => t.comm === "cat")).toBe(false);
    expect(h.writeFile("/sys/kernel/livepatch/lp_demo/enabled", "0\n", false)).toBe(0);
    h.kmsg("% echo done");
    expect(m.log.lines().at(-1)).toBe("% echo done");
  });
});

describe("module unload", () => {
  it("stops the module's kthread before its text goes", async () => {
    const m = await boot();
    m.modules.load(stallModule("lp_busy"));
    const t = m.tasks.all().find((x) => x.comm === "lp_busy")!;
    expect(m.modules.unload("lp_busy")).toBe(0);
    expect(t.state).toBe("dead");
    expect(m.core.tasks.live(t.coreId)).toBe(false);
    expect(m.log.lines().slice(-2)).toEqual(["lp_busy: lp_busy_init", "lp_busy: lp_busy_exit"]);
  });
});

describe("module load arguments", () => {
  it("ignores unknown parameters with a warning and refuses bad values", async () => {
    const m = await boot();
    const def = (name: string) => ({
      name,
      params: [{ name: "n", type: "int" as const, perm: 0o644, value: 0 }],
      init: () => 1,
    });
    expect(m.modules.load(def("lp_a"), ["zz=1"])).toBe(0);
    expect(m.modules.load(def("lp_b"), ["n=abc"])).toBe(-22);
    const lines = m.log.lines().filter((l) => !l.includes("taint"));
    expect(lines.slice(0, 5)).toEqual([
      "lp_a: unknown parameter 'zz' ignored",
      "do_init_module: 'lp_a'->init suspiciously returned 1, it should follow 0/-E convention",
      "do_init_module: loading module anyway...",
      // do_init_module's dump_stack() (regression: it was missing)
      expect.stringMatching(/^CPU: \d+ UID: 0 PID: \d+ Comm: \S+ Tainted: G .*6\.16\.0-klp #1 /),
      "Call Trace:",
    ]);
    expect(lines.slice(5)).toEqual([
      " <TASK>",
      " dump_stack_lvl+0x5d/0x80",
      " do_init_module+0x1c/0x40",
      " load_module+0x1c/0x40",
      " init_module_from_file+0x1c/0x40",
      " idempotent_init_module+0x1c/0x40",
      " __x64_sys_finit_module+0x1c/0x40",
      " do_syscall_64+0x1c/0x40",
      " entry_SYSCALL_64_after_hwframe+0x1c/0x40",
      " </TASK>",
      "lp_b: `abc' invalid for parameter `n'",
    ]);
    expect(m.modules.get("lp_b")).toBeUndefined();
  });

  it("arm64's dump_stack after a suspicious init is arm64's call trace", async () => {
    const m = await boot({ arch: "arm64" });
    m.modules.load({ name: "lp_a", init: () => 2 });
    const lines = m.log.lines();
    const at = lines.indexOf("Call trace:");
    expect(lines[at - 1]).toMatch(/^CPU: \d+ UID: 0 PID: \d+ Comm: /);
    expect(lines.slice(at + 1, at + 6)).toEqual([
      " show_stack+0x18/0x24 (C)",
      " dump_stack_lvl+0x60/0x80",
      " dump_stack+0x18/0x24",
      " do_init_module+0x1c/0x40",
      " load_module+0x1c/0x40",
    ]);
    expect(lines.at(-1)).toBe(" el0t_64_sync+0x1c/0x40");
  });
});

describe("Machine.dispose", () => {
  it("releases every loaded module's sandbox once, silently", async () => {
    const m = await boot();
    const released: string[] = [];
    for (const name of ["mod_a", "mod_b"])
      expect(m.modules.load({ name, release: () => released.push(name) })).toBe(0);
    const logged = m.log.lines().length;
    const events = m.events.since(0).length;
    m.dispose();
    expect(released.sort()).toEqual(["mod_a", "mod_b"]);
    m.dispose(); // nothing is released twice
    expect(released).toHaveLength(2);
    expect(m.log.lines()).toHaveLength(logged);
    expect(m.events.since(0)).toHaveLength(events);
  });
});
