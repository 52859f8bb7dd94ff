// messages.ts: the format strings the module loader prints (kernel/module/main.c, kernel/params.c),
// as data, each citing the kernel file it was checked against character for character.
import type { KernelFormat } from "../livepatch/messages.ts";

const MAIN = "torvalds/linux kernel/module/main.c@c550f0055c5ddcbe9a909becb774c37c54c217be";
const PARAMS = "torvalds/linux kernel/params.c@012e060c95e547eceea4a12c6f58592473bf4011";

export const MODULE_FORMATS = {
  // do_init_module: one pr_warn of two lines (then dump_stack(), see dump-stack.ts), printed here
  // as its two lines.
  initSuspicious: {
    fmt: "%s: '%s'->init suspiciously returned %d, it should follow 0/-E convention\n",
    src: MAIN,
  },
  initLoadingAnyway: { fmt: "%s: loading module anyway...\n", src: MAIN },
  // unknown_module_param_cb
  unknownParam: { fmt: "%s: unknown parameter '%s' ignored\n", src: MAIN },
  // parse_args
  invalidParam: { fmt: "%s: `%s' invalid for parameter `%s'\n", src: PARAMS },
} as const satisfies Record<string, KernelFormat>;

/** The format strings by name, for the call sites. */
export const MODULE_MSG = Object.fromEntries(
  Object.entries(MODULE_FORMATS).map(([k, v]) => [k, v.fmt]),
) as { readonly [K in keyof typeof MODULE_FORMATS]: (typeof MODULE_FORMATS)[K]["fmt"] };
