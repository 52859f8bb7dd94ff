// module.ts: kernel modules (kernel/module/main.c as a user sees it): load runs
// MODULE_STATE_COMING -> klp_module_coming -> parse_args -> sysfs -> init -> LIVE; unload runs
// GOING -> exit -> klp_module_going -> gone. Module text is placed in core.text at load and
// removed at unload; parameters appear under /sys/module/<m>/parameters/, refcnt under
// /sys/module/<m>/refcnt.
import { dumpStack } from "./dump-stack.ts";
import { ftraceModuleEnable } from "./ftrace.ts";
import { EAGAIN, EEXIST, ENOENT } from "../../core-wasm/bindings/index.ts";
import type { KlpPatchDef, KlpStateDef } from "../livepatch/api.ts";
import type { KlpShadow } from "../livepatch/shadow.ts";
import { klpGetPrevState, klpGetState } from "../livepatch/state.ts";
import { LogLevel } from "../log.ts";
import type { PrintkArg } from "../printk.ts";
import type { KCode } from "./kcode.ts";
import type { KFunc, Machine } from "./machine.ts";
import { type ParamDef, paramAttr, parseParam } from "./params.ts";
import type { Task } from "./task.ts";
import type { WorkItem } from "../sandbox/workApi.ts";
import { MODULE_MSG } from "./messages.ts";

export type ModuleState =
  "MODULE_STATE_LIVE" | "MODULE_STATE_COMING" | "MODULE_STATE_GOING" | "MODULE_STATE_UNFORMED";

/** A function the module defines: its kallsyms name, size and body. */
export interface ModuleFuncDef {
  name: string;
  size: number;
  body: KFunc;
}

/** A module as its author describes it. */
export interface ModuleDef {
  name: string;
  /** MODULE_INFO(livepatch, "Y"). */
  livepatch?: boolean;
  params?: ParamDef[];
  functions?: ModuleFuncDef[];
  init?: (ctx: ModuleCtx) => number;
  exit?: (ctx: ModuleCtx) => void;
  /**
   * The loader is done with this definition (its load failed past the -EEXIST check, or the
   * module was unloaded): what backs it (a sandbox) may be freed. A definition is loaded at most
   * once.
   */
  release?: () => void;
}

/** A loaded module (struct module). */
export interface LoadedModule {
  name: string;
  def: ModuleDef;
  state: ModuleState;
  refcnt: number;
  textObj: number;
  /** Function ids in kallsyms order. */
  symbols: { name: string; id: number }[];
  params: Map<string, number | boolean | string>;
  /** mod->klp_alive: set by klp_module_coming. */
  klpAlive: boolean;
}

/** What module code can do (the kernel API of this slice). */
export class ModuleCtx {
  constructor(
    readonly m: Machine,
    readonly mod: LoadedModule,
  ) {}

  /** pr_<level> with this module's pr_fmt. */
  pr(level: (typeof LogLevel)[keyof typeof LogLevel], fmt: string, ...args: PrintkArg[]): void {
    this.m.pr(level, `${this.mod.name}: `, fmt, ...args);
  }

  pr_info(fmt: string, ...args: PrintkArg[]): void {
    this.pr(LogLevel.Info, fmt, ...args);
  }

  param(name: string): number | boolean | string | undefined {
    return this.mod.params.get(name);
  }

  /** klp_enable_patch(&patch) from module_init. */
  klpEnablePatch(patch: KlpPatchDef): number {
    return this.m.klp.enablePatch(this.mod, patch);
  }

  /** klp_shadow_* (shadow data is read and written through core.shadow by its ref). */
  get shadow(): KlpShadow {
    return this.m.klp.shadow;
  }

  /** klp_get_state(patch, id) for this module's patch; null when none or no such state. */
  klpGetState(id: number): KlpStateDef | null {
    const patch = this.m.klp.patches.find((p) => p.mod === this.mod) ?? this.m.klp.transitionPatch;
    return patch && patch.mod === this.mod ? klpGetState(patch, id) : null;
  }

  /** klp_get_prev_state(id): WARNs once and returns null outside a transition. */
  klpGetPrevState(id: number): KlpStateDef | null {
    return klpGetPrevState(this.m.klp, id);
  }

  /** kthread_run(): a kernel thread running `body` inside kthread(). */
  kthreadRun(comm: string, body: (t: Task) => KCode): Task {
    const parent = this.m.tasks.all().find((t) => t.comm === "kthreadd") ?? null;
    const t = this.m.tasks.create(comm, "kthread", 0, parent);
    this.m.tasks.start(
      t,
      this.m.call(t, this.m.fn("kthread"), () => body(t)),
    );
    return t;
  }

  /**
   * kthread_stop(): sets kthread_should_stop, wakes the thread and runs the machine (in virtual
   * time, up to a minute) until it has exited. @returns whether it exited.
   */
  kthreadStop(t: Task): boolean {
    t.shouldStop = true;
    this.m.tasks.wakeUp(t);
    const stop = this.m.clock.nowNs() + 60e9;
    while (t.state !== "dead") {
      const next = this.m.sched.nextDue();
      if (next === null || next > stop) return false;
      this.m.sched.runUntil(next);
    }
    return true;
  }

  /** Calls a function of this module (or of vmlinux) through its entry site. */
  call(t: Task, name: string, arg?: unknown): KCode {
    const own = this.mod.symbols.find((s) => s.name === name);
    return this.m.call(t, own ? own.id : this.m.fn(name), arg);
  }
}

/** A module instance evaluated for a lookup but not loaded (yet), and whether it was released. */
export interface SpareModule {
  def: ModuleDef;
  released: boolean;
}

export class ModuleLoader {
  private readonly loaded = new Map<string, LoadedModule>();
  private taintedOot = false;
  /**
   * Per-machine state of the module providers, kept here (not in module-level WeakMaps) so that a
   * walk from the machine, as a checkpoint makes, reaches it: the built-ins' spare instances by
   * name (modules/sandboxed.ts), and every sandboxed module's work items by handle (workApi.ts).
   */
  readonly spares = new Map<string, SpareModule>();
  readonly works = new Map<number, WorkItem>();
  /**
   * Every sandboxed module instance's kernel-API state (sandbox/kernelApi.ts GuestEnv: handles,
   * kthreads, works, kprobes, kobjects), which its closures hold: here, so that a walk sees it.
   */
  readonly guests: unknown[] = [];
  /** A scenario's own modules: the instances prepared for its loads, by name (repository.ts). */
  readonly pools = new Map<string, ModuleDef[]>();

  constructor(private readonly m: Machine) {}

  get(name: string): LoadedModule | undefined {
    return this.loaded.get(name);
  }

  /**
   * Releases every loaded module's host resources (its QuickJS sandbox) without running exit:
   * the machine is being dropped, not the modules unloaded, so nothing is printed or emitted.
   * The modules are forgotten, so a second call releases nothing twice.
   */
  releaseAll(): void {
    const mods = [...this.loaded.values()];
    this.loaded.clear();
    for (const mod of mods) mod.def.release?.();
  }

  /** Loaded modules, newest first (as lsmod lists them). */
  list(): LoadedModule[] {
    return [...this.loaded.values()].reverse();
  }

  /**
   * init_module(): load `def` with "name=value" `args`. @returns 0 or -errno (-EEXIST, -EINVAL
   * for a bad parameter, or what klp_module_coming or the module's init returned).
   */
  load(def: ModuleDef, args: string[] = []): number {
    // A module of that name is loaded: this definition was never used, its owner keeps it.
    if (this.loaded.has(def.name)) return -EEXIST;
    const rc = this.load_(def, args);
    if (rc !== 0) def.release?.();
    return rc;
  }

  private load_(def: ModuleDef, args: string[]): number {
    const mod: LoadedModule = {
      name: def.name,
      def,
      state: "MODULE_STATE_UNFORMED",
      refcnt: 0,
      textObj: -1,
      symbols: [],
      params: new Map((def.params ?? []).map((p) => [p.name, p.value])),
      klpAlive: false,
    };
    this.taint(def);
    const rc = this.layText(mod);
    if (rc < 0) return rc;
    this.loaded.set(def.name, mod);
    mod.state = "MODULE_STATE_COMING";
    const err = this.comeAndInit(new ModuleCtx(this.m, mod), args);
    if (err !== 0) {
      this.teardown(mod);
      this.m.events.emit({ kind: "module", name: def.name, op: "load-failed", state: mod.state });
      return err;
    }
    mod.state = "MODULE_STATE_LIVE";
    this.m.events.emit({ kind: "module", name: def.name, op: "load", state: mod.state });
    this.m.settle();
    return 0;
  }

  /**
   * The COMING part of load_module() and do_init_module(): prepare_coming_module
   * (klp_module_coming) runs before parse_args, so a set hook already runs patched code; a
   * refused argument goes through coming_cleanup (klp_module_going); the sysfs directory follows
   * (mod_sysfs_setup); then the module's init. @returns 0 or -errno (the module is GOING).
   */
  private comeAndInit(ctx: ModuleCtx, args: string[]): number {
    const mod = ctx.mod;
    // A failing klp_module_coming has undone itself; later failures are undone here.
    const coming = this.m.klp.moduleComing(mod);
    if (coming !== 0) return coming;
    let err = this.parseArgs(ctx, args);
    if (err === 0) {
      this.addSysfs(ctx);
      err = this.runInit(ctx);
    }
    if (err !== 0) {
      mod.state = "MODULE_STATE_GOING";
      this.m.klp.moduleGoing(mod);
    }
    return err;
  }

  /** do_one_initcall(mod->init): a positive return is warned about and the module loads anyway. */
  private runInit(ctx: ModuleCtx): number {
    const def = ctx.mod.def;
    const err = def.init ? def.init(ctx) : 0;
    if (err <= 0) return err;
    const f = "do_init_module";
    this.m.pr(LogLevel.Warning, "", MODULE_MSG.initSuspicious, f, def.name, err);
    this.m.pr(LogLevel.Warning, "", MODULE_MSG.initLoadingAnyway, f);
    // do_init_module() then calls dump_stack(); the module came in through finit_module(2).
    dumpStack(
      this.m,
      [f, "load_module", "init_module_from_file", "idempotent_init_module"],
      "sys_finit_module",
    );
    return 0;
  }

  /** delete_module(). @returns 0, -ENOENT (not loaded), -EAGAIN (in use: kmod's "is in use"). */
  unload(name: string): number {
    const mod = this.loaded.get(name);
    if (!mod) return -ENOENT;
    if (mod.refcnt > 0 || mod.state !== "MODULE_STATE_LIVE") return -EAGAIN;
    // delete_module(): try_stop_module marks the module GOING before its exit runs.
    mod.state = "MODULE_STATE_GOING";
    mod.def.exit?.(new ModuleCtx(this.m, mod));
    this.m.klp.moduleGoing(mod);
    this.teardown(mod);
    mod.def.release?.();
    this.m.events.emit({ kind: "module", name, op: "unload", state: mod.state });
    this.m.settle();
    return 0;
  }

  /**
   * parse_args() for a module: an unknown parameter is ignored with a warning, a bad value
   * fails the load. @returns 0 or -EINVAL.
   */
  private parseArgs(ctx: ModuleCtx, args: string[]): number {
    const mod = ctx.mod;
    for (const a of args) {
      const r = parseParam(ctx, mod.def.params ?? [], a);
      const eq = a.indexOf("=");
      const name = eq < 0 ? a : a.slice(0, eq);
      if (r === -ENOENT) {
        this.m.pr(LogLevel.Warning, "", MODULE_MSG.unknownParam, mod.name, name);
      } else if (r < 0) {
        this.m.pr(
          LogLevel.Err,
          "",
          MODULE_MSG.invalidParam,
          mod.name,
          eq < 0 ? "" : a.slice(eq + 1),
          name,
        );
        return r;
      }
    }
    return 0;
  }

  /** try_module_get / module_put. */
  get_(mod: LoadedModule): boolean {
    if (mod.state === "MODULE_STATE_GOING") return false;
    mod.refcnt++;
    return true;
  }

  put(mod: LoadedModule): void {
    if (mod.refcnt > 0) mod.refcnt--;
  }

  private taint(def: ModuleDef): void {
    if (!this.taintedOot) {
      this.taintedOot = true;
      this.m.printk(LogLevel.Warning, `${def.name}: loading out-of-tree module taints kernel.`);
    }
    if (def.livepatch && !this.m.taintedLivepatch) {
      this.m.taintedLivepatch = true;
      this.m.printk(LogLevel.Notice, `${def.name}: tainting kernel with TAINT_LIVEPATCH`);
    }
  }

  /** Places the module's functions in core.text and converts their ftrace sites. */
  private layText(mod: LoadedModule): number {
    const obj = this.m.core.text.addObject();
    if (obj < 0) return obj;
    mod.textObj = obj;
    for (const f of mod.def.functions ?? []) {
      const id = this.m.core.text.addFunction(obj, Math.min(4096, Math.max(16, f.size)));
      if (id < 0) {
        this.m.core.text.removeObject(obj);
        return id;
      }
      mod.symbols.push({ name: f.name, id });
      this.m.bodies.set(id, f.body);
      this.m.names.set(id, f.name);
    }
    const rc = this.m.core.text.ftraceInit(obj);
    if (rc < 0) return rc;
    // ftrace_module_enable: the tracer's ops may already cover the new records.
    ftraceModuleEnable(
      this.m,
      mod.symbols.map((s) => s.id),
    );
    return 0;
  }

  private addSysfs(ctx: ModuleCtx): void {
    const mod = ctx.mod;
    const dir = `/sys/module/${mod.name}`;
    this.m.vfs.mkdir(`${dir}/parameters`);
    this.m.vfs.addFile(`${dir}/refcnt`, { mode: 0o444, show: () => `${mod.refcnt}\n` });
    for (const p of mod.def.params ?? []) {
      this.m.vfs.addFile(`${dir}/parameters/${p.name}`, paramAttr(ctx, p));
    }
  }

  private teardown(mod: LoadedModule): void {
    for (const s of mod.symbols) {
      this.m.bodies.delete(s.id);
      this.m.names.delete(s.id);
    }
    if (mod.textObj >= 0) this.m.core.text.removeObject(mod.textObj);
    this.m.vfs.remove(`/sys/module/${mod.name}`);
    this.loaded.delete(mod.name);
  }
}
