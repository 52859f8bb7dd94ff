import { describe, expect, it } from "vitest";
import { dmesgStamp, NSEC_PER_SEC, VirtualClock } from "./clock.ts";
import { KernelLog, LogLevel } from "./log.ts";
import { SeededRandom } from "./random.ts";

describe("virtual clock", () => {
  it("starts jiffies five minutes before the 32-bit wrap and ticks HZ per second", () => {
    const c = new VirtualClock(250);
    expect(c.jiffies()).toBe(4294967296 - 300 * 250);
    c.advanceTo(2 * NSEC_PER_SEC);
    expect(c.ticks()).toBe(500);
    c.advanceTo(NSEC_PER_SEC); // never backwards
    expect(c.ticks()).toBe(500);
  });

  it("rounds a one-second delay to a whole second of jiffies (round_jiffies_relative)", () => {
    const c = new VirtualClock(250);
    // INITIAL_JIFFIES % 250 == 46 with HZ=250, so second boundaries are not at boot seconds.
    const d0 = c.roundJiffiesRelative(250, 0);
    expect((c.jiffies() + d0) % 250).toBe(0);
    expect(d0).toBeGreaterThanOrEqual(250 * 0.75);
    expect(d0).toBeLessThanOrEqual(250 * 1.75);
    const d1 = c.roundJiffiesRelative(250, 1);
    expect((c.jiffies() + d1 + 3) % 250).toBe(0);
  });

  it("renders dmesg stamps as the kernel does", () => {
    expect(dmesgStamp(0)).toBe("[    0.000000] ");
    expect(dmesgStamp(12_345_678_901)).toBe("[   12.345678] ");
  });
});

describe("kernel log", () => {
  it("splits messages into lines and renders dmesg and check_result views", () => {
    const log = new KernelLog();
    log.append(LogLevel.Notice, 1_500_000, "livepatch: enabling patch 'p'\n");
    log.append(LogLevel.Info, 2_000_000, "a\nb\n");
    log.append(LogLevel.Info, 2_000_000, "");
    expect(log.lines()).toEqual(["livepatch: enabling patch 'p'", "a", "b"]);
    expect(log.dmesg(1)).toEqual(["[    0.002000] a", "[    0.002000] b"]);
    expect(log.length).toBe(3);
  });
});

describe("seeded random", () => {
  it("repeats for a seed and differs across seeds", () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const xs = Array.from({ length: 5 }, () => a.nextU32());
    expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextU32())).not.toEqual(xs);
    expect(new SeededRandom(1).below(10)).toBeLessThan(10);
  });
});
