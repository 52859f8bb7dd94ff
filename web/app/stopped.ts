// stopped.ts: what the workbench says after Stop: what the engine was doing, that a fresh one
// reopened the scenario (nothing lost) and where, and what to do so that it does not run away again.
import type { Busy } from "./busy.ts";
import { clock } from "./format.ts";
import type { Trouble } from "./store.ts";

export interface StopReport {
  /** The request that had not been answered (null: Stop pressed with nothing outstanding). */
  busy: Busy | null;
  elapsedMs: number | null;
  /** Script steps the reopened scenario holds. */
  steps: number;
  /** Where the fresh engine replayed to (0: the start). */
  toNs: number;
}

export function stoppedTrouble(r: StopReport): Trouble {
  const secs = r.elapsedMs === null ? null : Math.max(1, Math.round(r.elapsedMs / 1000));
  const title = r.busy
    ? `Stopped: the engine had been ${r.busy.what} for ${secs} s without answering.`
    : "Stopped: the engine was replaced.";
  const where =
    r.toNs > 0 ? `replayed it to ${clock(r.toNs)}, the moment the page showed` : "is at its start";
  const lines = [
    `A fresh engine reopened the scenario with its script (${r.steps} steps, your actions included) and ${where}; nothing you had is lost. Time is paused.`,
  ];
  if (r.busy?.line !== undefined)
    lines.push(
      `The shell line "${r.busy.line}" did not finish, so it is not in the script. Run it again with less to do (a shorter sleep, say) if you need it.`,
    );
  lines.push(
    "What to do: if module code runs long (its errors are listed here and in the log), edit the module (Edit module source…, then Apply and reopen); if you asked for a long stretch of virtual time (a long sleep, a high speed), ask for less, or use Step and Step over.",
  );
  return { title, lines };
}
