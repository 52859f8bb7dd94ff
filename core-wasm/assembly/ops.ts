// ops.ts: klp_func entries, one func_stack (klp_ops) per patched original function, and the
// ftrace handler's decision. Mirrors kernel/livepatch/patch.c: klp_find_ops, klp_patch_func,
// klp_unpatch_func, klp_ftrace_handler.
//
// Entries live in REGION_OPS_ENTRIES (ENTRY_BYTES each, ids dense and reused LIFO after free);
// REGION_OPS_HEADS holds, per original function id, the head entry of its func_stack (+1, 0 =
// no klp_ops). A func_stack is a singly linked list from the head (newest) downwards.

import { EBUSY, EINVAL, ENOENT, ENOSPC, ESRCH } from "./shared/errno";
import { funcCount, funcLive } from "./kallsyms";
import {
  REGION_OPS_ENTRIES,
  REGION_OPS_HEADS,
  SCALAR_OPS_BASE,
  regionBase,
  regionReserve,
  regionSetUsed,
  scalarGet,
  scalarSet,
} from "./region";
import { PATCH_UNPATCHED, PATCH_IDLE, taskPatchStateOf } from "./task";

/** Most klp_func entries alive at once. */
export const ENTRY_MAX: u32 = 1 << 20;

// Entry record: patchId, oldFn, newFn, next (+1), seq (creation order), flags.
const ENTRY_BYTES: usize = 24;
const F_ALLOC: u32 = 1;
const F_NOP: u32 = 2;
const F_PATCHED: u32 = 4;
const F_TRANSITION: u32 = 8;

const S_ENTRY_COUNT = SCALAR_OPS_BASE + 0; // high-water mark of entry ids
const S_FREE_HEAD = SCALAR_OPS_BASE + 1; // first free entry (+1)
const S_SEQ = SCALAR_OPS_BASE + 2; // next creation sequence number
const S_WARN_IDLE = SCALAR_OPS_BASE + 3; // handler saw an IDLE task on a transition func
const S_HEADS_FUNCS = SCALAR_OPS_BASE + 4; // functions covered by REGION_OPS_HEADS

// @ts-ignore: decorator
@inline function entryPtr(e: u32): usize {
  return regionBase(REGION_OPS_ENTRIES) + <usize>e * ENTRY_BYTES;
}

// @ts-ignore: decorator
@inline export function entryPatch(e: u32): u32 {
  return load<u32>(entryPtr(e));
}

// @ts-ignore: decorator
@inline export function entryOld(e: u32): u32 {
  return load<u32>(entryPtr(e), 4);
}

// @ts-ignore: decorator
@inline export function entryNew(e: u32): u32 {
  return load<u32>(entryPtr(e), 8);
}

/** The entry below `e` on its func_stack, +1 (0 = `e` is the bottom). */
// @ts-ignore: decorator
@inline export function entryNext(e: u32): u32 {
  return load<u32>(entryPtr(e), 12);
}

// @ts-ignore: decorator
@inline export function entrySeq(e: u32): u32 {
  return load<u32>(entryPtr(e), 16);
}

// @ts-ignore: decorator
@inline function entryFlags(e: u32): u32 {
  return load<u32>(entryPtr(e), 20);
}

// @ts-ignore: decorator
@inline function setFlags(e: u32, f: u32): void {
  store<u32>(entryPtr(e), f, 20);
}

// @ts-ignore: decorator
@inline function setNext(e: u32, next1: u32): void {
  store<u32>(entryPtr(e), next1, 12);
}

export function entryCount(): u32 {
  return scalarGet(S_ENTRY_COUNT);
}

/** Whether `e` names an allocated entry. */
export function entryValid(e: u32): bool {
  return e < scalarGet(S_ENTRY_COUNT) && (entryFlags(e) & F_ALLOC) != 0;
}

export function entryPatched(e: u32): bool {
  return (entryFlags(e) & F_PATCHED) != 0;
}

/** Head of a function's func_stack, +1 (0 = no klp_ops for it). */
// @ts-ignore: decorator
@inline export function opsHead1(fn: u32): u32 {
  if (fn >= scalarGet(S_HEADS_FUNCS)) return 0;
  return load<u32>(regionBase(REGION_OPS_HEADS) + (<usize>fn << 2));
}

// @ts-ignore: decorator
@inline function setHead1(fn: u32, head1: u32): void {
  store<u32>(regionBase(REGION_OPS_HEADS) + (<usize>fn << 2), head1);
}

/** Extends the heads table to cover function `fn`, zeroing what it extends into. */
function coverHeads(fn: u32): i32 {
  const have = scalarGet(S_HEADS_FUNCS);
  if (fn < have) return 0;
  const want = funcCount() > fn + 1 ? funcCount() : fn + 1;
  const err = regionReserve(REGION_OPS_HEADS, <usize>want << 2);
  if (err < 0) return err;
  memory.fill(regionBase(REGION_OPS_HEADS) + (<usize>have << 2), 0, <usize>(want - have) << 2);
  scalarSet(S_HEADS_FUNCS, want);
  regionSetUsed(REGION_OPS_HEADS, <usize>want << 2);
  return 0;
}

/** Takes an entry id from the free list or the end of the table. */
function takeEntry(): i32 {
  const free1 = scalarGet(S_FREE_HEAD);
  if (free1 != 0) {
    scalarSet(S_FREE_HEAD, entryNext(free1 - 1));
    return <i32>(free1 - 1);
  }
  const e = scalarGet(S_ENTRY_COUNT);
  if (e >= ENTRY_MAX) return -ENOSPC;
  const err = regionReserve(REGION_OPS_ENTRIES, <usize>(e + 1) * ENTRY_BYTES);
  if (err < 0) return err;
  scalarSet(S_ENTRY_COUNT, e + 1);
  regionSetUsed(REGION_OPS_ENTRIES, <usize>(e + 1) * ENTRY_BYTES);
  return <i32>e;
}

// ---- exports: entries ---------------------------------------------------------------------

/**
 * Creates a klp_func of patch `patchId` redirecting `oldFn` to `newFn` (klp_init_func; for a nop,
 * klp_alloc_func_nop: new_func = old_func, `newFn` is ignored). The entry starts (patched,
 * transition) = (0, 0). Func order within a patch (what the stack check reports) is creation order.
 * @returns the entry id, or -EINVAL (unknown function), -ENOSPC, -ENOMEM.
 */
export function klp_func_new(patchId: u32, oldFn: u32, newFn: u32, nop: u32): i32 {
  if (!funcLive(oldFn)) return -EINVAL;
  if (nop == 0 && !funcLive(newFn)) return -EINVAL;
  const e = takeEntry();
  if (e < 0) return e;
  const p = entryPtr(<u32>e);
  store<u32>(p, patchId);
  store<u32>(p, oldFn, 4);
  store<u32>(p, nop != 0 ? oldFn : newFn, 8);
  store<u32>(p, 0, 12);
  const seq = scalarGet(S_SEQ);
  store<u32>(p, seq, 16);
  scalarSet(S_SEQ, seq + 1);
  store<u32>(p, F_ALLOC | (nop != 0 ? F_NOP : 0), 20);
  return e;
}

/** Frees an entry (klp_free_func). @returns 0, -EINVAL (unknown), -EBUSY (still on a func_stack). */
export function klp_func_free(e: u32): i32 {
  if (!entryValid(e)) return -EINVAL;
  if (entryPatched(e)) return -EBUSY;
  setFlags(e, 0);
  setNext(e, scalarGet(S_FREE_HEAD));
  scalarSet(S_FREE_HEAD, e + 1);
  return 0;
}

/** Sets or clears func->transition. @returns 0 or -EINVAL. */
export function klp_func_set_transition(e: u32, on: u32): i32 {
  if (!entryValid(e) || on > 1) return -EINVAL;
  const f = entryFlags(e);
  setFlags(e, on != 0 ? f | F_TRANSITION : f & ~F_TRANSITION);
  return 0;
}

/** @returns 1/0 for func->transition, or -EINVAL. */
export function klp_func_transition(e: u32): i32 {
  if (!entryValid(e)) return -EINVAL;
  return (entryFlags(e) & F_TRANSITION) != 0 ? 1 : 0;
}

/** @returns 1/0 for func->patched (on a func_stack), or -EINVAL. */
export function klp_func_patched(e: u32): i32 {
  if (!entryValid(e)) return -EINVAL;
  return entryPatched(e) ? 1 : 0;
}

/** @returns 1/0 for func->nop, or -EINVAL. */
export function klp_func_nop(e: u32): i32 {
  if (!entryValid(e)) return -EINVAL;
  return (entryFlags(e) & F_NOP) != 0 ? 1 : 0;
}

/** @returns the entry's patch id, or -EINVAL. */
export function klp_func_patch(e: u32): i32 {
  if (!entryValid(e)) return -EINVAL;
  return <i32>entryPatch(e);
}

/** @returns the original function id (old_func), or -EINVAL. */
export function klp_func_old(e: u32): i32 {
  if (!entryValid(e)) return -EINVAL;
  return <i32>entryOld(e);
}

/** @returns the replacement function id (new_func; old_func for a nop), or -EINVAL. */
export function klp_func_new_func(e: u32): i32 {
  if (!entryValid(e)) return -EINVAL;
  return <i32>entryNew(e);
}

// ---- exports: func_stack ------------------------------------------------------------------

/**
 * Pushes an entry on its function's func_stack (klp_patch_func): at the head.
 * @returns 1 when this created the klp_ops (the engine then registers ftrace for the entry site),
 * 0 when it joined an existing stack, -EINVAL for an unknown or already pushed entry (the kernel's
 * WARN_ON(func->patched)), -ENOMEM.
 */
export function ops_push(e: u32): i32 {
  if (!entryValid(e) || entryPatched(e)) return -EINVAL;
  const fn = entryOld(e);
  const err = coverHeads(fn);
  if (err < 0) return err;
  const head1 = opsHead1(fn);
  setNext(e, head1);
  setHead1(fn, e + 1);
  setFlags(e, entryFlags(e) | F_PATCHED);
  return head1 == 0 ? 1 : 0;
}

/**
 * Removes an entry from wherever it sits on its func_stack (klp_unpatch_func).
 * @returns 1 when the stack became empty (the klp_ops is gone: the engine unregisters ftrace),
 * 0 otherwise, -EINVAL for an unknown or not pushed entry (WARN_ON(!func->patched)).
 */
export function ops_pop(e: u32): i32 {
  if (!entryValid(e) || !entryPatched(e)) return -EINVAL;
  const fn = entryOld(e);
  const head1 = opsHead1(fn);
  if (head1 == e + 1) {
    setHead1(fn, entryNext(e));
  } else {
    let cur1 = head1;
    while (cur1 != 0 && entryNext(cur1 - 1) != e + 1) cur1 = entryNext(cur1 - 1);
    if (cur1 == 0) return -EINVAL; // unreachable while the tables are consistent
    setNext(cur1 - 1, entryNext(e));
  }
  setNext(e, 0);
  setFlags(e, entryFlags(e) & ~F_PATCHED);
  return opsHead1(fn) == 0 ? 1 : 0;
}

/** @returns the head entry of `fn`'s func_stack, -ENOENT when it has no klp_ops, -EINVAL. */
export function ops_head(fn: u32): i32 {
  if (fn >= funcCount()) return -EINVAL;
  const head1 = opsHead1(fn);
  return head1 == 0 ? -ENOENT : <i32>(head1 - 1);
}

/** @returns the entry below `e`, -ENOENT at the bottom, -EINVAL for an entry not on a stack. */
export function ops_next(e: u32): i32 {
  if (!entryValid(e) || !entryPatched(e)) return -EINVAL;
  const next1 = entryNext(e);
  return next1 == 0 ? -ENOENT : <i32>(next1 - 1);
}

/** @returns how many entries `fn`'s func_stack holds, or -EINVAL. */
export function ops_depth(fn: u32): i32 {
  if (fn >= funcCount()) return -EINVAL;
  let n = 0;
  for (let cur1 = opsHead1(fn); cur1 != 0; cur1 = entryNext(cur1 - 1)) n++;
  return n;
}

// ---- the handler --------------------------------------------------------------------------

/**
 * Which implementation runs when `task` calls `fn` (klp_ftrace_handler; spec section 5):
 * the head's new function, or the entry below when the head is in transition and the task is
 * still UNPATCHED, or the original when there is none or the chosen entry is a nop. A task in
 * IDLE meeting a transition head counts a WARN (read by klp_handler_warnings) and is treated as
 * PATCHED. @returns the function id that runs, -EINVAL (unknown function), -ESRCH (unknown task).
 */
export function klp_handler(fn: u32, task: u32): i32 {
  const state = taskPatchStateOf(task);
  if (state < PATCH_IDLE) return -ESRCH;
  if (fn >= funcCount()) return -EINVAL;
  const head1 = opsHead1(fn);
  if (head1 == 0) return <i32>fn;
  let e = head1 - 1;
  const flags = entryFlags(e);
  if ((flags & F_TRANSITION) != 0) {
    if (state == PATCH_IDLE) {
      scalarSet(S_WARN_IDLE, scalarGet(S_WARN_IDLE) + 1);
    } else if (state == PATCH_UNPATCHED) {
      const next1 = entryNext(e);
      if (next1 == 0) return <i32>fn;
      e = next1 - 1;
    }
  }
  if ((entryFlags(e) & F_NOP) != 0) return <i32>fn;
  return <i32>entryNew(e);
}

/**
 * How many handler calls met a transition head with an IDLE task (the kernel's
 * WARN_ON_ONCE(patch_state == KLP_TRANSITION_IDLE): it prints only the first).
 */
export function klp_handler_warnings(): u32 {
  return scalarGet(S_WARN_IDLE);
}
