// entry-site.ts: the entry-site view of one traceable function at the current moment: the bytes
// of its entry and their disassembly, read from the core's text arena (the one source of truth:
// nothing here is remembered between calls), what a CPU executing it does now (the core's own
// site_exec, which knows the int3 handler's emulation mid-poke), the CALL_OPS literal on arm64,
// the func_stack of its klp_ops (head first: the implementation the handler picks outside a
// transition), and which implementation each task would run if it called the function now. The
// call's target and the literal name the function tracer's ops too (its trampoline, global_ops)
// and the shared ftrace_caller / &ftrace_list_ops when both trace the function, and the kprobe
// ops' trampolines (x86-64).
import type { Core } from "../../core-wasm/bindings/core.ts";
import {
  type Arch,
  hexBytes,
  SITE_EXEC_BAD,
  SiteState,
  TextSymbol,
} from "../../core-wasm/bindings/text.ts";
import { err, ok, type Result } from "../result.ts";
import { disasm, type Insn, type Symbolizer } from "./disasm.ts";
import { ftraceIfAny } from "./ftrace.ts";
import type { Machine } from "./machine.ts";

/** What the view reads: the core, and the engine's names for the core's ids. */
export interface EntrySiteSource {
  arch: Arch;
  core: Core;
  /** Function names by function id (kallsyms). */
  names: ReadonlyMap<number, string>;
  /** The patch's name for the core's patch id, or null. */
  patchName: (patchId: number) => string | null;
  /** x86-64 per-ops trampolines (address tokens): klp's and the function tracer's. */
  trampolines: Iterable<number>;
  tasks: readonly { pid: number; comm: string; coreId: number }[];
}

export interface FuncStackEntry {
  patch: string | null;
  /** The implementation this entry redirects to (the original for a nop of atomic replace). */
  newFunc: string;
  nop: boolean;
  /** klp_func.transition: set while its patch is in a transition. */
  transition: boolean;
}

export interface TaskImplementation {
  pid: number;
  comm: string;
  /** patch_state: -1 no transition, 0 unpatched, 1 patched. */
  patchState: number;
  pending: boolean;
  /** The function that runs when this task calls the viewed one now. */
  runs: string;
  /** The patch whose implementation that is, or null for the original. */
  patch: string | null;
}

export type SiteStateName = "build" | "nop" | "call" | "poking" | "bad";

export interface EntrySiteView {
  func: string;
  funcId: number;
  arch: Arch;
  /** Full kernel addresses, hex without 0x: the entry's first byte (the literal on CALL_OPS). */
  entryAddr: string;
  /** rec->ip: the patched instruction. */
  siteAddr: string;
  bytes: string;
  siteBytes: string;
  /** The entry's instructions; `site` marks the one at rec->ip. */
  /** `address`: the full kernel address, as entryAddr. */
  insns: (Insn & { site: boolean; address: string })[];
  state: SiteStateName;
  /** What a CPU executing the site does now (mid-poke: what the int3 handler emulates). */
  executes: { kind: "fall-through" | "call" | "bad"; target?: number; targetName?: string };
  /** arm64 CALL_OPS: the ops the literal points at, or null. */
  ops: { token: number; name: string | null } | null;
  funcStack: FuncStackEntry[];
  tasks: TaskImplementation[];
}

const STATE_NAMES: Record<number, SiteStateName> = {
  [SiteState.build]: "build",
  [SiteState.nop]: "nop",
  [SiteState.call]: "call",
  [SiteState.poking]: "poking",
  [SiteState.bad]: "bad",
};

const SYMBOLS: [keyof typeof TextSymbol, string][] = [
  ["fentry", "__fentry__"],
  ["ftraceCaller", "ftrace_caller"],
  ["ftraceRegsCaller", "ftrace_regs_caller"],
  ["ftraceStub", "ftrace_stub"],
  ["klpFtraceHandler", "klp_ftrace_handler"],
  ["ftraceNopOps", "ftrace_nop_ops"],
  ["ftraceListOps", "ftrace_list_ops"],
  ["globalOps", "global_ops"],
];

/** Names tokens: ftrace's symbols, trampolines, module PLTs, then kallsyms (name+offset). */
function symbolizer(src: EntrySiteSource): Symbolizer {
  const { text } = src.core;
  const known = new Map<number, string>();
  for (const [sym, name] of SYMBOLS) {
    const t = text.symbol(TextSymbol[sym]) >>> 0;
    if (t !== 0) known.set(t, name);
  }
  // kallsyms lists ftrace's trampolines as "ftrace_trampoline" ([__builtin__ftrace]).
  for (const t of src.trampolines) known.set(t >>> 0, "ftrace_trampoline");
  const sym: Symbolizer = (token) => {
    const k = known.get(token >>> 0);
    if (k) return k;
    const plt = text.pltResolve(token);
    if (plt !== 0) return `module PLT → ${sym(plt) ?? `0x${plt.toString(16)}`}`;
    const fn = text.lookup(token);
    if (fn < 0) return null;
    const name = src.names.get(fn);
    if (!name) return null;
    const off = (token - text.funcAddr(fn)) >>> 0;
    return off === 0 ? name : `${name}+0x${off.toString(16)}`;
  };
  return sym;
}

/** The entry-site view of function `fnId` now, or why there is none. */
export function entrySiteView(src: EntrySiteSource, fnId: number): Result<EntrySiteView, string> {
  const { text, ops, tasks } = src.core;
  const name = src.names.get(fnId) ?? `fn${fnId}`;
  const entry = text.entryBytes(fnId);
  const site = text.siteBytes(fnId);
  const siteAddr = text.siteAddr(fnId);
  if (typeof entry === "number" || typeof site === "number" || siteAddr === 0)
    return err(`${name}: no ftrace entry site`);
  const funcAddr = text.funcAddr(fnId);
  // The entry starts before the function by the CALL_OPS literal (arm64), if any.
  const siteOff = (siteAddr - funcAddr) >>> 0;
  const prefix = entry.length - siteOff - site.length;
  const start = (funcAddr - prefix) >>> 0;
  const sym = symbolizer(src);
  const insns = disasm(src.arch, entry, start, sym, prefix / 4).map((i) => ({
    ...i,
    site: i.addr === siteAddr,
    address: text.hexAddress(i.addr),
  }));
  const exec = text.exec(fnId);
  const executes: EntrySiteView["executes"] =
    exec === 0
      ? { kind: "fall-through" }
      : exec === SITE_EXEC_BAD
        ? { kind: "bad" }
        : { kind: "call", target: exec, ...withName(sym(exec)) };
  const opsToken = text.siteOps(fnId);
  const stack = ops.stack(fnId);
  const funcStack = stack.map((e) => ({
    patch: src.patchName(ops.patchOf(e)),
    newFunc: nameOf(src, ops.nop(e) === 1 ? fnId : ops.newFuncOf(e)),
    nop: ops.nop(e) === 1,
    transition: ops.transition(e) === 1,
  }));
  const owner = (runs: number): string | null => {
    if (runs === fnId) return null;
    const e = stack.find((x) => ops.newFuncOf(x) === runs);
    return e === undefined ? null : src.patchName(ops.patchOf(e));
  };
  const taskViews = src.tasks.map((t) => {
    // core.call: the site, then klp_ftrace_handler, as Machine.resolve does for a real call.
    const h = src.core.call(fnId, t.coreId);
    const runs = h >= 0 ? h : fnId;
    return {
      pid: t.pid,
      comm: t.comm,
      patchState: tasks.patchState(t.coreId),
      pending: tasks.pending(t.coreId) === 1,
      runs: nameOf(src, runs),
      patch: owner(runs),
    };
  });
  return ok({
    func: name,
    funcId: fnId,
    arch: src.arch,
    entryAddr: text.hexAddress(start),
    siteAddr: text.hexAddress(siteAddr),
    bytes: hexBytes(entry),
    siteBytes: hexBytes(site),
    insns,
    state: STATE_NAMES[text.siteState(fnId)] ?? "bad",
    executes,
    ops: opsToken === 0 ? null : { token: opsToken, name: sym(opsToken) },
    funcStack,
    tasks: taskViews,
  });
}

function withName(n: string | null): { targetName?: string } {
  return n ? { targetName: n } : {};
}

function nameOf(src: EntrySiteSource, fn: number): string {
  return src.names.get(fn) ?? `fn${fn}`;
}

/** The view's source for a machine: its core, kallsyms names, patches, trampolines and tasks. */
export function machineSource(m: Machine): EntrySiteSource {
  return {
    arch: m.arch,
    core: m.core,
    names: m.names,
    patchName: (id) => m.klp.patches.find((p) => p.id === id)?.name ?? null,
    trampolines: [...m.klp.tramps.values(), ...tracerTramp(m)],
    tasks: m.tasks.all(),
  };
}

/** The other ops' trampolines: the function tracer's and the kprobe ops'. */
function tracerTramp(m: Machine): number[] {
  const f = ftraceIfAny(m);
  const t = f?.tracerOps()?.tramp ?? 0;
  return [...(t !== 0 ? [t] : []), ...(f?.kprobeTramps() ?? [])];
}

/** The entry-site view of the machine's function `fnId` now. */
export function machineEntrySite(m: Machine, fnId: number): Result<EntrySiteView, string> {
  return entrySiteView(machineSource(m), fnId);
}
