// format.ts: the Chrome Trace Event format as Perfetto (ui.perfetto.dev) and chrome://tracing read
// it: a JSON object whose `traceEvents` are begin/end (B/E), complete (X), instant (i), nestable
// async (b/e) and metadata (M) events, timestamps in microseconds. Only what the exporter emits.

/**
 * Phases used here: B/E a slice on a thread, X a slice with its duration, i an instant, b/e an
 * async slice keyed by (cat, id) and n an instant on it, M a metadata record (process_name,
 * thread_name, sort index).
 */
export type TracePhase = "B" | "E" | "X" | "i" | "b" | "e" | "n" | "M";

export type TraceArgs = Record<string, string | number | boolean | null>;

export interface TraceEvent {
  name: string;
  ph: TracePhase;
  /** Microseconds of virtual time since boot. */
  ts: number;
  pid: number;
  tid: number;
  cat?: string;
  /** X only: microseconds. */
  dur?: number;
  /** b/e/n only: the async slice's id. */
  id?: string;
  /** i only: the instant's scope (thread). */
  s?: "t";
  args?: TraceArgs;
}

/**
 * No displayTimeUnit: the format calls it a display hint, but Perfetto's importer reads "ms" or
 * "ns" there as the unit of every ts, which would scale this trace by 1000.
 */
export interface ChromeTrace {
  traceEvents: TraceEvent[];
  otherData: TraceArgs;
}

/** Virtual nanoseconds as trace microseconds (fractions kept: several events share a jiffy). */
export function us(tNs: number): number {
  return tNs / 1000;
}
