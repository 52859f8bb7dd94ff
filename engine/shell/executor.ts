// executor.ts: runs the syntax tree (bash's execute_cmd.c in miniature): lists, and-or lists,
// pipelines, compound commands, functions, redirections, background jobs, and `set -e`.
// Everything runs synchronously against the ShellHost; the shell's task returns to user space
// after every foreground command, where a pending livepatch state switch may happen.
import { strerror } from "../strerror.ts";
import type {
  AndOr,
  ArithForCommand,
  CaseCommand,
  CondCommand,
  Command,
  ForCommand,
  IfCommand,
  LoopCommand,
  Pipeline,
  Program,
  SimpleCommand,
} from "./ast.ts";
import { BUILTINS, findBuiltin, isShellBuiltin, notFound } from "./builtins/index.ts";
import { unaryTest } from "./builtins/test.ts";
import { runCase } from "./case.ts";
import { COND_SYNTAX, condContext, evalCond } from "./cond.ts";
import { assign } from "./assign.ts";
import { arith, expandString, expandWords, type ExpandEnv } from "./expand.ts";
import type { ShellHost } from "./host.ts";
import { BufferOutput, inputOf, type Fds } from "./io.ts";
import { parseScript } from "./parse.ts";
import { applyRedirects } from "./redirect.ts";
import { disposition } from "./signals.ts";
import {
  LOOP_LIMIT,
  loopFlow,
  NEST_LIMIT,
  resolvePath,
  type Flow,
  type ShellContext,
  type ShellState,
} from "./state.ts";

/** Executes programs for one shell process; a subshell is a fork with a copy of the state. */
export class Executor implements ShellContext {
  flow: Flow | null = null;
  /** > 0 while running a condition, a negated pipeline or a non-final && / || part (set -e). */
  private condDepth = 0;
  /** Nesting of function calls and evals, forks included (see tooDeep). */
  private depth = 0;
  /** Status of the last command substitution, the status of an assignment-only command. */
  private substStatus: number | null = null;
  /** The shell process itself, not a subshell: the one that takes the signals sent to $$. */
  private main = true;
  /** Nesting of signal traps running (one may signal the shell again). */
  private trapDepth = 0;
  /** Set while the ERR action runs: its own failures do not run it again (bash). */
  private inErrTrap = false;

  constructor(
    readonly host: ShellHost,
    readonly state: ShellState,
  ) {}

  resolve(path: string): string {
    return resolvePath(this.state.cwd, path);
  }

  setFlow(flow: Flow): void {
    this.flow = flow;
  }

  inFunction(): boolean {
    return this.state.frames.length > 0;
  }

  evaluate(src: string, fds: Fds): number {
    if (this.tooDeep("eval", fds)) return 1;
    const parsed = parseScript(src);
    if (!parsed.ok) {
      fds.stderr.write(`bash: eval: ${parsed.error}\n`);
      return 2;
    }
    for (const w of parsed.value.warnings) fds.stderr.write(`bash: ${w}\n`);
    this.depth++;
    const status = this.program(parsed.value.program, fds);
    this.depth--;
    return status;
  }

  /**
   * The shell (or this subshell) is exiting: runs the EXIT trap once, with $? the exit status. The
   * status stays unless the action itself calls `exit` (bash's run_exit_trap).
   */
  runExitTrap(fds: Fds): void {
    const action = this.state.traps.get("EXIT");
    if (action === undefined) return;
    this.state.traps.delete("EXIT");
    const before = this.flow;
    const status = before && before.kind !== "abort" ? before.status : this.state.status;
    this.flow = null;
    this.state.status = before?.before ?? status;
    const parsed = parseScript(action);
    if (!parsed.ok) fds.stderr.write(`bash: exit trap: line 1: ${parsed.error}\n`);
    else this.program(parsed.value.program, fds);
    // The action may have set a flow of its own (TypeScript cannot see program() assign it).
    const after = this.flow as Flow | null;
    if (after?.kind === "exit") {
      this.state.status = after.status;
      return;
    }
    this.flow = before;
    this.state.status = status;
  }

  /** Runs the action trapped for `key` now (RETURN at the end of a sourced file). */
  runTrap(key: string, fds: Fds): void {
    const action = this.state.traps.get(key);
    if (action) this.trapAction(action, fds);
  }

  /**
   * Runs a trap's action as bash does: $? inside it is the status it interrupted, and comes back
   * after it, unless the action exits (or a failed expansion drops the line).
   */
  private trapAction(action: string, fds: Fds, status = this.state.status): void {
    const parsed = parseScript(action);
    if (!parsed.ok) return void fds.stderr.write(`bash: ${parsed.error}\n`);
    const before = this.flow;
    const cond = this.condDepth;
    this.flow = null;
    this.condDepth = 0;
    this.state.status = status;
    this.program(parsed.value.program, fds);
    this.condDepth = cond;
    const after = this.flow as Flow | null;
    if (after?.kind === "exit" || after?.kind === "abort") return;
    this.flow = before;
    this.state.status = status;
  }

  /**
   * Handles the signals sent to $$ (only in the shell process itself, after each pipeline). A trap
   * whose commands signal the shell again takes that signal inside itself, as bash does.
   */
  private takeSignals(fds: Fds): void {
    const queue = this.state.signals.pending;
    if (!this.main) return;
    while (queue.length > 0 && !this.flow) {
      // A playground guard: a trap that always signals again would nest until bash crashed.
      if (this.trapDepth === NEST_LIMIT) {
        fds.stderr.write(`bash: trap: stopped after ${NEST_LIMIT} nested signals\n`);
        queue.length = 0;
        return;
      }
      const d = disposition(this.state.traps, queue.shift()!);
      if (d.kind === "run") {
        this.trapDepth++;
        this.trapAction(d.action, fds);
        this.trapDepth--;
      } else if (d.kind === "die") {
        if (!d.exitTrap) this.state.traps.delete("EXIT");
        // The EXIT trap sees $? as it was; the shell's status is still 128+n.
        this.flow = { kind: "exit", status: d.status, count: 0, before: this.state.status };
        queue.length = 0;
      }
    }
  }

  /**
   * The ERR trap, where `set -e` would exit: a failed simple command, subshell, [[ ]] or pipeline
   * outside any condition; not inside functions unless `set -E` (bash).
   */
  private errTrap(p: Pipeline, fds: Fds): void {
    const action = this.state.traps.get("ERR");
    if (!action || this.inErrTrap || this.condDepth > 0 || p.negate || this.state.status === 0)
      return;
    if (this.inFunction() && !this.state.errtrace) return;
    const only = p.commands.length === 1 ? p.commands[0]! : null;
    const leaf = ["simple", "subshell", "cond", "arith"];
    if (only && !leaf.includes(only.type)) return;
    this.inErrTrap = true;
    this.trapAction(action, fds);
    this.inErrTrap = false;
  }

  program(p: Program, fds: Fds): number {
    for (const item of p.items) {
      if (item.background) this.background(item.command, fds);
      else this.andOr(item.command, fds);
      if (this.flow) break;
    }
    return this.state.status;
  }

  private andOr(a: AndOr, fds: Fds): void {
    const all = [a.first, ...a.rest.map((r) => r.pipeline)];
    for (let i = 0; i < all.length; i++) {
      if (i > 0) {
        const op = a.rest[i - 1]!.op;
        if ((op === "&&") !== (this.state.status === 0)) continue;
      }
      const last = i === all.length - 1;
      if (!last) this.condDepth++;
      this.pipeline(all[i]!, fds);
      if (!last) this.condDepth--;
      if (this.flow) return;
      if (!last) continue;
      this.errTrap(all[i]!, fds);
      if (!this.flow) this.errexit(all[i]!);
    }
  }

  /** `set -e`: a failing pipeline outside any condition ends the shell (bash's exit_immediately). */
  private errexit(p: Pipeline): void {
    if (!this.state.errexit || this.condDepth > 0 || p.negate || this.state.status === 0) return;
    this.flow = { kind: "exit", status: this.state.status, count: 0 };
  }

  private pipeline(p: Pipeline, fds: Fds): void {
    if (p.negate) this.condDepth++;
    let status: number;
    if (p.commands.length === 1) status = this.command(p.commands[0]!, fds);
    else status = this.pipe(p.commands, fds);
    if (p.negate) {
      this.condDepth--;
      status = status === 0 ? 1 : 0;
    }
    this.state.status = status;
    this.takeSignals(fds);
  }

  /** Stages run one after another, each in a subshell, stdout feeding the next stdin. */
  private pipe(commands: readonly Command[], fds: Fds): number {
    let stdin = fds.stdin;
    let status = 0;
    let failed = 0;
    commands.forEach((c, i) => {
      const last = i === commands.length - 1;
      const stdout = last ? fds.stdout : new BufferOutput();
      const sub = this.fork();
      const stage = { stdin, stdout, stderr: fds.stderr };
      status = sub.command(c, stage);
      sub.runExitTrap(stage);
      if (sub.flow) status = sub.flow.status;
      if (status !== 0) failed = status;
      if (!last) stdin = inputOf((stdout as BufferOutput).text);
    });
    return this.state.pipefail ? failed : status;
  }

  private fork(): Executor {
    const sub = new Executor(this.host, this.state.clone());
    sub.main = false;
    sub.condDepth = this.condDepth;
    sub.depth = this.depth;
    return sub;
  }

  /**
   * Runs one command; the process substitutions it opened close as it ends, and each >(list) then
   * runs, reading what the command wrote to it (bash runs it alongside; here it runs to its end at
   * the point where bash's would have read everything: when the writer closed the pipe).
   */
  command(c: Command, fds: Fds): number {
    const open = this.state.fdFiles.size;
    const status = this.compound(c, fds);
    for (const sink of this.state.fdFiles.drop(open)) {
      const sub = this.fork();
      const subFds = { stdin: inputOf(sink.text), stdout: sink.stdout, stderr: sink.stderr };
      sub.program(sink.program, subFds);
      sub.runExitTrap(subFds);
      subFds.stdout.flush();
    }
    return status;
  }

  private compound(c: Command, fds: Fds): number {
    if (c.type === "simple") return this.simple(c, fds);
    if (c.type === "function") {
      this.state.functions.set(c.name, c.body);
      return this.setStatus(0);
    }
    const r = applyRedirects(c.redirects, fds, this.host, this.env(fds), (p) => this.resolve(p));
    if (!r.ok) {
      this.failed(r.error.message, fds, r.error.expansion);
      return this.setStatus(1);
    }
    switch (c.type) {
      case "if":
        return this.ifCommand(c, r.value);
      case "while":
      case "until":
        return this.loop(c, r.value);
      case "for":
        return this.forCommand(c, r.value);
      case "group":
        return this.program(c.body, r.value);
      case "subshell":
        return this.subshell(c.body, r.value);
      case "cond":
        return this.cond(c, r.value);
      case "case":
        return this.caseCommand(c, r.value);
      case "arith":
        return this.setStatus(this.arithTest(c.expr, r.value) ? 0 : 1);
      case "arith-for":
        return this.arithFor(c, r.value);
    }
  }

  private caseCommand(c: CaseCommand, fds: Fds): number {
    const r = runCase(c, {
      env: this.env(fds),
      run: (body) => this.program(body, fds),
      stopped: () => this.flow !== null,
    });
    if (r.ok) return this.flow ? this.state.status : this.setStatus(r.value);
    this.failed(r.error, fds);
    return this.setStatus(1);
  }

  /** [[ ... ]]: 0 true, 1 false, 2 on a malformed expression; expansion errors drop the line. */
  private cond(c: CondCommand, fds: Fds): number {
    const r = evalCond(
      c.tokens,
      condContext(this.env(fds), (op, arg) => unaryTest(this, op, arg)),
    );
    this.host.returnToUser();
    if (r.ok) return this.setStatus(r.value ? 0 : 1);
    this.failed(r.error, fds, r.error !== COND_SYNTAX);
    return this.setStatus(r.error === COND_SYNTAX ? 2 : 1);
  }

  private setStatus(status: number): number {
    this.state.status = status;
    return status;
  }

  private subshell(body: Program, fds: Fds): number {
    const sub = this.fork();
    sub.program(body, fds);
    sub.runExitTrap(fds);
    return this.setStatus(sub.flow ? sub.flow.status : sub.state.status);
  }

  private condition(p: Program, fds: Fds): boolean {
    this.condDepth++;
    this.program(p, fds);
    this.condDepth--;
    return this.state.status === 0;
  }

  private ifCommand(c: IfCommand, fds: Fds): number {
    for (const clause of c.clauses) {
      const taken = this.condition(clause.cond, fds);
      if (this.flow) return this.state.status;
      if (taken) return this.program(clause.body, fds);
    }
    if (c.otherwise) return this.program(c.otherwise, fds);
    return this.setStatus(0);
  }

  private loop(c: LoopCommand, fds: Fds): number {
    let status = 0;
    this.state.loopDepth++;
    for (let n = 0; ; n++) {
      if (n === LOOP_LIMIT) {
        fds.stderr.write(`bash: ${c.type}: stopped after ${LOOP_LIMIT} iterations\n`);
        status = 1;
        break;
      }
      const holds = this.condition(c.cond, fds);
      if (this.flow ? this.loopStops() : holds !== (c.type === "while")) break;
      status = this.program(c.body, fds);
      if (this.loopStops()) break;
    }
    this.state.loopDepth--;
    return this.setStatus(this.flow?.kind === "exit" ? this.state.status : status);
  }

  /** (( expr )): 0 when it is not zero, 1 when it is; an error prints bash's "((: " message. */
  private arithTest(expr: string, fds: Fds): boolean | null {
    const r = arith(expr, this.env(fds));
    if (r.ok) return r.value !== "0";
    this.failed(`((: ${r.error}`, fds, false);
    return null;
  }

  /** for (( init; test; step )): an empty test holds; an error in one ends the loop, status 1. */
  private arithFor(c: ArithForCommand, fds: Fds): number {
    const run = (expr: string) => (expr.trim() === "" ? true : this.arithTest(expr, fds));
    if (run(c.init) === null) return this.setStatus(1);
    let status = 0;
    this.state.loopDepth++;
    for (let n = 0; ; n++) {
      if (n === LOOP_LIMIT) {
        fds.stderr.write(`bash: for: stopped after ${LOOP_LIMIT} iterations\n`);
        status = 1;
        break;
      }
      const holds = run(c.test);
      if (holds !== true) {
        if (holds === null) status = 1;
        break;
      }
      status = this.program(c.body, fds);
      if (this.loopStops()) break;
      if (run(c.step) === null) {
        status = 1;
        break;
      }
    }
    this.state.loopDepth--;
    return this.setStatus(this.flow?.kind === "exit" ? this.state.status : status);
  }

  private forCommand(c: ForCommand, fds: Fds): number {
    const items = c.items === null ? [...this.state.positional] : this.expandOrReport(c.items, fds);
    if (items === null) return this.setStatus(1);
    let status = 0;
    this.state.loopDepth++;
    for (const item of items) {
      this.state.vars.set(c.name, item);
      status = this.program(c.body, fds);
      if (this.loopStops()) break;
    }
    this.state.loopDepth--;
    return this.setStatus(status);
  }

  /** Consumes a pending break/continue aimed at this loop. @returns whether the loop ends. */
  private loopStops(): boolean {
    const r = loopFlow(this.flow);
    this.flow = r.flow;
    return r.stop;
  }

  private expandOrReport(words: SimpleCommand["words"], fds: Fds): string[] | null {
    this.substStatus = null;
    const r = expandWords(words, this.env(fds));
    if (r.ok) return r.value;
    this.failed(r.error, fds);
    return null;
  }

  // Prints an error; a failed expansion (set -u, arithmetic) also drops the rest of the line, as
  // interactive bash does (jump_to_top_level(DISCARD)).
  private failed(error: string, fds: Fds, expansion = true): void {
    fds.stderr.write(`bash: ${error}\n`);
    if (expansion) this.flow = { kind: "abort", status: 1, count: 0 };
  }

  /** `cmd &`: an external command starts as a child task; anything else runs now, in a subshell. */
  private background(a: AndOr, fds: Fds): void {
    const only = a.rest.length === 0 && a.first.commands.length === 1 ? a.first.commands[0]! : null;
    if (only?.type === "simple" && !a.first.negate && only.words.length > 0) {
      const argv = this.expandOrReport(only.words, fds);
      const name = argv?.[0];
      if (name !== undefined && !this.state.functions.has(name) && !isShellBuiltin(name)) {
        const pid = this.host.spawn(name, argv!.slice(1));
        this.host.returnToUser();
        this.state.status = 0;
        if (pid !== null) {
          this.state.lastBg = pid;
          this.state.children.push(pid);
          return;
        }
        // The child would print this; a tool the shell implements itself runs below instead.
        if (!BUILTINS.has(name)) return void fds.stderr.write(notFound(name));
      }
    }
    const sub = this.fork();
    sub.andOr(a, fds);
    sub.runExitTrap(fds);
    this.state.status = 0;
  }

  /** The expansion environment for commands writing to `fds` (command substitution's stderr). */
  private env(fds: Fds): ExpandEnv {
    return {
      lookup: (name) => this.state.lookup(name, this.host.shellPid),
      assign: (name, value) => void this.state.assign(name, value),
      positional: () => this.state.positional,
      isAssoc: (name) => this.state.isAssoc(name),
      warn: (message) => void fds.stderr.write(`bash: ${message}\n`),
      elements: (name) => {
        const a = this.state.arrays.get(name);
        if (a) return a.entries();
        const v = this.state.vars.get(name);
        return v === undefined ? [] : [[0, v]];
      },
      substitute: (program) => {
        const sub = this.fork();
        // bash (outside POSIX mode) clears -e in command substitutions.
        sub.condDepth = 0;
        sub.state.errexit = false;
        const out = new BufferOutput();
        const subFds = { stdin: fds.stdin, stdout: out, stderr: fds.stderr };
        sub.program(program, subFds);
        sub.runExitTrap(subFds);
        this.substStatus = sub.flow ? sub.flow.status : sub.state.status;
        return out.text.replace(/\n+$/, "");
      },
      procsub: (program, output) => {
        if (output)
          return this.state.fdFiles.addSink({ program, stdout: fds.stdout, stderr: fds.stderr });
        const sub = this.fork();
        const out = new BufferOutput();
        const subFds = { stdin: inputOf(""), stdout: out, stderr: fds.stderr };
        sub.program(program, subFds);
        sub.runExitTrap(subFds);
        return this.state.fdFiles.add(out.text);
      },
      listDir: (path) => {
        const names = this.host.listDir(this.resolve(path));
        return typeof names === "number" ? null : names;
      },
      nounset: this.state.nounset,
      extglob: this.state.extglob,
      nullglob: this.state.nullglob,
    };
  }

  private simple(c: SimpleCommand, fds: Fds): number {
    const argv = this.expandOrReport(c.words, fds);
    if (argv === null) return this.finish(1, fds);
    const env = this.env(fds);
    // Alone, assignments take effect one after another (`a=1 b=$a`), before the redirections.
    if (argv.length === 0) {
      for (const a of c.assigns) {
        const st = assign(a, this.state, env);
        if (st.ok) continue;
        this.failed(st.error.message, fds, st.error.expansion);
        return this.finish(1, fds);
      }
    }
    const values: [string, string][] = [];
    for (const a of argv.length === 0 ? [] : c.assigns) {
      const v = expandString(a.value, env);
      if (!v.ok) {
        this.failed(v.error, fds);
        return this.finish(1, fds);
      }
      values.push([a.name, v.value]);
    }
    const r = applyRedirects(c.redirects, fds, this.host, env, (p) => this.resolve(p));
    if (!r.ok) {
      this.failed(r.error.message, fds, r.error.expansion);
      return this.finish(1, fds);
    }
    if (argv.length === 0) return this.finish(this.substStatus ?? 0, r.value);
    const saved = values.map(([name]) => [name, this.state.vars.get(name)] as const);
    for (const [name, value] of values) this.state.vars.set(name, value);
    const status = this.invoke(argv, r.value);
    for (const [name, old] of saved) {
      if (old === undefined) this.state.vars.delete(name);
      else this.state.vars.set(name, old);
    }
    return this.finish(status, r.value, argv[0]);
  }

  /** Flushes the command's output (reporting a write error as the command would) and returns to user. */
  private finish(status: number, fds: Fds, name?: string): number {
    const rc = fds.stdout.flush();
    if (rc < 0 && name !== undefined) {
      const who = isShellBuiltin(name) ? `bash: ${name}` : name;
      fds.stderr.write(`${who}: write error: ${strerror(rc)}\n`);
      status = 1;
    }
    fds.stderr.flush();
    this.host.returnToUser();
    return this.setStatus(status);
  }

  private invoke(argv: string[], fds: Fds): number {
    const name = argv[0]!;
    const fn = this.state.functions.get(name);
    if (fn) return this.call(fn, argv, fds);
    const builtin = findBuiltin(name);
    if (builtin) return builtin(this, argv, fds);
    const io = {
      stdin: fds.stdin.text.slice(fds.stdin.pos),
      stdout: (t: string) => fds.stdout.write(t),
      stderr: (t: string) => fds.stderr.write(t),
    };
    const status = this.host.run(name, argv.slice(1), io);
    if (status !== null) return status;
    fds.stderr.write(notFound(name));
    return 127;
  }

  /** A function call: new positional parameters and a frame for `local`; `return` ends it. */
  // Calls and evals nest on the JS stack: past NEST_LIMIT the line is dropped with the message
  // bash gives when FUNCNEST is set (bash itself would recurse until it crashes).
  private tooDeep(name: string, fds: Fds): boolean {
    if (this.depth < NEST_LIMIT) return false;
    this.failed(`${name}: maximum function nesting level exceeded (${NEST_LIMIT})`, fds);
    return true;
  }

  private call(body: Command, argv: string[], fds: Fds): number {
    if (this.tooDeep(argv[0]!, fds)) return 1;
    this.depth++;
    const saved = this.state.positional;
    this.state.positional = argv.slice(1);
    this.state.frames.push(new Map());
    // The caller's RETURN trap is not the function's (bash without functrace): set aside.
    const callerReturn = this.state.traps.get("RETURN");
    this.state.traps.delete("RETURN");
    let status = this.command(body, fds);
    let before = this.state.status;
    if (this.flow?.kind === "return") {
      status = this.flow.status;
      before = this.flow.before ?? before;
      this.flow = null;
    }
    const own = this.state.traps.get("RETURN");
    // One the function set runs as it returns, with $? the status before `return`, and stays set.
    if (own) this.trapAction(own, fds, before);
    else if (own === undefined && callerReturn !== undefined) {
      this.state.traps.set("RETURN", callerReturn);
    }
    this.depth--;
    this.state.popFrame();
    this.state.positional = saved;
    return status;
  }
}
