// glob.ts: a shell pattern as a JavaScript regex source (bash's strmatch): `*`, `?`, bracket
// expressions, and with extglob the groups @(a|b) ?(..) *(..) +(..) !(..). Each character carries
// whether it was quoted; quoted ones match themselves.

/** One character of a pattern word, and whether quoting made it literal. */
export interface PatternChar {
  c: string;
  quoted: boolean;
}

export interface GlobOptions {
  /** shopt -s extglob (always on for [[ == ]], as in bash 5.2). */
  extglob: boolean;
  /** Pathname expansion: wildcards do not match `/`. */
  path?: boolean;
}

/** Every character of `text`, unquoted. */
export function unquoted(text: string): PatternChar[] {
  return [...text].map((c) => ({ c, quoted: false }));
}

/** Every character of `text`, quoted. */
export function quotedChars(text: string): PatternChar[] {
  return [...text].map((c) => ({ c, quoted: true }));
}

/** The pattern as a regex source, to be anchored by the caller (`^(?:...)$`, flag s). */
export function patternRegex(chars: readonly PatternChar[], opts: GlobOptions): string {
  return new Converter(chars, opts).run();
}

/** Whether an unquoted extglob group starts somewhere in `chars`. */
export function hasExtglob(chars: readonly PatternChar[]): boolean {
  return chars.some((x, i) => !x.quoted && "@!?*+".includes(x.c) && opens(chars, i + 1));
}

function opens(chars: readonly PatternChar[], i: number): boolean {
  return chars[i]?.c === "(" && !chars[i]!.quoted;
}

export function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

class Converter {
  private i = 0;
  /** Numbers the captures that !(...) needs, unique within one regex. */
  private groups = 0;
  private readonly any: string;

  constructor(
    private readonly chars: readonly PatternChar[],
    private readonly opts: GlobOptions,
  ) {
    this.any = opts.path ? "[^/]" : "[\\s\\S]";
  }

  run(): string {
    return this.sequence(false);
  }

  /** Characters up to the end, or inside a group up to its unquoted `|` or `)`. */
  private sequence(inGroup: boolean): string {
    let out = "";
    while (this.i < this.chars.length) {
      const { c, quoted } = this.chars[this.i]!;
      if (quoted) {
        out += escapeRegex(c);
        this.i++;
      } else if (inGroup && (c === "|" || c === ")")) return out;
      else if (this.opts.extglob && "@!?*+".includes(c) && opens(this.chars, this.i + 1)) {
        out += this.group(c);
      } else if (c === "*") {
        out += `${this.any}*`;
        this.i++;
      } else if (c === "?") {
        out += this.any;
        this.i++;
      } else if (c === "[") out += this.bracket();
      else {
        out += escapeRegex(c);
        this.i++;
      }
    }
    return out;
  }

  /** op(alt|alt...): an unclosed group is plain text, as in bash. */
  private group(op: string): string {
    const start = this.i;
    this.i += 2;
    const alts: string[] = [];
    for (;;) {
      alts.push(this.sequence(true));
      const next = this.chars[this.i];
      if (next === undefined) {
        this.i = start + 1;
        return escapeRegex(op);
      }
      this.i++;
      if (next.c === ")") break;
    }
    const body = `(?:${alts.join("|")})`;
    if (op === "@") return body;
    if (op === "?") return `${body}?`;
    if (op === "*") return `${body}*`;
    if (op === "+") return `${body}+`;
    // !(p): any text (from where the group starts) that p does not match as a whole. The prefix
    // before it is captured, so that the look-behind tests exactly the group's own text.
    const n = `g${this.groups++}`;
    return `(?<=(?<${n}>^[\\s\\S]*))${this.any}*?(?<!^\\k<${n}>${body})`;
  }

  /** [...]: a bracket expression; one JavaScript cannot take (z-a) or unclosed is a plain `[`. */
  private bracket(): string {
    let end = -1;
    for (let j = this.i + 2; j < this.chars.length; j++) {
      if (this.chars[j]!.c === "]") {
        end = j;
        break;
      }
    }
    if (end < 0) {
      this.i++;
      return "\\[";
    }
    const body = this.chars
      .slice(this.i + 1, end)
      .map((x) => x.c)
      .join("")
      .replace(/^!/, "^")
      .replace(/\\/g, "\\\\");
    if (!validClass(body)) {
      this.i++;
      return "\\[";
    }
    this.i = end + 1;
    return `[${body}]`;
  }
}

/** Whether `[body]` is a class JavaScript accepts (a reversed range like z-a is not). */
function validClass(body: string): boolean {
  try {
    new RegExp(`[${body}]`);
    return true;
  } catch {
    return false;
  }
}
