// parse.ts: a recursive-descent parser for the shell's POSIX sh subset (words: words.ts): quoting,
// $var/${var}/$?/$!/$(...)/`...`/$((...)), assignments, redirections (>, >>, <, n>&m, &>, here-documents
// <<, <<- and here-strings <<<), pipelines, && and ||,
// ; and &, if/elif/else, while/until, for, case, { } and ( ) groups, and function definitions
// (`name()` and bash's `function name`).
// Errors read like bash's: "syntax error near unexpected token `fi'".
import { err, ok, type Result } from "../result.ts";
import { splitSubscript } from "./subscript.ts";
import type {
  AndOr,
  Assignment,
  ArithForCommand,
  CaseCommand,
  CaseEnd,
  CondToken,
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
import { CASE_ENDS, META, SyntaxError_, WordReader } from "./words.ts";

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
  "case",
  "esac",
  "{",
  "}",
  "!",
  "[[",
]);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A parsed script and bash's parse-time warnings (to print after "bash: " before it runs). */
export interface ParsedScript {
  program: Program;
  warnings: string[];
}

/** Parses a script. @returns the program, or bash's syntax error message. */
export function parseShell(src: string): Result<Program, string> {
  const r = parseScript(src);
  return r.ok ? ok(r.value.program) : r;
}

/** Parses a script, keeping its warnings. @returns them with the program, or the syntax error. */
export function parseScript(src: string): Result<ParsedScript, string> {
  const warnings: string[] = [];
  try {
    return ok({ program: new Parser(src, warnings).whole(), warnings });
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

class Parser extends WordReader {
  /** The whole source as one program. */
  whole(): Program {
    const program = this.program(new Set(), false);
    this.expectEnd();
    return program;
  }

  expectEnd(): void {
    this.blanks();
    if (this.pos < this.src.length) this.unexpected();
    this.readHereDocs(); // `cat <<EOF` as the last line: the body ends with the input
  }

  protected subProgram(src: string): Program {
    return new Parser(src, this.warnings).whole();
  }

  protected hereWord(body: string): Word {
    return new Parser(body, this.warnings).hereText();
  }

  /** A list of and-or lists up to EOF, a reserved terminator word, or `)` when `inParens`. */
  program(terminators: ReadonlySet<string>, inParens: boolean): Program {
    const items: ListItem[] = [];
    for (;;) {
      this.linebreaks();
      if (this.atEnd() || (inParens && this.peekOp() === ")")) break;
      const word = this.peekReserved();
      if (word !== null && terminators.has(word)) break;
      // `;;` and friends end a case clause's list (it may be empty); anywhere else the caller fails.
      if (CASE_ENDS.has(this.peekOp() ?? "")) break;
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
    this.blanks();
    // `!(cmd)` negates a subshell; it is not an extglob word in command position.
    if (this.src.startsWith("!(", this.pos)) {
      this.pos++;
      negate = true;
    } else if (this.peekReserved() === "!") {
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
    const arith = this.arithCommandText();
    if (arith !== null) return { type: "arith", expr: arith, redirects: this.redirects() };
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
      case "[[":
        return this.condCommand();
      case "case":
        return this.caseCommand();
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

  /** `((...))` here: the text inside, consumed; null if there is none (`( (...) )` is a subshell). */
  private arithCommandText(): string | null {
    if (!this.src.startsWith("((", this.pos)) return null;
    const end = this.arithEnd(this.pos + 2);
    if (end < 0) return null;
    const text = this.src.slice(this.pos + 2, end);
    this.pos = end + 2;
    return text;
  }

  private forCommand(): ForCommand | ArithForCommand {
    this.word(); // for
    this.blanks();
    const arith = this.arithCommandText();
    if (arith !== null) return this.arithFor(arith);
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
      if (op === "\n") this.newline();
      else this.pos++;
    } else if (this.peekOp() === ";") this.pos++;
    return { type: "for", name: name!, items, body: this.doGroup(), redirects: this.redirects() };
  }

  /** for (( init; test; step )) [;] do ... done: three expressions, or a syntax error. */
  private arithFor(text: string): ArithForCommand {
    const parts = text.split(";");
    if (parts.length !== 3) {
      // bash reports it in two lines, the second quoting the expression.
      const msg = `syntax error: arithmetic expression required\nbash: syntax error: \`((${text}))'`;
      throw new SyntaxError_(msg);
    }
    this.blanks();
    if (this.peekOp() === ";") this.pos++;
    this.linebreaks();
    const [init, test, step] = parts as [string, string, string];
    return {
      type: "arith-for",
      init,
      test,
      step,
      body: this.doGroup(),
      redirects: this.redirects(),
    };
  }

  /** [[ ... ]]: operators && || ( ) < > and words, up to a `]]` word. */
  private condCommand(): Command {
    this.word(); // [[
    const tokens: CondToken[] = [];
    for (;;) {
      this.linebreaks();
      if (this.atEnd()) this.eof();
      const after = this.src[this.pos + 2];
      if (this.src.startsWith("]]", this.pos) && (after === undefined || META.has(after))) {
        if (tokens.length === 0) this.unexpected();
        this.pos += 2;
        break;
      }
      const op = ["&&", "||", "(", ")", "<", ">"].find((o) => this.src.startsWith(o, this.pos));
      if (op) {
        tokens.push({ kind: "op", op });
        this.pos += op.length;
        continue;
      }
      const prev = tokens[tokens.length - 1];
      const regex = prev?.kind === "word" && plainText(prev.word) === "=~";
      const w = this.word(regex);
      if (!w) this.unexpected();
      tokens.push({ kind: "word", word: w! });
    }
    return { type: "cond", tokens, redirects: this.redirects() };
  }

  /** case WORD in [(]PATTERN[|PATTERN]...) LIST ;; ... esac (the last `;;` optional). */
  private caseCommand(): CaseCommand {
    this.word(); // case
    const word = this.wordHere();
    if (!word) this.unexpected();
    this.expectReserved("in");
    const clauses: CaseCommand["clauses"] = [];
    for (;;) {
      this.linebreaks();
      // `esac` ends the command only where a pattern list would start without `(`.
      if (this.peekReserved() === "esac") break;
      if (this.peekOp() === "(") this.pos++;
      const patterns = this.casePatterns();
      const body = this.program(new Set(["esac"]), false);
      const end = this.peekOp();
      if (end === null || !CASE_ENDS.has(end)) {
        clauses.push({ patterns, body, end: ";;" });
        break;
      }
      this.pos += end.length;
      clauses.push({ patterns, body, end: end as CaseEnd });
    }
    this.expectReserved("esac");
    return { type: "case", word: word!, clauses, redirects: this.redirects() };
  }

  /** PATTERN[|PATTERN]...) with its `)`: no newline may come between them (bash). */
  private casePatterns(): Word[] {
    const patterns: Word[] = [];
    for (;;) {
      const p = this.word();
      if (!p) this.unexpected();
      patterns.push(p!);
      const op = this.peekOp();
      if (op !== "|" && op !== ")") this.unexpected();
      this.pos++;
      if (op === ")") return patterns;
    }
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
      this.blanks();
      const w = (cmd.words.length === 0 ? this.subscriptedWord(true) : null) ?? this.wordHere();
      if (!w) break;
      const assign = cmd.words.length === 0 ? asAssignment(w) : null;
      // name=(...) right after the `=`: a compound (array) assignment.
      const compound = this.src[this.pos] === "(" && /^[A-Za-z_]\w*\+?=$/.test(plainText(w) ?? "");
      if (assign) {
        if (compound && !assign.index) assign.array = this.arrayItems();
        cmd.assigns.push(assign);
      } else if (compound && DECLARATIONS.has(plainText(cmd.words[0]!) ?? "")) {
        cmd.words.push({ parts: [...w.parts, { kind: "array", items: this.arrayItems() }] });
      } else cmd.words.push(w);
    }
    if (!cmd.words.length && !cmd.assigns.length && !cmd.redirects.length) this.unexpected();
    return cmd;
  }

  /** `(word...)` of a compound assignment, at its `(`: newlines and comments may come between. */
  private arrayItems(): Word[] {
    this.pos++; // (
    const items: Word[] = [];
    for (;;) {
      this.linebreaks();
      if (this.atEnd()) this.eof();
      if (this.src[this.pos] === ")") {
        this.pos++;
        return items;
      }
      const w = this.subscriptedWord() ?? this.word();
      if (!w) this.unexpected();
      items.push(w!);
    }
  }

  /**
   * `[sub]=value` in name=(...): blanks inside the brackets belong to the subscript, as bash reads
   * it (`[a b]=1`); `named`: `name[sub]=value`, an assignment (`m[x y]=1`).
   * @returns null when no `]=` or `]+=` closes a bracket here.
   */
  private subscriptedWord(named = false): Word | null {
    const head = named
      ? (/^[A-Za-z_][A-Za-z0-9_]*\[/.exec(this.src.slice(this.pos))?.[0] ?? "")
      : "[";
    if (!head || !this.src.startsWith(head, this.pos)) return null;
    const open = this.pos + head.length - 1;
    let e = open + 1;
    for (let depth = 0; e < this.src.length; e++) {
      const c = this.src[e]!;
      if (c === "\\") e++;
      else if (c === "'" || c === '"') {
        const end = this.src.indexOf(c, e + 1);
        if (end < 0) return null;
        e = end;
      } else if (c === "[") depth++;
      else if (c === "]" && depth-- === 0) break;
      else if (c === "\n") return null;
    }
    if (!/^\]\+?=/.test(this.src.slice(e, e + 3))) return null;
    const inner = new Parser(this.src.slice(open + 1, e), this.warnings).bracketText();
    this.pos = e + 1;
    const value = this.word() ?? { parts: [] };
    const [first, ...rest] = value.parts;
    const close = {
      kind: "lit" as const,
      text: `]${first?.kind === "lit" ? first.text : ""}`,
      quoted: false,
    };
    const tail = first?.kind === "lit" ? rest : value.parts;
    return { parts: [{ kind: "lit", text: head, quoted: false }, ...inner.parts, close, ...tail] };
  }

  /** The whole source as one word whose blanks are literal (a subscript's text). */
  bracketText(): Word {
    return this.word(false, true) ?? { parts: [] };
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
    // `<(cmd)` and `>(cmd)` are words (process substitutions), not redirections.
    if (this.src.startsWith("<(", this.pos) || this.src.startsWith(">(", this.pos)) return null;
    const m = /^(\d*)(<<<|<<-|<<|>>|>&|>|<)/.exec(this.src.slice(this.pos, this.pos + 12));
    if (!m) return null;
    const fd = m[1] ? Number(m[1]) : m[2]!.startsWith("<") ? 0 : 1;
    this.pos += m[0].length;
    if (m[2] === "<<" || m[2] === "<<-") return [this.hereDoc(fd, m[2] === "<<-")];
    const op = m[2] as Redirect["op"];
    const target = this.wordHere();
    if (!target) this.unexpected();
    return [{ fd, op, target: target! }];
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
}

/** The builtins whose name=(...) arguments are compound assignments (bash's ASSIGNMENT_BUILTIN). */
const DECLARATIONS = new Set(["declare", "typeset", "local", "export", "readonly"]);

function asAssignment(w: Word): Assignment | null {
  const first = w.parts[0];
  if (!first || first.kind !== "lit" || first.quoted) return null;
  const sub = /^([A-Za-z_][A-Za-z0-9_]*)\[/.exec(first.text);
  if (sub) {
    const rest = first.text.slice(sub[0].length);
    const parts: WordPart[] = [...(rest ? [{ ...first, text: rest }] : []), ...w.parts.slice(1)];
    const s = splitSubscript(parts);
    return s ? { name: sub[1]!, ...s } : null;
  }
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(\+?)=/.exec(first.text);
  if (!m) return null;
  const rest = first.text.slice(m[0].length);
  const parts: WordPart[] = rest ? [{ ...first, text: rest }] : [];
  const value = { parts: [...parts, ...w.parts.slice(1)] };
  return m[2] ? { name: m[1]!, value, append: true } : { name: m[1]!, value };
}
