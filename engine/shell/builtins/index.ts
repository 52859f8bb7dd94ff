// index.ts: every command the shell implements itself, by name.
import type { Builtin } from "../state.ts";
import { awk } from "./awk.ts";
import { declare, local } from "./declare.ts";
import { echo, printf } from "./echo.ts";
import { mapfile } from "./mapfile.ts";
import { cat, cd, ls, pwd, stat } from "./files.ts";
import { grep } from "./grep.ts";
import { id } from "./id.ts";
import { head, tail, wc } from "./lines.ts";
import { falseCmd, getconf, kill, seq, sleep, trueCmd, wait } from "./proc.ts";
import { test } from "./test.ts";
import { sed } from "./sed.ts";
import { shopt } from "./shopt.ts";
import { diff } from "./diff.ts";
import { date, uname } from "./sysinfo.ts";
import { tee } from "./tee.ts";
import { tr } from "./tr.ts";
import { cut, sort, uniq } from "./columns.ts";
import { trap } from "./trap.ts";
import * as v from "./vars.ts";

/** Builtins and the tools the playground implements in the shell, keyed by command name. */
export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ["echo", echo],
  ["printf", printf],
  ["cat", cat],
  ["grep", grep],
  ["sed", sed],
  ["awk", awk],
  ["id", id],
  ["head", head],
  ["tail", tail],
  ["wc", wc],
  ["ls", ls],
  ["stat", stat],
  ["cd", cd],
  ["pwd", pwd],
  ["test", test],
  ["[", test],
  ["true", trueCmd],
  [":", trueCmd],
  ["false", falseCmd],
  ["sleep", sleep],
  ["wait", wait],
  ["kill", kill],
  ["getconf", getconf],
  ["seq", seq],
  ["tee", tee],
  ["tr", tr],
  ["sort", sort],
  ["uniq", uniq],
  ["cut", cut],
  ["uname", uname],
  ["date", date],
  ["diff", diff],
  ["set", v.set],
  ["shift", v.shift],
  ["local", local],
  ["declare", declare],
  ["typeset", declare],
  ["mapfile", mapfile],
  ["readarray", mapfile],
  ["export", v.exportCmd],
  ["unset", v.unset],
  ["read", v.read],
  ["eval", v.evalCmd],
  ["source", v.source],
  [".", v.source],
  ["exit", v.exit],
  ["return", v.returnCmd],
  ["break", v.loopControl],
  ["continue", v.loopControl],
  ["trap", trap],
  ["shopt", shopt],
]);

/**
 * The ones that are separate programs on a real system (coreutils, grep, glibc's getconf): their
 * messages carry their own name, not "bash:", and `&` may hand them to the machine as a task.
 */
export const TOOLS: ReadonlySet<string> = new Set([
  "cat",
  "grep",
  "sed",
  "awk",
  "id",
  "head",
  "tail",
  "wc",
  "ls",
  "stat",
  "sleep",
  "getconf",
  "seq",
  "tee",
  "tr",
  "sort",
  "uniq",
  "cut",
  "uname",
  "date",
  "diff",
]);

/** A bash builtin proper (its messages say "bash: name:"; `&` cannot hand it to the machine). */
export function isShellBuiltin(name: string): boolean {
  return BUILTINS.has(name) && !TOOLS.has(name);
}

/** The shell's own implementation of `name`, also when called by path (`/bin/stat`, `/usr/bin/grep`). */
export function findBuiltin(name: string): Builtin | undefined {
  const m = /^\/(?:usr\/)?s?bin\/([^/]+)$/.exec(name);
  if (m && TOOLS.has(m[1]!)) return BUILTINS.get(m[1]!);
  return BUILTINS.get(name);
}

/** bash's message for a name it cannot run: a path is looked up as a file. */
export function notFound(name: string): string {
  if (name.includes("/")) return `bash: ${name}: No such file or directory\n`;
  return `bash: ${name}: command not found\n`;
}
