// sed-script.ts: parsing GNU sed scripts, the subset the shell runs: addresses (a line number,
// `$`, /regex/, each optionally negated with !) and the commands s, d, p and q. Errors are GNU
// sed 4.9's texts ("-e expression #1, char 5: unterminated `s' command").
import { translate } from "./grep.ts";

export type Address = { kind: "line"; n: number } | { kind: "last" } | { kind: "re"; re: RegExp };

/** One piece of an s replacement: text, the whole match (&), or a group (\1-\9). */
export type Piece = string | { group: number };

export type SedCommand =
  | { kind: "d" | "p" | "q"; address: Address | null; negate: boolean }
  | {
      kind: "s";
      address: Address | null;
      negate: boolean;
      re: RegExp;
      pieces: Piece[];
      global: boolean;
      print: boolean;
      /** s///N: replace only the N-th match. */
      nth: number;
    };

class SedError extends Error {}

/** Parses expression number `index` (1-based) of a script. @returns the commands or the message. */
export function parseSed(src: string, index: number, extended: boolean): SedCommand[] | string {
  try {
    return new SedParser(src, extended).commands();
  } catch (e) {
    if (e instanceof SedError) return `-e expression #${index}, ${e.message}`;
    throw e;
  }
}

class SedParser {
  private i = 0;

  constructor(
    private readonly src: string,
    private readonly extended: boolean,
  ) {}

  private fail(what: string, at = this.i): never {
    throw new SedError(`char ${at}: ${what}`);
  }

  commands(): SedCommand[] {
    const out: SedCommand[] = [];
    for (;;) {
      while (/[\s;]/.test(this.src[this.i] ?? "")) this.i++;
      if (this.i >= this.src.length) return out;
      const address = this.address();
      while (this.src[this.i] === " ") this.i++;
      const negate = this.src[this.i] === "!";
      if (negate) this.i++;
      const c = this.src[this.i++];
      if (c === undefined) this.fail("missing command");
      if (c === "s") out.push(this.substitute(address, negate));
      else if (c === "d" || c === "p" || c === "q") out.push({ kind: c, address, negate });
      else this.fail(`unknown command: \`${c}'`);
      this.end();
    }
  }

  /** After a command: blanks, then the end, `;`, a newline or a comment. */
  private end(): void {
    while (this.src[this.i] === " " || this.src[this.i] === "\t") this.i++;
    const c = this.src[this.i];
    if (c !== undefined && c !== ";" && c !== "\n" && c !== "#" && c !== "}") {
      this.fail("extra characters after command", this.i + 1);
    }
  }

  private address(): Address | null {
    const c = this.src[this.i];
    if (c === "$") {
      this.i++;
      return { kind: "last" };
    }
    const num = /^\d+/.exec(this.src.slice(this.i));
    if (num) {
      this.i += num[0].length;
      return { kind: "line", n: Number(num[0]) };
    }
    if (c !== "/") return null;
    this.i++;
    const text = this.delimited("/");
    if (text === null) this.fail("unterminated address regex");
    return { kind: "re", re: this.regex(text!, "") };
  }

  /** Text up to an unescaped `delim` (consumed); `\delim` stands for delim. null at the end. */
  private delimited(delim: string): string | null {
    let out = "";
    for (;;) {
      const c = this.src[this.i];
      if (c === undefined || c === "\n") return null;
      this.i++;
      if (c === delim) return out;
      if (c === "\\") {
        const n = this.src[this.i++];
        if (n === undefined) return null;
        out += n === delim ? delim : `\\${n}`;
      } else out += c;
    }
  }

  private regex(text: string, flags: string): RegExp {
    try {
      return new RegExp(translate(text, this.extended), flags);
    } catch {
      return this.fail("Invalid preceding regular expression");
    }
  }

  private substitute(address: Address | null, negate: boolean): SedCommand {
    const delim = this.src[this.i++];
    if (delim === undefined || delim === "\n" || delim === "\\")
      this.fail("unterminated `s' command");
    const re = this.delimited(delim!);
    const rep = re === null ? null : this.delimited(delim!);
    if (re === null || rep === null) this.fail("unterminated `s' command");
    let global = false;
    let print = false;
    let icase = false;
    let nth = 1;
    for (;;) {
      const f = this.src[this.i];
      if (f === "g") global = true;
      else if (f === "p") print = true;
      else if (f === "i" || f === "I") icase = true;
      else if (f !== undefined && /\d/.test(f)) {
        const m = /^\d+/.exec(this.src.slice(this.i))!;
        nth = Number(m[0]);
        this.i += m[0].length - 1;
      } else if (f === undefined || /[\s;}#]/.test(f)) break;
      else this.fail("unknown option to `s'", this.i + 1);
      this.i++;
    }
    const regex = this.regex(re!, `g${icase ? "i" : ""}`);
    return { kind: "s", address, negate, re: regex, pieces: pieces(rep!), global, print, nth };
  }
}

/** A replacement's pieces: & the match, \1-\9 groups, \n a newline, \c the character c. */
function pieces(rep: string): Piece[] {
  const out: Piece[] = [];
  let text = "";
  const flush = () => {
    if (text) out.push(text);
    text = "";
  };
  for (let i = 0; i < rep.length; i++) {
    const c = rep[i]!;
    if (c === "&") {
      flush();
      out.push({ group: 0 });
    } else if (c === "\\" && i + 1 < rep.length) {
      const n = rep[++i]!;
      if (/[1-9]/.test(n)) {
        flush();
        out.push({ group: Number(n) });
      } else text += n === "n" ? "\n" : n === "t" ? "\t" : n;
    } else text += c;
  }
  flush();
  return out;
}
