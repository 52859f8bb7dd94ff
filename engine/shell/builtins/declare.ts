// declare.ts: bash's declare (typeset) and local with the attributes this shell has: -a (indexed
// array), -A (associative array, listed in bash's hash order: arrays.ts), -x (export), -g
// (global inside a function), -p (print as bash reprints them).
import { AssocArray, declareArray, declareAssoc, declareQuote, IndexedArray } from "../arrays.ts";
import { COMPOUND } from "../expand.ts";
import type { Fds } from "../io.ts";
import type { Builtin, ShellContext } from "../state.ts";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface Flags {
  array: boolean;
  assoc: boolean;
  exported: boolean;
  global: boolean;
  print: boolean;
}

/** declare [-aAgpx] [name[=value]...]. */
export const declare: Builtin = (ctx, argv, fds) => declaration(ctx, argv, fds, "declare");

/** local [-a] [name[=value]...]: like declare, inside a function only. */
export const local: Builtin = (ctx, argv, fds) => {
  if (!ctx.inFunction()) {
    fds.stderr.write("bash: local: can only be used in a function\n");
    return 1;
  }
  return declaration(ctx, argv, fds, "local");
};

function declaration(ctx: ShellContext, argv: string[], fds: Fds, who: string): number {
  const flags: Flags = { array: false, assoc: false, exported: false, global: false, print: false };
  let i = 1;
  for (; i < argv.length && /^[-+]./.test(argv[i]!); i++) {
    const a = argv[i]!;
    if (a === "--") {
      i++;
      break;
    }
    for (const f of a.slice(1)) {
      if (f === "a") flags.array = true;
      else if (f === "x") flags.exported = true;
      else if (f === "g" && who === "declare") flags.global = true;
      else if (f === "p") flags.print = true;
      else if (f === "A") flags.assoc = true;
      else {
        fds.stderr.write(`bash: ${who}: -${f}: invalid option\n`);
        fds.stderr.write(`${who}: usage: ${who} [-aAgpx] [name[=value] ...]\n`);
        return 2;
      }
    }
  }
  const args = argv.slice(i);
  if (flags.print || args.length === 0) return print(ctx, args, fds, who);
  let status = 0;
  for (const a of args) if (!declareOne(ctx, a, flags, fds, who)) status = 1;
  return status;
}

/** One name[=value] or name=(...) argument. @returns false after an error. */
function declareOne(ctx: ShellContext, arg: string, flags: Flags, fds: Fds, who: string): boolean {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(\+?=)?/.exec(arg);
  const name = m?.[1];
  const rest = m && m[2] !== undefined ? arg.slice(m[0].length) : undefined;
  if (!name || (rest === undefined && m![0] !== arg)) {
    fds.stderr.write(`bash: ${who}: \`${arg.replace(COMPOUND, "")}': not a valid identifier\n`);
    return false;
  }
  const st = ctx.state;
  // Inside a function a declaration is local, unless -g (bash).
  if (ctx.inFunction() && !flags.global) st.makeLocal(name);
  if (flags.exported) st.exported.add(name);
  if (flags.assoc && !(st.arrays.get(name) instanceof AssocArray)) {
    if (st.arrays.get(name) instanceof IndexedArray) {
      fds.stderr.write(`bash: ${who}: ${name}: cannot convert indexed to associative array\n`);
      return false;
    }
    // A scalar's value becomes element "0" (bash).
    const a = new AssocArray();
    const v = st.vars.get(name);
    if (v !== undefined) a.set("0", v);
    else a.bare = true;
    st.vars.delete(name);
    st.arrays.set(name, a);
  }
  if (flags.array && !(st.arrays.get(name) instanceof AssocArray)) {
    const arr = st.arrayOf(name);
    if (rest === undefined && arr.items.size === 0) arr.bare = true;
  }
  const compound =
    rest !== undefined &&
    (rest.startsWith(COMPOUND) ||
      ((flags.array || flags.assoc || st.arrays.has(name)) && /^\(.*\)$/s.test(rest)));
  if (compound) {
    const src = `${name}${m![2]}${rest.replace(COMPOUND, "")}`;
    return ctx.evaluate(src, fds) === 0;
  }
  if (rest === undefined) return true;
  const old = m![2] === "+=" ? (st.lookup(name, 0) ?? "") : "";
  st.assign(name, old + rest);
  return true;
}

/** declare -p [name...]: each as a declare command that would recreate it. */
function print(ctx: ShellContext, names: string[], fds: Fds, who: string): number {
  const st = ctx.state;
  const all = names.length === 0;
  if (all) names = [...new Set([...st.vars.keys(), ...st.arrays.keys()])].sort();
  let status = 0;
  for (const n of names) {
    const arr = st.arrays.get(n);
    const v = st.vars.get(n);
    if (!NAME.test(n) || (arr === undefined && v === undefined)) {
      fds.stderr.write(`bash: ${who}: ${n}: not found\n`);
      status = 1;
      continue;
    }
    const kind = arr instanceof AssocArray ? "A" : arr ? "a" : "";
    const attrs = `${kind}${st.exported.has(n) ? "x" : ""}` || "-";
    const shown = arr instanceof AssocArray ? declareAssoc(arr) : arr ? declareArray(arr) : "";
    const value = arr ? (arr.bare ? "" : `=${shown}`) : `=${declareQuote(v!)}`;
    fds.stdout.write(`declare -${attrs} ${n}${value}\n`);
  }
  return status;
}
