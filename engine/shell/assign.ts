// assign.ts: carrying out an assignment statement (bash's do_assignment): name=value, name+=value,
// name[i]=value, and the compound name=(items) and name+=(items).
import { err, ok, type Result } from "../result.ts";
import { IndexedArray } from "./arrays.ts";
import type { Assignment, Word } from "./ast.ts";
import { expandString, expandWord, subscriptValue, type ExpandEnv } from "./expand.ts";
import type { ShellState } from "./state.ts";
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
  const i = subscriptValue(a.index, env);
  if (!i.ok) return expansionError(i.error);
  return setElement(state.arrayOf(a.name), a.name, Number(i.value), v.value, a.append === true);
}

/** a[i]=v, a[i]+=v. */
function setElement(
  arr: IndexedArray,
  name: string,
  i: number,
  value: string,
  append: boolean,
): Result<void, AssignError> {
  const old = append ? (arr.get(i) ?? "") : "";
  if (arr.set(i, old + value)) return ok(undefined);
  return err({ message: `${name}[${i}]: bad array subscript`, expansion: false });
}

/**
 * name=(items): a new array of the items (each expanded, split and globbed; `[i]=v` sets index i
 * and the next item follows it); name+=(items) appends after the highest index.
 */
export function assignArray(
  name: string,
  items: readonly Word[],
  append: boolean,
  state: ShellState,
  env: ExpandEnv,
): Result<void, AssignError> {
  const arr = append ? state.arrayOf(name).clone() : new IndexedArray();
  let next = arr.maxIndex() + 1;
  for (const w of items) {
    const sub = subscriptedItem(w);
    if (sub) {
      const i = subscriptValue(sub.index, env);
      if (!i.ok) return expansionError(i.error);
      const v = expandString(sub.value, env);
      if (!v.ok) return expansionError(v.error);
      const set = setElement(arr, name, Number(i.value), v.value, sub.append === true);
      if (!set.ok) return set;
      next = arr.resolve(Number(i.value))! + 1;
      continue;
    }
    const fields = expandWord(w, env);
    if (!fields.ok) return expansionError(fields.error);
    for (const f of fields.value) arr.set(next++, f);
  }
  state.vars.delete(name);
  state.arrays.set(name, arr);
  return ok(undefined);
}
