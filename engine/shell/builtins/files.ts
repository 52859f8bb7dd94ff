// files.ts: cat, ls and stat (coreutils: messages start with argv[0] as typed, e.g. `/bin/stat:`)
// and bash's cd and pwd.
import { strerror } from "../../strerror.ts";
import type { PathInfo } from "../host.ts";
import { readAll } from "../io.ts";
import type { Builtin, ShellContext } from "../state.ts";

const ENOENT = -2;
const ENOTDIR = -20;

/** cat [file...]: `-` or no operand reads stdin. */
export const cat: Builtin = (ctx, argv, fds) => {
  const files = argv.slice(1).filter((a) => a !== "-u");
  if (files.length === 0) files.push("-");
  let status = 0;
  for (const f of files) {
    if (f === "-") {
      fds.stdout.write(readAll(fds.stdin));
      continue;
    }
    const info = ctx.host.stat(ctx.resolve(f));
    const text = typeof info !== "number" && info.kind === "dir" ? -21 : readFile(ctx, f);
    if (typeof text === "number") {
      fds.stderr.write(`${argv[0]}: ${f}: ${strerror(text)}\n`);
      status = 1;
    } else fds.stdout.write(text);
  }
  return status;
};

function readFile(ctx: ShellContext, path: string): string | number {
  if (path === "/dev/null") return "";
  return ctx.host.readFile(ctx.resolve(path));
}

/** "-rw-r--r--" / "drwxr-xr-x" as ls -l and stat %A show a mode. */
export function modeString(info: PathInfo): string {
  let s = info.kind === "dir" ? "d" : "-";
  for (let shift = 6; shift >= 0; shift -= 3) {
    const bits = (info.mode >> shift) & 7;
    s += (bits & 4 ? "r" : "-") + (bits & 2 ? "w" : "-") + (bits & 1 ? "x" : "-");
  }
  return s;
}

/**
 * ls [-l] [-a] [path...]: one name per line (output is never a terminal here). The VFS keeps no
 * sizes or times, so -l shows size 0 and the epoch's date.
 */
export const ls: Builtin = (ctx, argv, fds) => {
  const opts = argv.slice(1).filter((a) => /^-[la1]+$/.test(a));
  const long = opts.some((o) => o.includes("l"));
  const all = opts.some((o) => o.includes("a"));
  const paths = argv.slice(1).filter((a) => !/^-[la1]+$/.test(a));
  if (paths.length === 0) paths.push(".");
  let status = 0;
  const files: string[] = [];
  const dirs: string[] = [];
  for (const p of paths) {
    const info = ctx.host.stat(ctx.resolve(p));
    if (typeof info === "number") {
      fds.stderr.write(`${argv[0]}: cannot access '${p}': ${strerror(info)}\n`);
      status = 2;
    } else if (info.kind === "dir") dirs.push(p);
    else files.push(p);
  }
  for (const f of files.sort()) fds.stdout.write(entry(ctx, f, f, long));
  dirs.sort().forEach((d, i) => {
    if (paths.length > 1) fds.stdout.write(`${i > 0 || files.length ? "\n" : ""}${d}:\n`);
    const names = ctx.host.listDir(ctx.resolve(d));
    if (typeof names === "number") {
      fds.stderr.write(`${argv[0]}: cannot open directory '${d}': ${strerror(names)}\n`);
      status = 2;
      return;
    }
    const shown = names.filter((n) => all || !n.startsWith("."));
    if (long) fds.stdout.write(`total 0\n`);
    for (const n of shown) fds.stdout.write(entry(ctx, `${d}/${n}`, n, long));
  });
  return status;
};

function entry(ctx: ShellContext, path: string, name: string, long: boolean): string {
  if (!long) return `${name}\n`;
  const info = ctx.host.stat(ctx.resolve(path));
  if (typeof info === "number") return `${name}\n`;
  const links = info.kind === "dir" ? 2 : 1;
  return `${modeString(info)} ${links} ${info.owner} ${info.group} 0 Jan  1  1970 ${name}\n`;
}

/** stat -c/--format FORMAT file...: %a %A %U %G %n %F %%; without a format, a short summary. */
export const stat: Builtin = (ctx, argv, fds) => {
  let format: string | null = null;
  const files: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-c" || a === "--format" || a === "--printf") format = argv[++i] ?? "";
    else if (a.startsWith("--format=")) format = a.slice(9);
    else if (a === "-L") continue;
    else files.push(a);
  }
  if (files.length === 0) {
    fds.stderr.write(
      `${argv[0]}: missing operand\nTry '${argv[0]} --help' for more information.\n`,
    );
    return 1;
  }
  let status = 0;
  for (const f of files) {
    const info = ctx.host.stat(ctx.resolve(f));
    if (typeof info === "number") {
      fds.stderr.write(`${argv[0]}: cannot statx '${f}': ${strerror(info)}\n`);
      status = 1;
    } else fds.stdout.write(`${statFormat(format ?? DEFAULT_FORMAT, f, info)}\n`);
  }
  return status;
};

const DEFAULT_FORMAT = "  File: %n\nAccess: (0%a/%A)  Uid: (%U)   Gid: (%G)";

function statFormat(format: string, name: string, info: PathInfo): string {
  return format.replace(/%(.)/g, (whole, c: string) => {
    switch (c) {
      case "a":
        return info.mode.toString(8);
      case "A":
        return modeString(info);
      case "U":
        return info.owner;
      case "G":
        return info.group;
      case "n":
        return name;
      case "F":
        return info.kind === "dir" ? "directory" : "regular file";
      case "%":
        return "%";
      default:
        return whole;
    }
  });
}

/** cd [dir | -]: no operand goes to $HOME, `-` to $OLDPWD; sets PWD and OLDPWD. */
export const cd: Builtin = (ctx, argv, fds) => {
  const back = argv[1] === "-";
  const target = back ? ctx.state.vars.get("OLDPWD") : (argv[1] ?? ctx.state.vars.get("HOME"));
  if (target === undefined) {
    fds.stderr.write(`bash: cd: ${back ? "OLDPWD" : "HOME"} not set\n`);
    return 1;
  }
  const path = ctx.resolve(target);
  const info = ctx.host.stat(path);
  const rc = typeof info === "number" ? info : info.kind === "dir" ? 0 : ENOTDIR;
  if (rc < 0) {
    fds.stderr.write(`bash: cd: ${target}: ${strerror(rc || ENOENT)}\n`);
    return 1;
  }
  ctx.state.vars.set("OLDPWD", ctx.state.cwd);
  ctx.state.cwd = path;
  ctx.state.vars.set("PWD", path);
  if (back) fds.stdout.write(`${path}\n`); // `cd -` prints where it went
  return 0;
};

/** pwd: the shell's idea of the cwd. */
export const pwd: Builtin = (ctx, _argv, fds) => {
  fds.stdout.write(`${ctx.state.cwd}\n`);
  return 0;
};
