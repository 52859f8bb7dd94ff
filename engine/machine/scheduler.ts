// scheduler.ts: virtual-time timers and delayed work (kernel/time/timer.c and kernel/workqueue.c as
// far as ordering goes). Everything due runs in (time, sequence) order: two things due at the same
// virtual nanosecond run in the order they were scheduled. Nothing reads the host clock.
import type { VirtualClock } from "../clock.ts";

/** A scheduled callback; it is its own handle (one allocation per timer, no closure). */
class Timer {
  cancelled = false;
  constructor(
    readonly at: number,
    readonly seq: number,
    readonly fn: () => void,
  ) {}

  cancel(): void {
    this.cancelled = true;
  }
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
  // Timers due at the time they were scheduled (wake-ups, after(0)) skip the heap: they arrive in
  // (at, seq) order already, so a FIFO merged with the heap's head keeps the order exact.
  private now: Timer[] = [];
  private nowHead = 0;
  private nextSeq = 0;

  constructor(private readonly clock: VirtualClock) {}

  /** Runs `fn` at virtual time `at` (now if in the past). */
  at(at: number, fn: () => void): TimerHandle {
    const now = this.clock.nowNs();
    const t = new Timer(Math.max(at, now), this.nextSeq++, fn);
    if (t.at === now) this.now.push(t);
    else this.push(t);
    return t;
  }

  /** Runs `fn` after `ns`. */
  after(ns: number, fn: () => void): TimerHandle {
    return this.at(this.clock.nowNs() + ns, fn);
  }

  /** Time of the next live timer, or null. */
  nextDue(): number | null {
    for (;;) {
      const t = this.peek();
      if (!t) return null;
      if (!t.cancelled) return t.at;
      this.take(t);
    }
  }

  /** The earliest timer in (at, seq) order, of the heap and the FIFO. */
  private peek(): Timer | undefined {
    const h = this.heap[0];
    const f = this.now[this.nowHead];
    if (!f) return h;
    return h && before(h, f) ? h : f;
  }

  /** Removes `t`, the timer peek() returned. */
  private take(t: Timer): void {
    if (t !== this.now[this.nowHead]) return this.pop();
    this.nowHead++;
    if (this.nowHead === this.now.length) {
      this.now = [];
      this.nowHead = 0;
    }
  }

  /**
   * Advances the clock to `ns`, running every timer due meanwhile in (time, sequence) order;
   * a timer scheduled by a running one for a time <= `ns` runs in the same call.
   * @returns how many timers ran.
   */
  runUntil(ns: number): number {
    let ran = 0;
    for (;;) {
      const t = this.peek();
      if (!t || t.at > ns) break;
      this.take(t);
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
