// stress.ts (bench): the scenario longest_main_thread_task_ms plays. The issue asks for 100,000
// tasks, but the schema caps machine.tasks at 64 (scenarios/schema.ts), so this is the largest a
// scenario may ask for: 64 background tasks at the shortest period the schema allows (1 ms), on
// top of the default scenario's modules and script, with a last step at 120 s so that play does not
// stop (the script's end pauses it) before 60 virtual seconds have passed.
import { readFileSync } from "node:fs";
import { encodeLink } from "../../scenarios/link.ts";
import { loadScenario } from "../../scenarios/load.ts";
import type { Scenario, TaskSpec } from "../../scenarios/schema.ts";

/** The schema's cap on machine.tasks (a larger array is refused by the validator). */
export const STRESS_TASKS = 64;
/** The final step's time: past the 60 virtual seconds measured, whatever the start. */
const LAST_STEP_MS = 120_000;

export function stressScenario(): Scenario {
  const base = JSON.parse(
    readFileSync(new URL("../../scenarios/library/default.json", import.meta.url), "utf8"),
  ) as Scenario;
  // Alternate the two actions a user task may repeat, so the log and /proc both see traffic.
  const tasks: TaskSpec[] = Array.from({ length: STRESS_TASKS }, (_, i) => ({
    comm: `stress${i}`,
    every_ms: 1,
    does: i % 2 ? { read: "/proc/meminfo" } : { syscall: "getpid" },
  }));
  const { expect: _expect, ...rest } = base; // the default's expected log no longer holds
  const s: Scenario = {
    ...rest,
    title: `Stress: ${STRESS_TASKS} tasks every millisecond through the callbacks demo`,
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
