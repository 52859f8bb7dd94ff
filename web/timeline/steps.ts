// steps.ts: which script step an event belongs to, from the step marks the session reports (each
// step's index, start time and the seq range of its own events). The engine's events carry no step:
// a step's events begin at its firstSeq; those before its endSeq its commands emitted, the rest
// until the next step its timers and the machine's tasks did (a transition's retries, a sleeper).

export interface StepMark {
  index: number;
  startNs: number;
  firstSeq: number;
  /** One past the step's own last event; absent when the session did not say. */
  endSeq?: number;
}

export interface EventStep {
  mark: StepMark;
  /** Whether the step's commands emitted the event, rather than what ran after it. */
  during: boolean;
}

/** The step `seq` falls under (marks in the order they ran, firstSeq ascending), or null. */
export function stepOfEvent(marks: readonly StepMark[], seq: number): EventStep | null {
  let lo = 0;
  let hi = marks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (marks[mid]!.firstSeq <= seq) lo = mid + 1;
    else hi = mid;
  }
  const mark = marks[lo - 1];
  if (!mark) return null;
  return { mark, during: mark.endSeq !== undefined && seq < mark.endSeq };
}
