// subscript.ts: where the subscript of `name[sub]=value` (and of an `[sub]=value` item of a
// compound assignment) ends: at the first `]` outside nested brackets that an unquoted `=` or `+=`
// follows, across the word's parts (`a[$i]=x` is three parts).
import type { Word, WordPart } from "./ast.ts";

/** A word split into its subscript and value. */
export interface Subscripted {
  index: Word;
  value: Word;
  append?: boolean;
}

/** `parts` is the word after its `[`. @returns the split, or null when no `]=` closes it. */
export function splitSubscript(parts: readonly WordPart[]): Subscripted | null {
  let depth = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.kind !== "lit" || p.quoted) continue;
    for (let j = 0; j < p.text.length; j++) {
      const c = p.text[j];
      if (c === "[") depth++;
      if (c !== "]" || depth-- > 0) continue;
      const m = /^(\+?)=/.exec(p.text.slice(j + 1));
      if (!m) return null;
      const head = p.text.slice(0, j);
      const tail = p.text.slice(j + 1 + m[0].length);
      const index = [...parts.slice(0, i), ...(head ? [{ ...p, text: head }] : [])];
      const value = [...(tail ? [{ ...p, text: tail }] : []), ...parts.slice(i + 1)];
      const out: Subscripted = { index: { parts: index }, value: { parts: value } };
      if (m[1]) out.append = true;
      return out;
    }
  }
  return null;
}

/** An item of name=(...): `[sub]=value` is subscripted, anything else is a plain word. */
export function subscriptedItem(w: Word): Subscripted | null {
  const first = w.parts[0];
  if (first?.kind !== "lit" || first.quoted || !first.text.startsWith("[")) return null;
  const rest = first.text.slice(1);
  return splitSubscript([...(rest ? [{ ...first, text: rest }] : []), ...w.parts.slice(1)]);
}
