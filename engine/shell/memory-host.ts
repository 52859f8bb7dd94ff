// memory-host.ts: an in-memory ShellHost for tests and demos: a small VFS with plain files and
// sysfs-like attributes (store handlers that may fail), a few external commands, background
// jobs on a virtual clock, and the kernel log lines written through /dev/kmsg.
import type { CommandIO, Errno, PathInfo, ShellHost, Utsname } from "./host.ts";

const ENOENT = -2;
const ESRCH = -3;
const EACCES = -13;
const ENOTDIR = -20;
const EISDIR = -21;

/** A sysfs-like file: reads call `show`, writes call `store` (never with the empty open). */
export interface Attribute {
  mode: number;
  show?: () => string | Errno;
  store?: (data: string) => number;
}

/** An external command: gets argv without the name, returns its exit status. */
export type External = (args: string[], io: CommandIO, host: MemoryHost) => number;

interface Job {
  name: string;
  /** Virtual time at which it ends on its own, or null when it runs until killed. */
  endsAt: number | null;
  status: number | null;
}

/** The in-memory machine. Every field is public so tests can set it up and inspect it. */
export class MemoryHost implements ShellHost {
  readonly shellPid = 100;
  files = new Map<string, string>();
  dirs = new Set<string>(["/", "/root", "/tmp", "/dev", "/sys", "/proc"]);
  attrs = new Map<string, Attribute>();
  commands = new Map<string, External>();
  jobs = new Map<number, Job>();
  /** Known long-running commands for `&`, with their run time in ns (null: until killed). */
  spawnable = new Map<string, number | null>([
    ["sleeper", null],
    ["sleep", 0],
  ]);
  kmsgLines: string[] = [];
  writes: { path: string; data: string; append: boolean }[] = [];
  nowNs = 0;

  /** The playground machine's utsname (engine/machine/commands.ts); tests may change it. */
  utsname: Utsname = {
    sysname: "Linux",
    nodename: "klp-play",
    release: "6.16.0-klp",
    version: "#1 SMP PREEMPT_DYNAMIC",
    machine: "x86_64",
  };

  uname(): Utsname {
    return { ...this.utsname };
  }

  realtimeNs(): number {
    return this.nowNs;
  }
  returns = 0;
  private nextPid = 1000;

  readFile(path: string): string | Errno {
    const attr = this.attrs.get(path);
    if (attr) return attr.show ? attr.show() : EACCES;
    if (this.dirs.has(path)) return EISDIR;
    return this.files.get(path) ?? this.missing(path);
  }

  writeFile(path: string, data: string, append: boolean): number {
    this.writes.push({ path, data, append });
    const attr = this.attrs.get(path);
    if (attr) {
      if (!attr.store) return EACCES;
      return data === "" ? 0 : attr.store(data);
    }
    if (this.dirs.has(path)) return EISDIR;
    const parent = parentOf(path);
    if (!this.dirs.has(parent)) return this.missing(parent);
    if (parent.startsWith("/sys") || parent.startsWith("/proc")) return EACCES;
    const old = this.files.get(path) ?? "";
    this.files.set(path, append ? old + data : data);
    return 0;
  }

  listDir(path: string): string[] | Errno {
    if (!this.dirs.has(path))
      return this.files.has(path) || this.attrs.has(path) ? ENOTDIR : ENOENT;
    const prefix = path === "/" ? "/" : `${path}/`;
    const names = new Set<string>();
    for (const p of [...this.files.keys(), ...this.attrs.keys(), ...this.dirs]) {
      if (p !== path && p.startsWith(prefix)) names.add(p.slice(prefix.length).split("/")[0]!);
    }
    return [...names].sort();
  }

  stat(path: string): PathInfo | Errno {
    const base = { owner: "root", group: "root" };
    if (this.dirs.has(path)) return { kind: "dir", mode: 0o755, ...base };
    const attr = this.attrs.get(path);
    if (attr) return { kind: "file", mode: attr.mode, ...base };
    if (this.files.has(path)) return { kind: "file", mode: 0o644, ...base };
    return this.missing(path);
  }

  /** ENOENT, or ENOTDIR when a parent is a file. */
  private missing(path: string): Errno {
    for (let p = parentOf(path); p !== "/"; p = parentOf(p)) {
      if (this.files.has(p) || this.attrs.has(p)) return ENOTDIR;
    }
    return ENOENT;
  }

  run(name: string, args: string[], io: CommandIO): number | null {
    const cmd = this.commands.get(name);
    return cmd ? cmd(args, io, this) : null;
  }

  spawn(name: string, args: string[]): number | null {
    if (!this.spawnable.has(name) && !this.commands.has(name)) return null;
    const pid = this.nextPid++;
    // External commands finish at once; sleep takes its operand; others as `spawnable` says.
    const known = this.spawnable.get(name);
    const runNs = name === "sleep" ? Number(args[0] ?? 0) * 1e9 : known === undefined ? 0 : known;
    this.jobs.set(pid, { name, endsAt: runNs === null ? null : this.nowNs + runNs, status: null });
    return pid;
  }

  wait(pid: number): number | null {
    const job = this.jobs.get(pid);
    if (!job) return null;
    if (job.status === null && job.endsAt !== null) {
      this.nowNs = Math.max(this.nowNs, job.endsAt);
      job.status = 0;
    }
    this.jobs.delete(pid);
    // A job that never ends would block forever; the test host reports it as killed by SIGKILL.
    return job.status ?? 128 + 9;
  }

  kill(pid: number, signal: number): number {
    const job = this.jobs.get(pid);
    if (!job) return ESRCH;
    if (job.status !== null) return 0; // a zombie can still be signalled
    if (signal !== 0) job.status = 128 + signal;
    return 0;
  }

  sleep(ns: number): void {
    this.nowNs += ns;
  }

  kmsg(line: string): void {
    this.kmsgLines.push(line);
  }

  returnToUser(): void {
    this.returns++;
  }
}

function parentOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}
