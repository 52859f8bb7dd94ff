// lines.ts: coreutils' head, tail and wc over files or stdin, with their messages (GNU coreutils
// 9.1). Their sizes are the texts read: the VFS keeps no st_size (sysfs would say 4096).
import { strerror } from "../../strerror.ts";
import { readAll } from "../io.ts";
import type { Fds } from "../io.ts";
import type { Builtin, ShellContext } from "../state.ts";

const EISDIR = -21;

/** An operand's text (`-` is stdin), or -errno (a directory is -EISDIR, as read(2) says); sort, uniq, cut and diff read theirs so too. */
export function read(ctx: ShellContext, f: string, fds: Fds): string | number {
  if (f === "-") return readAll(fds.stdin);
  if (f === "/dev/null") return "";
  const info = ctx.host.stat(ctx.resolve(f));
  if (typeof info !== "number" && info.kind === "dir") return EISDIR;
  return ctx.host.readFile(ctx.resolve(f));
}

/** head's and tail's message for an unreadable operand. */
function openError(me: string, f: string, rc: number): string {
  return rc === EISDIR
    ? `${me}: error reading '${f}': ${strerror(rc)}\n`
    : `${me}: cannot open '${f}' for reading: ${strerror(rc)}\n`;
}

interface Count {
  /** -c (bytes) rather than -n (lines). */
  bytes: boolean;
  /** The count as written: N, -N (head: all but the last N), +N (tail: from line N). */
  n: string;
  quiet: boolean;
  verbose: boolean;
  files: string[];
}

/**
 * head/tail options: -n N, -nN, -N, -c N, -q, -v, and tail's -f, which prints the end once: nothing
 * appends to a file while the shell waits, so following would only block. @returns them or the message.
 */
function countOptions(me: string, args: string[]): Count | string {
  const o: Count = { bytes: false, n: "10", quiet: false, verbose: false, files: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^-([nc])(.*)$/.exec(a);
    if (m) {
      const v = m[2] !== "" ? m[2] : args[++i];
      if (v === undefined) {
        return `${me}: option requires an argument -- '${m[1]}'\nTry '${me} --help' for more information.\n`;
      }
      o.bytes = m[1] === "c";
      o.n = v;
    } else if (/^-\d+$/.test(a)) o.n = a.slice(1);
    else if (a === "-q") o.quiet = true;
    else if (a === "-v") o.verbose = true;
    else if (a === "-f" && me === "tail") continue;
    else if (a !== "-" && /^-./.test(a)) {
      return `${me}: invalid option -- '${a[1]}'\nTry '${me} --help' for more information.\n`;
    } else o.files.push(a);
  }
  return o;
}

/** The count as head or tail takes it: a sign (tail's + counts from the start) and a number. */
function parseCount(me: string, o: Count): { sign: string; n: number } | string {
  const m = /^([-+]?)(\d+)$/.exec(o.n);
  if (!m) return `${me}: invalid number of ${o.bytes ? "bytes" : "lines"}: \u2018${o.n}\u2019\n`;
  return { sign: m[1]!, n: Number(m[2]) };
}

/** Splits keeping each line's newline. */
function lineList(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function headOf(text: string, c: { sign: string; n: number }, bytes: boolean): string {
  if (bytes) {
    const chars = [...new TextEncoder().encode(text)];
    const end = c.sign === "-" ? Math.max(0, chars.length - c.n) : c.n;
    return new TextDecoder().decode(new Uint8Array(chars.slice(0, end)));
  }
  const ls = lineList(text);
  return ls.slice(0, c.sign === "-" ? Math.max(0, ls.length - c.n) : c.n).join("");
}

function tailOf(text: string, c: { sign: string; n: number }, bytes: boolean): string {
  const items = bytes ? [...new TextEncoder().encode(text)] : lineList(text);
  const from = c.sign === "+" ? Math.max(0, c.n - 1) : Math.max(0, items.length - c.n);
  if (!bytes) return (items as string[]).slice(from).join("");
  return new TextDecoder().decode(new Uint8Array((items as number[]).slice(from)));
}

function headOrTail(me: "head" | "tail"): Builtin {
  return (ctx, argv, fds) => {
    const o = countOptions(me, argv.slice(1));
    if (typeof o === "string") return fail(fds, o);
    const c = parseCount(me, o);
    if (typeof c === "string") return fail(fds, c);
    const files = o.files.length ? o.files : ["-"];
    const headers = o.verbose || (files.length > 1 && !o.quiet);
    let status = 0;
    let first = true;
    for (const f of files) {
      const text = read(ctx, f, fds);
      if (typeof text === "number") {
        fds.stderr.write(openError(me, f, text));
        status = 1;
        continue;
      }
      if (headers)
        fds.stdout.write(`${first ? "" : "\n"}==> ${f === "-" ? "standard input" : f} <==\n`);
      first = false;
      fds.stdout.write(me === "head" ? headOf(text, c, o.bytes) : tailOf(text, c, o.bytes));
    }
    return status;
  };
}

function fail(fds: Fds, msg: string): number {
  fds.stderr.write(msg);
  return 1;
}

/** head [-n [-]N | -N | -c [-]N] [-qv] [file...] */
export const head = headOrTail("head");
/** tail [-n [+]N | -N | -c [+]N] [-qvf] [file...] */
export const tail = headOrTail("tail");

/** wc [-lwcm] [file...]: lines, words, bytes (or characters), then a total for several files. */
export const wc: Builtin = (ctx, argv, fds) => {
  const flags = new Set<string>();
  const files: string[] = [];
  for (const a of argv.slice(1)) {
    if (a !== "-" && /^-./.test(a)) {
      for (const f of a.slice(1)) {
        if (!"lwcm".includes(f))
          return fail(fds, `wc: invalid option -- '${f}'\nTry 'wc --help' for more information.\n`);
        flags.add(f);
      }
    } else files.push(a);
  }
  const show = flags.size ? ["l", "w", "m", "c"].filter((f) => flags.has(f)) : ["l", "w", "c"];
  const inputs = files.length ? files : ["-"];
  const rows: { counts: number[]; name: string }[] = [];
  const total = show.map(() => 0);
  let status = 0;
  let size = 0;
  for (const f of inputs) {
    const text = read(ctx, f, fds);
    if (typeof text === "number") {
      fds.stderr.write(`wc: ${f}: ${strerror(text)}\n`);
      status = 1;
      continue;
    }
    const bytes = new TextEncoder().encode(text).length;
    size += f === "-" ? 0 : bytes;
    const all: Record<string, number> = {
      l: (text.match(/\n/g) ?? []).length,
      w: text.split(/\s+/).filter((w) => w !== "").length,
      m: [...text].length,
      c: bytes,
    };
    const counts = show.map((k) => all[k]!);
    counts.forEach((n, i) => (total[i]! += n));
    rows.push({ counts, name: f === "-" ? "" : f });
  }
  if (inputs.length > 1) rows.push({ counts: total, name: "total" });
  // coreutils: one operand and one count print unpadded; stdin pads to 7; files to the total size.
  const width =
    inputs.length === 1 && show.length === 1
      ? 1
      : Math.max(inputs.includes("-") ? 7 : 1, String(size).length);
  for (const r of rows) {
    const nums = r.counts.map((n) => String(n).padStart(width)).join(" ");
    fds.stdout.write(r.name ? `${nums} ${r.name}\n` : `${nums}\n`);
  }
  return status;
};
