// snapshot.ts: exports through which the host copies the core's state out and back in.
//
// The state is exactly the first `used` bytes of every region except SCRATCH (see region.ts). A
// snapshot is therefore a list of byte strings the host copies into buffers it keeps (no allocation
// per snapshot), and a restore resizes each region to hold the saved bytes, after which the host
// copies them back. The allocator's own layout is not state: bases may differ after a restore,
// which is why no region holds an absolute address.

import { ENOMEM, EINVAL } from "./shared/errno";
import {
  REGION_COUNT,
  REGION_SCRATCH,
  regionBase,
  regionCapacity,
  regionReserve,
  regionSetUsed,
  regionUsed,
} from "./region";

/** Number of regions, the scratch region included (the host skips it). */
export function core_region_count(): i32 {
  return REGION_COUNT;
}

/** Id of the scratch region, which holds host input and is never part of a snapshot. */
export function core_region_scratch(): i32 {
  return REGION_SCRATCH;
}

/** Absolute address of a region's first byte, valid until the next call that may allocate. */
export function core_region_base(id: i32): usize {
  if (<u32>id >= <u32>REGION_COUNT) return 0;
  return regionBase(id);
}

/** Meaningful bytes of a region: what a snapshot copies. */
export function core_region_used(id: i32): usize {
  if (<u32>id >= <u32>REGION_COUNT) return 0;
  return regionUsed(id);
}

export function core_region_capacity(id: i32): usize {
  if (<u32>id >= <u32>REGION_COUNT) return 0;
  return regionCapacity(id);
}

/**
 * First half of restoring one region: makes room for `used` bytes and declares them used.
 * The host then copies the saved bytes to core_region_base(id).
 * @returns 0, -EINVAL for a bad id, -ENOMEM when the room cannot be made.
 */
export function core_region_prepare_restore(id: i32, used: usize): i32 {
  if (<u32>id >= <u32>REGION_COUNT || id == REGION_SCRATCH) return -EINVAL;
  const err = regionReserve(id, used);
  if (err < 0) return err == -ENOMEM ? -ENOMEM : err;
  regionSetUsed(id, used);
  return 0;
}
