// transition.ts: the livepatch consistency model over the emulated tasks. Mirrors
// kernel/livepatch/transition.c: klp_init_transition, klp_start_transition,
// klp_update_patch_state, klp_try_switch_task (klp_check_and_switch_task, klp_check_stack,
// klp_check_stack_func), klp_try_complete_transition's task loop (klp_sweep), klp_complete_
// transition's task part, klp_reverse_transition, klp_force_transition, klp_cancel_transition.
//
// The stack check. For each func of the transition patch that sits on a func_stack (the kernel
// skips objects that are not patched), in func order, a forbidden range is one whole function:
// patching -> the entry below it on its func_stack (its new function; a nop's is the original), or
// the original when there is none; unpatching -> its own new function (the original for a nop).
// A task fails with -EADDRINUSE on the first func, in func order, whose range holds any frame.
// Because ranges are whole functions and frames carry their function id, the fast check tests
// each frame's id in a bitmap; klp_sweep_framewalk compares return addresses with the ranges the
// way the kernel does, for comparison.
//
// REGION_CHECK layout, rebuilt by every check call: bitmap of forbidden function ids; per function
// the first func order (+1) whose range it is; the patch's funcs (PF_BYTES each); then the failure
// records (REC_BYTES each: task, -errno, old function id, entry id) of the last check call.

import { EBUSY, EADDRINUSE, EINVAL, ESRCH } from "./shared/errno";
import { FUNC_MAX_COUNT, funcAddr, funcCount, funcSize } from "./kallsyms";
import {
  entryCount,
  entryNew,
  entryNext,
  entryOld,
  entryPatch,
  entryPatched,
  entrySeq,
  entryValid,
} from "./ops";
import {
  REGION_CHECK,
  REGION_TASK_FRAMES,
  REGION_TASK_STATE,
  SCALAR_TASK_BASE,
  regionBase,
  regionCapacity,
  regionReserve,
  regionSetUsed,
  scalarGet,
  scalarSet,
} from "./region";
import {
  MAX_STACK_ENTRIES,
  PATCH_IDLE,
  TF_LIVE,
  TF_PENDING,
  TASK_BYTES,
  TF_RUNNING,
  TF_STATE_MASK,
  TF_STATE_SHIFT,
  TF_UNRELIABLE,
  flagsWithState,
  frameWordPtr,
  setTaskFlags,
  stateOfFlags,
  taskBlock,
  taskCount,
  taskDepth,
  taskFlags,
  taskValid,
} from "./task";

const S_TARGET = SCALAR_TASK_BASE + 32; // klp_target_state + 1 (0 = IDLE)
const S_FAILS = SCALAR_TASK_BASE + 33; // failure records of the last check call
const S_MAP_OFF = SCALAR_TASK_BASE + 34;
const S_PF_OFF = SCALAR_TASK_BASE + 35;
const S_PF_COUNT = SCALAR_TASK_BASE + 36;
const S_REC_OFF = SCALAR_TASK_BASE + 37;
const S_ENT_OFF = SCALAR_TASK_BASE + 38; // the walk's saved return addresses (entries[])

const PF_BYTES: usize = 16; // entry, old function, range function, (spare)
const REC_BYTES: usize = 16;

// @ts-ignore: decorator
@inline function target(): i32 {
  return <i32>scalarGet(S_TARGET) - 1;
}

// @ts-ignore: decorator
@inline function setTarget(t: i32): void {
  scalarSet(S_TARGET, <u32>(t + 1));
}

// @ts-ignore: decorator
@inline function pfPtr(k: u32): usize {
  return regionBase(REGION_CHECK) + <usize>scalarGet(S_PF_OFF) + <usize>k * PF_BYTES;
}

/** The function whose whole body is the forbidden range of entry `e` (klp_check_stack_func). */
function rangeFunc(e: u32, tgt: i32): u32 {
  if (tgt == 0) return entryNew(e);
  const next1 = entryNext(e);
  return next1 == 0 ? entryOld(e) : entryNew(next1 - 1);
}

/**
 * Rebuilds the check tables for patch `patchId` and the current target, and empties the failure
 * records. @returns the number of patch funcs checked, or -ENOMEM.
 */
function buildCheck(patchId: u32): i32 {
  const nf = funcCount();
  // The bitmap spans every possible function id, so that a frame naming a function the text no
  // longer knows (text_init after tasks were created) tests a zero bit instead of foreign memory.
  const mapOff = <usize>(FUNC_MAX_COUNT >> 5) << 2;
  const pfOff = mapOff + (<usize>nf << 2);
  let npf: u32 = 0;
  const ne = entryCount();
  for (let e: u32 = 0; e < ne; e++) {
    if (entryValid(e) && entryPatched(e) && entryPatch(e) == patchId) npf++;
  }
  const entOff = pfOff + <usize>npf * PF_BYTES;
  const recOff = entOff + (<usize>MAX_STACK_ENTRIES << 2);
  const err = regionReserve(REGION_CHECK, recOff + REC_BYTES * 64);
  if (err < 0) return err;
  scalarSet(S_MAP_OFF, <u32>mapOff);
  scalarSet(S_PF_OFF, <u32>pfOff);
  scalarSet(S_REC_OFF, <u32>recOff);
  scalarSet(S_ENT_OFF, <u32>entOff);
  scalarSet(S_PF_COUNT, npf);
  scalarSet(S_FAILS, 0);
  const base = regionBase(REGION_CHECK);
  memory.fill(base, 0, recOff);
  // The patch's funcs in creation order (insertion sort on seq: patches have few funcs).
  let n: u32 = 0;
  for (let e: u32 = 0; e < ne; e++) {
    if (!(entryValid(e) && entryPatched(e) && entryPatch(e) == patchId)) continue;
    let k = n;
    while (k > 0 && entrySeq(load<u32>(pfPtr(k - 1))) > entrySeq(e)) {
      memory.copy(pfPtr(k), pfPtr(k - 1), PF_BYTES);
      k--;
    }
    store<u32>(pfPtr(k), e);
    n++;
  }
  const tgt = target();
  for (let k: u32 = 0; k < npf; k++) {
    const p = pfPtr(k);
    const e = load<u32>(p);
    const rf = rangeFunc(e, tgt);
    store<u32>(p, entryOld(e), 4);
    store<u32>(p, rf, 8);
    const bit = base + (<usize>(rf >> 5) << 2);
    store<u32>(bit, load<u32>(bit) | (<u32>1 << (rf & 31)));
    const m = base + mapOff + (<usize>rf << 2);
    if (load<u32>(m) == 0) store<u32>(m, k + 1);
  }
  regionSetUsed(REGION_CHECK, recOff);
  return <i32>npf;
}

/**
 * The per-task part of klp_check_and_switch_task without the switch. @returns 0 (may switch),
 * -EBUSY (running elsewhere), -EINVAL (unreliable stack: flagged, or as deep as the kernel's
 * 100-entry buffer, which stack_trace_save_tsk_reliable() reports as a failure), or the func
 * order + 1 of the first func whose range holds a frame.
 */
// @ts-ignore: decorator
@inline function checkTask(id: u32, flags: u32, self: bool, walk: bool): i32 {
  if ((flags & TF_RUNNING) != 0 && !self) return -EBUSY;
  const d = taskDepth(id);
  if ((flags & TF_UNRELIABLE) != 0 || d >= MAX_STACK_ENTRIES) return -EINVAL;
  return walk ? walkFrames(id, d) : scanFrames(id, d);
}

/**
 * Fast check: each frame's function id against the bitmap. The common case (no hit) runs a
 * branch-free loop that ORs the tested bits; only a hit pays for finding the lowest func order.
 */
// @ts-ignore: decorator
@inline function scanFrames(id: u32, d: u32): i32 {
  return scanBlock(frameWordPtr(taskBlock(id)), d, regionBase(REGION_CHECK)) ? lowestOrder(id, d) : 0;
}

/** Whether any of the `d` frames at `p` names a function set in the bitmap at `bitmap`. */
// @ts-ignore: decorator
@inline function scanBlock(p: usize, d: u32, bitmap: usize): bool {
  const end = p + (<usize>d << 2);
  let hit: u32 = 0;
  while (p + 16 <= end) {
    const f0 = load<u32>(p) >>> 12;
    const f1 = load<u32>(p, 4) >>> 12;
    const f2 = load<u32>(p, 8) >>> 12;
    const f3 = load<u32>(p, 12) >>> 12;
    hit |= load<u32>(bitmap + (<usize>(f0 >> 5) << 2)) >>> (f0 & 31);
    hit |= load<u32>(bitmap + (<usize>(f1 >> 5) << 2)) >>> (f1 & 31);
    hit |= load<u32>(bitmap + (<usize>(f2 >> 5) << 2)) >>> (f2 & 31);
    hit |= load<u32>(bitmap + (<usize>(f3 >> 5) << 2)) >>> (f3 & 31);
    p += 16;
  }
  while (p < end) {
    const f = load<u32>(p) >>> 12;
    hit |= load<u32>(bitmap + (<usize>(f >> 5) << 2)) >>> (f & 31);
    p += 4;
  }
  return (hit & 1) != 0;
}

/** The lowest func order (+1) whose range holds one of the task's frames. */
function lowestOrder(id: u32, d: u32): i32 {
  const base = regionBase(REGION_CHECK);
  const map = base + <usize>scalarGet(S_MAP_OFF);
  const fw = frameWordPtr(taskBlock(id));
  let best: u32 = 0;
  for (let i: u32 = 0; i < d; i++) {
    const fn = load<u32>(fw + (<usize>i << 2)) >>> 12;
    if (fn >= funcCount()) continue;
    if ((load<u32>(base + (<usize>(fn >> 5) << 2)) & (<u32>1 << (fn & 31))) == 0) continue;
    const order = load<u32>(map + (<usize>fn << 2));
    if (best == 0 || order < best) best = order;
  }
  return <i32>best;
}

/**
 * Kernel-like check (klp_check_stack): save the return addresses first, as
 * stack_trace_save_tsk_reliable() fills entries[], then for each func in order compare every
 * entry with its range (klp_check_stack_func). Only reached with d < MAX_STACK_ENTRIES.
 */
function walkFrames(id: u32, d: u32): i32 {
  const npf = scalarGet(S_PF_COUNT);
  const nf = funcCount();
  const entries = regionBase(REGION_CHECK) + <usize>scalarGet(S_ENT_OFF);
  const fw = frameWordPtr(taskBlock(id));
  for (let i: u32 = 0; i < d; i++) {
    const frame = load<u32>(fw + (<usize>i << 2));
    // A function the text no longer knows has no address: 0 lies in no range.
    const addr = frame >>> 12 < nf ? funcAddr(frame >>> 12) + (frame & 0xfff) : 0;
    store<u32>(entries + (<usize>i << 2), addr);
  }
  for (let k: u32 = 0; k < npf; k++) {
    const rf = load<u32>(pfPtr(k), 8);
    const start = funcAddr(rf);
    const size = funcSize(rf);
    for (let i: u32 = 0; i < d; i++) {
      const addr = load<u32>(entries + (<usize>i << 2));
      if (addr >= start && addr - start < size) return <i32>(k + 1);
    }
  }
  return 0;
}

/** Appends a failure record. @returns 0 or -ENOMEM. */
function record(id: u32, res: i32): i32 {
  const n = scalarGet(S_FAILS);
  const off = <usize>scalarGet(S_REC_OFF) + <usize>n * REC_BYTES;
  if (off + REC_BYTES > regionCapacity(REGION_CHECK)) {
    const err = regionReserve(REGION_CHECK, off + REC_BYTES);
    if (err < 0) return err;
  }
  const p = regionBase(REGION_CHECK) + off;
  store<u32>(p, id);
  if (res > 0) {
    const pf = pfPtr(<u32>res - 1);
    store<i32>(p, -EADDRINUSE, 4);
    store<u32>(p, load<u32>(pf, 4), 8);
    store<u32>(p, load<u32>(pf), 12);
  } else {
    store<i32>(p, res, 4);
    store<u32>(p, 0xffffffff, 8);
    store<u32>(p, 0xffffffff, 12);
  }
  scalarSet(S_FAILS, n + 1);
  regionSetUsed(REGION_CHECK, off + REC_BYTES);
  return 0;
}

/** Clears TIF_PATCH_PENDING and takes the target state. */
// @ts-ignore: decorator
@inline function switchTask(id: u32, flags: u32, tgt: i32): void {
  setTaskFlags(id, flagsWithState(flags & ~TF_PENDING, tgt));
}

/**
 * The bitmap sweep with every base hoisted: the task table and the arena do not move during a
 * sweep (only REGION_CHECK may grow, when a failure is recorded).
 */
function sweepFast(tgt: i32): i32 {
  const n = taskCount();
  const st = regionBase(REGION_TASK_STATE);
  const arena = regionBase(REGION_TASK_FRAMES);
  const done = <u32>(tgt + 1) << TF_STATE_SHIFT;
  let bitmap = regionBase(REGION_CHECK);
  for (let id: u32 = 0; id < n; id++) {
    const rec = st + <usize>id * TASK_BYTES;
    const f = <u32>load<u8>(rec, 7);
    if ((f & TF_LIVE) == 0 || (f & TF_STATE_MASK) == done) continue;
    let res: i32 = 0;
    const d = <u32>load<u16>(rec, 4);
    if ((f & TF_RUNNING) != 0) res = -EBUSY;
    else if ((f & TF_UNRELIABLE) != 0 || d >= MAX_STACK_ENTRIES) res = -EINVAL;
    else if (scanBlock(arena + (<usize>load<u32>(rec) << 2), d, bitmap)) res = lowestOrder(id, d);
    if (res == 0) {
      store<u8>(rec, <u8>((f & ~(TF_PENDING | TF_STATE_MASK)) | done), 7);
    } else {
      const err = record(id, res);
      if (err < 0) return err;
      bitmap = regionBase(REGION_CHECK);
    }
  }
  return <i32>scalarGet(S_FAILS);
}

function sweep(patchId: u32, walk: bool): i32 {
  const tgt = target();
  if (tgt == PATCH_IDLE) return -EINVAL;
  const built = buildCheck(patchId);
  if (built < 0) return built;
  if (!walk) return sweepFast(tgt);
  const n = taskCount();
  for (let id: u32 = 0; id < n; id++) {
    const f = taskFlags(id);
    if ((f & TF_LIVE) == 0 || stateOfFlags(f) == tgt) continue;
    const res = checkTask(id, f, false, walk);
    if (res == 0) {
      switchTask(id, f, tgt);
    } else {
      const err = record(id, res);
      if (err < 0) return err;
    }
  }
  return <i32>scalarGet(S_FAILS);
}

function trySwitch(id: u32, patchId: u32, self: bool): i32 {
  if (!taskValid(id)) return -ESRCH;
  const tgt = target();
  const f = taskFlags(id);
  if (stateOfFlags(f) == tgt) return 0;
  const built = buildCheck(patchId);
  if (built < 0) return built;
  const res = checkTask(id, f, self, false);
  if (res == 0) {
    switchTask(id, f, tgt);
    return 0;
  }
  const err = record(id, res);
  if (err < 0) return err;
  return res > 0 ? -EADDRINUSE : res;
}

function forEachLive(fn: (id: u32, f: u32, tgt: i32) => u32): u32 {
  const n = taskCount();
  const tgt = target();
  let count: u32 = 0;
  for (let id: u32 = 0; id < n; id++) {
    const f = taskFlags(id);
    if ((f & TF_LIVE) != 0) count += fn(id, f, tgt);
  }
  return count;
}

// ---- exports ------------------------------------------------------------------------------

/** klp_target_state: -1 IDLE, 0 UNPATCHED, 1 PATCHED. */
export function klp_target_state(): i32 {
  return target();
}

/**
 * klp_init_transition(patch, target): every task takes the initial state !target.
 * @returns how many tasks were not IDLE (each a WARN_ON_ONCE in the kernel), -EINVAL for a
 * target other than 0/1, -EBUSY when a transition is already set.
 */
export function klp_init_transition(tgt: i32): i32 {
  if (tgt != 0 && tgt != 1) return -EINVAL;
  if (target() != PATCH_IDLE) return -EBUSY;
  setTarget(tgt);
  return <i32>forEachLive((id: u32, f: u32, t: i32): u32 => {
    setTaskFlags(id, flagsWithState(f, t == 0 ? 1 : 0));
    return stateOfFlags(f) != PATCH_IDLE ? 1 : 0;
  });
}

/** klp_start_transition(): TIF_PATCH_PENDING on every task not in the target state. @returns how many, or -EINVAL when IDLE. */
export function klp_start_transition(): i32 {
  if (target() == PATCH_IDLE) return -EINVAL;
  return <i32>forEachLive((id: u32, f: u32, t: i32): u32 => {
    if (stateOfFlags(f) == t) return 0;
    setTaskFlags(id, f | TF_PENDING);
    return 1;
  });
}

/**
 * klp_update_patch_state(task): the task passes a switch point (return to user space, the idle
 * loop): if pending, clear the flag and take the target. @returns 1 when it switched, 0, -ESRCH.
 */
export function klp_update_patch_state(id: u32): i32 {
  if (!taskValid(id)) return -ESRCH;
  const f = taskFlags(id);
  if ((f & TF_PENDING) == 0) return 0;
  switchTask(id, f, target());
  return 1;
}

/**
 * klp_try_switch_task(task) for patch `patchId`: 0 when switched or already in the target state,
 * -EBUSY (running), -EINVAL (unreliable stack), -EADDRINUSE (sleeping on a function: the failure
 * record 0 names it), -ESRCH. Replaces the failure records with this one result.
 */
export function klp_try_switch_task(id: u32, patchId: u32): i32 {
  return trySwitch(id, patchId, false);
}

/** As klp_try_switch_task for `current` itself (the scheduler hook): running is no obstacle. */
export function klp_try_switch_current(id: u32, patchId: u32): i32 {
  return trySwitch(id, patchId, true);
}

/**
 * One klp_try_complete_transition() task loop over every task not in the target state, with the
 * fast (bitmap) stack check. Every failure is recorded (klp_check_record_*).
 * @returns how many tasks remain unswitched, -EINVAL when no transition, -ENOMEM.
 */
export function klp_sweep(patchId: u32): i32 {
  return sweep(patchId, false);
}

/** klp_sweep with the kernel's range-comparing walk over return addresses. Same results. */
export function klp_sweep_framewalk(patchId: u32): i32 {
  return sweep(patchId, true);
}

/** Failure records of the last check call. */
export function klp_check_count(): u32 {
  return scalarGet(S_FAILS);
}

/** Absolute address of the failure records (REC 16 bytes: task, -errno, old fn, entry). */
export function klp_check_records(): usize {
  return regionBase(REGION_CHECK) + <usize>scalarGet(S_REC_OFF);
}

function recordWord(i: u32, at: usize): i32 {
  if (i >= scalarGet(S_FAILS)) return -EINVAL;
  return load<i32>(klp_check_records() + <usize>i * REC_BYTES + at);
}

/** Task of failure record `i`, or -EINVAL. */
export function klp_check_task(i: u32): i32 {
  return recordWord(i, 0);
}

/** -errno of failure record `i` (-EBUSY, -EINVAL, -EADDRINUSE), or -EINVAL out of range. */
export function klp_check_errno(i: u32): i32 {
  return recordWord(i, 4);
}

/** Original function (old_name) of an -EADDRINUSE record, -1 for other reasons, -EINVAL. */
export function klp_check_func(i: u32): i32 {
  return recordWord(i, 8);
}

/** klp_func entry of an -EADDRINUSE record, -1 for other reasons, -EINVAL. */
export function klp_check_entry(i: u32): i32 {
  return recordWord(i, 12);
}

/**
 * The task part of klp_complete_transition(): every task goes IDLE, TIF_PATCH_PENDING cleared,
 * target IDLE. @returns how many tasks still had the flag (each a WARN_ON_ONCE), -EINVAL when IDLE.
 */
export function klp_complete_transition(): i32 {
  if (target() == PATCH_IDLE) return -EINVAL;
  const warned = forEachLive((id: u32, f: u32, _t: i32): u32 => {
    setTaskFlags(id, flagsWithState(f & ~TF_PENDING, PATCH_IDLE));
    return (f & TF_PENDING) != 0 ? 1 : 0;
  });
  setTarget(PATCH_IDLE);
  return <i32>warned;
}

/**
 * klp_reverse_transition(): flip the target, clear every TIF_PATCH_PENDING, then
 * klp_start_transition(). @returns how many tasks are pending again, -EINVAL when IDLE.
 */
export function klp_reverse_transition(): i32 {
  const tgt = target();
  if (tgt == PATCH_IDLE) return -EINVAL;
  setTarget(tgt == 0 ? 1 : 0);
  forEachLive((id: u32, f: u32, _t: i32): u32 => {
    setTaskFlags(id, f & ~TF_PENDING);
    return 0;
  });
  return klp_start_transition();
}

/**
 * klp_force_transition(): klp_update_patch_state() on every task, no stack check.
 * @returns how many tasks switched, -EINVAL when IDLE.
 */
export function klp_force_transition(): i32 {
  if (target() == PATCH_IDLE) return -EINVAL;
  return <i32>forEachLive((id: u32, f: u32, t: i32): u32 => {
    if ((f & TF_PENDING) == 0) return 0;
    switchTask(id, f, t);
    return 1;
  });
}

/**
 * klp_cancel_transition(): an enable failed before the transition started; the target becomes
 * UNPATCHED (the engine then pops and calls klp_complete_transition). @returns 0, or -EINVAL
 * unless the target is PATCHED (the kernel's WARN_ON_ONCE).
 */
export function klp_cancel_transition(): i32 {
  if (target() != 1) return -EINVAL;
  setTarget(0);
  return 0;
}
