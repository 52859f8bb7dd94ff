// test_klp_mod_target: a module with /proc/test_klp_mod_target, whose show function (the target
// of test_klp_mod_patch) prints its original text. Mirrors tools/testing/selftests/livepatch/test_modules/test_klp_mod_target.c@d3d9443f8bac799340bb04db51ef4ababc4f7267.
import {
  type ModuleDescription,
  THIS_MODULE,
  pr_info,
  proc_create_single,
  remove_proc_entry,
  seq_printf,
} from "linux";

function test_klp_mod_target_show(m: number): number {
  seq_printf(m, "%s: %s\n", THIS_MODULE.name, "original output");
  return 0;
}

export default {
  functions: [{ name: "test_klp_mod_target_show", body: test_klp_mod_target_show }],
  init: () => {
    if (!proc_create_single("test_klp_mod_target", 0, test_klp_mod_target_show)) return -12;
    pr_info("%s\n", "test_klp_mod_target_init");
    return 0;
  },
  exit: () => {
    remove_proc_entry("test_klp_mod_target");
    pr_info("%s\n", "test_klp_mod_target_exit");
  },
} satisfies ModuleDescription;
