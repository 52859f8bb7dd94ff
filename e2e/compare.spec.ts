// compare.spec.ts: the side-by-side view against the production build, for three library
// scenarios whose models differ: mainline's per-object callbacks (default), a shadow variable
// proposed frees with its state where mainline keeps it (shadow-state-mainline), a fix's shadow
// variable per object that proposed frees with its is_shadow state and mainline leaks
// (shadow-state-per-object: each free outlined, the leaked lifetimes listed as such), and
// block_disable's refusals only in proposed (block-disable). For each: the divergences listed, the
// events each timeline outlines (its canvas reports the seqs it outlined; they must be exactly
// the events listed beside it as outlined, and those exactly the expected ones), the log lines
// highlighted on each side, and selecting a divergence brings both timelines and logs to it;
// axe finds no serious violation with the view open.
import AxeBuilder from "@axe-core/playwright";
import { readFileSync } from "node:fs";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { encodeLink } from "../scenarios/link.ts";
import { loadScenario } from "../scenarios/load.ts";
import { EXPECTED_VIEWS } from "../web/app/compare/expected.fixture.ts";

function link(file: string): string {
  const s = loadScenario(
    readFileSync(new URL(`../scenarios/library/${file}`, import.meta.url), "utf8"),
  );
  if (!s.ok) throw new Error(`${file}: invalid`);
  return encodeLink(s.value, {}, "/");
}

/** What only the page shows or does: the button, the highlighted log lines, a selection. */
interface PageCase {
  file: string;
  other: string;
  /** Per side: the log lines highlighted as printed only there. */
  lines: [string[], string[]];
  /** A divergence to select, and what the selection region then says. */
  pick: { label: string; step: number; says: RegExp; selected: [number, number] };
}

interface Case extends PageCase {
  sides: [string, string];
  items: string[];
  /** Per side: the diverging events listed, `*` those the timeline outlines. */
  events: [string[], string[]];
  /** Per side, the shadow variables row's lifetimes as listed beside it (how each ends). */
  shadows?: [string[], string[]];
}

const DEMO = "livepatch_callbacks_demo";
const BUSY = "livepatch_callbacks_busymod";
const CALLBACKS = ["pre_patch", "post_patch", "pre_unpatch", "post_unpatch"];

const PAGE_CASES: PageCase[] = [
  {
    file: "default.json",
    other: "Compare with proposed semantics",
    lines: [
      CALLBACKS.flatMap((c) => [
        `${DEMO}: ${c}_callback: vmlinux`,
        `${DEMO}: ${c}_callback: ${BUSY} -> [MODULE_STATE_LIVE] Normal state`,
      ]),
      [],
    ],
    pick: {
      label: `2 callback only-a ${DEMO}/vmlinux/pre_unpatch`,
      step: 2,
      says: /2 callback only-a .*pre_unpatch \(step 2\)/,
      selected: [1, 0],
    },
  },
  {
    file: "shadow-state-mainline.json",
    other: "Compare with proposed semantics",
    lines: [
      ["klp_shadow_state: init: shadow 7 still there: leaked"],
      ["klp_shadow_state: dtor: shadow 7 freed", "klp_shadow_state: init: shadow 7 allocated"],
    ],
    pick: {
      label: "1 shadow differs <0x1000, 7>",
      step: 1,
      says: /shadow differs/,
      selected: [1, 3],
    },
  },
  {
    file: "shadow-state-per-object.json",
    other: "Compare with mainline semantics",
    lines: [
      ["00000000ba0944a5", "00000000c2c480d6", "000000008eee9ec8"].map(
        (p) => `klp_objs_fix: uses freed: obj ${p}`,
      ),
      [],
    ],
    pick: {
      label: "3 shadow freed-only-a <0x100040, 1>",
      step: 3,
      says: /3 shadow freed-only-a <0x100040, 1> \(step 3\)/,
      selected: [2, 1],
    },
  },
  {
    file: "block-disable.json",
    other: "Compare with mainline semantics",
    lines: [
      [
        "test_klp_state: pre_patch_callback: state 1",
        "test_klp_state: allocate_loglevel_state: allocating space to store console_loglevel",
        "test_klp_state: post_patch_callback: state 1",
        "test_klp_state: fix_console_loglevel: fixing console_loglevel",
        "livepatch: The livepatch 'test_klp_state' does not support disable",
        "livepatch: Livepatch patch (test_klp_state2) is not compatible with the already installed livepatches.",
        "test_klp_state3: pre_unpatch_callback: state 1",
        "test_klp_state3: restore_console_loglevel: restoring console_loglevel",
        "test_klp_state3: post_unpatch_callback: state 1 (nope)",
        "test_klp_state3: shadow_conosle_loglevel_dtor: freeing space for the stored console_loglevel",
      ],
      [
        "livepatch: 'test_klp_state': initializing unpatching transition",
        "livepatch: 'test_klp_state': starting unpatching transition",
        "livepatch: 'test_klp_state': completing unpatching transition",
        "livepatch: 'test_klp_state': unpatching complete",
        "livepatch: enabling patch 'test_klp_state2'",
        "livepatch: 'test_klp_state2': initializing patching transition",
        "livepatch: 'test_klp_state2': starting patching transition",
        "livepatch: 'test_klp_state2': completing patching transition",
        "livepatch: 'test_klp_state2': patching complete",
      ],
    ],
    pick: {
      label: "1 refusal only-a step 1",
      step: 1,
      says: /proposed x86_64: exit status [1-9]\d*, .*write error: Invalid argument/,
      selected: [0, 0],
    },
  },
];

/** Each page case with what its view must show, from the table the Node test checks too. */
const CASES: Case[] = PAGE_CASES.map((c) => {
  const want = EXPECTED_VIEWS[c.file]!;
  return {
    ...c,
    sides: want.sides,
    items: want.items,
    events: [want.a, want.b],
    ...(want.shadows ? { shadows: want.shadows } : {}),
  };
});

/** A listed event without its time and seq (`12.000 s #34 `), marked `*` when outlined. */
async function listed(side: Locator): Promise<{ text: string[]; outlined: number[] }> {
  const items = side.getByRole("list", { name: /diverging events/ }).getByRole("listitem");
  const text: string[] = [];
  const outlined: number[] = [];
  for (const li of await items.all()) {
    const t = (await li.textContent())!;
    const drawn = t.endsWith(" (outlined)");
    text.push(
      `${drawn ? "*" : "-"} ${t.replace(/^.*? #\d+ /, "").replace(/ \((outlined|not a timeline mark)\)$/, "")}`,
    );
    if (drawn) outlined.push(Number(await li.getAttribute("data-seq")));
  }
  return { text, outlined: outlined.sort((x, y) => x - y) };
}

async function openCompare(page: Page, c: Case): Promise<void> {
  await page.goto(link(c.file));
  await page.getByRole("button", { name: c.other }).click();
  await expect(page.getByRole("list", { name: "Divergences" }).getByRole("listitem")).toHaveText(
    c.items,
    { timeout: 30_000 },
  );
}

for (const c of CASES)
  test(`side by side: ${c.file} against ${c.sides[1]}`, async ({ page }) => {
    await openCompare(page, c);
    for (const [k, name] of c.sides.entries()) {
      const side = page.getByRole("region", { name: `${name} timeline` });
      const got = await listed(side);
      expect(got.text).toEqual(c.events[k]);
      // The canvas outlined exactly the listed outlined events (none when the side has none).
      const canvas = side.locator(".timeline-plot canvas");
      if ((await canvas.count()) > 0)
        await expect(canvas).toHaveAttribute("data-outlined", got.outlined.join(" "));
      else expect(got.outlined).toEqual([]);
      // The shadow lifetimes: freed by the core, or leaked (the span the timeline marks "leak").
      if (c.shadows)
        await expect(
          side.getByRole("list", { name: `${name} shadow variables` }).getByRole("listitem"),
        ).toHaveText(c.shadows[k]!.map((t) => new RegExp(`${escape(t)}$`)));
      const log = page.getByRole("region", { name: `${name} log` });
      await expect(log.locator("li.diverges:not(:has(strong))")).toHaveText(
        c.lines[k]!.map((l) => `${l} ◀ only here`).map((l) => new RegExp(`${escape(l)}$`)),
      );
    }
    // Selecting a divergence: it is pressed and described, both logs mark its step, and its
    // events are selected in the lists (and so on the timelines, which pan to them).
    const button = page.getByRole("button", { name: c.pick.label, exact: true });
    await button.click();
    await expect(button).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByRole("region", { name: "Selected divergence" })).toContainText(
      c.pick.says,
    );
    for (const [k, name] of c.sides.entries()) {
      const events = page.getByRole("list", { name: `${name} diverging events` });
      await expect(events.locator("li.selected")).toHaveCount(c.pick.selected[k]!);
      await expect(
        page.getByRole("region", { name: `${name} log` }).locator('li[aria-current="step"]'),
      ).toHaveText(new RegExp(`^step ${c.pick.step}`));
    }
  });

test("axe: no serious violations with the side-by-side view open", async ({ page }) => {
  const c = CASES.find((x) => x.file === "block-disable.json")!;
  await openCompare(page, c);
  await page.getByRole("button", { name: c.pick.label, exact: true }).click();
  const r = await new AxeBuilder({ page }).analyze();
  const bad = r.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(bad).toEqual([]);
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
