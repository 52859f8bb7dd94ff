// sides.ts: the two logs of a comparison put side by side by script step (the same alignment the
// divergences use: engine/compare/align.ts), each step flagged when a divergence lies in it, each
// line flagged when its text is not printed in the other side's same step.
import type { ComparedRuns, ComparedSide, LogLine } from "../../../engine/host/protocol.ts";

export interface AlignedStep {
  /** Script step index, -1 for the setup before the first step. */
  step: number;
  diverges: boolean;
  a: { line: LogLine; only: boolean }[];
  b: { line: LogLine; only: boolean }[];
}

function byStep(side: ComparedSide): Map<number, LogLine[]> {
  const marks = [...side.steps].sort((x, y) => x.firstSeq - y.firstSeq);
  const out = new Map<number, LogLine[]>();
  let k = -1;
  for (const l of side.log) {
    while (k + 1 < marks.length && marks[k + 1]!.firstSeq <= l.event) k++;
    const step = k < 0 ? -1 : marks[k]!.index;
    const list = out.get(step);
    if (list) list.push(l);
    else out.set(step, [l]);
  }
  return out;
}

export function alignSides(c: ComparedRuns): AlignedStep[] {
  const a = byStep(c.a);
  const b = byStep(c.b);
  const steps = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => x - y);
  const diverging = new Set(c.divergences.map((d) => d.step));
  return steps.map((step) => {
    const la = a.get(step) ?? [];
    const lb = b.get(step) ?? [];
    const ta = new Set(la.map((l) => l.text));
    const tb = new Set(lb.map((l) => l.text));
    return {
      step,
      diverges: diverging.has(step),
      a: la.map((line) => ({ line, only: !tb.has(line.text) })),
      b: lb.map((line) => ({ line, only: !ta.has(line.text) })),
    };
  });
}
