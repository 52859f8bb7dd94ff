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

/** (time, sequence) order: the earlier time first, and at equal times the earlier scheduled. */
function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

export class Scheduler {
  // A binary min-heap on (at, seq): with thousands of tasks each holding a timer, a sorted array's
  // O(n) insert and shift made every simulated second quadratic.
  private heap: Timer[] = [];
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
    this.push(t);
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
    while (this.heap[0]?.cancelled) this.pop();
    return this.heap[0]?.at ?? null;
  }

  /**
   * Advances the clock to `ns`, running every timer due meanwhile in (time, sequence) order;
   * a timer scheduled by a running one for a time <= `ns` runs in the same call.
   * @returns how many timers ran.
   */
  runUntil(ns: number): number {
    let ran = 0;
    for (;;) {
      const t = this.heap[0];
      if (!t || t.at > ns) break;
      this.pop();
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

  private push(t: Timer): void {
    const h = this.heap;
    let i = h.push(t) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(t, h[parent]!)) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = t;
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && before(h[r]!, h[l]!) ? r : l;
      if (!before(h[c]!, last)) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
  }
}
