// fixture.ts: helpers for the engine's tests (not part of the engine's API): a booted machine
// and small livepatch modules with the engine's own names.
import { coreBytes } from "../../core-wasm/tests/loadCore.ts";
import type { KlpCallbacks, KlpPatchDef } from "../livepatch/api.ts";
import { SeqFrame } from "../machine/frames.ts";
import { done, ended, type KCode, msleep, msleepInterruptible } from "../machine/kcode.ts";
import type { Task } from "../machine/task.ts";
import { Machine, type MachineOptions } from "../machine/machine.ts";
import type { ModuleCtx, ModuleDef } from "../machine/module.ts";
import type { SeqFile } from "../machine/vmlinux.ts";

export async function boot(opts: Partial<MachineOptions> = {}): Promise<Machine> {
  return Machine.create({ core: await coreBytes(), ...opts });
}

/** A show handler replacement printing `text`. */
function showText(text: string, sleepMs: number) {
  return (m: Machine, t: Task, arg: unknown): KCode => {
    if (arg && typeof (arg as SeqFile).buf === "string") (arg as SeqFile).buf += text;
    return sleepMs > 0 ? m.call(t, m.fn("msleep"), msleep(sleepMs)) : done(0);
  };
}

export interface ObjSpec {
  name: string | null;
  funcs: string[];
  callbacks?: KlpCallbacks;
}

/**
 * A livepatch module `name`: each listed function `f` is replaced by `<name>_<f>`, which appends
 * `text` (or "<name>: <f>") when called as a show handler. Default: cmdline_proc_show in vmlinux.
 */
export function lpModule(
  name: string,
  opts: {
    text?: string;
    sleepMs?: number;
    replace?: boolean;
    objs?: ObjSpec[];
    states?: KlpPatchDef["states"];
  } = {},
): ModuleDef {
  const objs = opts.objs ?? [{ name: null, funcs: ["cmdline_proc_show"] }];
  return {
    name,
    livepatch: true,
    functions: objs.flatMap((o) =>
      o.funcs.map((f) => ({
        name: `${name}_${f}`,
        size: 0x40,
        body: showText(opts.text ?? `${name}: ${f}\n`, opts.sleepMs ?? 0),
      })),
    ),
    init: (ctx) =>
      ctx.klpEnablePatch({
        objs: objs.map((o) => ({
          name: o.name,
          funcs: o.funcs.map((f) => ({ old_name: f, new_func: `${name}_${f}` })),
          ...(o.callbacks ? { callbacks: o.callbacks } : {}),
        })),
        replace: opts.replace ?? false,
        ...(opts.states ? { states: opts.states } : {}),
      }),
  };
}

/** The stall kthread's loop: calls `work` while `block` is Y and it is not asked to stop. */
class StallLoop extends SeqFrame<number> {
  constructor(
    private readonly ctx: ModuleCtx,
    private readonly t: Task,
    private readonly work: string,
  ) {
    super();
  }

  protected advance(): KCode | IteratorReturnResult<number> {
    const { ctx, t } = this;
    if (ctx.param("block") !== false && !t.shouldStop) return ctx.call(t, this.work);
    return ended(0);
  }
}

/**
 * A target module whose kthread calls `<name>_work` in a loop while its `block` parameter is Y;
 * each call sleeps `sleepMs` inside it (msleep, uninterruptible unless asked).
 */
export function stallModule(name: string, sleepMs = 1000, interruptible = false): ModuleDef {
  const work = `${name}_work`;
  return {
    name,
    functions: [
      {
        name: work,
        size: 0x80,
        body: (m, t) =>
          m.call(
            t,
            m.fn(interruptible ? "msleep_interruptible" : "msleep"),
            interruptible ? msleepInterruptible(sleepMs) : msleep(sleepMs),
          ),
      },
    ],
    params: [{ name: "block", type: "bool", perm: 0o644, value: true }],
    init: (ctx) => {
      ctx.pr_info("%s\n", `${name}_init`);
      ctx.kthreadRun(name, (t) => new StallLoop(ctx, t, work));
      return 0;
    },
    exit: (ctx) => {
      const t = ctx.m.tasks.all().find((x) => x.comm === name);
      if (t) ctx.kthreadStop(t);
      ctx.pr_info("%s\n", `${name}_exit`);
    },
  };
}

/** The log lines since `from`, without the taint lines (as the selftests filter them). */
export function klpLines(m: Machine, from: number): string[] {
  return m.log.lines(from).filter((l) => !l.includes("taint"));
}
