// export.test.ts: the Perfetto export on runs of the engine's own fixture modules: pending slices
// per task ended by the switch, a reversal, force, shadow lifetimes with free_all, module and
// callback tracks, and what is still open when the run ends. goldens/trace.test.ts checks the
// built-in modules' runs.
import { describe, expect, it } from "vitest";
import type { Machine } from "../machine/machine.ts";
import { boot, lpModule, stallModule } from "../testing/fixture.ts";
import { loggingStates } from "../testing/proposed.ts";
import { checkTrace } from "./check.ts";
import { toChromeTrace } from "./export.ts";
import type { ChromeTrace, TraceEvent } from "./format.ts";

const SEC = 1e9;
const LP = "/sys/kernel/livepatch/lp_fix";

function trace(m: Machine): ChromeTrace {
  return toChromeTrace(m.events.since(0), { endNs: m.clock.nowNs() });
}

/** The events on the thread named `thread` of the process named `process`. */
function on(t: ChromeTrace, process: string, thread: string): TraceEvent[] {
  const meta = t.traceEvents.filter((e) => e.ph === "M");
  const pid = meta.find((e) => e.name === "process_name" && e.args?.name === process)?.pid;
  const tid = meta.find(
    (e) => e.name === "thread_name" && e.pid === pid && e.args?.name === thread,
  )?.tid;
  return t.traceEvents.filter((e) => e.ph !== "M" && e.pid === pid && e.tid === tid);
}

async function stalled(): Promise<Machine> {
  const m = await boot();
  expect(m.modules.load(stallModule("lp_busy"))).toBe(0);
  const objs = [{ name: "lp_busy", funcs: ["lp_busy_work"] }];
  expect(m.modules.load(lpModule("lp_fix", { objs, sleepMs: 1000 }))).toBe(0);
  return m;
}

describe("toChromeTrace", () => {
  it("shows a stalled task pending until force, with its failed checks and the signal", async () => {
    const m = await stalled();
    m.sleep(17 * SEC);
    expect(m.vfs.writeFile(`${LP}/force`, "1\n")).toBe(0);
    m.sleep(2 * SEC);
    const t = trace(m);
    expect(checkTrace(t)).toEqual([]);
    const busy = on(t, "Tasks", "lp_busy");
    const slice = busy.filter((e) => e.ph === "B" || e.ph === "E");
    expect(slice.map((e) => [e.ph, e.name])).toEqual([
      ["B", "patching lp_fix"],
      ["E", "patching lp_fix"],
    ]);
    expect(slice[1]!.args).toEqual({ switched: "force", state: 1 });
    expect(slice[1]!.ts).toBe(17e6); // the force write at 17 s, in microseconds
    // One failed check in insmod, then one a second until force at 17 s.
    const checks = busy.filter((e) => e.name === "blocked: sleeping in a patched function");
    expect(checks).toHaveLength(18);
    const phases = on(t, "Livepatch transitions", "klp_transition").map((e) => e.name);
    expect(phases.filter((p) => p === "signal")).toHaveLength(1);
    expect(phases).toContain("force");
    expect(phases.at(-1)).toBe("patching lp_fix");
  });

  it("a reversal ends the pending slices and opens them for the tasks that had switched", async () => {
    const m = await stalled();
    m.sleep(2 * SEC);
    expect(m.vfs.writeFile(`${LP}/enabled`, "0\n")).toBe(0);
    m.modules.get("lp_busy")!.params.set("block", false);
    m.sleep(3 * SEC);
    const t = trace(m);
    expect(checkTrace(t)).toEqual([]);
    // The shell switched at the first attempt, in the instant the transition started (a slice
    // of duration 0); after the reversal it was pending again until its next return to user.
    const bash = on(t, "Tasks", "bash").filter((e) => "BEX".includes(e.ph));
    expect(bash.map((e) => `${e.ph} ${e.name} ${JSON.stringify(e.args ?? {})}`)).toEqual([
      'X patching lp_fix {"switched":"stack-check","state":1}',
      "B unpatching lp_fix {}",
      'E unpatching lp_fix {"switched":"stack-check","state":0}',
    ]);
    const busy = on(t, "Tasks", "lp_busy").filter((e) => e.ph === "E");
    expect(busy[0]!.args).toEqual({ ended: "reversed" });
    const tr = on(t, "Livepatch transitions", "klp_transition").filter((e) => e.ph === "E");
    expect(tr.map((e) => e.args?.ended)).toEqual(["reversed", "complete"]);
  });

  it("closes what is still open at the end of the run, marked so", async () => {
    const m = await stalled();
    m.klp.shadow.alloc(0x1000, 7, 8);
    m.klp.shadow.alloc(0x2000, 7, 8);
    m.klp.shadow.alloc(0x2000, 8, 8);
    m.klp.shadow.freeAll(7);
    m.sleep(3 * SEC);
    const t = trace(m);
    expect(checkTrace(t)).toEqual([]);
    const ends = t.traceEvents.filter((e) => e.args?.open_at_end === true);
    const kinds = ends.map((e) => `${e.ph} ${e.name}`);
    expect(kinds).toContain("E patching lp_fix"); // the transition and the stalled task
    expect(kinds).toContain("E lp_busy"); // both modules are still loaded
    expect(kinds).toContain("e shadow <0x2000, 8>");
    expect(ends.every((e) => e.ts === 3e6)).toBe(true);
    // Freed at the instant of their alloc: async instants.
    const freed = t.traceEvents.filter((e) => e.ph === "n" && e.args?.freed_by);
    expect(freed.map((e) => e.id)).toEqual(["<0x1000, 7>", "<0x2000, 7>"]);
  });

  it("callbacks are complete slices on their patch's track", async () => {
    const m = await boot();
    const log = () => 0;
    const callbacks = { pre_patch: log, post_patch: () => undefined };
    m.modules.load(
      lpModule("lp_cb", { objs: [{ name: null, funcs: ["cmdline_proc_show"], callbacks }] }),
    );
    m.sleep(2 * SEC);
    const t = trace(m);
    expect(checkTrace(t)).toEqual([]);
    const cbs = on(t, "Livepatch callbacks", "lp_cb");
    expect(cbs.map((e) => `${e.ph} ${e.name} ${e.dur}`)).toEqual([
      "X pre_patch vmlinux 0",
      "X post_patch vmlinux 0",
    ]);
    expect(on(t, "Kernel text (entry sites)", "cmdline_proc_show").length).toBeGreaterThan(0);
  });

  it("per-state callbacks (proposed) and the state's shadow variable, freed with it", async () => {
    const m = await boot({ semantics: "proposed" });
    const states = loggingStates(m, [{ id: 3 }]);
    m.modules.load(lpModule("lp_st", { states }));
    m.sleep(2 * SEC);
    m.vfs.writeFile("/sys/kernel/livepatch/lp_st/enabled", "0\n");
    m.sleep(2 * SEC);
    const t = trace(m);
    expect(checkTrace(t)).toEqual([]);
    const cbs = on(t, "Livepatch callbacks", "lp_st");
    expect(cbs.map((e) => e.name)).toEqual([
      "pre_patch state 3",
      "post_patch state 3",
      "pre_unpatch state 3",
      "post_unpatch state 3",
    ]);
    expect(cbs[3]!.args).toMatchObject({ state: 3, pairs_with: "pre_patch" });
    const shadow = t.traceEvents.filter((e) => e.ph === "b" || e.ph === "e");
    expect(shadow.map((e) => `${e.ph} ${e.id}`)).toEqual(["b <0x0, 3>", "e <0x0, 3>"]);
  });

  it("is the same for the same events, and checkTrace finds broken traces", async () => {
    const m = await stalled();
    m.sleep(2 * SEC);
    expect(JSON.stringify(trace(m))).toBe(JSON.stringify(trace(m)));
    const t = trace(m);
    const i = t.traceEvents.findIndex((e) => e.ph === "B");
    const b = t.traceEvents[i]!;
    t.traceEvents.splice(i + 1, 0, { ...b });
    t.traceEvents.push({ ...b, ph: "e", id: undefined } as unknown as TraceEvent);
    t.traceEvents.push({ ...b, ph: "X", dur: 5, pid: 99 });
    const problems = checkTrace(t).join("\n");
    expect(problems).toContain("begins while");
    expect(problems).toContain("without an id");
    expect(problems).toContain("pid 99 has no process_name");
  });
});
