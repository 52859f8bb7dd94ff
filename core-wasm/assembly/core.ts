// core.ts: instance-wide exports: reset, memory figures, and the BUG() used to prove abort handling.

import { regionsInit, regionsSetMemoryLimit, regionsTotalCapacity } from "./region";

/** Version of the export ABI; the bindings refuse a core whose version differs. */
const CORE_ABI_VERSION: i32 = 1;

export function core_abi_version(): i32 {
  return CORE_ABI_VERSION;
}

/** Module reset hooks, called in order by core_reset(); each module registers its own. */
export function core_reset(): void {
  regionsInit();
}

/** Bytes of linear memory the instance holds (what the browser has given it). */
export function core_memory_bytes(): f64 {
  return <f64>(<u64>memory.size() << 16);
}

/** Bytes held by all regions together (capacity). */
export function core_region_bytes(): f64 {
  return <f64>regionsTotalCapacity();
}

/** Caps all regions together at `bytes`; growth beyond it fails with -ENOMEM. */
export function core_set_memory_limit(bytes: f64): void {
  regionsSetMemoryLimit(<u64>bytes);
}

/** Models the kernel's BUG(): an internal invariant broke beyond repair. The instance traps. */
export function core_bug(): void {
  abort("BUG: core_bug() called", "core.ts", 0, 0);
}
