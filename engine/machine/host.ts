// host.ts: the part of the shell's host (shell/host.ts ShellHost) that this slice provides: file
// calls through the VFS, run by a child of the shell (so /proc/cmdline is read by a task with the
// shell's livepatch state, as `cat` would be), virtual sleep, /dev/kmsg and the shell's return to
// user space. Running commands (insmod, rmmod, ...) arrives with the shell slice.
import { DEFAULT_MESSAGE_LOGLEVEL } from "../log.ts";
import type { PathInfo, ShellHost } from "../shell/host.ts";
import type { Machine } from "./machine.ts";
import type { Task } from "./task.ts";

export type MachineFileHost = Pick<
  ShellHost,
  "shellPid" | "readFile" | "writeFile" | "listDir" | "stat" | "sleep" | "kmsg" | "returnToUser"
>;

export class MachineHost implements MachineFileHost {
  constructor(
    private readonly m: Machine,
    private readonly shell: Task,
  ) {}

  get shellPid(): number {
    return this.shell.pid;
  }

  /** Runs `fn` in a child forked from the shell (cat, echo's redirection), which then exits. */
  private inChild<T>(comm: string, fn: () => T): T {
    const child = this.m.tasks.fork(this.shell, comm);
    const prev = this.m.current;
    this.m.current = child;
    try {
      return fn();
    } finally {
      this.m.current = prev;
      this.m.tasks.exit(child);
      this.m.settle();
    }
  }

  readFile(path: string): string | number {
    return this.inChild("cat", () => this.m.vfs.readFile(path));
  }

  /** sysfs and procfs attributes see one write of `data`; append changes nothing for them. */
  writeFile(path: string, data: string, _append: boolean): number {
    return this.m.vfs.writeFile(path, data);
  }

  listDir(path: string): string[] | number {
    return this.m.vfs.listDir(path);
  }

  stat(path: string): PathInfo | number {
    return this.m.vfs.stat(path);
  }

  sleep(ns: number): void {
    this.m.sleep(ns);
  }

  kmsg(line: string): void {
    this.m.printk(DEFAULT_MESSAGE_LOGLEVEL, line);
  }

  returnToUser(): void {
    this.m.tasks.returnToUser(this.shell);
  }
}
