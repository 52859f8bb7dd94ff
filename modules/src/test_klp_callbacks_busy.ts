// test_klp_callbacks_busy: a target module whose work item stays in busymod_work_func while the
// block_transition parameter is set, keeping a livepatch of it in transition. Mirrors
// tools/testing/selftests/livepatch/test_modules/test_klp_callbacks_busy.c@254a142007114cad7b0a901215c1558e4315d46f.
import {
  INIT_WORK,
  type ModuleDescription,
  type Sleep,
  flush_work,
  module_param,
  msleep,
  pr_info,
  schedule_work,
  set_module_param,
} from "linux";

function* busymod_work_func(): Generator<Sleep, number, number> {
  pr_info("%s enter\n", "busymod_work_func");
  // Busy-waits until the sysfs writer clears the flag.
  while (module_param("block_transition") === true) yield msleep(20);
  pr_info("%s exit\n", "busymod_work_func");
  return 0;
}

const work = INIT_WORK(busymod_work_func);

export default {
  params: [{ name: "block_transition", type: "bool", perm: 0o644, value: false }],
  functions: [{ name: "busymod_work_func", size: 0x60, body: busymod_work_func }],
  init: () => {
    pr_info("%s\n", "test_klp_callbacks_busy_init");
    schedule_work(work);
    // Serializes the output: all of the work's messages before init returns.
    if (module_param("block_transition") !== true) flush_work(work);
    return 0;
  },
  exit: () => {
    set_module_param("block_transition", false);
    flush_work(work);
    pr_info("%s\n", "test_klp_callbacks_busy_exit");
  },
} satisfies ModuleDescription;
