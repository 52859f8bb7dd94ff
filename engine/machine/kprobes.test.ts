// kprobes.test.ts: probe points beside livepatch on both arches. arm64: the BRK the core's text
// holds at func+0 (brk #0x4) before, during and after a livepatch moves the site at func+4, and
// the mov x9, x30 it replaced back on unregister and on the debugfs switch. Both arches: two
// kprobes on one function are one point (armed once), every handler runs newest first, the last
// unregister disarms, and re-registering a struct is refused. The expected words are encoded here
// (testing/encode.ts), not by the engine.
import { describe, expect, it } from "vitest";
import { hexBytes, TextSymbol } from "../../core-wasm/bindings/text.ts";
import { ARM64_NOP, le32, X86_NOP5, x86Call } from "../testing/encode.ts";
import { boot, lpModule } from "../testing/fixture.ts";
import { machineEntrySite } from "./entry-site.ts";
import { ftraceOf } from "./ftrace.ts";
import { type KprobeStruct, kprobesOf } from "./kprobes.ts";
import type { Machine } from "./machine.ts";

const SEC = 1e9;
/** BRK #imm16 = 0xd4200000 | imm16 << 5, KPROBES_BRK_IMM = 4 (arch/arm64/include/asm/brk-imm.h). */
const BRK_KPROBES = le32(0xd4200000 | (4 << 5));
/** mov x9, x30 (orr x9, xzr, x30). */
const MOV_X9_X30 = le32(0xaa1e03e9);

/** A kprobe on cmdline_proc_show whose handlers append to `calls`. */
function probe(id: string, calls: string[], post = false, preRet = 0): KprobeStruct {
  return {
    id,
    owner: "kp_test",
    symbol: "cmdline_proc_show",
    pre: () => (calls.push(`${id}:pre`), preRet),
    post: post ? () => void calls.push(`${id}:post`) : null,
  };
}

async function machine(arch: "x86_64" | "arm64") {
  const m = await boot({ arch });
  ftraceOf(m);
  const fn = m.fn("cmdline_proc_show");
  const { text } = m.core;
  const word = (addr: number) => hexBytes(text.bytes(addr, 4) as Uint8Array);
  /** func+0 and rec->ip (func+4 on arm64). */
  const first = () => word(text.funcAddr(fn));
  const site = () => hexBytes(text.siteBytes(fn) as Uint8Array);
  const read = () => m.host().readFile("/proc/cmdline");
  return { m, fn, text, first, site, read };
}

function load(m: Machine, name: string): void {
  expect(m.modules.load(lpModule(name))).toBe(0);
  m.sleep(2 * SEC);
}

function unload(m: Machine, name: string): void {
  m.vfs.writeFile(`/sys/kernel/livepatch/${name}/enabled`, "0\n");
  m.sleep(2 * SEC);
  expect(m.modules.unload(name)).toBe(0);
}

const logSince = (m: Machine, from: number) => m.log.lines(from);

describe("arm64: a kprobe is brk #0x4 at the function's first instruction", () => {
  it("replaces mov x9, x30 at func+0, leaves rec->ip to ftrace, and comes back on unregister", async () => {
    const { m, fn, text, first, site, read } = await machine("arm64");
    expect(first()).toBe(MOV_X9_X30);
    const calls: string[] = [];
    const kp = probe("a", calls, true);
    expect(kprobesOf(m).register(kp)).toBe(0);
    expect(first()).toBe(BRK_KPROBES);
    expect(site()).toBe(ARM64_NOP);
    expect(text.siteState(fn)).toBe(2);
    const v = machineEntrySite(m, fn);
    if (!v.ok) throw new Error(v.error);
    expect(v.value.insns.map((i) => i.text)).toEqual([
      expect.stringMatching(/^\.quad /),
      "brk #0x4",
      "nop",
    ]);
    read();
    expect(calls).toEqual(["a:pre", "a:post"]);

    // A livepatch moves rec->ip (nop -> bl ftrace_caller) and back; func+0 keeps the BRK.
    load(m, "lp_kp");
    expect(first()).toBe(BRK_KPROBES);
    expect(site()).not.toBe(ARM64_NOP);
    expect(text.exec(fn)).toBe(text.symbol(TextSymbol.ftraceCaller));
    expect(read()).toBe("lp_kp: cmdline_proc_show\n");
    expect(calls).toEqual(["a:pre", "a:post", "a:pre", "a:post"]);
    unload(m, "lp_kp");
    expect(first()).toBe(BRK_KPROBES);
    expect(site()).toBe(ARM64_NOP);

    kprobesOf(m).unregister(kp);
    expect(first()).toBe(MOV_X9_X30);
    read();
    expect(calls).toHaveLength(4);
  });

  it("unregistered while a livepatch holds the site: mov x9, x30 back, bl left alone", async () => {
    const { m, first, site } = await machine("arm64");
    load(m, "lp_kp");
    const bl = site();
    const kp = probe("a", []);
    expect(kprobesOf(m).register(kp)).toBe(0);
    expect(first()).toBe(BRK_KPROBES);
    expect(site()).toBe(bl);
    kprobesOf(m).unregister(kp);
    expect(first()).toBe(MOV_X9_X30);
    expect(site()).toBe(bl);
  });

  it("debugfs kprobes/enabled disarms and re-arms every point", async () => {
    const { m, first, read } = await machine("arm64");
    const calls: string[] = [];
    expect(kprobesOf(m).register(probe("a", calls))).toBe(0);
    const from = m.log.length;
    expect(m.vfs.writeFile("/sys/kernel/debug/kprobes/enabled", "0\n")).toBe(0);
    expect(first()).toBe(MOV_X9_X30);
    expect(m.vfs.readFile("/sys/kernel/debug/kprobes/enabled")).toBe("0\n");
    read();
    expect(calls).toEqual([]);
    // Registered while all are disarmed: in the table, not in the text.
    const b = probe("b", calls);
    expect(kprobesOf(m).register(b)).toBe(0);
    expect(first()).toBe(MOV_X9_X30);
    expect(m.vfs.writeFile("/sys/kernel/debug/kprobes/enabled", "1\n")).toBe(0);
    expect(first()).toBe(BRK_KPROBES);
    read();
    expect(calls).toEqual(["b:pre", "a:pre"]);
    expect(logSince(m, from)).toEqual([
      "kprobes: Kprobes globally disabled",
      "kprobes: Kprobes globally enabled",
    ]);
  });
});

describe("two kprobes on one function are one probe point", () => {
  for (const arch of ["arm64", "x86_64"] as const) {
    it(`${arch}: armed once, handlers newest first, the last unregister disarms`, async () => {
      const { m, first, site, read } = await machine(arch);
      const before = arch === "arm64" ? first() : site();
      const armed = () => (arch === "arm64" ? first() : site());
      const calls: string[] = [];
      const a = probe("a", calls, true);
      const b = probe("b", calls, true);
      expect(kprobesOf(m).register(a)).toBe(0);
      const once = armed();
      expect(kprobesOf(m).register(b)).toBe(0);
      expect(armed()).toBe(once);
      expect(kprobesOf(m).table.size).toBe(1);
      if (arch === "x86_64") expect(ftraceOf(m).kprobeTramps()).toHaveLength(1);
      read();
      expect(calls).toEqual(["b:pre", "a:pre", "b:post", "a:post"]);
      kprobesOf(m).unregister(b);
      expect(armed()).toBe(once);
      calls.length = 0;
      read();
      expect(calls).toEqual(["a:pre", "a:post"]);
      kprobesOf(m).unregister(a);
      expect(armed()).toBe(before);
      expect(kprobesOf(m).table.size).toBe(0);
      if (arch === "x86_64") expect(ftraceOf(m).kprobeTramps()).toEqual([]);
    });
  }

  it("a pre handler returning nonzero stops the walk and skips every post handler", async () => {
    const { m, read } = await machine("arm64");
    const calls: string[] = [];
    expect(kprobesOf(m).register(probe("a", calls, true))).toBe(0);
    expect(kprobesOf(m).register(probe("b", calls, false, 1))).toBe(0);
    read();
    expect(calls).toEqual(["b:pre"]);
  });

  it("re-registering the same struct: WARN_ON_ONCE and -EINVAL, the point unchanged", async () => {
    const { m, read } = await machine("x86_64");
    const calls: string[] = [];
    const a = probe("a", calls);
    expect(kprobesOf(m).register(a)).toBe(0);
    const from = m.log.length;
    expect(kprobesOf(m).register(a)).toBe(-22);
    expect(kprobesOf(m).register(a)).toBe(-22);
    const log = logSince(m, from);
    expect(log.filter((l) => l.startsWith("WARNING: CPU:"))).toHaveLength(1);
    expect(log.find((l) => l.startsWith("WARNING:"))).toMatch(
      /kernel\/kprobes\.c:\d+ register_kprobe/,
    );
    read();
    expect(calls).toEqual(["a:pre"]);
  });

  it("x86-64: ftrace disabled leaves the site a NOP and the probe silent", async () => {
    const { m, site, read } = await machine("x86_64");
    const calls: string[] = [];
    expect(kprobesOf(m).register(probe("a", calls))).toBe(0);
    expect(ftraceOf(m).setEnabled(false)).toBe(0);
    expect(site()).toBe(X86_NOP5);
    read();
    expect(calls).toEqual([]);
    expect(ftraceOf(m).setEnabled(true)).toBe(0);
    read();
    expect(calls).toEqual(["a:pre"]);
  });
});

describe("x86-64: a post handler joining a point armed without one", () => {
  it("stays on kprobe_ftrace_ops (a livepatch still loads); its last unregister fails to disarm", async () => {
    const { m, fn, text, site, read } = await machine("x86_64");
    const calls: string[] = [];
    const a = probe("a", calls);
    const b = probe("b", calls, true);
    expect(kprobesOf(m).register(a)).toBe(0);
    const [tramp] = ftraceOf(m).kprobeTramps();
    expect(kprobesOf(m).register(b)).toBe(0);
    // Not re-armed: still kprobe_ftrace_ops' trampoline, and no IPMODIFY slot taken.
    expect(site()).toBe(x86Call(text.siteAddr(fn), tramp!));
    read();
    expect(calls).toEqual(["b:pre", "a:pre", "b:post"]);
    load(m, "lp_kp");
    expect(read()).toBe("lp_kp: cmdline_proc_show\n");
    unload(m, "lp_kp");
    kprobesOf(m).unregister(a);
    const from = m.log.length;
    kprobesOf(m).unregister(b);
    // disarm_kprobe_ftrace picks kprobe_ipmodify_ops by the post handler: not in its filter.
    const log = logSince(m, from);
    expect(log).toContain(
      `Failed to disarm kprobe-ftrace at cmdline_proc_show+0x0/0x${text.funcSize(fn).toString(16)} (-2)`,
    );
    expect(kprobesOf(m).table.size).toBe(1);
    expect(site()).toBe(x86Call(text.siteAddr(fn), tramp!));
    calls.length = 0;
    read();
    expect(calls).toEqual(["b:pre", "b:post"]);
  });
});
