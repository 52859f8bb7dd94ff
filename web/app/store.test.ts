// store.test.ts: the workbench store against the real engine session in Node (no Worker, no
// mock): frames advance the virtual clock by real time × speed, answers are applied once per
// flush, a shell line joins the mirrored script where the engine put it, a refused open keeps
// the open scenario, play stops where a headless run ends, and the log equals that run's.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { coreWasm, runInNode } from "../../cli/node-run.ts";
import { type CheckpointPolicy, SessionHost } from "../../engine/host/session.ts";
import { loadScenario } from "../../scenarios/load.ts";
import { SESSION_ENV } from "../engine/sessionEnv.ts";
import { createWorkbench } from "./store.ts";

const DEFAULT = JSON.parse(
  readFileSync(new URL("../../scenarios/library/default.json", import.meta.url), "utf8"),
) as unknown;

/** A workbench on a real session; `settle` lets pending answers arrive, then flushes them. */
function bench(policy?: CheckpointPolicy) {
  const host = new SessionHost(coreWasm(), SESSION_ENV, policy);
  const flushes: (() => void)[] = [];
  const wb = createWorkbench({ schedule: (fn) => flushes.push(fn) });
  wb.connect({ session: (op) => host.handle(op) }, "in-process");
  const settle = async () => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    wb.flush();
  };
  /** Plays `n` frames of 16 ms real time each. */
  const frames = async (n: number, from = 0) => {
    for (let i = 0; i <= n; i++) {
      wb.frame(from + i * 16);
      await settle();
    }
  };
  return { wb, settle, frames, flushes };
}

describe("workbench store", () => {
  it("opens the default scenario and plays it at the speed's pace, batching answers", async () => {
    const { wb, settle, frames } = bench();
    expect(await wb.open({ scenario: DEFAULT, source: "library/default.json" })).toBe(true);
    await settle();
    const s0 = wb.store.getState();
    expect(s0.scenario?.title).toBe("A patch, its transition and its callbacks");
    expect(s0.playing).toBe(true);
    // Nothing is applied before a flush: the answers wait for the frame.
    await frames(10); // 160 ms real at 1x
    expect(wb.store.getState().nowNs).toBe(160e6);
    wb.setSpeed(64);
    await frames(5, 1000); // the first frame after a speed change counts from the last one
    expect(wb.store.getState().nowNs).toBeGreaterThan(160e6);
  });

  it("holds why step back replays from boot when the session has no checkpoints", async () => {
    for (const [policy, why] of [
      ["adaptive", null],
      ["off", "checkpoints are turned off"],
    ] as const) {
      const { wb, settle, frames } = bench(policy);
      await wb.open({ scenario: DEFAULT, source: "d" });
      await settle();
      await frames(2);
      expect([policy, wb.store.getState().checkpointsOff]).toEqual([policy, why]);
    }
  });

  it("plays to the end of the script, stops there, and shows the headless run's log", async () => {
    const { wb, settle, frames } = bench();
    await wb.open({ scenario: DEFAULT, source: "d" });
    await settle();
    wb.setSpeed(64);
    for (let k = 0; wb.store.getState().playing && k < 40; k++) await frames(10, k * 1000);
    const s = wb.store.getState();
    expect(s.playing).toBe(false);
    expect(s.done).toBe(true);
    const sc = loadScenario(DEFAULT);
    if (!sc.ok) throw new Error("invalid");
    const run = await runInNode(sc.value);
    if (!run.ok) throw new Error("run failed");
    expect(s.log.map((l) => l.text)).toEqual(run.value.log);
    expect(s.eventCount).toBe(run.value.events.length);
  });

  it("a shell line joins the mirrored script at its virtual time; refusals keep the session", async () => {
    const { wb, settle } = bench();
    await wb.open({ scenario: DEFAULT, source: "d" }, false);
    await settle();
    await wb.step();
    await wb.step();
    await settle();
    const before = wb.store.getState();
    expect(before.eventCount).toBeGreaterThan(0);
    expect(await wb.shell("cat /sys/kernel/livepatch/livepatch_callbacks_demo/enabled")).toBe(true);
    await settle();
    const after = wb.store.getState();
    const ms = Math.ceil(before.nowNs / 1e6);
    expect(after.scenario?.script[before.next]).toEqual({
      at_ms: ms,
      run: "cat /sys/kernel/livepatch/livepatch_callbacks_demo/enabled",
    });
    expect(after.console.map((c) => c.text)).toContain("1\n");
    // A refused button action: the kernel's words are kept for the view.
    expect(await wb.shell("rmmod livepatch_callbacks_demo", true)).toBe(false);
    await settle();
    expect(wb.store.getState().refused?.lines.join()).toMatch(/is in use/);
    // A bad scenario does not replace the open one.
    expect(await wb.open({ scenario: { title: "nope" }, source: "x" })).toBe(false);
    const s = wb.store.getState();
    expect(s.openError?.title).toMatch(/does not open/);
    expect(s.scenario?.title).toBe("A patch, its transition and its callbacks");
    await wb.step();
    await settle();
    expect(wb.store.getState().eventCount).toBeGreaterThan(s.eventCount);
  });

  it("a bad link is an error in words; a link's moment opens paused there", async () => {
    const { wb, settle } = bench();
    await wb.open({ scenario: DEFAULT, source: "d" }, false);
    expect(await wb.open({ link: "#s1.@@" })).toBe(false);
    expect(wb.store.getState().openError?.lines[0]).toMatch(/base64url|not a playground/);
    const link = await wb.copyLink("http://x/", { atMs: 2500 });
    expect(await wb.open({ link: link! })).toBe(true);
    await settle();
    const s = wb.store.getState();
    expect(s.source).toBe("link");
    expect(s.playing).toBe(false);
    expect(s.nowNs).toBe(2500e6);
  });

  it("an engine crash keeps the scenario and its script; a restart reopens them", async () => {
    let host = new SessionHost(coreWasm(), SESSION_ENV);
    let crash = false;
    const wb = createWorkbench({ schedule: () => {} });
    wb.connect(
      {
        session: async (op) =>
          crash
            ? { ok: false, error: { kind: "engine", message: "RuntimeError: unreachable" } }
            : host.handle(op),
        stop: async () => {
          host = new SessionHost(coreWasm(), SESSION_ENV);
          crash = false;
          return { ok: true, value: undefined };
        },
      },
      "worker",
    );
    await wb.open({ scenario: DEFAULT, source: "d" }, false);
    await wb.shell("echo hi");
    crash = true;
    await wb.step();
    const s = wb.store.getState();
    expect(s.crashed).toBe("RuntimeError: unreachable");
    expect(s.scenario?.script.some((st) => st.run === "echo hi")).toBe(true);
    expect(await wb.restart()).toBe(true);
    const after = wb.store.getState();
    expect(after.crashed).toBe(null);
    expect(after.scenario?.script.filter((st) => st.run === "echo hi")).toHaveLength(1);
  });

  it("step back, seek and step over: a seek back replaces the log; forward again it is the same", async () => {
    const { wb, settle } = bench();
    await wb.open({ scenario: DEFAULT, source: "d" }, false);
    await settle();
    for (let i = 0; i < 30; i++) await wb.step();
    await settle();
    const before = wb.store.getState();
    await wb.stepBack();
    await settle();
    const back = wb.store.getState();
    expect(back.eventCount).toBeLessThan(before.eventCount);
    expect(back.nowNs).toBeLessThan(before.nowNs);
    expect(before.log.slice(0, back.log.length)).toEqual(back.log);
    for (let k = 0; k < 100 && wb.store.getState().eventCount < before.eventCount; k++) {
      await wb.step();
      await settle();
    }
    expect(wb.store.getState().log).toEqual(before.log);
    await wb.seek({ toNs: 1e9 });
    await settle();
    expect(wb.store.getState().nowNs).toBe(1e9);
    const next = wb.store.getState().next;
    await wb.stepOver();
    await settle();
    expect(wb.store.getState().next).toBe(next + 1);
  });

  it("the event stream grows in place; a seek back starts a new one that an old reader never sees", async () => {
    const { wb, settle } = bench();
    await wb.open({ scenario: DEFAULT, source: "d" }, false);
    await settle();
    await wb.step();
    await settle();
    const first = wb.store.getState();
    const stream = first.events;
    const count = first.eventCount;
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < 20; i++) await wb.step();
    await settle();
    const later = wb.store.getState();
    // One array, pushed onto: the count says how far a view may read.
    expect(later.events).toBe(stream);
    expect(later.eventCount).toBeGreaterThan(count);
    expect(later.events.length).toBe(later.eventCount);
    expect(later.events.map((e) => e.seq)).toEqual([...Array(later.eventCount).keys()]);
    const grown = later.eventCount;
    await wb.stepBack();
    await settle();
    const back = wb.store.getState();
    expect(back.events).not.toBe(stream);
    expect(back.events.length).toBe(back.eventCount);
    expect(back.events).toEqual(stream.slice(0, back.eventCount));
    await wb.step();
    await settle();
    // The replaced stream is left as it was: nothing of the new session is pushed onto it.
    expect(stream.length).toBe(grown);
  });
});
