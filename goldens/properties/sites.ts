// sites.ts: the bytes an entry site must hold, computed here from the architectures' encodings
// (not asked of the core) and from which ftrace_ops cover the record: the klp ops (a func_stack)
// and the function tracer's (current_tracer and set_ftrace_filter as read from debugfs). x86-64:
// NOP5, `call <the one ops' trampoline>`, or `call ftrace_caller` when both cover it
// (arch/x86/kernel/ftrace.c: ftrace_nop_replace, ftrace_call_replace; kernel/trace/ftrace.c:
// ftrace_get_addr_new); arm64: NOP or `bl ftrace_caller`, directly or through a module PLT, and
// with CALL_OPS the literal: &ftrace_nop_ops, the one ops, or &ftrace_list_ops
// (arch/arm64/kernel/ftrace.c: ftrace_rec_update_ops). While kernel.ftrace_enabled is 0 every
// site is a NOP.
import { TextFlags, TextSymbol } from "../../core-wasm/bindings/index.ts";
import { klpFopsToken } from "../../engine/livepatch/patch.ts";
import { ftraceIfAny } from "../../engine/machine/ftrace.ts";
import type { Machine } from "../../engine/machine/machine.ts";
import { ARM64_NOP, X86_NOP5, x86Call } from "../../engine/testing/encode.ts";

const TRACING = "/sys/kernel/debug/tracing";

/** Which ops cover a record. */
export interface Covered {
  klp: boolean;
  tracer: boolean;
}

/**
 * The function tracer's coverage as its debugfs files say: none unless current_tracer is
 * "function"; every function when set_ftrace_filter lists none, else the ones it lists.
 */
export function tracerCoverage(m: Machine): (fn: number) => boolean {
  if (m.vfs.readFile(`${TRACING}/current_tracer`) !== "function\n") return () => false;
  const filter = m.vfs.readFile(`${TRACING}/set_ftrace_filter`);
  const text = typeof filter === "string" ? filter : "";
  if (text.startsWith("#### all functions enabled")) return () => true;
  const names = new Set(text.split("\n").filter((l) => l !== ""));
  return (fn) => names.has(m.names.get(fn) ?? "");
}

const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, "0")).join(" ");

/** The destination of an arm64 `bl` word at `pc`, or null when it is no bl. */
function arm64BlTarget(pc: number, word: number): number | null {
  if ((word & 0xfc000000) >>> 0 !== 0x94000000) return null;
  const imm = (word << 6) >> 6; // sign-extended imm26
  return (pc + imm * 4) >>> 0;
}

/** x86-64: the call target for the ops on the record (null: a NOP), or why there is none. */
function x86Target(m: Machine, fn: number, on: Covered): number | null | string {
  const { text } = m.core;
  if (on.klp && on.tracer) return text.symbol(TextSymbol.ftraceCaller);
  if (on.klp) return m.klp.tramps.get(fn) ?? "patched without a trampoline";
  if (!on.tracer) return null;
  // The tracer's dynamic trampoline; without one (allocation failed) the shared caller.
  const t = ftraceIfAny(m)?.tracerOps()?.tramp ?? 0;
  return t !== 0 ? t : text.symbol(TextSymbol.ftraceCaller);
}

/** arm64 CALL_OPS: the literal's low word for the ops on the record. */
function arm64Literal(m: Machine, fn: number, on: Covered): number {
  const { text } = m.core;
  if (on.klp && on.tracer) return text.symbol(TextSymbol.ftraceListOps);
  if (on.klp) return klpFopsToken(fn);
  return text.symbol(on.tracer ? TextSymbol.globalOps : TextSymbol.ftraceNopOps);
}

function arm64Mismatch(m: Machine, fn: number, on: Covered, bytes: Uint8Array): string | null {
  const { text } = m.core;
  const got = hex(bytes);
  if ((text.flags() & TextFlags.arm64CallOps) !== 0) {
    // The literal is the first two words of the entry (before the function).
    const entry = text.entryBytes(fn);
    if (typeof entry === "number") return `entry bytes unreadable (${entry})`;
    const lit = (entry[0]! | (entry[1]! << 8) | (entry[2]! << 16) | (entry[3]! << 24)) >>> 0;
    const want = arm64Literal(m, fn, on);
    if (lit !== want) return `CALL_OPS literal ${lit.toString(16)}, expected ${want.toString(16)}`;
  }
  if (!on.klp && !on.tracer) return got === ARM64_NOP ? null : `expected NOP, found ${got}`;
  const word = bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24);
  const dst = arm64BlTarget(text.siteAddr(fn), word);
  const caller = text.symbol(TextSymbol.ftraceCaller);
  if (dst === null) return `expected bl ftrace_caller, found ${got}`;
  if (dst === caller || text.pltResolve(dst) === caller) return null;
  return `bl to ${dst.toString(16)}, not ftrace_caller`;
}

/**
 * Checks function `fn`'s site against the ops that cover it (`on`; none while ftrace_enabled is
 * 0). @returns a description of the mismatch, or null.
 */
export function siteMismatch(m: Machine, fn: number, covered: Covered): string | null {
  const { text } = m.core;
  const enabled = ftraceIfAny(m)?.enabled ?? true;
  const on = enabled ? covered : { klp: false, tracer: false };
  const bytes = text.siteBytes(fn);
  if (typeof bytes === "number") return `site bytes unreadable (${bytes})`;
  if (m.arch === "arm64") return arm64Mismatch(m, fn, on, bytes);
  const got = hex(bytes);
  const target = x86Target(m, fn, on);
  if (typeof target === "string") return target;
  if (target === null) return got === X86_NOP5 ? null : `expected NOP5, found ${got}`;
  const want = x86Call(text.siteAddr(fn), target);
  return got === want ? null : `expected ${want} (call ${target.toString(16)}), found ${got}`;
}
