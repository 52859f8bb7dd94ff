// harness.ts: measurement helpers shared by every benchmark suite (Node only).
//
// Every figure is the median of at least MIN_RUNS timed runs after warm-up, all in this one
// process, so that the core and its TypeScript baseline are compared side by side.
import { performance } from "node:perf_hooks";

export const MIN_RUNS = 15;

export interface Metric {
  name: string;
  value: number;
  unit: string;
  /** The same figure for the plain TypeScript reference, or null where there is none. */
  baseline: number | null;
  /** How many times better than the baseline (rates: value/baseline; times: baseline/value). */
  ratio: number | null;
  /** What the issue asks for, in words, e.g. "<= 3.5 ms". */
  target?: string;
  /** How far the runs behind `value` ranged, in words (browser figures: "min–max (n=10)"). */
  spread?: string;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Times `run` (after `setup`, which is not timed) `runs` times after `warmup` untimed rounds.
 * @returns the median wall time of one run, in milliseconds.
 */
export function medianMs(
  run: () => void,
  opts: { runs?: number; warmup?: number; setup?: () => void } = {},
): number {
  const runs = Math.max(opts.runs ?? MIN_RUNS, MIN_RUNS);
  const warmup = opts.warmup ?? 3;
  const times: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    opts.setup?.();
    const t0 = performance.now();
    run();
    const t1 = performance.now();
    if (i >= warmup) times.push(t1 - t0);
  }
  return median(times);
}

/** A metric where smaller is better (a time); ratio = baseline / value. */
export function timeMetric(
  name: string,
  value: number,
  baseline: number | null,
  target?: string,
): Metric {
  const ratio = baseline === null ? null : baseline / value;
  return { name, value, unit: "ms", baseline, ratio, ...(target ? { target } : {}) };
}

/** A metric where larger is better (a rate); ratio = value / baseline. */
export function rateMetric(
  name: string,
  value: number,
  unit: string,
  baseline: number | null,
  target?: string,
): Metric {
  const ratio = baseline === null ? null : value / baseline;
  return { name, value, unit, baseline, ratio, ...(target ? { target } : {}) };
}

/** A plain measured quantity with no baseline (bytes, counts). */
export function plainMetric(name: string, value: number, unit: string, target?: string): Metric {
  return { name, value, unit, baseline: null, ratio: null, ...(target ? { target } : {}) };
}

/** Deterministic PRNG (mulberry32) so that every run benchmarks the same operations. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
