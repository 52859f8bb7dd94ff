// loads.ts (bench): cold loads of the workbench's default scenario, each in a fresh browser
// context (empty HTTP cache, no storage): first-contentful-paint and the JavaScript fetched
// before the load event.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser } from "@playwright/test";

export interface Load {
  fcpMs: number;
  /** gzip size of the page's scripts fetched before load (Workers and lazy chunks excluded). */
  initialJsGzipBytes: number;
  scripts: string[];
}

export async function coldLoad(browser: Browser, url: string, dir: string): Promise<Load> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await ctx.newPage();
    const scripts = new Set<string>();
    let loaded = false;
    page.on("response", (r) => {
      const req = r.request();
      // A Worker's own fetches have no frame; the Worker's script and lazy chunks come later
      // (the engine starts after the core downloads, Monaco on demand), so `loaded` stops them.
      let inPage: boolean;
      try {
        inPage = req.frame() !== null;
      } catch {
        inPage = false; // Playwright throws for requests no frame owns
      }
      const path = new URL(r.url()).pathname;
      if (!loaded && inPage && path.endsWith(".js")) scripts.add(path);
    });
    await page.goto(url, { waitUntil: "load" });
    loaded = true;
    // FCP is reported once the browser has painted; it may trail the load event slightly.
    await page.waitForFunction(
      () => performance.getEntriesByName("first-contentful-paint").length > 0,
    );
    const fcpMs = await page.evaluate(
      () => performance.getEntriesByName("first-contentful-paint")[0]!.startTime,
    );
    let initialJsGzipBytes = 0;
    for (const p of scripts) initialJsGzipBytes += gzipSync(readFileSync(join(dir, p))).length;
    return { fcpMs, initialJsGzipBytes, scripts: [...scripts] };
  } finally {
    await ctx.close();
  }
}
