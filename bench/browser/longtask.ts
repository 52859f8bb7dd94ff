// longtask.ts (bench): the longest main-thread task while the workbench plays 60 virtual seconds
// of the stress scenario (bench/browser/stress.ts) at the UI's highest speed, after the module
// editor (Monaco) has loaded: the page opens the scenario from a link, is paused, loads the editor,
// then plays through the Run controls while a PerformanceObserver collects 'longtask' entries.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "@playwright/test";
import { stressLink, stressScenario } from "./stress.ts";
import { longestCpuTask, mainTasks, readTrace } from "./traceTasks.ts";

const SPAN_S = 60;

export interface LongTaskRun {
  /** The longest long task (ms); 0 when none passed the browser's 50 ms threshold. */
  longestMs: number;
  longTasks: number;
  /** Wall time the 60 virtual seconds took (ms): the engine, not the page, paces the clock. */
  wallMs: number;
  /** The most CPU time one main-thread task used in the span (ms), from Chromium's trace. */
  longestCpuMs: number;
}

async function virtualS(page: Page): Promise<number> {
  const text = await page.locator("output.clock").textContent(); // "12.345 s"
  return Number.parseFloat(text ?? "NaN");
}

/** `keepTrace`: where to leave Chromium's trace of the span (bench/browser/trace.ts reads it). */
export async function longTaskRun(
  browser: Browser,
  url: string,
  keepTrace?: string,
): Promise<LongTaskRun> {
  const tmp = mkdtempSync(join(tmpdir(), "klp-bench-trace-"));
  const trace = keepTrace ?? join(tmp, "trace.json");
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(stressLink(url));
    await page.getByRole("heading", { name: stressScenario().title }).waitFor({ timeout: 60_000 });
    // A link autoplays at 1x; hold it until the editor is in.
    await page.getByRole("button", { name: "Pause" }).click({ timeout: 30_000 });
    await page.getByRole("button", { name: "Edit module source…" }).click();
    await page.locator(".monaco .view-lines").waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1000); // Monaco's first layout and its TypeScript worker's start
    await page.getByLabel("Speed").selectOption("64");
    await browser.startTracing(page, { path: trace, screenshots: false });
    // Tracing's start is itself a long task: the observer and the span start a second later.
    await page.waitForTimeout(1000);
    await page.evaluate(() => {
      const w = window as unknown as { __longTasks: number[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push(e.duration);
      }).observe({ type: "longtask" });
      console.timeStamp("klp-span-start");
    });
    const t0 = await virtualS(page);
    const wall0 = Date.now();
    await page.getByRole("button", { name: /^Play/ }).click();
    await page.waitForFunction(
      (until) =>
        Number.parseFloat(document.querySelector("output.clock")?.textContent ?? "0") >= until,
      t0 + SPAN_S,
      { polling: 250, timeout: 600_000 },
    );
    const wallMs = Date.now() - wall0;
    await page.evaluate(() => console.timeStamp("klp-span-end"));
    await page.getByRole("button", { name: "Pause" }).click();
    await page.waitForTimeout(200); // observer callbacks are delivered asynchronously
    await browser.stopTracing();
    const tasks = await page.evaluate(
      () => (window as unknown as { __longTasks: number[] }).__longTasks,
    );
    if (errors.length) throw new Error(`longtask run: page errors: ${errors.join("; ")}`);
    const cpu = longestCpuTask(mainTasks(readTrace(trace), "klp-span-start", "klp-span-end"));
    return {
      longestMs: Math.max(0, ...tasks),
      longTasks: tasks.length,
      wallMs,
      longestCpuMs: cpu.cpuMs,
    };
  } finally {
    await ctx.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
