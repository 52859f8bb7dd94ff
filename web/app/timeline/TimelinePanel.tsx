// TimelinePanel.tsx: the timeline panel (a lazy chunk with d3): the canvas tracks laid out from
// the store's event stream with their legend, the selected event with its kernel log lines, its
// script step and code (Selection.tsx), and the table view of the same events. A log line
// selected in the log pane brings the timeline to its moment.
import { useDeferredValue, useEffect, useMemo, useRef, useState } from "react";
import type { EngineEvent } from "../../../engine/events.ts";
import { TimelineStream } from "../../timeline/incremental.ts";
import { useWb, useWorkbench } from "../context.ts";
import { callbackColours } from "./colours.ts";
import { DRAWN } from "./describe.ts";
import { EventTable } from "./EventTable.tsx";
import { Legend } from "./Legend.tsx";
import { Selection } from "./Selection.tsx";
import { timelineView } from "./rows.ts";
import Timeline from "./Timeline.tsx";
import "./timeline.css";

/** How long one render may spend reading events into the layout (ms). */
const SLICE_MS = 8;

export default function TimelinePanel() {
  const wb = useWorkbench();
  // The stream and the clock are deferred: the frame that applies an engine answer renders the rest
  // of the page, and the timeline (its layout slice, the canvas, the table's page) follows in a
  // render of its own, in another task, so that no one task does both.
  const events = useDeferredValue(useWb((s) => s.events));
  // The store appends to `events` in place (store.ts): its count says when it grew.
  const count = useDeferredValue(useWb((s) => s.eventCount));
  const nowNs = useDeferredValue(useWb((s) => s.nowNs));
  const playing = useWb((s) => s.playing);
  const selected = useWb((s) => s.selected);
  const log = useWb((s) => s.log);
  const marks = useWb((s) => s.stepMarks);
  const [table, setTable] = useState(true);
  /** The last selection made here: it needs no panning to (it is where the pointer is). */
  const mine = useRef<number | null>(null);
  // Open spans reach to a horizon rounded up to the next virtual second, so that the layout (a pass
  // over every event) is rebuilt when events arrive or once a virtual second, not every frame.
  const horizon = Math.ceil(nowNs / 1e9) * 1e9;
  // The layout grows with the stream (incremental.ts): a chunk of events costs its own length,
  // read in slices of SLICE_MS (a transition over 100,000 tasks is 100,000 events at once), each
  // slice its own task so the page stays responsive while the timeline catches up.
  const stream = useRef(new TimelineStream());
  const [slice, setSlice] = useState(0);
  const layout = useMemo(
    () => stream.current.layout(events, { endNs: horizon }, SLICE_MS),
    // `slice` asks for the next slice of the same events.
    [events, count, horizon, slice],
  );
  useEffect(() => {
    if (!stream.current.behind) return;
    const id = setTimeout(() => setSlice((n) => n + 1), 0);
    return () => clearTimeout(id);
  }, [layout]);
  const sel = selected === null ? undefined : events[selected];
  const selTask = taskKey(sel);
  const view = useMemo(
    () => timelineView(layout, layout.endNs, { selectedTask: selTask }),
    [layout, selTask],
  );
  const rows = view.rows;
  const colours = useMemo(() => callbackColours(rows), [rows]);
  const drawnOf = useRef(new DrawnEvents());
  const drawn = useMemo(() => drawnOf.current.of(events), [events, count]);
  const focusNs = sel && selected !== mine.current ? sel.tNs : null;
  const pick = (seq: number) => {
    mine.current = seq;
    wb.select(seq);
  };
  return (
    <section className="panel timeline-panel" aria-labelledby="timeline-h">
      <div className="panel-head">
        <h2 id="timeline-h">Timeline</h2>
        <button type="button" aria-expanded={table} onClick={() => setTable((t) => !t)}>
          {table ? "Hide the table" : "Show as a table"}
        </button>
      </div>
      {rows.length > 0 && <Legend rows={rows} colours={colours} />}
      {rows.length === 0 ? (
        <p className="muted">No livepatch, task, callback, shadow or module events yet.</p>
      ) : (
        <Timeline
          rows={rows}
          startNs={layout.startNs}
          endNs={Math.max(layout.endNs, nowNs)}
          nowNs={nowNs}
          playing={playing}
          selected={selected}
          focusNs={focusNs}
          onSelect={pick}
        />
      )}
      {view.hiddenTasks > 0 && (
        <p className="muted" data-testid="timeline-more-tasks">
          … and {view.hiddenTasks} more tasks (see the task table)
        </p>
      )}
      {sel && <Selection event={sel} log={log} marks={marks} />}
      {table && <EventTable events={drawn} selected={selected} onSelect={pick} />}
    </section>
  );
}

/** The task an event is about, as the layout keys tasks (tasks.ts), or null. */
function taskKey(e: EngineEvent | undefined): string | null {
  if (!e || (e.kind !== "task-switch" && e.kind !== "task-blocked" && e.kind !== "task"))
    return null;
  return e.pid === 0 ? `idle:${e.comm}` : String(e.pid);
}

/**
 * The events the table lists, kept up as the stream grows: filtering the whole stream (300,000
 * events in a stress run) on every chunk was a good part of a long task. A stream that does not
 * continue the last one is filtered from its start.
 */
class DrawnEvents {
  private out: EngineEvent[] = [];
  private seen = 0;
  private first: EngineEvent | undefined;

  of(events: readonly EngineEvent[]): readonly EngineEvent[] {
    if (events.length < this.seen || events[0] !== this.first) {
      this.out = [];
      this.seen = 0;
    }
    for (let i = this.seen; i < events.length; i++)
      if (DRAWN.has(events[i]!.kind)) this.out.push(events[i]!);
    this.seen = events.length;
    this.first = events[0];
    // The same array, grown: the table reads its length and one page of it at each render
    // (TimelinePanel renders for every new chunk), so copying 100,000 events a chunk bought nothing.
    return this.out;
  }
}
