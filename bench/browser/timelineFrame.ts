// timelineFrame.ts (bench): timeline_frame_p95_ms, the wall time from an input event to the end
// of the timeline's draw, over 300 scripted wheel and drag steps on an engine-generated stream of
// about 100,000 events (bench/browser/longRun.ts, opened by link at its end, so the workbench's
// own engine emits it in its Worker and the timeline lays it out from the store). The input's
// time is the event's own timeStamp (when the browser created it); the draw's end is the
// "klp-timeline-draw" performance mark Timeline.tsx makes after each draw.
import type { Browser, Page } from "@playwright/test";
import { longRunLink, longRunScenario } from "./longRun.ts";

/** Virtual seconds of the stall: about 66 events each, 100,000 events in all. */
export const LONG_RUN_S = 1535;
const STEPS = 300;

export interface FrameRun {
  /** Input-to-draw latency of each step (ms). */
  latencies: number[];
  /** The events the workbench holds (the stream the timeline laid out). */
  events: number;
}

/** Installs the recorders: input timestamps and draw ends, in the page's clock. */
async function record(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __inputs: number[]; __draws: number[] };
    w.__inputs = [];
    w.__draws = [];
    for (const type of ["wheel", "mousemove"])
      window.addEventListener(type, (e) => w.__inputs.push(e.timeStamp), { capture: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__draws.push(e.startTime);
    }).observe({ type: "mark" });
  });
}

/** The latency of the last input: the first draw that ended after it. */
async function lastLatency(page: Page): Promise<number> {
  const h = await page.waitForFunction(
    () => {
      const w = window as unknown as { __inputs: number[]; __draws: number[] };
      const t = w.__inputs.at(-1);
      if (t === undefined) return null;
      const d = w.__draws.find((x) => x >= t);
      return d === undefined ? null : d - t;
    },
    undefined,
    { polling: "raf", timeout: 10_000 },
  );
  return (await h.jsonValue()) as number;
}

/** One step: a wheel notch or one drag move, then its latency. */
async function step(page: Page, i: number, box: { x: number; y: number; w: number }) {
  await page.evaluate(() => {
    const w = window as unknown as { __inputs: number[] };
    w.__inputs.length = 0;
  });
  const block = Math.floor(i / 10) % 3; // 10 zoom-ins, 10 drag moves, 10 zoom-outs, repeated
  const k = i % 10;
  const x = box.x + box.w * (0.3 + 0.04 * (i % 7));
  if (block === 0) {
    await page.mouse.move(x, box.y);
    await page.mouse.wheel(0, -120);
  } else if (block === 1) {
    if (k === 0) await page.mouse.down();
    await page.mouse.move(box.x + box.w * (0.5 + (k % 2 ? 0.05 : -0.05)), box.y);
    if (k === 9) await page.mouse.up();
  } else {
    await page.mouse.move(x, box.y);
    await page.mouse.wheel(0, 120);
  }
  return lastLatency(page);
}

export async function timelineFrameRun(browser: Browser, url: string): Promise<FrameRun> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const s = longRunScenario(LONG_RUN_S);
    const endMs = s.script.at(-1)!.at_ms!;
    await page.goto(longRunLink(LONG_RUN_S, url, endMs));
    await page.getByRole("heading", { name: s.title }).waitFor({ timeout: 60_000 });
    const caption = page.getByRole("region", { name: "Timeline events" }).locator("caption");
    await caption.filter({ hasText: /of \d{5,}/ }).waitFor({ timeout: 300_000 });
    const events = Number(/of (\d+)/.exec((await caption.textContent()) ?? "")?.[1] ?? NaN);
    const plot = page.locator(".timeline-plot canvas");
    await plot.evaluate((el) => el.scrollIntoView({ block: "start" }));
    const bb = (await plot.boundingBox())!;
    await page.waitForTimeout(500); // the layout's first frame and any pending work
    await record(page);
    const box = { x: bb.x + 150, y: bb.y + 60, w: bb.width - 150 };
    const latencies: number[] = [];
    for (let i = 0; i < STEPS; i++) latencies.push(await step(page, i, box));
    if (errors.length) throw new Error(`timeline frame run: page errors: ${errors.join("; ")}`);
    return { latencies, events };
  } finally {
    await ctx.close();
  }
}

/** The 95th percentile (nearest rank). */
export function p95(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]!;
}
