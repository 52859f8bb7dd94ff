// livepatch-sample: replaces cmdline_proc_show, which then prints "this has been live patched".
// Mirrors samples/livepatch/livepatch-sample.c@4149f70f7c6001c91aba065bf937f6e95172071b.
import { type ModuleDescription, klp_enable_patch, seq_printf } from "linux";

function livepatch_cmdline_proc_show(m: number): number {
  seq_printf(m, "%s\n", "this has been live patched");
  return 0;
}

export default {
  livepatch: true,
  functions: [{ name: "livepatch_cmdline_proc_show", body: livepatch_cmdline_proc_show }],
  init: () =>
    klp_enable_patch({
      objs: [
        {
          name: null,
          funcs: [{ old_name: "cmdline_proc_show", new_func: livepatch_cmdline_proc_show }],
        },
      ],
    }),
} satisfies ModuleDescription;
