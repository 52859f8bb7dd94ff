// samples-callbacks.ts: samples/livepatch's callbacks demo: livepatch-callbacks-demo (logging
// callbacks on vmlinux and two target modules, replacing busymod_work_func), and its targets
// livepatch-callbacks-mod and livepatch-callbacks-busymod. pre_patch returns the demo's
// pre_patch_ret parameter, as in the sample (a work item sleeping sleep_secs).
import { type KCode, msleep } from "../engine/machine/kcode.ts";
import type { Machine } from "../engine/machine/machine.ts";
import type { ModuleDef } from "../engine/machine/module.ts";
import type { Task } from "../engine/machine/task.ts";
import { callbacksDemo } from "./callbacks.ts";
import { intParam, prInfo } from "./common.ts";

const DEMO = "livepatch_callbacks_demo";
const MOD = "livepatch_callbacks_mod";
const BUSY = "livepatch_callbacks_busymod";

export function livepatchCallbacksDemo(): ModuleDef {
  return callbacksDemo(DEMO, MOD, BUSY);
}

export function livepatchCallbacksMod(): ModuleDef {
  return {
    name: MOD,
    init: (ctx) => {
      prInfo(ctx.m, MOD, "%s\n", "livepatch_callbacks_mod_init");
      return 0;
    },
    exit: (ctx) => prInfo(ctx.m, MOD, "%s\n", "livepatch_callbacks_mod_exit"),
  };
}

/** busymod_work_func(): sleeps sleep_secs seconds (uninterruptibly) between two messages. */
function* busyWork(m: Machine, t: Task): KCode {
  const secs = intParam(m.modules.get(BUSY)?.params.get("sleep_secs"));
  prInfo(m, BUSY, "%s, sleeping %d seconds ...\n", "busymod_work_func", secs);
  yield* m.call(t, m.fn("msleep"), msleep(secs * 1000));
  prInfo(m, BUSY, "%s exit\n", "busymod_work_func");
  return 0;
}

/** Runs the machine until `t` has exited (cancel_delayed_work_sync on a running work). */
function waitForExit(m: Machine, t: Task): void {
  while (t.state !== "dead") {
    const next = m.sched.nextDue();
    if (next === null) return;
    m.sched.runUntil(next);
  }
}

export function livepatchCallbacksBusymod(): ModuleDef {
  let worker: Task | null = null;
  let pending: { cancel(): void } | null = null;
  return {
    name: BUSY,
    params: [{ name: "sleep_secs", type: "int", perm: 0o644, value: 0 }],
    functions: [{ name: "busymod_work_func", size: 0x60, body: busyWork }],
    init: (ctx) => {
      // The init function of this sample carries the mod sample's name (so does its message).
      prInfo(ctx.m, BUSY, "%s\n", "livepatch_callbacks_mod_init");
      // schedule_delayed_work(.., 0): a kworker runs it once init has returned.
      pending = ctx.m.sched.after(0, () => {
        pending = null;
        worker = ctx.kthreadRun("kworker/1:1", (t) => ctx.call(t, "busymod_work_func"));
      });
      return 0;
    },
    exit: (ctx) => {
      pending?.cancel();
      if (worker) waitForExit(ctx.m, worker);
      worker = null;
      prInfo(ctx.m, BUSY, "%s\n", "livepatch_callbacks_mod_exit");
    },
  };
}
