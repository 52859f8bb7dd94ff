// livepatch-callbacks-demo: logging callbacks on vmlinux and the target modules
// livepatch_callbacks_mod and livepatch_callbacks_busymod, whose busymod_work_func it replaces;
// pre_patch returns the pre_patch_ret parameter. Mirrors
// samples/livepatch/livepatch-callbacks-demo.c@65e575744264b28811c1a82c2640b1257cabf22f.
import {
  type KlpCallbacks,
  type KlpObjectView,
  type ModuleDescription,
  type ModuleState,
  klp_enable_patch,
  module_param,
  pr_info,
} from "linux";

const MODULE_STATE_TEXT: Record<ModuleState, string> = {
  MODULE_STATE_LIVE: "[MODULE_STATE_LIVE] Normal state",
  MODULE_STATE_COMING: "[MODULE_STATE_COMING] Full formed, running module_init",
  MODULE_STATE_GOING: "[MODULE_STATE_GOING] Going away",
  MODULE_STATE_UNFORMED: "[MODULE_STATE_UNFORMED] Still setting it up",
};

function callback_info(callback: string, obj: KlpObjectView): void {
  if (obj.mod) pr_info("%s: %s -> %s\n", callback, obj.mod.name, MODULE_STATE_TEXT[obj.mod.state]);
  else pr_info("%s: vmlinux\n", callback);
}

const callbacks: KlpCallbacks = {
  pre_patch: (obj) => {
    callback_info("pre_patch_callback", obj);
    return Number(module_param("pre_patch_ret"));
  },
  post_patch: (obj) => callback_info("post_patch_callback", obj),
  pre_unpatch: (obj) => callback_info("pre_unpatch_callback", obj),
  post_unpatch: (obj) => callback_info("post_unpatch_callback", obj),
};

function patched_work_func(): number {
  pr_info("%s\n", "patched_work_func");
  return 0;
}

export default {
  livepatch: true,
  params: [{ name: "pre_patch_ret", type: "int", perm: 0o644, value: 0 }],
  functions: [{ name: "patched_work_func", body: patched_work_func }],
  init: () =>
    klp_enable_patch({
      objs: [
        { name: null, funcs: [], callbacks },
        { name: "livepatch_callbacks_mod", funcs: [], callbacks },
        {
          name: "livepatch_callbacks_busymod",
          funcs: [{ old_name: "busymod_work_func", new_func: patched_work_func }],
          callbacks,
        },
      ],
    }),
} satisfies ModuleDescription;
