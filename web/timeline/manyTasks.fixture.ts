// manyTasks.fixture.ts (tests only): an engine run of the default scenario on a machine with
// `count` extra tasks repeating getpid, for the tests of the many-task timeline.
import { libraryFiles } from "../../cli/library-files.ts";
import { runInNode } from "../../cli/node-run.ts";
import type { EngineEvent } from "../../engine/events.ts";
import { loadScenario } from "../../scenarios/load.ts";
import type { Scenario } from "../../scenarios/schema.ts";

/** The default scenario on a machine with `count` extra getpid tasks. */
export function manyTaskScenario(count: number, everyMs = 100): Scenario {
  const base = JSON.parse(
    libraryFiles().find((f) => f.file === "library/default.json")!.text,
  ) as Scenario;
  const { expect: _expect, ...rest } = base;
  const s = loadScenario({
    ...rest,
    title: `The callbacks demo with ${count} more tasks`,
    machine: {
      ...base.machine,
      tasks: [{ comm: "getpid", every_ms: everyMs, does: { syscall: "getpid" }, count }],
    },
  });
  if (!s.ok) throw new Error(JSON.stringify(s.error));
  return s.value;
}

export async function manyTaskRun(count: number, everyMs = 100): Promise<readonly EngineEvent[]> {
  const r = await runInNode(manyTaskScenario(count, everyMs));
  if (!r.ok) throw new Error("run failed");
  return r.value.events;
}
