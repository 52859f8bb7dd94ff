// summary.ts: divergences as short lines (`step kind change subject`), for tests and for a view's
// legend. The task switches of one step that differ the same way are one line with their count:
// when a transition runs in one configuration only, every task's switch is its consequence.
import type { Divergence } from "./divergence.ts";

export function summarise(ds: readonly Divergence[]): string[] {
  const out: string[] = [];
  let runKey = "";
  let runCount = 0;
  for (const d of ds) {
    const key = d.kind === "task-switch" ? `${d.step} task-switch ${d.change}` : "";
    if (key !== runKey && runCount > 0) out.push(`${runKey} ×${runCount}`);
    if (key !== runKey) runCount = 0;
    runKey = key;
    if (key) runCount++;
    else out.push(`${d.step} ${d.kind} ${d.change} ${d.subject}`);
  }
  if (runCount > 0) out.push(`${runKey} ×${runCount}`);
  return out;
}
