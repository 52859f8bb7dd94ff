import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../scenarios/load.ts";
import { validateScenario } from "../../../scenarios/validate.ts";
import { machineFields, newTask, otherProblems, problemsAt, withMachine } from "./machineForm.ts";

const text = readFileSync(
  new URL("../../../scenarios/library/default.json", import.meta.url),
  "utf8",
);
const loaded = loadScenario(text);
if (!loaded.ok) throw new Error("default scenario invalid");
const base = loaded.value;

describe("machine form", () => {
  it("gives back the scenario it was filled from", () => {
    expect(withMachine(base, machineFields(base))).toEqual(base);
  });

  it("an added task and changed fields reach the scenario, valid", () => {
    const f = machineFields(base);
    const t = {
      ...newTask(1),
      kind: "call" as const,
      target: "busymod_work_func",
      from: "user" as const,
    };
    const s = withMachine(base, { ...f, seed: "7", arch: "arm64", tasks: [t] });
    const v = validateScenario(s);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.value.seed).toBe(7);
    expect(v.value.arch).toBe("arm64");
    expect(v.value.machine.tasks).toEqual([
      { comm: "task1", every_ms: 100, does: { call: "busymod_work_func", from: "user" } },
    ]);
  });

  it("a field that is not a number goes as typed, and the validator's problem lands on it", () => {
    const f = machineFields(base);
    const s = withMachine(base, { ...f, cpus: "two", tasks: [{ ...newTask(1), every_ms: "0" }] });
    const v = validateScenario(s);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    const p = v.error.problems;
    expect(problemsAt(p, "machine.cpus")).toEqual(["the simulated machine has 2 CPUs"]);
    expect(problemsAt(p, "machine.tasks[0].every_ms")).toHaveLength(1);
    expect(problemsAt(p, "machine.tasks[0]")).toHaveLength(1);
    expect(problemsAt(p, "machine.tasks[1]")).toEqual([]);
    expect(otherProblems(p)).toEqual([]);
    expect(otherProblems([{ path: "script[0].run", message: "x" }])).toEqual(["script[0].run: x"]);
  });
});
