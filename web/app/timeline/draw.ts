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

/** The last palette read, by theme: reading it forces a style recalculation every paint. */
let cached: { key: string; p: Palette } | null = null;

/** The palette of the page's current theme (theme.ts sets data-theme; else the system's). */
export function themePalette(el: Element): Palette {
  const dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
  const key = `${document.documentElement.dataset.theme ?? "system"} ${dark}`;
  if (cached?.key !== key) cached = { key, p: palette(el) };
  return cached.p;
}

function fill(p: Palette, s: ItemStyle, it: RowItem, colours: ReadonlyMap<string, string>): string {
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
      return colours.get(it.colour ?? "") ?? p.fg;
    case "wait":
      return p.warn;
    default:
      return p.fg;
  }
}

/** Per row, the arrays levelOfDetail needs and each mark's index by seq, computed once a layout. */
export type Prepared = {
  row: Row;
  spans: ReturnType<typeof extents>;
  marks: ReturnType<typeof extents>;
  markIndex: Map<number, number>;
};

export function prepare(rows: Row[]): Prepared[] {
  return rows.map((row) => ({
    row,
    spans: row.spanExtents ?? extents(row.spans),
    marks: extents(row.marks),
    markIndex: new Map(row.marks.map((m, i) => [m.seq, i])),
  }));
}

export interface Frame {
  ctx: CanvasRenderingContext2D;
  width: number;
  view: Viewport;
  nowNs: number;
  selected: number | null;
  p: Palette;
  /** Callback colours by pair key (colours.ts); absent: the foreground colour. */
  colours?: ReadonlyMap<string, string>;
  /** Events to outline (a comparison's diverging events), by seq. */
  marked?: ReadonlySet<number>;
}

/** An outline to draw over a row once its fills are down: [seq, x0, x1]. */
type Outline = [number, number, number];

/** Outlines the marked items of a row (after its fills, so they stay on top) into `out`. */
function outline(f: Frame, todo: Outline[], y: number, out: number[]): void {
  if (todo.length === 0) return;
  f.ctx.strokeStyle = f.p.err;
  f.ctx.lineWidth = 2;
  for (const [seq, x0, x1] of todo) {
    f.ctx.strokeRect(x0 - 3, y + 1, Math.max(6, x1 - x0 + 6), ROW_H - 2);
    out.push(seq);
  }
  f.ctx.lineWidth = 1;
}

/** A mark is 3 px wide: marks closer than this are one cluster (what one would see anyway). */
const MARK_MERGE_PX = 3;
/** A cluster's count is written only where it fits before the next cluster. */
const COUNT_ROOM_PX = 28;

/**
 * Rectangles batched by fill: one path and one fill() per colour and row instead of a fillStyle
 * and a fillRect per cluster (a full view of 100,000 marks has tens of thousands of clusters).
 */
class Batch {
  private readonly paths = new Map<string, { style: string; alpha: number; path: Path2D }>();
  rect(style: string, x: number, y: number, w: number, h: number, alpha = 1): void {
    const key = `${alpha} ${style}`;
    let b = this.paths.get(key);
    if (!b) this.paths.set(key, (b = { style, alpha, path: new Path2D() }));
    b.path.rect(x, y, w, h);
  }
  fill(ctx: CanvasRenderingContext2D): void {
    for (const b of this.paths.values()) {
      ctx.fillStyle = b.style;
      ctx.globalAlpha = b.alpha;
      ctx.fill(b.path);
    }
    ctx.globalAlpha = 1;
    this.paths.clear();
  }
}

/** Paints the rows. @returns the seqs of the marked items it outlined (those in view). */
export function draw(rows: Prepared[], f: Frame): number[] {
  const outlined: number[] = [];
  const { ctx, view, p } = f;
  const colours = f.colours ?? new Map<string, string>();
  const x = (t: number) => GUTTER + ((t - view.fromNs) / (view.toNs - view.fromNs)) * view.widthPx;
  ctx.clearRect(0, 0, f.width, rows.length * ROW_H);
  ctx.font = "11px ui-monospace, monospace";
  ctx.textBaseline = "middle";
  // Row labels and separators: one path for every separator.
  ctx.fillStyle = p.fg;
  const seps = new Path2D();
  rows.forEach((pr, r) => {
    ctx.fillText(pr.row.label.slice(0, 22), 4, r * ROW_H + ROW_H / 2);
    seps.moveTo(GUTTER, r * ROW_H + ROW_H - 0.5);
    seps.lineTo(f.width, r * ROW_H + ROW_H - 0.5);
  });
  ctx.strokeStyle = p.line;
  ctx.stroke(seps);
  ctx.save();
  ctx.beginPath();
  ctx.rect(GUTTER, 0, view.widthPx, rows.length * ROW_H);
  ctx.clip();
  const batch = new Batch();
  rows.forEach((pr, r) => drawRow(pr, r * ROW_H, f, colours, batch, x, outlined));
  ctx.restore();
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

function drawRow(
  pr: Prepared,
  y: number,
  f: Frame,
  colours: ReadonlyMap<string, string>,
  batch: Batch,
  x: (t: number) => number,
  outlined: number[],
): void {
  const { ctx, view, p } = f;
  const mid = y + ROW_H / 2;
  const leaks: number[] = [];
  const todo: Outline[] = [];
  // Spans, translucent: pending at half, the rest at a third.
  for (const c of levelOfDetail(pr.spans.starts, view, pr.spans.ends, pr.spans.maxSpan)) {
    const it = pr.row.spans[c.first]!;
    const w = Math.max(1, c.x1 - c.x0);
    const alpha = it.style === "pending" ? 0.5 : 0.35;
    // A count band (the tasks' summary) stands as high as its share, from the row's foot.
    const h = it.level === undefined ? ROW_H - 8 : Math.max(1, (ROW_H - 8) * it.level);
    batch.rect(fill(p, it.style, it, colours), GUTTER + c.x0, y + ROW_H - 4 - h, w, h, alpha);
    // A leak is seen at a glance: its open end is marked.
    if (it.style === "leak" && it.open) leaks.push(Math.max(GUTTER + c.x1 - 26, GUTTER + c.x0));
    // Each marked span of a cluster is outlined at its own extent, not the cluster's.
    if (f.marked)
      for (const s of pr.row.spans.slice(c.first, c.first + c.count))
        if (f.marked.has(s.seq))
          todo.push([s.seq, Math.max(GUTTER, x(s.startNs)), Math.min(f.width, x(s.endNs))]);
  }
  batch.fill(ctx);
  outline(f, todo.splice(0), y, outlined);
  ctx.fillStyle = p.err;
  for (const lx of leaks) ctx.fillText("leak", lx, mid);
  for (const pair of pr.row.pairs) {
    const x0 = x(pair.from.startNs);
    const x1 = pair.to ? x(pair.to.startNs) : x(view.toNs);
    if (x1 < GUTTER || x0 > f.width) continue;
    ctx.strokeStyle = colours.get(pair.colour) ?? p.fg;
    ctx.setLineDash(pair.to ? [] : [3, 3]);
    ctx.beginPath();
    ctx.moveTo(x0, mid + 5);
    ctx.lineTo(x1, mid + 5);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  const clusters = levelOfDetail(pr.marks.starts, view, undefined, Infinity, MARK_MERGE_PX);
  const sel = f.selected === null ? undefined : pr.markIndex.get(f.selected);
  const counts: [number, string][] = [];
  let selX: number | null = null;
  clusters.forEach((c, i) => {
    const it = pr.row.marks[c.first]!;
    const cx = GUTTER + (c.x0 + c.x1) / 2;
    batch.rect(fill(p, it.style, it, colours), cx - 1.5, y + 3, 3, ROW_H - 6);
    const room = (clusters[i + 1]?.x0 ?? Infinity) - c.x1;
    if (c.count > 1 && room >= COUNT_ROOM_PX) counts.push([cx + 3, String(c.count)]);
    if (sel !== undefined && sel >= c.first && sel < c.first + c.count) selX = cx;
    if (f.marked)
      for (const m of pr.row.marks.slice(c.first, c.first + c.count))
        if (f.marked.has(m.seq)) todo.push([m.seq, cx, cx]);
  });
  batch.fill(ctx);
  outline(f, todo, y, outlined);
  ctx.fillStyle = p.fg;
  for (const [cx, n] of counts) ctx.fillText(n, cx, y + 6);
  if (selX !== null) {
    ctx.strokeStyle = p.accent;
    ctx.lineWidth = 2;
    ctx.strokeRect(selX - 4, y + 1, 8, ROW_H - 2);
    ctx.lineWidth = 1;
  }
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
