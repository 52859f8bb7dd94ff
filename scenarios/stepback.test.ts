// stepback.test.ts: seek (engine/host/session.ts) restores the whole machine exactly. Played to
// T, sent back to T/2 (or one event back) and forward to T again, the session's full event stream
// and log (taken from the seek's reset answer on) equal an uninterrupted run's, for a scenario
// with an inserted shell line and ones whose modules run in sandboxes.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { coreWasm } from "../cli/node-run.ts";
import { builtinRunOptions } from "../modules/scenario-options.ts";
import { loadScenario } from "./load.ts";
import type { Scenario } from "./schema.ts";
import type { SessionAnswer, SessionOp } from "../engine/host/protocol.ts";
import { SessionHost } from "../engine/host/session.ts";

const { core: _core, ...ENV } = builtinRunOptions(new Uint8Array());

function scenario(file: string): Scenario {
  const s = loadScenario(readFileSync(new URL(`./library/${file}`, import.meta.url), "utf8"));
  if (!s.ok) throw new Error(JSON.stringify(s.error));
  return s.value;
}

/** A host whose page-side view follows the answers as the store does (reset replaces). */
function host() {
  const h = new SessionHost(coreWasm(), ENV);
  let log: string[] = [];
  let events: unknown[] = [];
  const op = async (o: SessionOp): Promise<SessionAnswer> => {
    const r = await h.handle(o);
    if (!r.ok) throw new Error(`${r.error.kind}: ${r.error.message}`);
    if (r.value.delta.reset) {
      log = [];
      events = [];
    }
    log.push(...r.value.delta.log.map((l) => l.text));
    events.push(...r.value.delta.events);
    return r.value;
  };
  return { op, view: () => ({ log, events }) };
}

/** Plays to `toNs` in frame-like slices. */
async function play(op: (o: SessionOp) => Promise<SessionAnswer>, fromNs: number, toNs: number) {
  let a: SessionAnswer | null = null;
  for (let t = fromNs; t < toNs;) {
    t = Math.min(toNs, t + 16e6 * 9);
    a = await op({ op: "advance", toNs: t });
  }
  return a;
}

const SHELL = "echo 0 > /sys/kernel/livepatch/livepatch_callbacks_demo/enabled";

/** Opens `s`, optionally runs a shell line at 3.3 s, plays to T; @returns the host there. */
async function upTo(s: Scenario, T: number, shellAt?: number) {
  const hh = host();
  await hh.op({ op: "open", scenario: s });
  if (shellAt !== undefined) {
    await play(hh.op, 0, shellAt);
    await hh.op({ op: "shell", line: SHELL });
    await play(hh.op, shellAt, T);
  } else await play(hh.op, 0, T);
  return hh;
}

const CASES: { file: string; T: number; shellAt?: number }[] = [
  { file: "default.json", T: 14e9 },
  { file: "default.json", T: 14e9, shellAt: 3_333_333_333 },
  { file: "reverse-mid-transition.json", T: 8e9 },
  { file: "shadow-state-mainline.json", T: 8e9 },
];

describe("seek", () => {
  for (const c of CASES)
    it(`back to T/2 and forward to T equals an uninterrupted run: ${c.file}${c.shellAt ? " with a shell line" : ""}`, async () => {
      const straight = await upTo(scenario(c.file), c.T, c.shellAt);
      const bf = await upTo(scenario(c.file), c.T, c.shellAt);
      const back = await bf.op({ op: "seek", toNs: c.T / 2 });
      expect(back.delta.reset).toBe(true);
      expect(back.delta.nowNs).toBe(c.T / 2);
      await play(bf.op, c.T / 2, c.T);
      expect(straight.view().events.length).toBeGreaterThan(5);
      expect(bf.view().events).toEqual(straight.view().events);
      expect(bf.view().log).toEqual(straight.view().log);
    });

  it("one event back, then step, gives the events it undid", async () => {
    const s = scenario("reverse-mid-transition.json");
    const hh = host();
    await hh.op({ op: "open", scenario: s });
    await play(hh.op, 0, 5e9);
    const before = [...hh.view().events];
    const back = await hh.op({ op: "seek", toEvent: before.length - 1 });
    expect(back.delta.reset).toBe(true);
    expect(hh.view().events.length).toBeLessThan(before.length);
    while (hh.view().events.length < before.length) await hh.op({ op: "step" });
    expect(hh.view().events).toEqual(before);
  });

  it("forward seeks run on without a reset; bad seeks are refused", async () => {
    const hh = host();
    await hh.op({ op: "open", scenario: scenario("default.json") });
    const a = await hh.op({ op: "seek", toNs: 2e9 });
    expect(a.delta.reset).toBeUndefined();
    expect(a.delta.nowNs).toBe(2e9);
    const h = new SessionHost(coreWasm(), ENV);
    await h.handle({ op: "open", scenario: scenario("default.json") });
    expect((await h.handle({ op: "seek" })).ok).toBe(false);
    expect((await h.handle({ op: "seek", toNs: 1, toEvent: 1 })).ok).toBe(false);
    expect((await h.handle({ op: "seek", toNs: -1 })).ok).toBe(false);
  });

  it("step-over runs exactly the next script step", async () => {
    const hh = host();
    const opened = await hh.op({ op: "open", scenario: scenario("default.json") });
    const n0 = opened.delta.next;
    const a = await hh.op({ op: "step-over" });
    expect(a.delta.next).toBe(n0 + 1);
    expect(a.delta.steps.map((st) => st.index)).toEqual([n0]);
  });
});
