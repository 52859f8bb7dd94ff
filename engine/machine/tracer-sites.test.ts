// tracer-sites.test.ts: the function tracer's ops and klp's on one entry site, on x86-64 and arm64
// (CALL_OPS), tracer first or livepatch first, each turned off again in both orders. At every poke
// step the entry-site view must show exactly the core's bytes; at the end of each change the site
// must hold what __ftrace_hash_rec_update / ftrace_get_addr_new / ftrace_rec_update_ops give for
// the ops left on the record, with the bytes encoded here independently of the engine.
import { describe, expect, it } from "vitest";
import { hexBytes, TextSymbol } from "../../core-wasm/bindings/text.ts";
import type { EngineEvent } from "../events.ts";
import { klpFopsToken } from "../livepatch/patch.ts";
import { ARM64_NOP, le32, X86_NOP5, x86Call } from "../testing/encode.ts";
import { boot, lpModule } from "../testing/fixture.ts";
import { type EntrySiteView, machineEntrySite } from "./entry-site.ts";
import { ftraceOf } from "./ftrace.ts";
import type { Machine } from "./machine.ts";

const TRACING = "/sys/kernel/debug/tracing";
const FN = "cmdline_proc_show";
type Arch = "x86_64" | "arm64";

function view(m: Machine, fn: number): EntrySiteView {
  const v = machineEntrySite(m, fn);
  if (!v.ok) throw new Error(v.error);
  return v.value;
}

/** Every site event of FN, checked against the core as it happens; returns the steps seen. */
function watch(m: Machine, fn: number): number[] {
  const steps: number[] = [];
  m.events.subscribe((e: EngineEvent) => {
    if (e.kind !== "site" || e.func !== FN) return;
    const v = view(m, fn);
    const { text } = m.core;
    expect(v.bytes).toBe(hexBytes(text.entryBytes(fn) as Uint8Array));
    expect(v.siteBytes).toBe(hexBytes(text.siteBytes(fn) as Uint8Array));
    expect(v.siteBytes).toBe(e.bytes);
    expect(v.insns.map((i) => i.bytes).join(" ")).toBe(v.bytes);
    expect(v.executes.kind === "call" ? v.executes.target : 0).toBe(text.exec(fn));
    expect(v.ops?.token ?? 0).toBe(text.siteOps(fn));
    steps.push(e.step);
  });
  return steps;
}

/** What the site must hold: "nop", "klp" (alone), "tracer" (alone) or "both". */
type Want = "nop" | "klp" | "tracer" | "both";

/** The site's bytes (and arm64 literal) for `want`, encoded from the architectures' rules. */
function expectSite(m: Machine, fn: number, want: Want): void {
  const { text } = m.core;
  const v = view(m, fn);
  const site = text.siteAddr(fn);
  const site_ = v.insns.find((i) => i.site)!;
  if (m.arch === "x86_64") {
    const call = (t: number) => x86Call(site, t);
    const tracerTramp = ftraceOf(m).tracerOps()?.tramp ?? 0;
    const want_ = {
      nop: X86_NOP5,
      klp: call(m.klp.tramps.get(fn) ?? 0),
      tracer: call(tracerTramp),
      both: call(text.symbol(TextSymbol.ftraceCaller)),
    }[want];
    expect(v.siteBytes).toBe(want_);
    const name = { nop: undefined, klp: "ftrace_trampoline", tracer: "ftrace_trampoline" };
    expect(site_.targetName).toBe(want === "both" ? "ftrace_caller" : name[want]);
    if (want === "tracer") expect(tracerTramp).not.toBe(m.klp.tramps.get(fn) ?? 0);
    return;
  }
  const caller = text.symbol(TextSymbol.ftraceCaller);
  const bl = ((0x94000000 | (((caller - site) >> 2) & 0x03ffffff)) >>> 0) as number;
  expect(v.siteBytes).toBe(want === "nop" ? ARM64_NOP : le32(bl));
  const lit = {
    nop: text.symbol(TextSymbol.ftraceNopOps),
    klp: klpFopsToken(fn),
    tracer: text.symbol(TextSymbol.globalOps),
    both: text.symbol(TextSymbol.ftraceListOps),
  }[want];
  // The literal is the two words before the function: read from the entry bytes.
  expect(v.bytes.slice(0, 11)).toBe(le32(lit));
  const name = { nop: "ftrace_nop_ops", klp: null, tracer: "global_ops", both: "ftrace_list_ops" };
  expect(v.ops).toEqual({ token: lit, name: name[want] });
}

async function setup(arch: Arch) {
  const m = await boot({ arch });
  ftraceOf(m);
  const fn = m.fn(FN);
  const steps = watch(m, fn);
  const w = (file: string, data: string) =>
    expect(m.vfs.writeFile(`${TRACING}/${file}`, data)).toBe(0);
  const tracerOn = () => {
    w("set_ftrace_filter", `${FN}\n`);
    w("current_tracer", "function\n");
  };
  const tracerOff = () => w("current_tracer", "nop\n");
  const patchOn = () => {
    expect(m.modules.load(lpModule("lp_trace"))).toBe(0);
    m.runUntil(m.clock.nowNs() + 5e9);
  };
  const patchOff = () => {
    expect(m.vfs.writeFile("/sys/kernel/livepatch/lp_trace/enabled", "0\n")).toBe(0);
    m.runUntil(m.clock.nowNs() + 5e9);
  };
  /** Runs `act` and returns the poke steps it made on FN. */
  const pokes = (act: () => void): number[] => {
    steps.length = 0;
    act();
    return [...steps];
  };
  return { m, fn, tracerOn, tracerOff, patchOn, patchOff, pokes };
}

/** One poke's steps: x86 the six of the int3 protocol; arm64 CALL_OPS literal, then insn. */
const ONE: Record<Arch, number[]> = { x86_64: [1, 2, 3, 4, 5, 6], arm64: [1, 2] };

/** Each task runs the patch's function while it is enabled, whoever else traces the site. */
function expectRuns(m: Machine, fn: number, runs: string): void {
  expect(new Set(view(m, fn).tasks.map((t) => t.runs))).toEqual(new Set([runs]));
}

describe.each<Arch>(["x86_64", "arm64"])(
  "%s: the function tracer and a livepatch on one site",
  (arch) => {
    it("tracer first, then the livepatch; tracer off, then the livepatch off", async () => {
      const { m, fn, tracerOn, tracerOff, patchOn, patchOff, pokes } = await setup(arch);
      expectSite(m, fn, "nop");
      expect(pokes(tracerOn)).toEqual(ONE[arch]);
      expectSite(m, fn, "tracer");
      expect(pokes(patchOn)).toEqual(ONE[arch]); // MODIFY_CALL: the shared caller, the list ops
      expectSite(m, fn, "both");
      expectRuns(m, fn, "lp_trace_cmdline_proc_show");
      expect(pokes(tracerOff)).toEqual(ONE[arch]); // back to the klp ops alone
      expectSite(m, fn, "klp");
      expectRuns(m, fn, "lp_trace_cmdline_proc_show");
      expect(pokes(patchOff)).toEqual(ONE[arch]);
      expectSite(m, fn, "nop");
      expectRuns(m, fn, FN);
      expect(m.core.text.pokeCount()).toBe(0);
    });

    it("livepatch first, then the tracer; livepatch off, then the tracer off", async () => {
      const { m, fn, tracerOn, tracerOff, patchOn, patchOff, pokes } = await setup(arch);
      expect(pokes(patchOn)).toEqual(ONE[arch]);
      expectSite(m, fn, "klp");
      expect(pokes(tracerOn)).toEqual(ONE[arch]);
      expectSite(m, fn, "both");
      expectRuns(m, fn, "lp_trace_cmdline_proc_show");
      expect(pokes(patchOff)).toEqual(ONE[arch]); // the tracer's ops alone again
      expectSite(m, fn, "tracer");
      expectRuns(m, fn, FN);
      expect(pokes(tracerOff)).toEqual(ONE[arch]);
      expectSite(m, fn, "nop");
    });

    it("a traced livepatched call records a line; ftrace_enabled cannot be cleared under klp", async () => {
      const { m, fn, tracerOn, tracerOff, patchOn } = await setup(arch);
      patchOn();
      tracerOn();
      const t = m.tasks.all().find((x) => x.comm === "bash")!;
      m.onCall?.(t, fn, m.resolve(t, fn));
      const trace = () => m.vfs.readFile(`${TRACING}/trace`) ?? "";
      expect(trace()).toContain(`: ${FN} <-`);
      expectSite(m, fn, "both");
      tracerOff();
      expectSite(m, fn, "klp");
      // ftrace_enabled cannot be cleared under the permanent klp ops: the site stays.
      expect(ftraceOf(m).setEnabled(false)).toBeLessThan(0);
      expectSite(m, fn, "klp");
    });
  },
);

describe.each<Arch>(["x86_64", "arm64"])("%s: ftrace_enabled and an empty filter", (arch) => {
  it("kernel.ftrace_enabled=0 makes the tracer's sites NOPs and 1 restores them", async () => {
    const { m, fn, tracerOn, pokes } = await setup(arch);
    tracerOn();
    expectSite(m, fn, "tracer");
    expect(pokes(() => expect(ftraceOf(m).setEnabled(false)).toBe(0))).toEqual(ONE[arch]);
    expectSite(m, fn, "nop");
    // A NOP site never reaches the tracer's callback: the call leaves no line.
    const t = m.tasks.all().find((x) => x.comm === "bash")!;
    m.onCall?.(t, fn, m.resolve(t, fn));
    expect(m.vfs.readFile(`${TRACING}/trace`) ?? "").not.toContain(`: ${FN} <-`);
    expect(pokes(() => expect(ftraceOf(m).setEnabled(true)).toBe(0))).toEqual(ONE[arch]);
    expectSite(m, fn, "tracer");
  });

  it("no filter: every function's site is the tracer's; a filter puts the others back", async () => {
    const { m, fn } = await setup(arch);
    expect(m.vfs.writeFile(`${TRACING}/current_tracer`, "function\n")).toBe(0);
    const other = m.fn("schedule");
    expectSite(m, fn, "tracer");
    expect(m.core.text.exec(other)).not.toBe(0);
    expect(m.vfs.writeFile(`${TRACING}/set_ftrace_filter`, `${FN}\n`)).toBe(0);
    expectSite(m, fn, "tracer");
    expect(m.core.text.exec(other)).toBe(0);
  });
});
