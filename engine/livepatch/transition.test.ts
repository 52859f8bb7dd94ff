import { describe, expect, it } from "vitest";
import type { Machine } from "../machine/machine.ts";
import { boot, stallModule, klpLines, lpModule } from "../testing/fixture.ts";

const SEC = 1e9;
const LP = "/sys/kernel/livepatch/lp_fix";

/** lp_busy's kthread sleeps in lp_busy_work; lp_fix patches that function. */
async function stalled(sleepMs = 1000): Promise<{ m: Machine; from: number; t0: number }> {
  const m = await boot();
  expect(m.modules.load(stallModule("lp_busy"))).toBe(0);
  const from = m.log.length;
  const t0 = m.clock.nowNs();
  const objs = [{ name: "lp_busy", funcs: ["lp_busy_work"] }];
  expect(m.modules.load(lpModule("lp_fix", { objs, sleepMs }))).toBe(0);
  return { m, from, t0 };
}

describe("a stalled transition", () => {
  it("stays in transition while a kthread sleeps in the old function", async () => {
    const { m, from } = await stalled();
    expect(m.vfs.readFile(`${LP}/transition`)).toBe("1\n");
    expect(m.vfs.readFile(`${LP}/enabled`)).toBe("1\n");
    expect(m.vfs.readFile(`${LP}/lp_busy/patched`)).toBe("1\n");
    expect(klpLines(m, from)).toEqual([
      "livepatch: enabling patch 'lp_fix'",
      "livepatch: 'lp_fix': initializing patching transition",
      "livepatch: 'lp_fix': starting patching transition",
    ]);
    const busy = m.tasks.all().find((t) => t.comm === "lp_busy")!;
    expect(m.vfs.readFile(`/proc/${busy.pid}/patch_state`)).toBe("0\n");
    // The shell switched at the first attempt (its stack holds nothing of the patch).
    const sh = m.tasks.all().find((t) => t.comm === "bash")!;
    expect(m.vfs.readFile(`/proc/${sh.pid}/patch_state`)).toBe("1\n");
  });

  it("retries about every second and signals once, at the 16th attempt", async () => {
    const { m, from, t0 } = await stalled();
    const attempts = () =>
      m.events.since().filter((e) => e.kind === "task-blocked" && e.comm === "lp_busy");
    m.sleep(10 * SEC);
    const n10 = attempts().length;
    expect(n10).toBeGreaterThanOrEqual(10);
    expect(n10).toBeLessThanOrEqual(11);
    m.sleep(40 * SEC);
    const sig = m.log.since(from).filter((r) => r.text === "livepatch: signaling remaining tasks");
    expect(sig).toHaveLength(1);
    const at = (sig[0]!.tsNs - t0) / SEC;
    expect(at).toBeGreaterThanOrEqual(14);
    expect(at).toBeLessThanOrEqual(16.5);
    expect(
      m.events.since().filter((e) => e.kind === "transition" && e.phase === "signal"),
    ).toHaveLength(3);
  });

  it("force completes at the next attempt; a forced patching transition pins nothing", async () => {
    const { m, from } = await stalled();
    m.sleep(2 * SEC);
    expect(m.vfs.writeFile(`${LP}/force`, "1\n")).toBe(0);
    expect(m.vfs.readFile(`${LP}/transition`)).toBe("1\n");
    m.sleep(2 * SEC);
    expect(m.vfs.readFile(`${LP}/transition`)).toBe("0\n");
    expect(klpLines(m, from).slice(3)).toEqual([
      "livepatch: forcing remaining tasks to the patched state",
      "livepatch: 'lp_fix': completing patching transition",
      "livepatch: 'lp_fix': patching complete",
    ]);
    expect(m.modules.unload("lp_fix")).toBeLessThan(0);
    expect(m.vfs.writeFile(`${LP}/enabled`, "0\n")).toBe(0);
    // The kthread sleeps in the replacement now; let it leave its loop so unpatching completes.
    expect(m.vfs.writeFile("/sys/module/lp_busy/parameters/block", "N\n")).toBe(0);
    m.sleep(3 * SEC);
    expect(m.modules.unload("lp_fix")).toBe(0);
  });

  it("a forced unpatching transition keeps the module reference forever", async () => {
    const { m } = await stalled(1000);
    m.vfs.writeFile(`${LP}/force`, "1\n");
    m.sleep(3 * SEC);
    expect(m.vfs.readFile(`${LP}/transition`)).toBe("0\n");
    expect(m.vfs.writeFile(`${LP}/enabled`, "0\n")).toBe(0);
    // The kthread now sleeps in the replacement: unpatching stalls until forced.
    m.sleep(3 * SEC);
    expect(m.vfs.readFile(`${LP}/transition`)).toBe("1\n");
    expect(m.vfs.writeFile(`${LP}/force`, "1\n")).toBe(0);
    m.sleep(2 * SEC);
    expect(m.vfs.exists(LP)).toBe(false);
    expect(m.modules.get("lp_fix")?.refcnt).toBe(1);
    expect(m.modules.unload("lp_fix")).toBeLessThan(0);
  });

  it("reverses on a write of 0 and completes at the next attempt", async () => {
    const { m, from } = await stalled();
    expect(m.vfs.writeFile(`${LP}/enabled`, "0\n")).toBe(0);
    expect(m.vfs.readFile(`${LP}/enabled`)).toBe("0\n");
    m.sleep(2 * SEC);
    expect(klpLines(m, from).slice(3)).toEqual([
      "livepatch: 'lp_fix': reversing transition from patching to unpatching",
      "livepatch: 'lp_fix': starting unpatching transition",
      "livepatch: 'lp_fix': completing unpatching transition",
      "livepatch: 'lp_fix': unpatching complete",
    ]);
    expect(m.modules.unload("lp_fix")).toBe(0);
  });

  it("force is refused on a patch not in transition and parses kstrtobool", async () => {
    const { m } = await stalled();
    expect(m.vfs.writeFile(`${LP}/force`, "0\n")).toBe(0);
    expect(m.vfs.writeFile(`${LP}/force`, "x\n")).toBe(-22);
    m.vfs.writeFile(`${LP}/force`, "on\n");
    m.sleep(2 * SEC);
    expect(m.vfs.writeFile(`${LP}/force`, "1\n")).toBe(-22);
  });

  it("prints the per-task lines when switched on", async () => {
    const m = await boot({ debugSwitchTask: true });
    m.modules.load(stallModule("lp_busy"));
    m.modules.load(lpModule("lp_fix", { objs: [{ name: "lp_busy", funcs: ["lp_busy_work"] }] }));
    const busy = m.tasks.all().find((t) => t.comm === "lp_busy")!;
    expect(m.log.lines()).toContain(
      `livepatch: klp_try_switch_task: lp_busy:${busy.pid} is sleeping on function lp_busy_work`,
    );
  });
});

describe("switch points", () => {
  it("a fake signal ends a user task's interruptible sleep; it switches returning to user space", async () => {
    const m = await boot();
    m.modules.load(stallModule("lp_busy"));
    const sh = m.tasks.get(5)!;
    const user = m.tasks.fork(sh, "lp_user");
    // A syscall sleeping interruptibly inside a function the patch replaces.
    m.bodies.set(m.fn("do_wait"), (mm, t) =>
      mm.call(t, mm.fn("msleep_interruptible"), {
        sleepNs: null,
        interruptible: true,
        freezable: false,
      }),
    );
    m.tasks.start(user, m.call(user, m.fn("do_wait")));
    const objs = [
      { name: "lp_busy", funcs: ["lp_busy_work"] },
      { name: null, funcs: ["do_wait"] },
    ];
    m.modules.load(lpModule("lp_fix", { sleepMs: 1000, objs }));
    expect(m.core.tasks.pending(user.coreId)).toBe(1);
    m.sleep(17 * SEC);
    expect(m.core.tasks.patchState(user.coreId)).toBe(1);
    expect(user.fns).toEqual([]);
    const sw = m.events.since().find((e) => e.kind === "task-switch" && e.pid === user.pid);
    expect(sw && sw.kind === "task-switch" && sw.reason).toBe("user-return");
  });

  it("the v6.16+ scheduler hook switches a freezable task as it sleeps", async () => {
    const m = await boot();
    m.modules.load(stallModule("lp_busy"));
    const work = m.modules.get("lp_busy")!.symbols[0]!.id;
    // Alternates between a sleep in the patched function and a freezable sleep elsewhere.
    const k = m.tasks.create("lp_freezer", "kthread", 1, null);
    m.tasks.start(
      k,
      (function* () {
        for (;;) {
          yield* m.call(k, work);
          yield* m.call(k, m.fn("schedule"), {
            sleepNs: 5e8,
            interruptible: true,
            freezable: true,
          });
        }
      })(),
    );
    m.modules.load(
      lpModule("lp_fix", { sleepMs: 1000, objs: [{ name: "lp_busy", funcs: ["lp_busy_work"] }] }),
    );
    expect(m.core.tasks.pending(k.coreId)).toBe(1);
    m.sleep(2 * SEC);
    const sw = m.events.since().find((e) => e.kind === "task-switch" && e.pid === k.pid);
    expect(sw && sw.kind === "task-switch" && sw.reason).toBe("sched-hook");
  });
});
