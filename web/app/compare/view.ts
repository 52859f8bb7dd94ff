// view.ts: the side-by-side view's model, no DOM: each run's timeline rows (the same layout and
// rows the timeline panel draws, plus a mark where a shadow variable is freed), the divergences as selectable items, and per side the diverging
// events that the timeline outlines. Everything comes from the comparison the engine answered
// (op "compare"); the only thing decided here is what to outline and where to go.
//
// Alignment: both timelines share one virtual-time axis (the earliest start to the latest end of
// the two runs). The runs play the same script, each step at max(now, at_ms), so a step starts at
// the same virtual time in both unless one run is still busy; a shared axis then puts the same
// moment at the same x, and a late step shows as the shift it is. The logs stay aligned by script
// step (sides.ts), the alignment the divergences themselves use (engine/compare/align.ts).
import type { Divergence } from "../../../engine/compare/index.ts";
import { summarise } from "../../../engine/compare/summary.ts";
import type { EngineEvent } from "../../../engine/events.ts";
import type { ComparedRuns, ComparedSide } from "../../../engine/host/protocol.ts";
import { layoutTimeline } from "../../timeline/layout.ts";
import type { TimelineLayout } from "../../timeline/model.ts";
import { describeEvent } from "../timeline/describe.ts";
import { timelineRows, type Row, type RowItem } from "../timeline/rows.ts";
import { alignSides, type AlignedStep } from "./sides.ts";

export type SideKey = "a" | "b";

/** One line of the divergence list: a divergence, or a step's task switches that differ alike. */
export interface DivergenceItem {
  /** The summary line (engine/compare/summary.ts). */
  label: string;
  step: number;
  members: readonly Divergence[];
  /** Per side, the seqs of the members' events (empty for a refusal: it is a step's outcome). */
  seqs: Record<SideKey, number[]>;
  /** Where the item's first event lies (either side), or null when it has no events. */
  tNs: number | null;
}

/** A diverging event as a side lists it beside its timeline. */
export interface MarkedEvent {
  seq: number;
  tNs: number;
  kind: EngineEvent["kind"];
  subject: string;
  what: string;
  /** Whether the timeline draws it (site pokes and task records are the other views'). */
  drawn: boolean;
  /** Index of its item in the divergence list. */
  item: number;
}

export interface SideView {
  side: ComparedSide;
  rows: Row[];
  /** The seqs the timeline outlines: the diverging events that it draws. */
  outlined: ReadonlySet<number>;
  events: MarkedEvent[];
}

export interface CompareView {
  items: DivergenceItem[];
  /** The shared time axis of both timelines. */
  startNs: number;
  endNs: number;
  a: SideView;
  b: SideView;
  steps: AlignedStep[];
}

/** Groups the divergences as summarise does: one step's like task switches are one item. */
function groupItems(ds: readonly Divergence[]): Divergence[][] {
  const out: Divergence[][] = [];
  for (const d of ds) {
    const last = out.at(-1)?.[0];
    const joins =
      d.kind === "task-switch" &&
      last?.kind === "task-switch" &&
      last.step === d.step &&
      last.change === d.change;
    if (joins) out.at(-1)!.push(d);
    else out.push([d]);
  }
  return out;
}

function toItem(members: Divergence[]): DivergenceItem {
  const seqs = {
    a: members.flatMap((d) => d.a.map((e) => e.seq)),
    b: members.flatMap((d) => d.b.map((e) => e.seq)),
  };
  const times = members.flatMap((d) => [...d.a, ...d.b].map((e) => e.tNs));
  return {
    label: summarise(members)[0]!,
    step: members[0]!.step,
    members,
    seqs,
    tNs: times.length ? Math.min(...times) : null,
  };
}

/** The seq of every event a row item stands for (a click on it selects that event). */
function drawnSeqs(rows: readonly Row[]): Set<number> {
  const out = new Set<number>();
  for (const r of rows) for (const it of [...r.spans, ...r.marks]) if (it.seq >= 0) out.add(it.seq);
  return out;
}

/**
 * The rows with a point mark at the end of each freed shadow lifetime (its seq: the free). The
 * lifetime span carries its alloc's seq, so without it a free is no timeline mark, and a variable
 * freed in one run and leaked in the other would outline only where both agree (the alloc): here
 * the free that diverges is outlined where it happens, and the leaked side's span is the leak.
 */
function withShadowFrees(rows: Row[], layout: TimelineLayout): Row[] {
  const frees: RowItem[] = layout.shadows.flatMap((v) =>
    v.freeSeq === null || v.toNs === null
      ? []
      : [
          {
            startNs: v.toNs,
            endNs: v.toNs,
            seq: v.freeSeq,
            style: "shadow" as const,
            text: `${v.subject} freed by ${v.freedBy}`,
          },
        ],
  );
  return rows.map((r) =>
    r.key === "shadows" && frees.length
      ? {
          ...r,
          marks: [...r.marks, ...frees].sort((x, y) => x.startNs - y.startNs || x.seq - y.seq),
        }
      : r,
  );
}

function sideView(side: ComparedSide, key: SideKey, items: DivergenceItem[]): SideView {
  const layout = layoutTimeline(side.events);
  const rows = withShadowFrees(timelineRows(layout, layout.endNs), layout);
  const drawn = drawnSeqs(rows);
  const bySeq = new Map(side.events.map((e) => [e.seq, e] as const));
  const events: MarkedEvent[] = [];
  items.forEach((it, item) => {
    for (const seq of it.seqs[key]) {
      const e = bySeq.get(seq)!;
      events.push({
        seq,
        tNs: e.tNs,
        kind: e.kind,
        ...describeEvent(e),
        drawn: drawn.has(seq),
        item,
      });
    }
  });
  events.sort((x, y) => x.seq - y.seq);
  const outlined = new Set(events.filter((e) => e.drawn).map((e) => e.seq));
  return { side, rows, outlined, events };
}

export function compareView(c: ComparedRuns): CompareView {
  const items = groupItems(c.divergences).map(toItem);
  const a = sideView(c.a, "a", items);
  const b = sideView(c.b, "b", items);
  const ends = (s: ComparedSide) => [s.events[0]?.tNs ?? 0, s.events.at(-1)?.tNs ?? 0];
  const [a0, a1] = ends(c.a);
  const [b0, b1] = ends(c.b);
  return {
    items,
    startNs: Math.min(a0!, b0!),
    endNs: Math.max(a1!, b1!),
    a,
    b,
    steps: alignSides(c),
  };
}

/** The side's event the timeline goes to for an item: its first drawn one, else its first. */
export function focusOf(v: SideView, item: number): MarkedEvent | null {
  const mine = v.events.filter((e) => e.item === item);
  return mine.find((e) => e.drawn) ?? mine[0] ?? null;
}
