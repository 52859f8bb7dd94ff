// words.ts: the lexical half of the shell parser: words with quoting, $var/${var...}/$?/$!,
// $(...), `...` and $((...)), here-document bodies (read after the newline that ends their line),
// blanks, comments and line continuations, operators, and bash's syntax error messages and
// warnings. parse.ts builds the command grammar on top of it.
import type { ParamOp, Program, Redirect, Word, WordPart } from "./ast.ts";
import { backquoted, hereDocBody, parseDelimiter } from "./heredoc.ts";

/** Characters that end an unquoted word. */
export const META = new Set([" ", "\t", "\n", ";", "&", "|", "(", ")", "<", ">"]);
// The case terminators come first: `;;&` and `;;` are not two `;`, nor `;&` a `;` then `&`.
const OPERATORS = [
  ";;&",
  ";;",
  ";&",
  "&&",
  "||",
  "<<<",
  "<<",
  ">>",
  ">&",
  ";",
  "&",
  "|",
  "(",
  ")",
  "<",
  ">",
  "\n",
];

/** A here-document whose body starts after the next newline token (bash's need_here_doc). */
interface PendingHereDoc {
  redirect: Redirect;
  delim: string;
  strip: boolean;
  quoted: boolean;
  line: number;
}

/** A syntax error, caught by parseShell and returned as bash's message. */
export class SyntaxError_ extends Error {}

/** The operators that end a case clause's list. */
export const CASE_ENDS: ReadonlySet<string> = new Set([";;", ";&", ";;&"]);

/** Reads words and operators from `src`; the command parser extends it. */
export abstract class WordReader {
  protected pos = 0;
  private readonly pendingDocs: PendingHereDoc[] = [];

  /** `warnings` collects bash's parse-time warnings (an unterminated here-document). */
  constructor(
    protected readonly src: string,
    protected readonly warnings: string[] = [],
  ) {}

  /** A nested list of commands, for $(...); the command parser supplies it. */
  abstract program(terminators: ReadonlySet<string>, inParens: boolean): Program;
  /** A whole script parsed on its own: the text of a `...` substitution. */
  protected abstract subProgram(src: string): Program;
  /** An unquoted here-document's body: its $ and ` expansions as parts. */
  protected abstract hereWord(body: string): Word;

  /** `<<delim` / `<<-delim`: the redirection, its body filled in after the next newline. */
  protected hereDoc(fd: number, strip: boolean): Redirect {
    this.blanks();
    const d = parseDelimiter(this.src, this.pos, META);
    if (d === null) this.unexpected();
    const line = this.src.slice(0, this.pos).split("\n").length;
    this.pos = d!.end;
    const redirect: Redirect = { fd, op: "<<", target: { parts: [] } };
    this.pendingDocs.push({ redirect, delim: d!.delim, strip, quoted: d!.quoted, line });
    return redirect;
  }

  /** Consumes a newline token, then the bodies of the here-documents begun on its line. */
  protected newline(): void {
    this.pos++;
    this.readHereDocs();
  }

  /** Reads pending here-document bodies from here (at the end of input they end there). */
  protected readHereDocs(): void {
    for (const doc of this.pendingDocs.splice(0)) {
      const b = hereDocBody(this.src, this.pos, doc.delim, doc.strip);
      this.pos = b.end;
      if (!b.terminated) {
        this.warnings.push(
          `warning: here-document at line ${doc.line} delimited by end-of-file (wanted \`${doc.delim}')`,
        );
      }
      doc.redirect.target = doc.quoted
        ? { parts: [{ kind: "lit", text: b.body, quoted: true }] }
        : this.hereWord(b.body);
    }
  }

  /** The whole source as a here-document body: $ and ` expand, \ escapes only $ ` \ and newline. */
  hereText(): Word {
    const parts: WordPart[] = [];
    let lit = "";
    const flush = () => {
      if (lit) parts.push({ kind: "lit", text: lit, quoted: true });
      lit = "";
    };
    while (this.pos < this.src.length) {
      const c = this.src[this.pos]!;
      const next = this.src[this.pos + 1] ?? "";
      if (c === "\\" && "$`\\\n".includes(next) && next !== "") {
        if (next !== "\n") lit += next;
        this.pos += 2;
      } else if (c === "`") {
        flush();
        parts.push(this.backquote(true));
      } else if (c === "$" && this.dollarStarts()) {
        flush();
        parts.push(this.dollar(true));
      } else {
        lit += c;
        this.pos++;
      }
    }
    flush();
    return { parts };
  }

  /** `cmd`: the old command substitution; its text loses the backslashes before $ ` \ (and " in "..."). */
  protected backquote(quoted: boolean): WordPart {
    const b = backquoted(this.src, this.pos, quoted);
    if (b === null) this.unmatched("`");
    this.pos = b!.end;
    return { kind: "cmdsub", program: this.subProgram(b!.text), quoted };
  }

  /** Skips blanks, then reads a word if one starts here (not an operator). */
  protected wordHere(): Word | null {
    this.blanks();
    const ahead = this.src.slice(this.pos, this.pos + 12);
    if (this.atEnd() || (/^\d*[<>]/.test(ahead) && !/^[<>]\(/.test(ahead))) return null;
    return this.word();
  }

  /** `regex`: the right side of [[ =~ ]], where | and balanced ( ) belong to the word (bash). */
  protected word(regex = false, blanksLiteral = false): Word | null {
    this.blanks();
    const parts: WordPart[] = [];
    let lit = "";
    const flush = (quoted: boolean) => {
      if (lit) parts.push({ kind: "lit", text: lit, quoted });
      lit = "";
    };
    // <(list) and >(list): a process substitution, at the start of a word.
    if (this.src.startsWith("<(", this.pos) || this.src.startsWith(">(", this.pos)) {
      const output = this.src[this.pos] === ">";
      this.pos += 2;
      const program = this.program(new Set(), true);
      this.expectOp(")");
      parts.push(output ? { kind: "procsub", program, output } : { kind: "procsub", program });
    }
    // Depth inside extglob groups, where | ( ) belong to the word: @(a|b) is one word. bash reads
    // them so only when extglob was on as the line was read; here always (a pattern decides).
    let ext = 0;
    // Depth inside a regex's parentheses: an unbalanced `)` ends the word (it closes [[ ( ... ).
    let group = 0;
    while (this.pos < this.src.length) {
      const c = this.src[this.pos]!;
      if (regex && (c === "|" || c === "(" || (c === ")" && group > 0))) {
        if (c === "(") group++;
        else if (c === ")") group--;
        lit += c;
        this.pos++;
        continue;
      }
      if (ext > 0 && (c === "|" || c === "(" || c === ")")) {
        ext += c === "(" ? 1 : c === ")" ? -1 : 0;
        lit += c;
        this.pos++;
        continue;
      }
      if (META.has(c) && !(blanksLiteral && (c === " " || c === "\t"))) break;
      if ("@!?*+".includes(c) && this.src[this.pos + 1] === "(" && this.groupCloses(this.pos + 2)) {
        ext++;
        lit += `${c}(`;
        this.pos += 2;
        continue;
      }
      if (c === "$" && this.src[this.pos + 1] === "'") {
        flush(false);
        parts.push({ kind: "lit", text: this.ansiC(), quoted: true });
      } else if (c === "'") {
        flush(false);
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) this.unmatched("'");
        parts.push({ kind: "lit", text: this.src.slice(this.pos + 1, end), quoted: true });
        this.pos = end + 1;
      } else if (c === '"') {
        flush(false);
        this.pos++;
        this.doubleQuoted(parts);
      } else if (c === "\\") {
        // A backslash quotes the next character: `\*` in a pattern is a literal star.
        flush(false);
        // A trailing backslash stays itself (bash); backslash-newline joins lines.
        const next = this.src[this.pos + 1] ?? "\\";
        if (next !== "\n") parts.push({ kind: "lit", text: next, quoted: true });
        this.pos += 2;
      } else if (c === "$" && this.dollarStarts()) {
        flush(false);
        parts.push(this.dollar(false));
      } else if (c === "`") {
        flush(false);
        parts.push(this.backquote(false));
      } else {
        lit += c;
        this.pos++;
      }
    }
    flush(false);
    if (parts.length === 0) return null;
    return { parts };
  }

  /** $'...' at its `$`, consumed: bash's ANSI-C quoting, its backslash escapes decoded. */
  private ansiC(): string {
    let i = this.pos + 2;
    let out = "";
    for (;;) {
      const c = this.src[i];
      if (c === undefined) this.unmatched("'");
      if (c === "'") break;
      if (c !== "\\") {
        out += c;
        i++;
        continue;
      }
      const e = ansiEscape(this.src, i + 1);
      out += e.text;
      i = e.end;
    }
    this.pos = i + 1;
    return out;
  }

  /** Whether an extglob group opened before `from` closes on this line (else `(` is an operator). */
  private groupCloses(from: number): boolean {
    let depth = 1;
    for (let i = from; i < this.src.length; i++) {
      const c = this.src[i];
      if (c === "'" || c === '"') {
        const end = this.src.indexOf(c, i + 1);
        if (end < 0) return false;
        i = end;
        continue;
      }
      if (c === "\n" || c === " " || c === "\t" || c === ";") return false;
      if (c === "(") depth++;
      else if (c === ")" && --depth === 0) return true;
    }
    return false;
  }

  protected doubleQuoted(parts: WordPart[]): void {
    let lit = "";
    for (;;) {
      if (this.pos >= this.src.length) this.unmatched('"');
      const c = this.src[this.pos]!;
      if (c === '"') {
        this.pos++;
        break;
      }
      if (c === "\\" && '$`"\\\n'.includes(this.src[this.pos + 1] ?? "")) {
        if (this.src[this.pos + 1] !== "\n") lit += this.src[this.pos + 1];
        this.pos += 2;
      } else if ((c === "$" && this.dollarStarts()) || c === "`") {
        if (lit) parts.push({ kind: "lit", text: lit, quoted: true });
        lit = "";
        parts.push(c === "`" ? this.backquote(true) : this.dollar(true));
      } else {
        lit += c;
        this.pos++;
      }
    }
    parts.push({ kind: "lit", text: lit, quoted: true });
  }

  protected dollarStarts(): boolean {
    return /^\$([A-Za-z_{(?!$#@*0-9])/.test(this.src.slice(this.pos, this.pos + 2));
  }

  protected dollar(quoted: boolean): WordPart {
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
  protected braced(quoted: boolean): WordPart {
    const start = this.pos - 1; // at "$"
    this.pos++; // {
    // bash finds a bad substitution when it expands the word, not when it reads it: the commands
    // before it run, and it fails with status 1.
    const bad = (): WordPart => {
      const end = this.src.indexOf("}", this.pos);
      if (end < 0) this.eof();
      this.pos = end + 1;
      return { kind: "var", name: this.src.slice(start, end + 1), quoted, op: "bad" };
    };
    const param = /^([A-Za-z_][A-Za-z0-9_]*|[?!$#@*0-9])/;
    // ${!name[@]} lists an array's indices; ${!name} is the variable name's value names.
    const bang = /^!([A-Za-z_][A-Za-z0-9_]*)(\[[@*]\])?\}/.exec(this.src.slice(this.pos));
    if (bang) {
      this.pos += bang[0].length;
      if (!bang[2]) return { kind: "var", name: bang[1]!, quoted, indirect: true };
      const subscript = bang[2][1] as "@" | "*";
      return { kind: "var", name: bang[1]!, quoted, keys: true, subscript };
    }
    if (this.src[this.pos] === "#" && this.src[this.pos + 1] !== "}") {
      const m = param.exec(this.src.slice(this.pos + 1));
      if (!m) return bad();
      this.pos += m[0].length + 1;
      const subscript = this.subscript(m[0]);
      if (this.src[this.pos] !== "}") return bad();
      this.pos++;
      return { kind: "var", name: m[0], quoted, op: "length", ...subscript };
    }
    const m = param.exec(this.src.slice(this.pos));
    if (!m) return bad();
    this.pos += m[0].length;
    const subscript = this.subscript(m[0]);
    if (this.src[this.pos] === "}") {
      this.pos++;
      return { kind: "var", name: m[0], quoted, ...subscript };
    }
    if (this.src[this.pos] === ":" && !/[-=+?]/.test(this.src[this.pos + 1] ?? "")) {
      return { ...this.substring(m[0], quoted, bad), ...subscript };
    }
    const op = /^(:[-=+?]|[-=+?]|##|#|%%|%|\/\/|\/#|\/%|\/|\^\^|\^|,,|,)/.exec(
      this.src.slice(this.pos),
    );
    if (!op) return bad();
    this.pos += op[0].length;
    const name = m[0];
    // Inside "${v%pat}" the pattern is still a pattern (bash): only quotes within it quote.
    const arg = this.braceWord(quoted && !/^[#%/^,]/.test(op[0]), op[0].startsWith("/"));
    if (this.src[this.pos++] === "}")
      return { kind: "var", name, quoted, op: op[0] as ParamOp, arg, ...subscript };
    // ${v/pat/rep}: an unquoted & in rep stands for the match, so its text keeps quoted: false.
    const rep = this.braceWord(quoted, false, false);
    this.pos++; // }
    return { kind: "var", name, quoted, op: op[0] as ParamOp, arg, rep, ...subscript };
  }

  /**
   * `[sub]` after a name in ${...}, consumed: @ or * (every element), else the subscript's text as
   * a word (arithmetic once expanded). Nothing for a special parameter or without a bracket.
   */
  private subscript(name: string): { subscript?: "@" | "*" | Word } {
    if (this.src[this.pos] !== "[" || !/^[A-Za-z_]/.test(name)) return {};
    let depth = 0;
    for (let i = this.pos + 1; i < this.src.length; i++) {
      const c = this.src[i];
      if (c === "[") depth++;
      else if (c === "]" && depth-- === 0) {
        const text = this.src.slice(this.pos + 1, i);
        this.pos = i + 1;
        if (text === "@" || text === "*") return { subscript: text };
        return { subscript: this.hereWord(text) };
      }
    }
    return this.eof();
  }

  /**
   * ${name:offset[:length]}, at the first colon: both are arithmetic texts. The offset ends at the
   * first colon outside parentheses and nested expansions; the length runs to the closing brace, so
   * `${v:1:2:3}` has the length "2:3" and fails when evaluated, as in bash.
   */
  private substring(name: string, quoted: boolean, bad: () => WordPart): WordPart {
    this.pos++; // :
    const offset = this.arithText(true);
    if (offset.trim() === "" && this.src[this.pos] === "}") return bad();
    let length: string | undefined;
    if (this.src[this.pos] === ":") {
      this.pos++;
      length = this.arithText(false);
    }
    this.pos++; // }
    return {
      kind: "var",
      name,
      quoted,
      op: "substr",
      offset: this.hereWord(offset),
      length: length === undefined ? undefined : this.hereWord(length),
      lengthText: length,
    };
  }

  /** Text up to the unmatched `}` (or a `:` when `colon`), skipping over (...) and ${...}. */
  private arithText(colon: boolean): string {
    const from = this.pos;
    let depth = 0;
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) this.eof();
      if (depth === 0 && (c === "}" || (colon && c === ":"))) break;
      if (c === "(" || c === "{") depth++;
      else if (c === ")" || c === "}") depth--;
      this.pos++;
    }
    return this.src.slice(from, this.pos);
  }

  /**
   * The word after a ${name<op>, up to the unmatched `}` (or a `/` when `slash`), left unconsumed.
   * `litQuoted`: whether its plain text counts as quoted (inside "...", unless a replacement).
   */
  protected braceWord(inDquote: boolean, slash = false, litQuoted = inDquote): Word {
    const parts: WordPart[] = [];
    let lit = "";
    const flush = () => {
      if (lit) parts.push({ kind: "lit", text: lit, quoted: litQuoted });
      lit = "";
    };
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) this.eof();
      if (c === "}" || (slash && c === "/")) break;
      if (c === "'" && !inDquote) {
        flush();
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) this.unmatched("'");
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
      } else if (c === "`") {
        flush();
        parts.push(this.backquote(inDquote));
      } else {
        lit += c;
        this.pos++;
      }
    }
    flush();
    return { parts };
  }

  /** Where the `))` closing an arithmetic expansion starts, or -1 (then it is `$( (...) )`). */
  protected arithEnd(from: number): number {
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

  protected blanks(): void {
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

  protected linebreaks(): void {
    for (;;) {
      this.blanks();
      if (this.src[this.pos] !== "\n") return;
      this.newline();
    }
  }

  protected peekOp(): string | null {
    this.blanks();
    for (const op of OPERATORS) if (this.src.startsWith(op, this.pos)) return op;
    return null;
  }

  protected expectOp(op: string): void {
    if (this.peekOp() !== op) this.unexpected();
    this.pos += op.length;
  }

  protected atEnd(): boolean {
    this.blanks();
    return this.pos >= this.src.length;
  }

  protected unexpected(): never {
    this.blanks();
    if (this.pos >= this.src.length) this.eof();
    const op = OPERATORS.find((o) => this.src.startsWith(o, this.pos));
    const token =
      op === "\n" ? "newline" : (op ?? /^\S+/.exec(this.src.slice(this.pos))?.[0] ?? "");
    throw new SyntaxError_(`syntax error near unexpected token \`${token}'`);
  }

  /** An unclosed quote or backquote: bash 5.2 reports only this line. */
  protected unmatched(quote: string): never {
    throw new SyntaxError_(`unexpected EOF while looking for matching \`${quote}'`);
  }

  protected eof(): never {
    throw new SyntaxError_("syntax error: unexpected end of file");
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: "\x07",
  b: "\b",
  e: "\x1b",
  E: "\x1b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  "'": "'",
  '"': '"',
  "?": "?",
};

/** The escape after a backslash at `at` in $'...': \n, \nnn (octal), \xHH, \uHHHH, \cX. */
function ansiEscape(src: string, at: number): { text: string; end: number } {
  const c = src[at] ?? "";
  if (SIMPLE_ESCAPES[c] !== undefined) return { text: SIMPLE_ESCAPES[c], end: at + 1 };
  const num = (re: RegExp, base: number) => {
    const m = re.exec(src.slice(at));
    return m ? { text: String.fromCodePoint(parseInt(m[1]!, base)), end: at + m[0].length } : null;
  };
  if (/[0-7]/.test(c)) return num(/^([0-7]{1,3})/, 8)!;
  if (c === "x") return num(/^x([0-9a-fA-F]{1,2})/, 16) ?? { text: "\\x", end: at + 1 };
  if (c === "u") return num(/^u([0-9a-fA-F]{1,4})/, 16) ?? { text: "\\u", end: at + 1 };
  if (c === "U") return num(/^U([0-9a-fA-F]{1,8})/, 16) ?? { text: "\\U", end: at + 1 };
  if (c === "c" && at + 1 < src.length) {
    return { text: String.fromCharCode(src.charCodeAt(at + 1) & 0x1f), end: at + 2 };
  }
  // An unknown escape stays as written, backslash and all.
  return { text: `\\${c}`, end: at + 1 };
}
