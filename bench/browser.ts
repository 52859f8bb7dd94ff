// browser.ts (bench): the workbench's speed in Debian's headless Chromium against the production
// build served by `vite preview` (issue 5's Speed section): initial_js_gzip_kb and fcp_ms over
// cold loads of the default scenario, longest_main_thread_task_ms while the stress scenario plays.
// Run counts: KLP_BENCH_LOADS (10) cold loads, KLP_BENCH_LONGTASK_RUNS (5) stress plays,
// KLP_BENCH_FRAME_RUNS (3) runs of timeline_frame_p95_ms (bench/browser/timelineFrame.ts); 0 leaves
// the frame bench out (its rows are then not printed), for a run of the long-task part alone;
// KLP_BENCH_LONGTASK_RUNS=0 likewise leaves the stress plays and their four rows out.
import type { Browser } from "@playwright/test";
import { chromiumMissing, launchChromium } from "./browser/chromium.ts";
import { coldLoad } from "./browser/loads.ts";
import { longTaskRun } from "./browser/longtask.ts";
import { startPreview } from "./browser/preview.ts";
import { STRESS_TASKS } from "./browser/stress.ts";
import { type FrameRun, p95, timelineFrameRun } from "./browser/timelineFrame.ts";
import { median, type Metric, plainMetric } from "./harness.ts";

const LOADS = Number(process.env.KLP_BENCH_LOADS ?? 10);
const LONGTASK_RUNS = Number(process.env.KLP_BENCH_LONGTASK_RUNS ?? 5);
const FRAME_RUNS = Number(process.env.KLP_BENCH_FRAME_RUNS ?? 3);

/** "min–max (n=N)": the figures are noisy on a shared machine, so the spread is printed too. */
function spread(xs: readonly number[]): string {
  const f = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  return `${f(Math.min(...xs))}–${f(Math.max(...xs))} (n=${xs.length})`;
}

function metric(name: string, xs: number[], unit: string, target: string): Metric {
  return { ...plainMetric(name, median(xs), unit, target), spread: spread(xs) };
}

function stepsOf(f: FrameRun, kind: FrameRun["kinds"][number]): number[] {
  return f.latencies.filter((_, j) => f.kinds[j] === kind);
}

/** One frame run, its figures printed as it ends (`which`: its number, or "dispatch"). */
async function frameRun(browser: Browser, url: string, which: number | "dispatch") {
  const f = await timelineFrameRun(browser, url, which === "dispatch" ? "dispatch" : "gesture");
  const name = which === "dispatch" ? "with mouse.wheel" : String(which);
  process.stderr.write(
    `bench: browser: timeline frame run ${name}: p95 ${p95(f.latencies)} ms (wheel ${p95(stepsOf(f, "wheel"))}, drag ${p95(stepsOf(f, "drag"))}), draw p95 ${p95(f.draws)} ms\n`,
  );
  return f;
}

export async function browserSuite(): Promise<Metric[]> {
  const missing = chromiumMissing();
  if (missing) throw new Error(`${missing}; pass --no-browser to run the Node suites alone`);
  const preview = await startPreview();
  const browser = await launchChromium();
  try {
    // One untimed load first: the first page of a fresh browser process pays its start-up.
    await coldLoad(browser, preview.url, preview.dir);
    const loads = [];
    for (let i = 0; i < LOADS; i++) loads.push(await coldLoad(browser, preview.url, preview.dir));
    process.stderr.write(`bench: browser: initial scripts ${loads[0]!.scripts.join(", ")}\n`);
    const runs = [];
    for (let i = 0; i < LONGTASK_RUNS; i++) runs.push(await longTaskRun(browser, preview.url));
    const frames = [];
    for (let i = 0; i < FRAME_RUNS; i++) frames.push(await frameRun(browser, preview.url, i + 1));
    // One run with Playwright's mouse.wheel beside them: what the same steps measure when DevTools
    // holds each wheel until the next commit (timelineFrame.ts says why the gesture is the default).
    const dispatched = FRAME_RUNS > 0 ? await frameRun(browser, preview.url, "dispatch") : null;
    const longTaskRows = runs.length
      ? [
          metric(
            "longest_main_thread_task_ms",
            runs.map((r) => r.longestMs),
            "ms",
            `<= 50 (${STRESS_TASKS} tasks)`,
          ),
          metric(
            "longest_main_thread_task_cpu_ms",
            runs.map((r) => r.longestCpuMs),
            "ms",
            "(CPU time, from the trace)",
          ),
          metric(
            "stress_long_tasks",
            runs.map((r) => r.longTasks),
            "tasks",
            "",
          ),
          metric(
            "stress_60_virtual_s_wall_ms",
            runs.map((r) => r.wallMs),
            "ms",
            "",
          ),
        ]
      : [];
    const frameRows = frames.length
      ? [
          metric(
            "timeline_frame_p95_ms",
            frames.map((f) => p95(f.latencies)),
            "ms",
            `<= 16 (300 wheel/drag steps, ${frames[0]!.events} events)`,
          ),
          metric(
            "timeline_frame_wheel_p95_ms",
            frames.map((f) => p95(stepsOf(f, "wheel"))),
            "ms",
            "(the wheel notches alone)",
          ),
          metric(
            "timeline_frame_drag_p95_ms",
            frames.map((f) => p95(stepsOf(f, "drag"))),
            "ms",
            "(the drag moves alone)",
          ),
          metric(
            "timeline_frame_mouse_wheel_p95_ms",
            [p95(dispatched!.latencies)],
            "ms",
            "(the same steps, wheels by Playwright's mouse.wheel)",
          ),
          metric(
            "timeline_draw_p95_ms",
            frames.map((f) => p95(f.draws)),
            "ms",
            "(the paint alone, same steps)",
          ),
        ]
      : [];
    return [
      metric(
        "initial_js_gzip_kb",
        loads.map((l) => l.initialJsGzipBytes / 1024),
        "KB",
        "<= 150",
      ),
      metric(
        "fcp_ms",
        loads.map((l) => l.fcpMs),
        "ms",
        "<= 500",
      ),
      ...longTaskRows,
      ...frameRows,
    ];
  } finally {
    await browser.close();
    preview.stop();
  }
}
