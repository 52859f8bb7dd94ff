import { launchChromium } from "../browser/chromium.ts";
import { startPreview } from "../browser/preview.ts";
import { stressLink, stressScenario } from "../browser/stress.ts";
const preview = await startPreview();
const browser = await launchChromium();
try {
  const page = await (
    await browser.newContext({ viewport: { width: 1280, height: 800 } })
  ).newPage();
  await page.goto(stressLink(preview.url));
  await page.getByRole("heading", { name: stressScenario().title }).waitFor({ timeout: 120_000 });
  await page.waitForTimeout(15000);
  console.log(
    await page.evaluate(() => {
      const out: Record<string, number> = { all: document.querySelectorAll("*").length };
      for (const s of document.querySelectorAll("section, [role=region]")) {
        const k = (
          s.getAttribute("aria-label") ??
          s.querySelector("h2")?.textContent ??
          s.className
        ).slice(0, 40);
        out[k] = s.querySelectorAll("*").length;
      }
      return out;
    }),
  );
} finally {
  await browser.close();
  preview.stop();
}
