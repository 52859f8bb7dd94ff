// test_klp_kprobe: a plain module that puts a kprobe on cmdline_proc_show, with a post handler
// unless has_post_handler=0 (a post handler needs the IPMODIFY ftrace slot a livepatch of the
// same function needs too). Mirrors tools/testing/selftests/livepatch/test_modules/test_klp_kprobe.c
// (mainline since v6.11; read at jubalh/linux@db177df410b0a5ebc41b0538696a60c5e7100bd8).
import {
  type Kprobe,
  type ModuleDescription,
  module_param,
  register_kprobe,
  unregister_kprobe,
} from "linux";

function post_handler(): void {}

const kp: Kprobe = { symbol_name: "cmdline_proc_show" };

export default {
  params: [{ name: "has_post_handler", type: "bool", perm: 0o444, value: true }],
  init: () => {
    if (module_param("has_post_handler") === true) kp.post_handler = post_handler;
    return register_kprobe(kp);
  },
  exit: () => unregister_kprobe(kp),
} satisfies ModuleDescription;
