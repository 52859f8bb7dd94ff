// arith.ts: shell arithmetic for $((...)) (bash's expr.c): 64-bit integers, C operators with C
// precedence, variables by name (unset or empty is 0), assignments and ++/--. Errors read like
// bash's: "1/0: division by 0 (error token is \"0\")".
import { err, ok, type Result } from "../result.ts";

/** Variable access for arithmetic. */
export interface ArithVars {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  /** Whether `name` is an associative array: its subscript is the text as written, not a value. */
  isAssoc?(name: string): boolean;
}

type Node =
  | { t: "num"; v: bigint }
  | { t: "var"; name: string; index?: Node; sub?: string }
  | { t: "un"; op: string; a: Node }
  | { t: "bin"; op: string; a: Node; b: Node; at: number }
  | { t: "cond"; c: Node; a: Node; b: Node }
  | { t: "assign"; op: string; name: string; b: Node; index?: Node; sub?: string }
  | { t: "step"; op: "++" | "--"; name: string; prefix: boolean; index?: Node; sub?: string };

class ArithError extends Error {}

const BINARY: readonly (readonly string[])[] = [
  ["||"],
  ["&&"],
  ["|"],
  ["^"],
  ["&"],
  ["==", "!="],
  ["<=", ">=", "<", ">"],
  ["<<", ">>"],
  ["+", "-"],
  ["*", "/", "%"],
  ["**"], // bash's is right-associative; chains of ** are left to right here
];
const TOKEN =
  /^\s*(0[xX][0-9a-fA-F]+|\d[0-9A-Za-z_]*|[A-Za-z_][A-Za-z0-9_]*|\*\*|<<=|>>=|\+\+|--|[-+*/%&|^]=|&&|\|\||<<|>>|<=|>=|==|!=|[-+*/%()!~<>=?:&|^,[\]])/;

/** Evaluates `expr`. @returns the value, or bash's message (without "bash: "). */
export function evalArith(expr: string, vars: ArithVars): Result<bigint, string> {
  try {
    const p = new ArithParser(expr);
    const node = p.parse();
    return ok(evaluate(node, vars, expr, 0));
  } catch (e) {
    if (e instanceof ArithError) return err(e.message);
    throw e;
  }
}

class ArithParser {
  private readonly tokens: { s: string; at: number }[] = [];
  private i = 0;

  constructor(private readonly src: string) {
    let pos = 0;
    for (;;) {
      const rest = src.slice(pos);
      if (rest.trim() === "") break;
      const m = TOKEN.exec(rest);
      if (!m) throw this.error("syntax error: invalid arithmetic operator", rest.trimStart());
      this.tokens.push({ s: m[1]!, at: pos + m[0].length - m[1]!.length });
      pos += m[0].length;
    }
  }

  parse(): Node {
    if (this.tokens.length === 0) return { t: "num", v: 0n };
    const n = this.comma();
    const extra = this.tokens[this.i];
    if (extra) throw this.error("syntax error in expression", this.src.slice(extra.at));
    return n;
  }

  private error(what: string, token: string): ArithError {
    // bash drops the leading blanks of the expression and of the token, not the trailing ones.
    return new ArithError(`${this.src.trimStart()}: ${what} (error token is "${token}")`);
  }

  private peek(): string | undefined {
    return this.tokens[this.i]?.s;
  }

  private comma(): Node {
    let n = this.assign();
    while (this.peek() === ",") {
      this.i++;
      n = { t: "bin", op: ",", a: n, b: this.assign(), at: 0 };
    }
    return n;
  }

  private assign(): Node {
    const name = this.peek();
    if (name && /^[A-Za-z_]/.test(name)) {
      const start = this.i;
      this.i++;
      const index = this.index();
      const op = this.peek();
      if (op && /^([-+*/%&|^]|<<|>>)?=$/.test(op)) {
        this.i++;
        return { t: "assign", op, name, b: this.assign(), ...index };
      }
      this.i = start;
    }
    return this.conditional();
  }

  /** `[expr]` after a name: an array element's subscript. */
  private index(): { index?: Node; sub?: string } {
    if (this.peek() !== "[") return {};
    const from = this.tokens[this.i]!.at + 1;
    this.i++;
    const index = this.comma();
    const close = this.tokens[this.i];
    if (close?.s !== "]") throw this.error("missing `]'", this.rest());
    this.i++;
    return { index, sub: this.src.slice(from, close.at).trim() };
  }

  private conditional(): Node {
    const c = this.binary(0);
    if (this.peek() !== "?") return c;
    this.i++;
    const a = this.assign();
    if (this.peek() !== ":") throw this.error("expected `:'", this.rest());
    this.i++;
    return { t: "cond", c, a, b: this.conditional() };
  }

  private binary(level: number): Node {
    if (level === BINARY.length) return this.unary();
    let n = this.binary(level + 1);
    for (;;) {
      const tok = this.tokens[this.i];
      if (!tok || !BINARY[level]!.includes(tok.s)) return n;
      this.i++;
      n = { t: "bin", op: tok.s, a: n, b: this.binary(level + 1), at: tok.at };
    }
  }

  private unary(): Node {
    const op = this.peek();
    if (op === "++" || op === "--") {
      this.i++;
      const name = this.peek();
      if (!name || !/^[A-Za-z_]/.test(name))
        throw this.error("syntax error: operand expected", this.rest());
      this.i++;
      return { t: "step", op, name, prefix: true, ...this.index() };
    }
    if (op === "-" || op === "+" || op === "!" || op === "~") {
      this.i++;
      return { t: "un", op, a: this.unary() };
    }
    return this.primary();
  }

  private primary(): Node {
    const tok = this.tokens[this.i];
    if (!tok) {
      // At the end bash names the last token read (its lasttp) as the culprit.
      const prev = this.tokens[this.i - 1];
      throw this.error("syntax error: operand expected", prev ? this.src.slice(prev.at) : "");
    }
    this.i++;
    if (tok.s === "(") {
      const n = this.comma();
      if (this.peek() !== ")") throw this.error("missing `)'", this.rest());
      this.i++;
      return n;
    }
    if (/^\d/.test(tok.s)) return { t: "num", v: number(tok.s, this) };
    if (/^[A-Za-z_]/.test(tok.s)) {
      const index = this.index();
      const post = this.peek();
      if (post === "++" || post === "--") {
        this.i++;
        return { t: "step", op: post, name: tok.s, prefix: false, ...index };
      }
      return { t: "var", name: tok.s, ...index };
    }
    this.i--;
    throw this.error("syntax error: operand expected", this.rest());
  }

  rest(): string {
    const tok = this.tokens[this.i];
    return tok ? this.src.slice(tok.at) : "";
  }

  fail(what: string, token: string): never {
    throw this.error(what, token);
  }
}

function number(s: string, p: ArithParser): bigint {
  if (/^0[xX]/.test(s)) return BigInt(s);
  if (/^0[0-7]+$/.test(s)) return BigInt(`0o${s.slice(1)}`);
  // A digit run that goes on with letters ("1a") is one constant whose digits exceed base 10.
  if (/^0\d+$/.test(s) || !/^\d+$/.test(s)) p.fail("value too great for base", s);
  return BigInt(s);
}

const wrap = (v: bigint) => BigInt.asIntN(64, v);
const bool = (b: boolean) => (b ? 1n : 0n);

function evaluate(n: Node, vars: ArithVars, src: string, depth: number): bigint {
  const ev = (m: Node) => evaluate(m, vars, src, depth);
  // An element is read and set as `name[i]` (the shell resolves a negative i).
  const key = (m: { name: string; index?: Node; sub?: string }) => {
    if (!m.index) return m.name;
    if (vars.isAssoc?.(m.name)) return `${m.name}[${m.sub ?? ""}]`;
    return `${m.name}[${ev(m.index)}]`;
  };
  switch (n.t) {
    case "num":
      return n.v;
    case "var":
      return variable(key(n), vars, depth);
    case "un": {
      const a = ev(n.a);
      return n.op === "-" ? wrap(-a) : n.op === "!" ? bool(a === 0n) : n.op === "~" ? ~a : a;
    }
    case "cond":
      return ev(n.c) !== 0n ? ev(n.a) : ev(n.b);
    case "step": {
      const name = key(n);
      const old = variable(name, vars, depth);
      const v = wrap(n.op === "++" ? old + 1n : old - 1n);
      vars.set(name, String(v));
      return n.prefix ? v : old;
    }
    case "assign": {
      const name = key(n);
      const b = ev(n.b);
      const op = n.op.slice(0, -1);
      const v = op ? apply(op, variable(name, vars, depth), b, src, n.op) : b;
      vars.set(name, String(v));
      return v;
    }
    case "bin":
      if (n.op === "&&") return bool(ev(n.a) !== 0n && ev(n.b) !== 0n);
      if (n.op === "||") return bool(ev(n.a) !== 0n || ev(n.b) !== 0n);
      if (n.op === ",") {
        ev(n.a);
        return ev(n.b);
      }
      return apply(n.op, ev(n.a), ev(n.b), src, src.slice(n.at + n.op.length).trimStart());
  }
}

function apply(op: string, a: bigint, b: bigint, src: string, token: string): bigint {
  if ((op === "/" || op === "%") && b === 0n) {
    throw new ArithError(`${src.trimStart()}: division by 0 (error token is "${token}")`);
  }
  switch (op) {
    case "+":
      return wrap(a + b);
    case "-":
      return wrap(a - b);
    case "*":
      return wrap(a * b);
    case "/":
      return wrap(a / b);
    case "%":
      return a % b;
    case "**":
      if (b < 0n)
        throw new ArithError(
          `${src.trimStart()}: exponent less than 0 (error token is "${token}")`,
        );
      return wrap(a ** b);
    case "<<":
      return wrap(a << (b & 63n));
    case ">>":
      return a >> (b & 63n);
    case "&":
      return a & b;
    case "|":
      return a | b;
    case "^":
      return a ^ b;
    case "==":
      return bool(a === b);
    case "!=":
      return bool(a !== b);
    case "<":
      return bool(a < b);
    case "<=":
      return bool(a <= b);
    case ">":
      return bool(a > b);
    default:
      return bool(a >= b);
  }
}

/** A variable's value as a number; its text is itself an expression (bash), to a small depth. */
function variable(name: string, vars: ArithVars, depth: number): bigint {
  const text = (vars.get(name) ?? "").trim();
  if (text === "") return 0n;
  if (/^-?\d+$/.test(text)) return BigInt(text);
  if (depth > 8) throw new ArithError(`${text}: expression recursion level exceeded`);
  const p = new ArithParser(text);
  return evaluate(p.parse(), vars, text, depth + 1);
}
