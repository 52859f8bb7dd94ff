// taskRows.ts: the tasks' rows of the timeline. A few tasks get a track each (their patch state
// over time, switches and failed checks). Many tasks (a stress machine has 100,000) would be a
// canvas taller than any browser draws and a wall no one reads: past TASK_TRACKS_MAX they become
// one summary track, the pending count over time as a band, plus a track for each notable task
// (the selected one, those a check held back, those forced) up to NOTABLE_MAX; the rest are
// counted, and the task table lists them all.
import type { TaskCount, TaskTrack, TimelineLayout } from "../../timeline/model.ts";
import { blockedReason, PATCH_STATE } from "../format.ts";
import type { Row, RowItem } from "./rows.ts";

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
  const spans = summaryItems(l.taskCounts, endNs);
  return { key: "tasks", label: "tasks pending", group: "task", spans, marks: [], pairs: [] };
}

/**
 * The band's items built so far, by count series. The series grows with the stream (one count
 * per moment a task switched: hundreds of thousands in a stress run), so each render builds only
 * the items of new counts. Only the last count changes in place (or goes) as the stream grows, so
 * an item is final once two counts follow it (it ends where the next begins).
 */
const built = new WeakMap<readonly TaskCount[], { items: RowItem[]; done: number }>();

function summaryItems(counts: readonly TaskCount[], endNs: number): RowItem[] {
  let b = built.get(counts);
  if (!b) built.set(counts, (b = { items: [], done: 0 }));
  for (; b.done < counts.length - 2; b.done++) pushItem(b.items, counts, b.done, endNs);
  const items = b.items.slice();
  for (let i = b.done; i < counts.length; i++) pushItem(items, counts, i, endNs);
  return items;
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
