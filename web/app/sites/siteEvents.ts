// siteEvents.ts: the stream's "site" events, kept up as the store's event stream grows (it is
// appended to in place, store.ts): each render reads only the events that arrived since the last,
// where filtering the whole stream (300,000 events in a stress run) on every engine answer was the
// entry-site view's share of a long task. A stream that does not continue the last one (an open,
// a seek back) is read from its start.
import type { EngineEvent } from "../../../engine/events.ts";
import type { SiteEvent } from "./stages.ts";

export class SiteEvents {
  private out: SiteEvent[] = [];
  private seen = 0;
  private first: EngineEvent | undefined;

  /** The site events of `events`, in stream order (the same array while the stream grows). */
  of(events: readonly EngineEvent[]): readonly SiteEvent[] {
    if (events.length < this.seen || events[0] !== this.first) {
      this.out = [];
      this.seen = 0;
    }
    for (let i = this.seen; i < events.length; i++) {
      const e = events[i]!;
      if (e.kind === "site") this.out.push(e);
    }
    this.seen = events.length;
    this.first = events[0];
    return this.out;
  }
}
