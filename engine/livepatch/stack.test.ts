import { describe, expect, it } from "vitest";
import { SiteState } from "../../core-wasm/bindings/index.ts";
import type { ModuleDef } from "../machine/module.ts";
import { boot, stallModule, klpLines, lpModule } from "../testing/fixture.ts";
import { klpGetPrevState } from "./state.ts";

const SEC = 1e9;
const ORIGINAL = "BOOT_IMAGE=/boot/vmlinuz-6.16.0-klp root=/dev/vda1 ro console=ttyS0\n";
const lp = (p: string, f: string) => `/sys/kernel/livepatch/${p}/${f}`;

describe("stacked patches", () => {
  it("the newest wins and stack_order tells the precedence", async () => {
    const m = await boot();
    m.modules.load(lpModule("lp_a", { text: "A\n" }));
    m.modules.load(lpModule("lp_b", { text: "B\n" }));
    expect(m.vfs.readFile("/proc/cmdline")).toBe("B\n");
    expect(m.vfs.readFile(lp("lp_a", "stack_order"))).toBe("1\n");
    expect(m.vfs.readFile(lp("lp_b", "stack_order"))).toBe("2\n");
    // Disabling the older one changes nothing visible: the newer head keeps winning.
    expect(m.vfs.writeFile(lp("lp_a", "enabled"), "0\n")).toBe(0);
    expect(m.vfs.readFile("/proc/cmdline")).toBe("B\n");
    expect(m.vfs.readFile(lp("lp_b", "stack_order"))).toBe("1\n");
    expect(m.vfs.writeFile(lp("lp_b", "enabled"), "0\n")).toBe(0);
    expect(m.vfs.readFile("/proc/cmdline")).toBe(ORIGINAL);
    expect(m.core.text.siteState(m.fn("cmdline_proc_show"))).toBe(SiteState.nop);
  });

  it("a second patch is refused with -EBUSY while one is in transition", async () => {
    const m = await boot();
    m.modules.load(stallModule("lp_busy"));
    m.modules.load(
      lpModule("lp_fix", { sleepMs: 1000, objs: [{ name: "lp_busy", funcs: ["lp_busy_work"] }] }),
    );
    expect(m.modules.load(lpModule("lp_b"))).toBe(-16);
    expect(m.vfs.exists("/sys/kernel/livepatch/lp_b")).toBe(false);
  });
});

describe("atomic replace", () => {
  it("retires older patches with nops and frees them", async () => {
    const m = await boot();
    m.modules.load(lpModule("lp_a", { text: "A\n" }));
    m.modules.load(lpModule("lp_b", { objs: [{ name: null, funcs: ["meminfo_proc_show"] }] }));
    const from = m.log.length;
    const r = lpModule("lp_r", {
      replace: true,
      objs: [{ name: null, funcs: ["version_proc_show"] }],
    });
    expect(m.modules.load(r)).toBe(0);
    expect(klpLines(m, from)).toEqual([
      "livepatch: enabling patch 'lp_r'",
      "livepatch: 'lp_r': initializing patching transition",
      "livepatch: 'lp_r': starting patching transition",
      "livepatch: 'lp_r': completing patching transition",
      "livepatch: 'lp_r': patching complete",
    ]);
    expect(m.vfs.readFile("/proc/cmdline")).toBe(ORIGINAL);
    expect(m.vfs.readFile("/proc/version")).toBe("lp_r: version_proc_show\n");
    expect(m.vfs.readFile("/proc/meminfo")).toMatch(/^MemTotal/);
    expect(m.vfs.exists("/sys/kernel/livepatch/lp_a")).toBe(false);
    expect(m.vfs.listDir("/sys/kernel/livepatch/lp_r/vmlinux")).toEqual([
      "patched",
      "version_proc_show,1",
    ]);
    expect(m.vfs.readFile(lp("lp_r", "replace"))).toBe("1\n");
    expect(m.core.text.siteState(m.fn("cmdline_proc_show"))).toBe(SiteState.nop);
    expect(m.modules.unload("lp_a")).toBe(0);
    expect(m.modules.unload("lp_b")).toBe(0);
  });

  it("shows its nops while the transition runs", async () => {
    const m = await boot();
    m.modules.load(stallModule("lp_busy"));
    m.modules.load(
      lpModule("lp_a", { sleepMs: 1000, objs: [{ name: "lp_busy", funcs: ["lp_busy_work"] }] }),
    );
    m.vfs.writeFile(lp("lp_a", "force"), "1\n");
    m.sleep(2 * SEC);
    m.modules.load(lpModule("lp_r", { replace: true, objs: [] }));
    expect(m.vfs.readFile(lp("lp_r", "transition"))).toBe("1\n");
    expect(m.vfs.listDir("/sys/kernel/livepatch/lp_r/lp_busy")).toEqual([
      "lp_busy_work,1",
      "patched",
    ]);
    // A forced replace pins every replaced patch's module.
    m.vfs.writeFile(lp("lp_r", "force"), "1\n");
    m.sleep(2 * SEC);
    expect(m.vfs.exists("/sys/kernel/livepatch/lp_a")).toBe(false);
    expect(m.vfs.exists("/sys/kernel/livepatch/lp_r/lp_busy")).toBe(false);
    expect(m.modules.unload("lp_a")).toBe(-11);
  });

  it("an empty replace patch reverts everything", async () => {
    const m = await boot();
    m.modules.load(lpModule("lp_a", { text: "A\n" }));
    m.modules.load(lpModule("lp_r", { replace: true, objs: [] }));
    expect(m.vfs.readFile("/proc/cmdline")).toBe(ORIGINAL);
    expect(m.core.text.siteState(m.fn("cmdline_proc_show"))).toBe(SiteState.nop);
    expect(m.vfs.readFile(lp("lp_r", "enabled"))).toBe("1\n");
  });

  it("refuses a replace patch dropping a state or lowering its version (mainline)", async () => {
    const m = await boot();
    m.modules.load(lpModule("lp_s2", { replace: true, states: [{ id: 1, version: 2 }] }));
    const from = m.log.length;
    expect(
      m.modules.load(lpModule("lp_s1", { replace: true, states: [{ id: 1, version: 1 }] })),
    ).toBe(-22);
    expect(m.modules.load(lpModule("lp_s0", { replace: true }))).toBe(-22);
    expect(klpLines(m, from)).toEqual([
      "livepatch: Livepatch patch (lp_s1) is not compatible with the already installed livepatches.",
      "livepatch: Livepatch patch (lp_s0) is not compatible with the already installed livepatches.",
    ]);
    expect(m.modules.load(lpModule("lp_s3", { states: [{ id: 2, version: 1 }] }))).toBe(0);
  });
});

describe("klp_get_state and klp_get_prev_state", () => {
  it("find the newest older state during the transition, and WARN outside one", async () => {
    const m = await boot();
    m.modules.load(lpModule("lp_s1", { states: [{ id: 5, version: 1, data: "one" }] }));
    const seen: unknown[] = [];
    const s2: ModuleDef = {
      name: "lp_s2",
      livepatch: true,
      init: (ctx) =>
        ctx.klpEnablePatch({
          objs: [
            {
              name: null,
              funcs: [],
              callbacks: {
                // A cumulative patch taking over reads the older state from its pre_patch.
                pre_patch: () => {
                  seen.push(ctx.klpGetPrevState(5)?.data, ctx.klpGetState(5)?.version);
                  return 0;
                },
              },
            },
          ],
          states: [{ id: 5, version: 2, data: "two" }],
          replace: true,
        }),
    };
    expect(m.modules.load(s2)).toBe(0);
    expect(seen).toEqual(["one", 2]);
    expect(m.klp.transitionPatch).toBeNull();
    const before = m.log.length;
    expect(klpGetPrevState(m.klp, 5)).toBeNull();
    expect(m.log.lines(before)[0]).toBe("------------[ cut here ]------------");
  });
});
