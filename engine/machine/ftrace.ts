// ftrace.ts: the part of kernel/trace/ftrace.c that livepatch meets: the kernel.ftrace_enabled
// sysctl (ftrace_enable_sysctl) and who owns each function's IPMODIFY slot. Registering an
// ops with FTRACE_OPS_FL_PERMANENT (livepatch's) fails with -EBUSY while ftrace is disabled, a
// second IPMODIFY ops on one function fails with -EBUSY, and ftrace cannot be disabled while a
// permanent ops is registered. Kept per machine; the debugfs kprobes switch lives here too.
import { EBUSY, EINVAL } from "../../core-wasm/bindings/index.ts";
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
    this.enabled = on;
    return 0;
  }
}

const byMachine = new WeakMap<Machine, Ftrace>();

/** The machine's ftrace state; the first call also creates its debugfs files. */
export function ftraceOf(m: Machine): Ftrace {
  let f = byMachine.get(m);
  if (!f) {
    const ft = new Ftrace();
    f = ft;
    byMachine.set(m, ft);
    new FunctionTracer(m).install();
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
