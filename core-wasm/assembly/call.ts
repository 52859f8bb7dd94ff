// call.ts: one simulated call of a traceable function by a task, the hot path of the simulation,
// in a single crossing into the core: the CPU executes the function's entry site (a NOP falls
// through to the original body; a call enters the ftrace trampoline or ftrace_caller, and a site
// mid-poke runs the new instruction as the int3 handler emulates it), and the trampoline runs
// klp_ftrace_handler(), whose decision picks the implementation (see klp_handler in ops.ts).

import { EFAULT } from "./shared/errno";
import { klp_handler } from "./ops";
import { SITE_EXEC_BAD, site_exec } from "./site";

/**
 * Which function runs when `task` calls function `fn`.
 * @returns the function id that runs (fn itself when the original runs), -EFAULT when the entry
 * site holds bytes no CPU could execute as an entry (a corrupted arena), or the handler's -errno
 * (-ESRCH unknown task, -EINVAL unknown function).
 */
export function core_call(fn: u32, task: u32): i32 {
  const target = site_exec(fn);
  if (target == 0) return <i32>fn;
  if (target == SITE_EXEC_BAD) return -EFAULT;
  return klp_handler(fn, task);
}
