// machineForm.ts: the machine form's state and its way back into a scenario, no DOM. Fields are
// held as typed (strings for numbers), and a field that is not a number goes to the validator as
// typed, so that the refusal is the validator's own words next to the field, not the form's guess.
import type { Scenario, TaskSpec } from "../../../scenarios/schema.ts";

export type DoesKind = "getpid" | "read" | "call";

export interface TaskFields {
  comm: string;
  every_ms: string;
  kind: DoesKind;
  /** The /proc or /sys path (read) or the function name (call). */
  target: string;
  /** For call: where from ("" leaves the engine's default, a kthread). */
  from: "" | "kthread" | "user";
}

export interface MachineFields {
  semantics: string;
  arch: string;
  seed: string;
  cpus: string;
  livepatch_debug: boolean;
  tasks: TaskFields[];
}

function taskFields(t: TaskSpec): TaskFields {
  const d = t.does;
  const base = { comm: t.comm, every_ms: String(t.every_ms), target: "", from: "" as const };
  if ("syscall" in d) return { ...base, kind: "getpid" };
  if ("read" in d) return { ...base, kind: "read", target: d.read };
  return { ...base, kind: "call", target: d.call, from: d.from ?? "" };
}

export function machineFields(s: Scenario): MachineFields {
  return {
    semantics: s.semantics,
    arch: s.arch,
    seed: String(s.seed),
    cpus: String(s.machine.cpus),
    livepatch_debug: s.machine.livepatch_debug,
    tasks: s.machine.tasks.map(taskFields),
  };
}

/** A task the "Add a task" button starts from: a user process calling getpid every 100 ms. */
export function newTask(n: number): TaskFields {
  return { comm: `task${n}`, every_ms: "100", kind: "getpid", target: "", from: "" };
}

/** A number as typed, or the text itself when it is not one (the validator says why). */
function num(text: string): number | string {
  const t = text.trim();
  return t !== "" && Number.isFinite(Number(t)) ? Number(t) : text;
}

function does(t: TaskFields): unknown {
  if (t.kind === "getpid") return { syscall: "getpid" };
  if (t.kind === "read") return { read: t.target };
  return t.from ? { call: t.target, from: t.from } : { call: t.target };
}

/**
 * The scenario with the form's machine, seed, semantics and arch; every other machine field (one
 * this form does not know) is kept as it was. Not validated: the engine's open does that.
 */
export function withMachine(s: Scenario, f: MachineFields): unknown {
  return {
    ...s,
    semantics: f.semantics,
    arch: f.arch,
    seed: num(f.seed),
    machine: {
      ...s.machine,
      cpus: num(f.cpus),
      livepatch_debug: f.livepatch_debug,
      tasks: f.tasks.map((t) => ({ comm: t.comm, every_ms: num(t.every_ms), does: does(t) })),
    },
  };
}

/** The messages of the problems at `path` or inside it (`machine.tasks[0]` has `...[0].comm`). */
export function problemsAt(problems: { path: string; message: string }[], path: string): string[] {
  return problems
    .filter(
      (p) => p.path === path || p.path.startsWith(`${path}.`) || p.path.startsWith(`${path}[`),
    )
    .map((p) => p.message);
}

/** The problems no field of the form shows (the open then failed for another reason). */
export function otherProblems(problems: { path: string; message: string }[]): string[] {
  const mine = ["semantics", "arch", "seed", "machine"];
  return problems
    .filter((p) => !mine.some((m) => problemsAt([p], m).length))
    .map((p) => `${p.path}: ${p.message}`);
}
