// guestCode.ts: module code in the sandbox run as kernel code. A plain guest function runs in one
// call; a generator function's object (it lives in the sandbox's heap) is driven step by step by a
// host frame, each yielded sleep (msleep, schedule, wait_event_interruptible from the kernel API)
// becoming a call of the vmlinux sleeping function through its entry site, so a sleeping task's
// stack shows it as the kernel's would; a yielded call_ptr calls a function of any module through
// its entry site (and may sleep).
import { SeqFrame } from "../machine/frames.ts";
import {
  done,
  ended,
  type KCode,
  msleep,
  msleepInterruptible,
  waitInterruptible,
} from "../machine/kcode.ts";
import type { Machine } from "../machine/machine.ts";
import type { Task } from "../machine/task.ts";
import { oops } from "./oops.ts";
import { type ModuleSandbox, SandboxRef, type SandboxValue } from "./sandbox.ts";

/**
 * What the guest yields: the kernel API's sleep requests (see kernelApi.ts), and call_ptr's
 * indirect call of a function id (`fn`, with `arg`), which may sleep.
 */
export interface SleepRequest {
  $klp_sleep: "msleep" | "msleep_interruptible" | "schedule" | "wait_event_interruptible" | "call";
  ms?: number;
  cond?: SandboxRef;
  fn?: number;
  arg?: SandboxValue;
}

/** Whether a guest value is one of the kernel API's sleep requests. */
function asSleep(v: SandboxValue): SleepRequest | null {
  if (v === null || typeof v !== "object" || Array.isArray(v) || v instanceof SandboxRef)
    return null;
  return typeof v.$klp_sleep === "string" ? (v as unknown as SleepRequest) : null;
}

/** Calls guest `fn` as task `t`'s code; a failure Oopses the task. */
function callOrDie(
  m: Machine,
  t: Task,
  run: () => ReturnType<ModuleSandbox["call"]>,
): SandboxValue {
  const r = run();
  if (!r.ok) oops(m, t, r.error);
  return r.value;
}

/** One sleep request as the kernel function that sleeps (msleep -> schedule_timeout -> schedule). */
function sleepFor(m: Machine, t: Task, sb: ModuleSandbox, req: SleepRequest, label: string): KCode {
  const ms = Math.max(0, Number(req.ms ?? 0));
  switch (req.$klp_sleep) {
    case "msleep":
      return m.call(t, m.fn("msleep"), msleep(ms));
    case "msleep_interruptible":
      return m.call(t, m.fn("msleep_interruptible"), msleepInterruptible(ms));
    case "schedule":
      return m.call(t, m.fn("schedule"), waitInterruptible());
    case "call": {
      // An indirect call (hall->do_block_doors()): through the callee's entry site, as compiled
      // C reaches it, in this task; a pointer to no function Oopses the task.
      const fn = req.fn;
      if (typeof fn !== "number" || !m.names.has(fn))
        oops(m, t, {
          kind: "exception",
          module: sb.name,
          fn: label,
          message: "call_ptr: not a function pointer",
        });
      return m.call(t, fn, req.arg);
    }
    case "wait_event_interruptible": {
      const cond = req.cond;
      return cond instanceof SandboxRef ? new WaitEvent(m, t, sb, cond, label) : done(0);
    }
  }
}

/**
 * wait_event_interruptible(): the condition is checked before each sleep and after each
 * wake-up; it is guest code too, and runs as the task.
 */
class WaitEvent extends SeqFrame<number> {
  constructor(
    private readonly m: Machine,
    private readonly t: Task,
    private readonly sb: ModuleSandbox,
    private readonly cond: SandboxRef,
    private readonly label: string,
  ) {
    super();
  }

  protected advance(): KCode | IteratorReturnResult<number> {
    const { m, t, sb, cond } = this;
    if (callOrDie(m, t, () => sb.call(cond, [], `${this.label} (condition)`))) return ended(0);
    return m.call(t, m.fn("schedule"), waitInterruptible());
  }
}

/**
 * Guest function `fn` run with `args` as kernel code of task `t`: the first next() calls it; a
 * generator function's object (it crosses as a reference, `gen`) is then stepped, each request
 * it yields performed by a callee frame whose result is fed back to the guest.
 */
class GuestFrame extends SeqFrame {
  private gen: SandboxRef | null = null;

  constructor(
    private readonly m: Machine,
    private readonly t: Task,
    private readonly sb: ModuleSandbox,
    private readonly fn: SandboxRef,
    private args: SandboxValue[],
    private readonly label: string,
  ) {
    super();
  }

  protected advance(value: unknown): KCode | IteratorReturnResult<unknown> {
    const { m, t, sb, label } = this;
    let gen = this.gen;
    if (!gen) {
      const args = this.args;
      this.args = [];
      const first = callOrDie(m, t, () => sb.call(this.fn, args, label));
      if (!(first instanceof SandboxRef)) return ended(first);
      this.gen = gen = first;
    }
    const input = value as SandboxValue;
    const step = callOrDie(m, t, () => sb.callMethod(gen, "next", [input], label)) as {
      value?: SandboxValue;
      done?: boolean;
    } | null;
    if (!step || step.done) return ended(step?.value);
    const req = asSleep(step.value ?? null);
    if (!req) {
      oops(m, t, {
        kind: "exception",
        module: sb.name,
        fn: label,
        message: "yielded a value that is not a sleep of the kernel API",
      });
    }
    return sleepFor(m, t, sb, req, label);
  }
}

/**
 * Runs guest function `fn` with `args` as kernel code of task `t`. `label` names it in errors
 * (the function's kallsyms name, or the kthread). @returns what the guest returned.
 */
export function guestCode(
  m: Machine,
  t: Task,
  sb: ModuleSandbox,
  fn: SandboxRef,
  args: SandboxValue[],
  label: string,
): KCode {
  return new GuestFrame(m, t, sb, fn, args, label);
}
