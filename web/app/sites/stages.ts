// stages.ts: the text-poke stages the entry-site view steps through: the "site" events of one
// function so far, and where the selection stands among them. Each stage's view is the one the
// engine kept right after it (engine/host/pokes.ts); "now" is the site as the core holds it now.
import type { EngineEvent } from "../../../engine/events.ts";

export type SiteEvent = EngineEvent & { kind: "site" };

export interface Stages {
  /** The function's site events so far, in order. */
  all: SiteEvent[];
  /** The selected stage's index in `all`, or null for now. */
  at: number | null;
}

export function stagesOf(
  events: readonly EngineEvent[],
  func: string | undefined,
  selected: number | null,
): Stages {
  const all = events.filter((e): e is SiteEvent => e.kind === "site" && e.func === func);
  const k = selected === null ? -1 : all.findIndex((e) => e.seq === selected);
  return { all, at: k < 0 ? null : k };
}

/** The stage before the selection (from now: the last one), or null. */
export function previous(s: Stages): SiteEvent | null {
  const k = s.at === null ? s.all.length - 1 : s.at - 1;
  return s.all[k] ?? null;
}

/** The stage after the selection (none after now, nor after the last: that is now). */
export function next(s: Stages): SiteEvent | null {
  return s.at === null ? null : (s.all[s.at + 1] ?? null);
}
