import { writeFileSync } from "node:fs";
import { launchChromium } from "../browser/chromium.ts";
import { startPreview } from "../browser/preview.ts";
import { stressLink, stressScenario } from "../browser/stress.ts";
const preview = await startPreview();
const browser = await launchChromium();
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 1000 });
  await cdp.send("Profiler.start");
  const t0 = Date.now();
  await page.goto(stressLink(preview.url));
  await page.getByRole("heading", { name: stressScenario().title }).waitFor({ timeout: 120_000 });
  console.log("heading", Date.now() - t0);
  await page.waitForTimeout(Number(process.argv[2] ?? 20000));
  const { profile } = await cdp.send("Profiler.stop");
  writeFileSync("/tmp/perf/page.cpuprofile", JSON.stringify(profile));
  console.log("clock", await page.locator("output.clock").textContent());
} finally {
  await browser.close();
  preview.stop();
}
