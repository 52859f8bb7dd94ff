// diff.ts: GNU diffutils' diff (3.8) on two files: the normal format, -u/-U N unified, -q;
// exit status 0 (same), 1 (different), 2 (trouble). The VFS keeps no modification times: the
// unified headers show the epoch, when the machine booted, for a file, the virtual clock's now for
// standard input (-L/--label sets them instead).
import { strerror } from "../../strerror.ts";
import type { Fds } from "../io.ts";
import type { Builtin, ShellContext } from "../state.ts";
import { type Change, diffLines } from "./diff-lines.ts";
import { read } from "./lines.ts";
import { strftime } from "./sysinfo.ts";

/** A file's lines, and whether its last line lacks a newline. */
interface Text {
  lines: string[];
  noEol: boolean;
}

const NO_EOL = "\\ No newline at end of file\n";

function textOf(s: string): Text {
  const noEol = s !== "" && !s.endsWith("\n");
  const lines = s.split("\n");
  if (!noEol) lines.pop();
  return { lines, noEol };
}

interface Options {
  context: number | null;
  brief: boolean;
  labels: string[];
  files: string[];
}

/** @returns the options, or the message (diff prefixes its own "diff: " to each line). */
function parseOptions(args: string[]): Options | string {
  const o: Options = { context: null, brief: false, labels: [], files: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    let m: RegExpExecArray | null;
    if (a === "--") {
      o.files.push(...args.slice(i + 1));
      break;
    } else if (a === "-u" || a === "--unified") o.context = 3;
    else if ((m = /^(?:-U|--unified=)(\d*)$/.exec(a))) {
      const v = m[1] !== "" ? m[1] : args[++i];
      if (v === undefined || !/^\d+$/.test(v)) return `invalid context length '${v ?? ""}'`;
      o.context = Number(v);
    } else if (a === "-q" || a === "--brief") o.brief = true;
    else if ((m = /^(?:-L|--label=?)(.*)$/.exec(a))) {
      const v = m[1] !== "" || a.startsWith("--label=") ? m[1] : args[++i];
      if (v === undefined) return "option requires an argument -- 'L'";
      o.labels.push(v);
    } else if (a !== "-" && a.startsWith("-")) return `invalid option -- '${a[1]}'`;
    else o.files.push(a);
  }
  return o;
}

/** diff [-q] [-u | -U N] [-L label]... FILE1 FILE2. */
export const diff: Builtin = (ctx, argv, fds) => {
  const me = argv[0]!;
  const trouble = (msg: string, help = true) => {
    fds.stderr.write(
      `${me}: ${msg}\n${help ? `${me}: Try '${me} --help' for more information.\n` : ""}`,
    );
    return 2;
  };
  const o = parseOptions(argv.slice(1));
  if (typeof o === "string") return trouble(o);
  if (o.files.length < 2) return trouble(`missing operand after '${o.files[0] ?? me}'`);
  if (o.files.length > 2) return trouble(`extra operand '${o.files[2]}'`);
  const texts: Text[] = [];
  const names = [...o.files];
  for (let i = 0; i < 2; i++) {
    const r = readOperand(ctx, names, i, fds);
    if (typeof r === "number") return trouble(`${names[i]}: ${strerror(r)}`, false);
    texts.push(textOf(r));
  }
  const [a, b] = texts as [Text, Text];
  // The last lines differ when only one of them ends without a newline.
  const la = a.lines.map((l, i) => (a.noEol && i === a.lines.length - 1 ? `${l}\0` : l));
  const lb = b.lines.map((l, i) => (b.noEol && i === b.lines.length - 1 ? `${l}\0` : l));
  const changes = diffLines(la, lb, o.context ?? 0);
  if (changes.length === 0) return 0;
  if (o.brief) {
    fds.stdout.write(`Files ${names[0]} and ${names[1]} differ\n`);
    return 1;
  }
  if (o.context === null) fds.stdout.write(normal(changes, a, b));
  else {
    // Standard input's time is now, as a pipe's is; a file's, the epoch (no mtime is kept).
    const time = (i: number) => BigInt(names[i] === "-" ? Math.round(ctx.host.realtimeNs()) : 0);
    const label = (i: number) =>
      o.labels[i] ?? `${names[i]}\t${strftime("%Y-%m-%d %H:%M:%S.%N %z", time(i))}`;
    fds.stdout.write(`--- ${label(0)}\n+++ ${label(1)}\n${unified(changes, a, b, o.context)}`);
  }
  return 1;
};

/** Operand i's text; a directory stands for the file of the other operand's name in it. */
function readOperand(ctx: ShellContext, names: string[], i: number, fds: Fds): string | number {
  const f = names[i]!;
  const info = f === "-" ? null : ctx.host.stat(ctx.resolve(f));
  if (info && typeof info !== "number" && info.kind === "dir") {
    const other = names[1 - i]!.split("/").pop()!;
    names[i] = `${f.replace(/\/$/, "")}/${other}`;
  }
  return read(ctx, names[i]!, fds);
}

/** "3" or "3,5": a range of 1-based lines; an empty one names the line before it. */
function range(start: number, end: number): string {
  if (end - start <= 1) return String(end - start === 1 ? start + 1 : start);
  return `${start + 1},${end}`;
}

function lineOut(prefix: string, t: Text, i: number): string {
  return `${prefix}${t.lines[i]}\n${t.noEol && i === t.lines.length - 1 ? NO_EOL : ""}`;
}

function normal(changes: readonly Change[], a: Text, b: Text): string {
  let out = "";
  for (const c of changes) {
    const del = c.aEnd > c.aStart;
    const ins = c.bEnd > c.bStart;
    const op = del && ins ? "c" : del ? "d" : "a";
    out += `${range(c.aStart, c.aEnd)}${op}${range(c.bStart, c.bEnd)}\n`;
    for (let i = c.aStart; i < c.aEnd; i++) out += lineOut("< ", a, i);
    if (del && ins) out += "---\n";
    for (let i = c.bStart; i < c.bEnd; i++) out += lineOut("> ", b, i);
  }
  return out;
}

/** "@@ -s,l +s,l @@" ranges: the length left out when 1, the start the line before when 0. */
function uniRange(start: number, len: number): string {
  if (len === 1) return String(start + 1);
  return `${len === 0 ? start : start + 1},${len}`;
}

function unified(changes: readonly Change[], a: Text, b: Text, ctxLines: number): string {
  // Changes whose contexts touch or overlap share a hunk.
  const hunks: Change[][] = [];
  for (const c of changes) {
    const last = hunks[hunks.length - 1];
    const prev = last?.[last.length - 1];
    if (prev && c.aStart - prev.aEnd <= 2 * ctxLines) last!.push(c);
    else hunks.push([c]);
  }
  let out = "";
  for (const h of hunks) {
    const first = h[0]!;
    const lastC = h[h.length - 1]!;
    const aFrom = Math.max(0, first.aStart - ctxLines);
    const aTo = Math.min(a.lines.length, lastC.aEnd + ctxLines);
    const bFrom = first.bStart - (first.aStart - aFrom);
    const bTo = lastC.bEnd + (aTo - lastC.aEnd);
    out += `@@ -${uniRange(aFrom, aTo - aFrom)} +${uniRange(bFrom, bTo - bFrom)} @@\n`;
    let ai = aFrom;
    for (const c of h) {
      for (; ai < c.aStart; ai++) out += lineOut(" ", a, ai);
      for (let i = c.aStart; i < c.aEnd; i++) out += lineOut("-", a, i);
      for (let i = c.bStart; i < c.bEnd; i++) out += lineOut("+", b, i);
      ai = c.aEnd;
    }
    for (; ai < aTo; ai++) out += lineOut(" ", a, ai);
  }
  return out;
}
