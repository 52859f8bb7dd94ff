// columns.ts: coreutils' sort, uniq and cut over files or stdin, with their messages (GNU
// coreutils 9.1, C locale: lines compare byte by byte, as code points here).
import { strerror } from "../../strerror.ts";
import { lines, type Fds } from "../io.ts";
import type { Builtin, ShellContext } from "../state.ts";
import { read } from "./lines.ts";

const tryHelp = (me: string) => `Try '${me} --help' for more information.\n`;

/** Every operand's lines (stdin without one). @returns them, or null after printing an error. */
function inputLines(
  ctx: ShellContext,
  me: string,
  files: string[],
  fds: Fds,
  message: (f: string, rc: number) => string,
): string[] | null {
  const out: string[] = [];
  for (const f of files.length ? files : ["-"]) {
    const text = read(ctx, f, fds);
    if (typeof text === "number") {
      fds.stderr.write(message(f, text));
      return null;
    }
    out.push(...lines(text));
  }
  return out;
}

/** Options as `-abc`, `-k N` or `-kN`: `withArg` names the letters that take one. */
function options(
  me: string,
  args: string[],
  withArg: string,
  known: string,
  fds: Fds,
): { opts: [string, string][]; rest: string[] } | null {
  const opts: [string, string][] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      rest.push(...args.slice(i + 1));
      break;
    }
    if (!/^-./.test(a)) {
      rest.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const f = a[j]!;
      if (!known.includes(f) && !withArg.includes(f)) {
        fds.stderr.write(`${me}: invalid option -- '${f}'\n${tryHelp(me)}`);
        return null;
      }
      if (!withArg.includes(f)) {
        opts.push([f, ""]);
        continue;
      }
      const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
      if (v === undefined) {
        fds.stderr.write(`${me}: option requires an argument -- '${f}'\n${tryHelp(me)}`);
        return null;
      }
      opts.push([f, v]);
      break;
    }
  }
  return { opts, rest };
}

interface SortKey {
  startField: number;
  endField: number | null;
}

/** sort [-nrufb] [-t SEP] [-k POS1[,POS2]] [file...]. */
export const sort: Builtin = (ctx, argv, fds) => {
  const me = argv[0]!;
  const o = options(me, argv.slice(1), "tk", "nrufbs", fds);
  if (!o) return 2;
  const has = (f: string) => o.opts.some(([k]) => k === f);
  let sep: string | null = null;
  const keys: SortKey[] = [];
  for (const [k, v] of o.opts) {
    if (k === "t") {
      if ([...v].length !== 1) {
        fds.stderr.write(`${me}: multi-character tab \u2018${v}\u2019\n`);
        return 2;
      }
      sep = v;
    }
    if (k !== "k") continue;
    const m = /^(\d+)(?:\.\d+)?[bn]*(?:,(\d+)(?:\.\d+)?[bn]*)?$/.exec(v);
    if (m && (m[1] === "0" || m[2] === "0")) {
      fds.stderr.write(
        `${me}: field number is zero: invalid field specification \u2018${v}\u2019\n`,
      );
      return 2;
    }
    if (!m) {
      fds.stderr.write(
        `${me}: invalid number at field start: invalid count at start of \u2018${v}\u2019\n`,
      );
      return 2;
    }
    keys.push({ startField: Number(m[1]), endField: m[2] ? Number(m[2]) : null });
  }
  const all = inputLines(
    ctx,
    me,
    o.rest,
    fds,
    (f, rc) => `${me}: cannot read: ${f}: ${strerror(rc)}\n`,
  );
  if (!all) return 2;
  const numeric = has("n");
  const fold = has("f");
  const blanks = has("b");
  const keyOf = (line: string) => {
    if (keys.length === 0) return [line];
    return keys.map((k) => fieldRange(line, sep, k, blanks));
  };
  const cmpKey = (a: string, b: string) => {
    if (numeric) return numericValue(a) - numericValue(b) || 0;
    const x = fold ? a.toUpperCase() : a;
    const y = fold ? b.toUpperCase() : b;
    return byteCompare(x, y);
  };
  const compare = (a: string, b: string) => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    for (let i = 0; i < ka.length; i++) {
      const c = cmpKey(ka[i]!, kb[i]!);
      if (c !== 0) return c;
    }
    return 0;
  };
  const reverse = has("r") ? -1 : 1;
  // Equal keys fall back to the whole lines, byte by byte (GNU sort's last resort), unless -s or -u.
  const lastResort = !has("s") && !has("u");
  const sorted = [...all].sort(
    (a, b) => reverse * (compare(a, b) || (lastResort ? byteCompare(a, b) : 0)),
  );
  const out = has("u")
    ? sorted.filter((l, i) => i === 0 || compare(sorted[i - 1]!, l) !== 0)
    : sorted;
  fds.stdout.write(out.map((l) => `${l}\n`).join(""));
  return 0;
};

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** -n: the leading number (blanks, a minus, digits, a decimal point); anything else is 0. */
function numericValue(s: string): number {
  const m = /^[ \t]*(-?(\d+\.?\d*|\.\d+))/.exec(s);
  return m ? Number(m[1]) : 0;
}

/**
 * The text of fields startField..endField: with -t the fields are between separators; without,
 * each field starts at the blanks before it (GNU sort), which -b skips at the key's start.
 */
function fieldRange(line: string, sep: string | null, k: SortKey, blanks: boolean): string {
  const starts: number[] = [];
  if (sep !== null) {
    starts.push(0);
    for (let i = 0; i < line.length; i++) if (line[i] === sep) starts.push(i + 1);
  } else {
    let i = 0;
    while (i < line.length) {
      starts.push(i);
      while (i < line.length && /[ \t]/.test(line[i]!)) i++;
      while (i < line.length && !/[ \t]/.test(line[i]!)) i++;
    }
    if (starts.length === 0) starts.push(0);
  }
  const from = starts[k.startField - 1];
  if (from === undefined) return "";
  const endStart = k.endField === null ? undefined : starts[k.endField];
  let to = endStart === undefined ? line.length : sep !== null ? endStart - 1 : endStart;
  if (to < from) to = from;
  const text = line.slice(from, to);
  return blanks ? text.replace(/^[ \t]+/, "") : text;
}

/** uniq [-cdu] [input]: adjacent repeated lines once. */
export const uniq: Builtin = (ctx, argv, fds) => {
  const me = argv[0]!;
  const o = options(me, argv.slice(1), "", "cdui", fds);
  if (!o) return 1;
  const has = (f: string) => o.opts.some(([k]) => k === f);
  if (o.rest.length > 1) {
    fds.stderr.write(`${me}: extra operand \u2018${o.rest[1]}\u2019\n${tryHelp(me)}`);
    return 1;
  }
  const all = inputLines(ctx, me, o.rest, fds, (f, rc) => `${me}: ${f}: ${strerror(rc)}\n`);
  if (!all) return 1;
  const same = (a: string, b: string) => (has("i") ? a.toLowerCase() === b.toLowerCase() : a === b);
  let out = "";
  for (let i = 0; i < all.length;) {
    let j = i + 1;
    while (j < all.length && same(all[i]!, all[j]!)) j++;
    const n = j - i;
    const shown = has("d") ? n > 1 : has("u") ? n === 1 : true;
    if (shown) out += has("c") ? `${String(n).padStart(7)} ${all[i]}\n` : `${all[i]}\n`;
    i = j;
  }
  fds.stdout.write(out);
  return 0;
};

/** cut -f LIST [-d DELIM] [-s] | -c LIST | -b LIST [file...]. */
export const cut: Builtin = (ctx, argv, fds) => {
  const me = argv[0]!;
  const o = options(me, argv.slice(1), "fcbd", "s", fds);
  if (!o) return 1;
  let mode: string | null = null;
  let list = "";
  let delim = "\t";
  for (const [k, v] of o.opts) {
    if (k === "d") {
      if ([...v].length !== 1) {
        fds.stderr.write(`${me}: the delimiter must be a single character\n${tryHelp(me)}`);
        return 1;
      }
      delim = v;
    } else if ("fcb".includes(k)) {
      if (mode !== null) {
        fds.stderr.write(`${me}: only one type of list may be specified\n${tryHelp(me)}`);
        return 1;
      }
      mode = k;
      list = v;
    }
  }
  if (mode === null) {
    fds.stderr.write(
      `${me}: you must specify a list of bytes, characters, or fields\n${tryHelp(me)}`,
    );
    return 1;
  }
  const ranges = parseList(list, mode === "f" ? "fields" : "byte/character positions");
  if (typeof ranges === "string") {
    fds.stderr.write(`${me}: ${ranges}\n${tryHelp(me)}`);
    return 1;
  }
  const all = inputLines(ctx, me, o.rest, fds, (f, rc) => `${me}: ${f}: ${strerror(rc)}\n`);
  if (!all) return 1;
  const picked = (n: number) => ranges.some(([a, b]) => n >= a && n <= b);
  const onlyDelimited = o.opts.some(([k]) => k === "s");
  let out = "";
  for (const line of all) {
    if (mode !== "f") {
      out += `${[...line].filter((_c, i) => picked(i + 1)).join("")}\n`;
      continue;
    }
    if (!line.includes(delim)) {
      if (!onlyDelimited) out += `${line}\n`;
      continue;
    }
    out += `${line
      .split(delim)
      .filter((_f, i) => picked(i + 1))
      .join(delim)}\n`;
  }
  fds.stdout.write(out);
  return 0;
};

/** A cut LIST: N, N-M, N-, -M, comma-separated. @returns the ranges or the message. */
function parseList(list: string, what: string): [number, number][] | string {
  const out: [number, number][] = [];
  for (const item of list.split(",")) {
    const m = /^(\d*)(-?)(\d*)$/.exec(item);
    if (!m || (m[1] === "" && m[3] === "")) {
      return item === "-" || item === ""
        ? "invalid range with no endpoint: -"
        : `invalid field value \u2018${item}\u2019`;
    }
    const a = m[1] === "" ? 1 : Number(m[1]);
    const b = m[2] === "" ? a : m[3] === "" ? Infinity : Number(m[3]);
    if (a === 0 || b === 0) return `${what} are numbered from 1`;
    if (b < a) return "invalid decreasing range";
    out.push([a, b]);
  }
  return out;
}
