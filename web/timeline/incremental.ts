// incremental.ts: the timeline's layout kept up with a growing event stream. The store appends
// events in chunks (hundreds of thousands in a stress run); rebuilding the layout from the first
// event on every chunk made each chunk cost the whole stream. This feeds the layout's builder only
// the events it has not seen, and starts over when the stream is not the one it has been reading
// (a reset, a step back, another run). Same events in, same layout out as layoutTimeline.
import type { EngineEvent } from "../../engine/events.ts";
import { Builder, type LayoutOptions, snapshot } from "./layout.ts";
import type { TimelineLayout } from "./model.ts";

/** Events read between two looks at the clock. */
const CHECK_EVERY = 64;

export class TimelineStream {
  private builder = new Builder();
  private seen = 0;
  private first: EngineEvent | undefined;
  private last: EngineEvent | undefined;

  /** Whether the last call stopped short of the stream's end (its time budget ran out). */
  behind = false;

  /**
   * The layout of `events`, which extends the stream read so far (else it is read from the start).
   * With `budgetMs`, reading stops once that much time has passed and the layout is of the events
   * read so far (`behind` says so; call again to read on): one call is then never a long task.
   * The layout shares its arrays with the builder: it is current until the next call.
   */
  layout(
    events: readonly EngineEvent[],
    opts: LayoutOptions = {},
    budgetMs = Infinity,
  ): TimelineLayout {
    if (!this.continues(events)) {
      this.builder = new Builder();
      this.seen = 0;
    }
    const until = performance.now() + budgetMs;
    let i = this.seen;
    // An event may queue a walk over every task (a transition's start): it is drained in slices too.
    let drained = this.builder.tasks.drain(until);
    while (drained && i < events.length) {
      this.builder.event(events[i++]!);
      drained = this.builder.tasks.drain(until);
      // The clock is read every CHECK_EVERY events: reading it costs more than most events.
      if (drained && i % CHECK_EVERY === 0 && performance.now() > until) break;
    }
    this.seen = i;
    this.behind = i < events.length || !drained;
    this.first = events[0];
    this.last = events[i - 1];
    return snapshot(this.builder, { first: this.first, last: this.last }, opts);
  }

  /** Whether `events` begins with the events already read (the same objects, as the store keeps them). */
  private continues(events: readonly EngineEvent[]): boolean {
    if (events.length < this.seen) return false;
    if (this.seen === 0) return true;
    return events[0] === this.first && events[this.seen - 1] === this.last;
  }
}
