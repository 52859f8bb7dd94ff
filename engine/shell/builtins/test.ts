// test.ts: bash's test and [ builtins (builtins/test.def, test.c): POSIX's rules by argument
// count for up to four arguments, then a recursive descent over !, -a, -o and parentheses.
import type { Builtin, ShellContext } from "../state.ts";

class TestError extends Error {}

/** The unary operators of test (and [[). */
export const UNARY: ReadonlySet<string> = new Set([
  "-e",
  "-f",
  "-d",
  "-r",
  "-w",
  "-x",
  "-s",
  "-z",
  "-n",
  "-L",
  "-h",
  "-t",
  "-b",
  "-c",
  "-p",
  "-S",
  "-g",
  "-u",
  "-k",
  "-O",
  "-G",
  "-N",
  "-a",
]);
const BINARY = new Set([
  "=",
  "==",
  "!=",
  "<",
  ">",
  "-eq",
  "-ne",
  "-lt",
  "-le",
  "-gt",
  "-ge",
  "-nt",
  "-ot",
  "-ef",
]);

/** test EXPR / [ EXPR ]: 0 true, 1 false, 2 on a usage error (message on stderr). */
export const test: Builtin = (ctx, argv, fds) => {
  const name = argv[0]!;
  let args = argv.slice(1);
  if (name === "[") {
    if (args[args.length - 1] !== "]") {
      fds.stderr.write("bash: [: missing `]'\n");
      return 2;
    }
    args = args.slice(0, -1);
  }
  try {
    return new Evaluator(ctx, args).run() ? 0 : 1;
  } catch (e) {
    if (!(e instanceof TestError)) throw e;
    fds.stderr.write(`bash: ${name}: ${e.message}\n`);
    return 2;
  }
};

class Evaluator {
  private pos = 0;

  constructor(
    private readonly ctx: ShellContext,
    private readonly args: string[],
  ) {}

  run(): boolean {
    const a = this.args;
    const v = this.byCount(a.length);
    if (v !== null) return v;
    const r = this.or();
    if (this.pos < a.length) throw new TestError(`${a[this.pos]}: binary operator expected`);
    return r;
  }

  /** POSIX's fixed meanings for 0-4 arguments; null means "use the general grammar". */
  private byCount(n: number): boolean | null {
    const a = this.args;
    if (n === 0) return false;
    if (n === 1) return a[0] !== "";
    if (n === 2) {
      if (a[0] === "!") return a[1] === "";
      if (UNARY.has(a[0]!)) return this.unary(a[0]!, a[1]!);
      throw new TestError(`${a[0]}: unary operator expected`);
    }
    if (n === 3) {
      if (BINARY.has(a[1]!)) return this.binary(a[0]!, a[1]!, a[2]!);
      if (a[1] === "-a") return a[0] !== "" && a[2] !== "";
      if (a[1] === "-o") return a[0] !== "" || a[2] !== "";
      if (a[0] === "!") return !this.sub(a.slice(1));
      if (a[0] === "(" && a[2] === ")") return a[1] !== "";
      throw new TestError(`${a[1]}: binary operator expected`);
    }
    if (n === 4) {
      if (a[0] === "!") return !this.sub(a.slice(1));
      if (a[0] === "(" && a[3] === ")") return this.sub(a.slice(1, 3));
    }
    return null;
  }

  private sub(args: string[]): boolean {
    return new Evaluator(this.ctx, args).run();
  }

  private or(): boolean {
    let v = this.and();
    while (this.args[this.pos] === "-o") {
      this.pos++;
      v = this.and() || v;
    }
    return v;
  }

  private and(): boolean {
    let v = this.not();
    while (this.args[this.pos] === "-a") {
      this.pos++;
      v = this.not() && v;
    }
    return v;
  }

  private not(): boolean {
    if (this.args[this.pos] === "!") {
      this.pos++;
      return !this.not();
    }
    return this.primary();
  }

  private primary(): boolean {
    const a = this.args;
    const t = a[this.pos];
    if (t === undefined) throw new TestError("argument expected");
    if (t === "(") {
      this.pos++;
      const v = this.or();
      if (a[this.pos] !== ")") throw new TestError("`)' expected");
      this.pos++;
      return v;
    }
    const op = a[this.pos + 1];
    if (op !== undefined && BINARY.has(op) && a[this.pos + 2] !== undefined) {
      this.pos += 3;
      return this.binary(t, op, a[this.pos - 1]!);
    }
    if (UNARY.has(t) && t !== "-a" && op !== undefined) {
      this.pos += 2;
      return this.unary(t, op);
    }
    this.pos++;
    return t !== "";
  }

  private unary(op: string, arg: string): boolean {
    return unaryTest(this.ctx, op, arg);
  }

  private binary(l: string, op: string, r: string): boolean {
    switch (op) {
      case "=":
      case "==":
        return l === r;
      case "!=":
        return l !== r;
      case "<":
        return l < r;
      case ">":
        return l > r;
      case "-nt":
      case "-ot":
      case "-ef":
        return false; // the VFS keeps no times or inode numbers
    }
    return compareIntegers(op, integer(l), integer(r));
  }
}

/** -eq -ne -lt -le -gt -ge on two integers, for test, [ and [[. */
export function compareIntegers(op: string, a: bigint, b: bigint): boolean {
  if (op === "-eq") return a === b;
  if (op === "-ne") return a !== b;
  if (op === "-lt") return a < b;
  if (op === "-le") return a <= b;
  if (op === "-gt") return a > b;
  return a >= b;
}

function integer(s: string): bigint {
  const t = s.trim();
  if (!/^[-+]?\d+$/.test(t)) throw new TestError(`${s}: integer expression expected`);
  return BigInt(t);
}

/** A unary primary of test, [ and [[ (string or file test); files go through stat(2). */
export function unaryTest(ctx: ShellContext, op: string, arg: string): boolean {
  if (op === "-z") return arg === "";
  if (op === "-n") return arg !== "";
  if (op === "-t") return false; // no terminal behind the playground's descriptors
  const info = ctx.host.stat(ctx.resolve(arg));
  if (typeof info === "number") return false;
  switch (op) {
    case "-e":
    case "-a":
    case "-r":
    case "-w": // root passes read and write permission checks (capable(CAP_DAC_OVERRIDE))
      return true;
    case "-f":
      return info.kind === "file";
    case "-d":
      return info.kind === "dir";
    case "-x":
      return info.kind === "dir" || (info.mode & 0o111) !== 0;
    case "-s":
      return nonEmpty(ctx, arg, info.kind);
    default:
      return false; // no symlinks, devices, fifos or set-id bits in the VFS
  }
}

/** -s: sysfs and procfs files report a size even when empty; the VFS has none, so read it. */
function nonEmpty(ctx: ShellContext, arg: string, kind: "file" | "dir"): boolean {
  if (kind === "dir") return true;
  const text = ctx.host.readFile(ctx.resolve(arg));
  return typeof text === "number" || text.length > 0;
}
