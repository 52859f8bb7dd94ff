// vars.ts: bash builtins that change the shell itself: set, shift, local, export, unset, read,
// eval, source, and the control-flow builtins exit, return, break, continue.
import { strerror } from "../../strerror.ts";
import { evalArith } from "../arith.ts";
import { AssocArray, IndexedArray } from "../arrays.ts";
import { COMPOUND } from "../expand.ts";
import { inputOf, readLine, type Fds, type Output } from "../io.ts";
import type { Builtin, ShellContext } from "../state.ts";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** set [-eu] [+eu] [-o errexit|nounset|pipefail] [-- args]: options and positional parameters. */
export const set: Builtin = (ctx, argv, fds) => {
  const args = argv.slice(1);
  if (args.length === 0) {
    const names = [...ctx.state.vars.keys()].sort();
    for (const n of names) fds.stdout.write(`${n}=${quote(ctx.state.vars.get(n)!)}\n`);
    return 0;
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--" || !/^[-+]/.test(a)) {
      ctx.state.positional = args.slice(a === "--" ? i + 1 : i);
      return 0;
    }
    const on = a[0] === "-";
    if (a.slice(1) === "o") {
      const name = args[++i];
      if (name === "errexit") ctx.state.errexit = on;
      else if (name === "nounset") ctx.state.nounset = on;
      else if (name === "pipefail") ctx.state.pipefail = on;
      else if (name === "errtrace") ctx.state.errtrace = on;
      else if (name !== "xtrace") return badOption(fds, name ?? "");
      continue;
    }
    for (const f of a.slice(1)) {
      if (f === "e") ctx.state.errexit = on;
      else if (f === "u") ctx.state.nounset = on;
      else if (f === "E") ctx.state.errtrace = on;
      else if (f !== "x") return badOption(fds, `${a[0]}${f}`);
    }
  }
  return 0;
};

function badOption(fds: Parameters<Builtin>[2], name: string): number {
  fds.stderr.write(`bash: set: ${name}: invalid option\n`);
  return 2;
}

/** How `set` lists a value: quoted only when it needs to be. */
function quote(v: string): string {
  return /^[A-Za-z0-9_./:=+-]*$/.test(v) ? v : `'${v.replace(/'/g, "'\\''")}'`;
}

/** shift [n]: fails (status 1, silently, as bash does by default) when n exceeds $#. */
export const shift: Builtin = (ctx, argv, fds) => {
  const arg = argv[1] ?? "1";
  if (!/^\d+$/.test(arg)) {
    fds.stderr.write(`bash: shift: ${arg}: numeric argument required\n`);
    return 1;
  }
  const n = Number(arg);
  if (n > ctx.state.positional.length) return 1;
  ctx.state.positional = ctx.state.positional.slice(n);
  return 0;
};

/** name[=value]... for export and local. @returns false after printing an error. */
function assignments(
  ctx: ShellContext,
  builtin: string,
  args: string[],
  each: (name: string) => void,
  stderr: Output,
): number {
  let status = 0;
  for (const a of args) {
    const eq = a.indexOf("=");
    const name = eq < 0 ? a : a.slice(0, eq);
    if (!NAME.test(name)) {
      stderr.write(`bash: ${builtin}: \`${a}': not a valid identifier\n`);
      status = 1;
      continue;
    }
    each(name);
    const value = a.slice(eq + 1);
    // export a=(...): the compound assignment declare.ts would do.
    if (eq >= 0 && value.startsWith(COMPOUND)) {
      if (ctx.evaluate(`${name}=${value.slice(1)}`, { stdin: inputOf(""), stdout: stderr, stderr }))
        status = 1;
    } else if (eq >= 0) ctx.state.assign(name, value);
  }
  return status;
}

/** export [-p] name[=value]...: marks names exported (external commands see no environment here). */
export const exportCmd: Builtin = (ctx, argv, fds) => {
  const args = argv.slice(1);
  if (args.length === 0 || args[0] === "-p") {
    for (const n of [...ctx.state.exported].sort()) {
      const v = ctx.state.vars.get(n);
      fds.stdout.write(v === undefined ? `declare -x ${n}\n` : `declare -x ${n}="${v}"\n`);
    }
    return 0;
  }
  return assignments(ctx, "export", args, (n) => ctx.state.exported.add(n), fds.stderr);
};

/** unset [-v|-f] name...: variables (an array's element as 'a[i]'), or functions with -f. */
export const unset: Builtin = (ctx, argv, fds) => {
  let args = argv.slice(1);
  const functions = args[0] === "-f";
  if (args[0] === "-f" || args[0] === "-v") args = args.slice(1);
  let status = 0;
  for (const n of args) {
    const el = /^([A-Za-z_][A-Za-z0-9_]*)\[(.+)\]$/s.exec(n);
    if (functions) ctx.state.functions.delete(n);
    else if (el && !["@", "*"].includes(el[2]!)) status |= unsetElement(ctx, el[1]!, el[2]!, fds);
    else if (el && ctx.state.arrays.has(el[1]!)) {
      // unset 'a[@]' empties the array; it stays declared (bash).
      const fresh = ctx.state.isAssoc(el[1]!) ? new AssocArray() : new IndexedArray();
      ctx.state.arrays.set(el[1]!, fresh);
    } else ctx.state.unsetVar(el ? el[1]! : n);
  }
  return status;
};

/**
 * unset 'a[i]': the subscript is arithmetic (an associative array's key is its text); a scalar's
 * element 0 is the scalar itself.
 */
function unsetElement(ctx: ShellContext, name: string, sub: string, fds: Fds): number {
  const st = ctx.state;
  const assoc = st.arrays.get(name);
  if (assoc instanceof AssocArray) {
    assoc.delete(sub);
    return 0;
  }
  const i = evalArith(sub, {
    get: (n) => st.lookup(n, ctx.host.shellPid),
    set: (n, v) => void st.assign(n, v),
  });
  if (!i.ok) {
    fds.stderr.write(`bash: unset: ${i.error}\n`);
    return 1;
  }
  const arr = assoc;
  if (arr && !arr.delete(Number(i.value))) {
    fds.stderr.write(`bash: unset: [${i.value}]: bad array subscript\n`);
    return 1;
  }
  if (!arr && i.value === 0n) st.unsetVar(name);
  return 0;
}

/** read [-r] [-a array] name...: one line of stdin split on IFS; the last name takes the rest. */
export const read: Builtin = (ctx, argv, fds) => {
  let raw = false;
  let array: string | null = null;
  let i = 1;
  for (; i < argv.length && /^-[ra]+$/.test(argv[i]!); i++) {
    raw ||= argv[i]!.includes("r");
    if (argv[i]!.includes("a")) array = argv[++i] ?? null;
  }
  const names = argv.slice(i);
  if (names.length === 0 && array === null) names.push("REPLY");
  let line = readLine(fds.stdin);
  if (line === null) {
    for (const n of names) ctx.state.vars.set(n, "");
    if (array !== null) ctx.state.arrays.set(array, new IndexedArray());
    return 1;
  }
  if (!raw) line = line.replace(/\\(.)/g, "$1");
  const ifs = ctx.state.vars.get("IFS") ?? " \t\n";
  const isIfs = (c: string) => ifs.includes(c);
  let rest = trimChars(line, isIfs);
  // Only IFS whitespace is trimmed from the ends: a leading `,` with IFS=, makes an empty field.
  const isWs = (c: string) => isIfs(c) && " \t\n".includes(c);
  if (array !== null) return readArray(ctx, array, trimChars(line, isWs), ifs);
  names.forEach((n, i) => {
    if (i === names.length - 1) {
      ctx.state.vars.set(n, rest);
      return;
    }
    let end = 0;
    while (end < rest.length && !isIfs(rest[end]!)) end++;
    ctx.state.vars.set(n, rest.slice(0, end));
    rest = trimChars(rest.slice(end), isIfs);
  });
  return 0;
};

/**
 * read -a name: every field of the line, from index 0, split as words are: a run of IFS
 * whitespace is one delimiter, each other IFS character is one (so `a,,b` has an empty field),
 * and one at the very end ends the last field.
 */
function readArray(ctx: ShellContext, name: string, line: string, ifs: string) {
  const arr = new IndexedArray();
  const ws = [...ifs]
    .filter((c) => " \t\n".includes(c))
    .map(esc)
    .join("");
  const nw = [...ifs]
    .filter((c) => !" \t\n".includes(c))
    .map(esc)
    .join("");
  const parts = [ws ? `[${ws}]*` : "", nw ? `[${nw}]` : "", ws ? `[${ws}]*` : ""].join("");
  const delim = new RegExp(nw ? (ws ? `${parts}|[${ws}]+` : parts) : ws ? `[${ws}]+` : "(?!)");
  const pieces = line === "" ? [] : line.split(delim);
  if (nw && pieces.length > 1 && pieces[pieces.length - 1] === "") pieces.pop();
  for (const p of pieces) arr.push(p);
  ctx.state.vars.delete(name);
  ctx.state.arrays.set(name, arr);
  return 0;
}

function esc(c: string): string {
  return c.replace(/[\\\]^-]/g, "\\$&");
}

function trimChars(s: string, drop: (c: string) => boolean): string {
  let a = 0;
  let b = s.length;
  while (a < b && drop(s[a]!)) a++;
  while (b > a && drop(s[b - 1]!)) b--;
  return s.slice(a, b);
}

/** A status operand for exit/return: bash keeps the low 8 bits. */
function statusArg(
  ctx: ShellContext,
  name: string,
  arg: string | undefined,
  fds: Parameters<Builtin>[2],
): number {
  if (arg === undefined) return ctx.state.status;
  if (!/^-?\d+$/.test(arg)) {
    fds.stderr.write(`bash: ${name}: ${arg}: numeric argument required\n`);
    return 2;
  }
  return Number(arg) & 255;
}

/** exit [n]: ends the shell (or the subshell it runs in). */
export const exit: Builtin = (ctx, argv, fds) => {
  const status = statusArg(ctx, "exit", argv[1], fds);
  ctx.setFlow({ kind: "exit", status, count: 0 });
  return status;
};

/** return [n]: ends the current function. */
export const returnCmd: Builtin = (ctx, argv, fds) => {
  if (!ctx.inFunction()) {
    fds.stderr.write("bash: return: can only `return' from a function or sourced script\n");
    return 2;
  }
  const before = ctx.state.status;
  const status = statusArg(ctx, "return", argv[1], fds);
  ctx.setFlow({ kind: "return", status, count: 0, before });
  return status;
};

/** break [n] / continue [n]: leave or restart the n-th enclosing loop. */
export const loopControl: Builtin = (ctx, argv, fds) => {
  const kind = argv[0] === "break" ? "break" : "continue";
  const arg = argv[1] ?? "1";
  if (!/^\d+$/.test(arg) || Number(arg) < 1) {
    fds.stderr.write(`bash: ${kind}: ${arg}: loop count out of range\n`);
    return 1;
  }
  if (ctx.state.loopDepth === 0) return 0; // bash: only meaningful in a loop; silently ignored
  ctx.setFlow({ kind, status: 0, count: Math.min(Number(arg), ctx.state.loopDepth) });
  return 0;
};

/** eval [arg...]: the arguments joined by spaces, parsed and run in the current shell. */
export const evalCmd: Builtin = (ctx, argv, fds) => {
  const src = argv.slice(1).join(" ");
  return src.trim() === "" ? 0 : ctx.evaluate(src, fds);
};

/** . file / source file [args]: runs the file's text in the current shell. */
export const source: Builtin = (ctx, argv, fds) => {
  const file = argv[1];
  if (file === undefined) {
    fds.stderr.write(`bash: ${argv[0]}: filename argument required\n`);
    return 2;
  }
  const text = ctx.host.readFile(ctx.resolve(file));
  if (typeof text === "number") {
    fds.stderr.write(`bash: ${file}: ${strerror(text)}\n`);
    return 1;
  }
  const saved = ctx.state.positional;
  if (argv.length > 2) ctx.state.positional = argv.slice(2);
  const status = ctx.evaluate(text, fds);
  if (argv.length > 2) ctx.state.positional = saved;
  // The RETURN trap runs as a sourced file ends (functions set their caller's aside: executor.ts).
  ctx.runTrap("RETURN", fds);
  return status;
};
