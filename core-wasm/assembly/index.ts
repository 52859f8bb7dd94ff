// index.ts: the core's export list. Every export takes and returns plain numbers.
// Conventions: snake_case names prefixed by module (shadow_, text_, site_, ops_, task_, klp_,
// core_); failures are negative errno values (shared/errno.ts); all state lives in regions.

import { regionsInit } from "./region";

export * from "./core";
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
export { kallsyms_addr_hi, kallsyms_func_count, kallsyms_func_addr, kallsyms_func_size, kallsyms_func_obj, kallsyms_lookup } from "./kallsyms";

// A fresh instance starts from the all-zero state, which every module reads as "empty".
regionsInit();
