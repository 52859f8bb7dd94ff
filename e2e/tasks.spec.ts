// tasks.spec.ts: the task table under many tasks (issue 5): a scenario with 20,000 generated
// tasks (a task spec's `count`) opens from a link; the table says how many rows it has
// (aria-rowcount) but keeps only a window of them in the DOM, and scrolling to the end shows the
// last generated task, which the engine sent when the table asked for that window.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { encodeLink } from "../scenarios/link.ts";
import type { Scenario } from "../scenarios/schema.ts";

const COUNT = 20_000;

function manyTasks(): Scenario {
  const base = JSON.parse(
    readFileSync(new URL("../scenarios/library/default.json", import.meta.url), "utf8"),
  ) as Scenario;
  const { expect: _e, ...rest } = base;
  const tasks = [
    { comm: "many", every_ms: 1000, does: { syscall: "getpid" as const }, count: COUNT },
  ];
  return { ...rest, title: "Many tasks", machine: { ...base.machine, tasks } };
}

test("the task table windows 20,000 tasks and scrolls to the last", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(encodeLink(manyTasks(), { atMs: 500 }, "/"));
  const region = page.getByRole("region", { name: "Task table" });
  const table = region.getByRole("table");
  await expect(table).toHaveAttribute("aria-rowcount", /^\d+$/, { timeout: 60_000 });
  const rowCount = Number(await table.getAttribute("aria-rowcount"));
  expect(rowCount).toBeGreaterThan(COUNT);
  // Only a window of rows is rendered (header and spacers included).
  expect(await table.locator("tr").count()).toBeLessThan(200);
  await expect(table).toContainText("many0");
  await region.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(table).toContainText(`many${COUNT - 1}`, { timeout: 30_000 });
  const last = table.locator(`tr[aria-rowindex="${rowCount}"]`);
  await expect(last).toBeVisible();
  expect(await table.locator("tr").count()).toBeLessThan(200);
  expect(errors).toEqual([]);
});
