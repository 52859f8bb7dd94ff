// source.ts: the lines of module source that define a function or a callback, to show beside a
// selected event the code that ran: a callback by its key in the module's callbacks object
// (`pre_patch: (obj) => ...`), a function by its declaration or its entry in `functions`. Plain
// text search over the scenario's own source (embedded, or the tree's built-in), no evaluation.

export interface SourceLines {
  /** 1-based number of the first line. */
  from: number;
  lines: string[];
}

const MAX_LINES = 24;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The definition of `name` in `source`: its first line up to where its braces close. */
export function definitionOf(source: string, name: string): SourceLines | null {
  const lines = source.split("\n");
  const n = escape(name);
  const patterns = [
    new RegExp(`\\bfunction\\s*\\*?\\s*${n}\\s*\\(`),
    new RegExp(`\\b(?:const|let)\\s+${n}\\s*=`),
    new RegExp(`^\\s*${n}\\s*[:(]`),
    new RegExp(`\\bname:\\s*"${n}"`),
  ];
  for (const re of patterns) {
    const at = lines.findIndex((l) => re.test(l));
    if (at >= 0) return { from: at + 1, lines: lines.slice(at, blockEnd(lines, at) + 1) };
  }
  return null;
}

/** The line where the braces opened from `at` on close (or `at` itself when none open). */
function blockEnd(lines: readonly string[], at: number): number {
  let depth = 0;
  for (let i = at; i < lines.length && i < at + MAX_LINES; i++) {
    for (const ch of lines[i]!) {
      if (ch === "{") depth++;
      else if (ch === "}") depth--;
    }
    if (depth <= 0) return i;
  }
  return Math.min(lines.length, at + MAX_LINES) - 1;
}
