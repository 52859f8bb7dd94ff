import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../clock.ts";
import { Scheduler } from "./scheduler.ts";

const SEED = Number(process.env.KLP_SEED ?? 0x5c4ed);
console.log(`fast-check seed ${SEED}`);

describe("scheduler", () => {
  it("runs timers in (time, sequence) order, skipping cancelled ones", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.integer({ min: 0, max: 50 }), cancel: fc.boolean() }), {
          maxLength: 200,
        }),
        (timers) => {
          const s = new Scheduler(new VirtualClock());
          const ran: number[] = [];
          timers.forEach((t, i) => {
            const h = s.at(t.at, () => ran.push(i));
            if (t.cancel) h.cancel();
          });
          s.runUntil(100);
          const expected = timers
            .map((t, i) => ({ ...t, i }))
            .filter((t) => !t.cancel)
            .sort((a, b) => a.at - b.at || a.i - b.i)
            .map((t) => t.i);
          expect(ran).toEqual(expected);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("keeps (time, sequence) order when running timers schedule more, due now or later", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 3 })), {
          minLength: 1,
          maxLength: 100,
        }),
        (plan) => {
          const clock = new VirtualClock();
          const s = new Scheduler(clock);
          // Each timer records (time, scheduling order) and may schedule children: delay 0
          // (the run-now FIFO) or later (the heap), some cancelled.
          const ran: [number, number][] = [];
          let order = 0;
          let budget = 300;
          const add = (delay: number) => {
            const me = order++;
            const h = s.after(delay, () => {
              ran.push([clock.nowNs(), me]);
              const [d, kids] = plan[me % plan.length]!;
              for (let k = 0; k < kids && budget-- > 0; k++) add(k === 0 ? 0 : d);
            });
            if (me % 7 === 3) h.cancel();
          };
          for (const [d] of plan) add(d);
          s.runUntil(1000);
          for (let k = 1; k < ran.length; k++) {
            const [ta, sa] = ran[k - 1]!;
            const [tb, sb] = ran[k]!;
            expect(ta < tb || (ta === tb && sa < sb)).toBe(true);
          }
          expect(ran.length).toBe(order - Math.floor((order + 3) / 7));
          expect(s.nextDue()).toBeNull();
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("runs a timer scheduled by a running one when it is due within the same call", () => {
    const clock = new VirtualClock();
    const s = new Scheduler(clock);
    const ran: string[] = [];
    s.at(10, () => {
      ran.push("a");
      s.after(5, () => ran.push("c"));
      s.at(10, () => ran.push("b"));
    });
    s.at(30, () => ran.push("d"));
    expect(s.nextDue()).toBe(10);
    s.runUntil(20);
    expect(ran).toEqual(["a", "b", "c"]);
    expect(clock.nowNs()).toBe(20);
    expect(s.nextDue()).toBe(30);
  });
});
