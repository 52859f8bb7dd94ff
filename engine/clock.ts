// clock.ts: the virtual clock. Time advances only when the simulation says so (never from the host
// clock), so a run is the same on every machine. Jiffies follow kernel/time/jiffies.c: they start
// at INITIAL_JIFFIES, five minutes before the 32-bit wrap, and tick HZ times a virtual second.

export const NSEC_PER_SEC = 1_000_000_000;

export class VirtualClock {
  /** Nanoseconds since boot (local_clock()). */
  private ns = 0;

  constructor(
    /** CONFIG_HZ; Debian's x86-64 and arm64 kernels use 250. */
    readonly hz = 250,
  ) {}

  /** INITIAL_JIFFIES: ((unsigned long)(unsigned int)(-300 * HZ)). */
  get initialJiffies(): number {
    return (-300 * this.hz) >>> 0;
  }

  nowNs(): number {
    return this.ns;
  }

  /** Jiffies since boot, without the INITIAL_JIFFIES offset. */
  ticks(): number {
    return Math.floor((this.ns * this.hz) / NSEC_PER_SEC);
  }

  /** The 64-bit jiffies_64 value (fits a double for ~10^7 years of virtual time). */
  jiffies(): number {
    return this.initialJiffies + this.ticks();
  }

  /** Moves time forward to `ns`; time never goes back. */
  advanceTo(ns: number): void {
    if (ns > this.ns) this.ns = ns;
  }

  /** Virtual nanoseconds at which jiffies reaches `j`. */
  nsAtJiffies(j: number): number {
    return Math.ceil(((j - this.initialJiffies) * NSEC_PER_SEC) / this.hz);
  }

  /**
   * round_jiffies_relative(): rounds the absolute expiry now + delta to a whole second of jiffies,
   * down when within the first quarter second, otherwise up, skewed by 3 jiffies per CPU so that
   * CPUs do not all fire at once (round_jiffies_common()).
   * @returns the rounded delay in jiffies.
   */
  roundJiffiesRelative(delta: number, cpu: number): number {
    const now = this.jiffies();
    const original = now + delta;
    let j = original + cpu * 3;
    const rem = j % this.hz;
    j = rem < this.hz / 4 ? j - rem : j - rem + this.hz;
    j -= cpu * 3;
    return j <= now ? delta : j - now;
  }
}

/** The dmesg timestamp prefix "[%5lu.%06lu] " for `ns` since boot. */
export function dmesgStamp(ns: number): string {
  const sec = Math.floor(ns / NSEC_PER_SEC);
  const usec = Math.floor((ns % NSEC_PER_SEC) / 1000);
  return `[${String(sec).padStart(5, " ")}.${String(usec).padStart(6, "0")}] `;
}
