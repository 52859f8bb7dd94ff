// host.ts: what the shell needs from the machine it runs on. The machine (engine/machine/)
// implements it; tests use a small in-memory host. Every call is synchronous: a command that
// takes virtual time (sleep, a module init that waits) runs the machine forward inside the call.

/** Standard streams of one command; output is collected as text. */
export interface CommandIO {
  stdin: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Where a path lives and how it answers, as the VFS sees it. */
export interface PathInfo {
  kind: "file" | "dir";
  /** Octal permission bits, e.g. 0o644. */
  mode: number;
  owner: string;
  group: string;
}

/** uname(2)'s struct utsname: what `uname` prints. */
export interface Utsname {
  sysname: string;
  nodename: string;
  release: string;
  version: string;
  /** x86_64 or aarch64. */
  machine: string;
}

/** Errors are the errno values of the failed system call (negative), as the kernel returns them. */
export type Errno = number;

export interface ShellHost {
  /** The shell's own task (pid), parent of every command it runs. */
  readonly shellPid: number;

  /** Reads a file (open + read to EOF). @returns the text or -errno (-ENOENT, -EACCES, -EISDIR...). */
  readFile(path: string): string | Errno;
  /**
   * Writes a file (open with O_TRUNC or O_APPEND, one write of `data`, close), as `echo x > f` does.
   * The kernel's store handlers see exactly `data` (with echo's trailing newline).
   * An empty `data` is the open(2) alone (create, or truncate unless appending; permission and
   * existence checks) and must reach no store handler: the shell opens a redirection's file
   * before the command runs, then writes once per command with `append` true.
   * @returns 0, or -errno from open or write (-EINVAL, -EBUSY, -ENOENT, -EPERM...).
   */
  writeFile(path: string, data: string, append: boolean): number;
  /** Lists a directory. @returns the entry names (sorted as ls shows them) or -errno. */
  listDir(path: string): string[] | Errno;
  /** stat(2). @returns the info or -errno. */
  stat(path: string): PathInfo | Errno;

  /**
   * Runs an external command (insmod, rmmod, modprobe, lsmod, sysctl, dmesg, a user program...) in
   * a child task forked from the shell, to completion or until it blocks forever.
   * @returns its exit status, or null when `name` is not a command the machine knows
   * (the shell then prints "<name>: command not found" and sets 127).
   */
  run(name: string, args: string[], io: CommandIO): number | null;
  /** Starts a command in the background. @returns its pid (for `$!`), or null if unknown. */
  spawn(name: string, args: string[]): number | null;
  /** `wait pid`: runs virtual time until the background job ends. @returns its exit status, or null
   * when `pid` is not a child of the shell. */
  wait(pid: number): number | null;
  /** kill(2) with a signal number (default SIGTERM 15). @returns 0 or -errno (-ESRCH). */
  kill(pid: number, signal: number): number;

  /** uname(2). */
  uname(): Utsname;
  /** clock_gettime(CLOCK_REALTIME) in ns: the virtual clock; the machine boots at the epoch. */
  realtimeNs(): number;
  /** Advances virtual time by `ns`, running everything due meanwhile (`sleep`). */
  sleep(ns: number): void;
  /** Writes a line to the kernel log as /dev/kmsg does (the selftests' `log`). */
  kmsg(line: string): void;
  /** The shell's task returns to user space after a command (where a pending patch state switches). */
  returnToUser(): void;
}
