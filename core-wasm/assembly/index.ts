// index.ts: the core's export list. Every export takes and returns plain numbers.
// Conventions: snake_case names prefixed by module (shadow_, text_, site_, ops_, task_, klp_,
// core_); failures are negative errno values (shared/errno.ts); all state lives in regions.

import { regionsInit } from "./region";

export * from "./core";
export * from "./shadow";
export * from "./snapshot";
export * from "./text";
export { kallsyms_addr_hi, kallsyms_func_count, kallsyms_func_addr, kallsyms_func_size, kallsyms_func_obj, kallsyms_lookup } from "./kallsyms";

// A fresh instance starts from the all-zero state, which every module reads as "empty".
regionsInit();
