// timeline.ts (bench): the timeline's layout model (web/timeline/layout.ts) of an engine-generated
// 100,000-event stream, and one level-of-detail pass over every track at a full view 1,600 px
// wide (what the first frame of the canvas needs).
import { layoutTimeline } from "../web/timeline/layout.ts";
import { levelOfDetail, spansOf, timesOf } from "../web/timeline/lod.ts";
import type { TimelineLayout } from "../web/timeline/model.ts";
import { type Metric, medianMs, plainMetric, timeMetric } from "./harness.ts";
import { timelineStream } from "./timeline-stream.ts";

const EVENTS = 100_000;
const WIDTH_PX = 1600;

/** Clusters of every track at a full view; @returns how many. */
function fullView(l: TimelineLayout): number {
  const view = { fromNs: l.startNs, toNs: l.endNs, widthPx: WIDTH_PX };
  let n = 0;
  for (const p of l.patches) n += levelOfDetail(timesOf(p.marks), view).length;
  for (const t of l.tasks) {
    const s = spansOf(t.spans, l.endNs);
    n += levelOfDetail(s.starts, view, s.ends, s.maxSpanNs).length;
    n += levelOfDetail(timesOf(t.waits), view).length;
    n += levelOfDetail(timesOf(t.switches), view).length;
  }
  n += levelOfDetail(timesOf(l.callbacks), view).length;
  const sh = spansOf(l.shadows, l.endNs);
  n += levelOfDetail(sh.starts, view, sh.ends, sh.maxSpanNs).length;
  n += levelOfDetail(timesOf(l.moduleMarks), view).length;
  return n;
}

/** The "timeline" suite: timeline_layout_ms and timeline_lod_ms. */
export async function timelineSuite(coreBytes: Uint8Array): Promise<Metric[]> {
  const events = await timelineStream(coreBytes, EVENTS);
  if (events.length !== EVENTS) throw new Error("timeline bench: short stream");
  let layout = layoutTimeline(events);
  const layoutMs = medianMs(() => {
    layout = layoutTimeline(events);
  });
  let clusters = 0;
  const lodMs = medianMs(() => {
    clusters = fullView(layout);
  });
  if (clusters === 0) throw new Error("timeline bench: nothing to draw");
  return [
    timeMetric("timeline_layout_ms", layoutMs, null),
    timeMetric("timeline_lod_ms", lodMs, null),
    plainMetric("timeline_lod_clusters", clusters, "clusters"),
  ];
}
