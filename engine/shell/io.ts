// io.ts: the shell's file descriptors. Output is buffered per command and flushed after each
// simple command, so a redirected file sees one write(2) per command, as with a stdio flush at exit:
// that is what makes `echo 1 > enabled` a single store call in the kernel.
import type { ShellHost } from "./host.ts";

/** A writable descriptor. */
export interface Output {
  write(text: string): void;
  /** Sends pending data on. @returns 0 or -errno of the failed write. */
  flush(): number;
}

/** A readable descriptor: the text and how far commands have read it (shared, like a file offset). */
export interface Input {
  text: string;
  pos: number;
}

/** Descriptors 0, 1 and 2 of one command. */
export interface Fds {
  stdin: Input;
  stdout: Output;
  stderr: Output;
}

/** Collects text in memory: pipes, command substitution, the console's own streams. */
export class BufferOutput implements Output {
  text = "";
  write(text: string): void {
    this.text += text;
  }
  flush(): number {
    return 0;
  }
}

/** /dev/null. */
export class NullOutput implements Output {
  write(): void {}
  flush(): number {
    return 0;
  }
}

/** A file opened for writing: each flush is one host.writeFile (one write(2) after the open). */
export class FileOutput implements Output {
  private pending = "";
  constructor(
    private readonly host: ShellHost,
    private readonly path: string,
  ) {}
  write(text: string): void {
    this.pending += text;
  }
  flush(): number {
    if (!this.pending) return 0;
    const data = this.pending;
    this.pending = "";
    // The open already truncated when asked to; later writes land at the end of the file.
    return this.host.writeFile(this.path, data, true);
  }
}

/** /dev/kmsg: every line written becomes one kernel log record (devkmsg_write). */
export class KmsgOutput implements Output {
  private pending = "";
  constructor(private readonly host: ShellHost) {}
  write(text: string): void {
    this.pending += text;
  }
  flush(): number {
    const lines = this.pending.split("\n");
    this.pending = "";
    if (lines[lines.length - 1] === "") lines.pop();
    for (const line of lines) this.host.kmsg(line);
    return 0;
  }
}

/** An input holding `text`, unread. */
export function inputOf(text: string): Input {
  return { text, pos: 0 };
}

/** Reads everything left (cat, grep: they read to EOF). */
export function readAll(input: Input): string {
  const rest = input.text.slice(input.pos);
  input.pos = input.text.length;
  return rest;
}

/** Reads one line without its newline (read builtin). @returns null at EOF. */
export function readLine(input: Input): string | null {
  if (input.pos >= input.text.length) return null;
  const nl = input.text.indexOf("\n", input.pos);
  const end = nl < 0 ? input.text.length : nl;
  const line = input.text.slice(input.pos, end);
  input.pos = nl < 0 ? end : end + 1;
  return line;
}

/** Splits command output into lines, without the empty piece after a final newline. */
export function lines(text: string): string[] {
  if (text === "") return [];
  const out = text.split("\n");
  if (out[out.length - 1] === "") out.pop();
  return out;
}
