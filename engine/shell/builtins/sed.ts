// sed.ts: GNU sed over files or stdin, for the scripts the selftests' helpers and people's
// pipelines use: -n, -E/-r, -e (several), the s, d, p and q commands with addresses
// (sed-script.ts). Status: 0, 1 for a bad script or usage, 2 when an input file cannot be read.
import { strerror } from "../../strerror.ts";
import { readAll } from "../io.ts";
import type { Builtin } from "../state.ts";
import { parseSed, type Address, type Piece, type SedCommand } from "./sed-script.ts";

const USAGE = "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n";

interface SedOptions {
  quiet: boolean;
  extended: boolean;
  scripts: string[];
  files: string[];
}

function options(args: string[]): SedOptions | string {
  const o: SedOptions = { quiet: false, extended: false, scripts: [], files: [] };
  let explicit = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      o.files.push(...args.slice(i + 1));
      break;
    }
    if (a === "-n" || a === "--quiet" || a === "--silent") o.quiet = true;
    else if (a === "-E" || a === "-r" || a === "--regexp-extended") o.extended = true;
    else if (a === "-e" || a.startsWith("--expression=")) {
      const s = a === "-e" ? args[++i] : a.slice("--expression=".length);
      if (s === undefined) return `sed: option requires an argument -- 'e'\n${USAGE}`;
      o.scripts.push(s);
      explicit = true;
    } else if (/^-e./.test(a)) {
      o.scripts.push(a.slice(2));
      explicit = true;
    } else if (/^-[nEr]+$/.test(a)) {
      o.quiet ||= a.includes("n");
      o.extended ||= /[Er]/.test(a);
    } else if (/^-./.test(a)) {
      const bad = a.startsWith("--") ? `unrecognized option '${a}'` : `invalid option -- '${a[1]}'`;
      return `sed: ${bad}\n${USAGE}`;
    } else if (!explicit && o.scripts.length === 0) o.scripts.push(a);
    else o.files.push(a);
  }
  if (o.scripts.length === 0) return USAGE;
  return o;
}

/** sed [-nEr] [-e script]... [script] [file...] */
export const sed: Builtin = (ctx, argv, fds) => {
  const o = options(argv.slice(1));
  if (typeof o === "string") {
    fds.stderr.write(o);
    return 1;
  }
  const commands: SedCommand[] = [];
  for (const [i, s] of o.scripts.entries()) {
    const parsed = parseSed(s, i + 1, o.extended);
    if (typeof parsed === "string") {
      fds.stderr.write(`sed: ${parsed}\n`);
      return 1;
    }
    commands.push(...parsed);
  }
  let input = "";
  let status = 0;
  for (const f of o.files.length ? o.files : ["-"]) {
    const text = f === "-" ? readAll(fds.stdin) : ctx.host.readFile(ctx.resolve(f));
    if (typeof text === "number") {
      fds.stderr.write(`sed: can't read ${f}: ${strerror(text)}\n`);
      status = 2;
    } else input += text;
  }
  fds.stdout.write(run(commands, input, o.quiet));
  return status;
};

/** Runs the script over every line; a last line without a newline keeps none (GNU sed). */
function run(commands: readonly SedCommand[], input: string, quiet: boolean): string {
  if (input === "") return "";
  const lines = input.split("\n");
  const newlineAtEnd = lines[lines.length - 1] === "";
  if (newlineAtEnd) lines.pop();
  let out = "";
  const emit = (text: string, n: number) => {
    out += text + (n < lines.length - 1 || newlineAtEnd ? "\n" : "");
  };
  for (let n = 0; n < lines.length; n++) {
    let space = lines[n]!;
    const last = n === lines.length - 1;
    let deleted = false;
    let quit = false;
    for (const c of commands) {
      if (matches(c.address, space, n + 1, last) === c.negate) continue;
      if (c.kind === "d") {
        deleted = true;
        break;
      }
      if (c.kind === "p") emit(space, n);
      else if (c.kind === "q") {
        quit = true;
        break;
      } else if (c.kind === "s") {
        const r = substitute(c, space);
        if (r !== null) {
          space = r;
          if (c.print) emit(space, n);
        }
      }
    }
    if (!deleted && !quiet) emit(space, n);
    if (quit) break;
  }
  return out;
}

function matches(a: Address | null, space: string, n: number, last: boolean): boolean {
  if (a === null) return true;
  if (a.kind === "last") return last;
  if (a.kind === "line") return a.n === n;
  a.re.lastIndex = 0;
  return a.re.test(space);
}

/** s: the replaced text, or null when nothing matched. */
function substitute(c: Extract<SedCommand, { kind: "s" }>, space: string): string | null {
  let count = 0;
  let changed = false;
  const out = space.replace(c.re, (...m: unknown[]) => {
    const match = m[0] as string;
    count++;
    if (count < c.nth || (!c.global && count > c.nth)) return match;
    changed = true;
    return fill(c.pieces, m);
  });
  return changed ? out : null;
}

function fill(pieces: readonly Piece[], m: unknown[]): string {
  return pieces
    .map((p) => (typeof p === "string" ? p : ((m[p.group] as string | undefined) ?? "")))
    .join("");
}
