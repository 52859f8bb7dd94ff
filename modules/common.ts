// common.ts: what several built-in modules share: a show-handler replacement printing one line,
// logging callbacks with the module-state texts, and a module's own printk prefix.
import type { KlpCallbacks, KlpObjectView } from "../engine/livepatch/api.ts";
import { done, type KCode } from "../engine/machine/kcode.ts";
import type { KFunc, Machine } from "../engine/machine/machine.ts";
import type { ModuleState } from "../engine/machine/module.ts";
import type { SeqFile } from "../engine/machine/vmlinux.ts";
import { LogLevel } from "../engine/log.ts";
import type { PrintkArg } from "../engine/printk.ts";

/** pr_info with the module's pr_fmt ("<module>: "). */
export function prInfo(m: Machine, mod: string, fmt: string, ...args: PrintkArg[]): void {
  m.pr(LogLevel.Info, `${mod}: `, fmt, ...args);
}

/** A show handler that seq_printf()s "<mod>: this has been live patched". */
export function livePatchedShow(mod: string): KFunc {
  return (_m, _t, arg): KCode => {
    (arg as SeqFile).buf += `${mod}: this has been live patched\n`;
    return done(0);
  };
}

/** The texts test modules print for enum module_state. */
const STATE_TEXT: Readonly<Record<ModuleState, string>> = {
  MODULE_STATE_LIVE: "[MODULE_STATE_LIVE] Normal state",
  MODULE_STATE_COMING: "[MODULE_STATE_COMING] Full formed, running module_init",
  MODULE_STATE_GOING: "[MODULE_STATE_GOING] Going away",
  MODULE_STATE_UNFORMED: "[MODULE_STATE_UNFORMED] Still setting it up",
};

/** callback_info(): "<callback>: vmlinux" or "<callback>: <module> -> <state text>". */
function callbackInfo(m: Machine, mod: string, cb: string, obj: KlpObjectView): void {
  if (obj.mod) prInfo(m, mod, "%s: %s -> %s\n", cb, obj.mod.name, STATE_TEXT[obj.mod.state]);
  else prInfo(m, mod, "%s: vmlinux\n", cb);
}

/** The four logging callbacks; pre_patch returns `preRet()`. */
export function loggingCallbacks(m: Machine, mod: string, preRet: () => number): KlpCallbacks {
  return {
    pre_patch: (obj) => {
      callbackInfo(m, mod, "pre_patch_callback", obj);
      return preRet();
    },
    post_patch: (obj) => callbackInfo(m, mod, "post_patch_callback", obj),
    pre_unpatch: (obj) => callbackInfo(m, mod, "pre_unpatch_callback", obj),
    post_unpatch: (obj) => callbackInfo(m, mod, "post_unpatch_callback", obj),
  };
}

/** An int module parameter's value as a number. */
export function intParam(v: number | boolean | string | undefined): number {
  return typeof v === "number" ? v : 0;
}
