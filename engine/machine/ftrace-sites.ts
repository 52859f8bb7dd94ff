// ftrace-sites.ts: what each ftrace record's entry site must call, given the ftrace_ops that cover
// it, and the poke that gets it there (kernel/trace/ftrace.c). __ftrace_hash_rec_update counts the
// ops per record: with one, FTRACE_FL_TRAMP (x86: that ops' dynamic trampoline) and
// FTRACE_FL_CALL_OPS (arm64: the literal is that ops) are set; with more, both are cleared, so
// ftrace_get_addr_new gives the shared ftrace_caller (ftrace_regs_caller when an ops wants
// FTRACE_OPS_FL_SAVE_REGS) and arm64's ftrace_rec_update_ops stores &ftrace_list_ops, whose
// ftrace_ops_list_func walks every ops. With none the site is a NOP again (ftrace_make_nop).
// ftrace_replace_code's choice among MAKE_CALL / MODIFY_CALL / MAKE_NOP is syncSite's.
import {
  SiteKind,
  type SiteKindId,
  SiteState,
  TextSymbol,
} from "../../core-wasm/bindings/index.ts";
import { hexBytes, TextFlags } from "../../core-wasm/bindings/text.ts";
import type { Machine } from "./machine.ts";

/** One ftrace_ops as a record sees it. */
export interface SiteOps {
  /** Its address token: the arm64 CALL_OPS literal when it alone covers a record. */
  token: number;
  /** x86-64: its dynamic trampoline (arch_ftrace_update_trampoline), 0 when it has none. */
  tramp: number;
  /** FTRACE_OPS_FL_SAVE_REGS. */
  saveRegs: boolean;
}

/** What a site must hold: nothing (NOP), or a call to `target` with the arm64 literal `literal`. */
export type SiteWant = { call: false } | { call: true; target: number; literal: number };

/** ftrace_get_addr_new and, on arm64 with CALL_OPS, ftrace_rec_update_ops's ops. */
export function wantedSite(m: Machine, ops: readonly SiteOps[]): SiteWant {
  const { text } = m.core;
  if (ops.length === 0) return { call: false };
  const only = ops.length === 1 ? ops[0]! : null;
  if (m.arch === "x86_64") {
    if (only && only.tramp !== 0) return { call: true, target: only.tramp, literal: 0 };
    const regs = ops.some((o) => o.saveRegs);
    const caller = text.symbol(regs ? TextSymbol.ftraceRegsCaller : TextSymbol.ftraceCaller);
    return { call: true, target: caller, literal: 0 };
  }
  const callOps = (text.flags() & TextFlags.arm64CallOps) !== 0;
  const literal = !callOps ? 0 : only ? only.token : text.symbol(TextSymbol.ftraceListOps);
  return { call: true, target: text.symbol(TextSymbol.ftraceCaller), literal };
}

/**
 * Queues one site update and applies it step by step, an event per step (x86: the six steps of
 * the int3 protocol; arm64: the literal, then the instruction). `aux`: see Text.queue.
 * @returns 0 or -errno.
 */
export function pokeSite(
  m: Machine,
  fn: number,
  kind: SiteKindId,
  target: number,
  aux: number,
): number {
  const { text } = m.core;
  const rc = text.queue(fn, kind, target, aux);
  if (rc < 0) return rc;
  const name = m.names.get(fn) ?? `fn${fn}`;
  for (let step = text.pokeStep(); step !== 0; step = text.pokeStep()) {
    const b = text.siteBytes(fn);
    m.events.emit({
      kind: "site",
      func: name,
      step,
      bytes: typeof b === "number" ? String(b) : hexBytes(b),
    });
  }
  return 0;
}

/** Whether the site already holds `want` (read from the core's bytes). */
function holds(m: Machine, fn: number, want: SiteWant, state: number): boolean {
  const { text } = m.core;
  if (!want.call) return state === SiteState.nop;
  if (state !== SiteState.call) return false;
  if (m.arch === "x86_64") return text.exec(fn) === want.target;
  return want.literal === 0 || text.siteOps(fn) === want.literal;
}

/**
 * Brings function `fn`'s site to `want` with one poke, if it is not there yet. A site not
 * converted by ftrace init (or unknown) is left alone. @returns 0 or -errno.
 */
export function syncSite(m: Machine, fn: number, want: SiteWant): number {
  const { text } = m.core;
  const state = text.siteState(fn);
  if (state !== SiteState.nop && state !== SiteState.call) return 0;
  if (holds(m, fn, want, state)) return 0;
  if (!want.call) return pokeSite(m, fn, SiteKind.makeNop, 0, 0);
  // arm64: aux 0 asks the core for &ftrace_list_ops.
  const lit = want.literal === text.symbol(TextSymbol.ftraceListOps) ? 0 : want.literal;
  const aux = m.arch === "arm64" ? lit : 0;
  const kind = state === SiteState.nop ? SiteKind.makeCall : SiteKind.modifyCall;
  return pokeSite(m, fn, kind, want.target, aux);
}
