// entry-site.spec.ts: the entry-site view against the core at every step of the text pokes, on
// x86_64 (int3 over the first byte, the other four bytes, the first byte; each write and its sync
// an event) and arm64 (the CALL_OPS literal store, then the one nop/bl store), through patching
// (step 1 of the default scenario) and unpatching (step 2). The workbench runs the script with
// Step over; the stages of one update run in one batch of kernel code, so the view steps through
// them with Previous/Next poke stage. At every stage and at every "now", the bytes and
// disassembly the view shows are held against the text arena read again from the core by address
// (op "text", a read apart from the view's), disassembled here with the engine's decoder.
import { readFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import type { Arch } from "../core-wasm/bindings/text.ts";
import { disasm } from "../engine/machine/disasm.ts";
import { encodeLink } from "../scenarios/link.ts";
import { loadScenario } from "../scenarios/load.ts";

function link(arch: Arch): string {
  const s = loadScenario(
    readFileSync(new URL("../scenarios/library/default.json", import.meta.url), "utf8"),
  );
  if (!s.ok) throw new Error("default scenario invalid");
  // Paused at 0.5 s: the target module is loaded, the livepatch (step 1, at 1 s) is not yet.
  return encodeLink({ ...s.value, arch }, { atMs: 500 }, "/");
}

/** Per stage, patching then unpatching: the site's state and the mnemonic at rec->ip. */
const STAGES: Record<Arch, string[]> = {
  x86_64: [
    ...Array<string>(4).fill("poking int3"),
    "call call",
    "call call",
    ...Array<string>(4).fill("poking int3"),
    "nop nopl",
    "nop nopl",
  ],
  arm64: ["poking nop", "call bl", "poking bl", "nop nop"],
};

const word = (s: string) => s.trim().split(/\s+/)[0]!;

/** The view's disassembly and the separate raw read agree; @returns "state insn-at-rec->ip". */
async function compareWithCore(page: Page, arch: Arch): Promise<string> {
  const site = page.getByTestId("entry-site");
  const raw = page.getByTestId("text-arena");
  // Both reads answer the moment now shown (each pane is aria-busy while its answer is older).
  await expect(site).toHaveAttribute("aria-busy", "false");
  await expect(raw).toHaveAttribute("aria-busy", "false");
  await expect(raw).toHaveText(/^[0-9a-f]{16}: [0-9a-f]{2}( [0-9a-f]{2})*$/);
  const [addr, hex] = (await raw.textContent())!.split(": ") as [string, string];
  const rows = await page
    .getByRole("table", { name: "Disassembly of the entry" })
    .locator("tbody tr")
    .evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent!)),
    );
  // The bytes: the rows laid end to end are the arena's.
  expect(rows.map((r) => r[1]).join(" ")).toBe(hex);
  // The disassembly: the same instructions at the same (full kernel) addresses as decoding the
  // arena's bytes.
  const bytes = new Uint8Array(hex.split(" ").map((b) => parseInt(b, 16)));
  const start = parseInt(addr.slice(8), 16);
  const mine = disasm(
    arch,
    bytes,
    start,
    () => null,
    arch === "arm64" ? (bytes.length - 8) / 4 : 0,
  );
  expect(rows.map((r) => [r[0], r[1], word(r[2]!)])).toEqual(
    mine.map((i) => [
      addr.slice(0, 8) + i.addr.toString(16).padStart(8, "0"),
      i.bytes,
      word(i.text),
    ]),
  );
  const at = rows.find((r) => r[2]!.endsWith("← rec->ip"))!;
  const state = /the site is (\w+)/.exec((await site.textContent())!)![1]!;
  return `${state} ${word(at[2]!)}`;
}

/** The poke stages counted so far (the status line reads "Now; N poke stages so far."). */
async function stagesSoFar(page: Page): Promise<number> {
  const status = page.getByTestId("poke-stage");
  await expect(status).toHaveText(/^Now; \d+ poke stages so far\.$/);
  return Number(/(\d+)/.exec((await status.textContent())!)![1]);
}

/** Walks the stages from `from` (0-based) to the last, comparing at each; back to now. */
async function walkStages(page: Page, arch: Arch, from: number, to: number): Promise<string[]> {
  const seen: string[] = [];
  const status = page.getByTestId("poke-stage");
  for (let k = to; k > from; k--)
    await page.getByRole("button", { name: "Previous poke stage" }).click();
  for (let k = from; k < to; k++) {
    await expect(status).toContainText(`Poke stage ${k + 1} of ${to}:`);
    seen.push(await compareWithCore(page, arch));
    if (k + 1 < to) await page.getByRole("button", { name: "Next poke stage" }).click();
  }
  await page.getByRole("button", { name: "Now", exact: true }).click();
  return seen;
}

for (const arch of ["x86_64", "arm64"] as const)
  test(`entry site on ${arch}: the view equals the core's text at every poke stage`, async ({
    page,
  }) => {
    await page.goto(link(arch));
    const site = page.getByTestId("entry-site");
    const total = STAGES[arch].length;
    const seen: string[] = [];
    let counted = 0;
    // Step 1 patches, step 2 unpatches: step over each, then on until every stage was seen.
    for (let i = 0; i < 60 && counted < total; i++) {
      const before = await page.getByLabel("Virtual time").textContent();
      await page.getByRole("button", { name: i < 2 ? "Step over" : "Step", exact: true }).click();
      await expect(page.getByLabel("Virtual time")).not.toHaveText(before!);
      if (i === 0) await expect(site).toBeVisible({ timeout: 30_000 });
      if ((await site.count()) === 0) continue;
      const n = await stagesSoFar(page);
      if (n > counted) seen.push(...(await walkStages(page, arch, counted, n)));
      counted = n;
      // And now, after the step: the view and the core agree too.
      await compareWithCore(page, arch);
    }
    expect(seen).toEqual(STAGES[arch]);
    await expect(site).toContainText(`busymod_work_func on ${arch}: the site is nop`);
  });
