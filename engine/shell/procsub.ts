// procsub.ts: process substitution, <(list). bash runs the list with its output on a pipe and
// the word becomes /dev/fd/63 (62, ... for more in one command). Here the list runs first, to
// completion, and its output is what reading that path gives, to the shell's own readers: cat,
// grep, source, `read` through a redirection (`done < <(list)`). The machine's programs (insmod,
// sysctl...) do not see these paths: they are the shell's, not files of the machine.
import type { ShellHost } from "./host.ts";

/** The outputs of the process substitutions of the commands running now, by /dev/fd path. */
export class FdFiles {
  private readonly files = new Map<string, string>();

  /** Registers an output. @returns its path: /dev/fd/63 first, then downwards as bash numbers them. */
  add(text: string): string {
    const path = `/dev/fd/${63 - this.files.size}`;
    this.files.set(path, text);
    return path;
  }

  get(path: string): string | undefined {
    return this.files.get(path);
  }

  /** How many are open: a command closes the ones it opened (see drop). */
  get size(): number {
    return this.files.size;
  }

  /** Closes the ones opened after `size` of them were (the command that opened them ended). */
  drop(size: number): void {
    for (const path of [...this.files.keys()].slice(size)) this.files.delete(path);
  }
}

/** `host` whose readFile also reads the open process substitutions. */
export function withFdFiles(host: ShellHost, files: FdFiles): ShellHost {
  return {
    shellPid: host.shellPid,
    readFile: (path) => files.get(path) ?? host.readFile(path),
    writeFile: (path, data, append) => host.writeFile(path, data, append),
    listDir: (path) => host.listDir(path),
    stat: (path) =>
      files.get(path) === undefined
        ? host.stat(path)
        : { kind: "file", mode: 0o600, owner: "root", group: "root" },
    run: (name, args, io) => host.run(name, args, io),
    spawn: (name, args) => host.spawn(name, args),
    wait: (pid) => host.wait(pid),
    kill: (pid, signal) => host.kill(pid, signal),
    sleep: (ns) => host.sleep(ns),
    kmsg: (line) => host.kmsg(line),
    returnToUser: () => host.returnToUser(),
  };
}
