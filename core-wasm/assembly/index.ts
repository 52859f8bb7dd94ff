// index.ts: the core's export list. Every export takes and returns plain numbers.
// Conventions: snake_case names prefixed by module (shadow_, text_, site_, ops_, task_, klp_,
// core_); failures are negative errno values (shared/errno.ts); all state lives in regions.

import { regionsInit } from "./region";

export * from "./core";
export * from "./snapshot";

// A fresh instance starts from the all-zero state, which every module reads as "empty".
regionsInit();
