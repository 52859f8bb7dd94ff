// frames.ts: the building blocks of kernel code frames (kcode.ts): schedule()'s sleep, a frame
// running callees one after another (a loop of calls), a frame guarded by an entry and an exit
// (try/finally), and the call of a kernel function through its entry site, whose
// implementation's frame is on the task's stack while it runs.
import { ended, type KCode, KFrame, type KStep } from "./kcode.ts";
import type { KFunc, Machine } from "./machine.ts";
import type { Task } from "./task.ts";

/** schedule(): yields the step the caller prepared once, then returns 0 when resumed. */
export class SleepFrame extends KFrame<number> {
  /** 0: not entered, 1: asleep, 2: returned. */
  private phase = 0;

  constructor(private readonly step: KStep) {
    super();
  }

  next(): IteratorResult<KStep, number> {
    if (this.phase === 0) {
      this.phase = 1;
      return { done: false, value: this.step };
    }
    const first = this.phase === 1;
    this.phase = 2;
    return ended(first ? 0 : (undefined as unknown as number));
  }

  return(value?: unknown): IteratorResult<KStep, number> {
    this.phase = 2;
    return ended(value as number);
  }
}

/**
 * A frame that runs a callee between an entry and an exit, as `try { return yield* callee }
 * finally { leave() }` does: enter() runs at the first next() (outside the guard: a throw there
 * leaves nothing to undo; false ends the frame at once with undefined); callee() is called inside
 * the guard; leave() runs once when the callee returns, throws, or the frame is returned early
 * (a signal unwinding a sleep). A frame returned before its first next() runs nothing.
 */
export abstract class GuardedFrame<T = unknown> extends KFrame<T> {
  /** 0: not entered, 1: in the callee, 2: ended. */
  private phase = 0;
  private inner: KCode<T> | null = null;

  protected abstract enter(): boolean;
  protected abstract callee(): KCode<T>;
  protected abstract leave(): void;

  next(input?: unknown): IteratorResult<KStep, T> {
    if (this.phase === 1) return this.resume(input);
    if (this.phase === 2) return ended(undefined as T);
    this.phase = 2;
    if (!this.enter()) return ended(undefined as T);
    this.phase = 1;
    try {
      this.inner = this.callee();
    } catch (e) {
      this.end();
      throw e;
    }
    return this.resume(undefined);
  }

  return(value?: unknown): IteratorResult<KStep, T> {
    if (this.phase !== 1 || !this.inner) {
      this.phase = 2;
      return ended(value as T);
    }
    let r: IteratorResult<KStep, T>;
    try {
      r = this.inner.return(value);
    } catch (e) {
      this.end();
      throw e;
    }
    // A callee still running after return() (it slept while unwinding) stays delegated to.
    if (!r.done) return r;
    this.end();
    return ended(r.value);
  }

  private resume(input: unknown): IteratorResult<KStep, T> {
    let r: IteratorResult<KStep, T>;
    try {
      r = (this.inner as KCode<T>).next(input);
    } catch (e) {
      this.end();
      throw e;
    }
    if (r.done) this.end();
    return r;
  }

  private end(): void {
    this.phase = 2;
    this.inner = null;
    this.leave();
  }
}

/**
 * A frame that runs callees one after another, as a generator's body of `yield*` calls in a loop
 * does: advance() gets what the last callee returned (undefined at the first next()) and gives
 * the next callee, or the frame's result. The subclass keeps where it is in its own fields.
 */
export abstract class SeqFrame<T = unknown> extends KFrame<T> {
  /** 0: not entered, 1: running, 2: ended. */
  private phase = 0;
  private inner: KCode | null = null;

  protected abstract advance(value: unknown): KCode | IteratorReturnResult<T>;

  next(input?: unknown): IteratorResult<KStep, T> {
    if (this.phase === 2) return ended(undefined as T);
    // A generator ignores the value of its first next().
    let value = this.phase === 0 ? undefined : input;
    this.phase = 1;
    try {
      for (;;) {
        if (!this.inner) {
          const a = this.advance(value);
          if (typeof (a as Partial<KCode>).next !== "function") {
            this.phase = 2;
            return a as IteratorReturnResult<T>;
          }
          this.inner = a as KCode;
          value = undefined;
        }
        const r = this.inner.next(value);
        if (!r.done) return r;
        this.inner = null;
        value = r.value;
      }
    } catch (e) {
      this.phase = 2;
      this.inner = null;
      throw e;
    }
  }

  return(value?: unknown): IteratorResult<KStep, T> {
    const inner = this.inner;
    this.inner = null;
    if (this.phase !== 1 || !inner) {
      this.phase = 2;
      return ended(value as T);
    }
    let r: IteratorResult<KStep, unknown>;
    try {
      r = inner.return(value);
    } catch (e) {
      this.phase = 2;
      throw e;
    }
    // A callee still running after return() (it slept while unwinding) stays delegated to.
    if (!r.done) {
      this.inner = inner;
      return r;
    }
    this.phase = 2;
    return ended(r.value as T);
  }
}

/**
 * Machine.call's frame: at the first next() the entry site decides which implementation runs
 * (resolve, the tracer's hook), its frame is pushed on the core's stack and on t.fns, and its body
 * runs; both are popped when the body returns, throws (TaskKilled passes through) or is unwound.
 */
export class CallFrame extends GuardedFrame {
  /** The body of the implementation that runs (from entry until it is called). */
  private body: KFunc | null = null;

  constructor(
    private readonly m: Machine,
    private readonly t: Task,
    private readonly fnId: number,
    private arg: unknown,
  ) {
    super();
  }

  protected enter(): boolean {
    const { m, t } = this;
    // A kprobe at the function's first instruction traps before the ftrace site is reached.
    m.kprobeHit?.(t, this.fnId);
    const run = m.resolve(t, this.fnId);
    m.onCall?.(t, this.fnId, run);
    const body = m.bodies.get(run);
    if (!body) return false;
    this.body = body;
    m.core.tasks.pushFrame(t.coreId, m.frameOf(run));
    t.fns.push(run);
    return true;
  }

  protected callee(): KCode {
    const { body, arg } = this;
    // The body's frame keeps what it needs of them.
    this.body = null;
    this.arg = undefined;
    return (body as KFunc)(this.m, this.t, arg);
  }

  protected leave(): void {
    this.t.fns.pop();
    this.m.core.tasks.popFrame(this.t.coreId);
  }
}
