// ftrace.ts: the part of kernel/trace/ftrace.c that livepatch meets: the kernel.ftrace_enabled
// sysctl (ftrace_enable_sysctl) and who owns each function's IPMODIFY slot. Registering an
// ops with FTRACE_OPS_FL_PERMANENT (livepatch's) fails with -EBUSY while ftrace is disabled, a
// second IPMODIFY ops on one function fails with -EBUSY, and ftrace cannot be disabled while a
// permanent ops is registered. Kept per machine; the debugfs kprobes switch lives here too.
// The ops that cover each record (klp's per function, the function tracer's per its filter)
// decide its entry site (ftrace-sites.ts); while ftrace_enabled is 0 every site is a NOP
// (ftrace_shutdown_sysctl's FTRACE_DISABLE_CALLS) and comes back when it is set again
// (ftrace_startup_sysctl). A kprobe on a function's entry is an ftrace_ops on x86-64
// (KPROBES_ON_FTRACE, kernel/kprobes.c@85f3caa9557976930f9825d6342d05d020976e3e
// arm_kprobe_ftrace): kprobe_ftrace_ops, or kprobe_ipmodify_ops when the probe point has a post
// handler, both FTRACE_OPS_FL_SAVE_REGS, each one ops whose filter holds every probed entry and
// whose count is the probe points armed on it; so it moves the site as any other ops does. arm64
// has no KPROBES_ON_FTRACE: a kprobe there is a BRK at the function's first instruction
// (kprobes.ts), no ftrace_ops, so it takes no IPMODIFY slot and leaves the site alone.
import { EBUSY, EINVAL, ENOENT } from "../../core-wasm/bindings/index.ts";
import {
  applySites,
  type SiteOps,
  type SiteUpdate,
  siteUpdate,
  type SiteWant,
  wantedSite,
} from "./ftrace-sites.ts";
import { kprobesOf } from "./kprobes.ts";
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
  private readonly ipmodify = new Map<number, number>();
  private permanent = 0;
  /** Per record, the ops registered on that function alone (klp_ops' fops), in order. */
  private readonly attached = new Map<number, SiteOps[]>();
  /** The function tracer's ops while current_tracer is "function", and which records it covers. */
  private tracer: { ops: SiteOps; covers: (fn: number) => boolean } | null = null;

  /**
   * kprobe_ftrace_ops and kprobe_ipmodify_ops (x86-64): the filter (ftrace_set_filter_ip), the
   * count of probe points armed on it (kprobe_ftrace_enabled / kprobe_ipmodify_enabled), and the
   * ops while registered.
   */
  private readonly kprobeOps = [false, true].map((ipmodify) => ({
    ipmodify,
    filter: new Set<number>(),
    cnt: 0,
    ops: null as SiteOps | null,
  }));

  constructor(private readonly m: Machine) {}

  /** x86-64 trampolines of the registered kprobe ops (kallsyms: ftrace_trampoline). */
  kprobeTramps(): number[] {
    return this.kprobeOps.flatMap((k) => (k.ops && k.ops.tramp !== 0 ? [k.ops.tramp] : []));
  }

  /** Whether a registered kprobe ops (x86-64) has `fn` in its filter: its handler runs there. */
  kprobeCovers(fn: number): boolean {
    return this.kprobeOps.some((k) => k.ops !== null && k.filter.has(fn));
  }

  /** The function tracer's ops while it is registered, or null. */
  tracerOps(): SiteOps | null {
    return this.tracer?.ops ?? null;
  }

  /** Every ops covering function `fn` now: the per-function ones, the tracer's, the kprobes'. */
  opsOn(fn: number): SiteOps[] {
    const out = [...(this.attached.get(fn) ?? [])];
    if (this.tracer?.covers(fn)) out.push(this.tracer.ops);
    for (const k of this.kprobeOps) if (k.ops && k.filter.has(fn)) out.push(k.ops);
    return out;
  }

  /** What `fn`'s site must hold for its ops (a NOP while ftrace is disabled). */
  private want(fn: number): SiteWant {
    return this.enabled ? wantedSite(this.m, this.opsOn(fn)) : { call: false };
  }

  /** The updates of the records among `fns` whose site is not what their ops need. */
  private updates(fns: Iterable<number>): SiteUpdate[] {
    const out: SiteUpdate[] = [];
    for (const fn of fns) {
      const u = siteUpdate(this.m, fn, this.want(fn));
      if (u) out.push(u);
    }
    return out;
  }

  /** Every record: function ids with an entry site, in ftrace's record order. */
  private *records(): Iterable<number> {
    const { text } = this.m.core;
    for (let fn = 0; fn < text.funcCount(); fn++) if (text.siteAddr(fn) !== 0) yield fn;
  }

  /** Pokes `fn`'s site to what its ops need. @returns 0 or -errno. */
  updateSite(fn: number): number {
    return applySites(this.m, this.updates([fn]));
  }

  /**
   * ftrace_replace_code over every record: the ones that change are poked in one batch (x86-64)
   * or one by one (arm64), see applySites.
   */
  updateAll(): number {
    return applySites(this.m, this.updates(this.records()));
  }

  /** ftrace_module_enable: a new module's records that ops already cover, as one queue. */
  updateModule(fns: readonly number[]): number {
    return applySites(this.m, this.updates(fns), false);
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

  /**
   * register_ftrace_function() of klp's ops on function `fn`: the IPMODIFY slot and the
   * permanent count (kprobes' ops come through armKprobe). @returns 0 or -EBUSY.
   */
  register(fn: number, flags: FtraceOpsFlags): number {
    return this.claim(fn, flags);
  }

  private claim(fn: number, flags: FtraceOpsFlags): number {
    if (flags.permanent && !this.enabled) return -EBUSY;
    if (flags.ipmodify) {
      if ((this.ipmodify.get(fn) ?? 0) > 0) return -EBUSY;
      this.ipmodify.set(fn, 1);
    }
    if (flags.permanent) this.permanent++;
    return 0;
  }

  /** unregister_ftrace_function() of klp's ops. */
  unregister(fn: number, flags: FtraceOpsFlags): void {
    this.release(fn, flags);
  }

  private release(fn: number, flags: FtraceOpsFlags): void {
    if (flags.ipmodify) this.ipmodify.delete(fn);
    if (flags.permanent && this.permanent > 0) this.permanent--;
  }

  /**
   * arm_kprobe_ftrace (__arm_kprobe_ftrace) of a probe point on `fn`: the entry joins the ops'
   * filter (ftrace_set_filter_ip; already there is no change), and the first point registers the
   * ops (x86-64: with its own trampoline, a copy of ftrace_regs_caller). kprobe_ipmodify_ops is
   * IPMODIFY: its entry needs the function's slot, refused with -EBUSY where another IPMODIFY ops
   * (a livepatch) is. x86-64 only. @returns 0 or -errno.
   */
  armKprobe(fn: number, ipmodify: boolean): number {
    if (this.m.arch !== "x86_64") return -EINVAL;
    const k = this.kprobeOps[ipmodify ? 1 : 0]!;
    const added = !k.filter.has(fn);
    if (added) {
      if (ipmodify) {
        const rc = this.claim(fn, { ipmodify, permanent: false });
        if (rc < 0) return rc;
      }
      k.filter.add(fn);
    }
    if (k.cnt === 0 && !k.ops) {
      const tramp = this.m.core.text.trampAlloc();
      k.ops = { token: 0, tramp: tramp > 0 ? tramp : 0, saveRegs: true };
    }
    k.cnt++;
    return this.updateAll();
  }

  /**
   * disarm_kprobe_ftrace (__disarm_kprobe_ftrace) of a probe point on `fn`, from the ops its post
   * handler names: the point that brings the count to 0 unregisters the ops (the sites first, then
   * arch_ftrace_trampoline_free); then the entry leaves the filter, -ENOENT when it is not in it
   * (__ftrace_match_addr: a point armed on the other ops). The count drops either way, as in the
   * kernel. @returns 0 or -errno.
   */
  disarmKprobe(fn: number, ipmodify: boolean): number {
    if (this.m.arch !== "x86_64") return -EINVAL;
    const k = this.kprobeOps[ipmodify ? 1 : 0]!;
    if (k.cnt === 1 && k.ops) {
      const ops = k.ops;
      k.ops = null;
      this.updateAll();
      if (ops.tramp !== 0) this.m.core.text.trampFree(ops.tramp);
    }
    k.cnt--;
    if (!k.filter.has(fn)) return -ENOENT;
    k.filter.delete(fn);
    if (ipmodify) this.release(fn, { ipmodify, permanent: false });
    return this.updateAll();
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
      show: () => (kprobesOf(m).allDisarmed ? "0\n" : "1\n"),
      store: (data) => {
        // write_enabled_file_bool: kstrtobool, then arm_all_kprobes / disarm_all_kprobes.
        const v = kstrtobool(data);
        if (v === null) return -EINVAL;
        const rc = kprobesOf(m).setEnabled(v);
        return rc < 0 ? rc : data.length;
      },
    });
  }
  return f;
}

/** ftrace_module_enable: a new module's records get the ops that already cover them. */
export function ftraceModuleEnable(m: Machine, fns: readonly number[]): void {
  const f = ftraceIfAny(m);
  f?.updateModule(fns);
}

/** The machine's ftrace state if it was ever asked for (views must not create debugfs files). */
export function ftraceIfAny(m: Machine): Ftrace | null {
  return (m.subsystems.get("ftrace") as Ftrace | undefined) ?? null;
}
