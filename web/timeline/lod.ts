// lod.ts: level of detail. A canvas track with 100,000 marks cannot draw each one: marks (or
// spans) that would fall within a pixel of each other at the current zoom are merged into one
// counted cluster, which the view draws once (and can label with its count). Only the marks in
// the visible range are visited (binary search on their sorted start times), so a zoomed-in
// frame costs what it shows, and a full view of the stream one linear pass.

/** The visible time range and the track's width in pixels. */
export interface Viewport {
  fromNs: number;
  toNs: number;
  widthPx: number;
}

export interface Cluster {
  /** Index of the cluster's first item in the input. */
  first: number;
  /** How many items it stands for (from `first` on, leaving out spans ended before the view). */
  count: number;
  startNs: number;
  endNs: number;
  /** Pixel extent within the track (start clamped at 0, end at widthPx). */
  x0: number;
  x1: number;
}

/** The first index whose start is >= t, in items sorted by start. */
function lowerBound(starts: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Clusters of the items overlapping the viewport: items sorted by start; `ends` (optional, same
 * length) gives spans, absent for point marks. An item joins the current cluster when it starts
 * less than one pixel past the cluster's end. Spans longer than `maxSpanNs` (default: any) may
 * start before the viewport; pass it so that those are found too. `mergePx` widens the merge: a
 * mark drawn 3 px wide hides any other within 3 px, so a cluster for each would draw nothing more.
 */
export function levelOfDetail(
  starts: ArrayLike<number>,
  view: Viewport,
  ends?: ArrayLike<number>,
  maxSpanNs = Infinity,
  mergePx = 1,
): Cluster[] {
  const span = view.toNs - view.fromNs;
  if (!(span > 0) || view.widthPx <= 0) return [];
  const pxPerNs = view.widthPx / span;
  const px = (t: number) => Math.min(view.widthPx, Math.max(0, (t - view.fromNs) * pxPerNs));
  // A span starting before the viewport may still reach into it: look back by the longest span.
  const back = ends ? maxSpanNs : 0;
  let i = back === Infinity ? 0 : lowerBound(starts, view.fromNs - back);
  const out: Cluster[] = [];
  let cur: Cluster | null = null;
  for (; i < starts.length; i++) {
    const s = starts[i]!;
    if (s > view.toNs) break;
    const e = ends ? ends[i]! : s;
    if (e < view.fromNs) continue;
    const x0 = px(s);
    const x1 = px(e);
    if (cur && x0 < cur.x1 + mergePx) {
      cur.count++;
      if (e > cur.endNs) {
        cur.endNs = e;
        cur.x1 = x1;
      }
      continue;
    }
    cur = { first: i, count: 1, startNs: s, endNs: e, x0, x1 };
    out.push(cur);
  }
  return out;
}

/** The times of point marks, as a typed array for levelOfDetail. */
export function timesOf(marks: readonly { tNs: number }[]): Float64Array {
  const out = new Float64Array(marks.length);
  for (let i = 0; i < marks.length; i++) out[i] = marks[i]!.tNs;
  return out;
}

/** Starts and ends of spans (sorted by start); a span still open ends at `endNs`. */
export function spansOf(
  spans: readonly { fromNs: number; toNs: number | null }[],
  endNs: number,
): { starts: Float64Array; ends: Float64Array; maxSpanNs: number } {
  const starts = new Float64Array(spans.length);
  const ends = new Float64Array(spans.length);
  let maxSpanNs = 0;
  for (let i = 0; i < spans.length; i++) {
    starts[i] = spans[i]!.fromNs;
    ends[i] = spans[i]!.toNs ?? endNs;
    maxSpanNs = Math.max(maxSpanNs, ends[i]! - starts[i]!);
  }
  return { starts, ends, maxSpanNs };
}
