// kprobe-sites.test.ts: a kprobe on a function's entry as the selftests' test_klp_kprobe puts it,
// and the entry site it leaves. On x86-64 (KPROBES_ON_FTRACE) the kprobe is an ftrace_ops
// (kprobe_ftrace_ops, or kprobe_ipmodify_ops with a post handler; both SAVE_REGS): alone on the
// site it calls the ops' own trampoline, beside a livepatch the shared ftrace_regs_caller, and the
// IPMODIFY one refuses the livepatch. arm64 has no KPROBES_ON_FTRACE: the kprobe is brk #0x4 over
// the function's first instruction (mov x9, x30), the site stays a NOP and the livepatch loads. The expected bytes are encoded here, not by the engine.
import { describe, expect, it } from "vitest";
import { hexBytes, TextSymbol } from "../core-wasm/bindings/text.ts";
import { coreBytes } from "../core-wasm/tests/loadCore.ts";
import { ftraceOf } from "../engine/machine/ftrace.ts";
import {
  ARM64_NOP as A64_NOP,
  le32,
  X86_NOP5 as NOP5,
  x86Call as call,
} from "../engine/testing/encode.ts";
import { bootPlayground } from "./playground.ts";

type Arch = "x86_64" | "arm64";

/** BRK #imm16 = 0xd4200000 | imm16 << 5 with KPROBES_BRK_IMM 4; mov x9, x30 is aa1e03e9. */
const BRK_KPROBES = le32(0xd4200000 | (4 << 5));
const MOV_X9_X30 = le32(0xaa1e03e9);

/** A playground machine (the built-in modules and the selftests' helpers) on `arch`. */
async function playground(arch: Arch) {
  const { m, sh } = await bootPlayground({ core: await coreBytes(), arch });
  /** Runs `cmd`: its exit status (a helper's die ends the script: -1). */
  const run = (cmd: string) => {
    const r = sh.run(cmd);
    return r.exited ? -1 : r.status;
  };
  const fn = m.fn("cmdline_proc_show");
  const site = () => hexBytes(m.core.text.siteBytes(fn) as Uint8Array);
  return { m, run, fn, site };
}

describe("a kprobe on a function's entry", () => {
  it("x86-64: its own trampoline alone; ftrace_regs_caller beside a livepatch; NOP after", async () => {
    const { m, run, fn, site } = await playground("x86_64");
    const { text } = m.core;
    const addr = text.siteAddr(fn);
    expect(run("echo 1 > /sys/kernel/debug/kprobes/enabled")).toBe(0);
    expect(run("load_mod test_klp_kprobe has_post_handler=false")).toBe(0);
    const [tramp] = ftraceOf(m).kprobeTramps();
    expect(tramp).toBeDefined();
    expect(site()).toBe(call(addr, tramp!));
    // kprobe_ftrace_ops is SAVE_REGS: shared with klp's ops the site calls ftrace_regs_caller.
    expect(run("load_lp test_klp_livepatch")).toBe(0);
    expect(site()).toBe(call(addr, text.symbol(TextSymbol.ftraceRegsCaller)));
    expect(run("disable_lp test_klp_livepatch")).toBe(0);
    expect(run("unload_lp test_klp_livepatch")).toBe(0);
    expect(site()).toBe(call(addr, tramp!));
    expect(run("unload_mod test_klp_kprobe")).toBe(0);
    expect(site()).toBe(NOP5);
    expect(ftraceOf(m).kprobeTramps()).toEqual([]);
  });

  it("x86-64: with a post handler (kprobe_ipmodify_ops) the livepatch is refused", async () => {
    const { m, run, fn, site } = await playground("x86_64");
    expect(run("load_mod test_klp_kprobe has_post_handler=true")).toBe(0);
    const [tramp] = ftraceOf(m).kprobeTramps();
    expect(site()).toBe(call(m.core.text.siteAddr(fn), tramp!));
    expect(run("load_failing_mod test_klp_livepatch")).toBe(0);
    expect(site()).toBe(call(m.core.text.siteAddr(fn), tramp!));
    expect(run("unload_mod test_klp_kprobe")).toBe(0);
    expect(site()).toBe(NOP5);
  });

  it("arm64 (no KPROBES_ON_FTRACE): brk #0x4 at func+0, the site stays a NOP, a livepatch loads", async () => {
    const { m, run, fn, site } = await playground("arm64");
    const { text } = m.core;
    const first = () => hexBytes(text.bytes(text.funcAddr(fn), 4) as Uint8Array);
    expect(first()).toBe(MOV_X9_X30);
    expect(run("load_mod test_klp_kprobe has_post_handler=true")).toBe(0);
    expect(first()).toBe(BRK_KPROBES);
    expect(site()).toBe(A64_NOP);
    expect(ftraceOf(m).kprobeTramps()).toEqual([]);
    expect(run("load_lp test_klp_livepatch")).toBe(0);
    expect(m.core.text.siteState(fn)).toBe(3);
    expect(first()).toBe(BRK_KPROBES);
    expect(run("unload_mod test_klp_kprobe")).toBe(0);
    expect(first()).toBe(MOV_X9_X30);
    expect(m.core.text.siteState(fn)).toBe(3);
  });
});
