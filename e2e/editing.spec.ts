// editing.spec.ts: the workbench's editors against the production build. In a module's source:
// completion of the shadow API from klp.d.ts, hover with its doc, a wrong callback type marked on
// its line, an edited pre_patch that fails as the kernel fails (log, stack, insmod's error). In the
// script (JSON): the validator's refusal marked on the offending line while the old scenario runs,
// the JSON Schema's own check, and the unapplied draft surviving a reload. The machine form: a
// refusal beside its field, then an added task in the task table.
import AxeBuilder from "@axe-core/playwright";
import { readFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { runInNode } from "../cli/node-run.ts";
import { loadScenario } from "../scenarios/load.ts";

const log = (page: Page) => page.getByRole("log", { name: "dmesg" });
const DEMO = "livepatch_callbacks_demo";
const demoSource = readFileSync(new URL(`../modules/src/${DEMO}.ts`, import.meta.url), "utf8");
const defaultText = readFileSync(
  new URL("../scenarios/library/default.json", import.meta.url),
  "utf8",
);
/** The 1-based line of the first line of `text` that contains `what`. */
const lineOf = (text: string, what: string) =>
  text.split("\n").findIndex((l) => l.includes(what)) + 1;
const RETURN_LINE = 'return Number(module_param("pre_patch_ret"));';

/** axe's serious and critical violations, as "rule: targets" lines. */
async function serious(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze();
  return r.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** The default scenario, paused, with the module editor open on the callbacks demo. */
async function openDemoSource(page: Page) {
  await page.goto("/");
  await expect(log(page)).toContainText("starting patching transition", { timeout: 30_000 });
  await page.getByRole("button", { name: "Pause" }).click();
  await page.getByRole("button", { name: "Edit module source…" }).click();
  const select = page.locator(".editor select");
  await expect(select).toBeVisible({ timeout: 30_000 });
  await select.selectOption(DEMO);
  await expect(page.locator(".monaco .view-lines")).toContainText("klp_enable_patch", {
    timeout: 30_000,
  });
}

/**
 * Puts Monaco's selection on the one occurrence of `what` with its find widget (lines out of view
 * are not in the DOM, so they cannot be clicked), then closes the widget.
 */
async function findInEditor(page: Page, what: string) {
  await page.locator(".monaco").click();
  await page.keyboard.press("Control+F");
  await page.keyboard.type(what);
  await page.keyboard.press("Enter");
  await page.keyboard.press("Escape");
}

/** Replaces the text of the editor line containing `what` (from its indentation on). */
async function replaceLine(page: Page, what: string, by: string) {
  await findInEditor(page, what);
  await page.keyboard.press("End");
  await page.keyboard.press("Shift+Home");
  await page.keyboard.type(by);
}

test("module source: klp_shadow_ completes to the five shadow functions; klp_enable_patch's doc on hover", async ({
  page,
}) => {
  await openDemoSource(page);
  // A new name in the import list from "linux": completion offers what klp.d.ts exports.
  await page.locator(".monaco .view-line", { hasText: /^\s*pr_info,\s*$/ }).click();
  await page.keyboard.press("End");
  await page.keyboard.press("Enter");
  await page.keyboard.type("klp_shadow_");
  const rows = page.locator(".suggest-widget.visible .monaco-list-row .label-name");
  await expect(rows.first()).toBeVisible({ timeout: 20_000 });
  await expect
    .poll(async () => (await rows.allTextContents()).sort(), { timeout: 20_000 })
    .toEqual([
      "klp_shadow_alloc",
      "klp_shadow_free",
      "klp_shadow_free_all",
      "klp_shadow_get",
      "klp_shadow_get_or_alloc",
    ]);
  await page.keyboard.press("Escape");
  // The hover at the cursor, from the keyboard (Ctrl+K Ctrl+I), on the call in init.
  await findInEditor(page, "klp_enable_patch(");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Control+K");
  await page.keyboard.press("Control+I");
  const hover = page.locator(".monaco-hover:not(.hidden)");
  await expect(hover).toContainText("klp_enable_patch(patch: KlpPatch): number", {
    timeout: 20_000,
  });
  await expect(hover).toContainText("Registers the patch and starts its patching transition");
});

test("module source: a wrong pre_patch return type is marked on pre_patch's line; the draft survives a reload", async ({
  page,
}) => {
  await openDemoSource(page);
  const diagnostics = page.getByRole("list", { name: "Diagnostics" });
  await page.waitForTimeout(1500);
  await expect(diagnostics.locator("li")).toHaveCount(0);
  await replaceLine(page, RETURN_LINE, "return true;");
  const line = lineOf(demoSource, "pre_patch: (obj) =>");
  expect(line).toBeGreaterThan(0);
  await expect(diagnostics.locator("li")).toHaveCount(1, { timeout: 20_000 });
  await expect(diagnostics.locator("li")).toHaveText(
    new RegExp(`^line ${line}: Type .*boolean.* is not assignable to type .*number`),
  );
  // Not applied: a reload brings the edit back, said so, with its marker.
  await page.reload();
  await expect(log(page)).toContainText("starting patching transition", { timeout: 30_000 });
  await page.getByRole("button", { name: "Edit module source…" }).click();
  await page.locator(".editor select").selectOption(DEMO);
  await expect(page.getByText(`Your unapplied edit of ${DEMO} is restored`)).toBeVisible({
    timeout: 30_000,
  });
  // The edited line is out of view: its marker shows that the editor holds it.
  await expect(diagnostics.locator("li")).toHaveText(new RegExp(`^line ${line}: .*boolean`), {
    timeout: 20_000,
  });
});

test("module source: a pre_patch that returns -ENODEV refuses the patch as the kernel does", async ({
  page,
}) => {
  await openDemoSource(page);
  await replaceLine(page, RETURN_LINE, "return -19;");
  await page.getByRole("button", { name: "Apply and reopen" }).click();
  await expect(log(page)).toContainText(
    "livepatch: pre-patch callback failed for object 'vmlinux'",
    { timeout: 30_000 },
  );
  await expect(log(page)).toContainText(`livepatch: failed to enable patch '${DEMO}'`);
  await expect(log(page)).toContainText(`livepatch: '${DEMO}': unpatching complete`);
  const shellOut = page.getByRole("log", { name: "Shell output" });
  await expect(shellOut).toContainText(
    "insmod: ERROR: could not insert module livepatch-callbacks-demo.ko: No such device",
  );
  // The whole log is what the same edit prints headless.
  await page.getByRole("combobox", { name: "Speed" }).selectOption("64");
  await page.getByRole("button", { name: "Play" }).click();
  await expect(page.getByText("script done")).toBeVisible({ timeout: 30_000 });
  const base = loadScenario(defaultText);
  if (!base.ok) throw new Error("default scenario invalid");
  const source = demoSource.replace(RETURN_LINE, "return -19;");
  expect(source).not.toBe(demoSource);
  const modules = base.value.modules.map((m) =>
    m.name === DEMO ? { kind: "embedded" as const, name: DEMO, source } : m,
  );
  const run = await runInNode({ ...base.value, modules });
  if (!run.ok) throw new Error("headless run failed");
  const shown = await log(page).locator("li").allTextContents();
  expect(shown.map((l) => l.replace(/^\[\s*/, "[").trim())).toEqual(
    run.value.dmesg.map((l) => l.replace(/^\[\s*/, "[").trim()),
  );
  // The stack: no patch; loaded again from its button, the kernel's refusal is shown there.
  const stack = page.getByRole("region", { name: "Machine" });
  await expect(stack.getByText("No livepatch is loaded.")).toBeVisible();
  await stack.getByRole("button", { name: `Load insmod ${DEMO}.ko` }).click();
  const refused = page.getByRole("alert", { name: "Refused action" });
  await expect(refused).toContainText(`insmod ${DEMO}.ko was refused`);
  await expect(refused).toContainText(
    `insmod: ERROR: could not insert module ${DEMO}.ko: No such device`,
  );
});

test("module source: a syntax error the validator refuses on Apply is marked on its line", async ({
  page,
}) => {
  await openDemoSource(page);
  // In a plain function: sucrase backtracks over an arrow function and names its start instead.
  await replaceLine(page, "return 0;", "return (;");
  await page.getByRole("button", { name: "Apply and reopen" }).click();
  await expect(page.getByRole("alert", { name: "Open error" })).toContainText(
    "This scenario does not open: the one below is unchanged.",
  );
  // The sandbox's stripper names the line; the validator's marker sits there, beside the
  // TypeScript service's own.
  const line = lineOf(demoSource, "return 0;");
  await expect(
    page.getByRole("list", { name: "Diagnostics" }).locator("li", { hasText: /\(\d+:\d+\)/ }),
  ).toHaveText([new RegExp(`^line ${line}: .*${DEMO}\\.ts: .*\\(${line}:\\d+\\)`)], {
    timeout: 20_000,
  });
  await expect(log(page)).toContainText("starting patching transition");
});

test("script: a bad value is marked by the validator on its line and the old scenario runs on; the JSON Schema checks as one types; the draft survives a reload", async ({
  page,
}) => {
  // Two page loads, two Monaco starts and axe: more than the default minute on a busy machine.
  test.setTimeout(120_000);
  await page.goto("/");
  await expect(log(page)).toContainText("starting patching transition", { timeout: 30_000 });
  await page.getByRole("button", { name: "Pause" }).click();
  await page.getByRole("button", { name: "Edit script…" }).click();
  const lines = page.locator(".editor .monaco .view-lines");
  await expect(lines).toContainText("livepatch-callbacks-demo.ko", { timeout: 30_000 });
  const diagnostics = page.getByRole("list", { name: "Script diagnostics" });
  await page.waitForTimeout(1500);
  await expect(diagnostics.locator("li")).toHaveCount(0);
  // The third step's 10000 ms becomes 500: before the second step's 1000, which only the
  // validator knows is wrong (JSON Schema cannot compare two steps).
  await page.locator(".editor .monaco .view-line span", { hasText: /^10000$/ }).dblclick();
  await page.keyboard.type("500");
  await page.getByRole("button", { name: "Apply script and reopen" }).click();
  const scriptText = JSON.stringify(JSON.parse(defaultText).script, null, 2);
  const line = lineOf(scriptText, '"at_ms": 10000');
  expect(line).toBeGreaterThan(0);
  await expect(diagnostics.locator("li")).toHaveText(
    [`line ${line}: script[2].at_ms: 500 is earlier than an earlier step's 1000`],
    { timeout: 20_000 },
  );
  await expect(page.getByRole("alert", { name: "Open error" })).toContainText(
    "This scenario does not open: the one below is unchanged.",
  );
  expect(await serious(page)).toEqual([]);
  // The scenario that ran is still there and runs on.
  const steps = page.getByRole("region", { name: "Scenario" }).locator("ol.script li");
  await expect(steps.filter({ hasText: "10000 ms" })).toHaveCount(1);
  await page.getByRole("button", { name: "Play" }).click();
  await expect(log(page)).toContainText(`'${DEMO}': patching complete`, { timeout: 30_000 });
  // Monaco's JSON service, fed the schema, refuses a negative time as one types.
  await page.locator(".editor .monaco .view-line span", { hasText: /^500$/ }).dblclick();
  await page.keyboard.type("-5");
  await expect(diagnostics).toContainText(`line ${line}: Value is below the minimum of 0.`, {
    timeout: 20_000,
  });
  await page.reload();
  await page.getByRole("button", { name: "Edit script…" }).click();
  await expect(page.getByText("Your unapplied edit of the script is restored.")).toBeVisible({
    timeout: 30_000,
  });
  await expect(lines).toContainText('"at_ms": -5');
});

test("machine form: a refusal beside its field; an added task shows in the task table", async ({
  page,
}) => {
  await page.goto("/");
  await expect(log(page)).toContainText("starting patching transition", { timeout: 30_000 });
  await page.getByRole("button", { name: "Pause" }).click();
  await page.getByRole("button", { name: "Edit the machine…" }).click();
  const form = page.getByRole("form", { name: "Machine settings" });
  await form.getByLabel("cpus").fill("3");
  await form.getByRole("button", { name: "Apply machine and reopen" }).click();
  await expect(form.getByLabel("cpus")).toHaveAccessibleDescription(
    "the simulated machine has 2 CPUs",
  );
  await expect(page.getByRole("alert", { name: "Open error" })).toContainText(
    "machine.cpus: the simulated machine has 2 CPUs",
  );
  // The form with its refusal (and the error colours) is accessible.
  expect(await serious(page)).toEqual([]);
  const table = page.getByRole("region", { name: "Task table" });
  await expect(table.getByRole("cell", { name: "ticker", exact: true })).toHaveCount(0);
  await form.getByLabel("cpus").fill("2");
  await form.getByRole("button", { name: "Add a task" }).click();
  const row = form.getByRole("listitem", { name: "task 1" });
  await row.getByLabel("comm").fill("ticker");
  await row.getByLabel("every ms").fill("250");
  await form.getByRole("button", { name: "Apply machine and reopen" }).click();
  await expect(table.getByRole("cell", { name: "ticker", exact: true })).toHaveCount(1, {
    timeout: 30_000,
  });
  await expect(page.getByRole("alert", { name: "Open error" })).toHaveCount(0);
  // The form now starts from the scenario that runs: the task is in it.
  await expect(form.getByRole("listitem", { name: "task 1" }).getByLabel("comm")).toHaveValue(
    "ticker",
  );
});
