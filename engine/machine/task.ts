// task.ts: the machine's tasks (struct task_struct as far as livepatch sees it). patch_state and
// TIF_PATCH_PENDING live in the core (core.tasks) and are read from there; the stack of frames is
// the core's too, pushed and popped as kernel functions are entered and left.
import type { Core } from "../../core-wasm/bindings/index.ts";
import type { TimerHandle } from "./scheduler.ts";
import type { KCode } from "./kcode.ts";

export type TaskKind = "user" | "kthread" | "idle";

/**
 * running: on a CPU now; runnable: waiting for one; sleeping: in schedule(), in `sleepFn`;
 * user: in user space (or returning to it); dead: exited.
 */
export type RunState = "running" | "runnable" | "sleeping" | "user" | "dead";

export interface Sleep {
  interruptible: boolean;
  freezable: boolean;
  timer: TimerHandle | null;
}

export class Task {
  state: RunState = "user";
  sleep: Sleep | null = null;
  /** The kernel code the task is executing (a kthread body, a syscall), or null. */
  body: KCode | null = null;
  /** Function ids entered, outermost first (mirrors the core stack). */
  readonly fns: number[] = [];
  /** TIF_NOTIFY_SIGNAL: a fake signal is pending. */
  notifySignal = false;
  /** kthread_should_stop(): set by kthread_stop(). */
  shouldStop = false;
  exitCode = 0;

  constructor(
    readonly pid: number,
    public comm: string,
    readonly kind: TaskKind,
    public cpu: number,
    /** The core's task id. */
    readonly coreId: number,
    readonly ppid: number,
  ) {}
}

/** Reads the livepatch state of a task from the core. */
export function patchState(core: Core, t: Task): number {
  return core.tasks.patchState(t.coreId);
}

/** Whether TIF_PATCH_PENDING is set. */
export function patchPending(core: Core, t: Task): boolean {
  return core.tasks.pending(t.coreId) === 1;
}
