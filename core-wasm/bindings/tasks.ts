// tasks.ts: typed door to the emulated tasks and the transition (assembly/task.ts, transition.ts).
import { ENOMEM } from "./errno.ts";
import type { CoreInstance } from "./instance.ts";

const NAMES = [
  "core_scratch_reserve",
  "task_reserve",
  "task_alloc",
  "task_free",
  "task_count",
  "task_live_count",
  "task_live",
  "task_copy_process",
  "task_push_frame",
  "task_pop_frame",
  "task_set_stack",
  "task_stack_depth",
  "task_frame",
  "task_set_running",
  "task_set_unreliable",
  "task_running",
  "task_unreliable",
  "task_patch_state",
  "task_pending",
  "klp_target_state",
  "klp_init_transition",
  "klp_start_transition",
  "klp_update_patch_state",
  "klp_try_switch_task",
  "klp_try_switch_current",
  "klp_sweep",
  "klp_sweep_framewalk",
  "klp_check_count",
  "klp_check_records",
  "klp_complete_transition",
  "klp_reverse_transition",
  "klp_force_transition",
  "klp_cancel_transition",
] as const;

/** The kernel's stack-check buffer: a stack this deep or deeper is unreliable. */
export const MAX_STACK_ENTRIES = 100;
/** Deepest stack the emulation stores. */
export const TASK_MAX_DEPTH = 1024;

/** A compact frame: the return address is funcAddr(fn) + offset, offset < funcSize(fn). */
export function frame(fn: number, offset: number): number {
  return ((fn << 12) | (offset & 0xfff)) >>> 0;
}

/** The function id of a compact frame. */
export function frameFunc(f: number): number {
  return f >>> 12;
}

/** One failed stack check (klp_try_switch_task's reasons). */
export interface CheckFailure {
  task: number;
  /** -EBUSY (running), -EINVAL (unreliable stack), -EADDRINUSE (sleeping on `func`). */
  errno: number;
  /** The original function (old_name) reported for -EADDRINUSE, else -1. */
  func: number;
  /** The klp_func entry reported for -EADDRINUSE, else -1. */
  entry: number;
}

/** Tasks, their livepatch state and stacks, and the transition over them. */
export class Tasks {
  private readonly x;

  constructor(private readonly core: CoreInstance) {
    this.x = core.fns(NAMES);
  }

  /** Preallocates `n` tasks of `avgDepth` frames on average. @returns 0, -EINVAL, -ENOMEM. */
  reserve(n: number, avgDepth: number): number {
    return this.x.task_reserve(n, avgDepth);
  }

  /** A new task (IDLE, not pending, empty stack, asleep). @returns the id or -errno. */
  alloc(): number {
    return this.x.task_alloc();
  }

  /** @returns 0, -ESRCH. */
  free(id: number): number {
    return this.x.task_free(id);
  }

  /** One past the highest task id handed out. */
  count(): number {
    return this.x.task_count() >>> 0;
  }

  liveCount(): number {
    return this.x.task_live_count() >>> 0;
  }

  live(id: number): boolean {
    return this.x.task_live(id) === 1;
  }

  /** klp_copy_process: the child takes the parent's patch_state and pending flag. */
  copyProcess(child: number, parent: number): number {
    return this.x.task_copy_process(child, parent);
  }

  /** @returns the new depth, -ESRCH, -EINVAL (bad frame), -E2BIG, -ENOMEM. */
  pushFrame(id: number, f: number): number {
    return this.x.task_push_frame(id, f);
  }

  /** @returns the new depth, -ESRCH, -EINVAL (empty). */
  popFrame(id: number): number {
    return this.x.task_pop_frame(id);
  }

  /** Replaces the stack (outermost first). @returns the depth or -errno. */
  setStack(id: number, frames: Uint32Array): number {
    const base = this.x.core_scratch_reserve(Math.max(frames.byteLength, 16)) >>> 0;
    if (base === 0) return -ENOMEM;
    // Fresh view after the reserve, which may have grown the memory.
    this.core
      .bytes()
      .set(new Uint8Array(frames.buffer, frames.byteOffset, frames.byteLength), base);
    return this.x.task_set_stack(id, frames.length);
  }

  /** @returns the depth or -ESRCH. */
  depth(id: number): number {
    return this.x.task_stack_depth(id);
  }

  /** Frame `i` (0 = outermost), or -ESRCH / -EINVAL. */
  frame(id: number, i: number): number {
    return this.x.task_frame(id, i);
  }

  /** The whole stack, outermost first (empty for an unknown task). */
  stack(id: number): number[] {
    const d = this.depth(id);
    const out: number[] = [];
    for (let i = 0; i < d; i++) out.push(this.frame(id, i));
    return out;
  }

  /** @returns 0, -ESRCH. */
  setRunning(id: number, on: boolean): number {
    return this.x.task_set_running(id, on ? 1 : 0);
  }

  /** @returns 0, -ESRCH. */
  setUnreliable(id: number, on: boolean): number {
    return this.x.task_set_unreliable(id, on ? 1 : 0);
  }

  running(id: number): number {
    return this.x.task_running(id);
  }

  unreliable(id: number): number {
    return this.x.task_unreliable(id);
  }

  /** task->patch_state (-1, 0, 1) or -ESRCH. */
  patchState(id: number): number {
    return this.x.task_patch_state(id);
  }

  /** TIF_PATCH_PENDING (1/0) or -ESRCH. */
  pending(id: number): number {
    return this.x.task_pending(id);
  }

  /** klp_target_state: -1, 0, 1. */
  targetState(): number {
    return this.x.klp_target_state();
  }

  /** klp_init_transition. @returns the count of tasks that were not IDLE, -EINVAL, -EBUSY. */
  initTransition(target: 0 | 1): number {
    return this.x.klp_init_transition(target);
  }

  /** klp_start_transition. @returns how many tasks became pending, or -EINVAL. */
  startTransition(): number {
    return this.x.klp_start_transition();
  }

  /** klp_update_patch_state. @returns 1 when it switched, 0, -ESRCH. */
  updatePatchState(id: number): number {
    return this.x.klp_update_patch_state(id);
  }

  /** klp_try_switch_task. @returns 0, -EBUSY, -EINVAL, -EADDRINUSE (see lastFailures), -ESRCH. */
  trySwitch(id: number, patchId: number): number {
    return this.x.klp_try_switch_task(id, patchId);
  }

  /** klp_try_switch_task(current) from the scheduler hook: running is no obstacle. */
  trySwitchCurrent(id: number, patchId: number): number {
    return this.x.klp_try_switch_current(id, patchId);
  }

  /** One pass over all unswitched tasks (bitmap check). @returns how many remain, or -errno. */
  sweep(patchId: number): number {
    return this.x.klp_sweep(patchId);
  }

  /** As sweep with the kernel's address-range walk. */
  sweepFramewalk(patchId: number): number {
    return this.x.klp_sweep_framewalk(patchId);
  }

  /** Failures recorded by the last sweep or trySwitch. */
  failureCount(): number {
    return this.x.klp_check_count() >>> 0;
  }

  /** The failures recorded by the last sweep or trySwitch, in task order. */
  failures(): CheckFailure[] {
    const n = this.failureCount();
    const base = this.x.klp_check_records() >>> 0;
    const view = this.core.view();
    const out: CheckFailure[] = [];
    for (let i = 0; i < n; i++) {
      const p = base + i * 16;
      out.push({
        task: view.getUint32(p, true),
        errno: view.getInt32(p + 4, true),
        func: view.getInt32(p + 8, true),
        entry: view.getInt32(p + 12, true),
      });
    }
    return out;
  }

  /** Task part of klp_complete_transition. @returns tasks still pending (WARN), or -EINVAL. */
  completeTransition(): number {
    return this.x.klp_complete_transition();
  }

  /** klp_reverse_transition. @returns how many tasks are pending again, or -EINVAL. */
  reverseTransition(): number {
    return this.x.klp_reverse_transition();
  }

  /** klp_force_transition. @returns how many tasks switched, or -EINVAL. */
  forceTransition(): number {
    return this.x.klp_force_transition();
  }

  /** klp_cancel_transition: target PATCHED becomes UNPATCHED. @returns 0 or -EINVAL. */
  cancelTransition(): number {
    return this.x.klp_cancel_transition();
  }
}
