// session.test.ts: the interactive session (engine/host/session.ts) reproduces headless runs of
// library scenarios (here, since engine/ names no module). Played in small slices it
// prints what runScenario prints; a line run mid-run is inserted into the script at its virtual
// time, and the script replayed headless gives the same log and events; step() always moves to a
// new event; bad scenarios and links come back as problems, never as exceptions.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { coreWasm, runInNode } from "../cli/node-run.ts";
import { builtinEnv } from "../modules/scenario-options.ts";
import { encodeLink } from "./link.ts";
import { loadScenario } from "./load.ts";
import type { Scenario } from "./schema.ts";
import type { SessionAnswer, SessionOp } from "../engine/host/protocol.ts";
import { SessionHost } from "../engine/host/session.ts";

const ENV = builtinEnv();

function scenario(file: string): Scenario {
  const text = readFileSync(new URL(`./${file}`, import.meta.url), "utf8");
  const s = loadScenario(text);
  if (!s.ok) throw new Error(JSON.stringify(s.error));
  return s.value;
}

/** A host and a helper that fails the test on an error answer. */
function host() {
  const h = new SessionHost(coreWasm(), ENV);
  const log: string[] = [];
  const events: unknown[] = [];
  const op = async (o: SessionOp): Promise<SessionAnswer> => {
    const r = await h.handle(o);
    if (!r.ok) throw new Error(`${r.error.kind}: ${r.error.message}`);
    log.push(...r.value.delta.log.map((l) => l.text));
    events.push(...r.value.delta.events);
    return r.value;
  };
  return { h, op, log, events };
}

async function playToEnd(op: (o: SessionOp) => Promise<SessionAnswer>, sliceNs: number) {
  for (let t = sliceNs; ; t += sliceNs) {
    const a = await op({ op: "advance", toNs: t });
    if (a.delta.done) return a;
  }
}

describe("SessionHost", () => {
  it("played in slices, prints what the headless run prints", async () => {
    const s = scenario("library/default.json");
    const { op, log, events } = host();
    await op({ op: "open", scenario: s });
    await playToEnd(op, 16e6 * 7);
    const run = await runInNode(s);
    if (!run.ok) throw new Error("headless run failed");
    expect(log).toEqual(run.value.log);
    expect(events).toEqual(run.value.events);
  });

  it("inserts an interactive line at its virtual time; the script replays it exactly", async () => {
    const s = scenario("library/default.json");
    const { op, log, events } = host();
    await op({ op: "open", scenario: s });
    await op({ op: "advance", toNs: 3_333_333_333 }); // mid-transition
    const sh = await op({
      op: "shell",
      line: "echo 0 > /sys/kernel/livepatch/livepatch_callbacks_demo/enabled",
    });
    expect(sh.output?.step).toEqual({
      at_ms: 3334,
      run: "echo 0 > /sys/kernel/livepatch/livepatch_callbacks_demo/enabled",
    });
    expect(log.some((l) => l.includes("reversing transition from patching to unpatching"))).toBe(
      true,
    );
    const end = await playToEnd(op, 1e9);
    const linked = await op({ op: "link", base: "http://x/" });
    const fresh = host();
    const opened = await fresh.op({ op: "open-link", link: linked.link! });
    expect(opened.opened?.scenario.script[2]).toEqual(sh.output?.step);
    const run = await runInNode(opened.opened!.scenario);
    if (!run.ok) throw new Error("headless run failed");
    expect(log).toEqual(run.value.log);
    expect(events).toEqual(run.value.events);
    expect(end.delta.done).toBe(true);
  });

  it("step() moves to the next event each time, until the script and the timers are done", async () => {
    const { op } = host();
    const first = await op({ op: "open", scenario: scenario("library/default.json") });
    let seen = first.delta.events.length;
    for (let done = false; !done;) {
      const a = await op({ op: "step" });
      done = a.delta.done;
      expect(a.delta.events.length).toBeGreaterThan(0);
      expect(a.delta.events[0]!.seq).toBe(seen);
      seen += a.delta.events.length;
    }
    // The machine is quiet then: a step finds nothing more.
    expect((await op({ op: "step" })).delta.events).toEqual([]);
  });

  it("answers a view of patches and tasks, and reads sysfs", async () => {
    const { op } = host();
    await op({ op: "open", scenario: scenario("library/default.json") });
    const a = await op({ op: "advance", toNs: 2e9 });
    const v = a.delta.view;
    expect(v.transition).toEqual({ patch: "livepatch_callbacks_demo", target: 1 });
    expect(v.patches.map((p) => [p.name, p.enabled, p.inTransition])).toEqual([
      ["livepatch_callbacks_demo", true, true],
    ]);
    const pending = v.tasks.filter((t) => t.pending);
    expect(pending.length).toBeGreaterThan(0);
    const r = await op({
      op: "read",
      path: "/sys/kernel/livepatch/livepatch_callbacks_demo/transition",
    });
    expect(r.read).toBe("1\n");
    expect((await op({ op: "ls", path: "/sys/kernel/livepatch" })).ls).toEqual([
      "livepatch_callbacks_demo",
    ]);
    // Files that run kernel code are the shell's (the line then joins the script).
    const { h } = host();
    await h.handle({ op: "open", scenario: scenario("library/default.json") });
    const cmdline = await h.handle({ op: "read", path: "/proc/cmdline" });
    expect(cmdline.ok).toBe(false);
  });

  it("refuses bad scenarios and links with problems, and keeps the open session", async () => {
    const { h, op } = host();
    await op({ op: "open", scenario: scenario("library/default.json") });
    const bad = await h.handle({
      op: "open",
      scenario: { format: "klp-playground-scenario", version: 2 },
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.kind).toBe("scenario");
      expect(bad.error.problems?.some((p) => p.path === "title")).toBe(true);
    }
    const link = await h.handle({ op: "open-link", link: "http://x/#s1.AAAA" });
    expect(link.ok || link.error.kind).toBe("link");
    const cut = encodeLink(scenario("library/default.json")).slice(0, -10);
    const cutR = await h.handle({ op: "open-link", link: cut });
    expect(cutR.ok).toBe(false);
    const still = await op({ op: "advance", toNs: 1e9 });
    expect(still.delta.nowNs).toBe(1e9);
  });
});
