// timeline.spec.ts: the timeline of issue 6 against the production build. The legend names the
// styles and each callback pair's colour; selecting an event shows its kernel log line, the script
// step it came under (also highlighted in the script pane) and the code that ran; the table's pages
// reach the oldest event of a long run (an engine-generated stall of 64 sleepers), by button and by
// key; hover shows a mark's details and a click on it selects it; W/S/A/D act by key position;
// the view follows the current moment. Text and ARIA only.
import { expect, type Page, test } from "@playwright/test";
import { longRunLink, longRunScenario } from "../bench/browser/longRun.ts";
import { runInNode } from "../cli/node-run.ts";
import { DRAWN } from "../web/app/timeline/describe.ts";

const table = (page: Page) => page.getByRole("region", { name: "Timeline events" });
const selection = (page: Page) => page.getByRole("region", { name: "Selected event" });

async function playToEnd(page: Page): Promise<void> {
  await page.getByRole("combobox", { name: "Speed" }).selectOption("64");
  await expect(page.getByText("script done")).toBeVisible({ timeout: 40_000 });
}

async function range(page: Page): Promise<{ from: number; to: number }> {
  const text = await page.getByTestId("timeline-range").textContent();
  const m = /Showing ([\d.]+) s to ([\d.]+) s/.exec(text ?? "")!;
  return { from: Number(m[1]), to: Number(m[2]) };
}

test("the legend names the styles and each callback pair's colour", async ({ page }) => {
  await page.goto("/");
  await playToEnd(page);
  const legend = page.getByRole("list", { name: "Timeline legend" });
  await expect(legend.getByRole("listitem")).toHaveCount(5);
  await expect(legend).toContainText("task pending (TIF_PATCH_PENDING)");
  const cb = page.getByRole("list", { name: "Callback colours" });
  // The default scenario's callbacks run for vmlinux and for livepatch_callbacks_busymod.
  await expect(cb).toContainText("callbacks of livepatch_callbacks_demo: vmlinux");
  await expect(cb).toContainText(
    "callbacks of livepatch_callbacks_demo: livepatch_callbacks_busymod",
  );
  await expect(cb).toContainText("a line joins each callback to the one that undoes it");
});

test("selecting a callback shows its log line, its script step and its code", async ({ page }) => {
  await page.goto("/");
  await playToEnd(page);
  const row = table(page).getByRole("row", {
    name: /callback livepatch_callbacks_demo\/vmlinux pre_patch$/,
  });
  await row.getByRole("button").click();
  const sel = selection(page);
  await expect(sel).toContainText("callback livepatch_callbacks_demo/vmlinux: pre_patch");
  await expect(sel.getByLabel("Kernel log at this moment")).toContainText(
    "livepatch_callbacks_demo: pre_patch_callback: vmlinux",
  );
  await expect(sel.getByTestId("selected-step")).toContainText(
    "Emitted by script step 2 at 1.000 s: insmod livepatch-callbacks-demo.ko",
  );
  const script = page.locator("ol.script");
  const marked = script.locator("li.selected");
  await expect(marked).toHaveCount(1);
  await expect(marked).toContainText("insmod livepatch-callbacks-demo.ko");
  await expect(marked).toContainText("the selected event's step");
  await expect(sel).toContainText(
    "pre_patch callback (vmlinux) of module livepatch_callbacks_demo, lines",
  );
  await expect(sel.getByLabel("Source of pre_patch")).toContainText(
    'callback_info("pre_patch_callback", obj);',
  );
  // A retry later on came after the step that started the transition, not from it.
  await table(page)
    .getByRole("row", { name: /not switched: sleeping on function busymod_work_func/ })
    .last()
    .getByRole("button")
    .click();
  await expect(sel.getByTestId("selected-step")).toContainText(
    "After script step 2 at 1.000 s: insmod livepatch-callbacks-demo.ko",
  );
  await expect(sel).toContainText(
    "function busymod_work_func of module livepatch_callbacks_busymod",
  );
});

test("the table's pages reach the oldest event of a long run", async ({ page }) => {
  test.setTimeout(120_000);
  const seconds = 40;
  const s = longRunScenario(seconds);
  const run = await runInNode(s);
  if (!run.ok) throw new Error("long run failed");
  const drawn = run.value.events.filter((e) => DRAWN.has(e.kind));
  expect(drawn.length).toBeGreaterThan(2000);
  await page.goto(longRunLink(seconds, "/", s.script.at(-1)!.at_ms!));
  const t = table(page);
  const caption = t.locator("caption");
  const pages = Math.ceil(drawn.length / 100);
  await expect(caption).toContainText(`of ${drawn.length} events`, { timeout: 60_000 });
  await expect(t).toContainText(`Page ${pages} of ${pages}`);
  await expect(t.getByRole("row").last()).toContainText(`#${drawn.at(-1)!.seq}`);
  await t.getByRole("button", { name: "Oldest" }).click();
  await expect(caption).toContainText(`1–100 of ${drawn.length} events`);
  await expect(t.getByRole("row").nth(1)).toContainText(`#${drawn[0]!.seq}`);
  // Keys on the region: PageDown the next page, End the newest, Home the oldest again.
  await t.focus();
  await page.keyboard.press("PageDown");
  await expect(t).toContainText(`Page 2 of ${pages}`);
  await expect(t.getByRole("row").nth(1)).toContainText(`#${drawn[100]!.seq}`);
  await page.keyboard.press("End");
  await expect(t).toContainText(`Page ${pages} of ${pages}`);
  await page.keyboard.press("Home");
  await expect(t).toContainText(`Page 1 of ${pages}`);
  // Selecting the oldest row selects that event.
  await t.getByRole("button", { name: `#${drawn[0]!.seq}`, exact: true }).click();
  await expect(selection(page)).toContainText(`Event #${drawn[0]!.seq} at`);
});

test("hover shows a mark's details; a click on it selects it and shows the code", async ({
  page,
}) => {
  const s = longRunScenario(20);
  await page.goto(longRunLink(20, "/", s.script.at(-1)!.at_ms!));
  await expect(table(page).locator("caption")).toContainText(/of \d+ events/, { timeout: 60_000 });
  await expect(page.locator("output.clock")).toHaveText(
    `${(s.script.at(-1)!.at_ms! / 1000).toFixed(3)} s`,
  );
  const canvas = page.locator(".timeline-plot canvas");
  await canvas.evaluate((el) => el.scrollIntoView({ block: "start" }));
  // Find a sleeper's row, then one of its marks (the retries that found it asleep), by hovering.
  const box = (await canvas.boundingBox())!;
  const tip = page.getByRole("tooltip");
  const hover = async (x: number, row: number) => {
    await page.mouse.move(box.x + x, box.y + row * 20 + 10);
    return (await tip.count()) ? ((await tip.textContent()) ?? "") : "";
  };
  let row = 1;
  while (row < 20 && !/sleeper\d+/.test(await hover(box.width * 0.6, row))) row++;
  await expect(tip).toContainText(/^[\d.]+ s: \d+ sleeper\d+: patch_state unpatched/);
  let x = box.width * 0.6;
  while (x < box.width && !/not switched/.test(await hover(x, row))) x += 2;
  await expect(tip).toContainText(/sleeper\d+ not switched: sleeping on function sleeper_wait/);
  await page.mouse.down();
  await page.mouse.up();
  const sel = selection(page);
  await expect(sel).toContainText("task-blocked");
  await expect(sel).toContainText("function sleeper_wait of module klp_sleeper, lines");
  await expect(sel.getByLabel("Source of sleeper_wait")).toContainText("msleep");
});

test("W/S/A/D act by key position, not by the letter typed; the view follows now", async ({
  page,
}) => {
  await page.goto("/");
  await playToEnd(page);
  const plot = page.getByRole("application", { name: /Timeline/ });
  const whole = await range(page);
  // An AZERTY keyboard types "z" at the position of KeyW: that zooms in.
  await plot.dispatchEvent("keydown", { code: "KeyW", key: "z", bubbles: true });
  await expect.poll(async () => (await range(page)).to).toBeLessThan(whole.to);
  // And "w" at KeyZ's position does nothing.
  const zoomed = await range(page);
  await plot.dispatchEvent("keydown", { code: "KeyZ", key: "w", bubbles: true });
  await page.waitForTimeout(300);
  expect(await range(page)).toEqual(zoomed);
  // Zoomed in at the start, then stepped back to the start: the view goes where now is.
  await plot.focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press("KeyW");
  await page.getByRole("button", { name: /Step back/ }).click();
  const clock = page.locator("output.clock");
  await expect
    .poll(async () => {
      const now = Number.parseFloat((await clock.textContent()) ?? "NaN");
      const r = await range(page);
      return r.from <= now && now <= r.to && r.to - r.from < (whole.to - whole.from) / 2;
    })
    .toBe(true);
});

test("a drag pans the view and does not select the mark it started on", async ({ page }) => {
  await page.goto("/");
  await playToEnd(page);
  const plot = page.getByRole("application", { name: /Timeline/ });
  await plot.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press("KeyW");
  await expect.poll(async () => (await range(page)).from).toBeGreaterThanOrEqual(0);
  const canvas = page.locator(".timeline-plot canvas");
  await canvas.evaluate((el) => el.scrollIntoView({ block: "start" }));
  const box = (await canvas.boundingBox())!;
  // Start the drag on a mark: the hover tooltip says one is under the pointer.
  const tip = page.getByRole("tooltip");
  let at: { x: number; y: number } | null = null;
  for (let row = 0; row < 6 && !at; row++)
    for (let x = box.width * 0.7; x > box.width * 0.3 && !at; x -= 3) {
      await page.mouse.move(box.x + x, box.y + row * 20 + 10);
      if ((await tip.count()) && /: /.test((await tip.textContent()) ?? ""))
        at = { x: box.x + x, y: box.y + row * 20 + 10 };
    }
  expect(at, "a mark to start the drag on").not.toBeNull();
  const before = await range(page);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(at!.x - i * 20, at!.y);
  await page.mouse.up();
  // Dragging to the left shows later times; the width of the view is kept.
  await expect.poll(async () => (await range(page)).from).toBeGreaterThan(before.from);
  const after = await range(page);
  expect(after.to - after.from).toBeCloseTo(before.to - before.from, 2);
  // The press that panned was not also a click on the mark below it.
  await expect(selection(page)).toHaveCount(0);
});
