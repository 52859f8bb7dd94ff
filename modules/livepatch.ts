// livepatch.ts: test_klp_livepatch and test_klp_atomic_replace (selftests' test_modules) and the
// samples' livepatch-sample: each replaces one procfs show handler of vmlinux.
import { done } from "../engine/machine/kcode.ts";
import type { ModuleDef } from "../engine/machine/module.ts";
import type { SeqFile } from "../engine/machine/vmlinux.ts";
import { intParam, livePatchedShow } from "./common.ts";

/** test_klp_livepatch: cmdline_proc_show prints "<mod>: this has been live patched". */
export function testKlpLivepatch(): ModuleDef {
  const name = "test_klp_livepatch";
  return {
    name,
    livepatch: true,
    functions: [{ name: "livepatch_cmdline_proc_show", size: 0x40, body: livePatchedShow(name) }],
    init: (ctx) =>
      ctx.klpEnablePatch({
        objs: [
          {
            name: null,
            funcs: [{ old_name: "cmdline_proc_show", new_func: "livepatch_cmdline_proc_show" }],
          },
        ],
      }),
  };
}

/** test_klp_atomic_replace: meminfo_proc_show; parameter `replace` sets patch->replace. */
export function testKlpAtomicReplace(): ModuleDef {
  const name = "test_klp_atomic_replace";
  return {
    name,
    livepatch: true,
    params: [{ name: "replace", type: "int", perm: 0o644, value: 0 }],
    functions: [{ name: "livepatch_meminfo_proc_show", size: 0x40, body: livePatchedShow(name) }],
    init: (ctx) =>
      ctx.klpEnablePatch({
        objs: [
          {
            name: null,
            funcs: [{ old_name: "meminfo_proc_show", new_func: "livepatch_meminfo_proc_show" }],
          },
        ],
        replace: intParam(ctx.param("replace")) !== 0,
      }),
  };
}

/** samples/livepatch/livepatch-sample: cmdline_proc_show prints "this has been live patched". */
export function livepatchSample(): ModuleDef {
  return {
    name: "livepatch_sample",
    livepatch: true,
    functions: [
      {
        name: "livepatch_cmdline_proc_show",
        size: 0x40,
        body: (_m, _t, arg) => {
          (arg as SeqFile).buf += "this has been live patched\n";
          return done(0);
        },
      },
    ],
    init: (ctx) =>
      ctx.klpEnablePatch({
        objs: [
          {
            name: null,
            funcs: [{ old_name: "cmdline_proc_show", new_func: "livepatch_cmdline_proc_show" }],
          },
        ],
      }),
  };
}
