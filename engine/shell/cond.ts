// cond.ts: bash's [[ expression ]] (execute_cond_node): && || ! ( ), unary file and string
// tests, == and != against glob patterns, =~ against an extended regex, < and > on strings,
// and -eq... on arithmetic. Words expand without splitting or globbing, and only when reached.
import { err, ok, type Result } from "../result.ts";
import type { CondToken, Word } from "./ast.ts";
import { compareIntegers, UNARY } from "./builtins/test.ts";
import { arith, expandString, patternOf, regexOf, type ExpandEnv } from "./expand.ts";
import { plainText } from "./parse.ts";

/** What evaluation needs from the shell. */
export interface CondContext {
  /** The word expanded to one string. */
  str(w: Word): Result<string, string>;
  /** The word as a regex source: unquoted glob characters are wild (for == and !=). */
  pattern(w: Word): Result<string, string>;
  /** The word as a regex source for =~: quoted parts match literally. */
  regex(w: Word): Result<string, string>;
  unary(op: string, arg: string): boolean;
  arith(text: string): Result<bigint, string>;
}

/** The context for words expanded by `env`; `unary` answers the file and string tests. */
export function condContext(
  env: ExpandEnv,
  unary: (op: string, arg: string) => boolean,
): CondContext {
  return {
    str: (w) => expandString(w, env),
    pattern: (w) => patternOf(w, env, true),
    regex: (w) => regexOf(w, env),
    unary,
    arith: (t) => {
      const v = arith(t, env);
      return v.ok ? ok(BigInt(v.value)) : v;
    },
  };
}

type Node =
  | { t: "and" | "or"; a: Node; b: Node }
  | { t: "not"; a: Node }
  | { t: "unary"; op: string; arg: Word }
  | { t: "binary"; op: string; l: Word; r: Word }
  | { t: "word"; w: Word };

const BINARY = new Set([
  "==",
  "=",
  "!=",
  "=~",
  "-eq",
  "-ne",
  "-lt",
  "-le",
  "-gt",
  "-ge",
  "-nt",
  "-ot",
  "-ef",
]);
/** The message for a malformed expression (status 2). */
export const COND_SYNTAX = "syntax error in conditional expression";
const SYNTAX = COND_SYNTAX;

class CondError extends Error {}

/** Evaluates a [[ ]] expression. @returns true/false, or the message to print after "bash: ". */
export function evalCond(tokens: readonly CondToken[], ctx: CondContext): Result<boolean, string> {
  try {
    const p = new CondParser(tokens);
    const node = p.or();
    if (!p.done()) return err(SYNTAX);
    return ok(evaluate(node, ctx));
  } catch (e) {
    if (e instanceof CondError) return err(e.message);
    throw e;
  }
}

function text(tok: CondToken | undefined): string | null {
  if (!tok) return null;
  return tok.kind === "op" ? tok.op : plainText(tok.word);
}

class CondParser {
  private i = 0;
  constructor(private readonly tokens: readonly CondToken[]) {}

  done(): boolean {
    return this.i === this.tokens.length;
  }

  or(): Node {
    let a = this.and();
    while (this.isOp("||")) a = { t: "or", a, b: this.and() };
    return a;
  }

  private and(): Node {
    let a = this.not();
    while (this.isOp("&&")) a = { t: "and", a, b: this.not() };
    return a;
  }

  private isOp(op: string): boolean {
    const tok = this.tokens[this.i];
    if (tok?.kind !== "op" || tok.op !== op) return false;
    this.i++;
    return true;
  }

  private not(): Node {
    const tok = this.tokens[this.i];
    if (tok?.kind === "word" && plainText(tok.word) === "!") {
      this.i++;
      return { t: "not", a: this.not() };
    }
    return this.primary();
  }

  private word(): Word {
    const tok = this.tokens[this.i++];
    if (tok?.kind !== "word") throw new CondError(SYNTAX);
    return tok.word;
  }

  private primary(): Node {
    if (this.isOp("(")) {
      const n = this.or();
      if (!this.isOp(")")) throw new CondError(SYNTAX);
      return n;
    }
    const first = this.tokens[this.i];
    const op = text(this.tokens[this.i + 1]);
    const isBinary = op !== null && (BINARY.has(op) || op === "<" || op === ">");
    if (first?.kind === "word" && isBinary && this.tokens[this.i + 2]) {
      const l = this.word();
      this.i++;
      return { t: "binary", op: op!, l, r: this.word() };
    }
    const t = text(first);
    if (t !== null && UNARY.has(t) && this.tokens[this.i + 1]?.kind === "word") {
      this.i++;
      return { t: "unary", op: t, arg: this.word() };
    }
    return { t: "word", w: this.word() };
  }
}

function must<T>(r: Result<T, string>): T {
  if (!r.ok) throw new CondError(r.error);
  return r.value;
}

function evaluate(n: Node, ctx: CondContext): boolean {
  switch (n.t) {
    case "and":
      return evaluate(n.a, ctx) && evaluate(n.b, ctx);
    case "or":
      return evaluate(n.a, ctx) || evaluate(n.b, ctx);
    case "not":
      return !evaluate(n.a, ctx);
    case "word":
      return must(ctx.str(n.w)) !== "";
    case "unary":
      return ctx.unary(n.op, must(ctx.str(n.arg)));
    case "binary":
      return binary(n.op, n.l, n.r, ctx);
  }
}

function binary(op: string, lw: Word, rw: Word, ctx: CondContext): boolean {
  const l = must(ctx.str(lw));
  switch (op) {
    case "==":
    case "=":
    case "!=": {
      const re = new RegExp(`^(?:${must(ctx.pattern(rw))})$`, "s");
      return re.test(l) !== (op === "!=");
    }
    case "=~":
      try {
        return new RegExp(must(ctx.regex(rw))).test(l);
      } catch {
        return false; // bash: an invalid regex makes the test fail with status 2; close enough
      }
    case "<":
      return l < must(ctx.str(rw));
    case ">":
      return l > must(ctx.str(rw));
    case "-nt":
    case "-ot":
    case "-ef":
      return false; // the VFS keeps no times or inode numbers
  }
  return compareIntegers(op, must(ctx.arith(l)), must(ctx.arith(must(ctx.str(rw)))));
}
