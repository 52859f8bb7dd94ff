// test_klp_livepatch: replaces cmdline_proc_show, which then prints "<module>: this has been live
// patched". Mirrors tools/testing/selftests/livepatch/test_modules/test_klp_livepatch.c@91908587bc0e1a2c4df56ea9a3d71931ca0eb9de.
import { type ModuleDescription, THIS_MODULE, klp_enable_patch, seq_printf } from "linux";

function livepatch_cmdline_proc_show(m: number): number {
  seq_printf(m, "%s: %s\n", THIS_MODULE.name, "this has been live patched");
  return 0;
}

export default {
  livepatch: true,
  functions: [{ name: "livepatch_cmdline_proc_show", body: livepatch_cmdline_proc_show }],
  init: () =>
    klp_enable_patch({
      // name null: vmlinux
      objs: [
        {
          name: null,
          funcs: [{ old_name: "cmdline_proc_show", new_func: livepatch_cmdline_proc_show }],
        },
      ],
    }),
} satisfies ModuleDescription;
