// trace.ts (bench): `npx tsx bench/browser/trace.ts [FILE]`: one stress play (as
// longest_main_thread_task_ms measures it) with its Chromium trace kept in FILE, then the main
// thread's longest tasks, wall time against CPU time, and the longest events inside each; then
// the tasks that used the most CPU, by what they spent it on (traceBreakdown.ts).
import { launchChromium } from "./chromium.ts";
import { longTaskRun } from "./longtask.ts";
import { startPreview } from "./preview.ts";
import { breakdown } from "./traceBreakdown.ts";
import { mainTasks, readTrace } from "./traceTasks.ts";

const file = process.argv[2] ?? "/tmp/klp-stress-trace.json";
const preview = await startPreview();
const browser = await launchChromium();
try {
  const r = await longTaskRun(browser, preview.url, file);
  console.log(
    `longest long task ${r.longestMs} ms, ${r.longTasks} long tasks, most CPU in one task ${r.longestCpuMs.toFixed(1)} ms, 60 virtual s in ${r.wallMs} ms`,
  );
} finally {
  await browser.close();
  preview.stop();
}

const events = readTrace(file);
const tasks = mainTasks(events, "klp-span-start", "klp-span-end");
for (const t of [...tasks].sort((a, b) => b.dur! - a.dur!).slice(0, 5)) {
  console.log(
    `task ${(t.dur! / 1000).toFixed(1)} ms wall, ${((t.tdur ?? 0) / 1000).toFixed(1)} ms CPU`,
  );
  const inside = events
    .filter(
      (e) =>
        e.ph === "X" &&
        e !== t &&
        e.pid === t.pid &&
        e.tid === t.tid &&
        e.ts >= t.ts &&
        e.ts + (e.dur ?? 0) <= t.ts + t.dur!,
    )
    .sort((a, b) => b.dur! - a.dur!)
    .slice(0, 4);
  for (const e of inside) {
    const fn = e.args?.data?.functionName;
    console.log(
      `  ${((e.dur ?? 0) / 1000).toFixed(1).padStart(7)} ms  ${e.name}${fn ? ` ${fn}` : ""}`,
    );
  }
}
console.log("the tasks that used the most CPU:");
for (const l of breakdown(file, 5)) console.log(l);
