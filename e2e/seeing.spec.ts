// seeing.spec.ts: the views of issue 6 against the production build. The timeline's table shows
// the default scenario's transition and callbacks; a log line's timestamp selects its event; W and
// S (by key position) zoom and A/D pan; the entry site shows the NOP and then the call (x86_64) or
// bl (arm64) the patch poked, at a linked moment; the compare view lists exactly the divergences
// engine/compare names for the default scenario under proposed semantics; axe finds no serious
// violation with the timeline and its table on screen. Text and ARIA first; the canvas is checked
// for drawn pixels only.
import AxeBuilder from "@axe-core/playwright";
import { readFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { encodeLink } from "../scenarios/link.ts";
import { loadScenario } from "../scenarios/load.ts";
import type { Scenario } from "../scenarios/schema.ts";

function defaultScenario(): Scenario {
  const s = loadScenario(
    readFileSync(new URL("../scenarios/library/default.json", import.meta.url), "utf8"),
  );
  if (!s.ok) throw new Error("default scenario invalid");
  return s.value;
}

const table = (page: Page) => page.getByRole("region", { name: "Timeline events" });

async function playToEnd(page: Page): Promise<void> {
  await page.getByRole("combobox", { name: "Speed" }).selectOption("64");
  await expect(page.getByText("script done")).toBeVisible({ timeout: 40_000 });
}

test("the timeline's table shows the default scenario's transition and callbacks", async ({
  page,
}) => {
  await page.goto("/");
  await playToEnd(page);
  const t = table(page);
  await expect(
    t.getByRole("row", { name: /transition livepatch_callbacks_demo init \(patching\)/ }),
  ).toHaveCount(1);
  await expect(
    t.getByRole("row", { name: /livepatch_callbacks_demo complete \(patching\)/ }),
  ).toHaveCount(1);
  await expect(
    t.getByRole("row", { name: /livepatch_callbacks_demo complete \(unpatching\)/ }),
  ).toHaveCount(1);
  for (const cb of ["pre_patch", "post_patch", "pre_unpatch", "post_unpatch"])
    await expect(
      t.getByRole("row", { name: new RegExp(`callback livepatch_callbacks_demo/vmlinux ${cb}$`) }),
    ).toHaveCount(1);
  await expect(
    t.getByRole("row", { name: /not switched: sleeping on function busymod_work_func/ }).first(),
  ).toBeVisible();
  // The canvas drew something (the one non-text check).
  const painted = await page.locator(".timeline-plot canvas").evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
    return n;
  });
  expect(painted).toBeGreaterThan(500);
});

test("clicking a log line selects its event; W/S zoom and A/D pan", async ({ page }) => {
  await page.goto("/");
  await playToEnd(page);
  const line = page.getByRole("log", { name: "dmesg" }).locator("li", {
    hasText: "'livepatch_callbacks_demo': patching complete",
  });
  const stamp = line.getByRole("button");
  const label = (await stamp.getAttribute("aria-label"))!;
  const event = /event (\d+)/.exec(label)![1]!;
  await stamp.click();
  const sel = page.getByRole("region", { name: "Selected event" });
  await expect(sel).toContainText(`Event #${event}`);
  await expect(sel).toContainText("patching complete");

  const range = page.getByTestId("timeline-range");
  const span = async () => {
    const m = /Showing ([\d.]+) s to ([\d.]+) s/.exec((await range.textContent())!)!;
    return { from: Number(m[1]), to: Number(m[2]) };
  };
  const whole = await span();
  await page.getByRole("application", { name: /Timeline/ }).focus();
  await page.keyboard.press("KeyW");
  await page.keyboard.press("KeyW");
  await expect
    .poll(async () => (await span()).to - (await span()).from)
    .toBeLessThan((whole.to - whole.from) * 0.6);
  const zoomed = await span();
  await page.keyboard.press("KeyD");
  await expect.poll(async () => (await span()).from).not.toBe(zoomed.from);
  await page.keyboard.press("KeyS");
  await page.keyboard.press("KeyS");
  await expect
    .poll(async () => (await span()).to - (await span()).from)
    .toBeGreaterThan((zoomed.to - zoomed.from) * 1.5);
});

for (const [arch, insn] of [
  ["x86_64", /call\s/],
  ["arm64", /bl\s/],
] as const)
  test(`the entry site on ${arch}: the call after patching, the nop after unpatching`, async ({
    page,
  }) => {
    const s = { ...defaultScenario(), arch };
    await page.goto(encodeLink(s, { atMs: 8000 }, "/"));
    const site = page.getByTestId("entry-site");
    await expect(site).toContainText(`busymod_work_func on ${arch}: the site is call`, {
      timeout: 30_000,
    });
    const rows = page.getByRole("table", { name: "Disassembly of the entry" }).getByRole("row");
    await expect(rows.filter({ hasText: "rec->ip" })).toContainText(insn);
    await expect(page.getByRole("table", { name: "Implementation per task" })).toContainText(
      "livepatch_callbacks_demo",
    );
    // Unpatched at 10 s; the module whose function this is goes at 12 s: pause in between.
    await page.getByRole("button", { name: "Play" }).click();
    await expect(page.getByRole("log", { name: "dmesg" })).toContainText(
      "'livepatch_callbacks_demo': unpatching complete",
      { timeout: 20_000 },
    );
    await page.getByRole("button", { name: "Pause" }).click();
    await expect(site).toContainText(`busymod_work_func on ${arch}: the site is nop`);
    await expect(rows.filter({ hasText: "rec->ip" })).toContainText("nop");
  });

test("the compare view lists the default scenario's divergences under proposed semantics", async ({
  page,
}) => {
  await page.goto("/");
  await page.getByRole("button", { name: "Compare with proposed semantics" }).click();
  const list = page.getByRole("list", { name: "Divergences" });
  await expect(list.getByRole("listitem")).toHaveText(
    [
      "1 callback only-a livepatch_callbacks_demo/vmlinux/pre_patch",
      "1 callback only-a livepatch_callbacks_demo/livepatch_callbacks_busymod/pre_patch",
      "1 callback only-a livepatch_callbacks_demo/vmlinux/post_patch",
      "1 callback only-a livepatch_callbacks_demo/livepatch_callbacks_busymod/post_patch",
      "2 callback only-a livepatch_callbacks_demo/vmlinux/pre_unpatch",
      "2 callback only-a livepatch_callbacks_demo/livepatch_callbacks_busymod/pre_unpatch",
      "2 callback only-a livepatch_callbacks_demo/vmlinux/post_unpatch",
      "2 callback only-a livepatch_callbacks_demo/livepatch_callbacks_busymod/post_unpatch",
    ],
    { timeout: 30_000 },
  );
  const a = page.getByRole("region", { name: "mainline x86_64 log" });
  await expect(a.locator("li.diverges", { hasText: "step 1 (diverges)" })).toHaveCount(1);
  await expect(a.locator("li.diverges", { hasText: "pre_patch_callback: vmlinux" })).toHaveCount(1);
});

test("axe: no serious violations with the timeline and its table visible", async ({ page }) => {
  await page.goto("/");
  await playToEnd(page);
  await expect(table(page)).toBeVisible();
  await expect(page.locator(".timeline-plot canvas")).toBeVisible();
  const r = await new AxeBuilder({ page }).analyze();
  const bad = r.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(bad).toEqual([]);
});
