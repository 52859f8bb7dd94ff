// oops.ts: how the machine reports module code that failed in the sandbox. A callback's failure
// is one pr_err line naming the module, the callback and what went wrong; module code that fails
// while a task runs it is an Oops as the kernel prints one (arch/x86/kernel/dumpstack.c __die,
// show_regs, print_modules; kernel/panic.c oops_end sets TAINT_DIE after the splat), and the task
// dies (make_task_dead), which is TaskKilled thrown through its kernel code.
import { EINVAL, ENOMEM } from "../../core-wasm/bindings/index.ts";
import { LogLevel } from "../log.ts";
import { TaskKilled } from "../machine/kcode.ts";
import type { Machine } from "../machine/machine.ts";
import type { Task } from "../machine/task.ts";
import { modulesLinkedIn, taintString } from "../machine/warn.ts";
import type { SandboxError } from "./sandbox.ts";

const KIND_TEXT: Record<SandboxError["kind"], string> = {
  syntax: "syntax error",
  exception: "exception",
  budget: "budget exceeded",
  timeout: "wall-clock backstop",
  oom: "out of memory",
  dead: "sandbox gone",
};

/** "<callback>: <kind>: <message>", the part of every report after the module name. */
export function describeSandboxError(e: SandboxError): string {
  return `${e.fn}: ${KIND_TEXT[e.kind]}: ${e.message}`;
}

/** pr_err("<module>: <callback>: <kind>: <message>") for a callback that failed. */
export function reportCallbackError(m: Machine, e: SandboxError): void {
  m.printk(LogLevel.Err, `${e.module}: ${describeSandboxError(e)}`);
}

/**
 * The errno a failed callback stands for: -ENOMEM when it ran out of memory, -EINVAL otherwise
 * (the kernel has no errno for "threw"; -EINVAL is what a callback rejecting its input returns).
 */
export function errnoOf(e: SandboxError): number {
  return e.kind === "oom" ? -ENOMEM : -EINVAL;
}

/** sym+off/size [module], as printk's %pS shows a frame. */
function symbolText(m: Machine, fnId: number, module: string | null): string {
  const size = Math.max(1, m.core.text.funcSize(fnId));
  const off = Math.min(0x1c, size - 1);
  const name = m.names.get(fnId) ?? "?";
  return `${name}+0x${off.toString(16)}/0x${size.toString(16)}${module ? ` [${module}]` : ""}`;
}

/** The module a function belongs to (null: vmlinux). */
function moduleOf(m: Machine, fnId: number): string | null {
  for (const mod of m.modules.list()) if (mod.symbols.some((s) => s.id === fnId)) return mod.name;
  return null;
}

/**
 * die(): prints the Oops for task `t` failing in module code, sets TAINT_DIE and throws
 * TaskKilled so the task's kernel code unwinds and the task exits.
 */
export function oops(m: Machine, t: Task, e: SandboxError): never {
  const n = ++m.oopsCount;
  const frames = t.fns.slice().reverse();
  const rip = frames[0];
  const lines = [
    `BUG: ${e.module}: ${describeSandboxError(e)}`,
    `Oops: 0000 [#${n}] PREEMPT SMP NOPTI`,
    `CPU: ${t.cpu} UID: 0 PID: ${t.pid} Comm: ${t.comm} Tainted: ${taintString(m)}6.16.0-klp #1 PREEMPT(voluntary)`,
    ...(rip !== undefined ? [`RIP: 0010:${symbolText(m, rip, moduleOf(m, rip))}`] : []),
    "Call Trace:",
    " <TASK>",
    ...frames.slice(1).map((f) => `  ${symbolText(m, f, moduleOf(m, f))}`),
    " </TASK>",
    `Modules linked in: ${modulesLinkedIn(m)}`,
    "---[ end trace 0000000000000000 ]---",
  ];
  for (const l of lines) m.printk(LogLevel.Emerg, l);
  m.taintedDie = true;
  throw new TaskKilled(t.pid);
}
