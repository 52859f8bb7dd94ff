// heredoc.ts: the raw-text scanning behind here-documents and `...` substitutions, kept apart from
// the word reader because both work on source characters before any word is formed (bash reads
// a here-document's body line by line, and a backquoted command's text before parsing it).

/** A here-document delimiter word: its quote-removed text and whether any part was quoted. */
export interface Delimiter {
  delim: string;
  quoted: boolean;
  end: number;
}

/**
 * Scans the word after `<<` from `pos`. Nothing in it expands (bash uses the word as written,
 * quotes removed); any quoting makes the body literal. @returns null when no word starts here.
 */
export function parseDelimiter(
  src: string,
  pos: number,
  meta: ReadonlySet<string>,
): Delimiter | null {
  let delim = "";
  let quoted = false;
  let i = pos;
  while (i < src.length && !meta.has(src[i]!)) {
    const c = src[i]!;
    if (c === "'" || c === '"') {
      const close = src.indexOf(c, i + 1);
      if (close < 0) return null;
      delim += src.slice(i + 1, close);
      quoted = true;
      i = close + 1;
    } else if (c === "\\") {
      delim += src[i + 1] ?? "";
      quoted = true;
      i += 2;
    } else {
      delim += c;
      i++;
    }
  }
  return i === pos ? null : { delim, quoted, end: i };
}

/** A here-document body read from `pos`: whole lines up to the delimiter line or the end of input. */
export interface HereBody {
  body: string;
  /** Just past the delimiter line (or the end of input). */
  end: number;
  /** False when the input ended first (bash warns, and the body is what was read). */
  terminated: boolean;
}

/** Reads the body; `<<-` (`strip`) removes leading tabs from every line and the delimiter line. */
export function hereDocBody(src: string, pos: number, delim: string, strip: boolean): HereBody {
  let body = "";
  let i = pos;
  while (i < src.length) {
    const nl = src.indexOf("\n", i);
    const lineEnd = nl < 0 ? src.length : nl;
    let line = src.slice(i, lineEnd);
    if (strip) line = line.replace(/^\t+/, "");
    const next = nl < 0 ? src.length : nl + 1;
    if (line === delim) return { body, end: next, terminated: true };
    // bash ends the last line read with a newline even where the input did not.
    body += `${line}\n`;
    i = next;
  }
  return { body, end: src.length, terminated: false };
}

/**
 * The text of a `...` substitution starting at the backquote at `pos`: a backslash before $, `
 * or \ (and " inside double quotes) is removed, any other stays. @returns null if unterminated.
 */
export function backquoted(
  src: string,
  pos: number,
  inDquote: boolean,
): { text: string; end: number } | null {
  let text = "";
  for (let i = pos + 1; i < src.length; i++) {
    const c = src[i]!;
    if (c === "`") return { text, end: i + 1 };
    const next = src[i + 1];
    if (c === "\\" && next !== undefined && ("$`\\".includes(next) || (inDquote && next === '"'))) {
      text += next;
      i++;
    } else text += c;
  }
  return null;
}
