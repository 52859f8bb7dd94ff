// persist.spec.ts: never losing work, and the session as files, against the production build. A
// shell line survives a reload (autosave); a bad link keeps the autosaved scenario and says so; a
// link keeps it too and offers it back; an exported scenario imports to the same run; a file that
// does not open says why and keeps the scenario; the exported log is what the log pane shows; the
// exported trace is Perfetto's JSON.
import { readFileSync } from "node:fs";
import { expect, type Download, type Page, test } from "@playwright/test";
import { checkTrace } from "../engine/trace/check.ts";
import type { ChromeTrace } from "../engine/trace/format.ts";
import { encodeLink } from "../scenarios/link.ts";
import { loadScenario } from "../scenarios/load.ts";

const DEFAULT_TITLE = "A patch, its transition and its callbacks";
const AUTOSAVE_KEY = "klp-playground:autosave:v1";

const sample = loadScenario(
  readFileSync(new URL("../scenarios/library/livepatch-sample.json", import.meta.url), "utf8"),
);
if (!sample.ok) throw new Error("livepatch-sample.json does not load");
const SAMPLE = sample.value;
/** Its link's fragment. */
const SAMPLE_LINK = encodeLink(SAMPLE, {}, "").replace(/^[^#]*/, "");

const log = (page: Page) => page.getByRole("log", { name: "dmesg" });
const heading = (page: Page, name: string) => page.getByRole("heading", { name, exact: true });
const scriptSteps = (page: Page) =>
  page.getByRole("region", { name: "Scenario" }).locator("ol.script li");

async function shell(page: Page, line: string): Promise<void> {
  const input = page.getByRole("textbox", { name: "root@klp:~#" });
  await input.fill(line);
  await input.press("Enter");
}

/** The autosave's raw text once it holds `text` (the save follows changes by half a second). */
async function autosaved(page: Page, text: string): Promise<void> {
  await expect
    .poll(() => page.evaluate((k) => localStorage.getItem(k) ?? "", AUTOSAVE_KEY))
    .toContain(text);
}

/** The default scenario played to its end at 64×. */
async function finishDefault(page: Page): Promise<void> {
  await page.goto("/");
  await expect(heading(page, DEFAULT_TITLE)).toBeVisible({ timeout: 30_000 });
  await page.getByRole("combobox", { name: "Speed" }).selectOption("64");
  await expect(page.getByText("script done")).toBeVisible({ timeout: 30_000 });
}

async function downloaded(page: Page, button: string): Promise<{ d: Download; text: string }> {
  const [d] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: button, exact: true }).click(),
  ]);
  return { d, text: readFileSync((await d.path())!, "utf8") };
}

test("a shell line typed in the console survives a reload", async ({ page }) => {
  await page.goto("/");
  await expect(log(page)).toContainText("starting patching transition", { timeout: 30_000 });
  await page.getByRole("button", { name: "Pause" }).click();
  await shell(page, "echo survives-reload > /dev/kmsg");
  await expect(log(page)).toContainText("survives-reload");
  await autosaved(page, "echo survives-reload > /dev/kmsg");
  const at = await page.getByLabel("Virtual time").textContent();
  await page.reload();
  await expect(heading(page, DEFAULT_TITLE)).toBeVisible({ timeout: 30_000 });
  await expect(scriptSteps(page).filter({ hasText: "echo survives-reload" })).toHaveCount(1);
  await expect(log(page)).toContainText("survives-reload", { timeout: 30_000 });
  // Paused where it was.
  await expect(page.getByLabel("Virtual time")).toHaveText(at!);
  await expect(page.getByRole("button", { name: "Play" })).toBeVisible();
});

test("a bad link keeps the autosaved scenario and says so; a good one offers it back", async ({
  page,
}) => {
  await page.goto("/");
  await expect(log(page)).toContainText("starting patching transition", { timeout: 30_000 });
  await shell(page, "echo my-work > /dev/kmsg");
  await autosaved(page, "echo my-work > /dev/kmsg");
  await page.goto("about:blank");
  await page.goto("/#s1.thisIsNotAValidPayload");
  const alert = page.getByRole("alert", { name: "Open error" });
  await expect(alert).toContainText(
    "This link does not open: your autosaved scenario is open instead.",
    { timeout: 30_000 },
  );
  await expect(scriptSteps(page).filter({ hasText: "echo my-work" })).toHaveCount(1);
  await expect(log(page)).toContainText("my-work");
  await autosaved(page, "echo my-work > /dev/kmsg");
  // A link that opens: the autosave stays, and one action brings it back.
  await page.goto("about:blank");
  await page.goto(`/${SAMPLE_LINK}`);
  await expect(heading(page, SAMPLE.title)).toBeVisible({
    timeout: 30_000,
  });
  const offer = page.getByRole("status", { name: "Autosaved scenario" });
  await expect(offer).toContainText(`Your autosaved scenario “${DEFAULT_TITLE}” is kept.`);
  await autosaved(page, "echo my-work > /dev/kmsg");
  await offer.getByRole("button", { name: "Restore my autosaved scenario" }).click();
  await expect(heading(page, DEFAULT_TITLE)).toBeVisible();
  await expect(scriptSteps(page).filter({ hasText: "echo my-work" })).toHaveCount(1);
  await expect(offer).toHaveCount(0);
});

test("export then import round-trips: the same title and the same log after running", async ({
  page,
}) => {
  await finishDefault(page);
  await shell(page, "echo exported-line > /dev/kmsg");
  await expect(log(page)).toContainText("exported-line");
  const before = await log(page).locator("li").allTextContents();
  const { d, text } = await downloaded(page, "Export scenario");
  expect(d.suggestedFilename()).toBe("a-patch-its-transition-and-its-callbacks.json");
  const file = JSON.parse(text) as { version: number; title: string; script: { run?: string }[] };
  expect(file.version).toBe(2);
  expect(file.title).toBe(DEFAULT_TITLE);
  expect(file.script.at(-1)?.run).toBe("echo exported-line > /dev/kmsg");
  // Opened in a fresh page, the file plays to the same log.
  const fresh = await page.context().newPage();
  await fresh.goto("/");
  await expect(heading(fresh, DEFAULT_TITLE)).toBeVisible({ timeout: 30_000 });
  await fresh.getByRole("combobox", { name: "Speed" }).selectOption("64");
  await fresh.getByLabel("Import a scenario file").setInputFiles({
    name: d.suggestedFilename(), // the download's own path is a temporary name
    mimeType: "application/json",
    buffer: Buffer.from(text),
  });
  await expect(fresh.getByRole("combobox", { name: "Scenario" })).toContainText(
    "(a-patch-its-transition-and-its-callbacks.json)",
  );
  await expect(heading(fresh, DEFAULT_TITLE)).toBeVisible();
  await expect(log(fresh).locator("li")).toHaveText(before, { timeout: 30_000 });
});

test("a malformed import file (chosen or dropped) says why and keeps the scenario", async ({
  page,
}) => {
  await page.goto("/");
  await expect(log(page)).toContainText("starting patching transition", { timeout: 30_000 });
  await page.getByRole("button", { name: "Pause" }).click();
  const input = page.getByLabel("Import a scenario file");
  await input.setInputFiles({
    name: "broken.json",
    mimeType: "application/json",
    buffer: Buffer.from("{ this is not json"),
  });
  const alert = page.getByRole("alert", { name: "Open error" });
  await expect(alert).toContainText("broken.json does not open: the scenario below is unchanged.");
  await expect(alert).toContainText("not JSON:");
  await alert.getByRole("button", { name: "Dismiss" }).click();
  await input.setInputFiles({
    name: "wrong.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify({ format: "klp-playground-scenario", version: 2 })),
  });
  await expect(alert).toContainText("wrong.json does not open: the scenario below is unchanged.");
  await expect(alert.locator("li").first()).toContainText(/^\S*: /); // the validator's path: message
  await alert.getByRole("button", { name: "Dismiss" }).click();
  // A file dropped on the page takes the same way.
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(["[1, 2"], "dropped.json", { type: "application/json" }));
    document.body.dispatchEvent(
      new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }),
    );
  });
  await expect(alert).toContainText("dropped.json does not open: the scenario below is unchanged.");
  await expect(heading(page, DEFAULT_TITLE)).toBeVisible();
  await expect(log(page)).toContainText("starting patching transition");
});

test("the exported log is what the log pane shows for a finished default run", async ({ page }) => {
  await finishDefault(page);
  const shown = await log(page).locator("li").allTextContents();
  const { d, text } = await downloaded(page, "Export log");
  expect(d.suggestedFilename()).toBe("a-patch-its-transition-and-its-callbacks.dmesg.txt");
  expect(text.endsWith("\n")).toBe(true);
  expect(text.slice(0, -1).split("\n")).toEqual(shown);
  expect(shown.length).toBeGreaterThan(10);
});

test("the exported Perfetto trace is valid JSON with traceEvents", async ({ page }) => {
  await finishDefault(page);
  const { d, text } = await downloaded(page, "Export trace");
  expect(d.suggestedFilename()).toBe("a-patch-its-transition-and-its-callbacks.trace.json");
  const trace = JSON.parse(text) as ChromeTrace;
  expect(Array.isArray(trace.traceEvents)).toBe(true);
  expect(trace.traceEvents.length).toBeGreaterThan(10);
  expect(checkTrace(trace)).toEqual([]);
  expect(trace.traceEvents.some((e) => e.name?.includes("patching complete"))).toBe(true);
});
