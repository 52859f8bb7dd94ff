// moduleErrors.ts: module code that failed in its sandbox, read from the kernel log the engine
// answered. The engine reports each failure as one line (engine/sandbox/oops.ts): a callback's as
// pr_err "<module>: <function>: <kind>: <message>", a task's as the Oops's first line "BUG: " and
// the same. This turns those lines into words: which module, which function, what went wrong, and
// what to do about it. Only modules of the open scenario count, so a module's own pr_err that
// happens to look alike is the only way to be misread.
import type { LogLine } from "../../engine/host/protocol.ts";

/** The sandbox's failure kinds as the engine's report names them (engine/sandbox/oops.ts). */
const KINDS = {
  "syntax error": "syntax",
  exception: "exception",
  "budget exceeded": "budget",
  "wall-clock backstop": "timeout",
  "out of memory": "oom",
  "sandbox gone": "dead",
} as const;

export type ModuleErrorKind = (typeof KINDS)[keyof typeof KINDS];

export interface ModuleError {
  module: string;
  /** The callback, function or export that was running ("pre_patch", "init", "<module>"). */
  fn: string;
  kind: ModuleErrorKind;
  /** The engine's message (the exception's text, the limit that stopped it). */
  message: string;
  /** A task ran it: it Oopsed and was killed (the Oops's "Comm:" line names it). */
  task: { pid: number; comm: string } | null;
  /** The first log line's event (its moment) and how many times the same failure was logged. */
  event: number;
  count: number;
}

const REPORT = new RegExp(`^(BUG: )?([\\w-]+): (.+?): (${Object.keys(KINDS).join("|")}): (.*)$`);
const OOPS_TASK = /^CPU: \d+ UID: \d+ PID: (\d+) Comm: (\S+)/;
/** pr_err is level 3; an Oops prints at KERN_EMERG (0). */
const ERR_LEVEL = 3;

/** The failures in `log` of the modules named `modules`, one entry per module, function and kind. */
export function moduleErrors(log: readonly LogLine[], modules: readonly string[]): ModuleError[] {
  const known = new Set(modules);
  const out = new Map<string, ModuleError>();
  log.forEach((l, i) => {
    if (l.level > ERR_LEVEL) return;
    const m = REPORT.exec(l.text);
    if (!m || !known.has(m[2]!)) return;
    const kind = KINDS[m[4] as keyof typeof KINDS];
    const key = `${m[2]}\u0000${m[3]}\u0000${kind}`;
    const seen = out.get(key);
    if (seen) {
      seen.count++;
      return;
    }
    out.set(key, {
      module: m[2]!,
      fn: m[3]!,
      kind,
      message: m[5]!,
      task: m[1] ? oopsTask(log, i) : null,
      event: l.event,
      count: 1,
    });
  });
  return [...out.values()];
}

/** The task an Oops names, within the few lines after its BUG line. */
function oopsTask(log: readonly LogLine[], at: number): { pid: number; comm: string } | null {
  for (let j = at + 1; j < Math.min(log.length, at + 4); j++) {
    const m = OOPS_TASK.exec(log[j]!.text);
    if (m) return { pid: Number(m[1]), comm: m[2]! };
  }
  return null;
}

/** What happened, in words. */
export function whatHappened(e: ModuleError): string {
  switch (e.kind) {
    case "exception":
      return `it threw ${e.message}`;
    case "budget":
      return `it ran too long without returning (an endless loop?) and was interrupted: it ${e.message}`;
    case "timeout":
      return `one call ran too long and was interrupted: it ${e.message}`;
    case "oom":
      return `it ran out of memory and was stopped: it ${e.message}`;
    case "syntax":
      return `its source does not compile: ${e.message}`;
    case "dead":
      return `it was called after its module was freed: ${e.message}`;
  }
}

/** What became of it: the task Oopsed, or the callback failed. */
export function consequence(e: ModuleError): string {
  if (e.task)
    return `The task running it (${e.task.comm}, PID ${e.task.pid}) Oopsed and was killed; the kernel is tainted (D).`;
  if (e.fn === "<module>" || e.fn === "<load>" || e.kind === "syntax")
    return "The module did not load.";
  return `The kernel took ${e.fn} as failed (-${e.kind === "oom" ? "ENOMEM" : "EINVAL"}).`;
}

/** What to do. */
export function whatToDo(e: ModuleError): string {
  const where = `Edit module source…, pick ${e.module}, fix ${e.fn === "<module>" ? "its top level" : e.fn}, then Apply and reopen.`;
  switch (e.kind) {
    case "budget":
    case "timeout":
      return `Make it return: a loop needs an end, and a wait is a generator that yields msleep(). ${where}`;
    case "oom":
      return `Allocate less (the sandbox holds 16 MiB), or free what is no longer needed. ${where}`;
    case "exception":
      return /ReferenceError/.test(e.message)
        ? `Module code sees only what it imports from "linux" (no page, network, storage or host clock). ${where}`
        : where;
    default:
      return where;
  }
}
