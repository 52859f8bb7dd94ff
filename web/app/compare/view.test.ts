// view.test.ts: the side-by-side view model of every library scenario whose two models differ
// (scenarios/divergences.test.ts), each opened in a session and compared with the other semantics
// through the engine's op "compare": the divergences the list names, and per side exactly the
// events its timeline outlines (*) or lists without a timeline mark (-). What each case shows:
// a callback only in mainline (the series deletes per-object callbacks), per-state callbacks and
// shadow variables only in proposed, a shadow variable proposed frees with its state where
// mainline keeps it, and block_disable's refusals only in proposed.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { coreWasm } from "../../../cli/node-run.ts";
import { SessionHost } from "../../../engine/host/session.ts";
import { SESSION_ENV } from "../../engine/sessionEnv.ts";
import { EXPECTED_VIEWS } from "./expected.fixture.ts";
import { compareView, focusOf, type CompareView, type SideView } from "./view.ts";

async function viewOf(file: string): Promise<CompareView> {
  const host = new SessionHost(coreWasm(), SESSION_ENV);
  const json = JSON.parse(
    readFileSync(new URL(`../../../scenarios/library/${file}`, import.meta.url), "utf8"),
  ) as { semantics: string };
  expect((await host.handle({ op: "open", scenario: json })).ok).toBe(true);
  const other = json.semantics === "mainline" ? "proposed" : "mainline";
  const r = await host.handle({ op: "compare", other: { semantics: other } });
  if (!r.ok || !r.value.compare?.ok) throw new Error(`${file}: compare failed`);
  return compareView(r.value.compare.value);
}

/** The shadow lifetimes the side's timeline draws, as their tooltips say. */
const shadowRow = (v: SideView) =>
  v.rows.find((r) => r.key === "shadows")?.spans.map((s) => s.text) ?? [];

const shown = (v: SideView) =>
  v.events.map((e) => `${e.drawn ? "*" : "-"} ${e.kind} ${e.subject}: ${e.what}`);

describe("the side-by-side view of each library scenario whose models differ", () => {
  for (const [file, want] of Object.entries(EXPECTED_VIEWS))
    it(file, async () => {
      const v = await viewOf(file);
      const name = (s: SideView) => `${s.side.config.semantics} ${s.side.config.arch}`;
      expect([name(v.a), name(v.b)]).toEqual(want.sides);
      expect(v.items.map((i) => i.label)).toEqual(want.items);
      expect(shown(v.a)).toEqual(want.a);
      expect(shown(v.b)).toEqual(want.b);
      for (const side of [v.a, v.b]) {
        // The timeline outlines exactly the diverging events it draws, and each is on a row.
        const drawnSeqs = side.events.filter((e) => e.drawn).map((e) => e.seq);
        expect([...side.outlined].sort((x, y) => x - y)).toEqual(drawnSeqs);
        const onRows = new Set(
          side.rows.flatMap((r) => [...r.spans, ...r.marks].map((i) => i.seq)),
        );
        expect(drawnSeqs.every((s) => onRows.has(s))).toBe(true);
      }
      // Selecting an item brings each side to one of its own events (or none, when it has none).
      v.items.forEach((it, k) => {
        for (const [side, seqs] of [
          [v.a, it.seqs.a],
          [v.b, it.seqs.b],
        ] as const)
          if (seqs.length) expect(seqs).toContain(focusOf(side, k)!.seq);
          else expect(focusOf(side, k)).toBeNull();
      });
      // Every diverging step is flagged in the aligned logs.
      const flagged = v.steps.filter((s) => s.diverges).map((s) => s.step);
      expect(flagged).toEqual([...new Set(want.items.map((l) => Number(l.split(" ")[0])))]);
      if (want.shadows) expect([shadowRow(v.a), shadowRow(v.b)]).toEqual(want.shadows);
      for (const r of want.refused ?? []) {
        const it = v.items.find(
          (i) => i.label === `${r.step} refusal only-${r.side} step ${r.step}`,
        )!;
        const out = it.members[0]!.outcome!;
        expect(out[r.side].status).not.toBe(0);
        expect(out[r.side].stderr).toMatch(r.stderr);
        expect(out[r.side === "a" ? "b" : "a"].status).toBe(0);
        expect(it.seqs).toEqual({ a: [], b: [] });
      }
    });
});
