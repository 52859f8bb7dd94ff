import { describe, expect, it } from "vitest";
import { boot, lpModule } from "../testing/fixture.ts";

const CMDLINE = "BOOT_IMAGE=/boot/vmlinuz-6.16.0-klp root=/dev/vda1 ro console=ttyS0\n";

describe("enable and disable a patch on cmdline_proc_show", () => {
  it("prints the kernel's line sequence and runs the new code", async () => {
    const m = await boot();
    expect(m.vfs.readFile("/proc/cmdline")).toBe(CMDLINE);
    const from = m.log.length;
    expect(m.modules.load(lpModule("lp_demo"))).toBe(0);
    expect(m.vfs.readFile("/proc/cmdline")).toBe("lp_demo: cmdline_proc_show\n");
    expect(m.vfs.writeFile("/sys/kernel/livepatch/lp_demo/enabled", "0\n")).toBe(0);
    expect(m.vfs.readFile("/proc/cmdline")).toBe(CMDLINE);
    expect(m.modules.unload("lp_demo")).toBe(0);
    expect(m.log.lines(from)).toEqual([
      "lp_demo: loading out-of-tree module taints kernel.",
      "lp_demo: tainting kernel with TAINT_LIVEPATCH",
      "livepatch: enabling patch 'lp_demo'",
      "livepatch: 'lp_demo': initializing patching transition",
      "livepatch: 'lp_demo': starting patching transition",
      "livepatch: 'lp_demo': completing patching transition",
      "livepatch: 'lp_demo': patching complete",
      "livepatch: 'lp_demo': initializing unpatching transition",
      "livepatch: 'lp_demo': starting unpatching transition",
      "livepatch: 'lp_demo': completing unpatching transition",
      "livepatch: 'lp_demo': unpatching complete",
    ]);
    expect(m.vfs.exists("/sys/kernel/livepatch/lp_demo")).toBe(false);
  });

  it("patches the entry site through the int3 protocol and restores the NOP", async () => {
    const m = await boot();
    m.modules.load(lpModule("lp_demo"));
    const steps = m.events
      .since()
      .filter((e) => e.kind === "site" && e.func === "cmdline_proc_show");
    expect(steps.map((e) => (e.kind === "site" ? e.step : 0))).toEqual([1, 2, 3, 4, 5, 6]);
    const last = steps.at(-1)!;
    expect(last.kind === "site" && last.bytes.startsWith("e8")).toBe(true);
    m.vfs.writeFile("/sys/kernel/livepatch/lp_demo/enabled", "0\n");
    const after = m.events
      .since()
      .filter((e) => e.kind === "site")
      .at(-1)!;
    expect(after.kind === "site" && after.bytes).toBe("0f 1f 44 00 00");
    expect(m.core.text.trampCount()).toBe(0);
  });
});
