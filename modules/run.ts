// run.ts: how host-side module code waits: kernel code that never sleeps runs to its end in the
// calling task (runNow), and a waiter (wait_for_completion, flush_work) lets the machine run in
// virtual time until its condition clears (runWhile).
import type { KCode } from "../engine/machine/kcode.ts";
import type { Machine } from "../engine/machine/machine.ts";

/** Runs kernel code that does not sleep to its end in the current task. @returns its value. */
export function runNow<T>(code: KCode): T {
  let r = code.next();
  while (!r.done) r = code.next();
  return r.value as T;
}

/**
 * Runs what the machine has due, in virtual time, while `waiting()` holds (at most `limitNs`).
 * @returns whether the wait ended.
 */
export function runWhile(m: Machine, waiting: () => boolean, limitNs = 60e9): boolean {
  const stop = m.clock.nowNs() + limitNs;
  while (waiting()) {
    const next = m.sched.nextDue();
    if (next === null || next > stop) return false;
    m.sched.runUntil(next);
  }
  return true;
}
