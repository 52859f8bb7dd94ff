// test_klp_state (proposed series), also built as test_klp_state2 and test_klp_state3: an
// atomic-replace livepatch without functions whose state 1 is_shadow: its pre_patch callback
// allocates a shadow variable on console_loglevel, post_patch saves the level there and raises
// it, pre_unpatch restores it; the livepatch core frees the shadow variable (running the dtor)
// after post_unpatch, when the state goes away. Mirrors (pmladek/linux)
// tools/testing/selftests/livepatch/test_modules/test_klp_state.c@663800cffbdf5a2992fa94835f3848dc6f7351bd
// and test_klp_state3.c@663800cffbdf5a2992fa94835f3848dc6f7351bd; test_klp_state2.c@0f96231673d1be788812d76b7b6dd3391f5e4a43
// still defines a version, which patch 04/19 removes together with versioning, leaving it the
// same as test_klp_state3.
import {
  GFP_KERNEL,
  type KlpState,
  type ModuleDescription,
  console_loglevel,
  klp_enable_patch,
  klp_shadow_alloc,
  klp_shadow_get,
  module_param,
  pr_err,
  pr_info,
  set_console_loglevel,
  shadow_read_i32,
  shadow_write_i32,
} from "linux";

const CONSOLE_LOGLEVEL_FIX_ID = 1;
const CONSOLE_LOGLEVEL_MOTORMOUTH = 15;
const ENOMEM = 12;
/** The shadow variable's object: a stand-in for &console_loglevel (a fixed address). */
const CONSOLE_LOGLEVEL_ADDR = 0x3f_0040;
/** sizeof(int). */
const INT_SIZE = 4;

function allocate_loglevel_state(): number {
  // klp_shadow_alloc() fails when the shadow variable exists already.
  const shadow = klp_shadow_alloc(
    CONSOLE_LOGLEVEL_ADDR,
    CONSOLE_LOGLEVEL_FIX_ID,
    INT_SIZE,
    GFP_KERNEL,
  );
  if (!shadow) {
    pr_err(
      "%s: failed to allocate shadow variable for the original loglevel\n",
      "allocate_loglevel_state",
    );
    return -ENOMEM;
  }
  pr_info("%s: allocating space to store console_loglevel\n", "allocate_loglevel_state");
  return 0;
}

function fix_console_loglevel(): void {
  const shadow = klp_shadow_get(CONSOLE_LOGLEVEL_ADDR, CONSOLE_LOGLEVEL_FIX_ID);
  if (!shadow) return;
  pr_info("%s: fixing console_loglevel\n", "fix_console_loglevel");
  shadow_write_i32(shadow, 0, console_loglevel());
  set_console_loglevel(CONSOLE_LOGLEVEL_MOTORMOUTH);
}

function restore_console_loglevel(): void {
  const shadow = klp_shadow_get(CONSOLE_LOGLEVEL_ADDR, CONSOLE_LOGLEVEL_FIX_ID);
  if (!shadow) return;
  pr_info("%s: restoring console_loglevel\n", "restore_console_loglevel");
  set_console_loglevel(shadow_read_i32(shadow, 0));
}

const state: KlpState = {
  id: CONSOLE_LOGLEVEL_FIX_ID,
  is_shadow: true,
  callbacks: {
    pre_patch: (_patch, s) => {
      pr_info("%s: state %lu\n", "pre_patch_callback", s.id);
      return allocate_loglevel_state();
    },
    post_patch: (_patch, s) => {
      pr_info("%s: state %lu\n", "post_patch_callback", s.id);
      fix_console_loglevel();
    },
    pre_unpatch: (_patch, s) => {
      pr_info("%s: state %lu\n", "pre_unpatch_callback", s.id);
      restore_console_loglevel();
    },
    // Only says it ran: the core frees the shadow variable because the state is_shadow.
    post_unpatch: (_patch, s) => {
      pr_info("%s: state %lu (nope)\n", "post_unpatch_callback", s.id);
    },
    // The kernel's name, typo included.
    shadow_dtor: () => {
      pr_info(
        "%s: freeing space for the stored console_loglevel\n",
        "shadow_conosle_loglevel_dtor",
      );
    },
  },
};

export default {
  livepatch: true,
  params: [
    { name: "state_block_disable", type: "bool", perm: 0o600, value: false },
    { name: "no_state", type: "bool", perm: 0o600, value: false },
  ],
  // The source's init keeps mainline's test_klp_callbacks_demo_init name.
  init: () =>
    klp_enable_patch({
      objs: [{ name: null, funcs: [] }],
      ...(module_param("no_state") === true
        ? {}
        : { states: [{ ...state, block_disable: module_param("state_block_disable") === true }] }),
      replace: true,
    }),
} satisfies ModuleDescription;
