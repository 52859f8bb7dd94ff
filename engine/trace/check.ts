// check.ts: the structural rules a trace from toChromeTrace keeps, as a checker the tests (and
// anyone loading a trace) can run: microsecond timestamps, a name for every process and thread
// track, tids unique across processes, no displayTimeUnit, B/E slices that never overlap on a
// track and always close, X slices that never overlap, async b/e pairs per id that always close.
// @returns the problems found, none when the trace is sound.
import type { ChromeTrace, TraceEvent } from "./format.ts";

const trackOf = (e: TraceEvent): string => `${e.pid}/${e.tid}`;

function names(trace: ChromeTrace, problems: string[]): void {
  const procs = new Set<number>();
  const threads = new Set<string>();
  for (const e of trace.traceEvents) {
    if (e.ph !== "M" || typeof e.args?.name !== "string" || e.args.name === "") continue;
    if (e.name === "process_name") procs.add(e.pid);
    if (e.name === "thread_name") threads.add(trackOf(e));
  }
  for (const e of trace.traceEvents) {
    if (e.ph === "M") continue;
    if (!procs.has(e.pid)) problems.push(`pid ${e.pid} has no process_name (${e.name})`);
    if (!threads.has(trackOf(e)))
      problems.push(`track ${trackOf(e)} has no thread_name (${e.name})`);
  }
}

function timestamps(trace: ChromeTrace, problems: string[]): void {
  for (const e of trace.traceEvents) {
    if (!Number.isFinite(e.ts) || e.ts < 0) problems.push(`bad ts ${e.ts} (${e.name})`);
    if (e.ph === "X" && !(Number.isFinite(e.dur) && e.dur! >= 0))
      problems.push(`X without a duration (${e.name})`);
  }
}

/**
 * B/E: per track, B and E alternate (one open slice at most), each E strictly after its B
 * (Perfetto sorts an E before a B of the same timestamp), and all close.
 */
function slices(trace: ChromeTrace, problems: string[]): void {
  const open = new Map<string, TraceEvent>();
  for (const e of trace.traceEvents) {
    if (e.ph !== "B" && e.ph !== "E") continue;
    const k = trackOf(e);
    const o = open.get(k);
    if (e.ph === "B") {
      if (o) problems.push(`track ${k}: "${e.name}" begins while "${o.name}" is open`);
      open.set(k, e);
    } else if (!o) problems.push(`track ${k}: an end without a begin (${e.name})`);
    else {
      if (e.ts <= o.ts) problems.push(`track ${k}: "${o.name}" does not end after it begins`);
      if (e.name !== o.name) problems.push(`track ${k}: "${o.name}" ended as "${e.name}"`);
      open.delete(k);
    }
  }
  for (const [k, o] of open) problems.push(`track ${k}: "${o.name}" never ends`);
}

/** X: per track, in time order, none starts before the previous one ended. */
function completes(trace: ChromeTrace, problems: string[]): void {
  const last = new Map<string, number>();
  for (const e of trace.traceEvents) {
    if (e.ph !== "X") continue;
    const k = trackOf(e);
    const end = last.get(k) ?? 0;
    if (e.ts < end) problems.push(`track ${k}: "${e.name}" overlaps the slice before it`);
    last.set(k, e.ts + (e.dur ?? 0));
  }
}

/** b/e: per (cat, id), begin and end alternate, the end strictly after the begin, all close. */
function asyncs(trace: ChromeTrace, problems: string[]): void {
  const open = new Map<string, TraceEvent>();
  for (const e of trace.traceEvents) {
    if (e.ph === "n" && (!e.id || !e.cat)) problems.push(`async "${e.name}" without an id`);
    if (e.ph !== "b" && e.ph !== "e") continue;
    if (!e.id || !e.cat) problems.push(`async "${e.name}" without an id and a cat`);
    const k = `${e.cat}/${e.id}`;
    const o = open.get(k);
    if (e.ph === "b") {
      if (o) problems.push(`async ${k} begins again while open`);
      open.set(k, e);
    } else if (!o) problems.push(`async ${k}: an end without a begin`);
    else {
      if (e.ts <= o.ts || e.name !== o.name) problems.push(`async ${k}: a mismatched end`);
      open.delete(k);
    }
  }
  for (const k of open.keys()) problems.push(`async ${k} never ends`);
}

/** Perfetto keys threads by tid alone: a tid must belong to one process only. */
function uniqueTids(trace: ChromeTrace, problems: string[]): void {
  const owner = new Map<number, number>();
  for (const e of trace.traceEvents) {
    const o = owner.get(e.tid);
    if (o === undefined) owner.set(e.tid, e.pid);
    else if (o !== e.pid) problems.push(`tid ${e.tid} is used by pids ${o} and ${e.pid}`);
  }
}

export function checkTrace(trace: ChromeTrace): string[] {
  const problems: string[] = [];
  if (!Array.isArray(trace.traceEvents)) return ["no traceEvents array"];
  if ("displayTimeUnit" in trace) problems.push("displayTimeUnit (Perfetto rescales ts by it)");
  timestamps(trace, problems);
  names(trace, problems);
  uniqueTids(trace, problems);
  slices(trace, problems);
  completes(trace, problems);
  asyncs(trace, problems);
  return problems;
}
