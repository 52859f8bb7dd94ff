// draw.ts: paints the rows on a canvas at the current zoom. Dense rows stay cheap: levelOfDetail
// merges what falls within a pixel into one cluster (drawn once, with its count when it holds
// more than one), and only the visible range is visited. Colours come from the page's theme.
import { levelOfDetail, type Viewport } from "../../timeline/lod.ts";
import { extents, type ItemStyle, type Row, type RowItem } from "./rows.ts";

export const ROW_H = 20;
export const GUTTER = 150;

export interface Palette {
  fg: string;
  muted: string;
  line: string;
  accent: string;
  err: string;
  ok: string;
  warn: string;
}

export function palette(el: Element): Palette {
  const cs = getComputedStyle(el);
  const v = (n: string, d: string) => cs.getPropertyValue(n).trim() || d;
  return {
    fg: v("--fg", "#1d1f21"),
    muted: v("--muted", "#575b61"),
    line: v("--line", "#d9dad6"),
    accent: v("--accent", "#1f5fbf"),
    err: v("--err-fg", "#8a1c1c"),
    ok: v("--ok-fg", "#1d5b2a"),
    warn: v("--warn-fg", "#6b4400"),
  };
}

/** A callback pair's colour: a hue from its key, stable across frames. */
export function hue(key: string): string {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) >>> 0;
  return `hsl(${h % 360} 65% 45%)`;
}

function fill(p: Palette, s: ItemStyle, it: RowItem): string {
  switch (s) {
    case "patching":
    case "patched":
      return p.accent;
    case "unpatching":
    case "unpatched":
      return p.muted;
    case "pending":
      return p.warn;
    case "leak":
      return p.err;
    case "shadow":
    case "module":
      return p.ok;
    case "callback":
      return hue(it.colour ?? "");
    case "wait":
      return p.warn;
    default:
      return p.fg;
  }
}

/** Per row, the arrays levelOfDetail needs, computed once per layout. */
export type Prepared = {
  row: Row;
  spans: ReturnType<typeof extents>;
  marks: ReturnType<typeof extents>;
};

export function prepare(rows: Row[]): Prepared[] {
  return rows.map((row) => ({ row, spans: extents(row.spans), marks: extents(row.marks) }));
}

export interface Frame {
  ctx: CanvasRenderingContext2D;
  width: number;
  view: Viewport;
  nowNs: number;
  selected: number | null;
  p: Palette;
  /** Events to outline (a comparison's diverging events), by seq. */
  marked?: ReadonlySet<number>;
}

/** Outlines an item whose event is marked; @returns its seq, or null when not marked. */
function outline(f: Frame, seq: number, x0: number, x1: number, y: number): number | null {
  if (!f.marked?.has(seq)) return null;
  f.ctx.strokeStyle = f.p.err;
  f.ctx.lineWidth = 2;
  f.ctx.strokeRect(x0 - 3, y + 1, Math.max(6, x1 - x0 + 6), ROW_H - 2);
  f.ctx.lineWidth = 1;
  return seq;
}

/** Paints the rows. @returns the seqs of the marked items it outlined (visible in the view). */
export function draw(rows: Prepared[], f: Frame): number[] {
  const outlined: number[] = [];
  const keep = (seq: number | null) => seq !== null && outlined.push(seq);
  const { ctx, view, p } = f;
  const x = (t: number) => GUTTER + ((t - view.fromNs) / (view.toNs - view.fromNs)) * view.widthPx;
  ctx.clearRect(0, 0, f.width, rows.length * ROW_H);
  ctx.font = "11px ui-monospace, monospace";
  ctx.textBaseline = "middle";
  rows.forEach((pr, r) => {
    const y = r * ROW_H;
    const mid = y + ROW_H / 2;
    ctx.fillStyle = p.fg;
    ctx.fillText(pr.row.label.slice(0, 22), 4, mid);
    ctx.strokeStyle = p.line;
    ctx.beginPath();
    ctx.moveTo(GUTTER, y + ROW_H - 0.5);
    ctx.lineTo(f.width, y + ROW_H - 0.5);
    ctx.stroke();
    ctx.save();
    ctx.beginPath();
    ctx.rect(GUTTER, y, view.widthPx, ROW_H);
    ctx.clip();
    for (const c of levelOfDetail(pr.spans.starts, view, pr.spans.ends, pr.spans.maxSpan)) {
      const it = pr.row.spans[c.first]!;
      ctx.fillStyle = fill(p, it.style, it);
      ctx.globalAlpha = it.style === "pending" ? 0.5 : 0.35;
      ctx.fillRect(GUTTER + c.x0, y + 4, Math.max(1, c.x1 - c.x0), ROW_H - 8);
      ctx.globalAlpha = 1;
      // Each marked span of a cluster is outlined at its own extent, not the cluster's.
      for (const s of pr.row.spans.slice(c.first, c.first + c.count))
        keep(outline(f, s.seq, Math.max(GUTTER, x(s.startNs)), Math.min(f.width, x(s.endNs)), y));
      if (it.style === "leak" && it.open) {
        // A leak is seen at a glance: its open end is marked.
        ctx.fillStyle = p.err;
        ctx.fillText("leak", Math.max(GUTTER + c.x1 - 26, GUTTER + c.x0), mid);
      }
    }
    for (const pair of pr.row.pairs) {
      const x0 = x(pair.from.startNs);
      const x1 = pair.to ? x(pair.to.startNs) : x(view.toNs);
      if (x1 < GUTTER || x0 > f.width) continue;
      ctx.strokeStyle = hue(pair.colour);
      ctx.setLineDash(pair.to ? [] : [3, 3]);
      ctx.beginPath();
      ctx.moveTo(x0, mid + 5);
      ctx.lineTo(x1, mid + 5);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    for (const c of levelOfDetail(pr.marks.starts, view)) {
      const it = pr.row.marks[c.first]!;
      ctx.fillStyle = fill(p, it.style, it);
      const cx = GUTTER + (c.x0 + c.x1) / 2;
      ctx.fillRect(cx - 1.5, y + 3, 3, ROW_H - 6);
      if (c.count > 1) ctx.fillText(String(c.count), cx + 3, y + 6);
      for (const m of pr.row.marks.slice(c.first, c.first + c.count))
        keep(outline(f, m.seq, cx, cx, y));
      if (pr.row.marks.slice(c.first, c.first + c.count).some((m) => m.seq === f.selected)) {
        ctx.strokeStyle = p.accent;
        ctx.lineWidth = 2;
        ctx.strokeRect(cx - 4, y + 1, 8, ROW_H - 2);
        ctx.lineWidth = 1;
      }
    }
    ctx.restore();
  });
  // The current moment.
  const nx = x(f.nowNs);
  if (nx >= GUTTER && nx <= f.width) {
    ctx.strokeStyle = p.err;
    ctx.beginPath();
    ctx.moveTo(nx + 0.5, 0);
    ctx.lineTo(nx + 0.5, rows.length * ROW_H);
    ctx.stroke();
  }
  return outlined;
}

/** The item under a point (marks before spans), within 4 px. */
export function hit(rows: Prepared[], view: Viewport, px: number, py: number): RowItem | null {
  const pr = rows[Math.floor(py / ROW_H)];
  if (!pr) return null;
  const t = view.fromNs + ((px - GUTTER) / view.widthPx) * (view.toNs - view.fromNs);
  const tol = (4 / view.widthPx) * (view.toNs - view.fromNs);
  let best: RowItem | null = null;
  for (const m of pr.row.marks)
    if (
      Math.abs(m.startNs - t) <= tol &&
      (!best || Math.abs(m.startNs - t) < Math.abs(best.startNs - t))
    )
      best = m;
  if (best) return best;
  return pr.row.spans.find((s) => s.startNs <= t && t <= s.endNs) ?? null;
}
