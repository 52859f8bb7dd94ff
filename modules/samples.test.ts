// samples.test.ts: the samples/livepatch modules through the shell: livepatch-sample changes
// /proc/cmdline, and the callbacks demo's transition waits for the busy module's sleeping work.
import { describe, expect, it } from "vitest";
import { coreBytes } from "../core-wasm/tests/loadCore.ts";
import { bootPlayground } from "./playground.ts";

describe("samples/livepatch", () => {
  it("livepatch-sample patches and unpatches /proc/cmdline", async () => {
    const { sh } = await bootPlayground({ core: await coreBytes(), arch: "arm64" });
    const before = sh.run("cat /proc/cmdline").stdout;
    expect(sh.run("insmod livepatch-sample.ko; cat /proc/cmdline").stdout).toBe(
      "this has been live patched\n",
    );
    sh.run("echo 0 > /sys/kernel/livepatch/livepatch_sample/enabled; rmmod livepatch_sample");
    expect(sh.run("cat /proc/cmdline").stdout).toBe(before);
  });

  it("the callbacks demo completes only after busymod's work has left busymod_work_func", async () => {
    const { sh, m } = await bootPlayground({ core: await coreBytes() });
    const from = m.log.length;
    sh.run("insmod livepatch-callbacks-busymod.ko sleep_secs=5");
    sh.run("insmod livepatch-callbacks-demo.ko");
    const transition = "cat /sys/kernel/livepatch/livepatch_callbacks_demo/transition";
    expect(sh.run(transition).stdout).toBe("1\n");
    sh.run("sleep 6");
    expect(sh.run(transition).stdout).toBe("0\n");
    const log = m.log.lines(from).filter((l) => !l.includes("taint"));
    expect(log.slice(0, 2)).toEqual([
      "livepatch_callbacks_busymod: livepatch_callbacks_mod_init",
      "livepatch_callbacks_busymod: busymod_work_func, sleeping 5 seconds ...",
    ]);
    const exit = log.indexOf("livepatch_callbacks_busymod: busymod_work_func exit");
    const completing = log.indexOf(
      "livepatch: 'livepatch_callbacks_demo': completing patching transition",
    );
    expect(exit).toBeGreaterThan(
      log.indexOf("livepatch: 'livepatch_callbacks_demo': starting patching transition"),
    );
    expect(completing).toBe(exit + 1);
  });

  it("the shadow fixes: leaks of old dummies reported, new ones prevented, checks counted", async () => {
    const { sh, m } = await bootPlayground({ core: await coreBytes() });
    sh.run("insmod livepatch-shadow-mod.ko; sleep 2; insmod livepatch-shadow-fix1.ko; sleep 16");
    const log = m.log.lines();
    const dummy = (re: RegExp) =>
      log.flatMap((l) => {
        const x = re.exec(l);
        return x ? [x[1]!] : [];
      });
    const old = dummy(/livepatch_shadow_mod: dummy_alloc: dummy @ (\w+),/);
    const fixed = dummy(/livepatch_fix1_dummy_alloc: dummy @ (\w+),/);
    expect(old.length).toBe(2);
    expect(dummy(/livepatch_fix1_dummy_free: dummy @ (\w+) leaked!/)).toEqual([...old].reverse());
    expect(dummy(/livepatch_fix1_dummy_leak_dtor: dummy @ (\w+), prevented/)).toEqual(
      fixed.slice(0, 3).reverse(),
    );
    sh.run("insmod livepatch-shadow-fix2.ko; sleep 7");
    expect(m.log.lines().filter((l) => l.endsWith("check counter = 2")).length).toBe(3);
  });
});
