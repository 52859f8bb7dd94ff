// expand.ts: POSIX word expansion (bash's expand_word_list): parameter expansion, command
// substitution, arithmetic, field splitting of unquoted results on IFS, a `*`/`?` glob in the last path
// component, and quote removal. Empty unquoted expansions vanish; "" stays an empty field.
import { err, ok, type Result } from "../result.ts";
import { evalArith } from "./arith.ts";
import { paramOp, type ReplacementPiece } from "./param.ts";
import { hasExtglob, patternRegex, quotedChars, unquoted, type PatternChar } from "./glob.ts";
import { substring } from "./substr.ts";
import type { ParamOp, Program, Word, WordPart } from "./ast.ts";
import { subscriptedItem } from "./subscript.ts";

/** What expansion needs from the shell. */
export interface ExpandEnv {
  /** A variable or special parameter ($?, $!, $$, $#, $0-$9, names); undefined when unset. */
  lookup(name: string): string | undefined;
  /** $1... for "$@" and "$*". */
  positional(): readonly string[];
  /**
   * An array's elements in index order (an associative array's in bash's hash order, by key): a
   * scalar is one element at 0, an unset name none.
   */
  elements(name: string): readonly (readonly [number | string, string])[];
  /** Whether `name` is an associative array: its subscripts are strings, not arithmetic. */
  isAssoc(name: string): boolean;
  /** Prints a warning after "bash: " and goes on (bash's internal_error). */
  warn(message: string): void;
  /** Runs `program` in a subshell; its stdout with trailing newlines removed. */
  substitute(program: Program): string;
  /**
   * <(program): runs it in a subshell. @returns the /dev/fd path its output is read from.
   * >(program) (`output`): the path to write to; the program reads it once the command ends.
   */
  procsub(program: Program, output: boolean): string;
  /** Lists a directory (path as the user wrote it, relative to the cwd); null on error. */
  listDir(path: string): readonly string[] | null;
  /** Sets a variable, or an element as `name[i]` (arithmetic assignments and ++/--). */
  assign(name: string, value: string): void;
  /** `set -u`: an unset variable is an error. */
  readonly nounset: boolean;
  /** shopt -s extglob: @(...) and the other groups in patterns and pathname expansion. */
  readonly extglob: boolean;
  /** shopt -s nullglob: a pathname pattern that matches nothing expands to nothing. */
  readonly nullglob: boolean;
}

/** A field being built: its text and, for globbing, its characters marked quoted or not. */
interface Field {
  text: string;
  chars: PatternChar[];
  /** An unquoted `*`, `?` or bracket expression: pathname expansion applies. */
  wild: boolean;
}

const DEFAULT_IFS = " \t\n";

const UNBOUND = ": unbound variable";

/** Builtins whose `name=value` arguments are assignments: bash neither splits nor globs them. */
const DECLARATION_BUILTINS = new Set(["local", "export", "readonly", "declare", "typeset"]);

/** Expands command words into fields. @returns the fields or the error to print after "bash: ". */
export function expandWords(words: readonly Word[], env: ExpandEnv): Result<string[], string> {
  const out: string[] = [];
  let declaration = false;
  for (const [i, w] of words.entries()) {
    if (declaration && isAssignmentWord(w)) {
      const r = expandString(w, env);
      if (!r.ok) return r;
      out.push(r.value);
      continue;
    }
    const r = expandWord(w, env);
    if (!r.ok) return r;
    out.push(...r.value);
    if (i === 0) declaration = r.value.length === 1 && DECLARATION_BUILTINS.has(r.value[0]!);
  }
  return ok(out);
}

/** `name=...` with the name unquoted, as an assignment argument is written. */
function isAssignmentWord(w: Word): boolean {
  const first = w.parts[0];
  return first?.kind === "lit" && !first.quoted && /^[A-Za-z_][A-Za-z0-9_]*=/.test(first.text);
}

/** Expands one word into zero or more fields (splitting, globbing, quote removal). */
export function expandWord(word: Word, env: ExpandEnv): Result<string[], string> {
  word = tilde(word, env);
  const b = new FieldBuilder(ifsOf(env));
  // "$@" (or "${a[@]}") with no parameters is no field at all, even though the quotes are there.
  const noParams = word.parts.some(
    (p) => p.kind === "var" && p.quoted && listKind(p) === "@" && listItems(p, env).length === 0,
  );
  for (const part of word.parts) {
    if (noParams && part.kind === "lit" && part.text === "") continue;
    const r = expandPart(part, env, b);
    if (!r.ok) return r;
  }
  const fields = b.finish();
  const out: string[] = [];
  for (const f of fields) out.push(...glob(f, env));
  return ok(out);
}

/** Expands a word to one string without splitting or globbing (assignments, redirect targets). */
export function expandString(word: Word, env: ExpandEnv): Result<string, string> {
  let s = "";
  for (const part of tilde(word, env).parts) {
    if (part.kind === "lit") s += part.text;
    else if (part.kind === "cmdsub") s += env.substitute(part.program);
    else if (part.kind === "procsub") s += env.procsub(part.program, part.output === true);
    else if (part.kind === "array") {
      const v = arrayText(part.items, env);
      if (!v.ok) return v;
      s += v.value;
    } else if (part.kind === "arith") {
      const v = arith(part.expr, env);
      if (!v.ok) return v;
      s += v.value;
    } else {
      const v = param(part, env);
      if (!v.ok) return v;
      s += v.value;
    }
  }
  return ok(s);
}

/** Tilde expansion: an unquoted leading `~` alone or before `/` is $HOME (quoted: no splitting). */
function tilde(word: Word, env: ExpandEnv): Word {
  const [first, ...rest] = word.parts;
  if (first?.kind !== "lit" || first.quoted || !/^~(\/|$)/.test(first.text)) return word;
  const home: WordPart = { kind: "lit", text: env.lookup("HOME") ?? "/root", quoted: true };
  const tail: WordPart[] = first.text.length > 1 ? [{ ...first, text: first.text.slice(1) }] : [];
  return { parts: [home, ...tail, ...rest] };
}

/** $((expr)): parameters in the text expand first, then the arithmetic (bash's expand_arith). */
export function arith(expr: string, env: ExpandEnv): Result<string, string> {
  let failed: string | null = null;
  const text = expr.replace(/\$(?:\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*|[?!$#0-9]))/g, (_m, a, b) => {
    const v = value((a ?? b) as string, env);
    if (!v.ok) failed ??= v.error;
    return v.ok ? v.value : "";
  });
  if (failed !== null) return err(failed);
  const r = evalArith(text, {
    get: (n) => env.lookup(n),
    set: (n, v) => env.assign(n, v),
    isAssoc: (n) => env.isAssoc(n),
  });
  return r.ok ? ok(String(r.value)) : r;
}

function ifsOf(env: ExpandEnv): string {
  return env.lookup("IFS") ?? DEFAULT_IFS;
}

/** A parameter expansion, plain or with a ${name<op>word} operator. */
function param(part: VarPart, env: ExpandEnv): Result<string, string> {
  if (part.op === "bad") return err(`${part.name}: bad substitution`);
  const list = listKind(part);
  if (!part.op) return list ? ok(listItems(part, env).join(" ")) : scalar(part, env);
  const withOp = { ...part, op: part.op };
  // ${#@}, ${#*} and ${#a[@]} count the parameters or elements.
  if (part.op === "length" && list) return ok(String(listItems(part, env).length));
  const key = list ? null : scalarKey(part, env);
  if (key && !key.ok) return key;
  const cur = key ? env.lookup(key.value) : undefined;
  const unset = key && !DEFAULTING.has(part.op) && cur === undefined;
  if (unset && env.nounset && !/^[?!$#0-9]$/.test(part.name)) return err(`${key.value}${UNBOUND}`);
  if (part.op === "substr" && !list) {
    const chars = substrOf(withOp, [...(cur ?? "")], false, env);
    return chars.ok ? ok(chars.value.join("")) : chars;
  }
  const each = perParam(withOp, env);
  if (each) return each.ok ? ok(each.value.join(" ")) : each;
  return paramOpOf(withOp, env, undefined, key?.value);
}

type VarPart = Extract<WordPart, { kind: "var" }>;

/** "@" or "*" when the part stands for a list ($@, $*, ${a[@]}, ${a[*]}, ${!a[@]}), else null. */
function listKind(part: VarPart): "@" | "*" | null {
  if (part.subscript === "@" || part.subscript === "*") return part.subscript;
  if (part.subscript || part.indirect) return null;
  return part.name === "@" || part.name === "*" ? part.name : null;
}

/** The list a list part stands for: the positional parameters, an array's values or indices. */
function listItems(part: VarPart, env: ExpandEnv): string[] {
  if (!part.subscript) return [...env.positional()];
  const els = env.elements(part.name);
  return els.map(([i, v]) => (part.keys ? String(i) : v));
}

/**
 * The name a scalar part reads, as env.lookup takes it: the name, `name[i]` for an element (its
 * subscript expanded and evaluated), or for ${!name} the name that name's value holds.
 */
function scalarKey(part: VarPart, env: ExpandEnv): Result<string, string> {
  if (part.indirect) {
    const target = env.lookup(part.name) ?? "";
    if (!/^([A-Za-z_][A-Za-z0-9_]*|[?!$#@*0-9])(\[-?\d+\])?$/.test(target))
      return err(`${target}: invalid indirect expansion`);
    return ok(target);
  }
  if (!part.subscript || typeof part.subscript === "string") return ok(part.name);
  if (env.isAssoc(part.name)) {
    const key = expandString(part.subscript, env);
    return key.ok ? ok(`${part.name}[${key.value}]`) : key;
  }
  const i = subscriptValue(part.subscript, env);
  if (!i.ok) return i;
  // Too far back from the end: bash says so and expands to nothing.
  if (i.value < 0n) {
    const els = env.elements(part.name);
    const last = els[els.length - 1]?.[0];
    if (BigInt(typeof last === "number" ? last : -1) + 1n + i.value < 0n)
      env.warn(`${part.name}: bad array subscript`);
  }
  return ok(`${part.name}[${i.value}]`);
}

/** An array subscript: expanded, then arithmetic (bash's array_expand_index). */
export function subscriptValue(w: Word, env: ExpandEnv): Result<bigint, string> {
  const text = expandString(w, env);
  if (!text.ok) return text;
  return evalArith(text.value, { get: (n) => env.lookup(n), set: (n, x) => env.assign(n, x) });
}

function scalar(part: VarPart, env: ExpandEnv): Result<string, string> {
  const key = scalarKey(part, env);
  return key.ok ? value(key.value, env) : key;
}

/**
 * name=(items) handed to a declaration builtin: the items expanded (split and globbed, `[i]=v` not)
 * and quoted again, after a NUL that marks the text as a compound assignment (no value can hold
 * a NUL), for the builtin to assign (declare.ts).
 */
function arrayText(items: readonly Word[], env: ExpandEnv): Result<string, string> {
  const out: string[] = [];
  for (const w of items) {
    const sub = subscriptedItem(w);
    if (sub) {
      // The subscript stays text: the builtin decides whether it is arithmetic (declare -A).
      const i = expandString(sub.index, env);
      if (!i.ok) return i;
      const v = expandString(sub.value, env);
      if (!v.ok) return v;
      out.push(`[${shellQuote(i.value)}]${sub.append ? "+" : ""}=${shellQuote(v.value)}`);
      continue;
    }
    const fields = expandWord(w, env);
    if (!fields.ok) return fields;
    out.push(...fields.value.map(shellQuote));
  }
  return ok(`${COMPOUND}(${out.join(" ")})`);
}

/** Marks an argument as name=(...) written as such (see arrayText). */
export const COMPOUND = "\0";

function shellQuote(v: string): string {
  return `'${v.replace(/'/g, "'\\''")}'`;
}

/** A ${name<op>...} expansion. */
type OpPart = Extract<WordPart, { kind: "var" }> & { op: ParamOp };

/** Removal, substitution and case changes on $@ / $* apply to every positional parameter (bash). */
const PER_PARAM = new Set(["#", "##", "%", "%%", "/", "//", "/#", "/%", "^", "^^", ",", ",,"]);

/** The operators that test for an unset parameter rather than fail on one under `set -u`. */
const DEFAULTING: ReadonlySet<ParamOp> = new Set(["-", ":-", "=", ":=", "+", ":+", "?", ":?"]);

/** ${name:offset[:length]} on `items`: the bounds are arithmetic, an error names the parameter. */
function substrOf(
  part: OpPart,
  items: readonly string[],
  list: boolean,
  env: ExpandEnv,
): Result<string[], string> {
  const offset = arithWord(part.name, part.offset ?? { parts: [] }, env);
  if (!offset.ok) return offset;
  const length = part.length === undefined ? undefined : arithWord(part.name, part.length, env);
  if (length && !length.ok) return length;
  const bounds = { offset: offset.value, length: length?.value, lengthText: part.lengthText };
  return substring(items, bounds, list);
}

/**
 * A bound of ${name:...}: expanded (parameters, substitutions), then evaluated; an arithmetic
 * error names the parameter ("v: 1a: value too great for base").
 */
function arithWord(name: string, w: Word, env: ExpandEnv): Result<bigint, string> {
  const text = expandString(w, env);
  if (!text.ok) return text;
  const v = evalArith(text.value, { get: (n) => env.lookup(n), set: (n, x) => env.assign(n, x) });
  return v.ok ? v : err(`${name}: ${v.error}`);
}

/** ${@op...} / ${*op...}: each parameter's result, or null for other expansions. */
function perParam(part: OpPart, env: ExpandEnv): Result<string[], string> | null {
  if (!listKind(part)) return null;
  if (part.op === "substr" && part.subscript) return arraySlice(part, env);
  // ${@:offset:length} counts from $0, which ${@:0} includes.
  if (part.op === "substr")
    return substrOf(part, [env.lookup("0") ?? "", ...env.positional()], true, env);
  if (!PER_PARAM.has(part.op)) return null;
  const out: string[] = [];
  for (const p of listItems(part, env)) {
    const r = paramOpOf(part, env, p);
    if (!r.ok) return r;
    out.push(r.value);
  }
  return ok(out);
}

/**
 * ${a[@]:offset:length}: the elements from the first index at or past offset (a negative one
 * counts back from the highest index plus one), `length` of them.
 */
function arraySlice(part: OpPart, env: ExpandEnv): Result<string[], string> {
  const offset = arithWord(part.name, part.offset ?? { parts: [] }, env);
  if (!offset.ok) return offset;
  const length = part.length === undefined ? undefined : arithWord(part.name, part.length, env);
  if (length && !length.ok) return length;
  // An associative array's elements are numbered by their position, from 1 (as bash slices them).
  const els = env
    .elements(part.name)
    .map(([i, v], pos) => [typeof i === "number" ? i : pos + 1, v] as const);
  const max = BigInt(els.length ? els[els.length - 1]![0] : -1);
  const start = offset.value < 0n ? max + 1n + offset.value : offset.value;
  if (start < 0n) return ok([]);
  const from = els.filter(([i]) => BigInt(i) >= start).map(([, v]) => v);
  const bounds = { offset: 0n, length: length?.value, lengthText: part.lengthText };
  return substring(from, bounds, true);
}

function paramOpOf(
  part: OpPart,
  env: ExpandEnv,
  one?: string,
  key = part.name,
): Result<string, string> {
  const list = listKind(part);
  return paramOp(
    key,
    part.op,
    part.arg ?? { parts: [] },
    {
      value: one ?? (list ? listItems(part, env).join(" ") : env.lookup(key)),
      expand: (w) => expandString(w, env),
      pattern: (w) => patternOf(w, env),
      assign: (v) => {
        if (!/^[A-Za-z_]/.test(key) || list) return false;
        env.assign(key, v);
        return true;
      },
      replacement: (w) => replacementOf(w, env),
    },
    part.rep,
  );
}

/** A replacement word's pieces: `&` is the match in unquoted text and unquoted expansions. */
function replacementOf(w: Word, env: ExpandEnv): Result<ReplacementPiece[], string> {
  const out: ReplacementPiece[] = [];
  for (const p of w.parts) {
    const text = p.kind === "lit" ? ok(p.text) : expandString({ parts: [p] }, env);
    if (!text.ok) return text;
    out.push({ text: text.value, special: !p.quoted });
  }
  return ok(out);
}

/** A regex word ([[ =~ ]]) as a regex source: quoted parts match literally. */
export function regexOf(w: Word, env: ExpandEnv): Result<string, string> {
  let src = "";
  for (const p of w.parts) {
    const text = p.kind === "lit" ? ok(p.text) : expandString({ parts: [p] }, env);
    if (!text.ok) return text;
    src += p.quoted ? escapeRegex(text.value) : text.value;
  }
  return ok(src);
}

/**
 * A pattern word as a regex source: quoted text is literal, unquoted text and expansions glob.
 * `extglob`: whether the extended groups count ([[ == ]] always has them in bash 5.2).
 */
export function patternOf(w: Word, env: ExpandEnv, extglob = env.extglob): Result<string, string> {
  const chars: PatternChar[] = [];
  for (const p of w.parts) {
    const text = p.kind === "lit" ? ok(p.text) : expandString({ parts: [p] }, env);
    if (!text.ok) return text;
    chars.push(...(p.quoted ? quotedChars(text.value) : unquoted(text.value)));
  }
  return ok(patternRegex(chars, { extglob }));
}

function value(name: string, env: ExpandEnv): Result<string, string> {
  if (name === "@" || name === "*") return ok(env.positional().join(" "));
  const v = env.lookup(name);
  if (v === undefined && env.nounset && !/^[?!$#0-9]$/.test(name)) {
    return err(`${name}${UNBOUND}`);
  }
  return ok(v ?? "");
}

function expandPart(part: WordPart, env: ExpandEnv, b: FieldBuilder): Result<void, string> {
  if (part.kind === "lit") {
    if (part.quoted) b.quoted(part.text);
    else b.literal(part.text);
    return ok(undefined);
  }
  // The path is neither split nor globbed.
  if (part.kind === "procsub") return ok(b.quoted(env.procsub(part.program, part.output === true)));
  if (part.kind === "array") {
    const text = arrayText(part.items, env);
    return text.ok ? ok(b.quoted(text.value)) : text;
  }
  const list = part.kind === "var" ? listKind(part) : null;
  if (part.kind === "var" && list === "@" && part.quoted && !part.op) {
    b.params(listItems(part, env));
    return ok(undefined);
  }
  const each = part.kind === "var" && part.op ? perParam({ ...part, op: part.op }, env) : null;
  if (each && part.kind === "var") {
    if (!each.ok) return each;
    if (part.quoted && list === "@") b.params(each.value);
    else if (part.quoted) b.quoted(each.value.join(ifsOf(env).slice(0, 1)));
    else b.splitEach(each.value);
    return ok(undefined);
  }
  let text: string;
  if (part.kind === "cmdsub") text = env.substitute(part.program);
  else if (part.kind === "arith") {
    const v = arith(part.expr, env);
    if (!v.ok) return v;
    text = v.value;
  } else if (list === "*" && part.quoted && !part.op) {
    text = listItems(part, env).join(ifsOf(env).slice(0, 1));
  } else {
    const v = param(part, env);
    if (!v.ok) return v;
    text = v.value;
  }
  if (part.quoted) b.quoted(text);
  else if (part.kind === "var" && !part.op && list) {
    // Unquoted $@/$* (and ${a[@]}): every parameter is split on its own.
    b.splitEach(listItems(part, env));
  } else b.split(text);
  return ok(undefined);
}

/** Builds fields from pieces; an unquoted expansion's IFS characters delimit fields. */
class FieldBuilder {
  private readonly fields: Field[] = [];
  private current: Field | null = null;

  constructor(private readonly ifs: string) {}

  private cur(): Field {
    this.current ??= { text: "", chars: [], wild: false };
    return this.current;
  }

  /** Ends the current field if one was started. */
  end(): void {
    if (this.current) this.fields.push(this.current);
    this.current = null;
  }

  /** Quoted text: always makes a field, even when empty. */
  quoted(text: string): void {
    const f = this.cur();
    f.text += text;
    f.chars.push(...quotedChars(text));
  }

  /** Unquoted text (from the script or an expansion): `*` and `?` are glob characters. */
  literal(text: string): void {
    if (text) this.unquoted(text);
  }

  /** Like literal, but always makes a field (an empty piece between two IFS delimiters). */
  private unquoted(text: string): void {
    const f = this.cur();
    f.text += text;
    f.chars.push(...unquoted(text));
    if (/[*?]|\[.+\]/.test(text)) f.wild = true;
  }

  /**
   * An unquoted expansion, split as POSIX says: IFS whitespace runs are one delimiter and vanish at
   * the ends; every non-whitespace IFS character delimits (so "a::b" with IFS=: has an empty field).
   * The first piece joins the current field; the last stays open unless a delimiter ends the text.
   */
  split(text: string): void {
    if (text === "") return;
    if (this.ifs === "") return this.unquoted(text);
    const ws = [...this.ifs].filter((c) => " \t\n".includes(c)).join("");
    const nw = [...this.ifs].filter((c) => !ws.includes(c)).join("");
    const isWs = (c: string | undefined) => c !== undefined && ws.includes(c);
    let start = 0;
    let end = text.length;
    while (start < end && isWs(text[start])) start++;
    while (end > start && isWs(text[end - 1])) end--;
    if (start > 0) this.end();
    if (start === end) return;
    const w = `[${escapeClass(ws)}]*`;
    const delim = new RegExp(
      nw ? `${w}[${escapeClass(nw)}]${w}|[${escapeClass(ws)}]+` : `[${escapeClass(ws)}]+`,
    );
    const body = text.slice(start, end);
    const pieces = body.split(delim);
    // A trailing non-whitespace delimiter ends the last field without starting an empty one.
    const closed = pieces.length > 1 && pieces[pieces.length - 1] === "";
    if (closed) pieces.pop();
    pieces.forEach((p, i) => {
      if (i > 0) this.end();
      this.unquoted(p); // results of unquoted expansions are globbed too
    });
    if (closed || end < text.length) this.end();
  }

  /**
   * Unquoted $@ and ${a[@]}: each item split on its own, items apart; the first joins the text
   * before, the last the text after (x$@y), as in "$@".
   */
  splitEach(items: readonly string[]): void {
    items.forEach((p, i) => {
      if (i > 0) this.end();
      this.split(p);
    });
  }

  /** Quoted "$@": one field per parameter; the first and last join the surrounding text. */
  params(params: readonly string[]): void {
    params.forEach((p, i) => {
      if (i > 0) this.end();
      this.quoted(p);
    });
  }

  finish(): Field[] {
    this.end();
    return this.fields;
  }
}

function escapeClass(s: string): string {
  return s.replace(/[\\\]^-]/g, "\\$&");
}

function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

/**
 * Pathname expansion, a component at a time (bash's glob_filename): each component with a
 * wildcard matches the names of every directory reached so far, a literal one must exist under
 * it. No match leaves the word as written (bash), or nothing with nullglob. With extglob, a
 * group makes a word a pattern too.
 */
function glob(f: Field, env: ExpandEnv): string[] {
  if (!f.wild && !(env.extglob && hasExtglob(f.chars))) return [f.text];
  const parts: PatternChar[][] = [[]];
  for (const x of f.chars) {
    if (x.c === "/") parts.push([]);
    else parts[parts.length - 1]!.push(x);
  }
  // "/a/*" starts at the root; "a/*" where it is.
  let reached = parts[0]!.length === 0 && parts.length > 1 ? ["/"] : [""];
  const from = parts[0]!.length === 0 && parts.length > 1 ? 1 : 0;
  for (let i = from; i < parts.length && reached.length > 0; i++) {
    const part = parts[i]!;
    const last = i === parts.length - 1;
    const sep = last ? "" : "/";
    if (part.length === 0) {
      // A trailing slash: only directories.
      reached = reached.filter((p) => env.listDir(p === "" ? "." : p) !== null);
      continue;
    }
    const wild = part.some((x) => !x.quoted && (x.c === "*" || x.c === "?" || x.c === "["));
    if (!wild && !(env.extglob && hasExtglob(part))) {
      const name = part.map((x) => x.c).join("");
      reached = reached.flatMap((p) =>
        last && !(env.listDir(p === "" ? "." : p) ?? []).includes(name) ? [] : [p + name + sep],
      );
      continue;
    }
    const re = new RegExp(`^(?:${patternRegex(part, { extglob: env.extglob, path: true })})$`, "s");
    const dot = part[0]?.c === ".";
    reached = reached.flatMap((p) =>
      [...(env.listDir(p === "" ? "." : p) ?? [])]
        .filter((n) => (dot || !n.startsWith(".")) && re.test(n))
        .sort()
        .map((n) => p + n + sep),
    );
  }
  if (reached.length === 0) return env.nullglob ? [] : [f.text];
  return reached.sort();
}
