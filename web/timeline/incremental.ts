// incremental.ts: the timeline's layout kept up with a growing event stream. The store appends
// events in chunks (hundreds of thousands in a stress run); rebuilding the layout from the first
// event on every chunk made each chunk cost the whole stream. This feeds the layout's builder only
// the events it has not seen, and starts over when the stream is not the one it has been reading
// (a reset, a step back, another run). Same events in, same layout out as layoutTimeline.
import type { EngineEvent } from "../../engine/events.ts";
import { Builder, type LayoutOptions, snapshot } from "./layout.ts";
import type { TimelineLayout } from "./model.ts";

export class TimelineStream {
  private builder = new Builder();
  private seen = 0;
  private first: EngineEvent | undefined;
  private last: EngineEvent | undefined;

  /**
   * The layout of `events`, which extends the stream read so far (else it is read from the start).
   * The layout shares its arrays with the builder: it is current until the next call.
   */
  layout(events: readonly EngineEvent[], opts: LayoutOptions = {}): TimelineLayout {
    if (!this.continues(events)) {
      this.builder = new Builder();
      this.seen = 0;
    }
    for (let i = this.seen; i < events.length; i++) this.builder.event(events[i]!);
    this.seen = events.length;
    this.first = events[0];
    this.last = events.at(-1);
    return snapshot(this.builder, events, opts);
  }

  /** Whether `events` begins with the events already read (the same objects, as the store keeps them). */
  private continues(events: readonly EngineEvent[]): boolean {
    if (events.length < this.seen) return false;
    if (this.seen === 0) return true;
    return events[0] === this.first && events[this.seen - 1] === this.last;
  }
}
