// stress.ts (bench): the scenario longest_main_thread_task_ms plays: the default scenario's modules
// and script on a machine with 100,000 generated background tasks (two specs with a `count`, the
// schema's total cap), half repeating getpid, half reading /proc/meminfo, each once a virtual
// second, so that every transition the script starts walks and switches 100,000 tasks and the
// task table has 100,000 rows. A last step at 120 s keeps play from stopping (the script's end
// pauses it) before 60 virtual seconds have passed.
import { readFileSync } from "node:fs";
import { encodeLink } from "../../scenarios/link.ts";
import { loadScenario } from "../../scenarios/load.ts";
import { MAX_TASKS, type Scenario, type TaskSpec } from "../../scenarios/schema.ts";

/** Background tasks: the schema's cap on their total. */
export const STRESS_TASKS = MAX_TASKS;
/** Each task's period (ms): 100,000 wake-ups per virtual second in all. */
const EVERY_MS = Number(process.env.KLP_BENCH_STRESS_EVERY_MS ?? 1000);
/** The final step's time: past the 60 virtual seconds measured, whatever the start. */
const LAST_STEP_MS = 120_000;

export function stressScenario(): Scenario {
  const base = JSON.parse(
    readFileSync(new URL("../../scenarios/library/default.json", import.meta.url), "utf8"),
  ) as Scenario;
  const half = STRESS_TASKS / 2;
  // The two actions a user task may repeat, so the log and /proc both see traffic.
  const tasks: TaskSpec[] = [
    { comm: "getpid", every_ms: EVERY_MS, does: { syscall: "getpid" }, count: half },
    { comm: "meminfo", every_ms: EVERY_MS, does: { read: "/proc/meminfo" }, count: half },
  ];
  const { expect: _expect, ...rest } = base; // the default's expected log no longer holds
  const s: Scenario = {
    ...rest,
    title: `Stress: ${STRESS_TASKS} tasks through the callbacks demo`,
    machine: { ...base.machine, tasks },
    script: [...base.script, { at_ms: LAST_STEP_MS, note: "let time pass" }],
  };
  const r = loadScenario(s);
  if (!r.ok) throw new Error(`stress scenario invalid: ${JSON.stringify(r.error)}`);
  return r.value;
}

/** The stress scenario as a link into the workbench at `base`. */
export function stressLink(base: string): string {
  return encodeLink(stressScenario(), {}, base);
}
