// test_klp_atomic_replace: replaces meminfo_proc_show; the `replace` parameter sets the patch's
// atomic replace. Mirrors tools/testing/selftests/livepatch/test_modules/test_klp_atomic_replace.c@91908587bc0e1a2c4df56ea9a3d71931ca0eb9de.
import {
  type ModuleDescription,
  THIS_MODULE,
  klp_enable_patch,
  module_param,
  seq_printf,
} from "linux";

function livepatch_meminfo_proc_show(m: number): number {
  seq_printf(m, "%s: %s\n", THIS_MODULE.name, "this has been live patched");
  return 0;
}

export default {
  livepatch: true,
  params: [{ name: "replace", type: "int", perm: 0o644, value: 0 }],
  functions: [{ name: "livepatch_meminfo_proc_show", body: livepatch_meminfo_proc_show }],
  init: () =>
    klp_enable_patch({
      objs: [
        {
          name: null,
          funcs: [{ old_name: "meminfo_proc_show", new_func: livepatch_meminfo_proc_show }],
        },
      ],
      replace: module_param("replace") !== 0,
    }),
} satisfies ModuleDescription;
