// rows.ts: the timeline's layout (web/timeline/layout.ts) as rows the canvas draws: each row a
// list of items sorted by start (spans and point marks) with their start and end times in typed
// arrays for levelOfDetail, and each item the seq of the event a click selects. Only what the
// layout derived from the engine's events; nothing is invented for display.
import type { TimelineLayout } from "../../timeline/model.ts";
import { blockedReason, PATCH_STATE } from "../format.ts";

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
}

export interface Row {
  key: string;
  label: string;
  /** What the row is, for the table and the tooltip. */
  group: "patch" | "task" | "callbacks" | "shadows" | "modules";
  spans: RowItem[];
  marks: RowItem[];
  /** Joined callback pairs: opener and closer marks (closer null while open). */
  pairs: { from: RowItem; to: RowItem | null; colour: string }[];
}

const TARGET = (t: number) => (t === 1 ? "patching" : t === 0 ? "unpatching" : "idle");

const byStart = (a: RowItem, b: RowItem) => a.startNs - b.startNs || a.seq - b.seq;

/** The rows of `l`, open spans ending at `endNs` (now). */
export function timelineRows(l: TimelineLayout, endNs: number): Row[] {
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
  for (const t of l.tasks) {
    if (t.switches.length === 0 && t.waits.length === 0) continue;
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
    rows.push({
      key: `task:${t.key}`,
      label: name,
      group: "task",
      spans: t.spans
        .filter((s) => s.state !== -1 || s.pending)
        .map((s) => ({
          startNs: s.fromNs,
          endNs: end(s.toNs ?? t.exitNs),
          seq: -1,
          style: s.pending ? "pending" : s.state === 1 ? "patched" : "unpatched",
          open: s.toNs === null,
          text: `${name}: patch_state ${PATCH_STATE[s.state] ?? s.state}${s.pending ? ", TIF_PATCH_PENDING" : ""}`,
        })),
      marks,
      pairs: [],
    });
  }
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
    r.spans.sort(byStart);
    r.marks.sort(byStart);
  }
  return rows;
}

/** Start and end arrays of items (sorted by start), and the longest span, for levelOfDetail. */
export function extents(items: readonly RowItem[]): {
  starts: Float64Array;
  ends: Float64Array;
  maxSpan: number;
} {
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
