// kcode.ts: kernel code that can sleep, written as generators. A body yields a KStep to the
// machine (schedule() with a timeout, or until woken) and is resumed on the virtual clock; calls
// between kernel functions use `yield*` so that the emulated stack is the chain of functions
// entered, innermost on top, as a stack trace of a sleeping task would show it.

/** What a sleeping body asks of the scheduler (set_current_state + schedule_timeout). */
export interface KStep {
  /** Sleep length in ns; null sleeps until woken. */
  sleepNs: number | null;
  /** TASK_INTERRUPTIBLE (a fake signal wakes it) or TASK_UNINTERRUPTIBLE. */
  interruptible: boolean;
  /** TASK_FREEZABLE: the v6.16+ scheduler hook tries to switch the task as it sleeps. */
  freezable: boolean;
}

/** A kernel code path: yields sleeps, returns its result. */
export type KCode<T = unknown> = Generator<KStep, T, unknown>;

/** msleep()/schedule_timeout_uninterruptible() step. */
export function msleep(ms: number): KStep {
  return { sleepNs: ms * 1_000_000, interruptible: false, freezable: false };
}

/** msleep_interruptible()/schedule_timeout_interruptible() step. */
export function msleepInterruptible(ms: number): KStep {
  return { sleepNs: ms * 1_000_000, interruptible: true, freezable: false };
}

/** wait_event_interruptible(): sleeps until woken (a wake_up or a fake signal). */
export function waitInterruptible(freezable = false): KStep {
  return { sleepNs: null, interruptible: true, freezable };
}

/** A finished code path with a value (for bodies that never sleep). */
// eslint-disable-next-line require-yield
export function* done<T>(value: T): KCode<T> {
  return value;
}

/**
 * Thrown through kernel code when the task running it died (an Oops in module code: the kernel's
 * make_task_dead()). The frames unwind as the exception passes each call; the task run loop (or
 * whoever drives the code) then lets the task exit.
 */
export class TaskKilled extends Error {
  constructor(readonly pid: number) {
    super(`task ${pid} killed`);
    this.name = "TaskKilled";
  }
}
