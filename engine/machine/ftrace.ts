// ftrace.ts: the part of kernel/trace/ftrace.c that livepatch meets: the kernel.ftrace_enabled
// sysctl (ftrace_enable_sysctl) and who owns each function's IPMODIFY slot. Registering an
// ops with FTRACE_OPS_FL_PERMANENT (livepatch's) fails with -EBUSY while ftrace is disabled, a
// second IPMODIFY ops on one function fails with -EBUSY, and ftrace cannot be disabled while a
// permanent ops is registered. Kept per machine; the debugfs kprobes switch lives here too.
// The ops that cover each record (klp's per function, the function tracer's per its filter)
// decide its entry site (ftrace-sites.ts); while ftrace_enabled is 0 every site is a NOP
// (ftrace_shutdown_sysctl's FTRACE_DISABLE_CALLS) and comes back when it is set again
// (ftrace_startup_sysctl). Kprobes' ftrace ops are only IPMODIFY bookkeeping here: their sites
// are not modelled.
import { EBUSY, EINVAL } from "../../core-wasm/bindings/index.ts";
import { type SiteOps, syncSite, wantedSite } from "./ftrace-sites.ts";
import type { Machine } from "./machine.ts";
import { kstrtobool } from "./params.ts";
import { FunctionTracer } from "./tracer.ts";

export interface FtraceOpsFlags {
  /** FTRACE_OPS_FL_IPMODIFY: the ops changes the instruction pointer (livepatch, kprobe with post handler). */
  ipmodify: boolean;
  /** FTRACE_OPS_FL_PERMANENT: the ops must stay while it is registered (livepatch). */
  permanent: boolean;
}

export class Ftrace {
  /** kernel.ftrace_enabled. */
  enabled = true;
  /** /sys/kernel/debug/kprobes/enabled. */
  kprobesEnabled = true;
  private readonly ipmodify = new Map<number, number>();
  private permanent = 0;
  /** Per record, the ops registered on that function alone (klp_ops' fops), in order. */
  private readonly attached = new Map<number, SiteOps[]>();
  /** The function tracer's ops while current_tracer is "function", and which records it covers. */
  private tracer: { ops: SiteOps; covers: (fn: number) => boolean } | null = null;

  constructor(private readonly m: Machine) {}

  /** The function tracer's ops while it is registered, or null. */
  tracerOps(): SiteOps | null {
    return this.tracer?.ops ?? null;
  }

  /** Every ops covering function `fn` now: the per-function ones, then the tracer's. */
  opsOn(fn: number): SiteOps[] {
    const own = this.attached.get(fn) ?? [];
    return this.tracer?.covers(fn) ? [...own, this.tracer.ops] : own;
  }

  /** Pokes `fn`'s site to what its ops need (a NOP while ftrace is disabled). @returns 0 or -errno. */
  updateSite(fn: number): number {
    return syncSite(
      this.m,
      fn,
      this.enabled ? wantedSite(this.m, this.opsOn(fn)) : { call: false },
    );
  }

  /** ftrace_replace_code over every record (function ids with an entry site). */
  updateAll(): number {
    let rc = 0;
    const { text } = this.m.core;
    for (let fn = 0; fn < text.funcCount(); fn++) {
      if (text.siteAddr(fn) === 0) continue;
      const r = this.updateSite(fn);
      if (r < 0 && rc === 0) rc = r;
    }
    return rc;
  }

  /** Adds `ops` to record `fn` and updates its site; undone on failure. @returns 0 or -errno. */
  attach(fn: number, ops: SiteOps): number {
    this.attached.set(fn, [...(this.attached.get(fn) ?? []), ops]);
    const rc = this.updateSite(fn);
    if (rc < 0) this.detachOnly(fn, ops.token);
    return rc;
  }

  /** Removes the ops `token` from record `fn` and updates its site. @returns 0 or -errno. */
  detach(fn: number, token: number): number {
    this.detachOnly(fn, token);
    return this.updateSite(fn);
  }

  private detachOnly(fn: number, token: number): void {
    const left = (this.attached.get(fn) ?? []).filter((o) => o.token !== token);
    if (left.length > 0) this.attached.set(fn, left);
    else this.attached.delete(fn);
  }

  /** The function tracer's ops registered (covers: its filter) or, with null, unregistered. */
  setTracerOps(t: { ops: SiteOps; covers: (fn: number) => boolean } | null): number {
    this.tracer = t;
    return this.updateAll();
  }

  /** register_ftrace_function() of an ops on function `fn`. @returns 0 or -EBUSY. */
  register(fn: number, flags: FtraceOpsFlags): number {
    if (flags.permanent && !this.enabled) return -EBUSY;
    if (flags.ipmodify) {
      if ((this.ipmodify.get(fn) ?? 0) > 0) return -EBUSY;
      this.ipmodify.set(fn, 1);
    }
    if (flags.permanent) this.permanent++;
    return 0;
  }

  /** unregister_ftrace_function(). */
  unregister(fn: number, flags: FtraceOpsFlags): void {
    if (flags.ipmodify) this.ipmodify.delete(fn);
    if (flags.permanent && this.permanent > 0) this.permanent--;
  }

  /** ftrace_enable_sysctl(): disabling fails with -EBUSY while a permanent ops is registered. */
  setEnabled(on: boolean): number {
    if (!on && this.permanent > 0) return -EBUSY;
    if (this.enabled === on) return 0;
    this.enabled = on;
    return this.updateAll();
  }
}

/** The machine's ftrace state; the first call also creates its debugfs files. */
export function ftraceOf(m: Machine): Ftrace {
  let f = m.subsystems.get("ftrace") as Ftrace | undefined;
  if (!f) {
    const ft = new Ftrace(m);
    f = ft;
    m.subsystems.set("ftrace", ft);
    new FunctionTracer(m, ft).install();
    m.vfs.mkdir("/sys/kernel/debug/kprobes", 0o700);
    m.vfs.addFile("/sys/kernel/debug/kprobes/enabled", {
      mode: 0o600,
      show: () => (ft.kprobesEnabled ? "1\n" : "0\n"),
      store: (data) => {
        const v = kstrtobool(data);
        if (v === null) return -EINVAL;
        ft.kprobesEnabled = v;
        return data.length;
      },
    });
  }
  return f;
}

/** ftrace_module_enable: a new module's records get the ops that already cover them. */
export function ftraceModuleEnable(m: Machine, fns: readonly number[]): void {
  const f = ftraceIfAny(m);
  if (f) for (const fn of fns) f.updateSite(fn);
}

/** The machine's ftrace state if it was ever asked for (views must not create debugfs files). */
export function ftraceIfAny(m: Machine): Ftrace | null {
  return (m.subsystems.get("ftrace") as Ftrace | undefined) ?? null;
}
