// hostile.spec.ts: hostile module code in the workbench (production build), opened the way a user
// would: a link carrying the scenario with its embedded modules (built here with the link code).
// An endless loop in 64 tasks keeps the engine busy for seconds: Pause answers meanwhile, the busy
// notice offers Stop, and the failure is then listed in words; Stop (and Esc) replace the engine
// and reopen the scenario where the page was; page globals are absent and the clock is virtual
// inside the sandbox; eating memory is stopped with an error that says so.
import { expect, type Page, test } from "@playwright/test";
import { runInNode } from "../cli/node-run.ts";
import { encodeLink, type Moment } from "../scenarios/link.ts";
import type { Scenario } from "../scenarios/schema.ts";
import { probeScenario, spinScenario } from "./hostile-scenarios.ts";

const log = (page: Page) => page.getByRole("log", { name: "dmesg" });
const busy = (page: Page) => page.getByRole("status", { name: "Engine busy" });
const failures = (page: Page) => page.getByRole("alert", { name: "Module code failed" });

/** Opens `s` through a link fragment, as a pasted link would. */
async function openLink(page: Page, s: Scenario, moment: Moment = {}): Promise<void> {
  const link = encodeLink(s, moment);
  await page.goto(`/${link.slice(link.indexOf("#"))}`);
  await expect(page.getByRole("heading", { name: s.title })).toBeVisible({ timeout: 30_000 });
}

test("an endless loop in module code: Pause answers while the engine works, then the error is shown in words", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await openLink(page, spinScenario());
  // At 1 s the sorter and 16 spinners run module code that never returns: the engine works on
  // that moment for over 5 s.
  await expect(busy(page)).toContainText("has not answered for over a second", {
    timeout: 30_000,
  });
  await expect(busy(page).getByRole("button", { name: "Stop" })).toBeVisible();
  await page.getByRole("button", { name: "Pause" }).click();
  // The button changed while the engine was still at it (checked at the same instant, in the page).
  const whenPlayShows = await page.waitForFunction(
    () => {
      const play = [...document.querySelectorAll("button")].find((b) => b.textContent === "Play");
      return play ? { busy: document.querySelector('[aria-label="Engine busy"]') !== null } : null;
    },
    undefined,
    { timeout: 5_000 },
  );
  expect(await whenPlayShows.jsonValue()).toEqual({ busy: true });

  const list = failures(page);
  await expect(list).toContainText(
    "lp_spin: spin: it ran too long without returning (an endless loop?) and was interrupted: it exceeded its budget of 200 ticks (16 times).",
    { timeout: 150_000 },
  );
  await expect(list).toContainText(
    /The task running it \(spinner0, PID \d+\) Oopsed and was killed/,
  );
  await expect(list).toContainText(
    "lp_spin: sort_forever: one call ran too long and was interrupted: it ran past the 5000 ms wall-clock backstop.",
  );
  await expect(list).toContainText(
    "Edit module source…, pick lp_spin, fix spin, then Apply and reopen.",
  );
  await expect(busy(page)).toBeHidden();
  await expect(log(page)).toContainText(
    "BUG: lp_spin: spin: budget exceeded: exceeded its budget of 200 ticks",
  );

  // The livepatch's pre_patch loops forever too: interrupted, the patch is refused.
  await page.getByRole("button", { name: "Play", exact: true }).click();
  await expect(list).toContainText(
    "lp_spin_patch: pre_patch: it ran too long without returning (an endless loop?)",
    { timeout: 60_000 },
  );
  await expect(list).toContainText("The kernel took pre_patch as failed (-EINVAL).");
  await expect(log(page)).toContainText(
    "livepatch: pre-patch callback failed for object 'vmlinux'",
  );
});

test("Stop (and Esc) ends a runaway engine: a fresh one reopens the scenario where the page was", async ({
  page,
}) => {
  test.setTimeout(180_000);
  // Opened paused at 0.5 s, before the runaway moment; a shell line joins the script there.
  await openLink(page, spinScenario(), { atMs: 500 });
  const script = page.getByRole("region", { name: "Script" });
  await page.locator("#shell-in").fill("echo mine");
  await page.locator("#shell-in").press("Enter");
  await expect(script).toContainText("echo mine");
  await page.getByRole("button", { name: "Play", exact: true }).click();
  await expect(busy(page)).toBeVisible({ timeout: 30_000 });
  await busy(page).getByRole("button", { name: "Stop" }).click();
  const stopped = page.getByRole("status", { name: "Engine stopped by you" });
  await expect(stopped).toContainText(
    /Stopped: the engine had been running the clock to \d+\.\d{3} s for \d+ s without answering\./,
    { timeout: 30_000 },
  );
  await expect(stopped).toContainText("nothing you had is lost. Time is paused.");
  await expect(stopped).toContainText(
    "edit the module (Edit module source…, then Apply and reopen)",
  );
  await expect(busy(page)).toBeHidden();
  // The fresh engine replayed to the page's moment, before the spinners ran: the module is
  // loaded, the shell line is in the script, no task has failed.
  await expect(log(page)).toContainText("lp_spin: loading out-of-tree module taints kernel.");
  await expect(log(page)).not.toContainText("BUG:");
  await expect(script).toContainText("echo mine");
  const at = Number((await page.getByLabel("Virtual time").textContent())!.replace(" s", ""));
  expect(at).toBeGreaterThanOrEqual(0.5);
  expect(at).toBeLessThanOrEqual(1);
  await expect(page.getByRole("button", { name: "Play", exact: true })).toBeEnabled();

  // Played on, it runs away again; Esc stops it (from the shell's field too).
  await stopped.getByRole("button", { name: "Dismiss" }).click();
  await page.getByRole("button", { name: "Play", exact: true }).click();
  await expect(busy(page)).toBeVisible({ timeout: 30_000 });
  await page.locator("#shell-in").press("Escape");
  await expect(stopped).toContainText("Stopped: the engine had been", { timeout: 30_000 });
  await expect(busy(page)).toBeHidden();
  await expect(log(page)).not.toContainText("BUG:");
  await expect(script).toContainText("echo mine");
});

test("inside the sandbox: no page globals, the virtual clock, and eating memory is stopped", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const s = probeScenario();
  await openLink(page, s);
  await page.getByRole("combobox", { name: "Speed" }).selectOption("16");
  await expect(page.getByText("script done")).toBeVisible({ timeout: 60_000 });
  await expect(log(page)).toContainText(
    "lp_probe: globals: document=undefined fetch=undefined localStorage=undefined performance=undefined",
  );
  // Date is the machine's virtual clock: 5 s after boot, whatever the host's time.
  await expect(log(page)).toContainText(
    "lp_probe: clock: Date.now=5000 new Date=1970-01-01T00:00:05.000Z",
  );
  const list = failures(page);
  await expect(list).toContainText(
    "lp_h_document: init: it threw ReferenceError: 'document' is not defined.",
  );
  await expect(list).toContainText(
    "lp_h_perf: init: it threw ReferenceError: 'performance' is not defined.",
  );
  await expect(list).toContainText(
    'Module code sees only what it imports from "linux" (no page, network, storage or host clock).',
  );
  await expect(list).toContainText(
    "lp_eat: init: it ran out of memory and was stopped: it ran out of memory (limit 16777216 bytes). The kernel took init as failed (-ENOMEM).",
  );
  // What the page shows is what the headless run prints.
  const run = await runInNode(s);
  if (!run.ok) throw new Error("headless run failed");
  const shown = await log(page).locator("li").allTextContents();
  expect(shown.map((l) => l.replace(/^\[\s*/, "[").trim())).toEqual(
    run.value.dmesg.map((l) => l.replace(/^\[\s*/, "[").trim()),
  );
});
