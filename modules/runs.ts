// runs.ts: example runs shared by the tests, the CLI's and the harness page: a livepatch written
// as sandboxed TypeScript, and scripts that exercise a stall ended by the fake signal, force,
// shadow variables and callbacks. The same text runs in Node and in the browser's Worker.

/**
 * lp_wait: a livepatch of do_wait, in which init (systemd) sleeps interruptibly from boot. Its
 * transition stalls until the fake signal at the 16th attempt (about 15 s) ends that sleep and
 * init switches on its way back to user space.
 */
export const LP_WAIT_SOURCE = `import { klp_enable_patch, pr_info, schedule } from "linux";

function* lp_wait_do_wait(): Generator<ReturnType<typeof schedule>, number, number> {
  yield schedule();
  return 0;
}

export default {
  livepatch: true,
  functions: [{ name: "lp_wait_do_wait", size: 0x40, body: lp_wait_do_wait }],
  init(): number {
    pr_info("patching %s\\n", "do_wait");
    return klp_enable_patch({
      objs: [{ funcs: [{ old_name: "do_wait", new_func: lp_wait_do_wait }] }],
    });
  },
};
`;

/** The sandboxed module above, as a run's module list. */
export const LP_WAIT = { name: "lp_wait", source: LP_WAIT_SOURCE };

/** About 18 s of virtual time: the stalled transition, the fake signal, completion. */
export const STALL_SCRIPT = `load_lp_nowait lp_wait
cat /sys/kernel/livepatch/lp_wait/transition
sleep 17
cat /sys/kernel/livepatch/lp_wait/transition
`;

/**
 * A tour: the stall and its fake signal (lp_wait, sandboxed), the shadow samples (a leak and its
 * fix), a transition blocked by the busy module and forced, callbacks on every object (mainline
 * only: the proposed model runs per-state callbacks instead, which test_klp_state then shows),
 * disable and unload. About 30 s of virtual time.
 */
export const TOUR_SCRIPT = `${STALL_SCRIPT}insmod livepatch-shadow-mod.ko
sleep 2
insmod livepatch-shadow-fix1.ko
sleep 4
load_mod test_klp_callbacks_busy block_transition=Y
load_lp_nowait test_klp_callbacks_demo
sleep 3
echo 1 > /sys/kernel/livepatch/test_klp_callbacks_demo/force
sleep 2
disable_lp test_klp_callbacks_demo
unload_lp test_klp_callbacks_demo
unload_mod test_klp_callbacks_busy
load_lp test_klp_state
disable_lp test_klp_state
unload_lp test_klp_state
`;
