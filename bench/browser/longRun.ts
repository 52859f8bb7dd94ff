// longRun.ts (bench, e2e): a scenario whose run really makes the engine emit a long event stream:
// 64 background tasks (the schema's cap) sleep uninterruptibly in a function the patch replaces,
// so every retry of the stalled transition (one a virtual second; the fake signal cannot wake
// them) reports each of them blocked; the patch is forced, disabled and removed at the end. The
// stream grows about 66 events a virtual second: `seconds` sets its length.
import { readFileSync } from "node:fs";
import { encodeLink } from "../../scenarios/link.ts";
import { loadScenario } from "../../scenarios/load.ts";
import type { Scenario, TaskSpec } from "../../scenarios/schema.ts";

const TASKS = 64;

export function longRunScenario(seconds: number): Scenario {
  const base = JSON.parse(
    readFileSync(
      new URL("../../scenarios/library/stall-uninterruptible-force.json", import.meta.url),
      "utf8",
    ),
  ) as Scenario;
  const tasks: TaskSpec[] = Array.from({ length: TASKS }, (_, i) => ({
    comm: `sleeper${i}`,
    every_ms: 2000,
    does: { call: "sleeper_wait" },
  }));
  const endMs = 3000 + seconds * 1000;
  const sys = "/sys/kernel/livepatch/klp_sleeper_fix";
  const { expect: _expect, ...rest } = base; // the library's expected log no longer holds
  const s: Scenario = {
    ...rest,
    title: `A long stall: ${TASKS} sleepers hold a transition for ${seconds} s`,
    machine: { ...base.machine, tasks, livepatch_debug: false },
    script: [
      { run: "insmod klp_sleeper.ko interruptible=0" },
      { at_ms: 3000, run: "insmod klp_sleeper_fix.ko", note: "the sleepers stall the patching" },
      { at_ms: endMs, run: `echo 1 > ${sys}/force`, note: "force ends the stall" },
      { at_ms: endMs + 2000, run: `echo 0 > ${sys}/enabled` },
      { at_ms: endMs + 4000, note: "done" },
    ],
  };
  const r = loadScenario(s);
  if (!r.ok) throw new Error(`long-run scenario invalid: ${JSON.stringify(r.error)}`);
  return r.value;
}

/** The scenario as a link into the workbench at `base`, opening paused at `atMs`. */
export function longRunLink(seconds: number, base: string, atMs?: number): string {
  return encodeLink(longRunScenario(seconds), atMs === undefined ? {} : { atMs }, base);
}
