// timelineFrame.ts (bench): timeline_frame_p95_ms, the wall time from an input event to the end
// of the timeline's draw, over 300 scripted wheel and drag steps on an engine-generated stream of
// about 100,000 events (bench/browser/longRun.ts, opened by link at its end, so the workbench's
// own engine emits it in its Worker and the timeline lays it out from the store). The input's
// time is the event's own timeStamp (when the browser created it); the draw's start and end are
// the performance marks Timeline.tsx makes around each paint. timeline_draw_p95_ms is the paint
// alone (canvas and axis), which leaves out the browser's input dispatch.
//
// A wheel notch is sent the way Chromium injects a wheel from the system (its synthetic gesture
// target, CDP Input.synthesizeScrollGesture with a mouse source: one wheel event of the same
// 120 px). Playwright's mouse.wheel (CDP Input.dispatchMouseEvent) stamps the event and then
// holds it in the browser until the renderer's next frame is committed (DevTools' input handler
// waits for a visual state update before any wheel), so every notch waited an extra frame that no
// user's wheel waits; the metric's definition (the event's timeStamp to the draw's end) is
// unchanged. The suite also makes one run with mouse.wheel ("dispatch"), reported beside it.
import type { Browser, CDPSession, Page } from "@playwright/test";
import { longRunLink, longRunScenario } from "./longRun.ts";

/** Virtual seconds of the stall: about 65 events each, 100,000 events in all. */
export const LONG_RUN_S = 1535;
const STEPS = 300;
/** How a wheel notch is sent: a synthetic gesture (as from the system) or Playwright's mouse.wheel. */
export type WheelBy = "gesture" | "dispatch";

export interface FrameRun {
  /** Input-to-draw-end latency of each step (ms). */
  latencies: number[];
  /** The duration of the draw that ended each step (ms). */
  draws: number[];
  /** The events the engine reported (the stream the timeline laid out). */
  events: number;
  /** Each step's input: a wheel notch or a drag move. */
  kinds: ("wheel" | "drag")[];
}

type Recorder = { inputs: number[]; starts: number[]; ends: number[] };

/** Installs the recorders: input timestamps and draw marks, in the page's clock. */
async function record(page: Page): Promise<void> {
  await page.evaluate(() => {
    const r: Recorder = { inputs: [], starts: [], ends: [] };
    (window as unknown as { __frames: Recorder }).__frames = r;
    for (const type of ["wheel", "mousemove"])
      window.addEventListener(type, (e) => r.inputs.push(e.timeStamp), { capture: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        if (e.name === "klp-timeline-draw") r.ends.push(e.startTime);
        else if (e.name === "klp-timeline-draw-start") r.starts.push(e.startTime);
    }).observe({ type: "mark" });
  });
}

/** The last input's latency (the first draw that ended after it) and that draw's duration. */
async function lastStep(page: Page): Promise<[number, number]> {
  const h = await page.waitForFunction(
    () => {
      const r = (window as unknown as { __frames: Recorder }).__frames;
      const t = r.inputs.at(-1);
      if (t === undefined) return null;
      const i = r.ends.findIndex((x) => x >= t);
      return i < 0 ? null : [r.ends[i]! - t, r.ends[i]! - r.starts[i]!];
    },
    undefined,
    { polling: "raf", timeout: 10_000 },
  );
  return (await h.jsonValue()) as [number, number];
}

/** One wheel notch of `dy` px at (x, y), down for dy > 0 as with mouse.wheel. */
async function wheel(page: Page, cdp: CDPSession, by: WheelBy, x: number, y: number, dy: number) {
  if (by === "dispatch") return page.mouse.wheel(0, dy);
  // At this speed the whole notch is one wheel event (yDistance > 0 scrolls up).
  await cdp.send("Input.synthesizeScrollGesture", {
    x,
    y,
    yDistance: -dy,
    gestureSourceType: "mouse",
    speed: 1_000_000,
    preventFling: true,
  });
}

/** One step: a wheel notch or one drag move; @returns its latency and draw time. */
async function step(
  page: Page,
  cdp: CDPSession,
  by: WheelBy,
  i: number,
  box: { x: number; y: number; w: number },
) {
  await page.evaluate(() => {
    const r = (window as unknown as { __frames: Recorder }).__frames;
    r.inputs.length = r.starts.length = r.ends.length = 0;
  });
  const block = Math.floor(i / 10) % 3; // 10 zoom-ins, 10 drag moves, 10 zoom-outs, repeated
  const k = i % 10;
  const x = box.x + box.w * (0.3 + 0.04 * (i % 7));
  if (block === 0) {
    await page.mouse.move(x, box.y);
    await wheel(page, cdp, by, x, box.y, -120);
  } else if (block === 1) {
    if (k === 0) await page.mouse.down();
    await page.mouse.move(box.x + box.w * (0.5 + (k % 2 ? 0.05 : -0.05)), box.y);
    if (k === 9) await page.mouse.up();
  } else {
    await page.mouse.move(x, box.y);
    await wheel(page, cdp, by, x, box.y, 120);
  }
  return lastStep(page);
}

export async function timelineFrameRun(
  browser: Browser,
  url: string,
  by: WheelBy = "gesture",
): Promise<FrameRun> {
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
    await caption.filter({ hasText: /of \d{5,} events/ }).waitFor({ timeout: 300_000 });
    const events = await settledCount(page, caption);
    const plot = page.locator(".timeline-plot canvas");
    await plot.evaluate((el) => el.scrollIntoView({ block: "start" }));
    const bb = (await plot.boundingBox())!;
    await page.waitForTimeout(500); // the layout's first frame and any pending work
    await record(page);
    const cdp = await ctx.newCDPSession(page);
    // Over the patch's row and the first task rows, right of the labels' gutter.
    const box = { x: bb.x + 150, y: bb.y + 60, w: bb.width - 150 };
    const latencies: number[] = [];
    const draws: number[] = [];
    const kinds: FrameRun["kinds"] = [];
    for (let i = 0; i < STEPS; i++) {
      const [l, d] = await step(page, cdp, by, i, box);
      latencies.push(l);
      draws.push(d);
      kinds.push(Math.floor(i / 10) % 3 === 1 ? "drag" : "wheel");
    }
    if (errors.length) throw new Error(`timeline frame run: page errors: ${errors.join("; ")}`);
    return { latencies, draws, events, kinds };
  } finally {
    await ctx.close();
  }
}

/** The 95th percentile (nearest rank). */
export function p95(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]!;
}

/**
 * The table caption's event count once it stops growing: a capped delta's remaining events
 * arrive in later answers (op "view"), so the first count seen may be part of the stream.
 */
async function settledCount(page: Page, caption: ReturnType<Page["locator"]>): Promise<number> {
  const read = async () =>
    Number(/of (\d+) events/.exec((await caption.textContent()) ?? "")?.[1] ?? 0);
  let last = await read();
  for (let same = 0; same < 3;) {
    await page.waitForTimeout(1000);
    const n = await read();
    same = n === last ? same + 1 : 0;
    last = n;
  }
  return last;
}
