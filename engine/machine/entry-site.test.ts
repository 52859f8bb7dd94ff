// entry-site.test.ts: the entry-site view against the core at every step of the x86-64 int3
// sequence (NOP5 → call trampoline and back) and of arm64 CALL_OPS (literal store, then one
// NOP/bl store, both ways), and the func_stack and each task's implementation mid-transition.
import { klpFopsToken } from "../livepatch/patch.ts";
import { describe, expect, it } from "vitest";
import { Core } from "../../core-wasm/bindings/core.ts";
import {
  hexBytes,
  SiteKind,
  TextFlags,
  TextSymbol,
  VMLINUX,
} from "../../core-wasm/bindings/text.ts";
import { coreBytes } from "../../core-wasm/tests/loadCore.ts";
import type { EngineEvent } from "../events.ts";
import { boot, lpModule, stallModule } from "../testing/fixture.ts";
import { entrySiteView, type EntrySiteView, machineEntrySite } from "./entry-site.ts";
import type { Machine } from "./machine.ts";

function view(m: Machine, fn: number): EntrySiteView {
  const v = machineEntrySite(m, fn);
  if (!v.ok) throw new Error(v.error);
  return v.value;
}

/** The view must show exactly what the core holds now. */
function expectMatchesCore(v: EntrySiteView, core: Core, fn: number): void {
  expect(v.bytes).toBe(hexBytes(core.text.entryBytes(fn) as Uint8Array));
  expect(v.siteBytes).toBe(hexBytes(core.text.siteBytes(fn) as Uint8Array));
  expect(v.insns.map((i) => i.bytes).join(" ")).toBe(v.bytes);
  expect(v.insns.filter((i) => i.site).map((i) => i.bytes)).toEqual([v.siteBytes]);
  // Full kernel addresses, the first at the entry, the site's at rec->ip.
  expect(v.insns[0]!.address).toBe(v.entryAddr);
  expect(v.insns.find((i) => i.site)!.address).toBe(v.siteAddr);
  const exec = core.text.exec(fn);
  expect(v.executes.kind === "call" ? v.executes.target : 0).toBe(exec);
}

/** One line per step: the site's instruction and what a CPU does there now. */
const line = (v: EntrySiteView) =>
  `${v.insns.find((i) => i.site)!.text} | ${v.executes.kind} ${v.executes.targetName ?? ""}`.trim();

describe("x86-64: the int3 sequence, step by step", () => {
  it("NOP5 → call ftrace_trampoline when the patch loads, and back when it goes", async () => {
    const m = await boot({ arch: "x86_64" });
    const fn = m.fn("cmdline_proc_show");
    const steps: string[] = [];
    m.events.subscribe((e: EngineEvent) => {
      if (e.kind !== "site" || e.func !== "cmdline_proc_show") return;
      const v = view(m, fn);
      expectMatchesCore(v, m.core, fn);
      expect(v.siteBytes).toBe(e.bytes);
      steps.push(`${e.step}: ${v.siteBytes} | ${line(v)}`);
    });
    const before = view(m, fn);
    expect(before.insns.map((i) => i.text)).toEqual(["nopl 0x0(%rax,%rax,1)"]);
    expect(before.state).toBe("nop");
    expect(before.funcStack).toEqual([]);
    expect(m.modules.load(lpModule("lp_entry"))).toBe(0);
    const patched = view(m, fn);
    const tramp = patched.insns[0]!.target!;
    expect(m.klp.tramps.get(fn)).toBe(tramp);
    const call = patched.siteBytes;
    const tail = call.slice(3);
    const int3 = `int3 (poke in progress; bytes 1-4: `;
    const em = "call ftrace_trampoline";
    expect(steps).toEqual([
      `1: cc 1f 44 00 00 | ${int3}1f 44 00 00) | ${em}`,
      `2: cc 1f 44 00 00 | ${int3}1f 44 00 00) | ${em}`,
      `3: cc ${tail} | ${int3}${tail}) | ${em}`,
      `4: cc ${tail} | ${int3}${tail}) | ${em}`,
      `5: ${call} | call <ftrace_trampoline> | ${em}`,
      `6: ${call} | call <ftrace_trampoline> | ${em}`,
    ]);
    expect(patched.state).toBe("call");
    expect(patched.funcStack).toEqual([
      { patch: "lp_entry", newFunc: "lp_entry_cmdline_proc_show", nop: false, transition: false },
    ]);
    steps.length = 0;
    expect(m.vfs.writeFile("/sys/kernel/livepatch/lp_entry/enabled", "0\n")).toBe(0);
    m.settle();
    // Mid-poke the int3 handler emulates the NOP being written: the CPU falls through.
    expect(steps).toEqual([
      `1: cc ${tail} | ${int3}${tail}) | fall-through`,
      `2: cc ${tail} | ${int3}${tail}) | fall-through`,
      `3: cc 1f 44 00 00 | ${int3}1f 44 00 00) | fall-through`,
      `4: cc 1f 44 00 00 | ${int3}1f 44 00 00) | fall-through`,
      `5: 0f 1f 44 00 00 | nopl 0x0(%rax,%rax,1) | fall-through`,
      `6: 0f 1f 44 00 00 | nopl 0x0(%rax,%rax,1) | fall-through`,
    ]);
  });
});

describe("arm64 CALL_OPS: the literal store, then one NOP/bl store", () => {
  it("shows the literal and the site as the core holds them after each store", async () => {
    const core = await Core.load(await coreBytes());
    expect(core.text.init("arm64", TextFlags.arm64CallOps)).toBe(0);
    const fn = core.text.addFunction(VMLINUX, 64);
    core.text.ftraceInit(VMLINUX);
    const src = {
      arch: "arm64" as const,
      core,
      names: new Map([[fn, "demo_func"]]),
      patchName: () => null,
      trampolines: [],
      tasks: [],
    };
    const at = () => {
      const v = entrySiteView(src, fn);
      if (!v.ok) throw new Error(v.error);
      expectMatchesCore(v.value, core, fn);
      expect(v.value.ops?.token).toBe(core.text.siteOps(fn));
      return v.value;
    };
    const text = (v: EntrySiteView) => v.insns.map((i) => i.text);
    const nopOps = ".quad 0xffff800084010000 // ftrace_nop_ops";
    expect(text(at())).toEqual([nopOps, "mov x9, x30", "nop"]);
    const caller = core.text.symbol(TextSymbol.ftraceCaller);
    const listOps = core.text.symbol(TextSymbol.ftraceListOps);
    const listLit = `.quad ${core.text.hexAddress(listOps).replace(/^/, "0x")} // ftrace_list_ops`;
    expect(core.text.queue(fn, SiteKind.makeCall, caller, listOps)).toBe(0);
    const seen: string[][] = [];
    for (let s = core.text.pokeStep(); s !== 0; s = core.text.pokeStep()) {
      const v = at();
      seen.push([String(s), ...text(v), v.executes.kind]);
    }
    expect(seen).toEqual([
      ["1", listLit, "mov x9, x30", "nop", "fall-through"],
      ["2", listLit, "mov x9, x30", "bl <ftrace_caller>", "call"],
    ]);
    expect(core.text.queue(fn, SiteKind.makeNop, 0)).toBe(0);
    seen.length = 0;
    for (let s = core.text.pokeStep(); s !== 0; s = core.text.pokeStep()) {
      const v = at();
      seen.push([String(s), ...text(v), v.executes.kind]);
    }
    expect(seen).toEqual([
      ["1", nopOps, "mov x9, x30", "bl <ftrace_caller>", "call"],
      ["2", nopOps, "mov x9, x30", "nop", "fall-through"],
    ]);
  });

  it("the engine's arm64 machine boots with CALL_OPS: the klp ops literal, then bl ftrace_caller", async () => {
    const m = await boot({ arch: "arm64" });
    const fn = m.fn("cmdline_proc_show");
    expect(view(m, fn).insns.map((i) => i.text)).toEqual([
      ".quad 0xffff800084010000 // ftrace_nop_ops",
      "mov x9, x30",
      "nop",
    ]);
    m.modules.load(lpModule("lp_entry"));
    const v = view(m, fn);
    expectMatchesCore(v, m.core, fn);
    // ftrace_rec_update_ops: the only ops on the record is the klp ops' fops (regression: the
    // engine booted without CALL_OPS, and passed no ops, which would have meant ftrace_list_ops).
    const token = klpFopsToken(fn);
    expect(v.ops).toEqual({ token, name: null });
    expect(v.insns.map((i) => i.text)).toEqual([
      `.quad 0xffff0000${token.toString(16)}`,
      "mov x9, x30",
      "bl <ftrace_caller>",
    ]);
    expect(v.insns[2]!.site).toBe(true);
    const siteSteps = m.events
      .since(0)
      .flatMap((e) => (e.kind === "site" && e.func === "cmdline_proc_show" ? [e.step] : []));
    expect(siteSteps).toEqual([1, 2]); // the literal store, then the bl
  });
});

describe("func_stack and each task's implementation", () => {
  it("mid-transition the sleeper runs the original, switched tasks the patch's", async () => {
    const m = await boot();
    m.modules.load(stallModule("lp_busy"));
    m.settle();
    const objs = [{ name: "lp_busy", funcs: ["lp_busy_work"] }];
    m.modules.load(lpModule("lp_fix", { objs }));
    const fn = m.modules
      .get("lp_busy")!
      .symbols.find((s) => m.names.get(s.id) === "lp_busy_work")!.id;
    const v = view(m, fn);
    expectMatchesCore(v, m.core, fn);
    expect(v.funcStack).toEqual([
      { patch: "lp_fix", newFunc: "lp_fix_lp_busy_work", nop: false, transition: true },
    ]);
    const sleeper = v.tasks.find((t) => t.comm === "lp_busy")!;
    expect(sleeper).toMatchObject({
      patchState: 0,
      pending: true,
      runs: "lp_busy_work",
      patch: null,
    });
    const bash = v.tasks.find((t) => t.comm === "bash")!;
    expect(bash).toMatchObject({
      patchState: 1,
      pending: false,
      runs: "lp_fix_lp_busy_work",
      patch: "lp_fix",
    });
    // A second patch stacked on top after completion: every task runs the head's.
    m.vfs.writeFile("/sys/module/lp_busy/parameters/block", "N\n");
    m.runUntil(m.clock.nowNs() + 5e9);
    m.modules.load(lpModule("lp_fix2", { objs }));
    m.runUntil(m.clock.nowNs() + 5e9);
    const w = view(m, fn);
    expect(w.funcStack.map((e) => [e.patch, e.transition])).toEqual([
      ["lp_fix2", false],
      ["lp_fix", false],
    ]);
    expect(new Set(w.tasks.map((t) => t.runs))).toEqual(new Set(["lp_fix2_lp_busy_work"]));
  });
});
