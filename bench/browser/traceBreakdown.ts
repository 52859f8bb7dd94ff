// traceBreakdown.ts (bench): what a main-thread task of a Chromium trace spent its time on: the
// self time of each trace event inside it (React's commit shows as scripting, style and layout as
// UpdateLayoutTree/Layout, GC as V8.GC_*), and the V8 CPU profile's samples in its span by the
// function that was running (self) and by the function's caller chain's first frame in the app's
// own code. `npx tsx bench/browser/traceBreakdown.ts FILE [N]` prints the N (5) tasks that used the
// most CPU; trace.ts writes such a file.
import type { TraceEvent } from "./traceTasks.ts";
import { mainTasks, readTrace } from "./traceTasks.ts";

interface ProfNode {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url?: string; lineNumber?: number };
}
interface ChunkData {
  cpuProfile?: { nodes?: ProfNode[]; samples?: number[] };
  timeDeltas?: number[];
}
type Raw = TraceEvent & { id?: string; args?: { data?: ChunkData & { startTime?: number } } };

/** One thread's samples: when each was taken (trace µs) and the node that was running. */
export interface Samples {
  times: number[];
  nodes: number[];
  byId: Map<number, ProfNode>;
}

/** The CPU profile samples of thread pid:tid (Chromium writes them as Profile + ProfileChunk). */
export function samplesOf(events: Raw[], pid: number, tid: number): Samples {
  const out: Samples = { times: [], nodes: [], byId: new Map() };
  const ids = new Set<string>();
  const clock = new Map<string, number>();
  for (const e of events)
    if (e.name === "Profile" && e.pid === pid && e.tid === tid && e.id) {
      ids.add(e.id);
      clock.set(e.id, e.args?.data?.startTime ?? e.ts);
    }
  for (const e of events) {
    if (e.name !== "ProfileChunk" || !e.id || !ids.has(e.id)) continue;
    const d = e.args?.data;
    for (const n of d?.cpuProfile?.nodes ?? []) out.byId.set(n.id, n);
    const samples = d?.cpuProfile?.samples ?? [];
    const deltas = d?.timeDeltas ?? [];
    let t = clock.get(e.id)!;
    for (let i = 0; i < samples.length; i++) {
      t += deltas[i] ?? 0;
      out.times.push(t);
      out.nodes.push(samples[i]!);
    }
    clock.set(e.id, t);
  }
  return out;
}

const APP = /\/(app|timeline|engine)\/|assets\/(index|TimelinePanel|client)-/;

function label(n: ProfNode | undefined): string {
  if (!n) return "?";
  const f = n.callFrame;
  const file = f.url ? f.url.replace(/^.*\//, "").replace(/\?.*$/, "") : "";
  return `${f.functionName || "(anonymous)"}${file ? ` ${file}:${(f.lineNumber ?? 0) + 1}` : ""}`;
}

/** The nearest frame up the stack in the app's own code (not React's, not a library's). */
function appFrame(s: Samples, id: number): string {
  for (let n = s.byId.get(id); n; n = n.parent ? s.byId.get(n.parent) : undefined)
    if (n.callFrame.url && APP.test(n.callFrame.url) && !/react|zustand/.test(n.callFrame.url))
      return label(n);
  return label(s.byId.get(id));
}

function top(m: Map<string, number>, k: number): [string, number][] {
  return [...m].sort((a, b) => b[1] - a[1]).slice(0, k);
}

/**
 * Self time (µs) of each complete event nested in task `t` on its thread: CPU time (`tdur`) where
 * the trace has it, so that waiting for a core on a loaded machine does not count.
 */
function selfTimes(events: TraceEvent[], t: TraceEvent): Map<string, number> {
  const cost = (e: TraceEvent) => e.tdur ?? e.dur!;
  const inside = events
    .filter(
      (e) =>
        e.ph === "X" &&
        e.pid === t.pid &&
        e.tid === t.tid &&
        e.ts >= t.ts &&
        e.ts + (e.dur ?? 0) <= t.ts + t.dur! &&
        e !== t,
    )
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const self = new Map<string, number>();
  const stack: { e: TraceEvent; child: number }[] = [];
  const close = (upTo: number) => {
    while (stack.length && stack.at(-1)!.e.ts + stack.at(-1)!.e.dur! <= upTo) {
      const { e, child } = stack.pop()!;
      self.set(e.name, (self.get(e.name) ?? 0) + cost(e) - child);
      if (stack.length) stack.at(-1)!.child += cost(e);
    }
  };
  for (const e of inside) {
    close(e.ts);
    stack.push({ e, child: 0 });
  }
  close(Infinity);
  return self;
}

export function breakdown(file: string, n = 5): string[] {
  const events = readTrace(file) as Raw[];
  const tasks = mainTasks(events, "klp-span-start", "klp-span-end");
  const lines: string[] = [];
  if (tasks.length === 0) return lines;
  const s = samplesOf(events, tasks[0]!.pid, tasks[0]!.tid);
  const ms = (us: number) => (us / 1000).toFixed(1).padStart(6);
  for (const t of [...tasks].sort((a, b) => (b.tdur ?? 0) - (a.tdur ?? 0)).slice(0, n)) {
    lines.push(
      `task at ${ms(t.ts - tasks[0]!.ts)} ms: ${ms(t.dur!)} ms wall, ${ms(t.tdur ?? 0)} ms CPU`,
    );
    for (const [name, us] of top(selfTimes(events, t), 6))
      lines.push(`  cpu self ${ms(us)} ms  ${name}`);
    const leaf = new Map<string, number>();
    const app = new Map<string, number>();
    for (let i = 1; i < s.times.length; i++) {
      if (s.times[i]! < t.ts || s.times[i]! > t.ts + t.dur!) continue;
      const dt = s.times[i]! - s.times[i - 1]!;
      const id = s.nodes[i]!;
      const l = label(s.byId.get(id));
      leaf.set(l, (leaf.get(l) ?? 0) + dt);
      const a = appFrame(s, id);
      app.set(a, (app.get(a) ?? 0) + dt);
    }
    for (const [name, us] of top(leaf, 6)) lines.push(`  js self ${ms(us)} ms  ${name}`);
    for (const [name, us] of top(app, 6)) lines.push(`  js in   ${ms(us)} ms  ${name}`);
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2] ?? "/tmp/klp-stress-trace.json";
  for (const l of breakdown(file, Number(process.argv[3] ?? 5))) console.log(l);
}
