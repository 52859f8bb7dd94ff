// proc.ts: commands about processes and time: true/false/:, sleep, wait, kill (bash's builtin),
// getconf, seq.
import { strerror } from "../../strerror.ts";
import type { Builtin } from "../state.ts";
import { listSignals, signalKeyOf, signalNumber } from "./trap.ts";

export const trueCmd: Builtin = () => 0;
export const falseCmd: Builtin = () => 1;

const SLEEP_UNITS: Readonly<Record<string, number>> = { "": 1, s: 1, m: 60, h: 3600, d: 86400 };

/** sleep NUMBER[smhd]...: the operands add up; virtual time advances by that many ns. */
export const sleep: Builtin = (ctx, argv, fds) => {
  const args = argv.slice(1);
  if (args.length === 0) {
    fds.stderr.write(
      `${argv[0]}: missing operand\nTry '${argv[0]} --help' for more information.\n`,
    );
    return 1;
  }
  let seconds = 0;
  for (const a of args) {
    const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(a);
    if (!m) {
      fds.stderr.write(
        `${argv[0]}: invalid time interval '${a}'\nTry '${argv[0]} --help' for more information.\n`,
      );
      return 1;
    }
    seconds += Number(m[1]) * SLEEP_UNITS[m[2]!]!;
  }
  ctx.host.sleep(Math.round(seconds * 1e9));
  return 0;
};

/** wait [pid...]: no operand waits for every child and returns 0; else the last pid's status. */
export const wait: Builtin = (ctx, argv, fds) => {
  const pids = argv.slice(1);
  if (pids.length === 0) {
    for (const pid of ctx.state.children) ctx.host.wait(pid);
    ctx.state.children = [];
    return 0;
  }
  let status = 0;
  for (const p of pids) {
    if (!/^\d+$/.test(p)) {
      fds.stderr.write(`bash: wait: \`${p}': not a pid or valid job spec\n`);
      status = 2;
      continue;
    }
    const r = ctx.host.wait(Number(p));
    if (r === null) {
      fds.stderr.write(`bash: wait: pid ${p} is not a child of this shell\n`);
      status = 127;
    } else status = r;
    ctx.state.children = ctx.state.children.filter((c) => c !== Number(p));
  }
  return status;
};

const KILL_USAGE =
  "bash: kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n";

/**
 * kill [-s SIG | -SIG] pid...: bash's builtin, so its messages start with "bash: kill:". Signals
 * to other pids go to the machine's tasks; to $$, to the shell itself.
 */
export const kill: Builtin = (ctx, argv, fds) => {
  let args = argv.slice(1);
  let signal = 15;
  const first = args[0];
  if (first === "-l" || first === "-L") return listKill(args.slice(1), fds);
  if (first === "-s" || first === "-n") {
    const n = signalNumber(args[1] ?? "");
    if (n === null) return badSignal(args[1] ?? "", fds.stderr);
    signal = n;
    args = args.slice(2);
  } else if (first !== undefined && /^-./.test(first) && first !== "--") {
    const n = signalNumber(first.slice(1));
    if (n === null) return badSignal(first.slice(1), fds.stderr);
    signal = n;
    args = args.slice(1);
  } else if (first === "--") args = args.slice(1);
  if (args.length === 0) {
    fds.stderr.write(KILL_USAGE);
    return 2;
  }
  let status = 0;
  for (const p of args) {
    if (!/^-?\d+$/.test(p)) {
      fds.stderr.write(`bash: kill: ${p}: arguments must be process or job IDs\n`);
      status = 1;
      continue;
    }
    // The shell's own pid: the shell takes the signal itself, after this command (signals.ts).
    if (Number(p) === ctx.host.shellPid) {
      const pending = ctx.state.signals.pending;
      // A standard signal already pending is not pending twice; real-time ones (34+) queue.
      if (signal !== 0 && (signal >= 34 || !pending.includes(signal))) pending.push(signal);
      continue;
    }
    const rc = ctx.host.kill(Number(p), signal);
    if (rc < 0) {
      fds.stderr.write(`bash: kill: (${p}) - ${strerror(rc)}\n`);
      status = 1;
    }
  }
  return status;
};

/** kill -l [sig...]: every signal, or each number's name (an exit status 128+n too) and each name's number. */
function listKill(specs: string[], fds: Parameters<Builtin>[2]): number {
  if (specs.length === 0) {
    fds.stdout.write(listSignals());
    return 0;
  }
  let status = 0;
  for (const spec of specs) {
    const asStatus = /^\d+$/.test(spec) && Number(spec) > 128 ? String(Number(spec) - 128) : spec;
    const n = signalNumber(asStatus);
    if (n === null || n === 0) {
      status = badSignal(spec, fds.stderr);
      continue;
    }
    const name = signalKeyOf(n)!.replace(/^SIG/, "");
    fds.stdout.write(/^\d+$/.test(spec) ? `${name}\n` : `${n}\n`);
  }
  return status;
}

function badSignal(spec: string, stderr: { write(t: string): void }): number {
  stderr.write(`bash: kill: ${spec}: invalid signal specification\n`);
  return 1;
}

/**
 * getconf NAME: CLK_TCK is USER_HZ (100, whatever CONFIG_HZ is); pages are 4 KiB; the machine
 * has 2 CPUs online (the ShellHost does not say, so the playground's default is used).
 */
export const getconf: Builtin = (_ctx, argv, fds) => {
  const name = argv[1];
  const values: Readonly<Record<string, number>> = {
    CLK_TCK: 100,
    PAGESIZE: 4096,
    PAGE_SIZE: 4096,
    _NPROCESSORS_ONLN: 2,
    _NPROCESSORS_CONF: 2,
  };
  if (name === undefined) {
    fds.stderr.write("Usage: getconf [-v SPEC] VAR\n  or:  getconf [-v SPEC] PATH_VAR PATH\n");
    return 1;
  }
  const v = values[name];
  if (v === undefined) {
    fds.stderr.write(`getconf: Unrecognized variable \`${name}'\n`);
    return 1;
  }
  fds.stdout.write(`${v}\n`);
  return 0;
};

/** seq [FIRST [INCREMENT]] LAST: integers or decimals, printed with the operands' precision. */
export const seq: Builtin = (_ctx, argv, fds) => {
  const args = argv.slice(1);
  const me = argv[0]!;
  const help = `Try '${me} --help' for more information.\n`;
  if (args.length === 0 || args.length > 3) {
    const msg = args.length ? `${me}: extra operand '${args[3]}'\n` : `${me}: missing operand\n`;
    fds.stderr.write(msg + help);
    return 1;
  }
  for (const a of args) {
    if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(a)) {
      fds.stderr.write(`${me}: invalid floating point argument: '${a}'\n${help}`);
      return 1;
    }
  }
  const nums = args.map(Number);
  const [first, step, last] =
    nums.length === 1
      ? [1, 1, nums[0]!]
      : nums.length === 2
        ? [nums[0]!, 1, nums[1]!]
        : (nums as [number, number, number]);
  if (step === 0) {
    fds.stderr.write(`${me}: invalid Zero increment value: '${args[1]}'\n${help}`);
    return 1;
  }
  // GNU seq prints with the precision of FIRST and INCREMENT (LAST only bounds).
  const decimals = Math.max(...args.slice(0, args.length - 1).map(fraction), 0);
  let out = "";
  for (let i = 0; ; i++) {
    const v = first + i * step;
    if (step > 0 ? v > last + 1e-9 : v < last - 1e-9) break;
    out += `${v.toFixed(decimals)}\n`;
  }
  fds.stdout.write(out);
  return 0;
};

function fraction(a: string): number {
  const dot = a.indexOf(".");
  return dot < 0 ? 0 : a.length - dot - 1;
}
