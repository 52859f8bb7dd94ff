// livepatch-callbacks-mod: a target module of livepatch-callbacks-demo that only logs its init and
// exit. Mirrors samples/livepatch/livepatch-callbacks-mod.c@5e0c67998152bdb91b056160449ee542b86271a5.
import { type ModuleDescription, pr_info } from "linux";

export default {
  init: () => {
    pr_info("%s\n", "livepatch_callbacks_mod_init");
    return 0;
  },
  exit: () => pr_info("%s\n", "livepatch_callbacks_mod_exit"),
} satisfies ModuleDescription;
