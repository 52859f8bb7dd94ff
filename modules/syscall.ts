// syscall.ts: test_klp_syscall (replaces the getpid system call; counts down the listed pids
// as each first runs the new code, shown in /sys/kernel/test_klp_syscall/npids) and the
// selftests' user program test_klp-call_getpid (getpid in a loop, back to user space each time).
import type { UserProgram } from "../engine/machine/commands.ts";
import { done } from "../engine/machine/kcode.ts";
import type { Machine } from "../engine/machine/machine.ts";
import type { ModuleDef } from "../engine/machine/module.ts";
import type { Task } from "../engine/machine/task.ts";

const NAME = "test_klp_syscall";
const SYSFS = `/sys/kernel/${NAME}`;

/** The architecture's getpid entry, as SYSCALL_DEFINE0(getpid) names it. */
function getpidSymbol(m: Machine): string {
  return m.arch === "arm64" ? "__arm64_sys_getpid" : "__x64_sys_getpid";
}

/** test_klp_syscall: parameter klp_pids (int array, not in sysfs). */
export function testKlpSyscall(): ModuleDef {
  let pids: number[] = [];
  return {
    name: NAME,
    livepatch: true,
    params: [{ name: "klp_pids", type: "charp", perm: 0, value: "" }],
    functions: [
      {
        name: "lp_sys_getpid",
        size: 0x60,
        body: (_m, t) => {
          // The first call of each listed task removes it from the list.
          const i = pids.indexOf(t.pid);
          if (i >= 0) pids.splice(i, 1);
          return done(t.pid);
        },
      },
    ],
    init: (ctx) => {
      const raw = String(ctx.param("klp_pids") ?? "");
      pids = raw === "" ? [] : raw.split(",").map(Number);
      if (pids.some((p) => !Number.isInteger(p))) return -22;
      ctx.m.vfs.mkdir(SYSFS);
      ctx.m.vfs.addFile(`${SYSFS}/npids`, { mode: 0o444, show: () => `${pids.length}\n` });
      const rc = ctx.klpEnablePatch({
        objs: [
          {
            name: null,
            funcs: [{ old_name: getpidSymbol(ctx.m), new_func: "lp_sys_getpid" }],
          },
        ],
      });
      if (rc !== 0) ctx.m.vfs.remove(SYSFS);
      return rc;
    },
    exit: (ctx) => ctx.m.vfs.remove(SYSFS),
  };
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
