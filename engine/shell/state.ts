// state.ts: what a shell process remembers between commands: variables, functions, positional
// parameters, options, cwd, background children. A subshell gets a deep copy (fork semantics).
import type { Command } from "./ast.ts";
import type { Fds } from "./io.ts";
import type { ShellHost } from "./host.ts";
import { type ArrayVar, AssocArray, ELEMENT, IndexedArray } from "./arrays.ts";
import { FdFiles } from "./procsub.ts";

/** A playground guard: bash would spin forever; the engine must stay responsive. */
export const LOOP_LIMIT = 100_000;

/** A playground guard on nested function calls and evals (bash recurses until it crashes). */
export const NEST_LIMIT = 200;

/** A pending change of control flow, unwound by the executor (exit, return, break, continue). */
export interface Flow {
  /** "abort": an interactive shell drops the rest of the command line (bash's DISCARD). */
  kind: "exit" | "return" | "break" | "continue" | "abort";
  status: number;
  /** Loop levels left to leave, for break/continue. */
  count: number;
  /** For return: $? when `return` ran (what the RETURN trap sees). */
  before?: number;
}

/** Consumes a break/continue aimed at the innermost loop. @returns the flow left, and whether that loop ends. */
export function loopFlow(f: Flow | null): { flow: Flow | null; stop: boolean } {
  if (!f) return { flow: null, stop: false };
  if (f.kind !== "break" && f.kind !== "continue") return { flow: f, stop: true };
  if (f.count > 1) return { flow: { ...f, count: f.count - 1 }, stop: true };
  return { flow: null, stop: f.kind === "break" };
}

/** The mutable state of one shell process. */
export class ShellState {
  vars = new Map<string, string>();
  /** Indexed and associative arrays; a name is in `vars` or here, never both. */
  arrays = new Map<string, ArrayVar>();
  exported = new Set<string>();
  functions = new Map<string, Command>();
  positional: string[] = [];
  /** $? */
  status = 0;
  /** $!; null until a job was started. */
  lastBg: number | null = null;
  cwd = "/root";
  errexit = false;
  nounset = false;
  /** set -o pipefail: a pipeline fails with its rightmost failing stage. */
  pipefail = false;
  /** shopt -s extglob / nullglob. */
  extglob = false;
  nullglob = false;
  /** Pids started with `&`, for `wait` without arguments. */
  children: number[] = [];
  /** One frame per active function call: the saved values of its `local` names. */
  frames: Map<string, string | ArrayVar | undefined>[] = [];
  /** Nesting depth of loops (break/continue outside a loop do nothing). */
  loopDepth = 0;
  /** trap actions by signal key ("EXIT", "SIGINT"...); "" is an ignored signal. */
  traps = new Map<string, string>();
  /** set -E: functions (and the subshells bash would fork) inherit the ERR trap. */
  errtrace = false;
  /**
   * Signals sent to the shell's own pid ($$), not yet handled. One queue for the shell and all its
   * subshells (a subshell's `kill $$` signals its parent), shared by reference; only the shell
   * process itself (not a subshell) takes them, after the command that was running.
   */
  signals: { pending: number[] } = { pending: [] };
  /** The open process substitutions' outputs, shared with subshells like the signal queue. */
  fdFiles = new FdFiles();

  /** A variable or special parameter ($?, $!, $$, $#, $0-$9) for expansion; undefined when unset. */
  lookup(name: string, shellPid: number): string | undefined {
    switch (name) {
      case "?":
        return String(this.status);
      case "!":
        return this.lastBg === null ? undefined : String(this.lastBg);
      case "$":
        return String(shellPid);
      case "#":
        return String(this.positional.length);
      case "0":
        return "bash";
    }
    if (/^[1-9]$/.test(name)) return this.positional[Number(name) - 1];
    const el = ELEMENT.exec(name);
    if (el) return this.element(el[1]!, el[2]!);
    // $a of an array is ${a[0]}.
    const a = this.arrays.get(name);
    return a ? elementOf(a, "0") : this.vars.get(name);
  }

  /** ${name[sub]}: `sub` an evaluated index, or an associative array's key; a scalar is one element, at 0. */
  element(name: string, sub: string): string | undefined {
    const a = this.arrays.get(name);
    if (a) return elementOf(a, sub);
    return sub === "0" || sub === "-1" ? this.vars.get(name) : undefined;
  }

  /**
   * name=value, also name[i]=value (the key arithmetic and `read` pass); a scalar assignment to an
   * array sets its element 0 (bash). @returns false for a subscript before the array's start.
   */
  assign(name: string, value: string): boolean {
    const el = ELEMENT.exec(name);
    if (el) return setElementOf(this.arrayOf(el[1]!), el[2]!, value);
    const a = this.arrays.get(name);
    if (a) setElementOf(a, "0", value);
    else this.vars.set(name, value);
    return true;
  }

  /** Whether `name` is an associative array (its subscripts are strings, not arithmetic). */
  isAssoc(name: string): boolean {
    return this.arrays.get(name) instanceof AssocArray;
  }

  /** The array `name`, made from its scalar value (as element 0) or empty when it has none. */
  arrayOf(name: string): ArrayVar {
    let a = this.arrays.get(name);
    if (a) return a;
    a = new IndexedArray();
    const v = this.vars.get(name);
    if (v !== undefined) a.set(0, v);
    this.vars.delete(name);
    this.arrays.set(name, a);
    return a;
  }

  /** unset name: the variable, scalar or array. */
  unsetVar(name: string): void {
    this.vars.delete(name);
    this.arrays.delete(name);
    this.exported.delete(name);
  }

  /** The copy a subshell starts from. */
  clone(): ShellState {
    const s = new ShellState();
    s.vars = new Map(this.vars);
    s.arrays = new Map([...this.arrays].map(([n, a]) => [n, a.clone()]));
    s.exported = new Set(this.exported);
    s.functions = new Map(this.functions);
    s.positional = [...this.positional];
    s.status = this.status;
    s.lastBg = this.lastBg;
    s.cwd = this.cwd;
    s.errexit = this.errexit;
    s.nounset = this.nounset;
    s.pipefail = this.pipefail;
    s.extglob = this.extglob;
    s.nullglob = this.nullglob;
    s.frames = this.frames.map(
      (f) => new Map([...f].map(([n, v]) => [n, typeof v === "object" ? v.clone() : v])),
    );
    s.loopDepth = this.loopDepth;
    s.errtrace = this.errtrace;
    s.signals = this.signals;
    s.fdFiles = this.fdFiles;
    // A subshell resets the traps it inherits, except that ignored signals stay ignored (bash).
    for (const [key, action] of this.traps) if (action === "") s.traps.set(key, action);
    // set -E: the ERR trap is inherited too.
    const err = this.traps.get("ERR");
    if (this.errtrace && err !== undefined) s.traps.set("ERR", err);
    return s;
  }

  /** `local name`: remembers the outer value to restore when the function returns. */
  makeLocal(name: string): boolean {
    const frame = this.frames[this.frames.length - 1];
    if (!frame) return false;
    if (frame.has(name)) return true;
    // The outer array is set aside whole; the local starts as a copy until assigned.
    const a = this.arrays.get(name);
    frame.set(name, a ? a.clone() : this.vars.get(name));
    return true;
  }

  /** Leaves a function: its locals get their outer values back. */
  popFrame(): void {
    const frame = this.frames.pop();
    if (!frame) return;
    for (const [name, saved] of frame) {
      this.vars.delete(name);
      this.arrays.delete(name);
      if (typeof saved === "object") this.arrays.set(name, saved);
      else if (saved !== undefined) this.vars.set(name, saved);
    }
  }
}

/** An element by subscript text: an index for an indexed array (else none), a key otherwise. */
export function elementOf(a: ArrayVar, sub: string): string | undefined {
  if (a instanceof AssocArray) return a.get(sub);
  return /^-?\d+$/.test(sub) ? a.get(Number(sub)) : undefined;
}

/** Sets an element by subscript text. @returns false for an index before the start. */
export function setElementOf(a: ArrayVar, sub: string, value: string): boolean {
  if (a instanceof AssocArray) {
    a.set(sub, value);
    return true;
  }
  return /^-?\d+$/.test(sub) && a.set(Number(sub), value);
}

/** What a builtin may use: the host, the shell's state, path resolution, and control flow. */
export interface ShellContext {
  readonly host: ShellHost;
  readonly state: ShellState;
  /** An absolute, normalised path for `path` relative to the cwd. */
  resolve(path: string): string;
  /** Requests exit/return/break/continue; the executor unwinds after the builtin returns. */
  setFlow(flow: Flow): void;
  /** Whether a function call is active (for `return` and `local`). */
  inFunction(): boolean;
  /** Parses and runs `src` in this shell (eval). @returns its status, 2 after a syntax error. */
  evaluate(src: string, fds: Fds): number;
  /** Runs the action trapped for `key` ("RETURN"...), if one is set and not ignored. */
  runTrap(key: string, fds: Fds): void;
}

/** A builtin or a tool the shell implements itself. argv[0] is the name it was called by. */
export type Builtin = (ctx: ShellContext, argv: string[], fds: Fds) => number;

/** "/a/b/../c" → "/a/c"; a relative path is taken from `cwd`. */
export function resolvePath(cwd: string, path: string): string {
  const full = path.startsWith("/") ? path : `${cwd}/${path}`;
  const out: string[] = [];
  for (const seg of full.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  return `/${out.join("/")}`;
}
