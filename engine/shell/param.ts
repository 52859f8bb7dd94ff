// param.ts: the operators of ${name...} (bash's parameter_brace_expand): defaults, assignment,
// alternatives, errors, pattern removal from either end, and ${#name}.
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
}

/** Applies `op` to parameter `name`. @returns the text, or the error to print after "bash: ". */
export function paramOp(
  name: string,
  op: ParamOp,
  arg: Word,
  ctx: ParamContext,
): Result<string, string> {
  const v = ctx.value;
  if (op === "length") return ok(String([...(v ?? "")].length));
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

function ascending(n: number): number[] {
  return Array.from({ length: n + 1 }, (_x, i) => i);
}

function descending(n: number): number[] {
  return ascending(n).reverse();
}

/** A glob pattern (unquoted text) as a regex source: * ? and bracket expressions. */
export function globToRegex(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "*") out += "[\\s\\S]*";
    else if (c === "?") out += "[\\s\\S]";
    else if (c === "[") {
      const end = text.indexOf("]", i + 2);
      if (end < 0) out += "\\[";
      else {
        const body = text
          .slice(i + 1, end)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\");
        if (!validClass(body)) {
          out += "\\[";
          continue;
        }
        out += `[${body}]`;
        i = end;
      }
    } else out += c.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
  }
  return out;
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
