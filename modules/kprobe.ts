// kprobe.ts: test_klp_kprobe, a plain module that puts a kprobe on cmdline_proc_show. With a
// post handler the kprobe needs the function's IPMODIFY ftrace slot (kprobe_ipmodify_ops), which
// a livepatch of the same function also needs; without one it uses an ops that coexists.
import { ftraceOf } from "../engine/machine/ftrace.ts";
import type { ModuleDef } from "../engine/machine/module.ts";

const TARGET = "cmdline_proc_show";

export function testKlpKprobe(): ModuleDef {
  const flags = { ipmodify: false, permanent: false };
  let armed = -1;
  return {
    name: "test_klp_kprobe",
    params: [{ name: "has_post_handler", type: "bool", perm: 0o444, value: true }],
    init: (ctx) => {
      // register_kprobe() -> arm_kprobe_ftrace() when kprobes are enabled.
      flags.ipmodify = ctx.param("has_post_handler") === true;
      const f = ftraceOf(ctx.m);
      if (!f.kprobesEnabled) return 0;
      const fn = ctx.m.fn(TARGET);
      const rc = f.register(fn, flags);
      if (rc < 0) return rc;
      armed = fn;
      return 0;
    },
    exit: (ctx) => {
      if (armed >= 0) ftraceOf(ctx.m).unregister(armed, flags);
      armed = -1;
    },
  };
}
