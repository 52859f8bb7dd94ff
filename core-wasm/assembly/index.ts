// index.ts: the core's export list. Every export takes and returns plain numbers.
// Conventions: snake_case names prefixed by module (shadow_, text_, site_, ops_, task_, klp_,
// core_); failures are negative errno values (shared/errno.ts); all state lives in regions.

import { regionsInit } from "./region";

export * from "./core";
export * from "./shadow";
export * from "./snapshot";
export {
  text_init,
  text_flags,
  text_add_object,
  text_add_function,
  text_remove_object,
  text_ftrace_init,
  text_symbol,
} from "./text";
export { text_tramp_alloc, text_tramp_free, text_tramp_count } from "./tramp";
export {
  text_arena_base,
  text_arena_offset,
  text_func_arena_offset,
  text_prefix_len,
  text_site_offset,
  text_site_len,
  text_write_byte,
  text_patch_insn,
  text_plt_resolve,
  text_encode_x86_call,
  text_encode_arm64_bl,
} from "./textbytes";
export {
  site_queue,
  site_poke_step,
  site_poke_finish,
  site_poke_count,
  site_poke_phase,
  site_poke_abort,
  site_exec,
  site_exec_final,
  site_ops,
  site_addr,
  site_queued,
  site_state,
  site_bug_func,
  site_bug_len,
  site_bug_expected,
} from "./site";
export {
  core_scratch_reserve,
} from "./scratch";
export {
  klp_func_new,
  klp_func_free,
  klp_func_set_transition,
  klp_func_transition,
  klp_func_patched,
  klp_func_nop,
  klp_func_patch,
  klp_func_old,
  klp_func_new_func,
  ops_push,
  ops_pop,
  ops_head,
  ops_next,
  ops_depth,
  klp_handler,
  klp_handler_warnings,
} from "./ops";
export {
  task_reserve,
  task_alloc,
  task_free,
  task_count,
  task_live_count,
  task_live,
  task_copy_process,
  task_push_frame,
  task_pop_frame,
  task_set_stack,
  task_stack_depth,
  task_frame,
  task_set_running,
  task_set_unreliable,
  task_running,
  task_unreliable,
  task_patch_state,
  task_pending,
} from "./task";
export {
  klp_target_state,
  klp_init_transition,
  klp_start_transition,
  klp_update_patch_state,
  klp_try_switch_task,
  klp_try_switch_current,
  klp_sweep,
  klp_sweep_framewalk,
  klp_check_count,
  klp_check_records,
  klp_check_task,
  klp_check_errno,
  klp_check_func,
  klp_check_entry,
  klp_complete_transition,
  klp_reverse_transition,
  klp_force_transition,
  klp_cancel_transition,
} from "./transition";
export { kallsyms_addr_hi, kallsyms_func_count, kallsyms_func_addr, kallsyms_func_size, kallsyms_func_obj, kallsyms_lookup } from "./kallsyms";

export { core_call } from "./call";

// A fresh instance starts from the all-zero state, which every module reads as "empty".
regionsInit();
