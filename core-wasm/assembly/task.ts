// task.ts: the emulated tasks: per-task livepatch state (task->patch_state, TIF_PATCH_PENDING),
// scheduling facts the stack check needs (running on a CPU, unreliable stack) and an emulated
// kernel stack of return addresses.
//
// Layout. REGION_TASK_STATE holds one TASK_BYTES record per task id: the word offset of its stack
// block in REGION_TASK_FRAMES, the depth (u16), the block's size class (u8) and a flags byte.
// REGION_TASK_INDEX is the LIFO stack of freed task ids. Stacks live in ONE arena of blocks whose
// capacities come from a few size classes; freed blocks go on per-class free lists (threaded
// through the block's first word), so push and pop are O(1) amortised and 1,000,000 stacks need
// no per-task allocation header.
//
// A frame is u32 funcId << 12 | offset: the return address is funcAddr(funcId) + offset, with
// offset < funcSize(funcId). Frame 0 is the outermost (pushed first); frame depth-1 the innermost.

import { E2BIG, EINVAL, ENOMEM, ENOSPC, ESRCH } from "./shared/errno";
import { funcLive, funcSize } from "./kallsyms";
import {
  REGION_TASK_FRAMES,
  REGION_TASK_INDEX,
  REGION_TASK_STATE,
  SCALAR_TASK_BASE,
  regionBase,
  regionCapacity,
  regionReserve,
  regionResizeExact,
  regionSetUsed,
  scalarGet,
  scalarSet,
} from "./region";
import { scratchBase } from "./scratch";

export const PATCH_INVALID: i32 = -2; // not a task (internal marker)
export const PATCH_IDLE: i32 = -1; // KLP_TRANSITION_IDLE
export const PATCH_UNPATCHED: i32 = 0; // KLP_TRANSITION_UNPATCHED
export const PATCH_PATCHED: i32 = 1; // KLP_TRANSITION_PATCHED

/** The kernel's stack-check buffer (MAX_STACK_ENTRIES in transition.c). */
export const MAX_STACK_ENTRIES: u32 = 100;
/** Deepest stack the emulation stores: a 16 KiB kernel stack holds no more frames than this. */
export const TASK_MAX_DEPTH: u32 = 1024;
export const TASK_MAX: u32 = 1 << 22;

export const TASK_BYTES: usize = 8;
// Flags byte (offset 7). The patch state is stored +1 in bits 4-5 so that zero means IDLE.
export const TF_LIVE: u32 = 1;
export const TF_PENDING: u32 = 2;
export const TF_RUNNING: u32 = 4;
export const TF_UNRELIABLE: u32 = 8;
export const TF_STATE_SHIFT: u32 = 4;
export const TF_STATE_MASK: u32 = 0x30;

const CLASS_COUNT: u32 = 20;
const S_TASK_COUNT = SCALAR_TASK_BASE + 0; // high-water mark of task ids
const S_TASK_LIVE = SCALAR_TASK_BASE + 1;
const S_FREE_IDS = SCALAR_TASK_BASE + 2; // entries on the freed-id stack
const S_ARENA_TOP = SCALAR_TASK_BASE + 3; // words of REGION_TASK_FRAMES handed out
const S_FREE_CLASS = SCALAR_TASK_BASE + 4; // + class: first free block (word offset + 1)

// @ts-ignore: decorator
@inline export function taskPtr(id: u32): usize {
  return regionBase(REGION_TASK_STATE) + <usize>id * TASK_BYTES;
}

// @ts-ignore: decorator
@inline export function taskCount(): u32 {
  return scalarGet(S_TASK_COUNT);
}

// @ts-ignore: decorator
@inline export function taskFlags(id: u32): u32 {
  return load<u8>(taskPtr(id), 7);
}

// @ts-ignore: decorator
@inline export function setTaskFlags(id: u32, f: u32): void {
  store<u8>(taskPtr(id), <u8>f, 7);
}

// @ts-ignore: decorator
@inline export function taskDepth(id: u32): u32 {
  return load<u16>(taskPtr(id), 4);
}

// @ts-ignore: decorator
@inline export function taskBlock(id: u32): u32 {
  return load<u32>(taskPtr(id));
}

/** Address of word `w` of the frame arena (valid until the arena grows). */
// @ts-ignore: decorator
@inline export function frameWordPtr(w: u32): usize {
  return regionBase(REGION_TASK_FRAMES) + (<usize>w << 2);
}

export function taskValid(id: u32): bool {
  return id < scalarGet(S_TASK_COUNT) && (taskFlags(id) & TF_LIVE) != 0;
}

/** task->patch_state of a valid task from its flags byte. */
// @ts-ignore: decorator
@inline export function stateOfFlags(f: u32): i32 {
  return <i32>((f & TF_STATE_MASK) >> TF_STATE_SHIFT) - 1;
}

// @ts-ignore: decorator
@inline export function flagsWithState(f: u32, state: i32): u32 {
  return (f & ~TF_STATE_MASK) | (<u32>(state + 1) << TF_STATE_SHIFT);
}

/** task->patch_state, or PATCH_INVALID for an unknown task (the handler's hot path). */
// @ts-ignore: decorator
@inline export function taskPatchStateOf(id: u32): i32 {
  if (id >= scalarGet(S_TASK_COUNT)) return PATCH_INVALID;
  const f = taskFlags(id);
  if ((f & TF_LIVE) == 0) return PATCH_INVALID;
  return stateOfFlags(f);
}

// ---- size classes -------------------------------------------------------------------------

/** Class holding `depth` frames: steps of 8 up to 128, then 256, 512, 1024. */
function classFor(depth: u32): u32 {
  if (depth == 0) return 0;
  if (depth <= 128) return (depth + 7) >> 3;
  if (depth <= 256) return 17;
  if (depth <= 512) return 18;
  return 19;
}

function classCap(c: u32): u32 {
  if (c <= 16) return c << 3;
  return <u32>128 << (c - 16);
}

/** Takes a block of class `c` (> 0). @returns its word offset + 1, or -ENOMEM. */
function blockAlloc(c: u32): i32 {
  const free1 = scalarGet(S_FREE_CLASS + c);
  if (free1 != 0) {
    scalarSet(S_FREE_CLASS + c, load<u32>(frameWordPtr(free1 - 1)));
    return <i32>free1;
  }
  const top = scalarGet(S_ARENA_TOP);
  const cap = classCap(c);
  const need = (<usize>top + <usize>cap) << 2;
  const have = regionCapacity(REGION_TASK_FRAMES);
  if (need > have) {
    // Grow by half rather than double: the arena is the largest region by far.
    let target = have + (have >> 1);
    if (target < need) target = need;
    if (target < 4096) target = 4096;
    if (regionResizeExact(REGION_TASK_FRAMES, target) < 0) {
      if (regionResizeExact(REGION_TASK_FRAMES, need) < 0) return -ENOMEM;
    }
  }
  memory.fill(frameWordPtr(top), 0, <usize>cap << 2);
  scalarSet(S_ARENA_TOP, top + cap);
  regionSetUsed(REGION_TASK_FRAMES, need);
  return <i32>(top + 1);
}

function blockFree(w: u32, c: u32): void {
  if (c == 0) return;
  store<u32>(frameWordPtr(w), scalarGet(S_FREE_CLASS + c));
  scalarSet(S_FREE_CLASS + c, w + 1);
}

/**
 * Makes the task's block hold at least `depth` frames, keeping the first `keep` frames.
 * @returns 0 or -ENOMEM (the task is unchanged then).
 */
function ensureCapacity(id: u32, depth: u32, keep: u32): i32 {
  const p = taskPtr(id);
  const c = <u32>load<u8>(p, 6);
  if (depth <= classCap(c)) return 0;
  const nc = classFor(depth);
  const got = blockAlloc(nc);
  if (got < 0) return got;
  const w = <u32>got - 1;
  const q = taskPtr(id); // the state region did not move, but stay honest about bases
  const old = load<u32>(q);
  if (keep > 0) memory.copy(frameWordPtr(w), frameWordPtr(old), <usize>keep << 2);
  blockFree(old, c);
  store<u32>(q, w);
  store<u8>(q, <u8>nc, 6);
  return 0;
}

/** Whether `frame` is a return address inside a live function. */
export function frameValid(frame: u32): bool {
  const fn = frame >>> 12;
  return funcLive(fn) && (frame & 0xfff) < funcSize(fn);
}

// ---- exports ------------------------------------------------------------------------------

/**
 * Preallocates room for `n` tasks whose stacks hold `avgDepth` frames on average (plus half a
 * size-class step, what rounding a spread of depths to classes costs), so that creating them never
 * reallocates the arena. @returns 0, -EINVAL, -ENOMEM.
 */
export function task_reserve(n: u32, avgDepth: u32): i32 {
  if (n > TASK_MAX || avgDepth > TASK_MAX_DEPTH) return -EINVAL;
  const stateBytes = <usize>n * TASK_BYTES;
  if (stateBytes > regionCapacity(REGION_TASK_STATE)) {
    const err = regionResizeExact(REGION_TASK_STATE, stateBytes);
    if (err < 0) return err;
  }
  if (avgDepth == 0) return 0;
  const perTask = <usize>classCap(classFor(avgDepth)) + 4;
  const frameBytes = (<usize>scalarGet(S_ARENA_TOP) + <usize>n * perTask) << 2;
  if (frameBytes > regionCapacity(REGION_TASK_FRAMES)) {
    const err = regionResizeExact(REGION_TASK_FRAMES, frameBytes);
    if (err < 0) return err;
  }
  return 0;
}

/**
 * Creates a task: patch_state IDLE, no TIF_PATCH_PENDING, empty stack, asleep. Freed ids are
 * reused, last freed first. @returns the id, -ENOSPC, -ENOMEM.
 */
export function task_alloc(): i32 {
  let id: u32;
  const freeIds = scalarGet(S_FREE_IDS);
  if (freeIds > 0) {
    id = load<u32>(regionBase(REGION_TASK_INDEX) + (<usize>(freeIds - 1) << 2));
    scalarSet(S_FREE_IDS, freeIds - 1);
    regionSetUsed(REGION_TASK_INDEX, <usize>(freeIds - 1) << 2);
  } else {
    id = scalarGet(S_TASK_COUNT);
    if (id >= TASK_MAX) return -ENOSPC;
    const err = regionReserve(REGION_TASK_STATE, <usize>(id + 1) * TASK_BYTES);
    if (err < 0) return err;
    scalarSet(S_TASK_COUNT, id + 1);
    regionSetUsed(REGION_TASK_STATE, <usize>(id + 1) * TASK_BYTES);
  }
  store<u64>(taskPtr(id), 0);
  setTaskFlags(id, TF_LIVE);
  scalarSet(S_TASK_LIVE, scalarGet(S_TASK_LIVE) + 1);
  return <i32>id;
}

/** Destroys a task (release_task), freeing its stack. @returns 0, -ESRCH, -ENOMEM. */
export function task_free(id: u32): i32 {
  if (!taskValid(id)) return -ESRCH;
  const n = scalarGet(S_FREE_IDS);
  const err = regionReserve(REGION_TASK_INDEX, <usize>(n + 1) << 2);
  if (err < 0) return err;
  const p = taskPtr(id);
  blockFree(load<u32>(p), <u32>load<u8>(p, 6));
  store<u64>(p, 0);
  store<u32>(regionBase(REGION_TASK_INDEX) + (<usize>n << 2), id);
  scalarSet(S_FREE_IDS, n + 1);
  regionSetUsed(REGION_TASK_INDEX, <usize>(n + 1) << 2);
  scalarSet(S_TASK_LIVE, scalarGet(S_TASK_LIVE) - 1);
  return 0;
}

/** One past the highest task id ever handed out. */
export function task_count(): u32 {
  return scalarGet(S_TASK_COUNT);
}

/** Tasks alive now. */
export function task_live_count(): u32 {
  return scalarGet(S_TASK_LIVE);
}

/** @returns 1 for a live task, 0 otherwise. */
export function task_live(id: u32): i32 {
  return taskValid(id) ? 1 : 0;
}

/**
 * Fork (klp_copy_process, plus setup_thread_stack copying TIF_PATCH_PENDING): the child takes the
 * parent's patch_state and pending flag. Its stack and scheduling flags are left alone.
 * @returns 0 or -ESRCH.
 */
export function task_copy_process(child: u32, parent: u32): i32 {
  if (!taskValid(child) || !taskValid(parent)) return -ESRCH;
  const pf = taskFlags(parent);
  const keep = taskFlags(child) & ~(TF_PENDING | TF_STATE_MASK);
  setTaskFlags(child, keep | (pf & (TF_PENDING | TF_STATE_MASK)));
  return 0;
}

/**
 * Pushes a return address (a call into a deeper function).
 * @returns the new depth, -ESRCH, -EINVAL (not inside a live function), -E2BIG (deeper than
 * TASK_MAX_DEPTH), -ENOMEM.
 */
export function task_push_frame(id: u32, frame: u32): i32 {
  if (!taskValid(id)) return -ESRCH;
  if (!frameValid(frame)) return -EINVAL;
  const d = taskDepth(id);
  if (d >= TASK_MAX_DEPTH) return -E2BIG;
  const err = ensureCapacity(id, d + 1, d);
  if (err < 0) return err;
  store<u32>(frameWordPtr(taskBlock(id) + d), frame);
  store<u16>(taskPtr(id), <u16>(d + 1), 4);
  return <i32>(d + 1);
}

/** Pops the innermost frame (a return). @returns the new depth, -ESRCH, -EINVAL when empty. */
export function task_pop_frame(id: u32): i32 {
  if (!taskValid(id)) return -ESRCH;
  const d = taskDepth(id);
  if (d == 0) return -EINVAL;
  store<u16>(taskPtr(id), <u16>(d - 1), 4);
  return <i32>(d - 1);
}

/**
 * Replaces the whole stack with `n` frames read from scratch (outermost first). Every frame is
 * validated before anything changes. @returns n, -ESRCH, -EINVAL, -E2BIG, -ENOMEM.
 */
export function task_set_stack(id: u32, n: u32): i32 {
  if (!taskValid(id)) return -ESRCH;
  if (n > TASK_MAX_DEPTH) return -E2BIG;
  for (let i: u32 = 0; i < n; i++) {
    if (!frameValid(load<u32>(scratchBase() + (<usize>i << 2)))) return -EINVAL;
  }
  const err = ensureCapacity(id, n, 0);
  if (err < 0) return err;
  if (n > 0) memory.copy(frameWordPtr(taskBlock(id)), scratchBase(), <usize>n << 2);
  store<u16>(taskPtr(id), <u16>n, 4);
  return <i32>n;
}

/** @returns the stack depth, or -ESRCH. */
export function task_stack_depth(id: u32): i32 {
  if (!taskValid(id)) return -ESRCH;
  return <i32>taskDepth(id);
}

/** Frame `i` (0 = outermost) as an unsigned number, or -ESRCH / -EINVAL (out of range). */
export function task_frame(id: u32, i: u32): f64 {
  if (!taskValid(id)) return -ESRCH;
  if (i >= taskDepth(id)) return -EINVAL;
  return <f64>load<u32>(frameWordPtr(taskBlock(id) + i));
}

function setFlagBit(id: u32, bit: u32, on: u32): i32 {
  if (!taskValid(id)) return -ESRCH;
  if (on > 1) return -EINVAL;
  const f = taskFlags(id);
  setTaskFlags(id, on != 0 ? f | bit : f & ~bit);
  return 0;
}

/** Marks the task running on a CPU (task_curr) or not. @returns 0, -ESRCH, -EINVAL. */
export function task_set_running(id: u32, on: u32): i32 {
  return setFlagBit(id, TF_RUNNING, on);
}

/** Marks the task's stack unreliable to unwind (e.g. an in-kernel interrupt frame). */
export function task_set_unreliable(id: u32, on: u32): i32 {
  return setFlagBit(id, TF_UNRELIABLE, on);
}

/** @returns 1/0, or -ESRCH. */
export function task_running(id: u32): i32 {
  if (!taskValid(id)) return -ESRCH;
  return (taskFlags(id) & TF_RUNNING) != 0 ? 1 : 0;
}

/** @returns 1/0, or -ESRCH. */
export function task_unreliable(id: u32): i32 {
  if (!taskValid(id)) return -ESRCH;
  return (taskFlags(id) & TF_UNRELIABLE) != 0 ? 1 : 0;
}

/** task->patch_state: -1, 0, 1; or -ESRCH (-3). */
export function task_patch_state(id: u32): i32 {
  if (!taskValid(id)) return -ESRCH;
  return stateOfFlags(taskFlags(id));
}

/** TIF_PATCH_PENDING: 1/0, or -ESRCH. */
export function task_pending(id: u32): i32 {
  if (!taskValid(id)) return -ESRCH;
  return (taskFlags(id) & TF_PENDING) != 0 ? 1 : 0;
}

