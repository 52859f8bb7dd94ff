// scheduler.ts: virtual-time timers and delayed work (kernel/time/timer.c and kernel/workqueue.c as
// far as ordering goes). Everything due runs in (time, sequence) order: two things due at the same
// virtual nanosecond run in the order they were scheduled. Nothing reads the host clock.
import type { VirtualClock } from "../clock.ts";

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** A handle to cancel a scheduled callback. */
export interface TimerHandle {
  cancel(): void;
  readonly at: number;
}

export class Scheduler {
  private queue: Timer[] = [];
  private nextSeq = 0;

  constructor(private readonly clock: VirtualClock) {}

  /** Runs `fn` at virtual time `at` (now if in the past). */
  at(at: number, fn: () => void): TimerHandle {
    const t: Timer = {
      at: Math.max(at, this.clock.nowNs()),
      seq: this.nextSeq++,
      fn,
      cancelled: false,
    };
    // Sorted insert keeps (at, seq) order; queues stay short (tens of entries).
    let i = this.queue.length;
    while (i > 0 && this.queue[i - 1]!.at > t.at) i--;
    this.queue.splice(i, 0, t);
    return {
      at: t.at,
      cancel: () => {
        t.cancelled = true;
      },
    };
  }

  /** Runs `fn` after `ns`. */
  after(ns: number, fn: () => void): TimerHandle {
    return this.at(this.clock.nowNs() + ns, fn);
  }

  /** Time of the next live timer, or null. */
  nextDue(): number | null {
    this.queue = this.queue.filter((t) => !t.cancelled);
    return this.queue[0]?.at ?? null;
  }

  /**
   * Advances the clock to `ns`, running every timer due meanwhile in (time, sequence) order;
   * a timer scheduled by a running one for a time <= `ns` runs in the same call.
   * @returns how many timers ran.
   */
  runUntil(ns: number): number {
    let ran = 0;
    for (;;) {
      const t = this.queue[0];
      if (!t || t.at > ns) break;
      this.queue.shift();
      if (t.cancelled) continue;
      this.clock.advanceTo(t.at);
      t.fn();
      ran++;
    }
    this.clock.advanceTo(ns);
    return ran;
  }

  /** Runs what is due now without advancing time. */
  settle(): number {
    return this.runUntil(this.clock.nowNs());
  }
}
