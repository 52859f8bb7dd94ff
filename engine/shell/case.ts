// case.ts: running a case command (bash's execute_case_command): the word expands once, without
// splitting or globbing; each clause's patterns expand in turn and match as globs (quoted parts
// literally) until one matches; `;&` then runs the next list unmatched, `;;&` tests on.
import { err, ok, type Result } from "../result.ts";
import type { CaseCommand, Program, Word } from "./ast.ts";
import { expandString, patternOf, type ExpandEnv } from "./expand.ts";

/** What running a clause needs from the executor. */
export interface CaseRunner {
  env: ExpandEnv;
  /** Runs a clause's list. @returns its status. */
  run(body: Program): number;
  /** Whether a break, continue, return, exit or abort is pending (it ends the case too). */
  stopped(): boolean;
}

/** Runs `c`. @returns the status (0 when no clause ran), or an expansion error to print. */
export function runCase(c: CaseCommand, r: CaseRunner): Result<number, string> {
  const subject = expandString(c.word, r.env);
  if (!subject.ok) return subject;
  let status = 0;
  let fallThrough = false;
  for (const clause of c.clauses) {
    if (!fallThrough) {
      const m = matchesAny(clause.patterns, subject.value, r.env);
      if (!m.ok) return m;
      if (!m.value) continue;
    }
    // An empty list leaves status 0, not the status of whatever ran before the case.
    status = clause.body.items.length > 0 ? r.run(clause.body) : 0;
    if (r.stopped() || clause.end === ";;") break;
    fallThrough = clause.end === ";&";
  }
  return ok(status);
}

/** Whether `subject` matches one of `patterns`, expanding each only until one does. */
function matchesAny(patterns: Word[], subject: string, env: ExpandEnv): Result<boolean, string> {
  for (const p of patterns) {
    const src = patternOf(p, env);
    if (!src.ok) return err(src.error);
    if (new RegExp(`^(?:${src.value})$`, "s").test(subject)) return ok(true);
  }
  return ok(false);
}
