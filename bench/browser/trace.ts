// trace.ts (bench): `npx tsx bench/browser/trace.ts [FILE]`: one stress play (as
// longest_main_thread_task_ms measures it) under Chromium's tracing, then the renderer main
// thread's longest tasks and what ran inside them, to see what limits the figure.
import { readFileSync } from "node:fs";
import { launchChromium } from "./chromium.ts";
import { longTaskRun } from "./longtask.ts";
import { startPreview } from "./preview.ts";

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string; data?: { functionName?: string; url?: string } };
}

const file = process.argv[2] ?? "/tmp/klp-stress-trace.json";
const preview = await startPreview();
const browser = await launchChromium();
try {
  const run = await longTaskRun(browser, preview.url, file);
  console.log(
    `longest long task ${run.longestMs} ms, ${run.longTasks} long tasks, ${run.wallMs} ms`,
  );
} finally {
  await browser.close();
  preview.stop();
}

const raw = JSON.parse(readFileSync(file, "utf8")) as { traceEvents: TraceEvent[] } | TraceEvent[];
const events = Array.isArray(raw) ? raw : raw.traceEvents;
// The renderer's main thread is the one its metadata names CrRendererMain.
const mains = new Set(
  events
    .filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain")
    .map((e) => `${e.pid}:${e.tid}`),
);
const onMain = events.filter((e) => e.ph === "X" && mains.has(`${e.pid}:${e.tid}`));
const tasks = onMain
  .filter((e) => e.name === "ThreadControllerImpl::RunTask" || e.name === "RunTask")
  .sort((a, b) => b.dur! - a.dur!)
  .slice(0, 5);
for (const t of tasks) {
  console.log(`task ${(t.dur! / 1000).toFixed(1)} ms at ${t.ts}`);
  // What ran inside it, longest first, by name (summed).
  const inside = new Map<string, number>();
  for (const e of onMain) {
    if (e === t || e.ts < t.ts || e.ts + e.dur! > t.ts + t.dur!) continue;
    const fn = e.args?.data?.functionName;
    const key = fn ? `${e.name} ${fn} ${e.args?.data?.url ?? ""}` : e.name;
    inside.set(key, Math.max(inside.get(key) ?? 0, e.dur!));
  }
  for (const [k, d] of [...inside].sort((a, b) => b[1] - a[1]).slice(0, 8))
    console.log(`  ${(d / 1000).toFixed(1).padStart(7)} ms  ${k}`);
}
