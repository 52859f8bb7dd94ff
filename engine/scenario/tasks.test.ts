// tasks.test.ts: a task spec's `count` (issue 5's 100,000 tasks): the schema's total cap and name
// width, the expansion into numbered tasks, and a boot that starts them in order with their pids.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { coreWasm } from "../../cli/node-run.ts";
import { builtinRunOptions } from "../../modules/scenario-options.ts";
import { loadScenario } from "../../scenarios/load.ts";
import { MAX_TASKS, type Scenario, type TaskSpec } from "../../scenarios/schema.ts";
import { describeError } from "../../scenarios/validate.ts";
import { ScenarioSession } from "./session.ts";
import { expandTasks } from "./tasks.ts";

const base = JSON.parse(
  readFileSync(new URL("../../scenarios/library/default.json", import.meta.url), "utf8"),
) as Scenario;

function withTasks(tasks: TaskSpec[]): unknown {
  const { expect: _e, ...rest } = base;
  return { ...rest, machine: { ...base.machine, tasks } };
}

function problems(v: unknown): string[] {
  const r = loadScenario(v);
  return r.ok ? [] : describeError(r.error);
}

const getpid = { syscall: "getpid" } as const;

describe("a task spec's count", () => {
  it("accepts up to MAX_TASKS in all and refuses one more", () => {
    const half = MAX_TASKS / 2;
    const ok = [
      { comm: "a", every_ms: 1000, does: getpid, count: half },
      { comm: "b", every_ms: 1000, does: getpid, count: half },
    ];
    expect(problems(withTasks(ok))).toEqual([]);
    const over = [...ok, { comm: "c", every_ms: 1000, does: getpid }];
    expect(problems(withTasks(over))).toEqual([
      `machine.tasks: ${MAX_TASKS + 1} background tasks: at most ${MAX_TASKS} in all`,
    ]);
  });

  it("refuses a name that its widest index would push past 15 characters", () => {
    const long = [{ comm: "abcdefghijklmn", every_ms: 1000, does: getpid, count: 11 }];
    expect(problems(withTasks(long))).toEqual([
      "machine.tasks[0].comm: abcdefghijklmn10 is longer than 15 characters",
    ]);
    expect(problems(withTasks([{ ...long[0]!, count: 10 }]))).toEqual([]);
  });

  it("expands into numbered tasks, and leaves a spec without a count as it is", () => {
    const one: TaskSpec = { comm: "solo", every_ms: 5, does: getpid };
    const many: TaskSpec = { comm: "w", every_ms: 7, does: { read: "/proc/meminfo" }, count: 3 };
    expect(expandTasks([one, many])).toEqual([
      one,
      { comm: "w0", every_ms: 7, does: { read: "/proc/meminfo" } },
      { comm: "w1", every_ms: 7, does: { read: "/proc/meminfo" } },
      { comm: "w2", every_ms: 7, does: { read: "/proc/meminfo" } },
    ]);
  });

  it("boots the tasks in order, with consecutive pids", async () => {
    const s = loadScenario(withTasks([{ comm: "w", every_ms: 1000, does: getpid, count: 50 }]));
    if (!s.ok) throw new Error(describeError(s.error).join("; "));
    const r = await ScenarioSession.open(s.value, builtinRunOptions(coreWasm()));
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const ws = r.value.m.tasks.all().filter((t) => /^w\d+$/.test(t.comm));
    expect(ws.map((t) => t.comm)).toEqual(Array.from({ length: 50 }, (_, i) => `w${i}`));
    expect(ws.map((t) => t.pid - ws[0]!.pid)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(r.value.view().taskCount).toBeGreaterThan(50);
  });
});
