// test_klp_callbacks_demo2: logging callbacks on vmlinux only; the `replace` parameter sets the
// patch's atomic replace. Mirrors tools/testing/selftests/livepatch/test_modules/test_klp_callbacks_demo2.c@91908587bc0e1a2c4df56ea9a3d71931ca0eb9de.
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
    return 0;
  },
  post_patch: (obj) => callback_info("post_patch_callback", obj),
  pre_unpatch: (obj) => callback_info("pre_unpatch_callback", obj),
  post_unpatch: (obj) => callback_info("post_unpatch_callback", obj),
};

export default {
  livepatch: true,
  params: [{ name: "replace", type: "int", perm: 0o644, value: 0 }],
  init: () =>
    klp_enable_patch({
      objs: [{ name: null, funcs: [], callbacks }],
      replace: module_param("replace") !== 0,
    }),
} satisfies ModuleDescription;
