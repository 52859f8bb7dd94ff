// fixture.ts: helpers for the engine's tests (not part of the engine's API): a booted machine
// and small livepatch modules with the engine's own names.
import { coreBytes } from "../../core-wasm/tests/loadCore.ts";
import type { KlpCallbacks, KlpPatchDef } from "../livepatch/api.ts";
import { done, type KCode, msleep } from "../machine/kcode.ts";
import { Machine, type MachineOptions } from "../machine/machine.ts";
import type { ModuleDef } from "../machine/module.ts";
import type { SeqFile } from "../machine/vmlinux.ts";

export async function boot(opts: Partial<MachineOptions> = {}): Promise<Machine> {
  return Machine.create({ core: await coreBytes(), ...opts });
}

/** A show handler replacement printing `text`. */
function showText(text: string) {
  return (_m: Machine, _t: unknown, arg: unknown): KCode => {
    (arg as SeqFile).buf += text;
    return done(0);
  };
}

/** A livepatch module `name` replacing cmdline_proc_show (and more vmlinux show handlers). */
export function lpModule(
  name: string,
  opts: {
    text?: string;
    replace?: boolean;
    funcs?: string[];
    callbacks?: KlpCallbacks;
    extraObjs?: KlpPatchDef["objs"];
  } = {},
): ModuleDef {
  const funcs = opts.funcs ?? ["cmdline_proc_show"];
  return {
    name,
    livepatch: true,
    functions: funcs.map((f) => ({
      name: `${name}_${f}`,
      size: 0x40,
      body: showText(opts.text ?? `${name}: ${f}\n`),
    })),
    init: (ctx) =>
      ctx.klpEnablePatch({
        objs: [
          {
            name: null,
            funcs: funcs.map((f) => ({ old_name: f, new_func: `${name}_${f}` })),
            ...(opts.callbacks ? { callbacks: opts.callbacks } : {}),
          },
          ...(opts.extraObjs ?? []),
        ],
        replace: opts.replace ?? false,
      }),
  };
}

/** A target module with one function `<name>_work` and a kthread that sleeps inside it. */
export function busyModule(name: string, sleepMs = 1000, uninterruptible = true): ModuleDef {
  const work = `${name}_work`;
  return {
    name,
    functions: [
      {
        name: work,
        size: 0x80,
        body: function* (m, t) {
          // The kthread sleeps here until told to stop; each wake-up sleeps again at the same place.
          while (m.modules.get(name)?.params.get("block") !== false) {
            yield uninterruptible
              ? msleep(sleepMs)
              : { sleepNs: sleepMs * 1e6, interruptible: true, freezable: false };
          }
          return t.pid;
        },
      },
    ],
    params: [{ name: "block", type: "bool", perm: 0o644, value: true }],
    init: (ctx) => {
      ctx.pr_info("%s\n", `${name}_init`);
      ctx.kthreadRun(name, (t) => ctx.call(t, work));
      return 0;
    },
    exit: (ctx) => ctx.pr_info("%s\n", `${name}_exit`),
  };
}
