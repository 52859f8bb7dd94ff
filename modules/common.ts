// common.ts: what the host-side modules (the proposed tree's, not yet written as module source)
// share: a module's own printk prefix and an int parameter's value.
import type { Machine } from "../engine/machine/machine.ts";
import { LogLevel } from "../engine/log.ts";
import type { PrintkArg } from "../engine/printk.ts";

/** pr_info with the module's pr_fmt ("<module>: "). */
export function prInfo(m: Machine, mod: string, fmt: string, ...args: PrintkArg[]): void {
  m.pr(LogLevel.Info, `${mod}: `, fmt, ...args);
}

/** An int module parameter's value as a number. */
export function intParam(v: number | boolean | string | undefined): number {
  return typeof v === "number" ? v : 0;
}
