// param.ts: the operators of ${name...} (bash's parameter_brace_expand): defaults, assignment,
// alternatives, errors, pattern removal from either end, pattern substitution, case modification
// and ${#name}. Substrings are in substr.ts.
import { err, ok, type Result } from "../result.ts";
import type { ParamOp, Word } from "./ast.ts";

/** What an operator needs: the parameter's value and ways to expand its word. */
export interface ParamContext {
  /** The value, undefined when unset. */
  value: string | undefined;
  /** The word expanded to a string (no splitting). */
  expand(word: Word): Result<string, string>;
  /** The word as an anchored-free regex source, unquoted `*`, `?` and `[...]` as glob wildcards. */
  pattern(word: Word): Result<string, string>;
  /** Assigns the variable (${name=word}). @returns false for a special parameter. */
  assign(value: string): boolean;
  /** A ${name/pat/rep} replacement: its pieces, `special` where an `&` stands for the match. */
  replacement(word: Word): Result<ReplacementPiece[], string>;
}

/** A piece of a replacement; bash 5.2's patsub_replacement (on by default) makes unquoted & the match. */
export interface ReplacementPiece {
  text: string;
  special: boolean;
}

/** Applies `op` to parameter `name`. @returns the text, or the error to print after "bash: ". */
export function paramOp(
  name: string,
  op: ParamOp,
  arg: Word,
  ctx: ParamContext,
  rep?: Word,
): Result<string, string> {
  const v = ctx.value;
  if (op === "length") return ok(String([...(v ?? "")].length));
  if (op === "^" || op === "^^" || op === "," || op === ",,") return caseMod(v ?? "", op, arg, ctx);
  if (op.startsWith("/")) return substitute(v ?? "", op, arg, rep ?? { parts: [] }, ctx);
  const colon = op.startsWith(":");
  const missing = v === undefined || (colon && v === "");
  switch (op.replace(":", "")) {
    case "-":
      return missing ? ctx.expand(arg) : ok(v!);
    case "=": {
      if (!missing) return ok(v!);
      const w = ctx.expand(arg);
      if (!w.ok) return w;
      if (!ctx.assign(w.value)) return err(`$${name}: cannot assign in this way`);
      return w;
    }
    case "+":
      return missing ? ok("") : ctx.expand(arg);
    case "?": {
      if (!missing) return ok(v!);
      const w = ctx.expand(arg);
      if (!w.ok) return w;
      return err(`${name}: ${w.value || "parameter null or not set"}`);
    }
  }
  return removePattern(v ?? "", op, arg, ctx);
}

/** ${v#p} ${v##p} ${v%p} ${v%%p}: the shortest or longest match at the start or the end. */
function removePattern(
  v: string,
  op: ParamOp,
  arg: Word,
  ctx: ParamContext,
): Result<string, string> {
  const p = ctx.pattern(arg);
  if (!p.ok) return p;
  const re = new RegExp(`^(?:${p.value})$`, "s");
  const n = v.length;
  const lengths = op === "#" || op === "%%" ? ascending(n) : descending(n);
  for (const i of lengths) {
    if (op === "#" || op === "##") {
      if (re.test(v.slice(0, i))) return ok(v.slice(i));
    } else if (re.test(v.slice(i))) return ok(v.slice(0, i));
  }
  return ok(v);
}

/** ${v/p/r} ${v//p/r} ${v/#p/r} ${v/%p/r}: the longest match of p, replaced by r. */
function substitute(
  v: string,
  op: ParamOp,
  arg: Word,
  rep: Word,
  ctx: ParamContext,
): Result<string, string> {
  const p = ctx.pattern(arg);
  if (!p.ok) return p;
  // An empty pattern matches nothing, except the empty prefix or suffix that /# and /% anchor to.
  if (p.value === "" && (op === "/" || op === "//")) return ok(v);
  const pieces = ctx.replacement(rep);
  if (!pieces.ok) return pieces;
  const re = new RegExp(`^(?:${p.value})$`, "s");
  const fill = (match: string) =>
    pieces.value.map((x) => (x.special ? x.text.replace(/&/g, match) : x.text)).join("");
  const n = v.length;
  if (op === "/#") {
    const i = descending(n).find((k) => re.test(v.slice(0, k)));
    return ok(i === undefined ? v : fill(v.slice(0, i)) + v.slice(i));
  }
  if (op === "/%") {
    const i = ascending(n).find((k) => re.test(v.slice(k)));
    return ok(i === undefined ? v : v.slice(0, i) + fill(v.slice(i)));
  }
  let out = "";
  let i = 0;
  while (i < n) {
    const from = i;
    // The longest non-empty match starting here (an empty one would replace between characters).
    const j = descending(n).find((k) => k > from && re.test(v.slice(from, k)));
    if (j === undefined) {
      out += v[i++];
      continue;
    }
    out += fill(v.slice(i, j));
    i = j;
    if (op === "/") return ok(out + v.slice(i));
  }
  return ok(out);
}

/**
 * ${v^p} ${v^^p} ${v,p} ${v,,p}: the first character (^ ,) or every one (^^ ,,) that matches the
 * pattern, a single-character glob (`?` when empty), upper- or lower-cased.
 */
function caseMod(
  v: string,
  op: "^" | "^^" | "," | ",,",
  arg: Word,
  ctx: ParamContext,
): Result<string, string> {
  const p = arg.parts.length ? ctx.pattern(arg) : ok("[\\s\\S]");
  if (!p.ok) return p;
  const re = new RegExp(`^(?:${p.value})$`, "s");
  const upper = op.startsWith("^");
  const chars = [...v];
  const every = op.length === 2;
  return ok(
    chars
      .map((c, i) => {
        if ((!every && i > 0) || !re.test(c)) return c;
        const m = upper ? c.toUpperCase() : c.toLowerCase();
        // towupper maps one character to one: a JavaScript expansion (ß to SS) leaves it as it is.
        return [...m].length === 1 ? m : c;
      })
      .join(""),
  );
}

function ascending(n: number): number[] {
  return Array.from({ length: n + 1 }, (_x, i) => i);
}

function descending(n: number): number[] {
  return ascending(n).reverse();
}
