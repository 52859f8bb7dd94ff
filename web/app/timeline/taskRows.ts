// taskRows.ts: the tasks' rows of the timeline. A few tasks get a track each (their patch state
// over time, switches and failed checks). Many tasks (a stress machine has 100,000) would be a
// canvas taller than any browser draws and a wall no one reads: past TASK_TRACKS_MAX they become
// one summary track, the pending count over time as a band, plus a track for each notable task
// (the selected one, those a check held back, those forced) up to NOTABLE_MAX; the rest are
// counted, and the task table lists them all.
import type { TaskCount, TaskTrack, TimelineLayout } from "../../timeline/model.ts";
import { blockedReason, PATCH_STATE } from "../format.ts";
import type { Row, RowItem, SpanExtents } from "./rows.ts";

/** Above this many tasks with a switch or a wait, the tasks are summarised. */
export const TASK_TRACKS_MAX = 32;
/** Individual tracks kept beside the summary. */
export const NOTABLE_MAX = 24;

const byStart = (a: RowItem, b: RowItem) => a.startNs - b.startNs || a.seq - b.seq;

export interface TaskRows {
  rows: Row[];
  /** Tasks with events that have no track of their own (in the summary only). */
  hidden: number;
}

const seen = (t: TaskTrack) => t.switches.length > 0 || t.waits.length > 0;

/** The tasks' rows; `selectedTask` (a task key) keeps its track when the tasks are summarised. */
export function taskRows(l: TimelineLayout, endNs: number, selectedTask?: string | null): TaskRows {
  if (l.tasksWithEvents <= TASK_TRACKS_MAX)
    return { rows: l.tasks.filter(seen).map((t) => taskRow(t, endNs)), hidden: 0 };
  // The layout keeps the notable tasks and the count as events arrive: nothing here walks them all.
  const sel =
    selectedTask === null || selectedTask === undefined ? undefined : l.taskByKey.get(selectedTask);
  const picked = sel && seen(sel) ? [sel] : [];
  for (const t of l.notableTasks) {
    if (picked.length >= NOTABLE_MAX) break;
    if (t !== sel) picked.push(t);
  }
  return {
    rows: [summaryRow(l, endNs), ...picked.map((t) => taskRow(t, endNs))],
    hidden: l.tasksWithEvents - picked.length,
  };
}

/** The pending count over time: a band whose height is the share of the tasks alive pending. */
function summaryRow(l: TimelineLayout, endNs: number): Row {
  const { items, extents } = summaryItems(l.taskCounts, endNs);
  return {
    key: "tasks",
    label: "tasks pending",
    group: "task",
    spans: items,
    spanExtents: extents,
    marks: [],
    pairs: [],
  };
}

/**
 * The band's items built so far, by count series, with their extents. The series grows with the
 * stream (one count per moment a task switched: hundreds of thousands in a stress run), so each
 * render builds only the items of new counts. Only the last count changes in place (or goes) as the
 * stream grows, so an item is final once two counts follow it (it ends where the next begins).
 * One array holds the final items and, after them, the last call's provisional ones, which the next
 * call replaces; the extents grow beside them in typed arrays. (Copying the items and building
 * their extents afresh for every render made megabytes of garbage per chunk of a stress run: the
 * page's major GCs were the longest tasks left.)
 */
interface Built {
  items: RowItem[];
  /** Counts whose item is final. */
  done: number;
  /** Final items (the rest of `items` are provisional). */
  final: number;
  starts: Float64Array;
  ends: Float64Array;
  /** The longest final span. */
  maxFinal: number;
}
const built = new WeakMap<readonly TaskCount[], Built>();

function summaryItems(
  counts: readonly TaskCount[],
  endNs: number,
): { items: RowItem[]; extents: SpanExtents } {
  let b = built.get(counts);
  if (!b) {
    b = {
      items: [],
      done: 0,
      final: 0,
      starts: new Float64Array(0),
      ends: new Float64Array(0),
      maxFinal: 0,
    };
    built.set(counts, b);
  }
  b.items.length = b.final;
  for (; b.done < counts.length - 2; b.done++) pushItem(b.items, counts, b.done, endNs);
  const final = b.final;
  b.final = b.items.length;
  for (let i = b.done; i < counts.length; i++) pushItem(b.items, counts, i, endNs);
  grow(b, b.items.length);
  b.maxFinal = fill(b, final, b.final, b.maxFinal);
  const maxSpan = fill(b, b.final, b.items.length, b.maxFinal);
  const n = b.items.length;
  return {
    items: b.items,
    extents: { starts: b.starts.subarray(0, n), ends: b.ends.subarray(0, n), maxSpan },
  };
}

/** Room for `n` extents (doubling, so that growing costs its length once over). */
function grow(b: Built, n: number): void {
  if (n <= b.starts.length) return;
  const cap = Math.max(1024, n, 2 * b.starts.length);
  const starts = new Float64Array(cap);
  const ends = new Float64Array(cap);
  starts.set(b.starts);
  ends.set(b.ends);
  b.starts = starts;
  b.ends = ends;
}

/** Writes the extents of items [from, to) and returns the longest span of them and `max`. */
function fill(b: Built, from: number, to: number, max: number): number {
  for (let i = from; i < to; i++) {
    const it = b.items[i]!;
    b.starts[i] = it.startNs;
    b.ends[i] = it.endNs;
    max = Math.max(max, it.endNs - it.startNs);
  }
  return max;
}

function pushItem(out: RowItem[], counts: readonly TaskCount[], i: number, endNs: number): void {
  const c = counts[i]!;
  if (c.pending === 0) return;
  const to = counts[i + 1]?.tNs;
  out.push({
    startNs: c.tNs,
    endNs: to ?? endNs,
    seq: -1,
    style: "pending",
    level: c.pending / Math.max(1, c.alive),
    open: to === undefined,
    text: `${c.pending} of ${c.alive} tasks pending (TIF_PATCH_PENDING)`,
  });
}

/** One task's track: its patch state spans, its switches and its failed checks. */
export function taskRow(t: TaskTrack, endNs: number): Row {
  const name = `${t.pid} ${t.comm}`;
  const marks: RowItem[] = [
    ...t.switches.map((s) => ({
      startNs: s.tNs,
      endNs: s.tNs,
      seq: s.seq,
      style: "switch" as const,
      text: `${name} switched to ${PATCH_STATE[s.state] ?? s.state} (${s.reason})${s.waitedBecause ? `; it waited: ${s.waitedBecause.why}` : ""}`,
    })),
    ...t.waits.map((w) => ({
      startNs: w.tNs,
      endNs: w.tNs,
      seq: w.seq,
      style: "wait" as const,
      text: `${name} not switched: ${blockedReason(w)}`,
    })),
  ].sort(byStart);
  return {
    key: `task:${t.key}`,
    label: name,
    group: "task",
    spans: t.spans
      .filter((s) => s.state !== -1 || s.pending)
      .map((s) => ({
        startNs: s.fromNs,
        endNs: s.toNs ?? t.exitNs ?? endNs,
        seq: -1,
        style: s.pending ? "pending" : s.state === 1 ? "patched" : "unpatched",
        open: s.toNs === null,
        text: `${name}: patch_state ${PATCH_STATE[s.state] ?? s.state}${s.pending ? ", TIF_PATCH_PENDING" : ""}`,
      })),
    marks,
    pairs: [],
  };
}
