// harness.spec.ts: the engine in a browser Worker answers exactly what it answers in Node. Each
// request runs here in the test process (through the same engine/host code) and on the harness
// page in Chromium's Worker; the kernel log and the run hash (log and events) must be identical,
// on x86_64 and arm64, in both semantics, for a tour with a sandboxed livepatch whose transition
// stalls until the fake signal (~15 virtual s), the shadow samples, force and callbacks. Hostile
// module code gets clear errors inside the worker, and the page stays responsive during a run
// that never ends until Stop.
import { expect, type Page, test } from "@playwright/test";
import { coreBytes } from "../core-wasm/tests/loadCore.ts";
import type { ModuleSource, RunRequest } from "../engine/host/protocol.ts";
import { runRequest } from "../engine/host/run.ts";
import { bootPlayground } from "../modules/playground.ts";
import { LP_WAIT, tourScript } from "../modules/runs.ts";

async function inNode(req: RunRequest): Promise<{ log: string; hash: string }> {
  const r = await runRequest(req, await coreBytes(), bootPlayground);
  if (!r.ok) throw new Error(`${r.error.kind}: ${r.error.message}`);
  return { log: r.value.log.join("\n"), hash: r.value.hash };
}

async function open(page: Page, query = ""): Promise<void> {
  await page.goto(`/harness.html${query}`);
  await expect(page.getByRole("status")).toHaveText(/^Engine ready \((worker|in-process)\)/, {
    timeout: 30_000,
  });
}

/** Fills the form with `req`, runs it, and @returns the log and hash the page shows. */
async function inBrowser(page: Page, req: RunRequest): Promise<{ log: string; hash: string }> {
  await page.locator("#script").fill(req.script);
  await page.locator("#modules").fill(JSON.stringify(req.modules ?? []));
  await page.locator("#semantics").selectOption(req.semantics);
  await page.locator("#arch").selectOption(req.arch);
  await page.locator("#seed").fill(String(req.seed));
  await page.getByRole("button", { name: "Run" }).click();
  await expect(page.getByRole("status")).toHaveText(/^Done: exit status \d+\.$/, {
    timeout: 30_000,
  });
  const log = (await page.locator("#log").textContent()) ?? "";
  return { log, hash: (await page.locator("#hash").textContent()) ?? "" };
}

function tour(semantics: RunRequest["semantics"], arch: RunRequest["arch"]): RunRequest {
  return { script: tourScript(semantics), semantics, arch, seed: 1, modules: [LP_WAIT] };
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  return errors;
}

test("Node and the browser Worker give the same log and hash, both arches and semantics", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await open(page);
  await expect(page.locator("body")).toHaveAttribute("data-engine", "worker");
  // Figures for the report (the list reporter prints nothing of them; e2e.json keeps them).
  const note = (type: string, description: string) =>
    test.info().annotations.push({ type, description });
  note("worker boot", (await page.getByRole("status").textContent()) ?? "");
  for (const arch of ["x86_64", "arm64"] as const) {
    for (const semantics of ["mainline", "proposed"] as const) {
      const req = tour(semantics, arch);
      const node = await inNode(req);
      // The fake signal at the 16th attempt, about 15 virtual seconds in.
      expect(node.log).toMatch(/^\[ +14\.\d{6}\] livepatch: signaling remaining tasks$/m);
      expect(node.log).toContain("livepatch: 'lp_wait': patching complete");
      expect(node.log).toContain("livepatch: forcing remaining tasks to the patched state");
      const browser = await inBrowser(page, req);
      expect(browser.log, `${arch} ${semantics}`).toBe(node.log);
      expect(browser.hash, `${arch} ${semantics}`).toBe(node.hash);
      note(`run ${arch} ${semantics}`, (await page.locator("#timing").textContent()) ?? "");
    }
  }
  // Another seed: the same in both hosts again.
  const seeded: RunRequest = { ...tour("mainline", "x86_64"), seed: 7 };
  expect(await inBrowser(page, seeded)).toEqual(await inNode(seeded));
  await expect(page.getByRole("link", { name: "Download the Perfetto trace" })).toBeVisible();
  expect(errors).toEqual([]);
});

test("the in-process fallback answers the same", async ({ page }) => {
  await open(page, "?inprocess");
  await expect(page.locator("body")).toHaveAttribute("data-engine", "in-process");
  const req = tour("proposed", "arm64");
  expect(await inBrowser(page, req)).toEqual(await inNode(req));
});

/** A module whose init runs `body` (TypeScript) and prints what it returns. */
function hostile(name: string, body: string): ModuleSource {
  return {
    name,
    source: `import { pr_info } from "linux";
export default { init(): number { pr_info("%s\\n", String((() => { ${body} })())); return 0; } };`,
  };
}

const HOSTILE = [
  // Bare names, as page code would use them (the sandbox strips types; it does not type-check).
  hostile("lp_h_document", "return document.title;"),
  hostile("lp_h_fetch", `return fetch("/");`),
  hostile("lp_h_storage", `return localStorage.getItem("x");`),
  hostile("lp_h_perf", "return performance.now();"),
  hostile("lp_h_date", "return Date.now();"),
  hostile("lp_h_loop", "for (;;) {}"),
];

test("hostile module code gets clear errors in the worker; the page stays responsive", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await open(page);
  const script = HOSTILE.map((m) => `sleep 1\ninsmod ${m.name}.ko`).join("\n");
  const req: RunRequest = {
    script,
    semantics: "mainline",
    arch: "x86_64",
    seed: 1,
    modules: HOSTILE,
  };
  const node = await inNode(req);
  const browser = await inBrowser(page, req);
  expect(browser).toEqual(node);
  const log = browser.log;
  // No page global exists inside the sandbox: each read is a ReferenceError naming the module.
  for (const g of ["document", "fetch", "localStorage", "performance"]) {
    expect(log).toMatch(
      new RegExp(
        `lp_h_${g === "localStorage" ? "storage" : g === "performance" ? "perf" : g}: init: exception: ReferenceError: .*${g}.* is not defined`,
      ),
    );
  }
  // Date is the virtual clock (5 s after boot here), never the host's.
  expect(log).toContain("lp_h_date: 5000");
  expect(log).toMatch(/lp_h_loop: init: budget exceeded: exceeded its budget of \d+ ticks/);
  await expect(page.locator("#stdout")).toContainText(
    "insmod: ERROR: could not insert module lp_h_loop.ko",
  );

  // A run that would last minutes: the page answers clicks meanwhile, and Stop ends it.
  await page
    .locator("#script")
    .fill(
      "load_mod test_klp_callbacks_busy block_transition=Y\nload_lp_nowait test_klp_callbacks_demo\nsleep 1000000\n",
    );
  await page.locator("#modules").fill("[]");
  await page.getByRole("button", { name: "Run" }).click();
  await expect(page.getByRole("status")).toHaveText("Running…");
  for (let i = 1; i <= 3; i++) {
    await page.getByRole("button", { name: "Ping" }).click();
    await expect(page.getByLabel("Pings")).toHaveText(String(i), { timeout: 5_000 });
  }
  await expect(page.getByRole("status")).toHaveText("Running…");
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(page.getByRole("status")).toHaveText("Stopped; a fresh engine is ready.", {
    timeout: 30_000,
  });
  // The fresh worker answers the next run as Node does.
  const after = { ...req, script: "sleep 1\ninsmod lp_h_date.ko", modules: [HOSTILE[4]!] };
  expect(await inBrowser(page, after)).toEqual(await inNode(after));
});
