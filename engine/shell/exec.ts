// exec.ts: the user's root shell: parses a command line and executes it (executor.ts) against
// the machine's ShellHost, collecting what it printed.
import { Executor } from "./executor.ts";
import type { ShellHost } from "./host.ts";
import { BufferOutput, inputOf } from "./io.ts";
import { parseScript } from "./parse.ts";
import { withFdFiles } from "./procsub.ts";
import { LOOP_LIMIT, ShellState } from "./state.ts";

export { LOOP_LIMIT };

/** What one `run` produced. */
export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
  /** The script ran `exit` (or `set -e` stopped it). */
  exited: boolean;
}

/** The user's root shell on the machine. State (variables, functions, cwd) persists across runs. */
export class Shell {
  private readonly state = new ShellState();

  private readonly host: ShellHost;

  constructor(host: ShellHost) {
    this.host = withFdFiles(host, this.state.fdFiles);
    this.state.vars.set("HOME", "/root");
    this.state.vars.set("PWD", "/root");
  }

  /** Parses and executes `src` as one script. Syntax errors print bash's message, status 2. */
  run(src: string): RunResult {
    const stdout = new BufferOutput();
    const stderr = new BufferOutput();
    const parsed = parseScript(src);
    if (!parsed.ok) {
      stderr.write(`bash: ${parsed.error}\n`);
      this.state.status = 2;
      return { status: 2, stdout: "", stderr: stderr.text, exited: false };
    }
    for (const w of parsed.value.warnings) stderr.write(`bash: ${w}\n`);
    const ex = new Executor(this.host, this.state);
    const fds = { stdin: inputOf(""), stdout, stderr };
    ex.program(parsed.value.program, fds);
    if (ex.flow?.kind === "exit") ex.runExitTrap(fds);
    const exited = ex.flow?.kind === "exit";
    // An abort (set -u) drops the rest of the line; the shell itself goes on.
    if (ex.flow) this.state.status = ex.flow.status;
    return { status: this.state.status, stdout: stdout.text, stderr: stderr.text, exited };
  }

  /**
   * The session ends (the console closes, a script's last line ran): the shell exits as at end of
   * input, running its EXIT trap with $? the last status. A shell that already ran `exit` has run it.
   */
  close(): RunResult {
    const stdout = new BufferOutput();
    const stderr = new BufferOutput();
    const ex = new Executor(this.host, this.state);
    ex.runExitTrap({ stdin: inputOf(""), stdout, stderr });
    if (ex.flow) this.state.status = ex.flow.status;
    return { status: this.state.status, stdout: stdout.text, stderr: stderr.text, exited: true };
  }

  /** A shell variable's value (for the machine and tests). */
  variable(name: string): string | undefined {
    return this.state.vars.get(name);
  }

  /** The current directory. */
  get cwd(): string {
    return this.state.cwd;
  }
}
