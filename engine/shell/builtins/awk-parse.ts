// awk-parse.ts: the awk language the shell's awk runs (awk.ts), parsed to a tree: pattern-action
// items with BEGIN and END, print/printf/next/exit/if/blocks, and expressions with fields,
// variables, assignment, comparison, regex match, concatenation, arithmetic and a few built-in
// functions (length, substr, index, tolower, toupper). No arrays, getline or user functions.

export type Expr =
  | { k: "num"; v: number }
  | { k: "str"; v: string }
  | { k: "re"; src: string }
  | { k: "field"; e: Expr }
  | { k: "var"; name: string }
  | { k: "assign"; op: string; target: Expr; e: Expr }
  | { k: "bin"; op: string; a: Expr; b: Expr }
  | { k: "cat"; a: Expr; b: Expr }
  | { k: "un"; op: string; e: Expr }
  | { k: "match"; negate: boolean; a: Expr; re: Expr }
  | { k: "step"; op: "++" | "--"; prefix: boolean; target: Expr }
  | { k: "call"; name: string; args: Expr[] };

export type Stmt =
  | { k: "print" | "printf"; args: Expr[] }
  | { k: "expr"; e: Expr }
  | { k: "next" }
  | { k: "exit"; e: Expr | null }
  | { k: "if"; c: Expr; then: Stmt; else: Stmt | null }
  | { k: "block"; body: Stmt[] };

export interface Item {
  pattern: Expr | "BEGIN" | "END" | null;
  action: Stmt[] | null;
}

export const FUNCS = new Set(["length", "substr", "index", "tolower", "toupper"]);

type Tok =
  | { t: "num"; v: number }
  | { t: "str"; v: string }
  | { t: "re"; v: string }
  | { t: "name"; v: string }
  | { t: "op"; v: string }
  | { t: "nl" };

const OPS = [
  "&&",
  "||",
  "==",
  "!=",
  "<=",
  ">=",
  "!~",
  "++",
  "--",
  "+=",
  "-=",
  "*=",
  "/=",
  "%=",
  "^=",
];

export class AwkSyntaxError extends Error {}

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  // A `/` starts a regex where an operand may start (not after a value).
  const operandEnds = () => {
    const p = out[out.length - 1];
    return (
      p !== undefined &&
      (p.t === "num" ||
        p.t === "str" ||
        p.t === "name" ||
        (p.t === "op" && (p.v === ")" || p.v === "$")))
    );
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === " " || c === "\t" || (c === "\\" && src[i + 1] === "\n")) i += c === "\\" ? 2 : 1;
    else if (c === "#") while (i < src.length && src[i] !== "\n") i++;
    else if (c === "\n" || c === ";") {
      out.push(c === "\n" ? { t: "nl" } : { t: "op", v: ";" });
      i++;
    } else if (/[0-9.]/.test(c) && /^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.test(src.slice(i))) {
      const m = /^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(src.slice(i))!;
      out.push({ t: "num", v: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ t: "name", v: m[0] });
      i += m[0].length;
    } else if (c === '"') {
      let s = "";
      for (i++; i < src.length && src[i] !== '"'; i++) {
        if (src[i] === "\\" && i + 1 < src.length) {
          const n = src[++i]!;
          s +=
            n === "n"
              ? "\n"
              : n === "t"
                ? "\t"
                : n === "r"
                  ? "\r"
                  : n === "\\" || n === '"' || n === "/"
                    ? n
                    : `\\${n}`;
        } else s += src[i];
      }
      if (src[i] !== '"') throw new AwkSyntaxError("runaway string constant");
      out.push({ t: "str", v: s });
      i++;
    } else if (c === "/" && !operandEnds()) {
      let s = "";
      for (i++; i < src.length && src[i] !== "/"; i++) {
        if (src[i] === "\n") break;
        if (src[i] === "\\" && src[i + 1] === "/") s += src[++i];
        else if (src[i] === "\\") s += src[i]! + (src[++i] ?? "");
        else s += src[i];
      }
      if (src[i] !== "/") throw new AwkSyntaxError("runaway regular expression");
      out.push({ t: "re", v: s });
      i++;
    } else {
      const op = OPS.find((o) => src.startsWith(o, i)) ?? c;
      out.push({ t: "op", v: op });
      i += op.length;
    }
  }
  // mawk reads the program as a line: its end is the end of a line ("near end of line").
  out.push({ t: "nl" });
  return out;
}

/** Parses a program. @throws AwkSyntaxError with the text after "syntax error at or near". */
export function parseAwk(src: string): Item[] {
  return new AwkParser(lex(src)).program();
}

class AwkParser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(): Tok | undefined {
    return this.toks[this.i];
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t?.t === "op" && t.v === v;
  }
  private fail(): never {
    const t = this.peek();
    const near =
      t === undefined
        ? "end of file"
        : t.t === "nl"
          ? "end of line"
          : t.t === "op" || t.t === "name"
            ? t.v
            : t.t === "num"
              ? String(t.v)
              : t.t === "str"
                ? `"${t.v}"`
                : `/${t.v}/`;
    throw new AwkSyntaxError(`syntax error at or near ${near}`);
  }
  private expect(v: string): void {
    if (!this.isOp(v)) this.fail();
    this.i++;
  }
  private skipNl(): void {
    while (this.peek()?.t === "nl" || this.isOp(";")) this.i++;
  }
  private optNl(): void {
    while (this.peek()?.t === "nl") this.i++;
  }

  program(): Item[] {
    const items: Item[] = [];
    for (this.skipNl(); this.peek(); this.skipNl()) {
      const t = this.peek()!;
      let pattern: Item["pattern"] = null;
      if (t.t === "name" && (t.v === "BEGIN" || t.v === "END")) {
        this.i++;
        pattern = t.v;
      } else if (!this.isOp("{")) pattern = this.expr();
      const action = this.isOp("{") ? this.block() : null;
      if (action === null && (pattern === "BEGIN" || pattern === "END")) this.fail();
      items.push({ pattern, action });
    }
    return items;
  }

  private block(): Stmt[] {
    this.expect("{");
    const body: Stmt[] = [];
    for (this.skipNl(); !this.isOp("}"); this.skipNl()) {
      if (!this.peek()) this.fail();
      body.push(this.stmt());
    }
    this.i++;
    return body;
  }

  private stmt(): Stmt {
    const t = this.peek()!;
    if (t.t === "op" && t.v === "{") return { k: "block", body: this.block() };
    if (t.t === "name") {
      if (t.v === "print" || t.v === "printf") {
        this.i++;
        const args: Expr[] = [];
        if (!this.endOfSimple()) {
          args.push(this.expr(true));
          while (this.isOp(",")) {
            this.i++;
            this.optNl();
            args.push(this.expr(true));
          }
        }
        if (!this.endOfSimple()) this.fail();
        return { k: t.v, args };
      }
      if (t.v === "next") {
        this.i++;
        return { k: "next" };
      }
      if (t.v === "exit") {
        this.i++;
        return { k: "exit", e: this.endOfSimple() ? null : this.expr() };
      }
      if (t.v === "if") {
        this.i++;
        this.expect("(");
        const c = this.expr();
        this.expect(")");
        this.optNl();
        const then = this.stmt();
        const save = this.i;
        this.skipNl();
        if (this.peek()?.t === "name" && (this.peek() as { v: string }).v === "else") {
          this.i++;
          this.optNl();
          return { k: "if", c, then, else: this.stmt() };
        }
        this.i = save;
        return { k: "if", c, then, else: null };
      }
    }
    const e = this.expr();
    if (!this.endOfSimple()) this.fail();
    return { k: "expr", e };
  }

  private endOfSimple(): boolean {
    const t = this.peek();
    return t === undefined || t.t === "nl" || (t.t === "op" && (t.v === ";" || t.v === "}"));
  }

  /** `inPrint`: a `>` would be print's redirection, which this awk does not have. */
  private expr(inPrint = false): Expr {
    return this.assign(inPrint);
  }

  private assign(p: boolean): Expr {
    const left = this.or(p);
    const t = this.peek();
    if (t?.t === "op" && ["=", "+=", "-=", "*=", "/=", "%=", "^="].includes(t.v)) {
      if (left.k !== "var" && left.k !== "field") this.fail();
      this.i++;
      return { k: "assign", op: t.v, target: left, e: this.assign(p) };
    }
    return left;
  }

  private or(p: boolean): Expr {
    let a = this.and(p);
    while (this.isOp("||")) {
      this.i++;
      this.optNl();
      a = { k: "bin", op: "||", a, b: this.and(p) };
    }
    return a;
  }

  private and(p: boolean): Expr {
    let a = this.match(p);
    while (this.isOp("&&")) {
      this.i++;
      this.optNl();
      a = { k: "bin", op: "&&", a, b: this.match(p) };
    }
    return a;
  }

  private match(p: boolean): Expr {
    let a = this.compare(p);
    while (this.isOp("~") || this.isOp("!~")) {
      const negate = this.isOp("!~");
      this.i++;
      a = { k: "match", negate, a, re: this.compare(p) };
    }
    return a;
  }

  private compare(p: boolean): Expr {
    const a = this.concat();
    const t = this.peek();
    const ops = p ? ["<", "<=", "==", "!=", ">="] : ["<", "<=", "==", "!=", ">", ">="];
    if (t?.t === "op" && ops.includes(t.v)) {
      this.i++;
      return { k: "bin", op: t.v, a, b: this.concat() };
    }
    return a;
  }

  private concat(): Expr {
    let a = this.additive();
    for (;;) {
      const t = this.peek();
      const starts =
        t !== undefined &&
        (t.t === "num" ||
          t.t === "str" ||
          t.t === "re" ||
          (t.t === "name" && !["in", "else"].includes(t.v)) ||
          (t.t === "op" && ["$", "(", "!", "++", "--"].includes(t.v)));
      if (!starts || (t.t === "op" && t.v === "!" && this.toks[this.i + 1]?.t === "op")) return a;
      a = { k: "cat", a, b: this.additive() };
    }
  }

  private additive(): Expr {
    let a = this.mult();
    while (this.isOp("+") || this.isOp("-")) {
      const op = (this.peek() as { v: string }).v;
      this.i++;
      a = { k: "bin", op, a, b: this.mult() };
    }
    return a;
  }

  private mult(): Expr {
    let a = this.unary();
    while (this.isOp("*") || this.isOp("/") || this.isOp("%")) {
      const op = (this.peek() as { v: string }).v;
      this.i++;
      a = { k: "bin", op, a, b: this.unary() };
    }
    return a;
  }

  private unary(): Expr {
    if (this.isOp("!") || this.isOp("-") || this.isOp("+")) {
      const op = (this.peek() as { v: string }).v;
      this.i++;
      return { k: "un", op, e: this.unary() };
    }
    return this.power();
  }

  private power(): Expr {
    const a = this.step();
    if (this.isOp("^")) {
      this.i++;
      return { k: "bin", op: "^", a, b: this.unary() };
    }
    return a;
  }

  private step(): Expr {
    if (this.isOp("++") || this.isOp("--")) {
      const op = (this.peek() as { v: "++" | "--" }).v;
      this.i++;
      const target = this.primary();
      if (target.k !== "var" && target.k !== "field") this.fail();
      return { k: "step", op, prefix: true, target };
    }
    const e = this.primary();
    if ((e.k === "var" || e.k === "field") && (this.isOp("++") || this.isOp("--"))) {
      const op = (this.peek() as { v: "++" | "--" }).v;
      this.i++;
      return { k: "step", op, prefix: false, target: e };
    }
    return e;
  }

  private primary(): Expr {
    const t = this.peek();
    if (t === undefined) this.fail();
    this.i++;
    if (t.t === "num") return { k: "num", v: t.v };
    if (t.t === "str") return { k: "str", v: t.v };
    if (t.t === "re") return { k: "re", src: t.v };
    if (t.t === "op" && t.v === "$") return { k: "field", e: this.step() };
    if (t.t === "op" && t.v === "(") {
      const e = this.expr();
      this.expect(")");
      return e;
    }
    if (t.t === "name" && FUNCS.has(t.v)) {
      const args: Expr[] = [];
      if (this.isOp("(")) {
        this.i++;
        if (!this.isOp(")")) {
          args.push(this.expr());
          while (this.isOp(",")) {
            this.i++;
            args.push(this.expr());
          }
        }
        this.expect(")");
      }
      return { k: "call", name: t.v, args };
    }
    if (
      t.t === "name" &&
      !["BEGIN", "END", "if", "else", "print", "printf", "next", "exit", "in"].includes(t.v)
    ) {
      return { k: "var", name: t.v };
    }
    this.i--;
    return this.fail();
  }
}
