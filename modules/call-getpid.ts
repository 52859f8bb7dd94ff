// call-getpid.ts: the selftests' user program test_klp-call_getpid (getpid in a loop, back to user
// space each time), which test_klp_syscall's transition waits on.
import type { UserProgram } from "../engine/machine/commands.ts";
import type { Machine } from "../engine/machine/machine.ts";
import type { Task } from "../engine/machine/task.ts";

/** The architecture's getpid entry, as SYSCALL_DEFINE0(getpid) names it. */
function getpidSymbol(m: Machine): string {
  return m.arch === "arm64" ? "__arm64_sys_getpid" : "__x64_sys_getpid";
}

/** How often a looper calls getpid, in virtual ns (a tight loop, thinned out). */
const LOOP_NS = 1_000_000;

/** One iteration: the syscall through its entry site, then exit_to_user_mode. */
function callGetpid(m: Machine, t: Task): void {
  if (t.state === "dead") return;
  m.tasks.start(t, m.call(t, m.fn(getpidSymbol(m))));
  m.sched.after(LOOP_NS, () => callGetpid(m, t));
}

/** test_klp-call_getpid: loops until a signal ends it (SIGTERM's default action). */
export const callGetpidProgram: UserProgram = {
  start: (m, t) => {
    callGetpid(m, t);
    return "running";
  },
};
