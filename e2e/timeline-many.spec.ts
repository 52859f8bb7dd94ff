// timeline-many.spec.ts: a machine with 200 more tasks than the default's: the timeline shows the
// tasks' pending count as one track, the notable tasks' tracks and a count of the rest (the task
// table lists them), so the canvas stays a few rows tall; the table view still lists every event.
import { expect, test } from "@playwright/test";
import { encodeLink } from "../scenarios/link.ts";
import { manyTaskScenario } from "../web/timeline/manyTasks.fixture.ts";
import { NOTABLE_MAX } from "../web/app/timeline/taskRows.ts";

test("many tasks: a summary track, the notable tasks and a count of the rest", async ({ page }) => {
  test.setTimeout(120_000);
  const s = manyTaskScenario(200);
  await page.goto(encodeLink(s, { atMs: s.script.at(-1)!.at_ms! }, "/"));
  const panel = page.getByRole("region", { name: "Timeline", exact: true });
  const note = panel.getByTestId("timeline-more-tasks");
  await expect(note).toHaveText(/^… and (\d+) more tasks \(see the task table\)$/, {
    timeout: 60_000,
  });
  const hidden = Number(/(\d+)/.exec((await note.textContent()) ?? "")![1]);
  expect(hidden).toBeGreaterThanOrEqual(200 - NOTABLE_MAX);
  // A track each would be over 200 rows (4,000 px); the summary keeps it to a handful.
  const canvas = panel.locator("canvas");
  const h = await canvas.evaluate((c) => c.clientHeight);
  expect(h).toBeGreaterThan(0);
  expect(h).toBeLessThanOrEqual((NOTABLE_MAX + 8) * 20);
});
