// parse.ts: a recursive-descent parser for the shell's POSIX sh subset: words with quoting,
// $var/${var}/$?/$!/$(...)/$((...)), assignments, redirections (>, >>, <, n>&m, &>), pipelines, && and ||,
// ; and &, if/elif/else, while/until, for, { } and ( ) groups, and function definitions
// (`name()` and bash's `function name`).
// Errors read like bash's: "syntax error near unexpected token `fi'".
import { err, ok, type Result } from "../result.ts";
import type {
  AndOr,
  ParamOp,
  Command,
  ForCommand,
  IfCommand,
  ListItem,
  LoopCommand,
  Pipeline,
  Program,
  Redirect,
  SimpleCommand,
  Word,
  WordPart,
} from "./ast.ts";

const META = new Set([" ", "\t", "\n", ";", "&", "|", "(", ")", "<", ">"]);
const OPERATORS = ["&&", "||", ">>", ">&", ";", "&", "|", "(", ")", "<", ">", "\n"];
const RESERVED = new Set([
  "if",
  "then",
  "elif",
  "else",
  "fi",
  "do",
  "done",
  "while",
  "until",
  "for",
  "in",
  "{",
  "}",
  "!",
]);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

class SyntaxError_ extends Error {}

/** Parses a script. @returns the program, or bash's syntax error message. */
export function parseShell(src: string): Result<Program, string> {
  const p = new Parser(src);
  try {
    const program = p.program(new Set(), false);
    p.expectEnd();
    return ok(program);
  } catch (e) {
    if (e instanceof SyntaxError_) return err(e.message);
    throw e;
  }
}

/** The literal text of a word made of unquoted literal parts only, else null. */
export function plainText(w: Word): string | null {
  let s = "";
  for (const part of w.parts) {
    if (part.kind !== "lit" || part.quoted) return null;
    s += part.text;
  }
  return s;
}

class Parser {
  private pos = 0;

  constructor(private readonly src: string) {}

  expectEnd(): void {
    this.blanks();
    if (this.pos < this.src.length) this.unexpected();
  }

  /** A list of and-or lists up to EOF, a reserved terminator word, or `)` when `inParens`. */
  program(terminators: ReadonlySet<string>, inParens: boolean): Program {
    const items: ListItem[] = [];
    for (;;) {
      this.linebreaks();
      if (this.atEnd() || (inParens && this.peekOp() === ")")) break;
      const word = this.peekReserved();
      if (word !== null && terminators.has(word)) break;
      const command = this.andOr();
      const op = this.peekOp();
      const background = op === "&";
      if (op === ";" || op === "&") this.pos++;
      items.push({ command, background });
      if (op !== ";" && op !== "&" && op !== "\n") break;
    }
    return { items };
  }

  private andOr(): AndOr {
    const first = this.pipeline();
    const rest: AndOr["rest"] = [];
    for (;;) {
      const op = this.peekOp();
      if (op !== "&&" && op !== "||") return { first, rest };
      this.pos += 2;
      this.linebreaks();
      rest.push({ op, pipeline: this.pipeline() });
    }
  }

  private pipeline(): Pipeline {
    let negate = false;
    if (this.peekReserved() === "!") {
      this.word();
      negate = true;
    }
    const commands = [this.command()];
    while (this.peekOp() === "|") {
      this.pos++;
      this.linebreaks();
      commands.push(this.command());
    }
    return { negate, commands };
  }

  private command(): Command {
    this.blanks();
    if (this.peekOp() === "(") {
      this.pos++;
      const body = this.program(new Set(), true);
      this.expectOp(")");
      return { type: "subshell", body, redirects: this.redirects() };
    }
    switch (this.peekReserved()) {
      case "if":
        return this.ifCommand();
      case "while":
      case "until":
        return this.loop();
      case "for":
        return this.forCommand();
      case "{":
        return this.group();
      case null:
        break;
      default:
        this.unexpected();
    }
    return this.functionDef() ?? this.simple();
  }

  private ifCommand(): IfCommand {
    this.word(); // if
    const clauses: IfCommand["clauses"] = [];
    let otherwise: Program | null = null;
    for (;;) {
      const cond = this.program(new Set(["then"]), false);
      this.expectReserved("then");
      const body = this.program(new Set(["elif", "else", "fi"]), false);
      clauses.push({ cond, body });
      const next = this.expectReserved("elif", "else", "fi");
      if (next === "elif") continue;
      if (next === "else") {
        otherwise = this.program(new Set(["fi"]), false);
        this.expectReserved("fi");
      }
      return { type: "if", clauses, otherwise, redirects: this.redirects() };
    }
  }

  private loop(): LoopCommand {
    const type = this.peekReserved() as "while" | "until";
    this.word();
    const cond = this.program(new Set(["do"]), false);
    const body = this.doGroup();
    return { type, cond, body, redirects: this.redirects() };
  }

  private forCommand(): ForCommand {
    this.word(); // for
    this.blanks();
    const nameWord = this.word();
    const name = nameWord ? plainText(nameWord) : null;
    if (name === null || !NAME.test(name)) this.unexpected();
    this.linebreaks();
    let items: Word[] | null = null;
    if (this.peekReserved() === "in") {
      this.word();
      items = [];
      for (let w = this.wordHere(); w; w = this.wordHere()) items.push(w);
      const op = this.peekOp();
      if (op !== ";" && op !== "\n") this.unexpected();
      this.pos++;
    } else if (this.peekOp() === ";") this.pos++;
    return { type: "for", name: name!, items, body: this.doGroup(), redirects: this.redirects() };
  }

  private doGroup(): Program {
    this.linebreaks();
    this.expectReserved("do");
    const body = this.program(new Set(["done"]), false);
    this.expectReserved("done");
    return body;
  }

  private group(): Command {
    this.word(); // {
    const body = this.program(new Set(["}"]), false);
    this.expectReserved("}");
    return { type: "group", body, redirects: this.redirects() };
  }

  private functionDef(): Command | null {
    const save = this.pos;
    this.blanks();
    const w = this.word();
    const name = w ? plainText(w) : null;
    this.blanks();
    if (name === "function") return this.functionKeyword();
    if (name && NAME.test(name) && this.src.startsWith("(", this.pos)) {
      this.pos++;
      this.blanks();
      if (this.src.startsWith(")", this.pos)) {
        this.pos++;
        this.linebreaks();
        return { type: "function", name, body: this.command() };
      }
    }
    this.pos = save;
    return null;
  }

  /** bash's `function name [()] body`: the parentheses are optional after the keyword. */
  private functionKeyword(): Command {
    const w = this.word();
    const name = w ? plainText(w) : null;
    if (name === null || !NAME.test(name)) this.unexpected();
    this.blanks();
    if (this.src.startsWith("(", this.pos)) {
      this.pos++;
      this.blanks();
      if (!this.src.startsWith(")", this.pos)) this.unexpected();
      this.pos++;
    }
    this.linebreaks();
    return { type: "function", name: name!, body: this.command() };
  }

  private simple(): SimpleCommand {
    const cmd: SimpleCommand = { type: "simple", assigns: [], words: [], redirects: [] };
    for (;;) {
      const r = this.redirect();
      if (r) {
        cmd.redirects.push(...r);
        continue;
      }
      const w = this.wordHere();
      if (!w) break;
      const assign = cmd.words.length === 0 ? asAssignment(w) : null;
      if (assign) cmd.assigns.push(assign);
      else cmd.words.push(w);
    }
    if (!cmd.words.length && !cmd.assigns.length && !cmd.redirects.length) this.unexpected();
    return cmd;
  }

  private redirects(): Redirect[] {
    const out: Redirect[] = [];
    for (let r = this.redirect(); r; r = this.redirect()) out.push(...r);
    return out;
  }

  /** One redirection; bash's `&>f` / `&>>f` come back as the pair `>f 2>&1`. */
  private redirect(): Redirect[] | null {
    this.blanks();
    const both = /^&(>>?)/.exec(this.src.slice(this.pos, this.pos + 3));
    if (both) {
      this.pos += both[0].length;
      const target = this.wordHere();
      if (!target) this.unexpected();
      const op = both[1] as ">" | ">>";
      const one: Word = { parts: [{ kind: "lit", text: "1", quoted: false }] };
      return [
        { fd: 1, op, target: target! },
        { fd: 2, op: ">&", target: one },
      ];
    }
    const m = /^(\d*)(>>|>&|>|<)/.exec(this.src.slice(this.pos, this.pos + 12));
    if (!m) return null;
    const op = m[2] as Redirect["op"];
    const fd = m[1] ? Number(m[1]) : op === "<" ? 0 : 1;
    this.pos += m[0].length;
    const target = this.wordHere();
    if (!target) this.unexpected();
    return [{ fd, op, target: target! }];
  }

  /** Skips blanks, then reads a word if one starts here (not an operator). */
  private wordHere(): Word | null {
    this.blanks();
    if (this.atEnd() || /^\d*[<>]/.test(this.src.slice(this.pos, this.pos + 12))) return null;
    return this.word();
  }

  private word(): Word | null {
    this.blanks();
    const parts: WordPart[] = [];
    let lit = "";
    const flush = (quoted: boolean) => {
      if (lit) parts.push({ kind: "lit", text: lit, quoted });
      lit = "";
    };
    while (this.pos < this.src.length) {
      const c = this.src[this.pos]!;
      if (META.has(c)) break;
      if (c === "'") {
        flush(false);
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) this.eof();
        parts.push({ kind: "lit", text: this.src.slice(this.pos + 1, end), quoted: true });
        this.pos = end + 1;
      } else if (c === '"') {
        flush(false);
        this.pos++;
        this.doubleQuoted(parts);
      } else if (c === "\\") {
        lit += this.src[this.pos + 1] ?? "";
        this.pos += 2;
      } else if (c === "$" && this.dollarStarts()) {
        flush(false);
        parts.push(this.dollar(false));
      } else {
        lit += c;
        this.pos++;
      }
    }
    flush(false);
    if (parts.length === 0) return null;
    return { parts };
  }

  private doubleQuoted(parts: WordPart[]): void {
    let lit = "";
    for (;;) {
      if (this.pos >= this.src.length) this.eof();
      const c = this.src[this.pos]!;
      if (c === '"') {
        this.pos++;
        break;
      }
      if (c === "\\" && '$`"\\\n'.includes(this.src[this.pos + 1] ?? "")) {
        if (this.src[this.pos + 1] !== "\n") lit += this.src[this.pos + 1];
        this.pos += 2;
      } else if (c === "$" && this.dollarStarts()) {
        if (lit) parts.push({ kind: "lit", text: lit, quoted: true });
        lit = "";
        parts.push(this.dollar(true));
      } else {
        lit += c;
        this.pos++;
      }
    }
    parts.push({ kind: "lit", text: lit, quoted: true });
  }

  private dollarStarts(): boolean {
    return /^\$([A-Za-z_{(?!$#@*0-9])/.test(this.src.slice(this.pos, this.pos + 2));
  }

  private dollar(quoted: boolean): WordPart {
    this.pos++; // $
    const c = this.src[this.pos]!;
    if (this.src.startsWith("((", this.pos)) {
      const end = this.arithEnd(this.pos + 2);
      if (end >= 0) {
        const expr = this.src.slice(this.pos + 2, end);
        this.pos = end + 2;
        return { kind: "arith", expr, quoted };
      }
    }
    if (c === "(") {
      this.pos++;
      const program = this.program(new Set(), true);
      this.expectOp(")");
      return { kind: "cmdsub", program, quoted };
    }
    if (c === "{") return this.braced(quoted);
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[?!$#@*0-9])/.exec(this.src.slice(this.pos))!;
    this.pos += m[0].length;
    return { kind: "var", name: m[0], quoted };
  }

  /** ${name}, ${#name}, ${name<op>word} (op one of - = + ? with optional :, # ## % %%). */
  private braced(quoted: boolean): WordPart {
    const start = this.pos - 1; // at "$"
    this.pos++; // {
    const bad = (): never => {
      const end = this.src.indexOf("}", this.pos);
      if (end < 0) this.eof();
      throw new SyntaxError_(`${this.src.slice(start, end + 1)}: bad substitution`);
    };
    const param = /^([A-Za-z_][A-Za-z0-9_]*|[?!$#@*0-9])/;
    if (this.src[this.pos] === "#" && this.src[this.pos + 1] !== "}") {
      const m = param.exec(this.src.slice(this.pos + 1));
      if (!m || this.src[this.pos + 1 + m[0].length] !== "}") bad();
      this.pos += m![0].length + 2;
      return { kind: "var", name: m![0], quoted, op: "length" };
    }
    const m = param.exec(this.src.slice(this.pos)) ?? bad();
    this.pos += m[0].length;
    if (this.src[this.pos] === "}") {
      this.pos++;
      return { kind: "var", name: m[0], quoted };
    }
    const op = /^(:[-=+?]|[-=+?]|##|#|%%|%)/.exec(this.src.slice(this.pos)) ?? bad();
    this.pos += op[0].length;
    const arg = this.braceWord(quoted);
    return { kind: "var", name: m[0], quoted, op: op[0] as ParamOp, arg };
  }

  /** The word after a ${name<op>, up to the unmatched `}` (consumed). */
  private braceWord(inDquote: boolean): Word {
    const parts: WordPart[] = [];
    let lit = "";
    const flush = () => {
      if (lit) parts.push({ kind: "lit", text: lit, quoted: inDquote });
      lit = "";
    };
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) this.eof();
      if (c === "}") break;
      if (c === "'" && !inDquote) {
        flush();
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) this.eof();
        parts.push({ kind: "lit", text: this.src.slice(this.pos + 1, end), quoted: true });
        this.pos = end + 1;
      } else if (c === '"') {
        flush();
        this.pos++;
        this.doubleQuoted(parts);
      } else if (c === "\\") {
        flush();
        parts.push({ kind: "lit", text: this.src[this.pos + 1] ?? "", quoted: true });
        this.pos += 2;
      } else if (c === "$" && this.dollarStarts()) {
        flush();
        parts.push(this.dollar(inDquote));
      } else {
        lit += c;
        this.pos++;
      }
    }
    flush();
    this.pos++; // }
    return { parts };
  }

  /** Where the `))` closing an arithmetic expansion starts, or -1 (then it is `$( (...) )`). */
  private arithEnd(from: number): number {
    let depth = 0;
    for (let i = from; i < this.src.length; i++) {
      const c = this.src[i];
      if (c === "(") depth++;
      else if (c === ")") {
        if (depth === 0) return this.src[i + 1] === ")" ? i : -1;
        depth--;
      }
    }
    return -1;
  }

  private blanks(): void {
    for (;;) {
      const c = this.src[this.pos];
      if (c === " " || c === "\t") this.pos++;
      else if (c === "\\" && this.src[this.pos + 1] === "\n") this.pos += 2;
      else if (c === "#") {
        const nl = this.src.indexOf("\n", this.pos);
        this.pos = nl < 0 ? this.src.length : nl;
      } else return;
    }
  }

  private linebreaks(): void {
    for (;;) {
      this.blanks();
      if (this.src[this.pos] !== "\n") return;
      this.pos++;
    }
  }

  private peekOp(): string | null {
    this.blanks();
    for (const op of OPERATORS) if (this.src.startsWith(op, this.pos)) return op;
    return null;
  }

  private peekReserved(): string | null {
    const save = this.pos;
    const w = this.word();
    const after = this.src[this.pos];
    this.pos = save;
    const text = w ? plainText(w) : null;
    if (text === null || !RESERVED.has(text)) return null;
    // `{` and `}` are reserved only as whole words; `!` likewise.
    if (after !== undefined && !META.has(after)) return null;
    return text;
  }

  private expectReserved(...names: string[]): string {
    this.linebreaks();
    const r = this.peekReserved();
    if (r === null || !names.includes(r)) this.unexpected();
    this.word();
    return r!;
  }

  private expectOp(op: string): void {
    if (this.peekOp() !== op) this.unexpected();
    this.pos += op.length;
  }

  private atEnd(): boolean {
    this.blanks();
    return this.pos >= this.src.length;
  }

  private unexpected(): never {
    this.blanks();
    if (this.pos >= this.src.length) this.eof();
    const op = OPERATORS.find((o) => this.src.startsWith(o, this.pos));
    const token =
      op === "\n" ? "newline" : (op ?? /^\S+/.exec(this.src.slice(this.pos))?.[0] ?? "");
    throw new SyntaxError_(`syntax error near unexpected token \`${token}'`);
  }

  private eof(): never {
    throw new SyntaxError_("syntax error: unexpected end of file");
  }
}

function asAssignment(w: Word): { name: string; value: Word } | null {
  const first = w.parts[0];
  if (!first || first.kind !== "lit" || first.quoted) return null;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text);
  if (!m) return null;
  const rest = first.text.slice(m[0].length);
  const parts: WordPart[] = rest ? [{ ...first, text: rest }] : [];
  return { name: m[1]!, value: { parts: [...parts, ...w.parts.slice(1)] } };
}
