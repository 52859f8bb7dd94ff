// sysApi.ts: the part of the "linux" host module for the rest of what modules use from the
// kernel: procfs seq files (proc_create_single), sysfs kobjects and attributes
// (kobject_create_and_add under kernel_kobj, sysfs_create_file), kprobes (register_kprobe),
// memory (kzalloc/kfree, kaddr for %p), jiffies, console_loglevel, and a module writing its own
// parameter (WRITE_ONCE on a module_param variable).
import { EEXIST, EINVAL } from "../../core-wasm/bindings/index.ts";
import { type KprobeStruct, kprobesOf } from "../machine/kprobes.ts";
import type { Machine } from "../machine/machine.ts";
import type { Task } from "../machine/task.ts";
import type { GuestEnv } from "./kernelApi.ts";
import { oops, reportCallbackError } from "./oops.ts";
import type { HostFn, SandboxValue } from "./sandbox.ts";
import { SandboxRef } from "./sandbox.ts";

/** A registered kprobe of this module (its point is in kprobes.ts's table). */
export type Kprobe = KprobeStruct;

type Obj = Record<string, SandboxValue>;
const isObj = (v: SandboxValue): v is Obj =>
  v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof SandboxRef);

/** proc_create(): a mode without permission bits means S_IRUGO. */
const procMode = (mode: number): number => ((mode & 0o777) === 0 ? 0o444 : mode & 0o777);

function procFns(env: GuestEnv): Record<string, HostFn> {
  return {
    /** proc_create_single(name, mode, NULL, show): show is one of the module's functions. */
    proc_create_single: (name, mode, show) => {
      const fnName = show instanceof SandboxRef ? env.funcByRef.get(show.id) : undefined;
      const id = env.m.modules.get(env.name)?.symbols.find((s) => s.name === fnName)?.id;
      if (id === undefined) return false;
      return env.m.vfs.addSeqFile(`/proc/${String(name)}`, procMode(Number(mode)), id) === 0;
    },
    remove_proc_entry: (name) => (env.m.vfs.remove(`/proc/${String(name)}`), undefined),
  };
}

/** A kobj_attribute's show, guest code returning the file's text. */
function attrShow(env: GuestEnv, ref: SandboxRef, label: string): () => string | number {
  return () => {
    const r = env.sb.call(ref, [], label);
    if (r.ok) return typeof r.value === "string" ? r.value : String(r.value ?? "");
    reportCallbackError(env.m, r.error);
    return -EINVAL;
  };
}

function sysfsFns(env: GuestEnv): Record<string, HostFn> {
  const dir = (k: SandboxValue) => (typeof k === "number" ? env.kobjs.get(k) : undefined);
  return {
    /** kobject_create_and_add(name, kernel_kobj): @returns the kobject (0 for NULL). */
    kobject_create_and_add: (name) => {
      const path = `/sys/kernel/${String(name)}`;
      if (env.m.vfs.exists(path)) return 0;
      env.m.vfs.mkdir(path);
      const k = env.kobjs.size + 1;
      env.kobjs.set(k, path);
      return k;
    },
    /** sysfs_create_file(kobj, { name, mode, show }): @returns 0 or -errno. */
    sysfs_create_file: (kobj, attr) => {
      const path = dir(kobj);
      if (!path || !isObj(attr) || !(attr.show instanceof SandboxRef)) return -EINVAL;
      const file = `${path}/${String(attr.name)}`;
      if (env.m.vfs.exists(file)) return -EEXIST;
      const show = attrShow(env, attr.show, `${String(attr.name)}_show`);
      return env.m.vfs.addFile(file, { mode: Number(attr.mode ?? 0o444), show });
    },
    kobject_put: (kobj) => {
      const path = dir(kobj);
      if (path) env.m.vfs.remove(path);
      if (typeof kobj === "number") env.kobjs.delete(kobj);
      return undefined;
    },
  };
}

/**
 * The kernel's view of the guest's struct kprobe: its identity (the module instance and the
 * object, as its address would be), and its handlers as calls into the sandbox. A handler that
 * fails Oopses the task that hit the probe, as a fault in a handler does.
 */
function kprobeStruct(env: GuestEnv, kp: Obj, id: SandboxValue): KprobeStruct {
  const symbol = String(kp.symbol_name);
  const handler = (ref: SandboxValue, what: string) => {
    if (!(ref instanceof SandboxRef)) return null;
    const label = `${symbol} ${what}`;
    return (t: Task): number => {
      const r = env.sb.call(ref, [], label);
      if (!r.ok) oops(env.m, t, r.error);
      return typeof r.value === "number" ? r.value : 0;
    };
  };
  const pre = handler(kp.pre_handler, "pre_handler");
  const post = handler(kp.post_handler, "post_handler");
  return {
    id: `${env.m.modules.guests.indexOf(env)}:${String(id)}`,
    owner: env.name,
    symbol,
    pre,
    post: post ? (t) => void post(t) : null,
  };
}

function kprobeFns(env: GuestEnv): Record<string, HostFn> {
  return {
    /**
     * register_kprobe({ symbol_name, pre_handler?, post_handler? }) (kprobes.ts): the probe point
     * at symbol+0, shared with every other kprobe there. @returns 0 or -errno.
     */
    register_kprobe: (kp, ...rest) => {
      if (!isObj(kp) || typeof kp.symbol_name !== "string") return -EINVAL;
      const probe = kprobeStruct(env, kp, rest[rest.length - 1]);
      const rc = kprobesOf(env.m).register(probe);
      if (rc === 0) env.kprobes.set(probe.id, probe);
      return rc;
    },
    unregister_kprobe: (kp, ...rest) => {
      const id = `${env.m.modules.guests.indexOf(env)}:${String(rest[rest.length - 1])}`;
      const probe = env.kprobes.get(id);
      if (!probe) return undefined;
      kprobesOf(env.m).unregister(probe);
      if (!kprobesOf(env.m).registered(probe.id)) env.kprobes.delete(id);
      return undefined;
    },
  };
}

/** Per machine: the slab allocations so far, and console_loglevel. */
interface MachineMemory {
  allocs: number;
  consoleLoglevel: number;
}
function memoryOf(m: Machine): MachineMemory {
  let mem = m.subsystems.get("slab") as MachineMemory | undefined;
  if (!mem) {
    // CONSOLE_LOGLEVEL_DEFAULT.
    mem = { allocs: 0, consoleLoglevel: 7 };
    m.subsystems.set("slab", mem);
  }
  return mem;
}

/** Where the direct map puts the slab objects handed out here. */
const DIRECT_MAP = 0xffff_8880_0400_0000n;
const SLAB_BASE = 0x100000;
const SLAB_OBJ = 0x40;

function memoryFns(env: GuestEnv): Record<string, HostFn> {
  const mem = () => memoryOf(env.m);
  return {
    /**
     * kzalloc(size, gfp): @returns the object (a small token, usable as a shadow variable's
     * object; 0 is NULL). Objects are never reused, so a token names one allocation.
     */
    kzalloc: () => SLAB_BASE + ++mem().allocs * SLAB_OBJ,
    kfree: () => undefined,
    /** The kernel virtual address of an object from kzalloc, for %p (a bigint). */
    kaddr: (p) => DIRECT_MAP + BigInt(Math.floor(Number(p))),
    jiffies: () => env.m.clock.jiffies(),
    /** msecs_to_jiffies(): rounds up. */
    msecs_to_jiffies: (ms) => Math.ceil((Number(ms) * env.m.clock.hz) / 1000),
    console_loglevel: () => mem().consoleLoglevel,
    set_console_loglevel: (v) => ((mem().consoleLoglevel = Number(v)), undefined),
  };
}

/** WRITE_ONCE(param, value) for one of this module's parameters. @returns 0 or -EINVAL. */
function setParam(env: GuestEnv, name: SandboxValue, value: SandboxValue): number {
  const mod = env.m.modules.get(env.name);
  const key = String(name);
  const ok = typeof value === "number" || typeof value === "boolean" || typeof value === "string";
  if (!mod || !mod.params.has(key) || !ok) return -EINVAL;
  mod.params.set(key, value);
  return 0;
}

/** The kernel API above for one sandboxed module. */
export function sysApi(env: GuestEnv): Record<string, HostFn> {
  return {
    ...procFns(env),
    ...sysfsFns(env),
    ...kprobeFns(env),
    ...memoryFns(env),
    set_module_param: (name, value) => setParam(env, name, value),
  };
}
