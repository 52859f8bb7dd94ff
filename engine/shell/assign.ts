// assign.ts: carrying out an assignment statement (bash's do_assignment): name=value, name+=value,
// name[i]=value, and the compound name=(items) and name+=(items), for indexed and associative
// arrays (whose subscripts are strings, not arithmetic).
import { err, ok, type Result } from "../result.ts";
import { type ArrayVar, AssocArray, IndexedArray } from "./arrays.ts";
import type { Assignment, Word } from "./ast.ts";
import { expandString, expandWord, subscriptValue, type ExpandEnv } from "./expand.ts";
import { elementOf, setElementOf, type ShellState } from "./state.ts";
import { subscriptedItem } from "./subscript.ts";

/** A failed assignment: bash's message after "bash: "; `expansion` when an expansion failed. */
export interface AssignError {
  message: string;
  expansion: boolean;
}

const expansionError = (message: string): Result<never, AssignError> =>
  err({ message, expansion: true });

/** Performs `a` in `state`. */
export function assign(
  a: Assignment,
  state: ShellState,
  env: ExpandEnv,
): Result<void, AssignError> {
  if (a.array) return assignArray(a.name, a.array, a.append === true, state, env);
  const v = expandString(a.value, env);
  if (!v.ok) return expansionError(v.error);
  if (!a.index) {
    const old = a.append ? (state.lookup(a.name, 0) ?? "") : "";
    state.assign(a.name, old + v.value);
    return ok(undefined);
  }
  const arr = state.arrayOf(a.name);
  const sub = subscriptOf(arr, a.index, env);
  if (!sub.ok) return expansionError(sub.error);
  return setElement(arr, a.name, sub.value, v.value, a.append === true);
}

/** A subscript's text: evaluated arithmetic for an indexed array, the expanded key otherwise. */
function subscriptOf(arr: ArrayVar, w: Word, env: ExpandEnv): Result<string, string> {
  if (arr instanceof AssocArray) return expandString(w, env);
  const i = subscriptValue(w, env);
  return i.ok ? ok(String(i.value)) : i;
}

/** a[i]=v, a[i]+=v. */
function setElement(
  arr: ArrayVar,
  name: string,
  sub: string,
  value: string,
  append: boolean,
): Result<void, AssignError> {
  const old = append ? (elementOf(arr, sub) ?? "") : "";
  if ((arr instanceof IndexedArray || sub !== "") && setElementOf(arr, sub, old + value))
    return ok(undefined);
  const shown = arr instanceof AssocArray ? '""' : sub;
  return err({ message: `${name}[${shown}]: bad array subscript`, expansion: false });
}

/**
 * name=(items): a new array of the items (each expanded, split and globbed; `[i]=v` sets index i
 * and the next item follows it); name+=(items) appends after the highest index. An associative
 * array takes [key]=value items, or key value pairs when none has a subscript (bash 5.1).
 */
export function assignArray(
  name: string,
  items: readonly Word[],
  append: boolean,
  state: ShellState,
  env: ExpandEnv,
): Result<void, AssignError> {
  const existing = state.arrays.get(name);
  const fresh = existing instanceof AssocArray ? new AssocArray() : new IndexedArray();
  const arr = append ? state.arrayOf(name).clone() : fresh;
  const r =
    arr instanceof AssocArray
      ? fillAssoc(arr, name, items, env)
      : fillIndexed(arr, name, items, env);
  if (!r.ok) return r;
  state.vars.delete(name);
  state.arrays.set(name, arr);
  return ok(undefined);
}

function fillIndexed(
  arr: IndexedArray,
  name: string,
  items: readonly Word[],
  env: ExpandEnv,
): Result<void, AssignError> {
  let next = arr.maxIndex() + 1;
  for (const w of items) {
    const sub = subscriptedItem(w);
    if (sub) {
      const i = subscriptValue(sub.index, env);
      if (!i.ok) return expansionError(i.error);
      const v = expandString(sub.value, env);
      if (!v.ok) return expansionError(v.error);
      const set = setElement(arr, name, String(i.value), v.value, sub.append === true);
      if (!set.ok) return set;
      next = arr.resolve(Number(i.value))! + 1;
      continue;
    }
    const fields = expandWord(w, env);
    if (!fields.ok) return expansionError(fields.error);
    for (const f of fields.value) arr.set(next++, f);
  }
  return ok(undefined);
}

function fillAssoc(
  arr: AssocArray,
  name: string,
  items: readonly Word[],
  env: ExpandEnv,
): Result<void, AssignError> {
  const subs = items.map(subscriptedItem);
  if (items.length > 0 && subs.every((s) => s === null)) {
    // Key value pairs; a last key alone gets the empty value.
    const words: string[] = [];
    for (const w of items) {
      const f = expandWord(w, env);
      if (!f.ok) return expansionError(f.error);
      words.push(...f.value);
    }
    for (let i = 0; i < words.length; i += 2) {
      const set = setElement(arr, name, words[i]!, words[i + 1] ?? "", false);
      if (!set.ok) return set;
    }
    return ok(undefined);
  }
  for (const [k, w] of items.entries()) {
    const sub = subs[k];
    if (!sub) {
      // bash warns and goes on with the next item.
      const text = expandString(w, env);
      env.warn(
        `${name}: '${text.ok ? text.value : ""}': must use subscript when assigning associative array`,
      );
      continue;
    }
    const key = expandString(sub.index, env);
    if (!key.ok) return expansionError(key.error);
    const v = expandString(sub.value, env);
    if (!v.ok) return expansionError(v.error);
    const set = setElement(arr, name, key.value, v.value, sub.append === true);
    if (!set.ok) return set;
  }
  return ok(undefined);
}
