// test_klp_state: an atomic-replace livepatch with state 1 version 1 (console_loglevel): its
// vmlinux callbacks allocate the state's data, save console_loglevel there and raise it, then
// restore it and free the data. Mirrors tools/testing/selftests/livepatch/test_modules/test_klp_state.c@79790b6818e96c58fe2bffee1b418c16e64e7b80.
import {
  type KlpCallbacks,
  type ModuleDescription,
  console_loglevel,
  klp_enable_patch,
  klp_get_state,
  klp_state_set_data,
  pr_info,
  set_console_loglevel,
} from "linux";

const CONSOLE_LOGLEVEL_STATE = 1;
/** Version of the state: how this livepatch modifies console_loglevel. */
const CONSOLE_LOGLEVEL_STATE_VERSION = 1;
const CONSOLE_LOGLEVEL_MOTORMOUTH = 15;
const EINVAL = 22;

/** What the state's data holds: the console_loglevel before this livepatch raised it. */
interface Saved {
  loglevel: number;
}

function allocate_loglevel_state(): number {
  if (!klp_get_state(CONSOLE_LOGLEVEL_STATE)) return -EINVAL;
  pr_info("%s: allocating space to store console_loglevel\n", "allocate_loglevel_state");
  return klp_state_set_data(CONSOLE_LOGLEVEL_STATE, { loglevel: 0 } satisfies Saved);
}

function fix_console_loglevel(): void {
  if (!klp_get_state(CONSOLE_LOGLEVEL_STATE)) return;
  pr_info("%s: fixing console_loglevel\n", "fix_console_loglevel");
  klp_state_set_data(CONSOLE_LOGLEVEL_STATE, { loglevel: console_loglevel() } satisfies Saved);
  set_console_loglevel(CONSOLE_LOGLEVEL_MOTORMOUTH);
}

function restore_console_loglevel(): void {
  const state = klp_get_state(CONSOLE_LOGLEVEL_STATE);
  if (!state) return;
  pr_info("%s: restoring console_loglevel\n", "restore_console_loglevel");
  set_console_loglevel((state.data as Saved | undefined)?.loglevel ?? 7);
}

function free_loglevel_state(): void {
  if (!klp_get_state(CONSOLE_LOGLEVEL_STATE)) return;
  pr_info("%s: freeing space for the stored console_loglevel\n", "free_loglevel_state");
  klp_state_set_data(CONSOLE_LOGLEVEL_STATE, undefined);
}

const callbacks: KlpCallbacks = {
  pre_patch: () => {
    pr_info("%s: vmlinux\n", "pre_patch_callback");
    return allocate_loglevel_state();
  },
  post_patch: () => {
    pr_info("%s: vmlinux\n", "post_patch_callback");
    fix_console_loglevel();
  },
  pre_unpatch: () => {
    pr_info("%s: vmlinux\n", "pre_unpatch_callback");
    restore_console_loglevel();
  },
  post_unpatch: () => {
    pr_info("%s: vmlinux\n", "post_unpatch_callback");
    free_loglevel_state();
  },
};

export default {
  livepatch: true,
  init: () =>
    klp_enable_patch({
      objs: [{ name: null, funcs: [], callbacks }],
      states: [{ id: CONSOLE_LOGLEVEL_STATE, version: CONSOLE_LOGLEVEL_STATE_VERSION }],
      replace: true,
    }),
} satisfies ModuleDescription;
