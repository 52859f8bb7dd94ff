// traceTasks.ts (bench): the renderer main thread's tasks in a Chromium trace, between two
// console.timeStamp marks. A long task's duration is wall time, and on a shared machine a task
// can wait for a CPU for 100 ms while it runs: the trace's thread time (tdur) says how much CPU
// the task itself used, a figure the machine's load does not inflate.
import { readFileSync } from "node:fs";

export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; data?: { message?: string; functionName?: string; url?: string } };
}

export function readTrace(file: string): TraceEvent[] {
  const raw = JSON.parse(readFileSync(file, "utf8")) as
    { traceEvents: TraceEvent[] } | TraceEvent[];
  return Array.isArray(raw) ? raw : raw.traceEvents;
}

/** The main thread's top-level tasks that start between the marks `from` and `to`. */
export function mainTasks(events: TraceEvent[], from: string, to: string): TraceEvent[] {
  const mains = new Set(
    events
      .filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain")
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const mark = (m: string) =>
    events.find((e) => e.name === "TimeStamp" && e.args?.data?.message === m)?.ts;
  const t0 = mark(from);
  const t1 = mark(to);
  if (t0 === undefined || t1 === undefined) throw new Error(`trace: no ${from}/${to} marks`);
  return events.filter(
    (e) =>
      e.ph === "X" &&
      e.name === "ThreadControllerImpl::RunTask" &&
      mains.has(`${e.pid}:${e.tid}`) &&
      e.ts >= t0 &&
      e.ts <= t1,
  );
}

/** The most CPU any one task used (ms), and that task's wall duration. */
export function longestCpuTask(tasks: TraceEvent[]): { cpuMs: number; wallMs: number } {
  let best = { cpuMs: 0, wallMs: 0 };
  for (const t of tasks) {
    const cpuMs = (t.tdur ?? 0) / 1000;
    if (cpuMs > best.cpuMs) best = { cpuMs, wallMs: (t.dur ?? 0) / 1000 };
  }
  return best;
}
