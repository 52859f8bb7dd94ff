// workApi.ts: the part of the "linux" host module that runs module code as kernel code of other
// tasks or through entry sites: work items (include/linux/workqueue.h: INIT_WORK,
// schedule_work, schedule_delayed_work, flush_work, cancel_delayed_work_sync, container_of),
// completions, function pointers (func_ptr, for call_ptr), and kcall, a call
// of one of the module's own functions through its entry site, as compiled C calls it (so that a
// livepatch replacing it takes effect; a direct call of the guest function would bypass ftrace).
import { EINVAL } from "../../core-wasm/bindings/index.ts";
import type { KCode } from "../machine/kcode.ts";
import type { Machine } from "../machine/machine.ts";
import type { TimerHandle } from "../machine/scheduler.ts";
import type { Task } from "../machine/task.ts";
import { guestCode } from "./guestCode.ts";
import { ctxOf, type GuestEnv } from "./kernelApi.ts";
import type { HostFn, SandboxValue } from "./sandbox.ts";
import { SandboxRef } from "./sandbox.ts";
import { ownedBy } from "./values.ts";

/**
 * struct work_struct / delayed_work: its function, pending timer and the worker running it, and
 * the struct it is embedded in (what container_of finds), plain data.
 */
export interface WorkItem {
  fn: SandboxRef;
  timer: TimerHandle | null;
  worker: Task | null;
  container: SandboxValue;
}

/**
 * Every work item of a machine by handle: a work handle is a pointer, unique in the machine, so
 * that another module's code (a livepatch's replacement of a work function) can reach the
 * struct the work is embedded in. Kept on the machine's module loader.
 */
function worksOf(m: Machine): Map<number, WorkItem> {
  return m.modules.works;
}

/** struct completion: done counts complete() calls not yet consumed by a waiter. */
interface Completion {
  done: number;
}

/** How long flush_work and cancel_delayed_work_sync wait for a work to end (virtual time). */
const FLUSH_LIMIT_NS = 600e9;

/** The id of one of the module's functions (by the guest reference of its body), or null. */
function ownFunction(env: GuestEnv, ref: SandboxValue): number | null {
  if (!(ref instanceof SandboxRef)) return null;
  const name = env.funcByRef.get(ref.id);
  const mod = env.m.modules.get(env.name);
  return mod?.symbols.find((s) => s.name === name)?.id ?? null;
}

/** A guest function as task `t` runs it: through its entry site when it is a module function. */
function run(env: GuestEnv, t: Task, fn: SandboxRef, arg: SandboxValue, label: string): KCode {
  const id = ownFunction(env, fn);
  return id !== null ? env.m.call(t, id, arg) : guestCode(env.m, t, env.sb, fn, [arg], label);
}

/**
 * process_one_work(): the work's function runs in a worker (a kthread here, one per run, since
 * the machine has no worker pool), inside process_one_work as on a kworker's stack.
 */
function startWork(env: GuestEnv, handle: number, w: WorkItem): void {
  const m = env.m;
  w.worker = ctxOf(env).kthreadRun("kworker/0:1", (t) =>
    m.call(t, m.fn("process_one_work"), () => run(env, t, w.fn, handle, "work")),
  );
}

/** Runs the machine until `done` holds (a caller blocking in flush_work, say). */
function waitUntil(m: Machine, done: () => boolean): void {
  const stop = m.clock.nowNs() + FLUSH_LIMIT_NS;
  while (!done()) {
    const next = m.sched.nextDue();
    if (next === null || next > stop) return;
    m.sched.runUntil(next);
  }
}

const pending = (w: WorkItem): boolean => w.timer !== null;
const running = (w: WorkItem): boolean => w.worker !== null && w.worker.state !== "dead";

function workFns(env: GuestEnv): Record<string, HostFn> {
  const item = (h: SandboxValue) => (typeof h === "number" ? env.works.get(h) : undefined);
  const init: HostFn = (fn, container) => {
    if (!(fn instanceof SandboxRef)) return -EINVAL;
    const all = worksOf(env.m);
    const h = all.size + 1;
    const w: WorkItem = { fn, timer: null, worker: null, container };
    env.works.set(h, w);
    all.set(h, w);
    return h;
  };
  /** queue_delayed_work(): false when already pending; a delay of 0 queues at once. */
  const schedule = (h: SandboxValue, delay: number): boolean => {
    const w = item(h);
    if (!w || pending(w)) return false;
    if (delay <= 0) {
      startWork(env, Number(h), w);
      return true;
    }
    const c = env.m.clock;
    w.timer = env.m.sched.at(c.nsAtJiffies(c.jiffies() + delay), () => {
      w.timer = null;
      startWork(env, Number(h), w);
    });
    return true;
  };
  return {
    INIT_WORK: init,
    INIT_DELAYED_WORK: init,
    schedule_work: (h) => schedule(h, 0),
    schedule_delayed_work: (h, delay) => schedule(h, Math.max(0, Math.floor(Number(delay)))),
    /** flush_work(): waits for a pending work to run and a running one to end. */
    flush_work: (h) => {
      const w = item(h);
      if (!w || (!pending(w) && !running(w))) return false;
      waitUntil(env.m, () => !pending(w) && !running(w));
      return true;
    },
    /** container_of(work, ...): the struct work `h` (of any module) is embedded in. */
    container_of: (h) =>
      typeof h === "number" ? ownedBy(worksOf(env.m).get(h)?.container, env.name) : undefined,
    /** cancel_delayed_work_sync(): cancels a pending run, waits for a running one. */
    cancel_delayed_work_sync: (h) => {
      const w = item(h);
      if (!w) return false;
      const was = pending(w);
      w.timer?.cancel();
      w.timer = null;
      waitUntil(env.m, () => !running(w));
      return was;
    },
  };
}

/**
 * Completions (include/linux/completion.h): init_completion, complete, and wait_for_completion
 * from plain code (a parameter's set hook), which lets the machine run until the completion is
 * done, as the waiting task would sleep.
 */
function completionFns(env: GuestEnv): Record<string, HostFn> {
  const all: Completion[] = [];
  const get = (h: SandboxValue) => (typeof h === "number" ? all[h - 1] : undefined);
  return {
    init_completion: () => all.push({ done: 0 }),
    /** reinit_completion(): the completion is not done again. */
    reinit_completion: (h) => {
      const c = get(h);
      if (c) c.done = 0;
      return undefined;
    },
    complete: (h) => {
      const c = get(h);
      if (c) c.done++;
      return undefined;
    },
    /** @returns whether it completed (false: nothing would complete it in the wait's bound). */
    wait_for_completion: (h) => {
      const c = get(h);
      if (!c) return false;
      waitUntil(env.m, () => c.done > 0);
      if (c.done === 0) return false;
      c.done--;
      return true;
    },
  };
}

/** func_ptr(fn): the address (function id) of one of the module's functions, for call_ptr. */
function funcPtr(env: GuestEnv, fn: SandboxValue): number {
  const id = ownFunction(env, fn);
  if (id === null) throw new Error("func_ptr: not a function of this (loaded) module");
  return id;
}

/**
 * kcall(fn, arg): the current task calls module function `fn` through its entry site, which may
 * run a livepatch's replacement (in another module's sandbox). The callee must not sleep: a
 * sleeping call is an error (kernel code in a plain function cannot be suspended).
 */
function kcall(env: GuestEnv, fn: SandboxValue, arg: SandboxValue): SandboxValue {
  const id = ownFunction(env, fn);
  // Outside any task's code (a sysfs read from the shell), the shell is the caller.
  const t = env.m.current ?? env.m.shell;
  if (id === null) throw new Error("kcall: not a function of this module");
  const code = env.m.call(t, id, arg);
  for (let r = code.next(); ; r = code.next()) {
    if (r.done) return ownedBy(r.value as SandboxValue, env.name);
    code.return(undefined);
    throw new Error(`kcall: ${env.m.names.get(id) ?? "?"} slept (it must not sleep here)`);
  }
}

/** Work items and kcall for one sandboxed module. */
export function workApi(env: GuestEnv): Record<string, HostFn> {
  return {
    ...workFns(env),
    ...completionFns(env),
    func_ptr: (fn) => funcPtr(env, fn),
    kcall: (fn, arg) => kcall(env, fn, arg),
  };
}
