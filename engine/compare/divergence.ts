// divergence.ts: where two runs of one scenario part ways, computed on their structured event
// streams (never on the log text): events are aligned by script step, event kind and subject, and
// every subject whose events differ within a step is one divergence. Two kinds get a reading of
// their own because a view must say what they mean, not only that they differ: a shadow variable's
// lifetime (freed in one run, leaked in the other) is judged over the whole run, and a refusal is a
// step whose command failed in one run only (a load or a sysfs write the kernel refused).
import type { EngineEvent } from "../events.ts";
import { SETUP_STEP, stepOfEvents, type RunSide } from "./align.ts";
import {
  KIND_ORDER,
  shadowSubjects,
  signatureOf,
  subjectOf,
  type ComparedKind,
} from "./subject.ts";

export type DivergenceKind = ComparedKind | "refusal";

/**
 * How the two sides differ: the subject's events only in one side, in both but different, a shadow
 * variable freed only in one side (leaked in the other), a step refused only in one side.
 */
export type Change = "only-a" | "only-b" | "differs" | "freed-only-a" | "freed-only-b";

export interface Divergence {
  kind: DivergenceKind;
  /** What it is about: `patch/object/callback`, `<0x..., id>`, a function, a module, `pid comm`. */
  subject: string;
  /** The script step (index in the scenario's script) it happened in; -1 for the setup. */
  step: number;
  change: Change;
  /** Side a's events of this subject in this step (a shadow lifetime: all of the run's). */
  a: readonly EngineEvent[];
  b: readonly EngineEvent[];
  /** A refusal: each side's exit status and standard error of the step. */
  outcome?: { a: StepOutcomeText; b: StepOutcomeText };
}

export interface StepOutcomeText {
  status: number;
  stderr: string;
}

type Groups = Map<string, EngineEvent[]>;

/** `step \0 kind \0 subject` → events, in event order. */
function group(side: RunSide): Groups {
  const steps = stepOfEvents(side);
  const out: Groups = new Map();
  side.events.forEach((e, i) => {
    const subject = subjectOf(e);
    if (subject === null || e.kind === "shadow") return;
    const key = `${steps[i]}\0${e.kind}\0${subject}`;
    const list = out.get(key);
    if (list) list.push(e);
    else out.set(key, [e]);
  });
  return out;
}

function sameSignatures(a: readonly EngineEvent[], b: readonly EngineEvent[]): boolean {
  return a.length === b.length && a.every((e, i) => signatureOf(e) === signatureOf(b[i]!));
}

function changeOf(a: readonly EngineEvent[], b: readonly EngineEvent[]): Change {
  if (b.length === 0) return "only-a";
  if (a.length === 0) return "only-b";
  return "differs";
}

/** Per step, kind and subject: the events that differ (shadow variables excluded). */
function eventDivergences(a: RunSide, b: RunSide): Divergence[] {
  const ga = group(a);
  const gb = group(b);
  const out: Divergence[] = [];
  for (const key of new Set([...ga.keys(), ...gb.keys()])) {
    const ea = ga.get(key) ?? [];
    const eb = gb.get(key) ?? [];
    if (sameSignatures(ea, eb)) continue;
    const [step, kind, subject] = key.split("\0") as [string, ComparedKind, string];
    out.push({ kind, subject, step: Number(step), change: changeOf(ea, eb), a: ea, b: eb });
  }
  return out;
}

interface Lifetimes {
  /** The shadow events of one <obj, id>, in order. */
  events: EngineEvent[];
  /** The step of each event. */
  steps: number[];
}

function shadowLifetimes(side: RunSide): Map<string, Lifetimes> {
  const steps = stepOfEvents(side);
  const subjects = shadowSubjects(side.events);
  const out = new Map<string, Lifetimes>();
  side.events.forEach((e, i) => {
    if (e.kind !== "shadow") return;
    const subject = subjects.get(e.seq)!;
    const l = out.get(subject) ?? { events: [], steps: [] };
    l.events.push(e);
    l.steps.push(steps[i]!);
    out.set(subject, l);
  });
  return out;
}

/** Whether the variable is live at the end of the run: its last event is an alloc. */
function leaked(l: Lifetimes): boolean {
  return l.events.at(-1)?.kind === "shadow" && (l.events.at(-1) as { op: string }).op === "alloc";
}

/**
 * Shadow variables, judged over the whole run: the same allocs and frees in the same steps agree;
 * a variable freed in one run and still live at the end of the other is freed-only-a/-b (the
 * other leaked it), at the step of the first difference.
 */
function shadowDivergences(a: RunSide, b: RunSide): Divergence[] {
  const la = shadowLifetimes(a);
  const lb = shadowLifetimes(b);
  const out: Divergence[] = [];
  for (const subject of new Set([...la.keys(), ...lb.keys()])) {
    const x = la.get(subject) ?? { events: [], steps: [] };
    const y = lb.get(subject) ?? { events: [], steps: [] };
    const n = Math.max(x.events.length, y.events.length);
    let first = -1;
    for (let i = 0; i < n && first < 0; i++) {
      const ex = x.events[i];
      const ey = y.events[i];
      const same = ex && ey && signatureOf(ex) === signatureOf(ey) && x.steps[i] === y.steps[i];
      if (!same) first = i;
    }
    if (first < 0) continue;
    const step = Math.min(x.steps[first] ?? Infinity, y.steps[first] ?? Infinity);
    let change = changeOf(x.events, y.events);
    if (change === "differs" && leaked(x) !== leaked(y)) {
      change = leaked(y) ? "freed-only-a" : "freed-only-b";
    }
    out.push({ kind: "shadow", subject, step, change, a: x.events, b: y.events });
  }
  return out;
}

/**
 * Steps whose command failed in one run only, or failed differently: a write the kernel refused
 * (`echo 0 > enabled` on a block_disable patch), an insmod or rmmod that failed. The status is the
 * shell's: a selftest helper that expects a refusal (load_failing_mod) fails when there is none,
 * so there the refusal shows on the other side, next to the module's load-failed divergence.
 */
function refusals(a: RunSide, b: RunSide): Divergence[] {
  const bySide = (s: RunSide) => new Map(s.steps.map((m) => [m.index, m] as const));
  const ma = bySide(a);
  const mb = bySide(b);
  const out: Divergence[] = [];
  for (const step of new Set([...ma.keys(), ...mb.keys()])) {
    const x = ma.get(step);
    const y = mb.get(step);
    const failedA = x !== undefined && x.status !== 0;
    const failedB = y !== undefined && y.status !== 0;
    if (!failedA && !failedB) continue;
    if (failedA && failedB && x.stderr === y.stderr) continue;
    const text = (m: typeof x) => ({ status: m?.status ?? 0, stderr: m?.stderr ?? "" });
    const change: Change = failedA && failedB ? "differs" : failedA ? "only-a" : "only-b";
    out.push({
      kind: "refusal",
      subject: `step ${step}`,
      step,
      change,
      a: [],
      b: [],
      outcome: { a: text(x), b: text(y) },
    });
  }
  return out;
}

const RANK: readonly DivergenceKind[] = ["refusal", ...KIND_ORDER];

/** The first event of a divergence on either side, for a stable order within a kind. */
function firstSeq(d: Divergence): number {
  return Math.min(d.a[0]?.seq ?? Infinity, d.b[0]?.seq ?? Infinity);
}

/**
 * Every divergence between runs a and b of one scenario, ordered by step, then kind (refusals,
 * modules, transitions, callbacks, shadow variables, entry sites, tasks), then first event.
 * A run compared with itself has none.
 */
export function divergences(a: RunSide, b: RunSide): Divergence[] {
  const all = [...refusals(a, b), ...eventDivergences(a, b), ...shadowDivergences(a, b)];
  return all.sort(
    (x, y) =>
      x.step - y.step ||
      RANK.indexOf(x.kind) - RANK.indexOf(y.kind) ||
      firstSeq(x) - firstSeq(y) ||
      (x.subject < y.subject ? -1 : x.subject > y.subject ? 1 : 0),
  );
}

export { SETUP_STEP };
