// livepatch-callbacks-busymod: a target module of livepatch-callbacks-demo whose work item sleeps
// sleep_secs seconds in busymod_work_func, keeping a livepatch of it in transition that long.
// Mirrors samples/livepatch/livepatch-callbacks-busymod.c@2cc2c3cb54de578666d905537e4c15969caf0dc5.
import {
  INIT_DELAYED_WORK,
  type ModuleDescription,
  type Sleep,
  cancel_delayed_work_sync,
  module_param,
  msecs_to_jiffies,
  msleep,
  pr_info,
  schedule_delayed_work,
} from "linux";

function* busymod_work_func(): Generator<Sleep, number, number> {
  const sleep_secs = Number(module_param("sleep_secs"));
  pr_info("%s, sleeping %d seconds ...\n", "busymod_work_func", sleep_secs);
  yield msleep(sleep_secs * 1000);
  pr_info("%s exit\n", "busymod_work_func");
  return 0;
}

const work = INIT_DELAYED_WORK(busymod_work_func);

export default {
  params: [{ name: "sleep_secs", type: "int", perm: 0o644, value: 0 }],
  functions: [{ name: "busymod_work_func", size: 0x60, body: busymod_work_func }],
  // The sample's init and exit carry the mod sample's names (so do their messages).
  init: () => {
    pr_info("%s\n", "livepatch_callbacks_mod_init");
    schedule_delayed_work(work, msecs_to_jiffies(1000 * 0));
    return 0;
  },
  exit: () => {
    cancel_delayed_work_sync(work);
    pr_info("%s\n", "livepatch_callbacks_mod_exit");
  },
} satisfies ModuleDescription;
