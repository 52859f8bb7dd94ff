// commands.ts: the external commands of the machine (kmod's insmod/modprobe/rmmod/lsmod, procps'
// sysctl, util-linux's dmesg) and user programs supplied by the caller, each run in a child task
// forked from the shell (klp_copy_process gives it the shell's patch state). The machine knows no
// module by name: modules come from a repository the caller passes in.
import { EACCES, EEXIST, EINVAL, EISDIR, ENOENT, ESRCH } from "../../core-wasm/bindings/index.ts";
import type { CommandIO, PathInfo, ShellHost, Utsname } from "../shell/host.ts";
import { strerror } from "../strerror.ts";
import { ftraceOf } from "./ftrace.ts";
import { MachineHost } from "./host.ts";
import type { Machine } from "./machine.ts";
import type { ModuleDef } from "./module.ts";
import type { Task } from "./task.ts";
import { UTS_NODENAME, UTS_RELEASE, UTS_VERSION } from "./vmlinux.ts";

/**
 * Finds a module by the path insmod was given (`dir/<m>.ko` or `<m>.ko`) or by modprobe name, as
 * a definition for machine `m` (module code in a sandbox is bound to its machine).
 */
export type ModuleRepository = (name: string, m: Machine) => ModuleDef | undefined;

/** A user program: runs in its own task; returns its exit status, or "running" to stay alive. */
export interface UserProgram {
  /** Starts in `task`; may schedule work on the machine. @returns the exit status or "running". */
  start(m: Machine, task: Task, args: string[], io: CommandIO): number | "running";
  /** A signal arrived (the default action ends the task). */
  signal?(m: Machine, task: Task, sig: number): void;
}

export interface CommandHostOptions {
  modules: ModuleRepository;
  programs?: ReadonlyMap<string, UserProgram>;
}

/** Exec format error (not in the core's errno list). */
const ENOEXEC = 8;

type Cmd = (m: Machine, args: string[], io: CommandIO) => number;

/** kmod's mod_strerror(): its own words for a few errnos, glibc's for the rest. */
export function kmodStrerror(errno: number): string {
  if (errno === ENOEXEC) return "Invalid module format";
  if (errno === ENOENT) return "Unknown symbol in module";
  if (errno === EINVAL) return "Invalid parameters";
  return strerror(errno);
}

/** The sysctl entries modelled: read and write through the subsystem that owns them. */
function sysctlEntry(m: Machine, key: string): { get(): number; set(v: number): number } | null {
  if (key !== "kernel.ftrace_enabled") return null;
  const f = ftraceOf(m);
  return { get: () => (f.enabled ? 1 : 0), set: (v) => f.setEnabled(v !== 0) };
}

/** proc_dointvec-style parsing of one integer. @returns 0 or -errno. */
function sysctlWrite(m: Machine, key: string, value: string): number {
  const e = sysctlEntry(m, key);
  if (!e) return -ENOENT;
  if (!/^\s*-?\d+\s*$/.test(value)) return -EINVAL;
  return e.set(Number(value));
}

/** sysctl [-n] [-q] [-w] key[=value]... (procps-ng). */
const sysctl: Cmd = (m, args, io) => {
  let names = true;
  let quiet = false;
  let rc = 0;
  for (const a of args) {
    if (a === "-n") names = false;
    else if (a === "-q" || a === "--quiet") quiet = true;
    else if (a === "-w" || a === "--write") continue;
    else {
      const eq = a.indexOf("=");
      const key = (eq < 0 ? a : a.slice(0, eq)).replace(/\//g, ".");
      const path = `/proc/sys/${key.replace(/\./g, "/")}`;
      const entry = sysctlEntry(m, key);
      if (!entry) {
        io.stderr(`sysctl: cannot stat ${path}: No such file or directory\n`);
        rc = 255;
        continue;
      }
      if (eq >= 0) {
        const r = sysctlWrite(m, key, a.slice(eq + 1));
        if (r < 0) {
          io.stderr(`sysctl: setting key "${path}": ${strerror(-r)}\n`);
          rc = 255;
          continue;
        }
      }
      if (!quiet) io.stdout(names ? `${key} = ${entry.get()}\n` : `${entry.get()}\n`);
    }
  }
  return rc;
};

/** dmesg: the log with timestamps ([-t] without). */
const dmesg: Cmd = (m, args, io) => {
  const lines = args.includes("-t") ? m.log.lines() : m.log.dmesg();
  io.stdout(lines.map((l) => `${l}\n`).join(""));
  return 0;
};

/** lsmod: /proc/modules as a table, newest first. */
const lsmod: Cmd = (m, _args, io) => {
  let out = "Module                  Size  Used by\n";
  for (const mod of m.modules.list()) {
    const size = (mod.def.functions ?? []).reduce((s, f) => s + f.size, 0x1000);
    out += `${mod.name.padEnd(19)} ${String(size).padStart(8)}  ${mod.refcnt}\n`;
  }
  io.stdout(out);
  return 0;
};

export class CommandHost implements ShellHost {
  private readonly files: MachineHost;
  private readonly children = new Map<number, Task>();

  constructor(
    private readonly m: Machine,
    private readonly shell: Task,
    private readonly opts: CommandHostOptions,
  ) {
    this.files = new MachineHost(m, shell);
  }

  get shellPid(): number {
    return this.shell.pid;
  }

  readFile(path: string): string | number {
    return this.files.readFile(path);
  }

  /** An empty `data` is the redirection's open(2) alone: checks, no store handler. */
  writeFile(path: string, data: string, append: boolean): number {
    if (data !== "") return this.files.writeFile(path, data, append);
    const st = this.m.vfs.stat(path);
    if (typeof st === "number") {
      const parent = this.m.vfs.stat(path.split("/").slice(0, -1).join("/") || "/");
      return typeof parent === "number" ? st : -EACCES;
    }
    if (st.kind === "dir") return -EISDIR;
    return st.mode & 0o222 ? 0 : -EACCES;
  }

  listDir(path: string): string[] | number {
    return this.files.listDir(path);
  }

  stat(path: string): PathInfo | number {
    return this.files.stat(path);
  }

  sleep(ns: number): void {
    this.files.sleep(ns);
  }

  uname(): Utsname {
    const machine = this.m.arch === "arm64" ? "aarch64" : "x86_64";
    return {
      sysname: "Linux",
      nodename: UTS_NODENAME,
      release: UTS_RELEASE,
      version: UTS_VERSION,
      machine,
    };
  }

  realtimeNs(): number {
    return this.m.clock.nowNs();
  }

  kmsg(line: string): void {
    this.files.kmsg(line);
  }

  returnToUser(): void {
    this.files.returnToUser();
  }

  private command(name: string): Cmd | null {
    const base = name.replace(/^\/(?:usr\/)?s?bin\//, "");
    if (base === "insmod") return (m, a, io) => this.insmod(m, a, io);
    if (base === "modprobe") return (m, a, io) => this.modprobe(m, a, io);
    if (base === "rmmod") return (m, a, io) => this.rmmod(m, a, io, "rmmod");
    if (base === "lsmod") return lsmod;
    if (base === "sysctl") return sysctl;
    if (base === "dmesg") return dmesg;
    if (base === "modinfo") return (_m, a, io) => this.modinfo(a, io);
    return null;
  }

  private program(name: string): UserProgram | undefined {
    return this.opts.programs?.get(name.replace(/^\.\//, ""));
  }

  /** Runs `fn` as `comm`, a child forked from the shell, which exits afterwards. */
  private inChild(comm: string, fn: (t: Task) => number): number {
    const child = this.m.tasks.fork(this.shell, comm);
    const prev = this.m.current;
    this.m.current = child;
    let rc: number;
    try {
      rc = fn(child);
    } finally {
      this.m.current = prev;
    }
    this.m.tasks.exit(child, rc);
    this.m.settle();
    return rc;
  }

  run(name: string, args: string[], io: CommandIO): number | null {
    const cmd = this.command(name);
    if (cmd) return this.inChild(name.split("/").pop() ?? name, () => cmd(this.m, args, io));
    const prog = this.program(name);
    if (!prog) return null;
    const pid = this.start(name, prog, args, io);
    return this.wait(pid) ?? 0;
  }

  private start(name: string, prog: UserProgram, args: string[], io: CommandIO): number {
    const t = this.m.tasks.fork(this.shell, name.split("/").pop() ?? name);
    this.children.set(t.pid, t);
    const rc = prog.start(this.m, t, args, io);
    if (rc !== "running") this.m.tasks.exit(t, rc);
    this.m.settle();
    return t.pid;
  }

  spawn(name: string, args: string[]): number | null {
    const io: CommandIO = { stdin: "", stdout: () => undefined, stderr: () => undefined };
    const cmd = this.command(name);
    if (cmd) {
      // It runs to its end now (it never waits); `wait` then reports its status.
      const t = this.m.tasks.fork(this.shell, name);
      this.children.set(t.pid, t);
      const prev = this.m.current;
      this.m.current = t;
      let rc: number;
      try {
        rc = cmd(this.m, args, io);
      } finally {
        this.m.current = prev;
      }
      this.m.tasks.exit(t, rc);
      this.m.settle();
      return t.pid;
    }
    const prog = this.program(name);
    return prog ? this.start(name, prog, args, io) : null;
  }

  wait(pid: number): number | null {
    const t = this.children.get(pid);
    if (!t) return null;
    const stop = this.m.clock.nowNs() + 3600e9;
    while (t.state !== "dead") {
      const next = this.m.sched.nextDue();
      if (next === null || next > stop) break;
      this.m.sched.runUntil(next);
    }
    this.children.delete(pid);
    return t.state === "dead" ? t.exitCode : 0;
  }

  kill(pid: number, signal: number): number {
    const t = this.m.tasks.get(pid);
    if (!t || t.state === "dead") return -ESRCH;
    // Kernel threads ignore signals sent from user space.
    if (signal === 0 || t.kind !== "user") return 0;
    const prog = this.program(t.comm);
    if (prog?.signal) prog.signal(this.m, t, signal);
    else this.m.tasks.exit(t, 128 + signal);
    this.m.settle();
    return 0;
  }

  /** The module a path names: `[dir/]<m>.ko`; anything else is not a module file. */
  private lookup(path: string): ModuleDef | undefined {
    const base = path.split("/").pop() ?? "";
    return base.endsWith(".ko") ? this.opts.modules(base.slice(0, -3), this.m) : undefined;
  }

  /** modinfo [-F field] PATH: the livepatch tag (MODULE_INFO(livepatch, "Y")) and the name. */
  private modinfo(args: string[], io: CommandIO): number {
    const f = args[0] === "-F" ? args[1] : undefined;
    const path = f === undefined ? args[0] : args[2];
    const def = path === undefined ? undefined : this.lookup(path);
    if (!def || path === undefined) {
      io.stderr(`modinfo: ERROR: Module ${path ?? ""} not found.\n`);
      return 1;
    }
    const fields: [string, string][] = [
      ["filename", path],
      ["name", def.name],
    ];
    if (def.livepatch) fields.push(["livepatch", "Y"]);
    for (const [k, v] of fields) {
      if (f === undefined) io.stdout(`${`${k}:`.padEnd(16)}${v}\n`);
      else if (k === f) io.stdout(`${v}\n`);
    }
    return 0;
  }

  private insmod(m: Machine, args: string[], io: CommandIO): number {
    const path = args[0];
    if (path === undefined) {
      io.stderr("insmod: ERROR: missing filename.\n");
      return 1;
    }
    const def = this.lookup(path);
    if (!def) {
      io.stderr(`insmod: ERROR: could not load module ${path}: No such file or directory\n`);
      return 1;
    }
    const rc = m.modules.load(def, args.slice(1));
    if (rc < 0) {
      io.stderr(`insmod: ERROR: could not insert module ${path}: ${kmodStrerror(-rc)}\n`);
      return 1;
    }
    return 0;
  }

  private modprobe(m: Machine, args: string[], io: CommandIO): number {
    if (args[0] === "-r" || args[0] === "--remove")
      return this.rmmod(m, args.slice(1), io, "modprobe");
    const name = args[0];
    if (name === undefined) {
      io.stderr("modprobe: ERROR: missing parameters. See -h.\n");
      return 1;
    }
    const def = this.opts.modules(name.replace(/-/g, "_"), m);
    if (!def) {
      io.stderr(`modprobe: FATAL: Module ${name} not found in directory /lib/modules/6.16.0-klp\n`);
      return 1;
    }
    if (m.modules.get(def.name)) return 0;
    const rc = m.modules.load(def, args.slice(1));
    if (rc < 0 && rc !== -EEXIST) {
      // kmod's modprobe words ENOENT its own way and uses strerror for the rest.
      const text =
        rc === -ENOENT
          ? "Unknown symbol in module, or unknown parameter (see dmesg)"
          : strerror(-rc);
      io.stderr(`modprobe: ERROR: could not insert '${def.name}': ${text}\n`);
      return 1;
    }
    return 0;
  }

  /** rmmod checks /sys/module/<m> and refcnt first (kmod's check_module_inuse). */
  private rmmod(m: Machine, args: string[], io: CommandIO, tool: string): number {
    let status = 0;
    for (const a of args.filter((x) => !x.startsWith("-"))) {
      const name = (a.split("/").pop() ?? a).replace(/\.ko$/, "").replace(/-/g, "_");
      const mod = m.modules.get(name);
      if (!mod) {
        io.stderr(`${tool}: ERROR: Module ${name} is not currently loaded\n`);
        status = 1;
      } else if (mod.refcnt > 0 || m.modules.unload(name) < 0) {
        io.stderr(`${tool}: ERROR: Module ${name} is in use\n`);
        status = 1;
      }
    }
    return status;
  }
}
