// scratch.ts: the host's input buffer (REGION_SCRATCH). Bulk arguments (a task's whole stack, for
// instance) are written here by the bindings and read by the core during one call. It is not state:
// snapshots skip it, and its content is meaningless between calls.

import { REGION_SCRATCH, regionBase, regionReserve } from "./region";

/**
 * Makes the scratch buffer at least `bytes` long.
 * @returns its absolute base address (valid until the next call that may allocate), or 0 when the
 * memory limit forbids it.
 */
export function core_scratch_reserve(bytes: u32): usize {
  const want: usize = bytes == 0 ? 16 : <usize>bytes;
  if (regionReserve(REGION_SCRATCH, want) < 0) return 0;
  return regionBase(REGION_SCRATCH);
}

/** Base of the scratch buffer, for the core's own readers. */
// @ts-ignore: decorator
@inline export function scratchBase(): usize {
  return regionBase(REGION_SCRATCH);
}
