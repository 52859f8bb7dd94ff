// stepback.spec.ts: step back and jump in the workbench (production build). Played to the end,
// jumped back to a log line's moment, stepped back once and played to the end again, the page's
// log is the one it showed before; the shortcut "," steps back too; Go to jumps by seconds.
import { expect, type Page, test } from "@playwright/test";

const log = (page: Page) => page.getByRole("log", { name: "dmesg" });
const lines = (page: Page) => log(page).locator("li").allTextContents();

test("step back and jump to a moment, then forward again, give the same log", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("combobox", { name: "Speed" }).selectOption("64");
  await expect(page.getByText("script done")).toBeVisible({ timeout: 60_000 });
  const full = await lines(page);
  expect(full.length).toBeGreaterThan(10);

  // Jump back to the moment of a line mid-run: the log ends with that moment's lines.
  const line = log(page).locator("li", { hasText: "enabling patch 'livepatch_callbacks_demo'" });
  await line.getByRole("button").click();
  await page.getByRole("button", { name: "Jump to this moment" }).click();
  await expect(page.getByLabel("Virtual time")).toHaveText("1.000 s");
  const atJump = await lines(page);
  expect(atJump.length).toBeLessThan(full.length);
  expect(full.slice(0, atJump.length)).toEqual(atJump);

  // One event back (the button, then the key): the log only shrinks, never changes.
  await page.getByRole("button", { name: "Step back" }).click();
  await expect.poll(async () => (await lines(page)).length).toBeLessThanOrEqual(atJump.length);
  await page.locator("body").press(",");
  const back = await lines(page);
  expect(full.slice(0, back.length)).toEqual(back);

  await page.getByRole("button", { name: /^Play/ }).click();
  await expect(page.getByText("script done")).toBeVisible({ timeout: 60_000 });
  expect(await lines(page)).toEqual(full);
});

test("Go to a time: back and forward by seconds, from the keyboard; a bad time is said so", async ({
  page,
}) => {
  await page.goto("/");
  await page.getByRole("combobox", { name: "Speed" }).selectOption("64");
  await expect(page.getByText("script done")).toBeVisible({ timeout: 60_000 });
  const full = await lines(page);
  const field = page.getByRole("textbox", { name: /Go to/ });
  // "g" focuses the field from anywhere outside a field.
  await page.locator("body").press("g");
  await expect(field).toBeFocused();
  await field.fill("5.5");
  await field.press("Enter");
  await expect(page.getByLabel("Virtual time")).toHaveText("5.500 s");
  // Everything up to 5.5 s has run, nothing after it: the log is the full run's up to there.
  const at = await lines(page);
  const stamp = (l: string) => Number(/\[\s*([\d.]+)\]/.exec(l)![1]);
  expect(at.length).toBeLessThan(full.length);
  expect(full.slice(0, at.length)).toEqual(at);
  expect(stamp(at.at(-1)!)).toBeLessThanOrEqual(5.5);
  expect(stamp(full[at.length]!)).toBeGreaterThan(5.5);
  // Forward again to the end, by the button: the same log as the uninterrupted run.
  await field.fill("12");
  await page.getByRole("button", { name: "Go", exact: true }).click();
  await expect(page.getByLabel("Virtual time")).toHaveText("12.000 s");
  expect(await lines(page)).toEqual(full);
  await field.fill("soon");
  await field.press("Enter");
  await expect(page.getByRole("alert").filter({ hasText: "a time in seconds" })).toBeVisible();
  await expect(page.getByLabel("Virtual time")).toHaveText("12.000 s");
});
