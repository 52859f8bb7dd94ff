// align.ts: puts each event of a run under the script step that caused it. A step owns the events
// from its first one up to the next step's first: a transition a step starts keeps retrying while
// the script waits for the next step's at_ms, and those retries are still that step's doing.
// Events before the first step (boot, the prelude, the background tasks) belong to step -1.
import type { EngineEvent } from "../events.ts";

/** What the comparison needs of a run: its events and where each script step began. */
export interface RunSide {
  events: readonly EngineEvent[];
  steps: readonly StepMark[];
}

/** One script step of a run: its index in the script, first event and outcome. */
export interface StepMark {
  index: number;
  firstSeq: number;
  status: number;
  stderr: string;
}

/** The setup before the first script step. */
export const SETUP_STEP = -1;

/** The script step index of every event, in event order. */
export function stepOfEvents(side: RunSide): Int32Array {
  const out = new Int32Array(side.events.length).fill(SETUP_STEP);
  const marks = [...side.steps].sort((x, y) => x.firstSeq - y.firstSeq);
  let k = -1;
  for (let i = 0; i < side.events.length; i++) {
    const seq = side.events[i]!.seq;
    while (k + 1 < marks.length && marks[k + 1]!.firstSeq <= seq) k++;
    out[i] = k < 0 ? SETUP_STEP : marks[k]!.index;
  }
  return out;
}
