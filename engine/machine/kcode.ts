// kcode.ts: kernel code that can sleep, as explicit resumable frames. A body yields a KStep to the
// machine (schedule() with a timeout, or until woken) and is resumed on the virtual clock; a call
// of one kernel function from another delegates to the callee's frame, so that the emulated stack
// is the chain of frames entered, innermost on top, as a stack trace of a sleeping task shows it.
// Frames keep the iterator protocol (next/return) that generators have, but all their state is in
// ordinary fields: a checkpoint can save and restore a sleeping task's code in place, which it
// cannot do with a suspended generator (its position and locals are invisible).

/** What a sleeping body asks of the scheduler (set_current_state + schedule_timeout). */
export interface KStep {
  /** Sleep length in ns; null sleeps until woken. */
  sleepNs: number | null;
  /** TASK_INTERRUPTIBLE (a fake signal wakes it) or TASK_UNINTERRUPTIBLE. */
  interruptible: boolean;
  /** TASK_FREEZABLE: the v6.16+ scheduler hook tries to switch the task as it sleeps. */
  freezable: boolean;
}

/**
 * A kernel code path: yields sleeps, returns its result. `return()` unwinds it (each frame's
 * cleanup runs, as a generator's finally blocks do). Generators satisfy it too (tests use them).
 */
export interface KCode<T = unknown> {
  next(input?: unknown): IteratorResult<KStep, T>;
  return(value?: unknown): IteratorResult<KStep, T>;
  /** Iterable, so that a generator can still delegate to a frame with `yield*`. */
  [Symbol.iterator](): KCode<T>;
}

/** The result of a code path that ended with `value`. */
export function ended<T>(value: T): IteratorReturnResult<T> {
  return { done: true, value };
}

/** A frame: its state is its fields; subclasses implement next and return. */
export abstract class KFrame<T = unknown> implements KCode<T> {
  abstract next(input?: unknown): IteratorResult<KStep, T>;
  abstract return(value?: unknown): IteratorResult<KStep, T>;
  [Symbol.iterator](): this {
    return this;
  }
}

/** A finished code path with a value (for bodies that never sleep). */
class Done<T> extends KFrame<T> {
  private over = false;

  constructor(private value: T | undefined) {
    super();
  }

  next(): IteratorResult<KStep, T> {
    if (this.over) return ended(undefined as T);
    this.over = true;
    const value = this.value as T;
    this.value = undefined;
    return ended(value);
  }

  return(value?: unknown): IteratorResult<KStep, T> {
    this.over = true;
    this.value = undefined;
    return ended(value as T);
  }
}

/** A code path that returns `value` at once (it never sleeps). */
export function done<T>(value: T): KCode<T> {
  return new Done(value);
}

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
