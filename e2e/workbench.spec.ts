// workbench.spec.ts: the workbench at `/` against the production build. With no input the
// default scenario plays at the default speed and its log shows the transition, a callback and
// the end of patching, exactly as the headless run prints it; a button runs the kernel's own
// action, prints its log lines and joins the script; a bad link says why and the default opens;
// axe finds no serious violation in either theme; the JavaScript fetched before `load` is
// measured (initial_js_gzip_kb).
import AxeBuilder from "@axe-core/playwright";
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { runInNode } from "../cli/node-run.ts";
import { loadScenario } from "../scenarios/load.ts";

const log = (page: Page) => page.getByRole("log", { name: "dmesg" });

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  return errors;
}

test("the default scenario plays with no input and prints what the headless run prints", async ({
  page,
}) => {
  const errors = collectErrors(page);
  const t0 = Date.now();
  await page.goto("/");
  await expect(
    page.getByRole("heading", { name: "A patch, its transition and its callbacks" }),
  ).toBeVisible();
  await expect(log(page)).toContainText(
    "livepatch: 'livepatch_callbacks_demo': starting patching transition",
    {
      timeout: 20_000,
    },
  );
  await expect(log(page)).toContainText("livepatch_callbacks_demo: pre_patch_callback: vmlinux");
  await expect(log(page)).toContainText(
    "livepatch: 'livepatch_callbacks_demo': patching complete",
    {
      timeout: 30_000,
    },
  );
  test
    .info()
    .annotations.push({ type: "patching-complete-ms", description: String(Date.now() - t0) });
  // Played to its end, the page's log is the headless run's (timestamps included).
  await page.getByRole("combobox", { name: "Speed" }).selectOption("64");
  await expect(page.getByText("script done")).toBeVisible({ timeout: 30_000 });
  const text = readFileSync(new URL("../scenarios/library/default.json", import.meta.url), "utf8");
  const s = loadScenario(text);
  if (!s.ok) throw new Error("default scenario invalid");
  const run = await runInNode(s.value);
  if (!run.ok) throw new Error("headless run failed");
  const shown = await log(page).locator("li").allTextContents();
  expect(shown.map((l) => l.replace(/^\[\s*/, "[").trim())).toEqual(
    run.value.dmesg.map((l) => l.replace(/^\[\s*/, "[").trim()),
  );
  expect(errors).toEqual([]);
});

test("a button is the kernel's action: its log lines appear and it joins the script", async ({
  page,
}) => {
  await page.goto("/");
  await expect(log(page)).toContainText("'livepatch_callbacks_demo': patching complete", {
    timeout: 30_000,
  });
  await page.getByRole("button", { name: "Pause" }).click();
  const cmd = "echo 0 > /sys/kernel/livepatch/livepatch_callbacks_demo/enabled";
  const disable = page.getByRole("button", { name: `Disable ${cmd}` });
  await disable.click();
  await expect(log(page)).toContainText(
    "livepatch: 'livepatch_callbacks_demo': initializing unpatching transition",
  );
  await expect(log(page)).toContainText("pre_unpatch_callback: vmlinux");
  // The script holds it twice now: the scenario's own step at 10 s and the click, at its time.
  const steps = page.getByRole("region", { name: "Scenario" }).locator("ol.script li");
  await expect(steps.filter({ hasText: cmd })).toHaveCount(2);
  await expect(steps.filter({ hasText: cmd }).first()).toContainText(/\d+ ms/);
  // The link carries the session: opened in a fresh page it replays the click.
  await page.getByRole("button", { name: "Copy link" }).click();
  const link = await page.getByRole("textbox", { name: "Link to this session" }).inputValue();
  expect(link).toMatch(/#s1\./);
  const fresh = await page.context().newPage();
  await fresh.goto(link);
  await expect(
    fresh
      .getByRole("region", { name: "Scenario" })
      .locator("ol.script li")
      .filter({ hasText: cmd }),
  ).toHaveCount(2);
  await expect(log(fresh)).toContainText("initializing unpatching transition", { timeout: 30_000 });
});

test("the files pane reads the live sysfs tree; the in-page engine gives the same log", async ({
  page,
}) => {
  await page.goto("/?in-process");
  await expect(page.getByText("engine: in the page")).toBeVisible({ timeout: 30_000 });
  await expect(log(page)).toContainText("starting patching transition", { timeout: 30_000 });
  await page.getByRole("button", { name: "Pause" }).click();
  const files = page.getByRole("region", { name: "Machine" });
  await files.getByRole("button", { name: "livepatch_callbacks_demo", exact: true }).click();
  await files.getByRole("button", { name: "transition", exact: true }).click();
  await expect(
    page.getByLabel("Content of /sys/kernel/livepatch/livepatch_callbacks_demo/transition"),
  ).toHaveText("1");
  await page.getByRole("button", { name: "Play" }).click();
  await expect(log(page)).toContainText("patching complete", { timeout: 30_000 });
  await expect(
    page.getByLabel("Content of /sys/kernel/livepatch/livepatch_callbacks_demo/transition"),
  ).toHaveText("0");
});

test("the shell console: a line runs now and joins the script; history; Tab completion", async ({
  page,
}) => {
  await page.goto("/");
  await expect(log(page)).toContainText("patching complete", { timeout: 30_000 });
  await page.getByRole("button", { name: "Pause" }).click();
  const input = page.getByRole("textbox", { name: "root@klp:~#" });
  await input.fill("cat /sys/kernel/livepatch/livepatch_c");
  await input.press("Tab");
  await expect(input).toHaveValue("cat /sys/kernel/livepatch/livepatch_callbacks_demo/");
  await input.pressSequentially("en");
  await input.press("Tab");
  await expect(input).toHaveValue("cat /sys/kernel/livepatch/livepatch_callbacks_demo/enabled ");
  await input.press("Enter");
  const out = page.getByRole("log", { name: "Shell output" });
  await expect(out).toContainText("# cat /sys/kernel/livepatch/livepatch_callbacks_demo/enabled");
  await expect(out.locator("pre.sh-out")).toHaveText(["1"]);
  const steps = page.getByRole("region", { name: "Scenario" }).locator("ol.script li");
  await expect(steps.filter({ hasText: "cat /sys/kernel/livepatch" })).toHaveCount(1);
  await input.press("ArrowUp");
  await expect(input).toHaveValue("cat /sys/kernel/livepatch/livepatch_callbacks_demo/enabled ");
  // Space plays and pauses when focus is not in a field.
  await page.getByRole("heading", { name: "Kernel log" }).click();
  await page.keyboard.press("Space");
  await expect(page.getByRole("button", { name: "Pause" })).toBeVisible();
});

test("the semantics and arch switches reopen the scenario under the other model", async ({
  page,
}) => {
  await page.goto("/");
  await expect(log(page)).toContainText("starting patching transition", { timeout: 30_000 });
  await page.getByRole("combobox", { name: "Semantics" }).selectOption("proposed");
  await expect(page.getByText("proposed · x86_64 · seed 1")).toBeVisible();
  await page.getByRole("combobox", { name: "Arch" }).selectOption("arm64");
  await expect(page.getByText("proposed · arm64 · seed 1")).toBeVisible();
  await expect(log(page)).toContainText("starting patching transition", { timeout: 30_000 });
});

test("a log line links to its moment: the link opens paused there with the line selected", async ({
  page,
}) => {
  await page.goto("/");
  await expect(log(page)).toContainText("starting patching transition", { timeout: 30_000 });
  await page.getByRole("button", { name: "Pause" }).click();
  const line = log(page).locator("li", { hasText: "enabling patch 'livepatch_callbacks_demo'" });
  await line.getByRole("button").click();
  const moment = page.getByRole("status").filter({ hasText: "Moment:" });
  await expect(moment).toContainText(/Moment: 1\.000 s, event #\d+/);
  await moment.getByRole("button", { name: "Link to this moment" }).click();
  const link = await page.getByRole("textbox", { name: "Link to this session" }).inputValue();
  expect(link).toMatch(/\.t1000\.e\d+$/);
  const fresh = await page.context().newPage();
  await fresh.goto(link);
  await expect(fresh.getByRole("status").filter({ hasText: "Moment:" })).toContainText("1.000 s");
  await expect(fresh.getByLabel("Virtual time")).toHaveText("1.000 s");
  await expect(fresh.getByRole("button", { name: "Play" })).toBeVisible();
  await expect(
    log(fresh).locator("li.selected", { hasText: "enabling patch 'livepatch_callbacks_demo'" }),
  ).toBeVisible();
});

test("a refused action shows the kernel's error", async ({ page }) => {
  await page.goto("/");
  await expect(log(page)).toContainText("starting patching transition", { timeout: 30_000 });
  // Mid-transition the stack offers reverse and force.
  await expect(page.getByRole("button", { name: /^Reverse echo 0 >/ })).toBeVisible();
  await expect(page.getByRole("button", { name: /^Force echo 1 >/ })).toBeVisible();
  await expect(log(page)).toContainText("patching complete", { timeout: 30_000 });
  await page.getByRole("button", { name: "Pause" }).click();
  // An enabled patch's module cannot be removed: the kernel refuses, and the page shows its words.
  await page.getByRole("button", { name: "Unload rmmod livepatch_callbacks_demo" }).click();
  const refused = page.getByRole("alert", { name: "Refused action" });
  await expect(refused).toContainText("rmmod livepatch_callbacks_demo was refused");
  await expect(refused).toContainText(/in use/i);
});

test("a bad link gives a clear error, keeps the address, and the default scenario opens", async ({
  page,
}) => {
  await page.goto("/#s1.thisIsNotAValidPayload");
  const alert = page.getByRole("alert", { name: "Open error" });
  await expect(alert).toContainText("This link does not open");
  await expect(alert).toContainText(/decompress|base64url/);
  expect(page.url()).toContain("#s1.thisIsNotAValidPayload");
  await expect(
    page.getByRole("heading", { name: "A patch, its transition and its callbacks" }),
  ).toBeVisible();
  await page.goto("/#s9.abc");
  await expect(page.getByRole("alert", { name: "Open error" })).toContainText(
    "link version 9 is newer",
  );
});

/** axe's serious and critical violations, as "rule: targets" lines. */
async function serious(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze();
  return r.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

for (const scheme of ["light", "dark"] as const) {
  test(`axe: no serious violations, with the task table and with Monaco (${scheme})`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto("/");
    await expect(log(page)).toContainText("starting patching transition", { timeout: 30_000 });
    await page.getByRole("button", { name: "Pause" }).click();
    await expect(page.getByRole("region", { name: "Task table" })).toBeVisible();
    expect(await serious(page)).toEqual([]);
    await page
      .getByRole("combobox", { name: "Scenario" })
      .selectOption({ label: "An empty replace patch reverts everything" });
    await page.getByRole("button", { name: "Edit module source…" }).click();
    await expect(page.locator(".monaco .view-lines")).toContainText("klp_enable_patch", {
      timeout: 30_000,
    });
    await page.getByRole("button", { name: "Pause" }).click();
    expect(await serious(page)).toEqual([]);
  });
}

test("initial_js_gzip_kb: the JavaScript fetched before load (Workers and lazy chunks excluded)", async ({
  page,
}) => {
  const js: string[] = [];
  let loaded = false;
  page.on("response", (r) => {
    const url = new URL(r.url());
    const isWorker = r.request().frame() === null;
    if (!loaded && !isWorker && url.pathname.endsWith(".js")) js.push(url.pathname);
  });
  await page.goto("/", { waitUntil: "load" });
  loaded = true;
  let bytes = 0;
  for (const p of new Set(js))
    bytes += gzipSync(readFileSync(new URL(`../dist${p}`, import.meta.url))).length;
  const kb = bytes / 1024;
  test.info().annotations.push({ type: "initial_js_gzip_kb", description: kb.toFixed(1) });
  console.log(`initial_js_gzip_kb ${kb.toFixed(1)} (${[...new Set(js)].join(", ")})`);
  expect(kb).toBeLessThanOrEqual(150);
  // Monaco is not among them.
  expect(js.some((p) => /editor|ModuleEditor/i.test(p))).toBe(false);
});

test("the module editor loads Monaco on demand with the kernel API's types and shows diagnostics as one types", async ({
  page,
}) => {
  const scripts: string[] = [];
  page.on("request", (r) => {
    if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname);
  });
  await page.goto("/");
  await expect(page.getByRole("heading", { name: /A patch, its transition/ })).toBeVisible();
  expect(scripts.some((p) => /editor\.api|ModuleEditor/.test(p))).toBe(false);
  await page
    .getByRole("combobox", { name: "Scenario" })
    .selectOption({ label: "An empty replace patch reverts everything" });
  await expect(
    page.getByRole("heading", { name: "An empty replace patch reverts everything" }),
  ).toBeVisible();
  await page.getByRole("button", { name: "Edit module source…" }).click();
  const editor = page.locator(".monaco .view-lines");
  await expect(editor).toContainText("klp_enable_patch", { timeout: 30_000 });
  expect(scripts.some((p) => /ModuleEditor/.test(p))).toBe(true);
  const diagnostics = page.getByRole("list", { name: "Diagnostics" });
  // The source type-checks against klp.d.ts; a wrong type is marked as one types it.
  await page.waitForTimeout(1500);
  await expect(diagnostics.locator("li")).toHaveCount(0);
  await page.locator(".monaco").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type('\nexport const bad: string = seq_printf(0, "x");\n');
  await expect(diagnostics).toContainText(
    /line \d+: Type 'number' is not assignable to type 'string'/,
    {
      timeout: 20_000,
    },
  );
});
