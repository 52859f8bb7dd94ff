// layout.test.ts: the timeline's tracks from real runs of library scenarios (a stall ended by the
// fake signal, a reversal, a force, callbacks of two objects, shadow variables) and from small
// hand-written streams (per-state callback pairs, klp_shadow_free_all, a cancelled enable).
import { describe, expect, it } from "vitest";
import { libraryFiles } from "../../cli/library-files.ts";
import { runInNode } from "../../cli/node-run.ts";
import type { EngineEvent, EventBody } from "../../engine/events.ts";
import { loadScenario } from "../../scenarios/load.ts";
import { layoutTimeline } from "./layout.ts";
import type { TaskTrack } from "./model.ts";

async function layoutOf(file: string) {
  const f = libraryFiles().find((x) => x.file === file)!;
  const s = loadScenario(f.text);
  if (!s.ok) throw new Error(file);
  const r = await runInNode(s.value);
  if (!r.ok) throw new Error(file);
  return layoutTimeline(r.value.events);
}

/** A stream from bodies at the given times (ms). */
function stream(...items: [number, EventBody][]): EngineEvent[] {
  return items.map(([ms, b], seq) => ({ ...b, seq, tNs: ms * 1e6 }) as EngineEvent);
}

const s = (t: number) => t * 1e9;
const spans = (t: TaskTrack) => t.spans.map((x) => [x.fromNs, x.toNs, x.state, x.pending]);

describe("transitions and tasks", () => {
  it("a stall ended by the fake signal: attempts, the signal, and why the sleeper waited", async () => {
    const l = await layoutOf("library/stall-interruptible-signal.json");
    const [p] = l.patches;
    expect(p!.patch).toBe("klp_sleeper_fix");
    const phases = p!.marks.map((m) => m.phase);
    expect(phases.slice(0, 3)).toEqual(["init", "start", "attempt"]);
    expect(phases.slice(-3)).toEqual(["signal", "attempt", "complete"]);
    expect(p!.spans).toHaveLength(1);
    expect(p!.spans[0]).toMatchObject({ target: 1, ended: "complete", attempts: 17, signals: 1 });
    // klp_waiter, a process blocked in sleeper_wait: pending from the start of the transition
    // until the fake signal (14.816 s later) ends its sleep and it switches on its way back to
    // user space; patched until the transition completes at the next attempt, then idle.
    const waiter = l.tasks.find((t) => t.comm === "klp_waiter")!;
    expect(spans(waiter)).toEqual([
      [0, s(3), -1, false],
      [s(3), s(17.816), 0, true],
      [s(17.816), s(18.816), 1, false],
      [s(18.816), null, -1, false],
    ]);
    expect(waiter.waits).toHaveLength(16);
    expect(waiter.switches).toHaveLength(1);
    expect(waiter.switches[0]).toMatchObject({ state: 1, reason: "user-return", tNs: s(17.816) });
    expect(waiter.switches[0]!.waitedBecause).toMatchObject({
      why: "sleeping in a patched function",
      func: "sleeper_wait",
    });
    // A task that was not in a patched function switched at the first attempt, having not waited.
    const bash = l.tasks.find((t) => t.comm === "bash")!;
    expect(bash.switches.map((x) => [x.tNs, x.reason, x.waitedBecause])).toEqual([
      [s(3), "stack-check", null],
    ]);
  });

  it("a reversal ends one direction and begins the other; pending becomes the switched tasks", async () => {
    const l = await layoutOf("library/reverse-mid-transition.json");
    const [p] = l.patches;
    expect(p!.spans.map((x) => [x.target, x.ended, x.fromNs, x.toNs])).toEqual([
      [1, "reversed", s(3), s(5)],
      [0, "complete", s(5), s(5.816)],
    ]);
    const sleeper = l.tasks.find((t) => t.comm === "klp_sleeper")!;
    expect(spans(sleeper)).toEqual([
      [0, s(3), -1, false],
      [s(3), s(5), 0, true],
      [s(5), s(5.816), 0, false],
      [s(5.816), null, -1, false],
    ]);
    expect(sleeper.switches).toEqual([]);
    // bash had switched to patched; after the reversal it switches back (at once, on its way
    // back to user space from the very write that reversed).
    const bash = l.tasks.find((t) => t.comm === "bash")!;
    expect(bash.switches.map((x) => [x.tNs, x.state, x.reason])).toEqual([
      [s(3), 1, "stack-check"],
      [s(5), 0, "user-return"],
    ]);
  });

  it("force switches the sleeper with reason force and marks the span forced", async () => {
    const l = await layoutOf("library/stall-uninterruptible-force.json");
    const [patching] = l.patches[0]!.spans;
    expect(patching).toMatchObject({ ended: "complete", forced: true, signals: 1 });
    const sleeper = l.tasks.find((t) => t.comm === "klp_sleeper")!;
    expect(sleeper.switches[0]).toMatchObject({ reason: "force", state: 1, tNs: s(20) });
  });

  it("a child forked mid-transition inherits its parent's state and flag", () => {
    const l = layoutTimeline(
      stream(
        [0, { kind: "task", pid: 5, comm: "bash", op: "fork", ppid: 1, taskKind: "user" }],
        [1, { kind: "transition", patch: "p", phase: "init", target: 1 }],
        [1, { kind: "transition", patch: "p", phase: "start", target: 1 }],
        [2, { kind: "task", pid: 9, comm: "cat", op: "fork", ppid: 5, taskKind: "user" }],
        [3, { kind: "task-switch", pid: 5, comm: "bash", state: 1, reason: "user-return" }],
        [4, { kind: "task-switch", pid: 9, comm: "cat", state: 1, reason: "user-return" }],
        [5, { kind: "transition", patch: "p", phase: "complete", target: 1 }],
      ),
    );
    const cat = l.tasks.find((t) => t.comm === "cat")!;
    expect(spans(cat)).toEqual([
      [2e6, 4e6, 0, true],
      [4e6, 5e6, 1, false],
      [5e6, null, -1, false],
    ]);
  });

  it("a cancelled enable ends its span as cancel", () => {
    const l = layoutTimeline(
      stream(
        [0, { kind: "transition", patch: "p", phase: "init", target: 1 }],
        [0, { kind: "transition", patch: "p", phase: "cancel", target: 0 }],
        [0, { kind: "transition", patch: "p", phase: "complete", target: 0 }],
      ),
    );
    expect(l.patches[0]!.spans.map((x) => x.ended)).toEqual(["cancel"]);
  });
});

describe("callbacks", () => {
  it("pairs pre_patch with post_unpatch and post_patch with pre_unpatch, per object", async () => {
    const l = await layoutOf("library/callbacks-demo-mod.json");
    expect(l.callbacks).toHaveLength(12);
    const pairs = l.callbackPairs.map((p) => [
      p.colour,
      p.opener.callback,
      p.closer?.callback,
      p.closer!.tNs - p.opener.tNs,
    ]);
    const demo = "livepatch_callbacks_demo";
    // At 3 s the target module goes (its pairs close), comes back (a new pair each) and the
    // patch is disabled (every pair closes).
    expect(pairs).toEqual([
      [`${demo}: vmlinux`, "pre_patch", "post_unpatch", s(3)],
      [`${demo}: livepatch_callbacks_mod`, "pre_patch", "post_unpatch", s(3)],
      [`${demo}: vmlinux`, "post_patch", "pre_unpatch", s(3)],
      [`${demo}: livepatch_callbacks_mod`, "post_patch", "pre_unpatch", s(3)],
      [`${demo}: livepatch_callbacks_mod`, "pre_patch", "post_unpatch", 0],
      [`${demo}: livepatch_callbacks_mod`, "post_patch", "pre_unpatch", 0],
    ]);
  });

  it("keys proposed callbacks by state; an unmatched opener stays open", () => {
    const cb = (
      callback: "pre_patch" | "post_unpatch",
      state: number,
      pairsWith: null | "pre_patch",
    ) =>
      ({
        kind: "callback",
        patch: "p",
        object: `state ${state}`,
        callback,
        pairsWith,
        state,
      }) as const;
    const l = layoutTimeline(
      stream(
        [0, cb("pre_patch", 10, null)],
        [0, cb("pre_patch", 11, null)],
        [1, cb("post_unpatch", 10, "pre_patch")],
      ),
    );
    expect(l.callbackPairs.map((p) => [p.colour, p.closer?.tNs ?? null])).toEqual([
      ["p: state 10", 1e6],
      ["p: state 11", null],
    ]);
  });
});

describe("shadow variables and modules", () => {
  it("lifetimes from alloc to free; never freed is flagged", async () => {
    const l = await layoutOf("library/shadow-fix1-fix2.json");
    const freed = l.shadows.filter((v) => !v.leaked);
    expect(freed.map((v) => [v.subject, v.freedBy])).toEqual([
      ["<0x1000c0, 2>", "klp_shadow_free"],
      ["<0x100040, 2>", "klp_shadow_free"],
    ]);
    expect(l.shadows.filter((v) => v.leaked)).toHaveLength(26);
    expect(l.modules.map((m) => [m.name, m.toNs])).toEqual([
      ["livepatch_shadow_mod", null],
      ["livepatch_shadow_fix1", null],
      ["livepatch_shadow_fix2", null],
    ]);
  });

  it("klp_shadow_free_all's frees end the variables they name, not the oldest of that id", () => {
    const sh = (op: "alloc" | "free", obj: number, id: number, all?: true) =>
      ({ kind: "shadow", op, obj, id, ...(all ? { all } : {}) }) as const;
    const l = layoutTimeline(
      stream(
        [0, sh("alloc", 0x10, 1)],
        [1, sh("alloc", 0x20, 2)],
        [2, sh("alloc", 0x30, 1)],
        [3, sh("free", 0x30, 1, true)],
        [4, sh("free", 0x20, 2)],
      ),
    );
    expect(l.shadows.map((v) => [v.subject, v.toNs, v.freedBy, v.leaked])).toEqual([
      ["<0x10, 1>", null, null, true],
      ["<0x20, 2>", 4e6, "klp_shadow_free", false],
      ["<0x30, 1>", 3e6, "klp_shadow_free_all", false],
    ]);
  });

  it("module loads, unloads and a refused load", () => {
    const l = layoutTimeline(
      stream(
        [0, { kind: "module", name: "a", op: "load", state: "MODULE_STATE_LIVE" }],
        [1, { kind: "module", name: "b", op: "load-failed", state: "MODULE_STATE_GOING" }],
        [2, { kind: "module", name: "a", op: "unload", state: "MODULE_STATE_GOING" }],
      ),
    );
    expect(l.modules).toEqual([{ name: "a", fromNs: 0, loadSeq: 0, toNs: 2e6, unloadSeq: 2 }]);
    expect(l.moduleMarks.map((m) => m.op)).toEqual(["load", "load-failed", "unload"]);
    expect(l.endNs).toBe(2e6);
  });
});
