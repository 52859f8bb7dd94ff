// kernelApi.ts: the host module "linux" that sandboxed module code imports: printk and pr_*,
// seq_printf on a seq_file handle, module parameters, the sleeping primitives (values a guest
// generator yields), kthreads, the livepatch API (klpApi.ts), work items and calls through entry
// sites (workApi.ts), procfs, sysfs, kprobes, memory and jiffies (sysApi.ts). Host objects cross as numeric
// handles (seq_file, task = pid) or as plain data (klp_object views), never as copies the guest
// would mutate in vain. Declared for editors in klp.d.ts.
import { EINVAL } from "../../core-wasm/bindings/index.ts";
import * as gfp from "../gfp.ts";
import { LogLevel } from "../log.ts";
import type { Machine } from "../machine/machine.ts";
import { ModuleCtx } from "../machine/module.ts";
import type { Task } from "../machine/task.ts";
import type { SeqFile } from "../machine/vmlinux.ts";
import type { PrintkArg } from "../printk.ts";
import { guestCode } from "./guestCode.ts";
import { klpFunctions } from "./klpApi.ts";
import type { HostFn, HostModule, ModuleSandbox, SandboxValue } from "./sandbox.ts";
import { SandboxRef } from "./sandbox.ts";
import { type Kprobe, sysApi } from "./sysApi.ts";
import { type WorkItem, workApi } from "./workApi.ts";

/** Host objects a guest call may refer to, by handle; valid while that call runs. */
export class HandleTable {
  private readonly objs = new Map<number, unknown>();
  private next = 1;

  open(obj: unknown): number {
    const h = this.next++;
    this.objs.set(h, obj);
    return h;
  }

  get(h: SandboxValue): unknown {
    return typeof h === "number" ? this.objs.get(h) : undefined;
  }

  close(h: number): void {
    this.objs.delete(h);
  }
}

/** What the kernel API of one sandboxed module works on. */
export interface GuestEnv {
  m: Machine;
  /** The module's name (pr_fmt prefix, error reports). */
  name: string;
  sb: ModuleSandbox;
  handles: HandleTable;
  /** Names of the module's functions by the guest reference of their body. */
  funcByRef: Map<number, string>;
  /** The module's kthreads by pid, kept after they exit so kthread_stop sees their result. */
  kthreads: Map<number, Task>;
  /** The module's work items by handle (workApi.ts). */
  works: Map<number, WorkItem>;
  /** The module's registered kprobes by struct identity (sysApi.ts). */
  kprobes: Map<string, Kprobe>;
  /** The module's kobjects by handle: their sysfs directories (sysApi.ts). */
  kobjs: Map<number, string>;
}

/** A fresh GuestEnv for module `name` of machine `m`, running in `sb`. */
export function guestEnv(m: Machine, name: string, sb: ModuleSandbox): GuestEnv {
  const env: GuestEnv = {
    m,
    name,
    sb,
    handles: new HandleTable(),
    funcByRef: new Map(),
    kthreads: new Map(),
    works: new Map(),
    kprobes: new Map(),
    kobjs: new Map(),
  };
  m.modules.guests.push(env);
  return env;
}

/** The module's ModuleCtx (it exists from MODULE_STATE_COMING on). */
export function ctxOf(env: GuestEnv): ModuleCtx {
  const mod = env.m.modules.get(env.name);
  if (!mod) throw new Error(`module ${env.name} is not loaded`);
  return new ModuleCtx(env.m, mod);
}

const KERN_SOH = "\x01";

/** printk(): an optional KERN_<LEVEL> prefix, else the default message level. */
function printk(env: GuestEnv, fmt: SandboxValue, args: SandboxValue[]): void {
  let f = String(fmt);
  let level: number = LogLevel.Warning;
  if (f.startsWith(KERN_SOH) && /^[0-7]$/.test(f[1] ?? "")) {
    level = Number(f[1]);
    f = f.slice(2);
  }
  env.m.printk(level as LogLevel, env.m.format(f, printkArgs(args)));
}

/** Guest values as vsprintf arguments (numbers, bigints, strings; anything else as null). */
function printkArgs(args: SandboxValue[]): PrintkArg[] {
  return args.map((a) =>
    typeof a === "number" || typeof a === "bigint" || typeof a === "string" || a === undefined
      ? a
      : typeof a === "boolean"
        ? Number(a)
        : null,
  );
}

/** pr_<level>(fmt, ...): printk with the module's pr_fmt ("<module>: "). */
function pr(env: GuestEnv, level: LogLevel): HostFn {
  return (fmt, ...args) => {
    env.m.pr(level, `${env.name}: `, String(fmt), ...printkArgs(args));
    return undefined;
  };
}

/** seq_printf(m, fmt, ...): appends to the seq_file behind handle `h`. @returns 0 or -EINVAL. */
function seqPrintf(
  env: GuestEnv,
  h: SandboxValue,
  fmt: SandboxValue,
  args: SandboxValue[],
): number {
  const seq = env.handles.get(h) as SeqFile | undefined;
  if (!seq || typeof seq.buf !== "string") return -EINVAL;
  seq.buf += env.m.format(String(fmt), printkArgs(args));
  return 0;
}

/**
 * The sleeping primitives: each returns the request a generator body yields. They need nothing of
 * the host, so they run in the guest (a generator step costs no extra crossing).
 */
const SLEEP_FNS: Record<string, string> = {
  msleep: `(ms) => ({ $klp_sleep: "msleep", ms: Number(ms) })`,
  msleep_interruptible: `(ms) => ({ $klp_sleep: "msleep_interruptible", ms: Number(ms) })`,
  schedule: `() => ({ $klp_sleep: "schedule" })`,
  wait_event_interruptible: `(cond) => ({ $klp_sleep: "wait_event_interruptible", cond })`,
  call_ptr: `(fn, arg) => ({ $klp_sleep: "call", fn: Number(fn), arg })`,
};

/** kthread_run(threadfn, data, namefmt, ...): @returns the new task's pid or -EINVAL. */
function kthreadRun(
  env: GuestEnv,
  fn: SandboxValue,
  data: SandboxValue,
  fmt: SandboxValue,
  args: SandboxValue[],
): number {
  if (!(fn instanceof SandboxRef)) return -EINVAL;
  const comm = env.m.format(String(fmt), printkArgs(args)).slice(0, 15);
  const t = ctxOf(env).kthreadRun(comm, (task) =>
    guestCode(env.m, task, env.sb, fn, [data], `kthread ${comm}`),
  );
  env.kthreads.set(t.pid, t);
  return t.pid;
}

function kthreadFns(env: GuestEnv): Record<string, HostFn> {
  return {
    kthread_run: (fn, data, fmt, ...args) => kthreadRun(env, fn, data, fmt, args),
    kthread_should_stop: () => env.m.current?.shouldStop === true,
    /** kthread_stop(pid): @returns the thread's exit code, or -EINVAL for no such kthread. */
    kthread_stop: (pid) => {
      const t = typeof pid === "number" ? env.kthreads.get(pid) : undefined;
      if (!t) return -EINVAL;
      env.kthreads.delete(t.pid);
      // A thread that died in an Oops has exited already: its result is its exit code.
      if (t.state !== "dead") ctxOf(env).kthreadStop(t);
      return t.exitCode;
    },
    current_pid: () => env.m.current?.pid ?? 0,
    current_comm: () => env.m.current?.comm ?? "swapper/0",
  };
}

function printFns(env: GuestEnv): Record<string, HostFn> {
  return {
    printk: (fmt, ...args) => {
      printk(env, fmt, args);
      return undefined;
    },
    pr_emerg: pr(env, LogLevel.Emerg),
    pr_alert: pr(env, LogLevel.Alert),
    pr_crit: pr(env, LogLevel.Crit),
    pr_err: pr(env, LogLevel.Err),
    pr_warn: pr(env, LogLevel.Warning),
    pr_notice: pr(env, LogLevel.Notice),
    pr_info: pr(env, LogLevel.Info),
    // pr_debug is compiled to dynamic debug, off for module code (the selftests only enable
    // kernel/livepatch's sites): it prints nothing.
    pr_debug: () => undefined,
    seq_printf: (h, fmt, ...args) => seqPrintf(env, h, fmt, args),
    seq_puts: (h, s) => seqPrintf(env, h, "%s", [s]),
  };
}

/** The module's parameter `name` (its current value), or undefined. */
function paramFns(env: GuestEnv): Record<string, HostFn> {
  return { module_param: (name) => ctxOf(env).param(String(name)) };
}

const CONSTANTS: Record<string, SandboxValue> = {
  MODULE_STATE_LIVE: "MODULE_STATE_LIVE",
  MODULE_STATE_COMING: "MODULE_STATE_COMING",
  MODULE_STATE_GOING: "MODULE_STATE_GOING",
  MODULE_STATE_UNFORMED: "MODULE_STATE_UNFORMED",
  GFP_KERNEL: gfp.GFP_KERNEL,
  GFP_ATOMIC: gfp.GFP_ATOMIC,
  GFP_NOWAIT: gfp.GFP_NOWAIT,
  GFP_NOIO: gfp.GFP_NOIO,
  GFP_NOFS: gfp.GFP_NOFS,
  KERN_EMERG: `${KERN_SOH}0`,
  KERN_ALERT: `${KERN_SOH}1`,
  KERN_CRIT: `${KERN_SOH}2`,
  KERN_ERR: `${KERN_SOH}3`,
  KERN_WARNING: `${KERN_SOH}4`,
  KERN_NOTICE: `${KERN_SOH}5`,
  KERN_INFO: `${KERN_SOH}6`,
  KERN_DEBUG: `${KERN_SOH}7`,
};

/** The "linux" host module for one sandboxed module. */
export function kernelApi(env: GuestEnv): HostModule {
  return {
    functions: {
      ...printFns(env),
      ...paramFns(env),
      ...kthreadFns(env),
      ...klpFunctions(env),
      ...workApi(env),
      ...sysApi(env),
    },
    // The architecture, as the kernel's #if defined(__x86_64__) / __aarch64__ sees it.
    constants: { ...CONSTANTS, ARCH: env.m.arch, THIS_MODULE: { name: env.name } },
    guest: SLEEP_FNS,
  };
}
