// rows.ts: the timeline's layout (web/timeline/layout.ts) as rows the canvas draws: each row a
// list of items sorted by start (spans and point marks) with their start and end times in typed
// arrays for levelOfDetail, and each item the seq of the event a click selects. Only what the
// layout derived from the engine's events; nothing is invented for display.
import type { TimelineLayout } from "../../timeline/model.ts";
import { taskRows } from "./taskRows.ts";

export type ItemStyle =
  | "patching"
  | "unpatching"
  | "phase"
  | "unpatched"
  | "patched"
  | "pending"
  | "switch"
  | "wait"
  | "callback"
  | "shadow"
  | "leak"
  | "module";

export interface RowItem {
  startNs: number;
  /** Equal to startNs for a point mark; a span still open ends where the view's data ends. */
  endNs: number;
  seq: number;
  style: ItemStyle;
  /** The callback pair's colour key (its object or state), for callbacks. */
  colour?: string;
  /** One line for the tooltip and the table. */
  text: string;
  open?: boolean;
  /** A count band's height, as a share of the row (the tasks' summary track); absent: full. */
  level?: number;
}

export interface Row {
  key: string;
  label: string;
  /** What the row is, for the table and the tooltip. */
  group: "patch" | "task" | "callbacks" | "shadows" | "modules";
  spans: RowItem[];
  /** The spans' extents when the row keeps them as it grows (the tasks' summary); else computed. */
  spanExtents?: SpanExtents;
  marks: RowItem[];
  /** Joined callback pairs: opener and closer marks (closer null while open). */
  pairs: { from: RowItem; to: RowItem | null; colour: string }[];
}

const TARGET = (t: number) => (t === 1 ? "patching" : t === 0 ? "unpatching" : "idle");

const byStart = (a: RowItem, b: RowItem) => a.startNs - b.startNs || a.seq - b.seq;

export interface RowOptions {
  /** The selected event's task (its key), whose track is kept when the tasks are summarised. */
  selectedTask?: string | null;
}

/** The rows of `l`, open spans ending at `endNs` (now). */
export function timelineRows(l: TimelineLayout, endNs: number, opts: RowOptions = {}): Row[] {
  return timelineView(l, endNs, opts).rows;
}

/** The rows of `l` and how many tasks have no track of their own (taskRows.ts). */
export function timelineView(
  l: TimelineLayout,
  endNs: number,
  opts: RowOptions = {},
): { rows: Row[]; hiddenTasks: number } {
  const rows: Row[] = [];
  const end = (t: number | null) => t ?? endNs;
  for (const p of l.patches) {
    rows.push({
      key: `patch:${p.patch}`,
      label: p.patch,
      group: "patch",
      spans: p.spans.map((s) => ({
        startNs: s.fromNs,
        endNs: end(s.toNs),
        seq: s.fromSeq,
        style: s.target === 0 ? "unpatching" : "patching",
        open: s.toNs === null,
        text: `${TARGET(s.target)} transition, ${s.ended === "open" ? "in progress" : s.ended}; ${s.attempts} attempt(s), ${s.signals} signal round(s)${s.forced ? ", forced" : ""}`,
      })),
      marks: p.marks.map((m) => ({
        startNs: m.tNs,
        endNs: m.tNs,
        seq: m.seq,
        style: "phase",
        text: `${p.patch}: ${m.phase} (${TARGET(m.target)})`,
      })),
      pairs: [],
    });
  }
  const tasks = taskRows(l, endNs, opts.selectedTask);
  rows.push(...tasks.rows);
  if (l.callbacks.length) {
    const mark = new Map<number, RowItem>();
    const marks = l.callbacks.map((c) => {
      const it: RowItem = {
        startNs: c.tNs,
        endNs: c.tNs,
        seq: c.seq,
        style: "callback",
        colour: c.colour,
        text: `${c.patch}/${c.object}: ${c.callback}`,
      };
      mark.set(c.seq, it);
      return it;
    });
    rows.push({
      key: "callbacks",
      label: "callbacks",
      group: "callbacks",
      spans: [],
      marks,
      pairs: l.callbackPairs.map((p) => ({
        from: mark.get(p.opener.seq)!,
        to: p.closer ? mark.get(p.closer.seq)! : null,
        colour: p.colour,
      })),
    });
  }
  if (l.shadows.length)
    rows.push({
      key: "shadows",
      label: "shadow variables",
      group: "shadows",
      spans: l.shadows.map((v) => ({
        startNs: v.fromNs,
        endNs: end(v.toNs),
        seq: v.allocSeq,
        style: v.leaked ? "leak" : "shadow",
        open: v.toNs === null,
        text: `${v.subject} ${v.leaked ? "never freed (leaked, or alive now)" : `freed by ${v.freedBy}`}`,
      })),
      marks: [],
      pairs: [],
    });
  if (l.moduleMarks.length)
    rows.push({
      key: "modules",
      label: "modules",
      group: "modules",
      spans: l.modules.map((m) => ({
        startNs: m.fromNs,
        endNs: end(m.toNs),
        seq: m.loadSeq,
        style: "module",
        open: m.toNs === null,
        text: `${m.name} loaded${m.toNs === null ? "" : ", then unloaded"}`,
      })),
      marks: l.moduleMarks.map((m) => ({
        startNs: m.tNs,
        endNs: m.tNs,
        seq: m.seq,
        style: "phase",
        text: `${m.name}: ${m.op} (${m.state})`,
      })),
      pairs: [],
    });
  for (const r of rows) {
    // A row with kept extents is built in order (sorting would part the items from them).
    if (!r.spanExtents) r.spans.sort(byStart);
    r.marks.sort(byStart);
  }
  return { rows, hiddenTasks: tasks.hidden };
}

/** Start and end arrays of items (sorted by start), and the longest span, for levelOfDetail. */
export interface SpanExtents {
  starts: Float64Array;
  ends: Float64Array;
  maxSpan: number;
}

export function extents(items: readonly RowItem[]): SpanExtents {
  const starts = new Float64Array(items.length);
  const ends = new Float64Array(items.length);
  let maxSpan = 0;
  items.forEach((it, i) => {
    starts[i] = it.startNs;
    ends[i] = it.endNs;
    maxSpan = Math.max(maxSpan, it.endNs - it.startNs);
  });
  return { starts, ends, maxSpan };
}
