// awk.ts: awk for the one-liners of pipelines and of the selftests' functions.sh (`-F'[: ]'`,
// `/^livepatch:/{print $NF}`, `-v last=... 'p; $0 == last { p=1 }'`, sums in END): -F, -v,
// fields, NR, NF, FS, OFS, print and printf, with Debian's mawk's messages. The language it
// takes is in awk-parse.ts; no arrays, getline, output redirection or user functions.
import { strerror } from "../../strerror.ts";
import { BufferOutput, inputOf, readAll, type Fds } from "../io.ts";
import type { Builtin, ShellContext } from "../state.ts";
import { AwkSyntaxError, parseAwk, type Expr, type Item, type Stmt } from "./awk-parse.ts";
import { printf } from "./echo.ts";
import { translate } from "./grep.ts";

/** Input text (fields, -v values): a number when it looks like one, else a string (awk's strnum). */
class StrNum {
  constructor(readonly s: string) {}
}
type Val = number | string | StrNum;

const NUMERIC = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

function num(v: Val): number {
  if (typeof v === "number") return v;
  const s = typeof v === "string" ? v : v.s;
  const m = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(s);
  return m ? Number(m[0]) : 0;
}

/** A number as awk prints it: integers whole, others with %.6g (OFMT and CONVFMT). */
function str(v: Val): string {
  if (typeof v === "string") return v;
  if (v instanceof StrNum) return v.s;
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return String(v);
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "nan" : v < 0 ? "-inf" : "inf";
  const g = v.toPrecision(6);
  if (g.includes("e")) return g.replace(/\.?0+e/, "e").replace(/e([-+])(\d)$/, "e$10$2");
  return g.includes(".") ? g.replace(/\.?0+$/, "") : g;
}

function truthy(v: Val): boolean {
  if (typeof v === "number") return v !== 0;
  if (typeof v === "string") return v !== "";
  return NUMERIC.test(v.s) ? num(v) !== 0 : v.s !== "";
}

function numeric(v: Val): boolean {
  return typeof v === "number" || (v instanceof StrNum && NUMERIC.test(v.s));
}

/** A run-time error: mawk prints it with where it was, and exits 2. */
class Fatal {
  constructor(readonly message: string) {}
}

class Exit {
  constructor(readonly status: number) {}
}
class Next {}

class Awk {
  private vars = new Map<string, Val>();
  private fields: string[] = [""];
  private nr = 0;
  private readonly out: string[] = [];

  constructor(
    private readonly ctx: ShellContext,
    fs: string,
    assigns: [string, string][],
    /** FILENAME, as a run-time error names it. */
    private readonly filename: string,
  ) {
    this.vars.set("FS", fs);
    this.vars.set("OFS", " ");
    this.vars.set("ORS", "\n");
    for (const [k, v] of assigns) this.vars.set(k, new StrNum(v));
  }

  output(): string {
    return this.out.join("");
  }

  /** Runs BEGIN, every record, then END. @returns exit's status, or null to go on normally. */
  run(items: Item[], text: string | null): number | null {
    try {
      for (const it of items) if (it.pattern === "BEGIN") this.exec(it.action!);
      const main = items.filter((it) => it.pattern !== "BEGIN" && it.pattern !== "END");
      const end = items.filter((it) => it.pattern === "END");
      if (text !== null && (main.length || end.length)) {
        const records = text.split("\n");
        if (records[records.length - 1] === "") records.pop();
        for (const r of records) {
          this.nr++;
          this.setRecord(r);
          try {
            for (const it of main) this.item(it);
          } catch (e) {
            if (!(e instanceof Next)) throw e;
          }
        }
      }
      for (const it of end) this.exec(it.action!);
      return null;
    } catch (e) {
      if (e instanceof Exit) return e.status;
      if (!(e instanceof Fatal)) throw e;
      const where = `\tFILENAME="${this.filename}" FNR=${this.nr} NR=${this.nr}\n`;
      this.error = `awk: run time error: ${e.message}\n${this.nr ? where : ""}`;
      return 2;
    }
  }

  /** The run-time error that ended the run, for stderr. */
  error = "";

  private item(it: Item): void {
    if (it.pattern !== null && !truthy(this.eval(it.pattern as Expr))) return;
    if (it.action === null) this.print([]);
    else this.exec(it.action);
  }

  private setRecord(r: string): void {
    const fs = str(this.vars.get("FS") ?? " ");
    let parts: string[];
    if (r === "") parts = [];
    else if (fs === " ") parts = r.trim() === "" ? [] : r.trim().split(/[ \t\n]+/);
    else if (fs.length === 1 && fs !== "\\") parts = r.split(fs);
    else parts = r.split(this.compile(fs));
    this.fields = [r, ...parts];
  }

  private exec(stmts: Stmt[]): void {
    for (const s of stmts) this.stmt(s);
  }

  private stmt(s: Stmt): void {
    switch (s.k) {
      case "print":
        return this.print(s.args);
      case "printf":
        return this.printf(s.args);
      case "expr":
        this.eval(s.e);
        return;
      case "next":
        throw new Next();
      case "exit":
        throw new Exit(s.e ? Math.trunc(num(this.eval(s.e))) : 0);
      case "if":
        if (truthy(this.eval(s.c))) this.stmt(s.then);
        else if (s.else) this.stmt(s.else);
        return;
      case "block":
        return this.exec(s.body);
    }
  }

  private print(args: Expr[]): void {
    const parts = args.length ? args.map((a) => str(this.eval(a))) : [this.fields[0]!];
    this.out.push(parts.join(str(this.vars.get("OFS")!)) + str(this.vars.get("ORS")!));
  }

  /** printf: the shell's printf formats (the same conversions, %s %d %x %c %f...). */
  private printf(args: Expr[]): void {
    if (args.length === 0) return;
    const argv = ["printf", ...args.map((a) => str(this.eval(a)))];
    const stdout = new BufferOutput();
    printf(this.ctx, argv, { stdin: inputOf(""), stdout, stderr: new BufferOutput() });
    this.out.push(stdout.text);
  }

  private get(name: string): Val {
    if (name === "NR" || name === "FNR") return this.nr;
    if (name === "NF") return this.fields.length - 1;
    return this.vars.get(name) ?? new StrNum("");
  }

  private field(i: number): Val {
    return new StrNum(this.fields[i] ?? "");
  }

  private store(target: Expr, v: Val): Val {
    if (target.k === "var") {
      if (target.name === "NF") {
        this.fields.length = Math.max(1, Math.trunc(num(v)) + 1);
        this.rebuild();
      } else this.vars.set(target.name, v);
    } else if (target.k === "field") {
      const i = Math.trunc(num(this.eval(target.e)));
      if (i === 0) this.setRecord(str(v));
      else {
        while (this.fields.length <= i) this.fields.push("");
        this.fields[i] = str(v);
        this.rebuild();
      }
    }
    return v;
  }

  private rebuild(): void {
    this.fields[0] = this.fields.slice(1).join(str(this.vars.get("OFS")!));
  }

  private regex(e: Expr): RegExp {
    return this.compile(e.k === "re" ? e.src : str(this.eval(e)));
  }

  private compile(src: string): RegExp {
    try {
      return new RegExp(translate(src, true));
    } catch {
      const open = (src.match(/\(/g) ?? []).length - (src.match(/\)/g) ?? []).length;
      const why = open > 0 ? "missing ')'" : open < 0 ? "missing '('" : "bad regular expression";
      throw new Fatal(`regular expression compile failed (${why})\n${src}`);
    }
  }

  private eval(e: Expr): Val {
    switch (e.k) {
      case "num":
        return e.v;
      case "str":
        return e.v;
      case "re":
        return this.regex(e).test(this.fields[0]!) ? 1 : 0;
      case "field":
        return this.field(Math.trunc(num(this.eval(e.e))));
      case "var":
        return this.get(e.name);
      case "assign": {
        const v = this.eval(e.e);
        if (e.op === "=") return this.store(e.target, typeof v === "object" ? new StrNum(v.s) : v);
        return this.store(e.target, arith(e.op[0]!, num(this.eval(e.target)), num(v)));
      }
      case "step": {
        const old = num(this.eval(e.target));
        const now = old + (e.op === "++" ? 1 : -1);
        this.store(e.target, now);
        return e.prefix ? now : old;
      }
      case "match":
        return this.regex(e.re).test(str(this.eval(e.a))) !== e.negate ? 1 : 0;
      case "cat":
        return str(this.eval(e.a)) + str(this.eval(e.b));
      case "un": {
        const v = this.eval(e.e);
        if (e.op === "!") return truthy(v) ? 0 : 1;
        return e.op === "-" ? -num(v) : num(v);
      }
      case "bin":
        return this.binary(e.op, e.a, e.b);
      case "call":
        return this.call(
          e.name,
          e.args.map((a) => this.eval(a)),
        );
    }
  }

  private binary(op: string, a: Expr, b: Expr): Val {
    if (op === "&&") return truthy(this.eval(a)) && truthy(this.eval(b)) ? 1 : 0;
    if (op === "||") return truthy(this.eval(a)) || truthy(this.eval(b)) ? 1 : 0;
    const x = this.eval(a);
    const y = this.eval(b);
    if (["<", "<=", "==", "!=", ">", ">="].includes(op)) {
      const both = numeric(x) && numeric(y);
      const c = both ? num(x) - num(y) : str(x) < str(y) ? -1 : str(x) > str(y) ? 1 : 0;
      const r = {
        "<": c < 0,
        "<=": c <= 0,
        "==": c === 0,
        "!=": c !== 0,
        ">": c > 0,
        ">=": c >= 0,
      }[op];
      return r ? 1 : 0;
    }
    return arith(op, num(x), num(y));
  }

  private call(name: string, args: Val[]): Val {
    const s = str(args[0] ?? this.fields[0]!);
    if (name === "length") return [...s].length;
    if (name === "tolower") return s.toLowerCase();
    if (name === "toupper") return s.toUpperCase();
    if (name === "index") return s.indexOf(str(args[1] ?? "")) + 1;
    // substr(s, m[, n]): characters m.. (1-based, rounded), at most n of them.
    const chars = [...s];
    const m = Math.round(num(args[1] ?? 1));
    const n = args[2] === undefined ? Infinity : Math.round(num(args[2]));
    const from = Math.max(m, 1);
    const to = Math.min(m + n, chars.length + 1);
    return to > from ? chars.slice(from - 1, to - 1).join("") : "";
  }
}

function arith(op: string, x: number, y: number): number {
  switch (op) {
    case "+":
      return x + y;
    case "-":
      return x - y;
    case "*":
      return x * y;
    case "/":
      return x / y;
    case "%":
      return x % y;
    default:
      return x ** y;
  }
}

/** awk [-F fs] [-v var=value]... 'program' [file...] */
export const awk: Builtin = (ctx, argv, fds) => {
  let fs = " ";
  const assigns: [string, string][] = [];
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      i++;
      break;
    }
    if (a.startsWith("-F")) fs = a.length > 2 ? a.slice(2) : (argv[++i] ?? " ");
    else if (a.startsWith("-v")) {
      const v = a.length > 2 ? a.slice(2) : (argv[++i] ?? "");
      const eq = v.indexOf("=");
      if (eq < 1) return usage(fds, `awk: improper assignment: -v ${v}\n`);
      assigns.push([v.slice(0, eq), v.slice(eq + 1)]);
    } else break;
  }
  const program = argv[i];
  if (program === undefined) return usage(fds, "");
  let items: Item[];
  try {
    items = parseAwk(program);
  } catch (e) {
    if (!(e instanceof AwkSyntaxError)) throw e;
    fds.stderr.write(`awk: line 1: ${e.message}\n`);
    return 2;
  }
  const needsInput = items.some((it) => it.pattern !== "BEGIN");
  const text = needsInput ? input(ctx, argv.slice(i + 1), fds) : "";
  const files = argv.slice(i + 1);
  const name = files.length ? files[files.length - 1]! : "-";
  const machine = new Awk(ctx, fs === "t" ? "\t" : fs, assigns, name);
  const status = machine.run(items, typeof text === "string" ? text : null);
  fds.stdout.write(machine.output());
  fds.stderr.write(machine.error);
  return status ?? (typeof text === "number" ? 2 : 0);
};

/** The operands' text (stdin when none), or 2 after "cannot open" (mawk stops there). */
function input(ctx: ShellContext, files: string[], fds: Fds): string | number {
  if (files.length === 0) return readAll(fds.stdin);
  let text = "";
  for (const f of files) {
    const t = f === "-" ? readAll(fds.stdin) : ctx.host.readFile(ctx.resolve(f));
    if (typeof t === "number") {
      fds.stderr.write(`awk: cannot open ${f} (${strerror(t)})\n`);
      return 2;
    }
    text += t;
  }
  return text;
}

function usage(fds: Fds, msg: string): number {
  fds.stderr.write(msg || "usage: awk [-F value] [-v var=value] [--] 'program text' [file ...]\n");
  return 2;
}
