// trap.ts: bash's trap builtin (trap.def): set, ignore, reset and list the actions for signals
// and the EXIT, ERR and RETURN pseudo-signals, and the signal names and numbers kill uses too.
// The executor runs the actions (signals.ts). The only signals the shell ever receives are the
// ones it sends itself (`kill -USR1 $$`): nothing else in the machine signals its task.
import type { Builtin } from "../state.ts";

const CLASSIC = [
  "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
  "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
  "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
]; // prettier-ignore

/** x86-64 Linux with glibc: 1-31, then the real-time signals 34-64 (32 and 33 are glibc's). */
function signalName(n: number): string | null {
  if (n >= 1 && n <= 31) return `SIG${CLASSIC[n - 1]}`;
  if (n < 34 || n > 64) return null;
  if (n === 34) return "SIGRTMIN";
  if (n === 64) return "SIGRTMAX";
  return n <= 49 ? `SIGRTMIN+${n - 34}` : `SIGRTMAX-${64 - n}`;
}

const NUMBERS = Array.from({ length: 64 }, (_x, i) => i + 1).filter((n) => signalName(n));

/** Pseudo-signals after the real ones, in the order bash lists them. */
const PSEUDO = ["DEBUG", "ERR", "RETURN"];

/** A signal spec (name with or without SIG, any case, or number) as its key, or null. */
export function signalKey(spec: string): string | null {
  if (/^\d+$/.test(spec)) {
    const n = Number(spec);
    return n === 0 ? "EXIT" : signalName(n);
  }
  const up = spec.toUpperCase();
  if (up === "EXIT" || PSEUDO.includes(up)) return up;
  const name = up.startsWith("SIG") ? up : `SIG${up}`;
  return NUMBERS.some((n) => signalName(n) === name) ? name : null;
}

/** A signal spec as kill takes it (9, KILL, SIGKILL, kill; not EXIT): its number, or null. */
export function signalNumber(spec: string): number | null {
  if (/^\d+$/.test(spec)) return Number(spec) <= 64 ? Number(spec) : null;
  const key = signalKey(spec);
  return NUMBERS.find((n) => signalName(n) === key) ?? null;
}

/** A signal number's trap key ("SIGTERM"), or null. */
export function signalKeyOf(n: number): string | null {
  return signalName(n);
}

/** The listing order: EXIT, the signals by number, then DEBUG, ERR, RETURN. */
const ORDER = ["EXIT", ...NUMBERS.map((n) => signalName(n)!), ...PSEUDO];

const USAGE = "trap: usage: trap [-lp] [[arg] signal_spec ...]\n";

/** sh_single_quote: '...' with each ' written as '\''. */
function quote(s: string): string {
  return `'${s.replace(/'/g, "'\\''")}'`;
}

/** `trap -l` and `kill -l`: "n) SIGNAME", five to a line, tab-separated, as bash prints them. */
export function listSignals(): string {
  let out = "";
  NUMBERS.forEach((n, i) => {
    out += `${String(n).padStart(2)}) ${signalName(n)!}`;
    out += i % 5 === 4 ? "\n" : "\t";
  });
  return NUMBERS.length % 5 === 0 ? out : `${out}\n`;
}

/** trap [-lp] [[action] signal_spec ...]. */
export const trap: Builtin = (ctx, argv, fds) => {
  let args = argv.slice(1);
  let print = false;
  for (; args.length && /^-./.test(args[0]!); args = args.slice(1)) {
    const a = args[0]!;
    if (a === "--") {
      args = args.slice(1);
      break;
    }
    if (a === "-l") {
      fds.stdout.write(listSignals());
      return 0;
    }
    if (a !== "-p") {
      fds.stderr.write(`bash: trap: ${a.slice(0, 2)}: invalid option\n${USAGE}`);
      return 2;
    }
    print = true;
  }
  const traps = ctx.state.traps;
  if (print || args.length === 0) {
    let status = 0;
    const keys = args.length ? args.map((a) => [a, signalKey(a)] as const) : null;
    for (const [spec, key] of keys ?? ORDER.map((k) => [k, k] as const)) {
      if (key === null) {
        fds.stderr.write(`bash: trap: ${spec}: invalid signal specification\n`);
        status = 1;
      } else if (traps.has(key)) fds.stdout.write(`trap -- ${quote(traps.get(key)!)} ${key}\n`);
    }
    return status;
  }
  // One operand that names a signal resets it (POSIX); `-` resets the signals that follow.
  const revert = args[0] === "-" || (args.length === 1 && signalKey(args[0]!) !== null);
  if (args.length === 1 && !revert) {
    fds.stderr.write(USAGE);
    return 2;
  }
  const action = args[0]!;
  const specs = args.length === 1 ? args : args.slice(1);
  let status = 0;
  for (const spec of specs) {
    const key = signalKey(spec);
    if (key === null) {
      fds.stderr.write(`bash: trap: ${spec}: invalid signal specification\n`);
      status = 1;
    } else if (revert) traps.delete(key);
    else traps.set(key, action);
  }
  return status;
};
