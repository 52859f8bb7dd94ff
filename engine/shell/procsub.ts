// procsub.ts: process substitution, <(list) and >(list). bash runs the list with its output (or
// input) on a pipe and the word becomes /dev/fd/63 (62, ... for more in one command). Here a
// <(list) runs first, to completion, and its output is what reading that path gives; a >(list)
// collects what is written to its path and runs when the command that opened it ends, with that
// as its input. Only the shell's own readers and writers see these paths (cat, grep, tee, source,
// redirections): the machine's programs (insmod, sysctl...) do not, they are not its files.
import type { Program } from "./ast.ts";
import type { ShellHost } from "./host.ts";
import type { Output } from "./io.ts";

/** A >(list): where its output goes, and what was written to it so far. */
export interface Sink {
  program: Program;
  stdout: Output;
  stderr: Output;
  text: string;
}

/** The process substitutions of the commands running now, by /dev/fd path. */
export class FdFiles {
  private readonly files = new Map<string, string | Sink>();

  /** Registers an output. @returns its path: /dev/fd/63 first, then downwards as bash numbers them. */
  add(text: string): string {
    const path = this.next();
    this.files.set(path, text);
    return path;
  }

  /** Registers a >(list). @returns the path that writes to it. */
  addSink(sink: Omit<Sink, "text">): string {
    const path = this.next();
    this.files.set(path, { ...sink, text: "" });
    return path;
  }

  private next(): string {
    return `/dev/fd/${63 - this.files.size}`;
  }

  /** What reading `path` gives: a <(list)'s output; a >(list) is write-only (nothing). */
  get(path: string): string | undefined {
    const f = this.files.get(path);
    return typeof f === "string" ? f : f === undefined ? undefined : "";
  }

  /** Writes to a >(list). @returns false when `path` is none. */
  write(path: string, data: string): boolean {
    const f = this.files.get(path);
    if (f === undefined || typeof f === "string") return false;
    f.text += data;
    return true;
  }

  /** How many are open: a command closes the ones it opened (see drop). */
  get size(): number {
    return this.files.size;
  }

  /** Closes the ones opened after `size` of them were. @returns the >(list)s among them, to run. */
  drop(size: number): Sink[] {
    const sinks: Sink[] = [];
    for (const path of [...this.files.keys()].slice(size)) {
      const f = this.files.get(path)!;
      if (typeof f !== "string") sinks.push(f);
      this.files.delete(path);
    }
    return sinks;
  }
}

/** `host` whose file calls also reach the open process substitutions. */
export function withFdFiles(host: ShellHost, files: FdFiles): ShellHost {
  return {
    shellPid: host.shellPid,
    readFile: (path) => files.get(path) ?? host.readFile(path),
    writeFile: (path, data, append) =>
      files.get(path) === undefined
        ? host.writeFile(path, data, append)
        : files.write(path, data)
          ? 0
          : -EBADF,
    listDir: (path) => host.listDir(path),
    stat: (path) =>
      files.get(path) === undefined
        ? host.stat(path)
        : { kind: "file", mode: 0o600, owner: "root", group: "root" },
    run: (name, args, io) => host.run(name, args, io),
    spawn: (name, args) => host.spawn(name, args),
    wait: (pid) => host.wait(pid),
    kill: (pid, signal) => host.kill(pid, signal),
    uname: () => host.uname(),
    realtimeNs: () => host.realtimeNs(),
    sleep: (ns) => host.sleep(ns),
    kmsg: (line) => host.kmsg(line),
    returnToUser: () => host.returnToUser(),
  };
}

/** Writing a <(list)'s path: it is open for reading only. */
const EBADF = 9;
