// frames.test.ts: a checkpoint saves the fields of every object reachable from the session, which
// cannot capture a suspended generator (its position and locals are invisible). Library
// scenarios and the lp_wait run are played to several moments and imaged as step back images
// them: no generator may be in reach (the image is refused, naming it), and sleeping tasks'
// code must be reached as frames.
// Then the frames' semantics, those of the generators they replace: entry at the first next(),
// cleanup on return, on a throw and on return(), nothing run by a return() before the start.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { coreBytes } from "../../core-wasm/tests/loadCore.ts";
import { LP_WAIT, STALL_SCRIPT } from "../../modules/runs.ts";
import { builtinRunOptions } from "../../modules/scenario-options.ts";
import { loadScenario } from "../../scenarios/load.ts";
import type { Scenario } from "../../scenarios/schema.ts";
import { Checkpoints } from "../checkpoint/checkpoints.ts";
import { ScenarioSession } from "../scenario/session.ts";
import { boot } from "../testing/fixture.ts";
import { SeqFrame } from "./frames.ts";
import { ended, type KCode, msleep, TaskKilled } from "./kcode.ts";
import type { Machine } from "./machine.ts";
import type { Task } from "./task.ts";

/** Sleeping module code of each kind: kthread loops, user calls, work items, call_ptr, waits. */
const LIBRARY = [
  "default.json",
  "callbacks-busymod.json",
  "force-disable-pins-module.json",
  "stall-interruptible-signal.json",
  "block-disable.json",
  "speaker-samples.json",
  "shadow-state-mainline.json",
];

/** Virtual times (ns) the walk runs at: during and after the scripts. */
const MOMENTS = [0.5e9, 2e9, 5e9, 10e9, 17e9, 30e9];

function library(file: string): Scenario {
  const text = readFileSync(new URL(`../../scenarios/library/${file}`, import.meta.url), "utf8");
  const s = loadScenario(text);
  if (!s.ok) throw new Error(`${file} does not load`);
  return s.value;
}

/** The lp_wait run as a scenario: STALL_SCRIPT's lines as steps, its sleeps as their times. */
function lpWait(): Scenario {
  const { expect: _e, ...base } = library("default.json");
  let atMs = 0;
  const script: Scenario["script"] = [];
  for (const line of STALL_SCRIPT.trim().split("\n")) {
    const sleep = /^sleep (\d+)$/.exec(line);
    if (sleep) atMs += Number(sleep[1]) * 1000;
    else script.push({ at_ms: atMs, run: line });
  }
  const modules = [{ kind: "embedded" as const, ...LP_WAIT }];
  const s = loadScenario({ ...base, title: "lp_wait", modules, script });
  if (!s.ok) throw new Error(`lp_wait does not load: ${JSON.stringify(s.error)}`);
  return s.value;
}

/** Resumable kernel code (a frame keeps the iterator protocol). */
function isCode(v: object): boolean {
  const c = v as { next?: unknown; return?: unknown };
  return typeof c.next === "function" && typeof c.return === "function";
}

/**
 * Images the session as step back does (engine/checkpoint/): a generator anywhere in reach is
 * refused with its path; the image must also hold kernel code (sleeping tasks' frames).
 */
async function check(name: string, s: Scenario): Promise<void> {
  const opts = { ...builtinRunOptions(await coreBytes()), isolatedSandboxes: true };
  const opened = await ScenarioSession.open(s, opts);
  if (!opened.ok) throw new Error(`${name}: ${JSON.stringify(opened.error)}`);
  const session = opened.value;
  const checkpoints = new Checkpoints(
    [session],
    new Set<object>([session.scenario, session.scenario.script]),
  );
  try {
    for (const ns of MOMENTS) {
      session.advanceTo(ns);
      const c = checkpoints.take(session.nowNs);
      expect(c.ok ? null : c.error, `${name} at ${ns / 1e9} s`).toBeNull();
      // The boot tasks (init, kthreadd, the kworkers) sleep in kernel code all along.
      const frames = c.ok ? c.value.image.objects.filter(isCode).length : 0;
      expect(frames, `${name} at ${ns / 1e9} s`).toBeGreaterThan(0);
    }
  } finally {
    session.m.dispose();
  }
}

describe("kernel code state", () => {
  it.each(LIBRARY)("holds no generator reachable from the machine: %s", async (file) => {
    await check(file, library(file));
  });

  it("holds no generator reachable from the machine: the lp_wait run", async () => {
    await check("lp_wait", lpWait());
  });
});

/** Sleeps in msleep(10) twice, feeding each result to the next step, then throws or returns. */
class TwoSleeps extends SeqFrame<string> {
  readonly seen: unknown[] = [];
  private n = 0;

  constructor(
    private readonly m: Machine,
    private readonly t: Task,
    private readonly fail: boolean,
  ) {
    super();
  }

  protected advance(value: unknown): KCode | IteratorReturnResult<string> {
    this.seen.push(value);
    if (this.n++ < 2) return this.m.call(this.t, this.m.fn("msleep"), msleep(10));
    if (this.fail) throw new TaskKilled(this.t.pid);
    return ended("over");
  }
}

describe("frames", () => {
  async function kthread() {
    const m = await boot();
    const t = m.tasks.create("frames", "kthread", 0, null);
    const depth = () => m.core.tasks.depth(t.coreId);
    return { m, t, depth };
  }

  it("pushes a call's frames at its first next and pops them when the body returns", async () => {
    const { m, t, depth } = await kthread();
    const body = new TwoSleeps(m, t, false);
    const code = m.call(t, m.fn("kthread"), () => body);
    expect(t.fns).toEqual([]);
    const r1 = code.next("ignored");
    expect(r1.done).toBe(false);
    const names = t.fns.map((id) => m.names.get(id));
    expect(names).toEqual(["kthread", "msleep", "schedule_timeout", "schedule"]);
    expect(depth()).toBe(4);
    expect(code.next(7).done).toBe(false);
    expect(code.next(8)).toEqual({ done: true, value: "over" });
    // Each sleep returned 0 (schedule's result through the callers), whatever next() was given.
    expect(body.seen).toEqual([undefined, 0, 0]);
    expect(t.fns).toEqual([]);
    expect(depth()).toBe(0);
    expect(code.next()).toEqual({ done: true, value: undefined });
  });

  it("pops every frame when a TaskKilled passes through", async () => {
    const { m, t, depth } = await kthread();
    const code = m.call(t, m.fn("kthread"), () => new TwoSleeps(m, t, true));
    code.next();
    code.next();
    expect(() => code.next()).toThrow(TaskKilled);
    expect(t.fns).toEqual([]);
    expect(depth()).toBe(0);
    expect(code.next()).toEqual({ done: true, value: undefined });
  });

  it("unwinds a sleeping call on return(), once; before its first next it runs nothing", async () => {
    const { m, t, depth } = await kthread();
    const calls: number[] = [];
    m.onCall = (_t, called) => calls.push(called);
    const code = m.call(t, m.fn("msleep"), msleep(10));
    expect(code.return(5)).toEqual({ done: true, value: 5 });
    expect(calls).toEqual([]);
    expect(code.next()).toEqual({ done: true, value: undefined });
    const asleep = m.call(t, m.fn("msleep"), msleep(10));
    expect(asleep.next().done).toBe(false);
    expect(calls.length).toBe(3);
    expect(asleep.return(undefined)).toEqual({ done: true, value: undefined });
    expect(t.fns).toEqual([]);
    expect(depth()).toBe(0);
    expect(asleep.return(1)).toEqual({ done: true, value: 1 });
    expect(depth()).toBe(0);
  });
});
