// problemPlaces.ts: where in the editor's text a validator problem belongs. The validator names a
// problem by its path in the scenario (`script[2].at_ms`); the script editor holds JSON, so the
// path is found in the JSON's syntax tree (jsonc-parser, the parser VS Code's JSON support uses)
// and the problem sits on that value's text. A module source's problem names no path inside the
// source, but a syntax error carries its line and column, as the sandbox's TypeScript stripper
// (sucrase) writes them: `name.ts: Unexpected token (12:5)`.
import { findNodeAtLocation, parseTree, type Node } from "jsonc-parser";

export type PathSegment = string | number;

/** `script[2].at_ms` as `["script", 2, "at_ms"]` (validate.ts's formatPath, read back). */
export function parsePath(path: string): PathSegment[] {
  if (path === "scenario") return [];
  const out: PathSegment[] = [];
  for (const m of path.matchAll(/\[(\d+)\]|([^.[\]]+)/g))
    out.push(m[1] !== undefined ? Number(m[1]) : m[2]!);
  return out;
}

/** A span of the text: offset and length in UTF-16 units, as Monaco's getPositionAt takes. */
export interface Span {
  offset: number;
  length: number;
}

/**
 * The span of the JSON value at `path` in `text`; when the value is missing (a property not
 * written), the nearest enclosing value that is there. Null when the text is not JSON at all.
 */
export function jsonSpan(text: string, path: PathSegment[]): Span | null {
  const root = parseTree(text);
  if (!root) return null;
  for (let n = path.length; n >= 0; n--) {
    const node: Node | undefined = n === 0 ? root : findNodeAtLocation(root, path.slice(0, n));
    if (!node) continue;
    // A property's problem on its name and value, as an editor underlines a bad entry.
    const at = node.parent?.type === "property" ? node.parent : node;
    return { offset: at.offset, length: at.length };
  }
  return null;
}

/** The 1-based line and column a module-source problem names, if it names one. */
export function sourcePlace(message: string): { line: number; column: number } | null {
  const m = /\((\d+):(\d+)\)/.exec(message);
  return m ? { line: Number(m[1]), column: Number(m[2]) + 1 } : null;
}
