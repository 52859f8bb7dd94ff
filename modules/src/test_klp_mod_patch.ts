// test_klp_mod_patch: a livepatch of test_klp_mod_target's show function, which then prints
// "<module>: this has been live patched". Mirrors tools/testing/selftests/livepatch/test_modules/test_klp_mod_patch.c@448c0f8cb7cdf2e6d6e9d1ed3bb8c7397bc71c66.
import { type ModuleDescription, THIS_MODULE, klp_enable_patch, seq_printf } from "linux";

function livepatch_mod_target_show(m: number): number {
  seq_printf(m, "%s: %s\n", THIS_MODULE.name, "this has been live patched");
  return 0;
}

export default {
  livepatch: true,
  functions: [{ name: "livepatch_mod_target_show", body: livepatch_mod_target_show }],
  init: () =>
    klp_enable_patch({
      objs: [
        {
          name: "test_klp_mod_target",
          funcs: [{ old_name: "test_klp_mod_target_show", new_func: livepatch_mod_target_show }],
        },
      ],
    }),
} satisfies ModuleDescription;
