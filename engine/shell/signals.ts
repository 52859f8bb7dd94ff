// signals.ts: what the shell does with a signal sent to its own pid (bash's trap.c and sig.c): run
// the trapped action, ignore it, or die of it with status 128+n. The machine has no other source
// of signals for the shell's task: the only ones it gets are its own `kill ... $$`.
import { signalKeyOf } from "./builtins/trap.ts";

const SIGKILL = 9;
const SIGSTOP = 19;

/** Signals whose default action is to do nothing: SIGCHLD, SIGCONT, SIGURG, SIGWINCH. */
const IGNORED_BY_DEFAULT: ReadonlySet<number> = new Set([17, 18, 23, 28]);

/**
 * SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU stop the shell; no job control is modelled, so nothing could
 * continue it: the shell goes on as if a SIGCONT had come at once.
 */
const STOPS: ReadonlySet<number> = new Set([SIGSTOP, 20, 21, 22]);

/** What one signal does to the shell. */
export type Disposition =
  | { kind: "none" }
  | { kind: "run"; action: string }
  /** The shell dies; `exitTrap`: bash's handler still runs the EXIT trap (not for SIGKILL). */
  | { kind: "die"; status: number; exitTrap: boolean };

/** Signal `n`'s effect given the shell's traps. SIGKILL and SIGSTOP cannot be caught or ignored. */
export function disposition(traps: ReadonlyMap<string, string>, n: number): Disposition {
  if (n === SIGKILL) return { kind: "die", status: 128 + n, exitTrap: false };
  const action = n === SIGSTOP ? undefined : traps.get(signalKeyOf(n) ?? "");
  if (action === "") return { kind: "none" };
  if (action !== undefined) return { kind: "run", action };
  if (IGNORED_BY_DEFAULT.has(n) || STOPS.has(n)) return { kind: "none" };
  return { kind: "die", status: 128 + n, exitTrap: true };
}
