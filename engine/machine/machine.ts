// machine.ts: the simulated machine, the root object of a run: virtual clock, seeded randomness,
// kernel log drawn from the event stream, the WebAssembly core, tasks, vmlinux, modules, the VFS
// and the livepatch subsystem.
import { type Arch, Core, type CoreSource } from "../../core-wasm/bindings/index.ts";
import { VirtualClock } from "../clock.ts";
import { EventStream } from "../events.ts";
import { KernelLog, type LogLevel } from "../log.ts";
import { Livepatch } from "../livepatch/core.ts";
import { type PrintkArg, vsprintf } from "../printk.ts";
import { pointerHasher, SeededRandom } from "../random.ts";
import { MachineHost } from "./host.ts";
import { CallFrame } from "./frames.ts";
import type { KCode } from "./kcode.ts";
import { ModuleLoader } from "./module.ts";
import type { SandboxArena } from "../sandbox/arena.ts";
import { Scheduler } from "./scheduler.ts";
import type { Task } from "./task.ts";
import { TaskTable } from "./tasks.ts";
import { Vfs } from "./vfs.ts";
import { bootVmlinux, type Vmlinux } from "./vmlinux.ts";

export type Semantics = "mainline" | "proposed";

export interface MachineOptions {
  /** The core's .wasm bytes or compiled module, supplied by the host. */
  core: CoreSource;
  seed?: number;
  arch?: Arch;
  /** Only mainline is modelled so far; the switch is kept for the proposed series. */
  semantics?: Semantics;
  /** pr_debug of kernel/livepatch (on, as the selftests enable it). */
  debug?: boolean;
  /** klp_try_switch_task's per-task pr_debug lines (off, as the selftests turn them off). */
  debugSwitchTask?: boolean;
  /** Where the modules' sandboxes live: the machine's own arena, or the host's (null). */
  arena?: SandboxArena;
}

/** A kernel function body: runs in task `t` with one argument. */
export type KFunc = (m: Machine, t: Task, arg: unknown) => KCode;

/** The sentinel "no function" for failed look-ups. */
export const NO_FUNC = -1;

export class Machine {
  readonly clock = new VirtualClock();
  readonly random: SeededRandom;
  readonly log = new KernelLog();
  readonly events: EventStream;
  readonly sched: Scheduler;
  readonly tasks: TaskTable;
  readonly vfs: Vfs;
  readonly klp: Livepatch;
  readonly modules: ModuleLoader;
  readonly hashPointer: (p: bigint) => bigint;
  vmlinux!: Vmlinux;
  /** The task whose code runs now (current). */
  current: Task | null = null;
  /** The function tracer's hook (ftrace.ts): each call, with the function that ran for it. */
  onCall: ((t: Task, called: number, ran: number) => void) | null = null;
  /** kprobes.ts: a call enters a function, before its entry site runs (set while any is probed). */
  kprobeHit: ((t: Task, fn: number) => void) | null = null;
  debug: boolean;
  debugSwitchTask: boolean;
  /** Function bodies by function id. */
  readonly bodies = new Map<number, KFunc>();
  /** Function names by id (kallsyms names). */
  readonly names = new Map<number, string>();
  /** Tainted once per boot by the first livepatch module. */
  taintedLivepatch = false;
  /** TAINT_DIE: set by the first Oops. */
  taintedDie = false;
  /** Oopses so far (the [#n] counter of die()). */
  oopsCount = 0;
  /**
   * State of subsystems made on first use (ftrace, the slab counter), by name: on the machine, so
   * that a checkpoint's walk reaches it (module-level WeakMaps would hide it).
   */
  readonly subsystems = new Map<string, unknown>();
  /** The QuickJS instance of the machine's own, if it has one (checkpoints need it). */
  readonly arena: SandboxArena | null;

  private constructor(
    readonly core: Core,
    readonly arch: Arch,
    readonly semantics: Semantics,
    seed: number,
    opts: MachineOptions,
  ) {
    this.arena = opts.arena ?? null;
    this.random = new SeededRandom(seed);
    this.hashPointer = pointerHasher(this.random.nextU32());
    this.events = new EventStream(() => this.clock.nowNs());
    this.events.subscribe((e) => {
      if (e.kind === "log") this.log.append(e.level, e.tNs, e.text);
    });
    this.sched = new Scheduler(this.clock);
    this.debug = opts.debug ?? true;
    this.debugSwitchTask = opts.debugSwitchTask ?? false;
    this.vfs = new Vfs(this);
    this.tasks = new TaskTable(this);
    this.klp = new Livepatch(this);
    this.modules = new ModuleLoader(this);
  }

  /** Boots a fresh machine. */
  static async create(opts: MachineOptions): Promise<Machine> {
    const core = await Core.load(opts.core);
    const m = new Machine(
      core,
      opts.arch ?? "x86_64",
      opts.semantics ?? "mainline",
      opts.seed ?? 1,
      opts,
    );
    m.vmlinux = bootVmlinux(m);
    return m;
  }

  /** printk with a level; `text` is already formatted. */
  /**
   * Drops the machine's host resources: each loaded module's sandbox (a QuickJS runtime, about
   * 1 MB). No kernel function is modelled; the machine must not be used afterwards.
   */
  dispose(): void {
    this.modules.releaseAll();
  }

  printk(level: LogLevel, text: string): void {
    this.events.emit({ kind: "log", level, text: text.endsWith("\n") ? text.slice(0, -1) : text });
  }

  /** vsprintf with this machine's pointer hashing. */
  format(fmt: string, args: readonly PrintkArg[]): string {
    return vsprintf(fmt, args, this.hashPointer);
  }

  /** pr_<level> with a pr_fmt prefix ("livepatch: ", "<module>: "). */
  pr(level: LogLevel, prefix: string, fmt: string, ...args: PrintkArg[]): void {
    this.printk(level, prefix + this.format(fmt, args));
  }

  /**
   * A call of function `fnId` by task `t` through its entry site: the site's bytes (core.text)
   * decide whether ftrace runs, and klp_ftrace_handler's decision (core.ops) which implementation
   * the task executes. The implementation's frame is on the task's stack while it runs.
   */
  call(t: Task, fnId: number, arg?: unknown): KCode {
    return new CallFrame(this, t, fnId, arg);
  }

  /** Which function runs when `t` calls `fnId` now. */
  resolve(t: Task, fnId: number): number {
    // One crossing into the core: the entry site executes (a NOP or __fentry__ before ftrace init
    // runs the original; a call enters the trampoline) and klp_ftrace_handler decides. An unusable
    // site (-EFAULT) runs the original untraced.
    const h = this.core.call(fnId, t.coreId);
    return h >= 0 ? h : fnId;
  }

  /** A frame whose return address lies inside `fnId` (past its entry, as after a call). */
  frameOf(fnId: number): number {
    const size = Math.max(1, this.core.text.funcSize(fnId));
    return (((fnId << 12) | Math.min(0x1c, size - 1)) >>> 0) as number;
  }

  /** Function id of a vmlinux symbol (throws on a missing one: a build error of vmlinux.ts). */
  fn(name: string): number {
    const id = this.vmlinux.byName.get(name);
    if (id === undefined) throw new Error(`vmlinux: no function ${name}`);
    return id;
  }

  /** The root shell task (a user task started at boot). */
  get shell(): Task {
    const t = this.tasks.all().find((x) => x.comm === "bash" && x.kind === "user");
    if (!t) throw new Error("machine: no shell task");
    return t;
  }

  /** The file, sleep and kmsg part of the shell's host, for the root shell. */
  host(): MachineHost {
    return new MachineHost(this, this.shell);
  }

  /** Runs everything due up to `ns` of virtual time. */
  runUntil(ns: number): void {
    this.sched.runUntil(ns);
  }

  /** Advances virtual time by `ns` (the shell's sleep). */
  sleep(ns: number): void {
    this.sched.runUntil(this.clock.nowNs() + ns);
  }

  /** Runs what is due at the current time (after every command). */
  settle(): void {
    this.sched.settle();
  }

  /**
   * Runs `body` in task `t` to its end, advancing virtual time while it sleeps (a command that
   * blocks). Gives up after `limitNs` of virtual time. @returns whether it ended.
   */
  runToCompletion(t: Task, body: KCode, limitNs = 600e9): boolean {
    const stop = this.clock.nowNs() + limitNs;
    this.tasks.start(t, body);
    while (t.body !== null) {
      const next = this.sched.nextDue();
      if (next === null || next > stop) return false;
      this.sched.runUntil(next);
    }
    return true;
  }
}
