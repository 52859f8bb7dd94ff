// intern.ts: one string object per distinct name in the page's event stream. Structured clone
// gives every string of a Worker's message its own copy: a 5,000-event delta arrived with some
// 15,000 strings ("task-switch", "getpid4711", "stack-check", ...) that the store then keeps, and
// young-generation GC copied each of them on the main thread (scavenges of 30-40 ms were the
// page's longest tasks). Replacing them with the first copy seen makes the new copies garbage at
// once, so a scavenge copies the events and not their names. Values are unchanged.
import type { EngineEvent } from "../../engine/events.ts";

/** The string fields of the rarer kinds of events that repeat (free text is left alone). */
const NAMES = ["op", "phase", "patch", "func", "name", "state", "object", "callback", "pairsWith"];

/** Distinct names are few next to events (one per task at most): the table is never pruned. */
export class Interner {
  private readonly table = new Map<string, string>();

  /** The canonical copy of `s`. */
  string(s: string): string {
    const c = this.table.get(s);
    if (c !== undefined) return c;
    this.table.set(s, s);
    return s;
  }

  /**
   * Replaces, in place, each event's repeating string fields with their canonical copies. The
   * kinds a 100,000-task transition sends by the thousand are handled field by field: a generic
   * walk over every name cost as much as the scavenge time it saved.
   */
  events(events: EngineEvent[]): void {
    for (const e of events) {
      switch (e.kind) {
        case "task-switch":
          e.kind = "task-switch"; // a literal: the code's own copy, no lookup
          e.comm = this.string(e.comm);
          e.reason = this.string(e.reason) as typeof e.reason;
          break;
        case "task-blocked":
          e.kind = "task-blocked";
          e.comm = this.string(e.comm);
          if (e.func !== null) e.func = this.string(e.func);
          break;
        case "task":
          e.kind = "task";
          e.comm = this.string(e.comm);
          e.op = e.op === "fork" ? "fork" : "exit";
          if (e.taskKind !== undefined) e.taskKind = this.string(e.taskKind) as typeof e.taskKind;
          break;
        default:
          this.fields(e);
      }
    }
  }

  private fields(e: EngineEvent): void {
    const r = e as unknown as Record<string, unknown>;
    r.kind = this.string(e.kind);
    for (const k of NAMES) {
      const v = r[k];
      if (typeof v === "string") r[k] = this.string(v);
    }
  }
}
