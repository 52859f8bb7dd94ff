// test_klp_callbacks_mod: a target module that only logs its init and exit. Mirrors
// tools/testing/selftests/livepatch/test_modules/test_klp_callbacks_mod.c@91908587bc0e1a2c4df56ea9a3d71931ca0eb9de.
import { type ModuleDescription, pr_info } from "linux";

export default {
  init: () => {
    pr_info("%s\n", "test_klp_callbacks_mod_init");
    return 0;
  },
  exit: () => pr_info("%s\n", "test_klp_callbacks_mod_exit"),
} satisfies ModuleDescription;
