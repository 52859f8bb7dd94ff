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

/** The tour's first part, the same in both trees: the stall and the shadow samples. */
const TOUR_COMMON = `${STALL_SCRIPT}insmod livepatch-shadow-mod.ko
sleep 2
insmod livepatch-shadow-fix1.ko
sleep 4
`;

/** Mainline: a transition blocked by the busy module and forced, callbacks on every object. */
const TOUR_MAINLINE = `${TOUR_COMMON}load_mod test_klp_callbacks_busy block_transition=Y
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

/**
 * Proposed: the tree has no per-object callback modules; the speaker's blocked doors stall the
 * patch (with state 10's per-state callbacks), force ends it, and the doors are opened before the
 * disable.
 */
const TOUR_PROPOSED = `${TOUR_COMMON}load_mod test_klp_speaker block_doors=1
load_lp_nowait test_klp_speaker_livepatch applause=1
sleep 3
echo 1 > /sys/kernel/livepatch/test_klp_speaker_livepatch/force
sleep 2
write_module_param test_klp_speaker block_doors 0
disable_lp test_klp_speaker_livepatch
unload_lp test_klp_speaker_livepatch
unload_mod test_klp_speaker
load_lp test_klp_state
disable_lp test_klp_state
unload_lp test_klp_state
`;

/**
 * A tour of about 30 s of virtual time: the stall and its fake signal (lp_wait, sandboxed), the
 * shadow samples (a leak and its fix), a transition blocked and forced, callbacks, disable and
 * unload, in the modules of the tree `semantics` runs.
 */
export function tourScript(semantics: "mainline" | "proposed"): string {
  return semantics === "proposed" ? TOUR_PROPOSED : TOUR_MAINLINE;
}
