// moduleErrors.test.ts: the failures of hostile modules as the engine logs them (a real session in
// Node), read back in words: module, function, kind, the task that Oopsed; a lookalike line of
// a module not in the scenario is not one.
import { describe, expect, it } from "vitest";
import { coreWasm } from "../../cli/node-run.ts";
import type { LogLine } from "../../engine/host/protocol.ts";
import { SessionHost } from "../../engine/host/session.ts";
import { probeScenario, spinScenario } from "../../e2e/hostile-scenarios.ts";
import type { Scenario } from "../../scenarios/schema.ts";
import { SESSION_ENV } from "../engine/sessionEnv.ts";
import { consequence, moduleErrors, whatHappened, whatToDo } from "./moduleErrors.ts";

async function logOf(s: Scenario, toNs: number): Promise<LogLine[]> {
  const host = new SessionHost(coreWasm(), SESSION_ENV);
  const opened = await host.handle({ op: "open", scenario: s });
  if (!opened.ok) throw new Error(opened.error.message);
  const r = await host.handle({ op: "advance", toNs });
  if (!r.ok) throw new Error(r.error.message);
  return [...opened.value.delta.log, ...r.value.delta.log];
}

const names = (s: Scenario) => s.modules.map((m) => m.name);

describe("moduleErrors", () => {
  it("names the module, the function and what went wrong: exceptions and memory", async () => {
    const s = probeScenario();
    const errors = moduleErrors(await logOf(s, 8e9), names(s));
    expect(errors.map((e) => [e.module, e.fn, e.kind, e.task])).toEqual([
      ["lp_h_document", "init", "exception", null],
      ["lp_h_perf", "init", "exception", null],
      ["lp_eat", "init", "oom", null],
    ]);
    expect(whatHappened(errors[0]!)).toBe("it threw ReferenceError: 'document' is not defined");
    expect(whatToDo(errors[0]!)).toMatch(/sees only what it imports from "linux"/);
    expect(whatHappened(errors[2]!)).toMatch(/ran out of memory .*16777216 bytes/);
    expect(consequence(errors[2]!)).toBe("The kernel took init as failed (-ENOMEM).");
  });

  it("endless loops in a task's function Oops the task; one in pre_patch fails the callback", async () => {
    const s = spinScenario(3);
    const log = await logOf(s, 4e9);
    const errors = moduleErrors(log, names(s));
    expect(errors).toHaveLength(3);
    const [sort, spin, pre] = errors;
    expect(sort).toMatchObject({ module: "lp_spin", fn: "sort_forever", kind: "timeout" });
    expect(whatHappened(sort!)).toBe(
      "one call ran too long and was interrupted: it ran past the 5000 ms wall-clock backstop",
    );
    expect(spin).toMatchObject({ module: "lp_spin", fn: "spin", kind: "budget", count: 3 });
    expect(spin!.task).toEqual({ pid: expect.any(Number), comm: "spinner0" });
    expect(consequence(spin!)).toMatch(/^The task running it \(spinner0, PID \d+\) Oopsed/);
    expect(whatHappened(spin!)).toMatch(/endless loop\?\) and was interrupted: it exceeded/);
    expect(pre).toMatchObject({ module: "lp_spin_patch", fn: "pre_patch", kind: "budget" });
    expect(consequence(pre!)).toBe("The kernel took pre_patch as failed (-EINVAL).");
    // The same lines under a name the scenario does not have are some module's own text.
    expect(moduleErrors(log, ["other"])).toEqual([]);
  });
});
