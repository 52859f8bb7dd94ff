// grep.ts: GNU grep's common options over files or stdin, with basic/extended regular
// expressions translated to JavaScript RegExp. Status: 0 selected, 1 none, 2 error.
import { strerror } from "../../strerror.ts";
import { lines, readAll } from "../io.ts";
import type { Builtin } from "../state.ts";

interface GrepOptions {
  quiet: boolean;
  invert: boolean;
  count: boolean;
  extended: boolean;
  fixed: boolean;
  line: boolean;
  word: boolean;
  icase: boolean;
  number: boolean;
  silent: boolean;
  /** -r/-R: directories are searched, every file under them. */
  recursive: boolean;
  /** -l: only the names of files with a selected line. */
  names: boolean;
  /** -H / -h: the file name before each line, always / never. */
  withName: boolean;
  noName: boolean;
  patterns: string[];
  files: string[];
}

const USAGE =
  "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n";
const FLAGS: Readonly<Record<string, keyof GrepOptions>> = {
  q: "quiet",
  v: "invert",
  c: "count",
  E: "extended",
  F: "fixed",
  x: "line",
  w: "word",
  i: "icase",
  n: "number",
  s: "silent",
  r: "recursive",
  R: "recursive",
  l: "names",
  H: "withName",
  h: "noName",
};

/**
 * The files to search: the operands, with -r each directory's files in its listing order (GNU
 * grep walks with fts, unsorted; here the VFS's order). @returns them and whether a name goes
 * before each line by default (more than one operand, or a directory searched).
 */
function filesOf(
  ctx: Parameters<Builtin>[0],
  opts: GrepOptions,
): { files: string[]; named: boolean } {
  const operands = opts.files.length ? opts.files : opts.recursive ? [""] : ["-"];
  const files: string[] = [];
  let named = operands.length > 1;
  const walk = (path: string): void => {
    const entries = ctx.host.listDir(ctx.resolve(path === "" ? "." : path));
    if (typeof entries === "number") {
      files.push(path);
      return;
    }
    named = true;
    // No operand: "." is searched and its files are named without "./" (GNU grep).
    const base = path === "" || path.endsWith("/") ? path : `${path}/`;
    for (const name of entries) walk(base + name);
  };
  for (const f of operands) {
    if (opts.recursive && f !== "-") walk(f);
    else files.push(f);
  }
  return { files, named };
}

/** grep [-qvcEFxwinsrRlHh] [-e PATTERN]... PATTERN [FILE...] */
export const grep: Builtin = (ctx, argv, fds) => {
  const opts = parseOptions(argv.slice(1));
  if (typeof opts === "string") {
    fds.stderr.write(opts);
    return 2;
  }
  const re = compile(opts);
  if (typeof re === "string") {
    fds.stderr.write(`grep: ${re}\n`);
    return 2;
  }
  const { files, named } = filesOf(ctx, opts);
  const showName = opts.withName || (named && !opts.noName);
  let selected = 0;
  let error = false;
  for (const f of files) {
    const text = f === "-" ? readAll(fds.stdin) : ctx.host.readFile(ctx.resolve(f));
    if (typeof text === "number") {
      if (!opts.silent) fds.stderr.write(`grep: ${f}: ${strerror(text)}\n`);
      error = true;
      continue;
    }
    const prefix = showName ? `${f === "-" ? "(standard input)" : f}:` : "";
    const hits = lines(text).flatMap((l, i) =>
      re.test(l) !== opts.invert ? [[i + 1, l] as const] : [],
    );
    selected += hits.length;
    if (opts.quiet) {
      if (hits.length) return 0;
      continue;
    }
    if (opts.names) {
      if (hits.length) fds.stdout.write(`${f === "-" ? "(standard input)" : f}\n`);
    } else if (opts.count) fds.stdout.write(`${prefix}${hits.length}\n`);
    else
      for (const [n, l] of hits) fds.stdout.write(`${prefix}${opts.number ? `${n}:` : ""}${l}\n`);
  }
  if (error) return 2;
  return selected ? 0 : 1;
};

function parseOptions(args: string[]): GrepOptions | string {
  const o: GrepOptions = {
    quiet: false,
    invert: false,
    count: false,
    extended: false,
    fixed: false,
    line: false,
    word: false,
    icase: false,
    number: false,
    silent: false,
    recursive: false,
    names: false,
    withName: false,
    noName: false,
    patterns: [],
    files: [],
  };
  let explicit = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      i++;
      break;
    }
    if (!a.startsWith("-") || a === "-") break;
    for (let j = 1; j < a.length; j++) {
      const f = a[j]!;
      if (f === "e") {
        const p = a.slice(j + 1) || args[++i];
        if (p === undefined) return `grep: option requires an argument -- 'e'\n${USAGE}`;
        o.patterns.push(...p.split("\n"));
        explicit = true;
        break;
      }
      const key = FLAGS[f];
      if (!key) return `grep: invalid option -- '${f}'\n${USAGE}`;
      (o as unknown as Record<string, boolean>)[key] = true;
    }
  }
  const rest = args.slice(i);
  if (!explicit) {
    const p = rest.shift();
    if (p === undefined) return USAGE;
    o.patterns.push(...p.split("\n"));
  }
  o.files = rest;
  return o;
}

function compile(o: GrepOptions): RegExp | string {
  const alts = o.patterns.map((p) =>
    o.fixed ? escapeAll(p) : o.extended ? translate(p, true) : translate(p, false),
  );
  let src = alts.map((a) => `(?:${a})`).join("|");
  if (o.line) src = `^(?:${src})$`;
  else if (o.word) src = `(?<![\\w])(?:${src})(?![\\w])`;
  try {
    return new RegExp(src, o.icase ? "i" : "");
  } catch {
    return "Invalid regular expression";
  }
}

function escapeAll(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

const CLASSES: Readonly<Record<string, string>> = {
  alpha: "a-zA-Z",
  digit: "0-9",
  alnum: "a-zA-Z0-9",
  upper: "A-Z",
  lower: "a-z",
  space: " \\t\\n\\r\\f\\v",
  blank: " \\t",
  punct: "!-\\/:-@\\[-`{-~",
  xdigit: "0-9A-Fa-f",
};

/** POSIX BRE (GNU flavour: \( \) \{ \} \| \+ \?) or ERE to a JS regex source. */
export function translate(p: string, extended: boolean): string {
  let out = "";
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === "[") {
      const end = bracketEnd(p, i);
      if (end < 0) return escapeAll(p.slice(i)); // let RegExp accept it; grep says "Unmatched ["
      out += bracket(p.slice(i + 1, end));
      i = end;
    } else if (c === "\\") {
      const n = p[++i] ?? "\\";
      out += escaped(n, extended);
    } else if ("(){}|+?".includes(c)) out += extended ? c : `\\${c}`;
    else if (c === "*" && (out === "" || out === "^" || out.endsWith("(") || out.endsWith("|"))) {
      out += "\\*";
    } else if (c === "/") out += "\\/";
    else out += c;
  }
  return out;
}

function escaped(n: string, extended: boolean): string {
  if (!extended && "(){}|+?".includes(n)) return n;
  if (n === "<") return "\\b(?=\\w)";
  if (n === ">") return "\\b(?<=\\w)";
  if ("wWsSb".includes(n)) return `\\${n}`;
  return /[A-Za-z0-9]/.test(n) ? n : `\\${n}`;
}

function bracketEnd(p: string, start: number): number {
  let i = start + 1;
  if (p[i] === "^") i++;
  if (p[i] === "]") i++;
  for (; i < p.length; i++) {
    if (p[i] === "[" && p[i + 1] === ":") {
      const close = p.indexOf(":]", i + 2);
      if (close > 0) i = close + 1;
    } else if (p[i] === "]") return i;
  }
  return -1;
}

/** The inside of a bracket expression: POSIX classes expand, a backslash is a literal. */
function bracket(body: string): string {
  let out = "";
  let i = 0;
  if (body.startsWith("^")) {
    out += "^";
    i = 1;
  }
  for (; i < body.length; i++) {
    const m = /^\[:([a-z]+):\]/.exec(body.slice(i));
    if (m) {
      out += CLASSES[m[1]!] ?? "";
      i += m[0].length - 1;
    } else out += "\\^]-[".includes(body[i]!) && body[i] !== "-" ? `\\${body[i]}` : body[i];
  }
  return `[${out}]`;
}
