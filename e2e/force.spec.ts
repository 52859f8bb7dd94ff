// force.spec.ts: a stalled transition forced from the workbench (production build). The library's
// uninterruptible sleeper stalls the patch's transition (the task table says who waits and why);
// the stack's Force button writes 1 to the patch's force file; the kernel's lines for forcing and
// for the transition completing follow, the task is switched (then idle once complete), the patch's sysfs `transition` reads
// 0, and the page's log is the headless run's of the session's own link, line for line.
import { expect, type Page, test } from "@playwright/test";
import { runInNode } from "../cli/node-run.ts";
import { decodeLink } from "../scenarios/link.ts";

const log = (page: Page) => page.getByRole("log", { name: "dmesg" });
const P = "klp_sleeper_fix";

test("a stalled transition forced from the stack's Force button completes", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/");
  await expect(page.getByRole("heading", { name: /A patch, its transition/ })).toBeVisible({
    timeout: 30_000,
  });
  await page
    .getByRole("combobox", { name: "Scenario" })
    .selectOption({ label: "An uninterruptible sleeper: only force ends the transition" });
  await expect(
    page.getByRole("heading", {
      name: "An uninterruptible sleeper: only force ends the transition",
    }),
  ).toBeVisible();
  await page.getByRole("button", { name: "Pause" }).click();
  // Script line by line up to the patch's insmod (at 3 s): its transition starts and stalls.
  // Each Step over waits for the script's next line to move on before looking again, so that a
  // step still on its way is never followed by one too many (that would run the force at 20 s).
  const next = page.locator('ol.script li[aria-current="step"]');
  const started = `'${P}': starting patching transition`;
  for (let i = 0; i < 3; i++) {
    if ((await log(page).textContent())?.includes(started)) break;
    const before = (await next.textContent()) ?? "";
    await page.getByRole("button", { name: "Step over" }).click();
    await expect(next).not.toHaveText(before);
  }
  await expect(log(page)).toContainText(`livepatch: '${P}': starting patching transition`);
  // A few of the kernel's one-second retries: still waiting.
  await page.getByRole("combobox", { name: "Speed" }).selectOption("4");
  await page.getByRole("button", { name: "Play", exact: true }).click();
  const clock = page.getByLabel("Virtual time");
  await expect
    .poll(async () => parseFloat((await clock.textContent()) ?? "0"), { timeout: 30_000 })
    .toBeGreaterThan(6);
  await page.getByRole("button", { name: "Pause" }).click();
  expect(parseFloat((await clock.textContent()) ?? "0")).toBeLessThan(19);
  await expect(page.getByRole("status").filter({ hasText: "Transition:" })).toContainText(
    `Transition: ${P} patching`,
  );
  const sleeper = page.getByRole("region", { name: "Task table" }).getByRole("row", {
    name: /klp_sleeper/,
  });
  await expect(sleeper).toContainText("(uninterruptible)");
  await expect(sleeper).toContainText("sleeping on function sleeper_wait");
  const patchState = sleeper.getByRole("cell").nth(3);
  const pending = sleeper.getByRole("cell").nth(4);
  await expect(patchState).toHaveText("unpatched");
  await expect(pending).toHaveText("yes");
  await expect(log(page)).not.toContainText("forcing remaining tasks");

  const force = page
    .getByRole("listitem", { name: `patch ${P}` })
    .getByRole("button", { name: /^Force/ });
  await expect(force).toContainText(`echo 1 > /sys/kernel/livepatch/${P}/force`);
  await force.click();
  await expect(log(page)).toContainText("livepatch: forcing remaining tasks to the patched state");
  // Forced: the sleeper is switched where it sleeps, its pending flag cleared.
  await expect(patchState).toHaveText("patched");
  await expect(pending).toHaveText("no");
  await expect(sleeper).not.toContainText("sleeping on function");
  // The next retry (the delayed work, within a second) completes the transition.
  await page.getByRole("button", { name: "Play", exact: true }).click();
  await expect(log(page)).toContainText(`livepatch: '${P}': patching complete`, {
    timeout: 30_000,
  });
  await page.getByRole("button", { name: "Pause" }).click();
  await expect(log(page)).toContainText(`livepatch: '${P}': completing patching transition`);
  await expect(page.getByText("No transition in progress.")).toBeVisible();
  // Complete: every task's patch_state is KLP_TRANSITION_IDLE again.
  await expect(patchState).toHaveText("idle");
  await expect(pending).toHaveText("no");
  // A forced patching of a plain (non-replace) patch marks no patch forced: nothing is pinned.
  await expect(page.getByRole("listitem", { name: `patch ${P}` })).not.toContainText("forced");

  // The files pane: the patch's transition file reads 0.
  await page
    .getByRole("list", { name: "Entries of /sys/kernel/livepatch" })
    .getByRole("button", {
      name: P,
    })
    .click();
  await page
    .getByRole("list", { name: `Entries of /sys/kernel/livepatch/${P}` })
    .getByRole("button", { name: "transition", exact: true })
    .click();
  await expect(page.getByLabel(`Content of /sys/kernel/livepatch/${P}/transition`)).toHaveText(
    /^0\s*$/,
  );

  // Exactly as the engine prints them: the session's own link, run headless, prints these lines
  // first (its script goes on past this moment).
  await page.getByRole("button", { name: "Copy link" }).click();
  const link = await page.getByLabel("Link to this session").inputValue();
  const decoded = decodeLink(link);
  if (!decoded.ok) throw new Error(`the session's link does not decode: ${decoded.error.message}`);
  expect(decoded.value.scenario.script.some((s) => s.run?.endsWith(`${P}/force`))).toBe(true);
  const run = await runInNode(decoded.value.scenario);
  if (!run.ok) throw new Error("headless run failed");
  const shown = (await log(page).locator("li").allTextContents()).map((l) =>
    l.replace(/^\[\s*/, "[").trim(),
  );
  const headless = run.value.dmesg.map((l) => l.replace(/^\[\s*/, "[").trim());
  expect(shown.length).toBeGreaterThan(5);
  expect(headless.slice(0, shown.length)).toEqual(shown);
});
