// ftrace-sites.ts: what each ftrace record's entry site must call, given the ftrace_ops that cover
// it, and the poke that gets it there (kernel/trace/ftrace.c). __ftrace_hash_rec_update counts the
// ops per record: with one, FTRACE_FL_TRAMP (x86: that ops' dynamic trampoline) and
// FTRACE_FL_CALL_OPS (arm64: the literal is that ops) are set; with more, both are cleared, so
// ftrace_get_addr_new gives the shared ftrace_caller (ftrace_regs_caller when an ops wants
// FTRACE_OPS_FL_SAVE_REGS) and arm64's ftrace_rec_update_ops stores &ftrace_list_ops, whose
// ftrace_ops_list_func walks every ops. With none the site is a NOP again (ftrace_make_nop).
// ftrace_replace_code's choice among MAKE_CALL / MODIFY_CALL / MAKE_NOP per record is siteUpdate's;
// applySites pokes the records that change as the arch does (x86-64: one int3 batch; arm64: record
// by record), see its comment.
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

/** ftrace_test_record's verdict for one record that changes: the update to queue. */
export interface SiteUpdate {
  fn: number;
  kind: SiteKindId;
  target: number;
  aux: number;
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
 * What function `fn`'s record needs to reach `want`, or null when it is there already
 * (FTRACE_UPDATE_IGNORE) or its site was never converted by ftrace init (or is unknown).
 */
export function siteUpdate(m: Machine, fn: number, want: SiteWant): SiteUpdate | null {
  const { text } = m.core;
  const state = text.siteState(fn);
  if (state !== SiteState.nop && state !== SiteState.call) return null;
  if (holds(m, fn, want, state)) return null;
  if (!want.call) return { fn, kind: SiteKind.makeNop, target: 0, aux: 0 };
  // arm64: aux 0 asks the core for &ftrace_list_ops.
  const lit = want.literal === text.symbol(TextSymbol.ftraceListOps) ? 0 : want.literal;
  const kind = state === SiteState.nop ? SiteKind.makeCall : SiteKind.modifyCall;
  return { fn, kind, target: want.target, aux: m.arch === "arm64" ? lit : 0 };
}

/** TP_VEC_MAX: the poke vector holds a page of text_poke_loc (the core's POKE_MAX). */
const TP_VEC_MAX = 256;

/** The batch being applied, per machine: its functions in queue order, and its step count. */
export interface PokeBatch {
  fns: readonly number[];
  /** Steps run so far; the same for every site event of one step. */
  steps: number;
}
const applying = new WeakMap<Machine, PokeBatch>();

/** The text-poke batch whose site events are being emitted now, or null. */
export function pokeBatch(m: Machine): PokeBatch | null {
  return applying.get(m) ?? null;
}

function emitSite(m: Machine, fn: number, step: number): void {
  const b = m.core.text.siteBytes(fn);
  m.events.emit({
    kind: "site",
    func: m.names.get(fn) ?? `fn${fn}`,
    step,
    bytes: typeof b === "number" ? String(b) : hexBytes(b),
  });
}

/**
 * Runs the queued batch to its end, a "site" event per site per step, emitted once the step is
 * done over the whole batch: x86-64 text_poke_bp_batch's six steps (every first byte to int3,
 * sync, every tail, sync, every first byte, sync) each touch every site, so each step has an event
 * for each; arm64's steps touch one record at a time (its literal, then its instruction), so each
 * has the event of that record.
 */
function runBatch(m: Machine, fns: readonly number[]): void {
  const { text } = m.core;
  const batch = { fns, steps: 0 };
  applying.set(m, batch);
  try {
    let k = 0;
    for (let step = text.pokeStep(); step !== 0; step = text.pokeStep()) {
      batch.steps++;
      if (m.arch === "x86_64") for (const fn of fns) emitSite(m, fn, step);
      else emitSite(m, fns[k]!, step);
      // arm64: the instruction store (step 2) ends a record; the next step is the next record's.
      if (m.arch === "arm64" && step === 2) k++;
    }
  } finally {
    applying.delete(m);
  }
}

/**
 * Pokes the records in `updates` (in ftrace's record order) as the kernel does.
 * x86-64 (arch ftrace_replace_code): every record is verified, then queued with text_poke_queue,
 * and text_poke_finish runs the int3 protocol once over the queue; text_poke_queue runs the batch
 * early when the vector is full (TP_VEC_MAX) or the next address is below the last one queued
 * (tp_order_fail). `verifyFirst` (ftrace_replace_code): a record that fails verification leaves
 * every site untouched (but a full vector already run stays run: the core verifies a record when
 * it queues it); without it (ftrace_module_enable: ftrace_make_call per record, the queue
 * finished by ftrace_arch_code_modify_post_process) the records queued before it are poked.
 * arm64 (the generic ftrace_replace_code, no stop_machine): record by record, its literal then its
 * instruction; a record failing verification stops the loop, the ones before it stay poked.
 * @returns 0 or the first -errno (the records after it are not poked).
 */
export function applySites(m: Machine, updates: readonly SiteUpdate[], verifyFirst = true): number {
  const { text } = m.core;
  let fns: number[] = [];
  let last = 0;
  for (const u of updates) {
    const addr = text.siteAddr(u.fn) >>> 0;
    if (fns.length === TP_VEC_MAX || (fns.length > 0 && addr < last)) {
      runBatch(m, fns);
      fns = [];
    }
    const rc = text.queue(u.fn, u.kind, u.target, u.aux);
    if (rc < 0) {
      if (m.arch === "x86_64" && verifyFirst) text.pokeAbort();
      else runBatch(m, fns);
      return rc;
    }
    fns.push(u.fn);
    last = addr;
  }
  if (fns.length > 0) runBatch(m, fns);
  return 0;
}
