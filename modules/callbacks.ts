// callbacks.ts: the per-object callback test modules: test_klp_callbacks_demo (three objects with
// logging callbacks, pre_patch returning a parameter), _demo2 (vmlinux only, replace parameter),
// and the targets test_klp_callbacks_mod and test_klp_callbacks_busy (a worker that stays in
// busymod_work_func while block_transition is set).
import { done, type KCode, msleep } from "../engine/machine/kcode.ts";
import type { Machine } from "../engine/machine/machine.ts";
import type { ModuleDef } from "../engine/machine/module.ts";
import type { Task } from "../engine/machine/task.ts";
import { intParam, loggingCallbacks, prInfo } from "./common.ts";

const DEMO = "test_klp_callbacks_demo";
const MOD = "test_klp_callbacks_mod";
const BUSY = "test_klp_callbacks_busy";

/**
 * A callbacks demo livepatch (the selftest's test_klp_callbacks_demo and the sample
 * livepatch-callbacks-demo are the same code under other names): logging callbacks on vmlinux, the
 * target `mod` and the `busy` module, whose busymod_work_func it replaces; pre_patch returns the
 * pre_patch_ret parameter.
 */
export function callbacksDemo(demo: string, mod: string, busy: string): ModuleDef {
  return {
    name: demo,
    livepatch: true,
    params: [{ name: "pre_patch_ret", type: "int", perm: 0o644, value: 0 }],
    functions: [
      {
        name: "patched_work_func",
        size: 0x40,
        body: (m) => {
          prInfo(m, demo, "%s\n", "patched_work_func");
          return done(0);
        },
      },
    ],
    init: (ctx) => {
      const cb = () => loggingCallbacks(ctx.m, demo, () => intParam(ctx.param("pre_patch_ret")));
      return ctx.klpEnablePatch({
        objs: [
          { name: null, funcs: [], callbacks: cb() },
          { name: mod, funcs: [], callbacks: cb() },
          {
            name: busy,
            funcs: [{ old_name: "busymod_work_func", new_func: "patched_work_func" }],
            callbacks: cb(),
          },
        ],
      });
    },
  };
}

/** test_klp_callbacks_demo: vmlinux, the mod and the busy module, all with logging callbacks. */
export function testKlpCallbacksDemo(): ModuleDef {
  return callbacksDemo(DEMO, MOD, BUSY);
}

/** test_klp_callbacks_demo2: vmlinux only; `replace` sets atomic replace. */
export function testKlpCallbacksDemo2(): ModuleDef {
  const name = "test_klp_callbacks_demo2";
  return {
    name,
    livepatch: true,
    params: [{ name: "replace", type: "int", perm: 0o644, value: 0 }],
    init: (ctx) =>
      ctx.klpEnablePatch({
        objs: [{ name: null, funcs: [], callbacks: loggingCallbacks(ctx.m, name, () => 0) }],
        replace: intParam(ctx.param("replace")) !== 0,
      }),
  };
}

/** test_klp_callbacks_mod: only logs its init and exit. */
export function testKlpCallbacksMod(): ModuleDef {
  return {
    name: MOD,
    init: (ctx) => {
      prInfo(ctx.m, MOD, "%s\n", `${MOD}_init`);
      return 0;
    },
    exit: (ctx) => prInfo(ctx.m, MOD, "%s\n", `${MOD}_exit`),
  };
}

/** busymod_work_func(): "enter", sleeps in 20 ms steps while block_transition, then "exit". */
function* busyWork(m: Machine, t: Task): KCode {
  prInfo(m, BUSY, "%s enter\n", "busymod_work_func");
  while (m.modules.get(BUSY)?.params.get("block_transition") === true && !t.shouldStop) {
    yield* m.call(t, m.fn("msleep"), msleep(20));
  }
  prInfo(m, BUSY, "%s exit\n", "busymod_work_func");
  return 0;
}

/**
 * test_klp_callbacks_busy: init queues the work and waits for its "enter" (and for its end when
 * not blocking); exit clears the flag and waits for the worker (flush_work).
 */
export function testKlpCallbacksBusy(): ModuleDef {
  let worker: Task | null = null;
  return {
    name: BUSY,
    params: [{ name: "block_transition", type: "bool", perm: 0o644, value: false }],
    functions: [{ name: "busymod_work_func", size: 0x60, body: busyWork }],
    init: (ctx) => {
      prInfo(ctx.m, BUSY, "%s\n", `${BUSY}_init`);
      // The work item runs in a kworker; the worker thread here runs it once and ends.
      worker = ctx.kthreadRun("kworker/0:2", (t) => ctx.call(t, "busymod_work_func"));
      return 0;
    },
    exit: (ctx) => {
      ctx.mod.params.set("block_transition", false);
      if (worker && worker.state !== "dead") ctx.kthreadStop(worker);
      worker = null;
      prInfo(ctx.m, BUSY, "%s\n", `${BUSY}_exit`);
    },
  };
}
